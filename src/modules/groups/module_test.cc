// Working groups as people and clients meet them: founding, the directory, joining and
// leaving, threads with unread markers and notices, the API, and the Augenhöhe rule —
// rights in a group come only from a role in the group, never from an organisation's
// type or an admin role elsewhere.
#include "modules/groups/module.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/files/samples.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

using nlohmann::json;

class GroupsTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_groups_module()));
    authz::MembershipStore orgs(*db);
    auto person = [&](const char* email, const char* name, const char* org, authz::OrgRole role) {
      auto id = create_account(email, name);
      if (org) {
        EXPECT_TRUE(orgs.put(org_id(org), id, role, 1));
      }
      return id;
    };
    land_admin_ = person("admin@land.example", "Lena Land", "15", authz::OrgRole::admin);
    kemberg_staff_ =
        person("staff@kemberg.example", "Karl Kemberg", "15091160", authz::OrgRole::member);
    wittenberg_staff_ =
        person("staff@wittenberg.example", "Wilma Wittenberg", "15091375", authz::OrgRole::member);
    citizen_ = person("citizen@example.org", "Clara Citizen", nullptr, authz::OrgRole::member);
  }

  // The value of the hidden one-time key on the last page.
  static std::string once_of(const http::Response& page) {
    auto at = page.body.find("name=\"once\" value=\"");
    if (at == std::string::npos) return "";
    return page.body.substr(at + 19, page.body.find('"', at + 19) - at - 19);
  }

  // Founds a group through the form as `who`; its id.
  std::int64_t found(std::int64_t who, const std::string& name, const std::string& visibility,
                     const std::string& joining = "open") {
    sign_in(who);
    auto form = send(http::Method::get, "/arbeitsgruppen/neu");
    EXPECT_EQ(form.status, 200);
    auto created = send(http::Method::post, "/arbeitsgruppen/neu",
                        "name=" + name + "&description=Worum+es+geht&visibility=" + visibility +
                            "&joining=" + joining + "&once=" + once_of(form));
    EXPECT_EQ(created.status, 303) << created.body;
    std::string location(created.headers.get("Location"));
    return std::stoll(location.substr(location.rfind('/') + 1));
  }

  std::int64_t count(const std::string& sql) { return db::testing::scalar(*db, sql); }

  std::int64_t notices(std::int64_t who, const std::string& kind) {
    return db::testing::scalar(
        *db, "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = $2",
        {db::Value{who}, db::Value{kind}});
  }

  std::int64_t land_admin_ = 0, kemberg_staff_ = 0, wittenberg_staff_ = 0, citizen_ = 0;
};

