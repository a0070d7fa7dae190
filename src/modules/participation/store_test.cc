// Processes, proposals and supports in the database, on SQLite and PostgreSQL.
#include "modules/participation/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/participation/module.h"
#include "modules/testing/harness.h"
#include "search/index.h"

namespace ah::modules::participation {
namespace {

constexpr std::int64_t kNow = 1796116800;  // 2026-12-01T09:20:00Z
constexpr std::int64_t kDay = 86400;

NewProcess playground(std::int64_t org) {
  return {.org_id = org,
          .title = "Neuer Spielplatz am Markt",
          .summary = "Wie soll der Spielplatz aussehen?",
          .body = "Wir sammeln Ideen.",
          .topic = "sport_freizeit",
          .state = ProcessState::published,
          .phases = {{"Information", kNow - 10 * kDay, kNow - 5 * kDay, false, true, false},
                     {"Ideen", kNow - 5 * kDay, kNow + 5 * kDay, true, true, true},
                     {"Ergebnis", kNow + 5 * kDay, kNow + 30 * kDay, false, false, false}}};
}

class ParticipationStoreTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_participation_module()));
    kemberg_ = org_id("15091160");
    author_ = create_account("amt@kemberg.example", "Amt Kemberg");
    auto id = ProcessStore(*db).create(playground(kemberg_), author_, kNow);
    ASSERT_TRUE(id) << id.error().message;
    process_ = *id;
  }
  std::int64_t kemberg_ = 0, author_ = 0, process_ = 0;
};

TEST_P(ParticipationStoreTest, PhasesDecideWhatIsAllowed) {
  auto p = ProcessStore(*db).find(process_);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->phases.size(), 3u);
  EXPECT_EQ(p->phase_at(kNow)->title, "Ideen");
  EXPECT_TRUE(p->allows_propose(kNow));
  EXPECT_TRUE(p->allows_support(kNow));
  EXPECT_FALSE(p->allows_propose(kNow - 6 * kDay)) << "Information";
  EXPECT_TRUE(p->allows_comment(kNow - 6 * kDay));
  EXPECT_FALSE(p->allows_support(kNow + 6 * kDay)) << "Ergebnis";
  EXPECT_EQ(p->phase_at(kNow + 31 * kDay), nullptr);
  EXPECT_FALSE(p->allows_comment(kNow + 31 * kDay)) << "after the last phase";
  ASSERT_TRUE(ProcessStore(*db).set_state(process_, ProcessState::draft, kNow));
  EXPECT_FALSE(ProcessStore(*db).find(process_)->allows_propose(kNow)) << "a draft takes nothing";
  EXPECT_EQ(p->short_code.size(), 6u);
  EXPECT_EQ(ProcessStore(*db).find_by_code(p->short_code)->id, process_);
}

// A support, a comment or an edit asks for the proposal with its process: one statement
// brings both, the process as find() gives it, with its phases in order.
TEST_P(ParticipationStoreTest, AProposalComesWithItsProcessAndItsPhases) {
  auto proposal = ProposalStore(*db).create(process_, {.title = "Schaukel", .body = "Bitte."},
                                            author_, kNow);
  ASSERT_TRUE(proposal) << proposal.error().message;
  auto found = ProposalStore(*db).find_with_process(*proposal);
  ASSERT_TRUE(found) << found.error().detail;
  const auto& [p, process] = *found;
  EXPECT_EQ(p.id, *proposal);
  EXPECT_EQ(p.title, "Schaukel");
  EXPECT_EQ(p.author_name, "Amt Kemberg");
  EXPECT_EQ(process.id, process_);
  EXPECT_EQ(process.title, "Neuer Spielplatz am Markt");
  EXPECT_EQ(process.org_name, ProcessStore(*db).find(process_)->org_name);
  EXPECT_EQ(process.area_name, "Kemberg, Stadt");
  ASSERT_EQ(process.phases.size(), 3u);
  EXPECT_EQ(process.phases[0].title, "Information");
  EXPECT_EQ(process.phases[1].title, "Ideen");
  EXPECT_TRUE(process.phases[1].allow_support);
  EXPECT_EQ(process.phases[2].title, "Ergebnis");
  EXPECT_EQ(process.phases[2].ends_at, kNow + 30 * kDay);
  auto missing = ProposalStore(*db).find_with_process(*proposal + 1000);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

TEST_P(ParticipationStoreTest, BadProcessesAreRefusedWithTheirReason) {
  auto p = playground(kemberg_);
  p.title = "  ";
  p.phases[1].ends_at = p.phases[1].starts_at;
  auto errors = validate(p);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].second, "participation_error_title");
  EXPECT_EQ(errors[1].second, "participation_error_phase_dates");
  auto refused = ProcessStore(*db).create(p, author_, kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  p = playground(kemberg_);
  std::swap(p.phases[0], p.phases[2]);
  EXPECT_EQ(validate(p).front().second, "participation_error_phase_overlap");
  p.phases.clear();
  EXPECT_EQ(validate(p).front().second, "participation_error_phases");
}

