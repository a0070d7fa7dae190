#include "poster/poster.h"

#include <hpdf.h>
#include <hpdf_doc.h>  // the catalogue dictionary, for /Lang (libhpdf has no call for it)
#include <qrencode.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/url.h"

namespace ah::poster {

// libhpdf reports errors by calling a handler, and its own examples longjmp out of it.
// A longjmp across C++ frames skips destructors, so our handler only records the error and
// returns; libhpdf then returns the error code from the failing call and we check the record
// after each step. It must not throw either: it runs inside C code. The handler has C
// language linkage because libhpdf calls it through a C function pointer.
namespace {
struct HpdfErrors {
  HPDF_STATUS error = HPDF_OK;  // the first error: later ones are usually its consequences
  HPDF_STATUS detail = 0;
};
}  // namespace

extern "C" {
static void ah_poster_on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void* user_data) {
  auto* errors = static_cast<HpdfErrors*>(user_data);
  if (errors->error == HPDF_OK) {
    errors->error = error;
    errors->detail = detail;
  }
}
}

namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kMargin = 20 * kMm;
// The code's own width, without its quiet zone: at least 6 cm, so phones read it from a
// distance. The quiet zone of four modules comes on top, so the box it takes is wider for
// small versions (version 2: 25 modules, 33 with the quiet zone, 84 mm).
constexpr double kQrSymbolSide = 64 * kMm;
constexpr int kQrQuietModules = 4;
// Version 10 has 57 modules, each 64 mm / 57 ≈ 1.1 mm. In byte mode at level M it holds
// 213 bytes.
constexpr int kMaxQrVersion = 10;
constexpr std::size_t kMaxQrUrlBytes = 213;
constexpr std::string_view kEllipsis = "…";

// Type sizes in points and the line distance as a factor of the size.
struct Style {
  double size;
  double leading;
  int max_lines;
};
constexpr Style kOrganisation{16, 1.25, 2};
constexpr Style kTitle{34, 1.15, 3};
constexpr Style kPhase{17, 1.3, 2};
constexpr Style kBody{13, 1.45, 0};  // as many lines as fit
constexpr Style kCallToAction{26, 1.2, 4};
constexpr Style kUrlLabel{14, 1.25, 2};
constexpr double kUrlMaxSize = 30;
constexpr double kUrlMinSize = 14;

Error internal(std::string detail) {
  return Error{ErrorCode::internal, "The poster could not be made.", std::move(detail)};
}

// ---- text: validation, white space, wrapping ------------------------------------------

bool is_ascii_space_or_control(unsigned char c) { return c <= 0x20 || c == 0x7f; }

// Runs of ASCII white space and control characters become one space; leading and
// trailing ones go. Control characters have no glyph, so they could only print as boxes.
std::string collapse_space(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char ch : text) {
    if (is_ascii_space_or_control(static_cast<unsigned char>(ch))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += ch;
  }
  return out;
}

// Paragraphs of the body: separated by lines that hold only white space.
std::vector<std::string> paragraphs(std::string_view body) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    auto p = collapse_space(current);
    if (!p.empty()) out.push_back(std::move(p));
    current.clear();
  };
  while (!body.empty()) {
    auto end = body.find('\n');
    auto line = body.substr(0, end);
    if (collapse_space(line).empty()) {
      flush();
    } else {
      current.append(line);
      current += ' ';
    }
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 1);
  }
  flush();
  return out;
}

// Byte offset of the start of the code point before `end` in valid UTF-8.
std::size_t previous_code_point(std::string_view text, std::size_t end) {
  std::size_t i = end;
  while (i > 0) {
    --i;
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) break;
  }
  return i;
}

// Measures text set in the page's current font and size, in points.
class Measure {
 public:
  explicit Measure(HPDF_Page page) : page_(page) {}
  double operator()(std::string_view text) const {
    scratch_.assign(text);
    return HPDF_Page_TextWidth(page_, scratch_.c_str());
  }

