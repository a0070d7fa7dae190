#include "modules/accounts/session_layer.h"

#include <chrono>

#include "auth/api_tokens.h"
#include "auth/csrf.h"
#include "http/cookies.h"
#include "http/form.h"
#include "http/multipart.h"
#include "modules/accounts/store.h"
#include "web/errors.h"

namespace ah::modules::accounts {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// The "csrf" field of an urlencoded or multipart/form-data body (forms with file
// uploads); "" for anything else.
std::string form_csrf_field(const http::Request& request) {
  const std::string_view content_type = request.headers.get("Content-Type");
  if (!http::is_urlencoded_form(content_type))
    return http::multipart_text_field(content_type, request.body, "csrf");
  auto form = http::parse_form(request.body);
  return form ? std::string(form->get("csrf")) : std::string{};
}

}  // namespace

std::optional<http::Response> SessionLayer::before(http::Request& request) {
  const std::int64_t now = unix_now();
  auto cookies = http::parse_cookies(request.headers.get("Cookie"));
  auto cookie = cookies.find(kSessionCookie);
  bool has_cookie = cookie != cookies.end() && !cookie->second.empty();
  if (has_cookie) {
    auth::SessionStore sessions(db_);
    auto session = sessions.find(cookie->second, now);
    if (!session) return web::error_response(view_, request, session.error());
    if (*session) {
      request.session_token = cookie->second;
      request.csrf_token = (*session)->csrf_token;
      request.account_id = (*session)->account_id.value_or(0);
    }
  }
  if (request.account_id != 0) {
    auto account = AccountStore(db_).find(request.account_id);
    if (!account) return web::error_response(view_, request, account.error());
    if (*account) request.account_name = (*account)->display_name;
  }

  std::string_view authorization = request.headers.get("Authorization");
  if (authorization.starts_with("Bearer ")) {
    auth::ApiTokenStore tokens(db_);
    auto principal = tokens.authenticate(authorization.substr(7), now, token_uses_);
    if (!principal) return web::error_response(view_, request, principal.error());
    if (!*principal) {
      auto response = web::error_response(view_, request, 401);
      response.headers.set("WWW-Authenticate", "Bearer");
      return response;
    }
    request.account_id = (*principal)->account_id;
    request.api_token_id = (*principal)->token_id;
    std::string_view needed = auth::required_scope(http::to_string(request.method));
    if (!(*principal)->has_scope(needed)) {
      return web::error_response(
          view_, request, 403,
          view_.catalog().text(request.lang, needed == auth::kScopeWrite
                                                 ? "accounts_tokens_error_scope_write"
                                                 : "accounts_tokens_error_scope_read"));
    }
    return std::nullopt;  // a token is not sent by browsers on their own: no CSRF check
  }

  if (!auth::is_unsafe_method(http::to_string(request.method))) return std::nullopt;
  if (!has_cookie && request.is_api()) return std::nullopt;
  std::string field = form_csrf_field(request);
  auto submitted = auth::submitted_csrf_token(request.headers.get("X-CSRF-Token"), field);
  if (auto checked = auth::check_csrf(request.csrf_token, submitted); !checked) {
    return web::error_response(view_, request, 403,
                               view_.catalog().text(request.lang, "accounts_error_csrf"));
  }
  return std::nullopt;
}

void SessionLayer::after(const http::Request& request, http::Response& response) {
  // A signed-in person's pages carry their name and the logout form's CSRF token in the
  // account menu: no cache may keep them.
  if (request.account_id != 0) response.headers.set("Cache-Control", "no-store");
  if (!request.session_changed) return;
  auth::SessionStore sessions(db_);
  http::SetCookie cookie{.name = std::string(kSessionCookie),
                         .value = request.session_token,
                         .max_age = request.session_token.empty()
                                        ? std::chrono::seconds(0)
                                        : sessions.policy().absolute_timeout,
                         .http_only = true,
                         .secure = https_,
                         .same_site = http::SameSite::lax};
  if (auto header = http::build_set_cookie(cookie)) response.headers.add("Set-Cookie", *header);
  // A page that carries a session's CSRF token must not be stored by shared caches.
  response.headers.set("Cache-Control", "no-store");
}

Status SessionLayer::ensure_session(http::Request& request) {
  if (!request.session_token.empty()) return {};
  auth::SessionStore sessions(db_);
  AH_TRY(created, sessions.create(std::nullopt, unix_now()));
  request.session_token = created.token;
  request.csrf_token = created.session.csrf_token;
  request.session_changed = true;
  return {};
}

Status SessionLayer::log_in(http::Request& request, std::int64_t account_id) {
  auth::SessionStore sessions(db_);
  auto now = unix_now();
  Result<auth::NewSession> next = fail(ErrorCode::not_found, "no session");
  if (!request.session_token.empty())
    next = sessions.log_in(request.session_token, account_id, now);
  if (!next && next.error().code == ErrorCode::not_found) next = sessions.create(account_id, now);
  if (!next) return std::unexpected(next.error());
  request.session_token = next->token;
  request.csrf_token = next->session.csrf_token;
  request.account_id = account_id;
  request.session_changed = true;
  return {};
}

Status SessionLayer::log_out(http::Request& request) {
  if (!request.session_token.empty())
    AH_TRY_STATUS(auth::SessionStore(db_).destroy(request.session_token));
  request.session_token.clear();
  request.csrf_token.clear();
  request.account_id = 0;
  request.session_changed = true;
  return {};
}

}  // namespace ah::modules::accounts
