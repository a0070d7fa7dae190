// The FTS5 tokenizer "ah_german": search::for_each_word + search::german_stem inside
// SQLite, so FTS5 tables declared with tokenize='ah_german' index stems, and MATCH
// queries against them are stemmed the same way.
//
// db/sqlite registers it on every connection it opens; a SQLite handle opened elsewhere
// (the sqlite3 shell) cannot read or write search_fts without it.
#pragma once

struct sqlite3;

namespace ah::search {

inline constexpr const char* kSqliteTokenizer = "ah_german";

// Registers "ah_german" on `db`. Returns an SQLite result code: SQLITE_OK, or SQLITE_ERROR
// when the library was built without FTS5.
int register_sqlite_tokenizer(sqlite3* db);

}  // namespace ah::search
