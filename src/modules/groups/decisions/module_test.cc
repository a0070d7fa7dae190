// Decisions as members and clients meet them: opening one through the form, voting and
// changing votes with clear errors, results only when allowed, closing early and at the
// deadline by the job (also after a restart), reminders, the outcome, the
// Beschlussregister as page, Markdown and PDF, the API — and the Augenhöhe rule: rights
// come only from the group, never from an organisation's type or an admin role elsewhere.
#include "modules/groups/decisions/module.h"
#include "modules/groups/drafts/module.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "base/time.h"
#include "db/test_database.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/groups/decisions/store.h"
#include "modules/groups/drafts/store.h"
#include "modules/groups/module.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"
#include "web/format.h"

namespace ah::modules {
namespace {

using nlohmann::json;

std::vector<std::unique_ptr<web::Module>> with_decisions() {
  auto list = testing::standard_modules(make_groups_module());
  list.push_back(make_drafts_module());  // decisions may name a draft
  list.push_back(make_decisions_module());
  return list;
}

class DecisionsTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), with_decisions());
    authz::MembershipStore orgs(*db);
    auto person = [&](const char* email, const char* name, const char* org, authz::OrgRole role) {
      auto id = create_account(email, name);
      if (org) {
        EXPECT_TRUE(orgs.put(org_id(org), id, role, 1));
      }
      return id;
    };
    land_admin_ = person("admin@land.example", "Lena Land", "15", authz::OrgRole::admin);
    land_staff_ = person("staff@land.example", "Lars Land", "15", authz::OrgRole::member);
    kemberg_ = person("staff@kemberg.example", "Karl Kemberg", "15091160", authz::OrgRole::member);
    wittenberg_ =
        person("staff@wittenberg.example", "Wilma Wittenberg", "15091375", authz::OrgRole::member);
    auto id = groups::GroupStore(*db).create({.name = "AG Beschlüsse",
                                              .description = "Wir entscheiden.",
                                              .visibility = groups::Visibility::internal,
                                              .joining = groups::Joining::open},
                                             kemberg_, 1000);
    ASSERT_TRUE(id);
    group_ = *id;
    for (auto who : {land_staff_, wittenberg_})
      ASSERT_TRUE(groups::GroupStore(*db).join(group_, who, "", 1000));
  }

  static std::string once_of(const http::Response& page) {
    auto at = page.body.find("name=\"once\" value=\"");
    if (at == std::string::npos) return "";
    return page.body.substr(at + 19, page.body.find('"', at + 19) - at - 19);
  }

  std::string group_path() { return "/arbeitsgruppen/" + std::to_string(group_); }

  // Opens a decision through the form as `who`, deadline a week ahead; its id.
  std::int64_t open(std::int64_t who, const std::string& fields) {
    sign_in(who);
    auto form = send(http::Method::get, group_path() + "/entscheidungen/neu");
    EXPECT_EQ(form.status, 200);
    std::int64_t deadline = accounts::unix_now() + 7 * 86400;
    auto created = send(http::Method::post, group_path() + "/entscheidungen/neu",
                        fields + "&deadline_date=" + web::berlin_date_value(deadline) +
                            "&deadline_time=" + web::berlin_time_value(deadline) +
                            "&once=" + once_of(form));
    EXPECT_EQ(created.status, 303) << created.body;
    std::string location(created.headers.get("Location"));
    return std::stoll(location.substr(location.rfind('/') + 1));
  }

  http::Response vote(std::int64_t who, std::int64_t id, const std::string& fields) {
    sign_in(who);
    auto page = send(http::Method::get, "/entscheidungen/" + std::to_string(id));
    return send(http::Method::post, "/entscheidungen/" + std::to_string(id) + "/stimme",
                fields + "&once=" + once_of(page));
  }

  std::int64_t notices(std::int64_t who, const std::string& kind) {
    return db::testing::scalar(
        *db, "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = $2",
        {db::Value{who}, db::Value{kind}});
  }

  std::int64_t land_admin_ = 0, land_staff_ = 0, kemberg_ = 0, wittenberg_ = 0, group_ = 0;
};

