// What the HTTP test files share: a fixture with a running server, and the checks every
// response must pass whatever its status.
#pragma once

#include <gtest/gtest.h>

#include <optional>

#include "http_client.h"
#include "server_process.h"

namespace ah::test {

// Starts a server with default options for each test (each gtest case runs in a process of
// its own under ctest, so a shared server would not save anything).
class ServedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.emplace();
    ASSERT_TRUE(server_->running()) << server_->start_error();
  }
  std::uint16_t port() const { return server_->port(); }
  // Asserts the server is still up and healthy (after abuse, say).
  void expect_still_serving();

  std::optional<ServerProcess> server_;
};

// Content-Security-Policy without 'unsafe-inline' and with frame-ancestors 'none',
// X-Content-Type-Options: nosniff, Referrer-Policy, X-Request-Id; HSTS only if `https`.
void expect_security_headers(const Response& response, bool https = false);

// No SQL, no stack trace, no C++ exception text in what a client sees.
void expect_no_internals(const Response& response);

// A full request with a body of `size` bytes of 'x' (Content-Length framing).
std::string post_request(std::string_view path, std::size_t size,
                         const std::vector<std::string>& extra = {});

}  // namespace ah::test
