// Working groups, memberships, threads and posts in the database, on SQLite and PostgreSQL.
#include "modules/groups/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/groups/module.h"
#include "modules/testing/harness.h"

namespace ah::modules::groups {
namespace {

constexpr std::int64_t kNow = 1796116800;  // 2026-12-01T09:20:00Z

class GroupStoreTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_groups_module()));
    owner_ = create_account("owner@land.example", "Olga Owner");
    anna_ = create_account("anna@kemberg.example", "Anna Amt");
    ben_ = create_account("ben@wittenberg.example", "Ben Bau");
    auto id = GroupStore(*db).create({.name = "AG Digitales",
                                      .description = "Wir digitalisieren **gemeinsam**.",
                                      .visibility = Visibility::internal,
                                      .joining = Joining::open},
                                     owner_, kNow);
    ASSERT_TRUE(id) << id.error().message;
    group_ = *id;
  }

  authz::SpaceRole role(std::int64_t who, std::int64_t group) {
    auto r = authz::SpaceRoleStore(*db).role_in(kSpaceKind, group, who);
    EXPECT_TRUE(r);
    return r ? *r : authz::SpaceRole::none;
  }

  std::vector<std::string> names(const GroupFilter& filter) {
    std::vector<std::string> out;
    std::string cursor;
    do {
      auto page = GroupStore(*db).list(filter, cursor, 2);
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& g : page->items) out.push_back(g.name);
      cursor = page->next_cursor;
    } while (!cursor.empty());
    return out;
  }

  std::int64_t owner_ = 0, anna_ = 0, ben_ = 0, group_ = 0;
};

TEST_P(GroupStoreTest, TheFounderOwnsTheGroup) {
  EXPECT_EQ(role(owner_, group_), authz::SpaceRole::owner);
  auto g = GroupStore(*db).find(group_);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->name, "AG Digitales");
  EXPECT_EQ(g->visibility, Visibility::internal);
  EXPECT_EQ(g->member_count, 1);
  EXPECT_EQ(GroupStore(*db).find(group_ + 100).error().code, ErrorCode::not_found);
}

TEST_P(GroupStoreTest, InvalidGroupsAreRefusedWithTheFieldsKey) {
  auto none = GroupStore(*db).create({.name = "  ", .description = "x"}, owner_, kNow);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "groups_error_name");
  auto errors = validate(NewGroup{.name = std::string(kMaxName + 1, 'a'), .description = ""});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], (std::pair<std::string, std::string>{"name", "groups_error_name_long"}));
  EXPECT_EQ(errors[1].first, "description");
}

TEST_P(GroupStoreTest, OpenGroupsTakeMembersAtOnceOthersOnRequest) {
  GroupStore store(*db);
  auto joined = store.join(group_, anna_, "", kNow);
  ASSERT_TRUE(joined);
  EXPECT_EQ(*joined, JoinResult::member);
  EXPECT_EQ(role(anna_, group_), authz::SpaceRole::member);
  EXPECT_EQ(store.join(group_, anna_, "", kNow).error().message, kAlreadyMember);

  auto closed = store.create({.name = "AG Vergabe",
                              .description = "Vergaberecht",
                              .visibility = Visibility::closed,
                              .joining = Joining::on_request},
                             owner_, kNow);
  ASSERT_TRUE(closed);
  auto asked = store.join(*closed, ben_, "Ich mache Vergaben in Wittenberg.", kNow);
  ASSERT_TRUE(asked);
  EXPECT_EQ(*asked, JoinResult::requested);
  EXPECT_EQ(role(ben_, *closed), authz::SpaceRole::none);
  EXPECT_EQ(store.join(*closed, ben_, "", kNow).error().message, kAlreadyRequested);
  auto requests = store.requests(*closed);
  ASSERT_TRUE(requests);
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ((*requests)[0].message, "Ich mache Vergaben in Wittenberg.");
  EXPECT_EQ((*requests)[0].display_name, "Ben Bau");

  ASSERT_TRUE(store.decide(*closed, ben_, true, kNow));
  EXPECT_EQ(role(ben_, *closed), authz::SpaceRole::member);
  EXPECT_FALSE(*store.has_requested(*closed, ben_));
  EXPECT_EQ(store.decide(*closed, ben_, true, kNow).error().code, ErrorCode::not_found);

  ASSERT_TRUE(store.join(*closed, anna_, "", kNow));
  ASSERT_TRUE(store.decide(*closed, anna_, false, kNow));
  EXPECT_EQ(role(anna_, *closed), authz::SpaceRole::none);
  EXPECT_FALSE(*store.has_requested(*closed, anna_));
}

