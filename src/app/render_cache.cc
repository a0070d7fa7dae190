#include "app/render_cache.h"

#include <mutex>

#include "http/compression.h"
#include "http/cookies.h"

namespace ah::app {

RenderCache::RenderCache(RenderCacheOptions options)
    : options_(std::move(options)), routes_(options_.routes.begin(), options_.routes.end()) {}

std::optional<RenderCache::Ticket> RenderCache::lookup(const http::Request& request) const {
  if (request.method != http::Method::get || !routes_.contains(request.route)) return std::nullopt;
  // Credentials of any kind make the page personal (or may: a session of someone logged in).
  if (request.headers.has("Authorization")) return std::nullopt;
  for (const auto& [field, value] : request.headers.all()) {
    if (!http::iequals(field, "Cookie")) continue;
    for (const auto& [name, ignored] : http::parse_cookies(value))
      if (name != "lang") return std::nullopt;
  }
  Ticket ticket;
  ticket.key = request.lang + ' ' + request.target;
  // Read before rendering: a write that lands during the render makes the entry stale.
  ticket.generation = generation_.load(std::memory_order_acquire);
  const bool gzip = http::accepts_gzip(request.headers.get("Accept-Encoding"));
  std::shared_lock lock(mutex_);
  auto found = entries_.find(ticket.key);
  if (found != entries_.end() && found->second.generation == ticket.generation &&
      std::chrono::steady_clock::now() - found->second.stored_at < options_.ttl) {
    const auto& entry = found->second;
    ticket.hit = gzip && entry.gzipped ? *entry.gzipped : *entry.response;
  }
  return ticket;
}

void RenderCache::store(const Ticket& ticket, const http::Response& response) {
  if (response.status != 200 || response.headers.has("Set-Cookie") ||
      response.body.size() > options_.max_body_bytes)
    return;
  auto copy = std::make_shared<const http::Response>(response);
  std::shared_ptr<const http::Response> gzipped;
  if (auto twin = http::gzip_variant(response))
    gzipped = std::make_shared<const http::Response>(std::move(*twin));
  std::unique_lock lock(mutex_);
  if (entries_.size() >= options_.max_entries && !entries_.contains(ticket.key)) entries_.clear();
  entries_[ticket.key] = {std::move(copy), std::move(gzipped), ticket.generation,
                          std::chrono::steady_clock::now()};
}

std::size_t RenderCache::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace ah::app
