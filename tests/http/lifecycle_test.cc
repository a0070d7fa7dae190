// The server's life as an operator sees it: health, graceful shutdown, backup and restore
// while serving, and the command line.
#include <signal.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>

#include "test_support.h"

namespace ah::test {
namespace {

namespace fs = std::filesystem;

// An unreachable PostgreSQL: nothing listens on port 1.
constexpr const char* kDeadPostgres = "postgresql://postgres@127.0.0.1:1/none";

// Closes an sqlite3 handle.
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

SqliteHandle open_sqlite(const fs::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_busy_timeout(db, 5000);
  return SqliteHandle(db);
}

// The first column of the first row of `sql`, as text ("" if none or on error).
std::string query_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) return {};
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    auto text = sqlite3_column_text(statement, 0);
    if (text) value = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(statement);
  return value;
}

std::int64_t row_count(const fs::path& file) {
  auto db = open_sqlite(file);
  std::string count = query_text(db.get(), "SELECT count(*) FROM test_writes");
  return count.empty() ? -1 : std::stoll(count);
}

// Inserts rows into the served database, one transaction each, as fast as it can, until
// destroyed: the load a backup must stay consistent under.
class Writer {
 public:
  explicit Writer(const fs::path& file) : db_(open_sqlite(file)) {
    ok_ = sqlite3_exec(db_.get(),
                       "CREATE TABLE IF NOT EXISTS test_writes (id INTEGER PRIMARY KEY, "
                       "payload TEXT NOT NULL)",
                       nullptr, nullptr, nullptr) == SQLITE_OK;
    if (ok_) thread_ = std::thread([this] { run(); });
  }
  ~Writer() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  bool ok() const { return ok_; }
  std::int64_t written() const { return written_; }
  std::int64_t failures() const { return failures_; }

 private:
  void run() {
    while (!stopping_) {
      int rc =
          sqlite3_exec(db_.get(), "INSERT INTO test_writes (payload) VALUES (hex(randomblob(200)))",
                       nullptr, nullptr, nullptr);
      if (rc == SQLITE_OK)
        ++written_;
      else
        ++failures_;
    }
  }

  SqliteHandle db_;
  bool ok_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> written_{0};
  std::atomic<std::int64_t> failures_{0};
  std::thread thread_;
};

void expect_sound_backup(const fs::path& file) {
  SCOPED_TRACE(file.string());
  ASSERT_TRUE(fs::exists(file));
  auto db = open_sqlite(file);
  EXPECT_EQ(query_text(db.get(), "PRAGMA integrity_check"), "ok");
  std::string migrations = query_text(db.get(), "SELECT count(*) FROM schema_migrations");
  EXPECT_FALSE(migrations.empty() || migrations == "0") << "no schema_migrations rows";
}

// /healthz says ok for the server and its database on `backend`, with a migrated schema.
void expect_healthy(std::uint16_t port, std::string_view backend) {
  auto r = http_get(port, "/healthz");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->header("Content-Type").starts_with("application/json")) << r->raw_header;
  auto health = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(health.is_object()) << r->body;
  EXPECT_EQ(health.value("status", ""), "ok") << health;
  auto database = health.value("database", nlohmann::json::object());
  EXPECT_EQ(database.value("status", ""), "ok") << health;
  EXPECT_EQ(database.value("backend", ""), backend) << health;
  EXPECT_GE(database.value("schema_version", 0), 1) << health;
}

// ---------------------------------------------------------------------------------------
// Health

using HealthTest = ServedTest;

TEST_F(HealthTest, ReportsDatabaseAndSchema) { expect_healthy(port(), "sqlite"); }

TEST(HealthStartup, UnreachableDatabaseStopsStartWithOneClearLine) {
  TempDir data;
  auto result = run_augenhoehe({"serve", "--listen", "127.0.0.1:0", "--data-dir",
                                data.path().string(), "--database", kDeadPostgres});
  EXPECT_TRUE(result.status.exited) << result.status.describe();
  EXPECT_NE(result.status.code, 0);
  SCOPED_TRACE("stderr:\n" + result.err);
  ASSERT_TRUE(result.err.starts_with("augenhoehe: ")) << "no one-line error first";
  auto first_line = result.err.substr(0, result.err.find('\n'));
  EXPECT_NE(first_line.find("atabase"), std::string::npos)
      << "the message does not say what failed";
  // A message and at most one detail line; libpq's multi-line texts must be folded.
  EXPECT_LE(std::ranges::count(result.err, '\n'), 2);
  for (std::string_view trace : {"terminate called", "what():", "Aborted", "#0 ", "std::"})
    EXPECT_EQ(result.err.find(trace), std::string::npos) << trace;
}

