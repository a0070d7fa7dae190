// The participation API as clients use it: who may create processes (the Augenhöhe rule in
// practice), proposing and supporting only while the phase allows, drafts hidden.
#include "modules/participation/module.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "base/time.h"
#include "db/test_database.h"
#include "export/test_tools.h"
#include "modules/accounts/session_layer.h"
#include "modules/participation/comments.h"
#include "modules/participation/store.h"
#include "modules/testing/harness.h"
#include "web/format.h"

namespace ah::modules {
namespace {

using nlohmann::json;
using participation::ProcessState;
using participation::ProcessStore;
using participation::CommentStore;
using participation::comment_href;
using participation::kCommentThreadsPerPage;

class ParticipationApiTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_participation_module()));
    kemberg_admin_ = create_account("admin@kemberg.example", "Admin Kemberg");
    land_admin_ = create_account("admin@land.example", "Admin Land");
    citizen_ = create_account("bea@example.org", "Bea");
    ASSERT_TRUE(authz::MembershipStore(*db).put(org_id("15091160"), kemberg_admin_,
                                                authz::OrgRole::admin, 1));
    ASSERT_TRUE(
        authz::MembershipStore(*db).put(org_id("15"), land_admin_, authz::OrgRole::admin, 1));
  }

  // A process body with one phase around now in which everything is allowed.
  std::string process_body(const std::string& org, const std::string& state = "published") {
    auto now = accounts::unix_now();
    json body = {{"org", org},
                 {"title", "Spielplatz am Markt"},
                 {"summary", "Ideen für den Spielplatz"},
                 {"body", "Alle können mitmachen."},
                 {"state", state},
                 {"phases",
                  {{{"title", "Ideen"},
                    {"starts_at", rfc3339_utc(now - 3600)},
                    {"ends_at", rfc3339_utc(now + 3600)},
                    {"propose", true},
                    {"comment", true},
                    {"support", true}}}}};
    return body.dump();
  }

  http::Response as(std::int64_t who, http::Method method, const std::string& target,
                    const std::string& body = {}) {
    sign_in(who);
    return api(method, target, body, csrf);
  }

  std::int64_t kemberg_admin_ = 0, land_admin_ = 0, citizen_ = 0;
};

TEST_P(ParticipationApiTest, OnlyTheOrganisationsAdminsCreateItsProcesses) {
  EXPECT_EQ(api(http::Method::post, "/api/v1/processes", process_body("15091160")).status, 401);
  auto land = as(land_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  EXPECT_EQ(land.status, 403) << "the Land has no right in Kemberg's affairs";
  EXPECT_EQ(as(citizen_, http::Method::post, "/api/v1/processes", process_body("15091160")).status,
            403);
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201) << created.body;
  auto process = json::parse(created.body);
  EXPECT_EQ(process["organisation"]["key"], "15091160");
  EXPECT_EQ(process["current_phase"], "Ideen");
  // The Land creates its own processes the same way.
  EXPECT_EQ(as(land_admin_, http::Method::post, "/api/v1/processes", process_body("15")).status,
            201);

  sign_in(0);
  auto list = api(http::Method::get, "/api/v1/processes?kreis=15091");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(json::parse(list.body)["items"].size(), 1u);
  EXPECT_EQ(api(http::Method::get, "/api/v1/processes?state=draft").status, 400);
  EXPECT_EQ(api(http::Method::get, "/api/v1/processes?limit=0").status, 400);
  EXPECT_EQ(api(http::Method::get, "/api/v1/processes?cursor=zz").status, 400);
}

TEST_P(ParticipationApiTest, BadProcessesGetAClearMessage) {
  sign_in(kemberg_admin_);
  auto bad_json = api(http::Method::post, "/api/v1/processes", "{nope", csrf);
  EXPECT_EQ(bad_json.status, 400);
  json body = json::parse(process_body("15091160"));
  body["phases"][0]["ends_at"] = "morgen";
  auto bad_date = api(http::Method::post, "/api/v1/processes", body.dump(), csrf);
  EXPECT_EQ(bad_date.status, 422);
  EXPECT_NE(bad_date.body.find("RFC 3339"), std::string::npos) << bad_date.body;
  body = json::parse(process_body("15091160"));
  body["title"] = "";
  auto no_title = api(http::Method::post, "/api/v1/processes", body.dump(), csrf);
  EXPECT_EQ(no_title.status, 422);
  EXPECT_NE(no_title.body.find("Titel"), std::string::npos);
  EXPECT_EQ(api(http::Method::post, "/api/v1/processes", process_body("99999999"), csrf).status,
            422);
}

TEST_P(ParticipationApiTest, DraftsAreHiddenFromEveryoneButTheirEditors) {
  auto created = as(kemberg_admin_, http::Method::post, "/api/v1/processes",
                    process_body("15091160", "draft"));
  ASSERT_EQ(created.status, 201);
  std::string path =
      "/api/v1/processes/" + std::to_string(json::parse(created.body)["id"].get<int>());
  EXPECT_EQ(api(http::Method::get, path).status, 200) << "its author";
  EXPECT_EQ(as(land_admin_, http::Method::get, path).status, 404);
  sign_in(0);
  EXPECT_EQ(api(http::Method::get, path).status, 404);
  EXPECT_EQ(json::parse(api(http::Method::get, "/api/v1/processes").body)["items"].size(), 0u);
}