TEST_P(GroupsTest, StaffFoundGroupsThroughTheFormOthersCannot) {
  EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/neu").status, 303) << "sign in first";
  sign_in(citizen_);
  EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/neu").status, 403);
  EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen").body.find("/arbeitsgruppen/neu\""),
            std::string::npos)
      << "no founding button for a citizen";

  sign_in(kemberg_staff_);
  auto form = send(http::Method::get, "/arbeitsgruppen/neu");
  ASSERT_EQ(form.status, 200);
  std::string key = once_of(form);
  ASSERT_GE(key.size(), 16u);
  // Mistakes come back with the error summary and what was typed.
  auto refused = send(http::Method::post, "/arbeitsgruppen/neu",
                      "name=&description=Radwege+%3Cim%3E+Kreis&visibility=geheim&joining=open"
                      "&once=" +
                          key);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("form-errors-heading"), std::string::npos);
  EXPECT_NE(refused.body.find("href=\"#field-name\""), std::string::npos);
  EXPECT_NE(refused.body.find("href=\"#field-visibility\""), std::string::npos);
  EXPECT_NE(refused.body.find("Radwege &lt;im&gt; Kreis"), std::string::npos) << "kept, escaped";
  // Without the CSRF token nothing happens.
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/neu",
                 "name=AG&description=x&visibility=public&joining=open", false)
                .status,
            403);
  // A double click creates one group.
  std::string body =
      "name=AG+Radwege&description=Radwege+im+**Kreis**&visibility=public"
      "&joining=open&once=" +
      key;
  auto first = send(http::Method::post, "/arbeitsgruppen/neu", body);
  auto second = send(http::Method::post, "/arbeitsgruppen/neu", body);
  ASSERT_EQ(first.status, 303);
  EXPECT_EQ(first.headers.get("Location"), second.headers.get("Location"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_groups"), 1);
  auto page = send(http::Method::get, std::string(first.headers.get("Location")));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<strong>Kreis</strong>"), std::string::npos) << "Markdown rendered";
  EXPECT_NE(page.body.find("Karl Kemberg"), std::string::npos);
  EXPECT_NE(page.body.find("Kemberg, Stadt"), std::string::npos) << "members with organisation";
}

// Who reads which group: public for everyone, internal for staff of any organisation (and
// members), closed for members only. An outsider gets 404 everywhere, so that a closed
// group's existence is not revealed — the Land's admin as much as anyone.
TEST_P(GroupsTest, VisibilityDecidesWhoReadsAGroup) {
  auto open = found(kemberg_staff_, "AG+Offen", "public");
  auto internal = found(kemberg_staff_, "AG+Intern", "internal");
  auto closed = found(kemberg_staff_, "AG+Geschlossen", "closed");
  auto thread_of = [&](std::int64_t group) {
    auto t = groups::ThreadStore(*db).create(group, "Thema", "Text", kemberg_staff_, 1);
    EXPECT_TRUE(t);
    return std::to_string(*t);
  };
  std::map<std::int64_t, std::string> threads{
      {open, thread_of(open)}, {internal, thread_of(internal)}, {closed, thread_of(closed)}};
  struct Reader {
    std::int64_t who;
    bool internal, closed;
  };
  for (const Reader& reader :
       {Reader{0, false, false}, Reader{citizen_, false, false}, Reader{land_admin_, true, false},
        Reader{wittenberg_staff_, true, false}, Reader{kemberg_staff_, true, true}}) {
    sign_in(reader.who);
    for (auto [group, readable] : {std::pair{open, true}, std::pair{internal, reader.internal},
                                   std::pair{closed, reader.closed}}) {
      const std::string id = std::to_string(group);
      int expected = readable ? 200 : 404;
      SCOPED_TRACE("reader " + std::to_string(reader.who) + ", group " + id);
      EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/" + id).status, expected);
      EXPECT_EQ(send(http::Method::get, "/themen/" + threads[group]).status, expected);
      EXPECT_EQ(api(http::Method::get, "/api/v1/groups/" + id).status, expected);
      EXPECT_EQ(api(http::Method::get, "/api/v1/groups/" + id + "/members").status, expected);
      EXPECT_EQ(api(http::Method::get, "/api/v1/groups/" + id + "/threads").status, expected);
      EXPECT_EQ(api(http::Method::get, "/api/v1/threads/" + threads[group] + "/posts").status,
                expected);
    }
    auto listed = json::parse(api(http::Method::get, "/api/v1/groups").body)["items"];
    std::set<std::string> names;
    for (const auto& g : listed) names.insert(g["name"].get<std::string>());
    EXPECT_EQ(names.contains("AG Intern"), reader.internal) << reader.who;
    EXPECT_EQ(names.contains("AG Geschlossen"), reader.closed) << reader.who;
    EXPECT_TRUE(names.contains("AG Offen"));
  }
}

// The Augenhöhe rule for every group action: outsiders — whether the Land's admin or
// Wittenberg's staff — have the same rights in a Kemberg member's group, namely those of any
// member of staff (read an internal group, join); posting, deciding requests and leaving
// need a role in the group, and a role is all that counts.
TEST_P(GroupsTest, TheLandsAdminHasNoRightInAGroupWithoutARoleThere) {
  auto group = found(kemberg_staff_, "AG+Kemberg", "internal", "request");
  const std::string id = std::to_string(group);
  auto thread = groups::ThreadStore(*db).create(group, "Thema", "Text", kemberg_staff_, 1);
  ASSERT_TRUE(thread);
  const std::string thread_path = "/themen/" + std::to_string(*thread);
  for (auto outsider : {land_admin_, wittenberg_staff_}) {
    sign_in(outsider);
    send(http::Method::get, "/arbeitsgruppen/" + id);
    EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/" + id + "/themen/neu").status, 403);
    EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/themen/neu",
                   "title=Von+oben&body=Anweisung")
                  .status,
              403);
    EXPECT_EQ(send(http::Method::post, thread_path + "/beitraege", "body=Anweisung").status, 403);
    EXPECT_EQ(send(http::Method::post, thread_path + "/abo", "on=1").status, 403);
    EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/anfragen",
                   "account=" + std::to_string(wittenberg_staff_) + "&decision=confirm")
                  .status,
              403);
    EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/verlassen").status, 404);
    EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/mitglieder",
                   "email=staff%40wittenberg.example")
                  .status,
              403);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_posts"), 1);
  // Staff of any organisation may ask to join; a citizen may not.
  sign_in(citizen_);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten").status, 404)
      << "an internal group is not even visible to a citizen";
  sign_in(land_admin_);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten", "message=Gern").status,
            303);
  sign_in(wittenberg_staff_);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten").status, 303);
  // The Land's admin is a member once confirmed — with a member's rights, no more.
  sign_in(kemberg_staff_);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/anfragen",
                 "account=" + std::to_string(land_admin_) + "&decision=confirm")
                .status,
            303);
  sign_in(land_admin_);
  EXPECT_EQ(send(http::Method::post, thread_path + "/beitraege", "body=Danke").status, 303);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/anfragen",
                 "account=" + std::to_string(wittenberg_staff_) + "&decision=confirm")
                .status,
            403)
      << "members do not decide requests, whatever their organisation";
  // A Gemeinde's member of staff named moderator decides them.
  ASSERT_TRUE(authz::SpaceRoleStore(*db).grant("group", group, wittenberg_staff_,
                                               authz::SpaceRole::moderator, 1));
  // (Wittenberg's request is still open: a role granted directly does not answer it.)
  sign_in(wittenberg_staff_);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/anfragen",
                 "account=" + std::to_string(wittenberg_staff_) + "&decision=decline")
                .status,
            303);
}

