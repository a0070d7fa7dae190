// Error responses a person can act on: an HTML page in their language, or under /api/ a
// JSON problem detail (RFC 9457, application/problem+json). Never a stack trace or SQL.
//
//   return web::error_response(view, request, 404);
//   return web::error_response(view, request, 400, "Die AGS muss 8 Ziffern haben.");
#pragma once

#include <string_view>

#include "base/error.h"
#include "http/message.h"
#include "web/view.h"

namespace ah::web {

// The status for an ErrorCode (invalid_input -> 400, not_found -> 404, ...).
int status_for(ErrorCode code);

// `detail` replaces the standard message for that status when not empty; it must already
// be in the request's language.
http::Response error_response(const View& view, const http::Request& request, int status,
                              std::string_view detail = {});

// For handlers that got an Error: maps its code to a status; internal errors show the
// standard message only (the detail goes to the log, not to the client).
http::Response error_response(const View& view, const http::Request& request, const Error& error);

}  // namespace ah::web