TEST(HealthPostgres, ReportsBackendPostgres) {
  const char* url = std::getenv("AUGENHOEHE_TEST_PG");
  if (!url || !*url) {
    const char* required = std::getenv("AUGENHOEHE_REQUIRE_PG");
    if (required && std::string_view(required) == "1")
      FAIL() << "AUGENHOEHE_REQUIRE_PG=1 but AUGENHOEHE_TEST_PG is not set";
    GTEST_SKIP() << "set AUGENHOEHE_TEST_PG to a PostgreSQL URL to run this test";
  }
  ServerProcess server({.args = {"--database", url}});
  ASSERT_TRUE(server.running()) << server.start_error();
  expect_healthy(server.port(), "postgres");
}

// ---------------------------------------------------------------------------------------
// Graceful shutdown

TEST(GracefulShutdown, FinishesInFlightRequestsClosesIdleOnesAndExitsZero) {
  ServerProcess server;
  ASSERT_TRUE(server.running()) << server.start_error();

  auto idle = Connection::open(server.port());
  ASSERT_TRUE(idle) << idle.error();
  ASSERT_TRUE(idle->send(get_request("/healthz")));
  auto first = idle->read_response();
  ASSERT_TRUE(first && first->status == 200);

  constexpr std::size_t kBody = 100000;
  auto busy = Connection::open(server.port());
  ASSERT_TRUE(busy) << busy.error();
  // "Expect: 100-continue" makes the server say when it has read the header, so the
  // SIGTERM below certainly arrives while this request is being read, not before.
  ASSERT_TRUE(busy->send(get_request(
      "/", {"Content-Length: " + std::to_string(kBody), "Expect: 100-continue"}, "POST")));
  auto go_on = busy->read_response(Body::none);
  ASSERT_TRUE(go_on) << go_on.error();
  ASSERT_EQ(go_on->status, 100);
  ASSERT_TRUE(busy->send(std::string(kBody / 2, 'x')));

  server.send_signal(SIGTERM);
  EXPECT_TRUE(idle->wait_closed(5s)) << "the idle keep-alive connection was not closed";
  ASSERT_TRUE(server.running());
  auto refused = Connection::open(server.port(), 2s);
  EXPECT_FALSE(refused) << "a new connection was accepted during shutdown";
  EXPECT_TRUE(server.running()) << "exited with a request still in flight";

  ASSERT_TRUE(busy->send(std::string(kBody - kBody / 2, 'x')));
  auto answer = busy->read_response();
  ASSERT_TRUE(answer) << answer.error();
  EXPECT_EQ(answer->status, 405);
  EXPECT_EQ(answer->header("Connection"), "close");

  auto status = server.wait(10s);
  ASSERT_TRUE(status) << "still running 10 s after SIGTERM";
  EXPECT_TRUE(status->clean()) << status->describe() << "\n" << server.stderr_text();
}

// ---------------------------------------------------------------------------------------
// Backup and restore

TEST(Backup, CopiesAreConsistentWhileRowsAreWritten) {
  TempDir data;
  TempDir backups;
  std::vector<fs::path> copies;
  {
    ServerProcess server({.data_dir = data.path()});
    ASSERT_TRUE(server.running()) << server.start_error();
    Writer writer(server.database_file());
    ASSERT_TRUE(writer.ok());
    for (int i = 0; i < 3; ++i) {
      auto before = writer.written();
      fs::path copy = backups.path() / ("backup-" + std::to_string(i) + ".db");
      auto result = run_augenhoehe({"backup", copy.string(), "--data-dir", data.path().string()});
      ASSERT_TRUE(result.status.clean()) << result.status.describe() << "\n" << result.err;
      EXPECT_GT(writer.written(), before) << "the writer stalled during backup " << i;
      expect_sound_backup(copy);
      copies.push_back(copy);
    }
    writer.stop();
    EXPECT_EQ(writer.failures(), 0) << "writes failed while backups ran";
    expect_healthy(server.port(), "sqlite");
  }

  // Restore the first copy over the (stopped) server's database: the later rows go.
  fs::path live = data.path() / "augenhoehe.db";
  auto in_backup = row_count(copies.front());
  ASSERT_LT(in_backup, row_count(live));
  auto restored = run_augenhoehe(
      {"restore", copies.front().string(), "--yes", "--data-dir", data.path().string()});
  ASSERT_TRUE(restored.status.clean()) << restored.status.describe() << "\n" << restored.err;
  EXPECT_EQ(row_count(live), in_backup);

  ServerProcess again({.data_dir = data.path()});
  ASSERT_TRUE(again.running()) << again.start_error();
  expect_healthy(again.port(), "sqlite");
}

