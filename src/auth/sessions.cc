#include "auth/sessions.h"

#include "auth/tokens.h"

namespace ah::auth {

namespace {

// The columns session_from_row reads, in its order.
constexpr std::string_view kColumns =
    "id, account_id, csrf_token, created_at, last_seen_at, expires_at, data";

Session session_from_row(const db::Row& row) {
  Session s;
  s.id = row.int64(0);
  if (!row.is_null(1)) s.account_id = row.int64(1);
  s.csrf_token = row.text(2);
  s.created_at = row.int64(3);
  s.last_seen_at = row.int64(4);
  s.expires_at = row.int64(5);
  if (!row.is_null(6)) s.data = row.text(6);
  return s;
}

db::Value optional_int(std::optional<std::int64_t> v) {
  return v ? db::Value{*v} : db::Value{nullptr};
}

}  // namespace

std::int64_t SessionStore::idle_cutoff(std::int64_t now) const {
  return now - policy_.idle_timeout.count();
}

Result<NewSession> SessionStore::create(std::optional<std::int64_t> account_id, std::int64_t now) {
  NewSession out;
  out.token = random_token();
  const std::string sql = "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at,"
                          " last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5) RETURNING " +
                          std::string(kColumns);
  AH_TRY(result, db_.query(sql, {db::Value{token_hash(out.token)}, optional_int(account_id),
                                 db::Value{random_token()}, db::Value{now},
                                 db::Value{now + policy_.absolute_timeout.count()}}));
  out.session = session_from_row(result.rows.at(0));
  return out;
}

Result<std::vector<Session>> SessionStore::list_for(std::int64_t account_id, std::int64_t now) {
  std::string sql("SELECT ");
  sql += kColumns;
  sql += " FROM sessions WHERE account_id = $1 AND expires_at > $2 AND last_seen_at > $3 ORDER BY id";
  AH_TRY(result, db_.query(sql, {db::Value{account_id}, db::Value{now}, db::Value{idle_cutoff(now)}}));
  std::vector<Session> out;
  for (const auto& row : result.rows) out.push_back(session_from_row(row));
  return out;
}

Result<std::optional<Session>> SessionStore::find(std::string_view token, std::int64_t now) {
  if (token.empty()) return std::optional<Session>();
  const std::string sql = "SELECT " + std::string(kColumns) +
                          " FROM sessions WHERE token_hash = $1 AND expires_at > $2"
                          " AND last_seen_at > $3";
  AH_TRY(result, db_.query(sql, {db::Value{token_hash(token)}, db::Value{now},
                                 db::Value{idle_cutoff(now)}}));
  if (result.rows.empty()) return std::optional<Session>();
  Session session = session_from_row(result.rows[0]);
  if (now - session.last_seen_at >= policy_.touch_interval.count()) {
    // The condition keeps a slower concurrent request from moving last_seen_at back.
    AH_TRY_STATUS(db_.query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1",
                            {db::Value{now}, db::Value{session.id}}));
    session.last_seen_at = now;
  }
  return std::optional<Session>(std::move(session));
}

Result<NewSession> SessionStore::replace_token(std::string_view token, std::int64_t now,
                                               std::optional<std::int64_t> new_account) {
  if (token.empty()) return fail(ErrorCode::not_found, "session_not_found");
  NewSession out;
  out.token = random_token();
  // One statement, matched on the old hash: of two concurrent rotations of one token only
  // the first finds the row, and the old token is dead the moment it commits.
  std::string sql = "UPDATE sessions SET token_hash = $1, csrf_token = $2, last_seen_at = $3";
  std::vector<db::Value> params{db::Value{token_hash(out.token)}, db::Value{random_token()},
                                db::Value{now}, db::Value{token_hash(token)},
                                db::Value{idle_cutoff(now)}};
  if (new_account) {
    params.push_back(db::Value{*new_account});
    params.push_back(db::Value{now + policy_.absolute_timeout.count()});
    sql += ", account_id = $6, created_at = $3, expires_at = $7";
  }
  sql += " WHERE token_hash = $4 AND expires_at > $3 AND last_seen_at > $5 RETURNING " +
         std::string(kColumns);
  AH_TRY(result, db_.query(sql, params));
  if (result.rows.empty()) return fail(ErrorCode::not_found, "session_not_found");
  out.session = session_from_row(result.rows[0]);
  return out;
}

Result<NewSession> SessionStore::rotate(std::string_view token, std::int64_t now) {
  return replace_token(token, now, std::nullopt);
}

Result<NewSession> SessionStore::log_in(std::string_view token, std::int64_t account_id,
                                        std::int64_t now) {
  return replace_token(token, now, account_id);
}

Status SessionStore::set_data(std::int64_t session_id, std::optional<std::string> data) {
  AH_TRY(result, db_.query("UPDATE sessions SET data = $1 WHERE id = $2",
                           {data ? db::Value{std::move(*data)} : db::Value{nullptr},
                            db::Value{session_id}}));
  if (result.affected_rows == 0) return fail(ErrorCode::not_found, "session_not_found");
  return {};
}

Status SessionStore::destroy(std::string_view token) {
  if (token.empty()) return {};
  AH_TRY_STATUS(db_.query("DELETE FROM sessions WHERE token_hash = $1", {db::Value{token_hash(token)}}));
  return {};
}

Result<std::int64_t> SessionStore::destroy_all_for(std::int64_t account_id,
                                                   std::string_view keep_token) {
  // An empty keep_token hashes to a value no stored token has, so nothing is kept.
  AH_TRY(result, db_.query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2",
                           {db::Value{account_id},
                            db::Value{keep_token.empty() ? std::string() : token_hash(keep_token)}}));
  return result.affected_rows;
}

Result<std::int64_t> SessionStore::purge_expired(std::int64_t now) {
  AH_TRY(result, db_.query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
                           {db::Value{now}, db::Value{idle_cutoff(now)}}));
  return result.affected_rows;
}

}  // namespace ah::auth
