// Decisions, ballots, closing and anonymity in the database, on SQLite and PostgreSQL.
#include "modules/groups/decisions/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "db/test_database.h"
#include "modules/groups/decisions/module.h"
#include "modules/groups/drafts/module.h"
#include "modules/groups/module.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"

namespace ah::modules::decisions {
namespace {

constexpr std::int64_t kNow = 1796116800;  // 2026-12-01T09:20:00Z
constexpr std::int64_t kWeek = 7 * 86400;

std::vector<std::unique_ptr<web::Module>> modules() {
  auto list = testing::standard_modules(make_groups_module());
  list.push_back(make_drafts_module());  // decisions may name a draft
    list.push_back(make_decisions_module());
  return list;
}

class DecisionStoreTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), modules());
    owner_ = create_account("owner@land.example", "Olga Owner");
    anna_ = create_account("anna@kemberg.example", "Anna Amt");
    ben_ = create_account("ben@wittenberg.example", "Ben Bau");
    auto id = groups::GroupStore(*db).create({.name = "AG Digitales",
                                              .description = "Gemeinsam.",
                                              .visibility = groups::Visibility::internal,
                                              .joining = groups::Joining::open},
                                             owner_, kNow);
    ASSERT_TRUE(id);
    group_ = *id;
    for (auto who : {anna_, ben_}) ASSERT_TRUE(groups::GroupStore(*db).join(group_, who, "", kNow));
  }

  std::int64_t create(NewDecision d) {
    if (d.deadline == 0) d.deadline = kNow + kWeek;
    auto id = DecisionStore(*db).create(group_, d, owner_, kNow);
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  Decision find(std::int64_t id) {
    auto d = DecisionStore(*db).find(id);
    EXPECT_TRUE(d);
    return d.value_or(Decision{});
  }

  std::int64_t owner_ = 0, anna_ = 0, ben_ = 0, group_ = 0;
};

TEST_P(DecisionStoreTest, InvalidDecisionsAreRefusedByField) {
  auto errors =
      validate({.title = " ", .kind = Kind::poll, .options = {"A"}, .deadline = kNow}, kNow);
  std::map<std::string, std::string> by_field(errors.begin(), errors.end());
  EXPECT_EQ(by_field["title"], "decisions_error_title");
  EXPECT_EQ(by_field["options"], "decisions_error_options");
  EXPECT_EQ(by_field["deadline"], "decisions_error_deadline_past");
  errors = validate({.title = "Punkte",
                     .kind = Kind::dot_vote,
                     .options = {"A", "A"},
                     .points = 0,
                     .deadline = kNow + 2 * kMaxDeadlineAhead},
                    kNow);
  by_field = {errors.begin(), errors.end()};
  EXPECT_EQ(by_field["options"], "decisions_error_options") << "options must differ";
  EXPECT_EQ(by_field["points"], "decisions_error_points");
  EXPECT_EQ(by_field["deadline"], "decisions_error_deadline_far");
  auto refused =
      DecisionStore(*db).create(group_, {.title = "", .deadline = kNow + 10}, owner_, kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "decisions_error_title");
}

