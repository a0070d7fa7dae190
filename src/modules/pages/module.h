// The pages module: the legal pages every public site of an administration needs, linked
// from the footer: /impressum, /datenschutz, /barrierefreiheit.
//
// Their text belongs to the operator: DATA_DIR/pages/NAME.LANG.txt (e.g.
// impressum.de.txt), read at start-up. Plain text: paragraphs separated by blank lines, a
// line starting with "# " is a heading. Rendered escaped, so no markup can get in. Without
// a file the page shows the catalogue's default text, which for Datenschutz describes what
// augenhoehe itself stores, and for the others says what the operator has to fill in.
#pragma once

#include <filesystem>
#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_pages_module(std::filesystem::path data_dir);

// Turns the plain text format above into blocks {heading|paragraph, text}.
struct TextBlock {
  bool heading = false;
  std::string text;
};
std::vector<TextBlock> parse_page_text(std::string_view text);

}  // namespace ah::modules
