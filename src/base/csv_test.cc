#include "base/csv.h"

#include <gtest/gtest.h>

namespace ah {
namespace {

TEST(Csv, QuotedFieldsCommasAndEscapedQuotes) {
  auto t = parse_csv("ags,name,pop\r\n15001000,\"Dessau-Roßlau, Stadt\",80103\r\n"
                     "2,\"Sie sagte \"\"Hallo\"\"\",\n\n3,\"zwei\nZeilen\",1\n");
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0][1], "Dessau-Roßlau, Stadt");
  EXPECT_EQ(t->rows[1][1], "Sie sagte \"Hallo\"");
  EXPECT_EQ(t->rows[1][2], "");
  EXPECT_EQ(t->rows[2][1], "zwei\nZeilen");
  EXPECT_EQ(t->line_of_row[2], 5);
  EXPECT_EQ(t->column("pop"), 2);
  EXPECT_EQ(t->column("nope"), -1);
}

TEST(Csv, ErrorsNameTheLine) {
  auto wide = parse_csv("a,b\n1,2\n1,2,3\n");
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().message, "line 3: 3 fields, the header has 2");
  auto open = parse_csv("a\n\"never closed\n");
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().message, "line 2: unterminated quote");
  auto stray = parse_csv("a,b\nx\"y,1\n");
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().message, "line 2: a quote inside an unquoted field");
  EXPECT_FALSE(parse_csv(""));
}

}  // namespace
}  // namespace ah
