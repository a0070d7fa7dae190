#include "modules/groups/meetings/store.h"

#include "auth/tokens.h"

namespace ah::modules::meetings {

using db::Value;

std::vector<db::Migration> meetings_migrations() {
  return {
      // A group's meetings are read by start (upcoming soonest first, past latest first),
      // so one index on (group_id, ends_at) serves both lists and the feeds. created_by
      // becomes NULL when the account is erased; the meeting stays the group's.
      {9300, "group_meetings",
       "CREATE TABLE group_meetings ("
       " id {{id}},"
       " group_id BIGINT NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,"
       " title TEXT NOT NULL,"
       " starts_at BIGINT NOT NULL,"
       " ends_at BIGINT NOT NULL,"
       " place TEXT NOT NULL,"
       " video_url TEXT NOT NULL,"
       " agenda TEXT NOT NULL,"
       " minutes TEXT NOT NULL,"
       " cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),"
       " sequence BIGINT NOT NULL DEFAULT 0,"
       " created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " created_at BIGINT NOT NULL,"
       " updated_at BIGINT NOT NULL,"
       " CHECK (ends_at > starts_at));"
       "CREATE INDEX group_meetings_by_end ON group_meetings (group_id, ends_at, id);"
       "CREATE INDEX group_meetings_by_start ON group_meetings (group_id, starts_at, id);"
       "CREATE INDEX group_meetings_creator ON group_meetings (created_by);"
       // One feed token a person; only its hash.
       "CREATE TABLE group_calendar_tokens ("
       " account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,"
       " token_hash TEXT NOT NULL UNIQUE,"
       " created_at BIGINT NOT NULL);"},
  };
}

bool valid_video_url(std::string_view url) {
  constexpr std::string_view scheme = "https://";
  if (url.size() > kMaxUrl || !url.starts_with(scheme)) return false;
  std::string_view rest = url.substr(scheme.size());
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find('@') != std::string_view::npos) return false;
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`')
      return false;
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> validate(const MeetingInput& m) {
  std::vector<std::pair<std::string, std::string>> errors;
  auto blank = [](std::string_view s) { return s.find_first_not_of(" \t\r\n") == s.npos; };
  if (blank(m.title))
    errors.emplace_back("title", "meetings_error_title");
  else if (m.title.size() > kMaxTitle)
    errors.emplace_back("title", "meetings_error_title_long");
  if (m.ends_at <= m.starts_at)
    errors.emplace_back("end_time", "meetings_error_end_before_start");
  else if (m.ends_at - m.starts_at > kMaxDuration)
    errors.emplace_back("end_time", "meetings_error_too_long");
  if (blank(m.place) && m.video_url.empty())
    errors.emplace_back("place", "meetings_error_place");
  else if (m.place.size() > kMaxPlace)
    errors.emplace_back("place", "meetings_error_place_long");
  if (!m.video_url.empty() && !valid_video_url(m.video_url))
    errors.emplace_back("video_url", "meetings_error_video_url");
  if (m.agenda.size() > kMaxText) errors.emplace_back("agenda", "meetings_error_text_long");
  if (m.minutes.size() > kMaxText) errors.emplace_back("minutes", "meetings_error_text_long");
  return errors;
}

namespace {

constexpr std::string_view kColumns =
    "SELECT m.id, m.group_id, m.title, m.starts_at, m.ends_at, m.place, m.video_url, m.agenda,"
    " m.minutes, m.cancelled, m.sequence, m.created_by, m.created_at, m.updated_at";

Meeting from_row(const db::Row& row) {
  Meeting m;
  m.id = row.int64(0);
  m.group_id = row.int64(1);
  m.title = row.text(2);
  m.starts_at = row.int64(3);
  m.ends_at = row.int64(4);
  m.place = row.text(5);
  m.video_url = row.text(6);
  m.agenda = row.text(7);
  m.minutes = row.text(8);
  m.cancelled = row.int64(9) != 0;
  m.sequence = row.int64(10);
  if (!row.is_null(11)) m.created_by = row.int64(11);
  m.created_at = row.int64(12);
  m.updated_at = row.int64(13);
  return m;
}

Status check(const MeetingInput& meeting) {
  auto errors = validate(meeting);
  if (!errors.empty()) return fail(ErrorCode::invalid_input, errors.front().second);
  return {};
}

std::vector<Meeting> all_rows(const db::ResultSet& rs) {
  std::vector<Meeting> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) out.push_back(from_row(row));
  return out;
}

}  // namespace

Result<std::int64_t> MeetingStore::create(std::int64_t group_id, const MeetingInput& m,
                                          std::int64_t author, std::int64_t now,
                                          const AlsoInTransaction& also) {
  AH_TRY_STATUS(check(m));
  std::int64_t id = 0;
  AH_TRY_STATUS(db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(group, tx.query("SELECT 1 FROM work_groups WHERE id = $1", {Value{group_id}}));
    if (group.rows.empty()) return fail(ErrorCode::not_found, "no such group");
    AH_TRY(rs, tx.query("INSERT INTO group_meetings (group_id, title, starts_at, ends_at, place,"
                        " video_url, agenda, minutes, cancelled, sequence, created_by,"
                        " created_at, updated_at)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $11)"
                        " RETURNING id",
                        {Value{group_id}, Value{m.title}, Value{m.starts_at}, Value{m.ends_at},
                         Value{m.place}, Value{m.video_url}, Value{m.agenda}, Value{m.minutes},
                         Value{std::int64_t{m.cancelled ? 1 : 0}}, Value{author}, Value{now}}));
    id = rs.rows[0].int64(0);
    if (also) AH_TRY_STATUS(also(tx, id));
    return {};
  }));
  return id;
}

Status MeetingStore::update(std::int64_t id, const MeetingInput& m, std::int64_t now,
                            const AlsoOnUpdate& also) {
  AH_TRY_STATUS(check(m));
  return db_.transaction([&](db::Connection& tx) -> Status {
    // Locks the row first (PostgreSQL; SQLite's writers are serial anyway), so that of two
    // edits at once the second sees the first one's result as "before".
    AH_TRY(locked,
           tx.query("UPDATE group_meetings SET sequence = sequence WHERE id = $1", {Value{id}}));
    if (locked.affected_rows == 0) return fail(ErrorCode::not_found, "no such meeting");
    AH_TRY(before,
           tx.query(std::string(kColumns) + " FROM group_meetings m WHERE m.id = $1", {Value{id}}));
    AH_TRY_STATUS(
        tx.query("UPDATE group_meetings SET title = $2, starts_at = $3, ends_at = $4,"
                 " place = $5, video_url = $6, agenda = $7, minutes = $8,"
                 " cancelled = $9, sequence = sequence + 1, updated_at = $10"
                 " WHERE id = $1",
                 {Value{id}, Value{m.title}, Value{m.starts_at}, Value{m.ends_at}, Value{m.place},
                  Value{m.video_url}, Value{m.agenda}, Value{m.minutes},
                  Value{std::int64_t{m.cancelled ? 1 : 0}}, Value{now}}));
    if (also) AH_TRY_STATUS(also(tx, from_row(before.rows[0])));
    return {};
  });
}

Result<Meeting> MeetingStore::find(std::int64_t id) const {
  AH_TRY(rs,
         db_.query(std::string(kColumns) + " FROM group_meetings m WHERE m.id = $1", {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such meeting");
  return from_row(rs.rows[0]);
}

Result<std::vector<Meeting>> MeetingStore::upcoming(std::int64_t group_id, std::int64_t now,
                                                    int limit) const {
  AH_TRY(rs, db_.query(std::string(kColumns) +
                           " FROM group_meetings m WHERE m.group_id = $1 AND m.ends_at > $2"
                           " ORDER BY m.starts_at, m.id LIMIT $3",
                       {Value{group_id}, Value{now}, Value{std::int64_t{limit}}}));
  return all_rows(rs);
}

Result<std::vector<Meeting>> MeetingStore::past(std::int64_t group_id, std::int64_t now,
                                                int limit) const {
  AH_TRY(rs, db_.query(std::string(kColumns) +
                           " FROM group_meetings m WHERE m.group_id = $1 AND m.ends_at <= $2"
                           " ORDER BY m.starts_at DESC, m.id DESC LIMIT $3",
                       {Value{group_id}, Value{now}, Value{std::int64_t{limit}}}));
  return all_rows(rs);
}

Result<std::vector<std::pair<Meeting, std::string>>> MeetingStore::of_member(std::int64_t account,
                                                                             std::int64_t since,
                                                                             int limit) const {
  AH_TRY(rs, db_.query(std::string(kColumns) +
                           ", g.name FROM group_meetings m"
                           " JOIN work_groups g ON g.id = m.group_id"
                           " JOIN space_roles r ON r.space_kind = 'group' AND r.space_id = g.id"
                           " WHERE r.account_id = $1 AND m.ends_at > $2"
                           " ORDER BY m.starts_at, m.id LIMIT $3",
                       {Value{account}, Value{since}, Value{std::int64_t{limit}}}));
  std::vector<std::pair<Meeting, std::string>> out;
  for (const auto& row : rs.rows) out.emplace_back(from_row(row), row.text(14));
  return out;
}

Result<std::vector<UpcomingMeeting>> MeetingStore::upcoming_for(std::int64_t account,
                                                                std::int64_t now, int limit) const {
  AH_TRY(rs, db_.query("SELECT m.id, m.group_id, g.name, m.title, m.starts_at, m.ends_at,"
                       " m.place, m.video_url FROM group_meetings m"
                       " JOIN work_groups g ON g.id = m.group_id"
                       " JOIN space_roles r ON r.space_kind = 'group' AND r.space_id = g.id"
                       " WHERE r.account_id = $1 AND m.ends_at > $2 AND m.cancelled = 0"
                       " ORDER BY m.starts_at, m.id LIMIT $3",
                       {Value{account}, Value{now}, Value{std::int64_t{limit}}}));
  std::vector<UpcomingMeeting> out;
  for (const auto& row : rs.rows)
    out.push_back({.id = row.int64(0),
                   .group_id = row.int64(1),
                   .group_name = row.text(2),
                   .title = row.text(3),
                   .starts_at = row.int64(4),
                   .ends_at = row.int64(5),
                   .place = row.text(6),
                   .video = !row.text(7).empty()});
  return out;
}

Result<std::string> CalendarTokens::renew(std::int64_t account, std::int64_t now) {
  std::string token = auth::random_token();
  AH_TRY_STATUS(db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(
        tx.query("DELETE FROM group_calendar_tokens WHERE account_id = $1", {Value{account}}));
    AH_TRY_STATUS(
        tx.query("INSERT INTO group_calendar_tokens (account_id, token_hash,"
                 " created_at) VALUES ($1, $2, $3)",
                 {Value{account}, Value{auth::token_hash(token)}, Value{now}}));
    return {};
  }));
  return token;
}

Result<std::optional<std::int64_t>> CalendarTokens::account_for(std::string_view token) const {
  if (token.empty()) return std::optional<std::int64_t>{};
  AH_TRY(rs, db_.query("SELECT account_id FROM group_calendar_tokens WHERE token_hash = $1",
                       {Value{auth::token_hash(token)}}));
  if (rs.rows.empty()) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rs.rows[0].int64(0)};
}

Result<std::optional<std::int64_t>> CalendarTokens::created_at(std::int64_t account) const {
  AH_TRY(rs, db_.query("SELECT created_at FROM group_calendar_tokens WHERE account_id = $1",
                       {Value{account}}));
  if (rs.rows.empty()) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rs.rows[0].int64(0)};
}

Status CalendarTokens::revoke(std::int64_t account) {
  AH_TRY_STATUS(
      db_.query("DELETE FROM group_calendar_tokens WHERE account_id = $1", {Value{account}}));
  return {};
}

}  // namespace ah::modules::meetings
