#include "web/format.h"

#include <charconv>
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

BerlinTime berlin_time(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds{unix_seconds}};
  const year y = year_month_day{floor<days>(t)}.year();
  // Both switches happen at 01:00 UTC on the last Sunday of their month.
  const sys_seconds summer_starts = sys_days{y / March / Sunday[last]} + hours{1};
  const sys_seconds summer_ends = sys_days{y / October / Sunday[last]} + hours{1};
  const bool summer = t >= summer_starts && t < summer_ends;
  const sys_seconds local = t + hours{summer ? 2 : 1};
  const sys_days day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  return {static_cast<int>(ymd.year()),
          static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(hms.hours().count()),
          static_cast<int>(hms.minutes().count()),
          summer};
}

std::optional<std::int64_t> berlin_midnight(std::string_view date) {
  using namespace std::chrono;
  int y = 0;
  unsigned m = 0, d = 0;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  auto number = [&date](std::size_t pos, std::size_t len, auto& out) {
    auto [end, ec] = std::from_chars(date.data() + pos, date.data() + pos + len, out);
    return ec == std::errc() && end == date.data() + pos + len;
  };
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return std::nullopt;
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return std::nullopt;
  const std::int64_t utc_midnight = sys_days{ymd}.time_since_epoch().count() * 86400;
  // Midnight in Berlin is 23:00 or 22:00 UTC the day before; summer time never switches
  // near midnight, so the offset at the UTC candidate decides.
  const std::int64_t winter = utc_midnight - 3600;
  return berlin_time(winter).summer ? utc_midnight - 7200 : winter;
}

std::optional<std::int64_t> berlin_local_time(std::string_view date, std::string_view time) {
  auto midnight = berlin_midnight(date);
  int hour = 0, minute = 0;
  if (!midnight || time.size() != 5 || time[2] != ':') return std::nullopt;
  auto h = std::from_chars(time.data(), time.data() + 2, hour);
  auto m = std::from_chars(time.data() + 3, time.data() + 5, minute);
  if (h.ec != std::errc() || h.ptr != time.data() + 2 || m.ec != std::errc() ||
      m.ptr != time.data() + 5 || hour > 23 || minute > 59)
    return std::nullopt;
  // Midnight's offset first; on the two days a year the offset changes before the time,
  // the hour gained or lost is put right.
  std::int64_t guess = *midnight + hour * 3600 + minute * 60;
  const bool summer_at_midnight = berlin_time(*midnight).summer;
  if (berlin_time(guess).summer != summer_at_midnight) guess += summer_at_midnight ? 3600 : -3600;
  return guess;
}

std::string berlin_time_value(std::int64_t unix_seconds) {
  const BerlinTime b = berlin_time(unix_seconds);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", b.hour, b.minute);
  return buf;
}

std::string berlin_date_value(std::int64_t unix_seconds) {
  const BerlinTime b = berlin_time(unix_seconds);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", b.year, b.month, b.day);
  return buf;
}

std::string format_date(std::int64_t unix_seconds, std::string_view lang) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const BerlinTime b = berlin_time(unix_seconds);
  char buf[32];
  if (lang == "en")
    std::snprintf(buf, sizeof buf, "%d %s %d", b.day, kMonths[b.month - 1], b.year);
  else
    std::snprintf(buf, sizeof buf, "%02d.%02d.%d", b.day, b.month, b.year);
  return buf;
}

std::string format_date_time(std::int64_t unix_seconds, std::string_view lang) {
  const BerlinTime b = berlin_time(unix_seconds);
  char clock[16];
  std::snprintf(clock, sizeof clock, "%02d:%02d", b.hour, b.minute);
  return format_date(unix_seconds, lang) + ", " + clock + (lang == "en" ? "" : " Uhr");
}

std::string author_name(const Catalog& catalog, std::string_view lang,
                        const std::optional<std::string>& display_name) {
  if (display_name) return *display_name;
  return catalog.text(lang, "deleted_account");
}

}  // namespace ah::web
