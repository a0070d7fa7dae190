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

TEST(Format, DateTimesInBerlinTime) {
  EXPECT_EQ(format_datetime(1795706419, "de"), "26.11.2026, 16:20 Uhr");  // 15:20:19 UTC, winter
  EXPECT_EQ(format_datetime(1795706419, "en"), "26/11/2026, 16:20");
  EXPECT_EQ(format_datetime(1783000800, "de"), "02.07.2026, 16:00 Uhr");  // 14:00 UTC, summer
  // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
  EXPECT_EQ(format_datetime(1774745999, "de"), "29.03.2026, 01:59 Uhr");
  EXPECT_EQ(format_datetime(1774746000, "de"), "29.03.2026, 03:00 Uhr");
  EXPECT_EQ(format_datetime(1792889999, "de"), "25.10.2026, 02:59 Uhr");
  EXPECT_EQ(format_datetime(1792890000, "de"), "25.10.2026, 02:00 Uhr");
  EXPECT_EQ(format_datetime(1767225599, "de"),
            "01.01.2026, 00:59 Uhr");  // New Year's Eve 23:59:59 UTC
}

}  // namespace
}  // namespace ah::web
