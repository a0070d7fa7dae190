// Reading the Cookie header and writing Set-Cookie values (RFC 6265).
//
//   CookieMap cookies = parse_cookies(request.headers.get("Cookie"));
//   if (auto it = cookies.find("ah_session"); it != cookies.end()) use(it->second);
//
//   AH_TRY(value, build_set_cookie({.name = "ah_session", .value = token,
//                                   .max_age = std::chrono::hours(12)}));
//   response.headers.add("Set-Cookie", std::move(value));
//
// Reading is lenient, because other software on the same site may set cookies we do not
// understand: such pairs are skipped, never an error. Writing is strict, because a value
// with ';' or CR/LF would inject attributes or headers: names must be RFC 9110 tokens and
// values RFC 6265 cookie-octets (printable ASCII except space, '"', ',', ';' and '\'), so
// callers encode anything else (e.g. base64url). The defaults are the safe ones: HttpOnly,
// Secure, SameSite=Lax, Path=/. No Domain attribute is ever written, so cookies stay
// host-only.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ah::http {

using CookieMap = std::map<std::string, std::string, std::less<>>;

// Parses a Cookie header value ("a=1; b=2"). Pairs are separated by ';' with optional
// spaces or tabs around them; one pair of double quotes around a value is removed. A pair is
// skipped when it has no '=', its name is not a token or its value contains a control
// character; other values are kept as sent, even with characters RFC 6265 does not allow. When a
// name repeats the first pair wins: browsers send the cookie with the longest matching Path first.
// If a request carries several Cookie headers, join them with "; " before calling.
CookieMap parse_cookies(std::string_view cookie_header);

enum class SameSite { lax, strict, none };

struct SetCookie {
  std::string name;
  std::string value;
  std::string path = "/";
  // Absent: a session cookie that ends with the browser session. Zero deletes the cookie.
  std::optional<std::chrono::seconds> max_age;
  bool http_only = true;
  bool secure = true;
  SameSite same_site = SameSite::lax;
};

// The value of a Set-Cookie header, e.g. "ah_session=abc; Path=/; Max-Age=43200; HttpOnly;
// Secure; SameSite=Lax". An invalid name, value or path, a negative max_age, or
// SameSite=None without Secure (browsers drop such cookies) is ErrorCode::invalid_input.
// These are programming errors in the caller, reported as values so that the HTTP layer
// can log them with the request.
Result<std::string> build_set_cookie(const SetCookie& cookie);

}  // namespace ah::http
