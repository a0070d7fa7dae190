#include "authz/memberships.h"

namespace ah::authz {

using db::Value;

std::vector<db::Migration> authz_migrations() {
  return {
      // One row per person and organisation: an open request or an active membership.
      // The primary key makes a second request a conflict; the index serves "my
      // memberships" and the staff check.
      {4000, "org_memberships",
       "CREATE TABLE org_memberships ("
       " org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " role TEXT NOT NULL CHECK (role IN ('member', 'admin')),"
       " state TEXT NOT NULL CHECK (state IN ('requested', 'active')),"
       " requested_at BIGINT NOT NULL,"
       " decided_at BIGINT,"
       " decided_by BIGINT,"
       " PRIMARY KEY (org_id, account_id));"
       "CREATE INDEX org_memberships_account ON org_memberships (account_id, state);"},
      {4001, "space_roles",
       "CREATE TABLE space_roles ("
       " space_kind TEXT NOT NULL,"
       " space_id BIGINT NOT NULL,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " role TEXT NOT NULL CHECK (role IN ('member', 'moderator', 'owner')),"
       " granted_at BIGINT NOT NULL,"
       " PRIMARY KEY (space_kind, space_id, account_id));"
       "CREATE INDEX space_roles_account ON space_roles (account_id);"},
  };
}

namespace {

std::string text(OrgRole role) { return std::string(to_string(role)); }

// Inside `tx`: conflict kLastAdmin when `account_id` is the only active admin of the
// organisation, so the change about to be made would leave it without one.
Status keep_an_admin(db::Connection& tx, std::int64_t org_id, std::int64_t account_id) {
  AH_TRY(rs, tx.query("SELECT COUNT(*) FROM org_memberships WHERE org_id = $1 AND state = 'active'"
                      " AND role = 'admin' AND account_id <> $2",
                      {Value{org_id}, Value{account_id}}));
  AH_TRY(self, tx.query("SELECT role FROM org_memberships WHERE org_id = $1 AND account_id = $2"
                        " AND state = 'active'",
                        {Value{org_id}, Value{account_id}}));
  bool is_admin = !self.rows.empty() && self.rows[0].text(0) == "admin";
  if (is_admin && rs.rows[0].int64(0) == 0)
    return fail(ErrorCode::conflict, std::string(kLastAdmin));
  return {};
}

constexpr std::string_view kSelect =
    "SELECT m.org_id, m.account_id, m.role, m.state, m.requested_at, m.decided_at,"
    " COALESCE(a.display_name, ''), o.name, COALESCE(o.ags, '')"
    " FROM org_memberships m JOIN accounts a ON a.id = m.account_id"
    " JOIN organisations o ON o.id = m.org_id ";

Membership from_row(const db::Row& row) {
  Membership m;
  m.org_id = row.int64(0);
  m.account_id = row.int64(1);
  m.role = org_role_from_string(row.text(2)).value_or(OrgRole::member);
  m.state = row.text(3) == "active" ? MembershipState::active : MembershipState::requested;
  m.requested_at = row.int64(4);
  if (!row.is_null(5)) m.decided_at = row.int64(5);
  m.display_name = row.text(6);
  m.org_name = row.text(7);
  m.org_key = row.text(8).empty() ? "o" + std::to_string(m.org_id) : row.text(8);
  return m;
}

Result<std::vector<Membership>> memberships(db::Database& db, std::string_view where_order,
                                            std::int64_t id) {
  AH_TRY(rs, db.query(std::string(kSelect) + std::string(where_order), {Value{id}}));
  std::vector<Membership> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) out.push_back(from_row(row));
  return out;
}

}  // namespace

Status MembershipStore::request(std::int64_t org_id, std::int64_t account_id, std::int64_t now) {
  AH_TRY(existing, find(org_id, account_id));
  if (existing) {
    return fail(ErrorCode::conflict,
                std::string(existing->state == MembershipState::active ? kAlreadyMember
                                                                       : kAlreadyRequested));
  }
  AH_TRY_STATUS(
      db_.query("INSERT INTO org_memberships (org_id, account_id, role, state, requested_at)"
                " VALUES ($1, $2, 'member', 'requested', $3)",
                {Value{org_id}, Value{account_id}, Value{now}}));
  return {};
}

