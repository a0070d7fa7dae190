#include "base/time.h"

#include <gtest/gtest.h>

namespace ah {
namespace {

TEST(Time, Rfc3339RoundTripsAndHonoursOffsets) {
  EXPECT_EQ(rfc3339_utc(1796116800), "2026-12-01T09:20:00Z");
  EXPECT_EQ(parse_rfc3339("2026-12-01T09:20:00Z"), 1796116800);
  EXPECT_EQ(parse_rfc3339("2026-12-01T10:20:00+01:00"), 1796116800);
  EXPECT_EQ(parse_rfc3339("2026-12-01T08:50:00-00:30"), 1796116800);
  EXPECT_EQ(parse_rfc3339("2026-12-01t09:20:00.999z"), 1796116800);
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339(rfc3339_utc(-86400)), -86400);
}

TEST(Time, Rfc3339RefusesWhatIsNotOne) {
  for (const char* bad :
       {"", "2026-12-01", "2026-12-01 09:20:00Z", "2026-12-01T09:20:00", "2026-02-30T00:00:00Z",
        "2026-12-01T24:00:00Z", "2026-12-01T09:20:00+1:00", "2026-12-01T09:20:00Zjunk",
        "2026-12-01T09:20:00.Z", "+026-12-01T09:20:00Z", "2026-13-01T00:00:00Z"})
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
}

}  // namespace
}  // namespace ah
