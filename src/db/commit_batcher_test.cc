#include "db/commit_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "db/test_database.h"

namespace ah::db {
namespace {

using namespace std::chrono_literals;
using testing::scalar;

class CommitBatcherTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    ASSERT_TRUE(db->query("CREATE TABLE items (id BIGINT PRIMARY KEY, label TEXT NOT NULL)"));
    ASSERT_TRUE(db->query("CREATE TABLE counter (n BIGINT NOT NULL)"));
    ASSERT_TRUE(db->query("INSERT INTO counter (n) VALUES (0)"));
  }

  // The unit every test batches: one row and the counter, like a support and its count.
  static Status add_item(Connection& tx, std::int64_t id) {
    AH_TRY_STATUS(tx.query("INSERT INTO items (id, label) VALUES ($1, 'x')", {Value{id}}));
    AH_TRY_STATUS(tx.query("UPDATE counter SET n = n + 1"));
    return {};
  }

  // Waits (without a timing assertion) until `count` units wait behind the running batch.
  static void wait_until_queued(const CommitBatcher& batcher, std::size_t count) {
    while (batcher.stats().queued < count) std::this_thread::sleep_for(1ms);
  }

  // Runs `unit` on a thread of its own and returns once it waits as the `position`-th unit
  // behind the running batch, so that the order of a batch is known.
  static std::future<Status> queue_behind(CommitBatcher& batcher, CommitBatcher::Unit unit,
                                          std::size_t position) {
    auto outcome = std::async(std::launch::async,
                              [&batcher, unit = std::move(unit)] { return batcher.run(unit); });
    wait_until_queued(batcher, position);
    return outcome;
  }

  // A unit that moves the counter by `step`, then ignores the failure of inserting `id`
  // again: its work must still be undone, and it must be told.
  static CommitBatcher::Unit ignoring_a_failure(std::int64_t step, std::int64_t id) {
    return [step, id](Connection& tx) -> Status {
      AH_TRY_STATUS(tx.query("UPDATE counter SET n = n + $1", {Value{step}}));
      (void)tx.query("INSERT INTO items (id, label) VALUES ($1, 'again')", {Value{id}});
      return {};
    };
  }
};

// Holds the first batch open inside its transaction until released, so that the units
// submitted meanwhile deterministically form the second batch.
struct Gate {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();

  // Starts the gate's unit as the first batch and returns once it is inside it.
  std::future<Status> hold(CommitBatcher& batcher, std::int64_t id = 1) {
    auto outcome = std::async(std::launch::async, [this, &batcher, id] { return batcher.run(unit(id)); });
    entered.get_future().wait();
    return outcome;
  }

  CommitBatcher::Unit unit(std::int64_t id) {
    return [this, id](Connection& tx) -> Status {
      AH_TRY_STATUS(tx.query("INSERT INTO items (id, label) VALUES ($1, 'gate')", {Value{id}}));
      AH_TRY_STATUS(tx.query("UPDATE counter SET n = n + 1"));
      entered.set_value();
      released.wait();
      return {};
    };
  }
};

TEST_P(CommitBatcherTest, EveryAcknowledgedUnitIsStoredAndCountsMatch) {
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t id = t * 1000 + i;
        Status s = db->grouped_transaction([&](Connection& tx) { return add_item(tx, id); });
        EXPECT_TRUE(s) << s.error().detail;
        if (s) ++acknowledged;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(acknowledged.load(), kThreads * kEach);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), kThreads * kEach);
  EXPECT_EQ(scalar(*db, "SELECT n FROM counter"), kThreads * kEach);
  EXPECT_EQ(db->pool_stats().in_use, 0);
  EXPECT_EQ(db->pool_stats().grouped_transactions, static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_GE(db->pool_stats().grouped_commits, 1u);
  EXPECT_LE(db->pool_stats().grouped_commits, db->pool_stats().grouped_transactions);
}

// On PostgreSQL a batch starts while the one before it commits. Units that lock the same
// two rows in opposite orders would deadlock if two batches ran statements at once (and
// PostgreSQL would fail one of them after a second); one running batch at a time cannot.
TEST_P(CommitBatcherTest, BatchesNeverWaitForEachOther) {
  ASSERT_TRUE(db->query("CREATE TABLE pair (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"));
  ASSERT_TRUE(db->query("INSERT INTO pair (id, n) VALUES (1, 0), (2, 0)"));
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t first = (t + i) % 2 + 1, second = 3 - first;
        Status s = db->grouped_transaction([&](Connection& tx) -> Status {
          for (std::int64_t id : {first, second})
            AH_TRY_STATUS(tx.query("UPDATE pair SET n = n + 1 WHERE id = $1", {Value{id}}));
          return {};
        });
        EXPECT_TRUE(s) << s.error().detail;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(scalar(*db, "SELECT n FROM pair WHERE id = 1"), kThreads * kEach);
  EXPECT_EQ(scalar(*db, "SELECT n FROM pair WHERE id = 2"), kThreads * kEach);
}