TEST_P(DecisionStoreTest, EveryKindOfBallotIsCheckedAndCounted) {
  DecisionStore store(*db);
  auto consent = create({.title = "Geschäftsordnung", .kind = Kind::consent});
  auto d = find(consent);
  EXPECT_EQ(store.vote(consent, anna_, {}, kNow).error().message, "decisions_error_position");
  EXPECT_EQ(store.vote(consent, anna_, {.position = Position::block}, kNow).error().message,
            "decisions_error_reason");
  EXPECT_EQ(store.vote(consent, anna_, {.position = Position::concern, .reason = "  "}, kNow)
                .error()
                .message,
            "decisions_error_reason");
  EXPECT_EQ(store.vote(consent, anna_, {.position = Position::agree}, kNow).value(),
            VoteResult::created);
  EXPECT_EQ(
      store.vote(consent, ben_, {.position = Position::concern, .reason = "Zu früh"}, kNow).value(),
      VoteResult::created);
  auto t = store.tally(consent).value();
  EXPECT_EQ(t.ballots, 2);
  EXPECT_EQ(t.positions[0], 1);
  EXPECT_EQ(t.positions[2], 1);
  ASSERT_EQ(t.reasons.size(), 1u);
  EXPECT_EQ(t.reasons[0].text, "Zu früh");
  EXPECT_EQ(t.reasons[0].name, "Ben Bau") << "named, the decision is not anonymous";

  auto poll = create({.title = "Termin", .kind = Kind::poll, .options = {"Mo", "Di", "Mi"}});
  d = find(poll);
  ASSERT_EQ(d.options.size(), 3u);
  auto o = [&](int i) { return d.options[i].id; };
  EXPECT_EQ(store.vote(poll, anna_, {.marks = {{o(0), 1}, {o(1), 1}}}, kNow).error().message,
            "decisions_error_choose_one");
  EXPECT_EQ(store.vote(poll, anna_, {}, kNow).error().message, "decisions_error_choose");
  EXPECT_EQ(store.vote(poll, anna_, {.marks = {{o(0) + 1000, 1}}}, kNow).error().message,
            "decisions_error_option");
  ASSERT_TRUE(store.vote(poll, anna_, {.marks = {{o(1), 1}}}, kNow));
  ASSERT_TRUE(store.vote(poll, ben_, {.marks = {{o(1), 1}}}, kNow));
  t = store.tally(poll).value();
  EXPECT_EQ(t.options[1].count, 2);
  EXPECT_EQ(t.options[0].count, 0);

  auto dots =
      create({.title = "Prioritäten", .kind = Kind::dot_vote, .options = {"A", "B"}, .points = 5});
  d = find(dots);
  EXPECT_EQ(
      store.vote(dots, anna_, {.marks = {{o(0), 3}, {d.options[1].id, 3}}}, kNow).error().message,
      "decisions_error_points_too_many");
  EXPECT_EQ(store.vote(dots, anna_, {.marks = {{d.options[0].id, -1}}}, kNow).error().message,
            "decisions_error_negative");
  ASSERT_TRUE(
      store.vote(dots, anna_, {.marks = {{d.options[0].id, 4}, {d.options[1].id, 1}}}, kNow));
  ASSERT_TRUE(store.vote(dots, ben_, {.marks = {{d.options[1].id, 5}}}, kNow));
  t = store.tally(dots).value();
  EXPECT_EQ(t.options[0].sum, 4);
  EXPECT_EQ(t.options[1].sum, 6);

  auto score = create({.title = "Bewertung", .kind = Kind::score, .options = {"X", "Y"}});
  d = find(score);
  EXPECT_EQ(store.vote(score, anna_, {.marks = {{d.options[0].id, 3}}}, kNow).error().message,
            "decisions_error_score_missing");
  EXPECT_EQ(store.vote(score, anna_, {.marks = {{d.options[0].id, 6}, {d.options[1].id, 0}}}, kNow)
                .error()
                .message,
            "decisions_error_score");
  ASSERT_TRUE(
      store.vote(score, anna_, {.marks = {{d.options[0].id, 5}, {d.options[1].id, 0}}}, kNow));
  ASSERT_TRUE(
      store.vote(score, ben_, {.marks = {{d.options[0].id, 2}, {d.options[1].id, 0}}}, kNow));
  t = store.tally(score).value();
  EXPECT_EQ(t.options[0].count, 2);
  EXPECT_EQ(t.options[0].sum, 7);
  EXPECT_EQ(t.options[0].distribution[5], 1);
  EXPECT_EQ(t.options[1].distribution[0], 2);
}

TEST_P(DecisionStoreTest, AVoteChangesUntilTheDeadlineAndNotAtIt) {
  DecisionStore store(*db);
  auto id = create({.title = "Frist", .deadline = kNow + 100});
  ASSERT_TRUE(store.vote(id, anna_, {.position = Position::agree}, kNow));
  EXPECT_EQ(store.vote(id, anna_, {.position = Position::abstain}, kNow + 99).value(),
            VoteResult::changed);
  auto t = store.tally(id).value();
  EXPECT_EQ(t.ballots, 1) << "one current ballot per person";
  EXPECT_EQ(t.positions[1], 1);
  EXPECT_EQ(store.ballot_of(id, anna_).value()->position, Position::abstain);
  // At the deadline the store refuses, though no job has closed the decision yet.
  auto late = store.vote(id, anna_, {.position = Position::agree}, kNow + 100);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::conflict);
  EXPECT_EQ(late.error().message, kClosed);
  EXPECT_TRUE(find(id).open);
  EXPECT_EQ(store.vote(id + 999, anna_, {.position = Position::agree}, kNow).error().code,
            ErrorCode::not_found);
  // Closing is once; afterwards nobody votes.
  EXPECT_TRUE(store.close(id, kNow + 100).value());
  EXPECT_FALSE(store.close(id, kNow + 101).value());
  EXPECT_EQ(find(id).closed_at, kNow + 100);
  EXPECT_EQ(store.vote(id, ben_, {.position = Position::agree}, kNow + 50).error().message,
            kClosed);
}

