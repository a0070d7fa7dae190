#include "auth/rate_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "auth/auth_test_fixture.h"

namespace ah::auth {
namespace {

using db::testing::scalar;

constexpr std::int64_t kT0 = 1'699'999'800;  // a multiple of 60 and of 300

class RateLimiterTest : public testing::AuthStoreTest {};

TEST_P(RateLimiterTest, AllowsUpToTheLimitThenTellsWhenToRetry) {
  RateLimiter limiter(*db);
  for (int i = 1; i <= 3; ++i) {
    auto d = limiter.check_and_count("login:ip:192.0.2.1", 3, 300, kT0 + 10);
    ASSERT_TRUE(d) << d.error().detail;
    EXPECT_TRUE(d->allowed) << i;
    EXPECT_EQ(d->count, i);
    EXPECT_EQ(d->retry_after_seconds, 0);
  }
  auto refused = limiter.check_and_count("login:ip:192.0.2.1", 3, 300, kT0 + 120);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->count, 4);
  EXPECT_EQ(refused->retry_after_seconds, 180);  // the window [kT0, kT0 + 300) ends then
  auto last_second = limiter.check_and_count("login:ip:192.0.2.1", 3, 300, kT0 + 299);
  EXPECT_EQ(last_second->retry_after_seconds, 1);

  // Other keys have their own counters.
  EXPECT_TRUE(limiter.check_and_count("login:ip:192.0.2.2", 3, 300, kT0 + 10)->allowed);
}

TEST_P(RateLimiterTest, NewWindowStartsAtZero) {
  RateLimiter limiter(*db);
  for (int i = 0; i < 5; ++i) (void)limiter.check_and_count("k", 2, 60, kT0 + 59);
  EXPECT_FALSE(limiter.check_and_count("k", 2, 60, kT0 + 59)->allowed);
  auto next = limiter.check_and_count("k", 2, 60, kT0 + 60);
  ASSERT_TRUE(next);
  EXPECT_TRUE(next->allowed);
  EXPECT_EQ(next->count, 1);
  // Windows align to the epoch even before 1970, so negative times stay consistent.
  auto early = limiter.check_and_count("k", 2, 60, -1);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->count, 1);
  EXPECT_EQ(limiter.check_and_count("k", 0, 60, -30)->retry_after_seconds, 30);
}

TEST_P(RateLimiterTest, RefusesNonsenseArguments) {
  RateLimiter limiter(*db);
  EXPECT_EQ(limiter.check_and_count("", 1, 60, kT0).error().code, ErrorCode::invalid_input);
  EXPECT_EQ(limiter.check_and_count("k", -1, 60, kT0).error().code, ErrorCode::invalid_input);
  EXPECT_EQ(limiter.check_and_count("k", 1, 0, kT0).error().code, ErrorCode::invalid_input);
  EXPECT_FALSE(limiter.check_and_count("k", 0, 60, kT0)->allowed);  // limit 0: always refuse
}

TEST_P(RateLimiterTest, CountsExactlyUnderConcurrency) {
  constexpr int kThreads = 8, kCallsEach = 50, kLimit = 100;
  RateLimiter limiter(*db);
  std::atomic<int> allowed{0}, refused{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCallsEach; ++i) {
        auto d = limiter.check_and_count("register:ip:198.51.100.7", kLimit, 3600, kT0 + 5);
        if (!d) {
          ++failed;
        } else if (d->allowed) {
          ++allowed;
        } else {
          ++refused;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(allowed, kLimit);
  EXPECT_EQ(refused, kThreads * kCallsEach - kLimit);
  EXPECT_EQ(scalar(*db, "SELECT count FROM rate_limits WHERE key = $1",
                   {db::Value{std::string("register:ip:198.51.100.7")}}),
            kThreads * kCallsEach);
}

TEST_P(RateLimiterTest, PurgeDropsOnlyEndedWindows) {
  RateLimiter limiter(*db);
  ASSERT_TRUE(limiter.check_and_count("a", 5, 60, kT0));
  ASSERT_TRUE(limiter.check_and_count("a", 5, 60, kT0 + 60));
  ASSERT_TRUE(limiter.check_and_count("b", 5, 3600, kT0 + 10));
  auto purged = limiter.purge(kT0 + 61, 60);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);  // the windows starting at kT0, for "a" and "b"
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM rate_limits"), 1);
  EXPECT_EQ(limiter.check_and_count("a", 5, 60, kT0 + 61)->count, 2);
}

AH_INSTANTIATE_BACKEND_TEST(RateLimiterTest);

}  // namespace
}  // namespace ah::auth
