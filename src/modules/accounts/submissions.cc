#include "modules/accounts/submissions.h"

#include "auth/tokens.h"

namespace ah::modules::accounts {

using db::Value;

namespace {

// Keys come from our own forms; anything longer is not one of them.
constexpr std::size_t kMaxKey = 64;

}  // namespace

std::string Submissions::new_key() { return auth::random_token(16); }

Result<std::optional<std::string>> Submissions::claim(std::int64_t account, std::string_view key,
                                                      std::int64_t now) {
  if (key.empty() || key.size() > kMaxKey || account == 0) return std::optional<std::string>{};
  AH_TRY(inserted, db_.query("INSERT INTO form_submissions (account_id, once_key, location,"
                             " created_at) VALUES ($1, $2, '', $3)"
                             " ON CONFLICT (account_id, once_key) DO NOTHING",
                             {Value{account}, Value{std::string(key)}, Value{now}}));
  if (inserted.affected_rows == 1) return std::optional<std::string>{};
  AH_TRY(rs, db_.query("SELECT location FROM form_submissions WHERE account_id = $1"
                       " AND once_key = $2",
                       {Value{account}, Value{std::string(key)}}));
  // Released between the two statements: treat as new; the caller's create is the only one.
  if (rs.rows.empty()) return claim(account, key, now);
  if (rs.rows[0].text(0).empty())
    return fail(ErrorCode::conflict, "accounts_error_submission_in_progress");
  return std::optional<std::string>{rs.rows[0].text(0)};
}

Status Submissions::complete(std::int64_t account, std::string_view key,
                             const std::string& location) {
  if (key.empty() || key.size() > kMaxKey || account == 0) return {};
  AH_TRY_STATUS(db_.query("UPDATE form_submissions SET location = $3 WHERE account_id = $1"
                          " AND once_key = $2",
                          {Value{account}, Value{std::string(key)}, Value{location}}));
  return {};
}

Status Submissions::release(std::int64_t account, std::string_view key) {
  if (key.empty() || key.size() > kMaxKey || account == 0) return {};
  AH_TRY_STATUS(db_.query("DELETE FROM form_submissions WHERE account_id = $1 AND once_key = $2",
                          {Value{account}, Value{std::string(key)}}));
  return {};
}

Result<std::int64_t> Submissions::purge(std::int64_t before) {
  AH_TRY(rs, db_.query("DELETE FROM form_submissions WHERE created_at < $1", {Value{before}}));
  return static_cast<std::int64_t>(rs.affected_rows);
}

}  // namespace ah::modules::accounts
