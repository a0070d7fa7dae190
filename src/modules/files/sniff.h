// What a file really is, read from its bytes alone — never from its name or the type a
// browser declared for it.
//
//   auto sniffed = files::sniff(bytes);
//   if (!sniffed) ... sniffed.error() is SniffError::unknown, damaged, active_content, …
//   else if (sniffed->type == MediaType::png) ... sniffed->width, sniffed->height
//
// Recognised, each checked as a whole rather than by its first bytes only:
// - PNG: the signature, an IHDR chunk first (its width and height), a walk over every
//   chunk's length that must end exactly with IEND. A file cut off anywhere is damaged.
// - JPEG: SOI, the segments up to a frame header (SOF0–SOF15 without DHT/JPG/DAC) for the
//   dimensions, and an EOI marker after it.
// - WebP: RIFF….WEBP with a RIFF size the bytes hold, and a VP8, VP8L or VP8X chunk
//   (dimensions from whichever it is).
// - PDF: "%PDF-1.x" or "%PDF-2.0" at the very start and "%%EOF" in the last 1024 bytes.
//   A PDF with active content is refused (SniffError::active_content): the names
//   /JavaScript, /JS, /Launch, /EmbeddedFile(s), /RichMedia, found in the file or in any of
//   its Flate-compressed streams (object streams hide dictionaries there), also when
//   spelled with #xx escapes. Inflating stops at kMaxInflatedPdfBytes in total
//   (SniffError::uncheckable), so a compression bomb cannot exhaust memory.
// Everything else — SVG, HTML, ZIP, executables, GIF, text — is SniffError::unknown.
// The cost is linear in the size of the bytes (plus the bounded inflation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>

namespace ah::modules::files {

enum class MediaType { png, jpeg, webp, pdf };

// "image/png", "image/jpeg", "image/webp", "application/pdf".
std::string_view media_type_name(MediaType type);
// "png", "jpg", "webp", "pdf": the extension a stored file's name gets when it has none.
std::string_view canonical_extension(MediaType type);
// The inverse of media_type_name, also accepting image/jpg and image/pjpeg; nullopt for
// anything else.
std::optional<MediaType> media_type_from_name(std::string_view name);
bool is_image(MediaType type);

enum class SniffError {
  unknown,         // not one of the types above
  damaged,         // starts like one of them but is cut off or broken
  active_content,  // a PDF that can run code or carries other files
  uncheckable,     // a PDF whose compressed streams exceed what we inflate to check them
};

struct Sniffed {
  MediaType type = MediaType::pdf;
  std::int64_t width = 0, height = 0;  // pixels; 0 for PDFs
};

inline constexpr std::size_t kMaxInflatedPdfBytes = 64 * 1024 * 1024;

std::expected<Sniffed, SniffError> sniff(std::string_view bytes);

}  // namespace ah::modules::files
