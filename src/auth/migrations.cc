#include "auth/migrations.h"

namespace ah::auth {

std::vector<db::Migration> auth_migrations() {
  return {
      // expires_at is the absolute end; the idle end is last_seen_at + the policy's idle
      // timeout, computed at read time so a policy change applies to existing sessions.
      // The indexes serve destroy_all_for() and purge_expired().
      {2000, "auth_sessions",
       "CREATE TABLE sessions ("
       " id {{id}},"
       " token_hash TEXT NOT NULL UNIQUE,"
       " account_id BIGINT NULL,"
       " csrf_token TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " last_seen_at BIGINT NOT NULL,"
       " expires_at BIGINT NOT NULL,"
       " data TEXT);"
       "CREATE INDEX sessions_account ON sessions (account_id);"
       "CREATE INDEX sessions_expires ON sessions (expires_at);"
       "CREATE INDEX sessions_last_seen ON sessions (last_seen_at);"},
      // One row per key and fixed window; the index serves purge().
      {2001, "auth_rate_limits",
       "CREATE TABLE rate_limits ("
       " key TEXT NOT NULL,"
       " window_start BIGINT NOT NULL,"
       " count BIGINT NOT NULL,"
       " PRIMARY KEY (key, window_start));"
       "CREATE INDEX rate_limits_window ON rate_limits (window_start);"},
      {2002, "auth_api_tokens",
       "CREATE TABLE api_tokens ("
       " id {{id}},"
       " account_id BIGINT NOT NULL,"
       " name TEXT NOT NULL,"
       " token_hash TEXT NOT NULL UNIQUE,"
       " scopes TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " last_used_at BIGINT NULL,"
       " revoked_at BIGINT NULL);"
       "CREATE INDEX api_tokens_account ON api_tokens (account_id, id);"},
  };
}

}  // namespace ah::auth
