// For the meetings tests: reads an iCalendar text back with somebody else's parser,
// Debian's python3-icalendar, and returns what it understood as JSON:
//   {"calendar": {"VERSION": …, "PRODID": …, "METHOD": …, "X-WR-CALNAME": …},
//    "events": [{"uid", "summary", "start", "end" (Unix seconds), "status", "sequence",
//                "location", "description", "url"}]}
// Test code only (linked into ah_module_group_meetings_test).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "export/test_tools.h"

namespace ah::modules::meetings::testing {

// A python3 that imports icalendar (/usr/bin/python3 first), or nullopt.
std::optional<std::string> icalendar_python();
// What the parser read; the parser's complaint as {"error": …} when it refused the text.
nlohmann::json parse_ics(const std::string& python, const std::string& ics);

}  // namespace ah::modules::meetings::testing

// Skips the test, or fails it when AUGENHOEHE_REQUIRE_TOOLS is set, without the parser.
#define AH_REQUIRE_ICALENDAR(python)                                  \
  auto python = ::ah::modules::meetings::testing::icalendar_python(); \
  AH_REQUIRE_TOOL(python, "python3 with the icalendar module (Debian: python3-icalendar)")
