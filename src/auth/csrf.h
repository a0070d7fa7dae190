// CSRF defence for unsafe requests (POST, PUT, PATCH, DELETE).
//
// Synchronizer token pattern: each session row carries a random csrf_token (sessions.h).
// Pages embed it in every form as a hidden field and htmx sends it as the X-CSRF-Token
// header; an unsafe request passes only if the submitted token equals its session's.
//
// Anonymous forms (registration, login, a citizen's comment without account) use the
// same mechanism, not a separate double-submit cookie: every visitor who is shown a form
// gets an anonymous session (account_id NULL) with its own csrf_token. One mechanism is
// less to get wrong, the token is bound to server state a cross-site attacker cannot
// read or set, and login rotates both cookie and CSRF token (SessionStore::log_in), which
// also defeats login CSRF and session fixation. The cost is one row per visitor with a
// form, removed by SessionStore::purge_expired after the idle timeout; rate limits bound
// how fast anyone can create them.
//
//   if (auth::is_unsafe_method(request.method)) {
//     auto token = auth::submitted_csrf_token(request.header("X-CSRF-Token"), form["csrf"]);
//     AH_TRY_STATUS(auth::check_csrf(session ? session->csrf_token : "", token));
//   }
#pragma once

#include <string_view>

#include "base/error.h"

namespace ah::auth {

// Error::message code of check_csrf (code forbidden); the caller maps it to a page that
// asks the person to reload the form and send it again.
inline constexpr std::string_view kCsrfInvalid = "csrf_invalid";

// True for methods that may change state and need the check: every method except GET,
// HEAD, OPTIONS and TRACE (exact, upper-case, as HTTP defines method names).
bool is_unsafe_method(std::string_view method);

// The header wins when present and non-empty (htmx and API clients), otherwise the form
// field. Returns a view into one of the arguments.
std::string_view submitted_csrf_token(std::string_view header, std::string_view form_field);

// Success if `submitted` equals `session_csrf_token` (compared in constant time);
// forbidden with kCsrfInvalid otherwise, including when either is empty — no session
// (empty session token) never passes.
Status check_csrf(std::string_view session_csrf_token, std::string_view submitted);

}  // namespace ah::auth
