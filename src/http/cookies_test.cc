#include "http/cookies.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ah::http {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ParseCookies, ReadsPairsWithOrWithoutSpaces) {
  EXPECT_THAT(parse_cookies("a=1; b=2;c=3 ;\td=4\t"),
              UnorderedElementsAre(Pair("a", "1"), Pair("b", "2"), Pair("c", "3"), Pair("d", "4")));
}

TEST(ParseCookies, EmptyHeaderAndEmptyValues) {
  EXPECT_THAT(parse_cookies(""), IsEmpty());
  EXPECT_THAT(parse_cookies(" ; ;"), IsEmpty());
  EXPECT_THAT(parse_cookies("a=; b="), UnorderedElementsAre(Pair("a", ""), Pair("b", "")));
}

TEST(ParseCookies, FirstOfARepeatedNameWins) {
  EXPECT_THAT(parse_cookies("lang=en; lang=de"), UnorderedElementsAre(Pair("lang", "en")));
}

TEST(ParseCookies, EqualsInValueAndQuotedValues) {
  EXPECT_THAT(parse_cookies("t=YWJj==; q=\"quoted value\"; e=\"\""),
              UnorderedElementsAre(Pair("t", "YWJj=="), Pair("q", "quoted value"), Pair("e", "")));
}

TEST(ParseCookies, IgnoresMalformedPairsAndKeepsTheRest) {
  EXPECT_THAT(parse_cookies("novalue; =x; a b=1; ok=1; ctl=a\x01z; lf=a\nb; del=\x7F; good=2"),
              UnorderedElementsAre(Pair("ok", "1"), Pair("good", "2")));
}

TEST(ParseCookies, KeepsUnicodeAndOddButHarmlessValues) {
  EXPECT_THAT(parse_cookies("u=Gr\xC3\xBC\xC3\x9F"
                            "e; j={\"a\":1}; q=\"open; s=a b"),
              UnorderedElementsAre(Pair("u", "Grüße"), Pair("j", "{\"a\":1}"), Pair("q", "\"open"),
                                   Pair("s", "a b")));
}

TEST(BuildSetCookie, SafeDefaults) {
  EXPECT_EQ(build_set_cookie({.name = "ah_session", .value = "abc"}).value(),
            "ah_session=abc; Path=/; HttpOnly; Secure; SameSite=Lax");
}

TEST(BuildSetCookie, AllAttributes) {
  EXPECT_EQ(build_set_cookie({.name = "lang",
                              .value = "de",
                              .path = "/app",
                              .max_age = std::chrono::hours(24 * 365),
                              .http_only = false,
                              .secure = false,
                              .same_site = SameSite::strict})
                .value(),
            "lang=de; Path=/app; Max-Age=31536000; SameSite=Strict");
  EXPECT_EQ(build_set_cookie({.name = "x",
                              .value = "",
                              .max_age = std::chrono::seconds(0),
                              .same_site = SameSite::none})
                .value(),
            "x=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None");
}

TEST(BuildSetCookie, RoundTripsThroughParse) {
  const std::string value = "a-b_c.d~e!f#g$h%i&j'k(l)m*n+o/p:q<r=s>t?u@v[w]x^y`z{|}";
  auto header = build_set_cookie({.name = "t", .value = value}).value();
  const std::string pair = header.substr(0, header.find(';'));
  EXPECT_THAT(parse_cookies(pair), UnorderedElementsAre(Pair("t", value)));
}

void expect_invalid(const SetCookie& cookie, std::string_view message_part) {
  auto header = build_set_cookie(cookie);
  ASSERT_FALSE(header) << cookie.name << "=" << cookie.value;
  EXPECT_EQ(header.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(header.error().message, HasSubstr(std::string(message_part)));
}

TEST(BuildSetCookie, RejectsInjection) {
  expect_invalid({.name = "a", .value = "x; Domain=evil.example"}, "not allowed");
  expect_invalid({.name = "a", .value = "x\r\nSet-Cookie: b=1"}, "not allowed");
  expect_invalid({.name = "a", .value = "x\n"}, "not allowed");
  expect_invalid({.name = "a", .value = "with space"}, "not allowed");
  expect_invalid({.name = "a", .value = "comma,"}, "not allowed");
  expect_invalid({.name = "a", .value = "\"q\""}, "not allowed");
  expect_invalid({.name = "a", .value = "back\\slash"}, "not allowed");
  expect_invalid({.name = "a", .value = "\xC3\xA4"}, "not allowed");
  expect_invalid({.name = "a;b", .value = "1"}, "not a token");
  expect_invalid({.name = "a\r\nb", .value = "1"}, "not a token");
  expect_invalid({.name = "", .value = "1"}, "not a token");
  expect_invalid({.name = "a=b", .value = "1"}, "not a token");
  expect_invalid({.name = "a", .value = "1", .path = "/x; Secure"}, "path");
  expect_invalid({.name = "a", .value = "1", .path = "/x\r\n"}, "path");
  expect_invalid({.name = "a", .value = "1", .path = "relative"}, "path");
  expect_invalid({.name = "a", .value = "1", .path = ""}, "path");
}

TEST(BuildSetCookie, RejectsContradictoryAttributes) {
  expect_invalid({.name = "a", .value = "1", .max_age = std::chrono::seconds(-1)}, "negative");
  expect_invalid({.name = "a", .value = "1", .secure = false, .same_site = SameSite::none},
                 "Secure");
}

}  // namespace
}  // namespace ah::http