TEST_P(ParticipationApiTest, ProposeAndSupportWhileThePhaseAllows) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  std::string process =
      "/api/v1/processes/" + std::to_string(json::parse(created.body)["id"].get<int>());

  sign_in(0);
  EXPECT_EQ(api(http::Method::post, process + "/proposals", R"({"title":"Rutsche","body":"Bitte"})")
                .status,
            401);
  auto proposed = as(citizen_, http::Method::post, process + "/proposals",
                     R"({"title":"Rutsche","body":"Eine große Rutsche.","lat":51.77,"lon":12.63})");
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  auto proposal = json::parse(proposed.body);
  EXPECT_EQ(proposal["author"], "Bea");
  std::string support =
      "/api/v1/proposals/" + std::to_string(proposal["id"].get<int>()) + "/support";
  EXPECT_EQ(
      api(http::Method::post, process + "/proposals", R"({"title":"","body":""})", csrf).status,
      422);
  EXPECT_EQ(api(http::Method::post, process + "/proposals",
                R"({"title":"Ort","body":"x","lat":51})", csrf)
                .status,
            422);

  auto first = api(http::Method::put, support, {}, csrf);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(json::parse(first.body)["support_count"], 1);
  EXPECT_EQ(json::parse(api(http::Method::put, support, {}, csrf).body)["support_count"], 1)
      << "once per person";
  EXPECT_EQ(json::parse(as(land_admin_, http::Method::put, support).body)["support_count"], 2);
  auto read = api(http::Method::get, support.substr(0, support.size() - 8));
  EXPECT_EQ(json::parse(read.body)["supported"], true);
  EXPECT_EQ(json::parse(api(http::Method::del, support, {}, csrf).body)["support_count"], 1);
  EXPECT_EQ(api(http::Method::put, support).status, 403) << "the session needs its CSRF token";

  // When the process closes, supporting ends.
  auto id = json::parse(created.body)["id"].get<std::int64_t>();
  ASSERT_TRUE(db->query("UPDATE processes SET state = 'closed' WHERE id = $1", {id}));
  EXPECT_EQ(as(citizen_, http::Method::put, support).status, 409);
  EXPECT_EQ(
      api(http::Method::post, process + "/proposals", R"({"title":"Spät","body":"Zu spät"})", csrf)
          .status,
      409);
  // The short URL of the poster leads to the process page.
  auto code = json::parse(created.body)["short_url"].get<std::string>();
  auto redirect = api(http::Method::get, code);
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.headers.get("Location"), "/beteiligung/" + std::to_string(id));
}

TEST_P(ParticipationApiTest, ACitizenProposesAndSupportsThroughThePages) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  std::string page = "/beteiligung/" + std::to_string(json::parse(created.body)["id"].get<int>());

  sign_in(0);
  auto list = send(http::Method::get, "/beteiligung?kreis=15091");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Spielplatz am Markt"), std::string::npos);
  EXPECT_NE(list.body.find("jetzt: Ideen"), std::string::npos);
  EXPECT_EQ(send(http::Method::get, "/beteiligung?kreis=15082").body.find("Spielplatz am Markt"),
            std::string::npos);
  EXPECT_EQ(send(http::Method::get, "/beteiligung?state=draft").status, 400);
  auto of_kemberg = send(http::Method::get, "/beteiligung?org=15091160");
  EXPECT_NE(of_kemberg.body.find("Spielplatz am Markt"), std::string::npos);
  EXPECT_NE(of_kemberg.body.find("Verfahren von"), std::string::npos);
  EXPECT_EQ(send(http::Method::get, "/beteiligung?org=15").body.find("Spielplatz am Markt"),
            std::string::npos);
  EXPECT_EQ(send(http::Method::get, "/beteiligung?org=99999999").status, 404);
  EXPECT_NE(
      send(http::Method::get, "/beteiligung?gemeinde=15091160").body.find("Spielplatz am Markt"),
      std::string::npos);
  EXPECT_EQ(
      send(http::Method::get, "/beteiligung?gemeinde=15002000").body.find("Spielplatz am Markt"),
      std::string::npos);
  auto anonymous = send(http::Method::get, page);
  EXPECT_NE(anonymous.body.find("Melden Sie sich an, um einen Vorschlag zu machen"),
            std::string::npos);
  EXPECT_EQ(send(http::Method::get, page + "/vorschlag").status, 303);

  sign_in(citizen_);
  send(http::Method::get, page + "/vorschlag");
  auto bad = send(http::Method::post, page + "/vorschlag", "title=Rutsche&body=");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("value=\"Rutsche\""), std::string::npos) << "keeps what was typed";
  EXPECT_NE(bad.body.find("href=\"#field-body\""), std::string::npos);
  auto made = send(http::Method::post, page + "/vorschlag",
                   "title=Rutsche&body=Eine+gro%C3%9Fe+Rutsche.&category=Spielger%C3%A4te");
  ASSERT_EQ(made.status, 303) << made.body;
  std::string proposal(made.headers.get("Location"));
  auto shown = send(http::Method::get, proposal);
  EXPECT_NE(shown.body.find("Eine große Rutsche."), std::string::npos);
  EXPECT_NE(shown.body.find("<strong>0</strong>"), std::string::npos);
  EXPECT_EQ(send(http::Method::post, proposal + "/unterstuetzung", "give=1").status, 303);
  shown = send(http::Method::get, proposal);
  EXPECT_NE(shown.body.find("<strong>1</strong>"), std::string::npos);
  EXPECT_NE(shown.body.find("Unterstützung zurücknehmen"), std::string::npos);
  EXPECT_EQ(
      send(http::Method::post, proposal + "/unterstuetzung", "give=1", /*with_csrf=*/false).status,
      403);
  EXPECT_NE(send(http::Method::get, page).body.find("Bea · 1 Unterstützungen"), std::string::npos);
}

