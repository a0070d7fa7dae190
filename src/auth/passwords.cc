#include "auth/passwords.h"

#include <sodium.h>

#include <array>
#include <optional>

#include "auth/internal/sodium.h"

namespace ah::auth {

namespace {

// libsodium's string functions take a NUL-terminated buffer of crypto_pwhash_STRBYTES.
// A stored hash that does not fit (or contains NUL) cannot be one of ours.
std::optional<std::array<char, crypto_pwhash_STRBYTES>> terminated(std::string_view hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
      hash.find('\0') != std::string_view::npos)
    return std::nullopt;
  std::array<char, crypto_pwhash_STRBYTES> out{};
  hash.copy(out.data(), hash.size());
  return out;
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

Result<std::string> hash_password(std::string_view password, const PasswordHashParams& params) {
  if (password.size() > kMaxPasswordBytes)
    return fail(ErrorCode::invalid_input, std::string(kPasswordTooLong));
  if (utf8_length(password) < kMinPasswordCharacters)
    return fail(ErrorCode::invalid_input, std::string(kPasswordTooShort));
  internal::ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), params.opslimit,
                            params.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return fail(ErrorCode::internal, "password hashing failed",
                "crypto_pwhash_str_alg failed (out of memory or invalid limits), memlimit=" +
                    std::to_string(params.memlimit));
  return std::string(out.data());
}

bool verify_password(std::string_view hash, std::string_view candidate) {
  if (candidate.size() > kMaxPasswordBytes) return false;
  auto stored = terminated(hash);
  if (!stored) return false;
  internal::ensure_sodium();
  return crypto_pwhash_str_verify(stored->data(), candidate.data(), candidate.size()) == 0;
}

void verify_password_dummy(std::string_view candidate) {
  // Made once with a fixed throwaway input; only its parameters matter.
  static const std::string dummy = [] {
    auto made = hash_password("dummy password for timing only");
    return made ? *made : std::string();
  }();
  (void)verify_password(dummy, candidate);
}

bool needs_rehash(std::string_view hash, const PasswordHashParams& params) {
  auto stored = terminated(hash);
  if (!stored) return true;
  internal::ensure_sodium();
  // The argon2id-specific check: the generic crypto_pwhash_str_needs_rehash would accept
  // an argon2i hash with the same limits, and we want every hash moved to argon2id.
  return crypto_pwhash_argon2id_str_needs_rehash(stored->data(), params.opslimit,
                                                 params.memlimit) != 0;
}

}  // namespace ah::auth
