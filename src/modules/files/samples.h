// Test files made in code: small but complete files of every kind uploads accept, and the
// lies and damage they must refuse. For tests only (ah_module_files_samples).
#pragma once

#include <string>
#include <string_view>

namespace ah::modules::files::samples {

// A real PNG (decodable by any browser) of a colour gradient.
std::string png(int width = 4, int height = 3);
// A baseline JPEG's segment structure: SOI, APP0 (JFIF), DQT, SOF0 with the dimensions,
// DHT, SOS, a few bytes of scan data, EOI.
std::string jpeg(int width = 4, int height = 3);
// WebP files with a lossless (VP8L), lossy (VP8) or extended (VP8X) first chunk.
std::string webp_lossless(int width = 4, int height = 3);
std::string webp_lossy(int width = 4, int height = 3);
std::string webp_extended(int width = 4, int height = 3);
// A one-page PDF with a correct cross-reference table; `extra_object` (e.g.
// "<< /S /JavaScript /JS (app.alert(1)) >>") is added as object 4 and named as the
// catalogue's /OpenAction when not empty.
std::string pdf(std::string_view extra_object = {});
// A PDF whose only dictionary with /JavaScript sits in a Flate-compressed object stream.
std::string pdf_with_compressed_javascript();
// An HTML page with a script.
std::string html();

}  // namespace ah::modules::files::samples
