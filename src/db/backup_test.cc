#include "db/backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>

#include "db/migrate.h"
#include "db/test_database.h"

namespace ah::db {
namespace {

using testing::scalar;

const Migration kNotes[] = {
    {1, "create_notes", "CREATE TABLE notes (id {{id}}, body TEXT NOT NULL);"},
};

// What PRAGMA integrity_check says about the SQLite file at `path`.
std::string integrity_of(const std::string& path) {
  sqlite3* raw = nullptr;
  sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db(raw, &sqlite3_close_v2);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db.get(), "PRAGMA integrity_check", -1, &statement, nullptr) !=
      SQLITE_OK) {
    return sqlite3_errmsg(db.get());
  }
  std::string verdict = sqlite3_step(statement) == SQLITE_ROW
                            ? reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))
                            : sqlite3_errmsg(db.get());
  sqlite3_finalize(statement);
  return verdict;
}

class BackupTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(migrate(*db, kNotes));
  }

  Status add_note(Database& target, const std::string& body) {
    AH_TRY_STATUS(target.query("INSERT INTO notes (body) VALUES ($1)", {Value{body}}));
    return {};
  }

  std::string file(std::string_view name) const { return (scratch_dir() / name).string(); }

  // For PostgreSQL both operations must point the operator to the server's tools.
  void expect_postgres_refusal(const Status& status, std::string_view tool) {
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::invalid_input);
    EXPECT_NE(status.error().message.find(tool), std::string::npos) << status.error().message;
  }
};

TEST_P(BackupTest, BackupWhileAnotherThreadWritesIsConsistent) {
  if (backend() == Backend::postgres) {
    expect_postgres_refusal(backup(*db, file("pg.db")), "pg_dump");
    return;
  }
  const std::string filler(2000, 'x');  // a few MB, so the backup takes many steps
  ASSERT_TRUE(db->transaction([&](Connection& tx) -> Status {
    for (int i = 0; i < 3000; ++i) {
      AH_TRY_STATUS(tx.query("INSERT INTO notes (body) VALUES ($1)", {Value{filler}}));
    }
    return {};
  }));

  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto own = open();
    while (!stop) {
      Status added = add_note(*own, "während der Sicherung " + std::to_string(written));
      if (!added) {
        ADD_FAILURE() << added.error().detail;
        return;
      }
      ++written;
    }
  });
  while (written < 50) std::this_thread::yield();

  const std::string copy = file("backup.db");
  Status backed_up = backup(*db, copy);
  const int written_by_end_of_backup = written;
  stop = true;
  writer.join();
  ASSERT_TRUE(backed_up) << backed_up.error().detail;

  EXPECT_EQ(integrity_of(copy), "ok");
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
  EXPECT_FALSE(std::filesystem::exists(copy + "-wal"));  // a self-contained file
  auto copied = Database::open("sqlite:" + copy, {});
  ASSERT_TRUE(copied);
  const std::int64_t rows = scalar(**copied, "SELECT COUNT(*) FROM notes");
  EXPECT_GE(rows, 3000 + 50);
  EXPECT_LE(rows, 3000 + written_by_end_of_backup);
  EXPECT_EQ(*current_version(**copied), 1);
}

TEST_P(BackupTest, RestoreBringsBackTheBackedUpState) {
  if (backend() == Backend::postgres) {
    expect_postgres_refusal(restore(file("backup.db"), url()), "pg_restore");
    return;
  }
  ASSERT_TRUE(add_note(*db, "vor der Sicherung"));
  const std::string copy = file("backup.db");
  ASSERT_TRUE(backup(*db, copy));
  ASSERT_TRUE(db->query("DELETE FROM notes"));
  ASSERT_TRUE(add_note(*db, "nach der Sicherung"));
  db.reset();  // restore needs the database to itself

  Status restored = restore(copy, url());
  ASSERT_TRUE(restored) << restored.error().detail;

  db = open();
  auto notes = db->query("SELECT body FROM notes");
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->rows.size(), 1u);
  EXPECT_EQ(notes->rows[0].text(0), "vor der Sicherung");
  EXPECT_EQ(*current_version(*db), 1);
  EXPECT_EQ(integrity_of(db->sqlite_path()), "ok");
}

TEST_P(BackupTest, RestoreRefusesDamagedAndForeignFiles) {
  if (backend() == Backend::postgres) {
    expect_postgres_refusal(restore(file("backup.db"), url()), "pg_restore");
    return;
  }
  ASSERT_TRUE(add_note(*db, "bleibt"));
  db.reset();

  const std::string garbage = file("garbage.db");
  std::ofstream(garbage) << std::string(8192, '\x5a');
  const std::string foreign = file("foreign.db");
  {
    auto other = Database::open("sqlite:" + foreign, {});
    ASSERT_TRUE(other);
    ASSERT_TRUE((*other)->query("CREATE TABLE something_else (x BIGINT)"));
  }
  for (const std::string& source : {garbage, foreign, file("missing.db")}) {
    Status restored = restore(source, url());
    ASSERT_FALSE(restored) << source;
    EXPECT_EQ(restored.error().code, ErrorCode::invalid_input) << restored.error().detail;
  }

  db = open();
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM notes"), 1);  // the target is untouched
}

TEST_P(BackupTest, BackupRefusesToOverwriteTheDatabaseItself) {
  if (backend() == Backend::postgres) {
    expect_postgres_refusal(backup(*db, file("pg.db")), "pg_dump");
    return;
  }
  Status backed_up = backup(*db, db->sqlite_path());
  ASSERT_FALSE(backed_up);
  EXPECT_EQ(backed_up.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(*current_version(*db), 1);
}

AH_INSTANTIATE_BACKEND_TEST(BackupTest);

}  // namespace
}  // namespace ah::db