TEST(Backup, RestoreWithoutYesAndWithoutTerminalRefuses) {
  TempDir data;
  TempDir backups;
  fs::path copy = backups.path() / "copy.db";
  ASSERT_TRUE(run_augenhoehe({"migrate", "--data-dir", data.path().string()}).status.clean());
  ASSERT_TRUE(
      run_augenhoehe({"backup", copy.string(), "--data-dir", data.path().string()}).status.clean());
  auto before = fs::last_write_time(data.path() / "augenhoehe.db");

  auto result = run_augenhoehe({"restore", copy.string(), "--data-dir", data.path().string()});
  EXPECT_TRUE(result.status.exited && result.status.code == 2) << result.status.describe();
  EXPECT_NE(result.err.find("--yes"), std::string::npos) << result.err;
  EXPECT_EQ(fs::last_write_time(data.path() / "augenhoehe.db"), before);
}

// ---------------------------------------------------------------------------------------
// Command line

TEST(CommandLine, CheckMasksThePasswordAndFailsOnAnUnreachableDatabase) {
  TempDir data;
  auto result = run_augenhoehe({"check", "--data-dir", data.path().string(), "--database",
                                "postgresql://u:geheim@127.0.0.1:1/x"});
  EXPECT_TRUE(result.status.exited && result.status.code == 1) << result.status.describe();
  EXPECT_NE(result.out.find("postgresql://u:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Effective configuration"), std::string::npos) << result.out;
  EXPECT_EQ((result.out + result.err).find("geheim"), std::string::npos)
      << result.out << result.err;
}

TEST(CommandLine, CheckPassesOnAMigratedSqliteDataDir) {
  TempDir data;
  ASSERT_TRUE(run_augenhoehe({"migrate", "--data-dir", data.path().string()}).status.clean());
  auto result = run_augenhoehe({"check", "--data-dir", data.path().string()});
  EXPECT_TRUE(result.status.clean()) << result.status.describe() << "\n" << result.out;
}

TEST(CommandLine, OrgCreateAddsAnOrganisationThatListAndThePagesShow) {
  TempDir data;
  auto created = run_augenhoehe({"org", "create", "--data-dir", data.path().string(), "--name",
                                 "Zweckverband Breitband Altmark", "--type", "zweckverband",
                                 "--kreis", "15081"});
  ASSERT_TRUE(created.status.clean()) << created.status.describe() << created.err;
  EXPECT_NE(created.out.find("/organisationen/o"), std::string::npos) << created.out;
  auto listed = run_augenhoehe({"org", "list", "--data-dir", data.path().string(), "--type", "zweckverband"});
  ASSERT_TRUE(listed.status.clean()) << listed.err;
  EXPECT_NE(listed.out.find("Zweckverband Breitband Altmark"), std::string::npos) << listed.out;
  auto all = run_augenhoehe({"org", "list", "--data-dir", data.path().string()});
  EXPECT_EQ(std::count(all.out.begin(), all.out.end(), '\n'), 231) << "230 reference organisations + 1";

  // Reference types are not created by hand; bad input names the option; nothing changes.
  auto gemeinde = run_augenhoehe({"org", "create", "--data-dir", data.path().string(), "--name", "X",
                                  "--type", "gemeinde"});
  EXPECT_TRUE(gemeinde.status.exited && gemeinde.status.code == 1);
  EXPECT_NE(gemeinde.err.find("--type"), std::string::npos) << gemeinde.err;
  auto bad_kreis = run_augenhoehe({"org", "create", "--data-dir", data.path().string(), "--name", "X",
                                   "--type", "verband", "--kreis", "15091375"});
  EXPECT_TRUE(bad_kreis.status.exited && bad_kreis.status.code == 1);
  EXPECT_NE(bad_kreis.err.find("is not a Kreis"), std::string::npos) << bad_kreis.err;
  auto again = run_augenhoehe({"org", "list", "--data-dir", data.path().string()});
  EXPECT_EQ(again.out, all.out);
}

