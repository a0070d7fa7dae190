#include "modules/files/sniff.h"

#include <zlib.h>

#include <array>
#include <string>

namespace ah::modules::files {

namespace {

using Failure = std::unexpected<SniffError>;

std::uint32_t byte_at(std::string_view b, std::size_t i) {
  return static_cast<unsigned char>(b[i]);
}

std::uint32_t be16(std::string_view b, std::size_t i) {
  return byte_at(b, i) << 8 | byte_at(b, i + 1);
}
std::uint32_t be32(std::string_view b, std::size_t i) { return be16(b, i) << 16 | be16(b, i + 2); }
std::uint32_t le16(std::string_view b, std::size_t i) {
  return byte_at(b, i) | byte_at(b, i + 1) << 8;
}
std::uint32_t le24(std::string_view b, std::size_t i) {
  return le16(b, i) | byte_at(b, i + 2) << 16;
}
std::uint32_t le32(std::string_view b, std::size_t i) {
  return le24(b, i) | byte_at(b, i + 3) << 24;
}

std::expected<Sniffed, SniffError> sniff_png(std::string_view b) {
  Sniffed out{.type = MediaType::png};
  std::size_t pos = 8;
  bool first = true;
  // Every chunk is length (4), type (4), data (length), CRC (4); IEND must close the file.
  while (pos + 12 <= b.size()) {
    const std::uint64_t length = be32(b, pos);
    if (length > 0x7FFFFFFF || pos + 12 + length > b.size()) return Failure(SniffError::damaged);
    const std::string_view type = b.substr(pos + 4, 4);
    if (first) {
      if (type != "IHDR" || length != 13) return Failure(SniffError::damaged);
      out.width = be32(b, pos + 8);
      out.height = be32(b, pos + 12);
      if (out.width == 0 || out.height == 0) return Failure(SniffError::damaged);
      first = false;
    }
    pos += 12 + length;
    if (type == "IEND") {
      // Bytes after IEND would make the file something else as well (a polyglot).
      if (pos != b.size()) return Failure(SniffError::damaged);
      return out;
    }
  }
  return Failure(SniffError::damaged);
}

bool is_frame_header(std::uint32_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::expected<Sniffed, SniffError> sniff_jpeg(std::string_view b) {
  Sniffed out{.type = MediaType::jpeg};
  std::size_t pos = 2;  // after SOI
  while (true) {
    if (pos >= b.size() || byte_at(b, pos) != 0xFF) return Failure(SniffError::damaged);
    while (pos < b.size() && byte_at(b, pos) == 0xFF) ++pos;  // fill bytes
    if (pos >= b.size()) return Failure(SniffError::damaged);
    const std::uint32_t marker = byte_at(b, pos++);
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;  // no length
    // An image ends or its scan starts before any frame header: nothing to show.
    if (marker == 0xD9 || marker == 0xDA || marker == 0x00) return Failure(SniffError::damaged);
    if (pos + 2 > b.size()) return Failure(SniffError::damaged);
    const std::size_t length = be16(b, pos);
    if (length < 2 || pos + length > b.size()) return Failure(SniffError::damaged);
    if (is_frame_header(marker)) {
      if (length < 7) return Failure(SniffError::damaged);
      out.height = be16(b, pos + 3);
      out.width = be16(b, pos + 5);
      // Height 0 means "defined later" (DNL), which no browser shows reliably.
      if (out.width == 0 || out.height == 0) return Failure(SniffError::damaged);
      const std::size_t eoi = b.rfind("\xFF\xD9");
      if (eoi == std::string_view::npos || eoi < pos + length) return Failure(SniffError::damaged);
      return out;
    }
    pos += length;
  }
}

std::expected<Sniffed, SniffError> sniff_webp(std::string_view b) {
  Sniffed out{.type = MediaType::webp};
  const std::uint64_t riff_size = le32(b, 4);
  if (riff_size < 4 || riff_size + 8 > b.size() || b.size() < 30)
    return Failure(SniffError::damaged);
  const std::string_view chunk = b.substr(12, 4);
  const std::uint64_t length = le32(b, 16);
  if (20 + length > b.size()) return Failure(SniffError::damaged);
  if (chunk == "VP8 ") {
    // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
    if (length < 10 || b.substr(23, 3) != "\x9D\x01\x2A") return Failure(SniffError::damaged);
    out.width = le16(b, 26) & 0x3FFF;
    out.height = le16(b, 28) & 0x3FFF;
  } else if (chunk == "VP8L") {
    // Signature 0x2F, then width-1 and height-1 in 14 bits each.
    if (length < 5 || byte_at(b, 20) != 0x2F) return Failure(SniffError::damaged);
    const std::uint32_t bits = le32(b, 21);
    out.width = (bits & 0x3FFF) + 1;
    out.height = ((bits >> 14) & 0x3FFF) + 1;
  } else if (chunk == "VP8X") {
    // Flags (1), reserved (3), canvas width-1 and height-1 in 24 bits each.
    if (length < 10) return Failure(SniffError::damaged);
    out.width = static_cast<std::int64_t>(le24(b, 24)) + 1;
    out.height = static_cast<std::int64_t>(le24(b, 27)) + 1;
  } else {
    return Failure(SniffError::damaged);
  }
  if (out.width == 0 || out.height == 0) return Failure(SniffError::damaged);
  return out;
}

bool is_pdf_delimiter(char c) {
  constexpr std::string_view delimiters = std::string_view("\0\t\n\f\r ()<>[]{}/%", 17);
  return delimiters.find(c) != std::string_view::npos;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// True when `text` contains a PDF name that makes a document active. Names are compared
// after decoding #xx escapes (PDF 1.2+), so /J#61vaScript counts as /JavaScript.
bool has_active_name(std::string_view text) {
  static constexpr std::array<std::string_view, 6> active = {
      "JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia"};
  std::string name;
  for (std::size_t pos = text.find('/'); pos != std::string_view::npos; pos = text.find('/', pos)) {
    ++pos;
    name.clear();
    while (pos < text.size() && !is_pdf_delimiter(text[pos]) && name.size() <= 16) {
      if (text[pos] == '#' && pos + 2 < text.size() && hex_value(text[pos + 1]) >= 0 &&
          hex_value(text[pos + 2]) >= 0) {
        name.push_back(static_cast<char>(hex_value(text[pos + 1]) * 16 + hex_value(text[pos + 2])));
        pos += 3;
      } else {
        name.push_back(text[pos++]);
      }
    }
    for (std::string_view a : active)
      if (name == a) return true;
  }
  return false;
}

enum class Inflated { ok, not_deflate, over_budget };

// Inflates `data` (zlib) into `out`, taking at most `budget` bytes of output, which it
// reduces by what it used. Data that is not zlib, or breaks off, yields what came so far.
Inflated inflate_stream(std::string_view data, std::string& out, std::size_t& budget) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return Inflated::not_deflate;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::array<char, 16384> chunk{};
  Inflated result = Inflated::ok;
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = chunk.size();
    const int rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t produced = chunk.size() - z.avail_out;
    if (produced > budget) {
      result = Inflated::over_budget;
      break;
    }
    budget -= produced;
    out.append(chunk.data(), produced);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) {
      if (out.empty()) result = Inflated::not_deflate;
      break;
    }
    if (produced == 0 && z.avail_in == 0) break;
  }
  inflateEnd(&z);
  return result;
}

std::expected<Sniffed, SniffError> sniff_pdf(std::string_view b) {
  const bool version_ok =
      (b.starts_with("%PDF-1.") && b.size() > 7 && b[7] >= '0' && b[7] <= '9') ||
      b.starts_with("%PDF-2.0");
  if (!version_ok) return Failure(SniffError::damaged);
  const std::size_t tail = b.size() > 1024 ? b.size() - 1024 : 0;
  if (b.find("%%EOF", tail) == std::string_view::npos) return Failure(SniffError::damaged);
  if (has_active_name(b)) return Failure(SniffError::active_content);
  // Dictionaries inside compressed object streams are invisible above: inflate every
  // stream that inflates and look again.
  std::size_t budget = kMaxInflatedPdfBytes;
  std::string inflated;
  for (std::size_t pos = b.find("stream"); pos != std::string_view::npos;
       pos = b.find("stream", pos)) {
    const bool is_end = pos >= 3 && b.substr(pos - 3, 3) == "end";
    pos += 6;
    if (is_end) continue;
    if (b.substr(pos, 2) == "\r\n") {
      pos += 2;
    } else if (pos < b.size() && b[pos] == '\n') {
      pos += 1;
    } else {
      continue;  // the word inside some other text
    }
    const std::size_t end = b.find("endstream", pos);
    const std::string_view data = b.substr(pos, end == std::string_view::npos ? b.npos : end - pos);
    inflated.clear();
    if (inflate_stream(data, inflated, budget) == Inflated::over_budget)
      return Failure(SniffError::uncheckable);
    if (has_active_name(inflated)) return Failure(SniffError::active_content);
    if (end == std::string_view::npos) break;
    pos = end + 9;
  }
  return Sniffed{.type = MediaType::pdf};
}

}  // namespace

