// SessionStore: server-side sessions in the database, shared by every app node.
//
// The client holds only a random token (the cookie value); the row holds BLAKE2b(token)
// (see tokens.h), so neither a database dump nor a log line that shows the row lets
// anyone take a session over. Every visitor who is shown a form gets a session — an
// anonymous one (account_id NULL) before login — because the CSRF token lives in it
// (see csrf.h). Logging in rotates the session (log_in), so a token planted in a victim's
// browser before login is worthless afterwards (session fixation).
//
//   SessionStore sessions(db, SessionPolicy{});
//   AH_TRY(fresh, sessions.create(std::nullopt, now));  // Set-Cookie: fresh.token
//   AH_TRY(found, sessions.find(cookie, now));           // per request; nullopt = none
//   AH_TRY(login, sessions.log_in(cookie, account_id, now));  // new cookie + CSRF token
//
// Time is a parameter (`now`, unix seconds) of every operation, so tests control it.
// Expiry: a session ends `idle_timeout` after it was last seen or `absolute_timeout` after
// it was created (or logged in), whichever comes first. last_seen_at is written at most
// once per `touch_interval`, to spare a write per request; the idle end may therefore come
// up to touch_interval early, never late.
//
// Thread-safe as far as the Database is: one SessionStore may serve every thread.
// Errors: those of db::Database (unavailable, internal) and the ones named per method.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/database.h"

namespace ah::auth {

struct SessionPolicy {
  // 2 h idle suits a citizen writing a longer contribution without losing it to a
  // timeout; 12 h absolute bounds a stolen cookie's life to about one working day.
  std::chrono::seconds idle_timeout = std::chrono::hours(2);
  std::chrono::seconds absolute_timeout = std::chrono::hours(12);
  std::chrono::seconds touch_interval = std::chrono::minutes(1);
};

struct Session {
  std::int64_t id = 0;
  std::optional<std::int64_t> account_id;  // nullopt: anonymous (not logged in)
  std::string csrf_token;                  // to embed in forms; see csrf.h
  std::int64_t created_at = 0;             // unix seconds; reset by log_in
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;             // absolute end
  std::optional<std::string> data;         // free text for the caller (e.g. JSON)
};

// What create/rotate/log_in return: the token goes into the cookie and is never stored.
struct NewSession {
  std::string token;
  Session session;  // session.csrf_token is new as well
};

class SessionStore {
 public:
  explicit SessionStore(db::Database& db, SessionPolicy policy = {}) : db_(db), policy_(policy) {}

  const SessionPolicy& policy() const { return policy_; }

  // A new session for `account_id` (nullopt: anonymous), created at `now`.
  Result<NewSession> create(std::optional<std::int64_t> account_id, std::int64_t now);

  // The live session the token belongs to; nullopt for an unknown, empty, idle-expired or
  // absolutely expired token (the row of an expired one stays until purge_expired). Moves
  // last_seen_at to `now` when the stored value is touch_interval or more behind.
  Result<std::optional<Session>> find(std::string_view token, std::int64_t now);

  // Replaces the token and CSRF token of the live session `token`; the old token stops
  // working at once. Account, data and expiry stay. not_found if `token` is not live.
  // Use it whenever privileges change without a login (e.g. after a password change).
  Result<NewSession> rotate(std::string_view token, std::int64_t now);

  // Login: rotates like rotate(), binds the session to `account_id` and starts a new
  // absolute lifetime at `now`. not_found if `token` is not live (the caller then creates
  // a new session, having checked the CSRF token of the login form first).
  Result<NewSession> log_in(std::string_view token, std::int64_t account_id, std::int64_t now);

  // Replaces the session's data (nullopt clears it). not_found for an unknown id.
  Status set_data(std::int64_t session_id, std::optional<std::string> data);

  // Logout. Unknown tokens are not an error: the outcome, no session, is the same.
  Status destroy(std::string_view token);

  // Ends every session of the account (password reset, account erasure, "log out
  // everywhere"), except the one of `keep_token` if given (the user's current one).
  // Returns how many ended.
  Result<std::int64_t> destroy_all_for(std::int64_t account_id, std::string_view keep_token = {});

  // The live sessions of an account at `now`, oldest first (for the person's data export;
  // Session holds no token).
  Result<std::vector<Session>> list_for(std::int64_t account_id, std::int64_t now);

  // Deletes the rows of sessions that have ended by `now`; returns how many. For a
  // periodic job: find() already ignores them.
  Result<std::int64_t> purge_expired(std::int64_t now);

 private:
  Result<NewSession> replace_token(std::string_view token, std::int64_t now,
                                   std::optional<std::int64_t> new_account);
  // The earliest last_seen_at that is still not idle at `now`.
  std::int64_t idle_cutoff(std::int64_t now) const;

  db::Database& db_;
  SessionPolicy policy_;
};

}  // namespace ah::auth
