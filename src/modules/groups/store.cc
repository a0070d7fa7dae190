#include "modules/groups/store.h"

#include <array>
#include <map>

#include "authz/memberships.h"
#include "db/cursor.h"
#include "modules/orgs/store.h"
#include "search/index.h"
#include "web/rich_text.h"

namespace ah::modules::groups {

using db::Value;

std::vector<db::Migration> groups_migrations() {
  return {
      // Groups belong to no organisation; their roles live in space_roles (kind "group").
      // The directory is sorted by name (name_key folds case and umlauts, see orgs).
      {9000, "work_groups",
       "CREATE TABLE work_groups ("
       " id {{id}},"
       " name TEXT NOT NULL,"
       " name_key TEXT NOT NULL,"
       " description TEXT NOT NULL,"
       " visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal', 'closed')),"
       " joining TEXT NOT NULL CHECK (joining IN ('open', 'request')),"
       " created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " created_at BIGINT NOT NULL,"
       " updated_at BIGINT NOT NULL);"
       "CREATE INDEX work_groups_by_name ON work_groups (name_key, id);"
       "CREATE INDEX work_groups_by_visibility ON work_groups (visibility, name_key, id);"
       "CREATE TABLE group_join_requests ("
       " group_id BIGINT NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " message TEXT NOT NULL,"
       " requested_at BIGINT NOT NULL,"
       " PRIMARY KEY (group_id, account_id));"
       "CREATE INDEX group_join_requests_account ON group_join_requests (account_id);"},
      // Threads are listed most recently active first; posts are read oldest first by id
      // (keyset), so every page of a long thread is one index range. A post's author
      // becomes NULL when the account is erased ("gelöschtes Konto"); the post keeps its
      // place. Read markers and subscriptions go with the account.
      {9001, "group_threads",
       "CREATE TABLE group_threads ("
       " id {{id}},"
       " group_id BIGINT NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,"
       " title TEXT NOT NULL,"
       " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " post_count BIGINT NOT NULL DEFAULT 0,"
       " last_post_id BIGINT NOT NULL DEFAULT 0,"
       " last_post_at BIGINT NOT NULL,"
       " created_at BIGINT NOT NULL);"
       "CREATE INDEX group_threads_active ON group_threads (group_id, last_post_at, id);"
       "CREATE INDEX group_threads_author ON group_threads (author_id);"
       "CREATE TABLE group_posts ("
       " id {{id}},"
       " thread_id BIGINT NOT NULL REFERENCES group_threads (id) ON DELETE CASCADE,"
       " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " body TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " edited_at BIGINT);"
       "CREATE INDEX group_posts_thread ON group_posts (thread_id, id);"
       "CREATE INDEX group_posts_author ON group_posts (author_id);"
       "CREATE TABLE group_thread_reads ("
       " thread_id BIGINT NOT NULL REFERENCES group_threads (id) ON DELETE CASCADE,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " last_read_post_id BIGINT NOT NULL,"
       " PRIMARY KEY (thread_id, account_id));"
       "CREATE INDEX group_thread_reads_account ON group_thread_reads (account_id);"
       "CREATE TABLE group_thread_subscriptions ("
       " thread_id BIGINT NOT NULL REFERENCES group_threads (id) ON DELETE CASCADE,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " created_at BIGINT NOT NULL,"
       " PRIMARY KEY (thread_id, account_id));"
       "CREATE INDEX group_thread_subscriptions_account ON group_thread_subscriptions"
       " (account_id);"},
      {9002, "work_groups results_after_close",
       // The group's rule for its decisions' results: 0 after one's own vote, 1 after the end.
       "ALTER TABLE work_groups ADD COLUMN results_after_close INTEGER NOT NULL DEFAULT 0"},
  };
}

namespace {

constexpr std::array kVisibilities{std::pair{Visibility::open, "public"},
                                   std::pair{Visibility::internal, "internal"},
                                   std::pair{Visibility::closed, "closed"}};
constexpr std::array kJoinings{std::pair{Joining::open, "open"},
                               std::pair{Joining::on_request, "request"}};

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

Value kind() { return Value{std::string(kSpaceKind)}; }

// The member count is counted, not kept: space_roles rows vanish with erased accounts.
constexpr std::string_view kGroupColumns =
    "SELECT g.id, g.name, g.description, g.visibility, g.joining,"
    " (SELECT COUNT(*) FROM space_roles r WHERE r.space_kind = 'group' AND r.space_id = g.id),"
    " g.created_at, g.updated_at, g.name_key, g.results_after_close FROM work_groups g ";

Group group_from_row(const db::Row& row) {
  Group g;
  g.id = row.int64(0);
  g.name = row.text(1);
  g.description = row.text(2);
  g.visibility = visibility_from_string(row.text(3)).value_or(Visibility::closed);
  g.joining = joining_from_string(row.text(4)).value_or(Joining::on_request);
  g.member_count = row.int64(5);
  g.created_at = row.int64(6);
  g.updated_at = row.int64(7);
  g.results_after_close = row.int64(9) != 0;
  return g;
}

// The organisations each of the people is active staff of, by name; one query.
Result<std::map<std::int64_t, std::vector<std::string>>> organisations_of(
    db::Database& db, std::string_view people_sql, Value group_id) {
  AH_TRY(rs, db.query("SELECT m.account_id, o.name FROM org_memberships m"
                      " JOIN organisations o ON o.id = m.org_id"
                      " WHERE m.state = 'active' AND m.account_id IN (" +
                          std::string(people_sql) + ") ORDER BY o.name_key, o.id",
                      {std::move(group_id)}));
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& row : rs.rows) out[row.int64(0)].push_back(row.text(1));
  return out;
}

// Serialises changes to one group's roles: PostgreSQL locks the group's row until the
// transaction ends (SQLite's write transactions are serial anyway), so two owners leaving
// at once cannot both pass the last-owner check.
Status lock_group(db::Connection& tx, std::int64_t group_id) {
  AH_TRY(rs, tx.query("UPDATE work_groups SET updated_at = updated_at WHERE id = $1",
                      {Value{group_id}}));
  if (rs.affected_rows == 0) return fail(ErrorCode::not_found, "no such group");
  return {};
}

// Inside a locked group: whether someone other than `account` owns it.
Result<bool> other_owner(db::Connection& tx, std::int64_t group_id, std::int64_t account) {
  AH_TRY(rs, tx.query("SELECT COUNT(*) FROM space_roles WHERE space_kind = $1"
                      " AND space_id = $2 AND role = 'owner' AND account_id <> $3",
                      {kind(), Value{group_id}, Value{account}}));
  return rs.rows[0].int64(0) > 0;
}

// Ends the person's role and their subscriptions to the group's threads: notices about a
// group one has left would point to pages one may no longer read.
Status end_membership(db::Connection& tx, std::int64_t group_id, std::int64_t account) {
  AH_TRY_STATUS(authz::SpaceRoleStore::revoke_in(tx, kSpaceKind, group_id, account));
  AH_TRY_STATUS(
      tx.query("DELETE FROM group_thread_subscriptions WHERE account_id = $1 AND"
               " thread_id IN (SELECT id FROM group_threads WHERE group_id = $2)",
               {Value{account}, Value{group_id}}));
  return {};
}

Result<authz::SpaceRole> role_in(db::Connection& tx, std::int64_t group_id, std::int64_t account) {
  AH_TRY(rs, tx.query("SELECT role FROM space_roles WHERE space_kind = $1 AND space_id = $2"
                      " AND account_id = $3",
                      {kind(), Value{group_id}, Value{account}}));
  if (rs.rows.empty()) return authz::SpaceRole::none;
  return authz::space_role_from_string(rs.rows[0].text(0)).value_or(authz::SpaceRole::none);
}

constexpr std::string_view kThreadColumns =
    "SELECT t.id, t.group_id, t.title, a.display_name, t.author_id, t.post_count, t.last_post_id,"
    " t.last_post_at, t.created_at, COALESCE(rd.last_read_post_id, 0) FROM group_threads t"
    " LEFT JOIN accounts a ON a.id = t.author_id"
    " LEFT JOIN group_thread_reads rd ON rd.thread_id = t.id AND rd.account_id = $1 ";

Thread thread_from_row(const db::Row& row) {
  Thread t;
  t.id = row.int64(0);
  t.group_id = row.int64(1);
  t.title = row.text(2);
  if (!row.is_null(4)) t.author_name = row.is_null(3) ? std::string() : row.text(3);
  t.post_count = row.int64(5);
  t.last_post_id = row.int64(6);
  t.last_post_at = row.int64(7);
  t.created_at = row.int64(8);
  t.last_read = row.int64(9);
  return t;
}

Result<std::int64_t> insert_post(db::Connection& tx, std::int64_t thread_id,
                                 const std::string& body, std::int64_t author, std::int64_t now) {
  // The thread's row is locked first (PostgreSQL; SQLite's writers are serial anyway), so
  // concurrent replies count exactly and get their ids in the order they update it:
  // last_post_id only grows.
  AH_TRY(counted, tx.query("UPDATE group_threads SET post_count = post_count + 1 WHERE id = $1",
                           {Value{thread_id}}));
  if (counted.affected_rows == 0) return fail(ErrorCode::not_found, "no such thread");
  AH_TRY(rs, tx.query("INSERT INTO group_posts (thread_id, author_id, body, created_at)"
                      " VALUES ($1, $2, $3, $4) RETURNING id",
                      {Value{thread_id}, Value{author}, Value{body}, Value{now}}));
  std::int64_t id = rs.rows[0].int64(0);
  AH_TRY_STATUS(
      tx.query("UPDATE group_threads SET last_post_id = $2, last_post_at = $3"
               " WHERE id = $1",
               {Value{thread_id}, Value{id}, Value{now}}));
  // The author has read what they wrote.
  AH_TRY_STATUS(
      tx.query("INSERT INTO group_thread_reads (thread_id, account_id, last_read_post_id)"
               " VALUES ($1, $2, $3) ON CONFLICT (thread_id, account_id) DO UPDATE"
               " SET last_read_post_id = excluded.last_read_post_id",
               {Value{thread_id}, Value{author}, Value{id}}));
  return id;
}

std::int64_t cursor_number(const std::string& key) {
  try {
    return std::stoll(key);
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

std::string_view to_string(Visibility visibility) {
  for (const auto& [v, name] : kVisibilities)
    if (v == visibility) return name;
  return "closed";
}

std::string_view to_string(Joining joining) {
  for (const auto& [j, name] : kJoinings)
    if (j == joining) return name;
  return "request";
}

std::optional<Visibility> visibility_from_string(std::string_view s) {
  for (const auto& [v, name] : kVisibilities)
    if (name == s) return v;
  return std::nullopt;
}

std::optional<Joining> joining_from_string(std::string_view s) {
  for (const auto& [j, name] : kJoinings)
    if (name == s) return j;
  return std::nullopt;
}

std::optional<authz::Action> read_action(Visibility visibility) {
  switch (visibility) {
    case Visibility::internal:
      return authz::Action::group_view_internal;
    case Visibility::closed:
      return authz::Action::group_view_closed;
    case Visibility::open:
      break;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> validate(const NewGroup& g) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (blank(g.name))
    errors.emplace_back("name", "groups_error_name");
  else if (g.name.size() > kMaxName)
    errors.emplace_back("name", "groups_error_name_long");
  if (blank(g.description))
    errors.emplace_back("description", "groups_error_description");
  else if (g.description.size() > kMaxDescription)
    errors.emplace_back("description", "groups_error_text_long");
  else if (auto problem = web::rich_text_problem(g.description))
    errors.emplace_back("description", *problem);
  return errors;
}

std::vector<std::pair<std::string, std::string>> validate_post(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (blank(body))
    errors.emplace_back("body", "groups_error_post");
  else if (body.size() > kMaxPost)
    errors.emplace_back("body", "groups_error_text_long");
  else if (auto problem = web::rich_text_problem(body))
    errors.emplace_back("body", *problem);
  return errors;
}

std::vector<std::pair<std::string, std::string>> validate_thread(const std::string& title,
                                                                 const std::string& body) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (blank(title))
    errors.emplace_back("title", "groups_error_thread_title");
  else if (title.size() > kMaxThreadTitle)
    errors.emplace_back("title", "groups_error_thread_title_long");
  for (auto& e : validate_post(body)) errors.push_back(std::move(e));
  return errors;
}

Result<std::int64_t> GroupStore::create(const NewGroup& g, std::int64_t owner, std::int64_t now) {
  if (auto errors = validate(g); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(rs, tx.query("INSERT INTO work_groups (name, name_key, description, visibility, joining,"
                        " results_after_close, created_by, created_at, updated_at)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                        {Value{g.name}, Value{orgs::fold_name(g.name)}, Value{g.description},
                         Value{std::string(to_string(g.visibility))},
                         Value{std::string(to_string(g.joining))},
                         Value{std::int64_t{g.results_after_close}}, Value{owner}, Value{now}}));
    std::int64_t id = rs.rows[0].int64(0);
    AH_TRY_STATUS(
        authz::SpaceRoleStore::grant_in(tx, kSpaceKind, id, owner, authz::SpaceRole::owner, now));
    AH_TRY_STATUS(search::put(tx, kGroupSearchIndex, id, g.name, g.description));
    return id;
  });
}

Status GroupStore::update(std::int64_t id, const NewGroup& g, std::int64_t now) {
  if (auto errors = validate(g); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(rs, tx.query("UPDATE work_groups SET name = $2, name_key = $3, description = $4,"
                        " visibility = $5, joining = $6, updated_at = $7,"
                        " results_after_close = $8 WHERE id = $1",
                        {Value{id}, Value{g.name}, Value{orgs::fold_name(g.name)},
                         Value{g.description}, Value{std::string(to_string(g.visibility))},
                         Value{std::string(to_string(g.joining))}, Value{now},
                         Value{std::int64_t{g.results_after_close}}}));
    if (rs.affected_rows == 0) return fail(ErrorCode::not_found, "no such group");
    return search::put(tx, kGroupSearchIndex, id, g.name, g.description);
  });
}

