// Drafts and their versions in the database, on SQLite and PostgreSQL: every save a new
// version, optimistic locking (also under concurrency), freezing by a decision.
#include "modules/groups/drafts/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/groups/drafts/module.h"
#include "modules/groups/module.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"

namespace ah::modules::groups::drafts {
namespace {

constexpr std::int64_t kNow = 1796116800;  // 2026-12-01T09:20:00Z

class DraftStoreTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto modules = testing::standard_modules(make_groups_module());
    modules.push_back(make_drafts_module());
    start(*db, scratch_dir(), std::move(modules));
    anna_ = create_account("anna@kemberg.example", "Anna Amt");
    ben_ = create_account("ben@land.example", "Ben Bau");
    auto group = GroupStore(*db).create({.name = "AG Digitales", .description = "Worum es geht"},
                                        anna_, kNow);
    ASSERT_TRUE(group);
    group_ = *group;
    ASSERT_TRUE(GroupStore(*db).join(group_, ben_, "", kNow));
    auto draft = DraftStore(*db).create(group_, "Leitfaden", "# Leitfaden\n\nErste Fassung.",
                                        "Anfang", anna_, kNow);
    ASSERT_TRUE(draft) << draft.error().message;
    draft_ = *draft;
  }

  std::int64_t versions() {
    return db::testing::scalar(*db, "SELECT COUNT(*) FROM group_draft_versions WHERE draft_id = $1",
                               {db::Value{draft_}});
  }

  std::int64_t anna_ = 0, ben_ = 0, group_ = 0, draft_ = 0;
};

TEST_P(DraftStoreTest, ADraftStartsWithItsFirstVersion) {
  DraftStore store(*db);
  auto d = store.find(draft_);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->title, "Leitfaden");
  EXPECT_EQ(d->current_version, 1);
  EXPECT_FALSE(d->frozen);
  auto v = store.version(draft_, 1);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->body, "# Leitfaden\n\nErste Fassung.");
  EXPECT_EQ(v->note, "Anfang");
  EXPECT_EQ(v->author_name, "Anna Amt");
  EXPECT_EQ(store.version(draft_, 2).error().code, ErrorCode::not_found);
  EXPECT_EQ(store.find(draft_ + 100).error().code, ErrorCode::not_found);
  EXPECT_EQ(store.create(group_, " ", "Text", "", anna_, kNow).error().message,
            "drafts_error_title");
  EXPECT_EQ(store.create(group_, "T", "", "", anna_, kNow).error().message, "drafts_error_body");
  EXPECT_EQ(store.create(group_, "T", "x", std::string(kMaxNote + 1, 'n'), anna_, kNow)
                .error()
                .message,
            "drafts_error_note_long");
}

TEST_P(DraftStoreTest, EverySaveIsANewVersionAndNothingIsOverwritten) {
  DraftStore store(*db);
  auto second = store.save(draft_, {.base_version = 1, .body = "Zweite", .note = "kürzer"}, ben_,
                           kNow + 60);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->landed);
  EXPECT_EQ(second->current.number, 2);
  EXPECT_EQ(second->current.author_name, "Ben Bau");
  auto third = store.save(draft_, {.base_version = 2, .body = "Dritte", .note = ""}, anna_,
                          kNow + 120);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->current.number, 3);
  EXPECT_EQ(store.version(draft_, 1)->body, "# Leitfaden\n\nErste Fassung.");
  EXPECT_EQ(store.version(draft_, 2)->body, "Zweite");
  EXPECT_EQ(store.find(draft_)->current_version, 3);
  EXPECT_EQ(store.find(draft_)->updated_at, kNow + 120);
  EXPECT_EQ(store.save(draft_ + 100, {.base_version = 1, .body = "x"}, anna_, kNow).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(store.save(draft_, {.base_version = 3, .body = " \n"}, anna_, kNow).error().code,
            ErrorCode::invalid_input);
  EXPECT_EQ(versions(), 3);

  // Newest first, in pages, with the authors' organisations.
  ASSERT_TRUE(authz::MembershipStore(*db).put(org_id("15091160"), anna_, authz::OrgRole::member,
                                              kNow));
  auto page = store.versions(draft_, "", 2);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].number, 3);
  EXPECT_EQ(page->items[0].organisations, (std::vector<std::string>{"Kemberg, Stadt"}));
  EXPECT_TRUE(page->items[1].organisations.empty());
  EXPECT_TRUE(page->items[0].body.empty()) << "lists carry no bodies";
  auto rest = store.versions(draft_, page->next_cursor, 2);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].number, 1);
  EXPECT_TRUE(rest->next_cursor.empty());
}

