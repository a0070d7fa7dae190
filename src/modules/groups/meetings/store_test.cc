// Meetings and calendar tokens in the database, on SQLite and PostgreSQL.
#include "modules/groups/meetings/store.h"

#include <gtest/gtest.h>

#include "db/test_database.h"
#include "modules/groups/meetings/module.h"
#include "modules/groups/module.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"
#include "web/format.h"

namespace ah::modules::meetings {
namespace {

constexpr std::int64_t kNow = 1796116800;  // 2026-12-01T09:20:00Z

std::int64_t berlin(const char* date, const char* time) {
  auto t = web::berlin_local_time(date, time);
  EXPECT_TRUE(t) << date << " " << time;
  return t.value_or(0);
}

class MeetingStoreTest : public db::testing::BackendTest, public modules::testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto modules = modules::testing::standard_modules(make_groups_module());
    modules.push_back(make_meetings_module());
    start(*db, scratch_dir(), std::move(modules));
    owner_ = create_account("owner@land.example", "Olga Owner");
    anna_ = create_account("anna@kemberg.example", "Anna Amt");
    outsider_ = create_account("out@example.org", "Otto Out");
    groups::GroupStore groups(*db);
    auto id = groups.create({.name = "AG Digitales", .description = "x"}, owner_, kNow);
    ASSERT_TRUE(id);
    group_ = *id;
    auto other = groups.create({.name = "AG Radwege", .description = "y"}, outsider_, kNow);
    ASSERT_TRUE(other);
    other_ = *other;
    ASSERT_TRUE(groups.join(group_, anna_, "", kNow));
  }

  MeetingInput meeting(const char* title, std::int64_t start, std::int64_t hours = 2) {
    return {
        .title = title, .starts_at = start, .ends_at = start + hours * 3600, .place = "Magdeburg"};
  }

  std::int64_t owner_ = 0, anna_ = 0, outsider_ = 0, group_ = 0, other_ = 0;
};

TEST_P(MeetingStoreTest, MeetingsOnBothSummerTimeSwitchesKeepTheirInstants) {
  MeetingStore store(*db);
  // The last Sunday of March 2026 (29th) and of October 2026 (25th), 10:00–12:00 Berlin.
  auto march = store.create(group_, meeting("März", berlin("2026-03-29", "10:00")), owner_, kNow);
  auto october =
      store.create(group_, meeting("Oktober", berlin("2026-10-25", "10:00")), owner_, kNow);
  ASSERT_TRUE(march && october);
  auto m = store.find(*march);
  auto o = store.find(*october);
  ASSERT_TRUE(m && o);
  EXPECT_EQ(m->starts_at, 1774742400 + 8 * 3600) << "10:00 CEST is 08:00 UTC";
  EXPECT_EQ(o->starts_at, 1792886400 + 9 * 3600) << "10:00 CET is 09:00 UTC";
  EXPECT_EQ(web::berlin_time_value(m->starts_at), "10:00");
  EXPECT_EQ(web::berlin_time_value(o->ends_at), "12:00");
  // A meeting across the October switch: 01:00–04:00 Berlin lasts four hours.
  auto night = berlin("2026-10-25", "01:00");
  EXPECT_EQ(berlin("2026-10-25", "04:00") - night, 4 * 3600);
}

TEST_P(MeetingStoreTest, ValidationRefusesWhatCannotBeAMeeting) {
  auto keys = [](const MeetingInput& m) {
    std::vector<std::string> out;
    for (const auto& [field, key] : validate(m)) out.push_back(field + ":" + key);
    return out;
  };
  auto ok = meeting("Treffen", kNow);
  EXPECT_TRUE(keys(ok).empty());
  auto bad = ok;
  bad.title = "  ";
  bad.ends_at = bad.starts_at;
  bad.place = "";
  bad.video_url = "http://meet.example.org/x";
  EXPECT_EQ(keys(bad), (std::vector<std::string>{"title:meetings_error_title",
                                                 "end_time:meetings_error_end_before_start",
                                                 "video_url:meetings_error_video_url"}));
  bad.video_url = "";
  EXPECT_EQ(keys(bad).at(2), "place:meetings_error_place") << "neither place nor video link";
  auto video_only = ok;
  video_only.place = "";
  video_only.video_url = "https://meet.example.org/ag?room=1";
  EXPECT_TRUE(keys(video_only).empty()) << "a video link alone is a place";
  for (const char* url : {"https://", "https:// x.org", "javascript:alert(1)",
                          "https://a.org/\"onmouseover", "https://user@evil.org/"})
    EXPECT_FALSE(valid_video_url(url)) << url;
  EXPECT_TRUE(valid_video_url("https://meet.example.org/room-1"));
  auto too_long = ok;
  too_long.ends_at = too_long.starts_at + 8 * 86400;
  EXPECT_EQ(keys(too_long), std::vector<std::string>{"end_time:meetings_error_too_long"});
  auto created = MeetingStore(*db).create(group_, bad, owner_, kNow);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM group_meetings"), 0);
}

