#include "app/housekeeping.h"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <future>
#include <stdexcept>

#include "app/commands.h"
#include "auth/migrations.h"
#include "auth/sessions.h"
#include "db/migrate.h"
#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/accounts/submissions.h"

namespace ah::app {
namespace {

using namespace std::chrono_literals;

// Generous: these wait for things that happen within milliseconds unless they are broken.
constexpr auto kPatience = 30s;

// Waits until `done()` holds or kPatience has passed; returns done().
template <class F>
bool eventually(F done) {
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  return done();
}

// Runs stop() on another thread and reports whether it returned within kPatience (a hang
// fails the test instead of the whole run).
bool stops_in_time(Housekeeping& housekeeping) {
  auto stopped = std::async(std::launch::async, [&] { housekeeping.stop(); });
  return stopped.wait_for(kPatience) == std::future_status::ready;
}

TEST(Housekeeping, RunsEachJobRepeatedly) {
  std::atomic<int> a{0}, b{0};
  Housekeeping housekeeping({{"a", 1ms, [&]() -> Result<std::int64_t> { return ++a; }},
                             {"b", 2ms, [&]() -> Result<std::int64_t> { return ++b; }}});
  EXPECT_TRUE(eventually([&] { return a >= 3 && b >= 3; })) << "a ran " << a << ", b ran " << b;
  EXPECT_TRUE(stops_in_time(housekeeping));
}

TEST(Housekeeping, FailingJobsDoNotStopThemselvesOrOthers) {
  std::atomic<int> errors{0}, throws{0}, fine{0};
  Housekeeping housekeeping({{"error", 1ms,
                              [&]() -> Result<std::int64_t> {
                                ++errors;
                                return fail(ErrorCode::unavailable, "database unreachable");
                              }},
                             {"throws", 1ms,
                              [&]() -> Result<std::int64_t> {
                                ++throws;
                                throw std::runtime_error("bug");
                              }},
                             {"fine", 1ms, [&]() -> Result<std::int64_t> { return ++fine; }}});
  EXPECT_TRUE(eventually([&] { return errors >= 3 && throws >= 3 && fine >= 3; }))
      << errors << " " << throws << " " << fine;
  EXPECT_TRUE(stops_in_time(housekeeping));
}

TEST(Housekeeping, StopDoesNotWaitForTheNextRun) {
  std::atomic<int> runs{0};
  Housekeeping housekeeping(
      {{"hourly", std::chrono::hours(1), [&]() -> Result<std::int64_t> { return ++runs; }}});
  EXPECT_TRUE(stops_in_time(housekeeping)) << "stop() waited for the interval";
  EXPECT_EQ(runs, 0) << "the first run is one interval after the start";
  housekeeping.stop();  // idempotent
}

TEST(Housekeeping, JobsMarkedAtStopRunOnceMoreWhenStopping) {
  std::atomic<int> flushes{0}, others{0};
  Housekeeping housekeeping(
      {{.name = "flush",
        .interval = std::chrono::hours(1),
        .run = [&]() -> Result<std::int64_t> { return ++flushes; },
        .at_stop = true},
       {"other", std::chrono::hours(1), [&]() -> Result<std::int64_t> { return ++others; }}});
  EXPECT_TRUE(stops_in_time(housekeeping));
  EXPECT_EQ(flushes, 1);
  EXPECT_EQ(others, 0);
  housekeeping.stop();  // idempotent: not again
  EXPECT_EQ(flushes, 1);
}

TEST(Housekeeping, StopWaitsForARunningJob) {
  std::atomic<bool> entered{false}, release{false}, finished{false};
  Housekeeping housekeeping({{"slow", 1ms, [&]() -> Result<std::int64_t> {
                                entered = true;
                                while (!release) std::this_thread::sleep_for(1ms);
                                finished = true;
                                return 0;
                              }}});
  ASSERT_TRUE(eventually([&] { return entered.load(); }));
  auto stopped = std::async(std::launch::async, [&] { housekeeping.stop(); });
  // While the job is held, stop() cannot have returned (so no timing can make this flaky).
  EXPECT_EQ(stopped.wait_for(50ms), std::future_status::timeout) << "stop() left a job running";
  release = true;
  ASSERT_EQ(stopped.wait_for(kPatience), std::future_status::ready);
  EXPECT_TRUE(finished);
}

TEST(Housekeeping, NoJobsIsFine) {
  Housekeeping housekeeping({});
  EXPECT_TRUE(stops_in_time(housekeeping));
}

// The jobs `serve` runs, against both backends: what has ended goes, what is in use stays.
class ServeHousekeepingTest : public db::testing::BackendTest {};

TEST_P(ServeHousekeepingTest, PurgesEndedSessionsAndRateLimitWindowsOnly) {
  auto migrations = auth::auth_migrations();
  for (auto& m : modules::accounts::account_migrations()) migrations.push_back(std::move(m));
  ASSERT_TRUE(db::migrate(*db, migrations));
  const std::int64_t now = std::time(nullptr);
  auth::SessionStore sessions(*db);
  ASSERT_TRUE(sessions.create(std::nullopt, now - 24 * 3600));  // ended long ago
  auto live = sessions.create(std::nullopt, now);
  ASSERT_TRUE(live);
  // An hour-long window that began 50 minutes ago is still counting; one that began 62
  // minutes ago has ended. (A purge with a shorter "longest window" would take both.)
  for (auto [key, start] : {std::pair{"register:client:192.0.2.1", now - 50 * 60},
                            std::pair{"register:client:192.0.2.2", now - 62 * 60}})
    ASSERT_TRUE(db->query("INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)",
                          {db::Value{std::string(key)}, db::Value{start}}));
  // One-time form keys: a day and more old go, fresh ones stay.
  auto person = db->query("INSERT INTO accounts (email, display_name, password_hash, created_at)"
                          " VALUES ('a@example.org', 'A', 'x', 1) RETURNING id");
  ASSERT_TRUE(person);
  modules::accounts::Submissions once(*db);
  ASSERT_TRUE(once.claim(person->rows[0].int64(0), "old-key", now - 25 * 3600));
  ASSERT_TRUE(once.claim(person->rows[0].int64(0), "new-key", now - 3600));

  for (const auto& job : serve_housekeeping_jobs(*db, std::chrono::minutes(10))) {
    auto done = job.run();
    ASSERT_TRUE(done) << job.name << ": " << done.error().message;
    EXPECT_EQ(*done, 1) << job.name;
  }
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM sessions"), 1);
  EXPECT_TRUE(*sessions.find(live->token, now));
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM rate_limits WHERE key = $1",
                                {db::Value{"register:client:192.0.2.1"}}),
            1);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM rate_limits"), 1);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM form_submissions WHERE once_key = $1",
                                {db::Value{"new-key"}}),
            1);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM form_submissions"), 1);
}

AH_INSTANTIATE_BACKEND_TEST(ServeHousekeepingTest);

}  // namespace
}  // namespace ah::app
