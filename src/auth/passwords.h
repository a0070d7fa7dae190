// Password hashing with argon2id (libsodium's crypto_pwhash, RFC 9106).
//
//   AH_TRY(stored, ah::auth::hash_password(form.password));        // at registration
//   if (!ah::auth::verify_password(stored, form.password)) ...      // at login
//   if (ah::auth::needs_rehash(stored)) store(hash_password(...));   // after a good login
//
// Parameters (PasswordHashParams::production()): argon2id, opslimit 3 passes, memlimit
// 64 MiB, one lane — the second recommended option of RFC 9106 §4 and above OWASP's
// minimum (19 MiB, 2 passes). Measured on the 2-core development machine (x86-64,
// libsodium 1.0.18, -O2, while another test suite kept both cores busy): 91–116 ms per
// hash; 64 MiB / 2 passes took 66–72 ms and 32 MiB / 3 passes 42–58 ms, which we judged
// too cheap against offline guessing. Each hash in flight holds 64 MiB, so the caller runs
// hashing on the bounded worker pool, never on an io thread, and rate-limits login.
//
// The encoded hash ("$argon2id$v=19$m=65536,t=3,p=1$salt$hash") carries its own
// parameters and a random salt, so it is all that is stored; verify_password() reads the
// parameters from it, and needs_rehash() tells when they are older than the current ones.
//
// Tests use PasswordHashParams::for_tests_only() (libsodium's minimum: 1 pass, 8 KiB),
// passed explicitly; there is no global switch that could leak weak hashing into
// production.
//
// Errors carry a machine code in Error::message, not text for people: the accounts module
// maps it to its i18n catalogue ("password_too_short", "password_too_long"; see below).
// Thread-safe: all functions may be called concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ah::auth {

// Length bounds for a new password. The minimum counts characters (UTF-8 code points, so
// "Passwörter" is 10), the maximum counts bytes and bounds the work done on input.
inline constexpr std::size_t kMinPasswordCharacters = 10;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Error::message codes of hash_password (code invalid_input).
inline constexpr std::string_view kPasswordTooShort = "password_too_short";
inline constexpr std::string_view kPasswordTooLong = "password_too_long";

struct PasswordHashParams {
  unsigned long long opslimit = 3;  // argon2 passes over memory
  std::size_t memlimit = 64u << 20;  // bytes of memory per hash

  // What the application uses. Changing it makes needs_rehash() true for older hashes.
  static constexpr PasswordHashParams production() { return {3, 64u << 20}; }
  // The cheapest parameters libsodium accepts. Only for tests, which hash many passwords.
  static constexpr PasswordHashParams for_tests_only() { return {1, 8u << 10}; }
};

// The number of UTF-8 code points in `text` (bytes that do not continue a sequence).
std::size_t utf8_length(std::string_view text);

// Hashes a new password. invalid_input with kPasswordTooShort / kPasswordTooLong when it
// is outside the bounds above; internal if libsodium cannot allocate the memory.
[[nodiscard]] Result<std::string> hash_password(
    std::string_view password, const PasswordHashParams& params = PasswordHashParams::production());

// True when `candidate` matches the encoded `hash`. False for a wrong password, a
// malformed or non-argon2 hash, and a candidate longer than kMaxPasswordBytes. The length
// minimum is NOT applied: it governs new passwords only. Takes as long as one hash with
// the parameters stored in `hash`.
[[nodiscard]] bool verify_password(std::string_view hash, std::string_view candidate);

// Spends the time of one verification against a hash with production parameters and
// returns nothing. Call it when a login names an unknown account, so that the answer's
// timing does not reveal which accounts exist.
void verify_password_dummy(std::string_view candidate);

// True when `hash` was made with other parameters than `params`, with another algorithm
// than argon2id, or is malformed: the caller should hash the password again after the
// next successful verification.
[[nodiscard]] bool needs_rehash(std::string_view hash,
                                const PasswordHashParams& params = PasswordHashParams::production());

}  // namespace ah::auth