TEST_P(ParticipationApiTest, AdminsStartProcessesWithTheFormOthersCannot) {
  sign_in(citizen_);
  EXPECT_EQ(send(http::Method::get, "/beteiligung/neu").status, 403);
  sign_in(kemberg_admin_);
  auto form = send(http::Method::get, "/beteiligung/neu");
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_NE(form.body.find("Kemberg"), std::string::npos);
  EXPECT_EQ(form.body.find("Sachsen-Anhalt</option>"), std::string::npos)
      << "only their own organisations";
  EXPECT_NE(form.body.find("value=\"Ideen sammeln\""), std::string::npos)
      << "a default sequence of phases";
  std::string phases =
      "&phase0_title=Ideen&phase0_from=2026-12-01&phase0_to=2026-12-31&phase0_propose=1&phase0_"
      "support=1"
      "&phase1_title=Ergebnis&phase1_from=2027-01-01&phase1_to=2027-02-28";
  // Someone else's organisation is refused even if the form is forged.
  EXPECT_EQ(
      send(http::Method::post, "/beteiligung/neu", "org=15&title=T&summary=S" + phases).status,
      403);
  auto bad = send(http::Method::post, "/beteiligung/neu",
                  "org=15091160&title=&summary=Kurz&phase0_title=Ideen&phase0_from=2026-12-01&"
                  "phase0_to=gestern");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("href=\"#field-title\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#field-phases\""), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"gestern\""), std::string::npos) << "keeps what was typed";
  auto made =
      send(http::Method::post, "/beteiligung/neu",
           "org=15091160&title=Radwege&summary=Wo+fehlen+Radwege%3F&state=published" + phases);
  ASSERT_EQ(made.status, 303) << made.body;
  auto id = std::stoll(std::string(made.headers.get("Location")).substr(13));
  auto process = ProcessStore(*db).find(id);
  ASSERT_TRUE(process);
  ASSERT_EQ(process->phases.size(), 2u);
  // Days are Berlin days: 1 Dec 00:00 CET to the end of 31 Dec.
  EXPECT_EQ(process->phases[0].starts_at, *web::berlin_midnight("2026-12-01"));
  EXPECT_EQ(process->phases[0].ends_at, *web::berlin_midnight("2027-01-01"));
  EXPECT_TRUE(process->phases[0].allow_propose);
  EXPECT_FALSE(process->phases[0].allow_comment);
  EXPECT_EQ(process->state, ProcessState::published);
  EXPECT_TRUE(*authz::Authorizer(*db).can(kemberg_admin_, authz::Action::process_edit,
                                          authz::Target::space("process", id, org_id("15091160"))));
}

TEST_P(ParticipationApiTest, ThePosterCarriesTitleAndShortUrl) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  auto process = json::parse(created.body);
  std::string page = "/beteiligung/" + std::to_string(process["id"].get<int>());
  sign_in(0);
  auto pdf = send(http::Method::get, page + "/aushang.pdf");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.headers.get("Content-Type"), "application/pdf");
  ASSERT_TRUE(pdf.body.starts_with("%PDF-"));
  EXPECT_NE(send(http::Method::get, page).body.find(page + "/aushang.pdf"), std::string::npos)
      << "linked";
  // Read back with pdftotext (poppler-utils); the QR code itself is decoded in poster_test.
  auto file = scratch_dir() / "poster.pdf";
  std::ofstream(file, std::ios::binary) << pdf.body;
  std::string command = "pdftotext -layout " + file.string() + " - 2>/dev/null";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
  int status = ::pclose(pipe);
  if (status != 0 && !std::getenv("AUGENHOEHE_REQUIRE_TOOLS"))
    GTEST_SKIP() << "pdftotext (poppler-utils) missing";
  ASSERT_EQ(status, 0);
  EXPECT_NE(text.find("Spielplatz am Markt"), std::string::npos) << text;
  EXPECT_NE(text.find("beteiligung.example" + process["short_url"].get<std::string>()),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Machen Sie mit!"), std::string::npos);
}

TEST_P(ParticipationApiTest, OwnersExportProposalsEveryoneReadsTheFeeds) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  std::string page = "/beteiligung/" + std::to_string(json::parse(created.body)["id"].get<int>());
  std::string api_page =
      "/api/v1/processes/" + std::to_string(json::parse(created.body)["id"].get<int>());
  ASSERT_EQ(
      as(citizen_, http::Method::post, api_page + "/proposals",
         R"J({"title":"=SUMME(A1)","body":"Zeile eins\nZeile zwei; mit Semikolon","category":"Spiel"})J")
          .status,
      201);
  EXPECT_EQ(send(http::Method::get, page + "/vorschlaege.csv").status, 403) << "a citizen";
  EXPECT_EQ(as(land_admin_, http::Method::get, page + "/vorschlaege.csv").status, 403)
      << "the Land";
  auto csv = as(kemberg_admin_, http::Method::get, page + "/vorschlaege.csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF")) << "BOM for Excel";
  EXPECT_NE(csv.body.find("Unterstützungen"), std::string::npos);
  EXPECT_NE(csv.body.find("'=SUMME(A1)"), std::string::npos) << "formula injection defused";
  EXPECT_NE(csv.body.find("\"Zeile eins\nZeile zwei; mit Semikolon\""), std::string::npos);
  auto xlsx = send(http::Method::get, page + "/vorschlaege.xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_TRUE(xlsx.body.starts_with("PK")) << "a zip container";
  EXPECT_NE(send(http::Method::get, page).body.find("vorschlaege.xlsx"), std::string::npos)
      << "linked for owners";

  sign_in(0);
  EXPECT_EQ(send(http::Method::get, page).body.find("vorschlaege.xlsx"), std::string::npos)
      << "not for others";
  auto feed = send(http::Method::get, page + "/feed.atom");
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(feed.headers.get("Content-Type"), "application/atom+xml; charset=utf-8");
  EXPECT_NE(feed.body.find("<title>=SUMME(A1)</title>"), std::string::npos) << feed.body;
  auto all = send(http::Method::get, "/beteiligung.atom");
  ASSERT_EQ(all.status, 200);
  EXPECT_NE(all.body.find("Spielplatz am Markt"), std::string::npos);
}

