#include "http/security_headers.h"

#include <gtest/gtest.h>

namespace ah::http {
namespace {

TEST(SecurityHeaders, StrictPolicyOnEveryResponse) {
  auto r = Response::html("<p>x</p>");
  apply_security_headers(r, {});
  auto csp = std::string(r.headers.get("Content-Security-Policy"));
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(r.headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.headers.get("Referrer-Policy"), "same-origin");
  EXPECT_FALSE(r.headers.has("Strict-Transport-Security"));
}

TEST(SecurityHeaders, HstsOnlyWithHttps) {
  auto r = Response::text("x");
  apply_security_headers(r, {.https = true});
  EXPECT_EQ(r.headers.get("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
}

TEST(SecurityHeaders, KeepsAHandlersOwnPolicy) {
  auto r = Response::text("x");
  r.headers.set("Content-Security-Policy", "sandbox");
  apply_security_headers(r, {});
  EXPECT_EQ(r.headers.get("Content-Security-Policy"), "sandbox");
}

}  // namespace
}  // namespace ah::http
