#include "auth/csrf.h"

#include <gtest/gtest.h>

#include "auth/tokens.h"

namespace ah::auth {
namespace {

TEST(CsrfTest, AcceptsTheSessionsToken) {
  const std::string token = random_token();
  EXPECT_TRUE(check_csrf(token, std::string(token)));
}

TEST(CsrfTest, RejectsWrongEmptyAndDifferentLengthTokens) {
  const std::string token = random_token();
  for (const std::string& submitted :
       {random_token(), std::string(), token.substr(1), token + "A", token.substr(0, 10)}) {
    auto result = check_csrf(token, submitted);
    ASSERT_FALSE(result) << submitted;
    EXPECT_EQ(result.error().code, ErrorCode::forbidden);
    EXPECT_EQ(result.error().message, kCsrfInvalid);
  }
  EXPECT_FALSE(check_csrf("", ""));     // no session: nothing passes
  EXPECT_FALSE(check_csrf("", token));
}

TEST(CsrfTest, OnlySafeMethodsSkipTheCheck) {
  for (const char* method : {"GET", "HEAD", "OPTIONS", "TRACE"}) EXPECT_FALSE(is_unsafe_method(method));
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "get", "PROPFIND"})
    EXPECT_TRUE(is_unsafe_method(method)) << method;
}

TEST(CsrfTest, HeaderWinsOverFormField) {
  EXPECT_EQ(submitted_csrf_token("from-header", "from-form"), "from-header");
  EXPECT_EQ(submitted_csrf_token("", "from-form"), "from-form");
  EXPECT_EQ(submitted_csrf_token("", ""), "");
}

}  // namespace
}  // namespace ah::auth
