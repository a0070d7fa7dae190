#include "poster/poster.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <vector>

namespace ah::poster {
namespace {

namespace fs = std::filesystem;

constexpr double kA4Width = 595.276, kA4Height = 841.89;
constexpr double kMarginPt = 20 * 72 / 25.4;

// A sentence to repeat into a body far longer than the page holds; its words are numbered
// so a test can tell where the cut fell.
std::string long_body(int sentences) {
  std::string body;
  for (int i = 1; i <= sentences; ++i) {
    body += "Satz" + std::to_string(i) + " über Straßen, Bäume und Grünflächen – für alle.";
    body += i % 4 == 0 ? "\n\n" : " ";
  }
  return body;
}

PosterContent german() {
  PosterContent c;
  c.language = "de";
  c.organisation = "Gemeinde Großörner";
  c.title = "Wie soll der Marktplatz in Zukunft aussehen?";
  c.phase = "Ideen sammeln: 1. Dezember 2026 bis 31. Januar 2027";
  c.body =
      "Anfangswort: Wir möchten „Ihre“ Meinung hören – Kosten bis 50.000 €.\n\n" + long_body(200);
  c.call_to_action = "Machen Sie mit!";
  c.url_label = "Scannen Sie den Code oder besuchen Sie:";
  c.short_url = "beteiligung.example/b/K7Q2";
  c.qr_url = "https://beteiligung.example/b/K7Q2?quelle=aushang";
  c.fonts = shipped_fonts(AH_SHARE_DIR);
  return c;
}

struct Command {
  int status = -1;
  std::string out;
};

// Runs a shell command and returns its exit status and standard output.
Command run(const std::string& command) {
  Command r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The tests that read the PDF back need poppler-utils and zbar-tools. Without them they
// skip, unless AUGENHOEHE_REQUIRE_TOOLS is set (as in scripts/test), when they fail.
class PosterPdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string missing;
    for (const char* tool : {"pdftotext", "pdfinfo", "pdffonts", "pdftoppm", "zbarimg"}) {
      if (run(std::string("command -v ") + tool + " >/dev/null 2>&1").status != 0)
        missing += std::string(missing.empty() ? "" : ", ") + tool;
    }
    if (!missing.empty()) {
      if (std::getenv("AUGENHOEHE_REQUIRE_TOOLS")) {
        FAIL() << "missing " << missing
               << " (Debian: poppler-utils, zbar-tools) and AUGENHOEHE_REQUIRE_TOOLS is set";
      }
      GTEST_SKIP() << "missing " << missing
                   << "; install poppler-utils and zbar-tools to read the poster back";
    }
    dir_ = fs::temp_directory_path() /
           ("ah_poster_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Renders `c` to DIR/poster.pdf and returns the path; fails the test if rendering fails.
  fs::path write(const PosterContent& c) {
    auto pdf = render(c);
    EXPECT_TRUE(pdf) << pdf.error().message << " " << pdf.error().detail;
    auto path = dir_ / "poster.pdf";
    std::ofstream(path, std::ios::binary) << (pdf ? *pdf : std::string());
    return path;
  }
  // The page's text with each run of white space (line breaks too) as one space.
  std::string text_of(const fs::path& pdf) {
    auto r = run("pdftotext " + pdf.string() + " - 2>/dev/null");
    EXPECT_EQ(r.status, 0);
    return std::regex_replace(r.out, std::regex("\\s+"), " ");
  }
  // What zbarimg decodes from the page rasterised at 150 dpi.
  Command decode_qr(const fs::path& pdf) {
    auto png = dir_ / "page";
    EXPECT_EQ(run("pdftoppm -r 150 -png -singlefile " + pdf.string() + " " + png.string() +
                  " 2>/dev/null")
                  .status,
              0);
    return run("zbarimg --raw -q " + png.string() + ".png 2>/dev/null");
  }

  fs::path dir_;
};

TEST_F(PosterPdfTest, GermanTextQrCodeAndA4ReadBack) {
  auto c = german();
  auto pdf = write(c);
  auto text = text_of(pdf);
  EXPECT_NE(text.find("Gemeinde Großörner"), std::string::npos) << text;
  EXPECT_NE(text.find("Wie soll der Marktplatz"), std::string::npos) << text;
  EXPECT_NE(text.find("Ideen sammeln: 1. Dezember 2026 bis 31. Januar 2027"), std::string::npos);
  EXPECT_NE(text.find("Wir möchten „Ihre“ Meinung hören – Kosten bis 50.000 €."), std::string::npos)
      << text;
  EXPECT_NE(text.find("Machen Sie mit!"), std::string::npos);
  EXPECT_NE(text.find("Scannen Sie den Code oder besuchen Sie:"), std::string::npos);
  EXPECT_NE(text.find("beteiligung.example/b/K7Q2"), std::string::npos);
  // The body is cut: its start is there, its end is not, and "…" marks the cut.
  EXPECT_NE(text.find("Satz1 über Straßen"), std::string::npos);
  EXPECT_EQ(text.find("Satz200"), std::string::npos);
  EXPECT_NE(text.find("…"), std::string::npos);

  auto qr = decode_qr(pdf);
  EXPECT_EQ(qr.status, 0);
  EXPECT_EQ(qr.out, c.qr_url + "\n");

  auto info = run("pdfinfo " + pdf.string() + " 2>/dev/null");
  EXPECT_EQ(info.status, 0);
  EXPECT_NE(info.out.find("Page size:       595.276 x 841.89 pts (A4)"), std::string::npos)
      << info.out;
  EXPECT_NE(info.out.find("Pages:           1\n"), std::string::npos);
  EXPECT_NE(info.out.find("Title:           Wie soll der Marktplatz in Zukunft aussehen?\n"),
            std::string::npos);
  EXPECT_NE(info.out.find("Author:          Gemeinde Großörner\n"), std::string::npos);
  EXPECT_NE(info.out.find("Creator:         augenhoehe\n"), std::string::npos);

  // Both fonts embedded, so the poster prints the same everywhere.
  auto fonts = run("pdffonts " + pdf.string() + " 2>/dev/null");
  EXPECT_EQ(fonts.status, 0);
  EXPECT_EQ(std::count(fonts.out.begin(), fonts.out.end(), '\n') - 2, 2) << fonts.out;
  EXPECT_EQ(fonts.out.find(" no "), std::string::npos) << fonts.out;  // emb column all "yes"
}

// Every word stays inside the 20 mm margins, however long the texts: pdftotext -bbox gives
// each word's box in points from the top left.
TEST_F(PosterPdfTest, NothingRunsOffThePage) {
  PosterContent c = german();
  std::string long_word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenbandbügelfalte";
  c.organisation = "Verbandsgemeinde " + long_word + " und Umgebung im schönen Sachsen-Anhalt";
  c.title = long_word + " " + long_word + " " + long_word + " " + long_word + " Ende";
  c.phase = "Phase: " + long_word + " " + long_word + " " + long_word;
  c.body = long_word + long_word + long_word + long_word + long_word + "\n\n" + long_body(300);
  c.call_to_action = "Machen Sie mit bei der " + long_word + " " + long_word + " jetzt sofort!";
  c.url_label = long_word + " " + long_word + " " + long_word;
  c.short_url = "beteiligung.sachsen-anhalt.example/b/K7Q2X9";
  auto pdf = write(c);
  auto r = run("pdftotext -bbox " + pdf.string() + " - 2>/dev/null");
  ASSERT_EQ(r.status, 0);
  std::regex word(
      R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">)re");
  int words = 0;
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), word), end; it != end; ++it, ++words) {
    double x0 = std::stod((*it)[1]), y0 = std::stod((*it)[2]);
    double x1 = std::stod((*it)[3]), y1 = std::stod((*it)[4]);
    EXPECT_GE(x0, kMarginPt - 0.5) << it->str();
    EXPECT_LE(x1, kA4Width - kMarginPt + 0.5) << it->str();
    EXPECT_GE(y0, kMarginPt - 0.5) << it->str();
    EXPECT_LE(y1, kA4Height - kMarginPt + 0.5) << it->str();
  }
  EXPECT_GT(words, 50);
  auto text = text_of(pdf);
  EXPECT_NE(text.find("beteiligung.sachsen-anhalt.example/b/K7Q2X9"), std::string::npos);
  EXPECT_EQ(decode_qr(pdf).out, c.qr_url + "\n");
}

