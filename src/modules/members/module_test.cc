// Memberships through the pages: request, confirm or decline, roles, leaving, the
// last-admin rule, who sees what, and the DSGVO export part.
#include "modules/members/module.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

using authz::OrgRole;

constexpr const char* kKemberg = "15091160";
const std::string kPage = std::string("/organisationen/") + kKemberg + "/mitglieder";

class MembersTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules());
    kemberg_ = org_id(kKemberg);
    admin_ = create_account("admin@kemberg.example", "Ada Admin");
    ASSERT_TRUE(authz::MembershipStore(*db).put(kemberg_, admin_, OrgRole::admin, 1));
  }
  std::int64_t kemberg_ = 0, admin_ = 0;
};

TEST_P(MembersTest, RequestConfirmAndTheMailsAboutIt) {
  auto paul = create_account("paul@example.org", "Paul Mitarbeiter");
  sign_in(paul);
  auto page = send(http::Method::get, kPage);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Mitgliedschaft beantragen"), std::string::npos);
  auto asked = send(http::Method::post, kPage + "/antrag");
  EXPECT_EQ(asked.status, 303);
  EXPECT_EQ(asked.headers.get("Location"), kPage + "?done=requested");
  auto mails = mailer.sent();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, "admin@kemberg.example");
  EXPECT_NE(mails[0].text.find("Paul Mitarbeiter"), std::string::npos);
  EXPECT_NE(mails[0].text.find("https://beteiligung.example" + kPage), std::string::npos);
  // A second request is answered, not stored twice.
  EXPECT_EQ(send(http::Method::post, kPage + "/antrag").headers.get("Location"),
            kPage + "?error=already_requested");

  // Paul sees his pending request, not the admin's buttons.
  page = send(http::Method::get, kPage + "?done=requested");
  EXPECT_NE(page.body.find("wartet auf Bestätigung"), std::string::npos);
  EXPECT_EQ(page.body.find("value=\"confirm\""), std::string::npos);
  EXPECT_NE(page.body.find("Ihre Anfrage ist gestellt"), std::string::npos);
  // …and cannot confirm himself.
  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(paul), "action=confirm").status,
            403);

  sign_in(admin_);
  page = send(http::Method::get, kPage);
  EXPECT_NE(page.body.find("Offene Anfragen"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"confirm\""), std::string::npos);
  auto confirmed = send(http::Method::post, kPage + "/" + std::to_string(paul), "action=confirm");
  EXPECT_EQ(confirmed.headers.get("Location"), kPage + "?done=confirmed");
  mails = mailer.sent();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[1].to, "paul@example.org");
  EXPECT_NE(mails[1].subject.find("bestätigt"), std::string::npos);

  auto m = authz::MembershipStore(*db).find(kemberg_, paul);
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->state, authz::MembershipState::active);
  EXPECT_EQ((*m)->role, OrgRole::member);
  // Deciding again finds nothing to decide.
  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(paul), "action=decline")
                .headers.get("Location"),
            kPage + "?error=gone");
}

TEST_P(MembersTest, DeclineRemovesTheRequestAndTellsThePerson) {
  auto eve = create_account("eve@example.org", "Eve");
  sign_in(eve);
  send(http::Method::get, kPage);
  send(http::Method::post, kPage + "/antrag");
  sign_in(admin_);
  send(http::Method::get, kPage);
  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(eve), "action=decline")
                .headers.get("Location"),
            kPage + "?done=declined");
  EXPECT_FALSE(*authz::MembershipStore(*db).find(kemberg_, eve));
  EXPECT_NE(mailer.sent().back().subject.find("abgelehnt"), std::string::npos);
}