TEST_P(GroupsTest, JoiningOnRequestTellsModeratorsAndTheDecisionTellsThePerson) {
  auto group = found(land_admin_, "AG+Vergabe", "public", "request");
  const std::string id = std::to_string(group);
  sign_in(kemberg_staff_);
  auto page = send(http::Method::get, "/arbeitsgruppen/" + id);
  EXPECT_NE(page.body.find("/beitreten"), std::string::npos);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten",
                 "message=Ich+bin+Vergabestelle")
                .status,
            303);
  EXPECT_EQ(notices(land_admin_, "groups.join_request"), 1);
  auto again = send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten");
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("bereits angefragt"), std::string::npos);
  sign_in(land_admin_);
  page = send(http::Method::get, "/arbeitsgruppen/" + id);
  EXPECT_NE(page.body.find("Ich bin Vergabestelle"), std::string::npos);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/anfragen",
                 "account=" + std::to_string(kemberg_staff_) + "&decision=confirm")
                .status,
            303);
  EXPECT_EQ(notices(kemberg_staff_, "groups.join_decided"), 1);
  auto members = json::parse(api(http::Method::get, "/api/v1/groups/" + id + "/members").body);
  ASSERT_EQ(members["items"].size(), 2u);
  EXPECT_EQ(members["items"][1]["name"], "Karl Kemberg");
  EXPECT_EQ(members["items"][1]["organisations"], json::array({"Kemberg, Stadt"}));
  // The only owner cannot leave, and is told why.
  auto stay = send(http::Method::post, "/arbeitsgruppen/" + id + "/verlassen");
  EXPECT_EQ(stay.status, 409);
  EXPECT_NE(stay.body.find("einzige Eigentümerin"), std::string::npos);
  sign_in(kemberg_staff_);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/verlassen").status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM space_roles WHERE space_kind = 'group'"), 1);
}

// Outsiders cannot see a closed group to ask to join: its moderators add members of staff
// by address, and nobody learns from the form which addresses have accounts.
TEST_P(GroupsTest, ModeratorsAddStaffToAClosedGroup) {
  auto group = found(kemberg_staff_, "AG+Personal", "closed", "request");
  const std::string id = std::to_string(group);
  sign_in(wittenberg_staff_);
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten").status, 404);
  sign_in(kemberg_staff_);
  auto page = send(http::Method::get, "/arbeitsgruppen/" + id);
  EXPECT_NE(page.body.find("/mitglieder\""), std::string::npos);
  for (const char* email : {"citizen%40example.org", "niemand%40example.org"}) {
    auto refused = send(http::Method::post, "/arbeitsgruppen/" + id + "/mitglieder",
                        std::string("email=") + email);
    EXPECT_EQ(refused.status, 422);
    EXPECT_NE(refused.body.find("keine Beschäftigte und keinen Beschäftigten"), std::string::npos);
    EXPECT_NE(refused.body.find("href=\"#field-email\""), std::string::npos);
  }
  auto added = send(http::Method::post, "/arbeitsgruppen/" + id + "/mitglieder",
                    "email=staff%40wittenberg.example");
  EXPECT_EQ(added.status, 303);
  EXPECT_EQ(notices(wittenberg_staff_, "groups.added"), 1);
  auto again = send(http::Method::post, "/arbeitsgruppen/" + id + "/mitglieder",
                    "email=staff%40wittenberg.example");
  EXPECT_EQ(again.status, 422);
  EXPECT_NE(again.body.find("bereits Mitglied"), std::string::npos);
  sign_in(wittenberg_staff_);
  EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/" + id).status, 200);
  // A member is no moderator: adding is not for them.
  EXPECT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/mitglieder",
                 "email=admin%40land.example")
                .status,
            403);
}