// The longest URL the poster accepts still makes a code that reads at print resolution.
TEST_F(PosterPdfTest, LongestQrUrlStillDecodes) {
  auto c = german();
  c.qr_url = "https://beteiligung.example/b/K7Q2?x=";
  c.qr_url.resize(213, 'a');
  auto qr = decode_qr(write(c));
  EXPECT_EQ(qr.out, c.qr_url + "\n");
}

// Without the tools: what can be seen in the bytes.
TEST(PosterTest, IsOnePdfWithEmbeddedFontAndLanguage) {
  auto c = german();
  c.language = "en";
  auto pdf = render(c);
  ASSERT_TRUE(pdf) << pdf.error().message << " " << pdf.error().detail;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  EXPECT_NE(pdf->find("/Lang (en)"), std::string::npos);
  EXPECT_NE(pdf->find("/FontFile2"), std::string::npos);
  EXPECT_NE(pdf->find("%%EOF"), std::string::npos);
  auto again = render(c);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *pdf) << "the same content gives the same bytes";
}

TEST(PosterTest, RefusesBadInputWithAClearMessage) {
  auto qr_url_of = [](std::size_t bytes) {
    std::string url = "https://beteiligung.example/b/K7Q2?x=";
    url.resize(bytes, 'a');
    return url;
  };
  const std::pair<std::function<void(PosterContent&)>, std::string_view> cases[] = {
      {[](auto& c) { c.title = " \n "; }, "needs a title"},
      {[](auto& c) { c.short_url = ""; }, "needs a short URL"},
      {[](auto& c) { c.qr_url = ""; }, "needs a QR code URL"},
      {[](auto& c) { c.qr_url = "https://example.org/a b"; }, "must not contain spaces"},
      {[](auto& c) { c.short_url = "example.org/\nb"; }, "must not contain spaces"},
      {[&](auto& c) { c.qr_url = qr_url_of(214); }, "at most 213 bytes"},
      {[&](auto& c) { c.qr_url = qr_url_of(5000); }, "too long"},  // past any QR code
      {[](auto& c) { c.body = "kaputt \xC3\x28 text"; }, "body text is not valid UTF-8"},
      {[](auto& c) { c.title = std::string("mit\0null", 8); }, "title is not valid UTF-8"},
      {[](auto& c) { c.language = ""; }, "language"},
      {[](auto& c) { c.language = "de\"/>"; }, "language"},
      {[](auto& c) { c.short_url = "beteiligung.example/b/" + std::string(80, 'x'); },
       "short URL is too long to print"},
  };
  for (const auto& [change, words] : cases) {
    auto c = german();
    change(c);
    auto r = render(c);
    ASSERT_FALSE(r) << "accepted, expected: " << words;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input) << words;
    EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
  }
}