TEST_P(DecisionsTest, MembersOpenAndVoteWithClearErrorsAndChangeTheirVote) {
  // Mistakes come back with the error summary and what was typed.
  sign_in(kemberg_);
  auto form = send(http::Method::get, group_path() + "/entscheidungen/neu");
  auto refused = send(http::Method::post, group_path() + "/entscheidungen/neu",
                      "title=&details=Zur+%3Cb%3EFrage%3C%2Fb%3E&kind=poll&options=Nur+eine"
                      "&deadline_date=2020-01-01&deadline_time=25:00&once=" +
                          once_of(form));
  EXPECT_EQ(refused.status, 422);
  for (const char* field : {"title", "options", "deadline"})
    EXPECT_NE(refused.body.find("href=\"#field-" + std::string(field) + "\""), std::string::npos)
        << field;
  EXPECT_NE(refused.body.find("Zur &lt;b&gt;Frage&lt;/b&gt;"), std::string::npos);

  auto id =
      open(kemberg_, "title=Geschäftsordnung+annehmen&details=Siehe+**Entwurf**&kind=consent");
  EXPECT_EQ(notices(wittenberg_, "groups.decision_new"), 1) << "members are told";
  EXPECT_EQ(notices(kemberg_, "groups.decision_new"), 0) << "not the author";

  auto missing_reason = vote(wittenberg_, id, "position=concern&reason=");
  EXPECT_EQ(missing_reason.status, 422);
  EXPECT_NE(missing_reason.body.find("href=\"#field-reason\""), std::string::npos);
  EXPECT_NE(missing_reason.body.find("id=\"position-concern\" name=\"position\" type=\"radio\" "
                                     "value=\"concern\" checked"),
            std::string::npos)
      << "the choice is kept";
  EXPECT_EQ(vote(wittenberg_, id, "position=concern&reason=Frist+zu+kurz").status, 303);
  EXPECT_EQ(vote(land_staff_, id, "position=agree").status, 303);
  EXPECT_EQ(vote(land_staff_, id, "position=abstain").status, 303) << "changed";
  auto t = decisions::DecisionStore(*db).tally(id).value();
  EXPECT_EQ(t.ballots, 2);
  EXPECT_EQ(t.positions[1], 1);
  EXPECT_EQ(t.positions[2], 1);

  // The page shows the current ballot and, having voted, the results with numbers.
  sign_in(land_staff_);
  auto page = send(http::Method::get, "/entscheidungen/" + std::to_string(id));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("value=\"abstain\" checked"), std::string::npos);
  EXPECT_NE(page.body.find("<strong>Entwurf</strong>"), std::string::npos);
  EXPECT_NE(page.body.find("Frist zu kurz"), std::string::npos);
  EXPECT_NE(page.body.find("Wilma Wittenberg"), std::string::npos) << "named reasons";
  EXPECT_NE(page.body.find("<td class=\"kern-table__cell kern-table__cell--numeric\">50 %</td>"),
            std::string::npos);
  EXPECT_EQ(page.body.find("style="), std::string::npos) << "no inline style (CSP)";
  // Who has not voted sees no results before the end.
  sign_in(kemberg_);
  page = send(http::Method::get, "/entscheidungen/" + std::to_string(id));
  EXPECT_EQ(page.body.find("Frist zu kurz"), std::string::npos);
  EXPECT_NE(page.body.find("sobald Sie abgestimmt haben"), std::string::npos);
  auto list = send(http::Method::get, group_path() + "/entscheidungen");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Geschäftsordnung annehmen"), std::string::npos);
  EXPECT_NE(list.body.find("Ihre Stimme fehlt"), std::string::npos);
}

