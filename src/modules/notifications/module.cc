#include "modules/notifications/module.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "base/time.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/notifications/notify.h"
#include "modules/notifications/store.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/format.h"

namespace ah::modules {

namespace {

using json = nlohmann::json;
using notifications::NotificationStore;
using notifications::StoredNotice;

constexpr int kPageSize = 20;
constexpr const char* kListPath = "/konto/benachrichtigungen";
constexpr const char* kSettingsPath = "/konto/benachrichtigungen/einstellungen";
// What a redirect may announce (?done=KEY); anything else in the query is ignored.
constexpr std::string_view kDone[] = {"read", "all_read", "saved"};
constexpr web::Delivery kDeliveries[] = {web::Delivery::in_app, web::Delivery::immediate,
                                         web::Delivery::digest};

std::string kind_label(const web::Services& s, std::string_view lang, std::string_view kind) {
  auto found = notifications::find_kind(s, kind);
  return found ? s.view.catalog().text(lang, found->label_key) : std::string(kind);
}

json notice_json(const StoredNotice& n) {
  return {{"id", n.id},
          {"kind", n.kind},
          {"title", n.title},
          {"text", n.text},
          {"link", n.link.empty() ? json(nullptr) : json(n.link)},
          {"created_at", rfc3339_utc(n.created_at)},
          {"read_at", n.read_at ? json(rfc3339_utc(*n.read_at)) : json(nullptr)}};
}

class NotificationsModule : public web::Module {
 public:
  std::string_view name() const override { return "notifications"; }

  std::vector<db::Migration> migrations() const override {
    return notifications::notification_migrations();
  }

  void register_routes(http::Router& router, web::Services& s) override {
    s.view.set_unread_counter([&s](std::int64_t account_id) -> std::int64_t {
      auto count = NotificationStore(s.db).unread_count(account_id);
      if (!count) spdlog::error("unread notices not counted: {}", count.error().detail);
      return count.value_or(0);
    });
    router.add(http::Method::get, kListPath, [&s](http::Request& r) { return list_page(s, r); });
    router.add(http::Method::post, "/konto/benachrichtigungen/gelesen",
               [&s](http::Request& r) { return mark_all(s, r); });
    router.add(http::Method::post, "/konto/benachrichtigungen/{id}/gelesen",
               [&s](http::Request& r) { return mark_one(s, r); });
    router.add(http::Method::get, kSettingsPath,
               [&s](http::Request& r) { return settings_page(s, r); });
    router.add(http::Method::post, kSettingsPath,
               [&s](http::Request& r) { return settings_submit(s, r); });
    router.add(http::Method::get, "/benachrichtigungen/{id}",
               [&s](http::Request& r) { return open_notice(s, r); });
    router.add(http::Method::get, "/api/v1/notifications",
               [&s](http::Request& r) { return api_list(s, r); });
    router.add(http::Method::post, "/api/v1/notifications/{id}/read",
               [&s](http::Request& r) { return api_read(s, r); });
  }

  std::vector<web::PeriodicJob> periodic_jobs(web::Services& s) override {
    return {{"send due notification mails", std::chrono::minutes(1),
             [&s] { return notifications::send_due_mails(s, accounts::unix_now()); }},
            {"send notification digests", std::chrono::minutes(10),
             [&s] { return notifications::send_digests(s, accounts::unix_now()); }}};
  }

  Result<json> export_personal_data(web::Services& s, std::int64_t account_id) const override {
    NotificationStore store(s.db);
    json notices = json::array();
    std::string cursor;
    do {
      AH_TRY(page, store.list(account_id, cursor, 100));
      for (const auto& n : page.items) notices.push_back(notice_json(n));
      cursor = page.next_cursor;
    } while (!cursor.empty());
    AH_TRY(chosen, store.choices(account_id));
    json settings = json::object();
    for (const auto& [kind, delivery] : chosen)
      settings[kind] = std::string(notifications::to_string(delivery));
    AH_TRY(by_scope, store.scope_choices(account_id));
    json scope_settings = json::object();
    for (const auto& [scope, delivery] : by_scope)
      scope_settings[scope] = std::string(notifications::to_string(delivery));
    return json{{"notices", notices}, {"settings", settings}, {"scope_settings", scope_settings}};
  }

