// Fuzzes urlencoded forms and parameterised header values (Content-Type and
// Content-Disposition) with arbitrary bytes.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "http/form.h"

using namespace ah::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto form = parse_form(input, {.max_fields = 32})) {
    FUZZ_CHECK(form->size() <= 32);
    for (const auto& [name, value] : form->entries())
      FUZZ_CHECK(!name.empty() && is_utf8_text(name) && is_utf8_text(value));
  } else {
    FUZZ_CHECK(is_utf8_text(form.error().message));
  }

  if (auto header = parse_parameterized_header(input)) {
    FUZZ_CHECK(!header->value.empty());
    for (const char c : header->value) FUZZ_CHECK(!std::isupper(static_cast<unsigned char>(c)));
    for (const auto& [name, value] : header->params.entries()) {
      FUZZ_CHECK(is_token(name));
      FUZZ_CHECK(header->params.all(name).size() == 1);
      FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
    }
  } else {
    FUZZ_CHECK(is_utf8_text(header.error().message));
  }
  return 0;
}
