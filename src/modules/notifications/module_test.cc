// Notifications through the pages and the API as a person meets them: the list with its
// unread marks and the menu's count, marking read (CSRF, only one's own), opening a
// notice, the settings, and the events of other modules that notify (members,
// participation comments) — on both backends.
#include "modules/notifications/module.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "base/time.h"
#include "db/test_database.h"
#include "modules/accounts/session_layer.h"
#include "modules/notifications/notify.h"
#include "modules/notifications/store.h"
#include "modules/participation/module.h"
#include "modules/participation/store.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

using nlohmann::json;
using notifications::NotificationStore;

constexpr const char* kList = "/konto/benachrichtigungen";
constexpr const char* kSettings = "/konto/benachrichtigungen/einstellungen";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class NotificationsPagesTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_participation_module()));
    anna_ = create_account("anna@example.org", "Anna");
    ben_ = create_account("ben@example.org", "Ben");
  }

  std::int64_t tell(std::int64_t who, const std::string& title,
                    const std::string& link = "/beteiligung") {
    auto id = notifications::notify(services(), {.account_id = who,
                                                 .kind = "participation.comment_reply",
                                                 .title = title,
                                                 .text = "Ein Auszug",
                                                 .link = link});
    EXPECT_TRUE(id);
    return id.value_or(0);
  }

  std::int64_t unread(std::int64_t who) { return *NotificationStore(*db).unread_count(who); }

  std::int64_t anna_ = 0, ben_ = 0;
};

TEST_P(NotificationsPagesTest, EveryKindIsNamespacedByItsModuleAndNamedInBothLanguages) {
  int kinds = 0;
  for (const auto* m : services().modules)
    for (const auto& kind : m->notice_kinds()) {
      ++kinds;
      EXPECT_TRUE(kind.id.starts_with(std::string(m->name()) + ".")) << kind.id;
      for (const auto& lang : services().view.catalog().languages())
        EXPECT_TRUE(services().view.catalog().has(lang, kind.label_key)) << kind.label_key;
    }
  EXPECT_GE(kinds, 4);
}

TEST_P(NotificationsPagesTest, SignedOutPeopleAreSentToTheLogin) {
  for (std::string path :
       {std::string(kList), std::string(kSettings), std::string("/benachrichtigungen/1")}) {
    auto page = send(http::Method::get, path);
    EXPECT_EQ(page.status, 303) << path;
    EXPECT_EQ(page.headers.get("Location"), "/konto/anmelden") << path;
  }
  EXPECT_EQ(api(http::Method::get, "/api/v1/notifications").status, 401);
}

TEST_P(NotificationsPagesTest, TheListMarksUnreadAndTheMenuCountsThem) {
  sign_in(anna_);
  auto empty = send(http::Method::get, kList);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(contains(empty.body, "Noch keine Benachrichtigungen"));
  EXPECT_TRUE(contains(empty.body, ">Benachrichtigungen</a>")) << "menu entry without a count";

  auto first = tell(anna_, "Erste <Antwort>");
  tell(anna_, "Zweite Antwort");
  tell(ben_, "Für Ben");
  auto page = send(http::Method::get, kList);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Erste &lt;Antwort&gt;")) << "escaped";
  EXPECT_FALSE(contains(page.body, "Für Ben"));
  EXPECT_LT(page.body.find("Zweite Antwort"), page.body.find("Erste &lt;Antwort&gt;"))
      << "newest first";
  EXPECT_TRUE(contains(page.body, "Sie haben 2 ungelesene Benachrichtigungen."));
  EXPECT_TRUE(contains(page.body, "aria-label=\"Benachrichtigungen (2 ungelesene)\""));
  EXPECT_TRUE(contains(page.body, "<span class=\"ah-badge\">(2)</span>"));
  EXPECT_TRUE(contains(page.body, ">Ungelesen</span>"));
  EXPECT_TRUE(contains(page.body, "href=\"/benachrichtigungen/" + std::to_string(first) + "\""));
  EXPECT_TRUE(contains(page.body, "Antworten auf Ihre Kommentare")) << "the kind's name";
  EXPECT_EQ(page.headers.get("Cache-Control"), "no-store");
}

