// Konsultationen in the database, on SQLite and PostgreSQL: addressees resolved to
// recipients, the rules of comments and Stellungnahmen (a released one is final), rounds
// whose anchors stay stable, the Abwägung and its publication, reminders.
#include "modules/consultations/store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/consultations/module.h"
#include "modules/groups/module.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"

namespace ah::modules::consultations {
namespace {

constexpr std::int64_t kNow = 1796116800;  // 2026-12-01T09:20:00Z
constexpr std::int64_t kDeadline = kNow + 14 * 86400;
constexpr std::int64_t kAfter = kDeadline + 3600;

constexpr const char* kText =
    "# § 1 Geltungsbereich\n\n"
    "(1) Dieser Erlass gilt für alle Gemeinden.\n\n"
    "(2) Er gilt nicht für Zweckverbände.\n\n"
    "# § 2 Breitband\n\n"
    "(1) Die Gemeinde meldet den Ausbau jährlich.\n";

class ConsultationStoreTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto modules = testing::standard_modules(make_groups_module());
    modules.push_back(make_consultations_module());
    start(*db, scratch_dir(), std::move(modules));
    authz::MembershipStore orgs(*db);
    auto person = [&](const char* email, const char* name, const char* org, authz::OrgRole role) {
      auto id = create_account(email, name);
      if (org) {
        EXPECT_TRUE(orgs.put(org_id(org), id, role, 1));
      }
      return id;
    };
    land_ = person("admin@land.example", "Lena Land", "15", authz::OrgRole::admin);
    kemberg_ = person("staff@kemberg.example", "Karl Kemberg", "15091160", authz::OrgRole::member);
    kemberg2_ = person("chef@kemberg.example", "Klara Kemberg", "15091160", authz::OrgRole::admin);
    wittenberg_ =
        person("staff@wittenberg.example", "Wilma Wittenberg", "15091375", authz::OrgRole::member);
    halle_ = person("staff@halle.example", "Hans Halle", "15002000", authz::OrgRole::member);
    citizen_ = person("clara@example.org", "Clara Citizen", nullptr, authz::OrgRole::member);
    auto id = ConsultationStore(*db).create(
        {.title = "Erlass Breitband",
         .summary = "Bitte prüfen",
         .body = kText,
         .author_org = org_id("15"),
         .addressees = {{AddresseeKind::kreis, "15091", 0, {}}},
         .deadline = kDeadline,
         .created_by = land_},
        kNow);
    ASSERT_TRUE(id) << id.error().message;
    id_ = *id;
  }

  Result<std::int64_t> comment_as(std::int64_t who, const char* org, std::string_view anchor,
                                  std::string body, std::int64_t at = kNow + 60) {
    NewComment c{.body = std::move(body)};
    if (org) c.org_id = org_id(org);
    return ConsultationStore(*db).comment(id_, anchor, c, who, at);
  }

  std::int64_t land_ = 0, kemberg_ = 0, kemberg2_ = 0, wittenberg_ = 0, halle_ = 0, citizen_ = 0;
  std::int64_t id_ = 0;
};

TEST_P(ConsultationStoreTest, AConsultationStartsWithRoundOneCutIntoSections) {
  ConsultationStore store(*db);
  auto c = store.find(id_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->title, "Erlass Breitband");
  EXPECT_EQ(c->author_name, "Land Sachsen-Anhalt");
  EXPECT_EQ(c->current_round, 1);
  EXPECT_EQ(c->phase(kNow), Phase::open);
  EXPECT_EQ(c->phase(kAfter), Phase::weighing);
  ASSERT_EQ(c->addressees.size(), 1u);
  EXPECT_EQ(c->addressees[0].kind, AddresseeKind::kreis);
  EXPECT_EQ(c->addressees[0].name, "Landkreis Wittenberg");
  auto round = store.round(id_, 1);
  ASSERT_TRUE(round);
  ASSERT_EQ(round->sections.size(), 5u);
  EXPECT_EQ(round->sections[0].label, "§ 1 Geltungsbereich");
  EXPECT_EQ(round->sections[2].label, "§ 1 Abs. 2");
  EXPECT_EQ(round->sections[2].anchor, "a3");
  EXPECT_EQ(store.round(id_, 2).error().code, ErrorCode::not_found);
  // The creator owns the consultation's space.
  EXPECT_EQ(*authz::SpaceRoleStore(*db).role_in("consultation", id_, land_), authz::SpaceRole::owner);
}

