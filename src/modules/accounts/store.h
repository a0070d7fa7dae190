// AccountStore: people's accounts and the one-time tokens mailed to them (email
// verification, password reset, change of email address).
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

// An address change that waits for its link to be used.
struct PendingChange {
  std::string new_email;
  std::int64_t expires_at = 0;  // unix seconds
};

// change_email tokens carry the new address (account_tokens.new_email); the others none.
enum class TokenPurpose { verify_email, reset_password, change_email };

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
  // `new_email` is kept with a change_email token (already normalised).
  Result<std::string> issue_token(std::int64_t account_id, TokenPurpose purpose, std::int64_t now,
                                  std::int64_t ttl_seconds,
                                  const std::optional<std::string>& new_email = {});
  // Marks the token used and returns its account; not_found for unknown, used or expired.
  Result<std::int64_t> consume_token(std::string_view token, TokenPurpose purpose, std::int64_t now);
  Status mark_verified(std::int64_t account_id, std::int64_t now);
  // Whether the token is unused and unexpired, without using it (to show a form first).
  Result<bool> token_usable(std::string_view token, TokenPurpose purpose, std::int64_t now);
  // The new address of an unused, unexpired change_email token; nullopt otherwise.
  Result<std::optional<std::string>> pending_email(std::string_view token, std::int64_t now);
  // Uses a change_email token in one transaction: the account gets the new address, marked
  // verified, and every other unused mail token of the account is voided (they went to the
  // old address or to another new one). Returns the account. not_found ("token_invalid")
  // for an unknown, used or expired token; conflict ("email_taken") when another account
  // has the address by now — then nothing changes and the token stays unused.
  Result<std::int64_t> change_email(std::string_view token, std::int64_t now);
  // Makes every unused mail token of the account unusable (after a password reset, a link
  // that an intruder asked for must not work any more).
  Status void_tokens(std::int64_t account_id, std::int64_t now);
  // Addresses the account asked to change to and has not confirmed yet (DSGVO export).
  Result<std::vector<PendingChange>> pending_changes(std::int64_t account_id, std::int64_t now);
  // Deletes the account and its mail tokens (DSGVO erasure). Sessions and API tokens live
  // in auth's tables; the caller ends those first.
  Status erase(std::int64_t account_id);
  // Every account, oldest first (operator CLI).
  Result<std::vector<Account>> list_all();

 private:
  db::Database& db_;
};

}  // namespace ah::modules::accounts
