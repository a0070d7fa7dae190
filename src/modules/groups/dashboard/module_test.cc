// "Meine Arbeitsgruppen": each person sees what waits for them in their own groups —
// decisions without their vote, the next meetings, unread threads — and nothing of groups
// they are not in.
#include "modules/groups/dashboard/module.h"

#include <gtest/gtest.h>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/groups/decisions/module.h"
#include "modules/groups/drafts/module.h"
#include "modules/groups/decisions/store.h"
#include "modules/groups/meetings/module.h"
#include "modules/groups/meetings/store.h"
#include "modules/groups/module.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

class GroupDashboardTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto list = testing::standard_modules(make_groups_module());
    list.push_back(make_drafts_module());  // decisions may name a draft
    list.push_back(make_decisions_module());
    list.push_back(make_meetings_module());
    list.push_back(make_group_dashboard_module());
    start(*db, scratch_dir(), std::move(list));
    land_ = create_account("land@example.org", "Lena Land");
    kemberg_ = create_account("kemberg@example.org", "Karl Kemberg");
    outsider_ = create_account("other@example.org", "Olga Other");
    authz::MembershipStore orgs(*db);
    ASSERT_TRUE(orgs.put(org_id("15"), land_, authz::OrgRole::admin, 1));
    ASSERT_TRUE(orgs.put(org_id("15091160"), kemberg_, authz::OrgRole::member, 1));
    ASSERT_TRUE(orgs.put(org_id("15091375"), outsider_, authz::OrgRole::member, 1));
    now_ = accounts::unix_now();
    groups::GroupStore groups(*db);
    auto ours = groups.create({.name = "AG Digitale Dienste", .description = "x"}, land_, now_);
    auto theirs = groups.create({.name = "AG Radwege", .description = "y"}, outsider_, now_);
    ASSERT_TRUE(ours && theirs);
    ours_ = *ours;
    theirs_ = *theirs;
    ASSERT_TRUE(groups.join(ours_, kemberg_, "", now_));
  }

  std::int64_t decision(std::int64_t group, const std::string& title, std::int64_t author,
                        std::int64_t in) {
    auto id = decisions::DecisionStore(*db).create(
        group, {.title = title, .details = "", .deadline = now_ + in}, author, now_);
    EXPECT_TRUE(id) << (id ? "" : id.error().message);
    return id.value_or(0);
  }

  std::int64_t meeting(std::int64_t group, const std::string& title, std::int64_t author,
                       std::int64_t in) {
    auto id = meetings::MeetingStore(*db).create(
        group, {.title = title, .starts_at = now_ + in, .ends_at = now_ + in + 3600,
                .place = "Magdeburg, Raum 1"},
        author, now_);
    EXPECT_TRUE(id) << (id ? "" : id.error().message);
    return id.value_or(0);
  }

  std::int64_t land_ = 0, kemberg_ = 0, outsider_ = 0, ours_ = 0, theirs_ = 0, now_ = 0;
};

TEST_P(GroupDashboardTest, EachPersonSeesWhatWaitsInTheirOwnGroups) {
  EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/meine").status, 303) << "sign in first";
  const std::int64_t day = 86400;
  auto later = decision(ours_, "Leitfaden annehmen", land_, 5 * day);
  auto soon = decision(ours_, "Termin festlegen", land_, 3600);
  decision(theirs_, "Fremde Abstimmung", outsider_, day);
  meeting(ours_, "Zweites Treffen", land_, 2 * day);
  meeting(ours_, "Erstes Treffen", land_, day);
  meeting(ours_, "Vergangenes Treffen", land_, -2 * day);
  meeting(theirs_, "Fremdes Treffen", outsider_, day);
  auto thread = groups::ThreadStore(*db).create(ours_, "Rückblick", "Wie war es?", land_, now_);
  ASSERT_TRUE(thread);
  ASSERT_TRUE(groups::ThreadStore(*db).create(theirs_, "Fremdes Thema", "x", outsider_, now_));

  sign_in(kemberg_);
  auto page = send(http::Method::get, "/arbeitsgruppen/meine");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.get("Cache-Control"), "no-store");
  const auto& b = page.body;
  // Decisions without Kemberg's vote, the soonest deadline first, marked when it is near.
  auto soon_at = b.find("Termin festlegen"), later_at = b.find("Leitfaden annehmen");
  ASSERT_NE(soon_at, std::string::npos);
  ASSERT_NE(later_at, std::string::npos);
  EXPECT_LT(soon_at, later_at);
  EXPECT_NE(b.find("endet bald"), std::string::npos);
  // The next meetings in order; past ones are not among them.
  EXPECT_LT(b.find("Erstes Treffen"), b.find("Zweites Treffen"));
  EXPECT_EQ(b.find("Vergangenes Treffen"), std::string::npos);
  EXPECT_NE(b.find("Magdeburg, Raum 1"), std::string::npos);
  // The unread thread links to its first unread post.
  EXPECT_NE(b.find("Rückblick"), std::string::npos);
  EXPECT_NE(b.find("/themen/" + std::to_string(*thread) + "?cursor="), std::string::npos);
  // Nothing of a group Kemberg is not in.
  for (const char* foreign : {"Fremde Abstimmung", "Fremdes Treffen", "Fremdes Thema", "AG Radwege"})
    EXPECT_EQ(b.find(foreign), std::string::npos) << foreign;

  // Once voted and read, they leave the page.
  decisions::Ballot agree{.position = decisions::Position::agree};
  ASSERT_TRUE(decisions::DecisionStore(*db).vote(soon, kemberg_, agree, accounts::unix_now()));
  ASSERT_TRUE(send(http::Method::get, "/themen/" + std::to_string(*thread)).status == 200);
  page = send(http::Method::get, "/arbeitsgruppen/meine");
  EXPECT_EQ(page.body.find("Termin festlegen"), std::string::npos);
  EXPECT_NE(page.body.find("Leitfaden annehmen"), std::string::npos);
  EXPECT_EQ(page.body.find("Rückblick"), std::string::npos);
  EXPECT_NE(page.body.find("Sie haben alle Beiträge gelesen."), std::string::npos);
  (void)later;

  // Someone in no group is shown the way to find one.
  auto loner = create_account("loner@example.org", "Lou Loner");
  sign_in(loner);
  page = send(http::Method::get, "/arbeitsgruppen/meine");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Sie sind noch in keiner Arbeitsgruppe."), std::string::npos);
  EXPECT_NE(page.body.find("Keine offene Entscheidung"), std::string::npos);
}

AH_INSTANTIATE_BACKEND_TEST(GroupDashboardTest);

}  // namespace
}  // namespace ah::modules
