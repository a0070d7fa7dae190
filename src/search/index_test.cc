#include "search/index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/test_database.h"
#include "search/text.h"

namespace ah::search {
namespace {

using db::Value;
using Ids = std::vector<std::int64_t>;

class SearchIndexTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_TRUE(db::migrate(*db, search_migrations()).has_value());
  }

  void put_doc(std::string_view index, std::int64_t id, std::string_view title,
               std::string_view body) {
    ASSERT_TRUE(db->transaction([&](db::Connection& tx) {
                    return put(tx, index, id, title, body);
                  }).has_value());
  }

  // The ids of `index`'s documents that match `text`, ascending; a blank query lists all.
  Result<Ids> search(std::string_view text, std::string_view index = "things") {
    std::vector<Value> params{Value{std::string(index)}};
    std::string sql = "SELECT s.doc_id FROM search_documents s WHERE s.index_name = $1";
    const Query query = Query::parse(text);
    if (!query.blank()) sql += " AND " + condition(db->backend(), index, "s.doc_id", query, params);
    sql += " ORDER BY s.doc_id";
    AH_TRY(rs, db->query(sql, params));
    Ids ids;
    for (const auto& row : rs.rows) ids.push_back(row.int64(0));
    return ids;
  }

  Ids found(std::string_view text) {
    auto ids = search(text);
    EXPECT_TRUE(ids.has_value()) << text << ": " << (ids ? "" : ids.error().detail);
    return ids.value_or(Ids{});
  }

  void put_samples() {
    put_doc("things", 1, "Neugestaltung des Spielplatzes am Markt",
            "Die Stadt erneuert den Spielplatz. Kinder und Eltern reden mit.");
    put_doc("things", 2, "Digitale Verwaltung", "Welche Leistungen wollen Bürgerinnen online?");
    put_doc("things", 3, "Neue Radwege", "Sichere Straßen für alle Häuser am Ring.");
    put_doc("other", 1, "Spielplätze anderswo", "Ein anderer Index.");
  }
};

TEST_P(SearchIndexTest, SqliteHasFts5) {
  if (backend() != db::Backend::sqlite) GTEST_SKIP() << "SQLite only";
  EXPECT_EQ(db::testing::scalar(*db, "SELECT sqlite_compileoption_used('ENABLE_FTS5')"), 1);
}

TEST_P(SearchIndexTest, InflectionsCaseAndUmlautsMatch) {
  put_samples();
  EXPECT_EQ(found("Spielplätze"), (Ids{1}));
  EXPECT_EQ(found("SPIELPLATZ"), (Ids{1}));
  EXPECT_EQ(found("Kind"), (Ids{1}));     // "Kinder" in the body
  EXPECT_EQ(found("Haus"), (Ids{3}));     // "Häuser"
  EXPECT_EQ(found("Strasse"), (Ids{3}));  // "Straßen"
  EXPECT_EQ(found("straße"), (Ids{3}));
  EXPECT_EQ(found("Verwaltungen"), (Ids{2}));
  EXPECT_EQ(found("Bürgerinnen"), (Ids{2}));
}

TEST_P(SearchIndexTest, EveryWordMustMatch) {
  put_samples();
  EXPECT_EQ(found("Spielplatz Markt"), (Ids{1}));
  EXPECT_EQ(found("Spielplatz Radwege"), Ids{});
  EXPECT_EQ(found("Stadt Spielplatz Eltern"), (Ids{1}));  // title and body together
  EXPECT_EQ(found("Spielplatz in der Stadt"), (Ids{1}));  // function words do not count
}

TEST_P(SearchIndexTest, TheLastWordIsAPrefix) {
  put_samples();
  EXPECT_EQ(found("Digit"), (Ids{2}));
  EXPECT_EQ(found("Spielplä"), (Ids{1}));  // the prefix is stemmed too
  EXPECT_EQ(found("Verwaltung onl"), (Ids{2}));
  EXPECT_EQ(found("Digit Verwaltung"), Ids{});  // only the last word
}

TEST_P(SearchIndexTest, BlankAndWordlessQueries) {
  put_samples();
  EXPECT_EQ(found(""), (Ids{1, 2, 3}));
  EXPECT_EQ(found("   "), (Ids{1, 2, 3}));
  EXPECT_EQ(found("***"), Ids{});  // typed something, but no word: nothing matches
  EXPECT_EQ(found("der die das"), Ids{});
}

