// Site: the request pipeline between the server and the modules' handlers.
//
// Static assets and cached anonymous pages are answered on the server's I/O thread
// (answer_at_once: no hand-off to a worker and back); everything else by `handle`.
// For every request, in this order: request id, language, static assets (/assets/...),
// routing (404/405), the render cache for anonymous pages (render_cache.h; a hit skips layers
// and handler), the modules' layers (session, CSRF), the handler (exceptions become a
// logged 500), then on the way out: the layers in reverse order,
// the language cookie, security headers, X-Request-Id, gzip, metrics and the access log.
// Refusals from the server (400/413/431) get the same treatment, so every response a
// client sees carries the same headers.
#pragma once

#include "app/render_cache.h"
#include "http/access_log.h"
#include "http/assets.h"
#include "http/layer.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/security_headers.h"
#include "http/server.h"
#include "web/view.h"

namespace ah::app {

class Site : public http::Dispatcher {
 public:
  Site(const http::Router& router, const http::AssetStore& assets, const web::View& view,
       http::Metrics& metrics, http::AccessLog& access_log, http::SecurityOptions security,
       std::vector<http::Layer*> layers = {}, RenderCache* cache = nullptr);

  std::size_t body_limit(http::Method method, std::string_view target) const override;
  http::Response handle(http::Request& request) noexcept override;
  // Static assets and cached anonymous pages (GET/HEAD), answered on the server's I/O
  // thread: neither renders nor touches the database. Anything else is nullopt and goes to
  // `handle` on a worker.
  std::optional<http::Response> answer_at_once(http::Request& request) noexcept override;
  http::Response refuse(int status, http::Request& request) noexcept override;

 private:
  // The steps before the handler: the target, static assets, routing (404/405), the render
  // cache. `answer` is set when one of them answered; otherwise `route` is the handler's
  // route (and `ticket` the cache's, to store the page). With `at_once` nothing is rendered:
  // only a served asset or a cached page answers, anything else leaves `answer` empty.
  struct Resolved {
    std::optional<http::Response> answer;
    const http::Route* route = nullptr;
    std::optional<RenderCache::Ticket> ticket;
  };
  Resolved resolve(http::Request& request, bool at_once);
  http::Response route(http::Request& request);
  void finish(http::Request& request, http::Response& response);

  const http::Router& router_;
  const http::AssetStore& assets_;
  const web::View& view_;
  http::Metrics& metrics_;
  http::AccessLog& access_log_;
  http::SecurityOptions security_;
  std::vector<http::Layer*> layers_;
  RenderCache* cache_;  // nullptr: every page is rendered
};

// A short random id for a request (also the X-Request-Id header).
std::string new_request_id();

}  // namespace ah::app
