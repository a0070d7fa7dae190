#include "export/xlsx.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "export/test_tools.h"

namespace ah::exports {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Reads the first sheet of the workbook in argv[1] with openpyxl and prints what a person
// would see: sheet names, frozen pane, bold header, column widths, each cell's type and value.
constexpr const char* kReadWorkbook = R"PY(
import datetime, json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
def cell(c):
    v = c.value
    if isinstance(v, datetime.datetime):
        return {"type": "date", "value": v.isoformat(timespec="seconds"), "format": c.number_format}
    if isinstance(v, (int, float)):
        return {"type": "number", "value": v}
    if isinstance(v, str):
        return {"type": "text", "value": v}
    return {"type": "empty"}
print(json.dumps({
    "sheets": wb.sheetnames,
    "freeze": ws.freeze_panes,
    "bold": [c.font.b for c in ws[1]],
    "widths": {k: d.width for k, d in ws.column_dimensions.items()},
    "rows": [[cell(c) for c in row] for row in ws.iter_rows()],
}))
)PY";

class ToXlsx : public ::testing::Test {
 protected:
  // libxlsxwriter's and to_xlsx's temp files go to a directory of this test alone, so the
  // tests can see that nothing is left behind.
  void SetUp() override {
    dir_ = testing::fresh_directory();
    fs::create_directories(dir_ / "tmp");
    const char* old = std::getenv("TMPDIR");
    old_tmpdir_ = old ? std::optional<std::string>(old) : std::nullopt;
    ::setenv("TMPDIR", (dir_ / "tmp").c_str(), 1);
  }
  void TearDown() override {
    if (old_tmpdir_)
      ::setenv("TMPDIR", old_tmpdir_->c_str(), 1);
    else
      ::unsetenv("TMPDIR");
    fs::remove_all(dir_);
  }

  bool temp_is_empty() const { return fs::is_empty(dir_ / "tmp"); }

  // The workbook as openpyxl reads it; null when it cannot.
  json read_back(const std::string& bytes) {
    const fs::path file = dir_ / "out.xlsx";
    testing::write_file(file, bytes);
    auto result = testing::run({*python_, "-c", kReadWorkbook, file.string()});
    if (!result || result->status != 0) return nullptr;
    return json::parse(result->output, nullptr, /*allow_exceptions=*/false);
  }

  std::optional<std::string> python_ = testing::python_with("openpyxl");
  fs::path dir_;
  std::optional<std::string> old_tmpdir_;
};