TEST_P(SearchIndexTest, HostileQueriesAreJustWords) {
  put_samples();
  const std::string hostile[] = {
      "\"",
      "\"Spielplatz",
      "Spielplatz\"*",
      "*",
      "Spiel*",
      "NEAR(Spielplatz Markt, 2)",
      "Spielplatz OR Radwege",
      "Spielplatz AND",
      "NOT Spielplatz",
      "-Spielplatz",
      "title:Spielplatz",
      "body : Kinder",
      "(Spielplatz",
      "Spielplatz)",
      "{title body}: Markt",
      "^Spielplatz",
      "'; DROP TABLE search_documents; --",
      "x' OR '1'='1",
      "Spielplatz & | ! <-> :*",
      "\\",
      "\x01\x02",
      "\xff\xfe",
      "🌳",
      std::string(20000, 'a'),
      std::string(5000, '(') + "Spielplatz",
      [] {
        std::string many;
        for (int i = 0; i < 2000; ++i) many += "wort" + std::to_string(i) + " OR ";
        return many;
      }(),
  };
  for (const auto& q : hostile) {
    auto ids = search(q);
    EXPECT_TRUE(ids.has_value()) << q.substr(0, 80) << ": " << (ids ? "" : ids.error().detail);
  }
  // Operators are words (or nothing), never syntax.
  EXPECT_EQ(found("Spielplatz OR Radwege"), Ids{});
  EXPECT_EQ(found("NOT Spielplatz"), Ids{});
  EXPECT_EQ(found("-Spielplatz"), (Ids{1}));
  EXPECT_EQ(found("title:Spielplatz"), Ids{});  // "title" is a word no document has
  EXPECT_EQ(found("(Spielplatz)"), (Ids{1}));
  EXPECT_EQ(found("\"Spielplatz Markt\""), (Ids{1}));
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM search_documents"), 4);
}

TEST_P(SearchIndexTest, UpdatesAndRemovalsChangeResults) {
  put_samples();
  put_doc("things", 1, "Neuer Brunnen", "Am Markt entsteht ein Brunnen.");
  EXPECT_EQ(found("Spielplatz"), Ids{});
  EXPECT_EQ(found("Brunnen"), (Ids{1}));
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM search_documents WHERE doc_id = 1"), 2);

  ASSERT_TRUE(db->transaction([](db::Connection& tx) { return remove(tx, "things", 1); }));
  EXPECT_EQ(found("Brunnen"), Ids{});
  EXPECT_EQ(found("Markt"), Ids{});
  ASSERT_TRUE(db->transaction([](db::Connection& tx) { return remove(tx, "things", 99); }));
  // The other index keeps its document 1.
  EXPECT_EQ(search("Spielplatz", "other").value_or(Ids{}), (Ids{1}));
}

TEST_P(SearchIndexTest, ARolledBackPutLeavesNoTrace) {
  put_samples();
  auto status = db->transaction([](db::Connection& tx) -> Status {
    AH_TRY_STATUS(put(tx, "things", 7, "Schwimmbad", "Sanierung"));
    return fail(ErrorCode::conflict, "changed my mind");
  });
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(found("Schwimmbad"), Ids{});
}

// PostgreSQL runs the same Snowball algorithm in C; its stems are a second, independent
// opinion on every word of a typical text (stop words, which it drops, aside).
TEST_P(SearchIndexTest, StemsAgreeWithPostgresql) {
  if (backend() != db::Backend::postgres) GTEST_SKIP() << "needs PostgreSQL's german_stem";
  const std::string text =
      "Die Stadt Kemberg erneuert den Spielplatz am Markt. Bringen Sie Ihre Ideen ein und "
      "unterstützen Sie die Vorschläge anderer. Der Stadtrat berät im Frühjahr über alle "
      "Vorschläge. Sachsen-Anhalt baut seine Online-Dienste aus; sagen Sie uns, was Ihnen am "
      "meisten helfen würde. Bürgerinnen und Bürger, Gemeinden, Landkreise, Verwaltungen, "
      "Beteiligungsverfahren, Straßenbeleuchtung, Radwegen, Häusern, Bäume, Grünflächen, "
      "Öffentlichkeit, Zuständigkeiten, Möglichkeiten, freundlichsten, schönere, größten, "
      "Übersichtlichkeit, Erreichbarkeit, Bedürfnisse, Ergebnisse, Haushaltsmittel, Schulen, "
      "Kindergärten, Feuerwehr, Bauarbeiten, Digitalisierung, Barrierefreiheit, Einwohnerinnen, "
      "Abwägung, Stellungnahmen, Nachnutzung, gefährlich, sicherer, täglich, wöchentlichen, "
      "geplante, beschlossen, diskutierten, Quellen, Bayern, Treue, Mauer, Ausschüsse.";
  int compared = 0;
  for (const auto& word : words(text)) {
    auto rs = db->query("SELECT array_to_string(ts_lexize('german_stem', $1), ',')", {Value{word}});
    ASSERT_TRUE(rs) << rs.error().detail;
    const std::string theirs = rs->rows[0].is_null(0) ? "" : rs->rows[0].text(0);
    if (theirs.empty()) continue;  // a stop word
    EXPECT_EQ(german_stem(word), theirs) << word;
    ++compared;
  }
  EXPECT_GT(compared, 60);
}

TEST(SearchQuery, KeepsWordsDropsFunctionWordsAndCaps) {
  EXPECT_TRUE(Query::parse("").blank());
  EXPECT_TRUE(Query::parse(" \t\n").blank());
  EXPECT_FALSE(Query::parse("*").blank());
  EXPECT_EQ(Query::parse("Der Spielplatz und DIE Bank, der Spielplatz").words(),
            (std::vector<std::string>{"spielplatz", "bank"}));
  std::string many;
  for (int i = 0; i < 50; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(Query::parse(many).words().size(), Query::kMaxWords);
  EXPECT_TRUE(Query::parse(std::string(Query::kMaxWordBytes + 1, 'a')).words().empty());
}

AH_INSTANTIATE_BACKEND_TEST(SearchIndexTest);

}  // namespace
}  // namespace ah::search