Result<std::vector<Group>> GroupStore::of_member(std::int64_t account) const {
  AH_TRY(rs, db_.query(std::string(kGroupColumns) +
                           "WHERE g.id IN (SELECT r.space_id FROM space_roles r"
                           "  WHERE r.space_kind = 'group' AND r.account_id = $1)"
                           " ORDER BY g.name_key, g.id",
                       {Value{account}}));
  std::vector<Group> out;
  for (const auto& row : rs.rows) out.push_back(group_from_row(row));
  return out;
}

Result<Group> GroupStore::find(std::int64_t id) const {
  AH_TRY(rs, db_.query(std::string(kGroupColumns) + "WHERE g.id = $1", {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such group");
  return group_from_row(rs.rows[0]);
}

Result<GroupPage> GroupStore::list(const GroupFilter& filter, std::string_view cursor,
                                   int limit) const {
  std::vector<Value> params;
  auto placeholder = [&params](Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string sql(kGroupColumns);
  sql += "WHERE (g.visibility = 'public'";
  if (filter.internal) sql += " OR g.visibility = 'internal'";
  if (filter.reader != 0)
    sql += " OR EXISTS (SELECT 1 FROM space_roles m WHERE m.space_kind = " + placeholder(kind()) +
           " AND m.space_id = g.id AND m.account_id = " + placeholder(filter.reader) + ")";
  sql += ")";
  if (const auto query = search::Query::parse(filter.text); !query.blank())
    sql += " AND " + search::condition(db_.backend(), kGroupSearchIndex, "g.id", query, params);
  if (!cursor.empty()) {
    AH_TRY(after, db::decode_cursor(cursor));
    std::string k = placeholder(after.key);
    std::string i = placeholder(after.id);
    sql += " AND (g.name_key > " + k + " OR (g.name_key = " + k + " AND g.id > " + i + "))";
  }
  sql += " ORDER BY g.name_key, g.id LIMIT " + placeholder(std::int64_t{limit + 1});
  AH_TRY(rs, db_.query(sql, params));
  GroupPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(group_from_row(rs.rows[i]));
  if (static_cast<int>(rs.rows.size()) > limit)
    page.next_cursor = db::encode_cursor(rs.rows[limit - 1].text(8), page.items.back().id);
  return page;
}

Result<JoinResult> GroupStore::join(std::int64_t group_id, std::int64_t account,
                                    const std::string& message, std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Result<JoinResult> {
    AH_TRY_STATUS(lock_group(tx, group_id));
    AH_TRY(role, role_in(tx, group_id, account));
    if (role != authz::SpaceRole::none)
      return fail(ErrorCode::conflict, std::string(kAlreadyMember));
    AH_TRY(rs, tx.query("SELECT joining FROM work_groups WHERE id = $1", {Value{group_id}}));
    if (joining_from_string(rs.rows[0].text(0)) == Joining::open) {
      AH_TRY_STATUS(authz::SpaceRoleStore::grant_in(tx, kSpaceKind, group_id, account,
                                                    authz::SpaceRole::member, now));
      AH_TRY_STATUS(
          tx.query("DELETE FROM group_join_requests WHERE group_id = $1"
                   " AND account_id = $2",
                   {Value{group_id}, Value{account}}));
      return JoinResult::member;
    }
    AH_TRY(inserted, tx.query("INSERT INTO group_join_requests (group_id, account_id, message,"
                              " requested_at) VALUES ($1, $2, $3, $4)"
                              " ON CONFLICT (group_id, account_id) DO NOTHING",
                              {Value{group_id}, Value{account}, Value{message}, Value{now}}));
    if (inserted.affected_rows == 0)
      return fail(ErrorCode::conflict, std::string(kAlreadyRequested));
    return JoinResult::requested;
  });
}

Status GroupStore::decide(std::int64_t group_id, std::int64_t account, bool confirm,
                          std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(lock_group(tx, group_id));
    AH_TRY(rs, tx.query("DELETE FROM group_join_requests WHERE group_id = $1 AND account_id = $2",
                        {Value{group_id}, Value{account}}));
    if (rs.affected_rows == 0) return fail(ErrorCode::not_found, "no open request");
    if (confirm) {
      AH_TRY(role, role_in(tx, group_id, account));
      if (role == authz::SpaceRole::none)
        AH_TRY_STATUS(authz::SpaceRoleStore::grant_in(tx, kSpaceKind, group_id, account,
                                                      authz::SpaceRole::member, now));
    }
    return {};
  });
}

Status GroupStore::add(std::int64_t group_id, std::int64_t account, std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(lock_group(tx, group_id));
    AH_TRY(role, role_in(tx, group_id, account));
    if (role != authz::SpaceRole::none)
      return fail(ErrorCode::conflict, std::string(kAlreadyMember));
    AH_TRY_STATUS(
        tx.query("DELETE FROM group_join_requests WHERE group_id = $1 AND account_id = $2",
                 {Value{group_id}, Value{account}}));
    return authz::SpaceRoleStore::grant_in(tx, kSpaceKind, group_id, account,
                                           authz::SpaceRole::member, now);
  });
}

