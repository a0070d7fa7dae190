// Script and loading vectors that must come out inert, under the default options and with
// images allowed. Each row also says what must survive (the visible text), so a vector that
// is "defeated" by dropping the whole text would be noticed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "markdown/markdown.h"
#include "markdown/testing/inert.h"

namespace ah::markdown {
namespace {

using testing::inert_violation;

using namespace std::string_view_literals;

struct Vector {
  std::string_view name;
  std::string_view markdown;
  std::string_view must_contain;  // in the HTML, "" for nothing particular
};

const Vector vectors[] = {
    {"script tag", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"script tag inline", "Hallo <script>alert(1)</script> Welt", "Hallo &lt;script&gt;"},
    {"script mixed case", "<ScRiPt src=//evil.org/x.js></sCrIpT>", "&lt;ScRiPt"},
    {"script split over lines", "<scr\nipt>alert(1)</script>", ""},
    {"event handler on img", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
    {"event handler on body", "<body onload=alert(1)>", "&lt;body"},
    {"event handler in markdown title", "[a](/x \"\\\" onmouseover=alert(1) x=\\\"\")",
     "title=\"&quot; onmouseover=alert(1) x=&quot;\""},
    {"event handler in image alt", "![\" onerror=\"alert(1)](/x.png)", ""},
    {"javascript link", "[klick](javascript:alert(1))", "<p>klick</p>"},
    {"javascript mixed case", "[klick](JaVaScRiPt:alert(1))", "<p>klick</p>"},
    {"javascript decimal entity", "[klick](&#106;avascript:alert(1))", "<p>klick</p>"},
    {"javascript hex entity colon", "[klick](javascript&#x3A;alert(1))", "<p>klick</p>"},
    {"javascript named entity colon", "[klick](javascript&colon;alert(1))", "<p>klick</p>"},
    {"javascript entity tab", "[klick](java&#x09;script:alert(1))", "<p>klick</p>"},
    {"javascript entity newline", "[klick](java&#10;script:alert(1))", "<p>klick</p>"},
    {"javascript angle brackets with space", "[klick](< javascript:alert(1)>)", "<p>klick</p>"},
    {"javascript leading control", "[klick](&#1;javascript:alert(1))", "<p>klick</p>"},
    {"javascript reference link", "[klick][r]\n\n[r]: javascript:alert(1)", "<p>klick</p>"},
    {"javascript reference on next line", "[klick][r]\n\n[r]:\n  JAVASCRIPT:alert(1)",
     "<p>klick</p>"},
    {"javascript autolink", "<javascript:alert(1)>", "<p>javascript:alert(1)</p>"},
    {"javascript autolink entity", "<javascript&#58;alert(1)>", ""},
    {"javascript bare text", "javascript:alert(1)", "<p>javascript:alert(1)</p>"},
    {"javascript percent-encoded scheme", "[klick](javascript%3Aalert(1))",
     "href=\"javascript%3Aalert(1)\""},  // a relative path for the browser: harmless
    {"vbscript link", "[klick](vbscript:msgbox(1))", "<p>klick</p>"},
    {"data link", "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
     "<p>klick</p>"},
    {"data image", "![x](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Pg==)", "<p>x</p>"},
    {"javascript image", "![x](javascript:alert(1))", "<p>x</p>"},
    {"external image", "![x](https://tracker.example.org/pixel.gif)", "<p>x</p>"},
    {"protocol-relative image", "![x](//tracker.example.org/pixel.gif)", "<p>x</p>"},
    {"backslash host image", "![x](/\\tracker.example.org/pixel.gif)", ""},
    {"raw html block", "<div style=\"position:fixed\" onclick=\"x()\">\n\nText\n\n</div>",
     "&lt;div style=&quot;position:fixed&quot;"},
    {"html comment", "<!-- <script>alert(1)</script> -->", "&lt;!--"},
    {"cdata", "<![CDATA[<script>alert(1)</script>]]>", ""},
    {"svg", "<svg><script>alert(1)</script></svg>", "&lt;svg&gt;"},
    {"svg onload", "<svg/onload=alert(1)>", "&lt;svg/onload=alert(1)&gt;"},
    {"math", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""},
    {"iframe", "<iframe src=\"https://evil.org\"></iframe>", "&lt;iframe"},
    {"iframe srcdoc", "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">", ""},
    {"object and embed", "<object data=x></object><embed src=x>", ""},
    {"style element", "<style>body{display:none}</style>", "&lt;style&gt;"},
    {"style attribute", "<p style=\"color:red\">x</p>", "&lt;p style="},
    {"link and meta", "<link rel=stylesheet href=//evil.org/x.css><meta http-equiv=refresh>", ""},
    {"base", "<base href=\"https://evil.org/\">", ""},
    {"form", "<form action=javascript:alert(1)><button>x</button></form>", ""},
    {"link text with html", "[<img src=x onerror=alert(1)>](/ok)",
     "<a href=\"/ok\">&lt;img src=x onerror=alert(1)&gt;</a>"},
    {"link inside html attribute", "<a href=\"[x](javascript:alert(1))\">y</a>", ""},
    {"markdown inside html", "<b onclick=\"**x**\">y</b>", ""},
    {"nested brackets", "[[klick](javascript:alert(1))](/ok)", ""},
    {"image inside link", "[![x](javascript:alert(1))](javascript:alert(2))", "<p>x</p>"},
    {"code span with html", "`<script>alert(1)</script>`", "<code>&lt;script&gt;"},
    {"table cell with html", "| a |\n|---|\n| <img src=x onerror=alert(1)> |", "&lt;img"},
    {"table cell with javascript link", "| a |\n|---|\n| [x](javascript:alert(1)) |", "<td>x</td>"},
    {"tasklist with html", "- [ ] <script>alert(1)</script>", "aria-label=\"&lt;script&gt;"},
    {"strikethrough around html", "~~<script>~~alert(1)", ""},
    {"heading with html", "# <img src=x onerror=alert(1)>", "<h2>&lt;img"},
    {"entity-encoded tag", "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;"},
    {"double-encoded entity", "[x](&amp;#106;avascript:alert(1))", ""},
    {"quote breaking out of href", "[x](/a\"onmouseover=\"alert(1))", ""},
    {"quote breaking out of title", "[x](/a 'b\" onclick=\"c')", "title=\"b&quot; onclick"},
    {"null byte in scheme", "[x](java\0script:alert(1))"sv, ""},
};

void PrintTo(const Vector& v, std::ostream* os) { *os << v.name; }

class Xss : public ::testing::TestWithParam<Vector> {};

TEST_P(Xss, ComesOutInert) {
  const Vector& v = GetParam();
  Options images;
  images.allow_images = true;
  images.origin = "https://beteiligung.example.de";
  images.anchor_prefix = "t-";
  for (const Options& options : {Options{}, images}) {
    auto html = to_html(v.markdown, options);
    ASSERT_TRUE(html) << html.error().message << " " << html.error().detail;
    EXPECT_EQ(inert_violation(*html, options.allow_images), "") << *html;
    if (!options.allow_images) {
      EXPECT_THAT(*html, ::testing::HasSubstr(std::string(v.must_contain)));
    }
    const std::string lower = testing::lowered(*html);
    for (const char* never :
         {"<script", "<svg", "<iframe", "<style", "<object", "<embed", "<math", "<base", "<form",
          "<link", "<meta", "<div", "<body", "javascript:alert", "vbscript:", "data:", "<!--"}) {
      if (std::string_view(never) == "javascript:alert" || std::string_view(never) == "data:") {
        // Allowed as visible text, never inside an attribute.
        for (std::size_t at = lower.find(never); at != std::string::npos;
             at = lower.find(never, at + 1)) {
          const std::size_t tag_open = lower.rfind('<', at);
          const std::size_t tag_close = lower.rfind('>', at);
          EXPECT_FALSE(tag_open != std::string::npos &&
                       (tag_close == std::string::npos || tag_close < tag_open))
              << never << " inside a tag: " << *html;
        }
      } else {
        EXPECT_EQ(lower.find(never), std::string::npos) << never << ": " << *html;
      }
    }
  }
  // The other outputs carry no markup to worry about, but must not fail either.
  EXPECT_NO_FATAL_FAILURE(to_plain_text(v.markdown, 80));
  EXPECT_NO_FATAL_FAILURE(sections(v.markdown));
}

std::string vector_name(const ::testing::TestParamInfo<Vector>& info) {
  std::string name;
  for (const char c : std::string_view(info.param.name)) {
    name += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Vectors, Xss, ::testing::ValuesIn(vectors), vector_name);

TEST(XssOracle, CatchesWhatItShould) {
  // The oracle itself must fail on the real thing, or the table above proves nothing.
  EXPECT_NE(inert_violation("<p><script>x</script></p>"), "");
  EXPECT_NE(inert_violation("<p onclick=\"x\">a</p>"), "");
  EXPECT_NE(inert_violation("<p ONMOUSEOVER=x>a</p>"), "");
  EXPECT_NE(inert_violation("<a href=\"&#106;avascript:x\">a</a>"), "");
  EXPECT_NE(inert_violation("<a href=\"java&#x09;script:x\">a</a>"), "");
  EXPECT_NE(inert_violation("<a href=' JaVaScRiPt:x'>a</a>"), "");
  EXPECT_NE(inert_violation("<a href=data:text/html,x>a</a>"), "");
  EXPECT_NE(inert_violation("<img src=\"/x\" alt=\"\">"), "");
  EXPECT_NE(inert_violation("<svg></svg>"), "");
  EXPECT_NE(inert_violation("<p style=\"x\">"), "");
  EXPECT_NE(inert_violation("<!-- x -->"), "");
  EXPECT_EQ(inert_violation("<p>a &lt; b <a href=\"/x\">y</a> javascript:x</p>"), "");
  EXPECT_EQ(inert_violation("<a href=\"&amp;#106;avascript:x\">a</a>"), "");  // a path
}

}  // namespace
}  // namespace ah::markdown
