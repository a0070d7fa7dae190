#include "latency.h"

#include <gtest/gtest.h>

namespace ah::bench {
namespace {

using std::chrono::milliseconds;

TEST(OpenLoopSchedule, SpreadsTheRateEvenlyOverTheConnections) {
  const Schedule s{.connections = 4, .rate = 1000};  // one request a millisecond in all
  EXPECT_EQ(s.due(0, 0), milliseconds(0));
  EXPECT_EQ(s.due(1, 0), milliseconds(1));
  EXPECT_EQ(s.due(3, 0), milliseconds(3));
  EXPECT_EQ(s.due(0, 1), milliseconds(4));  // each connection every 4 ms
  EXPECT_EQ(s.due(2, 5), milliseconds(22));
  // Over a second every connection sends rate/connections requests.
  int sent = 0;
  for (int c = 0; c < 4; ++c)
    for (int k = 0; s.due(c, k) < std::chrono::seconds(1); ++k) ++sent;
  EXPECT_EQ(sent, 1000);
}

TEST(OpenLoopPercentile, NearestRank) {
  std::vector<double> none;
  EXPECT_EQ(percentile(none, 99), 0);
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  EXPECT_EQ(percentile(v, 50), 50);
  EXPECT_EQ(percentile(v, 99), 99);
  EXPECT_EQ(percentile(v, 100), 100);
  EXPECT_EQ(percentile(v, 0.5), 1);
  std::vector<double> three{30, 10, 20};
  EXPECT_EQ(percentile(three, 50), 20);
  EXPECT_EQ(percentile(three, 99), 30);
}

}  // namespace
}  // namespace ah::bench
