#include "web/format.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace ah::web {

namespace {
std::string group_thousands(std::string digits, char separator) {
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), 1, separator);
  return digits;
}

// Unix seconds of 01:00 UTC on the last Sunday of `month` (3 or 10) in `year`.
std::int64_t last_sunday_0100_utc(int year, unsigned month) {
  using namespace std::chrono;
  sys_days last{
      year_month_day_last{std::chrono::year{year}, month_day_last{std::chrono::month{month}}}};
  last -= (weekday{last} - Sunday);
  return duration_cast<seconds>(last.time_since_epoch()).count() + 3600;
}
}  // namespace

std::string format_integer(std::int64_t value, std::string_view lang) {
  char separator = lang == "en" ? ',' : '.';
  std::string sign = value < 0 ? "-" : "";
  std::uint64_t magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
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

std::string format_datetime(std::int64_t unix_seconds, std::string_view lang) {
  using namespace std::chrono;
  int year =
      static_cast<int>(year_month_day{floor<days>(sys_seconds{seconds{unix_seconds}})}.year());
  bool summer = unix_seconds >= last_sunday_0100_utc(year, 3) &&
                unix_seconds < last_sunday_0100_utc(year, 10);
  sys_seconds local{seconds{unix_seconds + (summer ? 7200 : 3600)}};
  auto day = floor<days>(local);
  year_month_day date{day};
  hh_mm_ss time{local - day};
  char buf[64];
  std::snprintf(buf, sizeof buf,
                lang == "en" ? "%02u/%02u/%04d, %02d:%02d" : "%02u.%02u.%04d, %02d:%02d Uhr",
                static_cast<unsigned>(date.day()), static_cast<unsigned>(date.month()),
                static_cast<int>(date.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()));
  return buf;
}

}  // namespace ah::web