TEST_P(ParticipationStoreTest, ListsArePagedByKeysetAndNeverShowDrafts) {
  ProcessStore store(*db);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(store.create(playground(kemberg_), author_, kNow + i));
  auto draft = playground(org_id("15"));
  draft.state = ProcessState::draft;
  ASSERT_TRUE(store.create(draft, author_, kNow + 10));
  std::vector<std::int64_t> seen;
  std::string cursor;
  do {
    auto page = store.list({}, cursor, 2);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& p : page->items) {
      EXPECT_NE(p.state, ProcessState::draft);
      seen.push_back(p.id);
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  ASSERT_EQ(seen.size(), 5u);  // the first and the four more, not the draft
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend())) << "newest first";
  EXPECT_EQ(store.list({.org_id = org_id("15")}, "", 10)->items.size(), 0u);
  EXPECT_EQ(store.list({.kreis_ags = "15091"}, "", 10)->items.size(), 5u);
  EXPECT_EQ(store.list({.kreis_ags = "15082"}, "", 10)->items.size(), 0u);
  EXPECT_FALSE(store.list({}, "nonsense", 10));
  // In Kemberg: Kemberg's processes and the Land's; in Halle (another Kreis): only the Land's.
  EXPECT_EQ(store.list({.gemeinde_ags = "15091160"}, "", 10)->items.size(), 5u);
  auto land_process = playground(org_id("15"));
  ASSERT_TRUE(store.create(land_process, author_, kNow + 20));
  EXPECT_EQ(store.list({.gemeinde_ags = "15091160"}, "", 10)->items.size(), 6u);
  EXPECT_EQ(store.list({.gemeinde_ags = "15002000"}, "", 10)->items.size(), 1u);
}

// The list loads the phases of a whole page at once (issue 6); each process keeps its own,
// in their order.
TEST_P(ParticipationStoreTest, ListedProcessesCarryTheirOwnPhasesInOrder) {
  ProcessStore store(*db);
  auto two_phases = playground(kemberg_);
  two_phases.title = "Zwei Phasen";
  two_phases.phases = {{"Sammeln", kNow - kDay, kNow + kDay, true, true, true},
                       {"Abschluss", kNow + kDay, kNow + 9 * kDay, false, false, false}};
  ASSERT_TRUE(store.create(two_phases, author_, kNow + 1));
  auto page = store.list({}, "", 10);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].title, "Zwei Phasen");
  ASSERT_EQ(page->items[0].phases.size(), 2u);
  EXPECT_EQ(page->items[0].phases[0].title, "Sammeln");
  EXPECT_EQ(page->items[0].phases[1].title, "Abschluss");
  EXPECT_EQ(page->items[0].phases[1].ends_at, kNow + 9 * kDay);
  ASSERT_EQ(page->items[1].phases.size(), 3u);
  EXPECT_EQ(page->items[1].phases[0].title, "Information");
  EXPECT_EQ(page->items[1].phases[2].title, "Ergebnis");
  EXPECT_TRUE(page->items[1].allows_support(kNow));
  EXPECT_FALSE(page->items[0].phases[1].allow_propose);
}