TEST_P(GroupStoreTest, TheLastOwnerCannotLeaveOthersCan) {
  GroupStore store(*db);
  ASSERT_TRUE(store.join(group_, anna_, "", kNow));
  auto refused = store.leave(group_, owner_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_EQ(refused.error().message, kLastOwner);
  EXPECT_EQ(role(owner_, group_), authz::SpaceRole::owner);

  ASSERT_TRUE(store.leave(group_, anna_));
  EXPECT_EQ(role(anna_, group_), authz::SpaceRole::none);
  EXPECT_EQ(store.leave(group_, anna_).error().code, ErrorCode::not_found);

  // With a second owner, the first may go.
  ASSERT_TRUE(
      authz::SpaceRoleStore(*db).grant(kSpaceKind, group_, ben_, authz::SpaceRole::owner, kNow));
  ASSERT_TRUE(store.leave(group_, owner_));
  EXPECT_EQ(store.leave(group_, ben_).error().message, kLastOwner);
}

// Two owners leaving at the same moment: the group's row lock lets one pass the
// last-owner check, never both, on either backend.
TEST_P(GroupStoreTest, TwoOwnersLeavingAtOnceLeaveOneOwner) {
  for (int round = 0; round < 10; ++round) {
    auto group = GroupStore(*db).create(
        {.name = "AG " + std::to_string(round), .description = "Runde"}, owner_, kNow);
    ASSERT_TRUE(group);
    ASSERT_TRUE(
        authz::SpaceRoleStore(*db).grant(kSpaceKind, *group, anna_, authz::SpaceRole::owner, kNow));
    std::atomic<int> left{0};
    std::vector<std::thread> people;
    for (auto who : {owner_, anna_})
      people.emplace_back([&, who] {
        if (GroupStore(*db).leave(*group, who)) ++left;
      });
    for (auto& t : people) t.join();
    EXPECT_EQ(left.load(), 1);
    EXPECT_EQ(db::testing::scalar(*db,
                                  "SELECT COUNT(*) FROM space_roles WHERE space_kind = 'group'"
                                  " AND space_id = $1 AND role = 'owner'",
                                  {db::Value{*group}}),
              1);
  }
}

TEST_P(GroupStoreTest, MembersAreListedWithTheirOrganisations) {
  authz::MembershipStore orgs(*db);
  ASSERT_TRUE(orgs.put(org_id("15091160"), anna_, authz::OrgRole::member, kNow));
  ASSERT_TRUE(orgs.put(org_id("15"), anna_, authz::OrgRole::member, kNow));
  ASSERT_TRUE(orgs.request(org_id("15091375"), anna_, kNow));  // not active: not shown
  ASSERT_TRUE(GroupStore(*db).join(group_, anna_, "", kNow));
  auto members = GroupStore(*db).members(group_);
  ASSERT_TRUE(members);
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].role, authz::SpaceRole::owner) << "owners first";
  EXPECT_EQ((*members)[1].display_name, "Anna Amt");
  EXPECT_EQ((*members)[1].organisations,
            (std::vector<std::string>{"Kemberg, Stadt", "Land Sachsen-Anhalt"}));
}

TEST_P(GroupStoreTest, TheDirectoryShowsWhatAReaderMaySeeByNameAndSearches) {
  GroupStore store(*db);
  for (auto [name, visibility] : {std::pair{"Öffentliche AG Radwege", Visibility::open},
                                  std::pair{"Geschlossene AG Haushalt", Visibility::closed},
                                  std::pair{"Arbeitskreis Schulen", Visibility::open}}) {
    ASSERT_TRUE(store.create(
        {.name = name, .description = "Über " + std::string(name), .visibility = visibility},
        owner_, kNow));
  }
  // Anonymous: the public ones, by name with umlauts folded (Ö sorts as O).
  EXPECT_EQ(names({}),
            (std::vector<std::string>{"Arbeitskreis Schulen", "Öffentliche AG Radwege"}));
  // Staff: internal ones too.
  EXPECT_EQ(
      names({.reader = anna_, .internal = true}),
      (std::vector<std::string>{"AG Digitales", "Arbeitskreis Schulen", "Öffentliche AG Radwege"}));
  // Members also see their closed groups.
  EXPECT_EQ(names({.reader = owner_}),
            (std::vector<std::string>{"AG Digitales", "Arbeitskreis Schulen",
                                      "Geschlossene AG Haushalt", "Öffentliche AG Radwege"}));
  // Search: German stems, and never a closed group for an outsider.
  EXPECT_EQ(names({.text = "Radweg"}), (std::vector<std::string>{"Öffentliche AG Radwege"}));
  EXPECT_TRUE(names({.reader = anna_, .internal = true, .text = "Haushalt"}).empty());
  EXPECT_EQ(names({.reader = owner_, .text = "Haushalt"}),
            (std::vector<std::string>{"Geschlossene AG Haushalt"}));
  EXPECT_EQ(store.list({}, "kaputt", 10).error().code, ErrorCode::invalid_input);
}

