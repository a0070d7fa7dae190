#include "http/cookies.h"

#include <algorithm>

#include "http/form.h"
#include "http/url.h"

namespace ah::http {
namespace {

bool is_cookie_octet(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7E && c != '"' && c != ',' && c != ';' && c != '\\';
}

bool has_control_char(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7F;
  });
}

// RFC 6265 allows a value in double quotes; the quotes are not part of it.
std::string_view unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

std::string_view to_attribute(SameSite same_site) {
  switch (same_site) {
    case SameSite::lax:
      return "Lax";
    case SameSite::strict:
      return "Strict";
    case SameSite::none:
      return "None";
  }
  return "Lax";
}

}  // namespace

CookieMap parse_cookies(std::string_view cookie_header) {
  CookieMap cookies;
  std::size_t start = 0;
  while (start <= cookie_header.size()) {
    std::size_t end = cookie_header.find(';', start);
    if (end == std::string_view::npos) end = cookie_header.size();
    const std::string_view pair = cookie_header.substr(start, end - start);
    start = end + 1;

    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = trim_whitespace(pair.substr(0, equals));
    const std::string_view raw_value = trim_whitespace(pair.substr(equals + 1));
    if (!is_token(name) || has_control_char(raw_value)) continue;
    cookies.emplace(std::string(name), std::string(unquote(raw_value)));  // keeps an existing entry
  }
  return cookies;
}

Result<std::string> build_set_cookie(const SetCookie& cookie) {
  if (!is_token(cookie.name)) {
    return fail(ErrorCode::invalid_input,
                "The cookie name '" + excerpt_for_message(cookie.name) + "' is not a token.");
  }
  if (!std::all_of(cookie.value.begin(), cookie.value.end(), is_cookie_octet)) {
    return fail(ErrorCode::invalid_input,
                "The value of cookie '" + cookie.name +
                    "' contains a character that is not allowed in cookies; encode it.");
  }
  const bool path_is_valid = cookie.path.starts_with('/') &&
                             std::all_of(cookie.path.begin(), cookie.path.end(), [](char c) {
                               const auto u = static_cast<unsigned char>(c);
                               return u >= 0x20 && u <= 0x7E && c != ';';
                             });
  if (!path_is_valid) {
    return fail(ErrorCode::invalid_input,
                "The path of cookie '" + cookie.name +
                    "' must start with '/' and contain only printable ASCII without ';'.");
  }
  if (cookie.max_age && cookie.max_age->count() < 0) {
    return fail(ErrorCode::invalid_input,
                "The Max-Age of cookie '" + cookie.name + "' must not be negative.");
  }
  if (cookie.same_site == SameSite::none && !cookie.secure) {
    return fail(ErrorCode::invalid_input,
                "The cookie '" + cookie.name + "' has SameSite=None, which needs Secure.");
  }

  std::string header = cookie.name + "=" + cookie.value + "; Path=" + cookie.path;
  if (cookie.max_age) header += "; Max-Age=" + std::to_string(cookie.max_age->count());
  if (cookie.http_only) header += "; HttpOnly";
  if (cookie.secure) header += "; Secure";
  header += "; SameSite=";
  header += to_attribute(cookie.same_site);
  return header;
}

}  // namespace ah::http