// Owners change roles; the group keeps an owner; nobody else changes anything.
TEST_P(GroupsTest, OwnersHandOnOwnershipAndTheGroupKeepsOne) {
  auto group = found(kemberg_staff_, "AG+Rollen", "public");
  const std::string id = std::to_string(group);
  const std::string roles = "/arbeitsgruppen/" + id + "/rollen";
  sign_in(wittenberg_staff_);
  ASSERT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten").status, 303);
  EXPECT_EQ(send(http::Method::post, roles,
                 "account=" + std::to_string(wittenberg_staff_) + "&role=owner")
                .status,
            403)
      << "a member cannot make themselves owner";
  sign_in(land_admin_);
  EXPECT_EQ(
      send(http::Method::post, roles, "account=" + std::to_string(land_admin_) + "&role=owner")
          .status,
      403)
      << "nor can the Land's admin, who has no role here";
  sign_in(kemberg_staff_);
  auto page = send(http::Method::get, "/arbeitsgruppen/" + id);
  EXPECT_NE(page.body.find("id=\"role-" + std::to_string(wittenberg_staff_) + "\""),
            std::string::npos);
  auto last =
      send(http::Method::post, roles, "account=" + std::to_string(kemberg_staff_) + "&role=member");
  EXPECT_EQ(last.status, 409);
  EXPECT_NE(last.body.find("mindestens eine Eigentümerin"), std::string::npos);
  EXPECT_EQ(send(http::Method::post, roles, "account=" + std::to_string(citizen_) + "&role=member")
                .status,
            404);
  EXPECT_EQ(
      send(http::Method::post, roles, "account=" + std::to_string(wittenberg_staff_) + "&role=king")
          .status,
      400);
  ASSERT_EQ(send(http::Method::post, roles,
                 "account=" + std::to_string(wittenberg_staff_) + "&role=owner")
                .status,
            303);
  ASSERT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/verlassen").status, 303)
      << "with another owner, the founder may go";
  sign_in(wittenberg_staff_);
  ASSERT_TRUE(groups::GroupStore(*db).join(group, land_admin_, "", 1));
  EXPECT_EQ(
      send(http::Method::post, roles, "account=" + std::to_string(land_admin_) + "&role=remove")
          .status,
      303);
  EXPECT_EQ(authz::SpaceRoleStore(*db).role_in("group", group, land_admin_).value(),
            authz::SpaceRole::none);
}

TEST_P(GroupsTest, OwnersChangeTheSettingsAndTheSearchFollows) {
  auto group = found(kemberg_staff_, "AG+Radwege", "public");
  const std::string settings = "/arbeitsgruppen/" + std::to_string(group) + "/einstellungen";
  sign_in(wittenberg_staff_);
  ASSERT_EQ(
      send(http::Method::post, "/arbeitsgruppen/" + std::to_string(group) + "/beitreten").status,
      303);
  EXPECT_EQ(send(http::Method::get, settings).status, 403) << "members do not change settings";
  sign_in(kemberg_staff_);
  auto form = send(http::Method::get, settings);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"AG Radwege\""), std::string::npos) << "filled in";
  auto refused =
      send(http::Method::post, settings, "name=&description=Neu&visibility=closed&joining=open");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("href=\"#field-name\""), std::string::npos);
  EXPECT_NE(form.body.find("id=\"decision_results-after_vote\" name=\"decision_results\" "
                           "type=\"radio\" value=\"after_vote\" checked"),
            std::string::npos)
      << "decisions show results after one's vote unless the group says otherwise";
  EXPECT_EQ(send(http::Method::post, settings,
                 "name=AG&description=x&visibility=closed&joining=open&decision_results=nie")
                .status,
            422);
  ASSERT_EQ(send(http::Method::post, settings,
                 "name=AG+Schuldigitalisierung&description=Tablets&visibility=closed"
                 "&joining=request&decision_results=after_close")
                .status,
            303);
  auto shown = json::parse(api(http::Method::get, "/api/v1/groups?q=Schuldigitalisierung").body);
  ASSERT_EQ(shown["items"].size(), 1u);
  EXPECT_EQ(shown["items"][0]["visibility"], "closed");
  EXPECT_EQ(shown["items"][0]["decision_results"], "after_close");
  EXPECT_TRUE(groups::GroupStore(*db).find(group)->results_after_close);
  EXPECT_TRUE(json::parse(api(http::Method::get, "/api/v1/groups?q=Radwege").body)["items"].empty())
      << "the old name is no longer indexed";
  sign_in(land_admin_);
  EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/" + std::to_string(group)).status, 404)
      << "closed now";
}

