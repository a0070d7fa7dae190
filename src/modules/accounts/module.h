// The accounts module: registration with email verification, login, logout, the own
// account page (change of email, API tokens, data export, erasure), password reset, and the
// session/CSRF/API-token layer every request passes.
//
//   GET/POST /konto/registrieren      register (display name may be a pseudonym)
//   GET      /konto/bestaetigen?token= verify the email address (link from the mail)
//   GET/POST /konto/anmelden          log in
//   POST     /konto/abmelden          log out
//   GET      /konto                   the own account
//   POST     /konto/email             ask for a new address (link to it, notice to the old)
//   GET/POST /konto/email-bestaetigen?token= confirm it: the address changes, other sessions end
//   GET/POST /konto/tokens            personal API tokens: list, create (shown once)
//   POST     /konto/tokens/{id}/widerrufen revoke one
//   GET      /konto/daten, POST /konto/loeschen, /konto/passwort-vergessen, /konto/passwort-neu
//   POST /api/v1/accounts, POST/DELETE /api/v1/session, GET /api/v1/me,
//   GET/POST /api/v1/tokens, DELETE /api/v1/tokens/{id}
//
// Migrations: 2000–2099 (auth: sessions, rate limits, API tokens), 3000–3099 (accounts).
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_accounts_module();

}  // namespace ah::modules
