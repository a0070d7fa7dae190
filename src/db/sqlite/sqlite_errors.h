// How SQLite result codes become ah::Error. Not API.
#pragma once

#include <string>

#include "base/error.h"

struct sqlite3;

namespace ah::db::internal {

// Maps an SQLite (extended) result code: constraint -> conflict; busy, locked, I/O, full
// disk, cannot open -> unavailable; everything else -> internal. The detail holds the
// connection's error text (if `db` is given) and the code's name.
std::unexpected<Error> sqlite_failure(int result_code, sqlite3* db);

}  // namespace ah::db::internal
