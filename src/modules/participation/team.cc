#include "modules/participation/team.h"

#include "authz/memberships.h"
#include "http/form.h"
#include "http/url.h"
#include "web/api.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/notifications/notify.h"
#include "modules/participation/moderation.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/format.h"

namespace ah::modules::participation {
namespace {

using authz::SpaceRole;

std::string team_href(const Process& process) {
  return "/beteiligung/" + std::to_string(process.id) + "/team";
}

std::string role_label(const web::Catalog& c, std::string_view lang, SpaceRole role) {
  return c.text(lang, role == SpaceRole::owner ? "participation_team_role_owner"
                                               : "participation_team_role_moderator");
}

http::Response team_page(web::Services& s, const http::Request& r, const Process& process,
                         const web::FormState& form = {}, std::string_view done = {}) {
  const auto& c = s.view.catalog();
  auto members = authz::SpaceRoleStore(s.db).list("process", process.id);
  if (!members) return web::error_response(s.view, r, members.error());
  web::Data data = web::form_data(c, r.lang, form);
  data.set("process_title", process.title);
  data.set("process_href", "/beteiligung/" + std::to_string(process.id));
  data.set("org_name", process.org_name);
  data.set("action", team_href(process));
  web::Data people{web::Data::type::list};
  for (const auto& m : *members) {
    web::Data item{web::Data::type::object};
    item.set("account", std::to_string(m.account_id));
    item.set("name", m.display_name);
    item.set("role", role_label(c, r.lang, m.role));
    item.set("me", m.account_id == r.account_id);
    people.push_back(item);
  }
  data.set("people", people);
  data.set("has_people", !members->empty());
  const std::string chosen = form.values.contains("role") ? form.values.at("role") : "moderator";
  data.set("role_owner", chosen == "owner");
  if (!done.empty()) data.set("done", c.text(r.lang, std::string(done)));
  return render_page(s, r, "participation_team", std::move(data),
                        c.text(r.lang, "participation_team_heading") + " – " + process.title,
                        form.ok() ? 200 : 422);
}

// GET /beteiligung/{id}/team
http::Response team_get(web::Services& s, http::Request& r) {
  auto process =
      process_for(s, r, authz::Action::process_edit, "participation_error_not_editor");
  if (auto* refused = std::get_if<http::Response>(&process)) return std::move(*refused);
  return team_page(s, r, std::get<Process>(process));
}

// POST /beteiligung/{id}/team: action=add (email, role owner|moderator) or remove (account).
http::Response team_post(web::Services& s, http::Request& r) {
  const auto& c = s.view.catalog();
  auto found = process_for(s, r, authz::Action::process_edit, "participation_error_not_editor");
  if (auto* refused = std::get_if<http::Response>(&found)) return std::move(*refused);
  const auto& process = std::get<Process>(found);
  auto parsed = http::parse_form(r.body);
  if (!parsed) return web::error_response(s.view, r, 400);
  authz::SpaceRoleStore roles(s.db);
  const std::int64_t now = accounts::unix_now();
  if (parsed->get("action") == "remove") {
    auto account = web::parse_id(parsed->get("account"));
    if (!account) return web::error_response(s.view, r, 400);
    if (auto done = roles.revoke("process", process.id, *account); !done)
      return web::error_response(s.view, r, done.error());
    return http::Response::redirect(team_href(process) + "?erledigt=entfernt");
  }
  if (parsed->get("action") != "add") return web::error_response(s.view, r, 400);
  web::FormState form;
  const std::string email(parsed->get("email"));
  const std::string role_text(parsed->get("role"));
  form.values = {{"email", email}, {"role", role_text}};
  const SpaceRole role = role_text == "owner" ? SpaceRole::owner : SpaceRole::moderator;
  auto person = accounts::AccountStore(s.db).find_by_email(email);
  if (!person) return web::error_response(s.view, r, person.error());
  if (!*person || !(*person)->email_verified_at) {
    form.errors["email"] = "participation_error_team_unknown";
    return team_page(s, r, process, form);
  }
  auto memberships = authz::MembershipStore(s.db).list_for_account((*person)->id);
  if (!memberships) return web::error_response(s.view, r, memberships.error());
  if (std::none_of(memberships->begin(), memberships->end(), [](const authz::Membership& m) {
        return m.state == authz::MembershipState::active;
      })) {
    form.errors["email"] = "participation_error_team_not_staff";
    return team_page(s, r, process, form);
  }
  std::vector<std::int64_t> notices;
  auto done = s.db.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(
        authz::SpaceRoleStore::grant_in(tx, "process", process.id, (*person)->id, role, now));
    if ((*person)->id == r.account_id) return {};
    AH_TRY(n, notifications::notify(
                  s, tx,
                  {(*person)->id, std::string(kTeamNotice),
                   c.text("de", "participation_notice_team_title") + " „" + process.title + "“",
                   role_label(c, "de", role), "/beteiligung/" + std::to_string(process.id)}));
    notices.push_back(n);
    return {};
  });
  if (!done) return web::error_response(s.view, r, done.error());
  notifications::deliver(s, notices);
  return http::Response::redirect(team_href(process) + "?erledigt=hinzugefuegt");
}

}  // namespace

void register_team_routes(http::Router& router, web::Services& s) {
  router.add(http::Method::get, "/beteiligung/{id}/team", [&s](http::Request& r) {
    auto query = http::parse_query(r.query);
    std::string_view done = query ? query->get("erledigt") : std::string_view{};
    if (done.empty()) return team_get(s, r);
    auto process =
        process_for(s, r, authz::Action::process_edit, "participation_error_not_editor");
    if (auto* refused = std::get_if<http::Response>(&process)) return std::move(*refused);
    return team_page(s, r, std::get<Process>(process), {},
                     done == "entfernt" ? "participation_team_removed" : "participation_team_added");
  });
  router.add(http::Method::post, "/beteiligung/{id}/team",
             [&s](http::Request& r) { return team_post(s, r); });
}

}  // namespace ah::modules::participation
