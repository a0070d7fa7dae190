// What every page and API handler of the Konsultationen needs first: may this reader see the
// consultation, is the reader its author, for which organisations may the reader speak.
//
// Reading: an "intern" consultation is for staff of any organisation (and whoever has a role
// in it); "lesbar" and "oeffentlich" ones are for everyone. An unreadable one is a 404, so
// its existence is not revealed.
// Authoring (edit, rounds, reminders, the Abwägung): authz consultation.edit /
// consultation.answer on the consultation's space, owned by the author organisation — that
// organisation's admins and the space's owners (its creator), nobody because of a type.
// Speaking for an organisation (comments, Stellungnahme): the organisation is a recipient
// and the reader may statement.draft (release: statement.release) for it — its active staff.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "authz/memberships.h"
#include "http/message.h"
#include "modules/consultations/store.h"
#include "web/module.h"

namespace ah::modules::consultations {

inline constexpr std::string_view kSpaceKind = "consultation";

std::string consultation_href(std::int64_t id);  // "/konsultationen/7"
authz::Target space_of(const Consultation& c);

Result<bool> may_read(web::Services& s, const http::Request& r, const Consultation& c);
// The consultation named by the path parameter {id} if the reader may read it; else the
// answer (404 for none or unreadable, 400 for a malformed id).
std::expected<Consultation, http::Response> readable_consultation(web::Services& s,
                                                                  const http::Request& r);
// Whether the reader may do `action` (consultation_edit or consultation_answer) on it.
Result<bool> is_author(web::Services& s, const http::Request& r, const Consultation& c,
                       authz::Action action = authz::Action::consultation_edit);

// For the author's pages and forms on the consultation named by {id}: the consultation,
// when the reader is signed in, may read it and may do `action`; else the answer (the
// login, 404, or 403 saying that only its authors may).
std::expected<Consultation, http::Response> acting_as_author(
    web::Services& s, const http::Request& r,
    authz::Action action = authz::Action::consultation_edit);

// An organisation the reader may speak for in this consultation.
struct Voice {
  std::int64_t org_id = 0;
  std::string name;
  bool may_release = false;
};
// The recipients the reader is active staff of (statement.draft), by name.
Result<std::vector<Voice>> voices(web::Services& s, const http::Request& r, const Consultation& c);

// A page of the Konsultationen: title, CSRF token, navigation mark; revalidated by caches.
http::Response page(web::Services& s, const http::Request& r, std::string_view name,
                    web::Data data, const std::string& title, int status = 200);

}  // namespace ah::modules::consultations
