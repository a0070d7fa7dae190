// The Augenhöhe test matrix: for every action, an admin of the Land has no right in a
// Gemeinde's space that an admin of another Gemeinde lacks, and the other way round; only
// roles granted in the space itself (and in the organisation that owns it) count — never
// an organisation's type, never a role elsewhere.
//
// Each check goes through the real tables (authz::Authorizer on SQLite and PostgreSQL)
// with the real reference data: the Land Sachsen-Anhalt, Kemberg and Lutherstadt
// Wittenberg.
#include <gtest/gtest.h>

#include "authz/memberships.h"
#include "authz/permissions.h"
#include "db/test_database.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

using authz::Action;
using authz::Authorizer;
using authz::OrgRole;
using authz::SpaceRole;
using authz::Target;

class AugenhoeheMatrix : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules());
    land_ = org_id("15");
    kemberg_ = org_id("15091160");
    wittenberg_ = org_id("15091375");
    authz::MembershipStore members(*db);
    auto person = [&](const char* email, std::int64_t org, OrgRole role) {
      auto id = create_account(email, email);
      if (org != 0) {
        EXPECT_TRUE(members.put(org, id, role, 1));
      }
      return id;
    };
    land_admin_ = person("admin@land.example", land_, OrgRole::admin);
    land_member_ = person("staff@land.example", land_, OrgRole::member);
    kemberg_admin_ = person("admin@kemberg.example", kemberg_, OrgRole::admin);
    kemberg_member_ = person("staff@kemberg.example", kemberg_, OrgRole::member);
    wittenberg_admin_ = person("admin@wittenberg.example", wittenberg_, OrgRole::admin);
    wittenberg_member_ = person("staff@wittenberg.example", wittenberg_, OrgRole::member);
    citizen_ = person("citizen@example.org", 0, OrgRole::member);
  }

  bool can(std::int64_t who, Action action, const Target& target) {
    auto allowed = Authorizer(*db).can(who, action, target);
    EXPECT_TRUE(allowed);
    return allowed && *allowed;
  }

  // The targets of one Gemeinde (or the Land): the organisation itself and a space of each
  // kind it can own; working groups belong to no organisation.
  std::vector<Target> targets_of(std::int64_t org, std::int64_t space_id) {
    return {Target::organisation(org), Target::space("process", space_id, org),
            Target::space("consultation", space_id, org), Target::space("group", space_id)};
  }

  // Everything the two outsiders may do with the targets must be the same.
  void expect_same_rights(std::int64_t outsider_a, std::int64_t outsider_b,
                          const std::vector<Target>& targets, const std::string& what) {
    for (const auto& target : targets) {
      for (Action action : authz::all_actions()) {
        EXPECT_EQ(can(outsider_a, action, target), can(outsider_b, action, target))
            << what << ": " << authz::to_string(action) << " on "
            << (target.space_kind.empty() ? "organisation" : target.space_kind);
      }
    }
  }

  std::int64_t land_ = 0, kemberg_ = 0, wittenberg_ = 0;
  std::int64_t land_admin_ = 0, land_member_ = 0, kemberg_admin_ = 0, kemberg_member_ = 0;
  std::int64_t wittenberg_admin_ = 0, wittenberg_member_ = 0, citizen_ = 0;
};

TEST_P(AugenhoeheMatrix, TheLandHasNoMoreRightsInAGemeindeThanAnotherGemeinde) {
  auto kemberg = targets_of(kemberg_, 1);
  expect_same_rights(land_admin_, wittenberg_admin_, kemberg,
                     "Land admin vs Wittenberg admin in Kemberg");
  expect_same_rights(land_member_, wittenberg_member_, kemberg,
                     "Land staff vs Wittenberg staff in Kemberg");
  // …and none of them has any right on Kemberg's organisation or spaces, except what
  // every member of any organisation has (group.create, …: not about Kemberg).
  for (const auto& target : kemberg)
    for (Action action : authz::all_actions())
      if (!authz::granted_to_all_staff(action)) {
        EXPECT_FALSE(can(land_admin_, action, target)) << authz::to_string(action);
      }
}

TEST_P(AugenhoeheMatrix, AGemeindeHasNoMoreRightsInTheLandThanAnotherGemeinde) {
  auto land = targets_of(land_, 2);
  expect_same_rights(kemberg_admin_, wittenberg_admin_, land,
                     "Kemberg admin vs Wittenberg admin in the Land");
  expect_same_rights(kemberg_member_, wittenberg_member_, land,
                     "Kemberg staff vs Wittenberg staff in the Land");
}