// The Augenhöhe rule: the Land's admin who is not a member may read an internal group's
// decisions like any member of staff, but opens, votes and closes nothing; a member from a
// Gemeinde has exactly the rights of a member from the Land.
TEST_P(DecisionsTest, RightsComeOnlyFromTheGroup) {
  auto id = open(kemberg_, "title=Vorlage&kind=consent");
  std::string path = "/entscheidungen/" + std::to_string(id);
  sign_in(land_admin_);
  auto page = send(http::Method::get, path);
  ASSERT_EQ(page.status, 200) << "internal groups are read by staff";
  EXPECT_EQ(page.body.find("/stimme"), std::string::npos) << "no ballot form";
  EXPECT_EQ(page.body.find("/schliessen"), std::string::npos);
  auto refused = send(http::Method::post, path + "/stimme", "position=agree");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("Nur Mitglieder der Gruppe"), std::string::npos)
      << "refused by the group's rule, not by a missing CSRF token";
  refused = send(http::Method::post, path + "/schliessen", "");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("Nur die Moderation"), std::string::npos);
  EXPECT_EQ(send(http::Method::get, group_path() + "/entscheidungen/neu").status, 403);
  EXPECT_EQ(api(http::Method::put, "/api/v1/decisions/" + std::to_string(id) + "/vote",
                R"({"position":"agree"})", csrf)
                .status,
            403);
  EXPECT_EQ(decisions::DecisionStore(*db).tally(id).value().ballots, 0);
  // A plain member from the Land and one from a Gemeinde: the same rights exactly.
  for (auto who : {land_staff_, wittenberg_}) {
    EXPECT_EQ(vote(who, id, "position=agree").status, 303);
    auto closing = send(http::Method::post, path + "/schliessen", "");
    EXPECT_EQ(closing.status, 403) << "a plain member does not close someone else's decision";
    EXPECT_NE(closing.body.find("Nur die Moderation"), std::string::npos);
    EXPECT_EQ(send(http::Method::get, group_path() + "/entscheidungen/neu").status, 200);
  }
  EXPECT_EQ(decisions::DecisionStore(*db).tally(id).value().ballots, 2);
  // The group's owner (from a Gemeinde) moderates: closes early.
  sign_in(kemberg_);
  send(http::Method::get, path);
  EXPECT_EQ(send(http::Method::post, path + "/schliessen", "").status, 303);
  EXPECT_FALSE(decisions::DecisionStore(*db).find(id).value().open);
  // Signed out: the form leads to the login.
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, group_path() + "/entscheidungen/neu").status, 303);
}

// A decision whose deadline passed while the server was down is closed by the job of the
// next start; members and author are told exactly once, however often the job runs.
TEST_P(DecisionsTest, TheJobClosesAtTheDeadlineAfterARestartAndTellsOnce) {
  decisions::DecisionStore store(*db);
  std::int64_t now = accounts::unix_now();
  auto id = store.create(group_, {.title = "Haushalt", .deadline = now + 3600}, land_staff_, now);
  ASSERT_TRUE(id);
  ASSERT_TRUE(store.vote(*id, wittenberg_, {.position = decisions::Position::agree}, now));
  // The reminder, once, to those who have not voted.
  EXPECT_EQ(decisions::run_due(services(), now).value(), 1);
  EXPECT_EQ(decisions::run_due(services(), now + 5).value(), 0);
  EXPECT_EQ(notices(kemberg_, "groups.decision_closing"), 1);
  EXPECT_EQ(notices(land_staff_, "groups.decision_closing"), 1);
  EXPECT_EQ(notices(wittenberg_, "groups.decision_closing"), 0) << "voted already";

  // "Restart": a new set of modules on the same database, after the deadline.
  testing::SiteHarness restarted;
  restarted.start(*db, scratch_dir(), with_decisions());
  EXPECT_TRUE(store.find(*id).value().open) << "nothing ran while the server was down";
  EXPECT_EQ(decisions::run_due(restarted.services(), now + 3600).value(), 1);
  EXPECT_EQ(decisions::run_due(restarted.services(), now + 3700).value(), 0);
  EXPECT_FALSE(store.find(*id).value().open);
  EXPECT_EQ(notices(wittenberg_, "groups.decision_closed"), 1);
  EXPECT_EQ(notices(land_staff_, "groups.decision_closed"), 1) << "the author: write the outcome";
  EXPECT_EQ(notices(kemberg_, "groups.decision_closed"), 1);
  // The job is what the module hands the housekeeping thread.
  auto jobs = restarted.module("decisions").periodic_jobs(restarted.services());
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_LE(jobs[0].interval, std::chrono::seconds(30));
}