TEST_P(ParticipationStoreTest, AProcessConcernsAnAreaInsideItsOwnersTerritory) {
  ProcessStore store(*db);
  EXPECT_EQ(store.find(process_)->area_ags, "15091160") << "the owner's own by default";
  EXPECT_EQ(store.find(process_)->area_name, "Kemberg, Stadt");
  // The Land offers itself and its Kreise and kreisfreie Städte; a Kreis itself and its
  // Gemeinden; a Gemeinde only itself.
  auto land = process_areas(*db, org_id("15")).value();
  EXPECT_EQ(land.front().first, "15");
  EXPECT_EQ(land.size(), 15u) << "the Land, 11 Landkreise and 3 kreisfreie Städte";
  auto kreis = process_areas(*db, org_id("15091")).value();
  EXPECT_EQ(kreis.front().first, "15091");
  EXPECT_TRUE(std::any_of(kreis.begin(), kreis.end(), [](auto& a) { return a.first == "15091160"; }));
  EXPECT_FALSE(std::any_of(kreis.begin(), kreis.end(), [](auto& a) { return a.first == "15002000"; }));
  EXPECT_EQ(process_areas(*db, kemberg_).value().size(), 1u);

  // The Land asks only the Landkreis Wittenberg: Kemberg (inside) sees it, Halle does not.
  auto for_wittenberg = playground(org_id("15"));
  for_wittenberg.area_ags = "15091";
  auto id = store.create(for_wittenberg, author_, kNow + 1);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(store.find(*id)->area_name, "Landkreis Wittenberg");
  auto ids_in = [&](const std::string& gemeinde) {
    std::vector<std::int64_t> out;
    auto page = store.list({.gemeinde_ags = gemeinde}, "", 50);
    for (const auto& p : page->items) out.push_back(p.id);
    return out;
  };
  auto kemberg_sees = ids_in("15091160"), halle_sees = ids_in("15002000");
  EXPECT_NE(std::ranges::find(kemberg_sees, *id), kemberg_sees.end());
  EXPECT_EQ(std::ranges::find(halle_sees, *id), halle_sees.end());
  // Kemberg cannot claim another Gemeinde or the Land; the change keeps the old area.
  auto outside = playground(kemberg_);
  outside.area_ags = "15091375";
  EXPECT_EQ(store.create(outside, author_, kNow).error().message, "participation_error_area");
  outside.area_ags = "15";
  EXPECT_EQ(store.update(process_, outside, kNow).error().message, "participation_error_area");
  EXPECT_EQ(store.find(process_)->area_ags, "15091160");
}

TEST_P(ParticipationStoreTest, SupportsCountExactlyUnderConcurrency) {
  ProposalStore proposals(*db);
  auto id = proposals.create(
      process_, {.title = "Eine Rutsche", .body = "Bitte eine große Rutsche."}, author_, kNow);
  ASSERT_TRUE(id) << id.error().message;
  // 500 different people; accounts made in one transaction so the test spends its time on
  // the supports.
  constexpr int kPeople = 500;
  std::vector<std::int64_t> people;
  ASSERT_TRUE(db->transaction([&](db::Connection& tx) -> Status {
    for (int i = 0; i < kPeople; ++i) {
      AH_TRY(rs, tx.query("INSERT INTO accounts (email, display_name, password_hash, "
                          "email_verified_at, created_at)"
                          " VALUES ($1, $2, 'x', 1, 1) RETURNING id",
                          {db::Value{"p" + std::to_string(i) + "@example.org"},
                           db::Value{std::string("P")}}));
      people.push_back(rs.rows[0].int64(0));
    }
    return {};
  }));
  auto hammer = [&](auto action) {
    std::atomic<int> next{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t) {
      threads.emplace_back([&] {
        for (int i = next++; i < kPeople; i = next++) {
          // Everyone tries twice: a double submit must not count twice.
          if (!action(people[i]) || !action(people[i])) ++failures;
        }
      });
    }
    for (auto& t : threads) t.join();
    return failures.load();
  };
  // Supports share commits (grouped transactions); one for a proposal that does not exist
  // fails for its own caller only, whoever it shared a transaction with.
  std::atomic<int> refused{0};
  EXPECT_EQ(hammer([&](std::int64_t who) {
              if (who % 10 == 0 && !proposals.support(*id + 1000, who, kNow)) ++refused;
              return proposals.support(*id, who, kNow).has_value();
            }),
            0);
  EXPECT_EQ(refused.load(),
            2 * static_cast<int>(std::count_if(people.begin(), people.end(),
                                               [](auto p) { return p % 10 == 0; })));
  EXPECT_EQ(
      db::testing::scalar(*db, "SELECT COUNT(*) FROM supports WHERE proposal_id <> $1", {*id}), 0);
  EXPECT_EQ(proposals.find(*id)->support_count, kPeople);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM supports WHERE proposal_id = $1", {*id}),
            kPeople);
  EXPECT_EQ(
      hammer([&](std::int64_t who) { return proposals.withdraw_support(*id, who).has_value(); }),
      0);
  EXPECT_EQ(proposals.find(*id)->support_count, 0);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM supports WHERE proposal_id = $1", {*id}),
            0);
}

