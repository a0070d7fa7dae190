#include "modules/groups/module.h"

#include <nlohmann/json.hpp>
#include <set>

#include "authz/memberships.h"
#include "base/time.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/accounts/submissions.h"
#include "http/multipart.h"
#include "modules/files/module.h"
#include "modules/groups/access.h"
#include "modules/groups/store.h"
#include "modules/notifications/notify.h"
#include "modules/notifications/store.h"
#include "modules/orgs/store.h"
#include "search/index.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/format.h"
#include "web/openapi.h"
#include "web/rich_text.h"

namespace ah::modules {

namespace {

using groups::acting_on_group;
using groups::can;
using groups::cursor_json;
using groups::Group;
using groups::group_href;
using groups::invalid;
using groups::joined;
using groups::refusal;
using groups::refused;
using groups::render;
using groups::role_of;
using groups::space_of;
using groups::thread_href;
using groups::readable_group;
using groups::visible_group;
using groups::GroupStore;
using groups::ThreadStore;
using nlohmann::json;
using web::json_response;
using web::parse_id;
using web::string_field;

constexpr int kGroupsPerPage = 20;
constexpr int kThreadsPerPage = 20;
constexpr int kPostsPerPage = 50;
// Posts carry up to this many attachments (images, PDFs); the body limit of the forms
// that send them makes room for exactly that.
constexpr int kPostAttachments = 3;
constexpr std::size_t kPostBodyLimit = kPostAttachments * files::kMaxPdfBytes + 1024 * 1024;
constexpr std::string_view kPostFiles = "group_post";
constexpr std::size_t kMaxJoinMessage = 1'000;

std::string visibility_label_key(groups::Visibility v) {
  return "groups_visibility_" + std::string(groups::to_string(v));
}

std::string role_label_key(authz::SpaceRole role) {
  return "groups_role_" + std::string(authz::to_string(role));
}

json group_json(const Group& g) {
  return {{"id", g.id},
          {"name", g.name},
          {"description", g.description},
          {"visibility", groups::to_string(g.visibility)},
          {"joining", groups::to_string(g.joining)},
          {"decision_results", g.results_after_close ? "after_close" : "after_vote"},
          {"member_count", g.member_count},
          {"url", group_href(g.id)},
          {"created_at", rfc3339_utc(g.created_at)}};
}

// What the DSGVO export holds of a person, table by table: a name, the query (its one
// parameter is the account) and the names of its columns.
const std::vector<groups::ExportedTable> kExportedTables = {
    {"memberships",
     "SELECT g.id, g.name, r.role, r.granted_at FROM space_roles r"
     " JOIN work_groups g ON g.id = r.space_id"
     " WHERE r.space_kind = 'group' AND r.account_id = $1 ORDER BY g.id",
     {"group_id", "group", "role", "joined_at"}},
    {"join_requests",
     "SELECT group_id, message, requested_at FROM group_join_requests WHERE account_id = $1"
     " ORDER BY group_id",
     {"group_id", "message", "requested_at"}},
    {"threads",
     "SELECT id, group_id, title, created_at FROM group_threads WHERE author_id = $1 ORDER BY id",
     {"id", "group_id", "title", "created_at"}},
    {"posts",
     "SELECT id, thread_id, body, created_at FROM group_posts WHERE author_id = $1 ORDER BY id",
     {"id", "thread_id", "body", "created_at"}},
    {"subscriptions",
     "SELECT thread_id, created_at FROM group_thread_subscriptions WHERE account_id = $1"
     " ORDER BY thread_id",
     {"thread_id", "created_at"}},
    {"read_markers",
     "SELECT thread_id, last_read_post_id FROM group_thread_reads WHERE account_id = $1"
     " ORDER BY thread_id",
     {"thread_id", "last_read_post_id"}},
};

class GroupsModule : public web::Module, public files::FileOwner {
 public:
  std::string_view name() const override { return "groups"; }

  // Attachments of posts ("group_post") are read by whoever reads the group: everyone's
  // for a public group, the reader's alone otherwise.
  bool owns_files_of(std::string_view kind) const override { return kind == kPostFiles; }
  Result<files::Visibility> file_visibility(web::Services& s, const http::Request& r,
                                            const files::Owner& owner) const override {
    AH_TRY(rs, s.db.query("SELECT t.group_id FROM group_posts p"
                          " JOIN group_threads t ON t.id = p.thread_id WHERE p.id = $1",
                          {db::Value{owner.id}}));
    if (rs.rows.empty()) return files::Visibility::hidden;
    auto group = visible_group(s, r, rs.rows[0].int64(0));
    if (!group) {
      if (group.error().code == ErrorCode::not_found) return files::Visibility::hidden;
      return std::unexpected(group.error());
    }
    return group->visibility == groups::Visibility::open ? files::Visibility::everyone
                                                         : files::Visibility::restricted;
  }

  std::vector<db::Migration> migrations() const override { return groups::groups_migrations(); }

