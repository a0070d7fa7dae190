#include "modules/groups/decisions/store.h"

#include <sodium.h>

#include <algorithm>
#include <set>

#include "auth/tokens.h"
#include "db/cursor.h"
#include "web/rich_text.h"

namespace ah::modules::decisions {

using db::Value;

std::vector<db::Migration> decisions_migrations() {
  return {
      // A decision's ballots are counted on every read, never kept as counters. While an
      // anonymous decision is open, voter_secret keys the hashes that find a person's
      // ballot again; closing sets it to NULL. reminded_at records the "closing soon"
      // reminder, so a restart never sends it twice. Booleans are 0/1 integers.
      {9200, "group_decisions",
       "CREATE TABLE group_decisions ("
       " id {{id}},"
       " group_id BIGINT NOT NULL REFERENCES work_groups (id) ON DELETE CASCADE,"
       " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " title TEXT NOT NULL,"
       " details TEXT NOT NULL,"
       " kind TEXT NOT NULL CHECK (kind IN ('consent', 'poll', 'dot_vote', 'score')),"
       " multiple INTEGER NOT NULL,"
       " points INTEGER NOT NULL,"
       " deadline BIGINT NOT NULL,"
       " results TEXT NOT NULL CHECK (results IN ('after_vote', 'after_close')),"
       " anonymous INTEGER NOT NULL,"
       " voter_secret TEXT,"
       " state TEXT NOT NULL CHECK (state IN ('open', 'closed')),"
       " closed_at BIGINT,"
       " reminded_at BIGINT,"
       " outcome TEXT,"
       " review_date BIGINT,"
       " outcome_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " outcome_at BIGINT,"
       " created_at BIGINT NOT NULL);"
       "CREATE INDEX group_decisions_due ON group_decisions (state, deadline);"
       "CREATE INDEX group_decisions_open ON group_decisions (group_id, state, deadline, id);"
       "CREATE INDEX group_decisions_closed ON group_decisions (group_id, state, closed_at, id);"
       "CREATE INDEX group_decisions_author ON group_decisions (author_id);"
       "CREATE INDEX group_decisions_outcome_by ON group_decisions (outcome_by);"
       "CREATE TABLE group_decision_options ("
       " id {{id}},"
       " decision_id BIGINT NOT NULL REFERENCES group_decisions (id) ON DELETE CASCADE,"
       " position INTEGER NOT NULL,"
       " label TEXT NOT NULL);"
       "CREATE INDEX group_decision_options_decision ON group_decision_options"
       " (decision_id, position);"
       // Who voted, without what or when (reminders, "you voted").
       "CREATE TABLE group_decision_voters ("
       " decision_id BIGINT NOT NULL REFERENCES group_decisions (id) ON DELETE CASCADE,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " PRIMARY KEY (decision_id, account_id));"
       "CREATE INDEX group_decision_voters_account ON group_decision_voters (account_id);"
       // What was voted: random ids, no time. voter_key finds a person's ballot while the
       // decision is open ("account:ID", or a keyed hash for anonymous decisions; NULL once
       // an anonymous decision closed); account_id only for non-anonymous decisions.
       "CREATE TABLE group_decision_ballots ("
       " id BIGINT PRIMARY KEY,"
       " decision_id BIGINT NOT NULL REFERENCES group_decisions (id) ON DELETE CASCADE,"
       " voter_key TEXT,"
       " account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " position TEXT CHECK (position IN ('agree', 'abstain', 'concern', 'block')),"
       " reason TEXT NOT NULL);"
       "CREATE UNIQUE INDEX group_decision_ballots_voter ON group_decision_ballots"
       " (decision_id, voter_key);"
       "CREATE INDEX group_decision_ballots_account ON group_decision_ballots (account_id);"
       "CREATE TABLE group_decision_marks ("
       " ballot_id BIGINT NOT NULL REFERENCES group_decision_ballots (id) ON DELETE CASCADE,"
       " option_id BIGINT NOT NULL REFERENCES group_decision_options (id) ON DELETE CASCADE,"
       " value INTEGER NOT NULL CHECK (value >= 0),"
       " PRIMARY KEY (ballot_id, option_id));"
       "CREATE INDEX group_decision_marks_option ON group_decision_marks (option_id);"},
      // The shared draft a decision is about (groups/drafts); recording the outcome may
      // adopt it, which freezes it.
      {9201, "group_decisions draft",
       "ALTER TABLE group_decisions ADD COLUMN draft_id BIGINT"
       " REFERENCES group_drafts (id) ON DELETE SET NULL"},
  };
}

