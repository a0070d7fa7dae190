#include "db/sqlite/sqlite_errors.h"

#include <sqlite3.h>

#include "db/internal/backend.h"

namespace ah::db::internal {
namespace {

ErrorCode code_for(int result_code) {
  switch (result_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return ErrorCode::conflict;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
    case SQLITE_NOMEM:
      return ErrorCode::unavailable;
    default:
      return ErrorCode::internal;
  }
}

}  // namespace

std::unexpected<Error> sqlite_failure(int result_code, sqlite3* db) {
  std::string detail = "sqlite: ";
  if (db != nullptr) {
    detail += sqlite3_errmsg(db);
    detail += " ";
  }
  detail += "(";
  detail += sqlite3_errstr(result_code);
  detail += ", code ";
  detail += std::to_string(result_code);
  detail += ")";
  return driver_failure(code_for(result_code), std::move(detail));
}

}  // namespace ah::db::internal
