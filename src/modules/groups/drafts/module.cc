#include "modules/groups/drafts/module.h"

#include <nlohmann/json.hpp>

#include "base/time.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/accounts/submissions.h"
#include "modules/groups/access.h"
#include "modules/groups/drafts/diff.h"
#include "modules/groups/drafts/diff_view.h"
#include "modules/groups/drafts/store.h"
#include "modules/notifications/notify.h"
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
using groups::space_of;
using groups::readable_group;
using groups::visible_group;
using groups::drafts::Change;
using groups::drafts::Draft;
using groups::drafts::DraftStore;
using groups::drafts::Version;
using groups::drafts::inline_data;
using groups::drafts::side_by_side_data;
using nlohmann::json;
using web::json_response;
using web::parse_id;
using web::string_field;

constexpr int kDraftsPerPage = 20;
constexpr int kVersionsPerPage = 50;
constexpr std::string_view kNotMember = "drafts_error_not_member";

std::string draft_href(std::int64_t id) { return "/entwuerfe/" + std::to_string(id); }
std::string drafts_href(std::int64_t group_id) { return group_href(group_id) + "/entwuerfe"; }
std::string decision_href(std::int64_t id) { return "/entscheidungen/" + std::to_string(id); }

json draft_json(const Draft& d) {
  return {{"id", d.id},
          {"group_id", d.group_id},
          {"title", d.title},
          {"current_version", d.current_version},
          {"state", d.frozen ? "frozen" : "open"},
          {"frozen_by_decision_id",
           d.frozen_by_decision_id ? json(*d.frozen_by_decision_id) : json(nullptr)},
          {"frozen_at", d.frozen ? json(rfc3339_utc(d.frozen_at)) : json(nullptr)},
          {"url", draft_href(d.id)},
          {"created_at", rfc3339_utc(d.created_at)},
          {"updated_at", rfc3339_utc(d.updated_at)}};
}

json version_json(const web::Catalog& c, std::string_view lang, const Version& v, bool body) {
  json out = {{"number", v.number},
              {"author", web::author_name(c, lang, v.author_name)},
              {"organisations", v.organisations},
              {"note", v.note},
              {"created_at", rfc3339_utc(v.created_at)}};
  if (body) out["body"] = v.body;
  return out;
}

// What the DSGVO export holds of a person: the drafts they started and the versions they
// wrote (with their texts and notes).
const std::vector<groups::ExportedTable> kExportedTables = {
    {"drafts",
     "SELECT id, group_id, title, created_at FROM group_drafts WHERE created_by = $1 ORDER BY id",
     {"id", "group_id", "title", "created_at"}},
    {"versions",
     "SELECT draft_id, number, body, note, created_at FROM group_draft_versions"
     " WHERE author_id = $1 ORDER BY draft_id, number",
     {"draft_id", "number", "body", "note", "created_at"}},
};

class DraftsModule : public web::Module {
 public:
  std::string_view name() const override { return "drafts"; }

  std::vector<db::Migration> migrations() const override {
    return groups::drafts::drafts_migrations();
  }

