// Layer: code that every request passes through on its way to and from the handler, such
// as the session and CSRF check of the accounts module. Modules contribute layers through
// web::Module::layers(); Site runs them in module order once a route is found (a 404 or
// 405 reaches no layer) and in reverse order on the response.
//
//   class SessionLayer : public http::Layer {
//     std::optional<Response> before(Request& r) override {
//       if (unsafe(r) && !csrf_ok(r)) return forbidden(r);   // ends the request
//       return std::nullopt;                                  // carry on
//     }
//   };
#pragma once

#include <optional>

#include "http/message.h"

namespace ah::http {

class Layer {
 public:
  virtual ~Layer() = default;
  // Runs before the handler (the route is known: request.route, path_params). A response
  // ends the request there; after() still runs on it. Must be thread-safe.
  virtual std::optional<Response> before(Request& request) = 0;
  // Runs on every response to a request whose before() ran, e.g. to set a cookie.
  virtual void after(const Request& /*request*/, Response& /*response*/) {}
};

}  // namespace ah::http
