// HTML form bodies (application/x-www-form-urlencoded) and the parameterised header values
// that describe them (Content-Type, Content-Disposition).
//
//   if (is_urlencoded_form(request.headers.get("Content-Type"))) {
//     AH_TRY(form, parse_form(request.body));
//     std::string_view title = form.get("title");
//   }
//
// A form decodes exactly like a query string (see url.h: '+' is a space, repeated names are
// kept in order, names and values must be UTF-8 text without NUL). The only difference is
// the limit and the wording of errors. The body size itself is limited by the server before
// the body is read, per route.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.h"
#include "http/url.h"

namespace ah::http {

struct FormLimits {
  std::size_t max_fields = default_max_fields;
};

// Decodes an urlencoded form body. More fields than `limits.max_fields` is
// ErrorCode::too_large; a malformed escape or a value that is not UTF-8 text is
// ErrorCode::invalid_input, naming the field.
Result<ParamList> parse_form(std::string_view body, const FormLimits& limits = {});

// A header value of the shape `value *( ";" name "=" ( token / quoted-string ) )`, e.g.
// `multipart/form-data; boundary="x y"` or `form-data; name="file"; filename="a.pdf"`.
struct ParameterizedHeader {
  std::string value;  // lower-cased, e.g. "multipart/form-data"
  ParamList params;   // names lower-cased, values as sent without quotes
};

// Parses such a header value. Whitespace around ';' and '=' is allowed. A quoted value ends
// at the next '"' and backslashes in it are kept literally, because that is how browsers
// write filenames (WHATWG HTML, multipart/form-data encoding); no browser escapes with '\'.
// A missing value, an unterminated quote, a parameter without '=' or a repeated parameter
// name is ErrorCode::invalid_input.
Result<ParameterizedHeader> parse_parameterized_header(std::string_view header_value);

// True when `text` is a non-empty RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~.
// Header parameter names and cookie names must be tokens.
bool is_token(std::string_view text);

// `text` without leading and trailing spaces and tabs (RFC 9110 optional whitespace).
std::string_view trim_whitespace(std::string_view text);

// True when the Content-Type is application/x-www-form-urlencoded (any parameters, any case).
bool is_urlencoded_form(std::string_view content_type);

}  // namespace ah::http