 private:
  HPDF_Page page_;
  mutable std::string scratch_;  // libhpdf wants NUL-terminated strings
};

std::size_t next_code_point(std::string_view text, std::size_t at) {
  std::size_t i = at + 1;
  while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  return i;
}

// Lines of at most `width` points, breaking at spaces, and inside a word only when the word
// alone is wider than a line (a long URL in the body). Stops once it has `max_lines` + 1
// lines, which is enough to know that the text must be cut: a long body is not wrapped to its
// end.
std::vector<std::string> wrap(std::string_view text, double width, const Measure& measure,
                              std::size_t max_lines) {
  std::vector<std::string> lines;
  std::string current;
  auto full = [&] { return lines.size() > max_lines; };
  while (!text.empty() && !full()) {
    auto space = text.find(' ');
    std::string_view word = text.substr(0, space);
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
    std::string candidate = current.empty() ? std::string(word) : current + ' ' + std::string(word);
    if (measure(candidate) <= width) {
      current = std::move(candidate);
      continue;
    }
    if (!current.empty()) lines.push_back(std::exchange(current, {}));
    while (!full() && measure(word) > width) {
      // The longest prefix that fits, grown from the front so a huge word costs no more
      // than a line's worth of measuring; at least one character, so this always ends.
      std::size_t cut = next_code_point(word, 0);
      for (auto next = next_code_point(word, cut);
           cut < word.size() && measure(word.substr(0, next)) <= width;
           next = next_code_point(word, next)) {
        cut = next;
      }
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
    }
    current = std::string(word);
  }
  if (!current.empty() && !full()) lines.push_back(std::move(current));
  return lines;
}

// `line` shortened at a word (or, for one long word, a character) so that it ends in "…"
// within `width`. Spaces and punctuation before the cut go, so a line never ends in ",…".
std::string with_ellipsis(std::string line, double width, const Measure& measure) {
  auto trim = [&] {
    while (!line.empty() && std::string_view(" ,;:.").find(line.back()) != std::string_view::npos)
      line.pop_back();
  };
  trim();
  while (!line.empty() && measure(line + std::string(kEllipsis)) > width) {
    auto space = line.rfind(' ');
    line.resize(space != std::string::npos ? space : previous_code_point(line, line.size()));
    trim();
  }
  return line + std::string(kEllipsis);
}

// ---- input -----------------------------------------------------------------------------

// The content as it is set: single-line texts with white space collapsed.
struct Text {
  std::string organisation, title, phase, call_to_action, url_label, short_url;
  std::vector<std::string> body;
};

Status check_text(std::string_view field, std::string_view value) {
  if (!http::is_utf8_text(value))
    return fail(ErrorCode::invalid_input,
                "The poster's " + std::string(field) + " is not valid UTF-8 text.");
  return {};
}

Status check_url(std::string_view field, std::string_view value) {
  if (value.empty())
    return fail(ErrorCode::invalid_input, "The poster needs a " + std::string(field) + ".");
  AH_TRY_STATUS(check_text(field, value));
  if (std::ranges::any_of(
          value, [](char c) { return is_ascii_space_or_control(static_cast<unsigned char>(c)); })) {
    return fail(ErrorCode::invalid_input,
                "The poster's " + std::string(field) + " must not contain spaces or line breaks.");
  }
  return {};
}

