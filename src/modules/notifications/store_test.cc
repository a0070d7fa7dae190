// The notice store and notify(): same transaction as the event, unread counts, keyset
// pages, erasure with the account, and mail exactly once — at once or in the daily
// digest — on both backends.
#include "modules/notifications/store.h"

#include <gtest/gtest.h>

#include "db/test_database.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/notifications/notify.h"
#include "modules/testing/harness.h"
#include "web/format.h"

namespace ah::modules::notifications {
namespace {

using db::testing::scalar;

// Declared by the members module, which standard_modules() includes.
constexpr const char* kKind = "members.request_decided";  // default: mail at once

class NotificationStoreTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules());
    anna_ = create_account("anna@example.org", "Anna");
    ben_ = create_account("ben@example.org", "Ben");
  }

  Notice notice(std::int64_t who, const std::string& title) {
    return {.account_id = who, .kind = kKind, .title = title, .text = "Text", .link = "/konto"};
  }

  std::int64_t count(const std::string& where = "1 = 1") {
    return scalar(*db, "SELECT COUNT(*) FROM notifications WHERE " + where);
  }

  // 00:00 in Berlin of the day that contains `t`.
  static std::int64_t berlin_midnight_of(std::int64_t t) {
    return *web::berlin_midnight(web::berlin_date_value(t));
  }

  std::int64_t anna_ = 0, ben_ = 0;
};

TEST_P(NotificationStoreTest, ARolledBackEventLeavesNoNoticeAndNoMail) {
  std::int64_t stored = 0;
  auto failed = db->transaction([&](db::Connection& tx) -> Status {
    AH_TRY(id, notify(services(), tx, notice(anna_, "Entschieden")));
    stored = id;
    return fail(ErrorCode::conflict, "the event itself failed");
  });
  ASSERT_FALSE(failed);
  EXPECT_GT(stored, 0);
  EXPECT_EQ(count(), 0);
  deliver(services(), std::vector<std::int64_t>{stored});
  EXPECT_EQ(*send_due_mails(services(), accounts::unix_now()), 0);
  EXPECT_EQ(mailer.count(), 0u);
  EXPECT_EQ(*NotificationStore(*db).unread_count(anna_), 0);
}

TEST_P(NotificationStoreTest, RefusesWhatItCannotShowSafely) {
  auto try_notice = [&](Notice n) {
    return db->transaction(
        [&](db::Connection& tx) -> Result<std::int64_t> { return notify(services(), tx, n); });
  };
  auto bad = notice(anna_, "x");
  bad.kind = "nobody.declared_this";
  EXPECT_EQ(try_notice(bad).error().code, ErrorCode::invalid_input);
  for (std::string link : {"https://evil.example/", "//evil.example/", "/\\evil.example",
                           "javascript:alert(1)", "/a b"}) {
    bad = notice(anna_, "x");
    bad.link = link;
    EXPECT_FALSE(try_notice(bad)) << link;
  }
  EXPECT_FALSE(try_notice(notice(anna_, "")));
  EXPECT_FALSE(try_notice(notice(anna_, "Zwei\nZeilen")));
  EXPECT_FALSE(try_notice(notice(0, "Niemand")));
  EXPECT_EQ(count(), 0);
  auto fine = notice(anna_, "Gut");
  fine.link = "";
  EXPECT_TRUE(try_notice(fine));
  EXPECT_EQ(count(), 1);
}

TEST_P(NotificationStoreTest, UnreadCountsPerPersonAndMarkingRead) {
  NotificationStore store(*db);
  std::vector<std::int64_t> ids;
  for (const char* title : {"Eins", "Zwei", "Drei"})
    ids.push_back(*notify(services(), notice(anna_, title)));
  auto bens = *notify(services(), notice(ben_, "Für Ben"));
  EXPECT_EQ(*store.unread_count(anna_), 3);
  EXPECT_EQ(*store.unread_count(ben_), 1);

  auto read = store.mark_read(anna_, ids[0], 1000);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->title, "Eins");
  EXPECT_EQ(read->read_at, 1000);
  EXPECT_EQ(*store.unread_count(anna_), 2);
  // Marking again keeps the first time.
  EXPECT_EQ(store.mark_read(anna_, ids[0], 2000)->read_at, 1000);
  // Someone else's notice is not found, and stays unread.
  EXPECT_EQ(store.mark_read(anna_, bens, 1000).error().code, ErrorCode::not_found);
  EXPECT_EQ(store.mark_read(anna_, 999999, 1000).error().code, ErrorCode::not_found);
  EXPECT_EQ(*store.unread_count(ben_), 1);

  EXPECT_EQ(*store.mark_all_read(anna_, 3000), 2);
  EXPECT_EQ(*store.unread_count(anna_), 0);
  EXPECT_EQ(*store.unread_count(ben_), 1);
  EXPECT_EQ(*store.mark_all_read(anna_, 4000), 0);
}

