#include "db/cursor.h"

#include <charconv>

namespace ah::db {

namespace {
constexpr char kHex[] = "0123456789abcdef";
constexpr char kSeparator = '\x1f';

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace

std::string encode_cursor(std::string_view key, std::int64_t id) {
  std::string raw = std::string(key) + kSeparator + std::to_string(id);
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

Result<CursorPosition> decode_cursor(std::string_view cursor) {
  auto invalid = [] { return fail(ErrorCode::invalid_input, "invalid cursor"); };
  if (cursor.size() % 2 != 0 || cursor.size() > 2048) return invalid();
  std::string raw;
  raw.reserve(cursor.size() / 2);
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    int hi = nibble(cursor[i]), lo = nibble(cursor[i + 1]);
    if (hi < 0 || lo < 0) return invalid();
    raw += static_cast<char>(hi * 16 + lo);
  }
  auto sep = raw.rfind(kSeparator);
  if (sep == std::string::npos) return invalid();
  std::int64_t id = 0;
  const char* begin = raw.data() + sep + 1;
  const char* end = raw.data() + raw.size();
  auto [stop, ec] = std::from_chars(begin, end, id);
  if (ec != std::errc() || stop != end || begin == end) return invalid();
  return CursorPosition{raw.substr(0, sep), id};
}

}  // namespace ah::db
