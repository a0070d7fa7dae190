#include "modules/files/upload.h"

#include <algorithm>
#include <cctype>

#include "base/utf8.h"
#include "http/form.h"

namespace ah::modules::files {

namespace {

// What a name or a declared Content-Type says the file is.
struct Claim {
  enum class Kind { none, known, other } kind = Kind::none;
  MediaType type = MediaType::pdf;
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view extension_of(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view{} : name.substr(dot + 1);
}

Claim claim_of_name(std::string_view name) {
  const std::string ext = lower(extension_of(name));
  if (ext.empty()) return {};
  if (ext == "png") return {Claim::Kind::known, MediaType::png};
  if (ext == "jpg" || ext == "jpeg" || ext == "jpe" || ext == "jfif")
    return {Claim::Kind::known, MediaType::jpeg};
  if (ext == "webp") return {Claim::Kind::known, MediaType::webp};
  if (ext == "pdf") return {Claim::Kind::known, MediaType::pdf};
  return {Claim::Kind::other};
}

Claim claim_of_content_type(std::string_view content_type) {
  if (http::trim_whitespace(content_type).empty()) return {};
  auto parsed = http::parse_parameterized_header(content_type);
  if (!parsed) return {Claim::Kind::other};
  if (parsed->value.empty() || parsed->value == "application/octet-stream") return {};
  if (auto type = media_type_from_name(parsed->value)) return {Claim::Kind::known, *type};
  return {Claim::Kind::other};
}

std::string_view not_that_key(MediaType type) {
  switch (type) {
    case MediaType::png:
      return "files_error_not_png";
    case MediaType::jpeg:
      return "files_error_not_jpeg";
    case MediaType::webp:
      return "files_error_not_webp";
    case MediaType::pdf:
      return "files_error_not_pdf";
  }
  return "files_error_unsupported";
}

std::string megabytes(std::size_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MB"; }

// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
std::string_view utf8_prefix(std::string_view text, std::size_t max) {
  std::size_t end = 0;
  while (end < text.size()) {
    const std::size_t n = utf8_sequence_length(text, end);
    if (n == 0 || end + n > max) break;
    end += n;
  }
  return text.substr(0, end);
}

}  // namespace

std::string display_file_name(std::string_view sent, MediaType type) {
  if (const std::size_t slash = sent.find_last_of("/\\"); slash != std::string_view::npos)
    sent = sent.substr(slash + 1);
  std::string name;
  for (char c : sent) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) continue;
    name.push_back(c);
  }
  const auto first = name.find_first_not_of(" .");
  name = first == std::string::npos ? std::string{} : name.substr(first);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (first_invalid_utf8(name) != std::string::npos) name.clear();
  constexpr std::size_t kMaxBytes = 120;
  std::string ext(extension_of(name));
  if (ext.empty() || ext.size() > 10) {
    ext = canonical_extension(type);
    if (!name.empty()) name += "." + ext;
  }
  if (name.empty()) return "datei." + ext;
  if (name.size() > kMaxBytes) {
    const std::size_t stem_bytes = name.size() - ext.size() - 1;
    name = std::string(utf8_prefix(name.substr(0, stem_bytes), kMaxBytes - ext.size() - 1)) + "." +
           ext;
  }
  return name;
}

std::expected<CheckedUpload, Refusal> check_upload(const http::UploadedFile& file, Accept accept) {
  Refusal refusal{.file_name =
                      http::excerpt_for_message(display_file_name(file.filename, MediaType::pdf))};
  // The name as the person knows it (without an appended extension) reads best in messages.
  if (!file.filename.empty()) refusal.file_name = http::excerpt_for_message(file.filename);
  auto refuse = [&](std::string_view key, std::string limit = {}) {
    refusal.key = std::string(key);
    refusal.limit = std::move(limit);
    return std::unexpected(refusal);
  };
  if (file.data.empty()) return refuse("files_error_empty");
  const std::size_t largest = accept == Accept::images ? kMaxImageBytes : kMaxPdfBytes;
  if (file.data.size() > largest) return refuse("files_error_too_large", megabytes(largest));

  const Claim claims[] = {claim_of_name(file.filename), claim_of_content_type(file.content_type)};
  auto sniffed = sniff(file.data);
  if (!sniffed) {
    switch (sniffed.error()) {
      case SniffError::damaged:
        return refuse("files_error_damaged");
      case SniffError::active_content:
        return refuse("files_error_pdf_active");
      case SniffError::uncheckable:
        return refuse("files_error_pdf_uncheckable");
      case SniffError::unknown:
        break;
    }
    for (const Claim& claim : claims)
      if (claim.kind == Claim::Kind::known) return refuse(not_that_key(claim.type));
    return refuse(accept == Accept::images ? "files_error_not_image" : "files_error_unsupported");
  }
  for (const Claim& claim : claims) {
    if (claim.kind == Claim::Kind::known && claim.type != sniffed->type)
      return refuse(not_that_key(claim.type));
    if (claim.kind == Claim::Kind::other) return refuse("files_error_mismatch");
  }
  if (accept == Accept::images && !is_image(sniffed->type)) return refuse("files_error_not_image");
  if (is_image(sniffed->type)) {
    if (file.data.size() > kMaxImageBytes)
      return refuse("files_error_too_large", megabytes(kMaxImageBytes));
    if (sniffed->width > kMaxImageSide || sniffed->height > kMaxImageSide)
      return refuse("files_error_dimensions",
                    std::to_string(kMaxImageSide) + " × " + std::to_string(kMaxImageSide));
  }
  return CheckedUpload{file.data, *sniffed, display_file_name(file.filename, sniffed->type)};
}

std::string describe(const Refusal& refusal, const web::Catalog& catalog, std::string_view lang) {
  std::string text = catalog.text(lang, refusal.key);
  for (auto [placeholder, value] :
       {std::pair<std::string_view, const std::string&>{"{file}", refusal.file_name},
        std::pair<std::string_view, const std::string&>{"{limit}", refusal.limit}}) {
    for (std::size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size()))
      text.replace(at, placeholder.size(), value);
  }
  return text;
}

}  // namespace ah::modules::files
