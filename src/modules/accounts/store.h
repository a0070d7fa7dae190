// AccountStore: people's accounts and the one-time tokens mailed to them (email
// verification; password reset and email change use the same table later).
//
// Emails are stored lower-cased and compared that way; the display name may be a
// pseudonym. Passwords arrive here already hashed (auth/passwords.h). Tokens are stored
// only as hashes (auth/tokens.h); the plain token exists in the mail alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"

namespace ah::modules::accounts {

struct Account {
  std::int64_t id = 0;
  std::string email;
  std::string display_name;
  std::string password_hash;
  std::optional<std::int64_t> email_verified_at;  // unix seconds
  std::int64_t created_at = 0;
};

enum class TokenPurpose { verify_email, reset_password };

// Migrations 3000–3099 (accounts and account_tokens).
std::vector<db::Migration> account_migrations();

// Creates a verified account for the operator (CLI, demo): the password is hashed here.
// Returns its id; conflict ("email_taken") for a taken address, invalid_input for a bad
// address or password (codes as in auth/passwords.h).
Result<std::int64_t> create_verified_account(db::Database& db, std::string_view email,
                                             const std::string& display_name,
                                             const std::string& password, std::int64_t now);

// "Max@Example.org " -> "max@example.org"; invalid_input (code "email_invalid") unless it
// looks like local@domain.tld, has no spaces or control characters and ≤ 254 bytes.
Result<std::string> normalise_email(std::string_view email);

class AccountStore {
 public:
  explicit AccountStore(db::Database& db) : db_(db) {}

  // conflict (code "email_taken") when the email has an account.
  Result<std::int64_t> create(const std::string& email, const std::string& display_name,
                              const std::string& password_hash, std::int64_t now);
  Result<std::optional<Account>> find_by_email(const std::string& email);
  Result<std::optional<Account>> find(std::int64_t id);
  Status set_password_hash(std::int64_t id, const std::string& password_hash);

  // A one-time token for `purpose`, valid for `ttl_seconds`; returns the plain token.
  Result<std::string> issue_token(std::int64_t account_id, TokenPurpose purpose, std::int64_t now,
                                  std::int64_t ttl_seconds);
  // Marks the token used and returns its account; not_found for unknown, used or expired.
  Result<std::int64_t> consume_token(std::string_view token, TokenPurpose purpose, std::int64_t now);
  Status mark_verified(std::int64_t account_id, std::int64_t now);
  // Whether the token is unused and unexpired, without using it (to show a form first).
  Result<bool> token_usable(std::string_view token, TokenPurpose purpose, std::int64_t now);
  // Deletes the account and its mail tokens (DSGVO erasure). Sessions and API tokens live
  // in auth's tables; the caller ends those first.
  Status erase(std::int64_t account_id);
  // Every account, oldest first (operator CLI).
  Result<std::vector<Account>> list_all();

 private:
  db::Database& db_;
};

}  // namespace ah::modules::accounts