Result<Text> check_content(const PosterContent& c) {
  const std::pair<std::string_view, const std::string*> texts[] = {
      {"organisation", &c.organisation},
      {"title", &c.title},
      {"phase", &c.phase},
      {"body text", &c.body},
      {"call to action", &c.call_to_action},
      {"URL label", &c.url_label}};
  for (auto [field, value] : texts) AH_TRY_STATUS(check_text(field, *value));
  AH_TRY_STATUS(check_url("short URL", c.short_url));
  AH_TRY_STATUS(check_url("QR code URL", c.qr_url));
  if (c.qr_url.size() > kMaxQrUrlBytes) {
    return fail(ErrorCode::invalid_input,
                "The QR code URL is too long: at most " + std::to_string(kMaxQrUrlBytes) +
                    " bytes fit a QR code that can be read from a distance. Use a short URL.");
  }
  bool language_ok = !c.language.empty() && c.language.size() <= 35 && c.language.front() != '-' &&
                     std::ranges::all_of(c.language, [](char ch) {
                       return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                              (ch >= '0' && ch <= '9') || ch == '-';
                     });
  if (!language_ok)
    return fail(ErrorCode::invalid_input, "The poster's language must be a tag such as de or en.");

  Text t{collapse_space(c.organisation),
         collapse_space(c.title),
         collapse_space(c.phase),
         collapse_space(c.call_to_action),
         collapse_space(c.url_label),
         c.short_url,
         paragraphs(c.body)};
  if (t.title.empty()) return fail(ErrorCode::invalid_input, "The poster needs a title.");
  return t;
}

// The QR code's modules, row by row from the top; true is dark.
struct QrMatrix {
  int width = 0;
  std::vector<bool> dark;
};

Result<QrMatrix> encode_qr(const std::string& url) {
  // Byte mode throughout, so the capacity is a plain number of bytes (kMaxQrUrlBytes).
  errno = 0;
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(url.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) {
    return std::unexpected(
        internal("QRcode_encodeString8bit failed, errno " + std::to_string(errno)));
  }
  if (code->version > kMaxQrVersion) {
    return std::unexpected(internal("QR version " + std::to_string(code->version) +
                                    " for a URL of " + std::to_string(url.size()) + " bytes"));
  }
  QrMatrix m;
  m.width = code->width;
  m.dark.resize(static_cast<std::size_t>(m.width) * static_cast<std::size_t>(m.width));
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
  return m;
}

// ---- drawing ---------------------------------------------------------------------------

class Painter {
 public:
  explicit Painter(HPDF_Page page) : page_(page) {}

  void use(HPDF_Font font, double size) {
    HPDF_Page_SetFontAndSize(page_, font, static_cast<HPDF_REAL>(size));
    font_ = font;
    size_ = size;
  }
  Measure measure() const { return Measure(page_); }
  // Above and below the baseline, in points, for the current font and size.
  double ascent() const { return HPDF_Font_GetAscent(font_) / 1000.0 * size_; }
  double descent() const { return -HPDF_Font_GetDescent(font_) / 1000.0 * size_; }

  // `text` wrapped into `width`, at most style.max_lines lines, the last cut with "…".
  std::vector<std::string> lines(HPDF_Font font, const Style& style, std::string_view text,
                                 double width) {
    use(font, style.size);
    auto max = static_cast<std::size_t>(style.max_lines);
    auto out = wrap(text, width, measure(), max);
    if (out.size() > max) {
      out.resize(max);
      out.back() = with_ellipsis(std::move(out.back()), width, measure());
    }
    return out;
  }

  // From the top of the first line's glyphs to the bottom of the last one's.
  double height(HPDF_Font font, const Style& style, std::size_t count) {
    if (count == 0) return 0;
    use(font, style.size);
    return ascent() + descent() + static_cast<double>(count - 1) * style.size * style.leading;
  }