Status GroupStore::leave(std::int64_t group_id, std::int64_t account) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(lock_group(tx, group_id));
    AH_TRY(request, tx.query("DELETE FROM group_join_requests WHERE group_id = $1"
                             " AND account_id = $2",
                             {Value{group_id}, Value{account}}));
    AH_TRY(role, role_in(tx, group_id, account));
    if (role == authz::SpaceRole::none) {
      if (request.affected_rows == 0) return fail(ErrorCode::not_found, "not a member");
      return {};
    }
    if (role == authz::SpaceRole::owner) {
      AH_TRY(others, other_owner(tx, group_id, account));
      if (!others) return fail(ErrorCode::conflict, std::string(kLastOwner));
    }
    return end_membership(tx, group_id, account);
  });
}

Status GroupStore::set_role(std::int64_t group_id, std::int64_t account,
                            std::optional<authz::SpaceRole> role, std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(lock_group(tx, group_id));
    AH_TRY(current, role_in(tx, group_id, account));
    if (current == authz::SpaceRole::none) return fail(ErrorCode::not_found, "not a member");
    if (current == authz::SpaceRole::owner && role != authz::SpaceRole::owner) {
      AH_TRY(others, other_owner(tx, group_id, account));
      if (!others) return fail(ErrorCode::conflict, std::string(kLastOwnerRole));
    }
    if (!role || *role == authz::SpaceRole::none) return end_membership(tx, group_id, account);
    return authz::SpaceRoleStore::grant_in(tx, kSpaceKind, group_id, account, *role, now);
  });
}

