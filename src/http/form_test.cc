#include "http/form.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ah::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseForm, DecodesFieldsLikeABrowserSendsThem) {
  auto form = parse_form(
                  "title=Neue+Radwege&text=Bitte+%C3%BCberpr%C3%BCfen%3A+a%3Db%26c"
                  "&topic=verkehr&topic=umwelt&agree=")
                  .value();
  EXPECT_EQ(form.get("title"), "Neue Radwege");
  EXPECT_EQ(form.get("text"), "Bitte überprüfen: a=b&c");
  EXPECT_THAT(form.all("topic"), ElementsAre("verkehr", "umwelt"));
  EXPECT_TRUE(form.has("agree"));
  EXPECT_EQ(form.get("agree"), "");
}

TEST(ParseForm, KeepsLineBreaksFromTextareas) {
  EXPECT_EQ(parse_form("text=a%0D%0Ab").value().get("text"), "a\r\nb");
}

TEST(ParseForm, EmptyBodyIsAnEmptyForm) { EXPECT_TRUE(parse_form("").value().empty()); }

TEST(ParseForm, FieldLimitExactlyAtAndOneOver) {
  const FormLimits limits{.max_fields = 2};
  EXPECT_EQ(parse_form("a=1&b=2", limits).value().size(), 2u);
  auto over = parse_form("a=1&b=2&c=3", limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::too_large);
  EXPECT_EQ(over.error().message, "The form has more than 2 fields.");
}

TEST(ParseForm, ErrorsNameTheFieldAndTheSource) {
  auto bad = parse_form("title=ok&text=50%");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(bad.error().message, HasSubstr("form field 'text'"));
  EXPECT_THAT(bad.error().message, HasSubstr("'%'"));
}

TEST(ParseForm, FieldNamesInErrorsAreSafeText) {
  auto bad = parse_form("a%0D%0Ab%FF=%FF");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(is_utf8_text(bad.error().message));
  EXPECT_EQ(bad.error().message.find('\n'), std::string::npos);
}

TEST(ParameterizedHeader, ParsesTokensAndQuotedValues) {
  auto header =
      parse_parameterized_header("Multipart/Form-Data; Boundary=\"a b;c\" ;charset=utf-8").value();
  EXPECT_EQ(header.value, "multipart/form-data");
  EXPECT_EQ(header.params.get("boundary"), "a b;c");
  EXPECT_EQ(header.params.get("charset"), "utf-8");
}

TEST(ParameterizedHeader, KeepsBackslashesLiterally) {
  auto header = parse_parameterized_header(R"(form-data; name="f"; filename="C:\dir\a.txt")");
  EXPECT_EQ(header.value().params.get("filename"), R"(C:\dir\a.txt)");
}

TEST(ParameterizedHeader, AllowsEmptyQuotedValueAndTrailingSemicolon) {
  auto header = parse_parameterized_header("form-data; name=\"\"; ").value();
  EXPECT_TRUE(header.params.has("name"));
  EXPECT_EQ(header.params.get("name"), "");
}

TEST(ParameterizedHeader, RejectsMalformedValues) {
  for (const char* bad : {"", " ", ";a=b", "text/plain; a", "text/plain; a=", "text/plain; =b",
                          "text/plain; a=\"open", "text/plain junk", "text/plain; a=1; A=2",
                          "text/plain; a=\"x\ny\"", "text/plain; a=b c"}) {
    auto header = parse_parameterized_header(bad);
    ASSERT_FALSE(header) << bad;
    EXPECT_EQ(header.error().code, ErrorCode::invalid_input);
  }
}

TEST(IsToken, FollowsRfc9110) {
  EXPECT_TRUE(is_token("ah_session"));
  EXPECT_TRUE(is_token("!#$%&'*+-.^_`|~09azAZ"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("a b"));
  EXPECT_FALSE(is_token("a=b"));
  EXPECT_FALSE(is_token("a;b"));
  EXPECT_FALSE(is_token("ä"));
}

TEST(IsUrlencodedForm, IgnoresCaseAndParameters) {
  EXPECT_TRUE(is_urlencoded_form("application/x-www-form-urlencoded"));
  EXPECT_TRUE(is_urlencoded_form("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
  EXPECT_FALSE(is_urlencoded_form("multipart/form-data; boundary=x"));
  EXPECT_FALSE(is_urlencoded_form("application/x-www-form-urlencodedx"));
  EXPECT_FALSE(is_urlencoded_form(""));
}

}  // namespace
}  // namespace ah::http
