#include "test_support.h"

namespace ah::test {

void ServedTest::expect_still_serving() {
  ASSERT_TRUE(server_->running()) << "the server died: " << server_->wait(0ms)->describe();
  auto health = http_get(port(), "/healthz");
  ASSERT_TRUE(health) << health.error();
  EXPECT_EQ(health->status, 200);
}

void expect_security_headers(const Response& response, bool https) {
  SCOPED_TRACE("status " + std::to_string(response.status));
  std::string csp = response.header("Content-Security-Policy");
  EXPECT_FALSE(csp.empty()) << "no Content-Security-Policy in\n" << response.raw_header;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(response.has("Referrer-Policy")) << response.raw_header;
  EXPECT_FALSE(response.header("X-Request-Id").empty()) << response.raw_header;
  EXPECT_EQ(response.has("Strict-Transport-Security"), https) << response.raw_header;
}

void expect_no_internals(const Response& response) {
  std::string everything = response.raw_header + "\r\n\r\n" + response.body;
  for (std::string_view leak : {"SELECT", "INSERT INTO", "sqlite3_", "what():", "terminate called",
                                "std::", "Traceback", "stack trace", ".cc:"})
    EXPECT_EQ(everything.find(leak), std::string::npos)
        << "response " << response.status << " shows '" << leak << "'";
}

std::string post_request(std::string_view path, std::size_t size,
                         const std::vector<std::string>& extra) {
  std::vector<std::string> fields = extra;
  fields.push_back("Content-Length: " + std::to_string(size));
  return get_request(path, fields, "POST") + std::string(size, 'x');
}

}  // namespace ah::test
