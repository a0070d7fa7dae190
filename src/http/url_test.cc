#include "http/url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ah::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(PercentDecode, DecodesEscapesInEitherCase) {
  EXPECT_EQ(percent_decode("a%20b%2fc%2Fd", PlusMeans::plus).value(), "a b/c/d");
  EXPECT_EQ(percent_decode("", PlusMeans::plus).value(), "");
  EXPECT_EQ(percent_decode("%C3%A4%e2%82%ac", PlusMeans::plus).value(), "ä€");
}

TEST(PercentDecode, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(percent_decode("a+b%2B", PlusMeans::plus).value(), "a+b+");
  EXPECT_EQ(percent_decode("a+b%2B", PlusMeans::space).value(), "a b+");
}

TEST(PercentDecode, RejectsBadEscapes) {
  for (const char* bad : {"%", "%2", "a%g0", "%0g", "%%", "abc%", "%-1", "% 1"}) {
    auto decoded = percent_decode(bad, PlusMeans::space);
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::invalid_input);
    EXPECT_THAT(decoded.error().message, HasSubstr("percent-escape"));
  }
}

TEST(PercentDecode, KeepsDecodedBytesAsTheyAre) {
  EXPECT_EQ(percent_decode("%00%FF", PlusMeans::plus).value(), std::string("\0\xFF", 2));
}

TEST(ParseTarget, SplitsPathAndRawQuery) {
  auto target = parse_target("/a%20b/c?x=1&y=%C3%A4").value();
  EXPECT_EQ(target.path, "/a b/c");
  EXPECT_EQ(target.query, "x=1&y=%C3%A4");
}

TEST(ParseTarget, QueryMayContainQuestionMarksAndSlashes) {
  auto target = parse_target("/search?q=a?b/c").value();
  EXPECT_EQ(target.path, "/search");
  EXPECT_EQ(target.query, "q=a?b/c");
}

TEST(ParseTarget, EmptyQueryAndRoot) {
  EXPECT_EQ(parse_target("/").value().path, "/");
  EXPECT_EQ(parse_target("/").value().query, "");
  EXPECT_EQ(parse_target("/x?").value().query, "");
}

TEST(ParseTarget, PlusStaysPlusInPaths) {
  EXPECT_EQ(parse_target("/c++/a+b").value().path, "/c++/a+b");
}

TEST(ParseTarget, DecodesUnicodePath) {
  EXPECT_EQ(parse_target("/orte/M%C3%BCnchen").value().path, "/orte/München");
}

TEST(ParseTarget, KeepsEmptySegmentsAndTrailingSlash) {
  EXPECT_EQ(parse_target("/a//b/").value().path, "/a//b/");
}

void expect_rejected(std::string_view target) {
  auto parsed = parse_target(target);
  ASSERT_FALSE(parsed) << target;
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input) << target;
  EXPECT_FALSE(parsed.error().message.empty());
}

TEST(ParseTarget, RejectsWhatIsNotAnOriginFormPath) {
  expect_rejected("");
  expect_rejected("*");
  expect_rejected("a/b");
  expect_rejected("http://example.org/a");
  expect_rejected("?x=1");
}

TEST(ParseTarget, RejectsRawCharactersThatMustBeEncoded) {
  expect_rejected("/a b");
  expect_rejected("/a\tb");
  expect_rejected(std::string_view("/a\0b", 4));
  expect_rejected("/a\r\nb");
  expect_rejected("/a#fragment");
  expect_rejected("/\xC3\xA4");
  expect_rejected("/a?x=\x7F");
}

TEST(ParseTarget, RejectsBadEscapesInPathButNotInQuery) {
  expect_rejected("/a%zz");
  expect_rejected("/a%2");
  // The query stays raw here; parse_query reports its errors.
  EXPECT_EQ(parse_target("/a?x=%zz").value().query, "x=%zz");
}

TEST(ParseTarget, RejectsEncodedSlash) {
  expect_rejected("/files/a%2Fb");
  expect_rejected("/files/a%2fb");
}

