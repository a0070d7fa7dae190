// The SQLite backend: one sqlite3 handle per pooled connection, opened in multi-thread
// mode (SQLITE_OPEN_NOMUTEX) because the pool never shares a handle between threads.

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "db/internal/backend.h"
#include "db/internal/statement_cache.h"
#include "db/sqlite/sqlite_errors.h"
#include "search/sqlite_tokenizer.h"

namespace ah::db::internal {
namespace {

// Resets a cached statement and drops its bindings when a query ends, however it ends, so
// the statement holds no read lock and no pointer into the caller's parameters.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* statement) : statement_(statement) {}
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;
  ~StatementReset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

 private:
  sqlite3_stmt* statement_;
};

Value column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(statement, column)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_BLOB: {
      const void* bytes = sqlite3_column_blob(statement, column);
      const int size = sqlite3_column_bytes(statement, column);
      return std::string(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
    }
    default: {
      const unsigned char* text = sqlite3_column_text(statement, column);
      const int size = sqlite3_column_bytes(statement, column);
      return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
    }
  }
}

class SqliteConnection final : public BackendConnection {
 public:
  SqliteConnection(sqlite3* db, std::size_t statement_cache_size,
                   std::atomic<std::uint64_t>& statements_prepared)
      : db_(db), cache_(statement_cache_size), statements_prepared_(statements_prepared) {}

  ~SqliteConnection() override {
    cache_.clear([](sqlite3_stmt* statement) { sqlite3_finalize(statement); });
    sqlite3_close_v2(db_);
  }

  Status execute_script(std::string_view sql) override {
    const std::string terminated(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, terminated.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);  // sqlite3_errmsg(db_) holds the same text
    if (rc != SQLITE_OK) return sqlite_failure(rc, db_);
    return {};
  }

  Backend backend() const override { return Backend::sqlite; }

  // IMMEDIATE takes the write lock now (waiting up to busy_timeout), so a transaction never
  // fails later when a read lock cannot be upgraded.
  Status begin() override {
    statement_failed_in_transaction_ = false;
    return execute_script("BEGIN IMMEDIATE");
  }

  // SQLite undoes only the failed statement and keeps the transaction open; PostgreSQL
  // aborts the whole transaction. Refusing to commit after a failure gives both backends
  // PostgreSQL's all-or-nothing behaviour.
  Status commit() override {
    if (statement_failed_in_transaction_) {
      AH_TRY_STATUS(execute_script("ROLLBACK"));
      return driver_failure(ErrorCode::internal,
                            "sqlite: a statement in the transaction failed; rolled back");
    }
    return execute_script("COMMIT");
  }

  bool reusable() const override { return sqlite3_get_autocommit(db_) != 0; }

 protected:
  bool statement_failed() const override { return statement_failed_in_transaction_; }
  void rolled_back_to_savepoint(bool before) override { statement_failed_in_transaction_ = before; }

 private:
  Result<ResultSet> run(std::string_view sql, std::span<const Value> params) override {
    Result<ResultSet> result = run_statement(sql, params);
    if (!result && sqlite3_get_autocommit(db_) == 0) statement_failed_in_transaction_ = true;
    return result;
  }