Status GroupStore::hand_over_ownership(std::int64_t account) {
  AH_TRY(owned, db_.query("SELECT space_id FROM space_roles WHERE space_kind = $1"
                          " AND account_id = $2 AND role = 'owner' ORDER BY space_id",
                          {kind(), Value{account}}));
  for (const auto& row : owned.rows) {
    std::int64_t group_id = row.int64(0);
    AH_TRY_STATUS(db_.transaction([&](db::Connection& tx) -> Status {
      AH_TRY_STATUS(lock_group(tx, group_id));
      AH_TRY(others, other_owner(tx, group_id, account));
      if (others) return {};
      AH_TRY(heir, tx.query("SELECT account_id FROM space_roles WHERE space_kind = $1"
                            " AND space_id = $2 AND account_id <> $3"
                            " ORDER BY CASE role WHEN 'moderator' THEN 0 ELSE 1 END,"
                            " granted_at, account_id LIMIT 1",
                            {kind(), Value{group_id}, Value{account}}));
      if (heir.rows.empty()) return {};  // nobody left: the group stays, without owner
      AH_TRY_STATUS(
          tx.query("UPDATE space_roles SET role = 'owner' WHERE space_kind = $1"
                   " AND space_id = $2 AND account_id = $3",
                   {kind(), Value{group_id}, Value{heir.rows[0].int64(0)}}));
      return {};
    }));
  }
  return {};
}