  std::vector<web::NoticeKind> notice_kinds() const override {
    return {{"groups.draft", "drafts_notice_kind", web::Delivery::digest}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    router.add(http::Method::get, "/arbeitsgruppen/{id}/entwuerfe",
               [&s](http::Request& r) { return list_page(s, r); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/entwuerfe/neu",
               [&s](http::Request& r) { return new_page(s, r, false); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/entwuerfe/neu",
               [&s](http::Request& r) { return new_page(s, r, true); });
    router.add(http::Method::get, "/entwuerfe/{id}",
               [&s](http::Request& r) { return draft_page(s, r); });
    router.add(http::Method::get, "/entwuerfe/{id}/bearbeiten",
               [&s](http::Request& r) { return edit_page(s, r, false); });
    router.add(http::Method::post, "/entwuerfe/{id}/bearbeiten",
               [&s](http::Request& r) { return edit_page(s, r, true); });
    router.add(http::Method::get, "/entwuerfe/{id}/versionen",
               [&s](http::Request& r) { return versions_page(s, r); });
    router.add(http::Method::get, "/entwuerfe/{id}/vergleich",
               [&s](http::Request& r) { return compare_page(s, r); });
    router.add(http::Method::get, "/api/v1/groups/{id}/drafts",
               [&s](http::Request& r) { return api_list(s, r); });
    router.add(http::Method::post, "/api/v1/groups/{id}/drafts",
               [&s](http::Request& r) { return api_create(s, r); });
    router.add(http::Method::get, "/api/v1/drafts/{id}",
               [&s](http::Request& r) { return api_draft(s, r); });
    router.add(http::Method::get, "/api/v1/drafts/{id}/versions",
               [&s](http::Request& r) { return api_versions(s, r); });
    router.add(http::Method::post, "/api/v1/drafts/{id}/versions",
               [&s](http::Request& r) { return api_save(s, r); });
    router.add(http::Method::get, "/api/v1/drafts/{id}/versions/{n}",
               [&s](http::Request& r) { return api_version(s, r); });
  }

  // Versions keep their place after an erasure (author NULL: "gelöschtes Konto"), as the
  // foreign keys do by themselves; nothing to do before.
  Result<json> export_personal_data(web::Services& s, std::int64_t account_id) const override {
    return groups::export_tables(s.db, account_id, kExportedTables);
  }

  Status seed_demo(web::Services& s) override;

  void describe_api(json& doc) const override;

 private:
  // The draft {id} and its group, if the reader may read the group; not_found otherwise.
  static Result<std::pair<Draft, Group>> visible_draft(web::Services& s, const http::Request& r) {
    auto id = parse_id(r.param("id"));
    if (!id) return fail(ErrorCode::not_found, "no such draft");
    AH_TRY(draft, DraftStore(s.db).find(*id));
    AH_TRY(group, visible_group(s, r, draft.group_id));
    return std::pair{std::move(draft), std::move(group)};
  }

  // For pages acting on the draft {id}: signed in, may read it, and a member (group.post).
  static std::expected<std::pair<Draft, Group>, http::Response> acting_on_draft(
      web::Services& s, const http::Request& r) {
    if (r.account_id == 0) return std::unexpected(http::Response::redirect("/konto/anmelden"));
    auto found = visible_draft(s, r);
    if (!found) return std::unexpected(refusal(s, r, found.error()));
    if (auto no = refused(s, r, authz::Action::group_post, found->second.id, kNotMember))
      return std::unexpected(*no);
    return std::move(*found);
  }

  // Common page data: the draft's group, for the way back.
  static void set_group(web::Data& data, const Group& group) {
    data.set("group_name", group.name);
    data.set("group_href", group_href(group.id));
    data.set("drafts_href", drafts_href(group.id));
  }

  static void set_frozen(web::Data& data, const Draft& d, std::string_view lang) {
    if (!d.frozen) return;
    data.set("frozen", true);
    data.set("frozen_at", web::format_date_time(d.frozen_at, lang));
    if (d.frozen_by_decision_id) data.set("decision_href", decision_href(*d.frozen_by_decision_id));
  }

  // Stores a new draft or version and, in its transaction, tells the people who wrote
  // versions of it before (still members; never the author); mails after the commit.
  static groups::drafts::AlsoInTransaction tell_editors(web::Services& s, const http::Request& r,
                                                        std::int64_t group_id,
                                                        const std::string& title,
                                                        const std::string& note,
                                                        std::vector<std::int64_t>& notices) {
    return [&s, &r, group_id, title, note, &notices](db::Connection& tx, std::int64_t draft,
                                           std::int64_t number) -> Status {
      AH_TRY(editors, DraftStore::editors(tx, draft, r.account_id));
      const auto& c = s.view.catalog();
      for (auto who : editors) {
        AH_TRY(id, notifications::notify(
                       s, tx,
                       {who, "groups.draft",
                        c.text("de", "drafts_notice_title") + " „" + title + "“ (" +
                            c.text("de", "drafts_version") + " " + std::to_string(number) + ")",
                        note, draft_href(draft) + "/versionen", groups::notice_scope(group_id)}));
        notices.push_back(id);
      }
      return {};
    };
  }

  // GET /arbeitsgruppen/{id}/entwuerfe
  static http::Response list_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    auto page = DraftStore(s.db).list(group->id, query->get("cursor"), kDraftsPerPage);
    if (!page) return refusal(s, r, page.error());
    auto may_post = can(s, r, authz::Action::group_post, space_of(group->id));
    if (!may_post) return refusal(s, r, may_post.error());
    web::Data list{web::Data::type::list};
    for (const auto& d : page->items) {
      web::Data item{web::Data::type::object};
      item.set("title", d.title);
      item.set("href", draft_href(d.id));
      item.set("version", std::to_string(d.current_version));
      item.set("updated", web::format_date_time(d.updated_at, r.lang));
      item.set("frozen", d.frozen);
      list.push_back(item);
    }
    web::Data data{web::Data::type::object};
    set_group(data, *group);
    data.set("drafts", list);
    data.set("can_post", *may_post);
    data.set("new_href", drafts_href(group->id) + "/neu");
    if (!page->next_cursor.empty())
      data.set("next_href",
               drafts_href(group->id) + "?" + http::build_query({{"cursor", page->next_cursor}}));
    return render(s, r, "drafts_list", std::move(data), c.text(r.lang, "drafts_heading") + " – " + group->name);
  }

  // GET/POST /arbeitsgruppen/{id}/entwuerfe/neu: a member starts a draft.
  static http::Response new_page(web::Services& s, http::Request& r, bool submitted) {
    const auto& c = s.view.catalog();
    auto group = acting_on_group(s, r, authz::Action::group_post, kNotMember);
    if (!group) return group.error();
    web::FormState form;
    if (!submitted) {
      form.values["once"] = accounts::Submissions::new_key();
    } else {
      auto parsed = http::parse_form(r.body);
      if (!parsed) return web::error_response(s.view, r, 400);
      for (const char* field : {"title", "body", "note", "once"})
        form.values[field] = std::string(parsed->get(field));
      for (const auto& [field, key] : groups::drafts::validate_draft(
               form.values["title"], form.values["body"], form.values["note"]))
        form.errors.emplace(field, key);
      if (form.ok()) {
        auto location = accounts::Submissions(s.db).once(
            r.account_id, form.values["once"], accounts::unix_now(), [&]() -> Result<std::string> {
              AH_TRY(id, DraftStore(s.db).create(group->id, form.values["title"],
                                                 form.values["body"], form.values["note"],
                                                 r.account_id, accounts::unix_now()));
              return draft_href(id);
            });
        if (!location) return refusal(s, r, location.error());
        return http::Response::redirect(*location);
      }
    }
    web::Data data = web::form_data(c, r.lang, form);
    set_group(data, *group);
    data.set("action", drafts_href(group->id) + "/neu");
    return render(s, r, "drafts_new", std::move(data), c.text(r.lang, "drafts_new_heading"),
                  form.ok() ? 200 : 422);
  }

  // GET /entwuerfe/{id} (?fassung=N for an earlier version)
  static http::Response draft_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = visible_draft(s, r);
    if (!found) return refusal(s, r, found.error());
    auto& [draft, group] = *found;
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    std::int64_t number = draft.current_version;
    if (auto asked = query->get("fassung"); !asked.empty()) {
      auto n = parse_id(asked);
      if (!n) return web::error_response(s.view, r, 404);
      number = *n;
    }
    auto version = DraftStore(s.db).version(draft.id, number);
    if (!version) return refusal(s, r, version.error());
    auto may_post = can(s, r, authz::Action::group_post, space_of(group.id));
    if (!may_post) return refusal(s, r, may_post.error());
    web::Data data{web::Data::type::object};
    set_group(data, group);
    set_frozen(data, draft, r.lang);
    data.set("draft_title", draft.title);
    data.set("href", draft_href(draft.id));
    data.set("version", std::to_string(version->number));
    data.set("current_version", std::to_string(draft.current_version));
    data.set("earlier", version->number != draft.current_version);
    data.set("author", web::author_name(c, r.lang, version->author_name));
    data.set("when", web::format_date_time(version->created_at, r.lang));
    data.set("note", version->note);
    data.set("body_html", web::rich_text(version->body, s));
    data.set("can_edit", *may_post && !draft.frozen);
    // Members who may open decisions put the draft to one (groups/decisions).
    auto may_decide = can(s, r, authz::Action::group_decide, space_of(group.id));
    if (!may_decide) return refusal(s, r, may_decide.error());
    if (*may_decide && !draft.frozen)
      data.set("decide_href", group_href(group.id) + "/entscheidungen/neu?entwurf=" +
                                  std::to_string(draft.id));
    return render(s, r, "drafts_draft", std::move(data), draft.title);
  }

  // GET/POST /entwuerfe/{id}/bearbeiten (body, note, base_version). A save on a version
  // that is no longer current comes back as the conflict page: their text, the diff from
  // theirs to the person's, and the person's text kept in the form, now based on theirs —
  // saving again puts it on top; taking theirs is the link to a fresh edit page.
  static http::Response edit_page(web::Services& s, http::Request& r, bool submitted) {
    const auto& c = s.view.catalog();
    auto found = acting_on_draft(s, r);
    if (!found) return found.error();
    auto& [draft, group] = *found;
    if (draft.frozen)
      return web::error_response(s.view, r, 409, c.text(r.lang, std::string(groups::drafts::kFrozen)));
    DraftStore store(s.db);
    web::FormState form;
    std::optional<Version> theirs;
    if (!submitted) {
      auto current = store.version(draft.id, draft.current_version);
      if (!current) return refusal(s, r, current.error());
      form.values = {{"body", current->body},
                     {"base_version", std::to_string(current->number)}};
    } else {
      auto parsed = http::parse_form(r.body);
      if (!parsed) return web::error_response(s.view, r, 400);
      for (const char* field : {"body", "note", "base_version"})
        form.values[field] = std::string(parsed->get(field));
      auto base = parse_id(form.values["base_version"]);
      if (!base) return web::error_response(s.view, r, 400);
      for (const auto& [field, key] :
           groups::drafts::validate_revision(form.values["body"], form.values["note"]))
        form.errors.emplace(field, key);
      if (form.ok()) {
        std::vector<std::int64_t> notices;
        auto saved = store.save(
            draft.id, {.base_version = *base, .body = form.values["body"], .note = form.values["note"]},
            r.account_id, accounts::unix_now(),
            tell_editors(s, r, draft.group_id, draft.title, form.values["note"], notices));
        if (!saved) return refusal(s, r, saved.error());
        notifications::deliver(s, notices);
        // A double click: the first save landed, the second finds it current.
        bool repeated = !saved->landed && saved->current.author_id == r.account_id &&
                        saved->current.body == form.values["body"];
        if (saved->landed || repeated) return http::Response::redirect(draft_href(draft.id));
        theirs = std::move(saved->current);
        form.values["base_version"] = std::to_string(theirs->number);
      }
    }
    web::Data data = web::form_data(c, r.lang, form);
    set_group(data, group);
    data.set("draft_title", draft.title);
    data.set("href", draft_href(draft.id));
    data.set("action", draft_href(draft.id) + "/bearbeiten");
    if (theirs) {
      data.set("conflict", true);
      data.set("their_version", std::to_string(theirs->number));
      data.set("their_author", web::author_name(c, r.lang, theirs->author_name));
      data.set("their_organisations", joined(theirs->organisations));
      data.set("their_when", web::format_date_time(theirs->created_at, r.lang));
      data.set("their_note", theirs->note);
      data.set("their_html", web::rich_text(theirs->body, s));
      data.set("lines", inline_data(groups::drafts::diff_texts(theirs->body, form.values["body"])));
    }
    int status = theirs ? 409 : form.ok() ? 200 : 422;
    return render(s, r, "drafts_edit", std::move(data), c.text(r.lang, "drafts_edit_heading") + ": " + draft.title,
                  status);
  }

  // GET /entwuerfe/{id}/versionen (?cursor=)
  static http::Response versions_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = visible_draft(s, r);
    if (!found) return refusal(s, r, found.error());
    auto& [draft, group] = *found;
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    auto page = DraftStore(s.db).versions(draft.id, query->get("cursor"), kVersionsPerPage);
    if (!page) return refusal(s, r, page.error());
    web::Data list{web::Data::type::list};
    const std::int64_t from = std::max<std::int64_t>(1, draft.current_version - 1);
    web::Data from_options{web::Data::type::list}, to_options{web::Data::type::list};
    for (const auto& v : page->items) {
      web::Data item{web::Data::type::object};
      item.set("number", std::to_string(v.number));
      item.set("href", draft_href(draft.id) + "?" +
                           http::build_query({{"fassung", std::to_string(v.number)}}));
      item.set("author", web::author_name(c, r.lang, v.author_name));
      item.set("organisations", joined(v.organisations));
      item.set("when", web::format_date_time(v.created_at, r.lang));
      item.set("when_iso", rfc3339_utc(v.created_at));
      item.set("note", v.note);
      list.push_back(item);
      for (auto [options, chosen] : {std::pair{&from_options, from},
                                     std::pair{&to_options, draft.current_version}}) {
        web::Data option{web::Data::type::object};
        option.set("value", std::to_string(v.number));
        option.set("selected", v.number == chosen);
        options->push_back(option);
      }
    }
    web::Data data{web::Data::type::object};
    set_group(data, group);
    set_frozen(data, draft, r.lang);
    data.set("draft_title", draft.title);
    data.set("href", draft_href(draft.id));
    data.set("versions", list);
    data.set("from_options", from_options);
    data.set("to_options", to_options);
    data.set("can_compare", draft.current_version > 1);
    if (!page->next_cursor.empty())
      data.set("next_href", draft_href(draft.id) + "/versionen?" +
                                http::build_query({{"cursor", page->next_cursor}}));
    return render(s, r, "drafts_versions", std::move(data),
                  c.text(r.lang, "drafts_versions_heading") + ": " + draft.title);
  }