TEST_P(NotificationsPagesTest, MarkingReadNeedsTheTokenAndOnlyTouchesOnesOwn) {
  auto mine = tell(anna_, "Meine");
  auto other = tell(anna_, "Noch eine");
  auto bens = tell(ben_, "Bens");
  sign_in(anna_);
  send(http::Method::get, kList);
  const std::string mark = std::string(kList) + "/" + std::to_string(mine) + "/gelesen";

  EXPECT_EQ(send(http::Method::post, mark, "", false).status, 403);
  EXPECT_EQ(unread(anna_), 2);
  auto done = send(http::Method::post, mark);
  EXPECT_EQ(done.status, 303);
  EXPECT_EQ(done.headers.get("Location"), std::string(kList) + "?done=read");
  EXPECT_EQ(unread(anna_), 1);
  auto page = send(http::Method::get, std::string(kList) + "?done=read");
  EXPECT_TRUE(contains(page.body, "als gelesen markiert"));
  EXPECT_TRUE(contains(page.body, "<span class=\"ah-badge\">(1)</span>"));

  // Someone else's notice: 404 everywhere, and it stays unread.
  EXPECT_EQ(
      send(http::Method::post, std::string(kList) + "/" + std::to_string(bens) + "/gelesen").status,
      404);
  EXPECT_EQ(send(http::Method::get, "/benachrichtigungen/" + std::to_string(bens)).status, 404);
  EXPECT_EQ(
      api(http::Method::post, "/api/v1/notifications/" + std::to_string(bens) + "/read", {}, csrf)
          .status,
      404);
  EXPECT_EQ(unread(ben_), 1);

  EXPECT_EQ(send(http::Method::post, std::string(kList) + "/gelesen", "", false).status, 403);
  EXPECT_EQ(unread(anna_), 1);
  auto all = send(http::Method::post, std::string(kList) + "/gelesen");
  EXPECT_EQ(all.headers.get("Location"), std::string(kList) + "?done=all_read");
  EXPECT_EQ(unread(anna_), 0);
  EXPECT_EQ(unread(ben_), 1);
  page = send(http::Method::get, kList);
  EXPECT_TRUE(contains(page.body, "Sie haben alles gelesen."));
  EXPECT_FALSE(contains(page.body, "ah-badge\">("));
  (void)other;
}

TEST_P(NotificationsPagesTest, OpeningANoticeMarksItReadAndFollowsItsLink) {
  auto id = tell(anna_, "Antwort", "/vorschlaege/7#kommentar-9");
  auto bare = tell(anna_, "Ohne Link", "");
  sign_in(anna_);
  auto opened = send(http::Method::get, "/benachrichtigungen/" + std::to_string(id));
  EXPECT_EQ(opened.status, 303);
  EXPECT_EQ(opened.headers.get("Location"), "/vorschlaege/7#kommentar-9");
  EXPECT_EQ(unread(anna_), 1);
  EXPECT_EQ(send(http::Method::get, "/benachrichtigungen/" + std::to_string(bare))
                .headers.get("Location"),
            kList);
  EXPECT_EQ(unread(anna_), 0);
  EXPECT_EQ(send(http::Method::get, "/benachrichtigungen/abc").status, 404);
}

TEST_P(NotificationsPagesTest, OlderNoticesArePagedAndMarkingKeepsThePage) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 23; ++i) ids.push_back(tell(anna_, "Nummer " + std::to_string(i) + "."));
  sign_in(anna_);
  auto first = send(http::Method::get, kList);
  EXPECT_TRUE(contains(first.body, "Nummer 22."));
  EXPECT_FALSE(contains(first.body, "Nummer 2."));
  auto at = first.body.find("href=\"/konto/benachrichtigungen?cursor=");
  ASSERT_NE(at, std::string::npos);
  auto start = at + 6;
  std::string next = first.body.substr(start, first.body.find('"', start) - start);
  auto second = send(http::Method::get, next);
  EXPECT_TRUE(contains(second.body, "Nummer 2."));
  EXPECT_FALSE(contains(second.body, "Nummer 22."));
  auto cursor = next.substr(next.find('=') + 1);
  auto marked =
      send(http::Method::post, std::string(kList) + "/" + std::to_string(ids[2]) + "/gelesen",
           "cursor=" + cursor);
  EXPECT_EQ(marked.headers.get("Location"),
            std::string(kList) + "?cursor=" + cursor + "&done=read");
  EXPECT_EQ(send(http::Method::get, std::string(kList) + "?cursor=zz").status, 400);
}