  void describe_api(json& doc) const override {
    json problem = {{"$ref", "#/components/responses/Problem"}};
    doc["components"]["schemas"]["Notification"] = {
        {"type", "object"},
        {"required", {"id", "kind", "title", "text", "link", "created_at", "read_at"}},
        {"properties",
         {{"id", {{"type", "integer"}}},
          {"kind", {{"type", "string"}, {"description", "e.g. participation.comment_reply"}}},
          {"title", {{"type", "string"}}},
          {"text", {{"type", "string"}}},
          {"link", {{"type", {"string", "null"}}, {"description", "a path on this site"}}},
          {"created_at", {{"type", "string"}, {"format", "date-time"}}},
          {"read_at", {{"type", {"string", "null"}}, {"format", "date-time"}}}}}};
    json security = json::array(
        {json::object({{"session", json::array()}}), json::object({{"token", json::array()}})});
    auto query = [](const char* name, const char* description) {
      return json{{"name", name},
                  {"in", "query"},
                  {"required", false},
                  {"description", description},
                  {"schema", {{"type", "string"}}}};
    };
    doc["paths"]["/api/v1/notifications"]["get"] = {
        {"operationId", "listNotifications"},
        {"summary", "The signed-in person's notices, newest first (scope read)"},
        {"tags", {"Benachrichtigungen"}},
        {"security", security},
        {"parameters",
         {query("cursor", "next_cursor of the previous page"),
          query("limit", "1–100, default 20")}},
        {"responses",
         {{"200",
           {{"description", "OK"},
            {"content",
             {{"application/json",
               {{"schema",
                 {{"type", "object"},
                  {"required", {"items", "next_cursor", "unread"}},
                  {"properties",
                   {{"items",
                     {{"type", "array"},
                      {"items", {{"$ref", "#/components/schemas/Notification"}}}}},
                    {"next_cursor", {{"type", {"string", "null"}}}},
                    {"unread", {{"type", "integer"}}}}}}}}}}}}},
          {"400", problem},
          {"401", problem}}}};
    doc["paths"]["/api/v1/notifications/{id}/read"]["post"] = {
        {"operationId", "markNotificationRead"},
        {"summary", "Mark one of the person's notices read (scope write)"},
        {"tags", {"Benachrichtigungen"}},
        {"security", security},
        {"parameters",
         {{{"name", "id"},
           {"in", "path"},
           {"required", true},
           {"description", "the notice's id"},
           {"schema", {{"type", "integer"}}}}}},
        {"x-example", {{"id", 1}}},
        {"responses",
         {{"200",
           {{"description", "The notice, read"},
            {"content",
             {{"application/json",
               {{"schema", {{"$ref", "#/components/schemas/Notification"}}}}}}}}},
          {"401", problem},
          {"404", problem}}}};
  }

  // A few notices for the demo citizen, so that the page and the menu show something.
  // They are not mailed: they describe things that did not happen.
  Status seed_demo(web::Services& s) override {
    AH_TRY(person, accounts::AccountStore(s.db).find_by_email("buergerin@demo.augenhoehe.invalid"));
    if (!person) return {};
    const std::int64_t id = person->id;
    const notifications::Notice notices[] = {
        {id, "members.request_decided", "Willkommen bei augenhoehe",
         "Hier erscheint, was Sie betrifft: Antworten auf Ihre Kommentare, neue Kommentare zu "
         "Ihren Vorschlägen und Entscheidungen über Ihre Anträge.",
         "/konto/benachrichtigungen/einstellungen"},
        {id, "participation.proposal_comment", "Neuer Kommentar zu Ihrem Vorschlag",
         "Ein Kommentar wartet auf Ihre Antwort.", "/beteiligung"},
        {id, "participation.comment_reply", "Neue Antwort auf Ihren Kommentar",
         "Jemand hat auf Ihren Kommentar geantwortet.", "/beteiligung"},
    };
    return s.db.transaction([&](db::Connection& tx) -> Status {
      for (const auto& n : notices) AH_TRY_STATUS(notifications::notify(s, tx, n));
      AH_TRY_STATUS(tx.query("UPDATE notifications SET mail_state = 'none' WHERE account_id = $1",
                             {db::Value{id}}));
      // The oldest one is read, so that the list shows both states.
      AH_TRY_STATUS(
          tx.query("UPDATE notifications SET read_at = created_at WHERE id ="
                   " (SELECT MIN(id) FROM notifications WHERE account_id = $1)",
                   {db::Value{id}}));
      return {};
    });
  }