TEST_P(ParticipationApiTest, CommentsThreadTwoLevelsAndLeaveTombstones) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  std::string api_page =
      "/api/v1/processes/" + std::to_string(json::parse(created.body)["id"].get<int>());
  auto proposed = as(citizen_, http::Method::post, api_page + "/proposals",
                     R"({"title":"Rutsche","body":"Bitte"})");
  ASSERT_EQ(proposed.status, 201);
  auto proposal_id = json::parse(proposed.body)["id"].get<std::int64_t>();
  std::string page = "/vorschlaege/" + std::to_string(proposal_id);
  std::string comments = "/api/v1/proposals/" + std::to_string(proposal_id) + "/comments";

  sign_in(0);
  EXPECT_NE(send(http::Method::get, page).body.find("Melden Sie sich an, um zu kommentieren"),
            std::string::npos);
  sign_in(land_admin_);
  send(http::Method::get, page);
  auto first = send(http::Method::post, page + "/kommentare", "body=Gute+Idee");
  ASSERT_EQ(first.status, 303) << first.body;
  auto first_id = testing::comment_anchor(first.headers.get("Location"));
  EXPECT_EQ(send(http::Method::post, page + "/kommentare", "body=").status, 422);
  sign_in(citizen_);
  send(http::Method::get, page);
  auto reply = send(http::Method::post, page + "/kommentare",
                    "body=Danke%21&parent=" + std::to_string(first_id));
  ASSERT_EQ(reply.status, 303);
  auto reply_id = testing::comment_anchor(reply.headers.get("Location"));
  auto deeper = send(http::Method::post, page + "/kommentare",
                     "body=Noch+tiefer&parent=" + std::to_string(reply_id));
  EXPECT_EQ(deeper.status, 422) << "two levels only";
  EXPECT_NE(deeper.body.find("ursprünglichen Kommentar"), std::string::npos);
  // Only its author deletes a comment; a tombstone keeps the reply in place.
  EXPECT_EQ(
      send(http::Method::post, "/kommentare/" + std::to_string(first_id) + "/loeschen").status,
      403);
  sign_in(land_admin_);
  send(http::Method::get, page);
  EXPECT_EQ(
      send(http::Method::post, "/kommentare/" + std::to_string(first_id) + "/loeschen").status,
      303);
  auto listed = json::parse(api(http::Method::get, comments).body)["items"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["deleted"], true);
  EXPECT_EQ(listed[0]["body"], "");
  EXPECT_EQ(listed[1]["parent_id"], first_id);
  EXPECT_EQ(listed[1]["author"], "Bea");
  auto shown = send(http::Method::get, page);
  EXPECT_NE(shown.body.find("wurde von seiner Verfasserin oder seinem Verfasser gelöscht"),
            std::string::npos);
  EXPECT_NE(shown.body.find("Danke!"), std::string::npos);
  EXPECT_EQ(json::parse(api(http::Method::get, "/api/v1/proposals/" + std::to_string(proposal_id))
                            .body)["comment_count"],
            1);
  // The API takes comments too; most discussed sorts by them.
  auto by_api = api(http::Method::post, comments, R"({"body":"Per API"})", csrf);
  EXPECT_EQ(by_api.status, 201) << by_api.body;
  EXPECT_EQ(api(http::Method::post, comments, R"({"body":"x","parent_id":999999})", csrf).status,
            404);
}

