// RateLimiter: fixed-window request counters in the database, so that every app node
// behind the load balancer counts against the same limit.
//
//   RateLimiter limiter(db);
//   AH_TRY(d, limiter.check_and_count("login:ip:" + ip, 10, 300, now));
//   if (!d.allowed) return too_many_requests(d.retry_after_seconds);  // Retry-After header
//
// Windows are aligned to multiples of window_seconds since the Unix epoch, so all nodes
// agree on them without coordination. A fixed window lets a client spend up to twice the
// limit around a window boundary; that is acceptable for brute-force and spam limits and
// costs one row per key and window instead of one per request.
//
// Every call counts, refused ones included: a client that keeps hammering stays refused
// until its window ends. The count is one atomic statement (INSERT … ON CONFLICT DO UPDATE
// … RETURNING, SQLite ≥ 3.35 and PostgreSQL), so concurrent calls from any number of
// threads and nodes are counted exactly and at most `limit` of them are allowed per window.
//
// Keys are the caller's, e.g. "login:ip:192.0.2.1" or "register:account:42"; prefix them
// with the action so limits do not mix. Thread-safe as far as the Database is.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "base/error.h"
#include "db/database.h"

namespace ah::auth {

// A limit: at most `count` calls a window of `window_seconds`.
struct RateLimit {
  std::int64_t count = 0;
  std::int64_t window_seconds = 0;
};

// Every limit augenhoehe applies, in one place, because purging needs the longest window
// (a shorter one would delete counters still in use) and docs/OPERATIONS.md lists them all.
// A new limit goes here and into `all`.
//
// Per account (the key holds the email address) against guessing one account's password
// and flooding one mailbox; per client (the key holds http::client_network of the client
// address) against one client trying many accounts, higher because several people may
// share an address (an office, a school, carrier-grade NAT).
namespace limits {
inline constexpr RateLimit kLoginPerAccount{10, 15 * 60};
inline constexpr RateLimit kLoginPerClient{30, 15 * 60};
inline constexpr RateLimit kRegisterPerAccount{5, 60 * 60};
inline constexpr RateLimit kRegisterPerClient{20, 60 * 60};
inline constexpr RateLimit kResetPerAccount{5, 60 * 60};
inline constexpr RateLimit kResetPerClient{20, 60 * 60};
inline constexpr RateLimit kEmailChangePerAccount{5, 60 * 60};
inline constexpr RateLimit kApiTokenPerAccount{20, 60 * 60};
// Reports of contributions (moderation): anonymous ones count per client, signed-in ones
// per account (the key holds the account id).
inline constexpr RateLimit kReportPerAccount{30, 60 * 60};
inline constexpr RateLimit kReportPerClient{10, 60 * 60};
inline constexpr RateLimit kAll[] = {
    kLoginPerAccount,  kLoginPerClient, kRegisterPerAccount,    kRegisterPerClient,
    kResetPerAccount,  kResetPerClient, kEmailChangePerAccount, kApiTokenPerAccount,
    kReportPerAccount, kReportPerClient};
// What RateLimiter::purge is given.
inline constexpr std::int64_t kLongestWindowSeconds =
    std::max_element(std::begin(kAll), std::end(kAll), [](const RateLimit& a, const RateLimit& b) {
      return a.window_seconds < b.window_seconds;
    })->window_seconds;
}  // namespace limits

struct RateDecision {
  bool allowed = false;
  // Seconds until the current window ends and the key may try again; 0 when allowed.
  std::int64_t retry_after_seconds = 0;
  // Calls counted in the current window, this one included.
  std::int64_t count = 0;
};

class RateLimiter {
 public:
  explicit RateLimiter(db::Database& db) : db_(db) {}

  // Counts one call for `key` in the window of `window_seconds` that contains `now` (unix
  // seconds) and allows it if the count is at most `limit`. invalid_input for an empty
  // key, a negative limit or a window of less than one second (programming errors the
  // caller should see in tests rather than have silently allowed).
  Result<RateDecision> check_and_count(std::string_view key, std::int64_t limit,
                                       std::int64_t window_seconds, std::int64_t now);

  // Deletes windows that started before `now - longest_window_seconds`, i.e. every window
  // that has certainly ended when no limit uses a longer one. Returns how many.
  Result<std::int64_t> purge(std::int64_t now, std::int64_t longest_window_seconds);

 private:
  db::Database& db_;
};

}  // namespace ah::auth
