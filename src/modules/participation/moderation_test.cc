// Moderation of a Gemeinde's process as people meet it: who may moderate (the Augenhöhe
// rule: the Land and other Gemeinden may not), reporting (also anonymously, once per
// person, rate-limited), hiding with a public reason that replaces the text on pages, in
// the API, the feed and the CSV, blocking a person from the process, and the log.
#include "modules/participation/moderation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "base/time.h"
#include "db/test_database.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/participation/module.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

using nlohmann::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ModerationHttpTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_participation_module()));
    kemberg_admin_ = create_account("admin@kemberg.example", "Admin Kemberg");
    land_admin_ = create_account("admin@land.example", "Admin Land");
    wittenberg_admin_ = create_account("admin@wittenberg.example", "Admin Wittenberg");
    moderator_ = create_account("moderatorin@example.org", "Moderatorin Mia");
    citizen_ = create_account("bea@example.org", "Bea");
    author_ = create_account("tom@example.org", "Tom");
    authz::MembershipStore members(*db);
    ASSERT_TRUE(members.put(org_id("15091160"), kemberg_admin_, authz::OrgRole::admin, 1));
    ASSERT_TRUE(members.put(org_id("15"), land_admin_, authz::OrgRole::admin, 1));
    ASSERT_TRUE(members.put(org_id("15091375"), wittenberg_admin_, authz::OrgRole::admin, 1));

    auto now = accounts::unix_now();
    json process = {{"org", "15091160"},
                    {"title", "Spielplatz am Markt"},
                    {"summary", "Ideen für den Spielplatz"},
                    {"state", "published"},
                    {"phases",
                     {{{"title", "Ideen"},
                       {"starts_at", rfc3339_utc(now - 3600)},
                       {"ends_at", rfc3339_utc(now + 3600)},
                       {"propose", true},
                       {"comment", true},
                       {"support", true}}}}};
    auto created = as(kemberg_admin_, http::Method::post, "/api/v1/processes", process.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    process_ = json::parse(created.body)["id"].get<std::int64_t>();
    ASSERT_TRUE(authz::SpaceRoleStore(*db).grant("process", process_, moderator_,
                                                 authz::SpaceRole::moderator, 1));
    auto proposal =
        as(author_, http::Method::post, base() + "/proposals",
           json{{"title", "Rutsche für Kleine"}, {"body", "Eine flache Rutsche."}}.dump());
    ASSERT_EQ(proposal.status, 201) << proposal.body;
    proposal_ = json::parse(proposal.body)["id"].get<std::int64_t>();
    auto comment = as(author_, http::Method::post, proposal_api() + "/comments",
                      json{{"body", "Der Nachbar ist ein Vollidiot."}}.dump());
    ASSERT_EQ(comment.status, 201) << comment.body;
    comment_ = json::parse(comment.body)["id"].get<std::int64_t>();
  }

  http::Response as(std::int64_t who, http::Method method, const std::string& target,
                    const std::string& body = {}) {
    sign_in(who);
    return api(method, target, body, csrf);
  }
  // A page as `who` (0: a visitor), then a form posted from it with its CSRF token.
  http::Response page_as(std::int64_t who, const std::string& target) {
    sign_in(who);
    return send(http::Method::get, target);
  }
  http::Response moderate(std::int64_t who, const std::string& form) {
    page_as(who, queue());
    return send(http::Method::post, queue(), form);
  }

  std::string base() const { return "/api/v1/processes/" + std::to_string(process_); }
  std::string proposal_api() const { return "/api/v1/proposals/" + std::to_string(proposal_); }
  std::string process_page() const { return "/beteiligung/" + std::to_string(process_); }
  std::string proposal_page() const { return "/vorschlaege/" + std::to_string(proposal_); }
  std::string queue() const { return process_page() + "/moderation"; }
  std::string comment_target() const { return "comment:" + std::to_string(comment_); }
  std::string proposal_target() const { return "proposal:" + std::to_string(proposal_); }

  std::int64_t kemberg_admin_ = 0, land_admin_ = 0, wittenberg_admin_ = 0, moderator_ = 0;
  std::int64_t citizen_ = 0, author_ = 0;
  std::int64_t process_ = 0, proposal_ = 0, comment_ = 0;
};