TEST_P(ParticipationApiTest, TextsAreMarkdownAndCannotInjectMarkup) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  std::string api_page =
      "/api/v1/processes/" + std::to_string(json::parse(created.body)["id"].get<int>());
  json proposal = {{"title", "Schatten"},
                   {"body",
                    "Bitte **Bäume** pflanzen:\n\n- Linde\n- Eiche\n\n"
                    "<script>alert(1)</script>\n\n[klick](javascript:alert(2)) "
                    "[Plan](https://example.org/plan)"}};
  auto proposed = as(citizen_, http::Method::post, api_page + "/proposals", proposal.dump());
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  std::string page = "/vorschlaege/" + std::to_string(json::parse(proposed.body)["id"].get<int>());
  auto comment = send(http::Method::post, page + "/kommentare", "body=*sehr*+gut+%3Cb%3Ex%3C%2Fb%3E");
  ASSERT_EQ(comment.status, 303) << comment.body;

  auto shown = send(http::Method::get, page);
  EXPECT_NE(shown.body.find("<strong>Bäume</strong>"), std::string::npos) << shown.body;
  EXPECT_NE(shown.body.find("<li>Linde</li>"), std::string::npos);
  EXPECT_NE(shown.body.find("<em>sehr</em>"), std::string::npos);
  EXPECT_NE(shown.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(shown.body.find("&lt;b&gt;x&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(shown.body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(shown.body.find("javascript:"), std::string::npos);
  EXPECT_NE(shown.body.find("klick"), std::string::npos) << "a dropped link keeps its text";
  EXPECT_NE(shown.body.find(R"(href="https://example.org/plan" rel="nofollow ugc noopener")"),
            std::string::npos);

  // A table line with more than 256 cells is refused with a message, the input kept.
  sign_in(citizen_);
  std::string process_page = "/beteiligung/" + api_page.substr(api_page.rfind('/') + 1);
  send(http::Method::get, process_page + "/vorschlag");
  auto wide = send(http::Method::post, process_page + "/vorschlag",
                   "title=Tabelle&body=" + std::string(300, '|'));
  EXPECT_EQ(wide.status, 422);
  EXPECT_NE(wide.body.find("mehr als 256 Zeichen"), std::string::npos) << wide.body;
}

TEST_P(ParticipationApiTest, AuthorsEditAndWithdrawOwnersAnswer) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  std::string page = "/beteiligung/" + std::to_string(json::parse(created.body)["id"].get<int>());
  sign_in(citizen_);
  send(http::Method::get, page + "/vorschlag");
  auto made = send(http::Method::post, page + "/vorschlag", "title=Rutsche&body=Eine+Rutsche");
  ASSERT_EQ(made.status, 303);
  std::string proposal(made.headers.get("Location"));

  // The author edits while nobody has supported or commented; nobody else can.
  EXPECT_NE(send(http::Method::get, proposal).body.find("Vorschlag bearbeiten"), std::string::npos);
  auto form = send(http::Method::get, proposal + "/bearbeiten");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"Rutsche\""), std::string::npos) << "prefilled";
  EXPECT_EQ(send(http::Method::post, proposal + "/bearbeiten", "title=&body=x").status, 422);
  ASSERT_EQ(
      send(http::Method::post, proposal + "/bearbeiten", "title=Breite+Rutsche&body=Breiter")
          .status,
      303);
  EXPECT_NE(send(http::Method::get, proposal).body.find("Breite Rutsche"), std::string::npos);
  sign_in(land_admin_);
  send(http::Method::get, proposal);
  EXPECT_EQ(send(http::Method::get, proposal + "/bearbeiten").status, 403);
  EXPECT_EQ(send(http::Method::post, proposal + "/zurueckziehen").status, 403);
  EXPECT_EQ(send(http::Method::post, proposal + "/unterstuetzung", "give=1").status, 303);
  sign_in(citizen_);
  send(http::Method::get, proposal);
  auto late = send(http::Method::post, proposal + "/bearbeiten", "title=Anders&body=Anders");
  EXPECT_EQ(late.status, 409) << "supported: the text stays as supported";
  EXPECT_EQ(send(http::Method::get, proposal).body.find("Vorschlag bearbeiten"), std::string::npos);

  // Answers: the Land's admin has no say in Kemberg's process, Kemberg's admin has.
  sign_in(land_admin_);
  send(http::Method::get, proposal);
  EXPECT_EQ(send(http::Method::get, proposal).body.find("Auf den Vorschlag antworten"),
            std::string::npos);
  EXPECT_EQ(send(http::Method::post, proposal + "/antwort", "state=accepted&text=Ja&progress=10")
                .status,
            403);
  sign_in(kemberg_admin_);
  auto own = send(http::Method::get, proposal);
  EXPECT_NE(own.body.find("Auf den Vorschlag antworten"), std::string::npos);
  auto refused = send(http::Method::post, proposal + "/antwort", "state=accepted&text=&progress=x");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Bitte begründen Sie die Antwort"), std::string::npos);
  EXPECT_NE(refused.body.find("ganze Zahl von 0 bis 100"), std::string::npos);
  EXPECT_NE(refused.body.find("<option value=\"accepted\" selected>"), std::string::npos)
      << "keeps the choice";
  const auto mails_before = mailer.count();
  ASSERT_EQ(send(http::Method::post, proposal + "/antwort",
                 "state=accepted&text=Wird+im+Fr%C3%BChjahr+gebaut.&progress=30")
                .status,
            303);
  // Its author is told, in the app and by mail.
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = $2",
                      {db::Value{citizen_}, db::Value{"participation.proposal_answered"}})
                ->rows[0]
                .int64(0),
            1);
  EXPECT_EQ(mailer.count(), mails_before + 1);
  EXPECT_EQ(mailer.sent().back().to, "bea@example.org");
  EXPECT_NE(mailer.sent().back().text.find("Wird im Fr"), std::string::npos);
  sign_in(0);
  auto answered = send(http::Method::get, proposal);
  EXPECT_NE(answered.body.find("Wird im Frühjahr gebaut."), std::string::npos);
  EXPECT_NE(answered.body.find("umgesetzt zu: 30 %"), std::string::npos);
  auto overview = send(http::Method::get, page);
  EXPECT_NE(overview.body.find("Ergebnisse"), std::string::npos);
  EXPECT_NE(overview.body.find("angenommen: <strong>1</strong>"), std::string::npos);
  auto api_proposal = json::parse(
      api(http::Method::get, "/api/v1/proposals/" + proposal.substr(proposal.rfind('/') + 1)).body);
  EXPECT_EQ(api_proposal["answer_state"], "accepted");
  EXPECT_EQ(api_proposal["progress"], 30);

  // Random order: a seed is chosen once and carried in the links.
  auto random = send(http::Method::get, page + "?order=random");
  ASSERT_EQ(random.status, 303);
  EXPECT_NE(std::string(random.headers.get("Location")).find("order=random&seed="),
            std::string::npos);
  EXPECT_EQ(send(http::Method::get, page + "?order=random&seed=42").status, 200);
  EXPECT_EQ(api(http::Method::get,
                "/api/v1/processes/" + page.substr(page.rfind('/') + 1) +
                    "/proposals?order=random&seed=abc")
                .status,
            400);

  // Withdrawn: gone from the list.
  sign_in(citizen_);
  send(http::Method::get, proposal);
  EXPECT_EQ(send(http::Method::post, proposal + "/zurueckziehen").status, 303);
  EXPECT_EQ(send(http::Method::get, page).body.find("Breite Rutsche"), std::string::npos);
}