TEST_P(ConsultationStoreTest, BadInputIsRefusedWithTheFieldsKey) {
  ConsultationStore store(*db);
  NewConsultation ok{.title = "T", .body = "Text", .author_org = org_id("15"),
                     .addressees = {{AddresseeKind::all_gemeinden, {}, 0, {}}},
                     .deadline = kDeadline, .created_by = land_};
  auto with = [&](auto change) {
    auto c = ok;
    change(c);
    auto made = store.create(c, kNow);
    return made ? std::string("created") : made.error().message;
  };
  EXPECT_EQ(with([](NewConsultation&) {}), "created");
  EXPECT_EQ(with([](NewConsultation& c) { c.title = "  "; }), "consultations_error_title");
  EXPECT_EQ(with([](NewConsultation& c) { c.body = "\n\n"; }), "consultations_error_body");
  EXPECT_EQ(with([](NewConsultation& c) { c.addressees.clear(); }),
            "consultations_error_addressees");
  EXPECT_EQ(with([](NewConsultation& c) { c.deadline = kNow; }), "consultations_error_deadline");
  EXPECT_EQ(with([&](NewConsultation& c) { c.author_group = 1; }), "consultations_error_author");
  // A public consultation may address only the public.
  EXPECT_EQ(with([](NewConsultation& c) {
              c.addressees.clear();
              c.openness = Openness::public_comments;
            }),
            "created");
}

TEST_P(ConsultationStoreTest, AddresseesResolveToExactlyTheRightOrganisations) {
  ConsultationStore store(*db);
  // The Kreis rule: the nine Gemeinden of Wittenberg, not the Kreis itself, not Halle.
  auto board = store.board(id_);
  ASSERT_TRUE(board);
  EXPECT_EQ(board->size(), 9u);
  EXPECT_TRUE(*store.is_recipient(id_, org_id("15091160")));
  EXPECT_FALSE(*store.is_recipient(id_, org_id("15091")));
  EXPECT_FALSE(*store.is_recipient(id_, org_id("15002000")));
  EXPECT_FALSE(*store.is_recipient(id_, org_id("15")));
  // All Gemeinden (kreisfreie Städte included) and one more organisation, the Land.
  auto all = store.create({.title = "Alle", .body = "Text", .author_org = org_id("15091160"),
                           .addressees = {{AddresseeKind::all_gemeinden, {}, 0, {}},
                                          {AddresseeKind::organisation, {}, org_id("15"), {}}},
                           .deadline = kDeadline, .created_by = kemberg2_},
                          kNow);
  ASSERT_TRUE(all) << all.error().message;
  auto everyone = store.board(*all);
  ASSERT_TRUE(everyone);
  EXPECT_EQ(everyone->size(),
            static_cast<std::size_t>(db::testing::scalar(
                *db, "SELECT COUNT(*) FROM organisations WHERE type IN ('gemeinde',"
                     " 'kreisfreie_stadt')", {})) + 1);
  EXPECT_TRUE(*store.is_recipient(*all, org_id("15002000")));
  EXPECT_TRUE(*store.is_recipient(*all, org_id("15")));
  // A working group: the organisations its members work for.
  auto group = groups::GroupStore(*db).create({.name = "AG Breitband", .description = "x"},
                                              halle_, kNow);
  ASSERT_TRUE(group);
  ASSERT_TRUE(groups::GroupStore(*db).join(*group, wittenberg_, "", kNow));
  auto by_group = store.create({.title = "AG", .body = "Text", .author_org = org_id("15"),
                                .addressees = {{AddresseeKind::group, {}, *group, {}}},
                                .deadline = kDeadline, .created_by = land_},
                               kNow);
  ASSERT_TRUE(by_group);
  auto members = store.recipients_among(
      *by_group, {org_id("15002000"), org_id("15091375"), org_id("15091160"), org_id("15")});
  ASSERT_TRUE(members);
  EXPECT_EQ(*members, (std::vector<std::int64_t>{org_id("15002000"), org_id("15091375")}));
}