TEST_P(GroupStoreTest, PostsArePagedByIdAndCountedWithTheirThread) {
  ThreadStore threads(*db);
  auto thread = threads.create(group_, "Erste Schritte", "Hallo alle", owner_, kNow);
  ASSERT_TRUE(thread) << thread.error().message;
  ASSERT_TRUE(GroupStore(*db).join(group_, anna_, "", kNow));
  std::vector<std::int64_t> written;
  for (int i = 0; i < 7; ++i) {
    auto post = threads.reply(*thread, "Antwort " + std::to_string(i), i % 2 ? anna_ : owner_,
                              kNow + i + 1);
    ASSERT_TRUE(post);
    written.push_back(*post);
  }
  auto t = threads.find(*thread, anna_);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->post_count, 8);
  EXPECT_EQ(t->last_post_id, written.back());
  EXPECT_EQ(t->last_post_at, kNow + 7);
  // Pages of three: every post once, in order, whatever the page size.
  std::vector<std::int64_t> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = threads.posts(*thread, cursor, 3);
    ASSERT_TRUE(page);
    for (const auto& p : page->items) seen.push_back(p.id);
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 8u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::vector<std::int64_t>(seen.begin() + 1, seen.end()), written);
  // Starting after a post (a reader's marker) shows what follows it.
  auto rest = threads.posts(*thread, ThreadStore::after_cursor(written[4]), 50);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->items.size(), 2u);
  EXPECT_EQ(rest->items[0].id, written[5]);
  EXPECT_EQ(threads.reply(*thread, "   ", anna_, kNow).error().message, "groups_error_post");
  EXPECT_EQ(threads.reply(*thread + 99, "Hallo", anna_, kNow).error().code, ErrorCode::not_found);
}

