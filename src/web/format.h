// Numbers for people, by language: de "238.762" and "51,48"; en "238,762" and "51.48".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ah::web {

std::string format_integer(std::int64_t value, std::string_view lang);
std::string format_decimal(double value, int decimals, std::string_view lang);

}  // namespace ah::web