TEST(ParseTarget, RejectsNulAndControlCharactersInDecodedPath) {
  expect_rejected("/a%00b");
  expect_rejected("/a%0D%0ASet-Cookie:x");
  expect_rejected("/a%7F");
}

TEST(ParseTarget, RejectsInvalidUtf8InDecodedPath) {
  expect_rejected("/a%FF");
  expect_rejected("/a%C3");           // truncated sequence
  expect_rejected("/a%C0%AF");        // overlong '/'
  expect_rejected("/a%ED%A0%80");     // surrogate
  expect_rejected("/a%F4%90%80%80");  // past U+10FFFF
}

TEST(ParseTarget, RejectsDotSegmentsRawAndEncoded) {
  expect_rejected("/a/../b");
  expect_rejected("/a/./b");
  expect_rejected("/..");
  expect_rejected("/a/..");
  expect_rejected("/a/%2e%2e/b");
  expect_rejected("/a/%2E/b");
  expect_rejected("/a/.%2e");
}

TEST(ParseTarget, AllowsDotsInsideSegments) {
  EXPECT_EQ(parse_target("/assets/app.min.js").value().path, "/assets/app.min.js");
  EXPECT_EQ(parse_target("/a/.../b/.hidden/..x").value().path, "/a/.../b/.hidden/..x");
}

TEST(ParamList, GetAllHasKeepOrderAndRepeats) {
  ParamList params;
  params.add("tag", "a");
  params.add("x", "");
  params.add("tag", "b");
  EXPECT_EQ(params.get("tag"), "a");
  EXPECT_THAT(params.all("tag"), ElementsAre("a", "b"));
  EXPECT_TRUE(params.has("x"));
  EXPECT_EQ(params.get("x"), "");
  EXPECT_FALSE(params.has("missing"));
  EXPECT_EQ(params.get("missing"), "");
  EXPECT_THAT(params.all("missing"), IsEmpty());
  EXPECT_EQ(params.size(), 3u);
  EXPECT_EQ(params.entries()[1].first, "x");
}

TEST(ParseQuery, RepeatedKeysAreKeptInOrder) {
  auto query = parse_query("tag=a&q=x&tag=b").value();
  EXPECT_THAT(query.all("tag"), ElementsAre("a", "b"));
  EXPECT_EQ(query.get("tag"), "a");
  EXPECT_EQ(query.get("q"), "x");
}

TEST(ParseQuery, EmptyValuesMissingEqualsAndEqualsInValues) {
  auto query = parse_query("a=&flag&b=x=y==").value();
  EXPECT_TRUE(query.has("a"));
  EXPECT_EQ(query.get("a"), "");
  EXPECT_TRUE(query.has("flag"));
  EXPECT_EQ(query.get("flag"), "");
  EXPECT_EQ(query.get("b"), "x=y==");
}

