#include "modules/groups/meetings/ical.h"

#include <chrono>
#include <cstdio>

namespace ah::modules::meetings::ical {

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        // Other control characters are not allowed in TEXT; they carry no meaning here.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
        out += c;
    }
  }
  return out;
}

std::string utc_stamp(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds{unix_seconds}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string fold(std::string_view line) {
  std::string out;
  std::size_t width = 0;  // octets on the current physical line
  for (std::size_t i = 0; i < line.size();) {
    // The octets of the UTF-8 sequence that starts at i (continuation bytes are 10xxxxxx).
    std::size_t len = 1;
    while (i + len < line.size() && (static_cast<unsigned char>(line[i + len]) & 0xC0) == 0x80)
      ++len;
    if (width + len > 75) {
      out += "\r\n ";
      width = 1;  // the leading space counts
    }
    out.append(line.substr(i, len));
    width += len;
    i += len;
  }
  out += "\r\n";
  return out;
}

std::string calendar(const std::vector<Event>& events, std::string_view name) {
  std::string out;
  auto line = [&out](std::string_view name, std::string_view value) {
    out += fold(std::string(name) + ":" + std::string(value));
  };
  line("BEGIN", "VCALENDAR");
  line("VERSION", "2.0");
  line("PRODID", "-//augenhoehe//Arbeitsgruppen//DE");
  line("CALSCALE", "GREGORIAN");
  line("METHOD", "PUBLISH");
  if (!name.empty()) line("X-WR-CALNAME", escape_text(name));
  for (const auto& e : events) {
    line("BEGIN", "VEVENT");
    line("UID", e.uid);
    line("DTSTAMP", utc_stamp(e.stamp));
    line("DTSTART", utc_stamp(e.start));
    line("DTEND", utc_stamp(e.end));
    line("SEQUENCE", std::to_string(e.sequence));
    line("SUMMARY", escape_text(e.summary));
    if (!e.location.empty()) line("LOCATION", escape_text(e.location));
    if (!e.url.empty()) line("URL", e.url);
    if (!e.description.empty()) line("DESCRIPTION", escape_text(e.description));
    line("STATUS", e.cancelled ? "CANCELLED" : "CONFIRMED");
    line("END", "VEVENT");
  }
  line("END", "VCALENDAR");
  return out;
}

}  // namespace ah::modules::meetings::ical
