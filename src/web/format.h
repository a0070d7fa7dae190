// Numbers, dates and times for people, by language: de "238.762" and "51,48"; en "238,762"
// and "51.48"; times always in Europe/Berlin, where the platform's people are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "web/i18n.h"

namespace ah::web {

std::string format_integer(std::int64_t value, std::string_view lang);
std::string format_decimal(double value, int decimals, std::string_view lang);

// Wall-clock time in Europe/Berlin: CET (UTC+1), and CEST (UTC+2) from the last Sunday of
// March 01:00 UTC to the last Sunday of October 01:00 UTC (the EU rule since 1996). Kept
// here rather than read from tzdata so that every machine shows the same times.
struct BerlinTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0;
  bool summer = false;  // CEST
};
BerlinTime berlin_time(std::int64_t unix_seconds);
// The Unix time of 00:00 in Berlin on a date typed as "YYYY-MM-DD" (an <input type=date>);
// nullopt for anything else or a date that does not exist.
std::optional<std::int64_t> berlin_midnight(std::string_view date);
// The Unix time of a Berlin wall-clock time typed as a date "YYYY-MM-DD" and a time "HH:MM"
// (<input type=date> and <input type=time>); nullopt for anything else. A time that
// does not exist (skipped when summer time begins) is taken as an hour earlier; one that
// occurs twice (when it ends) as the first, in summer time.
std::optional<std::int64_t> berlin_local_time(std::string_view date, std::string_view time);
// "HH:MM" of the Berlin time of a Unix time (the value of an <input type=time>).
std::string berlin_time_value(std::int64_t unix_seconds);
// "YYYY-MM-DD" of the Berlin date of a Unix time (the value of an <input type=date>).
std::string berlin_date_value(std::int64_t unix_seconds);

// de "26.11.2026", en "26 Nov 2026".
std::string format_date(std::int64_t unix_seconds, std::string_view lang);
// de "26.11.2026, 23:18 Uhr", en "26 Nov 2026, 23:18".
std::string format_date_time(std::int64_t unix_seconds, std::string_view lang);

// Who wrote a public contribution: their display name, or "gelöschtes Konto" ("deleted
// account") when the account was erased and the author column became NULL.
std::string author_name(const Catalog& catalog, std::string_view lang,
                        const std::optional<std::string>& display_name);

}  // namespace ah::web