TEST_P(DecisionsTest, OutcomeAndTheBeschlussregisterAsPageMarkdownAndPdf) {
  auto id = open(land_staff_, "title=Übergabe+der+Prüfliste&kind=poll&options=Ja%0ANein&multiple=");
  std::string path = "/entscheidungen/" + std::to_string(id);
  auto d = decisions::DecisionStore(*db).find(id).value();
  EXPECT_EQ(vote(wittenberg_, id, "choice=" + std::to_string(d.options[0].id)).status, 303);
  EXPECT_EQ(vote(kemberg_, id,
                 "choice=" + std::to_string(d.options[0].id) +
                     "&choice=" + std::to_string(d.options[1].id))
                .status,
            422)
      << "one choice only";
  // The author closes early (and is a member), then records the outcome.
  sign_in(land_staff_);
  send(http::Method::get, path);
  EXPECT_EQ(send(http::Method::post, path + "/ergebnis", "outcome=Zu+fr%C3%BCh").status, 409);
  EXPECT_EQ(send(http::Method::post, path + "/schliessen", "").status, 303);
  EXPECT_EQ(vote(kemberg_, id, "choice=" + std::to_string(d.options[1].id)).status, 409)
      << "closed: no more votes";
  sign_in(wittenberg_);
  send(http::Method::get, path);
  EXPECT_EQ(send(http::Method::post, path + "/ergebnis", "outcome=Nein").status, 403)
      << "a plain member does not write the outcome";
  sign_in(land_staff_);
  send(http::Method::get, path);
  auto bad = send(http::Method::post, path + "/ergebnis", "outcome=&review_date=morgen");
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("href=\"#field-review_date\""), std::string::npos);
  EXPECT_EQ(send(http::Method::post, path + "/ergebnis",
                 "outcome=Angenommen%3A+Gr%C3%BC%C3%9Fe+an+alle+**Gemeinden**&review_date=2027-06-"
                 "15")
                .status,
            303);
  auto page = send(http::Method::get, group_path() + "/beschlussregister");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Übergabe der Prüfliste"), std::string::npos);
  EXPECT_NE(page.body.find("<strong>Gemeinden</strong>"), std::string::npos);
  EXPECT_NE(page.body.find("15.06.2027"), std::string::npos);

  auto md = send(http::Method::get, group_path() + "/beschlussregister.md");
  ASSERT_EQ(md.status, 200);
  EXPECT_EQ(md.headers.get("Content-Type"), "text/markdown; charset=utf-8");
  EXPECT_TRUE(md.headers.get("Content-Disposition").starts_with("attachment"));
  EXPECT_NE(md.body.find("## Übergabe der Prüfliste"), std::string::npos);
  EXPECT_NE(md.body.find("Angenommen: Grüße an alle **Gemeinden**"), std::string::npos);

  auto pdf = send(http::Method::get, group_path() + "/beschlussregister.pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers.get("Content-Type"), "application/pdf");
  ASSERT_TRUE(pdf.body.starts_with("%PDF-"));
  auto file = scratch_dir() / "register.pdf";
  std::ofstream(file, std::ios::binary) << pdf.body;
  FILE* pipe = ::popen(("pdftotext " + file.string() + " - 2>/dev/null").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string text;
  char buf[4096];
  while (auto n = std::fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
  int rc = ::pclose(pipe);
  if (rc != 0 && !std::getenv("AUGENHOEHE_REQUIRE_TOOLS"))
    GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  ASSERT_EQ(rc, 0);
  EXPECT_NE(text.find("Beschlussregister: AG Beschlüsse"), std::string::npos) << text;
  EXPECT_NE(text.find("Übergabe der Prüfliste"), std::string::npos) << text;
  EXPECT_NE(text.find("Grüße an alle Gemeinden"), std::string::npos) << text;
}

// A decision about a shared draft: the form offers the group's open drafts, the outcome
// may adopt the draft, which freezes it as "beschlossen" by this decision — in the same
// transaction as the outcome. A draft of another group cannot be named.
TEST_P(DecisionsTest, AnOutcomeAdoptsTheDraftTheDecisionIsAbout) {
  groups::drafts::DraftStore drafts(*db);
  auto draft = drafts.create(group_, "Leitfaden Beteiligung", "Erste Fassung", "", kemberg_, 1000);
  ASSERT_TRUE(draft);
  auto other_group = groups::GroupStore(*db).create(
      {.name = "AG Andere", .description = "x", .visibility = groups::Visibility::internal},
      wittenberg_, 1000);
  ASSERT_TRUE(other_group);
  auto foreign = drafts.create(*other_group, "Fremder Entwurf", "x", "", wittenberg_, 1000);
  ASSERT_TRUE(foreign);

  sign_in(kemberg_);
  auto form = send(http::Method::get,
                   group_path() + "/entscheidungen/neu?entwurf=" + std::to_string(*draft));
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<option value=\"" + std::to_string(*draft) + "\" selected>"),
            std::string::npos)
      << "the draft the person came from is chosen";
  EXPECT_EQ(form.body.find("Fremder Entwurf"), std::string::npos) << "only this group's drafts";
  // Naming another group's draft is refused and nothing is stored.
  std::int64_t deadline = accounts::unix_now() + 7 * 86400;
  auto refused = send(http::Method::post, group_path() + "/entscheidungen/neu",
                      "title=Annehmen%3F&kind=consent&draft=" + std::to_string(*foreign) +
                          "&deadline_date=" + web::berlin_date_value(deadline) +
                          "&deadline_time=12%3A00&once=" + once_of(form));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM group_decisions"), 0);

  auto id = open(kemberg_, "title=Leitfaden+annehmen%3F&kind=consent&draft=" +
                               std::to_string(*draft));
  auto page = send(http::Method::get, "/entscheidungen/" + std::to_string(id));
  EXPECT_NE(page.body.find("href=\"/entwuerfe/" + std::to_string(*draft) + "\""),
            std::string::npos);
  ASSERT_EQ(vote(wittenberg_, id, "position=agree").status, 303);
  ASSERT_TRUE(decisions::DecisionStore(*db).close(id, accounts::unix_now()));
  sign_in(kemberg_);
  page = send(http::Method::get, "/entscheidungen/" + std::to_string(id));
  EXPECT_NE(page.body.find("name=\"adopt_draft\""), std::string::npos);
  // Without the box ticked the draft stays open; with it, it is adopted.
  ASSERT_EQ(send(http::Method::post, "/entscheidungen/" + std::to_string(id) + "/ergebnis",
                 "outcome=Noch+nicht")
                .status,
            303);
  EXPECT_FALSE(drafts.find(*draft)->frozen);
  ASSERT_EQ(send(http::Method::post, "/entscheidungen/" + std::to_string(id) + "/ergebnis",
                 "outcome=Angenommen.&adopt_draft=1")
                .status,
            303);
  auto adopted = drafts.find(*draft);
  ASSERT_TRUE(adopted);
  EXPECT_TRUE(adopted->frozen);
  EXPECT_EQ(adopted->frozen_by_decision_id, id);
  page = send(http::Method::get, "/entscheidungen/" + std::to_string(id));
  EXPECT_NE(page.body.find("beschlossen"), std::string::npos);
  EXPECT_EQ(page.body.find("name=\"adopt_draft\""), std::string::npos) << "adopted once";
  // The frozen draft takes no new version.
  auto saved = drafts.save(*draft, {.base_version = 1, .body = "Geändert"}, kemberg_, 2000);
  EXPECT_FALSE(saved && saved->landed);
  // The API names the draft.
  auto api_decision = json::parse(api(http::Method::get, "/api/v1/decisions/" + std::to_string(id)).body);
  EXPECT_EQ(api_decision["draft_id"], *draft);
}