TEST_P(NotificationsPagesTest, SettingsAreKeptPerKindAndHonoured) {
  sign_in(anna_);
  auto page = send(http::Method::get, kSettings);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "Entscheidung über Ihre Mitgliedschaft"));
  EXPECT_TRUE(contains(page.body, "Antworten auf Ihre Kommentare"));
  EXPECT_TRUE(
      contains(page.body, "name=\"participation.comment_reply\" value=\"immediate\" checked"))
      << "the kind's default";
  EXPECT_FALSE(contains(page.body, "noch nicht bestätigt"));

  EXPECT_EQ(send(http::Method::post, kSettings, "participation.comment_reply=digest", false).status,
            403);
  EXPECT_EQ(send(http::Method::post, kSettings, "participation.comment_reply=loud").status, 400);
  auto saved = send(http::Method::post, kSettings,
                    "participation.comment_reply=in_app&members.request_decided=digest");
  EXPECT_EQ(saved.headers.get("Location"), std::string(kSettings) + "?done=saved");
  page = send(http::Method::get, std::string(kSettings) + "?done=saved");
  EXPECT_TRUE(contains(page.body, "Ihre Einstellungen sind gespeichert."));
  EXPECT_TRUE(contains(page.body, "name=\"participation.comment_reply\" value=\"in_app\" checked"));
  EXPECT_TRUE(contains(page.body, "name=\"members.request_decided\" value=\"digest\" checked"));

  tell(anna_, "Nur im Portal");
  EXPECT_EQ(mailer.count(), 0u) << "in-app only";
  tell(ben_, "Ben hat nichts gewählt");
  EXPECT_EQ(mailer.count(), 1u) << "the default (immediate) for Ben";
}

TEST_P(NotificationsPagesTest, TheApiListsAndMarksOnesOwn) {
  auto id = tell(anna_, "Per API");
  tell(ben_, "Bens");
  sign_in(anna_);
  auto listed = api(http::Method::get, "/api/v1/notifications?limit=5");
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto body = json::parse(listed.body);
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["title"], "Per API");
  EXPECT_EQ(body["items"][0]["kind"], "participation.comment_reply");
  EXPECT_TRUE(body["items"][0]["read_at"].is_null());
  EXPECT_EQ(body["unread"], 1);
  EXPECT_TRUE(body["next_cursor"].is_null());
  EXPECT_EQ(api(http::Method::get, "/api/v1/notifications?limit=500").status, 400);

  const std::string read = "/api/v1/notifications/" + std::to_string(id) + "/read";
  EXPECT_EQ(api(http::Method::post, read).status, 403) << "no CSRF header";
  auto done = api(http::Method::post, read, {}, csrf);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_FALSE(json::parse(done.body)["read_at"].is_null());
  EXPECT_EQ(json::parse(api(http::Method::get, "/api/v1/notifications").body)["unread"], 0);
}

TEST_P(NotificationsPagesTest, AMembershipDecisionIsOneNoticeAndOneMail) {
  const std::string org = "15091160";
  auto admin = create_account("admin@kemberg.example", "Ada Admin");
  ASSERT_TRUE(authz::MembershipStore(*db).put(org_id(org), admin, authz::OrgRole::admin, 1));
  const std::string page = "/organisationen/" + org + "/mitglieder";
  sign_in(anna_);
  send(http::Method::get, page);
  ASSERT_EQ(send(http::Method::post, page + "/antrag").status, 303);
  EXPECT_EQ(unread(admin), 1) << "the admin is told in the app";
  ASSERT_EQ(mailer.count(), 1u);
  EXPECT_EQ(mailer.sent()[0].to, "admin@kemberg.example");

  sign_in(admin);
  send(http::Method::get, page);
  ASSERT_EQ(send(http::Method::post, page + "/" + std::to_string(anna_), "action=confirm").status,
            303);
  ASSERT_EQ(mailer.count(), 2u) << "one mail for the decision, not two";
  EXPECT_EQ(mailer.sent()[1].to, "anna@example.org");
  EXPECT_TRUE(contains(mailer.sent()[1].subject, "Mitgliedschaft bestätigt"));
  auto notices = NotificationStore(*db).list(anna_, "", 10);
  ASSERT_EQ(notices->items.size(), 1u);
  EXPECT_EQ(notices->items[0].kind, "members.request_decided");
  EXPECT_EQ(notices->items[0].link, page);
}

