#include "modules/accounts/store.h"

#include <gtest/gtest.h>

#include "db/test_database.h"

namespace ah::modules::accounts {
namespace {

class AccountStoreTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_TRUE(db::migrate(*db, account_migrations()));
  }
};

TEST_P(AccountStoreTest, CreateFindAndUniqueEmail) {
  AccountStore store(*db);
  auto id = store.create("anna@example.org", "Anna", "hash", 1000);
  ASSERT_TRUE(id) << id.error().detail;
  auto found = store.find_by_email("anna@example.org");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, *id);
  EXPECT_EQ((*found)->display_name, "Anna");
  EXPECT_FALSE((*found)->email_verified_at);
  auto twice = store.create("anna@example.org", "Other", "hash", 1001);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::conflict);
  EXPECT_EQ(twice.error().message, "email_taken");
  EXPECT_FALSE(*store.find_by_email("nobody@example.org"));
}

TEST_P(AccountStoreTest, TokensAreOneTimeAndExpire) {
  AccountStore store(*db);
  auto id = *store.create("bernd@example.org", "Bernd", "hash", 1000);
  auto token = store.issue_token(id, TokenPurpose::verify_email, 1000, 3600);
  ASSERT_TRUE(token);
  // The table holds only a hash of the token.
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM account_tokens WHERE token_hash = $1",
                                {db::Value{*token}}),
            0);
  EXPECT_FALSE(store.consume_token(*token, TokenPurpose::verify_email, 4601));  // expired
  auto used = store.consume_token(*token, TokenPurpose::verify_email, 2000);
  ASSERT_TRUE(used);
  EXPECT_EQ(*used, id);
  EXPECT_FALSE(store.consume_token(*token, TokenPurpose::verify_email, 2001));  // once only
  EXPECT_FALSE(store.consume_token("made-up", TokenPurpose::verify_email, 2000));
  ASSERT_TRUE(store.mark_verified(id, 2000));
  EXPECT_EQ((*store.find(id))->email_verified_at, 2000);
}

AH_INSTANTIATE_BACKEND_TEST(AccountStoreTest);

TEST(NormaliseEmail, LowerCasesAndRejectsWhatIsNoAddress) {
  EXPECT_EQ(*normalise_email("  Anna.Schmidt@Wittenberg.DE "), "anna.schmidt@wittenberg.de");
  for (const char* bad : {"", "anna", "anna@", "@example.org", "anna@example", "a b@example.org",
                          "anna@@example.org", "anna@example..org", "anna@example.org\r\nBcc: x@y.z",
                          "<anna@example.org>"}) {
    auto result = normalise_email(bad);
    EXPECT_FALSE(result) << bad;
  }
}

}  // namespace
}  // namespace ah::modules::accounts
