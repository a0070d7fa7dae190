#include "modules/members/module.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "authz/memberships.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/notifications/notify.h"
#include "modules/orgs/store.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/format.h"

namespace ah::modules {

namespace {

using authz::Action;
using authz::Membership;
using authz::MembershipState;
using authz::MembershipStore;
using authz::OrgRole;
using orgs::Organisation;
using web::parse_id;

// What a redirect after a change may announce (?done=KEY or ?error=KEY); anything else in
// the query is ignored, so a crafted link cannot put arbitrary text on the page.
constexpr std::string_view kNotices[] = {"requested", "withdrawn", "left",   "confirmed",
                                         "declined",  "admin",     "member", "removed"};
constexpr std::string_view kProblems[] = {"last_admin", "already_member", "already_requested",
                                          "gone"};

std::string members_path(const Organisation& org) {
  return "/organisationen/" + org.key() + "/mitglieder";
}

std::string role_label(const web::Catalog& c, std::string_view lang, OrgRole role) {
  return c.text(lang, role == OrgRole::admin ? "members_role_admin" : "members_role_member");
}

// The redirect after a change: ?done=KEY on success; for the expected refusals
// (last_admin, …) ?error=KEY; anything else is a real error page.
http::Response after_change(web::Services& s, const http::Request& r, const Organisation& org,
                            const Status& done, std::string_view notice) {
  if (done) return http::Response::redirect(members_path(org) + "?done=" + std::string(notice));
  const Error& e = done.error();
  if (e.code == ErrorCode::conflict) {
    for (auto problem : kProblems)
      if (e.message == problem)
        return http::Response::redirect(members_path(org) + "?error=" + e.message);
  }
  if (e.code == ErrorCode::not_found)
    return http::Response::redirect(members_path(org) + "?error=gone");
  return web::error_response(s.view, r, e);
}

// The organisation named in the path; a Kreis key of a kreisfreie Stadt finds the Stadt.
Result<Organisation> organisation(web::Services& s, const http::Request& r) {
  return orgs::OrgStore(s.db).find(r.param("ags"));
}

class MembersModule : public web::Module {
 public:
  std::string_view name() const override { return "members"; }

  std::vector<db::Migration> migrations() const override { return authz::authz_migrations(); }

  std::vector<web::NoticeKind> notice_kinds() const override {
    return {
        {"members.request_received", "members_notice_request_received", web::Delivery::immediate},
        {"members.request_decided", "members_notice_request_decided", web::Delivery::immediate}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    router.add(http::Method::get, "/organisationen/{ags}/mitglieder",
               [&s](http::Request& r) { return members_page(s, r); });
    router.add(http::Method::post, "/organisationen/{ags}/mitglieder/antrag",
               [&s](http::Request& r) { return request_membership(s, r); });
    router.add(http::Method::post, "/organisationen/{ags}/mitglieder/austritt",
               [&s](http::Request& r) { return leave(s, r); });
    router.add(http::Method::post, "/organisationen/{ags}/mitglieder/{account}",
               [&s](http::Request& r) { return manage(s, r); });
    router.add(http::Method::get, "/konto/organisationen",
               [&s](http::Request& r) { return my_page(s, r); });
  }

  Result<nlohmann::json> export_personal_data(web::Services& s,
                                              std::int64_t account_id) const override {
    AH_TRY(mine, MembershipStore(s.db).list_for_account(account_id));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : mine) {
      out.push_back(
          {{"organisation", m.org_name},
           {"organisation_key", m.org_key},
           {"role", authz::to_string(m.role)},
           {"state", m.state == MembershipState::active ? "active" : "requested"},
           {"requested_at", m.requested_at},
           {"decided_at", m.decided_at ? nlohmann::json(*m.decided_at) : nlohmann::json(nullptr)}});
    }
    return nlohmann::json{{"memberships", out}};
  }

  // The demo people's organisations: staff of Lutherstadt Wittenberg (member), staff of
  // the Land (admin of the Land) and the admin of Kemberg. The citizen belongs to none.
  Status seed_demo(web::Services& s) override {
    struct Demo {
      const char* email;
      const char* org;
      OrgRole role;
    };
    const Demo demos[] = {
        {"wittenberg@demo.augenhoehe.invalid", "15091375", OrgRole::member},
        {"land@demo.augenhoehe.invalid", "15", OrgRole::admin},
        {"gemeinde-admin@demo.augenhoehe.invalid", "15091160", OrgRole::admin},
    };
    for (const auto& d : demos) {
      AH_TRY(account, accounts::AccountStore(s.db).find_by_email(d.email));
      if (!account) continue;  // the accounts module seeds them; nothing to do without
      AH_TRY(org, orgs::OrgStore(s.db).find(d.org));
      AH_TRY_STATUS(MembershipStore(s.db).put(org.id, account->id, d.role, accounts::unix_now()));
    }
    return {};
  }

