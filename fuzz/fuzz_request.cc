// Fuzzes a whole request as the server reads it: Beast's parser with the server's limits
// (16 KiB header, 1 MiB body, chunked or not), then our target, query, cookie, form and
// multipart parsing of what it accepted. Anything the parser accepts must be safe for the
// rest of the pipeline; anything it refuses must be refused with an error, not a crash.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "http/cookies.h"
#include "http/form.h"
#include "http/multipart.h"
#include "http/url.h"

namespace bhttp = boost::beast::http;
using namespace ah::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  // Feed in two pieces, as a network would, to exercise resumption. Like Beast's own read
  // loop, bytes the parser did not consume stay in front of the next piece.
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string buffer;
  for (std::string_view piece : {input.substr(0, size / 2), input.substr(size / 2)}) {
    buffer.append(piece);
    while (!buffer.empty() && !parser.is_done()) {
      std::size_t used = parser.put(boost::asio::buffer(buffer.data(), buffer.size()), ec);
      buffer.erase(0, used);
      if (ec == bhttp::error::need_more) {
        ec = {};
        break;
      }
      if (ec || used == 0) break;
    }
    if (ec || parser.is_done()) break;
  }
  if (!ec && !parser.is_done() && parser.is_header_done() && parser.need_eof()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;

  const auto& message = parser.get();
  FUZZ_CHECK(message.body().size() <= 1024 * 1024);
  std::string_view target(message.target().data(), message.target().size());
  if (auto parsed = parse_target(target)) {
    FUZZ_CHECK(!parsed->path.empty() && parsed->path.front() == '/');
    FUZZ_CHECK(parsed->path.find('\0') == std::string::npos);
    (void)parse_query(parsed->query);
  }
  auto cookie = message[bhttp::field::cookie];
  (void)parse_cookies(std::string_view(cookie.data(), cookie.size()));
  auto type_field = message[bhttp::field::content_type];
  std::string_view type(type_field.data(), type_field.size());
  if (is_urlencoded_form(type)) (void)parse_form(message.body());
  if (type.find("multipart/") != std::string_view::npos)
    (void)parse_multipart(type, message.body(), {.max_parts = 20, .max_file_size = 64 * 1024});
  return 0;
}