Status MembershipStore::decide(std::int64_t org_id, std::int64_t account_id, bool confirm,
                               std::int64_t by, std::int64_t now) {
  AH_TRY(rs, confirm ? db_.query("UPDATE org_memberships SET state = 'active', decided_at = $3,"
                                 " decided_by = $4 WHERE org_id = $1 AND account_id = $2"
                                 " AND state = 'requested'",
                                 {Value{org_id}, Value{account_id}, Value{now}, Value{by}})
                     : db_.query("DELETE FROM org_memberships WHERE org_id = $1 AND account_id = $2"
                                 " AND state = 'requested'",
                                 {Value{org_id}, Value{account_id}}));
  if (rs.affected_rows == 0) return fail(ErrorCode::not_found, "no open request");
  return {};
}

Status MembershipStore::put(std::int64_t org_id, std::int64_t account_id, OrgRole role,
                            std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    if (role != OrgRole::admin) AH_TRY_STATUS(keep_an_admin(tx, org_id, account_id));
    AH_TRY_STATUS(tx.query(
        "INSERT INTO org_memberships (org_id, account_id, role, state, requested_at, decided_at)"
        " VALUES ($1, $2, $3, 'active', $4, $4) ON CONFLICT (org_id, account_id) DO UPDATE"
        " SET role = excluded.role, state = 'active', decided_at = excluded.decided_at",
        {Value{org_id}, Value{account_id}, Value{text(role)}, Value{now}}));
    return {};
  });
}

Status MembershipStore::set_role(std::int64_t org_id, std::int64_t account_id, OrgRole role) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    if (role != OrgRole::admin) AH_TRY_STATUS(keep_an_admin(tx, org_id, account_id));
    AH_TRY(rs, tx.query("UPDATE org_memberships SET role = $3 WHERE org_id = $1 AND account_id = $2"
                        " AND state = 'active'",
                        {Value{org_id}, Value{account_id}, Value{text(role)}}));
    if (rs.affected_rows == 0) return fail(ErrorCode::not_found, "not a member");
    return {};
  });
}

Status MembershipStore::remove(std::int64_t org_id, std::int64_t account_id) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(keep_an_admin(tx, org_id, account_id));
    AH_TRY(rs, tx.query("DELETE FROM org_memberships WHERE org_id = $1 AND account_id = $2",
                        {Value{org_id}, Value{account_id}}));
    if (rs.affected_rows == 0) return fail(ErrorCode::not_found, "not a member");
    return {};
  });
}

Result<std::optional<Membership>> MembershipStore::find(std::int64_t org_id,
                                                        std::int64_t account_id) const {
  AH_TRY(rs, db_.query(std::string(kSelect) + "WHERE m.org_id = $1 AND m.account_id = $2",
                       {Value{org_id}, Value{account_id}}));
  if (rs.rows.empty()) return std::optional<Membership>{};
  return std::optional<Membership>{from_row(rs.rows[0])};
}

Result<std::vector<Membership>> MembershipStore::list_for_org(std::int64_t org_id) const {
  return memberships(db_,
                     "WHERE m.org_id = $1 ORDER BY CASE WHEN m.state = 'requested' THEN 0"
                     " WHEN m.role = 'admin' THEN 1 ELSE 2 END, a.display_name, m.account_id",
                     org_id);
}

Result<std::vector<Membership>> MembershipStore::list_for_account(std::int64_t account_id) const {
  return memberships(db_, "WHERE m.account_id = $1 ORDER BY o.name_key, o.id", account_id);
}

Result<std::vector<std::int64_t>> MembershipStore::admins(std::int64_t org_id) const {
  AH_TRY(rs, db_.query("SELECT account_id FROM org_memberships WHERE org_id = $1"
                       " AND state = 'active' AND role = 'admin' ORDER BY account_id",
                       {Value{org_id}}));
  std::vector<std::int64_t> out;
  for (const auto& row : rs.rows) out.push_back(row.int64(0));
  return out;
}

