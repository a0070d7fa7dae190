// ah::db — the one door to storage: SQLite for a single machine, PostgreSQL to scale out.
//
// Every module writes ONE SQL text that both backends run. Placeholders are `$1`, `$2`, …
// (PostgreSQL's own syntax; SQLite reads them as named parameters), values travel only as
// bound parameters, never spliced into the text. Use standard SQL both engines share:
// `INSERT … RETURNING id` for new ids, `CURRENT_TIMESTAMP`, `COALESCE`, `LIMIT $n`,
// `ON CONFLICT … DO NOTHING`. The few schema differences are tokens that only migrations
// may use (see db/migrate.h).
//
//   AH_TRY(db, ah::db::Database::open("sqlite:/var/lib/augenhoehe/data.db", {}));
//   AH_TRY(rs, db->query("SELECT id, name FROM orgs WHERE ags = $1", {ah::db::Value{ags}}));
//   for (const ah::db::Row& row : rs.rows) use(row.int64(0), row.text(1));
//
//   Status s = db->transaction([&](ah::db::Connection& tx) -> ah::Status {
//     AH_TRY_STATUS(tx.query("UPDATE accounts SET n = n - 1 WHERE id = $1", {Value{a}}));
//     AH_TRY_STATUS(tx.query("UPDATE accounts SET n = n + 1 WHERE id = $1", {Value{b}}));
//     return {};
//   });
//
// Errors (Error::message is for people and never contains SQL; Error::detail holds the
// driver's text for the operator's log):
//   conflict     a constraint rejected the change (unique, foreign key, check, not null)
//   unavailable  the database cannot be reached, is busy past the timeout, or every pooled
//                connection stayed in use past Options::acquire_timeout; worth retrying
//   internal     everything else, e.g. SQL the engine does not accept (a bug)
//
// Name the columns you select: PostgreSQL refuses a cached `SELECT *` statement whose
// result columns changed under it.
//
// Value types across backends: integers (and PostgreSQL booleans, as 0/1) read as int64,
// floating point as double, NULL as nullptr, everything else (text, PostgreSQL numeric,
// dates and times) as text. SQLite BLOBs read as text holding the raw bytes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "base/error.h"

namespace ah::db {

namespace internal {
class ConnectionPool;
}  // namespace internal
class CommitBatcher;

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

enum class Backend { sqlite, postgres };

std::string_view to_string(Backend backend);
// The backend a database URL names: postgres for postgresql:// and postgres://, else sqlite
// (Database::open says what is wrong with a URL that is neither).
Backend backend_of(std::string_view url);

// One result row. The typed getters state what the caller expects; asking for NULL or for
// a kind the value cannot be read as is a programming error and throws std::logic_error.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const Value& value(std::size_t column) const;
  bool is_null(std::size_t column) const;

  // An integer; also accepts text holding a whole decimal number (PostgreSQL returns
  // SUM(bigint) as numeric, which arrives as text).
  std::int64_t int64(std::size_t column) const;
  // A floating-point number; also accepts integers and numeric text (e.g. AVG()).
  double real(std::size_t column) const;
  // Text only; numbers are not formatted implicitly.
  const std::string& text(std::size_t column) const;

 private:
  std::vector<Value> values_;
};

struct ResultSet {
  std::vector<std::string> columns;  // names as the statement gives them
  std::vector<Row> rows;
  // Rows inserted, updated or deleted by the statement; 0 for queries and DDL.
  std::int64_t affected_rows = 0;
};

// One database session. Obtained only through Database::transaction, which owns it for the
// duration of the callback. Not thread-safe: use it from the callback's thread only.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with `params` bound to $1..$n. The number of params must equal the
  // number of distinct placeholders. Statements are prepared once per connection and reused.
  Result<ResultSet> query(std::string_view sql, std::span<const Value> params) {
    return run(sql, params);
  }
  Result<ResultSet> query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return run(sql, std::span<const Value>(params.begin(), params.size()));
  }

  // Runs several `;`-separated statements that take no parameters (schema changes).
  // Never pass text that contains input.
  virtual Status execute_script(std::string_view sql) = 0;

  // Runs `body` inside a SAVEPOINT of the current transaction: when it returns an error
  // (or a statement in it failed, or it throws), only its own statements are undone and
  // the transaction stays usable and can commit what came before and after. The error or
  // exception is passed on. Only inside Database::transaction / grouped_transaction.
  virtual Status savepoint(const std::function<Status(Connection&)>& body) = 0;
  // Runs `body` in the current transaction without a savepoint and says whether it failed
  // as savepoint() would: its error, or an error when a statement in it failed although it
  // went on; exceptions pass. After a failure the transaction is spoilt (on PostgreSQL it is
  // aborted; on SQLite the body's earlier statements stay): return an error so that it is
  // rolled back. Saves savepoint()'s two statements where failures are rare (group commit).
  virtual Status attempt(const std::function<Status(Connection&)>& body) = 0;

  virtual Backend backend() const = 0;

 protected:
  Connection() = default;

 private:
  virtual Result<ResultSet> run(std::string_view sql, std::span<const Value> params) = 0;
};