TEST_F(ToXlsx, CellsReadBackWithTheirTypes) {
  AH_REQUIRE_TOOL(python_, "python3 with openpyxl (Debian python3-openpyxl)");
  const Table table{
      {"Titel", "Unterstützungen", "Anteil", "Eingereicht"},
      {{std::string("Bänke am Ufer"), std::int64_t{42}, 0.25, Timestamp{1'795'731'485}},
       {std::string("=1+2"), std::int64_t{-5}, -1.5, Timestamp{1'782'900'000}},
       {std::string("Zeile 1\nZeile 2 & <b>\"x\"</b>"), std::int64_t{1'000'000}, 3.0,
        Timestamp{0}}}};
  auto bytes = to_xlsx(table, "Vorschläge");
  ASSERT_TRUE(bytes) << bytes.error().message << " " << bytes.error().detail;
  EXPECT_TRUE(bytes->starts_with("PK\x03\x04"));  // a zip file
  EXPECT_TRUE(temp_is_empty());

  const json book = read_back(*bytes);
  ASSERT_TRUE(book.is_object()) << "openpyxl could not read the workbook";
  EXPECT_EQ(book["sheets"], json::array({"Vorschläge"}));
  EXPECT_EQ(book["freeze"], "A2");  // the header row stays in view
  EXPECT_EQ(book["bold"], json::array({true, true, true, true}));

  const json& rows = book["rows"];
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][1], (json{{"type", "text"}, {"value", "Unterstützungen"}}));
  EXPECT_EQ(rows[1][0], (json{{"type", "text"}, {"value", "Bänke am Ufer"}}));
  EXPECT_EQ(rows[1][1], (json{{"type", "number"}, {"value", 42}}));
  EXPECT_EQ(rows[1][2], (json{{"type", "number"}, {"value", 0.25}}));
  // Dates are real dates in Berlin time with a German format.
  EXPECT_EQ(
      rows[1][3],
      (json{{"type", "date"}, {"value", "2026-11-26T23:18:05"}, {"format", "dd.mm.yyyy hh:mm"}}));
  EXPECT_EQ(rows[2][3]["value"], "2026-07-01T12:00:00");  // summer time
  EXPECT_EQ(rows[3][3]["value"], "1970-01-01T01:00:00");
  // A formula-like text is text, not a formula, and is not altered.
  EXPECT_EQ(rows[2][0], (json{{"type", "text"}, {"value", "=1+2"}}));
  EXPECT_EQ(rows[2][1]["value"], -5);
  EXPECT_EQ(rows[2][2]["value"], -1.5);
  EXPECT_EQ(rows[3][0]["value"], "Zeile 1\nZeile 2 & <b>\"x\"</b>");
  EXPECT_EQ(rows[3][1]["value"], 1'000'000);
}

TEST_F(ToXlsx, ColumnsAreAsWideAsTheirContent) {
  AH_REQUIRE_TOOL(python_, "python3 with openpyxl (Debian python3-openpyxl)");
  const Table table{{"Nr", "Titel"},
                    {{std::int64_t{1}, std::string(40, 'x')}, {std::int64_t{2}, std::string("y")}}};
  auto bytes = to_xlsx(table, "Daten");
  ASSERT_TRUE(bytes);
  const json book = read_back(*bytes);
  ASSERT_TRUE(book.is_object());
  const double narrow = book["widths"]["A"], wide = book["widths"]["B"];
  EXPECT_GE(narrow, 8);
  EXPECT_LT(narrow, 12);
  EXPECT_GE(wide, 42);
  EXPECT_LE(wide, 62);
}

TEST_F(ToXlsx, ControlCharactersDoNotBreakTheWorkbook) {
  AH_REQUIRE_TOOL(python_, "python3 with openpyxl (Debian python3-openpyxl)");
  auto bytes = to_xlsx(Table{{"Text"},
                             {{std::string("a\x01"
                                           "b\x1F"
                                           "c")}}},
                       "x");
  ASSERT_TRUE(bytes);
  const json book = read_back(*bytes);
  ASSERT_TRUE(book.is_object()) << "openpyxl could not read the workbook";
  // libxlsxwriter writes them as OOXML escapes (_x0001_), which Excel turns back into the
  // characters; openpyxl shows the escapes.
  EXPECT_EQ(book["rows"][1][0], (json{{"type", "text"}, {"value", "a_x0001_b_x001F_c"}}));
}

TEST_F(ToXlsx, AnEmptyTableIsAHeaderRow) {
  AH_REQUIRE_TOOL(python_, "python3 with openpyxl (Debian python3-openpyxl)");
  auto bytes = to_xlsx(Table{{"a", "b"}, {}}, "leer");
  ASSERT_TRUE(bytes);
  const json book = read_back(*bytes);
  ASSERT_TRUE(book.is_object());
  EXPECT_EQ(book["rows"].size(), 1u);
}

TEST_F(ToXlsx, RefusesWhatExcelCannotHoldAndLeavesNoFileBehind) {
  auto ragged = to_xlsx(Table{{"a", "b"}, {{std::int64_t{1}}}}, "x");
  ASSERT_FALSE(ragged);
  EXPECT_EQ(ragged.error().code, ErrorCode::invalid_input);

  auto long_text = to_xlsx(Table{{"a"}, {{std::string(32'768, 'x')}}}, "x");
  ASSERT_FALSE(long_text);
  EXPECT_EQ(long_text.error().code, ErrorCode::too_large);
  EXPECT_EQ(long_text.error().message,
            "row 1, column 'a': Excel takes at most 32,767 characters a cell");
  EXPECT_TRUE(to_xlsx(Table{{"a"}, {{std::string(32'767, 'x')}}}, "x"));
  // Counted over all lines, in characters.
  std::string lines;
  while (lines.size() < 2 * 32'768) lines += "ü\n";
  EXPECT_FALSE(to_xlsx(Table{{"a"}, {{lines}}}, "x"));

  auto too_early = to_xlsx(Table{{"a"}, {{Timestamp{-2'500'000'000}}}}, "x");  // 1890
  ASSERT_FALSE(too_early);
  EXPECT_EQ(too_early.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(temp_is_empty());
}

TEST(SanitizeSheetName, KeepsWhatExcelAllows) {
  EXPECT_EQ(sanitize_sheet_name("Vorschläge"), "Vorschläge");
  EXPECT_EQ(sanitize_sheet_name("Halle [Saale]: a/b\\c*d?"), "Halle _Saale__ a_b_c_d_");
  EXPECT_EQ(sanitize_sheet_name("'Zitat'"), "Zitat");
  EXPECT_EQ(sanitize_sheet_name("Zeile\nneu"), "Zeile_neu");
  EXPECT_EQ(sanitize_sheet_name(""), "Tabelle1");
  EXPECT_EQ(sanitize_sheet_name("''"), "Tabelle1");
  // At most 31 characters, counted as characters, not bytes.
  EXPECT_EQ(sanitize_sheet_name("Bürgerbeteiligung Öffentlichkeit Übersicht"),
            "Bürgerbeteiligung Öffentlichkei");
  EXPECT_EQ(sanitize_sheet_name(std::string(40, 'a') + "'"), std::string(31, 'a'));
  EXPECT_EQ(sanitize_sheet_name("a\xFF"), "a\xEF\xBF\xBD");
}

}  // namespace
}  // namespace ah::exports