// A long thread: every page is one range of the (thread_id, id) index, so page 100 costs
// what page 1 does (the plan is checked on SQLite, where it is deterministic; timings are
// for benchmarks, not tests), and paging meets every post exactly once.
TEST_P(GroupStoreTest, FiveThousandPostsArePagedThroughTheThreadsIndex) {
  ThreadStore threads(*db);
  auto thread = threads.create(group_, "Langes Thema", "Beitrag 0", owner_, kNow);
  ASSERT_TRUE(thread);
  ASSERT_TRUE(db->transaction([&](db::Connection& tx) -> Status {
    for (int i = 1; i < 5000; ++i)
      AH_TRY_STATUS(
          tx.query("INSERT INTO group_posts (thread_id, author_id, body, created_at)"
                   " VALUES ($1, $2, $3, $4)",
                   {db::Value{*thread}, db::Value{owner_},
                    db::Value{"Beitrag " + std::to_string(i)}, db::Value{kNow + i}}));
    return {};
  }));
  std::int64_t seen = 0, last = 0;
  int pages = 0;
  std::string cursor;
  do {
    auto page = threads.posts(*thread, cursor, 50);
    ASSERT_TRUE(page);
    for (const auto& p : page->items) {
      EXPECT_GT(p.id, last);
      last = p.id;
      ++seen;
    }
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(seen, 5000);
  EXPECT_EQ(pages, 100);
  if (backend() == db::Backend::sqlite) {
    auto plan = db->query(
        "EXPLAIN QUERY PLAN SELECT p.id, p.thread_id, p.author_id, a.display_name, p.body,"
        " p.created_at FROM group_posts p LEFT JOIN accounts a ON a.id = p.author_id"
        " WHERE p.thread_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3",
        {db::Value{*thread}, db::Value{last - 100}, db::Value{std::int64_t{51}}});
    ASSERT_TRUE(plan);
    std::string text;
    for (const auto& row : plan->rows) text += row.text(3) + "\n";
    EXPECT_NE(text.find("USING INDEX group_posts_thread"), std::string::npos) << text;
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;
  }
}

TEST_P(GroupStoreTest, ReadMarkersOnlyMoveForwardAndWritingCountsAsRead) {
  ThreadStore threads(*db);
  auto thread = threads.create(group_, "Thema", "Erster Beitrag", owner_, kNow);
  ASSERT_TRUE(thread);
  auto second = threads.reply(*thread, "Zweiter", anna_, kNow + 1);
  auto third = threads.reply(*thread, "Dritter", owner_, kNow + 2);
  ASSERT_TRUE(second && third);
  EXPECT_FALSE(threads.find(*thread, owner_)->unread()) << "the author read what they wrote";
  auto for_anna = threads.find(*thread, anna_);
  EXPECT_EQ(for_anna->last_read, *second);
  EXPECT_TRUE(for_anna->unread());
  ASSERT_TRUE(threads.mark_read(*thread, anna_, *third));
  EXPECT_FALSE(threads.find(*thread, anna_)->unread());
  ASSERT_TRUE(threads.mark_read(*thread, anna_, *second));
  EXPECT_EQ(threads.find(*thread, anna_)->last_read, *third) << "never back";
  EXPECT_TRUE(threads.find(*thread, ben_)->unread()) << "ben read nothing";
  auto listed = threads.list(group_, ben_, "", 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_TRUE(listed->items[0].unread());
}

TEST_P(GroupStoreTest, ThreadsAreListedMostRecentlyActiveFirst) {
  ThreadStore threads(*db);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto t = threads.create(group_, "Thema " + std::to_string(i), "Text", owner_, kNow + i);
    ASSERT_TRUE(t);
    ids.push_back(*t);
  }
  ASSERT_TRUE(threads.reply(ids[1], "wieder aktuell", owner_, kNow + 100));
  std::vector<std::int64_t> order;
  std::string cursor;
  do {
    auto page = threads.list(group_, 0, cursor, 2);
    ASSERT_TRUE(page);
    for (const auto& t : page->items) order.push_back(t.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(order, (std::vector<std::int64_t>{ids[1], ids[4], ids[3], ids[2], ids[0]}));
}

TEST_P(GroupStoreTest, SubscribersAreToldOnlyWhileTheyAreMembers) {
  ThreadStore threads(*db);
  ASSERT_TRUE(GroupStore(*db).join(group_, anna_, "", kNow));
  ASSERT_TRUE(GroupStore(*db).join(group_, ben_, "", kNow));
  auto thread = threads.create(group_, "Thema", "Text", owner_, kNow);
  ASSERT_TRUE(thread);
  ASSERT_TRUE(threads.subscribe(*thread, anna_, true, kNow));
  ASSERT_TRUE(threads.subscribe(*thread, anna_, true, kNow)) << "twice is once";
  ASSERT_TRUE(threads.subscribe(*thread, ben_, true, kNow));
  auto told = [&](std::int64_t except) {
    std::vector<std::int64_t> out;
    EXPECT_TRUE(db->transaction([&](db::Connection& tx) -> Status {
      AH_TRY(ids, ThreadStore::subscribers(tx, *thread, except));
      out = ids;
      return {};
    }));
    return out;
  };
  EXPECT_EQ(told(anna_), (std::vector<std::int64_t>{owner_, ben_}));
  ASSERT_TRUE(threads.subscribe(*thread, ben_, false, kNow));
  EXPECT_FALSE(*threads.subscribed(*thread, ben_));
  EXPECT_EQ(told(owner_), (std::vector<std::int64_t>{anna_}));
  // Leaving ends the subscriptions in the group's threads.
  ASSERT_TRUE(GroupStore(*db).leave(group_, anna_));
  EXPECT_FALSE(*threads.subscribed(*thread, anna_));
  EXPECT_TRUE(told(owner_).empty());
}

TEST_P(GroupStoreTest, ErasureKeepsPostsAndHandsOwnershipOn) {
  GroupStore store(*db);
  ASSERT_TRUE(store.join(group_, anna_, "", kNow));
  ASSERT_TRUE(store.join(group_, ben_, "", kNow + 5));
  ASSERT_TRUE(authz::SpaceRoleStore(*db).grant(kSpaceKind, group_, ben_,
                                               authz::SpaceRole::moderator, kNow + 5));
  ThreadStore threads(*db);
  auto thread = threads.create(group_, "Thema", "Vom Owner", owner_, kNow);
  ASSERT_TRUE(thread);
  ASSERT_TRUE(store.hand_over_ownership(owner_));
  EXPECT_EQ(role(ben_, group_), authz::SpaceRole::owner) << "the moderator before members";
  ASSERT_TRUE(store.hand_over_ownership(owner_)) << "idempotent";
  EXPECT_EQ(role(anna_, group_), authz::SpaceRole::member);
  ASSERT_TRUE(db->query("DELETE FROM accounts WHERE id = $1", {db::Value{owner_}}));
  auto posts = threads.posts(*thread, "", 10);
  ASSERT_TRUE(posts);
  ASSERT_EQ(posts->items.size(), 1u);
  EXPECT_EQ(posts->items[0].body, "Vom Owner");
  EXPECT_FALSE(posts->items[0].author_name);
  EXPECT_FALSE(threads.find(*thread)->author_name);
}

AH_INSTANTIATE_BACKEND_TEST(GroupStoreTest);

}  // namespace
}  // namespace ah::modules::groups
