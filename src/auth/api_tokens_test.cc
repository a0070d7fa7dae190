#include "auth/api_tokens.h"

#include <gtest/gtest.h>

#include "auth/auth_test_fixture.h"
#include "auth/tokens.h"

namespace ah::auth {
namespace {

using db::testing::scalar;

constexpr std::int64_t kT0 = 1'700'000'000;

class ApiTokenStoreTest : public testing::AuthStoreTest {
 protected:
  ApiTokenUses uses;
};

TEST_P(ApiTokenStoreTest, CreatedTokenAuthenticatesWithItsScopes) {
  ApiTokenStore store(*db);
  auto made = store.create(7, "Ratsinfo-Import", {"proposals:read", "comments:write"}, kT0);
  ASSERT_TRUE(made) << made.error().detail;
  EXPECT_TRUE(made->token.starts_with("ah_"));
  EXPECT_EQ(made->token.size(), 3u + 43u);

  auto stored = db->query("SELECT token_hash FROM api_tokens WHERE id = $1", {db::Value{made->id}});
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->rows.at(0).text(0), made->token);
  EXPECT_EQ(stored->rows.at(0).text(0), token_hash(made->token));

  auto who = store.authenticate(made->token, kT0 + 5, uses);
  ASSERT_TRUE(who);
  ASSERT_TRUE(who->has_value());
  EXPECT_EQ((*who)->account_id, 7);
  EXPECT_EQ((*who)->token_id, made->id);
  EXPECT_EQ((*who)->scopes, (std::vector<std::string>{"proposals:read", "comments:write"}));
  EXPECT_TRUE((*who)->has_scope("comments:write"));
  EXPECT_FALSE((*who)->has_scope("comments"));

  for (const std::string& bad : {std::string(), std::string("ah_"), made->token.substr(3),
                                 made->token + "x", "ah_" + random_token()}) {
    auto none = store.authenticate(bad, kT0, uses);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value()) << bad;
  }
}

TEST_P(ApiTokenStoreTest, UsesAreKeptInMemoryAndWrittenByFlushNeverBackwards) {
  ApiTokenStore store(*db);
  auto made = store.create(7, "Skript", {}, kT0);
  auto other = store.create(8, "Anderes", {}, kT0);
  ASSERT_TRUE(made && other);
  auto last_used = [&](std::int64_t id) {
    return db->query("SELECT last_used_at FROM api_tokens WHERE id = $1", {db::Value{id}})
        ->rows.at(0);
  };
  ASSERT_TRUE(store.authenticate(made->token, kT0 + 10, uses)->has_value());
  ASSERT_TRUE(store.authenticate(made->token, kT0 + 30, uses)->has_value());
  ASSERT_TRUE(store.authenticate(other->token, kT0 + 20, uses)->has_value());
  EXPECT_TRUE(last_used(made->id).is_null(0)) << "no write on the request's path";
  auto written = uses.flush(*db);
  ASSERT_TRUE(written) << written.error().detail;
  EXPECT_EQ(*written, 2);  // one row a token, with its newest use
  EXPECT_EQ(last_used(made->id).int64(0), kT0 + 30);
  EXPECT_EQ(last_used(other->id).int64(0), kT0 + 20);
  EXPECT_EQ(*uses.flush(*db), 0);  // nothing new

  // Another server process wrote a newer use: an older one does not overwrite it.
  ASSERT_TRUE(db->query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
                        {db::Value{kT0 + 100}, db::Value{made->id}}));
  ASSERT_TRUE(store.authenticate(made->token, kT0 + 50, uses)->has_value());
  EXPECT_EQ(*uses.flush(*db), 0);
  EXPECT_EQ(last_used(made->id).int64(0), kT0 + 100);
}

TEST_P(ApiTokenStoreTest, AFailedFlushKeepsTheUsesForTheNextOne) {
  ApiTokenStore store(*db);
  auto made = store.create(7, "Skript", {}, kT0);
  ASSERT_TRUE(made);
  ASSERT_TRUE(store.authenticate(made->token, kT0 + 10, uses)->has_value());
  ASSERT_TRUE(db->query("ALTER TABLE api_tokens RENAME TO api_tokens_away"));
  EXPECT_FALSE(uses.flush(*db));
  ASSERT_TRUE(db->query("ALTER TABLE api_tokens_away RENAME TO api_tokens"));
  EXPECT_EQ(*uses.flush(*db), 1);
  EXPECT_EQ(store.list(7)->at(0).last_used_at, kT0 + 10);
}

