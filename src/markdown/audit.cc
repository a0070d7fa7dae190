// audit_html: checks finished HTML against the allowlist in markdown.h. It reads the HTML as
// to_html writes it (lower-case names, double-quoted values, single spaces) and rejects
// anything else, so it never has to guess how a browser would read an odd construct. The URL
// checks are written again here, independently of internal/urls.cc, on purpose.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "markdown/markdown.h"

namespace ah::markdown {
namespace {

enum class Value { none, any, href, src, id, start, checkbox, col, rel, task_class, align_class };

struct AttributeRule {
  std::string_view name;
  Value value;
  bool required = false;
};

struct ElementRule {
  std::string_view name;
  bool is_void = false;
  std::vector<AttributeRule> attributes;
};

const std::vector<ElementRule>& element_rules() {
  static const std::vector<ElementRule> rules = {
      {"p", false, {{"id", Value::id}}},
      {"h2", false, {{"id", Value::id}}},
      {"h3", false, {{"id", Value::id}}},
      {"h4", false, {{"id", Value::id}}},
      {"h5", false, {{"id", Value::id}}},
      {"h6", false, {{"id", Value::id}}},
      {"br", true, {}},
      {"hr", true, {}},
      {"strong", false, {}},
      {"em", false, {}},
      {"del", false, {}},
      {"code", false, {}},
      {"pre", false, {}},
      {"blockquote", false, {}},
      {"ul", false, {}},
      {"ol", false, {{"start", Value::start}}},
      {"li", false, {{"id", Value::id}, {"class", Value::task_class}}},
      {"a", false, {{"href", Value::href, true}, {"title", Value::any}, {"rel", Value::rel}}},
      {"table", false, {}},
      {"thead", false, {}},
      {"tbody", false, {}},
      {"tr", false, {}},
      {"th", false, {{"scope", Value::col}, {"class", Value::align_class}}},
      {"td", false, {{"class", Value::align_class}}},
      {"input",
       true,
       {{"type", Value::checkbox, true},
        {"disabled", Value::none, true},
        {"checked", Value::none},
        {"aria-label", Value::any}}},
      {"img", true, {{"src", Value::src, true}, {"alt", Value::any, true}, {"title", Value::any}}},
  };
  return rules;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// The entities to_html writes; nothing else may follow '&'.
constexpr std::array<std::pair<std::string_view, char>, 5> entities = {
    {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}}};

std::size_t entity_length(std::string_view text) {
  for (const auto& [entity, character] : entities) {
    if (text.starts_with(entity)) return entity.size();
  }
  return 0;
}

std::string decode(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size();) {
    bool decoded = false;
    for (const auto& [entity, character] : entities) {
      if (value.substr(i).starts_with(entity)) {
        out += character;
        i += entity.size();
        decoded = true;
        break;
      }
    }
    if (!decoded) out += value[i++];
  }
  return out;
}

// A URL as to_html writes it: printable ASCII only, with nothing a browser would strip or
// read as a path separator or quote; returns its lower-case scheme ("" for none) or nullopt.
std::optional<std::string> url_scheme(std::string_view url) {
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '\\' || c == '"' || c == '<' || c == '>' || c == '`') {
      return std::nullopt;
    }
  }
  const std::size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::string();
  const std::string_view head = url.substr(0, colon);
  const bool scheme_like = (head[0] >= 'a' && head[0] <= 'z') || (head[0] >= 'A' && head[0] <= 'Z');
  for (const char c : head) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!allowed) return std::string();  // "a/b:c", "?x:y": a relative URL
  }
  return scheme_like ? lower_copy(head) : std::string();
}

bool on_origin(std::string_view url, std::string origin) {
  while (origin.ends_with('/')) origin.pop_back();
  if (origin.empty()) return false;
  const std::string lowered = lower_copy(url);
  if (!lowered.starts_with(lower_copy(origin))) return false;
  return lowered.size() == origin.size() ||
         std::string_view("/?#").find(lowered[origin.size()]) != std::string_view::npos;
}

class Auditor {
 public:
  Auditor(std::string_view html, const Options& options) : html_(html), options_(options) {}

  Status run() {
    while (pos_ < html_.size()) {
      const char c = html_[pos_];
      if (c == '<') {
        AH_TRY_STATUS(tag());
      } else if (c == '&') {
        const std::size_t length = entity_length(html_.substr(pos_));
        if (length == 0) return wrong("a '&' that starts no known entity");
        pos_ += length;
      } else if (c == '>' || c == '"') {
        return wrong(std::string("an unescaped '") + c + "' in text");
      } else {
        ++pos_;
      }
    }
    return {};
  }

 private:
  std::unexpected<Error> wrong(std::string what) const {
    return fail(ErrorCode::internal, "The text could not be shown.",
                what + " at byte " + std::to_string(pos_));
  }

  std::string_view name() {
    const std::size_t start = pos_;
    while (pos_ < html_.size() &&
           ((html_[pos_] >= 'a' && html_[pos_] <= 'z') ||
            (html_[pos_] >= '0' && html_[pos_] <= '9') || html_[pos_] == '-')) {
      ++pos_;
    }
    return html_.substr(start, pos_ - start);
  }

