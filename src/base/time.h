// Time helpers. (GCC 12 has no <format>; these are the few formats we need.)
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ah {

// "2026-11-26T15:20:19.123Z"
std::string iso8601_utc(std::chrono::system_clock::time_point t);
// "2026-11-26T15:20:19Z" for unix seconds (the JSON API's timestamps, RFC 3339).
std::string rfc3339_utc(std::int64_t unix_seconds);
// Unix seconds of an RFC 3339 timestamp: "2026-12-01T09:00:00Z", "2026-12-01T10:00:00+01:00",
// fractions of a second are accepted and dropped. nullopt for anything else (including
// dates that do not exist, like 2026-02-30).
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace ah
