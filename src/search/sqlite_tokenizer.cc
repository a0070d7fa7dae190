#include "search/sqlite_tokenizer.h"

#include <sqlite3.h>

#include <string>

#include "search/text.h"

namespace ah::search {
namespace {

// The tokenizer keeps no state; FTS5 still wants an object per table.
struct Tokenizer {};

int create(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(new Tokenizer);
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* tokenizer) { delete reinterpret_cast<Tokenizer*>(tokenizer); }

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

// Documents and queries alike: every word becomes its stem; the offsets are the word's
// bytes in the original text (used by highlight() and snippet()).
int tokenize(Fts5Tokenizer*, void* context, int /*flags*/, const char* text, int size,
             TokenCallback token) {
  if (size <= 0) return SQLITE_OK;
  int rc = SQLITE_OK;
  for_each_word(std::string_view(text, static_cast<std::size_t>(size)),
                [&](std::string_view word, std::size_t begin, std::size_t end) {
                  if (rc != SQLITE_OK) return;
                  const std::string stem = german_stem(word);
                  rc = token(context, 0, stem.data(), static_cast<int>(stem.size()),
                             static_cast<int>(begin), static_cast<int>(end));
                });
  return rc;
}

// The documented way to reach FTS5's C API: SELECT fts5(?1) with a pointer bound to ?1.
fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK) {
    return nullptr;
  }
  sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(statement);
  sqlite3_finalize(statement);
  return api;
}

}  // namespace

int register_sqlite_tokenizer(sqlite3* db) {
  fts5_api* api = fts5_of(db);
  if (api == nullptr || api->iVersion < 2) return SQLITE_ERROR;
  fts5_tokenizer tokenizer{create, destroy, tokenize};
  return api->xCreateTokenizer(api, kSqliteTokenizer, nullptr, &tokenizer, nullptr);
}

}  // namespace ah::search
