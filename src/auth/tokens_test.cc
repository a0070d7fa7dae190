#include "auth/tokens.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace ah::auth {
namespace {

TEST(TokensTest, RandomTokensAreUrlSafeUnpaddedAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string token = random_token();
    ASSERT_EQ(token.size(), 43u);  // 32 bytes in base64 without padding
    ASSERT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_"),
              std::string::npos)
        << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 2000u);
  EXPECT_EQ(random_token(16).size(), 22u);
  EXPECT_EQ(random_token(48).size(), 64u);
  EXPECT_THROW(random_token(15), std::invalid_argument);
}

TEST(TokensTest, HashIsStableBlake2b256Hex) {
  // Published BLAKE2b-256 test values: stored hashes must never change meaning.
  EXPECT_EQ(token_hash(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(token_hash("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  const std::string token = random_token();
  EXPECT_EQ(token_hash(token), token_hash(token));
  EXPECT_NE(token_hash(token), token);
  EXPECT_NE(token_hash(token), token_hash(random_token()));
  EXPECT_EQ(token_hash(token).size(), 64u);
}

TEST(TokensTest, MatchRequiresEqualNonEmptyValues) {
  const std::string token = random_token();
  EXPECT_TRUE(tokens_match(token, std::string(token)));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(tokens_match(token, flipped));
  flipped = token;
  flipped.front() = flipped.front() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(tokens_match(token, flipped));
  EXPECT_FALSE(tokens_match(token, token.substr(0, token.size() - 1)));
  EXPECT_FALSE(tokens_match(token, token + "x"));
  EXPECT_FALSE(tokens_match(token, ""));
  EXPECT_FALSE(tokens_match("", ""));
}

}  // namespace
}  // namespace ah::auth