TEST_P(NotificationsPagesTest, CommentsTellTheProposalsAuthorAndTheOneRepliedTo) {
  auto now = accounts::unix_now();
  participation::NewProcess playground{
      .org_id = org_id("15091160"),
      .title = "Spielplatz",
      .summary = "Ideen",
      .body = "Alle",
      .state = participation::ProcessState::published,
      .phases = {{"Ideen", now - 3600, now + 3600, true, true, true}}};
  auto process = participation::ProcessStore(*db).create(playground, ben_, now);
  ASSERT_TRUE(process);
  auto proposal = participation::ProposalStore(*db).create(
      *process, {.title = "Rutsche", .body = "Bitte"}, anna_, now);
  ASSERT_TRUE(proposal);
  const std::string page = "/vorschlaege/" + std::to_string(*proposal);

  // Anna comments on her own proposal: nobody is told.
  sign_in(anna_);
  send(http::Method::get, page);
  auto own = send(http::Method::post, page + "/kommentare", "body=Mein+Kommentar");
  ASSERT_EQ(own.status, 303);
  auto own_id = testing::comment_anchor(own.headers.get("Location"));
  EXPECT_EQ(unread(anna_), 0);

  // Ben comments: Anna (the proposal's author) gets one notice, by default in the digest.
  sign_in(ben_);
  send(http::Method::get, page);
  auto bens = send(http::Method::post, page + "/kommentare", "body=**Gute** Idee");
  ASSERT_EQ(bens.status, 303);
  auto bens_id = testing::comment_anchor(bens.headers.get("Location"));
  auto anna_notices = NotificationStore(*db).list(anna_, "", 10);
  ASSERT_EQ(anna_notices->items.size(), 1u);
  EXPECT_EQ(anna_notices->items[0].kind, "participation.proposal_comment");
  EXPECT_EQ(anna_notices->items[0].title, "Neuer Kommentar zu Ihrem Vorschlag „Rutsche“");
  EXPECT_EQ(anna_notices->items[0].text, "Gute Idee") << "plain text, not Markdown";
  EXPECT_EQ(anna_notices->items[0].link,
            page + "?kommentare=" + std::to_string(bens_id) + "#kommentar-" + std::to_string(bens_id));
  EXPECT_EQ(mailer.count(), 0u);

  // Ben replies to Anna's comment: one notice (the reply), mailed at once.
  auto reply = send(http::Method::post, page + "/kommentare",
                    "body=Antwort&parent=" + std::to_string(own_id));
  ASSERT_EQ(reply.status, 303);
  anna_notices = NotificationStore(*db).list(anna_, "", 10);
  ASSERT_EQ(anna_notices->items.size(), 2u);
  EXPECT_EQ(anna_notices->items[0].kind, "participation.comment_reply");
  ASSERT_EQ(mailer.count(), 1u);
  EXPECT_EQ(mailer.sent()[0].to, "anna@example.org");

  // Anna replies to Ben through the API: Ben is told.
  sign_in(anna_);
  send(http::Method::get, page);
  auto answer =
      api(http::Method::post, "/api/v1/proposals/" + std::to_string(*proposal) + "/comments",
          json{{"body", "Danke"}, {"parent_id", bens_id}}.dump(), csrf);
  ASSERT_EQ(answer.status, 201) << answer.body;
  EXPECT_EQ(unread(ben_), 1);
  EXPECT_EQ(unread(anna_), 2);

  // A refused comment (a reply to a reply) leaves no notice.
  auto deeper = send(
      http::Method::post, page + "/kommentare",
      "body=Tiefer&parent=" + std::to_string(testing::comment_anchor(reply.headers.get("Location"))));
  EXPECT_EQ(deeper.status, 422);
  EXPECT_EQ(unread(ben_), 1);
}

TEST_P(NotificationsPagesTest, TheHousekeepingJobsMailWhatACallerDidNotDeliver) {
  auto jobs = module("notifications").periodic_jobs(services());
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].name, "send due notification mails");
  ASSERT_TRUE(db->transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(notifications::notify(
        services(), tx,
        {.account_id = anna_, .kind = "participation.comment_reply", .title = "Liegen geblieben"}));
    return {};
  }));
  EXPECT_EQ(mailer.count(), 0u);
  EXPECT_EQ(*jobs[0].run(), 1);
  EXPECT_EQ(*jobs[0].run(), 0);
  ASSERT_EQ(mailer.count(), 1u);
  EXPECT_EQ(mailer.sent()[0].subject, "Liegen geblieben");
}

AH_INSTANTIATE_BACKEND_TEST(NotificationsPagesTest);

}  // namespace
}  // namespace ah::modules