TEST_P(NotificationStoreTest, PagesAreNewestFirstWithoutGapsOrRepeats) {
  for (int i = 0; i < 25; ++i)
    ASSERT_TRUE(notify(services(), notice(anna_, "N" + std::to_string(i))));
  ASSERT_TRUE(notify(services(), notice(ben_, "Ben")));
  NotificationStore store(*db);
  std::vector<std::string> titles;
  std::string cursor;
  int pages = 0;
  do {
    auto page = store.list(anna_, cursor, 10);
    ASSERT_TRUE(page);
    for (const auto& n : page->items) titles.push_back(n.title);
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(titles.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(titles[i], "N" + std::to_string(24 - i));
  EXPECT_EQ(store.list(anna_, "not-a-cursor", 10).error().code, ErrorCode::invalid_input);
}

TEST_P(NotificationStoreTest, ErasingTheAccountErasesNoticesAndChoices) {
  NotificationStore store(*db);
  ASSERT_TRUE(notify(services(), notice(anna_, "Eins")));
  ASSERT_TRUE(store.choose(anna_, kKind, web::Delivery::digest));
  ASSERT_TRUE(notify(services(), notice(anna_, "Zwei")));
  ASSERT_TRUE(send_digests(services(), berlin_midnight_of(accounts::unix_now()) + 8 * 3600));
  ASSERT_TRUE(notify(services(), notice(ben_, "Ben")));

  auto exported = module("notifications").export_personal_data(services(), anna_);
  ASSERT_TRUE(exported);
  ASSERT_EQ((*exported)["notices"].size(), 2u);
  EXPECT_EQ((*exported)["notices"][0]["title"], "Zwei");
  EXPECT_EQ((*exported)["settings"][kKind], "digest");

  ASSERT_TRUE(accounts::AccountStore(*db).erase(anna_));
  EXPECT_EQ(count("account_id = " + std::to_string(anna_)), 0);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM notification_settings"), 0);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM notification_digests"), 0);
  EXPECT_EQ(count(), 1) << "Ben's notice stays";
}

TEST_P(NotificationStoreTest, AnImmediateMailGoesOutOnceAfterTheCommit) {
  auto id = notify(services(), notice(anna_, "Mitgliedschaft bestätigt"));
  ASSERT_TRUE(id);
  auto mails = mailer.sent();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, "anna@example.org");
  EXPECT_EQ(mails[0].subject, "Mitgliedschaft bestätigt");
  EXPECT_NE(mails[0].text.find("https://beteiligung.example/konto\n"), std::string::npos);
  EXPECT_NE(mails[0].text.find("/konto/benachrichtigungen/einstellungen"), std::string::npos);
  // Neither the sweep nor a second deliver mails it again.
  EXPECT_EQ(*send_due_mails(services(), accounts::unix_now()), 0);
  deliver(services(), std::vector<std::int64_t>{*id});
  EXPECT_EQ(mailer.count(), 1u);

  // Stored in a transaction whose caller never delivered (say, it crashed): the sweep
  // mails it, once.
  ASSERT_TRUE(db->transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(notify(services(), tx, notice(ben_, "Für Ben")));
    return {};
  }));
  EXPECT_EQ(mailer.count(), 1u) << "no mail inside the transaction";
  EXPECT_EQ(*send_due_mails(services(), accounts::unix_now()), 1);
  EXPECT_EQ(*send_due_mails(services(), accounts::unix_now()), 0);
  ASSERT_EQ(mailer.count(), 2u);
  EXPECT_EQ(mailer.sent()[1].to, "ben@example.org");
}

TEST_P(NotificationStoreTest, ChoicesDecideTheMailAndUnverifiedAddressesGetNone) {
  NotificationStore store(*db);
  ASSERT_TRUE(store.choose(anna_, kKind, web::Delivery::in_app));
  ASSERT_TRUE(notify(services(), notice(anna_, "Nur hier")));
  EXPECT_EQ(mailer.count(), 0u);
  EXPECT_EQ(*store.unread_count(anna_), 1);
  EXPECT_EQ(store.choices(anna_)->at(kKind), web::Delivery::in_app);

  auto carl = accounts::AccountStore(*db).create("carl@example.org", "Carl", "x", 1);
  ASSERT_TRUE(carl);
  ASSERT_TRUE(notify(services(), notice(*carl, "Unbestätigt")));
  EXPECT_EQ(*send_due_mails(services(), accounts::unix_now()), 0);
  EXPECT_EQ(mailer.count(), 0u);
  EXPECT_EQ(*store.unread_count(*carl), 1);
  EXPECT_EQ(count("mail_state = 'unverified'"), 1);
}

