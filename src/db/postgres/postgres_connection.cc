// The PostgreSQL backend: one libpq connection per pooled connection. Parameters and
// results travel in text format; integers and floats are sent with their types, so that
// `SELECT $1` returns what SQLite returns, while text and NULL are left for the server to
// infer from context (a string may be bound to a date or numeric column).

#include <libpq-fe.h>

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "db/internal/backend.h"
#include "db/internal/statement_cache.h"

namespace ah::db::internal {
namespace {

// Type OIDs are fixed by PostgreSQL's catalog (pg_type.dat); the server headers that name
// them are not part of libpq-dev.
constexpr Oid kUnknownOid = 0;
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

ErrorCode code_for_sqlstate(std::string_view state) {
  if (state.starts_with("23")) return ErrorCode::conflict;  // integrity constraint violation
  if (state == "08P01") return ErrorCode::internal;  // protocol violation: e.g. wrong value count
  // Connection exceptions, insufficient resources, operator intervention (shutdown, cancel)
  // and transaction rollback (serialization failure, deadlock) are all worth a retry.
  if (state.starts_with("08") || state.starts_with("53") || state.starts_with("57") ||
      state.starts_with("40")) {
    return ErrorCode::unavailable;
  }
  return ErrorCode::internal;
}

std::string trimmed(const char* text) {
  std::string s = text == nullptr ? "" : text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Owns a PGresult for the length of a scope.
struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using OwnedResult = std::unique_ptr<PGresult, ResultDeleter>;

// Takes ownership of `result` (which may be null) and turns it into an error.
std::unexpected<Error> postgres_failure(PGconn* connection, PGresult* result) {
  const OwnedResult owned(result);
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string detail = "postgres: ";
  if (state != nullptr) detail += "SQLSTATE " + std::string(state) + ": ";
  detail += trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(connection));
  ErrorCode code = state != nullptr ? code_for_sqlstate(state) : ErrorCode::internal;
  if (PQstatus(connection) == CONNECTION_BAD) code = ErrorCode::unavailable;
  return driver_failure(code, std::move(detail));
}

Value field_value(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return nullptr;
  const char* text = PQgetvalue(result, row, column);
  const std::string_view view(text, static_cast<std::size_t>(PQgetlength(result, row, column)));
  switch (PQftype(result, column)) {
    case kBoolOid:
      return std::int64_t{view == "t" ? 1 : 0};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t number = 0;
      std::from_chars(view.data(), view.data() + view.size(), number);
      return number;
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double number = 0;
      const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), number);
      if (error == std::errc{} && end == view.data() + view.size()) return number;
      return std::string(view);
    }
    default:
      return std::string(view);
  }
}

// Rows changed by INSERT/UPDATE/DELETE/MERGE. PQcmdTuples also counts the rows a SELECT
// returned, which ResultSet::affected_rows does not.
std::int64_t changed_rows(PGresult* result) {
  const std::string_view command = PQcmdStatus(result);
  if (!(command.starts_with("INSERT") || command.starts_with("UPDATE") ||
        command.starts_with("DELETE") || command.starts_with("MERGE"))) {
    return 0;
  }
  const std::string_view count = PQcmdTuples(result);
  std::int64_t number = 0;
  std::from_chars(count.data(), count.data() + count.size(), number);
  return number;
}

// The number of placeholders in `sql` if they are exactly $1..$n, else nullopt; text in
// quotes and comments is skipped. PostgreSQL accepts a declared parameter that the text
// never uses, SQLite does not; checking here makes a surplus value an error on both.
std::optional<std::size_t> placeholder_count(std::string_view sql) {
  std::vector<bool> seen;
  std::size_t i = 0;
  const auto skip_past = [&](std::string_view end) {
    const std::size_t found = sql.find(end, i);
    i = found == std::string_view::npos ? sql.size() : found + end.size();
  };
  while (i < sql.size()) {
    const char c = sql[i];
    const std::string_view two = sql.substr(i, 2);
    if (c == '\'' || c == '"') {
      ++i;
      skip_past(std::string_view(&c, 1));  // a doubled quote reads as two adjacent literals
    } else if (two == "--") {
      skip_past("\n");
    } else if (two == "/*") {
      skip_past("*/");
    } else if (c == '$' && i + 1 < sql.size() &&
               std::isdigit(static_cast<unsigned char>(sql[i + 1])) &&
               (i == 0 ||
                !(std::isalnum(static_cast<unsigned char>(sql[i - 1])) || sql[i - 1] == '_'))) {
      std::size_t number = 0;
      const auto [end, error] =
          std::from_chars(sql.data() + i + 1, sql.data() + sql.size(), number);
      if (error != std::errc{} || number == 0) return std::nullopt;
      if (seen.size() < number) seen.resize(number, false);
      seen[number - 1] = true;
      i = static_cast<std::size_t>(end - sql.data());
    } else {
      ++i;
    }
  }
  for (bool used : seen) {
    if (!used) return std::nullopt;
  }
  return seen.size();
}

// Parameters in libpq's text format. `pointers` point into `params` or `formatted`.
struct TextParams {
  std::vector<std::string> formatted;
  std::vector<const char*> pointers;
  std::vector<Oid> types;
  std::string type_signature;  // one letter a parameter, part of the cache key
};

TextParams text_params(std::span<const Value> params) {
  TextParams out;
  out.formatted.resize(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>) {
            out.pointers.push_back(nullptr);
            out.types.push_back(kUnknownOid);
            out.type_signature += 'u';
          } else if constexpr (std::is_same_v<T, std::string>) {
            out.pointers.push_back(value.c_str());
            out.types.push_back(kUnknownOid);
            out.type_signature += 'u';
          } else {
            std::array<char, 32> buffer{};
            const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
            out.formatted[i].assign(buffer.data(), end);
            out.pointers.push_back(out.formatted[i].c_str());
            const bool integer = std::is_same_v<T, std::int64_t>;
            out.types.push_back(integer ? kInt8Oid : kFloat8Oid);
            out.type_signature += integer ? 'i' : 'd';
          }
        },
        params[i]);
  }
  return out;
}

