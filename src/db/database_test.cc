#include "db/database.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <limits>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "db/test_database.h"

namespace ah::db {
namespace {

using namespace std::chrono_literals;
using testing::scalar;

class DatabaseTest : public testing::BackendTest {
 protected:
  void create_items_table() {
    auto created = db->query(
        "CREATE TABLE items (id BIGINT PRIMARY KEY, whole BIGINT, fraction DOUBLE PRECISION,"
        " label TEXT UNIQUE, note TEXT)");
    ASSERT_TRUE(created) << created.error().detail;
  }

  Status insert_item(Database& target, std::int64_t id, std::string label) {
    AH_TRY_STATUS(target.query("INSERT INTO items (id, label) VALUES ($1, $2)",
                               {Value{id}, Value{std::move(label)}}));
    return {};
  }
};

TEST_P(DatabaseTest, RoundTripsEveryValueKindAndNull) {
  create_items_table();
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  ASSERT_TRUE(
      db->query("INSERT INTO items (id, whole, fraction, label, note) VALUES ($1, $2, $3, $4, $5)",
                {Value{std::int64_t{1}}, Value{big}, Value{-2.5}, Value{"it's \"quoted\"; --"},
                 Value{nullptr}}));
  ASSERT_TRUE(db->query("INSERT INTO items (id, whole) VALUES ($1, $2)",
                        {Value{std::int64_t{2}}, Value{small}}));

  auto result = db->query("SELECT whole, fraction, label, note FROM items WHERE id = $1",
                          {Value{std::int64_t{1}}});
  ASSERT_TRUE(result) << result.error().detail;
  ASSERT_EQ(result->rows.size(), 1u);
  EXPECT_EQ(result->columns, (std::vector<std::string>{"whole", "fraction", "label", "note"}));
  const Row& row = result->rows[0];
  EXPECT_EQ(row.int64(0), big);
  EXPECT_DOUBLE_EQ(row.real(1), -2.5);
  EXPECT_EQ(row.text(2), "it's \"quoted\"; --");
  EXPECT_TRUE(row.is_null(3));
  EXPECT_FALSE(row.is_null(0));
  EXPECT_THROW(row.int64(3), std::logic_error);
  EXPECT_THROW(row.text(0), std::logic_error);

  EXPECT_EQ(scalar(*db, "SELECT whole FROM items WHERE id = $1", {Value{std::int64_t{2}}}), small);
  // Parameters without a column to give them a type come back as what was bound.
  auto echoed = db->query("SELECT $1, $2, $3", {Value{std::int64_t{7}}, Value{0.125}, Value{"x"}});
  ASSERT_TRUE(echoed) << echoed.error().detail;
  EXPECT_EQ(echoed->rows[0].value(0), Value{std::int64_t{7}});
  EXPECT_EQ(echoed->rows[0].value(1), Value{0.125});
  EXPECT_EQ(echoed->rows[0].value(2), Value{"x"});
  // NULL binds where a value is compared, and matches nothing.
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items WHERE note = $1", {Value{nullptr}}), 0);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items WHERE note IS NULL"), 2);
}

TEST_P(DatabaseTest, KeepsUnicodeTextIntact) {
  create_items_table();
  const std::string text = "Köthen (Anhalt), Gräfenhainichen, Zörbig — Straße ✓ 🏛";
  ASSERT_TRUE(insert_item(*db, 1, text));
  auto result = db->query("SELECT label, LENGTH(label) FROM items WHERE label = $1", {Value{text}});
  ASSERT_TRUE(result) << result.error().detail;
  ASSERT_EQ(result->rows.size(), 1u);
  EXPECT_EQ(result->rows[0].text(0), text);
  EXPECT_EQ(result->rows[0].int64(1), 53);  // characters, not bytes
}