// Reads a CSV (';', BOM) or the first sheet of an XLSX with Python's csv module or openpyxl
// and prints the rows as JSON: the exports are checked with somebody else's parser.
constexpr const char* kReadBack = R"PY(
import csv, json, sys
path = sys.argv[1]
if path.endswith('.xlsx'):
    import openpyxl
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [[('' if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
else:
    with open(path, encoding='utf-8-sig', newline='') as f:
        rows = list(csv.reader(f, delimiter=';'))
print(json.dumps(rows))
)PY";

TEST_P(ParticipationApiTest, CommentsAndStatisticsComeOutForOwnersAndReadBack) {
  auto python = exports::testing::python_with("openpyxl");
  AH_REQUIRE_TOOL(python.has_value(), "python3-openpyxl");
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  const std::string id = std::to_string(json::parse(created.body)["id"].get<int>());
  const std::string page = "/beteiligung/" + id;
  auto proposed = as(citizen_, http::Method::post, "/api/v1/processes/" + id + "/proposals",
                     R"({"title":"Rutsche","body":"Bitte"})");
  ASSERT_EQ(proposed.status, 201);
  const std::string comments =
      "/api/v1/proposals/" + std::to_string(json::parse(proposed.body)["id"].get<int>()) +
      "/comments";
  auto first = api(http::Method::post, comments, R"({"body":"Ja; aber\nmit Zaun"})", csrf);
  ASSERT_EQ(first.status, 201);
  const auto first_id = json::parse(first.body)["id"].get<std::int64_t>();
  sign_in(land_admin_);
  ASSERT_EQ(api(http::Method::post, comments,
                json{{"body", "=HYPERLINK(\"x\")"}, {"parent_id", first_id}}.dump(), csrf)
                .status,
            201);
  ASSERT_EQ(api(http::Method::put,
                "/api/v1/proposals/" + std::to_string(json::parse(proposed.body)["id"].get<int>()) +
                    "/support",
                "", csrf)
                .status,
            200);

  EXPECT_EQ(send(http::Method::get, page + "/kommentare.csv").status, 403) << "the Land";
  auto dir = exports::testing::fresh_directory();
  for (const char* ext : {".csv", ".xlsx"}) {
    auto file = as(kemberg_admin_, http::Method::get, page + "/kommentare" + ext);
    ASSERT_EQ(file.status, 200) << ext;
    exports::testing::write_file(dir / (std::string("k") + ext), file.body);
    auto read = exports::testing::run({*python, "-c", kReadBack, (dir / (std::string("k") + ext)).string()});
    ASSERT_TRUE(read && read->status == 0) << ext;
    auto rows = json::parse(read->output);
    ASSERT_EQ(rows.size(), 3u) << ext << rows.dump();
    EXPECT_EQ(rows[0][0], "Nr.");
    EXPECT_EQ(rows[0][2], "Antwort auf Kommentar Nr.");
    EXPECT_EQ(rows[1][3], "Bea") << ext;
    EXPECT_EQ(rows[1][4], "Ja; aber\nmit Zaun") << ext;
    EXPECT_EQ(rows[2][2], std::to_string(first_id)) << ext;
    EXPECT_EQ(rows[2][4], std::string(ext) == ".csv" ? "'=HYPERLINK(\"x\")" : "=HYPERLINK(\"x\")")
        << ext << ": a formula in CSV is defused, in XLSX it is a string cell";
  }
  std::filesystem::remove_all(dir);

  // Statistics: everyone may read them; the numbers are exact, the chart an SVG image.
  sign_in(0);
  auto stats = send(http::Method::get, page + "/statistik");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_NE(stats.body.find("<dt>Beteiligte Personen</dt><dd>2</dd>"), std::string::npos)
      << stats.body;
  EXPECT_NE(stats.body.find("<dt>Kommentare</dt><dd>2</dd>"), std::string::npos);
  EXPECT_NE(stats.body.find("<dt>Unterstützungen</dt><dd>1</dd>"), std::string::npos);
  EXPECT_NE(stats.body.find("statistik.svg"), std::string::npos);
  EXPECT_NE(stats.body.find("<caption"), std::string::npos) << "the table alternative";
  auto svg = send(http::Method::get, page + "/statistik.svg");
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(svg.headers.get("Content-Type"), "image/svg+xml; charset=utf-8");
  EXPECT_TRUE(svg.body.starts_with("<svg")) << svg.body.substr(0, 100);
}

TEST_P(ParticipationApiTest, DoubleSubmitsCreateOneRecord) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  const std::string id = std::to_string(json::parse(created.body)["id"].get<int>());
  const std::string page = "/beteiligung/" + id;
  sign_in(citizen_);
  auto form = send(http::Method::get, page + "/vorschlag");
  auto at = form.body.find("name=\"once\" value=\"");
  ASSERT_NE(at, std::string::npos) << "the form carries a one-time key";
  std::string key = form.body.substr(at + 19, form.body.find('"', at + 19) - at - 19);
  ASSERT_GE(key.size(), 16u);
  // A mistake first: the key stays unused and the corrected form is saved.
  EXPECT_EQ(send(http::Method::post, page + "/vorschlag", "title=Rutsche&body=&once=" + key).status,
            422);
  auto first = send(http::Method::post, page + "/vorschlag",
                    "title=Rutsche&body=Eine+Rutsche&once=" + key);
  auto second = send(http::Method::post, page + "/vorschlag",
                     "title=Rutsche&body=Eine+Rutsche&once=" + key);
  ASSERT_EQ(first.status, 303);
  ASSERT_EQ(second.status, 303);
  EXPECT_EQ(first.headers.get("Location"), second.headers.get("Location"));
  auto count = [&](const char* table) {
    return db->query(std::string("SELECT COUNT(*) FROM ") + table)->rows[0].int64(0);
  };
  EXPECT_EQ(count("proposals"), 1);
  // Without a key (a script, an old page) every submission counts.
  EXPECT_EQ(send(http::Method::post, page + "/vorschlag", "title=Bank&body=Eine+Bank").status, 303);
  EXPECT_EQ(count("proposals"), 2);

  // Comments: a double click on the same form makes one comment; each form has its own key.
  std::string proposal(first.headers.get("Location"));
  auto shown = send(http::Method::get, proposal);
  at = shown.body.find("name=\"once\" value=\"");
  ASSERT_NE(at, std::string::npos);
  key = shown.body.substr(at + 19, shown.body.find('"', at + 19) - at - 19);
  auto c1 = send(http::Method::post, proposal + "/kommentare", "body=Gut&once=" + key);
  auto c2 = send(http::Method::post, proposal + "/kommentare", "body=Gut&once=" + key);
  EXPECT_EQ(c1.status, 303);
  EXPECT_EQ(c1.headers.get("Location"), c2.headers.get("Location"));
  EXPECT_EQ(count("comments"), 1);
  // Someone else's key is just another key.
  sign_in(land_admin_);
  send(http::Method::get, proposal);
  EXPECT_EQ(send(http::Method::post, proposal + "/kommentare", "body=Gut&once=" + key).status, 303);
  EXPECT_EQ(count("comments"), 2);
}

TEST_P(ParticipationApiTest, AuthorsEditTheirCommentsInTheEditWindow) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  auto proposed = as(citizen_, http::Method::post,
                     "/api/v1/processes/" + std::to_string(json::parse(created.body)["id"].get<int>()) +
                         "/proposals",
                     R"({"title":"Rutsche","body":"Bitte"})");
  ASSERT_EQ(proposed.status, 201);
  const std::string page = "/vorschlaege/" + std::to_string(json::parse(proposed.body)["id"].get<int>());
  send(http::Method::get, page);
  auto made = send(http::Method::post, page + "/kommentare", "body=Gute+Ide");
  ASSERT_EQ(made.status, 303);
  const std::string id = std::to_string(testing::comment_anchor(made.headers.get("Location")));
  auto shown = send(http::Method::get, page);
  EXPECT_NE(shown.body.find("action=\"/kommentare/" + id + "/bearbeiten\""), std::string::npos);
  EXPECT_NE(shown.body.find(">Gute Ide</textarea>"), std::string::npos) << "the form holds the text";
  ASSERT_EQ(send(http::Method::post, "/kommentare/" + id + "/bearbeiten", "body=Gute+Idee%21").status,
            303);
  shown = send(http::Method::get, page);
  EXPECT_NE(shown.body.find("<p>Gute Idee!</p>"), std::string::npos);
  EXPECT_NE(shown.body.find("bearbeitet"), std::string::npos) << "marked as edited";
  EXPECT_EQ(send(http::Method::post, "/kommentare/" + id + "/bearbeiten", "body=").status, 422);
  sign_in(land_admin_);
  send(http::Method::get, page);
  EXPECT_EQ(send(http::Method::post, "/kommentare/" + id + "/bearbeiten", "body=Fremd").status, 403);
  EXPECT_EQ(send(http::Method::get, page).body.find("/kommentare/" + id + "/bearbeiten"),
            std::string::npos)
      << "no edit form for others";
}

