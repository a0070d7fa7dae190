#include "modules/groups/meetings/ical_check.h"

#include <filesystem>

#include "export/test_tools.h"

namespace ah::modules::meetings::testing {

namespace {

constexpr const char* kReader = R"(
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = {'calendar': {}, 'events': []}
for key in ('VERSION', 'PRODID', 'METHOD', 'CALSCALE', 'X-WR-CALNAME'):
    if cal.get(key) is not None:
        out['calendar'][key] = str(cal.get(key))
for e in cal.walk('VEVENT'):
    out['events'].append({
        'uid': str(e['UID']), 'summary': str(e['SUMMARY']),
        'start': int(e.decoded('DTSTART').timestamp()),
        'end': int(e.decoded('DTEND').timestamp()),
        'status': str(e.get('STATUS', '')), 'sequence': int(e.get('SEQUENCE', 0)),
        'location': str(e.get('LOCATION', '')), 'description': str(e.get('DESCRIPTION', '')),
        'url': str(e.get('URL', ''))})
print(json.dumps(out))
)";

}  // namespace

std::optional<std::string> icalendar_python() { return exports::testing::python_with("icalendar"); }

nlohmann::json parse_ics(const std::string& python, const std::string& ics) {
  const auto dir = exports::testing::fresh_directory();
  const auto file = dir / "calendar.ics";
  exports::testing::write_file(file, ics);
  auto result = exports::testing::run({python, "-c", kReader, file.string()});
  std::filesystem::remove_all(dir);
  if (!result) return {{"error", "python3 did not start"}};
  if (result->status != 0) return {{"error", "the parser refused the calendar"}};
  auto parsed = nlohmann::json::parse(result->output, nullptr, false);
  if (parsed.is_discarded()) return {{"error", "no JSON from the parser: " + result->output}};
  return parsed;
}

}  // namespace ah::modules::meetings::testing
