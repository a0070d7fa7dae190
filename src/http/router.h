// Router: finds the handler for a method and a decoded path.
//
//   Router router;
//   router.add(Method::get, "/api/v1/organisations/{ags}", [](Request& request) {
//     return Response::json(load(request.param("ags")));
//   });
//   router.add(Method::post, "/uploads", handle_upload, 20 * 1024 * 1024);
//
//   auto match = router.match(request.method, request.path);
//   if (auto* found = std::get_if<RouteMatch>(&match)) {
//     request.path_params = std::move(found->params);
//     request.route = found->route->pattern;
//     return found->route->handler(request);
//   }
//   if (auto* wrong = std::get_if<MethodNotAllowed>(&match)) { ... "Allow": wrong->allow_header() }
//   ... 404
//
// Patterns are "/" or '/'-separated non-empty segments; a segment is either literal text or
// a parameter "{name}" that matches exactly one non-empty segment. Rules:
// - `match` takes the decoded path from parse_target (url.h). That path has no encoded '/',
//   so its segments are the client's segments and parameter values are already decoded.
// - Literal segments beat parameters. When the literal branch has no route for the rest of
//   the path (or none for the method), the parameter branch is tried: "/orgs/new" with
//   GET "/orgs/new" and POST "/orgs/{ags}" routes POST to the latter.
// - HEAD uses the GET route of a path that has no HEAD route.
// - A path that matches some route but none for the method gives MethodNotAllowed with
//   every method the path accepts; otherwise NotFound.
// - Trailing slashes are significant: "/x/" does not match "/x" (the empty last segment
//   matches nothing), and patterns cannot end in '/'. Redirecting is up to the caller.
// - Registering a malformed pattern or the same method and path shape twice ("/a/{x}" and
//   "/a/{y}") throws std::logic_error: that is a bug found at startup.
// Matching walks a trie, one hash lookup per segment; each trie node is visited at most once
// per call, so the cost is bounded by the path length and the size of the route table. A
// Router is filled at startup and then only read, which is safe from many threads.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/message.h"

namespace ah::http {

using Handler = std::function<Response(Request&)>;
using PathParams = std::map<std::string, std::string, std::less<>>;

inline constexpr std::size_t default_body_limit = 1024 * 1024;

struct Route {
  Method method = Method::get;
  std::string pattern;  // as registered; used as the metrics and log label
  Handler handler;
  std::size_t body_limit = default_body_limit;  // bytes the server accepts for this route
  std::vector<std::string> param_names;         // in the order they appear in `pattern`
};

struct RouteMatch {
  const Route* route = nullptr;  // owned by the Router, valid as long as it lives
  PathParams params;
};

struct NotFound {};

struct MethodNotAllowed {
  std::vector<Method> allowed;  // sorted, without duplicates; includes HEAD when GET is there
  // The value for the Allow header, e.g. "GET, HEAD, POST".
  std::string allow_header() const;
};

using MatchResult = std::variant<RouteMatch, NotFound, MethodNotAllowed>;

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers a route; throws std::logic_error on a malformed pattern, an empty handler,
  // Method::other, or a route that duplicates an earlier one.
  const Route& add(Method method, std::string_view pattern, Handler handler,
                   std::size_t body_limit = default_body_limit);

  MatchResult match(Method method, std::string_view path) const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
};

}  // namespace ah::http