TEST_P(DecisionsTest, TheApiReadsForReadersAndWritesForMembers) {
  // The group shows results only after the end (its owner's setting, which decisions
  // opened afterwards follow; a "results_visibility" a client sends changes nothing).
  auto settings = groups::GroupStore(*db).find(group_);
  ASSERT_TRUE(settings);
  ASSERT_TRUE(groups::GroupStore(*db).update(group_,
                                             {.name = settings->name,
                                              .description = settings->description,
                                              .visibility = settings->visibility,
                                              .joining = settings->joining,
                                              .results_after_close = true},
                                             2000));
  sign_in(kemberg_);
  send(http::Method::get, group_path());
  std::string deadline = rfc3339_utc(accounts::unix_now() + 86400 * 3);
  auto created = api(http::Method::post, "/api/v1/groups/" + std::to_string(group_) + "/decisions",
                     R"({"title":"Punkte","kind":"dot_vote","options":["A","B"],"points":3,)"
                     R"("results_visibility":"after_vote","deadline":")" +
                         deadline + "\"}",
                     csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  auto decision = json::parse(created.body);
  std::string path = "/api/v1/decisions/" + std::to_string(decision["id"].get<std::int64_t>());
  std::string a = std::to_string(decision["options"][0]["id"].get<std::int64_t>());
  std::string b = std::to_string(decision["options"][1]["id"].get<std::int64_t>());
  auto too_many = api(http::Method::put, path + "/vote",
                      R"({"marks":{")" + a + R"(":2,")" + b + R"(":2}})", csrf);
  EXPECT_EQ(too_many.status, 422);
  EXPECT_NE(too_many.body.find("mehr Punkte"), std::string::npos);
  EXPECT_EQ(api(http::Method::put, path + "/vote", R"({"marks":{")" + a + R"(":3}})", csrf).status,
            201);
  EXPECT_EQ(api(http::Method::put, path + "/vote", R"({"marks":{")" + b + R"(":3}})", csrf).status,
            200);
  auto read = json::parse(api(http::Method::get, path).body);
  EXPECT_TRUE(read["voted"].get<bool>());
  EXPECT_TRUE(read["results"].is_null()) << "after_close: hidden while open";
  auto listed = json::parse(
      api(http::Method::get, "/api/v1/groups/" + std::to_string(group_) + "/decisions").body);
  ASSERT_EQ(listed["items"].size(), 1u);
  // Signed out, the internal group's decisions are not found; writes want a login.
  sign_in(0);
  EXPECT_EQ(api(http::Method::get, path).status, 404);
  EXPECT_EQ(api(http::Method::put, path + "/vote", R"({"position":"agree"})").status, 401);
  // Closed: results for every reader, the outcome by the author.
  ASSERT_TRUE(decisions::DecisionStore(*db)
                  .close(decision["id"].get<std::int64_t>(), accounts::unix_now())
                  .value());
  sign_in(land_admin_);
  read = json::parse(api(http::Method::get, path).body);
  ASSERT_TRUE(read["results"].is_object());
  EXPECT_EQ(read["results"]["options"][1]["sum"], 3);
  sign_in(kemberg_);
  send(http::Method::get, group_path());
  auto outcome = api(http::Method::post, path + "/outcome",
                     R"({"outcome":"B gewinnt","review_date":"2027-01-31"})", csrf);
  ASSERT_EQ(outcome.status, 200) << outcome.body;
  EXPECT_EQ(json::parse(outcome.body)["review_date"], "2027-01-31");
  // The form follows the group's rule as well, and says so.
  sign_in(kemberg_);
  auto form = send(http::Method::get, group_path() + "/entscheidungen/neu");
  EXPECT_NE(form.body.find("Erst nach dem Ende"), std::string::npos);
  EXPECT_EQ(form.body.find("name=\"results\""), std::string::npos) << "not each decision's choice";
  auto by_form = open(kemberg_, "title=Per+Formular&kind=consent");
  EXPECT_EQ(decisions::DecisionStore(*db).find(by_form)->results, decisions::Results::after_close);
}