 private:
  static http::Response render(web::Services& s, const http::Request& r, std::string_view page,
                               web::Data data, const std::string& title) {
    data.set("title", title);
    data.set("csrf", r.csrf_token);
    data.set("nav_organisations", true);
    auto response = http::Response::html(s.view.render(page, data, r));
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // GET /organisationen/{ags}/mitglieder
  static http::Response members_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto org = organisation(s, r);
    if (!org) return web::error_response(s.view, r, org.error());
    if (org->key() != r.param("ags")) return http::Response::redirect(members_path(*org), 301);
    MembershipStore store(s.db);
    auto all = store.list_for_org(org->id);
    if (!all) return web::error_response(s.view, r, all.error());
    auto can_manage = authz::Authorizer(s.db).can(r.account_id, Action::org_members_manage,
                                                  authz::Target::organisation(org->id));
    if (!can_manage) return web::error_response(s.view, r, can_manage.error());

    web::Data data{web::Data::type::object};
    data.set("org_name", org->name);
    data.set("org_href", "/organisationen/" + org->key());
    data.set("action_base", members_path(*org));
    data.set("signed_in", r.account_id != 0);
    data.set("can_manage", *can_manage);
    data.set("login_href", "/konto/anmelden");

    web::Data admins{web::Data::type::list}, members{web::Data::type::list},
        requests{web::Data::type::list};
    std::int64_t active = 0, admin_count = 0;
    std::optional<Membership> mine;
    for (const auto& m : *all) {
      if (m.account_id == r.account_id) mine = m;
      if (m.state == MembershipState::requested) {
        if (!*can_manage) continue;
        web::Data item{web::Data::type::object};
        item.set("name", m.display_name);
        item.set("account", std::to_string(m.account_id));
        item.set("since", web::format_date(m.requested_at, r.lang));
        requests.push_back(item);
        continue;
      }
      ++active;
      if (m.role == OrgRole::admin) ++admin_count;
      web::Data item{web::Data::type::object};
      item.set("name", m.display_name);
      item.set("account", std::to_string(m.account_id));
      item.set("role", role_label(c, r.lang, m.role));
      item.set("is_admin", m.role == OrgRole::admin);
      item.set("is_me", m.account_id == r.account_id);
      (m.role == OrgRole::admin ? admins : members).push_back(item);
    }
    // Names are for signed-in people; the public sees how many.
    if (r.account_id != 0) {
      data.set("admins", admins);
      data.set("members", members);
      data.set("has_admins", admin_count > 0);
      data.set("has_members", active > admin_count);
    }
    data.set("member_count", web::format_integer(active, r.lang));
    data.set("requests", requests);
    data.set("has_requests", !requests.is_empty_list());
    data.set("no_admin", admin_count == 0);
    if (mine) {
      data.set(mine->state == MembershipState::active ? "me_member" : "me_requested", true);
      data.set("my_role", role_label(c, r.lang, mine->role));
    } else if (r.account_id != 0) {
      data.set("me_outside", true);
    }
    if (auto query = http::parse_query(r.query)) {
      for (auto notice : kNotices)
        if (query->get("done") == notice)
          data.set("notice", c.text(r.lang, "members_done_" + std::string(notice)));
      for (auto problem : kProblems)
        if (query->get("error") == problem)
          data.set("problem", c.text(r.lang, "members_error_" + std::string(problem)));
    }
    return render(s, r, "members_org", std::move(data), c.text(r.lang, "members_heading") + ": " + org->name);
  }

  // POST /organisationen/{ags}/mitglieder/antrag: the signed-in person asks to join.
  static http::Response request_membership(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto org = organisation(s, r);
    if (!org) return web::error_response(s.view, r, org.error());
    auto done = MembershipStore(s.db).request(org->id, r.account_id, accounts::unix_now());
    if (done) tell_admins(s, *org, r.account_name);
    return after_change(s, r, *org, done, "requested");
  }

