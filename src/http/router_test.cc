#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace ah::http {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// A handler that answers with its own name, so tests can see which route was chosen.
Handler answer(std::string name) {
  return [name = std::move(name)](Request&) { return Response::text(name); };
}

// The chosen route's answer, or "404" / "405 <Allow>".
std::string outcome(const Router& router, Method method, std::string_view path) {
  MatchResult result = router.match(method, path);
  if (auto* found = std::get_if<RouteMatch>(&result)) {
    Request request;
    return found->route->handler(request).body;
  }
  if (auto* wrong = std::get_if<MethodNotAllowed>(&result)) {
    return "405 " + wrong->allow_header();
  }
  return "404";
}

PathParams params_of(const Router& router, Method method, std::string_view path) {
  MatchResult result = router.match(method, path);
  auto* found = std::get_if<RouteMatch>(&result);
  return found ? found->params : PathParams{};
}

TEST(Router, MatchesLiteralRoutesAndRoot) {
  Router router;
  router.add(Method::get, "/", answer("root"));
  router.add(Method::get, "/healthz", answer("health"));
  router.add(Method::get, "/api/v1/organisations", answer("orgs"));
  EXPECT_EQ(outcome(router, Method::get, "/"), "root");
  EXPECT_EQ(outcome(router, Method::get, "/healthz"), "health");
  EXPECT_EQ(outcome(router, Method::get, "/api/v1/organisations"), "orgs");
  EXPECT_EQ(outcome(router, Method::get, "/api/v1"), "404");
  EXPECT_EQ(outcome(router, Method::get, "/api/v1/organisations/x"), "404");
  EXPECT_EQ(outcome(router, Method::get, "/HEALTHZ"), "404");
}

TEST(Router, ParametersTakeOneDecodedSegment) {
  Router router;
  router.add(Method::get, "/api/v1/organisations/{ags}", answer("org"));
  router.add(Method::get, "/orgs/{ags}/members/{member_id}", answer("member"));
  EXPECT_THAT(params_of(router, Method::get, "/api/v1/organisations/09162000"),
              ElementsAre(Pair("ags", "09162000")));
  EXPECT_THAT(params_of(router, Method::get, "/orgs/München/members/a b+c"),
              ElementsAre(Pair("ags", "München"), Pair("member_id", "a b+c")));
  EXPECT_EQ(outcome(router, Method::get, "/api/v1/organisations/a/b"), "404");
  EXPECT_EQ(outcome(router, Method::get, "/api/v1/organisations/"), "404");
  EXPECT_EQ(outcome(router, Method::get, "/api/v1/organisations"), "404");
}

TEST(Router, RouteCarriesPatternAndBodyLimit) {
  Router router;
  router.add(Method::get, "/assets/{file}", answer("asset"));
  router.add(Method::post, "/uploads", answer("upload"), 20 * 1024 * 1024);
  auto assets = router.match(Method::get, "/assets/app.css");
  EXPECT_EQ(std::get<RouteMatch>(assets).route->pattern, "/assets/{file}");
  EXPECT_EQ(std::get<RouteMatch>(assets).route->body_limit, 1048576u);
  auto upload = router.match(Method::post, "/uploads");
  EXPECT_EQ(std::get<RouteMatch>(upload).route->body_limit, 20u * 1024 * 1024);
  EXPECT_THAT(std::get<RouteMatch>(upload).params, IsEmpty());
}

TEST(Router, LiteralBeatsParameterRegardlessOfRegistrationOrder) {
  Router router;
  router.add(Method::get, "/orgs/{ags}", answer("param"));
  router.add(Method::get, "/orgs/new", answer("literal"));
  router.add(Method::get, "/orgs/{ags}/edit", answer("param-edit"));
  router.add(Method::get, "/orgs/new/edit", answer("literal-edit"));
  EXPECT_EQ(outcome(router, Method::get, "/orgs/new"), "literal");
  EXPECT_EQ(outcome(router, Method::get, "/orgs/other"), "param");
  EXPECT_EQ(outcome(router, Method::get, "/orgs/new/edit"), "literal-edit");
  EXPECT_EQ(outcome(router, Method::get, "/orgs/x/edit"), "param-edit");
}

TEST(Router, FallsBackToParameterWhenTheLiteralBranchDeadEnds) {
  Router router;
  router.add(Method::get, "/a/b/c", answer("literal"));
  router.add(Method::get, "/a/{x}/d", answer("param"));
  EXPECT_EQ(outcome(router, Method::get, "/a/b/c"), "literal");
  EXPECT_EQ(outcome(router, Method::get, "/a/b/d"), "param");
  EXPECT_THAT(params_of(router, Method::get, "/a/b/d"), ElementsAre(Pair("x", "b")));
}

TEST(Router, FallsBackToParameterRouteForAMethodTheLiteralLacks) {
  Router router;
  router.add(Method::get, "/orgs/new", answer("form"));
  router.add(Method::post, "/orgs/{ags}", answer("update"));
  EXPECT_EQ(outcome(router, Method::get, "/orgs/new"), "form");
  EXPECT_EQ(outcome(router, Method::post, "/orgs/new"), "update");
  EXPECT_EQ(outcome(router, Method::del, "/orgs/new"), "405 GET, HEAD, POST");
  EXPECT_EQ(outcome(router, Method::del, "/orgs/x"), "405 POST");
}