std::string_view media_type_name(MediaType type) {
  switch (type) {
    case MediaType::png:
      return "image/png";
    case MediaType::jpeg:
      return "image/jpeg";
    case MediaType::webp:
      return "image/webp";
    case MediaType::pdf:
      return "application/pdf";
  }
  return "application/octet-stream";
}

std::string_view canonical_extension(MediaType type) {
  switch (type) {
    case MediaType::png:
      return "png";
    case MediaType::jpeg:
      return "jpg";
    case MediaType::webp:
      return "webp";
    case MediaType::pdf:
      return "pdf";
  }
  return "bin";
}

std::optional<MediaType> media_type_from_name(std::string_view name) {
  if (name == "image/png") return MediaType::png;
  if (name == "image/jpeg" || name == "image/jpg" || name == "image/pjpeg") return MediaType::jpeg;
  if (name == "image/webp") return MediaType::webp;
  if (name == "application/pdf") return MediaType::pdf;
  return std::nullopt;
}

bool is_image(MediaType type) { return type != MediaType::pdf; }

std::expected<Sniffed, SniffError> sniff(std::string_view bytes) {
  if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return sniff_png(bytes);
  if (bytes.starts_with("\xFF\xD8\xFF")) return sniff_jpeg(bytes);
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP")
    return sniff_webp(bytes);
  if (bytes.starts_with("%PDF-")) return sniff_pdf(bytes);
  return Failure(SniffError::unknown);
}

}  // namespace ah::modules::files