Result<std::vector<Member>> GroupStore::members(std::int64_t group_id) const {
  AH_TRY(rs, db_.query("SELECT r.account_id, r.role, a.display_name, r.granted_at"
                       " FROM space_roles r JOIN accounts a ON a.id = r.account_id"
                       " WHERE r.space_kind = $1 AND r.space_id = $2"
                       " ORDER BY CASE r.role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2"
                       " END, a.display_name, r.account_id",
                       {kind(), Value{group_id}}));
  AH_TRY(orgs, organisations_of(db_,
                                "SELECT account_id FROM space_roles WHERE space_kind = 'group'"
                                " AND space_id = $1",
                                Value{group_id}));
  std::vector<Member> out;
  for (const auto& row : rs.rows) {
    Member m;
    m.account_id = row.int64(0);
    m.role = authz::space_role_from_string(row.text(1)).value_or(authz::SpaceRole::member);
    m.display_name = row.text(2);
    m.organisations = orgs[m.account_id];
    m.since = row.int64(3);
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<JoinRequest>> GroupStore::requests(std::int64_t group_id) const {
  AH_TRY(rs, db_.query("SELECT q.account_id, a.display_name, q.message, q.requested_at"
                       " FROM group_join_requests q JOIN accounts a ON a.id = q.account_id"
                       " WHERE q.group_id = $1 ORDER BY q.requested_at, q.account_id",
                       {Value{group_id}}));
  AH_TRY(orgs,
         organisations_of(db_, "SELECT account_id FROM group_join_requests WHERE group_id = $1",
                          Value{group_id}));
  std::vector<JoinRequest> out;
  for (const auto& row : rs.rows)
    out.push_back({row.int64(0), row.text(1), orgs[row.int64(0)], row.text(2), row.int64(3)});
  return out;
}

Result<bool> GroupStore::has_requested(std::int64_t group_id, std::int64_t account) const {
  AH_TRY(rs, db_.query("SELECT 1 FROM group_join_requests WHERE group_id = $1 AND account_id = $2",
                       {Value{group_id}, Value{account}}));
  return !rs.rows.empty();
}

Result<std::vector<std::int64_t>> GroupStore::moderators(std::int64_t group_id) const {
  AH_TRY(rs, db_.query("SELECT account_id FROM space_roles WHERE space_kind = $1"
                       " AND space_id = $2 AND role IN ('owner', 'moderator') ORDER BY account_id",
                       {kind(), Value{group_id}}));
  std::vector<std::int64_t> out;
  for (const auto& row : rs.rows) out.push_back(row.int64(0));
  return out;
}

Result<std::int64_t> ThreadStore::create(std::int64_t group_id, const std::string& title,
                                         const std::string& body, std::int64_t author,
                                         std::int64_t now, const AlsoInTransaction& also) {
  if (auto errors = validate_thread(title, body); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(rs, tx.query("INSERT INTO group_threads (group_id, title, author_id, last_post_at,"
                        " created_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
                        {Value{group_id}, Value{title}, Value{author}, Value{now}}));
    std::int64_t id = rs.rows[0].int64(0);
    AH_TRY(post, insert_post(tx, id, body, author, now));
    AH_TRY_STATUS(
        tx.query("INSERT INTO group_thread_subscriptions (thread_id, account_id,"
                 " created_at) VALUES ($1, $2, $3)",
                 {Value{id}, Value{author}, Value{now}}));
    if (also) AH_TRY_STATUS(also(tx, post));
    return id;
  });
}

Result<std::int64_t> ThreadStore::reply(std::int64_t thread_id, const std::string& body,
                                        std::int64_t author, std::int64_t now,
                                        const AlsoInTransaction& also) {
  if (auto errors = validate_post(body); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(post, insert_post(tx, thread_id, body, author, now));
    if (also) AH_TRY_STATUS(also(tx, post));
    return post;
  });
}

