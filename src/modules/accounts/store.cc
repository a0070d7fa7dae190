#include "modules/accounts/store.h"

#include "auth/passwords.h"
#include "auth/tokens.h"

namespace ah::modules::accounts {

namespace {

constexpr std::string_view kAccountColumns =
    "SELECT id, email, display_name, password_hash, email_verified_at, created_at FROM accounts";

Account from_row(const db::Row& row) {
  Account a;
  a.id = row.int64(0);
  a.email = row.text(1);
  a.display_name = row.text(2);
  a.password_hash = row.text(3);
  if (!row.is_null(4)) a.email_verified_at = row.int64(4);
  a.created_at = row.int64(5);
  return a;
}

// Marks every unused mail token of account $2 used at $1.
constexpr std::string_view kVoidTokens =
    "UPDATE account_tokens SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL";

std::string_view purpose_name(TokenPurpose purpose) {
  switch (purpose) {
    case TokenPurpose::verify_email: return "verify_email";
    case TokenPurpose::reset_password: return "reset_password";
    case TokenPurpose::change_email:
      return "change_email";
  }
  return "verify_email";
}

}  // namespace

std::vector<db::Migration> account_migrations() {
  return {
      {3000, "accounts",
       "CREATE TABLE accounts ("
       " id {{id}},"
       " email TEXT NOT NULL UNIQUE,"
       " display_name TEXT NOT NULL,"
       " password_hash TEXT NOT NULL,"
       " email_verified_at BIGINT,"
       " created_at BIGINT NOT NULL);"
       "CREATE TABLE account_tokens ("
       " id {{id}},"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " purpose TEXT NOT NULL,"
       " token_hash TEXT NOT NULL UNIQUE,"
       " expires_at BIGINT NOT NULL,"
       " used_at BIGINT);"
       "CREATE INDEX account_tokens_by_account ON account_tokens (account_id);"},
      {3001, "account_tokens.new_email (change of email address)",
       "ALTER TABLE account_tokens ADD COLUMN new_email TEXT;"},
      // One-time keys of forms that create something (submissions.h).
      {3002, "form_submissions",
       "CREATE TABLE form_submissions ("
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " once_key TEXT NOT NULL,"
       " location TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " PRIMARY KEY (account_id, once_key));"
       "CREATE INDEX form_submissions_age ON form_submissions (created_at);"},
  };
}

Result<std::string> normalise_email(std::string_view email) {
  std::string out;
  for (char c : email) {
    unsigned char u = static_cast<unsigned char>(c);
    out += static_cast<char>(u < 0x80 ? std::tolower(u) : u);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(0, 1);
  auto invalid = [] { return fail(ErrorCode::invalid_input, "email_invalid"); };
  if (out.size() < 3 || out.size() > 254) return invalid();
  for (unsigned char c : out)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') return invalid();
  auto at = out.find('@');
  if (at == std::string::npos || at == 0 || out.find('@', at + 1) != std::string::npos) return invalid();
  auto domain = std::string_view(out).substr(at + 1);
  auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size() ||
      domain.find("..") != std::string_view::npos)
    return invalid();
  return out;
}

Result<std::int64_t> AccountStore::create(const std::string& email, const std::string& display_name,
                                          const std::string& password_hash, std::int64_t now) {
  auto created = db_.query(
      "INSERT INTO accounts (email, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4)"
      " RETURNING id",
      {db::Value{email}, db::Value{display_name}, db::Value{password_hash}, db::Value{now}});
  if (!created) {
    if (created.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "email_taken", created.error().detail);
    return std::unexpected(created.error());
  }
  return created->rows.at(0).int64(0);
}

Result<std::optional<Account>> AccountStore::find_by_email(const std::string& email) {
  std::string sql(kAccountColumns);
  sql += " WHERE email = $1";
  AH_TRY(result, db_.query(sql, {db::Value{email}}));
  if (result.rows.empty()) return std::optional<Account>{};
  return std::optional<Account>{from_row(result.rows[0])};
}

Result<std::optional<Account>> AccountStore::find(std::int64_t id) {
  std::string sql(kAccountColumns);
  sql += " WHERE id = $1";
  AH_TRY(result, db_.query(sql, {db::Value{id}}));
  if (result.rows.empty()) return std::optional<Account>{};
  return std::optional<Account>{from_row(result.rows[0])};
}

Status AccountStore::set_password_hash(std::int64_t id, const std::string& password_hash) {
  AH_TRY(result, db_.query("UPDATE accounts SET password_hash = $1 WHERE id = $2",
                           {db::Value{password_hash}, db::Value{id}}));
  if (result.affected_rows != 1) return fail(ErrorCode::not_found, "account not found");
  return {};
}

Result<std::string> AccountStore::issue_token(std::int64_t account_id, TokenPurpose purpose,
                                              std::int64_t now, std::int64_t ttl_seconds,
                                              const std::optional<std::string>& new_email) {
  std::string token = auth::random_token();
  AH_TRY(stored,
         db_.query(
             "INSERT INTO account_tokens (account_id, purpose, token_hash, expires_at, new_email)"
             " VALUES ($1, $2, $3, $4, $5)",
             {db::Value{account_id}, db::Value{std::string(purpose_name(purpose))},
              db::Value{auth::token_hash(token)}, db::Value{now + ttl_seconds},
              new_email ? db::Value{*new_email} : db::Value{nullptr}}));
  (void)stored;
  return token;
}

