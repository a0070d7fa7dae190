#include "markdown/markdown.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "markdown/testing/inert.h"

namespace ah::markdown {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string html(std::string_view text, const Options& options = {}) {
  auto result = to_html(text, options);
  EXPECT_TRUE(result) << result.error().message << " / " << result.error().detail;
  return result ? *result : std::string();
}

TEST(MarkdownHtml, ParagraphsEmphasisAndCode) {
  EXPECT_EQ(html("Hallo *Welt* und **alle** mit `a < b`.\nZweite Zeile  \nDritte"),
            "<p>Hallo <em>Welt</em> und <strong>alle</strong> mit <code>a &lt; b</code>.\n"
            "Zweite Zeile<br>\nDritte</p>\n");
  EXPECT_EQ(html("```js\nif (a && b) alert(\"x\");\n```"),
            "<pre><code>if (a &amp;&amp; b) alert(&quot;x&quot;);\n</code></pre>\n");
  EXPECT_EQ(html("> Zitat\n\n---"), "<blockquote>\n<p>Zitat</p>\n</blockquote>\n<hr>\n");
  EXPECT_EQ(html(""), "");
}

TEST(MarkdownHtml, HeadingsAreShiftedAndClamped) {
  EXPECT_EQ(html("# Eins\n## Zwei\n###### Sechs"),
            "<h2>Eins</h2>\n<h3>Zwei</h3>\n<h6>Sechs</h6>\n");
  Options options;
  options.heading_offset = 2;
  EXPECT_EQ(html("# Eins\n##### Fünf", options), "<h3>Eins</h3>\n<h6>Fünf</h6>\n");
  options.heading_offset = 0;  // no <h1>: pages have their own
  EXPECT_EQ(html("# Eins\nSetext\n------", options), "<h2>Eins</h2>\n<h2>Setext</h2>\n");
  options.heading_offset = -3;
  EXPECT_EQ(html("#### Vier", options), "<h2>Vier</h2>\n");
}

TEST(MarkdownHtml, Lists) {
  EXPECT_EQ(html("- a\n- b\n  1. x\n  2. y"),
            "<ul>\n<li>a</li>\n<li>b\n<ol>\n<li>x</li>\n<li>y</li>\n</ol>\n</li>\n</ul>\n");
  EXPECT_EQ(html("3. drei\n4. vier"), "<ol start=\"3\">\n<li>drei</li>\n<li>vier</li>\n</ol>\n");
  EXPECT_EQ(html("- lose\n\n- Liste"),
            "<ul>\n<li>\n<p>lose</p>\n</li>\n<li>\n<p>Liste</p>\n</li>\n</ul>\n");
}

TEST(MarkdownHtml, GfmTable) {
  EXPECT_EQ(html("| Ort | Stimmen |\n|:--|--:|\n| Halle | 12 |\n| Merseburg | 7 |"),
            "<table>\n<thead>\n<tr>\n"
            "<th scope=\"col\" class=\"ah-md-align-left\">Ort</th>\n"
            "<th scope=\"col\" class=\"ah-md-align-right\">Stimmen</th>\n"
            "</tr>\n</thead>\n<tbody>\n<tr>\n"
            "<td class=\"ah-md-align-left\">Halle</td>\n<td class=\"ah-md-align-right\">12</td>\n"
            "</tr>\n<tr>\n"
            "<td class=\"ah-md-align-left\">Merseburg</td>\n"
            "<td class=\"ah-md-align-right\">7</td>\n"
            "</tr>\n</tbody>\n</table>\n");
  EXPECT_EQ(html("| a | b |\n|---|:-:|"),
            "<table>\n<thead>\n<tr>\n<th scope=\"col\">a</th>\n"
            "<th scope=\"col\" class=\"ah-md-align-center\">b</th>\n</tr>\n</thead>\n</table>\n");
}

TEST(MarkdownHtml, GfmStrikethroughAndAutolinks) {
  EXPECT_EQ(html("~~alt~~ neu"), "<p><del>alt</del> neu</p>\n");
  EXPECT_EQ(html("Siehe www.example.org und https://example.org/a?b=1&c=2 oder rat@example.org"),
            "<p>Siehe <a href=\"http://www.example.org\" rel=\"nofollow ugc noopener\">"
            "www.example.org</a> und <a href=\"https://example.org/a?b=1&amp;c=2\" "
            "rel=\"nofollow ugc noopener\">https://example.org/a?b=1&amp;c=2</a> oder "
            "<a href=\"mailto:rat@example.org\" rel=\"nofollow ugc noopener\">rat@example.org</a>"
            "</p>\n");
}

TEST(MarkdownHtml, GfmTasklist) {
  const std::string out = html("- [ ] Antrag schreiben\n- [x] Termin *finden*\n- normal");
  EXPECT_EQ(out,
            "<ul>\n"
            "<li class=\"ah-md-task\"><input type=\"checkbox\" disabled "
            "aria-label=\"Antrag schreiben\"> Antrag schreiben</li>\n"
            "<li class=\"ah-md-task\"><input type=\"checkbox\" disabled checked "
            "aria-label=\"Termin finden\"> Termin <em>finden</em></li>\n"
            "<li>normal</li>\n</ul>\n");
  // In a loose list the box goes into the first paragraph, on the text's line.
  EXPECT_EQ(html("- [x] eins\n\n- [ ] zwei"),
            "<ul>\n<li class=\"ah-md-task\">\n<p><input type=\"checkbox\" disabled checked "
            "aria-label=\"eins\"> eins</p>\n</li>\n<li class=\"ah-md-task\">\n<p><input "
            "type=\"checkbox\" disabled aria-label=\"zwei\"> zwei</p>\n</li>\n</ul>\n");
}

TEST(MarkdownHtml, EmptyTaskHasNoUnnamedBox) {
  EXPECT_EQ(html("- [x] \n- [ ]"), "<ul>\n<li>[x]</li>\n<li>[ ]</li>\n</ul>\n");
}

TEST(MarkdownHtml, LinksOwnAndExternal) {
  Options options;
  options.origin = "https://beteiligung.example.de";
  EXPECT_EQ(
      html("[Satzung](/dokumente/satzung) [Start](https://Beteiligung.example.de/) "
           "[Fremd](https://beteiligung.example.de.evil.org/) [Mail](mailto:a@b.de \"Titel\")",
           options),
      "<p><a href=\"/dokumente/satzung\">Satzung</a> "
      "<a href=\"https://Beteiligung.example.de/\">Start</a> "
      "<a href=\"https://beteiligung.example.de.evil.org/\" rel=\"nofollow ugc noopener\">"
      "Fremd</a> <a href=\"mailto:a@b.de\" title=\"Titel\" rel=\"nofollow ugc noopener\">"
      "Mail</a></p>\n");
  // Other hosts via "//" are external; spaces and non-ASCII are percent-encoded.
  EXPECT_EQ(html("[a](//example.org/x) [b](<Straße 1.html>) [c](#abschnitt)"),
            "<p><a href=\"//example.org/x\" rel=\"nofollow ugc noopener\">a</a> "
            "<a href=\"Stra%C3%9Fe%201.html\">b</a> <a href=\"#abschnitt\">c</a></p>\n");
  // Other schemes are dropped to their text.
  EXPECT_EQ(html("[Datei](ftp://example.org/x) [Telefon](tel:+4934512345)"),
            "<p>Datei Telefon</p>\n");
}

TEST(MarkdownHtml, ImagesOnlyWhenAllowedAndOnlyFromTheSite) {
  const std::string text =
      "![Karte *Halle*](/dateien/karte.png \"Karte\") ![extern](https://cdn.example.org/x.png) "
      "![eigen](https://beteiligung.example.de/b.png) ![protokoll](//cdn.example.org/y.png) "
      "![daten](data:image/png;base64,AAAA)";
  EXPECT_EQ(html(text), "<p>Karte <em>Halle</em> extern eigen protokoll daten</p>\n");
  Options options;
  options.allow_images = true;
  options.origin = "https://beteiligung.example.de";
  EXPECT_EQ(html(text, options),
            "<p><img src=\"/dateien/karte.png\" alt=\"Karte Halle\" title=\"Karte\"> extern "
            "<img src=\"https://beteiligung.example.de/b.png\" alt=\"eigen\"> protokoll daten"
            "</p>\n");
  options.origin.clear();  // no origin: only relative URLs
  EXPECT_THAT(html(text, options), Not(HasSubstr("beteiligung.example.de")));
}

TEST(MarkdownHtml, RawHtmlIsShownAsText) {
  EXPECT_EQ(html("Kontakt: <Max Mustermann> und <b>fett</b>"),
            "<p>Kontakt: &lt;Max Mustermann&gt; und &lt;b&gt;fett&lt;/b&gt;</p>\n");
  EXPECT_EQ(html("<div>\nZeile\n</div>"), "<p>&lt;div&gt;<br>\nZeile<br>\n&lt;/div&gt;</p>\n");
}

TEST(MarkdownHtml, AnchorsWhenAPrefixIsGiven) {
  Options options;
  options.anchor_prefix = "abs-";
  const auto list = sections("# Titel\n\nText\n\n- Punkt");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(html("# Titel\n\nText\n\n- Punkt", options),
            "<h2 id=\"abs-" + list[0].anchor + "\">Titel</h2>\n<p id=\"abs-" + list[1].anchor +
                "\">Text</p>\n<ul>\n<li id=\"abs-" + list[2].anchor + "\">Punkt</li>\n</ul>\n");
  options.anchor_prefix = "x\" onclick=\"";
  auto bad = to_html("Text", options);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::internal);
}

