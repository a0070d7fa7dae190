#include "auth/sessions.h"

#include <gtest/gtest.h>

#include "auth/auth_test_fixture.h"
#include "auth/tokens.h"

namespace ah::auth {
namespace {

using db::testing::scalar;

constexpr std::int64_t kT0 = 1'700'000'000;  // an arbitrary start time
constexpr std::int64_t kMinute = 60, kHour = 3600;

class SessionStoreTest : public testing::AuthStoreTest {};

TEST_P(SessionStoreTest, MigrationsStayInTheReservedRange) {
  for (const auto& m : auth_migrations()) {
    EXPECT_GE(m.version, kFirstMigrationVersion);
    EXPECT_LE(m.version, kLastMigrationVersion);
  }
  EXPECT_TRUE(db::migrate(*db, auth_migrations()));  // again: a no-op
}

TEST_P(SessionStoreTest, CreateThenFindStoresOnlyTheHash) {
  SessionStore store(*db);
  auto made = store.create(std::nullopt, kT0);
  ASSERT_TRUE(made) << made.error().detail;
  EXPECT_EQ(made->token.size(), 43u);
  EXPECT_FALSE(made->session.account_id);
  EXPECT_EQ(made->session.created_at, kT0);
  EXPECT_EQ(made->session.expires_at, kT0 + 12 * kHour);
  EXPECT_NE(made->session.csrf_token, made->token);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
                   {db::Value{made->token}}),
            0);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1",
                   {db::Value{token_hash(made->token)}}),
            1);

  auto found = store.find(made->token, kT0 + 5);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, made->session.id);
  EXPECT_EQ((*found)->csrf_token, made->session.csrf_token);

  auto with_account = store.create(42, kT0);
  ASSERT_TRUE(with_account);
  auto found_account = store.find(with_account->token, kT0);
  ASSERT_TRUE(found_account && found_account->has_value());
  EXPECT_EQ((*found_account)->account_id, 42);

  for (const std::string& bad : {std::string(), random_token(), made->token + "x"}) {
    auto none = store.find(bad, kT0);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value()) << bad;
  }
}

TEST_P(SessionStoreTest, IdleSessionsExpire) {
  SessionStore store(*db);
  auto made = store.create(std::nullopt, kT0);
  ASSERT_TRUE(made);
  EXPECT_TRUE(store.find(made->token, kT0 + 2 * kHour - 1)->has_value());
  // That find touched last_seen_at, so the idle clock starts again from there.
  EXPECT_TRUE(store.find(made->token, kT0 + 4 * kHour - 2)->has_value());
  EXPECT_FALSE(store.find(made->token, kT0 + 6 * kHour - 1)->has_value());
  // Once expired it stays expired even if "now" came back (no resurrection by touch).
  EXPECT_FALSE(store.find(made->token, kT0 + 6 * kHour)->has_value());
}

TEST_P(SessionStoreTest, AbsoluteExpiryEndsEvenAnActiveSession) {
  SessionStore store(*db, SessionPolicy{.idle_timeout = std::chrono::hours(2),
                                        .absolute_timeout = std::chrono::hours(3)});
  auto made = store.create(7, kT0);
  ASSERT_TRUE(made);
  for (std::int64_t t = kT0; t < kT0 + 3 * kHour; t += 30 * kMinute)
    ASSERT_TRUE(store.find(made->token, t)->has_value()) << t - kT0;
  EXPECT_TRUE(store.find(made->token, kT0 + 3 * kHour - 1)->has_value());
  EXPECT_FALSE(store.find(made->token, kT0 + 3 * kHour)->has_value());
}

TEST_P(SessionStoreTest, TouchesLastSeenAtMostOncePerInterval) {
  SessionStore store(*db);
  auto made = store.create(std::nullopt, kT0);
  ASSERT_TRUE(made);
  auto last_seen = [&] {
    return scalar(*db, "SELECT last_seen_at FROM sessions WHERE id = $1",
                  {db::Value{made->session.id}});
  };
  ASSERT_TRUE(store.find(made->token, kT0 + 59)->has_value());
  EXPECT_EQ(last_seen(), kT0);
  auto touched = store.find(made->token, kT0 + 60);
  ASSERT_TRUE(touched && touched->has_value());
  EXPECT_EQ(last_seen(), kT0 + 60);
  EXPECT_EQ((*touched)->last_seen_at, kT0 + 60);
  ASSERT_TRUE(store.find(made->token, kT0 + 119)->has_value());
  EXPECT_EQ(last_seen(), kT0 + 60);
  // A request that arrives late with an older "now" never moves last_seen_at back.
  ASSERT_TRUE(store.find(made->token, kT0 + 200)->has_value());
  ASSERT_TRUE(store.find(made->token, kT0 + 100)->has_value());
  EXPECT_EQ(last_seen(), kT0 + 200);
}