TEST_P(DatabaseTest, ConstraintViolationsAreConflicts) {
  create_items_table();
  ASSERT_TRUE(db->query("CREATE TABLE tags (item_id BIGINT NOT NULL REFERENCES items (id))"));
  ASSERT_TRUE(insert_item(*db, 1, "Magdeburg"));

  Status duplicate = insert_item(*db, 2, "Magdeburg");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::conflict);
  EXPECT_EQ(duplicate.error().message.find("INSERT"), std::string::npos);
  EXPECT_EQ(duplicate.error().message.find("items"), std::string::npos);
  EXPECT_FALSE(duplicate.error().detail.empty());

  auto missing_parent =
      db->query("INSERT INTO tags (item_id) VALUES ($1)", {Value{std::int64_t{99}}});
  ASSERT_FALSE(missing_parent);  // SQLite enforces this only with foreign_keys=ON
  EXPECT_EQ(missing_parent.error().code, ErrorCode::conflict);

  auto null_parent = db->query("INSERT INTO tags (item_id) VALUES ($1)", {Value{nullptr}});
  ASSERT_FALSE(null_parent);
  EXPECT_EQ(null_parent.error().code, ErrorCode::conflict);
}

TEST_P(DatabaseTest, BadSqlIsInternalAndKeepsSqlOutOfTheMessage) {
  auto result = db->query("SELEKT secret_column FROM nowhere");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::internal);
  EXPECT_EQ(result.error().message.find("secret_column"), std::string::npos);
  EXPECT_EQ(result.error().message.find("SELEKT"), std::string::npos);
  EXPECT_FALSE(result.error().detail.empty());
}

TEST_P(DatabaseTest, RefusesParameterCountMismatchAndSecondStatement) {
  auto too_few = db->query("SELECT $1, $2", {Value{std::int64_t{1}}});
  ASSERT_FALSE(too_few);
  EXPECT_EQ(too_few.error().code, ErrorCode::internal);
  auto too_many = db->query("SELECT $1", {Value{std::int64_t{1}}, Value{std::int64_t{2}}});
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, ErrorCode::internal);
  auto two = db->query("SELECT 1; SELECT 2");
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, ErrorCode::internal);
  EXPECT_TRUE(db->ping());  // the connection survived the refusals
}

TEST_P(DatabaseTest, ReportsAffectedRowsForChangesOnly) {
  create_items_table();
  for (std::int64_t id = 1; id <= 3; ++id) ASSERT_TRUE(insert_item(*db, id, std::to_string(id)));
  auto updated =
      db->query("UPDATE items SET note = $1 WHERE id >= $2", {Value{"n"}, Value{std::int64_t{2}}});
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->affected_rows, 2);
  auto selected = db->query("SELECT id FROM items");
  ASSERT_TRUE(selected);
  EXPECT_EQ(selected->rows.size(), 3u);
  EXPECT_EQ(selected->affected_rows, 0);
  auto returned = db->query("INSERT INTO items (id, label) VALUES ($1, $2) RETURNING id",
                            {Value{std::int64_t{4}}, Value{"4"}});
  ASSERT_TRUE(returned) << returned.error().detail;
  EXPECT_EQ(returned->rows.at(0).int64(0), 4);
  EXPECT_EQ(returned->affected_rows, 1);
  auto deleted = db->query("DELETE FROM items WHERE id = $1", {Value{std::int64_t{42}}});
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->affected_rows, 0);
}

TEST_P(DatabaseTest, TransactionCommitsAndPassesTheValueOn) {
  create_items_table();
  Result<std::int64_t> total = db->transaction([&](Connection& tx) -> Result<std::int64_t> {
    AH_TRY_STATUS(tx.query("INSERT INTO items (id, label) VALUES ($1, $2)",
                           {Value{std::int64_t{1}}, Value{"a"}}));
    AH_TRY_STATUS(tx.query("INSERT INTO items (id, label) VALUES ($1, $2)",
                           {Value{std::int64_t{2}}, Value{"b"}}));
    AH_TRY(count, tx.query("SELECT COUNT(*) FROM items"));
    return count.rows.at(0).int64(0);
  });
  ASSERT_TRUE(total) << total.error().detail;
  EXPECT_EQ(*total, 2);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 2);
}

TEST_P(DatabaseTest, TransactionRollsBackWhenTheBodyFails) {
  create_items_table();
  Status outcome = db->transaction([&](Connection& tx) -> Status {
    AH_TRY_STATUS(tx.query("INSERT INTO items (id, label) VALUES ($1, $2)",
                           {Value{std::int64_t{1}}, Value{"a"}}));
    return fail(ErrorCode::invalid_input, "changed my mind");
  });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "changed my mind");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 0);
  EXPECT_EQ(db->pool_stats().in_use, 0);
}

