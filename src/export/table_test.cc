#include "export/table.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "export/internal/text.h"

namespace ah::exports {
namespace {

using namespace std::chrono;

std::int64_t utc(year_month_day day, int hour, int minute, int second = 0) {
  return (sys_days{day} + hours{hour} + minutes{minute} + seconds{second})
      .time_since_epoch()
      .count();
}

TEST(CheckTable, AcceptsEveryKindOfCell) {
  Table table{{"Titel", "Anzahl", "Anteil", "Zeit"}, {}};
  table.rows.push_back({std::string("Bänke"), std::int64_t{3}, 0.5, Timestamp{0}});
  EXPECT_TRUE(check_table(table));
}

TEST(CheckTable, NamesTheRowThatIsNotAsWideAsTheHeader) {
  Table table{{"Titel", "Anzahl"}, {{std::string("a"), std::int64_t{1}}, {std::string("b")}}};
  auto checked = check_table(table);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(checked.error().message, "row 2 has 1 cells, the header 2");
}

TEST(CheckTable, RefusesInvalidUtf8AndNonFiniteDecimals) {
  Table bad_text{{"Titel"}, {{std::string("ok")}, {std::string("B\xE4nke")}}};  // Latin-1 ä
  ASSERT_FALSE(check_table(bad_text));
  EXPECT_EQ(check_table(bad_text).error().message,
            "row 2, column 'Titel': the text is not valid UTF-8");
  Table bad_header{{"Titel", "\xC3"}, {}};
  EXPECT_FALSE(check_table(bad_header));
  Table nul{{"Titel"}, {{std::string("a\0b", 3)}}};
  EXPECT_EQ(check_table(nul).error().message,
            "row 1, column 'Titel': the text contains a NUL character");
  Table nan{{"Anteil"}, {{std::nan("")}}};
  EXPECT_EQ(check_table(nan).error().message,
            "row 1, column 'Anteil': the decimal is not a finite number");
  Table inf{{"Anteil"}, {{HUGE_VAL}}};
  EXPECT_FALSE(check_table(inf));
}

TEST(BerlinWallClock, FollowsWinterAndSummerTime) {
  const WallClock winter = berlin_wall_clock(utc(2026y / November / 26, 22, 18, 5));
  EXPECT_EQ(winter.year, 2026);
  EXPECT_EQ(winter.month, 11);
  EXPECT_EQ(winter.day, 26);
  EXPECT_EQ(winter.hour, 23);
  EXPECT_EQ(winter.minute, 18);
  EXPECT_EQ(winter.second, 5);
  // Summer time starts on 29 March 2026 at 01:00 UTC: 01:59:59 CET, then 03:00:00 CEST.
  const WallClock before = berlin_wall_clock(utc(2026y / March / 29, 0, 59, 59));
  EXPECT_EQ(before.hour, 1);
  EXPECT_EQ(before.second, 59);
  const WallClock after = berlin_wall_clock(utc(2026y / March / 29, 1, 0));
  EXPECT_EQ(after.hour, 3);
  EXPECT_EQ(after.minute, 0);
  // New Year's Eve in UTC is already the next year in Berlin.
  const WallClock new_year = berlin_wall_clock(utc(2025y / December / 31, 23, 30));
  EXPECT_EQ(new_year.year, 2026);
  EXPECT_EQ(new_year.day, 1);
  EXPECT_EQ(new_year.hour, 0);
  // Before 1970 the seconds still count forwards.
  EXPECT_EQ(berlin_wall_clock(-1).second, 59);
}

TEST(Text, ValidatesUtf8Strictly) {
  EXPECT_TRUE(internal::is_valid_utf8("Grüße, 𝄞 und €"));
  EXPECT_FALSE(internal::is_valid_utf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(internal::is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(internal::is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(internal::is_valid_utf8("ab\xE2\x82"));        // cut off
  EXPECT_EQ(internal::valid_utf8_or_replaced("a\xFF"
                                             "b"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(Text, EscapesForXmlAndDropsWhatXmlForbids) {
  EXPECT_EQ(internal::xml_escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
  EXPECT_EQ(internal::xml_escape(std::string("a\x01\x0B\x1F\x00z", 6)), "az");
  EXPECT_EQ(internal::xml_escape("tab\tlf\ncr\r"), "tab\tlf\ncr&#13;");
  EXPECT_EQ(internal::xml_escape("\xEF\xBF\xBE|\xEF\xBF\xBF"), "|");  // U+FFFE, U+FFFF
  EXPECT_EQ(internal::xml_escape("\xFF"), "\xEF\xBF\xBD");
}

TEST(Text, CountsAndCutsAtCodePoints) {
  EXPECT_EQ(internal::code_points("Grüße"), 5u);
  EXPECT_EQ(internal::first_code_points("Grüße", 3), "Grü");
  EXPECT_EQ(internal::first_code_points("Grüße", 9), "Grüße");
  EXPECT_EQ(internal::first_code_points("Grüße", 0), "");
}

}  // namespace
}  // namespace ah::exports