class PostgresConnection final : public BackendConnection {
 public:
  PostgresConnection(PGconn* connection, std::size_t statement_cache_size,
                     std::atomic<std::uint64_t>& statements_prepared)
      : connection_(connection),
        cache_(statement_cache_size),
        statements_prepared_(statements_prepared) {}

  ~PostgresConnection() override { PQfinish(connection_); }

  Status execute_script(std::string_view sql) override {
    const std::string terminated(sql);
    return exec_command(terminated.c_str());
  }

  Backend backend() const override { return Backend::postgres; }

  Status begin() override { return exec_command("BEGIN"); }

  // COMMIT in a transaction that a failed statement aborted answers "ROLLBACK" rather than
  // an error, so check first and report the rollback.
  Status commit() override {
    if (PQtransactionStatus(connection_) == PQTRANS_INERROR) {
      AH_TRY_STATUS(exec_command("ROLLBACK"));
      return driver_failure(ErrorCode::internal,
                            "postgres: a statement in the transaction failed; rolled back");
    }
    return exec_command("COMMIT");
  }

  bool reusable() const override {
    return PQstatus(connection_) == CONNECTION_OK &&
           PQtransactionStatus(connection_) == PQTRANS_IDLE;
  }

 protected:
  bool statement_failed() const override {
    return PQtransactionStatus(connection_) == PQTRANS_INERROR;
  }
  // The server itself returns to the savepoint's state.
  void rolled_back_to_savepoint(bool /*before*/) override {}

 private:
  Status exec_command(const char* sql) {
    PGresult* result = PQexec(connection_, sql);
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return postgres_failure(connection_, result);
    }
    PQclear(result);
    return {};
  }

  Result<ResultSet> run(std::string_view sql, std::span<const Value> params) override {
    const TextParams text = text_params(params);
    AH_TRY(name, statement_name(sql, text));
    OwnedResult result(PQexecPrepared(connection_, name.c_str(), static_cast<int>(params.size()),
                                      text.pointers.data(), nullptr, nullptr, 0));
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      return postgres_failure(connection_, result.release());
    }
    ResultSet out;
    const int columns = PQnfields(result.get());
    const int rows = PQntuples(result.get());
    for (int column = 0; column < columns; ++column) {
      out.columns.emplace_back(PQfname(result.get(), column));
    }
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int row = 0; row < rows; ++row) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int column = 0; column < columns; ++column) {
        values.push_back(field_value(result.get(), row, column));
      }
      out.rows.emplace_back(std::move(values));
    }
    out.affected_rows = changed_rows(result.get());
    return out;
  }

  // The server-side name of the statement prepared for `sql` with these parameter types,
  // preparing it on first use. Types are part of the key because PREPARE fixes them.
  Result<std::string> statement_name(std::string_view sql, const TextParams& params) {
    std::string key = params.type_signature;
    key += '\n';
    key += sql;
    if (const auto* cached = cache_.find(key)) return *cached;
    if (placeholder_count(sql) != params.types.size()) {
      return driver_failure(ErrorCode::internal,
                            "postgres: placeholders must be $1..$n, one per value; got " +
                                std::to_string(params.types.size()) + " values");
    }
    if (cache_.full()) {
      AH_TRY_STATUS(exec_command("DEALLOCATE ALL"));
      cache_.clear([](const std::string&) {});
    }
    std::string name = "ah_" + std::to_string(next_statement_number_++);
    const std::string terminated(sql);
    PGresult* result = PQprepare(connection_, name.c_str(), terminated.c_str(),
                                 static_cast<int>(params.types.size()), params.types.data());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) return postgres_failure(connection_, result);
    PQclear(result);
    statements_prepared_.fetch_add(1, std::memory_order_relaxed);
    cache_.insert(std::move(key), name);
    return name;
  }

  PGconn* const connection_;
  StatementCache<std::string> cache_;  // key -> server-side statement name
  std::uint64_t next_statement_number_ = 0;
  std::atomic<std::uint64_t>& statements_prepared_;
};

void ignore_notice(void* /*context*/, const char* /*message*/) {}

}  // namespace

Result<std::unique_ptr<BackendConnection>> connect_postgres(
    const std::string& url, const Options& options,
    std::atomic<std::uint64_t>& statements_prepared) {
  // libpq applies keywords in order and the URL ("dbname", expanded) overrides those before
  // it; client_encoding comes last because the code relies on UTF-8.
  const std::string timeout = std::to_string(options.connect_timeout.count());
  const std::array<const char*, 5> keywords = {"connect_timeout", "application_name", "dbname",
                                               "client_encoding", nullptr};
  const std::array<const char*, 5> values = {timeout.c_str(), "augenhoehe", url.c_str(), "UTF8",
                                             nullptr};
  PGconn* connection = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (connection == nullptr) {
    return driver_failure(ErrorCode::unavailable, "postgres: libpq could not allocate");
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string detail = "postgres: " + trimmed(PQerrorMessage(connection));
    PQfinish(connection);
    return driver_failure(ErrorCode::unavailable, std::move(detail));
  }
  // Notices such as "relation already exists, skipping" would go to stderr otherwise.
  PQsetNoticeProcessor(connection, ignore_notice, nullptr);
  return std::unique_ptr<BackendConnection>(std::make_unique<PostgresConnection>(
      connection, options.statement_cache_size, statements_prepared));
}

}  // namespace ah::db::internal