TEST_P(SessionStoreTest, RotationInvalidatesTheOldTokenAndCsrf) {
  SessionStore store(*db);
  auto made = store.create(std::nullopt, kT0);
  ASSERT_TRUE(store.set_data(made->session.id, std::string("{\"return_to\":\"/beteiligung\"}")));
  auto rotated = store.rotate(made->token, kT0 + 10);
  ASSERT_TRUE(rotated) << rotated.error().detail;
  EXPECT_NE(rotated->token, made->token);
  EXPECT_NE(rotated->session.csrf_token, made->session.csrf_token);
  EXPECT_EQ(rotated->session.id, made->session.id);
  EXPECT_EQ(rotated->session.data, "{\"return_to\":\"/beteiligung\"}");
  EXPECT_EQ(rotated->session.expires_at, made->session.expires_at);
  EXPECT_FALSE(store.find(made->token, kT0 + 11)->has_value());
  EXPECT_TRUE(store.find(rotated->token, kT0 + 11)->has_value());
  auto again = store.rotate(made->token, kT0 + 12);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_found);
}

TEST_P(SessionStoreTest, LoginRotatesBindsTheAccountAndRestartsTheLifetime) {
  SessionStore store(*db);
  auto anonymous = store.create(std::nullopt, kT0);
  ASSERT_TRUE(anonymous);
  auto login = store.log_in(anonymous->token, 99, kT0 + kHour);
  ASSERT_TRUE(login) << login.error().detail;
  EXPECT_EQ(login->session.account_id, 99);
  EXPECT_EQ(login->session.created_at, kT0 + kHour);
  EXPECT_EQ(login->session.expires_at, kT0 + 13 * kHour);
  EXPECT_NE(login->session.csrf_token, anonymous->session.csrf_token);
  EXPECT_FALSE(store.find(anonymous->token, kT0 + kHour)->has_value());  // fixation defence
  auto found = store.find(login->token, kT0 + kHour);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->account_id, 99);

  auto expired = store.create(std::nullopt, kT0);
  auto late = store.log_in(expired->token, 99, kT0 + 3 * kHour);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::not_found);
}

TEST_P(SessionStoreTest, DestroyAndDestroyAllFor) {
  SessionStore store(*db);
  auto a1 = store.create(1, kT0), a2 = store.create(1, kT0), a3 = store.create(1, kT0);
  auto b = store.create(2, kT0), anonymous = store.create(std::nullopt, kT0);
  ASSERT_TRUE(a1 && a2 && a3 && b && anonymous);

  ASSERT_TRUE(store.destroy(a1->token));
  EXPECT_FALSE(store.find(a1->token, kT0)->has_value());
  EXPECT_TRUE(store.destroy(a1->token));  // again: no error
  EXPECT_TRUE(store.destroy(""));

  auto ended = store.destroy_all_for(1, a3->token);
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 1);  // a2; a3 is kept
  EXPECT_FALSE(store.find(a2->token, kT0)->has_value());
  EXPECT_TRUE(store.find(a3->token, kT0)->has_value());
  EXPECT_EQ(*store.destroy_all_for(1), 1);
  EXPECT_FALSE(store.find(a3->token, kT0)->has_value());
  EXPECT_TRUE(store.find(b->token, kT0)->has_value());
  EXPECT_TRUE(store.find(anonymous->token, kT0)->has_value());
}

TEST_P(SessionStoreTest, PurgeRemovesIdleAndAbsolutelyExpiredRows) {
  SessionStore store(*db);
  auto idle = store.create(std::nullopt, kT0);
  auto active = store.create(5, kT0);
  auto young = store.create(6, kT0 + 11 * kHour);
  ASSERT_TRUE(idle && active && young);
  for (std::int64_t t = kT0; t <= kT0 + 11 * kHour; t += kHour)
    ASSERT_TRUE(store.find(active->token, t)->has_value());
  EXPECT_EQ(*store.purge_expired(kT0 + 11 * kHour), 1);  // idle
  EXPECT_EQ(*store.purge_expired(kT0 + 12 * kHour), 1);  // active hit its absolute end
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sessions"), 1);
  EXPECT_TRUE(store.find(young->token, kT0 + 12 * kHour)->has_value());
}

TEST_P(SessionStoreTest, SetDataOnUnknownSessionIsNotFound) {
  SessionStore store(*db);
  auto missing = store.set_data(12345, std::string("x"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  auto made = store.create(std::nullopt, kT0);
  ASSERT_TRUE(store.set_data(made->session.id, std::nullopt));
  EXPECT_FALSE((*store.find(made->token, kT0))->data);
}

AH_INSTANTIATE_BACKEND_TEST(SessionStoreTest);

}  // namespace
}  // namespace ah::auth
