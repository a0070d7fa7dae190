#include "auth/api_tokens.h"

#include <algorithm>

#include "auth/csrf.h"
#include "auth/tokens.h"

namespace ah::auth {

namespace {

constexpr std::size_t kMaxScopeBytes = 64;

bool valid_scope(std::string_view scope) {
  if (scope.empty() || scope.size() > kMaxScopeBytes) return false;
  return std::all_of(scope.begin(), scope.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '.' || c == '_' ||
           c == '-';
  });
}

std::vector<std::string> split_scopes(const std::string& column) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin < column.size()) {
    std::size_t end = column.find(' ', begin);
    if (end == std::string::npos) end = column.size();
    if (end > begin) out.push_back(column.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

}  // namespace

bool is_known_scope(std::string_view scope) {
  return std::find(kApiScopes.begin(), kApiScopes.end(), scope) != kApiScopes.end();
}

std::string_view required_scope(std::string_view method) {
  return is_unsafe_method(method) ? kScopeWrite : kScopeRead;
}

bool ApiPrincipal::has_scope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

Result<CreatedApiToken> ApiTokenStore::create(std::int64_t account_id, std::string_view name,
                                              const std::vector<std::string>& scopes,
                                              std::int64_t now) {
  if (name.empty()) return fail(ErrorCode::invalid_input, std::string(kTokenNameEmpty));
  if (name.size() > kMaxTokenNameBytes)
    return fail(ErrorCode::invalid_input, std::string(kTokenNameTooLong));
  std::string scope_column;
  std::vector<std::string_view> seen;
  for (const std::string& scope : scopes) {
    if (!valid_scope(scope)) return fail(ErrorCode::invalid_input, std::string(kTokenScopeInvalid));
    if (std::find(seen.begin(), seen.end(), scope) != seen.end()) continue;
    seen.push_back(scope);
    if (!scope_column.empty()) scope_column += ' ';
    scope_column += scope;
  }
  CreatedApiToken out;
  out.token = std::string(kApiTokenPrefix) + random_token();
  AH_TRY(result, db_.query("INSERT INTO api_tokens (account_id, name, token_hash, scopes, created_at)"
                           " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                           {db::Value{account_id}, db::Value{std::string(name)},
                            db::Value{token_hash(out.token)}, db::Value{scope_column},
                            db::Value{now}}));
  out.id = result.rows.at(0).int64(0);
  return out;
}

void ApiTokenUses::record(std::int64_t token_id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = pending_.try_emplace(token_id, now);
  if (!inserted) it->second = std::max(it->second, now);
}

Result<std::int64_t> ApiTokenUses::flush(db::Database& db) {
  std::map<std::int64_t, std::int64_t> uses;
  {
    std::lock_guard lock(mutex_);
    uses.swap(pending_);
  }
  if (uses.empty()) return 0;
  auto written = db.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    std::int64_t count = 0;
    for (const auto& [id, at] : uses) {
      AH_TRY(updated, tx.query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2"
                               " AND (last_used_at IS NULL OR last_used_at < $1)",
                               {db::Value{at}, db::Value{id}}));
      count += updated.affected_rows;
    }
    return count;
  });
  if (!written) {
    for (const auto& [id, at] : uses) record(id, at);
  }
  return written;
}

Result<std::optional<ApiPrincipal>> ApiTokenStore::authenticate(std::string_view token,
                                                                std::int64_t now,
                                                                ApiTokenUses& uses) {
  if (!token.starts_with(kApiTokenPrefix) || token.size() == kApiTokenPrefix.size())
    return std::optional<ApiPrincipal>();
  AH_TRY(result, db_.query("SELECT id, account_id, scopes FROM api_tokens"
                           " WHERE token_hash = $1 AND revoked_at IS NULL",
                           {db::Value{token_hash(token)}}));
  if (result.rows.empty()) return std::optional<ApiPrincipal>();
  const db::Row& row = result.rows[0];
  ApiPrincipal principal;
  principal.token_id = row.int64(0);
  principal.account_id = row.int64(1);
  principal.scopes = split_scopes(row.text(2));
  uses.record(principal.token_id, now);
  return std::optional<ApiPrincipal>(std::move(principal));
}

Status ApiTokenStore::revoke(std::int64_t id, std::int64_t account_id, std::int64_t now) {
  AH_TRY(result, db_.query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3)"
                           " WHERE id = $1 AND account_id = $2",
                           {db::Value{id}, db::Value{account_id}, db::Value{now}}));
  if (result.affected_rows == 0) return fail(ErrorCode::not_found, "api_token_not_found");
  return {};
}

Result<std::vector<ApiTokenInfo>> ApiTokenStore::list(std::int64_t account_id) const {
  AH_TRY(result, db_.query("SELECT id, name, scopes, created_at, last_used_at, revoked_at"
                           " FROM api_tokens WHERE account_id = $1 ORDER BY id",
                           {db::Value{account_id}}));
  std::vector<ApiTokenInfo> out;
  out.reserve(result.rows.size());
  for (const db::Row& row : result.rows) {
    ApiTokenInfo info;
    info.id = row.int64(0);
    info.name = row.text(1);
    info.scopes = split_scopes(row.text(2));
    info.created_at = row.int64(3);
    if (!row.is_null(4)) info.last_used_at = row.int64(4);
    if (!row.is_null(5)) info.revoked_at = row.int64(5);
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace ah::auth

namespace ah::auth {

Result<std::int64_t> ApiTokenStore::erase_all_for(std::int64_t account_id) {
  AH_TRY(result, db_.query("DELETE FROM api_tokens WHERE account_id = $1", {db::Value{account_id}}));
  return result.affected_rows;
}

}  // namespace ah::auth
