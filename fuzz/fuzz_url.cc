// Fuzzes request-target parsing, percent-decoding and query strings with arbitrary bytes.
// Properties: a decoded path is always safe to route (see url.h), and error messages are
// always valid text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "http/url.h"

using namespace ah::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto target = parse_target(input)) {
    const std::string& path = target->path;
    FUZZ_CHECK(path.starts_with('/'));
    FUZZ_CHECK(is_utf8_text(path));
    FUZZ_CHECK(path.find_first_of("\r\n\t") == std::string::npos);
    FUZZ_CHECK(path.find("/../") == std::string::npos && !path.ends_with("/.."));
    FUZZ_CHECK(path.find("/./") == std::string::npos && !path.ends_with("/."));
    FUZZ_CHECK(target->query.size() < input.size());
    if (auto query = parse_query(target->query, 64)) {
      FUZZ_CHECK(query->size() <= 64);
      for (const auto& [name, value] : query->entries()) {
        FUZZ_CHECK(!name.empty() && is_utf8_text(name) && is_utf8_text(value));
        FUZZ_CHECK(query->has(name) && !query->all(name).empty());
      }
    } else {
      FUZZ_CHECK(is_utf8_text(query.error().message));
    }
  } else {
    FUZZ_CHECK(is_utf8_text(target.error().message));
  }

  const auto spaces = percent_decode(input, PlusMeans::space);
  const auto pluses = percent_decode(input, PlusMeans::plus);
  FUZZ_CHECK(spaces.has_value() == pluses.has_value());
  if (spaces) FUZZ_CHECK(spaces->size() <= input.size() && spaces->size() == pluses->size());

  const std::string excerpt = excerpt_for_message(input);
  FUZZ_CHECK(is_utf8_text(excerpt) && excerpt.size() <= 48);
  return 0;
}
