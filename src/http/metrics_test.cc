#include "http/metrics.h"

#include <gtest/gtest.h>

namespace ah::http {
namespace {

TEST(Metrics, CountsByRouteMethodStatusAndBuckets) {
  Metrics m("1.2.3");
  m.observe("/healthz", Method::get, 200, 0.0003);
  m.observe("/healthz", Method::get, 200, 0.02);
  m.observe("/x/{id}", Method::post, 404, 3.0);
  m.add_gauge("augenhoehe_test_gauge", "A test.", [] { return 7.0; });
  std::string text = m.render();
  EXPECT_NE(text.find("augenhoehe_build_info{version=\"1.2.3\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("augenhoehe_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("augenhoehe_http_requests_total{route=\"/x/{id}\",method=\"POST\",status=\"404\"} 1\n"),
            std::string::npos);
  // Cumulative buckets: 0.0005 holds the fast one, 0.025 both, +Inf everything.
  EXPECT_NE(text.find("_bucket{route=\"/healthz\",le=\"0.0005\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("_bucket{route=\"/healthz\",le=\"0.025\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/x/{id}\",le=\"2.5\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/x/{id}\",le=\"+Inf\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("augenhoehe_http_request_duration_seconds_count{route=\"/healthz\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("augenhoehe_test_gauge 7\n"), std::string::npos);
}

TEST(Metrics, EscapesLabels) {
  EXPECT_EQ(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace ah::http
