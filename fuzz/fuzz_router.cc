// Fuzzes route matching against a fixed table shaped like the application's: literals,
// parameters, literal-versus-parameter overlaps and several methods. The input's first byte
// picks the method, the rest is the path, matched both raw (the router must cope with any
// string) and after parse_target (what the server passes). Properties: parameters are
// single non-empty segments; 405 always names at least one method; results are stable.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <variant>

#include "fuzz_check.h"
#include "http/router.h"
#include "http/url.h"

using namespace ah::http;

namespace {

const Router& routes() {
  static const Router router = [] {
    Router r;
    const Handler ok = [](Request&) { return Response::text("ok"); };
    r.add(Method::get, "/", ok);
    r.add(Method::get, "/healthz", ok);
    r.add(Method::get, "/assets/{file}", ok);
    r.add(Method::get, "/api/v1/organisations", ok);
    r.add(Method::get, "/api/v1/organisations/{ags}", ok);
    r.add(Method::put, "/api/v1/organisations/{ags}", ok);
    r.add(Method::get, "/api/v1/organisations/{ags}/members/{member}", ok);
    r.add(Method::get, "/orgs/new", ok);
    r.add(Method::post, "/orgs/{ags}", ok);
    r.add(Method::get, "/a/b/c", ok);
    r.add(Method::get, "/a/{x}/d", ok);
    r.add(Method::head, "/a/{x}/{y}", ok);
    return r;
  }();
  return router;
}

void check_match(Method method, std::string_view path) {
  const MatchResult result = routes().match(method, path);
  if (const auto* found = std::get_if<RouteMatch>(&result)) {
    FUZZ_CHECK(found->route != nullptr);
    FUZZ_CHECK(found->route->method == method ||
               (method == Method::head && found->route->method == Method::get));
    FUZZ_CHECK(found->params.size() == found->route->param_names.size());
    for (const auto& [name, value] : found->params)
      FUZZ_CHECK(!value.empty() && value.find('/') == std::string::npos);
  } else if (const auto* wrong = std::get_if<MethodNotAllowed>(&result)) {
    FUZZ_CHECK(!wrong->allowed.empty() && !wrong->allow_header().empty());
  }
  FUZZ_CHECK(routes().match(method, path).index() == result.index());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  constexpr Method methods[] = {Method::get,   Method::head, Method::post,    Method::put,
                                Method::patch, Method::del,  Method::options, Method::other};
  const Method method = methods[data[0] % std::size(methods)];
  const std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);
  check_match(method, path);
  if (auto target = parse_target(path)) check_match(method, target->path);
  return 0;
}
