#include "modules/moderation/store.h"

#include <array>

#include "db/cursor.h"

namespace ah::moderation {

using db::Value;

std::vector<db::Migration> moderation_migrations() {
  return {
      // Reports: one per signed-in person and target (the UNIQUE constraint; anonymous
      // reports have no reporter and are rate-limited instead). The queue reads the open
      // reports of a space.
      {8000, "moderation",
       "CREATE TABLE moderation_reports ("
       " id {{id}},"
       " space_kind TEXT NOT NULL,"
       " space_id BIGINT NOT NULL,"
       " target_kind TEXT NOT NULL,"
       " target_id BIGINT NOT NULL,"
       " reporter_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " reason TEXT NOT NULL,"
       " text TEXT NOT NULL,"
       " state TEXT NOT NULL CHECK (state IN ('open', 'handled')),"
       " created_at BIGINT NOT NULL,"
       " handled_at BIGINT,"
       " UNIQUE (target_kind, target_id, reporter_id));"
       "CREATE INDEX moderation_reports_queue ON moderation_reports (space_kind, space_id, "
       "state, id);"
       "CREATE INDEX moderation_reports_reporter ON moderation_reports (reporter_id);"
       // A hidden target shows its public reason instead of its text.
       "CREATE TABLE moderation_hidden ("
       " target_kind TEXT NOT NULL,"
       " target_id BIGINT NOT NULL,"
       " space_kind TEXT NOT NULL,"
       " space_id BIGINT NOT NULL,"
       " reason TEXT NOT NULL,"
       " hidden_at BIGINT NOT NULL,"
       " PRIMARY KEY (target_kind, target_id));"
       "CREATE INDEX moderation_hidden_space ON moderation_hidden (space_kind, space_id);"
       "CREATE TABLE moderation_blocks ("
       " space_kind TEXT NOT NULL,"
       " space_id BIGINT NOT NULL,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " reason TEXT NOT NULL,"
       " blocked_at BIGINT NOT NULL,"
       " PRIMARY KEY (space_kind, space_id, account_id));"
       "CREATE INDEX moderation_blocks_account ON moderation_blocks (account_id);"
       // Append-only: rows are inserted with their action and never updated, except that
       // an erased account's id becomes NULL ("gelöschtes Konto").
       "CREATE TABLE moderation_log ("
       " id {{id}},"
       " space_kind TEXT NOT NULL,"
       " space_id BIGINT NOT NULL,"
       " actor_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " action TEXT NOT NULL CHECK (action IN ('hide', 'restore', 'dismiss', 'block', "
       "'unblock')),"
       " target_kind TEXT,"
       " target_id BIGINT,"
       " subject_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " has_subject INTEGER NOT NULL,"
       " reason TEXT NOT NULL,"
       " created_at BIGINT NOT NULL);"
       "CREATE INDEX moderation_log_space ON moderation_log (space_kind, space_id, id);"
       "CREATE INDEX moderation_log_actor ON moderation_log (actor_id);"
       "CREATE INDEX moderation_log_subject ON moderation_log (subject_id);"},
  };
}

namespace {

constexpr std::array kReasons{std::pair{Reason::insult, "insult"}, std::pair{Reason::spam, "spam"},
                              std::pair{Reason::personal_data, "personal_data"},
                              std::pair{Reason::unlawful, "unlawful"},
                              std::pair{Reason::other, "other"}};
constexpr std::array kAllReasons{Reason::insult, Reason::spam, Reason::personal_data,
                                 Reason::unlawful, Reason::other};

constexpr std::array kLogActions{
    std::pair{LogAction::hide, "hide"}, std::pair{LogAction::restore, "restore"},
    std::pair{LogAction::dismiss, "dismiss"}, std::pair{LogAction::block, "block"},
    std::pair{LogAction::unblock, "unblock"}};

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// A moderator's reason: required unless `optional`, and bounded.
Status check_reason(const std::string& reason, bool optional = false) {
  if (!optional && blank(reason)) return fail(ErrorCode::invalid_input, "moderation_error_reason");
  if (reason.size() > kMaxModerationReason)
    return fail(ErrorCode::invalid_input, "moderation_error_reason_long");
  return {};
}

Value optional_id(std::optional<std::int64_t> id) { return id ? Value{*id} : Value{nullptr}; }

struct LogRecord {
  const Space& space;
  std::int64_t actor;
  LogAction action;
  std::optional<TargetRef> target;
  std::optional<std::int64_t> subject;
  const std::string& reason;
  std::int64_t now;
};

Status append_log(db::Connection& tx, const LogRecord& r) {
  AH_TRY_STATUS(tx.query(
      "INSERT INTO moderation_log (space_kind, space_id, actor_id, action, target_kind, "
      "target_id, subject_id, has_subject, reason, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {Value{r.space.kind}, Value{r.space.id}, Value{r.actor},
       Value{std::string(to_string(r.action))}, r.target ? Value{r.target->kind} : Value{nullptr},
       r.target ? Value{r.target->id} : Value{nullptr}, optional_id(r.subject),
       Value{std::int64_t{r.subject.has_value()}}, Value{r.reason}, Value{r.now}}));
  return {};
}

// Closes the target's open reports in the space (only there: a moderator of one space
// never handles another's reports).
Status close_reports(db::Connection& tx, const Space& space, const TargetRef& target,
                     std::int64_t now, std::int64_t* closed = nullptr) {
  AH_TRY(rs, tx.query("UPDATE moderation_reports SET state = 'handled', handled_at = $3"
                      " WHERE target_kind = $1 AND target_id = $2 AND state = 'open'"
                      " AND space_kind = $4 AND space_id = $5",
                      {Value{target.kind}, Value{target.id}, Value{now}, Value{space.kind},
                       Value{space.id}}));
  if (closed) *closed = rs.affected_rows;
  return {};
}

constexpr std::string_view kReportColumns =
    "SELECT r.id, r.target_kind, r.target_id, r.reporter_id, a.display_name, r.reason, r.text,"
    " r.created_at, r.space_kind, r.space_id, r.state"
    " FROM moderation_reports r LEFT JOIN accounts a ON a.id = r.reporter_id ";

Report report_from_row(const db::Row& row) {
  Report r;
  r.id = row.int64(0);
  r.target = {row.text(1), row.int64(2)};
  if (!row.is_null(3)) r.reporter_id = row.int64(3);
  if (!row.is_null(4)) r.reporter_name = row.text(4);
  r.reason = reason_from_string(row.text(5)).value_or(Reason::other);
  r.text = row.text(6);
  r.created_at = row.int64(7);
  r.open = row.text(10) == "open";
  return r;
}

}  // namespace

std::span<const Reason> all_reasons() { return kAllReasons; }

std::string_view to_string(Reason reason) {
  for (const auto& [r, name] : kReasons)
    if (r == reason) return name;
  return "other";
}

std::optional<Reason> reason_from_string(std::string_view s) {
  for (const auto& [r, name] : kReasons)
    if (name == s) return r;
  return std::nullopt;
}

std::string_view to_string(LogAction action) {
  for (const auto& [a, name] : kLogActions)
    if (a == action) return name;
  return "hide";
}

Result<bool> ModerationStore::report(const NewReport& report, std::int64_t now) {
  if (report.text.size() > kMaxReportText || (report.reason == Reason::other && blank(report.text)))
    return fail(ErrorCode::invalid_input, "moderation_error_report_text");
  AH_TRY(rs,
         db_.query("INSERT INTO moderation_reports (space_kind, space_id, target_kind, "
                   "target_id, reporter_id, reason, text, state, created_at)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)"
                   " ON CONFLICT (target_kind, target_id, reporter_id) DO NOTHING",
                   {Value{report.space.kind}, Value{report.space.id}, Value{report.target.kind},
                    Value{report.target.id}, optional_id(report.reporter),
                    Value{std::string(to_string(report.reason))}, Value{report.text}, Value{now}}));
  return rs.affected_rows == 1;
}

Result<std::vector<ReportGroup>> ModerationStore::open_reports(const Space& space) const {
  AH_TRY(rs, db_.query(std::string(kReportColumns) +
                           "WHERE r.space_kind = $1 AND r.space_id = $2 AND r.state = 'open'"
                           " ORDER BY r.id",
                       {Value{space.kind}, Value{space.id}}));
  std::vector<ReportGroup> groups;
  std::map<TargetRef, std::size_t> index;
  for (const auto& row : rs.rows) {
    Report r = report_from_row(row);
    auto [it, fresh] = index.emplace(r.target, groups.size());
    if (fresh) groups.push_back({r.target, {}});
    groups[it->second].reports.push_back(std::move(r));
  }
  return groups;
}

Result<std::int64_t> ModerationStore::open_report_count(const Space& space) const {
  AH_TRY(rs, db_.query("SELECT COUNT(*) FROM moderation_reports"
                       " WHERE space_kind = $1 AND space_id = $2 AND state = 'open'",
                       {Value{space.kind}, Value{space.id}}));
  return rs.rows[0].int64(0);
}

Status ModerationStore::hide(const Space& space, const TargetRef& target,
                             std::optional<std::int64_t> subject, std::int64_t actor,
                             const std::string& reason, std::int64_t now) {
  AH_TRY_STATUS(check_reason(reason));
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(tx.query(
        "INSERT INTO moderation_hidden (target_kind, target_id, space_kind, space_id, reason, "
        "hidden_at) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT (target_kind, target_id) DO UPDATE SET reason = excluded.reason,"
        " hidden_at = excluded.hidden_at",
        {Value{target.kind}, Value{target.id}, Value{space.kind}, Value{space.id}, Value{reason},
         Value{now}}));
    AH_TRY_STATUS(close_reports(tx, space, target, now));
    return append_log(tx, {space, actor, LogAction::hide, target, subject, reason, now});
  });
}