TEST_P(GroupsTest, ThreadsNotifySubscribersAndMentionsAndMarkWhatIsUnread) {
  auto group = found(land_admin_, "AG+Digital", "internal");
  const std::string id = std::to_string(group);
  for (auto who : {kemberg_staff_, wittenberg_staff_}) {
    sign_in(who);
    ASSERT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten").status, 303);
  }
  sign_in(land_admin_);
  auto form = send(http::Method::get, "/arbeitsgruppen/" + id + "/themen/neu");
  ASSERT_EQ(form.status, 200);
  auto empty = send(http::Method::post, "/arbeitsgruppen/" + id + "/themen/neu",
                    "title=&body=Text&once=" + once_of(form));
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("href=\"#field-title\""), std::string::npos);
  auto created = send(http::Method::post, "/arbeitsgruppen/" + id + "/themen/neu",
                      "title=Online-Dienste&body=Was+fehlt%3F&once=" + once_of(form));
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string thread(created.headers.get("Location"));
  EXPECT_EQ(notices(kemberg_staff_, "groups.thread"), 1) << "members learn of new threads";
  EXPECT_EQ(notices(wittenberg_staff_, "groups.thread"), 1);
  EXPECT_EQ(notices(land_admin_, "groups.thread"), 0) << "not the author";

  // Kemberg subscribes; Wittenberg does not, but is mentioned.
  sign_in(kemberg_staff_);
  ASSERT_EQ(send(http::Method::get, thread).status, 200);
  ASSERT_EQ(send(http::Method::post, thread + "/abo", "on=1").status, 303);
  sign_in(wittenberg_staff_);
  auto shown = send(http::Method::get, thread);
  auto reply = send(http::Method::post, thread + "/beitraege",
                    "body=Die+Terminbuchung.&once=" + once_of(shown));
  ASSERT_EQ(reply.status, 303);
  EXPECT_EQ(notices(kemberg_staff_, "groups.post"), 1);
  EXPECT_EQ(notices(land_admin_, "groups.post"), 1) << "the author subscribed to their thread";
  EXPECT_EQ(notices(wittenberg_staff_, "groups.post"), 0) << "never about one's own post";
  sign_in(land_admin_);
  shown = send(http::Method::get, thread);
  ASSERT_EQ(send(http::Method::post, thread + "/beitraege",
                 "body=Danke+%40Wilma+Wittenberg%21&once=" + once_of(shown))
                .status,
            303);
  EXPECT_EQ(notices(wittenberg_staff_, "groups.mention"), 1);
  EXPECT_EQ(notices(kemberg_staff_, "groups.post"), 2);
  EXPECT_EQ(notices(land_admin_, "groups.post"), 1);

  // Kemberg has read the first post only: the group page marks the thread, and the link
  // leads to the first unread post.
  sign_in(kemberg_staff_);
  auto group_page = send(http::Method::get, "/arbeitsgruppen/" + id);
  EXPECT_NE(group_page.body.find("#ungelesen"), std::string::npos);
  auto unread = json::parse(api(http::Method::get, "/api/v1/groups/" + id + "/threads").body);
  EXPECT_EQ(unread["items"][0]["unread"], true);
  auto page = send(http::Method::get, thread);
  EXPECT_NE(page.body.find("id=\"ungelesen\""), std::string::npos);
  EXPECT_LT(page.body.find("Was fehlt?"), page.body.find("id=\"ungelesen\""));
  EXPECT_LT(page.body.find("id=\"ungelesen\""), page.body.find("Die Terminbuchung."));
  // Having seen the page, nothing is unread.
  auto read = json::parse(api(http::Method::get, "/api/v1/groups/" + id + "/threads").body);
  EXPECT_EQ(read["items"][0]["unread"], false);
  EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/" + id).body.find("#ungelesen"),
            std::string::npos);
  // An empty reply comes back with the message and the form.
  page = send(http::Method::get, thread);
  auto refused = send(http::Method::post, thread + "/beitraege", "body=+&once=" + once_of(page));
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("href=\"#field-body\""), std::string::npos);
}

