// The moderation store on SQLite and PostgreSQL: reports (one per person and target),
// hiding and restoring with public reasons, blocks, the append-only log and what erasure
// leaves of it.
#include "modules/moderation/store.h"

#include <gtest/gtest.h>

#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/testing/harness.h"

namespace ah::moderation {
namespace {

constexpr std::int64_t kNow = 1796116800;

class ModerationStoreTest : public db::testing::BackendTest, public modules::testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), modules::testing::standard_modules());
    author_ = create_account("autor@example.org", "Autor");
    reporter_ = create_account("melder@example.org", "Melderin");
    moderator_ = create_account("moderation@kemberg.example", "Moderatorin");
  }

  const Space space_{"process", 7};
  const Space other_space_{"process", 8};
  const TargetRef comment_{"comment", 40};
  std::int64_t author_ = 0, reporter_ = 0, moderator_ = 0;
};

TEST_P(ModerationStoreTest, APersonsSecondReportOfTheSameThingIsNoNewReport) {
  ModerationStore store(*db);
  auto first = store.report({space_, comment_, reporter_, Reason::insult, "beleidigend"}, kNow);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_TRUE(*first);
  auto again = store.report({space_, comment_, reporter_, Reason::spam, ""}, kNow + 1);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  // Anonymous visitors are not told apart here (the rate limit counts them).
  for (int i = 0; i < 2; ++i) {
    auto anonymous = store.report({space_, comment_, std::nullopt, Reason::spam, ""}, kNow + 2);
    ASSERT_TRUE(anonymous);
    EXPECT_TRUE(*anonymous);
  }
  auto groups = store.open_reports(space_);
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ(groups->front().target, comment_);
  ASSERT_EQ(groups->front().reports.size(), 3u);
  EXPECT_EQ(groups->front().reports[0].reason, Reason::insult);
  EXPECT_EQ(groups->front().reports[0].reporter_name, "Melderin");
  EXPECT_EQ(groups->front().reports[0].text, "beleidigend");
  EXPECT_FALSE(groups->front().reports[1].reporter_id);
  EXPECT_EQ(*store.open_report_count(space_), 3);
  EXPECT_EQ(*store.open_report_count(other_space_), 0);
}

TEST_P(ModerationStoreTest, ReportsNeedAnExplanationForOtherAndNotTooMuchText) {
  ModerationStore store(*db);
  auto no_text = store.report({space_, comment_, reporter_, Reason::other, "  "}, kNow);
  ASSERT_FALSE(no_text);
  EXPECT_EQ(no_text.error().message, "moderation_error_report_text");
  auto long_text = store.report(
      {space_, comment_, reporter_, Reason::spam, std::string(kMaxReportText + 1, 'x')}, kNow);
  ASSERT_FALSE(long_text);
  EXPECT_EQ(*store.open_report_count(space_), 0);
}

TEST_P(ModerationStoreTest, HidingNeedsAPublicReasonAndClosesTheReports) {
  ModerationStore store(*db);
  ASSERT_TRUE(store.report({space_, comment_, reporter_, Reason::insult, ""}, kNow));
  auto no_reason = store.hide(space_, comment_, author_, moderator_, " ", kNow);
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().message, "moderation_error_reason");
  EXPECT_TRUE(store.hidden_in(space_)->empty());

  ASSERT_TRUE(store.hide(space_, comment_, author_, moderator_, "Beleidigung", kNow + 10));
  auto hidden = store.hidden_in(space_);
  ASSERT_TRUE(hidden);
  ASSERT_EQ(hidden->size(), 1u);
  EXPECT_EQ(hidden->at(comment_), "Beleidigung");
  EXPECT_TRUE(store.hidden_in(other_space_)->empty());
  EXPECT_TRUE(store.standing(space_, reporter_, comment_)->target_hidden);
  EXPECT_FALSE(store.standing(space_, reporter_, TargetRef{comment_.kind, comment_.id + 1})
                   ->target_hidden);
  EXPECT_FALSE(store.standing(space_, reporter_, std::nullopt)->target_hidden);
  EXPECT_EQ(*store.open_report_count(space_), 0) << "hiding handles the reports";

  // Hiding again replaces the reason; restoring needs one too and ends the hiding.
  ASSERT_TRUE(store.hide(space_, comment_, author_, moderator_, "Persönliche Daten", kNow + 20));
  EXPECT_EQ(store.hidden_in(space_)->at(comment_), "Persönliche Daten");
  EXPECT_FALSE(store.restore(space_, comment_, author_, moderator_, "", kNow + 30));
  auto wrong_space = store.restore(other_space_, comment_, author_, moderator_, "ok", kNow + 30);
  ASSERT_FALSE(wrong_space);
  EXPECT_EQ(wrong_space.error().message, "moderation_error_not_hidden");
  ASSERT_TRUE(store.restore(space_, comment_, author_, moderator_, "doch zulässig", kNow + 30));
  EXPECT_TRUE(store.hidden_in(space_)->empty());
  auto twice = store.restore(space_, comment_, author_, moderator_, "nochmal", kNow + 40);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::conflict);
}