TEST_P(AugenhoeheMatrix, OnlyRolesGrantedInTheSpaceCount) {
  authz::SpaceRoleStore spaces(*db);
  for (auto role : {SpaceRole::member, SpaceRole::moderator, SpaceRole::owner}) {
    // The same role in Kemberg's process for the Land's admin, Wittenberg's admin and a
    // citizen who belongs to no organisation: exactly the same rights, for every action.
    for (auto who : {land_admin_, wittenberg_admin_, citizen_})
      ASSERT_TRUE(spaces.grant("process", 10, who, role, 1));
    auto process = Target::space("process", 10, kemberg_);
    for (Action action : authz::all_actions()) {
      if (authz::granted_to_all_staff(action)) continue;  // not about this space
      bool citizen = can(citizen_, action, process);
      EXPECT_EQ(can(land_admin_, action, process), citizen)
          << authz::to_string(action) << " as " << authz::to_string(role);
      EXPECT_EQ(can(wittenberg_admin_, action, process), citizen) << authz::to_string(action);
      EXPECT_EQ(citizen, authz::permits(action, {.space = role})) << authz::to_string(action);
    }
    // A role in one space is nothing in the next one.
    for (Action action : authz::all_actions())
      if (!authz::granted_to_all_staff(action)) {
        EXPECT_FALSE(can(land_admin_, action, Target::space("process", 11, kemberg_)))
            << authz::to_string(action);
      }
  }
}

TEST_P(AugenhoeheMatrix, TheOwningOrganisationsRolesCountInItsSpaces) {
  auto process = Target::space("process", 20, kemberg_);
  EXPECT_TRUE(can(kemberg_admin_, Action::process_moderate, process));
  EXPECT_TRUE(can(kemberg_admin_, Action::process_answer, process));
  EXPECT_FALSE(can(kemberg_member_, Action::process_answer, process));
  EXPECT_TRUE(can(kemberg_admin_, Action::process_create, Target::organisation(kemberg_)));
  EXPECT_TRUE(can(land_admin_, Action::process_create, Target::organisation(land_)));
  EXPECT_TRUE(can(kemberg_member_, Action::statement_draft, Target::organisation(kemberg_)));
  // Groups have no owning organisation: being an admin anywhere moderates nothing there.
  EXPECT_FALSE(can(kemberg_admin_, Action::group_moderate, Target::space("group", 20)));
  // Anonymous visitors may do nothing that needs a permission.
  for (Action action : authz::all_actions()) EXPECT_FALSE(can(0, action, process));
}

// Moderation (reports queue, hiding, blocking) of a Gemeinde's process: the Land's admin
// has no more say than Wittenberg's or a citizen — none — and a moderator named in the
// process has it whoever they are.
TEST_P(AugenhoeheMatrix, ModeratingAGemeindesProcessNeedsARoleThere) {
  auto process = Target::space("process", 40, kemberg_);
  for (auto outsider : {land_admin_, land_member_, wittenberg_admin_, citizen_, kemberg_member_})
    EXPECT_FALSE(can(outsider, Action::process_moderate, process)) << outsider;
  EXPECT_TRUE(can(kemberg_admin_, Action::process_moderate, process));
  ASSERT_TRUE(authz::SpaceRoleStore(*db).grant("process", 40, citizen_, SpaceRole::moderator, 1));
  EXPECT_TRUE(can(citizen_, Action::process_moderate, process));
  EXPECT_FALSE(can(citizen_, Action::process_edit, process)) << "moderating is not running it";
  EXPECT_FALSE(can(land_admin_, Action::process_moderate, process));
}

TEST_P(AugenhoeheMatrix, TypesDoNotMatterSwappingThemChangesNoAnswer) {
  std::vector<std::int64_t> people{land_admin_,     land_member_,      kemberg_admin_,
                                   kemberg_member_, wittenberg_admin_, wittenberg_member_,
                                   citizen_};
  std::vector<Target> targets = targets_of(kemberg_, 30);
  for (auto& t : targets_of(land_, 31)) targets.push_back(t);
  auto answers = [&] {
    std::vector<bool> out;
    for (auto who : people)
      for (const auto& target : targets)
        for (Action action : authz::all_actions()) out.push_back(can(who, action, target));
    return out;
  };
  auto before = answers();
  // The Land becomes a "Gemeinde" and Kemberg the "Land": if any rule read the type, some
  // answer would change.
  ASSERT_TRUE(db->query("UPDATE organisations SET type = 'gemeinde' WHERE id = $1", {land_}));
  ASSERT_TRUE(db->query("UPDATE organisations SET type = 'land' WHERE id = $1", {kemberg_}));
  EXPECT_EQ(answers(), before);
}

AH_INSTANTIATE_BACKEND_TEST(AugenhoeheMatrix);

}  // namespace
}  // namespace ah::modules