TEST_P(ModerationHttpTest, OnlyTheProcesssModeratorsAndItsOrganisationsAdminsModerate) {
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, queue()).status, 303) << "visitors are sent to sign in";
  for (auto outsider : {citizen_, wittenberg_admin_, land_admin_, author_}) {
    auto page = page_as(outsider, queue());
    EXPECT_EQ(page.status, 403) << outsider;
    EXPECT_TRUE(contains(page.body, "moderieren nur")) << page.body;
    EXPECT_EQ(page_as(outsider, queue() + "/protokoll").status, 403);
    // Posting directly changes nothing either.
    sign_in(outsider);
    page_as(outsider, proposal_page());
    EXPECT_EQ(
        send(http::Method::post, queue(), "action=hide&target=" + comment_target() + "&reason=weg")
            .status,
        403);
  }
  EXPECT_TRUE(moderation::ModerationStore(*db).hidden_in({"process", process_})->empty());
  for (auto moderator : {moderator_, kemberg_admin_}) {
    EXPECT_EQ(page_as(moderator, queue()).status, 200);
    EXPECT_EQ(page_as(moderator, queue() + "/protokoll").status, 200);
  }
  // The process page links the queue for them only.
  EXPECT_TRUE(contains(page_as(moderator_, process_page()).body, queue()));
  EXPECT_FALSE(contains(page_as(land_admin_, process_page()).body, queue()));
}

