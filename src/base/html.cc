#include "base/html.h"

#include <array>

namespace ah {

namespace {

constexpr std::array<std::string_view, 256> make_references() {
  std::array<std::string_view, 256> table{};
  table['&'] = "&amp;";
  table['<'] = "&lt;";
  table['>'] = "&gt;";
  table['"'] = "&quot;";
  table['\''] = "&#39;";
  return table;
}
constexpr auto kReferences = make_references();

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  std::size_t run = 0;  // start of the bytes not yet appended
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view reference = kReferences[static_cast<unsigned char>(text[i])];
    if (reference.empty()) continue;
    out.append(text, run, i - run);
    out.append(reference);
    run = i + 1;
  }
  out.append(text, run, text.size() - run);
}

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_html_escaped(out, text);
  return out;
}

}  // namespace ah