TEST_P(CommitBatcherTest, UnitsWaitingTogetherShareOneTransactionAndPassValuesOn) {
  CommitBatcher batcher(*db);
  Gate gate;
  auto first = gate.hold(batcher);
  std::vector<std::future<Result<std::int64_t>>> waiting;
  for (std::int64_t id = 2; id <= 6; ++id) {
    waiting.push_back(std::async(std::launch::async, [&, id] {
      std::optional<std::int64_t> count;
      Status s = batcher.run([&](Connection& tx) -> Status {
        AH_TRY_STATUS(add_item(tx, id));
        AH_TRY(rs, tx.query("SELECT COUNT(*) FROM items WHERE id = $1", {Value{id}}));
        count = rs.rows.at(0).int64(0);
        return {};
      });
      if (!s) return Result<std::int64_t>(std::unexpected(s.error()));
      return Result<std::int64_t>(*count);
    }));
  }
  wait_until_queued(batcher, 5);
  gate.release.set_value();
  ASSERT_TRUE(first.get());
  for (auto& w : waiting) {
    auto seen = w.get();
    ASSERT_TRUE(seen) << seen.error().detail;
    EXPECT_EQ(*seen, 1);  // the unit saw its own row inside the shared transaction
  }
  EXPECT_EQ(batcher.stats().batches, 2u);  // the gate's, then the five together
  EXPECT_EQ(batcher.stats().units, 6u);
  EXPECT_EQ(batcher.stats().reruns, 0u) << "all succeeded: one pass, without savepoints";
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 6);
  EXPECT_EQ(scalar(*db, "SELECT n FROM counter"), 6);
}

TEST_P(CommitBatcherTest, AFailingUnitKeepsItsErrorAndItsBatchMatesCommit) {
  CommitBatcher batcher(*db);
  Gate gate;
  auto first = gate.hold(batcher);
  auto good_a = queue_behind(batcher, [](Connection& tx) { return add_item(tx, 2); }, 1);
  // Id 1 is taken (by the gate's unit): a constraint fails, after the counter moved.
  auto duplicate = queue_behind(
      batcher,
      [](Connection& tx) -> Status {
        AH_TRY_STATUS(tx.query("UPDATE counter SET n = n + 100"));
        return add_item(tx, 1);
      },
      2);
  auto refused = queue_behind(
      batcher,
      [](Connection& tx) -> Status {
        AH_TRY_STATUS(add_item(tx, 3));
        return fail(ErrorCode::forbidden, "not this one");
      },
      3);
  auto thrower = queue_behind(
      batcher,
      [](Connection& tx) -> Status {
        AH_TRY_STATUS(add_item(tx, 4));
        throw std::runtime_error("boom");
      },
      4);
  auto ignorer = queue_behind(batcher, ignoring_a_failure(1000, 2), 5);
  auto good_b = queue_behind(batcher, [](Connection& tx) { return add_item(tx, 5); }, 6);
  gate.release.set_value();

  EXPECT_TRUE(first.get());
  Status a = good_a.get(), b = good_b.get();
  EXPECT_TRUE(a) << a.error().detail;
  EXPECT_TRUE(b) << b.error().detail;
  Status d = duplicate.get();
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::conflict);
  Status r = refused.get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "not this one");
  EXPECT_THROW(thrower.get(), std::runtime_error);
  EXPECT_FALSE(ignorer.get());
  EXPECT_EQ(batcher.stats().batches, 2u);
  // The second batch failed in its first pass and ran again, a savepoint a unit; the
  // counts below show that no unit's work was stored twice.
  EXPECT_EQ(batcher.stats().reruns, 1u);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 3);  // 1, 2 and 5
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items WHERE id IN (1, 2, 5)"), 3);
  EXPECT_EQ(scalar(*db, "SELECT n FROM counter"), 3);
  EXPECT_EQ(db->pool_stats().in_use, 0);
}

// The first pass runs units without savepoints: a unit that ignores its failed statement
// must still be caught there (PostgreSQL would turn the COMMIT of the aborted transaction
// into a silent ROLLBACK; SQLite would keep the unit's other statements).
TEST_P(CommitBatcherTest, AnIgnoredFailureInTheLastUnitIsCaughtWithoutSavepoints) {
  CommitBatcher batcher(*db);
  Gate gate;
  auto first = gate.hold(batcher);
  auto good = queue_behind(batcher, [](Connection& tx) { return add_item(tx, 2); }, 1);
  auto ignorer = queue_behind(batcher, ignoring_a_failure(1000, 1), 2);
  gate.release.set_value();
  EXPECT_TRUE(first.get());
  Status g = good.get();
  EXPECT_TRUE(g) << g.error().detail;
  EXPECT_FALSE(ignorer.get());
  EXPECT_EQ(batcher.stats().reruns, 1u);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 2);
  EXPECT_EQ(scalar(*db, "SELECT n FROM counter"), 2);
}

