#include "markdown/internal/urls.h"

#include <cctype>

namespace ah::markdown::internal {
namespace {

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// What browsers do before parsing: drop every tab, CR and LF, trim C0 controls and spaces.
std::string browser_view(std::string_view raw) {
  std::string s;
  s.reserve(raw.size());
  for (const char c : raw) {
    if (c != '\t' && c != '\n' && c != '\r') s += c;
  }
  const auto trimmed = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
  std::size_t begin = 0;
  std::size_t end = s.size();
  while (begin < end && trimmed(s[begin])) ++begin;
  while (end > begin && trimmed(s[end - 1])) --end;
  return s.substr(begin, end - begin);
}

// Characters that may stand in an href unencoded. '%' stays as written (already encoded);
// everything else (space, quotes, <>, backslash, controls, non-ASCII bytes) is encoded.
bool keep_unencoded(unsigned char c) {
  if (std::isalnum(c) && c < 0x80) return true;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
    case '?':
    case '#':
    case '%':
    case '[':
    case ']':
      return true;
    default:
      return false;
  }
}

std::string percent_encode_href(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (keep_unencoded(c)) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string lower_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// True when `url` is `origin` itself or a URL below it (next character '/', '?' or '#'),
// so "https://site.de@evil.org" and "https://site.de.evil.org" are not.
bool on_origin(std::string_view url, std::string_view origin) {
  std::string_view o = origin;
  while (o.ends_with('/')) o.remove_suffix(1);
  if (o.empty() || url.size() < o.size()) return false;
  if (lower_copy(url.substr(0, o.size())) != lower_copy(o)) return false;
  if (url.size() == o.size()) return true;
  const char next = url[o.size()];
  return next == '/' || next == '?' || next == '#';
}

}  // namespace

std::string scheme_of(std::string_view url) {
  const std::string s = browser_view(url);
  if (s.empty() || !is_ascii_alpha(s[0])) return {};
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') return lower_copy(std::string_view(s).substr(0, i));
    if (!is_ascii_alpha(c) && !std::isdigit(static_cast<unsigned char>(c)) && c != '+' &&
        c != '-' && c != '.') {
      return {};
    }
  }
  return {};
}

std::optional<SafeUrl> safe_url(std::string_view raw, std::string_view origin, UrlUse use) {
  const std::string view = browser_view(raw);
  const std::string href = percent_encode_href(view);
  const std::string scheme = scheme_of(view);
  if (scheme.empty()) {
    // No scheme: relative, unless it names another host ("//host/…"; backslashes are
    // encoded above, so "/\host" is a plain path).
    const bool other_host = href.starts_with("//");
    if (other_host && use == UrlUse::image) return std::nullopt;
    return SafeUrl{href, !other_host};
  }
  const bool own = on_origin(href, origin);
  if (use == UrlUse::image) {
    if (!own || (scheme != "http" && scheme != "https")) return std::nullopt;
    return SafeUrl{href, true};
  }
  if (scheme != "http" && scheme != "https" && scheme != "mailto") return std::nullopt;
  return SafeUrl{href, own};
}

}  // namespace ah::markdown::internal