TEST(MarkdownHtml, InvalidUtf8IsRejectedWithWhere) {
  auto result = to_html("Zeile eins\nZeile zw\xC3\x28i");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(result.error().message,
            "The text is not valid UTF-8 (line 2, byte 20). Please save or paste it as UTF-8 "
            "text and try again.");
  EXPECT_FALSE(to_html("\xED\xA0\x80"));  // a surrogate
  EXPECT_FALSE(
      to_html("\xC0\xBC"
              "script>"));  // an overlong '<'
  EXPECT_TRUE(to_html("Grüße 🌳"));
}

TEST(MarkdownHtml, SizeLimit) {
  Options options;
  options.max_bytes = 10;
  EXPECT_TRUE(to_html("0123456789", options));
  auto result = to_html("0123456789A", options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(result.error().message,
            "The text is too long: 11 bytes, at most 10 are allowed. Please shorten it or split "
            "it into several parts.");
  EXPECT_TRUE(to_html(std::string(default_max_bytes, 'a')));
  EXPECT_FALSE(to_html(std::string(default_max_bytes + 1, 'a')));
}

TEST(MarkdownHtml, TableWidthIsLimited) {
  // cmark-gfm needs quadratic time in the cells of a row: 256 '|' per line at most.
  const std::string wide = "|" + std::string(257, '|');
  auto result = to_html("Text\n\n" + wide);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(result.error().message,
            "Line 3 has more than 256 '|' characters. Tables may have at most that many "
            "columns; please shorten the line.");
  std::string row = "|";
  for (int i = 0; i < 127; ++i) row += " a |";
  std::string rule = "|";
  for (int i = 0; i < 127; ++i) rule += "---|";
  EXPECT_THAT(html(row + "\n" + rule), HasSubstr("<table>"));
  // Plain text and sections read such texts without the table extension.
  EXPECT_EQ(to_plain_text("a\n" + wide, 1000), "a " + wide);
  EXPECT_EQ(sections("a\n\n" + wide).size(), 2u);
}

TEST(MarkdownHtml, ControlCharactersAreDropped) {
  EXPECT_EQ(html(std::string("a\x01"
                             "b\x1F"
                             "c")),
            "<p>abc</p>\n");
  EXPECT_EQ(html(std::string("a\0b", 3)),
            "<p>a\xEF\xBF\xBD"
            "b</p>\n");
}

TEST(MarkdownHtml, ParsesFromManyThreads) {
  // cmark-gfm keeps one global table of the characters the inline parser stops at; every
  // parse adds the extensions' characters ('~', '|', …) and removes them when it is done. So
  // a short parse that ends while a long one runs would make the long one miss '~~' unless
  // parsing is serialised. The long text is parsed while another thread parses short ones.
  std::string long_text;
  for (int i = 0; i < 4000; ++i) long_text += "~~alt~~ neu\n\n";
  const std::string expected = to_plain_text(long_text, 1) + html(long_text);
  std::atomic<bool> done = false;
  std::atomic<int> mismatches = 0;
  std::thread short_parses([&] {
    while (!done) {
      if (to_plain_text("~~x~~ | y", 100) != "x | y") ++mismatches;
    }
  });
  for (int i = 0; i < 5; ++i) {
    if (to_plain_text(long_text, 1) + html(long_text) != expected) ++mismatches;
  }
  done = true;
  short_parses.join();
  EXPECT_EQ(mismatches, 0);
}

TEST(MarkdownAudit, RejectsWhatToHtmlNeverWrites) {
  const Options options;
  EXPECT_TRUE(audit_html("<p>a &amp; b</p>\n<a href=\"/x\">y</a>", options));
  EXPECT_TRUE(
      audit_html("<ol start=\"2\"><li class=\"ah-md-task\"><input type=\"checkbox\" "
                 "disabled checked aria-label=\"x\"></li></ol>",
                 options));
  for (const char* bad : {"<script>alert(1)</script>",
                          "<p onclick=\"x\">a</p>",
                          "<p style=\"x\">a</p>",
                          "<a href=\"javascript:alert(1)\">x</a>",
                          "<a href=\"JavaScript:x\">x</a>",
                          "<a href=\" javascript:x\">x</a>",
                          "<a href=\"data:text/html,x\">x</a>",
                          "<a>x</a>",
                          "<img src=\"/a.png\" alt=\"\">",
                          "<input type=\"text\" disabled>",
                          "<input type=\"checkbox\">",
                          "<li class=\"x\">",
                          "<p>a > b</p>",
                          "<p>&copy;</p>",
                          "<p>a<!-- x --></p>",
                          "<P>",
                          "<p id=x>",
                          "</br>",
                          "<a href=\"/\" rel=\"noopener\">x</a>",
                          "<th scope=\"row\">",
                          "<p id=\"a b\">",
                          "<p",
                          "<a href=\"/x\\y\">x</a>"}) {
    EXPECT_FALSE(audit_html(bad, options)) << bad;
  }
  Options images;
  images.allow_images = true;
  images.origin = "https://site.de";
  EXPECT_TRUE(audit_html("<img src=\"/a.png\" alt=\"\">", images));
  EXPECT_TRUE(audit_html("<img src=\"https://site.de/a.png\" alt=\"\">", images));
  EXPECT_FALSE(audit_html("<img src=\"https://site.de.evil.org/a.png\" alt=\"\">", images));
  EXPECT_FALSE(audit_html("<img src=\"//evil.org/a.png\" alt=\"\">", images));
  EXPECT_FALSE(audit_html("<img src=\"http://evil.org/a.png\" alt=\"\">", images));
  EXPECT_FALSE(audit_html("<img alt=\"\">", images));
}

TEST(MarkdownPlainText, NoMarkupCollapsedWhitespace) {
  EXPECT_EQ(to_plain_text("# Titel\n\nEin *kurzer*   Text mit [Link](https://x.org) und "
                          "![Bild](/a.png).\n\n- eins\n- zwei\n\n| a | b |\n|---|---|\n| c | d |",
                          1000),
            "Titel Ein kurzer Text mit Link und Bild. eins zwei a b c d");
  EXPECT_EQ(to_plain_text("`code`\n\n```\nblock\n```\n<b>roh</b>", 1000), "code block <b>roh</b>");
  EXPECT_EQ(to_plain_text("", 10), "");
  EXPECT_EQ(to_plain_text("   \n\n  ", 10), "");
}

TEST(MarkdownPlainText, CutAtAWordBoundary) {
  const std::string text = "Die Bürgerinnen und Bürger beraten, was die Stadt ändern soll.";
  EXPECT_EQ(to_plain_text(text, 1000), text);
  EXPECT_EQ(to_plain_text(text, 62), text);  // exactly 62 characters
  EXPECT_EQ(to_plain_text(text, 61), "Die Bürgerinnen und Bürger beraten, was die Stadt ändern…");
  EXPECT_EQ(to_plain_text(text, 35), "Die Bürgerinnen und Bürger beraten…");  // not "beraten,…"
  EXPECT_EQ(to_plain_text(text, 34), "Die Bürgerinnen und Bürger…");
  EXPECT_EQ(to_plain_text(text, 20), "Die Bürgerinnen und…");
  EXPECT_EQ(to_plain_text("Donaudampfschifffahrt", 10), "Donaudamp…");
  EXPECT_EQ(to_plain_text("ab", 1), "…");
  EXPECT_EQ(to_plain_text("ab", 0), "");
}

TEST(MarkdownPlainText, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(to_plain_text("a\xFF"
                          "b",
                          10),
            "a\xEF\xBF\xBD"
            "b");
}

}  // namespace
}  // namespace ah::markdown
