#include "db/migrate.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "db/test_database.h"

namespace ah::db {
namespace {

using testing::scalar;

class MigrateTest : public testing::BackendTest {
 protected:
  bool table_exists(std::string_view table) {
    const std::string_view sql =
        backend() == Backend::sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
            : "SELECT COUNT(*) FROM information_schema.tables"
              " WHERE table_name = $1 AND table_schema = current_schema()";
    return scalar(*db, sql, {Value{std::string(table)}}) == 1;
  }

  // Plain CREATE TABLE (no IF NOT EXISTS): running any of these twice would fail.
  const std::vector<Migration> base_ = {
      {1, "create_orgs", "CREATE TABLE orgs (id {{id}}, ags TEXT NOT NULL UNIQUE);"},
      {2, "create_members",
       "CREATE TABLE members (id {{id}}, org_id BIGINT NOT NULL REFERENCES orgs (id));"
       "CREATE INDEX members_by_org ON members (org_id);"},
  };
};

TEST_P(MigrateTest, FreshDatabaseGetsEveryMigrationRecorded) {
  auto before = current_version(*db);
  ASSERT_TRUE(before) << before.error().detail;
  EXPECT_EQ(*before, 0);

  Status migrated = migrate(*db, base_);
  ASSERT_TRUE(migrated) << migrated.error().detail;
  auto after = current_version(*db);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, 2);
  auto recorded = db->query(
      "SELECT version, name, applied_at FROM schema_migrations"
      " ORDER BY version");
  ASSERT_TRUE(recorded);
  ASSERT_EQ(recorded->rows.size(), 2u);
  EXPECT_EQ(recorded->rows[1].int64(0), 2);
  EXPECT_EQ(recorded->rows[1].text(1), "create_members");
  EXPECT_EQ(recorded->rows[1].text(2).size(), 20u);  // 2024-05-01T12:00:00Z
}

TEST_P(MigrateTest, IdTokenGivesIncreasingIdsThatAreNeverReused) {
  ASSERT_TRUE(migrate(*db, base_));
  const auto insert = [&](std::string ags) {
    return scalar(*db, "INSERT INTO orgs (ags) VALUES ($1) RETURNING id", {Value{ags}});
  };
  const std::int64_t first = insert("15001000");
  const std::int64_t second = insert("15002000");
  EXPECT_GT(second, first);
  ASSERT_TRUE(db->query("DELETE FROM orgs WHERE id = $1", {Value{second}}));
  EXPECT_GT(insert("15003000"), second);
}

TEST_P(MigrateTest, SecondRunIsANoOp) {
  ASSERT_TRUE(migrate(*db, base_));
  Status again = migrate(*db, base_);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM schema_migrations"), 2);
}

TEST_P(MigrateTest, ConcurrentRunsApplyEachMigrationOnce) {
  std::vector<std::thread> nodes;
  for (int node = 0; node < 3; ++node) {
    nodes.emplace_back([&] {
      auto own = open();  // like separate app nodes starting together
      Status migrated = migrate(*own, base_);
      EXPECT_TRUE(migrated) << migrated.error().detail;
    });
  }
  for (std::thread& node : nodes) node.join();
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM schema_migrations"), 2);
}

TEST_P(MigrateTest, FailingMigrationRollsBackCompletelyAndNamesItself) {
  std::vector<Migration> migrations = base_;
  migrations.push_back({3, "broken_votes",
                        "CREATE TABLE votes (id {{id}});"
                        "INSERT INTO votes (id) VALUES (1);"
                        "INSERT INTO no_such_table (x) VALUES (1);"});
  Status migrated = migrate(*db, migrations);
  ASSERT_FALSE(migrated);
  EXPECT_NE(migrated.error().message.find("3 (broken_votes)"), std::string::npos)
      << migrated.error().message;
  EXPECT_EQ(migrated.error().message.find("INSERT"), std::string::npos);
  EXPECT_FALSE(table_exists("votes"));
  EXPECT_TRUE(table_exists("members"));
  EXPECT_EQ(*current_version(*db), 2);

  migrations.back().sql = "CREATE TABLE votes (id {{id}});";
  ASSERT_TRUE(migrate(*db, migrations));
  EXPECT_EQ(*current_version(*db), 3);
}

TEST_P(MigrateTest, LoadStepRunsInTheMigrationsTransaction) {
  std::vector<Migration> with_data = base_;
  with_data.push_back({3, "seed_orgs", "", [](Connection& c) -> Status {
                         for (const char* ags : {"15001000", "15002000"})
                           AH_TRY_STATUS(c.query("INSERT INTO orgs (ags) VALUES ($1)", {Value{ags}}));
                         return {};
                       }});
  ASSERT_TRUE(migrate(*db, with_data));
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM orgs"), 2);
  EXPECT_EQ(*current_version(*db), 3);
  ASSERT_TRUE(migrate(*db, with_data));  // not loaded twice
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM orgs"), 2);
}

TEST_P(MigrateTest, FailingLoadStepRollsBackItsSql) {
  std::vector<Migration> failing = base_;
  failing.push_back({3, "broken_seed", "CREATE TABLE extra (x INTEGER);",
                     [](Connection& c) -> Status {
                       AH_TRY_STATUS(c.query("INSERT INTO orgs (ags) VALUES ($1)", {Value{"1"}}));
                       return fail(ErrorCode::invalid_input, "data file line 7: bad AGS");
                     }});
  Status migrated = migrate(*db, failing);
  ASSERT_FALSE(migrated);
  EXPECT_NE(migrated.error().message.find("broken_seed"), std::string::npos);
  EXPECT_EQ(migrated.error().detail, "data file line 7: bad AGS");
  EXPECT_FALSE(table_exists("extra"));
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM orgs"), 0);
  EXPECT_EQ(*current_version(*db), 2);
}

TEST_P(MigrateTest, RefusesADatabaseNewerThanTheCode) {
  std::vector<Migration> newer = base_;
  newer.push_back({3, "create_votes", "CREATE TABLE votes (id {{id}});"});
  ASSERT_TRUE(migrate(*db, newer));

  Status older_code = migrate(*db, base_);
  ASSERT_FALSE(older_code);
  EXPECT_EQ(older_code.error().code, ErrorCode::conflict);
  EXPECT_NE(older_code.error().message.find("version 3"), std::string::npos)
      << older_code.error().message;
  EXPECT_EQ(*current_version(*db), 3);
}

TEST_P(MigrateTest, RefusesBadListsBeforeTouchingTheDatabase) {
  const std::vector<std::vector<Migration>> bad_lists = {
      {base_[1], base_[0]},                                      // descending
      {base_[0], base_[0]},                                      // duplicate version
      {{0, "zero", "CREATE TABLE zero (x BIGINT);"}},            // not positive
      {{1, "", "CREATE TABLE nameless (x BIGINT);"}},            // no name
      {base_[0], {2, "uuid", "CREATE TABLE u (id {{uuid}});"}},  // unknown token
  };
  for (const auto& list : bad_lists) {
    Status migrated = migrate(*db, list);
    ASSERT_FALSE(migrated);
    EXPECT_EQ(migrated.error().code, ErrorCode::invalid_input) << migrated.error().message;
  }
  EXPECT_EQ(*current_version(*db), 0);
  EXPECT_FALSE(table_exists("orgs"));
}

AH_INSTANTIATE_BACKEND_TEST(MigrateTest);

}  // namespace
}  // namespace ah::db
