// multipart/form-data bodies (RFC 7578): forms with file uploads.
//
//   MultipartLimits limits{.max_parts = 20, .max_file_size = 10 * 1024 * 1024};
//   AH_TRY(form, parse_multipart(request.headers.get("Content-Type"), request.body, limits));
//   std::string_view title = form.fields.get("title");
//   if (const UploadedFile* pdf = form.file("attachment")) store(pdf->filename, pdf->data);
//
// The whole body is in memory (the server has already enforced the route's body limit);
// the parser copies each part out of it once. It scans the body a bounded number of times
// (the delimiter is at most 74 bytes), so its cost is linear in the body size whatever the
// input, and it never reads outside the body.
//
// Accepted syntax, strictly (browsers and curl all produce it; anything else is rejected
// with ErrorCode::invalid_input rather than guessed at):
// - Lines end in CRLF; a body with bare LF line ends is malformed.
// - A delimiter is CRLF "--" boundary at the start of a line; the first one may open the
//   body. A delimiter must be followed by "--" (the end) or optional spaces/tabs and CRLF.
//   So "--boundary" inside a line is content, but a line starting with "--boundary" and
//   then other text is an error: RFC 2046 forbids the boundary inside a part.
// - Preamble and epilogue are ignored. A body without the closing "--boundary--" is
//   rejected, as the upload was cut off.
// - Each part needs `Content-Disposition: form-data; name="..."`; a part with a `filename`
//   parameter is a file, any other part a text field. Content-Type is optional (default
//   "text/plain" for fields and "application/octet-stream" for files); other part headers
//   are ignored. Folded header lines are rejected.
// - Names, filenames and text field values must be UTF-8 text without NUL (see url.h);
//   filenames also without control characters. File data may be any bytes.
// - A part with an empty name is skipped, like an unnamed form control. A file part with
//   an empty filename and no data is skipped too: browsers send that for a file input left
//   empty, so `form.file("x") == nullptr` means "no file chosen".
// Limits (ErrorCode::too_large, the message names the field): more than `max_parts` parts
// (skipped ones count), a file larger than `max_file_size`, a text field larger than
// `max_field_size`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "http/url.h"

namespace ah::http {

struct MultipartLimits {
  std::size_t max_parts = 100;
  std::size_t max_file_size = 10 * 1024 * 1024;
  std::size_t max_field_size = 1024 * 1024;
};

struct UploadedFile {
  std::string name;          // the form field, e.g. "attachment"
  std::string filename;      // as sent by the client: untrusted, never use as a path
  std::string content_type;  // as sent, e.g. "application/pdf"; untrusted
  std::string data;
};

struct MultipartForm {
  ParamList fields;                 // text fields, in order
  std::vector<UploadedFile> files;  // file parts, in order

  // The first file sent for field `name`, or nullptr when there is none.
  const UploadedFile* file(std::string_view name) const;
};

// The boundary parameter of a multipart/form-data Content-Type, validated against RFC 2046
// (1 to 70 characters from its set, not ending in a space). Another media type, or a
// missing or invalid boundary, is ErrorCode::invalid_input.
Result<std::string> multipart_boundary(std::string_view content_type);

// Parses a body whose parts are separated by `boundary` (as returned by multipart_boundary).
Result<MultipartForm> parse_multipart_body(std::string_view body, std::string_view boundary,
                                           const MultipartLimits& limits);

// The value of the first text field `name` of a multipart/form-data body, without copying
// any file: for the CSRF check, which runs before the handler parses the form. "" when the
// Content-Type is not multipart/form-data, the body is malformed before that field, or
// there is no such field.
std::string multipart_text_field(std::string_view content_type, std::string_view body,
                                 std::string_view name);

// multipart_boundary followed by parse_multipart_body.
Result<MultipartForm> parse_multipart(std::string_view content_type, std::string_view body,
                                      const MultipartLimits& limits);

// A form's body either way: multipart/form-data when a browser sends files, or
// application/x-www-form-urlencoded from simple clients (then without files). Anything
// else, or a malformed body, is ErrorCode::invalid_input.
Result<MultipartForm> parse_any_form(std::string_view content_type, std::string_view body,
                                     const MultipartLimits& limits);

}  // namespace ah::http
