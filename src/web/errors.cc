#include "web/errors.h"

#include <nlohmann/json.hpp>

namespace ah::web {

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input: return 400;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::too_large: return 413;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

http::Response error_response(const View& view, const http::Request& request, int status,
                              std::string_view detail) {
  const Catalog& catalog = view.catalog();
  std::string key = "error_" + std::to_string(status);
  if (!catalog.has(request.lang, key + "_title")) key = status < 500 ? "error_400" : "error_500";
  const std::string& title = catalog.text(request.lang, key + "_title");
  std::string message = detail.empty() ? catalog.text(request.lang, key + "_message")
                                       : std::string(detail);
  http::Response response;
  if (request.is_api()) {
    nlohmann::json problem = {{"type", "about:blank"},
                              {"title", title},
                              {"status", status},
                              {"detail", message},
                              {"request_id", request.request_id}};
    response = http::Response::json(
        problem.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
    response.headers.set("Content-Type", "application/problem+json");
  } else {
    Data page{Data::type::object};
    page.set("title", title);
    page.set("status", std::to_string(status));
    page.set("error_title", title);
    page.set("error_message", message);
    page.set("request_id", request.request_id);
    response = http::Response::html(view.render("error", page, request), status);
  }
  response.headers.set("Cache-Control", "no-store");
  return response;
}

http::Response error_response(const View& view, const http::Request& request, const Error& error) {
  int status = status_for(error.code);
  return error_response(view, request, status, status >= 500 ? std::string_view{} : error.message);
}

}  // namespace ah::web
