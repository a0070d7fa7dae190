// Meetings as people, calendar apps and API clients meet them: planning through the form in
// Berlin time (summer time switches included), the list and a meeting's page, editing,
// minutes and cancelling with notices to the members, iCalendar files and feeds read back
// by a real parser (python3-icalendar), the personal calendar link, the API, the DSGVO
// export, and the Augenhöhe rule: only a role in the group gives rights in it.
#include "modules/groups/meetings/module.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/groups/meetings/ical_check.h"
#include "modules/groups/meetings/store.h"
#include "modules/groups/module.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"
#include "web/format.h"

namespace ah::modules {
namespace {

using nlohmann::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

class MeetingsTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto modules = testing::standard_modules(make_groups_module());
    modules.push_back(make_meetings_module());
    start(*db, scratch_dir(), std::move(modules));
    authz::MembershipStore orgs(*db);
    auto person = [&](const char* email, const char* name, const char* org, authz::OrgRole role) {
      auto id = create_account(email, name);
      if (org) {
        EXPECT_TRUE(orgs.put(org_id(org), id, role, 1));
      }
      return id;
    };
    land_admin_ = person("admin@land.example", "Lena Land", "15", authz::OrgRole::admin);
    land_member_ = person("staff@land.example", "Lars Land", "15", authz::OrgRole::member);
    kemberg_ = person("staff@kemberg.example", "Karl Kemberg", "15091160", authz::OrgRole::member);
    citizen_ = person("citizen@example.org", "Clara Citizen", nullptr, authz::OrgRole::member);
    groups::GroupStore store(*db);
    auto open = store.create(
        {.name = "AG Grünflächen", .description = "x", .visibility = groups::Visibility::open},
        land_member_, 1);
    auto closed = store.create(
        {.name = "AG Geschlossen", .description = "y", .visibility = groups::Visibility::closed},
        land_member_, 1);
    ASSERT_TRUE(open && closed);
    open_ = *open;
    closed_ = *closed;
    for (auto g : {open_, closed_}) ASSERT_TRUE(store.add(g, kemberg_, 1));
  }

  static std::string once_of(const http::Response& page) {
    auto at = page.body.find("name=\"once\" value=\"");
    if (at == std::string::npos) return "";
    return page.body.substr(at + 19, page.body.find('"', at + 19) - at - 19);
  }

  std::string list_path(std::int64_t group) {
    return "/arbeitsgruppen/" + std::to_string(group) + "/termine";
  }

  // Plans a meeting through the form as `who`; the response of the POST.
  http::Response plan(std::int64_t who, std::int64_t group, Fields fields) {
    sign_in(who);
    auto form = send(http::Method::get, list_path(group) + "/neu");
    EXPECT_EQ(form.status, 200) << form.body;
    fields.emplace_back("once", once_of(form));
    return send(http::Method::post, list_path(group) + "/neu", http::build_query(fields));
  }

  static std::int64_t id_of(const http::Response& created) {
    std::string location(created.headers.get("Location"));
    return std::stoll(location.substr(location.rfind('/') + 1));
  }

  // "YYYY-MM-DD" `days` from today, Berlin.
  static std::string in_days(int days) {
    return web::berlin_date_value(accounts::unix_now() + days * 86400);
  }

  std::int64_t notices(std::int64_t who) {
    return db::testing::scalar(
        *db, "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = 'groups.meeting'",
        {db::Value{who}});
  }

  std::int64_t land_admin_ = 0, land_member_ = 0, kemberg_ = 0, citizen_ = 0;
  std::int64_t open_ = 0, closed_ = 0;
};