  // GET /entwuerfe/{id}/vergleich?von=A&bis=B&ansicht=inline|nebeneinander
  static http::Response compare_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = visible_draft(s, r);
    if (!found) return refusal(s, r, found.error());
    auto& [draft, group] = *found;
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    auto from = parse_id(query->get("von"));
    auto to = parse_id(query->get("bis"));
    std::string view(query->get("ansicht"));
    if (view.empty()) view = "inline";
    if (!from || !to || (view != "inline" && view != "nebeneinander"))
      return web::error_response(s.view, r, 400, c.text(r.lang, "drafts_error_compare"));
    DraftStore store(s.db);
    auto before = store.version(draft.id, *from);
    if (!before) return refusal(s, r, before.error());
    auto after = store.version(draft.id, *to);
    if (!after) return refusal(s, r, after.error());
    auto diff = groups::drafts::diff_texts(before->body, after->body);
    web::Data data{web::Data::type::object};
    set_group(data, group);
    data.set("draft_title", draft.title);
    data.set("href", draft_href(draft.id));
    data.set("from", std::to_string(*from));
    data.set("to", std::to_string(*to));
    data.set("from_label", c.text(r.lang, "drafts_version") + " " + std::to_string(*from));
    data.set("to_label", c.text(r.lang, "drafts_version") + " " + std::to_string(*to));
    data.set("identical", diff.identical());
    data.set("coarse", diff.coarse);
    bool side = view == "nebeneinander";
    data.set("side_by_side", side);
    if (side)
      data.set("rows", side_by_side_data(diff));
    else
      data.set("lines", inline_data(diff));
    auto other = [&](const char* name) {
      return draft_href(draft.id) + "/vergleich?" +
             http::build_query(
                 {{"von", std::to_string(*from)}, {"bis", std::to_string(*to)}, {"ansicht", name}});
    };
    data.set("inline_href", other("inline"));
    data.set("side_href", other("nebeneinander"));
    return render(s, r, "drafts_compare", std::move(data),
                  c.text(r.lang, "drafts_compare_heading") + ": " + draft.title);
  }

  // --- JSON API ---

  static std::optional<http::Response> api_write_refused(web::Services& s, const http::Request& r,
                                                         std::int64_t group_id) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    return refused(s, r, authz::Action::group_post, group_id, kNotMember);
  }

  static Result<json> json_body(web::Services& s, const http::Request& r) {
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return fail(ErrorCode::invalid_input, s.view.catalog().text(r.lang, "groups_error_json"));
    return body;
  }

  static http::Response api_list(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    int limit = web::page_limit(query->get("limit"), kDraftsPerPage);
    if (limit < 0) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_limit"));
    auto page = DraftStore(s.db).list(group->id, query->get("cursor"), limit);
    if (!page) return refusal(s, r, page.error());
    json items = json::array();
    for (const auto& d : page->items) items.push_back(draft_json(d));
    return json_response({{"items", items}, {"next_cursor", cursor_json(page->next_cursor)}});
  }

  static http::Response api_create(web::Services& s, http::Request& r) {
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto group = visible_group(s, r, *id);
    if (!group) return refusal(s, r, group.error());
    if (auto no = api_write_refused(s, r, *id)) return *no;
    auto body = json_body(s, r);
    if (!body) return web::error_response(s.view, r, 400, body.error().message);
    std::string title = string_field(*body, "title"), text = string_field(*body, "body"),
                note = string_field(*body, "note");
    if (auto errors = groups::drafts::validate_draft(title, text, note); !errors.empty())
      return invalid(s, r, errors);
    auto created = DraftStore(s.db).create(*id, title, text, note, r.account_id, accounts::unix_now());
    if (!created) return refusal(s, r, created.error());
    auto draft = DraftStore(s.db).find(*created);
    if (!draft) return refusal(s, r, draft.error());
    auto response = json_response(draft_json(*draft), 201);
    response.headers.set("Location", "/api/v1/drafts/" + std::to_string(*created));
    return response;
  }

  static http::Response api_draft(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = visible_draft(s, r);
    if (!found) return refusal(s, r, found.error());
    auto current = DraftStore(s.db).version(found->first.id, found->first.current_version);
    if (!current) return refusal(s, r, current.error());
    json out = draft_json(found->first);
    out["body"] = current->body;
    out["current"] = version_json(c, r.lang, *current, false);
    return json_response(out);
  }

  static http::Response api_versions(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = visible_draft(s, r);
    if (!found) return refusal(s, r, found.error());
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    int limit = web::page_limit(query->get("limit"), kVersionsPerPage);
    if (limit < 0) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_limit"));
    auto page = DraftStore(s.db).versions(found->first.id, query->get("cursor"), limit);
    if (!page) return refusal(s, r, page.error());
    json items = json::array();
    for (const auto& v : page->items) items.push_back(version_json(c, r.lang, v, false));
    return json_response({{"items", items}, {"next_cursor", cursor_json(page->next_cursor)}});
  }

  static http::Response api_version(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = visible_draft(s, r);
    if (!found) return refusal(s, r, found.error());
    auto number = parse_id(r.param("n"));
    if (!number) return web::error_response(s.view, r, 404);
    auto version = DraftStore(s.db).version(found->first.id, *number);
    if (!version) return refusal(s, r, version.error());
    return json_response(version_json(c, r.lang, *version, true));
  }

  // POST /api/v1/drafts/{id}/versions {"base_version", "body", "note"}: 201 with the new
  // version, or 409 with the current version's number (current_version) to compare with.
  static http::Response api_save(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto found = visible_draft(s, r);
    if (!found) return refusal(s, r, found.error());
    auto& [draft, group] = *found;
    if (auto no = api_write_refused(s, r, group.id)) return *no;
    auto body = json_body(s, r);
    if (!body) return web::error_response(s.view, r, 400, body.error().message);
    auto base = body->find("base_version");
    if (base == body->end() || !base->is_number_integer() || base->get<std::int64_t>() < 1)
      return invalid(s, r, {{"base_version", "drafts_error_base_version"}});
    groups::drafts::Revision revision{.base_version = base->get<std::int64_t>(),
                                      .body = string_field(*body, "body"),
                                      .note = string_field(*body, "note")};
    if (auto errors = groups::drafts::validate_revision(revision.body, revision.note);
        !errors.empty())
      return invalid(s, r, errors);
    std::vector<std::int64_t> notices;
    auto saved = DraftStore(s.db).save(draft.id, revision, r.account_id, accounts::unix_now(),
                                       tell_editors(s, r, draft.group_id, draft.title, revision.note, notices));
    if (!saved) {
      if (saved.error().message != groups::drafts::kFrozen) return refusal(s, r, saved.error());
      return conflict(s, r, c.text(r.lang, std::string(groups::drafts::kFrozen)),
                      draft.current_version);
    }
    notifications::deliver(s, notices);
    if (!saved->landed)
      return conflict(s, r, c.text(r.lang, "drafts_conflict_api"), saved->current.number);
    auto response = json_response(version_json(c, r.lang, saved->current, true), 201);
    response.headers.set("Location", "/api/v1/drafts/" + std::to_string(draft.id) + "/versions/" +
                                         std::to_string(saved->current.number));
    return response;
  }

  // The 409 problem with the number of the version that is current now.
  static http::Response conflict(web::Services& s, const http::Request& r, const std::string& detail,
                                 std::int64_t current_version) {
    auto response = web::error_response(s.view, r, 409, detail);
    auto problem = json::parse(response.body, nullptr, false);
    if (problem.is_object()) {
      problem["current_version"] = current_version;
      response.body = problem.dump();
    }
    return response;
  }
};

