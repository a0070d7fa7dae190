#include "auth/passwords.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace ah::auth {
namespace {

constexpr auto kCheap = PasswordHashParams::for_tests_only();

TEST(PasswordsTest, VerifiesTheRightPasswordAndRejectsWrongOnes) {
  auto hash = hash_password("richtig-und-lang", kCheap);
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(*hash, "richtig-und-lang"));
  EXPECT_FALSE(verify_password(*hash, "richtig-und-lanG"));
  EXPECT_FALSE(verify_password(*hash, "richtig-und-lan"));
  EXPECT_FALSE(verify_password(*hash, ""));
}

TEST(PasswordsTest, SaltMakesEveryHashDifferent) {
  auto a = hash_password("gleiches Passwort", kCheap);
  auto b = hash_password("gleiches Passwort", kCheap);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password(*b, "gleiches Passwort"));
}

TEST(PasswordsTest, EnforcesLengthBoundsWithMachineCodes) {
  auto short_one = hash_password("123456789", kCheap);  // 9 characters
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(short_one.error().message, kPasswordTooShort);
  EXPECT_TRUE(hash_password("1234567890", kCheap));

  // Characters, not bytes: 9 umlauts are 18 bytes but still too short; "Passwörter" is 10.
  EXPECT_FALSE(hash_password("äöüäöüäöü", kCheap));
  EXPECT_EQ(utf8_length("Passwörter"), 10u);
  EXPECT_TRUE(hash_password("Passwörter", kCheap));

  EXPECT_TRUE(hash_password(std::string(kMaxPasswordBytes, 'x'), kCheap));
  auto long_one = hash_password(std::string(kMaxPasswordBytes + 1, 'x'), kCheap);
  ASSERT_FALSE(long_one);
  EXPECT_EQ(long_one.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(long_one.error().message, kPasswordTooLong);
}

TEST(PasswordsTest, VerifyRefusesMalformedHashesAndOverlongCandidates) {
  EXPECT_FALSE(verify_password("", "irgendein Passwort"));
  EXPECT_FALSE(verify_password("$argon2id$kaputt", "irgendein Passwort"));
  EXPECT_FALSE(verify_password(std::string(500, '$'), "irgendein Passwort"));
  const std::string longest(kMaxPasswordBytes, 'y');
  auto hash = hash_password(longest, kCheap);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(verify_password(*hash, longest));
  EXPECT_FALSE(verify_password(*hash, longest + "y"));
}

TEST(PasswordsTest, NeedsRehashWhenParametersOrAlgorithmDiffer) {
  auto cheap = hash_password("ein gutes Passwort", kCheap);
  ASSERT_TRUE(cheap);
  EXPECT_TRUE(needs_rehash(*cheap));  // against production parameters
  EXPECT_FALSE(needs_rehash(*cheap, kCheap));
  EXPECT_TRUE(needs_rehash(*cheap, {2, kCheap.memlimit}));
  EXPECT_TRUE(needs_rehash(""));
  EXPECT_TRUE(needs_rehash("not a hash", kCheap));
  // An argon2i hash with the very same limits must still move to argon2id.
  EXPECT_TRUE(needs_rehash(
      "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
      kCheap));
}

TEST(PasswordsTest, ProductionParametersAreInTheHashAndTakeMeasurableTime) {
  const auto start = std::chrono::steady_clock::now();
  auto hash = hash_password("ein gutes Passwort");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(hash);
  EXPECT_NE(hash->find("$m=65536,t=3,p=1$"), std::string::npos) << *hash;
  EXPECT_FALSE(needs_rehash(*hash));
  EXPECT_TRUE(verify_password(*hash, "ein gutes Passwort"));
  // A lower bound only: far below it the parameters cannot be the documented ones.
  EXPECT_GT(took, std::chrono::milliseconds(20));
  std::printf("production argon2id hash took %lld ms\n",
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

TEST(PasswordsTest, DummyVerificationTakesAboutAsLongAsARealOne) {
  auto hash = hash_password("ein gutes Passwort");
  ASSERT_TRUE(hash);
  verify_password_dummy("warm-up: the dummy hash is made on first use");
  auto time = [](auto&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::steady_clock::now() - start;
  };
  const auto real = time([&] { (void)verify_password(*hash, "falsches Passwort"); });
  const auto dummy = time([] { verify_password_dummy("falsches Passwort"); });
  EXPECT_GT(dummy, real / 3);
}

}  // namespace
}  // namespace ah::auth