Status ModerationStore::restore(const Space& space, const TargetRef& target,
                                std::optional<std::int64_t> subject, std::int64_t actor,
                                const std::string& reason, std::int64_t now) {
  AH_TRY_STATUS(check_reason(reason));
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(rs,
           tx.query("DELETE FROM moderation_hidden WHERE target_kind = $1 AND target_id = $2"
                    " AND space_kind = $3 AND space_id = $4",
                    {Value{target.kind}, Value{target.id}, Value{space.kind}, Value{space.id}}));
    if (rs.affected_rows == 0) return fail(ErrorCode::conflict, "moderation_error_not_hidden");
    return append_log(tx, {space, actor, LogAction::restore, target, subject, reason, now});
  });
}

Status ModerationStore::dismiss(const Space& space, const TargetRef& target, std::int64_t actor,
                                const std::string& reason, std::int64_t now) {
  AH_TRY_STATUS(check_reason(reason, true));
  return db_.transaction([&](db::Connection& tx) -> Status {
    std::int64_t closed = 0;
    AH_TRY_STATUS(close_reports(tx, space, target, now, &closed));
    if (closed == 0) return fail(ErrorCode::conflict, "moderation_error_no_reports");
    return append_log(tx, {space, actor, LogAction::dismiss, target, std::nullopt, reason, now});
  });
}