namespace {

constexpr std::array kKinds{std::pair{Kind::consent, "consent"}, std::pair{Kind::poll, "poll"},
                            std::pair{Kind::dot_vote, "dot_vote"}, std::pair{Kind::score, "score"}};
constexpr std::array kResultsNames{std::pair{Results::after_vote, "after_vote"},
                                   std::pair{Results::after_close, "after_close"}};
constexpr std::array kPositionNames{
    std::pair{Position::agree, "agree"}, std::pair{Position::abstain, "abstain"},
    std::pair{Position::concern, "concern"}, std::pair{Position::block, "block"}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, const char*>, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return names[0].second;
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, const char*>, N>& names,
                          std::string_view s) {
  for (const auto& [v, name] : names)
    if (name == s) return v;
  return std::nullopt;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

Value text(std::string_view s) { return Value{std::string(s)}; }

// A 62-bit random ballot id: its order says nothing about when or by whom.
std::int64_t random_id() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
  std::uint64_t raw = 0;
  randombytes_buf(&raw, sizeof raw);
  return static_cast<std::int64_t>((raw >> 2) | 1);
}

// The key of an anonymous ballot: BLAKE2b of the account keyed with the decision's secret.
std::string keyed_voter(const std::string& secret, std::int64_t account) {
  std::string message = std::to_string(account);
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     std::min<std::size_t>(secret.size(), crypto_generichash_KEYBYTES_MAX));
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

constexpr std::string_view kColumns =
    "SELECT d.id, d.group_id, d.author_id, a.display_name, d.title, d.details, d.kind,"
    " d.multiple, d.points, d.deadline, d.results, d.anonymous, d.state, d.closed_at,"
    " d.outcome, d.review_date, d.outcome_at, d.created_at,"
    " (SELECT COUNT(*) FROM group_decision_voters v WHERE v.decision_id = d.id), d.draft_id"
    " FROM group_decisions d LEFT JOIN accounts a ON a.id = d.author_id ";

Decision from_row(const db::Row& row) {
  Decision d;
  d.id = row.int64(0);
  d.group_id = row.int64(1);
  if (!row.is_null(2)) {
    d.author_id = row.int64(2);
    d.author_name = row.is_null(3) ? std::string() : row.text(3);
  }
  d.title = row.text(4);
  d.details = row.text(5);
  d.kind = kind_from_string(row.text(6)).value_or(Kind::consent);
  d.multiple = row.int64(7) != 0;
  d.points = row.int64(8);
  d.deadline = row.int64(9);
  d.results = results_from_string(row.text(10)).value_or(Results::after_close);
  d.anonymous = row.int64(11) != 0;
  d.open = row.text(12) == "open";
  if (!row.is_null(13)) d.closed_at = row.int64(13);
  if (!row.is_null(14)) d.outcome = row.text(14);
  if (!row.is_null(15)) d.review_date = row.int64(15);
  if (!row.is_null(16)) d.outcome_at = row.int64(16);
  d.created_at = row.int64(17);
  d.voter_count = row.int64(18);
  if (!row.is_null(19)) d.draft_id = row.int64(19);
  return d;
}

template <typename Q>
Result<std::vector<Option>> options_of(Q& q, std::int64_t id) {
  AH_TRY(rs, q.query("SELECT id, label FROM group_decision_options WHERE decision_id = $1"
                     " ORDER BY position, id",
                     {Value{id}}));
  std::vector<Option> out;
  for (const auto& row : rs.rows) out.push_back({row.int64(0), row.text(1)});
  return out;
}

template <typename Q>
Result<Decision> find_in(Q& q, std::int64_t id) {
  AH_TRY(rs, q.query(std::string(kColumns) + "WHERE d.id = $1", {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such decision");
  Decision d = from_row(rs.rows[0]);
  AH_TRY(options, options_of(q, id));
  d.options = std::move(options);
  return d;
}

Status insert_ballot(db::Connection& tx, std::int64_t decision, std::int64_t ballot_id,
                     const Value& voter_key, const Value& account, const Value& position,
                     const std::string& reason, const std::map<std::int64_t, std::int64_t>& marks) {
  AH_TRY_STATUS(
      tx.query("INSERT INTO group_decision_ballots (id, decision_id, voter_key, account_id,"
               " position, reason) VALUES ($1, $2, $3, $4, $5, $6)",
               {Value{ballot_id}, Value{decision}, voter_key, account, position, Value{reason}}));
  for (const auto& [option, value] : marks)
    AH_TRY_STATUS(
        tx.query("INSERT INTO group_decision_marks (ballot_id, option_id, value)"
                 " VALUES ($1, $2, $3)",
                 {Value{ballot_id}, Value{option}, Value{value}}));
  return {};
}

// After an anonymous decision closed: every ballot again, without its key, under a new
// random id, inserted in the order of those ids — so neither ids nor the storage order
// (SQLite's rowid, PostgreSQL's heap) keep the order in which people voted.
Status unlink_ballots(db::Connection& tx, std::int64_t decision) {
  struct Stored {
    std::int64_t id;
    Value position;
    std::string reason;
    std::map<std::int64_t, std::int64_t> marks;
  };
  AH_TRY(rs, tx.query("SELECT id, position, reason FROM group_decision_ballots"
                      " WHERE decision_id = $1",
                      {Value{decision}}));
  std::map<std::int64_t, Stored> fresh;  // by new id: the order they are written in
  std::map<std::int64_t, std::int64_t> renamed;
  for (const auto& row : rs.rows) {
    std::int64_t id = random_id();
    while (fresh.contains(id)) id = random_id();
    renamed[row.int64(0)] = id;
    fresh[id] = {id, row.value(1), row.text(2), {}};
  }
  AH_TRY(marks, tx.query("SELECT m.ballot_id, m.option_id, m.value FROM group_decision_marks m"
                         " JOIN group_decision_ballots b ON b.id = m.ballot_id"
                         " WHERE b.decision_id = $1",
                         {Value{decision}}));
  for (const auto& row : marks.rows)
    fresh[renamed[row.int64(0)]].marks[row.int64(1)] = row.int64(2);
  AH_TRY_STATUS(
      tx.query("DELETE FROM group_decision_ballots WHERE decision_id = $1", {Value{decision}}));
  for (const auto& [id, b] : fresh)
    AH_TRY_STATUS(insert_ballot(tx, decision, id, Value{nullptr}, Value{nullptr}, b.position,
                                b.reason, b.marks));
  return {};
}

Result<std::vector<std::int64_t>> ids(db::Connection& tx, std::string_view sql, Value param) {
  AH_TRY(rs, tx.query(sql, {std::move(param)}));
  std::vector<std::int64_t> out;
  for (const auto& row : rs.rows) out.push_back(row.int64(0));
  return out;
}

}  // namespace

std::string_view to_string(Kind kind) { return name_of(kKinds, kind); }
std::string_view to_string(Results results) { return name_of(kResultsNames, results); }
std::string_view to_string(Position position) { return name_of(kPositionNames, position); }
std::optional<Kind> kind_from_string(std::string_view s) { return value_of(kKinds, s); }
std::optional<Results> results_from_string(std::string_view s) {
  return value_of(kResultsNames, s);
}
std::optional<Position> position_from_string(std::string_view s) {
  return value_of(kPositionNames, s);
}

FieldErrors validate(const NewDecision& d, std::int64_t now) {
  FieldErrors errors;
  if (blank(d.title))
    errors.emplace_back("title", "decisions_error_title");
  else if (d.title.size() > kMaxTitle)
    errors.emplace_back("title", "decisions_error_title_long");
  if (d.details.size() > kMaxDetails)
    errors.emplace_back("details", "decisions_error_text_long");
  else if (auto problem = web::rich_text_problem(d.details))
    errors.emplace_back("details", *problem);
  if (d.kind != Kind::consent) {
    std::set<std::string> seen;
    bool bad = false;
    for (const auto& label : d.options)
      if (blank(label) || label.size() > kMaxOptionLabel || !seen.insert(label).second) bad = true;
    if (d.options.size() < kMinOptions || d.options.size() > kMaxOptions || bad)
      errors.emplace_back("options", "decisions_error_options");
  }
  if (d.kind == Kind::dot_vote && (d.points < 1 || d.points > kMaxPoints))
    errors.emplace_back("points", "decisions_error_points");
  if (d.deadline <= now)
    errors.emplace_back("deadline", "decisions_error_deadline_past");
  else if (d.deadline > now + kMaxDeadlineAhead)
    errors.emplace_back("deadline", "decisions_error_deadline_far");
  return errors;
}

FieldErrors validate_ballot(const Decision& d, const Ballot& b) {
  FieldErrors errors;
  if (d.kind == Kind::consent) {
    if (!b.position) {
      errors.emplace_back("position", "decisions_error_position");
    } else if ((*b.position == Position::concern || *b.position == Position::block) &&
               blank(b.reason)) {
      errors.emplace_back("reason", "decisions_error_reason");
    }
    if (b.reason.size() > kMaxReason) errors.emplace_back("reason", "decisions_error_reason_long");
    if (!b.marks.empty()) errors.emplace_back("options", "decisions_error_option");
    return errors;
  }
  std::set<std::int64_t> known;
  for (const auto& o : d.options) known.insert(o.id);
  std::int64_t sum = 0, chosen = 0;
  for (const auto& [option, value] : b.marks) {
    if (!known.contains(option)) {
      errors.emplace_back("options", "decisions_error_option");
      return errors;
    }
    if (value < 0) {
      errors.emplace_back("options", "decisions_error_negative");
      return errors;
    }
    sum += value;
    if (value > 0) ++chosen;
  }
  switch (d.kind) {
    case Kind::poll:
      if (sum != chosen)
        errors.emplace_back("options", "decisions_error_option");
      else if (chosen == 0)
        errors.emplace_back("options", "decisions_error_choose");
      else if (!d.multiple && chosen > 1)
        errors.emplace_back("options", "decisions_error_choose_one");
      break;
    case Kind::dot_vote:
      if (sum > d.points)
        errors.emplace_back("options", "decisions_error_points_too_many");
      else if (sum == 0)
        errors.emplace_back("options", "decisions_error_points_none");
      break;
    case Kind::score:
      if (b.marks.size() != known.size())
        errors.emplace_back("options", "decisions_error_score_missing");
      else if (std::any_of(b.marks.begin(), b.marks.end(),
                           [](const auto& m) { return m.second > kMaxScore; }))
        errors.emplace_back("options", "decisions_error_score");
      break;
    case Kind::consent:
      break;
  }
  if (!b.reason.empty() || b.position) errors.emplace_back("position", "decisions_error_position");
  return errors;
}

FieldErrors validate_outcome(const std::string& outcome) {
  FieldErrors errors;
  if (blank(outcome))
    errors.emplace_back("outcome", "decisions_error_outcome");
  else if (outcome.size() > kMaxOutcome)
    errors.emplace_back("outcome", "decisions_error_text_long");
  else if (auto problem = web::rich_text_problem(outcome))
    errors.emplace_back("outcome", *problem);
  return errors;
}

Result<std::int64_t> DecisionStore::create(
    std::int64_t group_id, const NewDecision& d, std::int64_t author, std::int64_t now,
    const std::function<Status(db::Connection&, std::int64_t)>& also) {
  if (auto errors = validate(d, now); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  Value secret = d.anonymous ? Value{auth::random_token(32)} : Value{nullptr};
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    if (d.draft_id) {
      // Only an open draft of the same group can be decided on.
      AH_TRY(draft, tx.query("SELECT 1 FROM group_drafts WHERE id = $1 AND group_id = $2"
                             " AND state = 'open'",
                             {Value{*d.draft_id}, Value{group_id}}));
      if (draft.rows.empty()) return fail(ErrorCode::invalid_input, std::string(kDraftRefused));
    }
    AH_TRY(rs,
           tx.query(
               "INSERT INTO group_decisions (group_id, author_id, title, details, kind,"
               " multiple, points, deadline, results, anonymous, voter_secret, state,"
               " created_at, draft_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
               " 'open', $12, $13) RETURNING id",
               {Value{group_id}, Value{author}, Value{d.title}, Value{d.details},
                text(to_string(d.kind)), Value{std::int64_t{d.kind == Kind::poll && d.multiple}},
                Value{d.kind == Kind::dot_vote ? d.points : std::int64_t{0}}, Value{d.deadline},
                text(to_string(d.results)), Value{std::int64_t{d.anonymous}}, secret, Value{now},
                d.draft_id ? Value{*d.draft_id} : Value{nullptr}}));
    std::int64_t id = rs.rows[0].int64(0);
    if (d.kind != Kind::consent)
      for (std::size_t i = 0; i < d.options.size(); ++i)
        AH_TRY_STATUS(
            tx.query("INSERT INTO group_decision_options (decision_id, position, label)"
                     " VALUES ($1, $2, $3)",
                     {Value{id}, Value{static_cast<std::int64_t>(i)}, Value{d.options[i]}}));
    if (also) AH_TRY_STATUS(also(tx, id));
    return id;
  });
}

Result<Decision> DecisionStore::find(std::int64_t id) const { return find_in(db_, id); }

Result<DecisionPage> DecisionStore::list(std::int64_t group_id, bool open, std::string_view cursor,
                                         int limit) const {
  std::vector<Value> params{Value{group_id}};
  std::string sql = std::string(kColumns) +
                    "WHERE d.group_id = $1 AND d.state = " + (open ? "'open'" : "'closed'");
  // Open: soonest deadline first; closed: most recently closed first.
  std::string column = open ? "d.deadline" : "d.closed_at";
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
    sql += open ? " AND (d.deadline > $2 OR (d.deadline = $2 AND d.id > $3))"
                : " AND (d.closed_at < $2 OR (d.closed_at = $2 AND d.id < $3))";
  }
  params.push_back(Value{std::int64_t{limit + 1}});
  sql += " ORDER BY " + column + (open ? ", d.id" : " DESC, d.id DESC") + " LIMIT $" +
         std::to_string(params.size());
  AH_TRY(rs, db_.query(sql, params));
  DecisionPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(from_row(rs.rows[i]));
  if (static_cast<int>(rs.rows.size()) > limit) {
    const auto& last = page.items.back();
    page.next_cursor = db::encode_cursor(
        std::to_string(open ? last.deadline : last.closed_at.value_or(0)), last.id);
  }
  return page;
}

Result<std::vector<Decision>> DecisionStore::awaiting_vote(std::int64_t account, std::int64_t now,
                                                           int limit) const {
  AH_TRY(rs, db_.query(std::string(kColumns) +
                           "WHERE d.state = 'open' AND d.deadline > $2"
                           " AND EXISTS (SELECT 1 FROM space_roles r WHERE r.space_kind = 'group'"
                           "  AND r.space_id = d.group_id AND r.account_id = $1)"
                           " AND NOT EXISTS (SELECT 1 FROM group_decision_voters v"
                           "  WHERE v.decision_id = d.id AND v.account_id = $1)"
                           " ORDER BY d.deadline, d.id LIMIT $3",
                       {Value{account}, Value{now}, Value{std::int64_t{limit}}}));
  std::vector<Decision> out;
  for (const auto& row : rs.rows) out.push_back(from_row(row));
  return out;
}

Result<std::vector<Decision>> DecisionStore::closed(std::int64_t group_id) const {
  AH_TRY(rs, db_.query(std::string(kColumns) + "WHERE d.group_id = $1 AND d.state = 'closed'"
                                               " ORDER BY d.closed_at DESC, d.id DESC",
                       {Value{group_id}}));
  std::vector<Decision> out;
  for (const auto& row : rs.rows) {
    Decision d = from_row(row);
    AH_TRY(options, options_of(db_, d.id));
    d.options = std::move(options);
    out.push_back(std::move(d));
  }
  return out;
}

Result<VoteResult> DecisionStore::vote(std::int64_t id, std::int64_t account, const Ballot& ballot,
                                       std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Result<VoteResult> {
    // Locks the decision's row (PostgreSQL; SQLite's writers are serial anyway): ballots
    // and closing take turns, so no ballot slips in after the closing read the secret.
    AH_TRY(locked, tx.query("UPDATE group_decisions SET state = state WHERE id = $1"
                            " AND state = 'open' AND deadline > $2",
                            {Value{id}, Value{now}}));
    AH_TRY(d, find_in(tx, id));
    if (locked.affected_rows == 0) return fail(ErrorCode::conflict, std::string(kClosed));
    if (auto errors = validate_ballot(d, ballot); !errors.empty())
      return fail(ErrorCode::invalid_input, errors.front().second);
    std::string key = "account:" + std::to_string(account);
    if (d.anonymous) {
      AH_TRY(secret,
             tx.query("SELECT voter_secret FROM group_decisions WHERE id = $1", {Value{id}}));
      key = keyed_voter(secret.rows[0].text(0), account);
    }
    Value position = ballot.position ? text(to_string(*ballot.position)) : Value{nullptr};
    AH_TRY(existing, tx.query("SELECT id FROM group_decision_ballots WHERE decision_id = $1"
                              " AND voter_key = $2",
                              {Value{id}, Value{key}}));
    if (!existing.rows.empty()) {
      std::int64_t ballot_id = existing.rows[0].int64(0);
      AH_TRY_STATUS(
          tx.query("DELETE FROM group_decision_ballots WHERE id = $1", {Value{ballot_id}}));
    }
    AH_TRY_STATUS(insert_ballot(tx, id, random_id(), Value{key},
                                d.anonymous ? Value{nullptr} : Value{account}, position,
                                ballot.reason, ballot.marks));
    AH_TRY_STATUS(
        tx.query("INSERT INTO group_decision_voters (decision_id, account_id) VALUES ($1, $2)"
                 " ON CONFLICT (decision_id, account_id) DO NOTHING",
                 {Value{id}, Value{account}}));
    return existing.rows.empty() ? VoteResult::created : VoteResult::changed;
  });
}

