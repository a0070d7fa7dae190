#pragma once
// The arithmetic of ah-openloop (openloop.cc), kept apart to be tested: when each request
// is due, and the percentiles of what was measured.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace ah::bench {

// `rate` requests a second spread evenly over `connections` connections: each connection
// sends one every connections/rate seconds, connection i starting i/rate seconds after the
// start, so that together they send one every 1/rate seconds.
struct Schedule {
  std::int64_t connections;
  double rate;  // requests a second, all connections together

  std::chrono::nanoseconds due(std::int64_t connection, std::int64_t request) const {
    const double seconds = (static_cast<double>(connection) +
                            static_cast<double>(request) * static_cast<double>(connections)) /
                           rate;
    return std::chrono::nanoseconds(static_cast<std::int64_t>(seconds * 1e9));
  }
};

// The nearest-rank percentile (0 < p <= 100) of `values`, which it sorts; 0 for none.
inline double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

}  // namespace ah::bench