TEST_P(ConsultationStoreTest, OnlyRecipientsCommentAndCitizensOnlyWhenTheConsultationIsPublic) {
  auto ok = comment_as(kemberg_, "15091160", "a2", "Was heißt alle?");
  ASSERT_TRUE(ok) << ok.error().message;
  auto halle = comment_as(halle_, "15002000", "a2", "Wir auch?");
  ASSERT_FALSE(halle);
  EXPECT_EQ(halle.error().message, "consultations_error_not_addressed");
  auto land = comment_as(land_, "15", "a2", "Das Land ist kein Adressat");
  ASSERT_FALSE(land);
  EXPECT_EQ(land.error().message, "consultations_error_not_addressed");
  auto citizen = comment_as(citizen_, nullptr, "a2", "Ich als Bürgerin");
  ASSERT_FALSE(citizen);
  EXPECT_EQ(citizen.error().message, "consultations_error_not_addressed");
  ConsultationStore store(*db);
  auto c = store.find(id_);
  ASSERT_TRUE(store.update(id_, {c->title, c->summary, Openness::public_comments, c->addressees,
                                 c->deadline},
                           kNow));
  EXPECT_TRUE(comment_as(citizen_, nullptr, "a2", "Ich als Bürgerin"));
  // No such section, an empty text, after the deadline.
  EXPECT_EQ(comment_as(kemberg_, "15091160", "a99", "x").error().code, ErrorCode::not_found);
  EXPECT_EQ(comment_as(kemberg_, "15091160", "a2", " ").error().message, "consultations_error_comment");
  EXPECT_EQ(comment_as(kemberg_, "15091160", "a2", "spät", kDeadline).error().message,
            "consultations_error_closed");
  auto all = store.comments(id_, 0, "a2", 0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].org_name, "Kemberg, Stadt");
  EXPECT_FALSE((*all)[1].org_id.has_value());
  // The counts per section are the same comments, counted by the database.
  ASSERT_TRUE(comment_as(kemberg_, "15091160", "a5", "Noch einer"));
  auto counts = store.comment_counts(id_, 0);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(*counts, (std::map<std::string, std::int64_t, std::less<>>{{"a2", 2}, {"a5", 1}}));
}

TEST_P(ConsultationStoreTest, APassageMustBeInTheSectionAndAnUnchangedWordingIsNoAmendment) {
  ConsultationStore store(*db);
  NewComment c{.org_id = org_id("15091160"), .passage = "gilt  für\nalle", .body = "Zu weit"};
  auto ok = store.comment(id_, "a2", c, kemberg_, kNow);
  ASSERT_TRUE(ok) << ok.error().message;
  c.passage = "gilt für keine";
  EXPECT_EQ(store.comment(id_, "a2", c, kemberg_, kNow).error().message,
            "consultations_error_passage");
  c.passage.clear();
  c.amendment = "(1) Dieser Erlass gilt für alle Gemeinden.\n";
  auto same = store.comment(id_, "a2", c, kemberg_, kNow);
  ASSERT_TRUE(same);
  EXPECT_EQ(store.find_comment(*same, 0)->amendment, "");
  c.amendment = "(1) Dieser Erlass gilt für alle Gemeinden mit mehr als 1.000 Einwohnern.";
  auto amended = store.comment(id_, "a2", c, kemberg_, kNow);
  ASSERT_TRUE(amended);
  EXPECT_EQ(store.find_comment(*amended, 0)->amendment, c.amendment);
}