TEST_P(ParticipationApiTest, PeopleDiscussTheProcessItself) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  const std::string id = std::to_string(json::parse(created.body)["id"].get<int>());
  const std::string page = "/beteiligung/" + id;
  const std::string api_comments = "/api/v1/processes/" + id + "/comments";
  sign_in(0);
  auto anonymous = send(http::Method::get, page).body;
  EXPECT_NE(anonymous.find("Diskussion zum Verfahren"), std::string::npos);
  EXPECT_NE(anonymous.find("Melden Sie sich an, um zu kommentieren"), std::string::npos);
  EXPECT_EQ(send(http::Method::post, page + "/kommentare", "body=anonym").status, 403)
      << "no form, no token: nobody comments anonymously";
  sign_in(citizen_);
  send(http::Method::get, page);
  auto first = send(http::Method::post, page + "/kommentare", "body=Wann+wird+gebaut%3F");
  ASSERT_EQ(first.status, 303) << first.body;
  std::string location(first.headers.get("Location"));
  ASSERT_TRUE(location.starts_with(page + "?kommentare=")) << location;
  auto first_id = testing::comment_anchor(location);
  EXPECT_EQ(location, page + "?kommentare=" + std::to_string(first_id) + "#kommentar-" + std::to_string(first_id));
  EXPECT_EQ(send(http::Method::post, page + "/kommentare", "body=").status, 422);
  sign_in(kemberg_admin_);
  send(http::Method::get, page);
  auto reply = send(http::Method::post, page + "/kommentare",
                    "body=Im+Fr%C3%BChjahr.&parent=" + std::to_string(first_id));
  ASSERT_EQ(reply.status, 303) << reply.body;
  auto shown = send(http::Method::get, page);
  EXPECT_NE(shown.body.find("Wann wird gebaut?"), std::string::npos);
  EXPECT_NE(shown.body.find("Im Frühjahr."), std::string::npos);
  EXPECT_NE(shown.body.find("action=\"" + page + "/kommentare\""), std::string::npos);
  // The one asked is told about the reply, with a link to the process page.
  auto notices = as(citizen_, http::Method::get, "/api/v1/notifications");
  EXPECT_NE(notices.body.find(page + "?kommentare="), std::string::npos) << notices.body;

  // The API lists the process's own comments (not those on proposals) and takes new ones.
  auto listed = json::parse(api(http::Method::get, api_comments).body)["items"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["proposal_id"], nullptr);
  EXPECT_EQ(listed[1]["parent_id"], first_id);
  auto by_api = as(citizen_, http::Method::post, api_comments, R"({"body":"Per API"})");
  EXPECT_EQ(by_api.status, 201) << by_api.body;
  EXPECT_EQ(json::parse(by_api.body)["process_id"].get<std::int64_t>(), std::stoll(id));
  // The author takes theirs down: a tombstone on the process page.
  sign_in(citizen_);
  send(http::Method::get, page);
  auto removed = send(http::Method::post, "/kommentare/" + std::to_string(first_id) + "/loeschen");
  ASSERT_EQ(removed.status, 303);
  EXPECT_TRUE(std::string(removed.headers.get("Location")).starts_with(page + "?kommentare="));
  EXPECT_NE(send(http::Method::get, page).body.find("gelöscht"), std::string::npos);
}