TEST_P(ParticipationStoreTest, ErasedSupportersLeaveExactCountsAndAuthorsBecomeDeletedAccounts) {
  ProposalStore proposals(*db);
  auto a = proposals.create(process_, {.title = "Schaukel", .body = "Eine Nestschaukel."}, author_,
                            kNow);
  auto b = proposals.create(process_, {.title = "Bänke", .body = "Mehr Bänke für Eltern."}, author_,
                            kNow + 1);
  ASSERT_TRUE(a && b);
  auto eve = create_account("eve@example.org", "Eve");
  auto max = create_account("max@example.org", "Max");
  ASSERT_TRUE(proposals.support(*a, eve, kNow));
  ASSERT_TRUE(proposals.support(*b, eve, kNow));
  ASSERT_TRUE(proposals.support(*b, max, kNow));
  ASSERT_TRUE(proposals.withdraw_all_supports(eve));
  ASSERT_TRUE(accounts::AccountStore(*db).erase(eve));
  EXPECT_EQ(proposals.find(*a)->support_count, 0);
  EXPECT_EQ(proposals.find(*b)->support_count, 1);
  ASSERT_TRUE(accounts::AccountStore(*db).erase(author_));
  auto orphan = proposals.find(*a);
  ASSERT_TRUE(orphan);
  EXPECT_FALSE(orphan->author_id);
  EXPECT_FALSE(orphan->author_name) << "shown as 'gelöschtes Konto'";
  // Orders: newest first; most supported puts b first.
  auto newest = proposals.list(process_, ProposalOrder::newest, "", 10);
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->items.front().id, *b);
  auto supported = proposals.list(process_, ProposalOrder::most_supported, "", 1);
  EXPECT_EQ(supported->items.front().id, *b);
  auto next = proposals.list(process_, ProposalOrder::most_supported, supported->next_cursor, 1);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->items.front().id, *a);
}

TEST_P(ParticipationStoreTest, AuthorsEditUntilTheFirstSupportAndWithdraw) {
  ProposalStore proposals(*db);
  auto other = create_account("bea@example.org", "Bea");
  auto id = proposals.create(process_, {.title = "Rutsche", .body = "Eine Rutsche"}, author_, kNow);
  ASSERT_TRUE(id);
  NewProposal better{.title = "Breite Rutsche", .body = "Eine breite Rutsche", .category = "Spiel"};
  EXPECT_EQ(proposals.edit(*id, other, better, kNow).error().code, ErrorCode::forbidden)
      << "only the author";
  ASSERT_TRUE(proposals.edit(*id, author_, better, kNow + 1));
  EXPECT_EQ(proposals.find(*id)->title, "Breite Rutsche");
  EXPECT_EQ(proposals.edit(*id, author_, {.title = "", .body = "x"}, kNow).error().code,
            ErrorCode::invalid_input);
  ASSERT_TRUE(proposals.support(*id, other, kNow + 2));
  auto late = proposals.edit(*id, author_, {.title = "Anders", .body = "Ganz anders"}, kNow + 3);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message, "participation_error_edit_closed");
  EXPECT_EQ(proposals.find(*id)->title, "Breite Rutsche") << "the supported text stays";

  EXPECT_EQ(proposals.withdraw(*id, other, kNow).error().code, ErrorCode::forbidden);
  ASSERT_TRUE(proposals.withdraw(*id, author_, kNow + 4));
  EXPECT_EQ(proposals.find(*id)->state, ProposalState::withdrawn);
  EXPECT_TRUE(proposals.list(process_, ProposalOrder::newest, "", 10)->items.empty());
  EXPECT_FALSE(proposals.withdraw(*id, author_, kNow + 5)) << "once";
}