Status SpaceRoleStore::grant_in(db::Connection& tx, std::string_view kind, std::int64_t space_id,
                                std::int64_t account_id, SpaceRole role, std::int64_t now) {
  AH_TRY_STATUS(tx.query(
      "INSERT INTO space_roles (space_kind, space_id, account_id, role, granted_at)"
      " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (space_kind, space_id, account_id) DO UPDATE"
      " SET role = excluded.role, granted_at = excluded.granted_at",
      {Value{std::string(kind)}, Value{space_id}, Value{account_id},
       Value{std::string(to_string(role))}, Value{now}}));
  return {};
}

Status SpaceRoleStore::revoke_in(db::Connection& tx, std::string_view kind, std::int64_t space_id,
                                 std::int64_t account_id) {
  AH_TRY_STATUS(tx.query(
      "DELETE FROM space_roles WHERE space_kind = $1 AND space_id = $2 AND account_id = $3",
      {Value{std::string(kind)}, Value{space_id}, Value{account_id}}));
  return {};
}

Status SpaceRoleStore::grant(std::string_view kind, std::int64_t space_id, std::int64_t account_id,
                             SpaceRole role, std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    return grant_in(tx, kind, space_id, account_id, role, now);
  });
}

Status SpaceRoleStore::revoke(std::string_view kind, std::int64_t space_id,
                              std::int64_t account_id) {
  return db_.transaction(
      [&](db::Connection& tx) -> Status { return revoke_in(tx, kind, space_id, account_id); });
}

Result<SpaceRole> SpaceRoleStore::role_in(std::string_view kind, std::int64_t space_id,
                                          std::int64_t account_id) const {
  AH_TRY(rs, db_.query("SELECT role FROM space_roles WHERE space_kind = $1 AND space_id = $2"
                       " AND account_id = $3",
                       {Value{std::string(kind)}, Value{space_id}, Value{account_id}}));
  if (rs.rows.empty()) return SpaceRole::none;
  return space_role_from_string(rs.rows[0].text(0)).value_or(SpaceRole::none);
}

Result<std::vector<SpaceMember>> SpaceRoleStore::list(std::string_view kind,
                                                      std::int64_t space_id) const {
  AH_TRY(rs,
         db_.query("SELECT r.account_id, r.role, a.display_name FROM space_roles r"
                   " JOIN accounts a ON a.id = r.account_id"
                   " WHERE r.space_kind = $1 AND r.space_id = $2"
                   " ORDER BY CASE r.role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END,"
                   " a.display_name, r.account_id",
                   {Value{std::string(kind)}, Value{space_id}}));
  std::vector<SpaceMember> out;
  for (const auto& row : rs.rows)
    out.push_back({row.int64(0), space_role_from_string(row.text(1)).value_or(SpaceRole::member),
                   row.text(2)});
  return out;
}

Result<Roles> Authorizer::roles(std::int64_t account_id, const Target& target) const {
  Roles roles;
  if (account_id == 0) return roles;
  if (target.org_id != 0) {
    AH_TRY(rs, db_.query("SELECT role FROM org_memberships WHERE org_id = $1 AND account_id = $2"
                         " AND state = 'active'",
                         {Value{target.org_id}, Value{account_id}}));
    if (!rs.rows.empty())
      roles.org = org_role_from_string(rs.rows[0].text(0)).value_or(OrgRole::none);
  }
  if (!target.space_kind.empty()) {
    AH_TRY(role, SpaceRoleStore(db_).role_in(target.space_kind, target.space_id, account_id));
    roles.space = role;
  }
  AH_TRY(staff, db_.query("SELECT 1 FROM org_memberships WHERE account_id = $1 AND state = 'active'"
                          " LIMIT 1",
                          {Value{account_id}}));
  roles.staff = !staff.rows.empty();
  return roles;
}

Result<bool> Authorizer::can(std::int64_t account_id, Action action, const Target& target) const {
  AH_TRY(held, roles(account_id, target));
  return permits(action, held);
}

}  // namespace ah::authz