struct Options {
  // Upper bound on open connections; callers beyond it wait (see acquire_timeout).
  // A SQLite ":memory:" database always uses exactly one connection.
  int max_connections = 8;
  // How long a caller waits for a free pooled connection before `unavailable`.
  std::chrono::milliseconds acquire_timeout{10'000};
  // SQLite: how long a writer waits for another writer's lock before `unavailable`.
  std::chrono::milliseconds busy_timeout{5'000};
  // PostgreSQL: connect timeout; libpq rounds values below 2 s up to 2 s. A
  // connect_timeout in the URL takes precedence.
  std::chrono::seconds connect_timeout{5};
  // Prepared statements kept per connection; when full, the cache starts over.
  std::size_t statement_cache_size = 128;
};

struct PoolStats {
  int size = 0;                           // connections open (idle + in use)
  int in_use = 0;                         // connections lent out right now
  std::uint64_t waits = 0;                // times a caller had to wait for a connection
  std::uint64_t statements_prepared = 0;  // statements prepared over the pool's lifetime
  std::uint64_t grouped_transactions = 0;  // grouped_transaction bodies run so far
  std::uint64_t grouped_commits = 0;       // the transactions they shared (one commit each)
};

// A pool of connections to one database. Thread-safe: any thread may call any method
// concurrently. Connections are opened lazily, so open() does not touch the database;
// call ping() to find out whether it is reachable.
//
// SQLite: WAL journal, foreign keys ON, synchronous=NORMAL, busy timeout. Readers run
// concurrently on separate pooled connections; writers serialize on SQLite's file lock
// and wait up to busy_timeout for it. Transactions begin IMMEDIATE, taking the write lock
// up front, so two transactions never deadlock upgrading read locks.
// PostgreSQL: libpq connections, default isolation (read committed).
//
// A connection that breaks, or is returned still inside a transaction, is closed instead
// of going back to the pool.
class Database {
 public:
  // `url` is "sqlite:PATH" (the file is created if missing; "sqlite::memory:" for a private
  // in-memory database) or "postgresql://…" / "postgres://…" in libpq's URI syntax.
  // Fails with invalid_input for an unknown scheme or empty path.
  [[nodiscard]] static Result<std::unique_ptr<Database>> open(std::string_view url,
                                                              const Options& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one statement on a pooled connection in autocommit mode (see Connection::query).
  Result<ResultSet> query(std::string_view sql, std::span<const Value> params);
  Result<ResultSet> query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }

  // Runs `body` inside one transaction on one pooled connection and commits if it returns
  // success. Rolls back if it returns an error (which is passed on) or throws (the
  // exception is rethrown after the rollback). `body` returns Status or Result<T>; the
  // result is passed on. Inside `body` use only the given Connection: a second connection
  // from this Database would wait for the lock the transaction holds.
  template <class Body>
  std::invoke_result_t<Body&, Connection&> transaction(Body&& body);

  // Like transaction(), but `body` may share its transaction (and so its commit) with
  // bodies other threads pass at the same moment (db/commit_batcher.h): each runs in a
  // savepoint of its own, so its failure undoes only its own statements and reaches only
  // its own caller, and every caller returns only after the shared transaction committed.
  // For short, independent writes that arrive many at a time (supports); `body` must not
  // depend on what the others do and must not run anything outside the given Connection.
  template <class Body>
  std::invoke_result_t<Body&, Connection&> grouped_transaction(Body&& body);

  // Checks that a connection can be opened (or reused) and answers a trivial query.
  Status ping();

  PoolStats pool_stats() const;
  Backend backend() const { return backend_; }
  // The database file of a SQLite database; empty for PostgreSQL.
  const std::string& sqlite_path() const { return sqlite_path_; }

 private:
  Database(Backend backend, std::string sqlite_path, const Options& options,
           std::string connect_target);

  Status run_transaction(const std::function<Status(Connection&)>& body);
  Status run_grouped(const std::function<Status(Connection&)>& body);

  // Calls `run` with a Status body that runs `body` and keeps its value.
  template <class Body, class Run>
  static std::invoke_result_t<Body&, Connection&> with_value(Body& body, Run run);

  const Backend backend_;
  const std::string sqlite_path_;
  std::unique_ptr<internal::ConnectionPool> pool_;
  std::unique_ptr<CommitBatcher> batcher_;  // for grouped_transaction; uses pool_
};

template <class Body, class Run>
std::invoke_result_t<Body&, Connection&> Database::with_value(Body& body, Run run) {
  using R = std::invoke_result_t<Body&, Connection&>;
  if constexpr (std::is_same_v<R, Status>) {
    return run(body);
  } else {
    std::optional<typename R::value_type> out;
    AH_TRY_STATUS(run([&](Connection& connection) -> Status {
      AH_TRY(value, body(connection));
      out.emplace(std::move(value));
      return {};
    }));
    return std::move(*out);
  }
}

template <class Body>
std::invoke_result_t<Body&, Connection&> Database::transaction(Body&& body) {
  return with_value(body, [this](const std::function<Status(Connection&)>& status_body) {
    return run_transaction(status_body);
  });
}

template <class Body>
std::invoke_result_t<Body&, Connection&> Database::grouped_transaction(Body&& body) {
  return with_value(body, [this](const std::function<Status(Connection&)>& status_body) {
    return run_grouped(status_body);
  });
}

}  // namespace ah::db