TEST_P(ParticipationStoreTest, ProposalListsFollowTheirOrderIndexAndTheTallyReadsOnlyAnIndex) {
  // SQLite's planner has no statistics here: the indexes alone must steer it (migration
  // 5023). The queries have the shape of ProposalStore::list and AnswerStore::tally.
  if (backend() != db::Backend::sqlite) GTEST_SKIP() << "PostgreSQL plans by its statistics";
  auto plan = [&](const std::string& sql) {
    auto rs = db->query("EXPLAIN QUERY PLAN " + sql, {db::Value{process_}});
    std::string out;
    for (const auto& row : rs->rows) out += row.text(3) + "\n";
    return out;
  };
  for (auto [column, index] : {std::pair{"r.created_at", "proposals_newest"},
                               std::pair{"r.support_count", "proposals_supported"},
                               std::pair{"r.comment_count", "proposals_discussed"}}) {
    auto shown = plan(std::string("SELECT r.id, r.title FROM proposals r LEFT JOIN accounts a ON a.id = r.author_id"
                                  " WHERE r.process_id = $1 AND r.state <> 'withdrawn' ORDER BY ") +
                      column + " DESC, r.id DESC LIMIT 21");
    EXPECT_NE(shown.find(index), std::string::npos) << shown;
    EXPECT_EQ(shown.find("TEMP B-TREE FOR ORDER BY"), std::string::npos) << shown;
  }
  auto tally = plan("SELECT answer_state, COUNT(*) FROM proposals"
                    " WHERE process_id = $1 AND state <> 'withdrawn' GROUP BY answer_state");
  EXPECT_NE(tally.find("COVERING INDEX"), std::string::npos) << tally;
}

TEST_P(ParticipationStoreTest, RandomOrderIsAShuffleStablePerSeed) {
  ProposalStore proposals(*db);
  std::vector<std::int64_t> made;
  for (int i = 0; i < 23; ++i)
    made.push_back(*proposals.create(process_, {.title = "V" + std::to_string(i), .body = "x"},
                                     author_, kNow + i));
  auto walk = [&](std::uint32_t seed) {
    std::vector<std::int64_t> seen;
    std::string cursor;
    do {
      auto page = proposals.list(process_, ProposalOrder::random, cursor, 5, seed);
      EXPECT_TRUE(page);
      if (!page) break;
      for (const auto& p : page->items) seen.push_back(p.id);
      cursor = page->next_cursor;
    } while (!cursor.empty());
    return seen;
  };
  auto first = walk(7), again = walk(7), other = walk(912345);
  EXPECT_EQ(first, again) << "the same visitor sees the same order on every page";
  auto sorted = first;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, made) << "every proposal exactly once across the pages";
  EXPECT_NE(first, other) << "another seed, another order";
  EXPECT_NE(first, std::vector<std::int64_t>(made.rbegin(), made.rend())) << "not just newest";
}

TEST_P(ParticipationStoreTest, AnswersAreKeptAsHistoryAndTallied) {
  ProposalStore proposals(*db);
  AnswerStore answers(*db);
  auto a = *proposals.create(process_, {.title = "Rutsche", .body = "x"}, author_, kNow);
  auto b = *proposals.create(process_, {.title = "Bänke", .body = "y"}, author_, kNow);
  proposals.create(process_, {.title = "Schaukel", .body = "z"}, author_, kNow);
  EXPECT_EQ(answers.answer(a, AnswerState::accepted, " ", 10, author_, kNow).error().message,
            "participation_error_answer_text");
  EXPECT_EQ(answers.answer(a, AnswerState::none, "x", 0, author_, kNow).error().message,
            "participation_error_answer_state");
  EXPECT_EQ(answers.answer(a, AnswerState::accepted, "x", 101, author_, kNow).error().message,
            "participation_error_progress");
  ASSERT_TRUE(answers.answer(a, AnswerState::reviewing, "Wir prüfen die Kosten.", 0, author_, kNow));
  ASSERT_TRUE(answers.answer(a, AnswerState::accepted, "Wird gebaut.", 40, author_, kNow + 1));
  ASSERT_TRUE(answers.answer(b, AnswerState::implemented, "Steht.", 10, author_, kNow + 2));
  EXPECT_EQ(answers.answer(999999, AnswerState::rejected, "x", 0, author_, kNow).error().code,
            ErrorCode::not_found);
  auto history = answers.history(a);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].state, AnswerState::reviewing);
  EXPECT_EQ((*history)[1].progress, 40);
  EXPECT_EQ((*history)[1].author_name, "Amt Kemberg");
  EXPECT_EQ(proposals.find(a)->answer_state, AnswerState::accepted);
  EXPECT_EQ(proposals.find(a)->progress, 40);
  EXPECT_EQ(proposals.find(b)->progress, 100) << "implemented is complete";
  auto tally = answers.tally(process_);
  ASSERT_TRUE(tally);
  std::map<AnswerState, std::int64_t> counts(tally->begin(), tally->end());
  EXPECT_EQ(counts[AnswerState::none], 1);
  EXPECT_EQ(counts[AnswerState::accepted], 1);
  EXPECT_EQ(counts[AnswerState::implemented], 1);
  EXPECT_EQ(counts[AnswerState::rejected], 0);
}