  Result<ResultSet> run_statement(std::string_view sql, std::span<const Value> params) {
    AH_TRY(statement, prepared(sql));
    StatementReset reset(statement);
    AH_TRY_STATUS(bind(statement, params));

    ResultSet result;
    const int column_count = sqlite3_column_count(statement);
    for (int column = 0; column < column_count; ++column) {
      result.columns.emplace_back(sqlite3_column_name(statement, column));
    }
    const sqlite3_int64 changes_before = sqlite3_total_changes64(db_);
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlite_failure(rc, db_);
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(column_count));
      for (int column = 0; column < column_count; ++column) {
        values.push_back(column_value(statement, column));
      }
      result.rows.emplace_back(std::move(values));
    }
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE even after other
    // statements, so count only when this statement changed something.
    if (!sqlite3_stmt_readonly(statement) && sqlite3_total_changes64(db_) != changes_before) {
      result.affected_rows = sqlite3_changes64(db_);
    }
    return result;
  }

  Result<sqlite3_stmt*> prepared(std::string_view sql) {
    std::string key(sql);
    if (const auto* cached = cache_.find(key)) return *cached;
    if (cache_.full()) {
      cache_.clear([](sqlite3_stmt* statement) { sqlite3_finalize(statement); });
    }
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, &tail);
    if (rc != SQLITE_OK) return sqlite_failure(rc, db_);
    if (statement == nullptr) {
      return driver_failure(ErrorCode::internal, "sqlite: query() got no statement");
    }
    const std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    if (has_trailing_statement(rest)) {
      sqlite3_finalize(statement);
      return driver_failure(ErrorCode::internal,
                            "sqlite: query() takes one statement; use execute_script()");
    }
    statements_prepared_.fetch_add(1, std::memory_order_relaxed);
    cache_.insert(std::move(key), statement);
    return statement;
  }

  // Binds params[i] to the placeholder named "$<i+1>". SQLite counts each distinct name
  // once, so a matching count plus every name being present means every placeholder is
  // bound exactly once, as PostgreSQL requires.
  Status bind(sqlite3_stmt* statement, std::span<const Value> params) {
    const int placeholders = sqlite3_bind_parameter_count(statement);
    if (static_cast<std::size_t>(placeholders) != params.size()) {
      return driver_failure(ErrorCode::internal, "sqlite: statement has " +
                                                     std::to_string(placeholders) +
                                                     " placeholders but got " +
                                                     std::to_string(params.size()) + " values");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int index = sqlite3_bind_parameter_index(statement, name.c_str());
      if (index == 0) {
        return driver_failure(ErrorCode::internal,
                              "sqlite: placeholder " + name + " missing; use $1..$n");
      }
      const int rc = std::visit(
          [&](const auto& value) -> int {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return sqlite3_bind_null(statement, index);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              return sqlite3_bind_int64(statement, index, value);
            } else if constexpr (std::is_same_v<T, double>) {
              return sqlite3_bind_double(statement, index, value);
            } else {
              // SQLITE_STATIC: `params` outlives the statement's use; StatementReset
              // clears the binding before run() returns.
              return sqlite3_bind_text64(statement, index, value.data(), value.size(),
                                         SQLITE_STATIC, SQLITE_UTF8);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) return sqlite_failure(rc, db_);
    }
    return {};
  }

  sqlite3* const db_;
  StatementCache<sqlite3_stmt*> cache_;
  std::atomic<std::uint64_t>& statements_prepared_;
  bool statement_failed_in_transaction_ = false;
};

}  // namespace

Result<std::unique_ptr<BackendConnection>> connect_sqlite(
    const std::string& path, const Options& options,
    std::atomic<std::uint64_t>& statements_prepared) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    auto failure = sqlite_failure(rc, db);
    sqlite3_close_v2(db);
    return failure;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  auto connection =
      std::make_unique<SqliteConnection>(db, options.statement_cache_size, statements_prepared);
  // Switching a new database file to WAL needs an exclusive lock for a moment, and SQLite
  // answers SQLITE_BUSY at once, without its busy handler, while another connection holds a
  // lock (a second command or node opening the same new file): wait within the busy timeout.
  const auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
  int wal = SQLITE_OK;
  while ((wal = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr)) !=
             SQLITE_OK &&
         (wal & 0xFF) == SQLITE_BUSY && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  if (wal != SQLITE_OK) return sqlite_failure(wal, db);
  // synchronous=NORMAL is durable against application crashes in WAL mode and loses at most
  // the last transactions on power failure, never consistency.
  AH_TRY_STATUS(connection->execute_script("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"));
  // Full-text search tables (search/index.h) are declared with this tokenizer; without it
  // SQLite refuses every statement that touches them.
  if (const int registered = search::register_sqlite_tokenizer(db); registered != SQLITE_OK) {
    return driver_failure(ErrorCode::internal,
                          "sqlite: the FTS5 tokenizer could not be registered (is FTS5 built in?)");
  }
  return std::unique_ptr<BackendConnection>(std::move(connection));
}

}  // namespace ah::db::internal
