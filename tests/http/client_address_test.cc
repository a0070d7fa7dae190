// The client address as the server determines it, seen through the per-client login limit
// (the only place it shows: it is never logged or echoed).
#include <gtest/gtest.h>

#include <fstream>

#include "http_client.h"
#include "server_process.h"

namespace ah::test {
namespace {

// From src/auth/rate_limit.h (limits::kLoginPerClient); the black-box test cannot include it.
constexpr int kLoginsPerClient = 30;

// A failed API login for a fresh address each time, so only the per-client limit can refuse it.
int login_status(std::uint16_t port, const std::string& forwarded_for) {
  static int n = 0;
  std::string body =
      R"({"email":"person)" + std::to_string(++n) + R"(@example.org","password":"falsch"})";
  std::string request =
      "POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n";
  if (!forwarded_for.empty()) request += "X-Forwarded-For: " + forwarded_for + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  auto response = fetch(port, request);
  EXPECT_TRUE(response) << response.error();
  return response ? response->status : 0;
}

TEST(ClientAddress, ForwardedForCountsOnlyFromATrustedProxy) {
  ServerProcess server({.args = {"--trusted-proxies", "127.0.0.1, ::1"}});
  ASSERT_TRUE(server.running()) << server.start_error();
  for (int i = 0; i < kLoginsPerClient; ++i)
    ASSERT_EQ(login_status(server.port(), "1.1.1." + std::to_string(i) + ", 203.0.113.7"), 401)
        << i;
  EXPECT_EQ(login_status(server.port(), "203.0.113.7"), 429)
      << "the right-most entry is the client";
  EXPECT_EQ(login_status(server.port(), "203.0.113.8"), 401) << "another client behind the proxy";
  EXPECT_EQ(server.stdout_text().find("203.0.113."), std::string::npos)
      << "client address in the access log";
  EXPECT_EQ(server.stderr_text().find("203.0.113."), std::string::npos)
      << "client address in the log";
}

TEST(ClientAddress, ForwardedForFromAnUntrustedPeerIsIgnored) {
  ServerProcess server;
  ASSERT_TRUE(server.running()) << server.start_error();
  for (int i = 0; i < kLoginsPerClient; ++i)
    ASSERT_EQ(login_status(server.port(), "203.0.113." + std::to_string(i)), 401) << i;
  EXPECT_EQ(login_status(server.port(), "198.51.100.1"), 429)
      << "a spoofed header escaped the limit";
}

TEST(ClientAddress, BadTrustedProxiesStopTheStartAndFailTheCheck) {
  TempDir data;
  auto serve = run_augenhoehe({"serve", "--data-dir", data.path().string(), "--listen",
                               "127.0.0.1:0", "--trusted-proxies", "127.0.0.1,10.0.0.300/8"});
  EXPECT_TRUE(serve.status.exited && serve.status.code == 1) << serve.status.describe();
  EXPECT_NE(serve.err.find("trusted-proxies: '10.0.0.300/8' is not an address or CIDR range"),
            std::string::npos)
      << serve.err;

  auto config = data.path() / "augenhoehe.conf";
  std::ofstream(config) << "trusted-proxies = 127.0.0.1, fd00::/8\n";
  auto check =
      run_augenhoehe({"check", "--data-dir", data.path().string(), "--config", config.string()});
  EXPECT_NE(check.out.find("127.0.0.1, fd00::/8"), std::string::npos) << check.out;
  std::ofstream(config) << "trusted-proxies = proxy.example\n";
  auto bad =
      run_augenhoehe({"check", "--data-dir", data.path().string(), "--config", config.string()});
  EXPECT_TRUE(bad.status.exited && bad.status.code == 2) << bad.status.describe();
  EXPECT_NE(bad.err.find("trusted-proxies: 'proxy.example' is not an address or CIDR range"),
            std::string::npos)
      << bad.err;
}

}  // namespace
}  // namespace ah::test