TEST_P(ModerationHttpTest, AReportedCommentIsHiddenWithAPublicReasonEverywhere) {
  // The report link sits on others' contributions, not on one's own.
  std::string report = "/kommentare/" + std::to_string(comment_) + "/melden";
  EXPECT_TRUE(contains(page_as(citizen_, proposal_page()).body, report));
  EXPECT_FALSE(contains(page_as(author_, proposal_page()).body, report));
  EXPECT_TRUE(contains(page_as(0, proposal_page()).body, report));

  auto form = page_as(citizen_, report);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "Vollidiot")) << "the form shows what is reported";
  auto missing = send(http::Method::post, report, "text=");
  EXPECT_EQ(missing.status, 422);
  EXPECT_TRUE(contains(missing.body, "Bitte wählen Sie einen Grund"));
  auto sent = send(http::Method::post, report, "reason=insult&text=beleidigt+den+Nachbarn");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_TRUE(contains(sent.body, "Danke"));
  page_as(citizen_, report);
  auto again = send(http::Method::post, report, "reason=spam");
  EXPECT_TRUE(contains(again.body, "schon gemeldet")) << again.body;
  // Anonymous visitors report through the same form (it gives them a CSRF token).
  page_as(0, report);
  ASSERT_EQ(send(http::Method::post, report, "reason=other&text=Hetze").status, 200);
  // One's own contribution cannot be reported.
  page_as(author_, report);
  EXPECT_EQ(send(http::Method::post, report, "reason=spam").status, 422);

  auto queue_page = page_as(kemberg_admin_, queue());
  ASSERT_EQ(queue_page.status, 200);
  EXPECT_TRUE(contains(queue_page.body, "Vollidiot"));
  EXPECT_TRUE(contains(queue_page.body, "Beleidigung"));
  EXPECT_TRUE(contains(queue_page.body, "beleidigt den Nachbarn"));
  EXPECT_TRUE(contains(queue_page.body, "Bea"));
  EXPECT_TRUE(contains(queue_page.body, "ohne Anmeldung"));
  EXPECT_TRUE(contains(queue_page.body, "<strong>2</strong>")) << "two reports, not three";

  // Hiding needs the public reason; the form keeps the page and says so.
  auto no_reason = send(http::Method::post, queue(), "action=hide&target=" + comment_target());
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_TRUE(contains(no_reason.body, "Bitte geben Sie einen Grund an"));
  page_as(kemberg_admin_, queue());
  auto hidden =
      send(http::Method::post, queue(),
           "action=hide&target=" + comment_target() + "&reason=Beleidigung+eines+Nachbarn");
  ASSERT_EQ(hidden.status, 303) << hidden.body;
  EXPECT_TRUE(contains(page_as(kemberg_admin_, queue()).body, "Keine offenen Meldungen"));

  for (auto reader : {std::int64_t{0}, citizen_, land_admin_}) {
    auto page = page_as(reader, proposal_page());
    EXPECT_TRUE(contains(page.body, "Ausgeblendet: Beleidigung eines Nachbarn")) << reader;
    EXPECT_FALSE(contains(page.body, "Vollidiot")) << reader;
    EXPECT_FALSE(contains(page.body, report)) << "nothing left to report";
    sign_in(reader);
    auto comments = api(http::Method::get, proposal_api() + "/comments");
    EXPECT_FALSE(contains(comments.body, "Vollidiot"));
    auto item = json::parse(comments.body)["items"][0];
    EXPECT_EQ(item["hidden"], true);
    EXPECT_EQ(item["hidden_reason"], "Beleidigung eines Nachbarn");
  }
  // Moderators still see the original, marked.
  for (auto moderator : {moderator_, kemberg_admin_}) {
    auto page = page_as(moderator, proposal_page());
    EXPECT_TRUE(contains(page.body, "Vollidiot"));
    EXPECT_TRUE(contains(page.body, "Von der Moderation ausgeblendet"));
  }
  auto log = page_as(moderator_, queue() + "/protokoll");
  EXPECT_TRUE(contains(log.body, "ausgeblendet"));
  EXPECT_TRUE(contains(log.body, "Beleidigung eines Nachbarn"));
  EXPECT_TRUE(contains(log.body, "Admin Kemberg"));

  // Restoring (with a reason) shows the comment again and is logged too.
  page_as(moderator_, queue());
  ASSERT_EQ(
      send(http::Method::post, queue(),
           "action=restore&target=" + comment_target() + "&reason=nach+Pr%C3%BCfung+zul%C3%A4ssig")
          .status,
      303);
  EXPECT_TRUE(contains(page_as(0, proposal_page()).body, "Vollidiot"));
  log = page_as(kemberg_admin_, queue() + "/protokoll");
  EXPECT_TRUE(contains(log.body, "nach Prüfung zulässig"));
  EXPECT_LT(log.body.find("wieder eingeblendet"), log.body.find("Beleidigung eines Nachbarn"))
      << "newest first";
}

TEST_P(ModerationHttpTest, ModeratorsHideWhatTheySeeWithoutAReport) {
  // The hide form sits on the pages for moderators only, next to every comment and proposal.
  const std::string hide_form = "name=\"target\" value=\"" + comment_target() + "\"";
  EXPECT_TRUE(contains(page_as(moderator_, proposal_page()).body, hide_form));
  EXPECT_TRUE(contains(page_as(moderator_, proposal_page()).body,
                       "value=\"" + proposal_target() + "\""));
  for (auto reader : {std::int64_t{0}, citizen_, author_, land_admin_})
    EXPECT_FALSE(contains(page_as(reader, proposal_page()).body, hide_form)) << reader;
  // A comment on the process itself, hidden from the process page; back to that page.
  auto on_process = as(author_, http::Method::post, base() + "/comments",
                       json{{"body", "Meine Telefonnummer: 0170 1234567"}}.dump());
  ASSERT_EQ(on_process.status, 201) << on_process.body;
  const auto id = json::parse(on_process.body)["id"].get<std::int64_t>();
  page_as(moderator_, process_page());
  auto hidden = send(http::Method::post, queue(),
                     "action=hide&target=comment:" + std::to_string(id) +
                         "&reason=Pers%C3%B6nliche+Daten&return_to=" +
                         http::percent_encode(process_page() + "#kommentar-" + std::to_string(id)));
  ASSERT_EQ(hidden.status, 303) << hidden.body;
  EXPECT_EQ(hidden.headers.get("Location"), process_page() + "#kommentar-" + std::to_string(id));
  auto seen = page_as(citizen_, process_page());
  EXPECT_TRUE(contains(seen.body, "Ausgeblendet: Persönliche Daten"));
  EXPECT_FALSE(contains(seen.body, "0170 1234567"));
  EXPECT_TRUE(contains(page_as(kemberg_admin_, queue() + "/protokoll").body, "Persönliche Daten"));
  // Somewhere else than this site's participation pages is never a destination.
  page_as(moderator_, proposal_page());
  auto elsewhere = send(http::Method::post, queue(),
                        "action=hide&target=" + comment_target() +
                            "&reason=Beleidigung&return_to=https%3A%2F%2Fevil.example%2F");
  ASSERT_EQ(elsewhere.status, 303);
  EXPECT_TRUE(std::string(elsewhere.headers.get("Location")).starts_with(queue()));
  // Not a moderator: no hiding, with or without the form.
  page_as(land_admin_, proposal_page());
  EXPECT_EQ(send(http::Method::post, queue(),
                 "action=hide&target=" + proposal_target() + "&reason=x&return_to=%2Fvorschlaege%2F1")
                .status,
            403);
}

