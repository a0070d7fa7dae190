#include "modules/consultations/access.h"

#include "modules/groups/access.h"
#include "web/api.h"
#include "web/errors.h"

namespace ah::modules::consultations {

std::string consultation_href(std::int64_t id) { return "/konsultationen/" + std::to_string(id); }

authz::Target space_of(const Consultation& c) {
  return authz::Target::space(std::string(kSpaceKind), c.id, c.author_org_id.value_or(0));
}

Result<bool> may_read(web::Services& s, const http::Request& r, const Consultation& c) {
  if (c.openness != Openness::internal) return true;
  AH_TRY(roles, authz::Authorizer(s.db).roles(r.account_id, space_of(c)));
  return roles.staff || roles.space != authz::SpaceRole::none;
}

std::expected<Consultation, http::Response> readable_consultation(web::Services& s,
                                                                  const http::Request& r) {
  auto id = web::parse_id(r.param("id"));
  if (!id) return std::unexpected(web::error_response(s.view, r, 404));
  auto found = ConsultationStore(s.db).find(*id);
  if (!found) return std::unexpected(groups::refusal(s, r, found.error()));
  auto readable = may_read(s, r, *found);
  if (!readable) return std::unexpected(groups::refusal(s, r, readable.error()));
  if (!*readable) return std::unexpected(web::error_response(s.view, r, 404));
  return std::move(*found);
}

Result<bool> is_author(web::Services& s, const http::Request& r, const Consultation& c,
                       authz::Action action) {
  return authz::Authorizer(s.db).can(r.account_id, action, space_of(c));
}

std::expected<Consultation, http::Response> acting_as_author(web::Services& s,
                                                             const http::Request& r,
                                                             authz::Action action) {
  if (r.account_id == 0) return std::unexpected(http::Response::redirect("/konto/anmelden"));
  auto c = readable_consultation(s, r);
  if (!c) return c;
  auto author = is_author(s, r, *c, action);
  if (!author) return std::unexpected(groups::refusal(s, r, author.error()));
  if (!*author)
    return std::unexpected(web::error_response(
        s.view, r, 403, s.view.catalog().text(r.lang, "consultations_error_not_author")));
  return c;
}

Result<std::vector<Voice>> voices(web::Services& s, const http::Request& r,
                                  const Consultation& c) {
  std::vector<Voice> out;
  if (r.account_id == 0) return out;
  AH_TRY(memberships, authz::MembershipStore(s.db).list_for_account(r.account_id));
  std::vector<std::int64_t> orgs;
  for (const auto& m : memberships)
    if (m.state == authz::MembershipState::active) orgs.push_back(m.org_id);
  AH_TRY(addressed, ConsultationStore(s.db).recipients_among(c.id, orgs));
  authz::Authorizer authorizer(s.db);
  for (auto org : addressed) {
    auto target = authz::Target::organisation(org);
    AH_TRY(draft, authorizer.can(r.account_id, authz::Action::statement_draft, target));
    if (!draft) continue;
    AH_TRY(release, authorizer.can(r.account_id, authz::Action::statement_release, target));
    for (const auto& m : memberships)
      if (m.org_id == org) {
        out.push_back({org, m.org_name, release});
        break;
      }
  }
  return out;
}

http::Response page(web::Services& s, const http::Request& r, std::string_view name,
                    web::Data data, const std::string& title, int status) {
  data.set("title", title);
  data.set("csrf", r.csrf_token);
  data.set("nav_consultations", true);
  auto response = http::Response::html(s.view.render(name, data, r), status);
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

}  // namespace ah::modules::consultations