// "Leitfaden Online-Beteiligung" in the AG Digitale Beteiligung: three versions by members
// from the Land, Kemberg and Wittenberg.
Status DraftsModule::seed_demo(web::Services& s) {
  const std::int64_t now = accounts::unix_now(), day = 86400;
  AH_TRY(group, s.db.query("SELECT id FROM work_groups WHERE name = $1 ORDER BY id LIMIT 1",
                           {db::Value{std::string("AG Digitale Beteiligung")}}));
  if (group.rows.empty()) return {};
  const std::int64_t group_id = group.rows[0].int64(0);
  accounts::AccountStore people(s.db);
  AH_TRY(land, people.find_by_email("land@demo.augenhoehe.invalid"));
  AH_TRY(wittenberg, people.find_by_email("wittenberg@demo.augenhoehe.invalid"));
  AH_TRY(kemberg, people.find_by_email("gemeinde-admin@demo.augenhoehe.invalid"));
  if (!land || !wittenberg || !kemberg) return {};
  const std::string first =
      "# Leitfaden Online-Beteiligung\n\n"
      "## Vorbereitung\n\n"
      "- Ziel der Beteiligung klären\n"
      "- Zeitraum festlegen\n\n"
      "## Durchführung\n\n"
      "Die Beteiligung wird auf der Plattform veröffentlicht.\n";
  const std::string second =
      "# Leitfaden Online-Beteiligung\n\n"
      "## Vorbereitung\n\n"
      "- Ziel der Beteiligung klären\n"
      "- Zeitraum festlegen (mindestens vier Wochen)\n"
      "- Aushang mit QR-Code und Kurzadresse vorbereiten\n\n"
      "## Durchführung\n\n"
      "Die Beteiligung wird auf der Plattform veröffentlicht.\n";
  const std::string third =
      "# Leitfaden Online-Beteiligung\n\n"
      "## Vorbereitung\n\n"
      "- Ziel der Beteiligung klären\n"
      "- Zeitraum festlegen (mindestens vier Wochen)\n"
      "- Aushang mit QR-Code und Kurzadresse vorbereiten\n\n"
      "## Durchführung\n\n"
      "Die Beteiligung wird auf der Plattform und im Amtsblatt veröffentlicht.\n\n"
      "## Barrierefreiheit\n\n"
      "Anhänge als barrierefreie PDF; Texte in Leichter Sprache, wo es geht.\n";
  DraftStore drafts(s.db);
  AH_TRY(id, drafts.create(group_id, "Leitfaden Online-Beteiligung", first, "Erste Gliederung",
                           land->id, now - 10 * day));
  AH_TRY(v2, drafts.save(id, {.base_version = 1, .body = second,
                              .note = "Frist und Aushang aus der Praxis in Kemberg"},
                         kemberg->id, now - 7 * day));
  AH_TRY(v3, drafts.save(id, {.base_version = 2, .body = third,
                              .note = "Amtsblatt und Barrierefreiheit ergänzt"},
                         wittenberg->id, now - 2 * day));
  (void)v2;
  (void)v3;
  return {};
}