TEST_P(ModerationHttpTest, EditorsNameTheTeamFromAnyOrganisation) {
  const std::string team = process_page() + "/team";
  EXPECT_NE(page_as(kemberg_admin_, process_page()).body.find(team), std::string::npos);
  for (auto who : {moderator_, land_admin_, citizen_})
    EXPECT_EQ(page_as(who, team).status, 403) << who;
  EXPECT_EQ(page_as(0, team).headers.get("Location"), "/konto/anmelden");

  auto page = page_as(kemberg_admin_, team);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Moderatorin Mia"));
  // A citizen is no staff; an unknown address gets its own message; both keep the input.
  auto citizen = send(http::Method::post, team, "action=add&email=bea%40example.org&role=owner");
  EXPECT_EQ(citizen.status, 422);
  EXPECT_TRUE(contains(citizen.body, "in keiner Organisation Mitglied"));
  EXPECT_TRUE(contains(citizen.body, "value=\"bea@example.org\""));
  page_as(kemberg_admin_, team);
  auto unknown = send(http::Method::post, team, "action=add&email=niemand%40example.org");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_TRUE(contains(unknown.body, "kein bestätigtes Konto"));
  // Staff of Wittenberg (another Gemeinde) join Kemberg's team as owner: Augenhöhe.
  page_as(kemberg_admin_, team);
  auto added = send(http::Method::post, team,
                    "action=add&email=admin%40wittenberg.example&role=owner");
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_TRUE(contains(page_as(kemberg_admin_, std::string(added.headers.get("Location"))).body,
                       "hinzugefügt und benachrichtigt"));
  EXPECT_EQ(page_as(wittenberg_admin_, process_page() + "/bearbeiten").status, 200);
  EXPECT_EQ(page_as(wittenberg_admin_, team).status, 200) << "owners name the team too";
  sign_in(wittenberg_admin_);
  EXPECT_TRUE(contains(api(http::Method::get, "/api/v1/notifications").body, process_page()));
  // Removing takes the rights away again.
  page_as(kemberg_admin_, team);
  ASSERT_EQ(send(http::Method::post, team,
                 "action=remove&account=" + std::to_string(wittenberg_admin_))
                .status,
            303);
  EXPECT_EQ(page_as(wittenberg_admin_, process_page() + "/bearbeiten").status, 403);
}

