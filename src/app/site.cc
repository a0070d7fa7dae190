#include "app/site.h"

#include <spdlog/spdlog.h>

#include <random>

#include "auth/csrf.h"
#include "http/compression.h"
#include "http/cookies.h"
#include "http/url.h"
#include "web/errors.h"

namespace ah::app {

std::string new_request_id() {
  // Not a secret: it only has to be unique enough to find one request in the log.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  std::uint64_t bits = rng();
  std::string id(12, ' ');
  for (char& c : id) {
    c = alphabet[bits % 32];
    bits /= 32;
  }
  return id;
}

Site::Site(const http::Router& router, const http::AssetStore& assets, const web::View& view,
           http::Metrics& metrics, http::AccessLog& access_log, http::SecurityOptions security,
           std::vector<http::Layer*> layers, RenderCache* cache)
    : router_(router),
      assets_(assets),
      view_(view),
      metrics_(metrics),
      access_log_(access_log),
      security_(security),
      layers_(std::move(layers)),
      cache_(cache) {}

std::size_t Site::body_limit(http::Method method, std::string_view target) const {
  auto parsed = http::parse_target(target);
  if (!parsed) return http::default_body_limit;  // answered with 400 after the read
  auto match = router_.match(method, parsed->path);
  if (auto* found = std::get_if<http::RouteMatch>(&match)) return found->route->body_limit;
  return http::default_body_limit;
}

Site::Resolved Site::resolve(http::Request& request, bool at_once) {
  Resolved out;
  auto parsed = http::parse_target(request.target);
  if (!parsed) {
    if (at_once) return out;
    request.route = "invalid";
    out.answer = web::error_response(view_, request, 400, parsed.error().message);
    return out;
  }
  request.path = std::move(parsed->path);
  request.query = std::move(parsed->query);

  if (request.path.starts_with("/assets/")) {
    request.route = "/assets/{file}";
    if (request.method != http::Method::get && request.method != http::Method::head) {
      if (at_once) return out;
      out.answer = web::error_response(view_, request, 405);
      out.answer->headers.set("Allow", "GET, HEAD");
      return out;
    }
    out.answer = assets_.serve(request);
    if (!out.answer && !at_once) out.answer = web::error_response(view_, request, 404);
    return out;
  }

  auto match = router_.match(request.method, request.path);
  if (std::holds_alternative<http::NotFound>(match)) {
    if (at_once) return out;
    request.route = "unmatched";
    out.answer = web::error_response(view_, request, 404);
    return out;
  }
  if (auto* not_allowed = std::get_if<http::MethodNotAllowed>(&match)) {
    if (at_once) return out;
    request.route = "unmatched";
    out.answer = web::error_response(view_, request, 405);
    out.answer->headers.set("Allow", not_allowed->allow_header());
    return out;
  }
  auto& found = std::get<http::RouteMatch>(match);
  request.route = found.route->pattern;
  request.path_params = std::move(found.params);
  out.route = found.route;
  if (cache_) {
    out.ticket = cache_->lookup(request);
    if (out.ticket && out.ticket->hit) out.answer = std::move(out.ticket->hit);
  }
  return out;
}

http::Response Site::route(http::Request& request) {
  auto resolved = resolve(request, /*at_once=*/false);
  if (resolved.answer) return std::move(*resolved.answer);

  // The layers wrap the handler: a request that reaches no handler needs no session check.
  std::size_t entered = 0;  // layers whose before() ran, so their after() runs too
  std::optional<http::Response> response;
  for (; entered < layers_.size() && !response; ++entered) response = layers_[entered]->before(request);
  if (!response) response = resolved.route->handler(request);
  for (std::size_t i = entered; i-- > 0;) layers_[i]->after(request, *response);
  if (resolved.ticket) cache_->store(*resolved.ticket, *response);
  return std::move(*response);
}

std::optional<http::Response> Site::answer_at_once(http::Request& request) noexcept {
  if (request.method != http::Method::get && request.method != http::Method::head)
    return std::nullopt;
  try {
    request.lang = view_.catalog().negotiate(request);
    auto resolved = resolve(request, /*at_once=*/true);
    if (!resolved.answer) return std::nullopt;
    request.request_id = new_request_id();
    finish(request, *resolved.answer);
    return std::move(resolved.answer);
  } catch (const std::exception& e) {
    // Nothing was answered: the worker takes the request from the start.
    spdlog::warn("answering {} at once failed: {}", request.target, e.what());
    return std::nullopt;
  }
}

http::Response Site::handle(http::Request& request) noexcept {
  request.request_id = new_request_id();
  http::Response response;
  try {
    request.lang = view_.catalog().negotiate(request);
    response = route(request);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} failed: {}", request.request_id, request.route, e.what());
    try {
      response = web::error_response(view_, request, 500);
    } catch (...) {
      response = http::Response::text("500 Internal Server Error", 500);
    }
  }
  // After the handler (and its commit): pages rendered from here on see the change.
  if (cache_ && auth::is_unsafe_method(http::to_string(request.method))) cache_->written();
  finish(request, response);
  return response;
}

http::Response Site::refuse(int status, http::Request& request) noexcept {
  request.request_id = new_request_id();
  request.route = "refused";
  http::Response response;
  try {
    request.lang = view_.catalog().negotiate(request);
    response = web::error_response(view_, request, status);
  } catch (...) {
    response = http::Response::text(std::string(http::reason(status)), status);
  }
  finish(request, response);
  return response;
}

void Site::finish(http::Request& request, http::Response& response) {
  try {
    // Remember an explicit language choice (?lang=en) for the next pages.
    if (auto query = http::parse_query(request.query); query && query->has("lang") &&
                                                       query->get("lang") == request.lang) {
      auto cookie = http::build_set_cookie({.name = "lang",
                                            .value = request.lang,
                                            .max_age = std::chrono::seconds(365 * 24 * 3600),
                                            .http_only = true,
                                            .secure = security_.https});
      if (cookie) response.headers.add("Set-Cookie", *cookie);
    }
    http::apply_security_headers(response, security_);
    response.headers.set("X-Request-Id", request.request_id);
    // Also for HEAD: its header fields must match GET's (the server drops the body).
    http::maybe_gzip(request, response);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                   request.received_at)
                         .count();
    metrics_.observe(request.route, request.method, response.status, seconds);
    access_log_.write(request, response, seconds);
  } catch (const std::exception& e) {
    spdlog::error("finishing request {} failed: {}", request.request_id, e.what());
  }
}

}  // namespace ah::app