TEST(CommandLine, UserCreateMakesAVerifiedAccountThatCanLogIn) {
  TempDir data;
  auto created = run_augenhoehe({"user", "create", "--data-dir", data.path().string(), "--email",
                                 "Amt@Wittenberg.example", "--name", "Amt Wittenberg"});
  ASSERT_TRUE(created.status.clean()) << created.err;
  auto at = created.out.find("password (shown once): ");
  ASSERT_NE(at, std::string::npos) << created.out;
  std::string password = created.out.substr(at + 23, created.out.find('\n', at) - at - 23);
  EXPECT_GE(password.size(), 16u);
  auto listed = run_augenhoehe({"user", "list", "--data-dir", data.path().string()});
  EXPECT_NE(listed.out.find("amt@wittenberg.example"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("verified"), std::string::npos);
  auto twice = run_augenhoehe({"user", "create", "--data-dir", data.path().string(), "--email",
                               "amt@wittenberg.example"});
  EXPECT_TRUE(twice.status.exited && twice.status.code == 1);
  EXPECT_NE(twice.err.find("exists already"), std::string::npos) << twice.err;

  // The account logs in through the JSON API of a server on the same data.
  ServerProcess server({.data_dir = data.path()});
  ASSERT_TRUE(server.start_error().empty()) << server.start_error();
  std::string body = R"({"email":"amt@wittenberg.example","password":")" + password + "\"}";
  auto login = fetch(server.port(), "POST /api/v1/session HTTP/1.1\r\nHost: t\r\n"
                                    "Content-Type: application/json\r\nContent-Length: " +
                                        std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_TRUE(login) << login.error();
  EXPECT_EQ(login->status, 200) << login->body;
  EXPECT_NE(login->header("Set-Cookie").find("ah_session="), std::string::npos);
}

TEST(CommandLine, TheOperatorNamesAnOrganisationsFirstAdmin) {
  TempDir data;
  std::string dir = data.path().string();
  // Bad role or organisation: refused before any account exists.
  auto bad_role = run_augenhoehe({"user", "create", "--data-dir", dir, "--email", "a@kemberg.example",
                                  "--org", "15091160", "--role", "chief"});
  EXPECT_TRUE(bad_role.status.exited && bad_role.status.code == 1);
  EXPECT_NE(bad_role.err.find("--role must be member or admin"), std::string::npos) << bad_role.err;
  auto bad_org = run_augenhoehe({"user", "create", "--data-dir", dir, "--email", "a@kemberg.example",
                                 "--org", "99999999", "--role", "admin"});
  EXPECT_NE(bad_org.err.find("--org 99999999 names no organisation"), std::string::npos) << bad_org.err;
  EXPECT_EQ(run_augenhoehe({"user", "list", "--data-dir", dir}).out.find("a@kemberg.example"), std::string::npos);

  auto created = run_augenhoehe({"user", "create", "--data-dir", dir, "--email", "a@kemberg.example",
                                 "--org", "15091160", "--role", "admin"});
  ASSERT_TRUE(created.status.clean()) << created.err;
  EXPECT_NE(created.out.find("a@kemberg.example is now admin of Kemberg, Stadt"), std::string::npos) << created.out;

  auto second = run_augenhoehe({"user", "create", "--data-dir", dir, "--email", "b@kemberg.example"});
  ASSERT_TRUE(second.status.clean()) << second.err;
  auto granted = run_augenhoehe({"user", "grant", "--data-dir", dir, "--email", "B@kemberg.example",
                                 "--org", "15091160", "--role", "member"});
  ASSERT_TRUE(granted.status.clean()) << granted.err;
  EXPECT_NE(granted.out.find("b@kemberg.example is now member of Kemberg, Stadt"), std::string::npos);
  // The only admin cannot be demoted from the command line either.
  auto demote = run_augenhoehe({"user", "grant", "--data-dir", dir, "--email", "a@kemberg.example",
                                "--org", "15091160", "--role", "member"});
  EXPECT_TRUE(demote.status.exited && demote.status.code == 1);
  EXPECT_NE(demote.err.find("last admin"), std::string::npos) << demote.err;
  auto nobody = run_augenhoehe({"user", "grant", "--data-dir", dir, "--email", "c@kemberg.example",
                                "--org", "15091160"});
  EXPECT_NE(nobody.err.find("no account with c@kemberg.example"), std::string::npos) << nobody.err;
}

TEST(CommandLine, VersionPrintsNameAndVersion) {
  auto result = run_augenhoehe({"version"});
  EXPECT_TRUE(result.status.clean()) << result.status.describe();
  EXPECT_TRUE(result.out.starts_with("augenhoehe ")) << result.out;
  EXPECT_GT(result.out.size(), std::string_view("augenhoehe \n").size()) << result.out;
}

TEST(CommandLine, EveryCommandHasHelp) {
  for (std::vector<std::string> command :
       std::vector<std::vector<std::string>>{{"serve"}, {"migrate"}, {"backup"}, {"restore"}, {"check"},
                                             {"version"}, {"org"}, {"org", "create"}, {"org", "list"},
                                             {"user", "create"}, {"user", "grant"}, {"user", "list"}}) {
    command.push_back("--help");
    auto result = run_augenhoehe(command);
    EXPECT_TRUE(result.status.clean()) << command[0] << ": " << result.status.describe();
    EXPECT_NE(result.out.find("Usage"), std::string::npos) << command[0] << ":\n" << result.out;
  }
  EXPECT_TRUE(run_augenhoehe({"--help"}).status.clean());
}

}  // namespace
}  // namespace ah::test