TEST(ParseQuery, SkipsEmptyPairsAndEmptyNames) {
  auto query = parse_query("&a=1&&=x&=&b=2&").value();
  ASSERT_EQ(query.size(), 2u);
  EXPECT_EQ(query.entries()[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(query.entries()[1], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_TRUE(parse_query("").value().empty());
}

TEST(ParseQuery, DecodesPlusEscapesAndUnicode) {
  auto query = parse_query("q=Stra%C3%9Fe+am+See&k%26y=a%26b%3Dc&s=%2B").value();
  EXPECT_EQ(query.get("q"), "Straße am See");
  EXPECT_EQ(query.get("k&y"), "a&b=c");
  EXPECT_EQ(query.get("s"), "+");
}

TEST(ParseQuery, RejectsBadEscapesNamingTheField) {
  auto query = parse_query("ok=1&name=%zz");
  ASSERT_FALSE(query);
  EXPECT_EQ(query.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(query.error().message, HasSubstr("'name'"));
  EXPECT_THAT(query.error().message, HasSubstr("query string"));
  EXPECT_FALSE(parse_query("%zz=1"));
}

TEST(ParseQuery, RejectsNulAndInvalidUtf8) {
  EXPECT_FALSE(parse_query("a=%00"));
  EXPECT_FALSE(parse_query("a=%FF"));
  EXPECT_FALSE(parse_query("%FF=1"));
  EXPECT_FALSE(parse_query("%00=1"));
}

TEST(ParseQuery, FieldLimitExactlyAtAndOneOver) {
  EXPECT_EQ(parse_query("a=1&b=2&c=3", 3).value().size(), 3u);
  auto over = parse_query("a=1&b=2&c=3&d=4", 3);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::too_large);
  EXPECT_THAT(over.error().message, HasSubstr("more than 3 fields"));
  // Skipped empty pairs do not count.
  EXPECT_EQ(parse_query("a=1&&&b=2&&c=3&", 3).value().size(), 3u);
}

TEST(ParseQuery, DefaultLimitIsAThousand) {
  std::string query;
  for (int i = 0; i < 1000; ++i) query += "f=1&";
  EXPECT_TRUE(parse_query(query));
  query += "f=1";
  EXPECT_EQ(parse_query(query).error().code, ErrorCode::too_large);
}

TEST(Utf8Text, AcceptsWellFormedText) {
  EXPECT_TRUE(is_utf8_text(""));
  EXPECT_TRUE(is_utf8_text("Gemeinde Übersee, 5 €, 😀, \t\r\n"));
  EXPECT_TRUE(is_utf8_text("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8Text, RejectsMalformedTextAndNul) {
  EXPECT_FALSE(is_utf8_text(std::string_view("a\0b", 3)));
  EXPECT_FALSE(is_utf8_text("\x80"));
  EXPECT_FALSE(is_utf8_text("\xC3"));
  EXPECT_FALSE(is_utf8_text("\xC1\xBF"));          // overlong
  EXPECT_FALSE(is_utf8_text("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_utf8_text("\xF0\x80\x80\xAF"));  // overlong
  EXPECT_FALSE(is_utf8_text("\xED\xBF\xBF"));      // surrogate
  EXPECT_FALSE(is_utf8_text("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_utf8_text("\xE2\x82"));
}

TEST(ExcerptForMessage, ShortensAndReplacesWhatIsNotText) {
  EXPECT_EQ(excerpt_for_message("name"), "name");
  EXPECT_EQ(excerpt_for_message("a\r\nb\xFF"), "a??b?");
  const std::string long_text(100, 'x');
  EXPECT_EQ(excerpt_for_message(long_text), std::string(40, 'x') + "...");
  // Never cuts a character in half.
  const std::string umlauts = "x" + std::string(30, 'a') + "ääääääääää";
  EXPECT_TRUE(is_utf8_text(excerpt_for_message(umlauts)));
}

}  // namespace
}  // namespace ah::http

namespace ah::http {
namespace {

TEST(PercentEncode, UnreservedStayOthersEncodedAndRoundTrip) {
  EXPECT_EQ(percent_encode("Köthen (Anhalt)"), "K%C3%B6then%20%28Anhalt%29");
  EXPECT_EQ(percent_encode("a-b.c_d~e"), "a-b.c_d~e");
  EXPECT_EQ(percent_encode("a&b=c/d?e#f+g"), "a%26b%3Dc%2Fd%3Fe%23f%2Bg");
  std::string odd = "x y&z=ä\n";
  EXPECT_EQ(*percent_decode(percent_encode(odd), PlusMeans::space), odd);
}

TEST(BuildQuery, SkipsEmptyValuesAndEncodes) {
  EXPECT_EQ(build_query({{"q", "Halle (Saale)"}, {"type", ""}, {"kreis", "15081"}}),
            "q=Halle%20%28Saale%29&kreis=15081");
  EXPECT_EQ(build_query({}), "");
}

}  // namespace
}  // namespace ah::http
