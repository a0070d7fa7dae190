#include "base/html.h"

#include <gtest/gtest.h>

namespace ah {
namespace {

TEST(Html, EscapesTheFiveCharactersAndNothingElse) {
  EXPECT_EQ(html_escaped(""), "");
  EXPECT_EQ(html_escaped("Bürgerhaushalt 2027 – Ideen"), "Bürgerhaushalt 2027 – Ideen");
  EXPECT_EQ(html_escaped("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(html_escaped("a=\"1\" & b"), "a=&quot;1&quot; &amp; b");
  EXPECT_EQ(html_escaped("&amp;"), "&amp;amp;");  // escaped again: the text is literal
  EXPECT_EQ(html_escaped("<<>>"), "&lt;&lt;&gt;&gt;");
  EXPECT_EQ(html_escaped(std::string_view("a\0<", 3)), std::string("a\0&lt;", 6));
}

TEST(Html, AppendsAfterWhatIsThere) {
  std::string out = "<p>";
  append_html_escaped(out, "Tom & Jerry");
  append_html_escaped(out, "'");
  EXPECT_EQ(out, "<p>Tom &amp; Jerry&#39;");
}

}  // namespace
}  // namespace ah
