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

TEST(Format, BerlinTimeFollowsTheEuropeanSummerTimeRule) {
  // 2026: CEST from 29 March 01:00 UTC to 25 October 01:00 UTC.
  EXPECT_EQ(format_date_time(1774745999, "de"), "29.03.2026, 01:59 Uhr");  // 00:59:59 UTC, CET
  EXPECT_EQ(format_date_time(1774746000, "de"), "29.03.2026, 03:00 Uhr");  // 01:00 UTC, CEST
  EXPECT_EQ(format_date_time(1792890000, "de"), "25.10.2026, 02:00 Uhr");  // 01:00 UTC, CET again
  EXPECT_EQ(format_date_time(1792889999, "de"), "25.10.2026, 02:59 Uhr");  // 00:59:59 UTC, CEST
  // Midnight in Berlin is still the day before in UTC.
  EXPECT_EQ(format_date(1798758000, "de"), "01.01.2027");  // 2026-12-31 23:00 UTC
  EXPECT_EQ(format_date(1798758000, "en"), "1 Jan 2027");
  EXPECT_EQ(format_date_time(1782900000, "en"), "1 Jul 2026, 12:00");  // 10:00 UTC, CEST
  EXPECT_TRUE(berlin_time(1782900000).summer);
  EXPECT_FALSE(berlin_time(1798758000).summer);
}

TEST(Format, DatesTypedInBerlinStartAtBerlinMidnight) {
  EXPECT_EQ(berlin_midnight("2027-01-01"), 1798758000);  // 2026-12-31 23:00 UTC (CET)
  EXPECT_EQ(berlin_midnight("2026-07-01"), 1782856800);  // 2026-06-30 22:00 UTC (CEST)
  EXPECT_EQ(berlin_date_value(*berlin_midnight("2026-03-29")), "2026-03-29");
  // Wall-clock times, also on the days summer time begins and ends.
  EXPECT_EQ(berlin_local_time("2027-01-01", "00:00"), 1798758000);
  EXPECT_EQ(berlin_local_time("2026-07-01", "14:30"), 1782856800 + 14 * 3600 + 1800);
  EXPECT_EQ(berlin_local_time("2026-03-29", "03:00"), 1774746000);  // 01:00 UTC, CEST
  EXPECT_EQ(berlin_local_time("2026-03-29", "01:59"), 1774745940);  // 00:59 UTC, CET
  EXPECT_EQ(berlin_local_time("2026-10-25", "04:00"), 1792897200);  // 03:00 UTC, CET
  EXPECT_EQ(berlin_time_value(1792897200), "04:00");
  EXPECT_EQ(berlin_local_time("2026-10-25", "24:00"), std::nullopt);
  EXPECT_EQ(berlin_local_time("2026-10-25", "4:00"), std::nullopt);
  EXPECT_EQ(berlin_local_time("2026-02-30", "10:00"), std::nullopt);
  EXPECT_EQ(berlin_date_value(*berlin_midnight("2026-10-25")), "2026-10-25");
  for (const char* bad : {"", "2026-02-30", "2026-1-01", "01.12.2026", "2026-12-01x"})
    EXPECT_FALSE(berlin_midnight(bad)) << bad;
}

TEST(Format, WallClockTimesTypedInBerlinKeepTheirOffsetAcrossBothSwitches) {
  constexpr std::int64_t march29 = 1774742400, october25 = 1792886400;  // 00:00 UTC
  EXPECT_EQ(berlin_local_time("2026-12-01", "10:00"), 1796083200 + 9 * 3600);  // CET
  EXPECT_EQ(berlin_local_time("2026-07-01", "10:00"), 1782856800 + 10 * 3600);  // CEST
  // The last Sunday of March: 01:30 is still CET; 02:00–02:59 does not exist; 03:00 is CEST.
  EXPECT_EQ(berlin_local_time("2026-03-29", "01:30"), march29 + 1800);
  EXPECT_FALSE(berlin_local_time("2026-03-29", "02:30"));
  EXPECT_EQ(berlin_local_time("2026-03-29", "03:00"), march29 + 3600);
  EXPECT_EQ(berlin_local_time("2026-03-29", "10:00"), march29 + 8 * 3600);
  // The last Sunday of October: 02:30 happens twice, the first (CEST) is meant; 03:00 is CET.
  EXPECT_EQ(berlin_local_time("2026-10-25", "01:30"), october25 - 1800);
  EXPECT_EQ(berlin_local_time("2026-10-25", "02:30"), october25 + 1800);
  EXPECT_EQ(berlin_local_time("2026-10-25", "03:00"), october25 + 2 * 3600);
  EXPECT_EQ(berlin_local_time("2026-10-25", "10:00"), october25 + 9 * 3600);
  // Round trip through the form's values.
  for (auto t : {march29 + 8 * 3600, october25 + 9 * 3600, october25 - 1800}) {
    EXPECT_EQ(berlin_local_time(berlin_date_value(t), berlin_time_value(t)), t);
  }
  for (const char* bad : {"", "24:00", "9:00", "10:60", "10-00", "10:0x"})
    EXPECT_FALSE(berlin_local_time("2026-12-01", bad)) << bad;
  EXPECT_FALSE(berlin_local_time("2026-02-30", "10:00"));
}

}  // namespace
}  // namespace ah::web
