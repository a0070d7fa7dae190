// Fuzzes multipart/form-data parsing. The input's first line is the Content-Type, the rest
// the body; the rest is also parsed as a body with the fixed boundary "XyZ", so that the
// fuzzer reaches part parsing without having to invent a matching boundary first.
// Properties: the limits hold, every successful parse only returns text where text is
// promised, and errors carry valid text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "http/multipart.h"

using namespace ah::http;
using ah::Result;

namespace {

constexpr MultipartLimits limits{.max_parts = 8, .max_file_size = 256, .max_field_size = 128};

void check(const Result<MultipartForm>& form, std::string_view body) {
  if (!form) {
    FUZZ_CHECK(is_utf8_text(form.error().message));
    return;
  }
  FUZZ_CHECK(form->fields.size() + form->files.size() <= limits.max_parts);
  std::size_t total = 0;
  for (const auto& [name, value] : form->fields.entries()) {
    FUZZ_CHECK(!name.empty() && is_utf8_text(name) && is_utf8_text(value));
    FUZZ_CHECK(value.size() <= limits.max_field_size);
    total += value.size();
  }
  for (const UploadedFile& file : form->files) {
    FUZZ_CHECK(!file.name.empty() && is_utf8_text(file.name) && is_utf8_text(file.filename));
    FUZZ_CHECK(!file.content_type.empty());
    FUZZ_CHECK(file.data.size() <= limits.max_file_size);
    FUZZ_CHECK(form->file(file.name) != nullptr);
    total += file.data.size();
  }
  FUZZ_CHECK(total <= body.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view content_type = input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);

  check(parse_multipart(content_type, body, limits), body);
  check(parse_multipart_body(body, "XyZ", limits), body);
  return 0;
}