TEST_P(ConsultationStoreTest, AReleasedStatementIsFinalWithItsComments) {
  ConsultationStore store(*db);
  auto k = org_id("15091160");
  // Nothing to release yet.
  EXPECT_EQ(store.release_statement(id_, k, kemberg_, kNow).error().message,
            "consultations_error_statement_empty");
  ASSERT_TRUE(store.save_statement(id_, k, "Grundsätzlich einverstanden.", kemberg_, kNow));
  auto comment = comment_as(kemberg_, "15091160", "a5", "Jährlich ist zu oft.");
  ASSERT_TRUE(comment);
  auto draft = store.statement(id_, k);
  ASSERT_TRUE(draft && *draft);
  EXPECT_FALSE((*draft)->released);
  EXPECT_EQ((*draft)->body, "Grundsätzlich einverstanden.");
  ASSERT_TRUE(store.release_statement(id_, k, kemberg2_, kNow + 100));
  auto released = store.statement(id_, k);
  ASSERT_TRUE((*released)->released);
  EXPECT_EQ((*released)->released_by, "Klara Kemberg");
  // Final: the text, new comments, withdrawing one, releasing again.
  EXPECT_EQ(store.save_statement(id_, k, "Doch nicht", kemberg_, kNow + 200).error().message,
            "consultations_error_released");
  EXPECT_EQ(comment_as(kemberg_, "15091160", "a2", "Noch was").error().message,
            "consultations_error_released");
  EXPECT_EQ(store.withdraw_comment(*comment, kemberg_, kNow + 200).error().message,
            "consultations_error_released");
  EXPECT_EQ(store.release_statement(id_, k, kemberg_, kNow + 200).error().message,
            "consultations_error_released");
  EXPECT_TRUE(store.find_comment(*comment, 0)->final);
  EXPECT_EQ((*store.statement(id_, k))->body, "Grundsätzlich einverstanden.");
  // Other organisations go on.
  EXPECT_TRUE(comment_as(wittenberg_, "15091375", "a2", "Wir haben noch Fragen"));
  // A recipient that is not one cannot file.
  EXPECT_EQ(store.save_statement(id_, org_id("15"), "Land", land_, kNow).error().message,
            "consultations_error_not_addressed");
  auto board = store.board(id_);
  auto row = [&](std::int64_t org) {
    return *std::find_if(board->begin(), board->end(),
                         [&](const RecipientStatus& s) { return s.org_id == org; });
  };
  EXPECT_TRUE(row(k).released_at.has_value());
  EXPECT_EQ(row(k).comments, 1);
  EXPECT_TRUE(row(org_id("15091375")).drafting);
  EXPECT_EQ(row(org_id("15091375")).comments, 1);
  EXPECT_FALSE(row(org_id("15091010")).drafting);
}

TEST_P(ConsultationStoreTest, SupportsCountOncePerPersonAndNeverOnesOwn) {
  ConsultationStore store(*db);
  auto comment = comment_as(kemberg_, "15091160", "a2", "Unterstützenswert");
  ASSERT_TRUE(comment);
  EXPECT_EQ(store.support(*comment, kemberg_, true, kNow).error().message,
            "consultations_error_own_comment");
  ASSERT_TRUE(store.support(*comment, wittenberg_, true, kNow));
  ASSERT_TRUE(store.support(*comment, wittenberg_, true, kNow));
  ASSERT_TRUE(store.support(*comment, halle_, true, kNow));
  EXPECT_EQ(store.find_comment(*comment, wittenberg_)->supports, 2);
  EXPECT_TRUE(store.find_comment(*comment, wittenberg_)->supported_by_reader);
  ASSERT_TRUE(store.support(*comment, halle_, false, kNow));
  EXPECT_EQ(store.find_comment(*comment, 0)->supports, 1);
  EXPECT_EQ(store.support(*comment, halle_, true, kAfter).error().message,
            "consultations_error_closed");
}

TEST_P(ConsultationStoreTest, TheAbwaegungAnswersEveryPointAfterTheDeadlineThenIsPublished) {
  ConsultationStore store(*db);
  auto k = org_id("15091160");
  auto first = comment_as(kemberg_, "15091160", "a2", "Zu weit");
  auto second = comment_as(wittenberg_, "15091375", "a5", "Zu oft");
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(store.support(*first, wittenberg_, true, kNow));
  ASSERT_TRUE(store.save_statement(id_, k, "Allgemein: gut.", kemberg_, kNow));
  ASSERT_TRUE(store.release_statement(id_, k, kemberg2_, kNow));
  auto statement = (*store.statement(id_, k))->id;
  // Not before the deadline.
  EXPECT_EQ(store.answer(id_, Point::comment(*first), Verdict::adopted, "Ja", land_, kNow)
                .error()
                .message,
            "consultations_error_round_open");
  EXPECT_EQ(store.publish_abwaegung(id_, land_, kNow).error().message,
            "consultations_error_round_open");
  // A reason is needed, except for "zur Kenntnis genommen".
  EXPECT_EQ(store.answer(id_, Point::comment(*first), Verdict::rejected, " ", land_, kAfter)
                .error()
                .message,
            "consultations_error_reason");
  ASSERT_TRUE(store.answer(id_, Point::comment(*first), Verdict::partly, "Teilweise", land_, kAfter));
  EXPECT_EQ(*store.unanswered(id_), 2);
  EXPECT_EQ(store.publish_abwaegung(id_, land_, kAfter).error().message,
            "consultations_error_unanswered");
  ASSERT_TRUE(store.answer(id_, Point::comment(*second), Verdict::noted, "", land_, kAfter));
  ASSERT_TRUE(store.answer(id_, Point::statement(statement), Verdict::adopted, "Danke", land_, kAfter));
  // Answering again replaces the answer.
  ASSERT_TRUE(store.answer(id_, Point::comment(*first), Verdict::adopted, "Ganz", land_, kAfter));
  EXPECT_EQ(*store.unanswered(id_), 0);
  // A point of another consultation is not found here.
  EXPECT_EQ(store.answer(id_, Point::comment(*first + 1000), Verdict::noted, "", land_, kAfter)
                .error()
                .code,
            ErrorCode::not_found);
  auto told = store.publish_abwaegung(id_, land_, kAfter + 10);
  ASSERT_TRUE(told) << told.error().message;
  std::vector<std::int64_t> expected{kemberg_, kemberg2_, wittenberg_};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(*told, expected);
  EXPECT_EQ(store.find(id_)->phase(kAfter + 10), Phase::published);
  auto answered = store.find_comment(*first, 0);
  ASSERT_TRUE(answered->answer);
  EXPECT_EQ(answered->answer->verdict, Verdict::adopted);
  EXPECT_EQ(answered->answer->reason, "Ganz");
  EXPECT_EQ(answered->answer->answered_by, "Lena Land");
  // Published is published.
  EXPECT_EQ(store.answer(id_, Point::comment(*first), Verdict::rejected, "Doch nicht", land_,
                         kAfter + 20)
                .error()
                .message,
            "consultations_error_published");
  EXPECT_EQ(store.publish_abwaegung(id_, land_, kAfter + 20).error().message,
            "consultations_error_published");
}