TEST_P(CommitBatcherTest, AUnitAloneIsItsOwnTransactionWithTheSameGuarantees) {
  CommitBatcher batcher(*db);
  EXPECT_TRUE(batcher.run([](Connection& tx) { return add_item(tx, 1); }));
  Status refused = batcher.run([](Connection& tx) -> Status {
    AH_TRY_STATUS(add_item(tx, 2));
    return fail(ErrorCode::forbidden, "not this one");
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "not this one");
  Status ignored = batcher.run([](Connection& tx) -> Status {
    AH_TRY_STATUS(tx.query("UPDATE counter SET n = n + 1000"));
    (void)tx.query("INSERT INTO items (id, label) VALUES (1, 'again')");
    return {};
  });
  EXPECT_FALSE(ignored) << "an ignored failure must not be committed";
  EXPECT_THROW(batcher.run([](Connection& tx) -> Status {
                 AH_TRY_STATUS(add_item(tx, 3));
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  EXPECT_EQ(batcher.stats().batches, 4u);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 1);
  EXPECT_EQ(scalar(*db, "SELECT n FROM counter"), 1);
  EXPECT_EQ(db->pool_stats().in_use, 0);
  // Usable afterwards.
  EXPECT_TRUE(batcher.run([](Connection& tx) { return add_item(tx, 4); }));
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 2);
}

TEST_P(CommitBatcherTest, AFailedCommitFailsEveryUnitOfTheBatch) {
  // A deferred constraint is checked at COMMIT on PostgreSQL; SQLite's foreign keys can be
  // deferred the same way. Either way the whole batch fails and nothing is kept.
  ASSERT_TRUE(db->query("CREATE TABLE parents (id BIGINT PRIMARY KEY)"));
  ASSERT_TRUE(
      db->query("CREATE TABLE children (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL"
                " REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)"));
  CommitBatcher batcher(*db);
  Gate gate;
  auto first = gate.hold(batcher);
  auto good = queue_behind(batcher, [](Connection& tx) { return add_item(tx, 2); }, 1);
  auto orphan = queue_behind(
      batcher,
      [](Connection& tx) -> Status {
        AH_TRY_STATUS(tx.query("INSERT INTO children (id, parent_id) VALUES (1, 42)"));
        return {};
      },
      2);
  gate.release.set_value();
  EXPECT_TRUE(first.get());  // the first batch held only the gate
  EXPECT_FALSE(good.get());
  EXPECT_FALSE(orphan.get());
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 1);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM children"), 0);
  EXPECT_EQ(scalar(*db, "SELECT n FROM counter"), 1);
}

TEST_P(CommitBatcherTest, TheDestructorWaitsUntilEveryQueuedUnitIsCommitted) {
  auto batcher = std::make_unique<CommitBatcher>(*db);
  Gate gate;
  auto first = gate.hold(*batcher);
  std::vector<std::future<Status>> waiting;
  for (std::int64_t id = 2; id <= 4; ++id)
    waiting.push_back(std::async(std::launch::async, [&, id] {
      return batcher->run([id](Connection& tx) { return add_item(tx, id); });
    }));
  wait_until_queued(*batcher, 3);
  auto shutdown = std::async(std::launch::async, [&] { batcher.reset(); });
  EXPECT_EQ(shutdown.wait_for(50ms), std::future_status::timeout);  // held by the gate
  gate.release.set_value();
  shutdown.get();
  EXPECT_TRUE(first.get());
  for (auto& w : waiting) EXPECT_TRUE(w.get());
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 4);
}

TEST_P(CommitBatcherTest, SavepointsNestInAnOrdinaryTransaction) {
  Status outcome = db->transaction([](Connection& tx) -> Status {
    AH_TRY_STATUS(add_item(tx, 1));
    Status inner = tx.savepoint([](Connection& c) -> Status {
      AH_TRY_STATUS(add_item(c, 2));
      return add_item(c, 1);  // conflict: undoes 2 and its count
    });
    EXPECT_FALSE(inner);
    return add_item(tx, 3);
  });
  ASSERT_TRUE(outcome) << outcome.error().detail;
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items WHERE id IN (1, 3)"), 2);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 2);
  EXPECT_EQ(scalar(*db, "SELECT n FROM counter"), 2);
}

AH_INSTANTIATE_BACKEND_TEST(CommitBatcherTest);

}  // namespace
}  // namespace ah::db