TEST_P(DraftStoreTest, ASaveOnAnOldVersionIsRefusedWithTheCurrentOne) {
  DraftStore store(*db);
  ASSERT_TRUE(store.save(draft_, {.base_version = 1, .body = "Bens Fassung"}, ben_, kNow));
  auto stale = store.save(draft_, {.base_version = 1, .body = "Annas Fassung"}, anna_, kNow);
  ASSERT_TRUE(stale) << stale.error().message;
  EXPECT_FALSE(stale->landed);
  EXPECT_EQ(stale->current.number, 2);
  EXPECT_EQ(stale->current.body, "Bens Fassung");
  EXPECT_EQ(versions(), 2);
  // Saving anyway, on top of theirs, is a save on the version now current.
  auto anyway = store.save(draft_, {.base_version = 2, .body = "Annas Fassung"}, anna_, kNow);
  ASSERT_TRUE(anyway);
  EXPECT_TRUE(anyway->landed);
  EXPECT_EQ(anyway->current.number, 3);
}

// Two people save on the same version at the same moment: exactly one lands, the other is
// refused with the winner's version, and no version is lost — on both backends, where
// PostgreSQL's read-committed transactions both pass the check and UNIQUE decides.
TEST_P(DraftStoreTest, ConcurrentSavesOnOneBaseLetExactlyOneWin) {
  for (int round = 0; round < 8; ++round) {
    auto draft = DraftStore(*db).create(group_, "Runde " + std::to_string(round), "Anfang", "",
                                        anna_, kNow);
    ASSERT_TRUE(draft);
    std::atomic<int> landed{0}, refused{0}, failed{0};
    std::atomic<std::int64_t> refused_with{0};
    std::vector<std::thread> people;
    for (auto who : {anna_, ben_})
      people.emplace_back([&, who] {
        auto saved = DraftStore(*db).save(
            *draft, {.base_version = 1, .body = "Fassung von " + std::to_string(who)}, who, kNow);
        if (!saved) {
          ++failed;
        } else if (saved->landed) {
          ++landed;
        } else {
          ++refused;
          refused_with = saved->current.number;
        }
      });
    for (auto& t : people) t.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(landed.load(), 1);
    EXPECT_EQ(refused.load(), 1);
    EXPECT_EQ(refused_with.load(), 2);
    EXPECT_EQ(db::testing::scalar(*db,
                                  "SELECT COUNT(*) FROM group_draft_versions WHERE draft_id = $1",
                                  {db::Value{*draft}}),
              2);
    EXPECT_EQ(DraftStore(*db).find(*draft)->current_version, 2);
  }
}

