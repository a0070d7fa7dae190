// A small PNG encoder (8-bit RGB, no interlace, zlib from the system): enough to make the
// demo's cover images and test pictures in code instead of shipping binary files.
//
//   std::string png = files::encode_png(320, 180, [](int x, int y) { return Rgb{...}; });
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace ah::modules::files {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

// A complete PNG file of `width` × `height` pixels coloured by `pixel(x, y)`.
std::string encode_png(int width, int height, const std::function<Rgb(int x, int y)>& pixel);

}  // namespace ah::modules::files
