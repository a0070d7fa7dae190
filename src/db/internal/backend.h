// What the pool and Database need from a backend, and the errors every backend reports.
// Not API: modules use db/database.h only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "db/database.h"

namespace ah::db::internal {

// A Connection the pool can manage.
class BackendConnection : public Connection {
 public:
  // Open a read-write transaction / commit it. commit() fails, after rolling back, when a
  // statement inside the transaction failed, even if the caller went on regardless.
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  // False once the session broke or was left inside a transaction; the pool then closes
  // the connection instead of lending it out again.
  virtual bool reusable() const = 0;

  // SAVEPOINT … RELEASE, or ROLLBACK TO on failure, for both backends (database.cc).
  Status savepoint(const std::function<Status(Connection&)>& body) final;
  Status attempt(const std::function<Status(Connection&)>& body) final;

 protected:
  // Whether a statement failed since begin() (SQLite) or the transaction is aborted
  // (PostgreSQL), so that commit() would refuse.
  virtual bool statement_failed() const = 0;
  // After ROLLBACK TO SAVEPOINT: the transaction is as it was when the savepoint began,
  // when statement_failed() was `before`.
  virtual void rolled_back_to_savepoint(bool before) = 0;
};

// Opens one SQLite connection to `path` configured as database.h describes. Every
// statement it prepares increments `statements_prepared`.
Result<std::unique_ptr<BackendConnection>> connect_sqlite(
    const std::string& path, const Options& options,
    std::atomic<std::uint64_t>& statements_prepared);

// Opens one PostgreSQL connection to the libpq URI `url`.
Result<std::unique_ptr<BackendConnection>> connect_postgres(
    const std::string& url, const Options& options,
    std::atomic<std::uint64_t>& statements_prepared);

// An error whose message, chosen by `code`, is safe to show a person; `detail` carries the
// driver's text for the log.
std::unexpected<Error> driver_failure(ErrorCode code, std::string detail);

// Statements after the first one, other than whitespace and `;`, which query() refuses
// because a prepared statement holds exactly one.
bool has_trailing_statement(std::string_view rest);

}  // namespace ah::db::internal
