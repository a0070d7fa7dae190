// RenderCache: finished pages for anonymous visitors, kept in memory and served again until
// anything is written (issue 6: "a render cache for anonymous pages invalidated by writes").
//
// Site asks it for GET requests of the routes named in RenderCacheOptions::routes that carry
// no credentials (no Authorization header, no cookie but "lang"): such a request sees what
// every anonymous visitor sees, a function of the URL, the language and the stored data.
// Only 200 answers without Set-Cookie are kept, each with its gzip twin compressed once
// when stored (http::gzip_variant): a hit for a client that accepts gzip is the twin, so a
// page is not compressed again for every browser that asks.
//
// Invalidation is by generation: every unsafe request (POST, PUT, PATCH, DELETE) bumps it
// when it has been handled, so its commit is visible before the bump; an entry remembers the
// generation read *before* its page was rendered, and only an entry of the current
// generation is served. A page rendered while a write ran is therefore never served after
// that write. Changes that do not pass through this server's requests (another node, the
// CLI, time passing a phase boundary) are bounded by `ttl`.
//
//   RenderCache cache({.routes = {"/beteiligung/{id}"}});
//   auto ticket = cache.lookup(request);     // nullopt: not cacheable
//   if (ticket && ticket->hit) return *ticket->hit;
//   ... render ...; if (ticket) cache.store(*ticket, response);
//   if (is_unsafe(request.method)) cache.written();
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/message.h"

namespace ah::app {

struct RenderCacheOptions {
  std::vector<std::string> routes;  // route patterns whose anonymous GETs may be cached
  std::chrono::milliseconds ttl{2000};
  // When full, the cache starts over (simple and bounded; hot pages come back at once).
  std::size_t max_entries = 20'000;
  std::size_t max_body_bytes = 1 << 20;  // larger pages are not kept
};

class RenderCache {
 public:
  explicit RenderCache(RenderCacheOptions options);

  struct Ticket {
    std::string key;
    std::uint64_t generation = 0;
    // A copy of the cached page, when there was one (its gzip twin for a client that
    // accepts gzip).
    std::optional<http::Response> hit;
  };
  // For a request whose route is already matched (request.route, request.lang set):
  // nullopt when it may not be cached; otherwise its key and the current generation, with
  // the cached response if one of this generation and younger than ttl exists.
  std::optional<Ticket> lookup(const http::Request& request) const;
  // Keeps `response` under the ticket if it is cacheable (200, no Set-Cookie, small enough).
  void store(const Ticket& ticket, const http::Response& response);
  // Something may have changed: no entry rendered before now is served again.
  void written() { generation_.fetch_add(1, std::memory_order_acq_rel); }

  std::size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const http::Response> response;
    std::shared_ptr<const http::Response> gzipped;  // null when not worth compressing
    std::uint64_t generation;
    std::chrono::steady_clock::time_point stored_at;
  };
  const RenderCacheOptions options_;
  const std::unordered_set<std::string> routes_;
  std::atomic<std::uint64_t> generation_{1};
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace ah::app