  const ElementRule* element(std::string_view tag) const {
    for (const auto& rule : element_rules()) {
      if (rule.name == tag && (tag != "img" || options_.allow_images)) return &rule;
    }
    return nullptr;
  }

  Status tag() {
    ++pos_;  // '<'
    const bool closing = pos_ < html_.size() && html_[pos_] == '/';
    if (closing) ++pos_;
    const std::string_view tag = name();
    const ElementRule* rule = element(tag);
    if (rule == nullptr) return wrong("element " + quoted(tag) + " is not allowed");
    if (closing) {
      if (rule->is_void) return wrong("end tag for void element " + quoted(tag));
      if (pos_ >= html_.size() || html_[pos_] != '>') return wrong("a malformed end tag");
      ++pos_;
      return {};
    }
    std::vector<std::string_view> seen;
    while (true) {
      if (pos_ >= html_.size()) return wrong("an unterminated tag");
      if (html_[pos_] == '>') break;
      if (html_[pos_] != ' ') return wrong("a malformed " + quoted(tag) + " tag");
      ++pos_;
      const std::string_view attribute = name();
      const AttributeRule* attribute_rule = nullptr;
      for (const auto& candidate : rule->attributes) {
        if (candidate.name == attribute) attribute_rule = &candidate;
      }
      if (attribute_rule == nullptr) {
        return wrong("attribute " + quoted(attribute) + " is not allowed on " + quoted(tag));
      }
      if (std::find(seen.begin(), seen.end(), attribute) != seen.end()) {
        return wrong("attribute " + quoted(attribute) + " twice");
      }
      seen.push_back(attribute);
      std::optional<std::string_view> value;
      if (pos_ < html_.size() && html_[pos_] == '=') {
        if (pos_ + 1 >= html_.size() || html_[pos_ + 1] != '"') return wrong("an unquoted value");
        const std::size_t start = pos_ + 2;
        const std::size_t end = html_.find('"', start);
        if (end == std::string_view::npos) return wrong("an unterminated value");
        value = html_.substr(start, end - start);
        pos_ = end + 1;
      }
      AH_TRY_STATUS(check_value(tag, *attribute_rule, value));
    }
    ++pos_;  // '>'
    for (const auto& attribute_rule : rule->attributes) {
      if (attribute_rule.required &&
          std::find(seen.begin(), seen.end(), attribute_rule.name) == seen.end()) {
        return wrong(quoted(tag) + " lacks " + quoted(attribute_rule.name));
      }
    }
    return {};
  }

  Status check_value(std::string_view tag, const AttributeRule& rule,
                     std::optional<std::string_view> raw) const {
    if (rule.value == Value::none) {
      if (raw) return wrong(quoted(rule.name) + " on " + quoted(tag) + " takes no value");
      return {};
    }
    if (!raw) return wrong(quoted(rule.name) + " on " + quoted(tag) + " needs a value");
    for (std::size_t i = 0; i < raw->size(); ++i) {
      if ((*raw)[i] == '<' || (*raw)[i] == '>') return wrong("an unescaped '<' or '>' in a value");
      if ((*raw)[i] == '&' && entity_length(raw->substr(i)) == 0) {
        return wrong("a '&' that starts no known entity in a value");
      }
    }
    const std::string value = decode(*raw);
    const auto bad = [&] {
      return wrong(quoted(rule.name) + " on " + quoted(tag) + " has a value that is not allowed");
    };
    const auto all_of = [&](auto allowed) {
      return !value.empty() && std::all_of(value.begin(), value.end(), allowed);
    };
    switch (rule.value) {
      case Value::none:
      case Value::any:
        return {};
      case Value::id:
        if (!all_of([](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_';
            })) {
          return bad();
        }
        return {};
      case Value::start:
        if (!all_of([](char c) { return c >= '0' && c <= '9'; })) return bad();
        return {};
      case Value::checkbox:
        return value == "checkbox" ? Status{} : bad();
      case Value::col:
        return value == "col" ? Status{} : bad();
      case Value::rel:
        return value == "nofollow ugc noopener" ? Status{} : bad();
      case Value::task_class:
        return value == "ah-md-task" ? Status{} : bad();
      case Value::align_class:
        return value == "ah-md-align-left" || value == "ah-md-align-center" ||
                       value == "ah-md-align-right"
                   ? Status{}
                   : bad();
      case Value::href: {
        const auto scheme = url_scheme(value);
        if (!scheme) return bad();
        if (!scheme->empty() && *scheme != "http" && *scheme != "https" && *scheme != "mailto") {
          return bad();
        }
        return {};
      }
      case Value::src: {
        const auto scheme = url_scheme(value);
        if (!scheme) return bad();
        if (scheme->empty()) return value.starts_with("//") ? bad() : Status{};
        if ((*scheme == "http" || *scheme == "https") && on_origin(value, options_.origin)) {
          return {};
        }
        return bad();
      }
    }
    return bad();
  }

  std::string_view html_;
  const Options& options_;
  std::size_t pos_ = 0;
};

}  // namespace

Status audit_html(std::string_view html, const Options& options) {
  return Auditor(html, options).run();
}

}  // namespace ah::markdown