TEST_P(MeetingStoreTest, UpcomingSoonestFirstPastLatestFirst) {
  MeetingStore store(*db);
  for (auto [title, offset] : {std::pair{"later", 3 * 86400},
                               {"soon", 86400},
                               {"long ago", -10 * 86400},
                               {"yesterday", -86400}}) {
    ASSERT_TRUE(store.create(group_, meeting(title, kNow + offset), owner_, kNow));
  }
  // Running now: started an hour ago, ends in an hour — still upcoming.
  ASSERT_TRUE(store.create(group_, meeting("running", kNow - 3600), owner_, kNow));
  ASSERT_TRUE(store.create(other_, meeting("other group", kNow + 3600), outsider_, kNow));
  auto titles = [](const Result<std::vector<Meeting>>& list) {
    std::vector<std::string> out;
    if (list)
      for (const auto& m : *list) out.push_back(m.title);
    return out;
  };
  EXPECT_EQ(titles(store.upcoming(group_, kNow, 10)),
            (std::vector<std::string>{"running", "soon", "later"}));
  EXPECT_EQ(titles(store.past(group_, kNow, 10)),
            (std::vector<std::string>{"yesterday", "long ago"}));
  EXPECT_EQ(titles(store.upcoming(group_, kNow, 1)), std::vector<std::string>{"running"});
}

TEST_P(MeetingStoreTest, UpdatesRaiseTheSequenceAndSeeTheMeetingAsItWas) {
  MeetingStore store(*db);
  auto id = store.create(group_, meeting("Treffen", kNow + 86400), owner_, kNow);
  ASSERT_TRUE(id);
  auto changed = meeting("Treffen", kNow + 2 * 86400);
  changed.minutes = "Alles **besprochen**";
  std::int64_t seen_start = 0;
  ASSERT_TRUE(store.update(*id, changed, kNow + 60, [&](db::Connection&, const Meeting& before) {
    seen_start = before.starts_at;
    return Status{};
  }));
  EXPECT_EQ(seen_start, kNow + 86400);
  auto m = store.find(*id);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->sequence, 1);
  EXPECT_EQ(m->starts_at, kNow + 2 * 86400);
  EXPECT_EQ(m->minutes, "Alles **besprochen**");
  EXPECT_EQ(m->updated_at, kNow + 60);
  // A failing step rolls the update back.
  changed.title = "Nie gespeichert";
  EXPECT_FALSE(store.update(*id, changed, kNow + 120, [](db::Connection&, const Meeting&) {
    return Status{fail(ErrorCode::internal, "boom")};
  }));
  EXPECT_EQ(store.find(*id)->title, "Treffen");
  EXPECT_EQ(store.update(424242, changed, kNow, {}).error().code, ErrorCode::not_found);
}

TEST_P(MeetingStoreTest, UpcomingForAPersonCoversTheirGroupsOnlyAndSkipsCancelled) {
  MeetingStore store(*db);
  ASSERT_TRUE(store.create(group_, meeting("mine", kNow + 86400), owner_, kNow));
  auto cancelled = meeting("abgesagt", kNow + 3600);
  cancelled.cancelled = true;
  ASSERT_TRUE(store.create(group_, cancelled, owner_, kNow));
  ASSERT_TRUE(store.create(group_, meeting("over", kNow - 86400), owner_, kNow));
  ASSERT_TRUE(store.create(other_, meeting("not mine", kNow + 7200), outsider_, kNow));
  auto next = store.upcoming_for(anna_, kNow, 5);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].title, "mine");
  EXPECT_EQ((*next)[0].group_name, "AG Digitales");
  EXPECT_EQ((*next)[0].group_id, group_);
  auto outsiders = store.upcoming_for(outsider_, kNow, 5);
  ASSERT_TRUE(outsiders);
  ASSERT_EQ(outsiders->size(), 1u);
  EXPECT_EQ((*outsiders)[0].title, "not mine");
  // The personal feed includes cancelled ones (calendars must learn of them).
  auto feed = store.of_member(anna_, kNow - 365 * 86400, 100);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->size(), 3u);
}

TEST_P(MeetingStoreTest, ANewCalendarTokenRevokesTheOldOneAndOnlyItsHashIsStored) {
  CalendarTokens tokens(*db);
  EXPECT_FALSE(*tokens.created_at(anna_));
  auto first = tokens.renew(anna_, kNow);
  ASSERT_TRUE(first);
  EXPECT_EQ(*tokens.account_for(*first), anna_);
  EXPECT_EQ(db::testing::scalar(*db,
                                "SELECT COUNT(*) FROM group_calendar_tokens WHERE"
                                " token_hash = $1",
                                {db::Value{*first}}),
            0)
      << "the token itself is not stored";
  auto second = tokens.renew(anna_, kNow + 10);
  ASSERT_TRUE(second);
  EXPECT_NE(*first, *second);
  EXPECT_FALSE(*tokens.account_for(*first));
  EXPECT_EQ(*tokens.account_for(*second), anna_);
  EXPECT_EQ(*tokens.created_at(anna_), kNow + 10);
  EXPECT_FALSE(*tokens.account_for(""));
  ASSERT_TRUE(tokens.revoke(anna_));
  EXPECT_FALSE(*tokens.account_for(*second));
}

AH_INSTANTIATE_BACKEND_TEST(MeetingStoreTest);

}  // namespace
}  // namespace ah::modules::meetings