TEST_P(ConsultationStoreTest, ANewRoundKeepsAnchorsAndEarlierCommentsStayWithTheirRound) {
  ConsultationStore store(*db);
  auto comment = comment_as(kemberg_, "15091160", "a5", "Jährlich ist zu oft");
  ASSERT_TRUE(comment);
  EXPECT_EQ(store.new_round(id_, "neu", "", kDeadline + 86400, land_, kNow).error().message,
            "consultations_error_round_open");
  // § 2 (1) is changed; a paragraph is inserted into § 1; the rest stays as it was.
  const std::string revised =
      "# § 1 Geltungsbereich\n\n"
      "(1) Dieser Erlass gilt für alle Gemeinden.\n\n"
      "(2) Er gilt nicht für Zweckverbände.\n\n"
      "(3) Er gilt ab dem 1. Januar 2027.\n\n"
      "# § 2 Breitband\n\n"
      "(1) Die Gemeinde meldet den Ausbau alle zwei Jahre.\n";
  auto number = store.new_round(id_, revised, "Meldung alle zwei Jahre", kAfter + 28 * 86400,
                                land_, kAfter);
  ASSERT_TRUE(number) << number.error().message;
  EXPECT_EQ(*number, 2);
  auto one = store.round(id_, 1);
  auto two = store.round(id_, 2);
  ASSERT_EQ(two->sections.size(), 6u);
  std::vector<std::string> anchors;
  for (const auto& s : two->sections) anchors.push_back(s.anchor);
  EXPECT_EQ(anchors, (std::vector<std::string>{"a1", "a2", "a3", "a6", "a4", "a5"}));
  EXPECT_EQ(two->note, "Meldung alle zwei Jahre");
  EXPECT_EQ(store.find(id_)->current_round, 2);
  EXPECT_EQ(store.find(id_)->phase(kAfter + 60), Phase::open);
  // The comment stays on round 1's § 2 (1); round 2 starts without comments.
  auto earlier = store.comments(id_, 1, "a5", 0);
  ASSERT_EQ(earlier->size(), 1u);
  EXPECT_EQ((*earlier)[0].round_number, 1);
  EXPECT_TRUE(store.comments(id_, 0, "", 0)->empty());
  // The synopsis pairs the old and the new wording.
  auto rows = synopsis(one->sections, two->sections);
  auto changed = std::count_if(rows.begin(), rows.end(), [](const SynopsisRow& r) { return r.changed(); });
  EXPECT_EQ(changed, 2);
  // Comments go to round 2 now.
  EXPECT_TRUE(comment_as(kemberg_, "15091160", "a6", "Ab wann genau?", kAfter + 60));
  EXPECT_EQ(store.comment_counts(id_, 0)->size(), 1u);
  EXPECT_EQ(store.comment_counts(id_, 0)->at("a6"), 1);
  EXPECT_EQ(store.comment_counts(id_, 1)->at("a5"), 1);
}