 private:
  static http::Response render(web::Services& s, const http::Request& r, std::string_view page,
                               web::Data data, const std::string& title, int status = 200) {
    data.set("title", title);
    data.set("csrf", r.csrf_token);
    auto response = http::Response::html(s.view.render(page, data, r), status);
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  static http::Response not_found(web::Services& s, const http::Request& r) {
    return web::error_response(s.view, r, 404,
                               s.view.catalog().text(r.lang, "notifications_error_not_found"));
  }

  // GET /konto/benachrichtigungen
  static http::Response list_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    std::string cursor(query->get("cursor"));
    NotificationStore store(s.db);
    auto page = store.list(r.account_id, cursor, kPageSize);
    if (!page) return web::error_response(s.view, r, page.error());
    auto unread = store.unread_count(r.account_id);
    if (!unread) return web::error_response(s.view, r, unread.error());
    web::Data items{web::Data::type::list};
    for (const auto& n : page->items) {
      web::Data item{web::Data::type::object};
      item.set("id", std::to_string(n.id));
      item.set("title", n.title);
      item.set("text", n.text);
      item.set("kind", kind_label(s, r.lang, n.kind));
      item.set("when", web::format_date_time(n.created_at, r.lang));
      item.set("unread", !n.read_at);
      if (!n.link.empty()) item.set("href", "/benachrichtigungen/" + std::to_string(n.id));
      item.set("cursor", cursor);
      item.set("csrf", r.csrf_token);
      items.push_back(item);
    }
    web::Data data{web::Data::type::object};
    data.set("notices", items);
    data.set("has_notices", !page->items.empty());
    data.set("has_unread", *unread > 0);
    data.set("unread_count", web::format_integer(*unread, r.lang));
    data.set("first_page", cursor.empty());
    if (!page->next_cursor.empty())
      data.set("next_href",
               std::string(kListPath) + "?" + http::build_query({{"cursor", page->next_cursor}}));
    for (auto done : kDone)
      if (query->get("done") == done)
        data.set("notice", c.text(r.lang, "notifications_done_" + std::string(done)));
    return render(s, r, "notifications_list", std::move(data), c.text(r.lang, "notifications_heading"));
  }

  // The list again, on the page the form was sent from.
  static http::Response back_to_list(const http::ParamList& form, std::string_view done) {
    std::vector<std::pair<std::string, std::string>> q;
    if (auto cursor = form.get("cursor"); !cursor.empty()) q.emplace_back("cursor", cursor);
    q.emplace_back("done", done);
    return http::Response::redirect(std::string(kListPath) + "?" + http::build_query(q));
  }

  // POST /konto/benachrichtigungen/{id}/gelesen
  static http::Response mark_one(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto id = web::parse_id(r.param("id"));
    auto form = http::parse_form(r.body);
    if (!form) return web::error_response(s.view, r, 400);
    if (!id) return not_found(s, r);
    auto read = NotificationStore(s.db).mark_read(r.account_id, *id, accounts::unix_now());
    if (!read && read.error().code == ErrorCode::not_found) return not_found(s, r);
    if (!read) return web::error_response(s.view, r, read.error());
    return back_to_list(*form, "read");
  }

  // POST /konto/benachrichtigungen/gelesen
  static http::Response mark_all(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto form = http::parse_form(r.body);
    if (!form) return web::error_response(s.view, r, 400);
    auto done = NotificationStore(s.db).mark_all_read(r.account_id, accounts::unix_now());
    if (!done) return web::error_response(s.view, r, done.error());
    return http::Response::redirect(std::string(kListPath) + "?done=all_read");
  }