TEST_P(MembersTest, AdminsManageRolesButNeverRemoveTheLastAdmin) {
  auto bea = create_account("bea@example.org", "Bea");
  ASSERT_TRUE(authz::MembershipStore(*db).put(kemberg_, bea, OrgRole::member, 1));
  sign_in(admin_);
  send(http::Method::get, kPage);
  // The only admin cannot demote or remove themselves, nor leave.
  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(admin_), "action=member")
                .headers.get("Location"),
            kPage + "?error=last_admin");
  EXPECT_EQ(send(http::Method::post, kPage + "/austritt").headers.get("Location"),
            kPage + "?error=last_admin");
  auto refused = send(http::Method::get, kPage + "?error=last_admin");
  EXPECT_NE(refused.body.find("mindestens eine Administratorin"), std::string::npos);

  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(bea), "action=admin")
                .headers.get("Location"),
            kPage + "?done=admin");
  // Now there are two: the first may step down, and Bea runs the organisation.
  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(admin_), "action=member")
                .headers.get("Location"),
            kPage + "?done=member");
  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(bea), "action=remove").status,
            403)
      << "no longer an admin";
  sign_in(bea);
  send(http::Method::get, kPage);
  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(admin_), "action=remove")
                .headers.get("Location"),
            kPage + "?done=removed");
  EXPECT_EQ(send(http::Method::post, kPage + "/" + std::to_string(admin_), "action=explode").status,
            400);
  EXPECT_EQ(send(http::Method::post, kPage + "/abc", "action=remove").status, 400);
}

TEST_P(MembersTest, NamesAreForSignedInPeopleAndUnsafeRequestsNeedTheToken) {
  auto anonymous = send(http::Method::get, kPage);
  EXPECT_EQ(anonymous.status, 200);
  EXPECT_EQ(anonymous.body.find("Ada Admin"), std::string::npos);
  EXPECT_NE(anonymous.body.find("Diese Organisation hat 1 "), std::string::npos) << anonymous.body;
  EXPECT_EQ(send(http::Method::post, kPage + "/antrag", "", false).status, 403)
      << "no CSRF token, no session";

  auto paul = create_account("paul@example.org", "Paul");
  sign_in(paul);
  EXPECT_NE(send(http::Method::get, kPage).body.find("Ada Admin"), std::string::npos);
  EXPECT_EQ(send(http::Method::post, kPage + "/antrag", "", /*with_csrf=*/false).status, 403);
  EXPECT_EQ(send(http::Method::get, "/organisationen/99999999/mitglieder").status, 404);
  // The Kreis key of a kreisfreie Stadt leads to the Stadt's own page.
  EXPECT_EQ(send(http::Method::get, "/organisationen/15001/mitglieder").status, 301);
}

TEST_P(MembersTest, MyOrganisationsAndTheDataExport) {
  auto paul = create_account("paul@example.org", "Paul");
  ASSERT_TRUE(authz::MembershipStore(*db).put(org_id("15"), paul, OrgRole::member, 1));
  ASSERT_TRUE(authz::MembershipStore(*db).request(kemberg_, paul, 2));
  sign_in(paul);
  auto mine = send(http::Method::get, "/konto/organisationen");
  EXPECT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("Kemberg"), std::string::npos);
  EXPECT_NE(mine.body.find("angefragt"), std::string::npos);
  EXPECT_NE(mine.body.find("Sachsen-Anhalt"), std::string::npos);

  auto exported = send(http::Method::get, "/konto/daten");
  ASSERT_EQ(exported.status, 200);
  auto json = nlohmann::json::parse(exported.body);
  ASSERT_TRUE(json.contains("members")) << exported.body;
  ASSERT_EQ(json["members"]["memberships"].size(), 2u);
  EXPECT_EQ(json["members"]["memberships"][0]["state"],
            "requested");  // Kemberg sorts before Sachsen-Anhalt

  sign_in(0);
  EXPECT_EQ(send(http::Method::get, "/konto/organisationen").status, 303);
}

TEST_P(MembersTest, ErasingAnAccountErasesItsMemberships) {
  auto paul = create_account("paul@example.org", "Paul");
  ASSERT_TRUE(authz::MembershipStore(*db).put(kemberg_, paul, OrgRole::member, 1));
  ASSERT_TRUE(authz::SpaceRoleStore(*db).grant("group", 7, paul, authz::SpaceRole::owner, 1));
  ASSERT_TRUE(accounts::AccountStore(*db).erase(paul));
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM org_memberships WHERE account_id = $1",
                                {paul}),
            0);
  EXPECT_EQ(
      db::testing::scalar(*db, "SELECT COUNT(*) FROM space_roles WHERE account_id = $1", {paul}),
      0);
}

AH_INSTANTIATE_BACKEND_TEST(MembersTest);

}  // namespace
}  // namespace ah::modules