TEST_P(MeetingsTest, MembersPlanAMeetingInBerlinTimeAndMistakesComeBackExplained) {
  EXPECT_EQ(send(http::Method::get, list_path(open_) + "/neu").status, 303) << "sign in first";
  // Mistakes: no title, 02:30 on the night summer time starts, an http video link.
  auto refused = plan(kemberg_, open_,
                      {{"title", ""},
                       {"date", "2026-03-29"},
                       {"start_time", "02:30"},
                       {"end_time", "04:00"},
                       {"place", "Rathaus <Kemberg>"},
                       {"video_url", "http://meet.example.org/x"},
                       {"agenda", "Punkt 1"}});
  EXPECT_EQ(refused.status, 422);
  for (const char* field : {"title", "start_time", "video_url"})
    EXPECT_NE(refused.body.find(std::string("href=\"#field-") + field + "\""), std::string::npos)
        << field;
  EXPECT_NE(refused.body.find("Rathaus &lt;Kemberg&gt;"), std::string::npos) << "kept, escaped";
  EXPECT_NE(refused.body.find("value=\"2026-03-29\""), std::string::npos);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM group_meetings"), 0);
  // Without the CSRF token nothing happens.
  EXPECT_EQ(send(http::Method::post, list_path(open_) + "/neu", "title=x", false).status, 403);

  // The last Sunday of October: 10:00–12:00 is CET, 09:00–11:00 UTC. A double click
  // creates one meeting.
  sign_in(kemberg_);
  auto form = send(http::Method::get, list_path(open_) + "/neu");
  std::string body = http::build_query({{"title", "Treffen im Oktober"},
                                        {"date", "2026-10-25"},
                                        {"start_time", "10:00"},
                                        {"end_time", "12:00"},
                                        {"place", "Magdeburg"},
                                        {"agenda", "1. **Begrüßung**"},
                                        {"once", once_of(form)}});
  auto first = send(http::Method::post, list_path(open_) + "/neu", body);
  auto second = send(http::Method::post, list_path(open_) + "/neu", body);
  ASSERT_EQ(first.status, 303) << first.body;
  EXPECT_EQ(first.headers.get("Location"), second.headers.get("Location"));
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM group_meetings"), 1);
  auto m = meetings::MeetingStore(*db).find(id_of(first));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->starts_at, 1792886400 + 9 * 3600);
  EXPECT_EQ(m->ends_at, 1792886400 + 11 * 3600);
  EXPECT_EQ(m->created_by, kemberg_);
  auto page = send(http::Method::get, std::string(first.headers.get("Location")));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h1 class=\"kern-heading-x-large\">Treffen im Oktober</h1>"),
            std::string::npos);
  EXPECT_NE(page.body.find("25.10.2026, 10:00–12:00 Uhr"), std::string::npos);
  EXPECT_NE(page.body.find("<strong>Begrüßung</strong>"), std::string::npos) << "Markdown";
  EXPECT_NE(page.body.find(".ics\""), std::string::npos) << "In den Kalender";
  // The members hear of it, the author does not.
  EXPECT_EQ(notices(land_member_), 1);
  EXPECT_EQ(notices(kemberg_), 0);
  // The group's page links to the meetings.
  EXPECT_NE(send(http::Method::get, "/arbeitsgruppen/" + std::to_string(open_))
                .body.find("href=\"" + list_path(open_) + "\""),
            std::string::npos);
}

TEST_P(MeetingsTest, TheListShowsUpcomingFirstWithTheNextOneMarkedAndPastOnesWithMinutes) {
  meetings::MeetingStore store(*db);
  auto now = accounts::unix_now();
  auto add = [&](const char* title, std::int64_t start, const char* minutes) {
    ASSERT_TRUE(store.create(open_,
                             {.title = title,
                              .starts_at = start,
                              .ends_at = start + 3600,
                              .place = "Halle",
                              .minutes = minutes},
                             land_member_, now));
  };
  add("Übernächstes Treffen", now + 14 * 86400, "");
  add("Nächstes Treffen", now + 7 * 86400, "");
  add("Letztes Treffen", now - 7 * 86400, "Beschlossen");
  sign_in(0);  // a public group: everyone reads
  auto page = send(http::Method::get, list_path(open_));
  ASSERT_EQ(page.status, 200);
  auto next = page.body.find("Nächstes Treffen");
  auto later = page.body.find("Übernächstes Treffen");
  auto past = page.body.find("Letztes Treffen");
  ASSERT_NE(next, std::string::npos);
  EXPECT_LT(next, later);
  EXPECT_LT(later, past);
  EXPECT_LT(page.body.find("ah-next"), next) << "the next meeting is marked";
  EXPECT_EQ(page.body.find("ah-next", next), std::string::npos) << "only one";
  EXPECT_NE(page.body.find("mit Protokoll", past), std::string::npos);
  EXPECT_EQ(page.body.find("/termine/neu"), std::string::npos) << "no form link for readers";
}