  std::vector<web::NoticeKind> notice_kinds() const override {
    return {{"groups.thread", "groups_notice_kind_thread", web::Delivery::digest},
            {"groups.post", "groups_notice_kind_post", web::Delivery::digest},
            {"groups.mention", "groups_notice_kind_mention", web::Delivery::immediate},
            {"groups.join_request", "groups_notice_kind_join_request", web::Delivery::immediate},
            {"groups.join_decided", "groups_notice_kind_join_decided", web::Delivery::immediate},
            {"groups.added", "groups_notice_kind_added", web::Delivery::immediate}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    router.add(http::Method::get, "/arbeitsgruppen",
               [&s](http::Request& r) { return directory(s, r); });
    router.add(http::Method::get, "/arbeitsgruppen/neu",
               [&s](http::Request& r) { return new_group(s, r, false); });
    router.add(http::Method::post, "/arbeitsgruppen/neu",
               [&s](http::Request& r) { return new_group(s, r, true); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}",
               [&s](http::Request& r) { return group_page(s, r, nullptr); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/einstellungen",
               [&s](http::Request& r) { return settings_page(s, r, false); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/einstellungen",
               [&s](http::Request& r) { return settings_page(s, r, true); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/rollen",
               [&s](http::Request& r) { return role_form(s, r); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/mitglieder",
               [&s](http::Request& r) { return add_form(s, r); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/beitreten",
               [&s](http::Request& r) { return join_form(s, r); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/verlassen",
               [&s](http::Request& r) { return leave_form(s, r); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/benachrichtigungen",
               [&s](http::Request& r) { return delivery_form(s, r); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/anfragen",
               [&s](http::Request& r) { return decide_form(s, r); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/themen/neu",
               [&s](http::Request& r) { return new_thread(s, r, false); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/themen/neu",
               [&s](http::Request& r) { return new_thread(s, r, true); }, kPostBodyLimit);
    router.add(http::Method::get, "/themen/{id}",
               [&s](http::Request& r) { return thread_page(s, r, nullptr); });
    router.add(http::Method::post, "/themen/{id}/beitraege",
               [&s](http::Request& r) { return reply_form(s, r); }, kPostBodyLimit);
    router.add(http::Method::post, "/themen/{id}/abo",
               [&s](http::Request& r) { return subscribe_form(s, r); });
    router.add(http::Method::get, "/api/v1/groups",
               [&s](http::Request& r) { return api_list(s, r); });
    router.add(http::Method::post, "/api/v1/groups",
               [&s](http::Request& r) { return api_create(s, r); });
    router.add(http::Method::get, "/api/v1/groups/{id}",
               [&s](http::Request& r) { return api_group(s, r); });
    router.add(http::Method::get, "/api/v1/groups/{id}/members",
               [&s](http::Request& r) { return api_members(s, r); });
    router.add(http::Method::post, "/api/v1/groups/{id}/members",
               [&s](http::Request& r) { return api_join(s, r); });
    router.add(http::Method::get, "/api/v1/groups/{id}/threads",
               [&s](http::Request& r) { return api_threads(s, r); });
    router.add(http::Method::get, "/api/v1/threads/{id}/posts",
               [&s](http::Request& r) { return api_posts(s, r); });
    router.add(http::Method::post, "/api/v1/groups/{id}/threads",
               [&s](http::Request& r) { return api_new_thread(s, r); });
    router.add(http::Method::post, "/api/v1/threads/{id}/posts",
               [&s](http::Request& r) { return api_reply(s, r); });
  }

  // Posts keep their place after an erasure (author NULL: "gelöschtes Konto"); a group
  // whose only owner goes gets a new one first.
  Status before_account_erasure(web::Services& s, std::int64_t account_id) const override {
    return GroupStore(s.db).hand_over_ownership(account_id);
  }

  Result<json> export_personal_data(web::Services& s, std::int64_t account_id) const override {
    return groups::export_tables(s.db, account_id, kExportedTables);
  }

  Status seed_demo(web::Services& s) override;

  void describe_api(json& doc) const override;

 private:
  static Result<std::pair<groups::Thread, Group>> visible_thread(web::Services& s,
                                                                 const http::Request& r) {
    auto id = parse_id(r.param("id"));
    if (!id) return fail(ErrorCode::not_found, "no such thread");
    AH_TRY(thread, ThreadStore(s.db).find(*id, r.account_id));
    AH_TRY(group, visible_group(s, r, thread.group_id));
    return std::pair{std::move(thread), std::move(group)};
  }

  // The same for forms on the thread {id}, which need group.post: thread and group.
  static std::expected<std::pair<groups::Thread, Group>, http::Response> acting_on_thread(
      web::Services& s, const http::Request& r) {
    if (r.account_id == 0) return std::unexpected(http::Response::redirect("/konto/anmelden"));
    auto found = visible_thread(s, r);
    if (!found) return std::unexpected(refusal(s, r, found.error()));
    if (auto no =
            refused(s, r, authz::Action::group_post, found->second.id, "groups_error_not_member"))
      return std::unexpected(*no);
    return std::move(*found);
  }

  // The directory's filter for this reader: public groups, internal ones for staff, and
  // the reader's own.
  static Result<groups::GroupFilter> filter_for(web::Services& s, const http::Request& r,
                                                std::string text) {
    AH_TRY(internal, can(s, r, authz::Action::group_view_internal, authz::Target::anywhere()));
    return groups::GroupFilter{
        .reader = r.account_id, .internal = internal, .text = std::move(text)};
  }

  // GET /arbeitsgruppen
  static http::Response directory(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    std::string text(query->get("q"));
    auto filter = filter_for(s, r, text);
    if (!filter) return refusal(s, r, filter.error());
    auto page = GroupStore(s.db).list(*filter, query->get("cursor"), kGroupsPerPage);
    if (!page) return refusal(s, r, page.error());
    web::Data list{web::Data::type::list};
    for (const auto& g : page->items) {
      web::Data item{web::Data::type::object};
      item.set("name", g.name);
      item.set("href", group_href(g.id));
      item.set("teaser", web::plain_text(g.description, 240));
      item.set("visibility", c.text(r.lang, visibility_label_key(g.visibility)));
      item.set("members", web::format_integer(g.member_count, r.lang));
      list.push_back(item);
    }
    web::Data data{web::Data::type::object};
    data.set("groups", list);
    data.set("q", text);
    data.set("searched", !search::Query::parse(text).blank());
    auto may_create = can(s, r, authz::Action::group_create, authz::Target::anywhere());
    if (!may_create) return refusal(s, r, may_create.error());
    data.set("can_create", *may_create);
    data.set("signed_in", r.account_id != 0);
    if (!page->next_cursor.empty())
      data.set("next_href", "/arbeitsgruppen?" +
                                http::build_query({{"q", text}, {"cursor", page->next_cursor}}));
    return render(s, r, "groups_list", std::move(data), c.text(r.lang, "groups_heading"));
  }

  static web::Data choice_options(const web::Catalog& c, std::string_view lang,
                                  std::initializer_list<std::string_view> values,
                                  std::string_view prefix, std::string_view chosen) {
    web::Data options{web::Data::type::list};
    for (auto value : values) {
      web::Data item{web::Data::type::object};
      item.set("value", std::string(value));
      item.set("label", c.text(lang, std::string(prefix) + std::string(value)));
      item.set("hint", c.text(lang, std::string(prefix) + std::string(value) + "_hint"));
      item.set("checked", value == chosen);
      options.push_back(item);
    }
    return options;
  }

  // GET/POST /arbeitsgruppen/neu
  // The founding and the settings form's fields: into `form` (values and what is wrong)
  // and the group they describe.
  static groups::NewGroup read_group_form(const http::ParamList& parsed, web::FormState& form) {
    for (const char* field :
         {"name", "description", "visibility", "joining", "decision_results", "once"})
      form.values[field] = std::string(parsed.get(field));
    groups::NewGroup g{.name = form.values["name"], .description = form.values["description"]};
    auto visibility = groups::visibility_from_string(form.values["visibility"]);
    auto joining = groups::joining_from_string(form.values["joining"]);
    if (!visibility) form.errors["visibility"] = "groups_error_visibility";
    if (!joining) form.errors["joining"] = "groups_error_joining";
    // Not sent (a simple client, an older form): the default, results after one's vote.
    std::string& results = form.values["decision_results"];
    if (results.empty()) results = "after_vote";
    if (results != "after_vote" && results != "after_close")
      form.errors["decision_results"] = "groups_error_decision_results";
    g.results_after_close = results == "after_close";
    g.visibility = visibility.value_or(groups::Visibility::internal);
    g.joining = joining.value_or(groups::Joining::open);
    for (const auto& [field, key] : groups::validate(g)) form.errors.emplace(field, key);
    return g;
  }

  // The form of a group's name, description, visibility and joining; `settings` for an
  // existing group (else the founding form).
  static http::Response group_form(web::Services& s, const http::Request& r,
                                   const web::FormState& form, const Group* settings) {
    const auto& c = s.view.catalog();
    web::Data data = web::form_data(c, r.lang, form);
    auto value = [&form](const char* field) {
      auto it = form.values.find(field);
      return it == form.values.end() ? std::string() : it->second;
    };
    data.set("visibilities", choice_options(c, r.lang, {"public", "internal", "closed"},
                                            "groups_visibility_", value("visibility")));
    data.set("joinings",
             choice_options(c, r.lang, {"open", "request"}, "groups_joining_", value("joining")));
    data.set("decision_results_choices",
             choice_options(c, r.lang, {"after_vote", "after_close"}, "groups_decision_results_",
                            value("decision_results")));
    std::string heading =
        c.text(r.lang, settings ? "groups_settings_heading" : "groups_new_heading");
    data.set("heading", heading);
    data.set("action", settings ? group_href(settings->id) + "/einstellungen"
                                : std::string("/arbeitsgruppen/neu"));
    data.set("submit", c.text(r.lang, settings ? "groups_settings_submit" : "groups_new_submit"));
    if (settings) {
      data.set("back_href", group_href(settings->id));
      data.set("back_label", c.text(r.lang, "groups_back_to") + " " + settings->name);
    } else {
      data.set("back_href", std::string("/arbeitsgruppen"));
      data.set("back_label", c.text(r.lang, "groups_back"));
      data.set("intro", c.text(r.lang, "groups_new_intro"));
    }
    return render(s, r, "groups_new", std::move(data), heading, form.ok() ? 200 : 422);
  }

  // GET/POST /arbeitsgruppen/neu
  static http::Response new_group(web::Services& s, http::Request& r, bool submitted) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto may = can(s, r, authz::Action::group_create, authz::Target::anywhere());
    if (!may) return refusal(s, r, may.error());
    if (!*may) return web::error_response(s.view, r, 403, c.text(r.lang, "groups_error_not_staff"));
    web::FormState form;
    if (!submitted) {
      form.values = {{"visibility", "internal"},
                     {"joining", "open"},
                     {"decision_results", "after_vote"},
                     {"once", accounts::Submissions::new_key()}};
      return group_form(s, r, form, nullptr);
    }
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    groups::NewGroup g = read_group_form(*parsed, form);
    if (!form.ok()) return group_form(s, r, form, nullptr);
    auto location = accounts::Submissions(s.db).once(
        r.account_id, form.values["once"], accounts::unix_now(), [&]() -> Result<std::string> {
          AH_TRY(id, GroupStore(s.db).create(g, r.account_id, accounts::unix_now()));
          return group_href(id);
        });
    if (!location) return refusal(s, r, location.error());
    return http::Response::redirect(*location);
  }

  // GET/POST /arbeitsgruppen/{id}/einstellungen: owners change what the founding form set.
  static http::Response settings_page(web::Services& s, http::Request& r, bool submitted) {
    auto group = acting_on_group(s, r, authz::Action::group_edit, "groups_error_not_owner");
    if (!group) return group.error();
    web::FormState form;
    if (!submitted) {
      form.values = {{"name", group->name},
                     {"description", group->description},
                     {"visibility", std::string(groups::to_string(group->visibility))},
                     {"joining", std::string(groups::to_string(group->joining))},
                     {"decision_results", group->results_after_close ? "after_close" : "after_vote"}};
      return group_form(s, r, form, &*group);
    }
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    groups::NewGroup g = read_group_form(*parsed, form);
    if (!form.ok()) return group_form(s, r, form, &*group);
    auto changed = GroupStore(s.db).update(group->id, g, accounts::unix_now());
    if (!changed) return refusal(s, r, changed.error());
    return http::Response::redirect(group_href(group->id));
  }

  // GET /arbeitsgruppen/{id}
  // GET /arbeitsgruppen/{id}; after a refused addition (POST …/mitglieder) with that
  // form's state.
  static http::Response group_page(web::Services& s, http::Request& r,
                                   const web::FormState* add_form) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    GroupStore store(s.db);
    auto role = role_of(s, r, group->id);
    if (!role) return refusal(s, r, role.error());
    web::Data data =
        add_form ? web::form_data(c, r.lang, *add_form) : web::Data{web::Data::type::object};
    data.set("id", std::to_string(group->id));
    data.set("name", group->name);
    data.set("description_html", web::rich_text(group->description, s));
    data.set("visibility", c.text(r.lang, visibility_label_key(group->visibility)));
    data.set("joining",
             c.text(r.lang, "groups_joining_" + std::string(groups::to_string(group->joining))));
    data.set("signed_in", r.account_id != 0);
    data.set("login_href", "/konto/anmelden");
    if (*role != authz::SpaceRole::none) {
      data.set("my_role", c.text(r.lang, role_label_key(*role)));
      data.set("is_member", true);
      auto delivery = notifications::NotificationStore(s.db).scope_choice(
          r.account_id, groups::notice_scope(group->id));
      if (!delivery) return refusal(s, r, delivery.error());
      std::string current =
          *delivery ? std::string(notifications::to_string(**delivery)) : std::string("default");
      web::Data options{web::Data::type::list};
      for (std::string_view value : {"default", "immediate", "digest", "in_app"}) {
        web::Data item{web::Data::type::object};
        item.set("value", std::string(value));
        item.set("label", c.text(r.lang, "groups_delivery_" + std::string(value)));
        item.set("checked", value == current);
        options.push_back(item);
      }
      data.set("deliveries", options);
      data.set("delivery_saved", query->get("benachrichtigungen") == "gespeichert");
    } else if (r.account_id != 0) {
      auto requested = store.has_requested(group->id, r.account_id);
      if (!requested) return refusal(s, r, requested.error());
      auto may_join = can(s, r, authz::Action::group_join, space_of(group->id));
      if (!may_join) return refusal(s, r, may_join.error());
      data.set("requested", *requested);
      data.set("can_join", *may_join && !*requested);
      data.set("join_on_request", group->joining == groups::Joining::on_request);
      data.set("not_staff", !*may_join);
    }
    auto may_post = can(s, r, authz::Action::group_post, space_of(group->id));
    auto may_moderate = can(s, r, authz::Action::group_moderate, space_of(group->id));
    if (!may_post || !may_moderate)
      return refusal(s, r, (!may_post ? may_post : may_moderate).error());
    data.set("can_post", *may_post);
    auto may_edit = can(s, r, authz::Action::group_edit, space_of(group->id));
    if (!may_edit) return refusal(s, r, may_edit.error());
    data.set("can_edit", *may_edit);
    auto members = store.members(group->id);
    if (!members) return refusal(s, r, members.error());
    web::Data member_list{web::Data::type::list};
    for (const auto& m : *members) {
      web::Data item{web::Data::type::object};
      if (*may_edit) {
        // Owners change roles: one select a member, the current role chosen.
        web::Data options{web::Data::type::list};
        for (auto choice : {"owner", "moderator", "member", "remove"}) {
          web::Data option{web::Data::type::object};
          option.set("value", std::string(choice));
          option.set("label", c.text(r.lang, "groups_role_" + std::string(choice)));
          option.set("selected", authz::to_string(m.role) == choice);
          options.push_back(option);
        }
        item.set("role_options", options);
        item.set("account", std::to_string(m.account_id));
      }
      item.set("name", web::author_name(c, r.lang, m.display_name));
      item.set("role", c.text(r.lang, role_label_key(m.role)));
      item.set("organisations", joined(m.organisations));
      member_list.push_back(item);
    }
    data.set("members", member_list);
    data.set("member_count", web::format_integer(group->member_count, r.lang));
    if (*may_moderate) {
      auto requests = store.requests(group->id);
      if (!requests) return refusal(s, r, requests.error());
      web::Data list{web::Data::type::list};
      for (const auto& q : *requests) {
        web::Data item{web::Data::type::object};
        item.set("account", std::to_string(q.account_id));
        item.set("name", q.display_name);
        item.set("organisations", joined(q.organisations));
        item.set("message", q.message);
        item.set("when", web::format_date_time(q.requested_at, r.lang));
        list.push_back(item);
      }
      data.set("requests", list);
      data.set("has_requests", !requests->empty());
      data.set("can_add", true);
    }
    auto threads = ThreadStore(s.db).list(group->id, r.account_id, query->get("cursor"), kThreadsPerPage);
    if (!threads) return refusal(s, r, threads.error());
    web::Data thread_list{web::Data::type::list};
    for (const auto& t : threads->items) {
      web::Data item{web::Data::type::object};
      item.set("title", t.title);
      item.set("href", thread_href(t.id));
      item.set("posts", web::format_integer(t.post_count, r.lang));
      item.set("last_post", web::format_date_time(t.last_post_at, r.lang));
      // Unread markers are for members, who have read markers.
      if (*role != authz::SpaceRole::none && t.unread()) {
        item.set("unread", true);
        item.set("unread_href",
                 thread_href(t.id) + "?" +
                     http::build_query({{"cursor", ThreadStore::after_cursor(t.last_read)}}) +
                     "#ungelesen");
      }
      thread_list.push_back(item);
    }
    data.set("threads", thread_list);
    if (!threads->next_cursor.empty())
      data.set("next_href", group_href(group->id) + "?" +
                                http::build_query({{"cursor", threads->next_cursor}}) + "#themen");
    return render(s, r, "groups_group", std::move(data), group->name, add_form && !add_form->ok() ? 422 : 200);
  }

  // POST /arbeitsgruppen/{id}/beitreten (message: optional, for a request)
  static http::Response join_form(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    auto joined = join(s, r, *group, std::string(parsed->get("message")));
    if (!joined) return refusal(s, r, joined.error());
    return http::Response::redirect(group_href(group->id));
  }

  // Joins (or asks to join) for the signed-in person, telling the moderators of a request.
  static Result<groups::JoinResult> join(web::Services& s, const http::Request& r,
                                         const Group& group, const std::string& message) {
    const auto& c = s.view.catalog();
    AH_TRY(may, can(s, r, authz::Action::group_join, space_of(group.id)));
    if (!may) return fail(ErrorCode::forbidden, "groups_error_not_staff");
    if (message.size() > kMaxJoinMessage)
      return fail(ErrorCode::invalid_input, "groups_error_message_long");
    AH_TRY(result, GroupStore(s.db).join(group.id, r.account_id, message, accounts::unix_now()));
    if (result == groups::JoinResult::requested) {
      AH_TRY(moderators, GroupStore(s.db).moderators(group.id));
      for (auto who : moderators) {
        auto told = notifications::notify(
            s, {who, "groups.join_request",
                c.text("de", "groups_notice_join_request_title") + " „" + group.name + "“",
                r.account_name + (message.empty() ? "" : ": " + message), group_href(group.id),
                groups::notice_scope(group.id)});
        if (!told) return std::unexpected(told.error());
      }
    }
    return result;
  }

  // POST /arbeitsgruppen/{id}/verlassen: leave, or withdraw one's request.
  static http::Response leave_form(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto group = GroupStore(s.db).find(*id);
    if (!group) return refusal(s, r, group.error());
    auto left = GroupStore(s.db).leave(*id, r.account_id);
    if (!left) return refusal(s, r, left.error());
    // A closed group is no longer readable for who left it.
    if (group->visibility == groups::Visibility::closed)
      return http::Response::redirect("/arbeitsgruppen");
    return http::Response::redirect(group_href(*id));
  }

  // POST /arbeitsgruppen/{id}/benachrichtigungen (delivery): a member's choice how
  // notices from this group reach them — "default" leaves it to their choices by kind.
  static http::Response delivery_form(web::Services& s, http::Request& r) {
    auto group = acting_on_group(s, r, authz::Action::group_post, "groups_error_not_member");
    if (!group) return group.error();
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    std::string_view chosen = parsed->get("delivery");
    std::optional<web::Delivery> delivery;
    if (chosen != "default") {
      delivery = notifications::parse_delivery(chosen);
      if (!delivery) return web::error_response(s.view, r, 400);
    }
    auto saved = notifications::NotificationStore(s.db).choose_for_scope(
        r.account_id, groups::notice_scope(group->id), delivery);
    if (!saved) return refusal(s, r, saved.error());
    return http::Response::redirect(group_href(group->id) + "?benachrichtigungen=gespeichert#benachrichtigungen");
  }

  // POST /arbeitsgruppen/{id}/mitglieder (email): a moderator adds a member of staff. An
  // address without an account and one of a person who is no staff get the same answer,
  // so the form does not tell which addresses have accounts.
  static http::Response add_form(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = acting_on_group(s, r, authz::Action::group_moderate, "groups_error_not_moderator");
    if (!group) return group.error();
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    web::FormState form{.values = {{"email", std::string(parsed->get("email"))}}};
    auto person = accounts::AccountStore(s.db).find_by_email(form.values["email"]);
    if (!person) return refusal(s, r, person.error());
    bool staff = false;
    if (*person) {
      auto allowed = authz::Authorizer(s.db).can((*person)->id, authz::Action::group_join,
                                                 space_of(group->id));
      if (!allowed) return refusal(s, r, allowed.error());
      staff = *allowed;
    }
    if (!staff) {
      form.errors["email"] = "groups_error_add_not_staff";
      r.query.clear();
      return group_page(s, r, &form);
    }
    if (auto added = GroupStore(s.db).add(group->id, (*person)->id, accounts::unix_now()); !added) {
      if (added.error().code != ErrorCode::conflict) return refusal(s, r, added.error());
      form.errors["email"] = "groups_error_add_already_member";
      r.query.clear();
      return group_page(s, r, &form);
    }
    auto told = notifications::notify(
        s, {(*person)->id, "groups.added",
            c.text("de", "groups_notice_added_title") + " „" + group->name + "“", "",
            group_href(group->id)});
    if (!told) return refusal(s, r, told.error());
    return http::Response::redirect(group_href(group->id) + "#mitglieder");
  }

  // POST /arbeitsgruppen/{id}/rollen (account, role=owner|moderator|member|remove): owners.
  static http::Response role_form(web::Services& s, http::Request& r) {
    auto group = acting_on_group(s, r, authz::Action::group_edit, "groups_error_not_owner");
    if (!group) return group.error();
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    auto account = parse_id(parsed->get("account"));
    auto role_text = parsed->get("role");
    auto role = authz::space_role_from_string(role_text);
    if (!account || (!role && role_text != "remove")) return web::error_response(s.view, r, 400);
    auto changed = GroupStore(s.db).set_role(group->id, *account, role, accounts::unix_now());
    if (!changed) return refusal(s, r, changed.error());
    // Who removed themselves from a closed group can no longer read it.
    if (*account == r.account_id && !role && group->visibility == groups::Visibility::closed)
      return http::Response::redirect("/arbeitsgruppen");
    return http::Response::redirect(group_href(group->id) + "#mitglieder");
  }

  // POST /arbeitsgruppen/{id}/anfragen (account, decision=confirm|decline): moderators.
  static http::Response decide_form(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = acting_on_group(s, r, authz::Action::group_moderate, "groups_error_not_moderator");
    if (!group) return group.error();
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    auto account = parse_id(parsed->get("account"));
    auto decision = parsed->get("decision");
    if (!account || (decision != "confirm" && decision != "decline"))
      return web::error_response(s.view, r, 400);
    bool confirm = decision == "confirm";
    auto decided = GroupStore(s.db).decide(group->id, *account, confirm, accounts::unix_now());
    if (!decided) return refusal(s, r, decided.error());
    auto told = notifications::notify(s, {*account, "groups.join_decided",
                                          c.text("de", confirm ? "groups_notice_confirmed_title"
                                                               : "groups_notice_declined_title") +
                                              " „" + group->name + "“",
                                          "", group_href(group->id)});
    if (!told) return refusal(s, r, told.error());
    return http::Response::redirect(group_href(group->id));
  }

  // Stores a thread (title given) or a reply and, in its transaction, tells the thread's
  // subscribers and the members mentioned by "@Name" (one notice a person, never the
  // author); mails after the commit.
  static Result<std::int64_t> write_post(web::Services& s, const http::Request& r,
                                         const Group& group, std::optional<std::int64_t> thread,
                                         const std::string& title, const std::string& body,
                                         const std::vector<files::Attachment>& attachments = {}) {
    const auto& c = s.view.catalog();
    // The bytes go to disk before the transaction; their rows land with the post.
    files::FileStore file_store(s.db, s.data_dir);
    std::vector<std::string> hashes;
    for (const auto& a : attachments) {
      AH_TRY(hash, file_store.put_bytes(a.file));
      hashes.push_back(std::move(hash));
    }
    std::vector<std::int64_t> notices;
    std::string thread_title = title;
    if (thread) {
      AH_TRY(found, ThreadStore(s.db).find(*thread));
      thread_title = found.title;
    }
    AH_TRY(members, GroupStore(s.db).members(group.id));
    std::int64_t thread_id = thread.value_or(0);
    auto tell = [&](db::Connection& tx, std::int64_t post_id) -> Status {
      for (std::size_t i = 0; i < attachments.size(); ++i)
        AH_TRY_STATUS(files::FileStore::add_row(
            tx,
            {.owner = {std::string(kPostFiles), post_id},
             .purpose = "attachment",
             .title = attachments[i].title,
             .uploaded_by = r.account_id},
            attachments[i].file, hashes[i], accounts::unix_now()));
      if (thread_id == 0) {
        AH_TRY(rs,
               tx.query("SELECT thread_id FROM group_posts WHERE id = $1", {db::Value{post_id}}));
        thread_id = rs.rows[0].int64(0);
      }
      std::string link = thread_href(thread_id) + "#beitrag-" + std::to_string(post_id);
      std::string excerpt = web::plain_text(body, 200);
      std::string about = " „" + thread_title + "“";
      // One notice a person, the most specific one: mentioned, else subscribed, else (for
      // a new thread) a member of the group; never the author.
      std::set<std::int64_t> told{r.account_id};
      auto tell_one = [&](std::int64_t who, const char* kind, const char* title_key) -> Status {
        if (told.contains(who)) return {};
        AH_TRY(n, notifications::notify(s, tx,
                                        {who, kind, c.text("de", title_key) + about, excerpt,
                                         link, groups::notice_scope(group.id)}));
        notices.push_back(n);
        told.insert(who);
        return {};
      };
      for (const auto& m : members)
        if (m.display_name && !m.display_name->empty() &&
            body.find("@" + *m.display_name) != std::string::npos)
          AH_TRY_STATUS(tell_one(m.account_id, "groups.mention", "groups_notice_mention_title"));
      AH_TRY(subscribers, ThreadStore::subscribers(tx, thread_id, r.account_id));
      for (auto who : subscribers)
        AH_TRY_STATUS(tell_one(who, "groups.post", "groups_notice_post_title"));
      if (!thread)
        for (const auto& m : members)
          AH_TRY_STATUS(tell_one(m.account_id, "groups.thread", "groups_notice_thread_title"));
      return {};
    };
    auto now = accounts::unix_now();
    Result<std::int64_t> id =
        thread ? ThreadStore(s.db).reply(*thread, body, r.account_id, now, tell)
               : ThreadStore(s.db).create(group.id, title, body, r.account_id, now, tell);
    if (id) notifications::deliver(s, notices);
    return id;
  }

  // The attachment fields of a post's form (_files_attachments).
  static void set_attachment_fields(web::Data& data, const web::Catalog& c, std::string_view lang,
                                    const web::FormState* form) {
    files::set_attachment_fields(data, kPostAttachments, form);
    data.set("attachments_hint", c.text(lang, "groups_attachments_hint"));
  }

  // A post's form: multipart/form-data from browsers (with attachments), urlencoded from
  // simple clients.
  static Result<http::MultipartForm> read_post_form(const http::Request& r) {
    return http::parse_any_form(r.headers.get("Content-Type"), r.body,
                                {.max_file_size = kPostBodyLimit});
  }

  // GET/POST /arbeitsgruppen/{id}/themen/neu: members start a thread.
  static http::Response new_thread(web::Services& s, http::Request& r, bool submitted) {
    const auto& c = s.view.catalog();
    auto group = acting_on_group(s, r, authz::Action::group_post, "groups_error_not_member");
    if (!group) return group.error();
    web::FormState form;
    if (!submitted) {
      form.values["once"] = accounts::Submissions::new_key();
    } else {
      auto sent = read_post_form(r);
      if (!sent) return refusal(s, r, sent.error());
      const http::ParamList& parsed = sent->fields;
      form.values = {{"title", std::string(parsed.get("title"))},
                     {"body", std::string(parsed.get("body"))},
                     {"once", std::string(parsed.get("once"))}};
      for (const auto& [field, key] :
           groups::validate_thread(form.values["title"], form.values["body"]))
        form.errors.emplace(field, key);
      auto attachments =
          files::checked_attachments(*sent, kPostAttachments, c, r.lang, form);
      if (form.ok()) {
        auto location = accounts::Submissions(s.db).once(
            r.account_id, form.values["once"], accounts::unix_now(), [&]() -> Result<std::string> {
              AH_TRY(thread, write_post(s, r, *group, std::nullopt, form.values["title"],
                                        form.values["body"], attachments));
              return thread_href(thread);
            });
        if (!location) return refusal(s, r, location.error());
        return http::Response::redirect(*location);
      }
    }
    web::Data data = web::form_data(c, r.lang, form);
    data.set("group_name", group->name);
    data.set("group_href", group_href(group->id));
    data.set("action", group_href(group->id) + "/themen/neu");
    set_attachment_fields(data, c, r.lang, &form);
    return render(s, r, "groups_thread_new", std::move(data), c.text(r.lang, "groups_thread_new_heading"),
                  form.ok() ? 200 : 422);
  }

  // GET /themen/{id} (?cursor=): a page of posts, oldest first. A member's read marker
  // moves to the last post shown. After a refused reply, the form comes back with what was
  // typed and what is wrong (`form`).
  static http::Response thread_page(web::Services& s, http::Request& r,
                                    const web::FormState* form) {
    const auto& c = s.view.catalog();
    auto found = visible_thread(s, r);
    if (!found) return refusal(s, r, found.error());
    auto& [thread, group] = *found;
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    std::string cursor(query->get("cursor"));
    ThreadStore store(s.db);
    auto page = store.posts(thread.id, cursor, kPostsPerPage);
    if (!page) return refusal(s, r, page.error());
    auto may_post = can(s, r, authz::Action::group_post, space_of(group.id));
    if (!may_post) return refusal(s, r, may_post.error());
    web::Data data = form ? web::form_data(c, r.lang, *form) : web::Data{web::Data::type::object};
    if (!form) data.set("value_once", accounts::Submissions::new_key());
    data.set("id", std::to_string(thread.id));
    data.set("thread_title", thread.title);
    data.set("group_name", group.name);
    data.set("group_href", group_href(group.id));
    data.set("post_count", web::format_integer(thread.post_count, r.lang));
    data.set("can_post", *may_post);
    data.set("signed_in", r.account_id != 0);
    set_attachment_fields(data, c, r.lang, form);
    std::vector<std::int64_t> post_ids;
    for (const auto& p : page->items) post_ids.push_back(p.id);
    auto attached = files::FileStore(s.db, s.data_dir).list_for(kPostFiles, post_ids);
    if (!attached) return refusal(s, r, attached.error());
    web::Data posts{web::Data::type::list};
    bool marked = false;
    for (const auto& p : page->items) {
      web::Data item{web::Data::type::object};
      item.set("id", std::to_string(p.id));
      item.set("author", web::author_name(c, r.lang, p.author_name));
      item.set("when", web::format_date_time(p.created_at, r.lang));
      item.set("when_iso", rfc3339_utc(p.created_at));
      item.set("body_html", web::rich_text(p.body, s));
      web::Data file_list{web::Data::type::list};
      if (auto found = attached->find(p.id); found != attached->end())
        for (const auto& f : found->second) {
          web::Data one{web::Data::type::object};
          one.set("href", f.url());
          one.set("title", f.title);
          one.set("about", files::describe_file(f, c, r.lang));
          file_list.push_back(one);
        }
      item.set("has_files", !file_list.is_empty_list());
      item.set("files", file_list);
      // The first post the member has not read yet carries the anchor "ungelesen".
      if (*may_post && !marked && p.id > thread.last_read) {
        item.set("first_unread", true);
        marked = true;
      }
      posts.push_back(item);
    }
    data.set("posts", posts);
    if (!page->next_cursor.empty())
      data.set("next_href",
               thread_href(thread.id) + "?" + http::build_query({{"cursor", page->next_cursor}}));
    if (!cursor.empty()) data.set("first_href", thread_href(thread.id));
    if (*may_post) {
      if (thread.unread() && cursor.empty() && !page->next_cursor.empty())
        data.set("unread_href",
                 thread_href(thread.id) + "?" +
                     http::build_query({{"cursor", ThreadStore::after_cursor(thread.last_read)}}) +
                     "#ungelesen");
      auto subscribed = store.subscribed(thread.id, r.account_id);
      if (!subscribed) return refusal(s, r, subscribed.error());
      data.set("subscribed", *subscribed);
      if (!page->items.empty()) {
        if (auto marked_read = store.mark_read(thread.id, r.account_id, page->items.back().id);
            !marked_read)
          return refusal(s, r, marked_read.error());
      }
    }
    return render(s, r, "groups_thread", std::move(data), thread.title, form && !form->ok() ? 422 : 200);
  }

  // POST /themen/{id}/beitraege (body, once): a member replies.
  static http::Response reply_form(web::Services& s, http::Request& r) {
    auto found = acting_on_thread(s, r);
    if (!found) return found.error();
    auto& [thread, group] = *found;
    auto sent = read_post_form(r);
    if (!sent) return refusal(s, r, sent.error());
    web::FormState form{.values = {{"body", std::string(sent->fields.get("body"))},
                                   {"once", std::string(sent->fields.get("once"))}}};
    for (const auto& [field, key] : groups::validate_post(form.values["body"]))
      form.errors.emplace(field, key);
    auto attachments = files::checked_attachments(*sent, kPostAttachments, s.view.catalog(),
                                                  r.lang, form);
    if (!form.ok()) {
      // Every page carries the form; the first one comes back with it.
      r.query.clear();
      return thread_page(s, r, &form);
    }
    auto location = accounts::Submissions(s.db).once(
        r.account_id, form.values["once"], accounts::unix_now(), [&]() -> Result<std::string> {
          AH_TRY(post,
                 write_post(s, r, group, thread.id, "", form.values["body"], attachments));
          // The page that shows the new post: the one starting after the reader's marker.
          return thread_href(thread.id) + "?" +
                 http::build_query({{"cursor", ThreadStore::after_cursor(thread.last_read)}}) +
                 "#beitrag-" + std::to_string(post);
        });
    if (!location) return refusal(s, r, location.error());
    return http::Response::redirect(*location);
  }

  // POST /themen/{id}/abo (on=1|0)
  static http::Response subscribe_form(web::Services& s, http::Request& r) {
    auto found = acting_on_thread(s, r);
    if (!found) return found.error();
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    auto done = ThreadStore(s.db).subscribe(found->first.id, r.account_id, parsed->get("on") == "1",
                                            accounts::unix_now());
    if (!done) return refusal(s, r, done.error());
    return http::Response::redirect(thread_href(found->first.id));
  }

  // --- JSON API ---

  static http::Response api_list(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    int limit = web::page_limit(query->get("limit"), kGroupsPerPage);
    if (limit < 0) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_limit"));
    auto filter = filter_for(s, r, std::string(query->get("q")));
    if (!filter) return refusal(s, r, filter.error());
    auto page = GroupStore(s.db).list(*filter, query->get("cursor"), limit);
    if (!page) return refusal(s, r, page.error());
    json items = json::array();
    for (const auto& g : page->items) items.push_back(group_json(g));
    return json_response({{"items", items}, {"next_cursor", cursor_json(page->next_cursor)}});
  }

  static http::Response api_create(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto may = can(s, r, authz::Action::group_create, authz::Target::anywhere());
    if (!may) return refusal(s, r, may.error());
    if (!*may) return web::error_response(s.view, r, 403, c.text(r.lang, "groups_error_not_staff"));
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_json"));
    auto visibility = groups::visibility_from_string(string_field(body, "visibility"));
    auto joining = groups::joining_from_string(string_field(body, "joining"));
    if (!visibility) return invalid(s, r, {{"visibility", "groups_error_visibility"}});
    if (!joining) return invalid(s, r, {{"joining", "groups_error_joining"}});
    groups::NewGroup g{.name = string_field(body, "name"),
                       .description = string_field(body, "description"),
                       .visibility = *visibility,
                       .joining = *joining,
                       .results_after_close =
                           string_field(body, "decision_results") == "after_close"};
    if (auto errors = groups::validate(g); !errors.empty()) return invalid(s, r, errors);
    auto id = GroupStore(s.db).create(g, r.account_id, accounts::unix_now());
    if (!id) return refusal(s, r, id.error());
    auto created = GroupStore(s.db).find(*id);
    if (!created) return refusal(s, r, created.error());
    auto response = json_response(group_json(*created), 201);
    response.headers.set("Location", "/api/v1/groups/" + std::to_string(*id));
    return response;
  }

  static http::Response api_group(web::Services& s, http::Request& r) {
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto out = group_json(*group);
    auto role = role_of(s, r, group->id);
    if (!role) return refusal(s, r, role.error());
    if (r.account_id != 0)
      out["my_role"] =
          *role == authz::SpaceRole::none ? json(nullptr) : json(authz::to_string(*role));
    return json_response(out);
  }

  static http::Response api_members(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto members = GroupStore(s.db).members(group->id);
    if (!members) return refusal(s, r, members.error());
    json items = json::array();
    for (const auto& m : *members)
      items.push_back({{"name", web::author_name(c, r.lang, m.display_name)},
                       {"role", authz::to_string(m.role)},
                       {"organisations", m.organisations},
                       {"since", rfc3339_utc(m.since)}});
    return json_response({{"items", items}});
  }

  static http::Response api_join(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto group = readable_group(s, r);
    if (!group) return group.error();
    std::string message;
    if (!r.body.empty()) {
      auto body = json::parse(r.body, nullptr, false);
      if (body.is_discarded() || !body.is_object())
        return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_json"));
      message = string_field(body, "message");
    }
    auto joined = join(s, r, *group, message);
    if (!joined) return refusal(s, r, joined.error());
    bool member = *joined == groups::JoinResult::member;
    return json_response({{"state", member ? "member" : "requested"}}, member ? 201 : 202);
  }

  static http::Response api_threads(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    int limit = web::page_limit(query->get("limit"), kThreadsPerPage);
    if (limit < 0) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_limit"));
    auto page = ThreadStore(s.db).list(group->id, r.account_id, query->get("cursor"), limit);
    if (!page) return refusal(s, r, page.error());
    auto role = role_of(s, r, group->id);
    if (!role) return refusal(s, r, role.error());
    json items = json::array();
    for (const auto& t : page->items)
      items.push_back(thread_json(c, r.lang, t, *role != authz::SpaceRole::none));
    return json_response({{"items", items}, {"next_cursor", cursor_json(page->next_cursor)}});
  }

  // A thread as the API shows it; `unread` only for the group's members.
  static json thread_json(const web::Catalog& c, std::string_view lang, const groups::Thread& t,
                          bool member) {
    json item = {{"id", t.id},
                 {"title", t.title},
                 {"author", web::author_name(c, lang, t.author_name)},
                 {"post_count", t.post_count},
                 {"last_post_at", rfc3339_utc(t.last_post_at)},
                 {"url", thread_href(t.id)}};
    if (member) item["unread"] = t.unread();
    return item;
  }

  // A post as the API shows it, with its attachments.
  static json post_json(const web::Catalog& c, std::string_view lang, const groups::Post& p,
                        const std::vector<files::StoredFile>& attached) {
    json files_out = json::array();
    for (const auto& f : attached)
      files_out.push_back({{"title", f.title},
                           {"url", f.url()},
                           {"media_type", f.media_type},
                           {"size", f.size}});
    return {{"id", p.id},
            {"author", web::author_name(c, lang, p.author_name)},
            {"body", p.body},
            {"attachments", files_out},
            {"created_at", rfc3339_utc(p.created_at)}};
  }

  // The JSON body of a write, or the 400 that says it is none.
  static std::expected<json, http::Response> json_body(web::Services& s, const http::Request& r) {
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return std::unexpected(web::error_response(
          s.view, r, 400, s.view.catalog().text(r.lang, "groups_error_json")));
    return body;
  }

  // POST /api/v1/groups/{id}/threads {"title", "body"}: a member starts a thread.
  static http::Response api_new_thread(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto group = readable_group(s, r);
    if (!group) return group.error();
    if (auto no = refused(s, r, authz::Action::group_post, group->id, "groups_error_not_member"))
      return *no;
    auto body = json_body(s, r);
    if (!body) return body.error();
    std::string title = string_field(*body, "title"), text = string_field(*body, "body");
    if (auto errors = groups::validate_thread(title, text); !errors.empty())
      return invalid(s, r, errors);
    auto thread = write_post(s, r, *group, std::nullopt, title, text);
    if (!thread) return refusal(s, r, thread.error());
    auto found = ThreadStore(s.db).find(*thread, r.account_id);
    if (!found) return refusal(s, r, found.error());
    return json_response(thread_json(s.view.catalog(), r.lang, *found, true), 201);
  }

  // POST /api/v1/threads/{id}/posts {"body"}: a member replies.
  static http::Response api_reply(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto found = acting_on_thread(s, r);
    if (!found) return found.error();
    auto body = json_body(s, r);
    if (!body) return body.error();
    std::string text = string_field(*body, "body");
    if (auto errors = groups::validate_post(text); !errors.empty()) return invalid(s, r, errors);
    auto post = write_post(s, r, found->second, found->first.id, "", text);
    if (!post) return refusal(s, r, post.error());
    auto written = ThreadStore(s.db).posts(found->first.id, ThreadStore::after_cursor(*post - 1), 1);
    if (!written || written->items.empty() || written->items.front().id != *post)
      return web::error_response(s.view, r, 500);
    return json_response(post_json(s.view.catalog(), r.lang, written->items.front(), {}), 201);
  }

  static http::Response api_posts(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = visible_thread(s, r);
    if (!found) return refusal(s, r, found.error());
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    int limit = web::page_limit(query->get("limit"), kPostsPerPage);
    if (limit < 0) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_limit"));
    auto page = ThreadStore(s.db).posts(found->first.id, query->get("cursor"), limit);
    if (!page) return refusal(s, r, page.error());
    std::vector<std::int64_t> ids;
    for (const auto& p : page->items) ids.push_back(p.id);
    auto attached = files::FileStore(s.db, s.data_dir).list_for(kPostFiles, ids);
    if (!attached) return refusal(s, r, attached.error());
    json items = json::array();
    for (const auto& p : page->items) {
      auto found = attached->find(p.id);
      items.push_back(post_json(c, r.lang, p,
                                found == attached->end() ? std::vector<files::StoredFile>{}
                                                         : found->second));
    }
    return json_response({{"items", items}, {"next_cursor", cursor_json(page->next_cursor)}});
  }
};

// AG Digitale Beteiligung: staff of the Land and of several Gemeinden, open to every
// member of staff, with two threads in which people answer each other.
Status GroupsModule::seed_demo(web::Services& s) {
  const std::int64_t now = accounts::unix_now(), hour = 3600, day = 86400;
  accounts::AccountStore people(s.db);
  AH_TRY(land, people.find_by_email("land@demo.augenhoehe.invalid"));
  AH_TRY(wittenberg, people.find_by_email("wittenberg@demo.augenhoehe.invalid"));
  AH_TRY(kemberg, people.find_by_email("gemeinde-admin@demo.augenhoehe.invalid"));
  if (!land || !wittenberg || !kemberg) return {};
  GroupStore groups(s.db);
  AH_TRY(id,
         groups.create({.name = "AG Digitale Beteiligung",
                        .description =
                            "Wir tauschen aus, wie Land und Kommunen Bürgerinnen und Bürger online "
                            "beteiligen: Erfahrungen mit Verfahren, Vorlagen für Aushänge, "
                            "Barrierefreiheit und Datenschutz.\n\n"
                            "**Offen für alle Mitarbeitenden** von Land, Kreisen und Gemeinden.",
                        .visibility = groups::Visibility::open,
                        .joining = groups::Joining::open},
                       land->id, now - 30 * day));
  for (auto who : {wittenberg->id, kemberg->id}) {
    AH_TRY(joined, groups.join(id, who, "", now - 29 * day));
    (void)joined;
  }
  ThreadStore threads(s.db);
  AH_TRY(poster,
         threads.create(id, "Aushänge mit QR-Code: Ihre Erfahrungen",
                        "Kemberg hat für den Spielplatz einen Aushang mit QR-Code gedruckt. "
                        "Wie viele Vorschläge kamen bei Ihnen über den Aushang?",
                        land->id, now - 6 * day));
  struct Line {
    std::int64_t who;
    const char* text;
    std::int64_t at;
  };
  for (const Line& line : {
           Line{kemberg->id,
                "Bei uns etwa ein Drittel. Der Aushang hing im Rathaus und am Spielplatz selbst – "
                "am Spielplatz kamen die meisten Aufrufe.",
                now - 5 * day},
           Line{wittenberg->id,
                "Wir hatten gute Erfahrungen mit dem Gemeindeblatt. Wichtig: die **Kurzadresse** "
                "groß drucken, nicht jeder scannt QR-Codes.",
                now - 4 * day},
           Line{land->id,
                "Danke! Wir sammeln das für eine Handreichung. @Admin Gemeinde Kemberg (Demo): "
                "dürfen wir "
                "Ihren Aushang als Beispiel zeigen?",
                now - 3 * day},
           Line{kemberg->id, "Gern, sehr gern.", now - 3 * day + 2 * hour},
       }) {
    AH_TRY(post, threads.reply(poster, line.text, line.who, line.at));
    (void)post;
  }
  AH_TRY(accessible,
         threads.create(id, "Barrierefreie PDF-Anhänge",
                        "Welche Werkzeuge nutzen Sie, um Anhänge barrierefrei zu machen?",
                        wittenberg->id, now - 2 * day));
  AH_TRY(answer, threads.reply(accessible,
                               "Wir prüfen mit PAC und setzen Überschriften schon im "
                               "Textprogramm. Eine Checkliste folgt.",
                               land->id, now - day));
  (void)answer;
  return {};
}

void GroupsModule::describe_api(json& doc) const {
  using web::openapi::list_of;
  using web::openapi::ok;
  using web::openapi::param;
  json problem = web::openapi::problem();
  auto& schemas = doc["components"]["schemas"];
  schemas["Group"] = {
      {"type", "object"},
      {"required", {"id", "name", "description", "visibility", "joining", "member_count", "url"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"name", {{"type", "string"}}},
        {"description", {{"type", "string"}, {"description", "Markdown"}}},
        {"visibility",
         {{"type", "string"},
          {"enum", {"public", "internal", "closed"}},
          {"description",
           "public: everyone reads; internal: staff of any organisation and "
           "the members; closed: the members only"}}},
        {"joining", {{"type", "string"}, {"enum", {"open", "request"}}}},
        {"decision_results",
         {{"type", "string"},
          {"enum", {"after_vote", "after_close"}},
          {"description",
           "when members see the results of the group's decisions: after their own vote, "
           "or only after the end"}}},
        {"member_count", {{"type", "integer"}}},
        {"url", {{"type", "string"}, {"description", "the group's page"}}},
        {"my_role",
         {{"type", {"string", "null"}},
          {"description", "owner, moderator, member or null; only for a signed-in reader"}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  schemas["GroupMember"] = {
      {"type", "object"},
      {"required", {"name", "role", "organisations"}},
      {"properties",
       {{"name", {{"type", "string"}}},
        {"role", {{"type", "string"}, {"enum", {"owner", "moderator", "member"}}}},
        {"organisations",
         {{"type", "array"},
          {"items", {{"type", "string"}}},
          {"description", "where the person is staff"}}},
        {"since", {{"type", "string"}, {"format", "date-time"}}}}}};
  schemas["Thread"] = {
      {"type", "object"},
      {"required", {"id", "title", "author", "post_count", "last_post_at", "url"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"title", {{"type", "string"}}},
        {"author", {{"type", "string"}, {"description", "display name, or 'gelöschtes Konto'"}}},
        {"post_count", {{"type", "integer"}}},
        {"last_post_at", {{"type", "string"}, {"format", "date-time"}}},
        {"url", {{"type", "string"}}},
        {"unread", {{"type", "boolean"}, {"description", "only for the group's members"}}}}}};
  schemas["Post"] = {
      {"type", "object"},
      {"required", {"id", "author", "body", "attachments", "created_at"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"author", {{"type", "string"}, {"description", "display name, or 'gelöschtes Konto'"}}},
        {"body", {{"type", "string"}, {"description", "Markdown"}}},
        {"attachments",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"title", "url", "media_type", "size"}},
            {"properties",
             {{"title", {{"type", "string"}}},
              {"url", {{"type", "string"}}},
              {"media_type", {{"type", "string"}}},
              {"size", {{"type", "integer"}, {"description", "bytes"}}}}}}}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  json paging = web::openapi::paging();
  json security = web::openapi::security();
  auto& paths = doc["paths"];
  json list_params = paging;
  list_params.insert(list_params.begin(),
                     param("q", "query",
                           "full-text search in name and description: every word must occur; "
                           "German inflections match; the last word may be a word's beginning"));
  paths["/api/v1/groups"]["get"] = {
      {"operationId", "listGroups"},
      {"summary", "Working groups the reader may see, by name"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", list_params},
      {"responses", {{"200", ok(list_of("Group"))}, {"400", problem}}}};
  paths["/api/v1/groups"]["post"] = {
      {"operationId", "createGroup"},
      {"summary", "Found a working group (staff of any organisation); the founder owns it"},
      {"tags", {"Arbeitsgruppen"}},
      {"security", security},
      {"requestBody",
       {{"required", true},
        {"content",
         {{"application/json",
           {{"schema",
             {{"type", "object"},
              {"required", {"name", "description", "visibility", "joining"}},
              {"properties",
               {{"name", {{"type", "string"}}},
                {"description", {{"type", "string"}}},
                {"visibility", {{"type", "string"}, {"enum", {"public", "internal", "closed"}}}},
                {"joining", {{"type", "string"}, {"enum", {"open", "request"}}}},
                {"decision_results",
                 {{"type", "string"},
                  {"enum", {"after_vote", "after_close"}},
                  {"description", "default after_vote"}}}}}}}}}}}}},
      {"responses",
       {{"201", ok({{"$ref", "#/components/schemas/Group"}}, "Created")},
        {"400", problem},
        {"401", problem},
        {"403", problem},
        {"422", problem}}}};
  json group_id = param("id", "path", "group id");
  paths["/api/v1/groups/{id}"]["get"] = {
      {"operationId", "getGroup"},
      {"summary", "One working group"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", {group_id}},
      {"x-example", {{"id", "1"}}},
      {"responses", {{"200", ok({{"$ref", "#/components/schemas/Group"}})}, {"404", problem}}}};
  paths["/api/v1/groups/{id}/members"]["get"] = {
      {"operationId", "listGroupMembers"},
      {"summary", "A group's members with their role and organisations"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", {group_id}},
      {"x-example", {{"id", "1"}}},
      {"responses", {{"200", ok(list_of("GroupMember", false))}, {"404", problem}}}};
  paths["/api/v1/groups/{id}/members"]["post"] = {
      {"operationId", "joinGroup"},
      {"summary", "Join the group (open joining) or ask to join it (staff of any organisation)"},
      {"tags", {"Arbeitsgruppen"}},
      {"security", security},
      {"parameters", {group_id}},
      {"requestBody",
       {{"required", false},
        {"content",
         {{"application/json",
           {{"schema",
             {{"type", "object"},
              {"properties",
               {{"message",
                 {{"type", "string"},
                  {"description", "for the moderators, with a request"}}}}}}}}}}}}},
      {"responses",
       {{"201",
         ok({{"type", "object"}, {"properties", {{"state", {{"const", "member"}}}}}}, "Member")},
        {"202", ok({{"type", "object"}, {"properties", {{"state", {{"const", "requested"}}}}}},
                   "Requested; a moderator decides")},
        {"401", problem},
        {"403", problem},
        {"404", problem},
        {"409", problem}}}};
  json thread_params = paging;
  thread_params.insert(thread_params.begin(), group_id);
  paths["/api/v1/groups/{id}/threads"]["get"] = {
      {"operationId", "listGroupThreads"},
      {"summary", "A group's threads, most recently active first"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", thread_params},
      {"x-example", {{"id", "1"}}},
      {"responses", {{"200", ok(list_of("Thread"))}, {"400", problem}, {"404", problem}}}};
  json post_params = paging;
  post_params.insert(post_params.begin(), param("id", "path", "thread id"));
  paths["/api/v1/threads/{id}/posts"]["get"] = {
      {"operationId", "listThreadPosts"},
      {"summary", "A thread's posts, oldest first"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", post_params},
      {"x-example", {{"id", "1"}}},
      {"responses", {{"200", ok(list_of("Post"))}, {"400", problem}, {"404", problem}}}};
  paths["/api/v1/groups/{id}/threads"]["post"] = web::openapi::create_op(
      "createGroupThread", "Start a thread with its first post (members)", "Arbeitsgruppen",
      {group_id},
      {{"type", "object"},
       {"required", {"title", "body"}},
       {"properties",
        {{"title", {{"type", "string"}, {"maxLength", groups::kMaxThreadTitle}}},
         {"body", {{"type", "string"}, {"description", "Markdown; @Name mentions a member"}}}}}},
      "Thread");
  paths["/api/v1/threads/{id}/posts"]["post"] = web::openapi::create_op(
      "createThreadPost", "Reply at the end of a thread (members)", "Arbeitsgruppen",
      {param("id", "path", "thread id")},
      {{"type", "object"},
       {"required", {"body"}},
       {"properties",
        {{"body", {{"type", "string"}, {"description", "Markdown; @Name mentions a member"}}}}}},
      "Post");
}

}  // namespace

std::unique_ptr<web::Module> make_groups_module() { return std::make_unique<GroupsModule>(); }

}  // namespace ah::modules