Status ModerationStore::block(const Space& space, std::int64_t account, std::int64_t actor,
                              const std::string& reason, std::int64_t now) {
  AH_TRY_STATUS(check_reason(reason));
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(tx.query(
        "INSERT INTO moderation_blocks (space_kind, space_id, account_id, reason, blocked_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (space_kind, space_id, account_id)"
        " DO UPDATE SET reason = excluded.reason, blocked_at = excluded.blocked_at",
        {Value{space.kind}, Value{space.id}, Value{account}, Value{reason}, Value{now}}));
    return append_log(tx, {space, actor, LogAction::block, std::nullopt, account, reason, now});
  });
}

Status ModerationStore::unblock(const Space& space, std::int64_t account, std::int64_t actor,
                                const std::string& reason, std::int64_t now) {
  AH_TRY_STATUS(check_reason(reason));
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(rs, tx.query("DELETE FROM moderation_blocks"
                        " WHERE space_kind = $1 AND space_id = $2 AND account_id = $3",
                        {Value{space.kind}, Value{space.id}, Value{account}}));
    if (rs.affected_rows == 0) return fail(ErrorCode::conflict, "moderation_error_not_blocked");
    return append_log(tx, {space, actor, LogAction::unblock, std::nullopt, account, reason, now});
  });
}

Result<std::map<TargetRef, std::string>> ModerationStore::hidden_in(const Space& space) const {
  AH_TRY(list, hidden_list(space));
  std::map<TargetRef, std::string> out;
  for (auto& h : list) out.emplace(h.target, std::move(h.reason));
  return out;
}

Result<Standing> ModerationStore::standing(const Space& space, std::int64_t account,
                                           const std::optional<TargetRef>& target) const {
  // No account row (erased meanwhile): no row at all, so not verified.
  AH_TRY(rs, db_.query("SELECT a.email_verified_at, b.account_id, a.display_name, b.reason,"
                       " b.blocked_at, CASE WHEN EXISTS (SELECT 1 FROM moderation_hidden h"
                       " WHERE h.target_kind = $4 AND h.target_id = $5) THEN 1 ELSE 0 END"
                       " FROM accounts a LEFT JOIN moderation_blocks b ON b.account_id = a.id"
                       " AND b.space_kind = $2 AND b.space_id = $3 WHERE a.id = $1",
                       {Value{account}, Value{space.kind}, Value{space.id},
                        Value{target ? target->kind : std::string()},
                        Value{target ? target->id : std::int64_t{0}}}));
  Standing out;
  if (rs.rows.empty()) return out;
  const db::Row& row = rs.rows[0];
  out.verified = !row.is_null(0);
  if (!row.is_null(1)) out.block = Block{row.int64(1), row.text(2), row.text(3), row.int64(4)};
  out.target_hidden = row.int64(5) != 0;
  return out;
}

