// AccessLog: one JSON object a line per finished request.
//
// Privacy by default: no client IP address, no query string (it may carry personal data),
// no cookies, no user agent. Fields: time (UTC, ISO 8601), request id, method, route
// pattern, path, status, response bytes and duration in milliseconds.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "http/message.h"

namespace ah::http {

class AccessLog {
 public:
  // Writes to `out` (not owned); nullptr disables logging.
  explicit AccessLog(std::FILE* out) : out_(out) {}
  void write(const Request& request, const Response& response, double seconds);
  // The JSON line without newline, exposed for tests.
  static std::string format(const Request& request, const Response& response, double seconds);

 private:
  std::FILE* out_;
  std::mutex mutex_;
};

}  // namespace ah::http
