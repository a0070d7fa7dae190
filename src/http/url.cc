#include "http/url.h"

#include <cctype>

#include <algorithm>

#include "base/utf8.h"

namespace ah::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

// Raw request targets: visible ASCII only, and no fragment (clients must not send one).
Status check_raw_target_characters(std::string_view target) {
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7E || c == '#') {
      return fail(ErrorCode::invalid_input,
                  "The address contains a character that must be percent-encoded.");
    }
  }
  return {};
}

bool contains_encoded_slash(std::string_view raw_path) {
  for (std::size_t i = 0; i + 2 < raw_path.size(); ++i) {
    if (raw_path[i] == '%' && raw_path[i + 1] == '2' &&
        (raw_path[i + 2] == 'f' || raw_path[i + 2] == 'F')) {
      return true;
    }
  }
  return false;
}

bool has_dot_segment(std::string_view decoded_path) {
  const auto segments = path_segments(decoded_path);
  return std::any_of(segments.begin(), segments.end(),
                     [](std::string_view segment) { return segment == "." || segment == ".."; });
}

Result<std::string> decode_path(std::string_view raw_path) {
  if (!raw_path.starts_with('/')) {
    return fail(ErrorCode::invalid_input, "The address path must start with '/'.");
  }
  if (contains_encoded_slash(raw_path)) {
    return fail(ErrorCode::invalid_input,
                "The address path contains an encoded '/' (%2F), which is not allowed.");
  }
  AH_TRY(path, percent_decode(raw_path, PlusMeans::plus));
  if (std::any_of(path.begin(), path.end(),
                  [](char c) { return is_control(static_cast<unsigned char>(c)); })) {
    return fail(ErrorCode::invalid_input, "The address path contains a control character.");
  }
  if (!is_utf8_text(path)) {
    return fail(ErrorCode::invalid_input, "The address path is not valid UTF-8.");
  }
  if (has_dot_segment(path)) {
    return fail(ErrorCode::invalid_input,
                "The address path contains '.' or '..' segments, which are not allowed.");
  }
  return path;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) && c < 0x80) {
      out += static_cast<char>(c);
    } else if (c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string build_query(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (value.empty()) continue;
    if (!out.empty()) out += '&';
    out += percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

Result<std::string> percent_decode(std::string_view encoded, PlusMeans plus) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '+' && plus == PlusMeans::space) {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      const int high = i + 1 < encoded.size() ? hex_value(encoded[i + 1]) : -1;
      const int low = i + 2 < encoded.size() ? hex_value(encoded[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return fail(ErrorCode::invalid_input,
                    "Invalid percent-escape '" + excerpt_for_message(encoded.substr(i, 3)) +
                        "': '%' must be followed by two hexadecimal digits.");
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

Result<Target> parse_target(std::string_view target) {
  if (target.empty()) return fail(ErrorCode::invalid_input, "The request has no address.");
  AH_TRY_STATUS(check_raw_target_characters(target));
  const std::size_t question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  AH_TRY(path, decode_path(raw_path));
  std::string query;
  if (question != std::string_view::npos) query = std::string(target.substr(question + 1));
  return Target{std::move(path), std::move(query)};
}

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path == "/") return segments;
  std::size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

std::string_view ParamList::get(std::string_view name) const {
  for (const auto& [key, value] : entries_)
    if (key == name) return value;
  return {};
}

std::vector<std::string_view> ParamList::all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [key, value] : entries_)
    if (key == name) values.emplace_back(value);
  return values;
}

bool ParamList::has(std::string_view name) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const auto& entry) { return entry.first == name; });
}

void ParamList::add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

Result<ParamList> parse_urlencoded(std::string_view encoded, std::size_t max_fields,
                                   std::string_view source) {
  ParamList params;
  std::size_t start = 0;
  while (start <= encoded.size()) {
    std::size_t end = encoded.find('&', start);
    if (end == std::string_view::npos) end = encoded.size();
    const std::string_view pair = encoded.substr(start, end - start);
    start = end + 1;

    const std::size_t equals = pair.find('=');
    const std::string_view raw_name = pair.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
    if (raw_name.empty()) continue;
    if (params.size() == max_fields) {
      return fail(ErrorCode::too_large, "The " + std::string(source) + " has more than " +
                                            std::to_string(max_fields) + " fields.");
    }

    auto name = percent_decode(raw_name, PlusMeans::space);
    if (!name)
      return fail(
          ErrorCode::invalid_input,
          "The " + std::string(source) + " has a malformed field name. " + name.error().message);
    if (!is_utf8_text(*name)) {
      return fail(ErrorCode::invalid_input,
                  "The " + std::string(source) + " has a field name that is not valid text.");
    }
    auto value = percent_decode(raw_value, PlusMeans::space);
    if (!value || !is_utf8_text(*value)) {
      return fail(ErrorCode::invalid_input,
                  "The " + std::string(source) + " field '" + excerpt_for_message(*name) +
                      "' has a value that is not validly encoded text." +
                      (value ? std::string{} : " " + value.error().message));
    }
    params.add(std::move(*name), std::move(*value));
  }
  return params;
}

Result<ParamList> parse_query(std::string_view query, std::size_t max_fields) {
  return parse_urlencoded(query, max_fields, "query string");
}

bool is_utf8_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') return false;
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string excerpt_for_message(std::string_view untrusted) {
  constexpr std::size_t max_bytes = 40;
  std::string out;
  std::size_t i = 0;
  while (i < untrusted.size() && out.size() < max_bytes) {
    const std::size_t length = utf8_sequence_length(untrusted, i);
    if (length == 0 || (length == 1 && is_control(static_cast<unsigned char>(untrusted[i])))) {
      out.push_back('?');
      ++i;
    } else {
      out.append(untrusted.substr(i, length));
      i += length;
    }
  }
  if (i < untrusted.size()) out += "...";
  return out;
}

}  // namespace ah::http
