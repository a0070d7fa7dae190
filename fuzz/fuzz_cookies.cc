// Fuzzes Cookie header parsing and Set-Cookie building. Properties: parsed names are tokens
// and values hold no control characters; a Set-Cookie value that was built never contains
// CR, LF or an unintended ';', and reading its first pair back gives the cookie again.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "http/cookies.h"
#include "http/form.h"

using namespace ah::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string header(reinterpret_cast<const char*>(data), size);
  for (const auto& [name, value] : parse_cookies(header)) {
    FUZZ_CHECK(is_token(name));
    FUZZ_CHECK(value.find_first_of("\r\n;") == std::string::npos);
  }

  FuzzedDataProvider provider(data, size);
  SetCookie cookie;
  cookie.name = provider.ConsumeRandomLengthString(32);
  cookie.value = provider.ConsumeRandomLengthString(64);
  cookie.path = provider.ConsumeRandomLengthString(32);
  if (provider.ConsumeBool())
    cookie.max_age = std::chrono::seconds(provider.ConsumeIntegral<int>());
  cookie.http_only = provider.ConsumeBool();
  cookie.secure = provider.ConsumeBool();
  cookie.same_site = provider.PickValueInArray({SameSite::lax, SameSite::strict, SameSite::none});

  if (auto built = build_set_cookie(cookie)) {
    FUZZ_CHECK(built->find_first_of("\r\n") == std::string::npos);
    const std::string pair = built->substr(0, built->find(';'));
    FUZZ_CHECK(pair == cookie.name + "=" + cookie.value);
    const CookieMap read_back = parse_cookies(pair);
    FUZZ_CHECK(read_back.size() == 1 && read_back.begin()->first == cookie.name &&
               read_back.begin()->second == cookie.value);
  }
  return 0;
}