  // POST /organisationen/{ags}/mitglieder/austritt: withdraws the request or leaves.
  static http::Response leave(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto org = organisation(s, r);
    if (!org) return web::error_response(s.view, r, org.error());
    MembershipStore store(s.db);
    auto mine = store.find(org->id, r.account_id);
    if (!mine) return web::error_response(s.view, r, mine.error());
    bool was_request = *mine && (*mine)->state == MembershipState::requested;
    return after_change(s, r, *org, store.remove(org->id, r.account_id),
                        was_request ? "withdrawn" : "left");
  }

  // POST /organisationen/{ags}/mitglieder/{account} with action = confirm, decline, admin,
  // member or remove: an admin's decision about someone's membership.
  static http::Response manage(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto org = organisation(s, r);
    if (!org) return web::error_response(s.view, r, org.error());
    auto allowed = authz::Authorizer(s.db).can(r.account_id, Action::org_members_manage,
                                               authz::Target::organisation(org->id));
    if (!allowed) return web::error_response(s.view, r, allowed.error());
    if (!*allowed)
      return web::error_response(s.view, r, 403, c.text(r.lang, "members_error_not_admin"));
    auto account = parse_id(r.param("account"));
    auto form = http::parse_form(r.body);
    if (!account || !form) return web::error_response(s.view, r, 400);
    std::string action(form->get("action"));
    MembershipStore store(s.db);
    auto now = accounts::unix_now();
    if (action == "confirm" || action == "decline") {
      bool confirm = action == "confirm";
      auto done = store.decide(org->id, *account, confirm, r.account_id, now);
      if (done) tell_requester(s, *org, *account, confirm);
      return after_change(s, r, *org, done, confirm ? "confirmed" : "declined");
    }
    if (action == "admin" || action == "member")
      return after_change(
          s, r, *org,
          store.set_role(org->id, *account, action == "admin" ? OrgRole::admin : OrgRole::member),
          action);
    if (action == "remove")
      return after_change(s, r, *org, store.remove(org->id, *account), "removed");
    return web::error_response(s.view, r, 400, c.text(r.lang, "members_error_action"));
  }

  // GET /konto/organisationen: the person's memberships and open requests.
  static http::Response my_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto mine = MembershipStore(s.db).list_for_account(r.account_id);
    if (!mine) return web::error_response(s.view, r, mine.error());
    web::Data list{web::Data::type::list};
    for (const auto& m : *mine) {
      web::Data item{web::Data::type::object};
      item.set("name", m.org_name);
      item.set("href", "/organisationen/" + m.org_key + "/mitglieder");
      item.set("status", m.state == MembershipState::active
                             ? role_label(c, r.lang, m.role)
                             : c.text(r.lang, "members_status_requested"));
      list.push_back(item);
    }
    web::Data data{web::Data::type::object};
    data.set("memberships", list);
    data.set("has_memberships", !mine->empty());
    auto response = render(s, r, "members_mine", data, c.text(r.lang, "members_mine_heading"));
    return response;
  }

  // Tells every admin of the organisation that someone asks to join (in German, the
  // platform's language: an admin's own choice is not stored yet).
  static void tell_admins(web::Services& s, const Organisation& org, const std::string& who) {
    const auto& c = s.view.catalog();
    auto admins = MembershipStore(s.db).admins(org.id);
    if (!admins) {
      spdlog::error("admins of organisation {} not read: {}", org.id, admins.error().detail);
      return;
    }
    for (auto id : *admins)
      notify(s, {.account_id = id,
                 .kind = "members.request_received",
                 .title = c.text("de", "members_mail_request_subject") + " " + org.name,
                 .text = who + " " + c.text("de", "members_mail_request_text"),
                 .link = members_path(org)});
  }

  static void tell_requester(web::Services& s, const Organisation& org, std::int64_t account_id,
                             bool confirmed) {
    const auto& c = s.view.catalog();
    std::string key = confirmed ? "members_mail_confirmed" : "members_mail_declined";
    notify(s, {.account_id = account_id,
               .kind = "members.request_decided",
               .title = c.text("de", key + "_subject") + " " + org.name,
               .text = c.text("de", key + "_text"),
               .link = members_path(org)});
  }

  // The decision is stored already: a notice that cannot be stored is logged, not shown.
  static void notify(web::Services& s, const notifications::Notice& notice) {
    if (auto done = notifications::notify(s, notice); !done)
      spdlog::error("notice {} for account {} not stored: {} ({})", notice.kind, notice.account_id,
                    done.error().message, done.error().detail);
  }
};

}  // namespace

std::unique_ptr<web::Module> make_members_module() { return std::make_unique<MembersModule>(); }

}  // namespace ah::modules
