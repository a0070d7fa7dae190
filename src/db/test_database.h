// Test support: a fresh, empty database of each backend for every test.
//
//   class OrgStoreTest : public ah::db::testing::BackendTest {};
//   TEST_P(OrgStoreTest, FindsByAgs) { ... db->query(...) ... }
//   AH_INSTANTIATE_BACKEND_TEST(OrgStoreTest);
//
// SQLite tests get a file in a private temporary directory. PostgreSQL tests get a schema
// of their own on the server named by AUGENHOEHE_TEST_PG (a libpq URL), selected through
// search_path, so tests run in parallel without seeing each other's tables. Without
// AUGENHOEHE_TEST_PG the PostgreSQL variants are skipped, unless AUGENHOEHE_REQUIRE_PG=1,
// which turns the skip into a failure (for CI, where a missing server is a broken setup).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "db/database.h"

namespace ah::db {

// Lets GoogleTest print "postgres" rather than the enum's bytes in test names.
inline void PrintTo(Backend backend, std::ostream* out) { *out << to_string(backend); }

}  // namespace ah::db

namespace ah::db::testing {

class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Another handle on this test's database, e.g. with a different pool size.
  std::unique_ptr<Database> open(const Options& options = {}) const;

  Backend backend() const { return GetParam(); }
  const std::string& url() const { return url_; }
  // A private directory for files the test writes (backups); exists for both backends.
  const std::filesystem::path& scratch_dir() const { return scratch_dir_; }

  std::unique_ptr<Database> db;  // opened with default Options

 private:
  std::string url_;
  std::filesystem::path scratch_dir_;
  std::unique_ptr<Database> admin_;  // PostgreSQL: creates and drops the test's schema
  std::string schema_;
};

std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info);

// Runs `sql` and returns the first column of its first row as an integer.
std::int64_t scalar(Database& db, std::string_view sql, std::initializer_list<Value> params = {});

}  // namespace ah::db::testing

#define AH_INSTANTIATE_BACKEND_TEST(Fixture)                                     \
  INSTANTIATE_TEST_SUITE_P(                                                      \
      Backends, Fixture,                                                         \
      ::testing::Values(::ah::db::Backend::sqlite, ::ah::db::Backend::postgres), \
      ::ah::db::testing::backend_test_name)