TEST_P(ModerationStoreTest, DismissingClosesOpenReportsOnly) {
  ModerationStore store(*db);
  auto none = store.dismiss(space_, comment_, moderator_, "", kNow);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "moderation_error_no_reports");
  ASSERT_TRUE(store.report({space_, comment_, reporter_, Reason::spam, ""}, kNow));
  EXPECT_FALSE(store.dismiss(other_space_, comment_, moderator_, "", kNow + 1))
      << "another space's moderators cannot touch these reports";
  EXPECT_EQ(*store.open_report_count(space_), 1);
  ASSERT_TRUE(store.dismiss(space_, comment_, moderator_, "", kNow + 1));
  EXPECT_EQ(*store.open_report_count(space_), 0);
  EXPECT_TRUE(store.hidden_in(space_)->empty());
  // The same person's report stays one report, also after it was handled.
  EXPECT_FALSE(*store.report({space_, comment_, reporter_, Reason::spam, ""}, kNow + 2));
}

TEST_P(ModerationStoreTest, BlocksArePerSpace) {
  ModerationStore store(*db);
  EXPECT_FALSE(store.block(space_, author_, moderator_, "", kNow));
  ASSERT_TRUE(store.block(space_, author_, moderator_, "wiederholt beleidigend", kNow));
  auto block = store.block_of(space_, author_);
  ASSERT_TRUE(block);
  ASSERT_TRUE(*block);
  EXPECT_EQ((*block)->reason, "wiederholt beleidigend");
  EXPECT_EQ((*block)->account_name, "Autor");
  EXPECT_FALSE(*store.block_of(other_space_, author_));
  EXPECT_FALSE(*store.block_of(space_, reporter_));
  // The standing of a contributor tells the same in the same statement.
  auto standing = store.standing(space_, author_, std::nullopt);
  ASSERT_TRUE(standing) << standing.error().detail;
  EXPECT_TRUE(standing->verified);
  ASSERT_TRUE(standing->block);
  EXPECT_EQ(standing->block->reason, "wiederholt beleidigend");
  EXPECT_EQ(standing->block->account_name, "Autor");
  EXPECT_FALSE(store.standing(other_space_, author_, std::nullopt)->block);
  EXPECT_FALSE(store.standing(space_, reporter_, std::nullopt)->block);
  EXPECT_EQ(store.blocks(space_)->size(), 1u);
  ASSERT_TRUE(store.unblock(space_, author_, moderator_, "Einsicht gezeigt", kNow + 1));
  EXPECT_FALSE(*store.block_of(space_, author_));
  auto again = store.unblock(space_, author_, moderator_, "nochmal", kNow + 2);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "moderation_error_not_blocked");
}

TEST_P(ModerationStoreTest, StandingNeedsAConfirmedAddress) {
  ModerationStore store(*db);
  auto unconfirmed = modules::accounts::AccountStore(*db).create(
      "neu@example.org", "Neu", "test-without-password", kNow);
  ASSERT_TRUE(unconfirmed);
  auto standing = store.standing(space_, *unconfirmed, std::nullopt);
  ASSERT_TRUE(standing) << standing.error().detail;
  EXPECT_FALSE(standing->verified);
  EXPECT_FALSE(standing->block);
  EXPECT_TRUE(store.standing(space_, author_, std::nullopt)->verified);
  // An account that does not exist (erased while signed in) has no standing at all.
  EXPECT_FALSE(store.standing(space_, moderator_ + 1000, comment_)->verified);
}