  // Sets `lines` from `top` down; returns the bottom of the last line's glyphs.
  double draw(HPDF_Font font, const Style& style, const std::vector<std::string>& lines, double x,
              double top) {
    if (lines.empty()) return top;
    use(font, style.size);
    double baseline = top - ascent();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) baseline -= style.size * style.leading;
      text(x, baseline, lines[i]);
    }
    return baseline - descent();
  }

  void text(double x, double baseline, const std::string& line) {
    HPDF_Page_BeginText(page_);
    HPDF_Page_TextOut(page_, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(baseline),
                      line.c_str());
    HPDF_Page_EndText(page_);
  }

  // The body's paragraphs from `top` down to no lower than `bottom`, a half line between
  // paragraphs; where space ends, the last line that fits is cut with "…".
  void body(HPDF_Font font, const std::vector<std::string>& paragraphs, double x, double top,
            double bottom, double width) {
    use(font, kBody.size);
    const double lead = kBody.size * kBody.leading;
    const double first = top - ascent();
    if (first - descent() < bottom) return;
    // Lines that fit without paragraph gaps: an upper bound, so wrapping can stop early.
    auto capacity = static_cast<std::size_t>((first - descent() - bottom) / lead) + 1;
    std::vector<std::pair<std::string, double>> placed;  // line, baseline
    bool cut = false;
    for (std::size_t p = 0; p < paragraphs.size() && !cut; ++p) {
      auto lines = wrap(paragraphs[p], width, measure(), capacity);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        double baseline =
            placed.empty() ? first : placed.back().second - lead - (i == 0 ? lead / 2 : 0);
        if (baseline - descent() < bottom) {
          cut = true;
          break;
        }
        placed.emplace_back(std::move(lines[i]), baseline);
      }
    }
    if (cut && !placed.empty())
      placed.back().first = with_ellipsis(std::move(placed.back().first), width, measure());
    for (const auto& [line, baseline] : placed) text(x, baseline, line);
  }

  // The code with the top left of its quiet zone at (x, y_top), `m` points a module. Dark
  // modules are filled rectangles, one per horizontal run: fewer path operators, and no
  // hairline seams inside a run where a rasteriser anti-aliases abutting edges. The page is
  // white, so the quiet zone needs no painting, only room.
  void qr(const QrMatrix& qr, double x, double y_top, double m) {
    for (int row = 0; row < qr.width; ++row) {
      for (int col = 0; col < qr.width;) {
        auto dark = [&](int c) {
          return qr.dark[static_cast<std::size_t>(row) * static_cast<std::size_t>(qr.width) +
                         static_cast<std::size_t>(c)];
        };
        if (!dark(col)) {
          ++col;
          continue;
        }
        int end = col;
        while (end < qr.width && dark(end)) ++end;
        HPDF_Page_Rectangle(page_, static_cast<HPDF_REAL>(x + (kQrQuietModules + col) * m),
                            static_cast<HPDF_REAL>(y_top - (kQrQuietModules + row + 1) * m),
                            static_cast<HPDF_REAL>((end - col) * m), static_cast<HPDF_REAL>(m));
        col = end;
      }
    }
    HPDF_Page_Fill(page_);
  }

  void rule(double x, double y, double width, double thickness) {
    HPDF_Page_Rectangle(page_, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                        static_cast<HPDF_REAL>(width), static_cast<HPDF_REAL>(thickness));
    HPDF_Page_Fill(page_);
  }

 private:
  HPDF_Page page_;
  HPDF_Font font_ = nullptr;
  double size_ = 0;
};

struct LoadedFonts {
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
};