TEST_P(NotificationStoreTest, AChoiceForAScopeWinsOverTheChoiceForTheKind) {
  NotificationStore store(*db);
  auto in_group = [&](std::int64_t who, const std::string& title, const std::string& scope) {
    Notice n = notice(who, title);
    n.scope = scope;
    return notify(services(), n);
  };
  // Anna wants this kind only in the app, but everything of group 7 by mail at once.
  ASSERT_TRUE(store.choose(anna_, kKind, web::Delivery::in_app));
  ASSERT_TRUE(store.choose_for_scope(anna_, "group:7", web::Delivery::immediate));
  ASSERT_TRUE(in_group(anna_, "Aus Gruppe 7", "group:7"));
  ASSERT_TRUE(in_group(anna_, "Aus Gruppe 8", "group:8"));
  ASSERT_TRUE(in_group(anna_, "Ohne Gruppe", ""));
  ASSERT_EQ(mailer.count(), 1u);
  EXPECT_EQ(mailer.sent()[0].subject, "Aus Gruppe 7");
  // Ben's kind default is a mail at once; group 7 goes to his digest instead.
  ASSERT_TRUE(store.choose_for_scope(ben_, "group:7", web::Delivery::digest));
  ASSERT_TRUE(in_group(ben_, "Für den Überblick", "group:7"));
  EXPECT_EQ(mailer.count(), 1u);
  EXPECT_EQ(count("account_id = " + std::to_string(ben_) + " AND mail_state = 'digest'"), 1);
  EXPECT_EQ(*store.scope_choice(ben_, "group:7"), web::Delivery::digest);
  EXPECT_EQ(store.scope_choices(anna_)->size(), 1u);
  // Forgetting the scope's choice brings the kind's back.
  ASSERT_TRUE(store.choose_for_scope(ben_, "group:7", std::nullopt));
  EXPECT_FALSE(store.scope_choice(ben_, "group:7")->has_value());
  ASSERT_TRUE(in_group(ben_, "Wieder sofort", "group:7"));
  EXPECT_EQ(mailer.count(), 2u);
  EXPECT_FALSE(store.choose_for_scope(ben_, "", web::Delivery::digest));
}

TEST_P(NotificationStoreTest, TheDigestCarriesTheDaysNoticesOnceEvenWhenTheJobRunsTwice) {
  NotificationStore store(*db);
  ASSERT_TRUE(store.choose(anna_, kKind, web::Delivery::digest));
  ASSERT_TRUE(notify(services(), notice(anna_, "Erste")));
  ASSERT_TRUE(notify(services(), notice(anna_, "Zweite")));
  auto read = *notify(services(), notice(anna_, "Schon gelesen"));
  ASSERT_TRUE(store.mark_read(anna_, read, accounts::unix_now()));
  ASSERT_TRUE(notify(services(), notice(ben_, "Ben sofort")));
  ASSERT_EQ(mailer.count(), 1u) << "only Ben's immediate mail";

  const std::int64_t midnight = berlin_midnight_of(accounts::unix_now());
  EXPECT_EQ(*send_digests(services(), midnight + 6 * 3600), 0) << "before 7 o'clock";
  EXPECT_EQ(mailer.count(), 1u);
  EXPECT_EQ(*send_digests(services(), midnight + 8 * 3600), 1);
  ASSERT_EQ(mailer.count(), 2u);
  auto digest = mailer.sent()[1];
  EXPECT_EQ(digest.to, "anna@example.org");
  EXPECT_EQ(digest.subject.rfind("Ihre Benachrichtigungen vom", 0), 0u) << digest.subject;
  EXPECT_NE(digest.text.find("Erste"), std::string::npos);
  EXPECT_NE(digest.text.find("Zweite"), std::string::npos);
  EXPECT_LT(digest.text.find("Erste"), digest.text.find("Zweite"));
  EXPECT_EQ(digest.text.find("Schon gelesen"), std::string::npos);

  // The job runs again (another node, a restart): nothing more that day.
  EXPECT_EQ(*send_digests(services(), midnight + 8 * 3600 + 600), 0);
  ASSERT_TRUE(notify(services(), notice(anna_, "Dritte")));
  EXPECT_EQ(*send_digests(services(), midnight + 20 * 3600), 0);
  EXPECT_EQ(mailer.count(), 2u);
  // The next morning: only what is new.
  EXPECT_EQ(*send_digests(services(), midnight + 32 * 3600), 1);
  ASSERT_EQ(mailer.count(), 3u);
  auto next = mailer.sent()[2];
  EXPECT_NE(next.text.find("Dritte"), std::string::npos);
  EXPECT_EQ(next.text.find("Erste"), std::string::npos);
  EXPECT_EQ(*send_digests(services(), midnight + 33 * 3600), 0);

  // Switching to in-app only takes waiting notices out of the next digest.
  ASSERT_TRUE(notify(services(), notice(anna_, "Vierte")));
  ASSERT_TRUE(store.choose(anna_, kKind, web::Delivery::in_app));
  EXPECT_EQ(*send_digests(services(), midnight + 56 * 3600), 0);
  EXPECT_EQ(mailer.count(), 3u);
}

AH_INSTANTIATE_BACKEND_TEST(NotificationStoreTest);

}  // namespace
}  // namespace ah::modules::notifications
