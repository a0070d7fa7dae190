// Random bearer tokens (session cookies, API tokens, CSRF tokens) and how they are stored.
//
//   std::string token = ah::auth::random_token();      // give to the client, once
//   std::string stored = ah::auth::token_hash(token);  // keep only this in the database
//   ... later: WHERE token_hash = $1 with token_hash(presented)
//
// Tokens are stored only as hashes, so a leaked database (or backup) does not let anyone
// act as a user. The hash is plain (unkeyed) BLAKE2b-256: a token carries 256 random bits,
// so there is nothing to guess offline and a secret key would add only a key to manage.
// Looking a token up by its hash also keeps the comparison itself out of reach of timing:
// what the database compares is the hash, which the attacker cannot steer byte by byte.
// Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ah::auth {

inline constexpr std::size_t kMinTokenBytes = 16;

// `bytes` random bytes from the kernel's CSPRNG (libsodium randombytes_buf), encoded as
// URL-safe base64 without padding ([A-Za-z0-9_-], 43 characters for the default 32 bytes),
// so it fits cookies, URLs and headers unescaped. `bytes` below kMinTokenBytes is a
// programming error and throws std::invalid_argument.
std::string random_token(std::size_t bytes = 32);

// Lower-case hex of BLAKE2b-256 over the token's bytes (64 characters). Stable across
// processes and versions: stored hashes depend on it.
std::string token_hash(std::string_view token);

// Compares two secrets in time that depends only on their lengths, never on where they
// differ (sodium_memcmp). False when the lengths differ or either is empty, so an absent
// token never matches an absent one. Lengths are not secret: every token of a kind has
// the same length.
bool tokens_match(std::string_view expected, std::string_view presented);

}  // namespace ah::auth
