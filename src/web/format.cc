#include "web/format.h"

#include <cmath>
#include <cstdio>

namespace ah::web {

namespace {
std::string group_thousands(std::string digits, char separator) {
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), 1, separator);
  return digits;
}
}  // namespace

std::string format_integer(std::int64_t value, std::string_view lang) {
  char separator = lang == "en" ? ',' : '.';
  std::string sign = value < 0 ? "-" : "";
  std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  return sign + group_thousands(std::to_string(magnitude), separator);
}

std::string format_decimal(double value, int decimals, std::string_view lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string text = buf;
  if (lang != "en") {
    for (char& c : text)
      if (c == '.') c = ',';
  }
  return text;
}

}  // namespace ah::web