Result<Thread> ThreadStore::find(std::int64_t id, std::int64_t reader) const {
  AH_TRY(rs,
         db_.query(std::string(kThreadColumns) + "WHERE t.id = $2", {Value{reader}, Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such thread");
  return thread_from_row(rs.rows[0]);
}

Result<std::vector<Thread>> ThreadStore::unread_for(std::int64_t account, int limit) const {
  AH_TRY(rs, db_.query(std::string(kThreadColumns) +
                           "WHERE t.group_id IN (SELECT r.space_id FROM space_roles r"
                           "  WHERE r.space_kind = 'group' AND r.account_id = $1)"
                           " AND t.last_post_id > COALESCE(rd.last_read_post_id, 0)"
                           " ORDER BY t.last_post_at DESC, t.id DESC LIMIT $2",
                       {Value{account}, Value{std::int64_t{limit}}}));
  std::vector<Thread> out;
  for (const auto& row : rs.rows) out.push_back(thread_from_row(row));
  return out;
}

Result<ThreadPage> ThreadStore::list(std::int64_t group_id, std::int64_t reader,
                                     std::string_view cursor, int limit) const {
  std::vector<Value> params{Value{reader}, Value{group_id}};
  std::string sql = std::string(kThreadColumns) + "WHERE t.group_id = $2";
  if (!cursor.empty()) {
    AH_TRY(after, db::decode_cursor(cursor));
    std::int64_t at = cursor_number(after.key);
    if (at < 0) return fail(ErrorCode::invalid_input, "invalid cursor");
    params.push_back(Value{at});
    params.push_back(Value{after.id});
    sql += " AND (t.last_post_at < $3 OR (t.last_post_at = $3 AND t.id < $4))";
  }
  params.push_back(Value{std::int64_t{limit + 1}});
  sql += " ORDER BY t.last_post_at DESC, t.id DESC LIMIT $" + std::to_string(params.size());
  AH_TRY(rs, db_.query(sql, params));
  ThreadPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(thread_from_row(rs.rows[i]));
  if (static_cast<int>(rs.rows.size()) > limit) {
    const auto& last = page.items.back();
    page.next_cursor = db::encode_cursor(std::to_string(last.last_post_at), last.id);
  }
  return page;
}

std::string ThreadStore::after_cursor(std::int64_t post_id) {
  return db::encode_cursor("", post_id);
}

Result<PostPage> ThreadStore::posts(std::int64_t thread_id, std::string_view cursor,
                                    int limit) const {
  std::int64_t after = 0;
  if (!cursor.empty()) {
    AH_TRY(position, db::decode_cursor(cursor));
    after = position.id;
  }
  AH_TRY(rs, db_.query("SELECT p.id, p.thread_id, p.author_id, a.display_name, p.body, p.created_at"
                       " FROM group_posts p LEFT JOIN accounts a ON a.id = p.author_id"
                       " WHERE p.thread_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3",
                       {Value{thread_id}, Value{after}, Value{std::int64_t{limit + 1}}}));
  PostPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i) {
    const auto& row = rs.rows[i];
    Post p;
    p.id = row.int64(0);
    p.thread_id = row.int64(1);
    if (!row.is_null(2)) p.author_id = row.int64(2);
    if (!row.is_null(3)) p.author_name = row.text(3);
    p.body = row.text(4);
    p.created_at = row.int64(5);
    page.items.push_back(std::move(p));
  }
  if (static_cast<int>(rs.rows.size()) > limit)
    page.next_cursor = after_cursor(page.items.back().id);
  return page;
}

Status ThreadStore::mark_read(std::int64_t thread_id, std::int64_t account, std::int64_t post_id) {
  AH_TRY_STATUS(
      db_.query("INSERT INTO group_thread_reads (thread_id, account_id, last_read_post_id)"
                " VALUES ($1, $2, $3) ON CONFLICT (thread_id, account_id) DO UPDATE"
                " SET last_read_post_id = excluded.last_read_post_id"
                " WHERE group_thread_reads.last_read_post_id < excluded.last_read_post_id",
                {Value{thread_id}, Value{account}, Value{post_id}}));
  return {};
}

Status ThreadStore::subscribe(std::int64_t thread_id, std::int64_t account, bool on,
                              std::int64_t now) {
  if (on)
    AH_TRY_STATUS(
        db_.query("INSERT INTO group_thread_subscriptions (thread_id, account_id,"
                  " created_at) VALUES ($1, $2, $3)"
                  " ON CONFLICT (thread_id, account_id) DO NOTHING",
                  {Value{thread_id}, Value{account}, Value{now}}));
  else
    AH_TRY_STATUS(
        db_.query("DELETE FROM group_thread_subscriptions WHERE thread_id = $1"
                  " AND account_id = $2",
                  {Value{thread_id}, Value{account}}));
  return {};
}

Result<bool> ThreadStore::subscribed(std::int64_t thread_id, std::int64_t account) const {
  AH_TRY(rs, db_.query("SELECT 1 FROM group_thread_subscriptions WHERE thread_id = $1"
                       " AND account_id = $2",
                       {Value{thread_id}, Value{account}}));
  return !rs.rows.empty();
}

Result<std::vector<std::int64_t>> ThreadStore::subscribers(db::Connection& tx,
                                                           std::int64_t thread_id,
                                                           std::int64_t except) {
  AH_TRY(rs, tx.query("SELECT s.account_id FROM group_thread_subscriptions s"
                      " JOIN group_threads t ON t.id = s.thread_id"
                      " JOIN space_roles r ON r.space_kind = $3 AND r.space_id = t.group_id"
                      " AND r.account_id = s.account_id"
                      " WHERE s.thread_id = $1 AND s.account_id <> $2 ORDER BY s.account_id",
                      {Value{thread_id}, Value{except}, kind()}));
  std::vector<std::int64_t> out;
  for (const auto& row : rs.rows) out.push_back(row.int64(0));
  return out;
}

}  // namespace ah::modules::groups
