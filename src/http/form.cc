#include "http/form.h"

#include <algorithm>
#include <cctype>

namespace ah::http {
namespace {

bool is_token_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
  return specials.find(c) != std::string_view::npos;
}

bool is_space_or_tab(char c) { return c == ' ' || c == '\t'; }

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Reads parameterised header values left to right; every method leaves `pos` after what
// it consumed, and never reads past the end.
class HeaderValueReader {
 public:
  explicit HeaderValueReader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  char peek() const { return text_[pos_]; }
  void skip(std::size_t n) { pos_ += n; }

  void skip_whitespace() {
    while (!at_end() && is_space_or_tab(peek())) ++pos_;
  }

  std::string_view take_while(bool (*accept)(char)) {
    const std::size_t start = pos_;
    while (!at_end() && accept(peek())) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // After the opening quote: everything up to the closing quote, which is consumed.
  Result<std::string_view> take_quoted() {
    const std::size_t close = text_.find('"', pos_);
    if (close == std::string_view::npos) {
      return fail(ErrorCode::invalid_input, "A quoted header parameter is not closed.");
    }
    const std::string_view quoted = text_.substr(pos_, close - pos_);
    const bool has_control = std::any_of(quoted.begin(), quoted.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return (u < 0x20 && c != '\t') || u == 0x7F;
    });
    if (has_control) {
      return fail(ErrorCode::invalid_input,
                  "A quoted header parameter contains a control character.");
    }
    pos_ = close + 1;
    return quoted;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool is_media_type_char(char c) { return is_token_char(c) || c == '/'; }

}  // namespace

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

std::string_view trim_whitespace(std::string_view text) {
  while (!text.empty() && is_space_or_tab(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space_or_tab(text.back())) text.remove_suffix(1);
  return text;
}

Result<ParamList> parse_form(std::string_view body, const FormLimits& limits) {
  return parse_urlencoded(body, limits.max_fields, "form");
}

Result<ParameterizedHeader> parse_parameterized_header(std::string_view header_value) {
  HeaderValueReader reader(header_value);
  reader.skip_whitespace();
  ParameterizedHeader header;
  header.value = lower_ascii(reader.take_while(is_media_type_char));
  if (header.value.empty()) {
    return fail(ErrorCode::invalid_input, "A header value is missing or malformed.");
  }
  reader.skip_whitespace();
  while (!reader.at_end()) {
    if (reader.peek() != ';') {
      return fail(ErrorCode::invalid_input,
                  "Unexpected text after '" + excerpt_for_message(header.value) +
                      "' in a header; parameters must be separated by ';'.");
    }
    reader.skip(1);
    reader.skip_whitespace();
    if (reader.at_end()) break;  // a trailing ';' is harmless
    std::string name = lower_ascii(reader.take_while(is_token_char));
    reader.skip_whitespace();
    if (name.empty() || reader.at_end() || reader.peek() != '=') {
      return fail(ErrorCode::invalid_input, "A header parameter must have the form name=value.");
    }
    reader.skip(1);
    reader.skip_whitespace();
    std::string_view value;
    if (!reader.at_end() && reader.peek() == '"') {
      reader.skip(1);
      AH_TRY(quoted, reader.take_quoted());
      value = quoted;
    } else {
      value = reader.take_while(is_token_char);
      if (value.empty()) {
        return fail(ErrorCode::invalid_input,
                    "The header parameter '" + excerpt_for_message(name) + "' has no value.");
      }
    }
    if (header.params.has(name)) {
      return fail(ErrorCode::invalid_input, "The header parameter '" + excerpt_for_message(name) +
                                                "' appears more than once.");
    }
    header.params.add(std::move(name), std::string(value));
    reader.skip_whitespace();
  }
  return header;
}

bool is_urlencoded_form(std::string_view content_type) {
  const auto header = parse_parameterized_header(content_type);
  return header && header->value == "application/x-www-form-urlencoded";
}

}  // namespace ah::http
