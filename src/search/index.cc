#include "search/index.h"

#include <algorithm>
#include <iterator>

#include "search/text.h"

namespace ah::search {

using db::Value;

std::vector<db::Migration> search_migrations() {
  return {
      // The document table is the same on both backends; the index on it is the one
      // piece of DDL only one backend understands, so it runs in the migration's load
      // step, chosen by the connection's backend.
      {900, "search_documents",
       "CREATE TABLE search_documents ("
       " id {{id}},"
       " index_name TEXT NOT NULL,"
       " doc_id BIGINT NOT NULL,"
       " title TEXT NOT NULL,"
       " body TEXT NOT NULL,"
       " UNIQUE (index_name, doc_id));",
       [](db::Connection& tx) -> Status {
         if (tx.backend() == db::Backend::postgres) {
           return tx.execute_script(
               "ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS"
               " (setweight(to_tsvector('german', title), 'A') ||"
               " setweight(to_tsvector('german', body), 'B')) STORED;"
               "CREATE INDEX search_documents_document ON search_documents USING GIN (document);");
         }
         // An external-content FTS5 table: the text lives once, in search_documents; the
         // triggers keep the index in step with every insert, update and delete.
         return tx.execute_script(
             "CREATE VIRTUAL TABLE search_fts USING fts5(title, body,"
             " content='search_documents', content_rowid='id', tokenize='ah_german');"
             "CREATE TRIGGER search_documents_inserted AFTER INSERT ON search_documents BEGIN"
             " INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);"
             " END;"
             "CREATE TRIGGER search_documents_deleted AFTER DELETE ON search_documents BEGIN"
             " INSERT INTO search_fts (search_fts, rowid, title, body)"
             " VALUES ('delete', old.id, old.title, old.body);"
             " END;"
             "CREATE TRIGGER search_documents_updated AFTER UPDATE ON search_documents BEGIN"
             " INSERT INTO search_fts (search_fts, rowid, title, body)"
             " VALUES ('delete', old.id, old.title, old.body);"
             " INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);"
             " END;");
       }},
  };
}

Status put(db::Connection& tx, std::string_view index, std::int64_t doc_id, std::string_view title,
           std::string_view body) {
  AH_TRY_STATUS(tx.query(
      "INSERT INTO search_documents (index_name, doc_id, title, body) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (index_name, doc_id) DO UPDATE SET title = excluded.title, body = "
      "excluded.body",
      {Value{std::string(index)}, Value{doc_id}, Value{std::string(title)},
       Value{std::string(body)}}));
  return {};
}

Status remove(db::Connection& tx, std::string_view index, std::int64_t doc_id) {
  AH_TRY_STATUS(tx.query("DELETE FROM search_documents WHERE index_name = $1 AND doc_id = $2",
                         {Value{std::string(index)}, Value{doc_id}}));
  return {};
}

namespace {

// Function words that carry no meaning for a search. PostgreSQL's `german` configuration
// drops these (and more) from documents and queries; dropping them from queries on both
// backends keeps "Spielplatz in der Altstadt" from requiring "in" and "der" on SQLite.
constexpr std::string_view kStopWords[] = {
    "aber",   "alle",   "allem",  "allen",    "aller", "alles",  "als",   "also",  "am",    "an",
    "auch",   "auf",    "aus",    "bei",      "bin",   "bis",    "bist",  "da",    "damit", "dann",
    "das",    "dass",   "daß",    "dem",      "den",   "der",    "des",   "die",   "dies",  "diese",
    "diesem", "diesen", "dieser", "dieses",   "doch",  "du",     "durch", "ein",   "eine",  "einem",
    "einen",  "einer",  "eines",  "er",       "es",    "für",    "gegen", "hat",   "hatte", "ich",
    "ihr",    "ihre",   "im",     "in",       "ins",   "ist",    "kann",  "man",   "mit",   "nach",
    "nicht",  "noch",   "nun",    "nur",      "ob",    "oder",   "ohne",  "sehr",  "sein",  "sich",
    "sie",    "sind",   "so",     "über",     "um",    "und",    "uns",   "unter", "vom",   "von",
    "vor",    "war",    "was",    "weil",     "wenn",  "werden", "wie",   "wir",   "wird",  "wo",
    "zu",     "zum",    "zur",    "zwischen", "bzw",   "sowie"};

bool is_stop_word(std::string_view word) {
  return std::find(std::begin(kStopWords), std::end(kStopWords), word) != std::end(kStopWords);
}

}  // namespace

Query Query::parse(std::string_view text) {
  Query query;
  query.blank_ = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  for_each_word(text, [&](std::string_view word, std::size_t, std::size_t) {
    if (query.words_.size() >= kMaxWords || word.size() > kMaxWordBytes || is_stop_word(word))
      return;
    if (std::find(query.words_.begin(), query.words_.end(), word) == query.words_.end())
      query.words_.emplace_back(word);
  });
  return query;
}

std::string condition(db::Backend backend, std::string_view index, std::string_view id_column,
                      const Query& query, std::vector<Value>& params) {
  if (query.words().empty()) return "1 = 0";
  // Words are letters and digits only (for_each_word), so quoting them needs no escaping
  // in either engine's query language; the last one is a prefix.
  std::string expression;
  const bool sqlite = backend == db::Backend::sqlite;
  for (std::size_t i = 0; i < query.words().size(); ++i) {
    if (i > 0) expression += sqlite ? " " : " & ";
    expression += (sqlite ? "\"" : "'") + query.words()[i] + (sqlite ? "\"" : "'");
  }
  expression += sqlite ? "*" : ":*";
  params.emplace_back(std::move(expression));
  const std::string match = "$" + std::to_string(params.size());
  params.emplace_back(std::string(index));
  const std::string index_name = "$" + std::to_string(params.size());
  if (sqlite) {
    return std::string(id_column) +
           " IN (SELECT d.doc_id FROM search_fts JOIN search_documents d ON d.id = "
           "search_fts.rowid WHERE search_fts MATCH " +
           match + " AND d.index_name = " + index_name + ")";
  }
  return std::string(id_column) +
         " IN (SELECT doc_id FROM search_documents WHERE index_name = " + index_name +
         " AND document @@ to_tsquery('german', " + match + "))";
}

}  // namespace ah::search
