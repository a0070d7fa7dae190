// ApiTokenStore: personal API tokens, for scripts and integrations that call /api/v1
// with "Authorization: Bearer ah_…" instead of a session cookie.
//
//   AH_TRY(made, tokens.create(account_id, "Ratsinfo-Import", {"read"}, now));
//   show_once(made.token);                                   // never retrievable again
//   AH_TRY(who, tokens.authenticate(bearer, now, uses));     // nullopt: reject with 401
//   if (who && who->has_scope(required_scope("GET"))) ...
//   uses.flush(db);                                          // a periodic job, each minute
//
// Scopes: the platform grants exactly two (kApiScopes), and the session layer enforces them
// on every request that carries a token:
//   read   safe requests (GET, HEAD, OPTIONS): look at what the account may see
//   write  unsafe requests (POST, PUT, PATCH, DELETE): act as the account
// A token that should do both carries both. Creating API tokens is never possible with a
// token, whatever its scopes (a leaked token cannot mint more). The store itself accepts
// any well-formed scope, so that finer scopes can be added here later without a migration.
//
// A token is "ah_" followed by 43 URL-safe base64 characters (32 random bytes). The prefix
// lets secret scanners and people recognise a leaked token; only its BLAKE2b hash is
// stored (tokens.h). Revoked tokens stay listed, with revoked_at, so their owner can see
// what existed; they never authenticate again.
//
// Error::message codes (invalid_input) for the caller's catalogue: kTokenNameEmpty,
// kTokenNameTooLong, kTokenScopeInvalid. Thread-safe as far as the Database is.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/database.h"

namespace ah::auth {

inline constexpr std::string_view kApiTokenPrefix = "ah_";
inline constexpr std::size_t kMaxTokenNameBytes = 200;
inline constexpr std::string_view kTokenNameEmpty = "token_name_empty";
inline constexpr std::string_view kTokenNameTooLong = "token_name_too_long";
inline constexpr std::string_view kTokenScopeInvalid = "token_scope_invalid";

inline constexpr std::string_view kScopeRead = "read";
inline constexpr std::string_view kScopeWrite = "write";
// Every scope a person can give a token, in the order forms list them.
inline constexpr std::array<std::string_view, 2> kApiScopes = {kScopeRead, kScopeWrite};

// Whether `scope` is one of kApiScopes.
bool is_known_scope(std::string_view scope);
// The scope a request with this HTTP method needs: kScopeWrite for unsafe methods (see
// csrf.h is_unsafe_method), kScopeRead for the others.
std::string_view required_scope(std::string_view method);

struct CreatedApiToken {
  std::int64_t id = 0;
  std::string token;  // shown to its owner once, then forgotten
};

// Who a valid token speaks for.
struct ApiPrincipal {
  std::int64_t token_id = 0;
  std::int64_t account_id = 0;
  std::vector<std::string> scopes;

  bool has_scope(std::string_view scope) const;
};

// A token as its owner sees it in the list; without the secret, which is not kept.
struct ApiTokenInfo {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> scopes;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};

// When tokens were last used, kept in memory until flush() writes them to
// api_tokens.last_used_at. A script calling the API many times a second would otherwise
// add a second commit (an UPDATE) to its requests once a minute; instead one periodic job
// writes the uses of every token in one transaction, so the owner's list is at most one
// flush interval behind. Thread-safe; one per server process (the session layer's).
class ApiTokenUses {
 public:
  void record(std::int64_t token_id, std::int64_t now);
  // Writes what was recorded since the last flush, never moving a last_used_at back in
  // time, and returns how many tokens it wrote. On failure the uses are kept for the next
  // flush.
  Result<std::int64_t> flush(db::Database& db);

 private:
  std::mutex mutex_;
  std::map<std::int64_t, std::int64_t> pending_;  // token id → newest use; guarded by mutex_
};

class ApiTokenStore {
 public:
  explicit ApiTokenStore(db::Database& db) : db_(db) {}

  // A new token for the account. `name` is the owner's label (1..kMaxTokenNameBytes
  // bytes); each scope is 1..64 characters of [a-z0-9:._-], so the space-separated column
  // splits back unambiguously. Duplicate scopes are kept once; order is kept.
  Result<CreatedApiToken> create(std::int64_t account_id, std::string_view name,
                                 const std::vector<std::string>& scopes, std::int64_t now);

  // The principal of a valid, unrevoked token; nullopt for anything else (wrong prefix,
  // unknown, revoked). Records the use in `uses` (written to last_used_at by its flush).
  Result<std::optional<ApiPrincipal>> authenticate(std::string_view token, std::int64_t now,
                                                   ApiTokenUses& uses);

  // Revokes token `id` if it belongs to `account_id`; not_found otherwise, so nobody
  // learns about another account's tokens. Revoking twice keeps the first revoked_at.
  Status revoke(std::int64_t id, std::int64_t account_id, std::int64_t now);

  // Deletes every token of the account (account erasure); returns how many.
  Result<std::int64_t> erase_all_for(std::int64_t account_id);

  // The account's tokens, revoked ones included, oldest first.
  Result<std::vector<ApiTokenInfo>> list(std::int64_t account_id) const;

 private:
  db::Database& db_;
};

}  // namespace ah::auth