// Many people vote and change their votes at once: the tally is exactly the last ballot
// each of them cast, on both backends.
TEST_P(DecisionStoreTest, ConcurrentVotesAndChangesCountExactly) {
  std::vector<std::int64_t> people;
  for (int i = 0; i < 8; ++i) {
    auto who = create_account("p" + std::to_string(i) + "@example.org", "P" + std::to_string(i));
    ASSERT_TRUE(groups::GroupStore(*db).join(group_, who, "", kNow));
    people.push_back(who);
  }
  for (bool anonymous : {false, true}) {
    auto id = create({.title = anonymous ? "Anonym" : "Offen",
                      .kind = Kind::poll,
                      .options = {"A", "B", "C"},
                      .anonymous = anonymous});
    auto d = find(id);
    std::vector<int> last(people.size(), -1);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (std::size_t p = 0; p < people.size(); ++p) {
      threads.emplace_back([&, p] {
        DecisionStore store(*db);
        std::mt19937 random(static_cast<unsigned>(p * 7 + anonymous));
        for (int round = 0; round < 6; ++round) {
          int choice = static_cast<int>(random() % 3);
          auto voted = store.vote(id, people[p], {.marks = {{d.options[choice].id, 1}}}, kNow);
          if (voted)
            last[p] = choice;
          else
            ++failures;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    std::array<std::int64_t, 3> expected{};
    for (int choice : last) ++expected[choice];
    auto t = DecisionStore(*db).tally(id).value();
    EXPECT_EQ(t.ballots, static_cast<std::int64_t>(people.size()));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(t.options[i].count, expected[i]) << "option " << i;
    EXPECT_EQ(find(id).voter_count, static_cast<std::int64_t>(people.size()));
  }
}

// After an anonymous decision closed, no row of it holds the voter's account id or
// anything derivable from it with what is still stored: no key, no secret, no time, and
// ballot ids that are new random numbers.
TEST_P(DecisionStoreTest, AnonymousBallotsCannotBeLinkedAfterClosing) {
  DecisionStore store(*db);
  auto id = create({.title = "Geheim", .anonymous = true});
  ASSERT_TRUE(store.vote(id, anna_, {.position = Position::block, .reason = "Nein, weil"}, kNow));
  ASSERT_TRUE(store.vote(id, ben_, {.position = Position::agree}, kNow));
  ASSERT_TRUE(store.vote(id, ben_, {.position = Position::abstain}, kNow)) << "changed";
  EXPECT_EQ(store.ballot_of(id, ben_).value()->position, Position::abstain)
      << "while open, one finds one's own ballot";
  auto before =
      db->query("SELECT id FROM group_decision_ballots WHERE decision_id = $1", {db::Value{id}});
  ASSERT_TRUE(before);
  auto open_rows = db->query(
      "SELECT voter_key, account_id FROM group_decision_ballots"
      " WHERE decision_id = $1",
      {db::Value{id}});
  for (const auto& row : open_rows->rows) {
    EXPECT_TRUE(row.is_null(1)) << "never an account id in an anonymous ballot";
    EXPECT_FALSE(row.text(0).starts_with("account:")) << "a keyed hash, not the account";
    EXPECT_EQ(row.text(0).size(), 64u);
  }
  EXPECT_EQ(db::testing::scalar(*db,
                                "SELECT COUNT(*) FROM group_decisions WHERE id = $1"
                                " AND voter_secret IS NOT NULL",
                                {db::Value{id}}),
            1);

  ASSERT_TRUE(store.close(id, kNow + 10).value());

  EXPECT_EQ(db::testing::scalar(*db,
                                "SELECT COUNT(*) FROM group_decisions WHERE id = $1"
                                " AND voter_secret IS NULL",
                                {db::Value{id}}),
            1)
      << "the secret is destroyed";
  auto rows = db->query(
      "SELECT id, voter_key, account_id, position, reason"
      " FROM group_decision_ballots WHERE decision_id = $1",
      {db::Value{id}});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->rows.size(), 2u);
  std::set<std::int64_t> old_ids;
  for (const auto& row : before->rows) old_ids.insert(row.int64(0));
  for (const auto& row : rows->rows) {
    EXPECT_TRUE(row.is_null(1)) << "no key left";
    EXPECT_TRUE(row.is_null(2));
    EXPECT_FALSE(old_ids.contains(row.int64(0))) << "ballots got new random ids";
    for (auto who : {anna_, ben_})
      for (std::size_t col = 3; col < 5; ++col)
        if (!row.is_null(col)) {
          EXPECT_NE(row.text(col), std::to_string(who));
        }
  }
  // Nothing but the voters list names the people, and it says only that they voted.
  EXPECT_TRUE(store.has_voted(id, anna_).value());
  EXPECT_FALSE(store.ballot_of(id, anna_).value().has_value());
  auto t = store.tally(id).value();
  EXPECT_EQ(t.positions[3], 1);
  EXPECT_EQ(t.positions[1], 1);
  ASSERT_EQ(t.reasons.size(), 1u);
  EXPECT_FALSE(t.reasons[0].name.has_value()) << "no names for anonymous reasons";
}

TEST_P(DecisionStoreTest, OutcomeAfterClosingWithItsHookInTheTransaction) {
  DecisionStore store(*db);
  auto id = create({.title = "Ergebnis"});
  EXPECT_EQ(store.record_outcome(id, "Angenommen", std::nullopt, owner_, kNow).error().message,
            kStillOpen);
  ASSERT_TRUE(store.close(id, kNow + 1).value());
  EXPECT_EQ(store.record_outcome(id, " ", std::nullopt, owner_, kNow).error().message,
            "decisions_error_outcome");
  // A failing hook rolls the outcome back.
  auto failed = store.record_outcome(
      id, "Angenommen", std::nullopt, owner_, kNow + 2,
      [](db::Connection&) -> Status { return fail(ErrorCode::conflict, "draft changed"); });
  ASSERT_FALSE(failed);
  EXPECT_FALSE(find(id).outcome.has_value());
  bool ran = false;
  ASSERT_TRUE(store.record_outcome(id, "Angenommen, **einstimmig**", kNow + kWeek, owner_, kNow + 2,
                                   [&](db::Connection&) -> Status {
                                     ran = true;
                                     return {};
                                   }));
  EXPECT_TRUE(ran);
  auto d = find(id);
  EXPECT_EQ(d.outcome, "Angenommen, **einstimmig**");
  EXPECT_EQ(d.review_date, kNow + kWeek);
  auto register_ = store.closed(group_).value();
  ASSERT_EQ(register_.size(), 1u);
  EXPECT_EQ(register_[0].id, id);
}

TEST_P(DecisionStoreTest, RemindersAreClaimedOnceAndOnlyNonVotersAreDue) {
  DecisionStore store(*db);
  auto soon = create({.title = "Bald", .deadline = kNow + 3600});
  auto later = create({.title = "Später", .deadline = kNow + kWeek});
  ASSERT_TRUE(store.vote(soon, anna_, {.position = Position::agree}, kNow));
  EXPECT_EQ(store.due_for_reminder(kNow).value(), std::vector<std::int64_t>{soon});
  std::vector<std::int64_t> told;
  auto tell = [&](db::Connection& tx) -> Status {
    AH_TRY(who, DecisionStore::non_voters(tx, soon));
    told = who;
    return {};
  };
  EXPECT_TRUE(store.claim_reminder(soon, kNow, tell).value());
  EXPECT_EQ(told, (std::vector<std::int64_t>{owner_, ben_}));
  EXPECT_FALSE(store.claim_reminder(soon, kNow + 1, tell).value());
  EXPECT_TRUE(store.due_for_reminder(kNow + 10).value().empty());
  EXPECT_EQ(store.due_for_closing(kNow + 3600).value(), std::vector<std::int64_t>{soon});
  (void)later;
}

AH_INSTANTIATE_BACKEND_TEST(DecisionStoreTest);

}  // namespace
}  // namespace ah::modules::decisions
