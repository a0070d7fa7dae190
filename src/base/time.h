// Time helpers. (GCC 12 has no <format>; these are the few formats we need.)
#pragma once

#include <chrono>
#include <string>

namespace ah {

// "2026-11-26T15:20:19.123Z"
std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace ah
