#include "db/test_database.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace ah::db::testing {
namespace {

// Unique within the machine: process id plus a per-process counter and the clock, since
// ctest runs every test in a process of its own and several at once.
std::string unique_suffix() {
  static std::atomic<int> counter{0};
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(ticks % 1'000'000);
}

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

}  // namespace

void BackendTest::SetUp() {
  scratch_dir_ = std::filesystem::temp_directory_path() / ("ah_db_test_" + unique_suffix());
  std::filesystem::create_directories(scratch_dir_);
  if (backend() == Backend::sqlite) {
    url_ = "sqlite:" + (scratch_dir_ / "test.db").string();
  } else {
    const char* server = env("AUGENHOEHE_TEST_PG");
    if (server == nullptr) {
      const char* required = env("AUGENHOEHE_REQUIRE_PG");
      if (required != nullptr && std::string_view(required) == "1") {
        FAIL() << "AUGENHOEHE_REQUIRE_PG=1 but AUGENHOEHE_TEST_PG is not set";
      }
      GTEST_SKIP() << "set AUGENHOEHE_TEST_PG to a PostgreSQL URL to run this variant";
    }
    auto admin = Database::open(server, Options{.max_connections = 1});
    ASSERT_TRUE(admin) << admin.error().detail;
    admin_ = std::move(*admin);
    // The schema name is generated here, never input, so composing it into DDL is safe;
    // identifiers cannot be bound as parameters.
    schema_ = "ah_test_" + unique_suffix();
    auto created = admin_->query("CREATE SCHEMA " + schema_);
    ASSERT_TRUE(created) << created.error().detail;
    const std::string base = server;
    url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema_;
  }
  db = open();
}

void BackendTest::TearDown() {
  db.reset();
  if (admin_ && !schema_.empty()) {
    auto dropped = admin_->query("DROP SCHEMA " + schema_ + " CASCADE");
    EXPECT_TRUE(dropped) << dropped.error().detail;
  }
  std::error_code ignored;  // a leftover temporary directory does not affect results
  std::filesystem::remove_all(scratch_dir_, ignored);
}

std::unique_ptr<Database> BackendTest::open(const Options& options) const {
  auto opened = Database::open(url_, options);
  if (!opened) throw std::runtime_error("open " + url_ + ": " + opened.error().detail);
  return std::move(*opened);
}

std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info) {
  return std::string(to_string(info.param));
}

std::int64_t scalar(Database& db, std::string_view sql, std::initializer_list<Value> params) {
  auto result = db.query(sql, params);
  if (!result) throw std::runtime_error("scalar: " + result.error().detail);
  if (result->rows.empty()) throw std::runtime_error("scalar: no row");
  return result->rows.front().int64(0);
}

}  // namespace ah::db::testing
