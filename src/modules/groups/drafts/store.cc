#include "modules/groups/drafts/store.h"

#include <map>

#include "db/cursor.h"
#include "modules/groups/store.h"
#include "web/rich_text.h"

namespace ah::modules::groups::drafts {

using db::Value;

std::vector<db::Migration> drafts_migrations() {
  return {
      // A draft names its current version; versions are never changed or deleted, and
      // UNIQUE (draft_id, number) is what makes two saves on the same base impossible.
      // frozen_by_decision_id names a decision of the decisions module (no foreign key: that
      // module's tables come later and a draft must not depend on them). A version's author
      // becomes NULL when the account is erased ("gelöschtes Konto"); the text stays.
      {9100, "group_drafts",
       "CREATE TABLE group_drafts ("
       " id {{id}},"
       " group_id BIGINT NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,"
       " title TEXT NOT NULL,"
       " current_version BIGINT NOT NULL,"
       " state TEXT NOT NULL CHECK (state IN ('open', 'frozen')),"
       " frozen_by_decision_id BIGINT,"
       " frozen_at BIGINT,"
       " created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " created_at BIGINT NOT NULL,"
       " updated_at BIGINT NOT NULL);"
       "CREATE INDEX group_drafts_changed ON group_drafts (group_id, updated_at, id);"
       "CREATE INDEX group_drafts_creator ON group_drafts (created_by);"
       "CREATE TABLE group_draft_versions ("
       " id {{id}},"
       " draft_id BIGINT NOT NULL REFERENCES group_drafts (id) ON DELETE CASCADE,"
       " number BIGINT NOT NULL,"
       " body TEXT NOT NULL,"
       " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " note TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " UNIQUE (draft_id, number));"
       "CREATE INDEX group_draft_versions_author ON group_draft_versions (author_id);"},
  };
}

namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

void check_body(const std::string& body, std::vector<std::pair<std::string, std::string>>& errors) {
  if (blank(body))
    errors.emplace_back("body", "drafts_error_body");
  else if (body.size() > kMaxBody)
    errors.emplace_back("body", "drafts_error_body_long");
  else if (auto problem = web::rich_text_problem(body))
    errors.emplace_back("body", *problem);
}

void check_note(const std::string& note, std::vector<std::pair<std::string, std::string>>& errors) {
  if (note.size() > kMaxNote) errors.emplace_back("note", "drafts_error_note_long");
}

constexpr std::string_view kDraftColumns =
    "SELECT id, group_id, title, current_version, state, frozen_by_decision_id, frozen_at,"
    " created_at, updated_at FROM group_drafts ";

Draft draft_from_row(const db::Row& row) {
  Draft d;
  d.id = row.int64(0);
  d.group_id = row.int64(1);
  d.title = row.text(2);
  d.current_version = row.int64(3);
  d.frozen = row.text(4) == "frozen";
  if (!row.is_null(5)) d.frozen_by_decision_id = row.int64(5);
  if (!row.is_null(6)) d.frozen_at = row.int64(6);
  d.created_at = row.int64(7);
  d.updated_at = row.int64(8);
  return d;
}

constexpr std::string_view kVersionColumns =
    "SELECT v.draft_id, v.number, v.author_id, a.display_name, v.note, v.created_at, v.body"
    " FROM group_draft_versions v LEFT JOIN accounts a ON a.id = v.author_id ";

Version version_from_row(const db::Row& row, bool with_body) {
  Version v;
  v.draft_id = row.int64(0);
  v.number = row.int64(1);
  if (!row.is_null(2)) v.author_id = row.int64(2);
  if (!row.is_null(3)) v.author_name = row.text(3);
  v.note = row.text(4);
  v.created_at = row.int64(5);
  if (with_body) v.body = row.text(6);
  return v;
}

Result<Version> version_in(db::Connection& tx, std::int64_t draft_id, std::int64_t number) {
  AH_TRY(rs, tx.query(std::string(kVersionColumns) + "WHERE v.draft_id = $1 AND v.number = $2",
                      {Value{draft_id}, Value{number}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such version");
  return version_from_row(rs.rows[0], true);
}

Status insert_version(db::Connection& tx, std::int64_t draft_id, std::int64_t number,
                      const std::string& body, const std::string& note, std::int64_t author,
                      std::int64_t now) {
  AH_TRY_STATUS(
      tx.query("INSERT INTO group_draft_versions (draft_id, number, body, author_id, note,"
               " created_at) VALUES ($1, $2, $3, $4, $5, $6)",
               {Value{draft_id}, Value{number}, Value{body}, Value{author}, Value{note},
                Value{now}}));
  return {};
}

// The organisations (active staff, by name) of the authors of versions lo..hi of a draft,
// one query, put into those of `versions` that have an author.
Status add_organisations(db::Database& db, std::int64_t draft_id, std::int64_t lo,
                         std::int64_t hi, std::vector<Version>& versions) {
  AH_TRY(orgs, db.query("SELECT m.account_id, o.name FROM org_memberships m"
                        " JOIN organisations o ON o.id = m.org_id"
                        " WHERE m.state = 'active' AND m.account_id IN (SELECT author_id"
                        " FROM group_draft_versions WHERE draft_id = $1 AND number >= $2"
                        " AND number <= $3) ORDER BY o.name_key, o.id",
                        {Value{draft_id}, Value{lo}, Value{hi}}));
  std::map<std::int64_t, std::vector<std::string>> by_account;
  for (const auto& row : orgs.rows) by_account[row.int64(0)].push_back(row.text(1));
  for (auto& v : versions)
    if (v.author_id) v.organisations = by_account[*v.author_id];
  return {};
}

// A save that found another version in its place: rolled back, then answered with theirs.
constexpr std::string_view kStale = "drafts: stale base version";

}  // namespace

std::vector<std::pair<std::string, std::string>> validate_draft(const std::string& title,
                                                                const std::string& body,
                                                                const std::string& note) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (blank(title))
    errors.emplace_back("title", "drafts_error_title");
  else if (title.size() > kMaxTitle)
    errors.emplace_back("title", "drafts_error_title_long");
  check_body(body, errors);
  check_note(note, errors);
  return errors;
}

std::vector<std::pair<std::string, std::string>> validate_revision(const std::string& body,
                                                                   const std::string& note) {
  std::vector<std::pair<std::string, std::string>> errors;
  check_body(body, errors);
  check_note(note, errors);
  return errors;
}

Result<std::int64_t> DraftStore::create(std::int64_t group_id, const std::string& title,
                                        const std::string& body, const std::string& note,
                                        std::int64_t author, std::int64_t now,
                                        const AlsoInTransaction& also) {
  if (auto errors = validate_draft(title, body, note); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(rs, tx.query("INSERT INTO group_drafts (group_id, title, current_version, state,"
                        " created_by, created_at, updated_at)"
                        " VALUES ($1, $2, 1, 'open', $3, $4, $4) RETURNING id",
                        {Value{group_id}, Value{title}, Value{author}, Value{now}}));
    std::int64_t id = rs.rows[0].int64(0);
    AH_TRY_STATUS(insert_version(tx, id, 1, body, note, author, now));
    if (also) AH_TRY_STATUS(also(tx, id, 1));
    return id;
  });
}

Result<SaveOutcome> DraftStore::save(std::int64_t draft_id, const Revision& revision,
                                     std::int64_t author, std::int64_t now,
                                     const AlsoInTransaction& also) {
  if (auto errors = validate_revision(revision.body, revision.note); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  const std::int64_t next = revision.base_version + 1;
  auto saved = db_.transaction([&](db::Connection& tx) -> Result<SaveOutcome> {
    AH_TRY(rs, tx.query("SELECT state, current_version FROM group_drafts WHERE id = $1",
                        {Value{draft_id}}));
    if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such draft");
    if (rs.rows[0].text(0) == "frozen") return fail(ErrorCode::conflict, std::string(kFrozen));
    if (rs.rows[0].int64(1) != revision.base_version)
      return fail(ErrorCode::conflict, std::string(kStale));
    // Of two saves on the same base, the second one's insert fails on UNIQUE (draft_id,
    // number) once the first commits (PostgreSQL waits for it), which is the same answer.
    AH_TRY_STATUS(insert_version(tx, draft_id, next, revision.body, revision.note, author, now));
    // Only an open draft still at the base moves on: a freeze that committed in between
    // leaves no row to update (the answer below then reads which it was).
    AH_TRY(moved, tx.query("UPDATE group_drafts SET current_version = $2, updated_at = $3"
                           " WHERE id = $1 AND current_version = $4 AND state = 'open'",
                           {Value{draft_id}, Value{next}, Value{now},
                            Value{revision.base_version}}));
    if (moved.affected_rows == 0) return fail(ErrorCode::conflict, std::string(kStale));
    if (also) AH_TRY_STATUS(also(tx, draft_id, next));
    AH_TRY(mine, version_in(tx, draft_id, next));
    return SaveOutcome{.landed = true, .current = std::move(mine)};
  });
  if (saved || saved.error().code != ErrorCode::conflict || saved.error().message == kFrozen)
    return saved;
  // Someone else's version is current: answer with it, unless nothing moved (then the
  // conflict was another constraint's and is passed on).
  AH_TRY(draft, find(draft_id));
  if (draft.frozen) return fail(ErrorCode::conflict, std::string(kFrozen));
  if (draft.current_version == revision.base_version) return saved;
  AH_TRY(theirs, version(draft_id, draft.current_version));
  return SaveOutcome{.landed = false, .current = std::move(theirs)};
}

Status DraftStore::freeze(db::Connection& tx, std::int64_t draft_id, std::int64_t decision_id,
                          std::int64_t now) {
  AH_TRY(rs, tx.query("UPDATE group_drafts SET state = 'frozen', frozen_by_decision_id = $2,"
                      " frozen_at = $3 WHERE id = $1 AND state = 'open'",
                      {Value{draft_id}, Value{decision_id}, Value{now}}));
  if (rs.affected_rows == 1) return {};
  AH_TRY(found, tx.query("SELECT frozen_by_decision_id FROM group_drafts WHERE id = $1",
                         {Value{draft_id}}));
  if (found.rows.empty()) return fail(ErrorCode::not_found, "no such draft");
  if (!found.rows[0].is_null(0) && found.rows[0].int64(0) == decision_id) return {};
  return fail(ErrorCode::conflict, std::string(kFrozen));
}

Result<Draft> DraftStore::find(std::int64_t id) const {
  AH_TRY(rs, db_.query(std::string(kDraftColumns) + "WHERE id = $1", {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such draft");
  return draft_from_row(rs.rows[0]);
}

Result<DraftPage> DraftStore::list(std::int64_t group_id, std::string_view cursor,
                                   int limit) const {
  std::vector<Value> params{Value{group_id}};
  std::string sql = std::string(kDraftColumns) + "WHERE group_id = $1";
  if (!cursor.empty()) {
    AH_TRY(after, db::decode_cursor(cursor));
    std::int64_t at = 0;
    try {
      at = std::stoll(after.key);
    } catch (const std::exception&) {
      return fail(ErrorCode::invalid_input, "invalid cursor");
    }
    params.push_back(Value{at});
    params.push_back(Value{after.id});
    sql += " AND (updated_at < $2 OR (updated_at = $2 AND id < $3))";
  }
  params.push_back(Value{std::int64_t{limit + 1}});
  sql += " ORDER BY updated_at DESC, id DESC LIMIT $" + std::to_string(params.size());
  AH_TRY(rs, db_.query(sql, params));
  DraftPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(draft_from_row(rs.rows[i]));
  if (static_cast<int>(rs.rows.size()) > limit)
    page.next_cursor =
        db::encode_cursor(std::to_string(page.items.back().updated_at), page.items.back().id);
  return page;
}

Result<Version> DraftStore::version(std::int64_t draft_id, std::int64_t number) const {
  AH_TRY(rs, db_.query(std::string(kVersionColumns) + "WHERE v.draft_id = $1 AND v.number = $2",
                       {Value{draft_id}, Value{number}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such version");
  std::vector<Version> one{version_from_row(rs.rows[0], true)};
  AH_TRY_STATUS(add_organisations(db_, draft_id, number, number, one));
  return std::move(one.front());
}

Result<VersionPage> DraftStore::versions(std::int64_t draft_id, std::string_view cursor,
                                         int limit) const {
  std::int64_t before = INT64_MAX;
  if (!cursor.empty()) {
    AH_TRY(position, db::decode_cursor(cursor));
    before = position.id;
  }
  AH_TRY(rs, db_.query(std::string(kVersionColumns) +
                           "WHERE v.draft_id = $1 AND v.number < $2 ORDER BY v.number DESC"
                           " LIMIT $3",
                       {Value{draft_id}, Value{before}, Value{std::int64_t{limit + 1}}}));
  VersionPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(version_from_row(rs.rows[i], false));
  if (page.items.empty()) return page;
  if (static_cast<int>(rs.rows.size()) > limit)
    page.next_cursor = db::encode_cursor("", page.items.back().number);
  AH_TRY_STATUS(add_organisations(db_, draft_id, page.items.back().number,
                                  page.items.front().number, page.items));
  return page;
}

Result<std::vector<std::int64_t>> DraftStore::editors(db::Connection& tx, std::int64_t draft_id,
                                                      std::int64_t except) {
  AH_TRY(rs, tx.query("SELECT DISTINCT v.author_id FROM group_draft_versions v"
                      " JOIN group_drafts d ON d.id = v.draft_id"
                      " JOIN space_roles r ON r.space_kind = $3 AND r.space_id = d.group_id"
                      " AND r.account_id = v.author_id"
                      " WHERE v.draft_id = $1 AND v.author_id <> $2 ORDER BY v.author_id",
                      {Value{draft_id}, Value{except}, Value{std::string(groups::kSpaceKind)}}));
  std::vector<std::int64_t> out;
  for (const auto& row : rs.rows) out.push_back(row.int64(0));
  return out;
}

}  // namespace ah::modules::groups::drafts
