#include "db/database.h"

#include <cctype>
#include <charconv>
#include <stdexcept>
#include <string>
#include <utility>

#include "db/commit_batcher.h"
#include "db/internal/backend.h"
#include "db/internal/connection_pool.h"

namespace ah::db {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";
constexpr std::string_view kSqliteMemory = ":memory:";

[[noreturn]] void throw_misuse(std::size_t column, std::string_view what) {
  throw std::logic_error("db::Row column " + std::to_string(column) + " " + std::string(what));
}

template <class Number>
std::optional<Number> parse_number(std::string_view text) {
  Number number{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return number;
}


// A failed ROLLBACK is not reported: the caller's own error or exception says what went
// wrong, and a connection the ROLLBACK could not clean up is no longer reusable(), so the
// pool closes it, which ends the transaction on the server.
void roll_back_ignoring_error(internal::BackendConnection& connection) {
  (void)connection.execute_script("ROLLBACK");
}

}  // namespace

std::string_view to_string(Backend backend) {
  return backend == Backend::sqlite ? "sqlite" : "postgres";
}

Backend backend_of(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://") ? Backend::postgres
                                                                           : Backend::sqlite;
}

const Value& Row::value(std::size_t column) const {
  if (column >= values_.size()) throw_misuse(column, "does not exist");
  return values_[column];
}

bool Row::is_null(std::size_t column) const {
  return std::holds_alternative<std::nullptr_t>(value(column));
}

std::int64_t Row::int64(std::size_t column) const {
  const Value& v = value(column);
  if (const auto* integer = std::get_if<std::int64_t>(&v)) return *integer;
  if (const auto* text = std::get_if<std::string>(&v)) {
    if (auto number = parse_number<std::int64_t>(*text)) return *number;
  }
  throw_misuse(column, "is not an integer");
}

double Row::real(std::size_t column) const {
  const Value& v = value(column);
  if (const auto* number = std::get_if<double>(&v)) return *number;
  if (const auto* integer = std::get_if<std::int64_t>(&v)) return static_cast<double>(*integer);
  if (const auto* text = std::get_if<std::string>(&v)) {
    if (auto number = parse_number<double>(*text)) return *number;
  }
  throw_misuse(column, "is not a number");
}

const std::string& Row::text(std::size_t column) const {
  const auto* text = std::get_if<std::string>(&value(column));
  if (text == nullptr) throw_misuse(column, "is not text");
  return *text;
}

namespace internal {

std::unexpected<Error> driver_failure(ErrorCode code, std::string detail) {
  std::string message;
  switch (code) {
    case ErrorCode::conflict:
      message = "The change conflicts with data that already exists.";
      break;
    case ErrorCode::unavailable:
      message = "The database is not available right now. Please try again shortly.";
      break;
    default:
      message = "The database could not carry out the request.";
      break;
  }
  return fail(code, std::move(message), std::move(detail));
}

bool has_trailing_statement(std::string_view rest) {
  for (char c : rest) {
    if (c != ';' && !std::isspace(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// A fixed name is enough: savepoints nest, and ROLLBACK TO / RELEASE name the innermost.
Status BackendConnection::savepoint(const std::function<Status(Connection&)>& body) {
  // Outside a transaction (e.g. SQLite rolled all of it back after a disk error) a
  // SAVEPOINT would open and RELEASE commit a transaction of its own.
  if (reusable()) return driver_failure(ErrorCode::internal, "savepoint outside a transaction");
  const bool failed_before = statement_failed();
  AH_TRY_STATUS(execute_script("SAVEPOINT ah_unit"));
  const auto undo = [&] {
    // If even this fails the transaction is broken and commit() will say so.
    if (execute_script("ROLLBACK TO SAVEPOINT ah_unit; RELEASE SAVEPOINT ah_unit"))
      rolled_back_to_savepoint(failed_before);
  };
  Status outcome;
  try {
    outcome = body(*this);
  } catch (...) {
    undo();
    throw;
  }
  if (outcome && statement_failed() && !failed_before) {
    outcome = driver_failure(ErrorCode::internal,
                             "a statement in the savepoint failed and its error was ignored");
  }
  if (!outcome) {
    undo();
    return outcome;
  }
  return execute_script("RELEASE SAVEPOINT ah_unit");
}

Status BackendConnection::attempt(const std::function<Status(Connection&)>& body) {
  if (reusable()) return driver_failure(ErrorCode::internal, "attempt outside a transaction");
  const bool failed_before = statement_failed();
  Status outcome = body(*this);
  if (outcome && statement_failed() && !failed_before) {
    outcome = driver_failure(ErrorCode::internal,
                             "a statement failed and its error was ignored");
  }
  return outcome;
}

}  // namespace internal

Result<std::unique_ptr<Database>> Database::open(std::string_view url, const Options& options) {
  if (url.starts_with(kSqliteScheme)) {
    std::string path(url.substr(kSqliteScheme.size()));
    if (path.empty()) {
      return fail(ErrorCode::invalid_input, "The SQLite database URL needs a file path.",
                  "expected sqlite:PATH");
    }
    Options adjusted = options;
    // Each connection to ":memory:" would see its own empty database.
    if (path == kSqliteMemory) adjusted.max_connections = 1;
    std::string target = path;
    return std::unique_ptr<Database>(
        new Database(Backend::sqlite, std::move(path), adjusted, std::move(target)));
  }
  if (backend_of(url) == Backend::postgres) {
    return std::unique_ptr<Database>(
        new Database(Backend::postgres, {}, options, std::string(url)));
  }
  return fail(ErrorCode::invalid_input,
              "The database URL must start with sqlite:, postgresql:// or postgres://.",
              "unsupported database URL scheme");
}

Database::Database(Backend backend, std::string sqlite_path, const Options& options,
                   std::string connect_target)
    : backend_(backend),
      sqlite_path_(std::move(sqlite_path)),
      pool_(std::make_unique<internal::ConnectionPool>(
          [connect =
               backend == Backend::sqlite ? internal::connect_sqlite : internal::connect_postgres,
           options,
           target = std::move(connect_target)](std::atomic<std::uint64_t>& statements_prepared) {
            return connect(target, options, statements_prepared);
          },
          options.max_connections, options.acquire_timeout)),
      batcher_(std::make_unique<CommitBatcher>(*this)) {}

// The batcher drains (and needs the pool) before the pool goes.
Database::~Database() { batcher_.reset(); }

Result<ResultSet> Database::query(std::string_view sql, std::span<const Value> params) {
  AH_TRY(lease, pool_->acquire());
  return lease->query(sql, params);
}

Status Database::run_transaction(const std::function<Status(Connection&)>& body) {
  AH_TRY(lease, pool_->acquire());
  AH_TRY_STATUS(lease->begin());
  Status outcome;
  try {
    outcome = body(*lease);
  } catch (...) {
    roll_back_ignoring_error(*lease);
    throw;
  }
  if (!outcome) {
    roll_back_ignoring_error(*lease);
    return outcome;
  }
  return lease->commit();
}

Status Database::run_grouped(const std::function<Status(Connection&)>& body) {
  return batcher_->run(body);
}

Status Database::ping() {
  AH_TRY(result, query("SELECT 1"));
  if (result.rows.size() != 1) {
    return internal::driver_failure(ErrorCode::internal, "SELECT 1 returned no row");
  }
  return {};
}

PoolStats Database::pool_stats() const {
  PoolStats stats = pool_->stats();
  const CommitBatcher::Stats grouped = batcher_->stats();
  stats.grouped_transactions = grouped.units;
  stats.grouped_commits = grouped.batches;
  return stats;
}

}  // namespace ah::db
