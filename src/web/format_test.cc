#include "web/format.h"

#include <gtest/gtest.h>

#include <limits>

namespace ah::web {
namespace {

TEST(Format, IntegersByLanguage) {
  EXPECT_EQ(format_integer(238762, "de"), "238.762");
  EXPECT_EQ(format_integer(238762, "en"), "238,762");
  EXPECT_EQ(format_integer(999, "de"), "999");
  EXPECT_EQ(format_integer(1000, "de"), "1.000");
  EXPECT_EQ(format_integer(-2194782, "de"), "-2.194.782");
  EXPECT_EQ(format_integer(0, "en"), "0");
  EXPECT_EQ(format_integer(std::numeric_limits<std::int64_t>::min(), "en"),
            "-9,223,372,036,854,775,808");
}

TEST(Format, DecimalsByLanguage) {
  EXPECT_EQ(format_decimal(51.482478, 2, "de"), "51,48");
  EXPECT_EQ(format_decimal(51.482478, 2, "en"), "51.48");
}

}  // namespace
}  // namespace ah::web