TEST_P(ConsultationStoreTest, RemindersReachTheStaffOfThoseWhoHaveNotReleasedOnceADay) {
  ConsultationStore store(*db);
  auto k = org_id("15091160");
  ASSERT_TRUE(store.save_statement(id_, k, "Fertig.", kemberg_, kNow));
  ASSERT_TRUE(store.release_statement(id_, k, kemberg_, kNow));
  auto told = store.remind(id_, land_, kNow + 60);
  ASSERT_TRUE(told) << told.error().message;
  EXPECT_EQ(*told, std::vector<std::int64_t>{wittenberg_});  // not Kemberg's, not Halle's
  EXPECT_EQ(*store.last_reminder(id_), std::optional<std::int64_t>(kNow + 60));
  EXPECT_EQ(store.remind(id_, land_, kNow + 3600).error().message, "consultations_error_reminded");
  EXPECT_TRUE(store.remind(id_, land_, kNow + 86400 + 61));
  EXPECT_EQ(store.remind(id_, land_, kAfter).error().message, "consultations_error_closed");
}

TEST_P(ConsultationStoreTest, ChangingAddresseesKeepsThoseWhoAlreadyTookPart) {
  ConsultationStore store(*db);
  ASSERT_TRUE(comment_as(kemberg_, "15091160", "a2", "Wir sind dabei"));
  auto c = store.find(id_);
  ASSERT_TRUE(store.update(id_, {"Erlass Breitband (neu)", c->summary, c->openness,
                                 {{AddresseeKind::organisation, {}, org_id("15002000"), {}}},
                                 kDeadline + 86400},
                           kNow + 60));
  auto after = store.find(id_);
  EXPECT_EQ(after->title, "Erlass Breitband (neu)");
  EXPECT_EQ(after->deadline, kDeadline + 86400);
  auto board = store.board(id_);
  ASSERT_EQ(board->size(), 2u);  // Halle, and Kemberg who commented
  EXPECT_TRUE(*store.is_recipient(id_, org_id("15002000")));
  EXPECT_TRUE(*store.is_recipient(id_, org_id("15091160")));
  EXPECT_FALSE(*store.is_recipient(id_, org_id("15091375")));
  EXPECT_EQ(store.update(id_, {"x", "", Openness::internal, after->addressees, kAfter + 9 * 86400}, kAfter + 86400)
                .error()
                .message,
            "consultations_error_closed");
}

TEST_P(ConsultationStoreTest, OpenForListsWhatWaitsForTheReadersOrganisations) {
  ConsultationStore store(*db);
  auto open = store.open_for(kemberg_, kNow);
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].first.id, id_);
  EXPECT_EQ((*open)[0].second, std::vector<std::string>{"Kemberg, Stadt"});
  EXPECT_TRUE(store.open_for(halle_, kNow)->empty());
  ASSERT_TRUE(store.save_statement(id_, org_id("15091160"), "Fertig", kemberg_, kNow));
  ASSERT_TRUE(store.release_statement(id_, org_id("15091160"), kemberg_, kNow));
  EXPECT_TRUE(store.open_for(kemberg_, kNow)->empty());
  EXPECT_EQ(store.open_for(wittenberg_, kNow)->size(), 1u);
  EXPECT_TRUE(store.open_for(wittenberg_, kAfter)->empty());
  // The list: internal ones only for staff.
  EXPECT_EQ(store.list({.signed_in_staff = true}, kNow, "", 10)->items.size(), 1u);
  EXPECT_TRUE(store.list({}, kNow, "", 10)->items.empty());
  EXPECT_EQ(store.list({.signed_in_staff = true, .addressed_to = {org_id("15091375")}}, kNow, "", 10)
                ->items.size(),
            1u);
  EXPECT_TRUE(store.list({.signed_in_staff = true, .addressed_to = {org_id("15002000")}}, kNow, "", 10)
                  ->items.empty());
  EXPECT_TRUE(store.list({.signed_in_staff = true, .open_only = true}, kAfter, "", 10)->items.empty());
}

AH_INSTANTIATE_BACKEND_TEST(ConsultationStoreTest);

}  // namespace
}  // namespace ah::modules::consultations
