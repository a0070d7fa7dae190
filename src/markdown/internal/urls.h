// URL rules shared by the renderer and the audit (see markdown.h, "Links" and "Images").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ah::markdown::internal {

enum class UrlUse { link, image };

struct SafeUrl {
  std::string href;  // percent-encoded where needed, not yet HTML-escaped
  bool own = false;  // relative or on the site's origin: no rel, and images may load
};

// The URL as the browser would see it, or nullopt when it may not be used for `use`.
// `origin` is as in Options (may be empty).
std::optional<SafeUrl> safe_url(std::string_view raw, std::string_view origin, UrlUse use);

// The scheme of `url` in lower case ("" when it has none), found like the WHATWG URL parser
// does after leading control characters and spaces are trimmed and tabs and line breaks
// removed: an ASCII letter, then letters, digits, '+', '-' or '.', then ':'.
std::string scheme_of(std::string_view url);

}  // namespace ah::markdown::internal