Result<std::int64_t> AccountStore::consume_token(std::string_view token, TokenPurpose purpose,
                                                 std::int64_t now) {
  // One statement: two concurrent uses of the same token cannot both succeed.
  AH_TRY(result, db_.query("UPDATE account_tokens SET used_at = $1"
                           " WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL"
                           " AND expires_at > $1 RETURNING account_id",
                           {db::Value{now}, db::Value{auth::token_hash(token)},
                            db::Value{std::string(purpose_name(purpose))}}));
  if (result.rows.empty()) return fail(ErrorCode::not_found, "token_invalid");
  return result.rows[0].int64(0);
}

Status AccountStore::erase(std::int64_t account_id) {
  // account_tokens go with it (ON DELETE CASCADE).
  AH_TRY(result, db_.query("DELETE FROM accounts WHERE id = $1", {db::Value{account_id}}));
  if (result.affected_rows != 1) return fail(ErrorCode::not_found, "account not found");
  return {};
}

Result<bool> AccountStore::token_usable(std::string_view token, TokenPurpose purpose, std::int64_t now) {
  AH_TRY(result, db_.query("SELECT 1 FROM account_tokens WHERE token_hash = $1 AND purpose = $2"
                           " AND used_at IS NULL AND expires_at > $3",
                           {db::Value{auth::token_hash(token)}, db::Value{std::string(purpose_name(purpose))},
                            db::Value{now}}));
  return !result.rows.empty();
}

Result<std::optional<std::string>> AccountStore::pending_email(std::string_view token,
                                                               std::int64_t now) {
  AH_TRY(result,
         db_.query(
             "SELECT new_email FROM account_tokens WHERE token_hash = $1 AND purpose = $2"
             " AND used_at IS NULL AND expires_at > $3 AND new_email IS NOT NULL",
             {db::Value{auth::token_hash(token)},
              db::Value{std::string(purpose_name(TokenPurpose::change_email))}, db::Value{now}}));
  if (result.rows.empty()) return std::optional<std::string>{};
  return std::optional<std::string>{result.rows[0].text(0)};
}

Result<std::int64_t> AccountStore::change_email(std::string_view token, std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    // One statement: two concurrent uses of the same token cannot both succeed.
    AH_TRY(
        used,
        tx.query("UPDATE account_tokens SET used_at = $1"
                 " WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL"
                 " AND expires_at > $1 AND new_email IS NOT NULL RETURNING account_id, new_email",
                 {db::Value{now}, db::Value{auth::token_hash(token)},
                  db::Value{std::string(purpose_name(TokenPurpose::change_email))}}));
    if (used.rows.empty()) return fail(ErrorCode::not_found, "token_invalid");
    std::int64_t account = used.rows[0].int64(0);
    std::string email = used.rows[0].text(1);
    auto changed = tx.query("UPDATE accounts SET email = $1, email_verified_at = $2 WHERE id = $3",
                            {db::Value{email}, db::Value{now}, db::Value{account}});
    if (!changed) {
      if (changed.error().code == ErrorCode::conflict)
        return fail(ErrorCode::conflict, "email_taken", changed.error().detail);
      return std::unexpected(changed.error());
    }
    if (changed->affected_rows != 1) return fail(ErrorCode::not_found, "account not found");
    AH_TRY_STATUS(tx.query(kVoidTokens, {db::Value{now}, db::Value{account}}));
    return account;
  });
}

Status AccountStore::void_tokens(std::int64_t account_id, std::int64_t now) {
  AH_TRY_STATUS(db_.query(kVoidTokens, {db::Value{now}, db::Value{account_id}}));
  return {};
}

Result<std::vector<PendingChange>> AccountStore::pending_changes(std::int64_t account_id,
                                                                 std::int64_t now) {
  AH_TRY(result,
         db_.query(
             "SELECT new_email, expires_at FROM account_tokens WHERE account_id = $1"
             " AND purpose = $2 AND used_at IS NULL AND expires_at > $3 AND new_email IS NOT NULL"
             " ORDER BY id",
             {db::Value{account_id},
              db::Value{std::string(purpose_name(TokenPurpose::change_email))}, db::Value{now}}));
  std::vector<PendingChange> out;
  for (const auto& row : result.rows) out.push_back({row.text(0), row.int64(1)});
  return out;
}

Status AccountStore::mark_verified(std::int64_t account_id, std::int64_t now) {
  AH_TRY(result, db_.query("UPDATE accounts SET email_verified_at = $1"
                           " WHERE id = $2 AND email_verified_at IS NULL",
                           {db::Value{now}, db::Value{account_id}}));
  (void)result;
  return {};
}

}  // namespace ah::modules::accounts

namespace ah::modules::accounts {

Result<std::vector<Account>> AccountStore::list_all() {
  std::string sql(kAccountColumns);
  sql += " ORDER BY id";
  AH_TRY(result, db_.query(sql));
  std::vector<Account> out;
  for (const auto& row : result.rows) out.push_back(from_row(row));
  return out;
}

Result<std::int64_t> create_verified_account(db::Database& db, std::string_view email_text,
                                             const std::string& display_name,
                                             const std::string& password, std::int64_t now) {
  AH_TRY(email, normalise_email(email_text));
  if (display_name.empty()) return fail(ErrorCode::invalid_input, "display_name_missing");
  if (auth::utf8_length(password) < auth::kMinPasswordCharacters)
    return fail(ErrorCode::invalid_input, std::string(auth::kPasswordTooShort));
  AH_TRY(hash, auth::hash_password(password));
  AccountStore store(db);
  AH_TRY(id, store.create(email, display_name, hash, now));
  AH_TRY_STATUS(store.mark_verified(id, now));
  return id;
}

}  // namespace ah::modules::accounts