TEST_P(ModerationStoreTest, EveryActionIsLoggedNewestFirstAndPaged) {
  ModerationStore store(*db);
  ASSERT_TRUE(store.report({space_, comment_, reporter_, Reason::insult, ""}, kNow));
  ASSERT_TRUE(store.hide(space_, comment_, author_, moderator_, "Beleidigung", kNow + 1));
  ASSERT_TRUE(store.restore(space_, comment_, author_, moderator_, "Irrtum", kNow + 2));
  ASSERT_TRUE(store.report({space_, comment_, std::nullopt, Reason::spam, ""}, kNow + 3));
  ASSERT_TRUE(store.dismiss(space_, comment_, moderator_, "", kNow + 4));
  ASSERT_TRUE(store.block(space_, author_, moderator_, "Spam", kNow + 5));
  ASSERT_TRUE(store.unblock(space_, author_, moderator_, "Frist vorbei", kNow + 6));
  // A refused action leaves no entry.
  EXPECT_FALSE(store.restore(space_, comment_, author_, moderator_, "x", kNow + 7));
  ASSERT_TRUE(store.hide(other_space_, {"comment", 41}, author_, moderator_, "anderswo", kNow));

  auto first = store.log(space_, "", 3);
  ASSERT_TRUE(first) << first.error().detail;
  ASSERT_EQ(first->items.size(), 3u);
  EXPECT_EQ(first->items[0].action, LogAction::unblock);
  EXPECT_EQ(first->items[0].reason, "Frist vorbei");
  EXPECT_EQ(first->items[0].actor_name, "Moderatorin");
  EXPECT_EQ(first->items[0].subject_name, "Autor");
  EXPECT_FALSE(first->items[0].target);
  EXPECT_EQ(first->items[1].action, LogAction::block);
  EXPECT_EQ(first->items[2].action, LogAction::dismiss);
  EXPECT_FALSE(first->items[2].has_subject);
  ASSERT_FALSE(first->next_cursor.empty());
  auto rest = store.log(space_, first->next_cursor, 3);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->items.size(), 2u);
  EXPECT_EQ(rest->items[0].action, LogAction::restore);
  EXPECT_EQ(rest->items[1].action, LogAction::hide);
  EXPECT_EQ(rest->items[1].target, comment_);
  EXPECT_EQ(rest->items[1].reason, "Beleidigung");
  EXPECT_TRUE(rest->next_cursor.empty());
  EXPECT_FALSE(store.log(space_, "zz", 3));
}

TEST_P(ModerationStoreTest, AfterErasureTheLogKeepsItsEntriesWithoutTheNames) {
  ModerationStore store(*db);
  ASSERT_TRUE(store.report({space_, comment_, reporter_, Reason::insult, "x"}, kNow));
  ASSERT_TRUE(store.hide(space_, comment_, author_, moderator_, "Beleidigung", kNow + 1));
  ASSERT_TRUE(store.block(space_, author_, moderator_, "Beleidigung", kNow + 2));
  EXPECT_EQ(store.reports_by(reporter_)->size(), 1u);
  for (auto who : {moderator_, author_, reporter_})
    ASSERT_TRUE(db->query("DELETE FROM accounts WHERE id = $1", {db::Value{who}}));
  auto log = store.log(space_, "", 10);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->items.size(), 2u);
  for (const auto& e : log->items) {
    EXPECT_FALSE(e.actor_name) << "shown as 'gelöschtes Konto'";
    EXPECT_TRUE(e.has_subject);
    EXPECT_FALSE(e.subject_name);
  }
  EXPECT_TRUE(store.blocks(space_)->empty()) << "the block went with the account";
  EXPECT_TRUE(store.reports_by(reporter_)->empty());
}

AH_INSTANTIATE_BACKEND_TEST(ModerationStoreTest);

}  // namespace
}  // namespace ah::moderation
