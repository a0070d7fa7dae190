#include "http/access_log.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "base/time.h"

namespace ah::http {

std::string AccessLog::format(const Request& request, const Response& response,
                              double seconds) {
  nlohmann::json line = {
      {"time", iso8601_utc(std::chrono::system_clock::now())},
      {"request_id", request.request_id},
      {"method", std::string(to_string(request.method))},
      {"route", request.route},
      {"path", request.path},
      {"status", response.status},
      {"bytes", response.body.size()},
      {"ms", std::round(seconds * 100000.0) / 100.0},
  };
  // Invalid UTF-8 in a path must not make the log line itself invalid.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AccessLog::write(const Request& request, const Response& response, double seconds) {
  if (!out_) return;
  std::string line = format(request, response, seconds);
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace ah::http