TEST_P(DatabaseTest, TransactionRollsBackWhenAStatementFailedEvenIfTheBodyWentOn) {
  create_items_table();
  ASSERT_TRUE(insert_item(*db, 1, "taken"));
  Status outcome = db->transaction([&](Connection& tx) -> Status {
    AH_TRY_STATUS(tx.query("INSERT INTO items (id, label) VALUES ($1, $2)",
                           {Value{std::int64_t{2}}, Value{"fresh"}}));
    auto duplicate = tx.query("INSERT INTO items (id, label) VALUES ($1, $2)",
                              {Value{std::int64_t{3}}, Value{"taken"}});
    EXPECT_FALSE(duplicate);
    return {};  // ignores the failure on purpose
  });
  EXPECT_FALSE(outcome);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 1);
  EXPECT_TRUE(insert_item(*db, 4, "afterwards"));  // the pool hands out a clean connection
}

TEST_P(DatabaseTest, TransactionRollsBackAndRethrowsOnException) {
  create_items_table();
  EXPECT_THROW(db->transaction([&](Connection& tx) -> Status {
    AH_TRY_STATUS(tx.query("INSERT INTO items (id, label) VALUES ($1, $2)",
                           {Value{std::int64_t{1}}, Value{"a"}}));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), 0);
  EXPECT_EQ(db->pool_stats().in_use, 0);
  EXPECT_TRUE(insert_item(*db, 1, "a"));
}

TEST_P(DatabaseTest, ConcurrentWritersAllLand) {
  create_items_table();
  ASSERT_TRUE(db->query("CREATE TABLE counter (n BIGINT NOT NULL)"));
  ASSERT_TRUE(db->query("INSERT INTO counter (n) VALUES (0)"));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::int64_t id = t * kPerThread + i + 1;
        // Half autocommit statements, half transactions that also bump a shared counter.
        Status done =
            i % 2 == 0
                ? insert_item(*db, id, "item " + std::to_string(id))
                : db->transaction([&](Connection& tx) -> Status {
                    AH_TRY_STATUS(tx.query("INSERT INTO items (id, label) VALUES ($1, $2)",
                                           {Value{id}, Value{"item " + std::to_string(id)}}));
                    AH_TRY_STATUS(tx.query("UPDATE counter SET n = n + 1"));
                    return {};
                  });
        if (!done) {
          ADD_FAILURE() << done.error().detail;
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM items"), kThreads * kPerThread);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(DISTINCT id) FROM items"), kThreads * kPerThread);
  EXPECT_EQ(scalar(*db, "SELECT n FROM counter"), kThreads * kPerThread / 2);
  EXPECT_LE(db->pool_stats().size, Options{}.max_connections);
}

// Keeps the only connection of a one-connection Database busy inside a transaction from
// construction until release() or destruction.
class ConnectionHog {
 public:
  explicit ConnectionHog(Database& db) {
    std::promise<void> held;
    std::future<void> taken = held.get_future();
    thread_ = std::thread([&db, held = std::move(held), release = release_.get_future()]() mutable {
      Status outcome = db.transaction([&](Connection&) -> Status {
        held.set_value();
        release.wait();
        return {};
      });
      EXPECT_TRUE(outcome);
    });
    taken.wait();
  }
  ~ConnectionHog() { release(); }
  ConnectionHog(const ConnectionHog&) = delete;
  ConnectionHog& operator=(const ConnectionHog&) = delete;

  void release() {
    if (!thread_.joinable()) return;
    release_.set_value();
    thread_.join();
  }

 private:
  std::promise<void> release_;
  std::thread thread_;
};

