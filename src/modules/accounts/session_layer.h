// SessionLayer: who is asking, and is this unsafe request really theirs.
//
// before():
// - the cookie "ah_session" names a live session (auth/sessions.h): account_id,
//   csrf_token and session_token of the Request are filled;
// - "Authorization: Bearer ah_…" names a personal API token (auth/api_tokens.h) instead
//   (account_id and api_token_id are filled; the use is recorded in token_uses(), not
//   written on the request's path); the token must carry the scope the method
//   needs (auth::required_scope: "write" for unsafe methods, "read" for the others), else
//   the request ends with 403;
// - an unsafe request (POST, PUT, PATCH, DELETE) that carries the session cookie, or that
//   is not for the API, must carry the session's CSRF token in the X-CSRF-Token header or
//   the form field "csrf"; otherwise it ends with 403 and a message asking to reload the
//   form. API calls without a cookie (token or anonymous) need none: a browser cannot be
//   tricked into sending credentials it does not have.
// after(): when the handler created, rotated or ended the session (session_changed), the
//   cookie is set anew (HttpOnly, SameSite=Lax, Secure under https) or deleted.
//
// Pages that show a form call ensure_session() first, so that an anonymous visitor gets a
// session (and a CSRF token) only when there is a form to protect.
#pragma once

#include "auth/api_tokens.h"
#include "auth/sessions.h"
#include "http/layer.h"
#include "web/view.h"

namespace ah::modules::accounts {

inline constexpr std::string_view kSessionCookie = "ah_session";

// Unix seconds now; the one clock of this module (tests pass their own times to stores).
std::int64_t unix_now();

class SessionLayer : public http::Layer {
 public:
  SessionLayer(db::Database& db, const web::View& view, bool https)
      : db_(db), view_(view), https_(https) {}

  std::optional<http::Response> before(http::Request& request) override;
  void after(const http::Request& request, http::Response& response) override;

  // Gives an anonymous visitor a session (and so a CSRF token) if they have none.
  Status ensure_session(http::Request& request);
  // Binds the request's session to `account_id` with a new token (or a new session).
  Status log_in(http::Request& request, std::int64_t account_id);
  // Ends the request's session.
  Status log_out(http::Request& request);

  // When API tokens were last used; the module's periodic job writes them.
  auth::ApiTokenUses& token_uses() { return token_uses_; }

 private:
  db::Database& db_;
  const web::View& view_;
  bool https_;
  auth::ApiTokenUses token_uses_;
};

}  // namespace ah::modules::accounts
