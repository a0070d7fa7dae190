#include "auth/rate_limit.h"

#include <string>

namespace ah::auth {

namespace {

// The start of the window containing `now`, rounding down also for times before 1970.
std::int64_t window_start_of(std::int64_t now, std::int64_t window_seconds) {
  std::int64_t offset = now % window_seconds;
  if (offset < 0) offset += window_seconds;
  return now - offset;
}

}  // namespace

Result<RateDecision> RateLimiter::check_and_count(std::string_view key, std::int64_t limit,
                                                  std::int64_t window_seconds, std::int64_t now) {
  if (key.empty()) return fail(ErrorCode::invalid_input, "rate_limit_key_empty");
  if (limit < 0) return fail(ErrorCode::invalid_input, "rate_limit_negative");
  if (window_seconds < 1) return fail(ErrorCode::invalid_input, "rate_limit_window_invalid");
  const std::int64_t start = window_start_of(now, window_seconds);
  AH_TRY(result, db_.query("INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)"
                           " ON CONFLICT (key, window_start)"
                           " DO UPDATE SET count = rate_limits.count + 1 RETURNING count",
                           {db::Value{std::string(key)}, db::Value{start}}));
  RateDecision decision;
  decision.count = result.rows.at(0).int64(0);
  decision.allowed = decision.count <= limit;
  if (!decision.allowed) decision.retry_after_seconds = start + window_seconds - now;
  return decision;
}

Result<std::int64_t> RateLimiter::purge(std::int64_t now, std::int64_t longest_window_seconds) {
  AH_TRY(result, db_.query("DELETE FROM rate_limits WHERE window_start < $1",
                           {db::Value{now - longest_window_seconds}}));
  return result.affected_rows;
}

}  // namespace ah::auth