TEST_P(MeetingsTest, OnlyARoleInTheGroupGivesRightsNotTheLandsAdminRole) {
  auto planned = plan(land_member_, closed_,
                      {{"title", "Intern"},
                       {"date", in_days(3)},
                       {"start_time", "09:00"},
                       {"end_time", "10:00"},
                       {"place", "Magdeburg"}});
  ASSERT_EQ(planned.status, 303) << planned.body;
  const std::string meeting = "/termine/" + std::to_string(id_of(planned));
  const std::string edit_form =
      "title=Von+oben&date=" + in_days(3) + "&start_time=09%3A00&end_time=10%3A00&place=X";
  // The Land's admin is no member: a closed group is invisible to them as to anyone.
  for (auto outsider : {land_admin_, citizen_, std::int64_t{0}}) {
    sign_in(outsider);
    for (const std::string& path :
         {list_path(closed_), meeting, meeting + ".ics", list_path(closed_) + ".ics",
          "/api/v1/meetings/" + std::to_string(id_of(planned)),
          "/api/v1/groups/" + std::to_string(closed_) + "/meetings"})
      EXPECT_EQ(send(http::Method::get, path).status, 404) << path;
    if (outsider == 0) continue;
    EXPECT_EQ(send(http::Method::post, meeting + "/bearbeiten", edit_form).status, 404);
  }
  // In a public group the admin reads like everyone but may not plan or edit.
  auto open_meeting = plan(kemberg_, open_,
                           {{"title", "Offen"},
                            {"date", in_days(4)},
                            {"start_time", "09:00"},
                            {"end_time", "10:00"},
                            {"place", "Kemberg"}});
  ASSERT_EQ(open_meeting.status, 303);
  const std::string open_path = "/termine/" + std::to_string(id_of(open_meeting));
  sign_in(land_admin_);
  EXPECT_EQ(send(http::Method::get, open_path).status, 200);
  EXPECT_EQ(send(http::Method::get, list_path(open_) + "/neu").status, 403);
  EXPECT_EQ(send(http::Method::post, list_path(open_) + "/neu", edit_form).status, 403);
  EXPECT_EQ(send(http::Method::get, open_path + "/bearbeiten").status, 403);
  EXPECT_EQ(send(http::Method::post, open_path + "/bearbeiten", edit_form).status, 403);
  EXPECT_EQ(
      api(http::Method::post, "/api/v1/groups/" + std::to_string(open_) + "/meetings",
          R"({"title":"x","start":"2030-01-01T09:00:00Z","end":"2030-01-01T10:00:00Z","place":"x"})",
          csrf)
          .status,
      403);
  // A member from a Gemeinde edits the Land member's meeting exactly as the Land member
  // edits the Gemeinde member's.
  for (auto [who, path] : {std::pair{kemberg_, meeting}, {land_member_, open_path}}) {
    sign_in(who);
    ASSERT_EQ(send(http::Method::get, path + "/bearbeiten").status, 200);
    EXPECT_EQ(
        send(http::Method::post, path + "/bearbeiten",
             "title=Gemeinsam&date=" + in_days(5) + "&start_time=09%3A00&end_time=10%3A00&place=Y")
            .status,
        303)
        << path;
  }
  EXPECT_EQ(
      db::testing::scalar(*db, "SELECT COUNT(*) FROM group_meetings WHERE title = 'Gemeinsam'"), 2);
  EXPECT_EQ(
      db::testing::scalar(*db, "SELECT COUNT(*) FROM group_meetings WHERE title = 'Von oben'"), 0);
}