TEST_P(ApiTokenStoreTest, RevokedTokensStopWorkingAndOnlyTheOwnerRevokes) {
  ApiTokenStore store(*db);
  auto made = store.create(7, "Alt", {"proposals:read"}, kT0);
  ASSERT_TRUE(made);
  auto foreign = store.revoke(made->id, 8, kT0 + 1);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::not_found);
  EXPECT_TRUE(store.authenticate(made->token, kT0 + 2, uses)->has_value());

  ASSERT_TRUE(store.revoke(made->id, 7, kT0 + 3));
  EXPECT_FALSE(store.authenticate(made->token, kT0 + 4, uses)->has_value());
  ASSERT_TRUE(store.revoke(made->id, 7, kT0 + 100));  // again: keeps the first time
  EXPECT_EQ(store.list(7)->at(0).revoked_at, kT0 + 3);
  EXPECT_EQ(store.revoke(999999, 7, kT0).error().code, ErrorCode::not_found);
}

TEST_P(ApiTokenStoreTest, ListShowsTheAccountsTokensOldestFirst) {
  ApiTokenStore store(*db);
  auto first = store.create(7, "Erstes", {"a:read", "a:read", "b.write"}, kT0);
  auto other = store.create(8, "Fremd", {"a:read"}, kT0);
  auto second = store.create(7, "Zweites", {}, kT0 + 1);
  ASSERT_TRUE(first && other && second);
  ASSERT_TRUE(store.revoke(first->id, 7, kT0 + 2));
  ASSERT_TRUE(store.authenticate(second->token, kT0 + 3, uses)->has_value());
  ASSERT_TRUE(uses.flush(*db));

  auto listed = store.list(7);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, first->id);
  EXPECT_EQ((*listed)[0].name, "Erstes");
  EXPECT_EQ((*listed)[0].scopes, (std::vector<std::string>{"a:read", "b.write"}));
  EXPECT_EQ((*listed)[0].created_at, kT0);
  EXPECT_EQ((*listed)[0].revoked_at, kT0 + 2);
  EXPECT_FALSE((*listed)[0].last_used_at);
  EXPECT_EQ((*listed)[1].name, "Zweites");
  EXPECT_TRUE((*listed)[1].scopes.empty());
  EXPECT_FALSE((*listed)[1].revoked_at);
  EXPECT_EQ((*listed)[1].last_used_at, kT0 + 3);
  EXPECT_TRUE(store.list(9)->empty());
}

TEST_P(ApiTokenStoreTest, RejectsBadNamesAndScopes) {
  ApiTokenStore store(*db);
  EXPECT_EQ(store.create(7, "", {}, kT0).error().message, kTokenNameEmpty);
  EXPECT_EQ(store.create(7, std::string(kMaxTokenNameBytes + 1, 'n'), {}, kT0).error().message,
            kTokenNameTooLong);
  for (const std::string& scope : {std::string(), std::string("two words"), std::string("Upper"),
                                   std::string(65, 'a')}) {
    auto made = store.create(7, "x", {scope}, kT0);
    ASSERT_FALSE(made) << scope;
    EXPECT_EQ(made.error().message, kTokenScopeInvalid);
  }
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM api_tokens"), 0);
}

AH_INSTANTIATE_BACKEND_TEST(ApiTokenStoreTest);

TEST(ApiScopes, TheVocabularyAndWhatEachMethodNeeds) {
  EXPECT_TRUE(is_known_scope("read"));
  EXPECT_TRUE(is_known_scope("write"));
  EXPECT_FALSE(is_known_scope("admin"));
  EXPECT_FALSE(is_known_scope(""));
  for (std::string_view method : {"GET", "HEAD", "OPTIONS"})
    EXPECT_EQ(required_scope(method), kScopeRead) << method;
  for (std::string_view method : {"POST", "PUT", "PATCH", "DELETE"})
    EXPECT_EQ(required_scope(method), kScopeWrite) << method;
}

}  // namespace
}  // namespace ah::auth
