// ah::search — full-text search with German stemming on both storage backends.
//
// One table, search_documents, holds every searchable document: (index name, document
// id) → title and body. An index name is a kind of document ("processes"); the document
// id is that kind's own primary key. SQLite indexes it in the FTS5 table search_fts with
// the "ah_german" tokenizer (sqlite_tokenizer.h); PostgreSQL in a generated tsvector column
// (`german` configuration, title weight A, body weight B) with a GIN index.
//
// A store keeps its documents current in the same transaction as its own rows, and
// composes a search into its own keyset-paginated query as a condition on its id:
//
//   AH_TRY_STATUS(search::put(tx, "processes", id, title + "\n" + summary, body));
//
//   const search::Query q = search::Query::parse(user_text);   // any text is safe
//   if (!q.blank()) sql += " AND " + search::condition(db.backend(), "processes", "p.id", q,
//   params);
//
// Semantics: every word of the query must occur (AND), in the title or the body;
// inflected forms match through stemming ("Spielplätze" finds "Spielplatz"), case and
// umlauts do not matter; the last word also matches as a prefix ("Digit" finds
// "Digitalisierung"). Query syntax of either engine (quotes, *, OR, NEAR, -, :,
// parentheses) has no meaning: only words count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"

namespace ah::search {

// Migration 900 (core range): search_documents and the backend's index on it.
std::vector<db::Migration> search_migrations();

// Adds or replaces the document `doc_id` of `index`.
[[nodiscard]] Status put(db::Connection& tx, std::string_view index, std::int64_t doc_id,
                         std::string_view title, std::string_view body);
// Removes it; removing a document that is not there is no error.
[[nodiscard]] Status remove(db::Connection& tx, std::string_view index, std::int64_t doc_id);

// What a person typed into a search field, reduced to words. Never fails.
class Query {
 public:
  // Caps: the first kMaxWords words count; words longer than kMaxWordBytes are ignored
  // (no document has them as words either way). Common German function words ("der",
  // "und", "im") are dropped, as PostgreSQL's `german` configuration drops them.
  static constexpr std::size_t kMaxWords = 12, kMaxWordBytes = 100;
  static Query parse(std::string_view text);

  // Nothing was typed (or only spaces): no search, every document qualifies.
  bool blank() const { return blank_; }
  // The words searched for, lower-cased, not stemmed (each engine stems them itself).
  const std::vector<std::string>& words() const { return words_; }

 private:
  bool blank_ = true;
  std::vector<std::string> words_;
};

// SQL that is true when `id_column` (a column expression of the caller's query, never
// input) is the id of a document of `index` matching `query`. Appends its parameters to
// `params` and numbers its placeholders after the ones already there. A query that is not
// blank but has no words ("*", "–") matches nothing. Do not call it for a blank query.
std::string condition(db::Backend backend, std::string_view index, std::string_view id_column,
                      const Query& query, std::vector<db::Value>& params);

}  // namespace ah::search
