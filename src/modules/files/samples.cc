#include "modules/files/samples.h"

#include <zlib.h>

#include <cstdio>
#include <vector>

#include "modules/files/png.h"

namespace ah::modules::files::samples {

namespace {

std::string le(std::uint32_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}

std::string be16(int v) {
  return {static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
}

std::string riff(std::string_view chunk, const std::string& payload) {
  std::string body = "WEBP" + std::string(chunk) + le(payload.size(), 4) + payload;
  if (payload.size() % 2) body.push_back('\0');
  return "RIFF" + le(body.size(), 4) + body;
}

std::string deflate(std::string_view text) {
  uLongf size = compressBound(text.size());
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(text.data()), text.size(), 9);
  out.resize(size);
  return out;
}

// Objects numbered from 1, with the cross-reference table their offsets need.
std::string pdf_of(const std::vector<std::string>& objects, std::string_view header = "%PDF-1.7") {
  std::string out = std::string(header) + "\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace

std::string png(int width, int height) {
  return encode_png(width, height, [&](int x, int y) {
    return Rgb{static_cast<std::uint8_t>(255 * x / std::max(1, width - 1)),
               static_cast<std::uint8_t>(255 * y / std::max(1, height - 1)), 128};
  });
}

std::string jpeg(int width, int height) {
  std::string out = "\xFF\xD8";
  out +=
      std::string("\xFF\xE0", 2) + be16(16) + std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14);
  out += std::string("\xFF\xDB", 2) + be16(67) + std::string(1, '\0') + std::string(64, '\x01');
  out += std::string("\xFF\xC0", 2) + be16(11) + "\x08" + be16(height) + be16(width) +
         std::string("\x01\x01\x11\x00", 4);
  out += std::string("\xFF\xC4", 2) + be16(20) + std::string("\x00\x01", 2) +
         std::string(15, '\0') + std::string("\x00", 1);
  out += std::string("\xFF\xDA", 2) + be16(8) + std::string("\x01\x01\x00\x00\x3F\x00", 6);
  out += std::string("\x12\x34\x56\x78", 4);
  out += "\xFF\xD9";
  return out;
}

std::string webp_lossless(int width, int height) {
  const std::uint32_t bits =
      static_cast<std::uint32_t>(width - 1) | static_cast<std::uint32_t>(height - 1) << 14;
  return riff("VP8L", "\x2F" + le(bits, 4) + std::string(4, '\0'));
}

std::string webp_lossy(int width, int height) {
  return riff("VP8 ", std::string("\x30\x01\x00\x9D\x01\x2A", 6) + le(width, 2) + le(height, 2) +
                          std::string(8, '\0'));
}

std::string webp_extended(int width, int height) {
  return riff("VP8X", std::string(4, '\0') + le(width - 1, 3) + le(height - 1, 3));
}

std::string pdf(std::string_view extra_object) {
  std::vector<std::string> objects = {extra_object.empty()
                                          ? "<< /Type /Catalog /Pages 2 0 R >>"
                                          : "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                                      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"};
  if (!extra_object.empty()) objects.emplace_back(extra_object);
  return pdf_of(objects);
}

std::string pdf_with_compressed_javascript() {
  const std::string packed = deflate("4 0 << /S /JavaScript /JS (app.alert(1)) >>");
  return pdf_of({"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                 "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
                 "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length " +
                     std::to_string(packed.size()) + " >>\nstream\n" + packed + "\nendstream"},
                "%PDF-1.5");
}

std::string html() {
  return "<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";
}

}  // namespace ah::modules::files::samples