TEST(PosterTest, MissingFontIsAnInternalErrorNamingTheFile) {
  auto c = german();
  c.fonts.bold = "/nonexistent/Bold.ttf";
  auto r = render(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_NE(r.error().detail.find("/nonexistent/Bold.ttf"), std::string::npos) << r.error().detail;

  c.fonts.bold = fs::path(AH_SHARE_DIR) / "fonts" / "DejaVu-LICENSE.txt";  // not a font
  r = render(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
}

// A document longer than a page goes on on further pages; German text reads back.
TEST_F(PosterPdfTest, DocumentsRunOverPagesWithGermanText) {
  Document d{.language = "de",
             .title = "Beschlussregister: AG Grüne Städte",
             .fonts = shipped_fonts(AH_SHARE_DIR)};
  for (int i = 0; i < 30; ++i)
    d.sections.push_back({"Beschluss " + std::to_string(i) + ": Straßenbäume für Köthen",
                          "Zustimmung · beendet am 1.12.2026",
                          "Angenommen, mit Bedenken zur Größe.\n\nÜberprüfung im Juni."});
  auto pdf = render_document(d);
  ASSERT_TRUE(pdf) << pdf.error().message << " " << pdf.error().detail;
  auto path = dir_ / "document.pdf";
  std::ofstream(path, std::ios::binary) << *pdf;
  auto text = text_of(path);
  EXPECT_NE(text.find("Beschlussregister: AG Grüne Städte"), std::string::npos) << text;
  EXPECT_NE(text.find("Beschluss 29: Straßenbäume für Köthen"), std::string::npos) << text;
  EXPECT_NE(text.find("Überprüfung im Juni."), std::string::npos);
  auto info = run("pdfinfo " + path.string() + " 2>/dev/null");
  std::smatch pages;
  ASSERT_TRUE(std::regex_search(info.out, pages, std::regex("Pages:\\s+(\\d+)")));
  EXPECT_GE(std::stoi(pages[1]), 2) << "continued on further pages";
  EXPECT_FALSE(render_document({.title = " ", .fonts = d.fonts}));
}

}  // namespace
}  // namespace ah::poster