TEST_P(ModerationHttpTest, AHiddenProposalKeepsItsPlaceButNotItsText) {
  ASSERT_EQ(
      moderate(moderator_, "action=hide&target=" + proposal_target() + "&reason=Werbung").status,
      303);
  auto list = page_as(0, process_page());
  EXPECT_TRUE(contains(list.body, "Ausgeblendet: Werbung")) << "it keeps its place";
  EXPECT_TRUE(contains(list.body, proposal_page()));
  EXPECT_FALSE(contains(list.body, "Rutsche für Kleine"));
  auto page = page_as(0, proposal_page());
  EXPECT_FALSE(contains(page.body, "Rutsche für Kleine"));
  EXPECT_FALSE(contains(page.body, "flache Rutsche"));
  EXPECT_TRUE(contains(page.body, "Ausgeblendet: Werbung"));

  sign_in(0);
  for (auto target : {proposal_api(), base() + "/proposals"}) {
    auto answer = api(http::Method::get, target);
    ASSERT_EQ(answer.status, 200);
    EXPECT_FALSE(contains(answer.body, "Rutsche")) << target;
    EXPECT_TRUE(contains(answer.body, "\"hidden_reason\":\"Werbung\"")) << answer.body;
  }
  auto feed = send(http::Method::get, process_page() + "/feed.atom");
  EXPECT_FALSE(contains(feed.body, "Rutsche"));
  EXPECT_TRUE(contains(feed.body, "Ausgeblendet: Werbung"));
  // The owner's spreadsheet travels on: the hidden text stays out, the reason is there.
  sign_in(kemberg_admin_);
  auto csv = send(http::Method::get, process_page() + "/vorschlaege.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_FALSE(contains(csv.body, "Rutsche"));
  EXPECT_TRUE(contains(csv.body, "Werbung"));
  // It takes no supports or comments any more, from anyone.
  for (auto who : {citizen_, moderator_}) {
    EXPECT_EQ(as(who, http::Method::put, proposal_api() + "/support").status, 409);
    EXPECT_EQ(as(who, http::Method::post, proposal_api() + "/comments", json{{"body", "x"}}.dump())
                  .status,
              409);
  }
  // Moderators read the original through the API too.
  auto original = as(moderator_, http::Method::get, proposal_api());
  EXPECT_TRUE(contains(original.body, "Rutsche für Kleine"));
  EXPECT_EQ(json::parse(original.body)["hidden"], true);
}

TEST_P(ModerationHttpTest, ABlockedPersonIsRefusedWithAClearMessageAndNoForms) {
  ASSERT_EQ(moderate(kemberg_admin_,
                     "action=block&target=" + proposal_target() + "&reason=wiederholt+beleidigend")
                .status,
            303);
  auto process = page_as(author_, process_page());
  EXPECT_TRUE(contains(process.body, "ausgeschlossen"));
  EXPECT_FALSE(contains(process.body, process_page() + "/vorschlag\""));
  auto proposal = page_as(author_, proposal_page());
  EXPECT_FALSE(contains(proposal.body, "unterstuetzung"));
  EXPECT_FALSE(contains(proposal.body, "name=\"body\""));

  auto expect_refused = [&](const http::Response& response, const char* what) {
    EXPECT_EQ(response.status, 403) << what;
    EXPECT_TRUE(contains(response.body, "ausgeschlossen")) << what << response.body;
    EXPECT_TRUE(contains(response.body, "wiederholt beleidigend")) << what;
    EXPECT_TRUE(contains(response.body, "Kemberg")) << "whom to contact: " << what;
  };
  expect_refused(page_as(author_, process_page() + "/vorschlag"), "propose form");
  page_as(author_, "/beteiligung");
  expect_refused(send(http::Method::post, process_page() + "/vorschlag", "title=T&body=B"),
                 "propose");
  expect_refused(send(http::Method::post, proposal_page() + "/kommentare", "body=Hallo"),
                 "comment");
  expect_refused(send(http::Method::post, proposal_page() + "/unterstuetzung", "give=1"),
                 "support");
  expect_refused(as(author_, http::Method::post, base() + "/proposals",
                    json{{"title", "T"}, {"body", "B"}}.dump()),
                 "API propose");
  expect_refused(
      as(author_, http::Method::post, proposal_api() + "/comments", json{{"body", "x"}}.dump()),
      "API comment");
  expect_refused(as(author_, http::Method::put, proposal_api() + "/support"), "API support");
  // Others are not affected, and lifting the block lets the person take part again.
  EXPECT_EQ(as(citizen_, http::Method::put, proposal_api() + "/support").status, 200);
  ASSERT_EQ(moderate(kemberg_admin_, "action=unblock&target=account:" + std::to_string(author_) +
                                         "&reason=Frist+abgelaufen")
                .status,
            303);
  EXPECT_EQ(as(author_, http::Method::put, proposal_api() + "/support").status, 200);
  auto log = page_as(kemberg_admin_, queue() + "/protokoll");
  EXPECT_TRUE(contains(log.body, "Ausschluss aufgehoben"));
  EXPECT_TRUE(contains(log.body, "vom Verfahren ausgeschlossen"));
  EXPECT_TRUE(contains(log.body, "(Tom)"));
}

TEST_P(ModerationHttpTest, UnverifiedAccountsAreAskedToConfirmTheirAddress) {
  ASSERT_TRUE(db->query("UPDATE accounts SET email_verified_at = NULL WHERE id = $1",
                        {db::Value{citizen_}}));
  for (auto [method, target] : {std::pair{http::Method::post, base() + "/proposals"},
                                std::pair{http::Method::post, proposal_api() + "/comments"},
                                std::pair{http::Method::put, proposal_api() + "/support"}}) {
    auto refused = as(citizen_, method, target, json{{"title", "T"}, {"body", "B"}}.dump());
    EXPECT_EQ(refused.status, 403) << target;
    EXPECT_TRUE(contains(refused.body, "bestätigen Sie zuerst Ihre E-Mail-Adresse")) << target;
  }
}

TEST_P(ModerationHttpTest, ReportsThroughTheApiAndTheirLimits) {
  json body = {{"target", {{"kind", "comment"}, {"id", comment_}}}, {"reason", "spam"}};
  auto first = as(citizen_, http::Method::post, "/api/v1/reports", body.dump());
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(json::parse(first.body)["new"], true);
  auto again = as(citizen_, http::Method::post, "/api/v1/reports", body.dump());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(json::parse(again.body)["new"], false);
  EXPECT_EQ(as(citizen_, http::Method::post, "/api/v1/reports",
               json{{"target", {{"kind", "process"}, {"id", process_}}}, {"reason", "spam"}}.dump())
                .status,
            422);
  EXPECT_EQ(as(citizen_, http::Method::post, "/api/v1/reports",
               json{{"target", {{"kind", "comment"}, {"id", comment_}}}, {"reason", "laut"}}.dump())
                .status,
            422);
  // Anonymous reports count per client: the eleventh in an hour is refused.
  sign_in(0);
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(api(http::Method::post, "/api/v1/reports", body.dump()).status, 201) << i;
  auto limited = api(http::Method::post, "/api/v1/reports", body.dump());
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.headers.get("Retry-After").empty());
  // The signed-in person's reports are in their data export.
  auto exported = module("moderation").export_personal_data(services(), citizen_);
  ASSERT_TRUE(exported);
  ASSERT_EQ((*exported)["reports"].size(), 1u);
  EXPECT_EQ((*exported)["reports"][0]["reason"], "spam");
  EXPECT_EQ((*exported)["reports"][0]["target"]["id"], comment_);
}

TEST_P(ModerationHttpTest, AfterErasureTheLogShowsADeletedAccount) {
  ASSERT_EQ(moderate(moderator_, "action=hide&target=" + comment_target() + "&reason=Spam").status,
            303);
  ASSERT_TRUE(db->query("DELETE FROM accounts WHERE id = $1", {db::Value{moderator_}}));
  auto log = page_as(kemberg_admin_, queue() + "/protokoll");
  EXPECT_TRUE(contains(log.body, "gelöschtes Konto")) << log.body;
  EXPECT_FALSE(contains(log.body, "Moderatorin Mia"));
  EXPECT_TRUE(contains(log.body, "Spam"));
}

AH_INSTANTIATE_BACKEND_TEST(ModerationHttpTest);

}  // namespace
}  // namespace ah::modules
