// Who belongs to which organisation and which space, in which role — the facts that
// permissions.h decides on. Stored in org_memberships and space_roles (migrations
// 4000–4099, after organisations and accounts, whose rows they reference: deleting an
// account deletes its memberships and space roles with it).
//
//   MembershipStore members(db);
//   AH_TRY_STATUS(members.request(org_id, account_id, now));        // a person asks to join
//   AH_TRY_STATUS(members.decide(org_id, account_id, true, admin_id, now));  // an admin confirms
//   AH_TRY(can, Authorizer(db).can(account_id, Action::process_create,
//   Target::organisation(org_id)));
//
// An organisation that has an admin keeps one: demoting or removing the last admin is a
// conflict (code kLastAdmin), so that nobody locks an organisation out of its own affairs.
// Thread-safe as far as the Database is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "authz/permissions.h"
#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"

namespace ah::authz {

// Error::message codes for the caller's catalogue.
inline constexpr std::string_view kLastAdmin = "last_admin";
inline constexpr std::string_view kAlreadyMember = "already_member";
inline constexpr std::string_view kAlreadyRequested = "already_requested";

std::vector<db::Migration> authz_migrations();

enum class MembershipState { requested, active };

struct Membership {
  std::int64_t org_id = 0;
  std::int64_t account_id = 0;
  OrgRole role = OrgRole::member;
  MembershipState state = MembershipState::requested;
  std::int64_t requested_at = 0;
  std::optional<std::int64_t> decided_at;
  // Joined for lists: the person's display name, the organisation's name and key.
  std::string display_name;
  std::string org_name;
  std::string org_key;  // AGS, or "o" + id (see orgs::Organisation::key)
};

class MembershipStore {
 public:
  explicit MembershipStore(db::Database& db) : db_(db) {}

  // A request to join as member. conflict kAlreadyMember / kAlreadyRequested.
  Status request(std::int64_t org_id, std::int64_t account_id, std::int64_t now);
  // An admin's answer to a request: confirmed, it becomes an active membership; declined,
  // the request is gone. not_found when there is no open request.
  Status decide(std::int64_t org_id, std::int64_t account_id, bool confirm, std::int64_t by,
                std::int64_t now);
  // Makes `account_id` an active member with `role` whatever it was before (operator CLI,
  // demo). The last-admin rule applies when this demotes.
  Status put(std::int64_t org_id, std::int64_t account_id, OrgRole role, std::int64_t now);
  // Changes an active member's role. not_found for non-members; conflict kLastAdmin.
  Status set_role(std::int64_t org_id, std::int64_t account_id, OrgRole role);
  // Ends a membership or withdraws a request. not_found if neither; conflict kLastAdmin.
  Status remove(std::int64_t org_id, std::int64_t account_id);

  Result<std::optional<Membership>> find(std::int64_t org_id, std::int64_t account_id) const;
  // Active members and open requests of an organisation: requests first, then admins,
  // then members, each by name.
  Result<std::vector<Membership>> list_for_org(std::int64_t org_id) const;
  // The person's memberships and requests, by organisation name.
  Result<std::vector<Membership>> list_for_account(std::int64_t account_id) const;
  // Active admins' account ids (to tell them about a request).
  Result<std::vector<std::int64_t>> admins(std::int64_t org_id) const;

 private:
  db::Database& db_;
};

// Roles in spaces. A space is named by its kind (the module's word: "process", "group",
// "consultation") and its id in that module.
struct SpaceMember {
  std::int64_t account_id = 0;
  SpaceRole role = SpaceRole::member;
  std::string display_name;
};

class SpaceRoleStore {
 public:
  explicit SpaceRoleStore(db::Database& db) : db_(db) {}

  // Gives `account_id` the role in the space, replacing any role they had there.
  Status grant(std::string_view kind, std::int64_t space_id, std::int64_t account_id,
               SpaceRole role, std::int64_t now);
  Status revoke(std::string_view kind, std::int64_t space_id, std::int64_t account_id);
  // The same two inside a caller's transaction (a space created together with its owner,
  // a join decided together with its request).
  static Status grant_in(db::Connection& tx, std::string_view kind, std::int64_t space_id,
                         std::int64_t account_id, SpaceRole role, std::int64_t now);
  static Status revoke_in(db::Connection& tx, std::string_view kind, std::int64_t space_id,
                          std::int64_t account_id);
  Result<SpaceRole> role_in(std::string_view kind, std::int64_t space_id,
                            std::int64_t account_id) const;
  // Everyone with a role in the space, owners first, then by name.
  Result<std::vector<SpaceMember>> list(std::string_view kind, std::int64_t space_id) const;

 private:
  db::Database& db_;
};

// What a permission is asked about: an organisation, a space (with the organisation that
// owns it, if any), or nothing in particular (actions that need only "staff anywhere").
struct Target {
  std::int64_t org_id = 0;  // 0: no owning organisation
  std::string space_kind;   // "": not a space
  std::int64_t space_id = 0;

  static Target organisation(std::int64_t org_id) { return {org_id, {}, 0}; }
  static Target space(std::string kind, std::int64_t id, std::int64_t owner_org_id = 0) {
    return {owner_org_id, std::move(kind), id};
  }
  static Target anywhere() { return {}; }
};

// Looks up the person's roles for a target and applies permits(). Anonymous (account 0)
// may do nothing that needs a permission.
class Authorizer {
 public:
  explicit Authorizer(db::Database& db) : db_(db) {}

  Result<Roles> roles(std::int64_t account_id, const Target& target) const;
  Result<bool> can(std::int64_t account_id, Action action, const Target& target) const;

 private:
  db::Database& db_;
};

}  // namespace ah::authz
