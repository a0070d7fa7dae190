#include "http/multipart.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "http/form.h"
#include "http/message.h"

namespace ah::http {
namespace {

constexpr std::string_view crlf = "\r\n";
constexpr std::size_t max_boundary_length = 70;  // RFC 2046, section 5.1.1

bool is_boundary_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  constexpr std::string_view specials = "'()+_,-./:=? ";
  return specials.find(c) != std::string_view::npos;
}

bool is_valid_boundary(std::string_view boundary) {
  return !boundary.empty() && boundary.size() <= max_boundary_length &&
         std::all_of(boundary.begin(), boundary.end(), is_boundary_char) &&
         !boundary.ends_with(' ');
}

bool has_control_char(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

std::string describe_size(std::size_t bytes) {
  constexpr std::size_t kib = 1024;
  constexpr std::size_t mib = 1024 * kib;
  if (bytes >= mib && bytes % mib == 0) return std::to_string(bytes / mib) + " MiB";
  if (bytes >= kib && bytes % kib == 0) return std::to_string(bytes / kib) + " KiB";
  return std::to_string(bytes) + " bytes";
}

struct PartHeaders {
  std::string name;
  std::optional<std::string> filename;  // present for file parts, possibly empty
  std::string content_type;             // "" when the part did not send one
};

Status read_content_disposition(std::string_view value, PartHeaders& headers) {
  auto disposition = parse_parameterized_header(value);
  if (!disposition || disposition->value != "form-data" || !disposition->params.has("name")) {
    return fail(ErrorCode::invalid_input,
                "A part of the form has no valid 'Content-Disposition: form-data; name=...' "
                "header.");
  }
  headers.name = std::string(disposition->params.get("name"));
  if (!is_utf8_text(headers.name)) {
    return fail(ErrorCode::invalid_input, "A form field name is not valid UTF-8 text.");
  }
  if (disposition->params.has("filename")) {
    std::string filename(disposition->params.get("filename"));
    if (!is_utf8_text(filename) || has_control_char(filename)) {
      return fail(ErrorCode::invalid_input, "The file name sent for field '" +
                                                excerpt_for_message(headers.name) +
                                                "' is not valid text.");
    }
    headers.filename = std::move(filename);
  }
  return {};
}

// `block` holds the header lines of one part, separated by CRLF, without the blank line.
Result<PartHeaders> parse_part_headers(std::string_view block) {
  PartHeaders headers;
  bool has_disposition = false;
  bool has_content_type = false;
  // Checked first, so that a folded line is reported as such, not as a broken header.
  if (block.find("\r\n ") != std::string_view::npos ||
      block.find("\r\n\t") != std::string_view::npos || block.starts_with(' ') ||
      block.starts_with('\t')) {
    return fail(ErrorCode::invalid_input,
                "A part of the form has a folded header line, which is not allowed.");
  }
  while (!block.empty()) {
    const std::size_t line_end = block.find(crlf);
    const std::string_view line = block.substr(0, line_end);
    block = line_end == std::string_view::npos ? std::string_view{}
                                               : block.substr(line_end + crlf.size());
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
      return fail(ErrorCode::invalid_input, "A part of the form has a malformed header line.");
    }
    const std::string_view header_name = line.substr(0, colon);
    const std::string_view value = trim_whitespace(line.substr(colon + 1));
    if (iequals(header_name, "Content-Disposition")) {
      if (has_disposition) {
        return fail(ErrorCode::invalid_input,
                    "A part of the form has more than one Content-Disposition header.");
      }
      has_disposition = true;
      AH_TRY_STATUS(read_content_disposition(value, headers));
    } else if (iequals(header_name, "Content-Type")) {
      if (has_content_type || !parse_parameterized_header(value)) {
        return fail(ErrorCode::invalid_input,
                    "A part of the form has a missing, repeated or malformed Content-Type.");
      }
      has_content_type = true;
      headers.content_type = std::string(value);
    }
  }
  if (!has_disposition) {
    return fail(ErrorCode::invalid_input,
                "A part of the form has no 'Content-Disposition: form-data; name=...' header.");
  }
  return headers;
}

// One part split into its parsed headers and its content (a view into the body).
struct PartView {
  PartHeaders headers;
  std::string_view content;
};

Result<PartView> split_part(std::string_view part) {
  std::string_view header_block;
  std::string_view content;
  if (part.starts_with(crlf)) {
    content = part.substr(crlf.size());
  } else {
    const std::size_t blank_line = part.find("\r\n\r\n");
    if (blank_line == std::string_view::npos) {
      return fail(ErrorCode::invalid_input,
                  "A part of the form has no blank line after its headers.");
    }
    header_block = part.substr(0, blank_line);
    content = part.substr(blank_line + 4);
  }
  AH_TRY(headers, parse_part_headers(header_block));
  return PartView{std::move(headers), content};
}

// Adds one part (the text between two delimiters) to `form` unless it is to be skipped.
// `part_number` counts parts from 1, skipped ones included.
Status add_part(std::string_view part, std::size_t part_number, const MultipartLimits& limits,
                MultipartForm& form) {
  AH_TRY(split, split_part(part));
  PartHeaders& headers = split.headers;
  const std::string_view content = split.content;
  const std::string field = excerpt_for_message(headers.name);

  if (part_number > limits.max_parts) {
    return fail(ErrorCode::too_large, "The form has more than " + std::to_string(limits.max_parts) +
                                          " parts; the field '" + field + "' is one too many.");
  }
  if (headers.name.empty()) return {};

  if (headers.filename) {
    if (headers.filename->empty() && content.empty()) return {};
    if (content.size() > limits.max_file_size) {
      return fail(ErrorCode::too_large, "The file in field '" + field +
                                            "' is larger than the limit of " +
                                            describe_size(limits.max_file_size) + ".");
    }
    form.files.push_back(UploadedFile{
        std::move(headers.name), std::move(*headers.filename),
        headers.content_type.empty() ? "application/octet-stream" : headers.content_type,
        std::string(content)});
    return {};
  }

  if (content.size() > limits.max_field_size) {
    return fail(ErrorCode::too_large, "The field '" + field + "' is larger than the limit of " +
                                          describe_size(limits.max_field_size) + ".");
  }
  if (!is_utf8_text(content)) {
    return fail(ErrorCode::invalid_input, "The field '" + field + "' is not valid UTF-8 text.");
  }
  form.fields.add(std::move(headers.name), std::string(content));
  return {};
}

}  // namespace