void DraftsModule::describe_api(json& doc) const {
  namespace oa = web::openapi;
  json problem = oa::problem();
  auto& schemas = doc["components"]["schemas"];
  schemas["Draft"] = {
      {"type", "object"},
      {"required", {"id", "group_id", "title", "current_version", "state", "url"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"group_id", {{"type", "integer"}}},
        {"title", {{"type", "string"}}},
        {"current_version", {{"type", "integer"}}},
        {"state",
         {{"type", "string"},
          {"enum", {"open", "frozen"}},
          {"description", "frozen: adopted by a decision; no more versions"}}},
        {"frozen_by_decision_id", {{"type", {"integer", "null"}}}},
        {"frozen_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
        {"url", {{"type", "string"}, {"description", "the draft's page"}}},
        {"body",
         {{"type", "string"},
          {"description", "Markdown of the current version (single draft only)"}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}},
        {"updated_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  schemas["DraftVersion"] = {
      {"type", "object"},
      {"required", {"number", "author", "organisations", "note", "created_at"}},
      {"properties",
       {{"number", {{"type", "integer"}}},
        {"author", {{"type", "string"}, {"description", "display name, or 'gelöschtes Konto'"}}},
        {"organisations",
         {{"type", "array"},
          {"items", {{"type", "string"}}},
          {"description", "where the author is staff"}}},
        {"note", {{"type", "string"}, {"description", "what changed"}}},
        {"body", {{"type", "string"}, {"description", "Markdown; single version only"}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  auto& paths = doc["paths"];
  json group_id = oa::param("id", "path", "group id", "1");
  json draft_id = oa::param("id", "path", "draft id", "1");
  json list_params = oa::paging();
  list_params.insert(list_params.begin(), group_id);
  paths["/api/v1/groups/{id}/drafts"]["get"] = {
      {"operationId", "listGroupDrafts"},
      {"summary", "A group's drafts, most recently changed first"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", list_params},
      {"responses", {{"200", oa::ok(oa::list_of("Draft"))}, {"400", problem}, {"404", problem}}}};
  paths["/api/v1/groups/{id}/drafts"]["post"] = oa::create_op(
      "createGroupDraft", "Start a draft with its first version (members of the group)",
      "Arbeitsgruppen", {group_id},
      {{"type", "object"},
       {"required", {"title", "body"}},
       {"properties",
        {{"title", {{"type", "string"}}},
         {"body", {{"type", "string"}, {"description", "Markdown"}}},
         {"note", {{"type", "string"}, {"description", "what this version is"}}}}}},
      "Draft");
  paths["/api/v1/drafts/{id}"]["get"] = {
      {"operationId", "getDraft"},
      {"summary", "A draft with the body of its current version"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", {draft_id}},
      {"responses", {{"200", oa::ok(oa::ref("Draft"))}, {"404", problem}}}};
  json version_params = oa::paging();
  version_params.insert(version_params.begin(), draft_id);
  paths["/api/v1/drafts/{id}/versions"]["get"] = {
      {"operationId", "listDraftVersions"},
      {"summary", "A draft's versions, newest first, without bodies"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", version_params},
      {"responses",
       {{"200", oa::ok(oa::list_of("DraftVersion"))}, {"400", problem}, {"404", problem}}}};
  json save = oa::create_op(
      "saveDraftVersion",
      "Save the next version. base_version names the version the text was written on; when "
      "another version is current by now, 409 with current_version and nothing is saved",
      "Arbeitsgruppen", {draft_id},
      {{"type", "object"},
       {"required", {"base_version", "body"}},
       {"properties",
        {{"base_version", {{"type", "integer"}, {"minimum", 1}}},
         {"body", {{"type", "string"}, {"description", "Markdown"}}},
         {"note", {{"type", "string"}, {"description", "what changed"}}}}}},
      "DraftVersion");
  paths["/api/v1/drafts/{id}/versions"]["post"] = save;
  paths["/api/v1/drafts/{id}/versions/{n}"]["get"] = {
      {"operationId", "getDraftVersion"},
      {"summary", "One version of a draft with its body"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", {draft_id, oa::param("n", "path", "version number", "1")}},
      {"responses", {{"200", oa::ok(oa::ref("DraftVersion"))}, {"404", problem}}}};
}

}  // namespace

std::unique_ptr<web::Module> make_drafts_module() { return std::make_unique<DraftsModule>(); }

}  // namespace ah::modules