TEST(Router, MethodNotAllowedVersusNotFound) {
  Router router;
  router.add(Method::post, "/things", answer("create"));
  router.add(Method::get, "/things", answer("list"));
  router.add(Method::del, "/things/{id}", answer("delete"));
  EXPECT_EQ(outcome(router, Method::put, "/things"), "405 GET, HEAD, POST");
  EXPECT_EQ(outcome(router, Method::other, "/things"), "405 GET, HEAD, POST");
  EXPECT_EQ(outcome(router, Method::get, "/things/1"), "405 DELETE");
  EXPECT_EQ(outcome(router, Method::head, "/things/1"), "405 DELETE");
  EXPECT_EQ(outcome(router, Method::put, "/nothing"), "404");
  auto result = router.match(Method::patch, "/things");
  EXPECT_THAT(std::get<MethodNotAllowed>(result).allowed,
              ElementsAre(Method::get, Method::head, Method::post));
}

TEST(Router, HeadUsesGetUnlessItHasItsOwnRoute) {
  Router router;
  router.add(Method::get, "/page", answer("get-page"));
  router.add(Method::get, "/both", answer("get-both"));
  router.add(Method::head, "/both", answer("head-both"));
  router.add(Method::head, "/head-only", answer("head-only"));
  EXPECT_EQ(outcome(router, Method::head, "/page"), "get-page");
  EXPECT_EQ(outcome(router, Method::head, "/both"), "head-both");
  EXPECT_EQ(outcome(router, Method::get, "/both"), "get-both");
  EXPECT_EQ(outcome(router, Method::get, "/head-only"), "405 HEAD");
  auto head = router.match(Method::head, "/page");
  EXPECT_EQ(std::get<RouteMatch>(head).route->method, Method::get);
}

TEST(Router, TrailingSlashIsSignificant) {
  Router router;
  router.add(Method::get, "/x", answer("x"));
  router.add(Method::get, "/y/{id}", answer("y"));
  EXPECT_EQ(outcome(router, Method::get, "/x"), "x");
  EXPECT_EQ(outcome(router, Method::get, "/x/"), "404");
  EXPECT_EQ(outcome(router, Method::get, "/y/1/"), "404");
  EXPECT_EQ(outcome(router, Method::get, "//x"), "404");
  EXPECT_EQ(outcome(router, Method::get, "/x//"), "404");
}

TEST(Router, PathsThatAreNotPathsAreNotFound) {
  Router router;
  router.add(Method::get, "/", answer("root"));
  EXPECT_EQ(outcome(router, Method::get, ""), "404");
  EXPECT_EQ(outcome(router, Method::get, "x"), "404");
  EXPECT_EQ(outcome(router, Method::get, "//"), "404");
}

TEST(Router, SameShapeWithDifferentParameterNamesPerMethod) {
  Router router;
  router.add(Method::get, "/items/{id}", answer("get"));
  router.add(Method::put, "/items/{slug}", answer("put"));
  EXPECT_THAT(params_of(router, Method::get, "/items/7"), ElementsAre(Pair("id", "7")));
  EXPECT_THAT(params_of(router, Method::put, "/items/7"), ElementsAre(Pair("slug", "7")));
}

TEST(Router, DuplicateRegistrationThrows) {
  Router router;
  router.add(Method::get, "/a/{x}", answer("first"));
  EXPECT_THROW(router.add(Method::get, "/a/{x}", answer("again")), std::logic_error);
  EXPECT_THROW(router.add(Method::get, "/a/{y}", answer("renamed")), std::logic_error);
  EXPECT_NO_THROW(router.add(Method::post, "/a/{x}", answer("other method")));
  EXPECT_NO_THROW(router.add(Method::get, "/a/literal", answer("literal")));
}

TEST(Router, MalformedPatternsThrow) {
  Router router;
  for (const char* bad :
       {"", "a", "/a/", "//", "/a//b", "/{}", "/{1x}", "/{a-b}", "/x{id}", "/{id}.json", "/{a}/{a}",
        "/a b", "/a%20b", "/a?b", "/a#b", "/..", "/./x", "/a}", "/{a"}) {
    EXPECT_THROW(router.add(Method::get, bad, answer("bad")), std::logic_error) << bad;
  }
  EXPECT_THROW(router.add(Method::other, "/ok", answer("other")), std::logic_error);
  EXPECT_THROW(router.add(Method::get, "/ok", Handler{}), std::logic_error);
  EXPECT_NO_THROW(router.add(Method::get, "/ok/über/{_id2}/a.b-c", answer("ok")));
}

TEST(Router, IsMovable) {
  Router router;
  router.add(Method::get, "/a", answer("a"));
  Router moved = std::move(router);
  EXPECT_EQ(outcome(moved, Method::get, "/a"), "a");
}

TEST(MethodNotAllowed, AllowHeaderJoinsMethodNames) {
  EXPECT_EQ((MethodNotAllowed{{Method::get, Method::head, Method::del}}).allow_header(),
            "GET, HEAD, DELETE");
  EXPECT_EQ(MethodNotAllowed{}.allow_header(), "");
}

TEST(Router, DeepPathsAndManyRoutes) {
  Router router;
  for (int i = 0; i < 1000; ++i) {
    router.add(Method::get, "/r" + std::to_string(i) + "/{a}/{b}", answer(std::to_string(i)));
  }
  EXPECT_EQ(outcome(router, Method::get, "/r999/x/y"), "999");
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "/r1";
  EXPECT_EQ(outcome(router, Method::get, deep), "404");
}

}  // namespace
}  // namespace ah::http