TEST_P(DraftStoreTest, AFrozenDraftRefusesSavesAndNamesItsDecision) {
  DraftStore store(*db);
  constexpr std::int64_t kDecision = 4711;  // the decisions module's id; any number here
  ASSERT_TRUE(db->transaction(
      [&](db::Connection& tx) { return DraftStore::freeze(tx, draft_, kDecision, kNow + 5); }));
  auto d = store.find(draft_);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->frozen);
  EXPECT_EQ(d->frozen_by_decision_id, kDecision);
  EXPECT_EQ(d->frozen_at, kNow + 5);
  auto refused = store.save(draft_, {.base_version = 1, .body = "Nachträglich"}, anna_, kNow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_EQ(refused.error().message, kFrozen);
  EXPECT_EQ(versions(), 1);
  // The same decision again changes nothing; another one cannot re-freeze it.
  EXPECT_TRUE(db->transaction(
      [&](db::Connection& tx) { return DraftStore::freeze(tx, draft_, kDecision, kNow + 9); }));
  EXPECT_EQ(store.find(draft_)->frozen_at, kNow + 5);
  auto other = db->transaction(
      [&](db::Connection& tx) { return DraftStore::freeze(tx, draft_, kDecision + 1, kNow); });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().message, kFrozen);
  auto missing = db->transaction(
      [&](db::Connection& tx) { return DraftStore::freeze(tx, draft_ + 100, kDecision, kNow); });
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  // A freeze rolled back with the decision's transaction leaves the draft open.
  auto second = store.create(group_, "Zweiter", "Text", "", anna_, kNow);
  ASSERT_TRUE(second);
  auto rolled_back = db->transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(DraftStore::freeze(tx, *second, kDecision, kNow));
    return fail(ErrorCode::invalid_input, "the decision failed");
  });
  EXPECT_FALSE(rolled_back);
  EXPECT_FALSE(store.find(*second)->frozen);
}

TEST_P(DraftStoreTest, DraftsAreListedMostRecentlyChangedFirst) {
  DraftStore store(*db);
  auto second = store.create(group_, "Zweiter", "Text", "", anna_, kNow + 10);
  ASSERT_TRUE(second);
  ASSERT_TRUE(store.save(draft_, {.base_version = 1, .body = "neu"}, anna_, kNow + 20));
  auto first = store.list(group_, "", 1);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 1u);
  EXPECT_EQ(first->items[0].id, draft_);
  auto rest = store.list(group_, first->next_cursor, 1);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].id, *second);
  EXPECT_TRUE(rest->next_cursor.empty());
  EXPECT_EQ(store.list(group_, "kaputt", 1).error().code, ErrorCode::invalid_input);
}

TEST_P(DraftStoreTest, EditorsAreThoseWhoWroteVersionsAndAreStillMembers) {
  DraftStore store(*db);
  auto carl = create_account("carl@example.org", "Carl");
  ASSERT_TRUE(GroupStore(*db).join(group_, carl, "", kNow));
  ASSERT_TRUE(store.save(draft_, {.base_version = 1, .body = "Ben"}, ben_, kNow));
  ASSERT_TRUE(store.save(draft_, {.base_version = 2, .body = "Carl"}, carl, kNow));
  ASSERT_TRUE(GroupStore(*db).leave(group_, carl));
  auto editors = db->transaction([&](db::Connection& tx) {
    return DraftStore::editors(tx, draft_, ben_);
  });
  ASSERT_TRUE(editors);
  EXPECT_EQ(*editors, (std::vector<std::int64_t>{anna_}));
}

// An erased account's versions stay, with no author ("gelöschtes Konto" on the pages).
TEST_P(DraftStoreTest, AnErasedAuthorsVersionsStayWithoutAName) {
  ASSERT_TRUE(DraftStore(*db).save(draft_, {.base_version = 1, .body = "Bens Text"}, ben_, kNow));
  ASSERT_TRUE(db->query("DELETE FROM accounts WHERE id = $1", {db::Value{ben_}}));
  auto v = DraftStore(*db).version(draft_, 2);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->body, "Bens Text");
  EXPECT_FALSE(v->author_id);
  EXPECT_FALSE(v->author_name);
  EXPECT_EQ(versions(), 2);
}

AH_INSTANTIATE_BACKEND_TEST(DraftStoreTest);

}  // namespace
}  // namespace ah::modules::groups::drafts
