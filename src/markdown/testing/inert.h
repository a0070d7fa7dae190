// inert_violation: an oracle for tests and the fuzz target, written apart from audit_html so
// that one mistake cannot hide in both. It reads HTML the way a lenient browser would (any
// '<' followed by a letter starts a tag, attributes quoted or not, entities decoded once) and
// names the first thing that could run script or load from elsewhere: a <script> anywhere,
// an element outside to_html's list, an on* or style attribute, or an href/src whose scheme,
// after entities are decoded and whitespace and control characters removed, is javascript:,
// vbscript: or data:. Returns "" when the HTML is inert.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace ah::markdown::testing {

inline std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Decodes numeric entities and the few named ones a URL trick would use, once.
inline std::string decode_entities_once(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    const std::string_view body =
        semi == std::string_view::npos ? std::string_view() : s.substr(i + 1, semi - i - 1);
    std::uint32_t code = 0;
    bool known = true;
    if (body.starts_with("#x") || body.starts_with("#X")) {
      for (const char c : body.substr(2)) {
        const int d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (d < 0 || code > 0x10FFFF) {
          known = false;
          break;
        }
        code = code * 16 + static_cast<std::uint32_t>(d);
      }
    } else if (body.starts_with("#")) {
      for (const char c : body.substr(1)) {
        if (c < '0' || c > '9' || code > 0x10FFFF) {
          known = false;
          break;
        }
        code = code * 10 + static_cast<std::uint32_t>(c - '0');
      }
    } else if (body == "amp") {
      code = '&';
    } else if (body == "lt") {
      code = '<';
    } else if (body == "gt") {
      code = '>';
    } else if (body == "quot") {
      code = '"';
    } else if (body == "colon") {
      code = ':';
    } else if (body == "tab") {
      code = '\t';
    } else if (body == "newline") {
      code = '\n';
    } else {
      known = false;
    }
    if (!known || body.size() < 2 || code == 0 || code > 0x7F) {
      out += s[i++];  // not decoded here; non-ASCII cannot form a scheme anyway
      continue;
    }
    out += static_cast<char>(code);
    i = semi + 1;
  }
  return out;
}

inline bool dangerous_url(std::string_view value) {
  std::string compact;
  for (const char c : decode_entities_once(value)) {
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7F) compact += c;
  }
  compact = lowered(compact);
  return compact.starts_with("javascript:") || compact.starts_with("vbscript:") ||
         compact.starts_with("data:");
}

inline std::string inert_violation(std::string_view html, bool images_allowed = false) {
  const std::string lower = lowered(html);
  if (lower.find("<script") != std::string::npos) return "a <script";
  static constexpr std::string_view allowed[] = {
      "p",     "br",    "h2",  "h3",         "h4", "h5", "h6",   "strong", "em",
      "del",   "code",  "pre", "blockquote", "ul", "ol", "li",   "a",      "table",
      "thead", "tbody", "tr",  "th",         "td", "hr", "input"};
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  };
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (lower[i] != '<') continue;
    std::size_t j = i + 1;
    if (j < lower.size() && (lower[j] == '/' || lower[j] == '!' || lower[j] == '?')) ++j;
    const std::size_t name_start = j;
    while (j < lower.size() && !is_space(lower[j]) && lower[j] != '>' && lower[j] != '/') ++j;
    const std::string_view name = std::string_view(lower).substr(name_start, j - name_start);
    if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) {
      if (lower[i + 1] == '!' || lower[i + 1] == '?') return "a comment or declaration";
      continue;  // "<" followed by no letter is text for a browser
    }
    bool known = images_allowed && name == "img";
    for (const auto candidate : allowed) known = known || name == candidate;
    if (!known) return "element <" + std::string(name) + ">";
    // Attributes up to the closing '>'.
    while (j < lower.size() && lower[j] != '>') {
      while (j < lower.size() && (is_space(lower[j]) || lower[j] == '/')) ++j;
      const std::size_t attr_start = j;
      while (j < lower.size() && !is_space(lower[j]) && lower[j] != '=' && lower[j] != '>') ++j;
      const std::string attr = lower.substr(attr_start, j - attr_start);
      std::string value;
      if (j < lower.size() && lower[j] == '=') {
        ++j;
        if (j < lower.size() && (lower[j] == '"' || lower[j] == '\'')) {
          const char quote = lower[j++];
          const std::size_t end = std::min(lower.find(quote, j), lower.size());
          value = std::string(html.substr(j, end - j));
          j = end + 1;
        } else {
          const std::size_t start = j;
          while (j < lower.size() && !is_space(lower[j]) && lower[j] != '>') ++j;
          value = std::string(html.substr(start, j - start));
        }
      }
      if (attr.starts_with("on")) return "event handler attribute " + attr;
      if (attr == "style") return "style attribute";
      if ((attr == "href" || attr == "src" || attr == "xlink:href" || attr == "action" ||
           attr == "formaction" || attr == "srcset") &&
          dangerous_url(value)) {
        return attr + "=\"" + value + "\"";
      }
    }
    i = j;
  }
  return {};
}

}  // namespace ah::markdown::testing
