#include "db/backup.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include "db/internal/backend.h"
#include "db/sqlite/sqlite_errors.h"

namespace ah::db {
namespace {

constexpr std::string_view kPostgresAdvice =
    "augenhoehe backs up SQLite databases only. Back up PostgreSQL with pg_dump "
    "(e.g. pg_dump -Fc -f augenhoehe.dump DBNAME) and restore it with pg_restore.";

// Pages copied per backup step. Small steps keep each lock short.
constexpr int kPagesPerStep = 256;
// How long a connection of backup/restore waits for a lock before SQLite reports BUSY.
constexpr int kBusyTimeoutMs = 5'000;
// How long a step keeps retrying while the source or destination is BUSY or LOCKED.
constexpr std::chrono::seconds kBusyRetryLimit{30};

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

Result<SqliteHandle> open_file(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle db(raw);
  if (rc != SQLITE_OK) return internal::sqlite_failure(rc, db.get());
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

Status exec(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return internal::sqlite_failure(rc, db);
  return {};
}

// The first column of the first row `sql` returns, if any, as text.
Result<std::optional<std::string>> first_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int prepared = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw, &sqlite3_finalize);
  if (prepared != SQLITE_OK) return internal::sqlite_failure(prepared, db);
  const int rc = sqlite3_step(statement.get());
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return internal::sqlite_failure(rc, db);
  const unsigned char* text = sqlite3_column_text(statement.get(), 0);
  return std::optional<std::string>(text == nullptr ? "" : reinterpret_cast<const char*>(text));
}

// Copies every page of `source` into `dest`, a few at a time, retrying while either side
// is BUSY or LOCKED.
Status copy_pages(sqlite3* source, sqlite3* dest) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
  if (backup == nullptr) return internal::sqlite_failure(sqlite3_errcode(dest), dest);
  auto busy_since = std::optional<std::chrono::steady_clock::time_point>();
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(backup, kPagesPerStep);
    if (rc == SQLITE_DONE) break;
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      const auto now = std::chrono::steady_clock::now();
      if (!busy_since) busy_since = now;
      if (now - *busy_since > kBusyRetryLimit) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    if (rc != SQLITE_OK) break;
    busy_since.reset();
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return internal::sqlite_failure(rc, dest);
  if (finished != SQLITE_OK) return internal::sqlite_failure(finished, dest);
  return {};
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return std::filesystem::equivalent(a, b, error) && !error;
}

// Checks that `path` is an intact SQLite file holding an augenhoehe schema.
Status check_backup(const std::string& path, sqlite3* db) {
  const auto refuse = [&](std::string detail) {
    return fail(ErrorCode::invalid_input,
                "The file " + path + " is not an intact augenhoehe backup.", std::move(detail));
  };
  auto integrity = first_text(db, "PRAGMA integrity_check");
  if (!integrity) return refuse(integrity.error().detail);
  if (integrity->value_or("") != "ok") {
    return refuse("integrity_check: " + integrity->value_or("no answer"));
  }
  auto marker = first_text(
      db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!marker) return refuse(marker.error().detail);
  if (!marker->has_value()) return refuse("no schema_migrations table");
  return {};
}

// Writes the database `source` to a new file at `path`, private to its owner, in rollback
// journal mode so that the file stands alone.
Status write_copy(sqlite3* source, const std::string& path) {
  std::error_code error;
  std::filesystem::remove(path, error);
  AH_TRY(target, open_file(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, error);
  if (error) {
    return fail(ErrorCode::unavailable, "The backup file could not be made private.",
                "chmod " + path + ": " + error.message());
  }
  AH_TRY_STATUS(copy_pages(source, target.get()));
  return exec(target.get(), "PRAGMA journal_mode=DELETE");
}

}  // namespace

Status backup(Database& db, std::string_view dest_path) {
  if (db.backend() == Backend::postgres) {
    return fail(ErrorCode::invalid_input, std::string(kPostgresAdvice));
  }
  const std::string& source_path = db.sqlite_path();
  const std::string dest(dest_path);
  if (source_path == ":memory:") {
    return fail(ErrorCode::invalid_input, "An in-memory database cannot be backed up.");
  }
  if (dest.empty() || same_file(source_path, dest)) {
    return fail(ErrorCode::invalid_input,
                "The backup needs a file of its own, not the database itself.");
  }
  AH_TRY(source, open_file(source_path, SQLITE_OPEN_READWRITE));
  // A read transaction held across all steps pins one WAL snapshot: writers carry on, the
  // copy stays consistent, and their commits do not make the backup start over.
  AH_TRY_STATUS(exec(source.get(), "BEGIN; SELECT COUNT(*) FROM sqlite_master;"));

  const std::string partial = dest + ".partial";
  if (Status written = write_copy(source.get(), partial); !written) {
    std::error_code ignored;  // the copy failed already; a leftover partial file is harmless
    std::filesystem::remove(partial, ignored);
    return written;
  }
  AH_TRY_STATUS(exec(source.get(), "COMMIT"));
  std::error_code error;
  std::filesystem::rename(partial, dest, error);
  if (error) {
    return fail(ErrorCode::unavailable, "The backup file could not be put in place.",
                "rename " + partial + ": " + error.message());
  }
  return {};
}

Status restore(std::string_view backup_path, std::string_view database_url) {
  AH_TRY(target_db, Database::open(database_url, {}));  // parses the URL; connects lazily
  if (target_db->backend() == Backend::postgres) {
    return fail(ErrorCode::invalid_input, std::string(kPostgresAdvice));
  }
  const std::string target_path = target_db->sqlite_path();
  target_db.reset();
  const std::string source_path(backup_path);
  if (target_path.empty() || target_path == ":memory:" || same_file(source_path, target_path)) {
    return fail(ErrorCode::invalid_input, "Restore needs a database file other than the backup.");
  }
  auto source = open_file(source_path, SQLITE_OPEN_READONLY);
  if (!source) {
    return fail(ErrorCode::invalid_input, "The backup file " + source_path + " cannot be read.",
                source.error().detail);
  }
  AH_TRY_STATUS(check_backup(source_path, source->get()));
  AH_TRY(target, open_file(target_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  return copy_pages(source->get(), target.get());
}

}  // namespace ah::db