// Lays the poster out on `page`. Returns invalid_input for a short URL too long to print.
Status lay_out(Painter& paint, const LoadedFonts& fonts, const Text& t, const QrMatrix& qr,
               double page_width, double page_height) {
  const double left = kMargin;
  const double width = page_width - 2 * kMargin;

  // Bottom up: the short URL, its label, the QR code with the call to action beside it.
  double url_size = kUrlMaxSize;
  for (;; url_size -= 1) {
    paint.use(fonts.bold, url_size);
    if (paint.measure()(t.short_url) <= width) break;
    if (url_size - 1 < kUrlMinSize) {
      return fail(ErrorCode::invalid_input,
                  "The short URL is too long to print on one line of the poster; use a shorter "
                  "one.");
    }
  }
  paint.use(fonts.bold, url_size);
  const double url_baseline = kMargin + paint.descent();
  paint.text(left, url_baseline, t.short_url);
  double y = url_baseline + paint.ascent();

  auto label = paint.lines(fonts.regular, kUrlLabel, t.url_label, width);
  if (!label.empty()) {
    y += 6 + paint.height(fonts.regular, kUrlLabel, label.size());
    paint.draw(fonts.regular, kUrlLabel, label, left, y);
  }

  // The quiet zone is the gap to the label and the call to action.
  const double module = kQrSymbolSide / qr.width;
  const double qr_side = module * (qr.width + 2 * kQrQuietModules);
  const double qr_bottom = y;
  const double qr_top = qr_bottom + qr_side;
  paint.qr(qr, page_width - kMargin - qr_side, qr_top, module);

  const double column = width - qr_side;
  auto cta = paint.lines(fonts.bold, kCallToAction, t.call_to_action, column);
  const double cta_height = paint.height(fonts.bold, kCallToAction, cta.size());
  paint.draw(fonts.bold, kCallToAction, cta, left, qr_bottom + (qr_side + cta_height) / 2);

  // Top down: organisation over a rule, title, phase, and the body in what is left.
  y = page_height - kMargin;
  if (!t.organisation.empty()) {
    auto org = paint.lines(fonts.regular, kOrganisation, t.organisation, width);
    y = paint.draw(fonts.regular, kOrganisation, org, left, y) - 10;
    paint.rule(left, y - 2, width, 2);
    y -= 2 + 22;
  }
  y = paint.draw(fonts.bold, kTitle, paint.lines(fonts.bold, kTitle, t.title, width), left, y);
  if (!t.phase.empty()) {
    auto phase = paint.lines(fonts.bold, kPhase, t.phase, width);
    y = paint.draw(fonts.bold, kPhase, phase, left, y - 16);
  }
  paint.body(fonts.regular, t.body, left, y - 22, qr_top + 6, width);
  return {};
}

}  // namespace

Fonts shipped_fonts(const std::filesystem::path& share_dir) {
  return Fonts{share_dir / "fonts" / "DejaVuSans.ttf", share_dir / "fonts" / "DejaVuSans-Bold.ttf"};
}

namespace {

// One libhpdf document with the fonts loaded: `draw` adds its pages; then the metadata
// (title, author, creator, /Lang) and the saved bytes. `check` turns libhpdf's recorded
// error into an internal error naming the step.
using Check = std::function<Status(std::string_view step)>;
Result<std::string> make_pdf(
    const Fonts& font_files, const std::string& language, const std::string& title,
    const std::string& author,
    const std::function<Status(HPDF_Doc, const LoadedFonts&, const Check&)>& draw) {
  HpdfErrors errors;  // outlives the document, whose calls may report into it
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> doc(
      HPDF_New(ah_poster_on_hpdf_error, &errors), &HPDF_Free);
  if (!doc) return std::unexpected(internal("HPDF_New failed (out of memory)"));
  Check check = [&](std::string_view step) -> Status {
    if (errors.error == HPDF_OK) return {};
    char code[64];
    std::snprintf(code, sizeof code, "libhpdf error 0x%04X (detail %u) ",
                  static_cast<unsigned>(errors.error), static_cast<unsigned>(errors.detail));
    return std::unexpected(internal(code + std::string(step)));
  };
  HPDF_Doc pdf = doc.get();

  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetCurrentEncoder(pdf, "UTF-8");  // also for the metadata strings below
  AH_TRY_STATUS(check("setting up the document"));

  auto load = [&](const std::filesystem::path& path) -> Result<HPDF_Font> {
    const char* name = HPDF_LoadTTFontFromFile(pdf, path.c_str(), HPDF_TRUE);  // embedded
    HPDF_Font font = name ? HPDF_GetFont(pdf, name, "UTF-8") : nullptr;
    AH_TRY_STATUS(check("loading the font " + path.string()));
    if (!font) return std::unexpected(internal("no font from " + path.string()));
    return font;
  };
  AH_TRY(regular, load(font_files.regular));
  LoadedFonts fonts{regular, regular};
  if (font_files.bold != font_files.regular) {
    AH_TRY(bold, load(font_files.bold));
    fonts.bold = bold;
  }

  AH_TRY_STATUS(draw(pdf, fonts, check));

  HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, title.c_str());
  if (!author.empty()) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, author.c_str());
  HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "augenhoehe");
  HPDF_Dict_Add(pdf->catalog, "Lang", HPDF_String_New(pdf->mmgr, language.c_str(), nullptr));
  AH_TRY_STATUS(check("writing the metadata"));

  HPDF_SaveToStream(pdf);
  AH_TRY_STATUS(check("saving"));
  std::string bytes(HPDF_GetStreamSize(pdf), '\0');
  auto size = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  AH_TRY_STATUS(check("reading the saved document"));
  if (size != bytes.size()) return std::unexpected(internal("short read of the saved document"));
  return bytes;
}