TEST_P(MeetingsTest, EditingMinutesAndCancellingReachCalendarsAndMembers) {
  AH_REQUIRE_ICALENDAR(python);
  auto planned = plan(land_member_, open_,
                      {{"title", "Arbeitstreffen Übergänge"},
                       {"date", "2026-03-29"},
                       {"start_time", "10:00"},
                       {"end_time", "12:00"},
                       {"place", "Magdeburg, Raum 2.14"},
                       {"agenda", "1. Begrüßung"}});
  ASSERT_EQ(planned.status, 303);
  auto id = id_of(planned);
  const std::string path = "/termine/" + std::to_string(id);
  EXPECT_EQ(notices(kemberg_), 1);
  // The .ics: headers and content, read back by the parser.
  sign_in(0);
  auto ics = send(http::Method::get, path + ".ics");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(ics.headers.get("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_FALSE(ics.headers.get("ETag").empty());
  EXPECT_EQ(ics.headers.get("Cache-Control"), "no-cache");
  auto parsed = meetings::testing::parse_ics(*python, ics.body);
  ASSERT_EQ(parsed["events"].size(), 1u) << parsed.dump();
  auto event = parsed["events"][0];
  EXPECT_EQ(event["summary"], "Arbeitstreffen Übergänge (AG Grünflächen)");
  EXPECT_EQ(event["start"], 1774742400 + 8 * 3600) << "10:00 CEST";
  EXPECT_EQ(event["end"], 1774742400 + 10 * 3600);
  EXPECT_EQ(event["uid"], "meeting-" + std::to_string(id) + "@beteiligung.example");
  EXPECT_EQ(event["url"], "https://beteiligung.example" + path);
  EXPECT_EQ(event["location"], "Magdeburg, Raum 2.14");
  EXPECT_EQ(event["description"], "1. Begrüßung");
  EXPECT_EQ(event["status"], "CONFIRMED");
  EXPECT_EQ(event["sequence"], 0);
  // A calendar that has this copy is told it is current.
  auto again = make_request(http::Method::get, path + ".ics");
  again.headers.set("If-None-Match", std::string(ics.headers.get("ETag")));
  EXPECT_EQ(run(again).status, 304);

  // The agenda and minutes change: no notice; the meeting moves: a notice.
  sign_in(kemberg_);
  std::string fields =
      "title=Arbeitstreffen+%C3%9Cberg%C3%A4nge&date=2026-03-29&start_time=10%3A00"
      "&end_time=12%3A00&place=Magdeburg&agenda=1.+Begr%C3%BC%C3%9Fung"
      "&minutes=**Ergebnis**%3A+Handreichung";
  ASSERT_EQ(send(http::Method::post, path + "/bearbeiten", fields).status, 303);
  EXPECT_EQ(notices(land_member_), 0);
  auto page = send(http::Method::get, path);
  EXPECT_NE(page.body.find("<strong>Ergebnis</strong>: Handreichung"), std::string::npos);
  fields.replace(fields.find("start_time=10"), 13, "start_time=11");
  ASSERT_EQ(send(http::Method::post, path + "/bearbeiten", fields).status, 303);
  EXPECT_EQ(notices(land_member_), 1);
  // The form comes back with the stored minutes for the next edit.
  EXPECT_NE(send(http::Method::get, path + "/bearbeiten").body.find("**Ergebnis**: Handreichung"),
            std::string::npos);
  // Cancelled: members are told, and the calendar marks it, with a higher sequence.
  ASSERT_EQ(send(http::Method::post, path + "/bearbeiten", fields + "&cancelled=1").status, 303);
  EXPECT_EQ(notices(land_member_), 2);
  auto cancelled =
      meetings::testing::parse_ics(*python, send(http::Method::get, path + ".ics").body);
  ASSERT_EQ(cancelled["events"].size(), 1u);
  EXPECT_EQ(cancelled["events"][0]["status"], "CANCELLED");
  EXPECT_EQ(cancelled["events"][0]["sequence"], 3);
  EXPECT_EQ(cancelled["events"][0]["start"], 1774742400 + 9 * 3600);
  EXPECT_NE(send(http::Method::get, path).body.find("Dieser Termin ist abgesagt."),
            std::string::npos);
}

TEST_P(MeetingsTest, FeedsForTheGroupAndThePersonNeedTheRightToReadAndTheCurrentLink) {
  AH_REQUIRE_ICALENDAR(python);
  meetings::MeetingStore store(*db);
  auto now = accounts::unix_now();
  ASSERT_TRUE(store.create(open_,
                           {.title = "Offenes Treffen",
                            .starts_at = now + 86400,
                            .ends_at = now + 90000,
                            .place = "Halle"},
                           land_member_, now));
  ASSERT_TRUE(store.create(closed_,
                           {.title = "Geschlossene Runde",
                            .starts_at = now + 2 * 86400,
                            .ends_at = now + 2 * 86400 + 3600,
                            .video_url = "https://meet.example.org/runde"},
                           land_member_, now));
  // The public group's feed for everyone.
  sign_in(0);
  auto feed = send(http::Method::get, list_path(open_) + ".ics");
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(feed.headers.get("Content-Type"), "text/calendar; charset=utf-8");
  auto parsed = meetings::testing::parse_ics(*python, feed.body);
  EXPECT_EQ(parsed["calendar"]["X-WR-CALNAME"], "AG Grünflächen");
  ASSERT_EQ(parsed["events"].size(), 1u) << parsed.dump();
  EXPECT_EQ(parsed["events"][0]["summary"], "Offenes Treffen");
  // The closed group's feed: not without a link, nor with a citizen's own.
  EXPECT_EQ(send(http::Method::get, list_path(closed_) + ".ics").status, 404);
  sign_in(citizen_);
  send(http::Method::get, "/konto/kalender");
  auto made = send(http::Method::post, "/konto/kalender", "action=renew");
  auto at = made.body.find("/kalender/");
  ASSERT_NE(at, std::string::npos);
  std::string citizen_token = made.body.substr(at + 10, made.body.find(".ics", at) - at - 10);
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, list_path(closed_) + ".ics?token=" + citizen_token).status,
            404);
  // A member's personal link: the closed group's feed and the personal feed of both groups.
  sign_in(kemberg_);
  auto calendar_page = send(http::Method::get, "/konto/kalender");
  ASSERT_EQ(calendar_page.status, 200);
  EXPECT_EQ(send(http::Method::post, "/konto/kalender", "action=renew", false).status, 403)
      << "CSRF";
  made = send(http::Method::post, "/konto/kalender", "action=renew");
  ASSERT_EQ(made.status, 200);
  EXPECT_EQ(made.headers.get("Cache-Control"), "no-store");
  at = made.body.find("/kalender/");
  ASSERT_NE(at, std::string::npos);
  std::string token = made.body.substr(at + 10, made.body.find(".ics", at) - at - 10);
  ASSERT_GE(token.size(), 40u);
  sign_in(0);
  auto closed_feed = send(http::Method::get, list_path(closed_) + ".ics?token=" + token);
  ASSERT_EQ(closed_feed.status, 200);
  auto closed_events = meetings::testing::parse_ics(*python, closed_feed.body);
  ASSERT_EQ(closed_events["events"].size(), 1u);
  EXPECT_EQ(closed_events["events"][0]["location"], "https://meet.example.org/runde");
  auto personal = send(http::Method::get, "/kalender/" + token + ".ics");
  ASSERT_EQ(personal.status, 200);
  auto mine = meetings::testing::parse_ics(*python, personal.body);
  ASSERT_EQ(mine["events"].size(), 2u) << mine.dump();
  EXPECT_EQ(mine["events"][0]["summary"], "Offenes Treffen (AG Grünflächen)");
  EXPECT_EQ(mine["events"][1]["summary"], "Geschlossene Runde (AG Geschlossen)");
  EXPECT_EQ(mine["events"][1]["start"], now + 2 * 86400);
  EXPECT_EQ(send(http::Method::get, "/kalender/" + token).status, 404) << "only .ics";
  // A new link revokes the old one.
  sign_in(kemberg_);
  send(http::Method::get, "/konto/kalender");
  ASSERT_EQ(send(http::Method::post, "/konto/kalender", "action=renew").status, 200);
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, "/kalender/" + token + ".ics").status, 404);
  EXPECT_EQ(send(http::Method::get, "/konto/kalender").status, 303) << "sign in first";
}