TEST_P(ParticipationStoreTest, CommentsAreEditableByTheirAuthorsForFifteenMinutes) {
  auto proposal = *ProposalStore(*db).create(process_, {.title = "Rutsche", .body = "x"}, author_, kNow);
  auto other = create_account("bea@example.org", "Bea");
  CommentStore comments(*db);
  auto id = comments.create({process_, proposal}, std::nullopt, "Gut", author_, kNow);
  ASSERT_TRUE(id);
  EXPECT_EQ(comments.edit(*id, other, "Fremd", kNow + 60).error().code, ErrorCode::forbidden);
  ASSERT_TRUE(comments.edit(*id, author_, "Sehr gut", kNow + kCommentEditSeconds - 1));
  EXPECT_EQ(comments.edit(*id, author_, "Zu spät", kNow + kCommentEditSeconds + 1).error().code,
            ErrorCode::forbidden);
  auto listed = comments.list({process_, proposal});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->front().body, "Sehr gut");
  EXPECT_TRUE(listed->front().edited_at.has_value());
}

TEST_P(ParticipationStoreTest, TheProcessItselfHasItsOwnThreads) {
  ProposalStore proposals(*db);
  auto proposal = *proposals.create(process_, {.title = "Rutsche", .body = "x"}, author_, kNow);
  auto other_process = *ProcessStore(*db).create(playground(kemberg_), author_, kNow);
  auto elsewhere = *proposals.create(other_process, {.title = "Bank", .body = "y"}, author_, kNow);
  CommentStore comments(*db);
  auto on_proposal = comments.create({process_, proposal}, std::nullopt, "Zum Vorschlag", author_, kNow);
  ASSERT_TRUE(on_proposal);
  auto opening = comments.create({process_}, std::nullopt, "Zum Verfahren", author_, kNow);
  ASSERT_TRUE(opening) << opening.error().message;
  auto reply = comments.create({process_}, *opening, "Antwort", author_, kNow + 1);
  ASSERT_TRUE(reply);
  // A reply stays with what its parent is about; a proposal belongs to its own process.
  EXPECT_EQ(comments.create({process_}, *on_proposal, "quer", author_, kNow).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(comments.create({process_, proposal}, *opening, "quer", author_, kNow).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(comments.create({process_, elsewhere}, std::nullopt, "fremd", author_, kNow).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(comments.create({process_}, *reply, "tiefer", author_, kNow).error().message,
            "participation_error_reply_depth");

  auto on_process = comments.list({process_});
  ASSERT_TRUE(on_process);
  ASSERT_EQ(on_process->size(), 2u);
  EXPECT_EQ((*on_process)[0].body, "Zum Verfahren");
  EXPECT_FALSE((*on_process)[0].proposal_id.has_value());
  EXPECT_EQ((*on_process)[1].parent_id, *opening);
  EXPECT_EQ(comments.list({process_, proposal})->size(), 1u);
  EXPECT_EQ(comments.list_for_process(process_)->size(), 3u) << "the export has all";
  EXPECT_EQ(proposals.find(proposal)->comment_count, 1) << "only the proposal's own";
  // Deleting leaves a tombstone and does not touch any proposal's count.
  ASSERT_TRUE(comments.remove(*opening, author_, kNow + 2));
  EXPECT_TRUE(comments.find(*opening)->deleted_at.has_value());
  EXPECT_EQ(comments.find(*opening)->body, "");
  EXPECT_EQ(proposals.find(proposal)->comment_count, 1);
  auto activity_now = activity(*db, process_);
  ASSERT_TRUE(activity_now);
  std::int64_t counted = 0;
  for (const auto& bucket : activity_now->comments) counted += bucket.count;
  EXPECT_EQ(counted, 3) << "statistics count comments on the process too";
}

AH_INSTANTIATE_BACKEND_TEST(ParticipationStoreTest);

// Migration 5020 rebuilds the comments table on SQLite: existing comments keep their ids and
// threads (moderation and notifications name them by id) and a deleted id is never handed
// out again.
class CommentsMigrationTest : public db::testing::BackendTest {};

TEST_P(CommentsMigrationTest, ExistingCommentsKeepIdsThreadsAndTheIdHighWaterMark) {
  auto modules = testing::standard_modules(make_participation_module());
  std::vector<db::Migration> all = search::search_migrations(), before;
  for (const auto& m : modules)
    for (auto& migration : m->migrations()) all.push_back(std::move(migration));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  std::copy_if(all.begin(), all.end(), std::back_inserter(before),
               [](const db::Migration& m) { return m.version < 5020; });
  ASSERT_TRUE(db::migrate(*db, before));
  auto account = accounts::AccountStore(*db).create("a@example.org", "A", "x", kNow);
  ASSERT_TRUE(account);
  auto kemberg = db->query("SELECT id FROM organisations WHERE ags = '15091160'");
  ASSERT_TRUE(kemberg && !kemberg->rows.empty());
  // Rows as the schema of the time had them (today's stores write newer columns).
  auto made = db->query(
      "INSERT INTO processes (org_id, title, summary, body, topic, state, short_code, created_at,"
      " updated_at) VALUES ($1, 'Spielplatz', 'Ideen', '', '', 'published', 'abc234', $2, $2)"
      " RETURNING id",
      {db::Value{kemberg->rows[0].int64(0)}, db::Value{kNow}});
  ASSERT_TRUE(made) << made.error().message;
  const std::int64_t process_id = made->rows[0].int64(0);
  auto proposed = db->query(
      "INSERT INTO proposals (process_id, author_id, title, body, category, state, created_at,"
      " updated_at) VALUES ($1, $2, 'R', 'x', '', 'open', $3, $3) RETURNING id",
      {db::Value{process_id}, db::Value{*account}, db::Value{kNow}});
  ASSERT_TRUE(proposed) << proposed.error().message;
  const std::optional<std::int64_t> process = process_id;
  const std::optional<std::int64_t> proposal = proposed->rows[0].int64(0);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto row = db->query(
        "INSERT INTO comments (proposal_id, parent_id, author_id, body, created_at)"
        " VALUES ($1, $2, $3, $4, $5) RETURNING id",
        {db::Value{*proposal}, i == 1 ? db::Value{ids[0]} : db::Value{nullptr}, db::Value{*account},
         db::Value{"Kommentar " + std::to_string(i)}, db::Value{kNow + i}});
    ASSERT_TRUE(row) << row.error().message;
    ids.push_back(row->rows[0].int64(0));
  }
  ASSERT_TRUE(db->query("DELETE FROM comments WHERE id = $1", {db::Value{ids[2]}}));

  auto migrated = db::migrate(*db, all);
  ASSERT_TRUE(migrated) << migrated.error().message << " " << migrated.error().detail;
  CommentStore comments(*db);
  auto listed = comments.list({*process, *proposal});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, ids[0]);
  EXPECT_EQ((*listed)[0].process_id, *process);
  EXPECT_EQ((*listed)[1].id, ids[1]);
  EXPECT_EQ((*listed)[1].parent_id, ids[0]);
  auto fresh = comments.create({*process}, std::nullopt, "Neu", *account, kNow + 10);
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_GT(*fresh, ids[2]) << "the deleted comment's id is not reused";
  // Deleting the proposal still takes its comments along (the foreign keys survived).
  ASSERT_TRUE(db->query("DELETE FROM proposals WHERE id = $1", {db::Value{*proposal}}));
  EXPECT_EQ(comments.list_for_process(*process)->size(), 1u);
}

AH_INSTANTIATE_BACKEND_TEST(CommentsMigrationTest);

}  // namespace
}  // namespace ah::modules::participation
