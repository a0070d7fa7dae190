// Numbers and times for people, by language: de "238.762" and "51,48"; en "238,762" and
// "51.48". Times are shown as the clock in Sachsen-Anhalt reads (Europe/Berlin).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ah::web {

std::string format_integer(std::int64_t value, std::string_view lang);
std::string format_decimal(double value, int decimals, std::string_view lang);

// A moment (unix seconds) in Europe/Berlin time: de "26.11.2026, 16:20 Uhr", en
// "26/11/2026, 16:20". Central European Time, summer time (UTC+2) from the last Sunday of
// March 01:00 UTC to the last Sunday of October 01:00 UTC, the EU rule since 1996; GCC 12
// has no time zone database, and this one rule is all the platform needs.
std::string format_datetime(std::int64_t unix_seconds, std::string_view lang);

}  // namespace ah::web
