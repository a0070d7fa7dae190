// Fuzzes the Markdown renderer (src/markdown) with arbitrary bytes, with the default options
// and with images, an origin and anchors. Properties: to_html either refuses the input as
// invalid_input or returns HTML that (1) never contains "<script", (2) has no on…= attribute
// and no style attribute, (3) has no javascript:, vbscript: or data: href or src, judged by
// the oracle in markdown/testing/inert.h that is written apart from the library's own audit,
// and (4) is valid UTF-8. It never fails as internal (that is the library's audit rejecting
// its own output). Plain text is valid UTF-8 and within its length; section anchors are
// unique within a text.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "fuzz_check.h"
#include "markdown/markdown.h"
#include "markdown/testing/inert.h"

namespace md = ah::markdown;

namespace {

void check_html(std::string_view input, const md::Options& options) {
  const auto html = md::to_html(input, options);
  if (!html) {
    FUZZ_CHECK(html.error().code == ah::ErrorCode::invalid_input);
    FUZZ_CHECK(ah::first_invalid_utf8(html.error().message) == std::string_view::npos);
    return;
  }
  FUZZ_CHECK(ah::first_invalid_utf8(*html) == std::string_view::npos);
  const std::string lower = md::testing::lowered(*html);
  FUZZ_CHECK(lower.find("<script") == std::string::npos);
  const std::string violation = md::testing::inert_violation(*html, options.allow_images);
  if (!violation.empty()) std::fprintf(stderr, "not inert: %s\n", violation.c_str());
  FUZZ_CHECK(violation.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  check_html(input, md::Options{});
  md::Options staff;
  staff.allow_images = true;
  staff.origin = "https://beteiligung.example.de";
  staff.anchor_prefix = "f-";
  staff.heading_offset = size % 4 - 1;
  check_html(input, staff);

  const std::size_t max_chars = size % 64;
  const std::string plain = md::to_plain_text(input, max_chars);
  FUZZ_CHECK(ah::first_invalid_utf8(plain) == std::string_view::npos);
  std::size_t chars = 0;
  for (const char c : plain) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  FUZZ_CHECK(chars <= max_chars);
  FUZZ_CHECK(plain.find("  ") == std::string::npos);

  std::set<std::string> anchors;
  for (const auto& section : md::sections(input)) {
    FUZZ_CHECK(anchors.insert(section.anchor).second);
    FUZZ_CHECK(ah::first_invalid_utf8(section.text) == std::string_view::npos);
  }
  return 0;
}
