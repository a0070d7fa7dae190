// iCalendar (RFC 5545) for meetings: a VCALENDAR of VEVENTs that calendar apps import or
// subscribe to. Times are written in UTC ("…Z"), which every client converts to its own
// zone, so no VTIMEZONE is needed and Berlin's summer time cannot be got wrong here.
//
//   ical::Event e{.uid = "meeting-7@beteiligung.example", .stamp = now, .start = t0,
//                 .end = t1, .summary = "Treffen der AG", .sequence = 2};
//   std::string body = ical::calendar({e}, "AG Digitale Beteiligung");  // CRLF lines
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ah::modules::meetings::ical {

struct Event {
  std::string uid;         // stable across updates: clients replace the event by it
  std::int64_t stamp = 0;  // DTSTAMP: when this copy was made (Unix seconds)
  std::int64_t start = 0, end = 0;
  std::string summary;
  std::string location;     // may be empty
  std::string url;          // absolute; may be empty
  std::string description;  // plain text; may be empty
  std::int64_t sequence = 0;
  bool cancelled = false;
};

// A TEXT value with "\", ";", "," and line breaks escaped (RFC 5545 3.3.11); CR LF, CR
// and LF all become "\n".
std::string escape_text(std::string_view text);
// "20261201T090000Z"
std::string utc_stamp(std::int64_t unix_seconds);
// One content line folded at 75 octets (RFC 5545 3.1): CRLF and a space before each
// continuation, never inside a UTF-8 sequence. Ends with CRLF.
std::string fold(std::string_view line);
// The whole calendar (METHOD:PUBLISH); `name` becomes X-WR-CALNAME when not empty.
std::string calendar(const std::vector<Event>& events, std::string_view name = {});

inline constexpr std::string_view kContentType = "text/calendar; charset=utf-8";

}  // namespace ah::modules::meetings::ical