  // GET /benachrichtigungen/{id}: the notice's link, which it marks read. A GET, so that
  // the link works without JavaScript and from a new tab; marking one's own notice read
  // is harmless if a third site triggers it.
  static http::Response open_notice(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto id = web::parse_id(r.param("id"));
    if (!id) return not_found(s, r);
    auto read = NotificationStore(s.db).mark_read(r.account_id, *id, accounts::unix_now());
    if (!read && read.error().code == ErrorCode::not_found) return not_found(s, r);
    if (!read) return web::error_response(s.view, r, read.error());
    auto response = http::Response::redirect(read->link.empty() ? kListPath : read->link);
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // GET /konto/benachrichtigungen/einstellungen
  static http::Response settings_page(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto chosen = NotificationStore(s.db).choices(r.account_id);
    if (!chosen) return web::error_response(s.view, r, chosen.error());
    bool saved = false;
    if (auto query = http::parse_query(r.query)) saved = query->get("done") == "saved";
    return settings_view(s, r, *chosen, saved);
  }

  static http::Response settings_view(web::Services& s, const http::Request& r,
                                      const std::map<std::string, web::Delivery>& chosen,
                                      bool saved) {
    const auto& c = s.view.catalog();
    auto person = accounts::AccountStore(s.db).find(r.account_id);
    if (!person) return web::error_response(s.view, r, person.error());
    web::Data kinds{web::Data::type::list};
    int n = 0;
    for (const auto& kind : notifications::all_kinds(s)) {
      auto it = chosen.find(kind.id);
      web::Delivery current = it == chosen.end() ? kind.default_delivery : it->second;
      web::Data item{web::Data::type::object};
      std::string key = "kind-" + std::to_string(n++);
      item.set("key", key);
      item.set("name", kind.id);
      item.set("label", c.text(r.lang, kind.label_key));
      web::Data options{web::Data::type::list};
      for (auto d : kDeliveries) {
        std::string value(notifications::to_string(d));
        web::Data option{web::Data::type::object};
        option.set("value", value);
        option.set("field_id", key + "-" + value);
        option.set("label", c.text(r.lang, "notifications_delivery_" + value));
        option.set("checked", d == current);
        options.push_back(option);
      }
      item.set("options", options);
      kinds.push_back(item);
    }
    web::Data data{web::Data::type::object};
    data.set("kinds", kinds);
    data.set("unverified", *person && !(*person)->email_verified_at);
    if (saved) data.set("notice", c.text(r.lang, "notifications_done_saved"));
    return render(s, r, "notifications_settings", std::move(data),
                  c.text(r.lang, "notifications_settings_heading"));
  }

  // POST /konto/benachrichtigungen/einstellungen: one choice per kind (field = kind id).
  static http::Response settings_submit(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto form = http::parse_form(r.body);
    if (!form) return web::error_response(s.view, r, 400);
    std::vector<std::pair<std::string, web::Delivery>> wanted;
    for (const auto& kind : notifications::all_kinds(s)) {
      auto text = form->get(kind.id);
      if (text.empty()) continue;  // not sent: keep the choice
      auto delivery = notifications::parse_delivery(text);
      if (!delivery)
        return web::error_response(s.view, r, 400, c.text(r.lang, "notifications_error_choice"));
      wanted.emplace_back(kind.id, *delivery);
    }
    NotificationStore store(s.db);
    for (const auto& [kind, delivery] : wanted)
      if (auto done = store.choose(r.account_id, kind, delivery); !done)
        return web::error_response(s.view, r, done.error());
    return http::Response::redirect(std::string(kSettingsPath) + "?done=saved");
  }

  // GET /api/v1/notifications
  static http::Response api_list(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    int limit = kPageSize;
    if (auto text = query->get("limit"); !text.empty()) {
      auto parsed = web::parse_id(text);
      if (!parsed || *parsed > 100)
        return web::error_response(s.view, r, 400,
                                   s.view.catalog().text(r.lang, "notifications_error_limit"));
      limit = static_cast<int>(*parsed);
    }
    NotificationStore store(s.db);
    auto page = store.list(r.account_id, query->get("cursor"), limit);
    if (!page) return web::error_response(s.view, r, page.error());
    auto unread = store.unread_count(r.account_id);
    if (!unread) return web::error_response(s.view, r, unread.error());
    json items = json::array();
    for (const auto& n : page->items) items.push_back(notice_json(n));
    auto response = web::json_response(
        {{"items", items},
         {"next_cursor", page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)},
         {"unread", *unread}});
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // POST /api/v1/notifications/{id}/read
  static http::Response api_read(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto id = web::parse_id(r.param("id"));
    if (!id) return not_found(s, r);
    auto read = NotificationStore(s.db).mark_read(r.account_id, *id, accounts::unix_now());
    if (!read && read.error().code == ErrorCode::not_found) return not_found(s, r);
    if (!read) return web::error_response(s.view, r, read.error());
    auto response = web::json_response(notice_json(*read));
    response.headers.set("Cache-Control", "no-store");
    return response;
  }
};

}  // namespace

std::unique_ptr<web::Module> make_notifications_module() {
  return std::make_unique<NotificationsModule>();
}

}  // namespace ah::modules
