#include "web/rich_text.h"

#include <spdlog/spdlog.h>

#include "base/html.h"
#include "base/utf8.h"
#include "markdown/markdown.h"

namespace ah::web {
namespace {

// "https://host:port/path" → "https://host:port": markdown::Options::origin takes no path.
std::string origin_of(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::size_t path = url.find('/', scheme_end + 3);
  return std::string(url.substr(0, path));
}

std::string escaped_paragraphs(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    if (part.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      out += "<p>";
      append_html_escaped(out, part);
      out += "</p>";
    }
    start = end + 2;
  }
  return out;
}

}  // namespace

std::string rich_text(std::string_view markdown, const Services& services, bool allow_images) {
  markdown::Options options;
  options.heading_offset = 2;
  options.allow_images = allow_images;
  options.origin = origin_of(services.public_url);
  auto html = markdown::to_html(markdown, options);
  if (html) return std::move(*html);
  spdlog::warn("text shown without formatting: {} {}", html.error().message, html.error().detail);
  return escaped_paragraphs(markdown);
}

std::optional<std::string> rich_text_problem(std::string_view markdown) {
  if (markdown.size() > markdown::default_max_bytes) return "text_too_long";
  if (first_invalid_utf8(markdown) != std::string_view::npos) return "text_not_utf8";
  auto html = markdown::to_html(markdown, {});
  if (!html && html.error().code == ErrorCode::invalid_input) return "text_table_too_wide";
  return std::nullopt;
}

std::string plain_text(std::string_view markdown, std::size_t max_chars) {
  return markdown::to_plain_text(markdown, max_chars);
}

}  // namespace ah::web
