// Backup and restore of a SQLite database while the application may be writing to it.
//
//   AH_TRY_STATUS(ah::db::backup(*db, "/var/backups/augenhoehe/2024-05-01.db"));
//   // later, with the server stopped:
//   AH_TRY_STATUS(ah::db::restore("/var/backups/augenhoehe/2024-05-01.db",
//                                 "sqlite:/var/lib/augenhoehe/data.db"));
//
// PostgreSQL databases are backed up with the server's own tools (pg_dump/pg_restore);
// both functions refuse them with a message that says so.
#pragma once

#include <string_view>

#include "base/error.h"
#include "db/database.h"

namespace ah::db {

// Writes a consistent copy of `db` to `dest_path` using SQLite's online backup API.
// Writers carry on meanwhile; the copy shows the database as of the moment the backup
// began. The copy is written beside `dest_path` and renamed into place when complete, so
// `dest_path` never holds half a backup; an existing file there is replaced. The result is
// a single self-contained file (rollback journal, not WAL) readable only by its owner.
// Fails with invalid_input for PostgreSQL, an in-memory database, or `dest_path` naming
// the database itself; with unavailable if the database stays locked for long.
[[nodiscard]] Status backup(Database& db, std::string_view dest_path);

// Replaces the SQLite database at `database_url` ("sqlite:PATH") with the contents of
// `backup_path`, after checking that the backup passes PRAGMA integrity_check and is an
// augenhoehe database (it has schema_migrations). Nothing else may use the target database
// meanwhile: stop the server first. Fails with invalid_input if the backup is unreadable,
// damaged or foreign, or if `database_url` is not a SQLite URL.
[[nodiscard]] Status restore(std::string_view backup_path, std::string_view database_url);

}  // namespace ah::db