Result<bool> DecisionStore::has_voted(std::int64_t id, std::int64_t account) const {
  AH_TRY(rs, db_.query("SELECT 1 FROM group_decision_voters WHERE decision_id = $1"
                       " AND account_id = $2",
                       {Value{id}, Value{account}}));
  return !rs.rows.empty();
}

Result<std::optional<Ballot>> DecisionStore::ballot_of(std::int64_t id,
                                                       std::int64_t account) const {
  AH_TRY(rs, db_.query("SELECT anonymous, voter_secret FROM group_decisions WHERE id = $1",
                       {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such decision");
  std::string key = "account:" + std::to_string(account);
  if (rs.rows[0].int64(0) != 0) {
    if (rs.rows[0].is_null(1)) return std::optional<Ballot>();
    key = keyed_voter(rs.rows[0].text(1), account);
  }
  AH_TRY(ballot, db_.query("SELECT id, position, reason FROM group_decision_ballots"
                           " WHERE decision_id = $1 AND voter_key = $2",
                           {Value{id}, Value{key}}));
  if (ballot.rows.empty()) return std::optional<Ballot>();
  Ballot b;
  if (!ballot.rows[0].is_null(1)) b.position = position_from_string(ballot.rows[0].text(1));
  b.reason = ballot.rows[0].text(2);
  AH_TRY(marks, db_.query("SELECT option_id, value FROM group_decision_marks WHERE ballot_id = $1",
                          {Value{ballot.rows[0].int64(0)}}));
  for (const auto& row : marks.rows) b.marks[row.int64(0)] = row.int64(1);
  return std::optional<Ballot>(std::move(b));
}

Result<Tally> DecisionStore::tally(std::int64_t id) const {
  AH_TRY(d, find(id));
  Tally t;
  AH_TRY(positions, db_.query("SELECT position, COUNT(*) FROM group_decision_ballots"
                              " WHERE decision_id = $1 GROUP BY position",
                              {Value{id}}));
  for (const auto& row : positions.rows) {
    t.ballots += row.int64(1);
    if (row.is_null(0)) continue;
    if (auto p = position_from_string(row.text(0)))
      t.positions[static_cast<int>(*p)] = row.int64(1);
  }
  if (d.kind == Kind::consent) {
    AH_TRY(reasons, db_.query("SELECT b.position, b.reason, a.display_name"
                              " FROM group_decision_ballots b"
                              " LEFT JOIN accounts a ON a.id = b.account_id"
                              " WHERE b.decision_id = $1 AND b.reason <> ''"
                              " ORDER BY CASE b.position WHEN 'block' THEN 0 WHEN 'concern'"
                              " THEN 1 WHEN 'abstain' THEN 2 ELSE 3 END, a.display_name, b.id",
                              {Value{id}}));
    for (const auto& row : reasons.rows) {
      Reason r{position_from_string(row.text(0)).value_or(Position::agree), row.text(1), {}};
      if (!d.anonymous && !row.is_null(2)) r.name = row.text(2);
      t.reasons.push_back(std::move(r));
    }
    return t;
  }
  AH_TRY(marks, db_.query("SELECT m.option_id, m.value, COUNT(*) FROM group_decision_marks m"
                          " JOIN group_decision_options o ON o.id = m.option_id"
                          " WHERE o.decision_id = $1 GROUP BY m.option_id, m.value",
                          {Value{id}}));
  for (const auto& o : d.options) {
    OptionTally ot{o};
    for (const auto& row : marks.rows) {
      if (row.int64(0) != o.id) continue;
      std::int64_t value = row.int64(1), n = row.int64(2);
      if (d.kind == Kind::score || value > 0) ot.count += n;
      ot.sum += value * n;
      if (value >= 0 && value <= kMaxScore) ot.distribution[value] += n;
    }
    t.options.push_back(std::move(ot));
  }
  return t;
}

Result<bool> DecisionStore::close(std::int64_t id, std::int64_t now,
                                  const AlsoInTransaction& also) {
  return db_.transaction([&](db::Connection& tx) -> Result<bool> {
    AH_TRY(rs, tx.query("UPDATE group_decisions SET state = 'closed', closed_at = $2,"
                        " voter_secret = NULL WHERE id = $1 AND state = 'open'",
                        {Value{id}, Value{now}}));
    if (rs.affected_rows == 0) {
      AH_TRY(exists, tx.query("SELECT anonymous FROM group_decisions WHERE id = $1", {Value{id}}));
      if (exists.rows.empty()) return fail(ErrorCode::not_found, "no such decision");
      return false;
    }
    AH_TRY(anonymous, tx.query("SELECT anonymous FROM group_decisions WHERE id = $1", {Value{id}}));
    if (anonymous.rows[0].int64(0) != 0) AH_TRY_STATUS(unlink_ballots(tx, id));
    if (also) AH_TRY_STATUS(also(tx));
    return true;
  });
}

Result<std::vector<std::int64_t>> DecisionStore::due_for_closing(std::int64_t now) const {
  AH_TRY(rs, db_.query("SELECT id FROM group_decisions WHERE state = 'open' AND deadline <= $1"
                       " ORDER BY deadline, id",
                       {Value{now}}));
  std::vector<std::int64_t> out;
  for (const auto& row : rs.rows) out.push_back(row.int64(0));
  return out;
}

Result<std::vector<std::int64_t>> DecisionStore::due_for_reminder(std::int64_t now) const {
  AH_TRY(rs, db_.query("SELECT id FROM group_decisions WHERE state = 'open'"
                       " AND reminded_at IS NULL AND deadline <= $1 AND deadline > $2"
                       " ORDER BY deadline, id",
                       {Value{now + kReminderBefore}, Value{now}}));
  std::vector<std::int64_t> out;
  for (const auto& row : rs.rows) out.push_back(row.int64(0));
  return out;
}

Result<bool> DecisionStore::claim_reminder(std::int64_t id, std::int64_t now,
                                           const AlsoInTransaction& also) {
  return db_.transaction([&](db::Connection& tx) -> Result<bool> {
    AH_TRY(rs, tx.query("UPDATE group_decisions SET reminded_at = $2 WHERE id = $1"
                        " AND state = 'open' AND reminded_at IS NULL AND deadline > $2",
                        {Value{id}, Value{now}}));
    if (rs.affected_rows == 0) return false;
    if (also) AH_TRY_STATUS(also(tx));
    return true;
  });
}

Status DecisionStore::record_outcome(std::int64_t id, const std::string& outcome,
                                     std::optional<std::int64_t> review_date, std::int64_t by,
                                     std::int64_t now, const AlsoInTransaction& also) {
  if (auto errors = validate_outcome(outcome); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(rs,
           tx.query("UPDATE group_decisions SET outcome = $2, review_date = $3,"
                    " outcome_by = $4, outcome_at = $5 WHERE id = $1 AND state = 'closed'",
                    {Value{id}, Value{outcome}, review_date ? Value{*review_date} : Value{nullptr},
                     Value{by}, Value{now}}));
    if (rs.affected_rows == 0) {
      AH_TRY(exists, tx.query("SELECT state FROM group_decisions WHERE id = $1", {Value{id}}));
      if (exists.rows.empty()) return fail(ErrorCode::not_found, "no such decision");
      return fail(ErrorCode::conflict, std::string(kStillOpen));
    }
    if (also) AH_TRY_STATUS(also(tx));
    return {};
  });
}

Result<std::vector<std::int64_t>> DecisionStore::members(db::Connection& tx,
                                                         std::int64_t group_id) {
  return ids(tx,
             "SELECT account_id FROM space_roles WHERE space_kind = 'group' AND space_id = $1"
             " ORDER BY account_id",
             Value{group_id});
}

Result<std::vector<std::int64_t>> DecisionStore::non_voters(db::Connection& tx, std::int64_t id) {
  return ids(tx,
             "SELECT r.account_id FROM space_roles r JOIN group_decisions d"
             " ON r.space_kind = 'group' AND r.space_id = d.group_id WHERE d.id = $1"
             " AND NOT EXISTS (SELECT 1 FROM group_decision_voters v WHERE v.decision_id = d.id"
             " AND v.account_id = r.account_id) ORDER BY r.account_id",
             Value{id});
}

Status DecisionStore::forget_voter(std::int64_t account) {
  AH_TRY_STATUS(
      db_.query("UPDATE group_decision_ballots SET voter_key = NULL WHERE account_id = $1",
                {Value{account}}));
  return {};
}

}  // namespace ah::modules::decisions
