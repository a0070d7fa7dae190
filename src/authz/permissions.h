// Permissions: what a person may do, decided in one place.
//
// The rule that gives augenhoehe its name: no right ever comes from an organisation's
// type. The Land is an organisation like any Gemeinde; an admin of the Land has, in a
// Gemeinde's space, exactly the rights an admin of any other Gemeinde has there — none,
// unless the space grants them a role. Rights come only from
//   - the person's role in the organisation that owns the target (member, admin), and
//   - the person's role in the space itself (member, moderator, owner),
// never from roles in other organisations and never from types. Spaces are what modules
// create: a participation process, a working group, a consultation.
//
//   if (!authz::permits(Action::process_moderate, roles)) return forbidden(...);
//
// The few actions that are not about one organisation or space (group_create: "any staff
// member of any organisation") ask whether the person is staff anywhere; see kGrants.
//
// The platform operator is not a role here: operating the installation (creating
// organisations, naming an organisation's first admin) is done on the server's command
// line, and gives no right in any organisation or space on the web.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace ah::authz {

enum class OrgRole { none, member, admin };
enum class SpaceRole { none, member, moderator, owner };

std::string_view to_string(OrgRole role);
std::string_view to_string(SpaceRole role);
std::optional<OrgRole> org_role_from_string(std::string_view s);
std::optional<SpaceRole> space_role_from_string(std::string_view s);

// Every action that needs a permission, named as in the docs and the API ("process.create").
enum class Action {
  // An organisation's own affairs (target: the organisation).
  org_edit,             // its profile
  org_members_manage,   // confirm or decline requests, change roles, remove members
  process_create,       // start a participation process owned by the organisation
  consultation_create,  // put a draft out for consultation on its behalf
  statement_draft,      // draft its Stellungnahme to a consultation it is addressed in
  statement_release,    // release that Stellungnahme (final for the round)
  // Participation processes (target: the process space, owned by an organisation).
  process_edit,      // settings, phases, texts; name moderators
  process_moderate,  // hide and restore contributions, block people
  process_answer,    // answer proposals (Rechenschaft)
  // Working groups (target: the group space; groups belong to no organisation).
  group_create,         // any staff member of any organisation
  group_edit,           // settings, roles
  group_moderate,       // confirm join requests, hide posts
  group_post,           // threads, posts, drafts
  group_decide,         // open decisions and vote
  group_join,           // join an open group or ask to join one: any staff member
  group_view_internal,  // read an internal group: any staff member, and its members
  group_view_closed,    // read a closed group: its members only
  // Consultations (target: the consultation space, owned by the author organisation).
  consultation_edit,    // draft text, rounds, addressees
  consultation_answer,  // the Abwägung
};

std::span<const Action> all_actions();
std::string_view to_string(Action action);
std::optional<Action> action_from_string(std::string_view name);

// What a person holds with respect to one target. `staff` says whether they are an active
// member of any organisation at all (for actions that ask only that).
struct Roles {
  OrgRole org = OrgRole::none;        // in the organisation that owns the target
  SpaceRole space = SpaceRole::none;  // in the target space
  bool staff = false;
};

// Whether `roles` permit `action`. Pure; the whole rule table lives behind this.
bool permits(Action action, const Roles& roles);

// Whether being staff of any organisation alone grants `action` (group.create, group.join,
// group.view_internal): such actions are about no organisation, so every staff member has
// them everywhere, and the Augenhöhe matrix leaves them out of "no right outside one's own".
bool granted_to_all_staff(Action action);

}  // namespace ah::authz