TEST_P(GroupsTest, MembersChooseHowTheGroupsNoticesReachThem) {
  auto group = found(land_admin_, "AG+Digital", "public");
  const std::string id = std::to_string(group);
  const std::string path = "/arbeitsgruppen/" + id + "/benachrichtigungen";
  sign_in(kemberg_staff_);
  EXPECT_EQ(send(http::Method::post, path, "delivery=digest").status, 403) << "not a member";
  ASSERT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten").status, 303);
  auto page = send(http::Method::get, "/arbeitsgruppen/" + id);
  EXPECT_NE(page.body.find("id=\"delivery-default\" name=\"delivery\" type=\"radio\" "
                           "value=\"default\" checked"),
            std::string::npos);
  EXPECT_EQ(send(http::Method::post, path, "delivery=loud").status, 400);
  EXPECT_EQ(send(http::Method::post, path, "delivery=digest", false).status, 403) << "CSRF";
  auto saved = send(http::Method::post, path, "delivery=digest");
  ASSERT_EQ(saved.status, 303);
  std::string location(saved.headers.get("Location"));
  EXPECT_TRUE(location.ends_with("#benachrichtigungen")) << "back to the form";
  page = send(http::Method::get, location.substr(0, location.find('#')));  // as browsers do
  EXPECT_NE(page.body.find("value=\"digest\" checked"), std::string::npos);
  EXPECT_NE(page.body.find("role=\"status\""), std::string::npos) << "says it was saved";

  // A new thread (kind default: digest) and a mention (kind default: mail at once) both
  // wait for Kemberg's daily summary now.
  sign_in(land_admin_);
  auto form = send(http::Method::get, "/arbeitsgruppen/" + id + "/themen/neu");
  ASSERT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/themen/neu",
                 "title=Termine&body=Hallo+%40Karl+Kemberg&once=" + once_of(form))
                .status,
            303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE account_id = " +
                  std::to_string(kemberg_staff_) + " AND mail_state = 'digest'"),
            1);
  EXPECT_EQ(mailer.count(), 0u);
  // Back to the general settings: the mention mails at once again.
  sign_in(kemberg_staff_);
  ASSERT_EQ(send(http::Method::post, path, "delivery=default").status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_scope_settings"), 0);
  sign_in(land_admin_);
  auto thread = count("SELECT MAX(id) FROM group_threads");
  auto shown = send(http::Method::get, "/themen/" + std::to_string(thread));
  ASSERT_EQ(send(http::Method::post, "/themen/" + std::to_string(thread) + "/beitraege",
                 "body=Noch+einmal+%40Karl+Kemberg&once=" + once_of(shown))
                .status,
            303);
  EXPECT_EQ(notices(kemberg_staff_, "groups.mention"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE account_id = " +
                  std::to_string(kemberg_staff_) + " AND mail_state = 'digest'"),
            1);
}

TEST_P(GroupsTest, LongThreadsArePagedAndTheReplyLandsOnItsPage) {
  auto group = found(land_admin_, "AG+Lang", "public");
  groups::ThreadStore threads(*db);
  auto thread = threads.create(group, "Langes Thema", "Beitrag 0", land_admin_, 1);
  ASSERT_TRUE(thread);
  for (int i = 1; i < 120; ++i)
    ASSERT_TRUE(threads.reply(*thread, "Beitrag " + std::to_string(i), land_admin_, 1 + i));
  const std::string path = "/themen/" + std::to_string(*thread);
  sign_in(0);
  auto first = send(http::Method::get, path);
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("Beitrag 49<"), std::string::npos);
  EXPECT_EQ(first.body.find("Beitrag 50<"), std::string::npos);
  auto next = first.body.find("?cursor=");
  ASSERT_NE(next, std::string::npos);
  std::string href = first.body.substr(first.body.rfind("href=\"", next) + 6);
  href = href.substr(0, href.find('"'));
  auto second = send(http::Method::get, href);
  EXPECT_NE(second.body.find("Beitrag 50<"), std::string::npos);
  EXPECT_EQ(second.body.find("Beitrag 49<"), std::string::npos);
  EXPECT_EQ(send(http::Method::get, path + "?cursor=kaputt").status, 400);
  // The API pages the same way.
  auto api_page = json::parse(
      api(http::Method::get, "/api/v1/threads/" + std::to_string(*thread) + "/posts?limit=100")
          .body);
  EXPECT_EQ(api_page["items"].size(), 100u);
  auto rest = json::parse(api(http::Method::get, "/api/v1/threads/" + std::to_string(*thread) +
                                                     "/posts?limit=100&cursor=" +
                                                     api_page["next_cursor"].get<std::string>())
                              .body);
  EXPECT_EQ(rest["items"].size(), 20u);
  EXPECT_TRUE(rest["next_cursor"].is_null());
  EXPECT_EQ(api(http::Method::get, "/api/v1/threads/" + std::to_string(*thread) + "/posts?limit=0")
                .status,
            400);
}

