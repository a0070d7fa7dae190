#include "authz/permissions.h"

#include <array>

namespace ah::authz {

namespace {

// One row per action: the least role in the owning organisation and the least role in
// the space that grant it (none: that kind of role does not grant it), and whether being
// staff anywhere is enough. Roles are ordered: admin ⊃ member, owner ⊃ moderator ⊃ member.
struct Grant {
  Action action;
  std::string_view name;
  OrgRole org;
  SpaceRole space;
  bool any_staff;
};

constexpr std::array kGrants{
    Grant{Action::org_edit, "org.edit", OrgRole::admin, SpaceRole::none, false},
    Grant{Action::org_members_manage, "org.members.manage", OrgRole::admin, SpaceRole::none, false},
    Grant{Action::process_create, "process.create", OrgRole::admin, SpaceRole::none, false},
    Grant{Action::consultation_create, "consultation.create", OrgRole::admin, SpaceRole::none,
          false},
    Grant{Action::statement_draft, "statement.draft", OrgRole::member, SpaceRole::none, false},
    Grant{Action::statement_release, "statement.release", OrgRole::member, SpaceRole::none, false},
    Grant{Action::process_edit, "process.edit", OrgRole::admin, SpaceRole::owner, false},
    Grant{Action::process_moderate, "process.moderate", OrgRole::admin, SpaceRole::moderator,
          false},
    Grant{Action::process_answer, "process.answer", OrgRole::admin, SpaceRole::owner, false},
    Grant{Action::group_create, "group.create", OrgRole::none, SpaceRole::none, true},
    Grant{Action::group_edit, "group.edit", OrgRole::none, SpaceRole::owner, false},
    Grant{Action::group_moderate, "group.moderate", OrgRole::none, SpaceRole::moderator, false},
    Grant{Action::group_post, "group.post", OrgRole::none, SpaceRole::member, false},
    Grant{Action::group_decide, "group.decide", OrgRole::none, SpaceRole::member, false},
    Grant{Action::group_join, "group.join", OrgRole::none, SpaceRole::none, true},
    Grant{Action::group_view_internal, "group.view_internal", OrgRole::none, SpaceRole::member,
          true},
    Grant{Action::group_view_closed, "group.view_closed", OrgRole::none, SpaceRole::member, false},
    Grant{Action::consultation_edit, "consultation.edit", OrgRole::admin, SpaceRole::owner, false},
    Grant{Action::consultation_answer, "consultation.answer", OrgRole::admin, SpaceRole::owner,
          false},
};

constexpr std::array kActions = [] {
  std::array<Action, kGrants.size()> actions{};
  for (std::size_t i = 0; i < kGrants.size(); ++i) actions[i] = kGrants[i].action;
  return actions;
}();

const Grant& grant_of(Action action) {
  for (const auto& g : kGrants)
    if (g.action == action) return g;
  return kGrants[0];  // unreachable: every enumerator has a row (tested)
}

}  // namespace

std::string_view to_string(OrgRole role) {
  switch (role) {
    case OrgRole::member:
      return "member";
    case OrgRole::admin:
      return "admin";
    case OrgRole::none:
      break;
  }
  return "none";
}

std::string_view to_string(SpaceRole role) {
  switch (role) {
    case SpaceRole::member:
      return "member";
    case SpaceRole::moderator:
      return "moderator";
    case SpaceRole::owner:
      return "owner";
    case SpaceRole::none:
      break;
  }
  return "none";
}

std::optional<OrgRole> org_role_from_string(std::string_view s) {
  for (auto role : {OrgRole::member, OrgRole::admin})
    if (to_string(role) == s) return role;
  return std::nullopt;
}

std::optional<SpaceRole> space_role_from_string(std::string_view s) {
  for (auto role : {SpaceRole::member, SpaceRole::moderator, SpaceRole::owner})
    if (to_string(role) == s) return role;
  return std::nullopt;
}

std::span<const Action> all_actions() { return kActions; }

std::string_view to_string(Action action) { return grant_of(action).name; }

std::optional<Action> action_from_string(std::string_view name) {
  for (const auto& g : kGrants)
    if (g.name == name) return g.action;
  return std::nullopt;
}

bool permits(Action action, const Roles& roles) {
  const Grant& g = grant_of(action);
  if (g.org != OrgRole::none && roles.org >= g.org) return true;
  if (g.space != SpaceRole::none && roles.space >= g.space) return true;
  return g.any_staff && roles.staff;
}

bool granted_to_all_staff(Action action) { return grant_of(action).any_staff; }

}  // namespace ah::authz
