#include "export/csv.h"

#include <gtest/gtest.h>

#include "base/csv.h"

namespace ah::exports {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// An independent reading of RFC 4180 with any separator, strict about quotes, for checking
// that what to_csv writes reads back to the same fields.
std::vector<std::vector<std::string>> parse(std::string_view text, char separator) {
  EXPECT_TRUE(text.starts_with(kBom));
  text.remove_prefix(kBom.size());
  std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    std::string& field = records.back().back();
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty()) << "a quote inside an unquoted field at byte " << i;
      quoted = true;
    } else if (c == separator) {
      records.back().emplace_back();
    } else if (c == '\r') {
      EXPECT_EQ(text.substr(i, 2), "\r\n") << "a bare CR outside quotes at byte " << i;
      ++i;
      records.emplace_back(1);
    } else {
      EXPECT_NE(c, '\n') << "a bare LF outside quotes at byte " << i;
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_EQ(records.back(), std::vector<std::string>(1)) << "the last record has no CRLF";
  records.pop_back();
  return records;
}

// 26 Nov 2026 22:18:05 UTC, 23:18:05 in Berlin; and 1 Jul 2026 10:00 UTC, 12:00 in Berlin.
constexpr Timestamp kWinter{1'795'731'485};
constexpr Timestamp kSummer{1'782'900'000};

Table sample() {
  return Table{{"Titel", "Unterstützungen", "Anteil", "Eingereicht"},
               {{std::string("Bänke am Ufer; bitte"), std::int64_t{42}, 0.25, kWinter},
                {std::string("Sag \"Hallo\"\r\nzweite Zeile"), std::int64_t{-5}, -1.5, kSummer},
                {std::string("=HYPERLINK(\"http://evil\")"), std::int64_t{0}, 1e21, Timestamp{0}}}};
}

TEST(ToCsv, StartsWithAByteOrderMarkAndEndsRecordsWithCrlf) {
  auto csv = to_csv(Table{{"Ä", "B"}, {{std::string("ö"), std::int64_t{1}}}});
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(*csv, "\xEF\xBB\xBF\xC3\x84;B\r\n\xC3\xB6;1\r\n");
}

TEST(ToCsv, SemicolonStyleReadsBackAsGermanExcelShowsIt) {
  auto csv = to_csv(sample());
  ASSERT_TRUE(csv) << csv.error().message;
  const std::vector<std::vector<std::string>> expected = {
      {"Titel", "Unterstützungen", "Anteil", "Eingereicht"},
      {"Bänke am Ufer; bitte", "42", "0,25", "26.11.2026 23:18:05"},
      {"Sag \"Hallo\"\r\nzweite Zeile", "-5", "-1,5", "01.07.2026 12:00:00"},
      {"'=HYPERLINK(\"http://evil\")", "0", "1000000000000000000000", "01.01.1970 01:00:00"}};
  EXPECT_EQ(parse(*csv, ';'), expected);
  // Fields with a separator, a quote or a line break are quoted; others are not.
  EXPECT_NE(csv->find("\"Bänke am Ufer; bitte\";42;0,25;26.11.2026 23:18:05\r\n"), csv->npos);
  EXPECT_NE(csv->find("\"Sag \"\"Hallo\"\"\r\nzweite Zeile\";-5;-1,5;"), csv->npos);
}

TEST(ToCsv, CommaStyleIsPlainRfc4180) {
  auto csv = to_csv(sample(), {.separator = Separator::comma});
  ASSERT_TRUE(csv) << csv.error().message;
  const std::vector<std::vector<std::string>> expected = {
      {"Titel", "Unterstützungen", "Anteil", "Eingereicht"},
      {"Bänke am Ufer; bitte", "42", "0.25", "2026-11-26 23:18:05"},
      {"Sag \"Hallo\"\r\nzweite Zeile", "-5", "-1.5", "2026-07-01 12:00:00"},
      {"'=HYPERLINK(\"http://evil\")", "0", "1000000000000000000000", "1970-01-01 01:00:00"}};
  EXPECT_EQ(parse(*csv, ','), expected);
  // The project's own reader agrees.
  auto table = parse_csv(std::string_view(*csv).substr(kBom.size()));
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->header, expected[0]);
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[1], expected[2]);
  // A field with a comma is quoted in this style.
  auto comma = to_csv(Table{{"a"}, {{std::string("x,y")}, {std::string("x;y")}}},
                      {.separator = Separator::comma});
  EXPECT_EQ(*comma, std::string(kBom) + "a\r\n\"x,y\"\r\nx;y\r\n");
}

TEST(ToCsv, TextThatWouldRunAsAFormulaGetsALeadingApostrophe) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"=1+2", "'=1+2"},
      {"+49 340 123", "'+49 340 123"},
      {"-2", "'-2"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\tTab", "'\tTab"},
      {"\rCR", "\"'\rCR\""},
      {"a=b", "a=b"},
      {" =x", " =x"},
      {"", ""},
      {"'schon", "'schon"},
      {"=\"x\";y", "\"'=\"\"x\"\";y\""}};
  for (const auto& [text, field] : cases) {
    auto csv = to_csv(Table{{"Text"}, {{text}}});
    ASSERT_TRUE(csv);
    EXPECT_EQ(*csv, std::string(kBom) + "Text\r\n" + field + "\r\n") << text;
  }
  // Column names are protected too; numbers are numbers.
  auto csv = to_csv(Table{{"=Titel", "-Wert"}, {{std::int64_t{-3}, -0.5}}});
  EXPECT_EQ(*csv, std::string(kBom) + "'=Titel;'-Wert\r\n-3;-0,5\r\n");
}

TEST(ToCsv, DecimalsAreExactWithoutExponent) {
  auto csv = to_csv(Table{{"x"}, {{0.1}, {1e-7}, {123456.789}, {2.0}}});
  ASSERT_TRUE(csv);
  EXPECT_EQ(*csv, std::string(kBom) + "x\r\n0,1\r\n0,0000001\r\n123456,789\r\n2\r\n");
}

TEST(ToCsv, RefusesATableItCannotWriteFaithfully) {
  auto ragged = to_csv(Table{{"a", "b"}, {{std::int64_t{1}}}});
  ASSERT_FALSE(ragged);
  EXPECT_EQ(ragged.error().code, ErrorCode::invalid_input);
  EXPECT_FALSE(to_csv(Table{{"a"}, {{std::string("\xFF")}}}));
}

TEST(ToCsv, AnEmptyTableIsTheHeaderAlone) {
  EXPECT_EQ(*to_csv(Table{{"a", "b"}, {}}), std::string(kBom) + "a;b\r\n");
}

}  // namespace
}  // namespace ah::exports