TEST_P(ParticipationApiTest, LongDiscussionsArePagedByThreadNewestFirstAndLinksFindEveryComment) {
  auto created =
      as(kemberg_admin_, http::Method::post, "/api/v1/processes", process_body("15091160"));
  ASSERT_EQ(created.status, 201);
  const auto process = json::parse(created.body)["id"].get<std::int64_t>();
  const std::string page = "/beteiligung/" + std::to_string(process);
  CommentStore comments(*db);
  std::vector<std::int64_t> threads;
  for (int i = 1; i <= kCommentThreadsPerPage + 2; ++i) {
    auto id = comments.create({process}, std::nullopt, "Beitrag Nummer " + std::to_string(i),
                              citizen_, accounts::unix_now());
    ASSERT_TRUE(id) << id.error().message;
    threads.push_back(*id);
  }
  // A late reply to the oldest thread.
  auto reply = comments.create({process}, threads.front(), "Späte Antwort", kemberg_admin_,
                               accounts::unix_now());
  ASSERT_TRUE(reply);
  sign_in(0);
  auto first = send(http::Method::get, page);
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("Diskussion zum Verfahren (" + std::to_string(threads.size() + 1) + ")"),
            std::string::npos)
      << "the count is of the whole discussion";
  const auto newest = first.body.find("Beitrag Nummer " + std::to_string(threads.size()) + "<");
  const auto third = first.body.find("Beitrag Nummer 3<");
  ASSERT_NE(newest, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(newest, third) << "newest thread first";
  EXPECT_EQ(first.body.find("Beitrag Nummer 2<"), std::string::npos) << "older threads wait";
  EXPECT_EQ(first.body.find("Späte Antwort"), std::string::npos);
  const std::string older = page + "?kommentare=" + std::to_string(threads[1]) + "#kommentare";
  EXPECT_NE(first.body.find("href=\"" + older + "\">Ältere Kommentare"), std::string::npos);

  auto second = send(http::Method::get, page + "?kommentare=" + std::to_string(threads[1]));
  ASSERT_EQ(second.status, 200);
  EXPECT_NE(second.body.find("Beitrag Nummer 2<"), std::string::npos);
  EXPECT_NE(second.body.find("Beitrag Nummer 1<"), std::string::npos);
  EXPECT_NE(second.body.find("Späte Antwort"), std::string::npos) << "a reply stays with its thread";
  EXPECT_EQ(second.body.find("Beitrag Nummer 3<"), std::string::npos);
  EXPECT_EQ(second.body.find("Ältere Kommentare"), std::string::npos) << "the last page";
  EXPECT_NE(second.body.find("href=\"" + page + "#kommentare\">Zu den neuesten Kommentaren"),
            std::string::npos);

  // Where a comment is linked (notices, redirects, moderation): the page that holds it.
  auto found = comments.find(*reply);
  ASSERT_TRUE(found);
  const std::string href = comment_href(*found);
  EXPECT_EQ(href, page + "?kommentare=" + std::to_string(threads.front()) + "#kommentar-" +
                      std::to_string(*reply));
  auto linked = send(http::Method::get, href.substr(0, href.find('#')));
  EXPECT_NE(linked.body.find("id=\"kommentar-" + std::to_string(*reply) + "\""), std::string::npos);

  EXPECT_EQ(send(http::Method::get, page + "?kommentare=zwei").status, 400);
}

TEST_P(ParticipationApiTest, TheAreaIsChosenInsideTheOwnersTerritory) {
  auto body = json::parse(process_body("15"));
  body["area"] = "15091";
  auto created = as(land_admin_, http::Method::post, "/api/v1/processes", body.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json::parse(created.body)["area"]["name"], "Landkreis Wittenberg");
  auto page = send(http::Method::get,
                   "/beteiligung/" + std::to_string(json::parse(created.body)["id"].get<int>()));
  EXPECT_NE(page.body.find("Gebiet: Landkreis Wittenberg"), std::string::npos);
  auto form = send(http::Method::get, "/beteiligung/neu");
  EXPECT_NE(form.body.find("<option value=\"15091\">Landkreis Wittenberg</option>"),
            std::string::npos);
  // Kemberg's admins may not speak for Wittenberg (the town), in the API or in the form.
  auto other = json::parse(process_body("15091160"));
  other["area"] = "15091375";
  auto refused = as(kemberg_admin_, http::Method::post, "/api/v1/processes", other.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Bitte wählen Sie ein Gebiet aus der Liste"), std::string::npos);
  send(http::Method::get, "/beteiligung/neu");
  auto typed = send(http::Method::post, "/beteiligung/neu",
                    "org=15091160&title=Markt&summary=Ideen&area=15091375&phase0_title=Ideen"
                    "&phase0_from=2026-12-01&phase0_to=2026-12-31&state=published");
  EXPECT_EQ(typed.status, 422);
  EXPECT_NE(typed.body.find("href=\"#field-area\""), std::string::npos);
  EXPECT_NE(typed.body.find("value=\"Markt\""), std::string::npos) << "keeps what was typed";
}

AH_INSTANTIATE_BACKEND_TEST(ParticipationApiTest);

}  // namespace
}  // namespace ah::modules
