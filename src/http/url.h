// Request targets, percent-decoding and query strings.
//
// The server calls `parse_target` once per request; everything after it (router, handlers,
// logs) sees a decoded path that is safe to split on '/':
//
//   AH_TRY(target, parse_target("/api/v1/organisations/09162000?tag=a&tag=b"));
//   // target.path == "/api/v1/organisations/09162000", target.query == "tag=a&tag=b"
//   AH_TRY(query, parse_query(target.query));
//   query.get("tag");   // "a"
//   query.all("tag");   // {"a", "b"}
//
// Policy, chosen so that no decoded path can mean something other than what the router saw:
// - Only origin-form targets ("/path?query"); absolute-form and "*" are rejected.
// - Raw targets may contain only visible ASCII (0x21-0x7E) and no '#'.
// - Escapes must be '%' plus two hex digits; anything else is an error, never passed through.
// - "%2F" (an encoded '/') is rejected in paths, so splitting the decoded path on '/' gives
//   exactly the segments the client sent.
// - Dot-segments ("." or "..", also when written as "%2E") are rejected, not resolved.
// - Decoded paths must be UTF-8 without control characters (so no NUL, CR or LF).
// - Decoded query names and values must be UTF-8 without NUL; they feed JSON and SQL
//   text columns, which cannot hold anything else.
// - '+' means a space in query strings and forms only; in paths it is a literal '+'.
// All errors are ErrorCode::invalid_input, except too many query fields (too_large).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace ah::http {

// Whether '+' decodes to a space (HTML forms and query strings) or stays a '+' (paths).
enum class PlusMeans { plus, space };

// Decodes %XX escapes. Fails on a '%' not followed by two hex digits. Does not check what
// the decoded bytes are; callers that need text use `is_utf8_text`.
Result<std::string> percent_decode(std::string_view encoded, PlusMeans plus);

// Percent-encodes everything but unreserved characters (RFC 3986: A-Z a-z 0-9 - . _ ~),
// for a query value or a path segment: percent_encode("Köthen (Anhalt)") ==
// "K%C3%B6then%20%28Anhalt%29".
std::string percent_encode(std::string_view text);

// "a=1&b=x%20y" from ordered pairs, skipping pairs whose value is empty.
std::string build_query(const std::vector<std::pair<std::string, std::string>>& pairs);

struct Target {
  std::string path;   // decoded and validated as described above, e.g. "/a b"
  std::string query;  // raw, without the '?', e.g. "x=1&y=%C3%A4"; "" when absent
};

// Splits a request target into decoded path and raw query, enforcing the policy above.
Result<Target> parse_target(std::string_view target);

// The '/'-separated segments of a path that starts with '/' (callers check that): "/" has
// none, "/a/b" has "a" and "b", "/a/" has "a" and "", "//" has two empty ones.
std::vector<std::string_view> path_segments(std::string_view path);

// Name/value pairs in the order they were sent; a name may repeat ("tag=a&tag=b").
// Used for query strings, urlencoded forms and the text fields of multipart forms.
class ParamList {
 public:
  // The first value of `name`, or "" when absent (use `has` to tell the two apart).
  std::string_view get(std::string_view name) const;
  // Every value of `name`, in order; empty when absent.
  std::vector<std::string_view> all(std::string_view name) const;
  bool has(std::string_view name) const;
  void add(std::string name, std::string value);

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

inline constexpr std::size_t default_max_fields = 1000;

// Decodes "a=1&b=x+y&flag" as application/x-www-form-urlencoded (WHATWG URL standard):
// pairs split on '&', name and value on the first '=', '+' is a space. A pair without '='
// has the value "" ("flag"). Empty pairs ("a=1&&b=2") and pairs with an empty name ("=x")
// are skipped. More than `max_fields` pairs is ErrorCode::too_large. `source` names the
// input in error messages, e.g. "query string" or "form".
Result<ParamList> parse_urlencoded(std::string_view encoded, std::size_t max_fields,
                                   std::string_view source);

// parse_urlencoded for the query part of a target.
Result<ParamList> parse_query(std::string_view query, std::size_t max_fields = default_max_fields);

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF) and contains no NUL byte.
bool is_utf8_text(std::string_view text);

// A short excerpt of untrusted input that is safe to put into an error message: at most
// about 40 bytes, cut at a character boundary, with invalid UTF-8 and control characters
// replaced by '?'. Messages are shown to people and written into JSON, so they must stay
// valid text whatever the client sent.
std::string excerpt_for_message(std::string_view untrusted);

}  // namespace ah::http