TEST_P(DecisionsTest, ExportNamesOwnBallotsButNotAnonymousOnes) {
  decisions::DecisionStore store(*db);
  std::int64_t now = accounts::unix_now();
  auto named = store.create(group_, {.title = "Offen", .deadline = now + 99}, kemberg_, now);
  auto secret = store.create(group_, {.title = "Geheim", .deadline = now + 99, .anonymous = true},
                             kemberg_, now);
  ASSERT_TRUE(named && secret);
  ASSERT_TRUE(store.vote(*named, wittenberg_,
                         {.position = decisions::Position::concern, .reason = "Weil"}, now));
  ASSERT_TRUE(store.vote(*secret, wittenberg_,
                         {.position = decisions::Position::block, .reason = "Geheimgrund"}, now));
  auto exported = module("decisions").export_personal_data(services(), wittenberg_);
  ASSERT_TRUE(exported);
  std::string text = exported->dump();
  EXPECT_NE(text.find("Weil"), std::string::npos);
  EXPECT_EQ(text.find("Geheimgrund"), std::string::npos);
  EXPECT_EQ((*exported)["anonymous_decisions_voted_in"], json::array({*secret}));
  auto authored = module("decisions").export_personal_data(services(), kemberg_);
  EXPECT_EQ((*authored)["decisions"].size(), 2u);
  // Before an erasure the person's named ballot loses its key; it stays counted.
  ASSERT_TRUE(module("decisions").before_account_erasure(services(), wittenberg_));
  EXPECT_EQ(db::testing::scalar(*db,
                                "SELECT COUNT(*) FROM group_decision_ballots WHERE account_id = $1"
                                " AND voter_key IS NULL",
                                {db::Value{wittenberg_}}),
            1);
  EXPECT_EQ(store.tally(*named).value().ballots, 1);
}

AH_INSTANTIATE_BACKEND_TEST(DecisionsTest);

}  // namespace
}  // namespace ah::modules
