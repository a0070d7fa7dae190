#include "http/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ah::http {

namespace {
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // The shortest text that reads back as the same double ("0.0005", not 0.00050000000000000001).
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}
}  // namespace

std::string escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

Metrics::Metrics(std::string version) : version_(std::move(version)) {}

void Metrics::observe(std::string_view route, Method method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), std::string(to_string(method)), status}];
  auto& h = latency_[std::string(route)];
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP augenhoehe_build_info Version of the running server.\n";
  out += "# TYPE augenhoehe_build_info gauge\n";
  out += "augenhoehe_build_info{version=\"" + escape_label(version_) + "\"} 1\n";

  std::lock_guard lock(mutex_);
  out += "# HELP augenhoehe_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE augenhoehe_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += "augenhoehe_http_requests_total{route=\"" + escape_label(route) + "\",method=\"" +
           method + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(count) +
           "\n";
  }
  out += "# HELP augenhoehe_http_request_duration_seconds Time from request read to response "
         "ready, by route.\n";
  out += "# TYPE augenhoehe_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string label = "route=\"" + escape_label(route) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += "augenhoehe_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "augenhoehe_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "augenhoehe_http_request_duration_seconds_sum{" + label + "} " + number(h.sum) + "\n";
    out += "augenhoehe_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(h.count) + "\n";
  }
  for (const auto& g : gauges_) {
    out += "# HELP " + g.name + " " + g.help + "\n";
    out += "# TYPE " + g.name + " gauge\n";
    out += g.name + " " + number(g.read()) + "\n";
  }
  return out;
}

}  // namespace ah::http