const UploadedFile* MultipartForm::file(std::string_view name) const {
  const auto it = std::find_if(files.begin(), files.end(),
                               [&](const UploadedFile& f) { return f.name == name; });
  return it == files.end() ? nullptr : &*it;
}

Result<std::string> multipart_boundary(std::string_view content_type) {
  auto header = parse_parameterized_header(content_type);
  if (!header || header->value != "multipart/form-data") {
    return fail(ErrorCode::invalid_input, "The request is not multipart/form-data.");
  }
  const std::string_view boundary = header->params.get("boundary");
  if (!is_valid_boundary(boundary)) {
    return fail(ErrorCode::invalid_input,
                "The multipart/form-data boundary is missing or invalid.");
  }
  return std::string(boundary);
}

namespace {

// Calls `visit(part, part_number)` for each part between the delimiters of `body`, in
// order, until it returns an error or false (stop early).
template <class Visit>
Status for_each_part(std::string_view body, std::string_view boundary, Visit&& visit) {
  if (!is_valid_boundary(boundary)) {
    return fail(ErrorCode::invalid_input,
                "The multipart/form-data boundary is missing or invalid.");
  }
  const std::string delimiter = "--" + std::string(boundary);
  const std::string delimiter_on_new_line = std::string(crlf) + delimiter;
  const auto truncated = [] {
    return fail(ErrorCode::invalid_input,
                "The form data ended before its final boundary; the upload may have been cut "
                "off. Please send it again.");
  };

  // `pos` is always at the start of a delimiter ("--boundary").
  std::size_t pos = 0;
  if (!body.starts_with(delimiter)) {
    const std::size_t first = body.find(delimiter_on_new_line);
    if (first == std::string_view::npos) {
      return fail(ErrorCode::invalid_input,
                  "The form data does not contain the boundary announced in its Content-Type.");
    }
    pos = first + crlf.size();
  }

  for (std::size_t part_number = 1;; ++part_number) {
    pos += delimiter.size();
    const std::string_view after_delimiter = body.substr(pos);
    if (after_delimiter.starts_with("--")) return {};  // close delimiter; epilogue ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (pos == body.size()) return truncated();
    if (!body.substr(pos).starts_with(crlf)) {
      return fail(ErrorCode::invalid_input,
                  "A boundary line in the form data is followed by unexpected text, or its "
                  "lines do not end in CRLF.");
    }
    pos += crlf.size();
    const std::size_t next = body.find(delimiter_on_new_line, pos);
    if (next == std::string_view::npos) return truncated();
    AH_TRY(more, visit(body.substr(pos, next - pos), part_number));
    if (!more) return {};
    pos = next + crlf.size();
  }
}

}  // namespace

Result<MultipartForm> parse_multipart_body(std::string_view body, std::string_view boundary,
                                           const MultipartLimits& limits) {
  MultipartForm form;
  AH_TRY_STATUS(
      for_each_part(body, boundary, [&](std::string_view part, std::size_t number) -> Result<bool> {
        AH_TRY_STATUS(add_part(part, number, limits, form));
        return true;
      }));
  return form;
}

std::string multipart_text_field(std::string_view content_type, std::string_view body,
                                 std::string_view name) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return {};
  std::string found;
  auto walked =
      for_each_part(body, *boundary, [&](std::string_view part, std::size_t) -> Result<bool> {
        AH_TRY(split, split_part(part));
        if (split.headers.filename || split.headers.name != name) return true;
        if (is_utf8_text(split.content)) found = std::string(split.content);
        return false;
      });
  return walked ? found : std::string{};
}

Result<MultipartForm> parse_multipart(std::string_view content_type, std::string_view body,
                                      const MultipartLimits& limits) {
  AH_TRY(boundary, multipart_boundary(content_type));
  return parse_multipart_body(body, boundary, limits);
}

Result<MultipartForm> parse_any_form(std::string_view content_type, std::string_view body,
                                     const MultipartLimits& limits) {
  if (is_urlencoded_form(content_type)) {
    auto fields = parse_form(body);
    if (!fields) return fail(ErrorCode::invalid_input, "malformed form");
    return MultipartForm{.fields = std::move(*fields)};
  }
  return parse_multipart(content_type, body, limits);
}

}  // namespace ah::http
