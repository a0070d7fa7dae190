// Metrics: request counters, a latency histogram and gauges in the Prometheus text format
// (version 0.0.4), served at /metrics.
//
// Labels use the route pattern ("/api/v1/organisations/{ags}"), never the raw path, so the
// number of series stays bounded however many URLs clients try.
//
//   metrics.observe("/healthz", Method::get, 200, 0.0004);
//   metrics.add_gauge("augenhoehe_db_pool_in_use", "Connections in use", [&] { ... });
//   std::string text = metrics.render();
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "http/message.h"

namespace ah::http {

class Metrics {
 public:
  explicit Metrics(std::string version);

  // Records one finished request. Thread-safe.
  void observe(std::string_view route, Method method, int status, double seconds);

  // A value read at render time. Register at start-up, before serving.
  void add_gauge(std::string name, std::string help, std::function<double()> read);

  std::string render() const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::string version_;
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // guarded
  std::map<std::string, Histogram> latency_;                                      // guarded
  std::vector<Gauge> gauges_;
};

// Escapes a label value for the text format (backslash, quote, newline).
std::string escape_label(std::string_view value);

}  // namespace ah::http
