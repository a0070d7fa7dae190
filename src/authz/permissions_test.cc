// The rule table itself (no database): names, the order of roles, and that type-free
// roles are all that is asked. The Augenhöhe matrix against real data is in
// src/modules/members/augenhoehe_matrix_test.cc.
#include "authz/permissions.h"

#include <gtest/gtest.h>

#include <set>

namespace ah::authz {
namespace {

TEST(Permissions, EveryActionHasAUniqueDottedNameThatReadsBack) {
  std::set<std::string_view> names;
  for (Action a : all_actions()) {
    auto name = to_string(a);
    EXPECT_NE(name.find('.'), std::string_view::npos) << name;
    EXPECT_TRUE(names.insert(name).second) << "twice: " << name;
    EXPECT_EQ(action_from_string(name), a);
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(Action::consultation_answer) + 1)
      << "every enumerator has a row in the grant table";
  EXPECT_FALSE(action_from_string("process.delete_everything"));
}

TEST(Permissions, NobodyWithoutRolesMayDoAnything) {
  for (Action a : all_actions()) EXPECT_FALSE(permits(a, Roles{})) << to_string(a);
}

TEST(Permissions, HigherRolesIncludeLowerOnes) {
  for (Action a : all_actions()) {
    for (auto lower : {OrgRole::none, OrgRole::member}) {
      if (permits(a, {.org = lower})) {
        EXPECT_TRUE(permits(a, {.org = OrgRole::admin})) << to_string(a);
      }
    }
    for (auto lower : {SpaceRole::member, SpaceRole::moderator}) {
      for (auto higher : {SpaceRole::moderator, SpaceRole::owner}) {
        if (higher > lower && permits(a, {.space = lower})) {
          EXPECT_TRUE(permits(a, {.space = higher})) << to_string(a);
        }
      }
    }
  }
}

TEST(Permissions, SomeConcreteRules) {
  EXPECT_TRUE(permits(Action::process_create, {.org = OrgRole::admin}));
  EXPECT_FALSE(permits(Action::process_create, {.org = OrgRole::member}));
  EXPECT_TRUE(permits(Action::statement_release, {.org = OrgRole::member}));
  EXPECT_TRUE(permits(Action::process_moderate, {.space = SpaceRole::moderator}));
  EXPECT_FALSE(permits(Action::process_answer, {.space = SpaceRole::moderator}));
  EXPECT_TRUE(permits(Action::group_post, {.space = SpaceRole::member}));
  // Groups belong to no organisation: an organisation role grants nothing in them.
  EXPECT_FALSE(permits(Action::group_moderate, {.org = OrgRole::admin}));
  // Creating a group needs only to be staff of some organisation.
  EXPECT_TRUE(permits(Action::group_create, {.staff = true}));
  EXPECT_FALSE(permits(Action::group_create, {}));
  // Reading groups: an internal one for staff anywhere and its members (a citizen may be
  // one), a closed one for its members only — being staff elsewhere opens nothing.
  EXPECT_TRUE(permits(Action::group_view_internal, {.staff = true}));
  EXPECT_TRUE(permits(Action::group_view_internal, {.space = SpaceRole::member}));
  EXPECT_FALSE(permits(Action::group_view_internal, {.org = OrgRole::admin}));
  EXPECT_FALSE(permits(Action::group_view_closed, {.org = OrgRole::admin, .staff = true}));
  EXPECT_TRUE(permits(Action::group_view_closed, {.space = SpaceRole::member}));
  EXPECT_TRUE(permits(Action::group_join, {.staff = true}));
  EXPECT_FALSE(permits(Action::group_join, {.org = OrgRole::admin}));
  EXPECT_TRUE(granted_to_all_staff(Action::group_join));
  EXPECT_FALSE(granted_to_all_staff(Action::group_view_closed));
}

TEST(Permissions, RoleNamesReadBack) {
  for (auto r : {OrgRole::member, OrgRole::admin}) EXPECT_EQ(org_role_from_string(to_string(r)), r);
  for (auto r : {SpaceRole::member, SpaceRole::moderator, SpaceRole::owner})
    EXPECT_EQ(space_role_from_string(to_string(r)), r);
  EXPECT_FALSE(org_role_from_string("none"));
  EXPECT_FALSE(org_role_from_string("operator"));
}

}  // namespace
}  // namespace ah::authz