Result<std::vector<Hidden>> ModerationStore::hidden_list(const Space& space) const {
  AH_TRY(rs, db_.query("SELECT target_kind, target_id, reason, hidden_at FROM moderation_hidden"
                       " WHERE space_kind = $1 AND space_id = $2"
                       " ORDER BY hidden_at DESC, target_kind, target_id",
                       {Value{space.kind}, Value{space.id}}));
  std::vector<Hidden> out;
  for (const auto& row : rs.rows)
    out.push_back({{row.text(0), row.int64(1)}, row.text(2), row.int64(3)});
  return out;
}

namespace {
constexpr std::string_view kBlockColumns =
    "SELECT b.account_id, a.display_name, b.reason, b.blocked_at FROM moderation_blocks b"
    " JOIN accounts a ON a.id = b.account_id WHERE b.space_kind = $1 AND b.space_id = $2";

Block block_from_row(const db::Row& row) {
  return {row.int64(0), row.text(1), row.text(2), row.int64(3)};
}
}  // namespace

Result<std::optional<Block>> ModerationStore::block_of(const Space& space,
                                                       std::int64_t account) const {
  AH_TRY(rs, db_.query(std::string(kBlockColumns) + " AND b.account_id = $3",
                       {Value{space.kind}, Value{space.id}, Value{account}}));
  if (rs.rows.empty()) return std::optional<Block>{};
  return std::optional<Block>{block_from_row(rs.rows[0])};
}

Result<std::vector<Block>> ModerationStore::blocks(const Space& space) const {
  AH_TRY(rs, db_.query(std::string(kBlockColumns) + " ORDER BY b.blocked_at DESC, b.account_id",
                       {Value{space.kind}, Value{space.id}}));
  std::vector<Block> out;
  for (const auto& row : rs.rows) out.push_back(block_from_row(row));
  return out;
}

Result<LogPage> ModerationStore::log(const Space& space, std::string_view cursor, int limit) const {
  std::vector<Value> params{Value{space.kind}, Value{space.id}};
  std::string sql =
      "SELECT l.id, actor.display_name, l.action, l.target_kind, l.target_id,"
      " subject.display_name, l.has_subject, l.reason, l.created_at FROM moderation_log l"
      " LEFT JOIN accounts actor ON actor.id = l.actor_id"
      " LEFT JOIN accounts subject ON subject.id = l.subject_id"
      " WHERE l.space_kind = $1 AND l.space_id = $2";
  if (!cursor.empty()) {
    AH_TRY(after, db::decode_cursor(cursor));
    params.push_back(Value{after.id});
    sql += " AND l.id < $3";
  }
  params.push_back(Value{std::int64_t{limit + 1}});
  sql += " ORDER BY l.id DESC LIMIT $" + std::to_string(params.size());
  AH_TRY(rs, db_.query(sql, params));
  LogPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i) {
    const auto& row = rs.rows[i];
    LogEntry e;
    e.id = row.int64(0);
    if (!row.is_null(1)) e.actor_name = row.text(1);
    for (const auto& [a, name] : kLogActions)
      if (name == row.text(2)) e.action = a;
    if (!row.is_null(3)) e.target = TargetRef{row.text(3), row.int64(4)};
    if (!row.is_null(5)) e.subject_name = row.text(5);
    e.has_subject = row.int64(6) != 0;
    e.reason = row.text(7);
    e.created_at = row.int64(8);
    page.items.push_back(std::move(e));
  }
  if (static_cast<int>(rs.rows.size()) > limit)
    page.next_cursor = db::encode_cursor("log", page.items.back().id);
  return page;
}

Result<std::vector<std::pair<Space, Report>>> ModerationStore::reports_by(
    std::int64_t account) const {
  AH_TRY(rs, db_.query(std::string(kReportColumns) + "WHERE r.reporter_id = $1 ORDER BY r.id",
                       {Value{account}}));
  std::vector<std::pair<Space, Report>> out;
  for (const auto& row : rs.rows)
    out.emplace_back(Space{row.text(8), row.int64(9)}, report_from_row(row));
  return out;
}

}  // namespace ah::moderation