TEST_P(MeetingsTest, TheApiListsReadsAndCreatesForMembers) {
  sign_in(kemberg_);
  send(http::Method::get, "/arbeitsgruppen");
  const std::string base = "/api/v1/groups/" + std::to_string(open_) + "/meetings";
  auto invalid =
      api(http::Method::post, base,
          R"({"title":"","start":"2030-01-01T09:00:00Z","end":"2030-01-01T08:00:00Z","place":"x"})",
          csrf);
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(
      api(http::Method::post, base, R"({"title":"x","start":"morgen","end":"x"})", csrf).status,
      422);
  auto created = api(
      http::Method::post, base,
      R"({"title":"API-Treffen","start":"2030-01-01T09:00:00Z","end":"2030-01-01T11:00:00+01:00","video_url":"https://meet.example.org/a"})",
      csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  auto body = json::parse(created.body);
  EXPECT_EQ(body["start"], "2030-01-01T09:00:00Z");
  EXPECT_EQ(body["end"], "2030-01-01T10:00:00Z");
  EXPECT_EQ(body["video_url"], "https://meet.example.org/a");
  EXPECT_EQ(created.headers.get("Location"),
            "/api/v1/meetings/" + std::to_string(body["id"].get<std::int64_t>()));
  EXPECT_EQ(notices(land_member_), 1);
  sign_in(0);
  auto list = api(http::Method::get, base);
  ASSERT_EQ(list.status, 200);
  auto items = json::parse(list.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["title"], "API-Treffen");
  EXPECT_EQ(json::parse(api(http::Method::get, base + "?when=past").body)["items"].size(), 0u);
  EXPECT_EQ(api(http::Method::get, base + "?when=bald").status, 400);
  auto one = api(http::Method::get, std::string(created.headers.get("Location")));
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(json::parse(one.body)["title"], "API-Treffen");
  EXPECT_EQ(api(http::Method::post, base, R"({"title":"x"})").status, 401);
}

TEST_P(MeetingsTest, ExportNamesWhatOnePlannedAndTheCalendarLinkErasureKeepsTheMeeting) {
  auto planned = plan(kemberg_, open_,
                      {{"title", "Mein Termin"},
                       {"date", in_days(2)},
                       {"start_time", "09:00"},
                       {"end_time", "10:00"},
                       {"place", "Kemberg"}});
  ASSERT_EQ(planned.status, 303);
  ASSERT_TRUE(meetings::CalendarTokens(*db).renew(kemberg_, 5));
  auto exported = module("meetings").export_personal_data(services(), kemberg_);
  ASSERT_TRUE(exported);
  EXPECT_EQ((*exported)["meetings_created"][0]["title"], "Mein Termin");
  EXPECT_EQ((*exported)["calendar_link_created_at"], "1970-01-01T00:00:05Z");
  ASSERT_TRUE(module("meetings").before_account_erasure(services(), kemberg_));
  ASSERT_TRUE(module("groups").before_account_erasure(services(), kemberg_));
  ASSERT_TRUE(accounts::AccountStore(*db).erase(kemberg_));
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM group_calendar_tokens"), 0);
  auto m = meetings::MeetingStore(*db).find(id_of(planned));
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->created_by);
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, "/termine/" + std::to_string(m->id)).status, 200);
}

AH_INSTANTIATE_BACKEND_TEST(MeetingsTest);

}  // namespace
}  // namespace ah::modules
