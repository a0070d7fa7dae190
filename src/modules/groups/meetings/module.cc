#include "modules/groups/meetings/module.h"

#include <nlohmann/json.hpp>

#include "auth/tokens.h"
#include "authz/memberships.h"
#include "base/time.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/submissions.h"
#include "modules/groups/access.h"
#include "modules/groups/meetings/ical.h"
#include "modules/groups/meetings/store.h"
#include "modules/groups/store.h"
#include "modules/notifications/notify.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/format.h"
#include "web/openapi.h"
#include "web/rich_text.h"

namespace ah::modules {

namespace {

using groups::acting_in_group;
using groups::acting_on_group;
using groups::can;
using groups::Group;
using groups::group_href;
using groups::invalid;
using groups::refusal;
using groups::render;
using groups::space_of;
using groups::readable_group;
using groups::visible_group;
using meetings::CalendarTokens;
using meetings::Meeting;
using meetings::MeetingInput;
using meetings::MeetingStore;
namespace ical = meetings::ical;
using nlohmann::json;
using web::json_response;
using web::parse_id;
using web::string_field;

constexpr int kListed = 50;     // upcoming and past meetings on the list page, each
constexpr int kInFeed = 1'000;  // meetings in a calendar feed
constexpr std::int64_t kFeedPast = 365 * 86400;  // feeds reach back a year
constexpr std::string_view kIcs = ".ics";

std::string meeting_href(std::int64_t id) { return "/termine/" + std::to_string(id); }
std::string meetings_href(std::int64_t group_id) { return group_href(group_id) + "/termine"; }

// The site's host for iCalendar UIDs ("meeting-7@beteiligung.example"): stable as long as
// the public address is.
std::string site_host(const web::Services& s) {
  std::string_view url = s.public_url;
  if (auto scheme = url.find("://"); scheme != url.npos) url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/:"));
  return url.empty() ? std::string("augenhoehe.invalid") : std::string(url);
}

std::string absolute(const web::Services& s, const std::string& path) {
  std::string base = s.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

// "Dienstag"-less and compact: "01.12.2026, 10:00–12:00 Uhr", or both dates and times
// when the meeting ends on another day.
std::string when_text(const Meeting& m, std::string_view lang) {
  if (web::berlin_date_value(m.starts_at) == web::berlin_date_value(m.ends_at))
    return web::format_date(m.starts_at, lang) + ", " + web::berlin_time_value(m.starts_at) + "–" +
           web::berlin_time_value(m.ends_at) + (lang == "en" ? "" : " Uhr");
  return web::format_date_time(m.starts_at, lang) + " – " + web::format_date_time(m.ends_at, lang);
}

ical::Event event_of(const web::Services& s, const Meeting& m, std::string_view group_name) {
  std::string location = m.place;
  if (!m.video_url.empty()) location += (location.empty() ? "" : " / ") + m.video_url;
  // The agenda's Markdown as it was typed: plain text that keeps its numbering and line
  // breaks, which web::plain_text (a one-line teaser) would fold away.
  std::string description = m.agenda;
  if (!m.video_url.empty()) description = "Video: " + m.video_url + "\n\n" + description;
  return {.uid = "meeting-" + std::to_string(m.id) + "@" + site_host(s),
          .stamp = m.updated_at,
          .start = m.starts_at,
          .end = m.ends_at,
          .summary = group_name.empty() ? m.title : m.title + " (" + std::string(group_name) + ")",
          .location = location,
          .url = absolute(s, meeting_href(m.id)),
          .description = description,
          .sequence = m.sequence,
          .cancelled = m.cancelled};
}

// A calendar answer; a client that has this very calendar gets 304. The ETag is a hash of
// the body (DTSTAMP is the last change, so an unchanged calendar has the same bytes).
http::Response calendar_response(const http::Request& r, std::string body,
                                 const std::string& filename) {
  std::string etag = "\"" + auth::token_hash(body).substr(0, 32) + "\"";
  http::Response response;
  response.headers.set("ETag", etag);
  response.headers.set("Cache-Control", "no-cache");
  if (r.headers.get("If-None-Match") == etag) {
    response.status = 304;
    return response;
  }
  response.headers.set("Content-Type", std::string(ical::kContentType));
  response.headers.set("Content-Disposition", "inline; filename=\"" + filename + "\"");
  response.body = std::move(body);
  return response;
}

json meeting_json(const web::Services& s, const Meeting& m) {
  return {{"id", m.id},
          {"group_id", m.group_id},
          {"title", m.title},
          {"start", rfc3339_utc(m.starts_at)},
          {"end", rfc3339_utc(m.ends_at)},
          {"place", m.place},
          {"video_url", m.video_url.empty() ? json(nullptr) : json(m.video_url)},
          {"agenda", m.agenda},
          {"minutes", m.minutes},
          {"cancelled", m.cancelled},
          {"sequence", m.sequence},
          {"url", meeting_href(m.id)},
          {"ics", absolute(s, meeting_href(m.id) + std::string(kIcs))},
          {"updated_at", rfc3339_utc(m.updated_at)}};
}

class MeetingsModule : public web::Module {
 public:
  std::string_view name() const override { return "meetings"; }

  std::vector<db::Migration> migrations() const override { return meetings::meetings_migrations(); }

  std::vector<web::NoticeKind> notice_kinds() const override {
    return {{"groups.meeting", "meetings_notice_kind", web::Delivery::digest}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    router.add(http::Method::get, "/arbeitsgruppen/{id}/termine",
               [&s](http::Request& r) { return list_page(s, r); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/termine.ics",
               [&s](http::Request& r) { return group_feed(s, r); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/termine/neu",
               [&s](http::Request& r) { return new_meeting(s, r, false); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/termine/neu",
               [&s](http::Request& r) { return new_meeting(s, r, true); });
    // "/termine/7" is the page, "/termine/7.ics" its iCalendar file.
    router.add(http::Method::get, "/termine/{id}",
               [&s](http::Request& r) { return meeting_page(s, r); });
    router.add(http::Method::get, "/termine/{id}/bearbeiten",
               [&s](http::Request& r) { return edit_meeting(s, r, false); });
    router.add(http::Method::post, "/termine/{id}/bearbeiten",
               [&s](http::Request& r) { return edit_meeting(s, r, true); });
    router.add(http::Method::get, "/kalender/{token}",
               [&s](http::Request& r) { return personal_feed(s, r); });
    router.add(http::Method::get, "/konto/kalender",
               [&s](http::Request& r) { return calendar_page(s, r, false); });
    router.add(http::Method::post, "/konto/kalender",
               [&s](http::Request& r) { return calendar_page(s, r, true); });
    router.add(http::Method::get, "/api/v1/groups/{id}/meetings",
               [&s](http::Request& r) { return api_list(s, r); });
    router.add(http::Method::post, "/api/v1/groups/{id}/meetings",
               [&s](http::Request& r) { return api_create(s, r); });
    router.add(http::Method::get, "/api/v1/meetings/{id}",
               [&s](http::Request& r) { return api_meeting(s, r); });
  }

  // Meetings stay the group's after an erasure (created_by becomes NULL); the feed token
  // goes with the account (ON DELETE CASCADE).
  Result<json> export_personal_data(web::Services& s, std::int64_t account_id) const override {
    AH_TRY(rs, s.db.query("SELECT id, group_id, title, starts_at, ends_at, created_at"
                          " FROM group_meetings WHERE created_by = $1 ORDER BY id",
                          {db::Value{account_id}}));
    json created = json::array();
    for (const auto& row : rs.rows)
      created.push_back({{"id", row.int64(0)},
                         {"group_id", row.int64(1)},
                         {"title", row.text(2)},
                         {"start", rfc3339_utc(row.int64(3))},
                         {"end", rfc3339_utc(row.int64(4))},
                         {"created_at", rfc3339_utc(row.int64(5))}});
    AH_TRY(token, CalendarTokens(s.db).created_at(account_id));
    return json{{"meetings_created", created},
                {"calendar_link_created_at", token ? json(rfc3339_utc(*token)) : json(nullptr)}};
  }

  Status seed_demo(web::Services& s) override;

  void describe_api(json& doc) const override;

 private:
  // The meeting {id} and its group, when the reader may read the group.
  static Result<std::pair<Meeting, Group>> visible_meeting(web::Services& s, const http::Request& r,
                                                           std::string_view id_text) {
    auto id = parse_id(id_text);
    if (!id) return fail(ErrorCode::not_found, "no such meeting");
    AH_TRY(meeting, MeetingStore(s.db).find(*id));
    AH_TRY(group, visible_group(s, r, meeting.group_id));
    return std::pair{std::move(meeting), std::move(group)};
  }

  // Tells the group's members (not `author`) about a new or moved meeting, in `tx`.
  static Status tell_members(web::Services& s, db::Connection& tx, const Group& group,
                             const Meeting& m, std::int64_t author, bool created,
                             std::vector<std::int64_t>& notices) {
    const auto& c = s.view.catalog();
    AH_TRY(members, groups::GroupStore(s.db).members(group.id));
    std::string title = c.text("de", m.cancelled ? "meetings_notice_cancelled"
                                     : created   ? "meetings_notice_created"
                                                 : "meetings_notice_moved") +
                        " „" + m.title + "“ (" + group.name + ")";
    std::string text = when_text(m, "de");
    if (!m.place.empty()) text += "\n" + m.place;
    for (const auto& member : members) {
      if (member.account_id == author) continue;
      AH_TRY(n, notifications::notify(
                    s, tx, {member.account_id, "groups.meeting", title, text, meeting_href(m.id),
                            groups::notice_scope(group.id)}));
      notices.push_back(n);
    }
    return {};
  }

  // --- pages ---

  static web::Data meeting_item(const http::Request& r, const Meeting& m) {
    web::Data item{web::Data::type::object};
    item.set("title", m.title);
    item.set("href", meeting_href(m.id));
    item.set("ics_href", meeting_href(m.id) + std::string(kIcs));
    item.set("when", when_text(m, r.lang));
    item.set("when_iso", rfc3339_utc(m.starts_at));
    item.set("place", m.place);
    item.set("video", !m.video_url.empty());
    item.set("cancelled", m.cancelled);
    item.set("has_minutes", !m.minutes.empty());
    return item;
  }

  // GET /arbeitsgruppen/{id}/termine
  static http::Response list_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto now = accounts::unix_now();
    MeetingStore store(s.db);
    auto upcoming = store.upcoming(group->id, now, kListed);
    auto past = store.past(group->id, now, kListed);
    if (!upcoming || !past) return refusal(s, r, (!upcoming ? upcoming.error() : past.error()));
    auto may_post = can(s, r, authz::Action::group_post, space_of(group->id));
    if (!may_post) return refusal(s, r, may_post.error());
    web::Data data{web::Data::type::object};
    data.set("group_name", group->name);
    data.set("group_href", group_href(group->id));
    data.set("new_href", meetings_href(group->id) + "/neu");
    data.set("can_post", *may_post);
    data.set("feed_href", meetings_href(group->id) + std::string(kIcs));
    // Calendar apps send no cookies: a non-public group's feed needs the personal link.
    data.set("feed_public", group->visibility == groups::Visibility::open);
    data.set("signed_in", r.account_id != 0);
    web::Data next{web::Data::type::list};
    bool first = true;
    for (const auto& m : *upcoming) {
      web::Data item = meeting_item(r, m);
      if (first && !m.cancelled) {
        item.set("next", true);
        first = false;
      }
      next.push_back(item);
    }
    web::Data before{web::Data::type::list};
    for (const auto& m : *past) before.push_back(meeting_item(r, m));
    data.set("upcoming", next);
    data.set("has_upcoming", !upcoming->empty());
    data.set("past", before);
    data.set("has_past", !past->empty());
    return render(s, r, "meetings_list", std::move(data),
                  c.text(r.lang, "meetings_heading") + " – " + group->name);
  }

  // The form's fields into `form` (values and what is wrong) and the meeting they describe.
  // `editing` adds the minutes and the cancelled flag.
  static MeetingInput read_form(const http::ParamList& parsed, web::FormState& form, bool editing) {
    for (const char* field : {"title", "date", "start_time", "end_time", "place", "video_url",
                              "agenda", "minutes", "cancelled", "once"})
      form.values[field] = std::string(parsed.get(field));
    MeetingInput m{.title = form.values["title"],
                   .place = form.values["place"],
                   .video_url = form.values["video_url"],
                   .agenda = form.values["agenda"]};
    if (editing) {
      m.minutes = form.values["minutes"];
      m.cancelled = form.values["cancelled"] == "1";
    }
    auto start = web::berlin_local_time(form.values["date"], form.values["start_time"]);
    auto end = web::berlin_local_time(form.values["date"], form.values["end_time"]);
    if (!web::berlin_midnight(form.values["date"]))
      form.errors["date"] = "meetings_error_date";
    else {
      if (!start) form.errors["start_time"] = "meetings_error_time";
      if (!end) form.errors["end_time"] = "meetings_error_time";
    }
    m.starts_at = start.value_or(0);
    m.ends_at = end.value_or(start.value_or(0) + 3600);
    for (const auto& [field, key] : meetings::validate(m))
      if (!(field == "end_time" && !end)) form.errors.emplace(field, key);
    return m;
  }

  static void set_form_values(web::FormState& form, const Meeting& m) {
    form.values = {{"title", m.title},
                   {"date", web::berlin_date_value(m.starts_at)},
                   {"start_time", web::berlin_time_value(m.starts_at)},
                   {"end_time", web::berlin_time_value(m.ends_at)},
                   {"place", m.place},
                   {"video_url", m.video_url},
                   {"agenda", m.agenda},
                   {"minutes", m.minutes},
                   {"cancelled", m.cancelled ? "1" : ""}};
  }

  static http::Response form_page(web::Services& s, const http::Request& r,
                                  const web::FormState& form, const Group& group,
                                  const Meeting* editing) {
    const auto& c = s.view.catalog();
    web::Data data = web::form_data(c, r.lang, form);
    std::string heading =
        c.text(r.lang, editing ? "meetings_edit_heading" : "meetings_new_heading");
    data.set("heading", heading);
    data.set("group_name", group.name);
    data.set("group_href", group_href(group.id));
    data.set("editing", editing != nullptr);
    data.set("cancelled_checked",
             form.values.contains("cancelled") && form.values.at("cancelled") == "1");
    if (editing) {
      data.set("action", meeting_href(editing->id) + "/bearbeiten");
      data.set("back_href", meeting_href(editing->id));
      data.set("back_label", c.text(r.lang, "meetings_back_to_meeting") + " " + editing->title);
      data.set("submit", c.text(r.lang, "meetings_edit_submit"));
    } else {
      data.set("action", meetings_href(group.id) + "/neu");
      data.set("back_href", meetings_href(group.id));
      data.set("back_label", c.text(r.lang, "meetings_back_to_list") + " " + group.name);
      data.set("submit", c.text(r.lang, "meetings_new_submit"));
    }
    return render(s, r, "meetings_form", std::move(data), heading, form.ok() ? 200 : 422);
  }

  // GET/POST /arbeitsgruppen/{id}/termine/neu: members plan a meeting.
  static http::Response new_meeting(web::Services& s, http::Request& r, bool submitted) {
    auto group = acting_on_group(s, r, authz::Action::group_post, "groups_error_not_member");
    if (!group) return group.error();
    web::FormState form;
    if (!submitted) {
      form.values = {{"start_time", "10:00"},
                     {"end_time", "12:00"},
                     {"once", accounts::Submissions::new_key()}};
      return form_page(s, r, form, *group, nullptr);
    }
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    MeetingInput m = read_form(*parsed, form, false);
    if (!form.ok()) return form_page(s, r, form, *group, nullptr);
    auto location = accounts::Submissions(s.db).once(
        r.account_id, form.values["once"], accounts::unix_now(), [&]() -> Result<std::string> {
          AH_TRY(id, create(s, r, *group, m));
          return meeting_href(id);
        });
    if (!location) return refusal(s, r, location.error());
    return http::Response::redirect(*location);
  }

  // Stores a new meeting and tells the members, mailing after the commit.
  static Result<std::int64_t> create(web::Services& s, const http::Request& r, const Group& group,
                                     const MeetingInput& m) {
    std::vector<std::int64_t> notices;
    auto now = accounts::unix_now();
    AH_TRY(id, MeetingStore(s.db).create(group.id, m, r.account_id, now,
                                         [&](db::Connection& tx, std::int64_t id) -> Status {
                                           Meeting created{m};
                                           created.id = id;
                                           return tell_members(s, tx, group, created, r.account_id,
                                                               true, notices);
                                         }));
    notifications::deliver(s, notices);
    return id;
  }

  // GET /termine/{id} (the page) and /termine/{id}.ics (the meeting as iCalendar).
  static http::Response meeting_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    std::string_view id_text = r.param("id");
    bool ics = id_text.ends_with(kIcs);
    if (ics) id_text.remove_suffix(kIcs.size());
    auto found = visible_meeting(s, r, id_text);
    if (!found) return refusal(s, r, found.error());
    auto& [m, group] = *found;
    if (ics)
      return calendar_response(r, ical::calendar({event_of(s, m, group.name)}),
                               "termin-" + std::to_string(m.id) + ".ics");
    auto may_post = can(s, r, authz::Action::group_post, space_of(group.id));
    if (!may_post) return refusal(s, r, may_post.error());
    web::Data data = meeting_item(r, m);
    // "title" is the page's (render sets it); the heading is the meeting's own.
    data.set("meeting_title", m.title);
    data.set("group_name", group.name);
    data.set("group_href", group_href(group.id));
    data.set("list_href", meetings_href(group.id));
    data.set("video_url", m.video_url);
    data.set("agenda_html", web::rich_text(m.agenda, s));
    data.set("minutes_html", web::rich_text(m.minutes, s));
    data.set("has_agenda", !m.agenda.empty());
    data.set("past", m.ends_at <= accounts::unix_now());
    data.set("can_post", *may_post);
    data.set("edit_href", meeting_href(m.id) + "/bearbeiten");
    data.set("updated", web::format_date_time(m.updated_at, r.lang));
    return render(s, r, "meetings_meeting", std::move(data),
                  m.title + " – " + c.text(r.lang, "meetings_heading"));
  }

  // GET/POST /termine/{id}/bearbeiten: members change a meeting, write its minutes or
  // cancel it. Moving or cancelling tells the members.
  static http::Response edit_meeting(web::Services& s, http::Request& r, bool submitted) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto found = MeetingStore(s.db).find(*id);
    if (!found) return refusal(s, r, found.error());
    auto group = acting_in_group(s, r, found->group_id, authz::Action::group_post,
                                 "groups_error_not_member");
    if (!group) return group.error();
    web::FormState form;
    if (!submitted) {
      set_form_values(form, *found);
      return form_page(s, r, form, *group, &*found);
    }
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    MeetingInput m = read_form(*parsed, form, true);
    if (!form.ok()) return form_page(s, r, form, *group, &*found);
    auto changed = update(s, r, *group, *id, m);
    if (!changed) return refusal(s, r, changed.error());
    return http::Response::redirect(meeting_href(*id));
  }

  static Status update(web::Services& s, const http::Request& r, const Group& group,
                       std::int64_t id, const MeetingInput& m) {
    std::vector<std::int64_t> notices;
    AH_TRY_STATUS(MeetingStore(s.db).update(
        id, m, accounts::unix_now(), [&](db::Connection& tx, const Meeting& before) -> Status {
          // Members hear of a new time or a cancellation, not of every edit of the agenda.
          bool moved = before.starts_at != m.starts_at || before.ends_at != m.ends_at ||
                       (!before.cancelled && m.cancelled);
          if (!moved) return {};
          Meeting changed{m};
          changed.id = id;
          return tell_members(s, tx, group, changed, r.account_id, false, notices);
        }));
    notifications::deliver(s, notices);
    return {};
  }

  // --- calendars ---

  // Whether `account` (0: nobody signed in) may read the group.
  static Result<bool> may_read(web::Services& s, const Group& group, std::int64_t account) {
    auto action = groups::read_action(group.visibility);
    if (!action) return true;
    return authz::Authorizer(s.db).can(account, *action, space_of(group.id));
  }

  // GET /arbeitsgruppen/{id}/termine.ics (?token= for a calendar app and a closed group)
  static http::Response group_feed(web::Services& s, http::Request& r) {
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    auto group = groups::GroupStore(s.db).find(*id);
    if (!group) return refusal(s, r, group.error());
    std::int64_t reader = r.account_id;
    if (auto token = query->get("token"); !token.empty()) {
      auto owner = CalendarTokens(s.db).account_for(token);
      if (!owner) return refusal(s, r, owner.error());
      if (!*owner) return web::error_response(s.view, r, 404);
      reader = **owner;
    }
    auto may = may_read(s, *group, reader);
    if (!may) return refusal(s, r, may.error());
    if (!*may) return web::error_response(s.view, r, 404);
    auto list = MeetingStore(s.db).upcoming(*id, accounts::unix_now() - kFeedPast, kInFeed);
    if (!list) return refusal(s, r, list.error());
    std::vector<ical::Event> events;
    for (const auto& m : *list) events.push_back(event_of(s, m, ""));
    return calendar_response(r, ical::calendar(events, group->name),
                             "arbeitsgruppe-" + std::to_string(*id) + ".ics");
  }

  // GET /kalender/{token}.ics: every meeting of every group the token's owner belongs to.
  static http::Response personal_feed(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    std::string_view token = r.param("token");
    if (!token.ends_with(kIcs)) return web::error_response(s.view, r, 404);
    token.remove_suffix(kIcs.size());
    auto owner = CalendarTokens(s.db).account_for(token);
    if (!owner) return refusal(s, r, owner.error());
    if (!*owner) return web::error_response(s.view, r, 404);
    auto list = MeetingStore(s.db).of_member(**owner, accounts::unix_now() - kFeedPast, kInFeed);
    if (!list) return refusal(s, r, list.error());
    std::vector<ical::Event> events;
    for (const auto& [m, group_name] : *list) events.push_back(event_of(s, m, group_name));
    return calendar_response(r, ical::calendar(events, c.text("de", "meetings_feed_name")),
                             "termine.ics");
  }

  // GET/POST /konto/kalender: the personal feed's link; a new one revokes the old
  // (action=renew), or none at all (action=revoke). The link is shown once, after making it.
  static http::Response calendar_page(web::Services& s, http::Request& r, bool submitted) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    CalendarTokens tokens(s.db);
    web::Data data{web::Data::type::object};
    if (submitted) {
      auto parsed = http::parse_form(r.body);
      if (!parsed) return web::error_response(s.view, r, 400);
      auto action = parsed->get("action");
      if (action == "renew") {
        auto token = tokens.renew(r.account_id, accounts::unix_now());
        if (!token) return refusal(s, r, token.error());
        data.set("new_link", absolute(s, "/kalender/" + *token + std::string(kIcs)));
      } else if (action == "revoke") {
        if (auto done = tokens.revoke(r.account_id); !done) return refusal(s, r, done.error());
        data.set("revoked", true);
      } else {
        return web::error_response(s.view, r, 400);
      }
    }
    auto created = tokens.created_at(r.account_id);
    if (!created) return refusal(s, r, created.error());
    data.set("has_link", created->has_value());
    if (*created) data.set("created", web::format_date_time(**created, r.lang));
    auto response =
        render(s, r, "meetings_calendar", data, c.text(r.lang, "meetings_calendar_heading"));
    // The page may carry a secret link: no cache keeps it.
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // --- JSON API ---

  static http::Response api_list(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    auto when = query->get("when");
    if (!when.empty() && when != "upcoming" && when != "past")
      return web::error_response(s.view, r, 400, c.text(r.lang, "meetings_error_when"));
    int limit = web::page_limit(query->get("limit"), kListed);
    if (limit < 0) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_limit"));
    auto now = accounts::unix_now();
    auto list = when == "past" ? MeetingStore(s.db).past(group->id, now, limit)
                               : MeetingStore(s.db).upcoming(group->id, now, limit);
    if (!list) return refusal(s, r, list.error());
    json items = json::array();
    for (const auto& m : *list) items.push_back(meeting_json(s, m));
    return json_response({{"items", items}});
  }

  static http::Response api_meeting(web::Services& s, http::Request& r) {
    auto found = visible_meeting(s, r, r.param("id"));
    if (!found) return refusal(s, r, found.error());
    return json_response(meeting_json(s, found->first));
  }

  static http::Response api_create(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto group = readable_group(s, r);
    if (!group) return group.error();
    if (auto no = groups::refused(s, r, authz::Action::group_post, group->id, "groups_error_not_member"))
      return *no;
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_json"));
    auto start = parse_rfc3339(string_field(body, "start"));
    auto end = parse_rfc3339(string_field(body, "end"));
    if (!start) return invalid(s, r, {{"start", "meetings_error_instant"}});
    if (!end) return invalid(s, r, {{"end", "meetings_error_instant"}});
    MeetingInput m{.title = string_field(body, "title"),
                   .starts_at = *start,
                   .ends_at = *end,
                   .place = string_field(body, "place"),
                   .video_url = string_field(body, "video_url"),
                   .agenda = string_field(body, "agenda")};
    if (auto errors = meetings::validate(m); !errors.empty()) return invalid(s, r, errors);
    auto created = create(s, r, *group, m);
    if (!created) return refusal(s, r, created.error());
    auto stored = MeetingStore(s.db).find(*created);
    if (!stored) return refusal(s, r, stored.error());
    auto response = json_response(meeting_json(s, *stored), 201);
    response.headers.set("Location", "/api/v1/meetings/" + std::to_string(*created));
    return response;
  }
};

// In "AG Digitale Beteiligung": a meeting in Magdeburg next week, a video call the week
// after, and last month's meeting with its minutes.
Status MeetingsModule::seed_demo(web::Services& s) {
  AH_TRY(rs, s.db.query("SELECT id, created_by FROM work_groups WHERE name = $1",
                        {db::Value{std::string("AG Digitale Beteiligung")}}));
  if (rs.rows.empty() || rs.rows[0].is_null(1)) return {};
  const std::int64_t group = rs.rows[0].int64(0), owner = rs.rows[0].int64(1);
  const std::int64_t now = accounts::unix_now(), day = 86400;
  // At `time` Berlin time, `days` from today.
  auto at = [&](std::int64_t days, const char* time) {
    return web::berlin_local_time(web::berlin_date_value(now + days * day), time).value_or(now);
  };
  MeetingStore store(s.db);
  const MeetingInput meetings[] = {
      {.title = "Arbeitstreffen: Handreichung Aushänge",
       .starts_at = at(7, "10:00"),
       .ends_at = at(7, "13:00"),
       .place = "Magdeburg, Ministerium für Infrastruktur und Digitales, Raum 2.14",
       .agenda = "1. Begrüßung\n2. Erfahrungen mit QR-Aushängen (Kemberg, Wittenberg)\n"
                 "3. Gliederung der Handreichung\n4. Verschiedenes"},
      {.title = "Videokonferenz: Barrierefreie PDF-Anhänge",
       .starts_at = at(14, "14:00"),
       .ends_at = at(14, "15:00"),
       .video_url = "https://meet.example.org/ag-digitale-beteiligung",
       .agenda = "- Checkliste für barrierefreie Anhänge\n- Werkzeuge: PAC, Textprogramme"},
      {.title = "Auftakt der AG",
       .starts_at = at(-21, "10:00"),
       .ends_at = at(-21, "12:00"),
       .place = "Lutherstadt Wittenberg, Rathaus, Sitzungssaal",
       .agenda = "1. Kennenlernen\n2. Themen sammeln",
       .minutes = "**Anwesend:** Land, Wittenberg, Kemberg\n\n"
                  "- Themen: QR-Aushänge, barrierefreie Anhänge, Datenschutz\n"
                  "- Nächstes Treffen in Magdeburg; das Land lädt ein."},
  };
  for (const auto& m : meetings) {
    AH_TRY(id, store.create(group, m, owner, now - 30 * day));
    (void)id;
  }
  return {};
}

void MeetingsModule::describe_api(json& doc) const {
  using web::openapi::list_of;
  using web::openapi::ok;
  using web::openapi::param;
  json problem = web::openapi::problem();
  auto& schemas = doc["components"]["schemas"];
  schemas["Meeting"] = {
      {"type", "object"},
      {"required",
       {"id", "group_id", "title", "start", "end", "place", "agenda", "minutes", "cancelled",
        "sequence", "url", "ics"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"group_id", {{"type", "integer"}}},
        {"title", {{"type", "string"}}},
        {"start", {{"type", "string"}, {"format", "date-time"}}},
        {"end", {{"type", "string"}, {"format", "date-time"}}},
        {"place", {{"type", "string"}, {"description", "may be empty with a video link"}}},
        {"video_url", {{"type", {"string", "null"}}, {"description", "https only"}}},
        {"agenda", {{"type", "string"}, {"description", "Markdown"}}},
        {"minutes", {{"type", "string"}, {"description", "Markdown"}}},
        {"cancelled", {{"type", "boolean"}}},
        {"sequence", {{"type", "integer"}, {"description", "iCalendar SEQUENCE"}}},
        {"url", {{"type", "string"}, {"description", "the meeting's page"}}},
        {"ics", {{"type", "string"}, {"description", "the meeting as iCalendar"}}},
        {"updated_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  auto& paths = doc["paths"];
  json group_id = param("id", "path", "group id", "1");
  paths["/api/v1/groups/{id}/meetings"]["get"] = {
      {"operationId", "listGroupMeetings"},
      {"summary", "A group's meetings: upcoming (soonest first) or past (latest first)"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters",
       {group_id, param("when", "query", "upcoming (default: not ended yet) or past"),
        param("limit", "query", "how many, 1–100 (default 50)")}},
      {"responses", {{"200", ok(list_of("Meeting", false))}, {"400", problem}, {"404", problem}}}};
  paths["/api/v1/groups/{id}/meetings"]["post"] = web::openapi::create_op(
      "createGroupMeeting", "Plan a meeting of the group (members)", "Arbeitsgruppen",
      json::array({group_id}),
      {{"type", "object"},
       {"required", {"title", "start", "end"}},
       {"properties",
        {{"title", {{"type", "string"}}},
         {"start", {{"type", "string"}, {"format", "date-time"}}},
         {"end", {{"type", "string"}, {"format", "date-time"}}},
         {"place", {{"type", "string"}, {"description", "a place and/or a video link"}}},
         {"video_url", {{"type", "string"}, {"description", "https only"}}},
         {"agenda", {{"type", "string"}, {"description", "Markdown"}}}}}},
      "Meeting");
  paths["/api/v1/meetings/{id}"]["get"] = {
      {"operationId", "getMeeting"},
      {"summary", "One meeting with its agenda and minutes"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", {param("id", "path", "meeting id", "1")}},
      {"responses", {{"200", ok(web::openapi::ref("Meeting"))}, {"404", problem}}}};
}

}  // namespace

std::unique_ptr<web::Module> make_meetings_module() { return std::make_unique<MeetingsModule>(); }

}  // namespace ah::modules
