// The accounts module: registration with email verification, login, logout, the own
// account page, and the session/CSRF layer every request passes.
//
//   GET/POST /konto/registrieren      register (display name may be a pseudonym)
//   GET      /konto/bestaetigen?token= verify the email address (link from the mail)
//   GET/POST /konto/anmelden          log in
//   POST     /konto/abmelden          log out
//   GET      /konto                   the own account
//   POST /api/v1/accounts, POST/DELETE /api/v1/session, GET /api/v1/me
//
// Migrations: 2000–2099 (auth: sessions, rate limits, API tokens), 3000–3099 (accounts).
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_accounts_module();

}  // namespace ah::modules