TEST_P(GroupsTest, TheApiCreatesListsAndJoins) {
  EXPECT_EQ(api(http::Method::post, "/api/v1/groups", R"({"name":"AG"})").status, 401);
  sign_in(citizen_);
  EXPECT_EQ(api(http::Method::post, "/api/v1/groups",
                R"({"name":"AG","description":"x","visibility":"public","joining":"open"})", csrf)
                .status,
            403);
  sign_in(wittenberg_staff_);
  auto bad =
      api(http::Method::post, "/api/v1/groups",
          R"({"name":"AG","description":"x","visibility":"sichtbar","joining":"open"})", csrf);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("wer die Gruppe sehen kann"), std::string::npos);
  auto created = api(http::Method::post, "/api/v1/groups",
                     R"({"name":"AG Radverkehr","description":"Radwege planen",)"
                     R"("visibility":"internal","joining":"request"})",
                     csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  auto group = json::parse(created.body);
  EXPECT_EQ(group["visibility"], "internal");
  EXPECT_EQ(group["member_count"], 1);
  const std::string id = std::to_string(group["id"].get<std::int64_t>());
  EXPECT_EQ(json::parse(api(http::Method::get, "/api/v1/groups/" + id).body)["my_role"], "owner");
  auto found = json::parse(api(http::Method::get, "/api/v1/groups?q=Radwegen").body);
  ASSERT_EQ(found["items"].size(), 1u) << "German stems: Radwegen finds Radwege";
  sign_in(kemberg_staff_);
  auto asked =
      api(http::Method::post, "/api/v1/groups/" + id + "/members", R"({"message":"Gern"})", csrf);
  EXPECT_EQ(asked.status, 202);
  EXPECT_EQ(json::parse(asked.body)["state"], "requested");
  EXPECT_EQ(api(http::Method::post, "/api/v1/groups/" + id + "/members", "", csrf).status, 409);
  EXPECT_EQ(api(http::Method::get, "/api/v1/groups?limit=500").status, 400);
}

// Attachments travel with a post: chosen in the form, listed under the post, served to
// whoever may read the group and to nobody else; a refused file keeps the post back.
TEST_P(GroupsTest, PostsCarryAttachmentsForThoseWhoReadTheGroup) {
  auto group = found(land_admin_, "AG+Digital", "internal");
  const std::string id = std::to_string(group);
  sign_in(kemberg_staff_);
  ASSERT_EQ(send(http::Method::post, "/arbeitsgruppen/" + id + "/beitreten").status, 303);
  auto form = send(http::Method::get, "/arbeitsgruppen/" + id + "/themen/neu");
  ASSERT_NE(form.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  auto parts = [&](const std::string& once, testing::FormPart file) {
    return std::vector<testing::FormPart>{
        testing::form_field("csrf", csrf), testing::form_field("once", once),
        testing::form_field("title", "Protokolle"),
        testing::form_field("body", "Das Protokoll vom Montag."), std::move(file)};
  };
  auto refused = send_multipart(
      "/arbeitsgruppen/" + id + "/themen/neu",
      parts(once_of(form), testing::form_file("attachment0", "Protokoll.pdf", "application/pdf",
                                              files::samples::html())));
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("id=\"error-attachment0\""), std::string::npos);
  EXPECT_NE(refused.body.find("<details class=\"ah-reply\" open>"), std::string::npos)
      << "the attachments are unfolded where the message is";
  EXPECT_NE(refused.body.find(">Das Protokoll vom Montag.</textarea>"), std::string::npos)
      << "the text is kept";
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_threads"), 0);

  auto created = send_multipart(
      "/arbeitsgruppen/" + id + "/themen/neu",
      parts(once_of(form), testing::form_file("attachment0", "Protokoll.pdf", "application/pdf",
                                              files::samples::pdf())));
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string thread(created.headers.get("Location"));
  auto page = send(http::Method::get, thread);
  auto link = page.body.find("href=\"/dateien/");
  ASSERT_NE(link, std::string::npos);
  std::string file_url = page.body.substr(link + 6, page.body.find('"', link + 6) - link - 6);
  EXPECT_NE(page.body.find(">Protokoll.pdf</a>"), std::string::npos);
  auto served = send(http::Method::get, file_url);
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.headers.get("Content-Type"), "application/pdf");
  EXPECT_EQ(served.headers.get("Cache-Control").find("public"), std::string_view::npos)
      << "not a public group: no shared cache keeps it";
  sign_in(citizen_);
  EXPECT_EQ(send(http::Method::get, file_url).status, 404) << "citizens cannot read it";
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, file_url).status, 404);
  // The API lists it with the post.
  sign_in(kemberg_staff_);
  auto posts = json::parse(
      api(http::Method::get, "/api/v1/threads/" + thread.substr(thread.rfind('/') + 1) + "/posts")
          .body);
  ASSERT_EQ(posts["items"][0]["attachments"].size(), 1u);
  EXPECT_EQ(posts["items"][0]["attachments"][0]["media_type"], "application/pdf");
}