HPDF_Page a4_page(HPDF_Doc pdf) {
  HPDF_Page page = HPDF_AddPage(pdf);
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  HPDF_Page_SetRGBFill(page, 0, 0, 0);
  return page;
}

constexpr Style kDocumentTitle{22, 1.2, 6};
constexpr Style kHeading{14, 1.25, 8};
constexpr Style kMeta{10, 1.3, 4};
constexpr Style kParagraph{11, 1.4, 1'000};

}  // namespace

Result<std::string> render(const PosterContent& content) {
  AH_TRY(text, check_content(content));
  AH_TRY(qr, encode_qr(content.qr_url));
  return make_pdf(content.fonts, content.language, text.title, text.organisation,
                  [&](HPDF_Doc pdf, const LoadedFonts& fonts, const Check& check) -> Status {
                    HPDF_Page page = a4_page(pdf);
                    AH_TRY_STATUS(check("adding the page"));
                    Painter paint(page);
                    AH_TRY_STATUS(lay_out(paint, fonts, text, qr, HPDF_Page_GetWidth(page),
                                          HPDF_Page_GetHeight(page)));
                    return check("laying out the poster");
                  });
}

Result<std::string> render_document(const Document& document) {
  std::vector<const std::string*> texts{&document.title, &document.empty_note};
  for (const auto& section : document.sections)
    for (const auto* t : {&section.heading, &section.meta, &section.body}) texts.push_back(t);
  for (const auto* t : texts) AH_TRY_STATUS(check_text("text", *t));
  if (collapse_space(document.title).empty())
    return fail(ErrorCode::invalid_input, "The document needs a title.");
  return make_pdf(
      document.fonts, document.language, collapse_space(document.title), "",
      [&](HPDF_Doc pdf, const LoadedFonts& fonts, const Check& check) -> Status {
        HPDF_Page page = a4_page(pdf);
        AH_TRY_STATUS(check("adding a page"));
        const double width = HPDF_Page_GetWidth(page) - 2 * kMargin;
        const double top = HPDF_Page_GetHeight(page) - kMargin;
        Painter paint(page);
        double y = top;
        // Sets lines, going on on a new page where this one ends.
        auto put = [&](HPDF_Font font, const Style& style, const std::string& text,
                       double gap_before) -> Status {
          for (const auto& line : paint.lines(font, style, collapse_space(text), width)) {
            double needed = paint.height(font, style, 1) + gap_before;
            if (y - needed < kMargin) {
              page = a4_page(pdf);
              AH_TRY_STATUS(check("adding a page"));
              paint = Painter(page);
              y = top;
              gap_before = 0;
            }
            y = paint.draw(font, style, {line}, kMargin, y - gap_before);
            gap_before = style.size * (style.leading - 1) + 1;
          }
          return {};
        };
        AH_TRY_STATUS(put(fonts.bold, kDocumentTitle, document.title, 0));
        if (document.sections.empty())
          AH_TRY_STATUS(put(fonts.regular, kParagraph, document.empty_note, 18));
        for (const auto& section : document.sections) {
          AH_TRY_STATUS(put(fonts.bold, kHeading, section.heading, 22));
          if (!section.meta.empty()) AH_TRY_STATUS(put(fonts.regular, kMeta, section.meta, 4));
          double gap = 8;
          for (const auto& paragraph : paragraphs(section.body)) {
            AH_TRY_STATUS(put(fonts.regular, kParagraph, paragraph, gap));
            gap = 6;
          }
        }
        return check("laying out the document");
      });
}

}  // namespace ah::poster