TEST_P(DatabaseTest, ExhaustedPoolMakesCallersWait) {
  auto single = open(Options{.max_connections = 1, .acquire_timeout = 10s});
  ConnectionHog hog(*single);
  EXPECT_EQ(single->pool_stats().in_use, 1);

  auto waiter = std::async(std::launch::async, [&] { return single->ping(); });
  EXPECT_EQ(waiter.wait_for(200ms), std::future_status::timeout);  // it waits ...
  hog.release();
  Status pinged = waiter.get();  // ... and then succeeds
  EXPECT_TRUE(pinged) << pinged.error().detail;
  const PoolStats stats = single->pool_stats();
  EXPECT_EQ(stats.size, 1);
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_GE(stats.waits, 1u);
}

TEST_P(DatabaseTest, WaitingPastTheAcquireTimeoutIsUnavailable) {
  auto single = open(Options{.max_connections = 1, .acquire_timeout = 50ms});
  ConnectionHog hog(*single);
  Status pinged = single->ping();
  ASSERT_FALSE(pinged);
  EXPECT_EQ(pinged.error().code, ErrorCode::unavailable);
}

TEST_P(DatabaseTest, ReusesPreparedStatements) {
  auto single = open(Options{.max_connections = 1});
  ASSERT_TRUE(single->ping());
  const std::uint64_t before = single->pool_stats().statements_prepared;
  for (std::int64_t i = 0; i < 20; ++i) {
    EXPECT_EQ(scalar(*single, "SELECT $1 + 1", {Value{i}}), i + 1);
  }
  EXPECT_EQ(single->pool_stats().statements_prepared, before + 1);
}

TEST_P(DatabaseTest, BoundedStatementCacheStartsOverWhenFull) {
  auto single = open(Options{.max_connections = 1, .statement_cache_size = 2});
  ASSERT_TRUE(single->ping());  // prepares SELECT 1
  const std::uint64_t before = single->pool_stats().statements_prepared;
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(scalar(*single, "SELECT $1 + 1", {Value{std::int64_t{1}}}), 2);
    EXPECT_EQ(scalar(*single, "SELECT $1 + 2", {Value{std::int64_t{1}}}), 3);
    EXPECT_EQ(scalar(*single, "SELECT $1 + 3", {Value{std::int64_t{1}}}), 4);
  }
  // Three statements cycling through a cache of two are prepared again and again.
  EXPECT_GT(single->pool_stats().statements_prepared, before + 3);
}

// A TCP port on 127.0.0.1 that accepts connections into its backlog but never answers,
// like a hung server: only a connect timeout ends an attempt to reach it.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("SilentListener: cannot listen");
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_P(DatabaseTest, PingOnUnreachableDatabaseIsUnavailableQuickly) {
  SilentListener hung_server;
  const std::string unreachable =
      backend() == Backend::sqlite
          ? "sqlite:" + (scratch_dir() / "no" / "such" / "dir" / "x.db").string()
          : "postgresql://postgres@127.0.0.1:" + std::to_string(hung_server.port()) + "/postgres";
  auto dead = Database::open(unreachable, Options{.connect_timeout = 2s});
  ASSERT_TRUE(dead);
  const auto start = std::chrono::steady_clock::now();
  Status pinged = (*dead)->ping();
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(pinged);
  EXPECT_EQ(pinged.error().code, ErrorCode::unavailable);
  EXPECT_LT(took, 4s);
  EXPECT_EQ((*dead)->pool_stats().size, 0);  // the failed attempt holds no slot
}

TEST(DatabaseOpenTest, RefusesUnknownSchemesAndEmptyPaths) {
  for (std::string_view url : {"mysql://localhost/x", "sqlite:", "", "/var/lib/x.db"}) {
    auto opened = Database::open(url, {});
    ASSERT_FALSE(opened) << url;
    EXPECT_EQ(opened.error().code, ErrorCode::invalid_input) << url;
  }
}

TEST(DatabaseOpenTest, InMemorySqliteKeepsOneDatabase) {
  auto db = Database::open("sqlite::memory:", Options{.max_connections = 8});
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->query("CREATE TABLE t (x BIGINT)"));
  ASSERT_TRUE((*db)->query("INSERT INTO t (x) VALUES (1)"));
  EXPECT_EQ(scalar(**db, "SELECT COUNT(*) FROM t"), 1);
}

AH_INSTANTIATE_BACKEND_TEST(DatabaseTest);

}  // namespace
}  // namespace ah::db