TEST_P(GroupsTest, MembersWriteThreadsAndPostsThroughTheApi) {
  auto group = found(land_admin_, "AG+Digital", "public");
  const std::string path = "/api/v1/groups/" + std::to_string(group) + "/threads";
  const std::string thread_body = R"({"title":"Über die API","body":"Hallo **alle**"})";
  sign_in(0);
  EXPECT_EQ(api(http::Method::post, path, thread_body).status, 401);
  sign_in(wittenberg_staff_);
  EXPECT_EQ(api(http::Method::post, path, thread_body, csrf).status, 403) << "not a member";
  sign_in(land_admin_);
  EXPECT_EQ(api(http::Method::post, path, "[1]", csrf).status, 400);
  auto empty = api(http::Method::post, path, R"({"title":"","body":"x"})", csrf);
  EXPECT_EQ(empty.status, 422);
  auto created = api(http::Method::post, path, thread_body, csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  auto thread = json::parse(created.body);
  EXPECT_EQ(thread["title"], "Über die API");
  EXPECT_EQ(thread["post_count"], 1);
  const std::string posts = "/api/v1/threads/" + std::to_string(thread["id"].get<int>()) + "/posts";
  auto reply = api(http::Method::post, posts, R"({"body":"Noch etwas."})", csrf);
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(json::parse(reply.body)["body"], "Noch etwas.");
  EXPECT_EQ(api(http::Method::post, posts, R"({"body":" "})", csrf).status, 422);
  sign_in(wittenberg_staff_);
  EXPECT_EQ(api(http::Method::post, posts, R"({"body":"Ich auch"})", csrf).status, 403);
  auto listed = json::parse(api(http::Method::get, posts).body);
  ASSERT_EQ(listed["items"].size(), 2u);
  EXPECT_EQ(listed["items"][1]["body"], "Noch etwas.");
}

TEST_P(GroupsTest, ExportHasOnesPostsAndErasureKeepsThemAnonymous) {
  auto group = found(land_admin_, "AG+Export", "public");
  sign_in(kemberg_staff_);
  ASSERT_EQ(
      send(http::Method::post, "/arbeitsgruppen/" + std::to_string(group) + "/beitreten").status,
      303);
  auto thread = groups::ThreadStore(*db).create(group, "Thema", "Mein Beitrag", kemberg_staff_, 1);
  ASSERT_TRUE(thread);
  auto exported = module("groups").export_personal_data(services(), kemberg_staff_);
  ASSERT_TRUE(exported);
  EXPECT_EQ((*exported)["posts"][0]["body"], "Mein Beitrag");
  EXPECT_EQ((*exported)["memberships"][0]["role"], "member");
  EXPECT_EQ((*exported)["subscriptions"][0]["thread_id"], *thread);
  EXPECT_EQ((*exported)["join_requests"], json::array());
  // The founder goes: the group gets a new owner, the posts stay.
  ASSERT_TRUE(module("groups").before_account_erasure(services(), land_admin_));
  ASSERT_TRUE(accounts::AccountStore(*db).erase(land_admin_));
  EXPECT_EQ(authz::SpaceRoleStore(*db).role_in("group", group, kemberg_staff_).value(),
            authz::SpaceRole::owner);
  ASSERT_TRUE(module("groups").before_account_erasure(services(), kemberg_staff_));
  ASSERT_TRUE(accounts::AccountStore(*db).erase(kemberg_staff_));
  sign_in(0);
  auto page = send(http::Method::get, "/themen/" + std::to_string(*thread));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Mein Beitrag"), std::string::npos);
  EXPECT_NE(page.body.find("gelöschtes Konto"), std::string::npos);
}

AH_INSTANTIATE_BACKEND_TEST(GroupsTest);

}  // namespace
}  // namespace ah::modules
