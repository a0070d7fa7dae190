#include "modules/participation/store.h"

#include <algorithm>
#include <limits>
#include <array>
#include <random>
#include <unordered_map>

#include "db/cursor.h"
#include "geo/shapes.h"
#include "web/rich_text.h"
#include "search/index.h"

namespace ah::modules::participation {

using db::Value;

std::vector<db::Migration> participation_migrations() {
  return {
      // Processes are listed newest first per state (and per organisation); the short
      // code is the poster's /b/{code}.
      {5000, "processes",
       "CREATE TABLE processes ("
       " id {{id}},"
       " org_id BIGINT NOT NULL REFERENCES organisations (id),"
       " title TEXT NOT NULL,"
       " summary TEXT NOT NULL,"
       " body TEXT NOT NULL,"
       " topic TEXT NOT NULL,"
       " state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'closed')),"
       " short_code TEXT NOT NULL UNIQUE,"
       " created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " created_at BIGINT NOT NULL,"
       " updated_at BIGINT NOT NULL);"
       "CREATE INDEX processes_by_state ON processes (state, updated_at, id);"
       "CREATE INDEX processes_by_org ON processes (org_id, state, updated_at, id);"
       "CREATE TABLE process_phases ("
       " process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,"
       " position INTEGER NOT NULL,"
       " title TEXT NOT NULL,"
       " starts_at BIGINT NOT NULL,"
       " ends_at BIGINT NOT NULL,"
       " allow_propose INTEGER NOT NULL,"
       " allow_comment INTEGER NOT NULL,"
       " allow_support INTEGER NOT NULL,"
       " PRIMARY KEY (process_id, position));"},
      // A proposal's author becomes NULL when the account is erased ("gelöschtes Konto");
      // the counts are kept with the rows they count (see ProposalStore::support).
      {5001, "proposals",
       "CREATE TABLE proposals ("
       " id {{id}},"
       " process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,"
       " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " title TEXT NOT NULL,"
       " body TEXT NOT NULL,"
       " category TEXT NOT NULL,"
       " lat DOUBLE PRECISION,"
       " lon DOUBLE PRECISION,"
       " state TEXT NOT NULL CHECK (state IN ('open', 'withdrawn', 'hidden')),"
       " support_count BIGINT NOT NULL DEFAULT 0,"
       " comment_count BIGINT NOT NULL DEFAULT 0,"
       " created_at BIGINT NOT NULL,"
       " updated_at BIGINT NOT NULL);"
       "CREATE INDEX proposals_newest ON proposals (process_id, created_at, id);"
       "CREATE INDEX proposals_supported ON proposals (process_id, support_count, id);"
       "CREATE INDEX proposals_discussed ON proposals (process_id, comment_count, id);"
       "CREATE INDEX proposals_author ON proposals (author_id);"
       "CREATE TABLE supports ("
       " proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " created_at BIGINT NOT NULL,"
       " PRIMARY KEY (proposal_id, account_id));"
       "CREATE INDEX supports_account ON supports (account_id);"},
      {5002, "comments",
       "CREATE TABLE comments ("
       " id {{id}},"
       " proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,"
       " parent_id BIGINT REFERENCES comments (id) ON DELETE CASCADE,"
       " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " body TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " edited_at BIGINT,"
       " deleted_at BIGINT);"
       "CREATE INDEX comments_proposal ON comments (proposal_id, id);"
       "CREATE INDEX comments_author ON comments (author_id);"},
      // Topics come from a catalogue (process_topics()) and filter the list; processes
      // become searchable, those created before this migration included.
      {5003, "process_topics_and_search",
       "CREATE INDEX processes_by_topic ON processes (topic, state, updated_at, id);",
       [](db::Connection& tx) -> Status {
         AH_TRY(rs, tx.query("SELECT id, title, summary, body FROM processes"));
         for (const auto& row : rs.rows)
           AH_TRY_STATUS(search::put(tx, kProcessSearchIndex, row.int64(0),
                                     row.text(1) + "\n" + row.text(2), row.text(3)));
         return {};
       }},
      // Rechenschaft: every answer is kept (the history shows how a proposal fared); the
      // latest one is copied to the proposal for lists and the results overview.
      {5010, "proposal_answers",
       "ALTER TABLE proposals ADD COLUMN answer_state TEXT NOT NULL DEFAULT 'none';"
       "ALTER TABLE proposals ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;"
       "CREATE TABLE proposal_answers ("
       " id {{id}},"
       " proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,"
       " state TEXT NOT NULL CHECK (state IN ('reviewing', 'accepted', 'rejected', 'implemented')),"
       " text TEXT NOT NULL,"
       " progress INTEGER NOT NULL,"
       " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " created_at BIGINT NOT NULL);"
       "CREATE INDEX proposal_answers_proposal ON proposal_answers (proposal_id, id);"
       "CREATE INDEX proposal_answers_author ON proposal_answers (author_id);"},
      // The place of a proposal in words, beside (or instead of) its point (lat, lon).
      {5011, "proposal_place", "ALTER TABLE proposals ADD COLUMN place TEXT;"},
      // Comments on the process itself: a comment names its process always and a proposal
      // only when it is about one. SQLite cannot drop a NOT NULL, so it rebuilds the table
      // (ids and the AUTOINCREMENT high-water mark kept: moderation and notifications name
      // comments by id); PostgreSQL alters it in place.
      {5020, "process_comments", "",
       [](db::Connection& tx) -> Status {
         if (tx.backend() == db::Backend::postgres)
           return tx.execute_script(
               "ALTER TABLE comments ALTER COLUMN proposal_id DROP NOT NULL;"
               "ALTER TABLE comments ADD COLUMN process_id BIGINT REFERENCES processes (id)"
               " ON DELETE CASCADE;"
               "UPDATE comments SET process_id = (SELECT process_id FROM proposals"
               " WHERE proposals.id = comments.proposal_id);"
               "ALTER TABLE comments ALTER COLUMN process_id SET NOT NULL;"
               "CREATE INDEX comments_process ON comments (process_id, proposal_id, id);");
         return tx.execute_script(
             "CREATE TABLE comments_rebuilt ("
             " id INTEGER PRIMARY KEY AUTOINCREMENT,"
             " process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,"
             " proposal_id BIGINT REFERENCES proposals (id) ON DELETE CASCADE,"
             " parent_id BIGINT REFERENCES comments_rebuilt (id) ON DELETE CASCADE,"
             " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
             " body TEXT NOT NULL,"
             " created_at BIGINT NOT NULL,"
             " edited_at BIGINT,"
             " deleted_at BIGINT);"
             "INSERT INTO comments_rebuilt (id, process_id, proposal_id, parent_id, author_id, body,"
             " created_at, edited_at, deleted_at) SELECT c.id, p.process_id, c.proposal_id,"
             " c.parent_id, c.author_id, c.body, c.created_at, c.edited_at, c.deleted_at"
             " FROM comments c JOIN proposals p ON p.id = c.proposal_id ORDER BY c.id;"
             "INSERT INTO sqlite_sequence (name, seq) SELECT 'comments_rebuilt', seq"
             " FROM sqlite_sequence WHERE name = 'comments'"
             " AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'comments_rebuilt');"
             "UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT COALESCE(MAX(seq), 0)"
             " FROM sqlite_sequence WHERE name = 'comments')) WHERE name = 'comments_rebuilt';"
             "DROP TABLE comments;"
             "ALTER TABLE comments_rebuilt RENAME TO comments;"
             "CREATE INDEX comments_proposal ON comments (proposal_id, id);"
             "CREATE INDEX comments_author ON comments (author_id);"
             "CREATE INDEX comments_process ON comments (process_id, proposal_id, id);");
       }},
      // The area a process concerns (see Process::area_ags); existing processes concern
      // their owner's territory.
      {5021, "process_area",
       "ALTER TABLE processes ADD COLUMN area_ags TEXT;"
       "UPDATE processes SET area_ags = COALESCE((SELECT ags FROM organisations o"
       " WHERE o.id = processes.org_id), '15');"
       "CREATE INDEX processes_by_area ON processes (area_ags, state, updated_at, id);"},
      // The public list without a filter (ProcessStore::list): `state IN ('published',
      // 'closed') ORDER BY updated_at DESC, id DESC`, which processes_by_state serves only
      // with a sort per request (two states); this partial index is read backwards instead.
      {5022, "processes_listed",
       "CREATE INDEX processes_listed ON processes (updated_at, id)"
       " WHERE state IN ('published', 'closed');"},
      // The process page's tally of answers (AnswerStore::tally, also its proposal count)
      // read from an index alone, not from every proposal's row with its text. The state
      // goes into each of the three order indexes: SQLite prefers an index that can test
      // `state <> 'withdrawn'` itself, so a separate tally index (or state in only one
      // of them) would take the lists away from the index that matches their order and add
      // a sort (seen with EXPLAIN QUERY PLAN).
      {5023, "proposals_order_state",
       "DROP INDEX proposals_newest;"
       "CREATE INDEX proposals_newest ON proposals (process_id, created_at, id, state, answer_state);"
       "DROP INDEX proposals_supported;"
       "CREATE INDEX proposals_supported ON proposals (process_id, support_count, id, state);"
       "DROP INDEX proposals_discussed;"
       "CREATE INDEX proposals_discussed ON proposals (process_id, comment_count, id, state);"},
  };
}

namespace {

constexpr std::string_view kTopics[] = {
    "verkehr", "umwelt",           "bildung",        "digitales",  "soziales",
    "kultur",  "stadtentwicklung", "sport_freizeit", "wirtschaft", "verwaltung"};

constexpr std::array kStates{std::pair{ProcessState::draft, "draft"},
                             std::pair{ProcessState::published, "published"},
                             std::pair{ProcessState::closed, "closed"}};

constexpr std::size_t kMaxTitle = 200, kMaxSummary = 600, kMaxBody = 100'000;
constexpr std::size_t kMaxProposalBody = 20'000, kMaxCategory = 80;
constexpr std::size_t kMaxPhases = 12;

// 6 characters of an alphabet without look-alikes (0/O, 1/l/I), for a URL typed from paper.
std::string new_short_code() {
  static constexpr char kAlphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::string code;
  for (int i = 0; i < 6; ++i) code += kAlphabet[random() % (sizeof kAlphabet - 1)];
  return code;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// A process's columns (process_from_row reads them from `at` on), the tables they come
// from besides `processes p`, and its phases' columns (phase_from_row): kept apart so that
// one query can bring a process with its phases, or a proposal with its process.
constexpr std::string_view kProcessFields =
    "p.id, p.org_id, o.name, COALESCE(o.ags, ''), p.title, p.summary, p.body, p.topic, "
    "p.state, p.short_code, p.created_at, p.updated_at, p.area_ags, COALESCE(area.name, '')";
constexpr std::size_t kProcessFieldCount = 14;
constexpr std::string_view kProcessJoins =
    " JOIN organisations o ON o.id = p.org_id"
    " LEFT JOIN organisations area ON area.ags = p.area_ags ";
constexpr std::string_view kPhaseFields =
    "ph.title, ph.starts_at, ph.ends_at, ph.allow_propose, ph.allow_comment, ph.allow_support";
constexpr std::string_view kPhaseJoin = " LEFT JOIN process_phases ph ON ph.process_id = p.id ";

Process process_from_row(const db::Row& row, std::size_t at = 0) {
  Process p;
  p.id = row.int64(at + 0);
  p.org_id = row.int64(at + 1);
  p.org_name = row.text(at + 2);
  p.org_key = row.text(at + 3).empty() ? "o" + std::to_string(p.org_id) : row.text(at + 3);
  p.title = row.text(at + 4);
  p.summary = row.text(at + 5);
  p.body = row.text(at + 6);
  p.topic = row.text(at + 7);
  p.state = process_state_from_string(row.text(at + 8)).value_or(ProcessState::draft);
  p.short_code = row.text(at + 9);
  p.created_at = row.int64(at + 10);
  p.updated_at = row.int64(at + 11);
  p.area_ags = row.text(at + 12);
  p.area_name = row.text(at + 13);
  return p;
}

Phase phase_from_row(const db::Row& row, std::size_t at) {
  return {row.text(at), row.int64(at + 1), row.int64(at + 2), row.int64(at + 3) != 0,
          row.int64(at + 4) != 0, row.int64(at + 5) != 0};
}

// The process in the rows of a query that selected kProcessFields from `at` on and
// kPhaseFields right after them, LEFT JOINed with kPhaseJoin and ordered by ph.position:
// one row a phase (or one row with NULL phase columns for a process without phases).
Process process_with_phases(const std::vector<db::Row>& rows, std::size_t at) {
  Process p = process_from_row(rows.front(), at);
  const std::size_t phase_at = at + kProcessFieldCount;
  for (const auto& row : rows)
    if (!row.is_null(phase_at)) p.phases.push_back(phase_from_row(row, phase_at));
  return p;
}

constexpr std::string_view kProposalFields =
    "r.id, r.process_id, r.author_id, author.display_name, r.title, r.body, r.category, r.lat, "
    "r.lon, r.state, r.support_count, r.comment_count, r.created_at, r.updated_at, "
    "r.answer_state, r.progress, r.place";
constexpr std::size_t kProposalFieldCount = 17;
constexpr std::string_view kProposalTables =
    " FROM proposals r LEFT JOIN accounts author ON author.id = r.author_id ";

// A permutation of ids chosen by a seed: key(id) = (id * multiplier + offset) mod P for
// the prime P = 4294967311 (above every id), with the multiplier in [2^30, 2^31) and the
// offset derived from the seed. Any nonzero multiplier is a bijection modulo a prime, so no
// two proposals share a key; a large multiplier scatters neighbouring ids. Products stay
// below 2^63 for ids below 2^32.
struct Shuffle {
  static constexpr std::int64_t kPrime = 4294967311;
  std::int64_t multiplier, offset;
  explicit Shuffle(std::uint32_t seed)
      : multiplier((std::int64_t{1} << 30) +
                   static_cast<std::int64_t>((std::uint64_t{seed} * 2654435761u) % (1u << 30))),
        offset(static_cast<std::int64_t>((std::uint64_t{seed} * 40503u) % kPrime)) {}
  std::int64_t key(std::int64_t id) const { return ((id * multiplier) % kPrime + offset) % kPrime; }
  std::string sql(std::string_view id) const {
    return "(((" + std::string(id) + " * " + std::to_string(multiplier) + ") % " +
           std::to_string(kPrime) + " + " + std::to_string(offset) + ") % " +
           std::to_string(kPrime) + ")";
  }
};

Proposal proposal_from_row(const db::Row& row) {
  Proposal p;
  p.id = row.int64(0);
  p.process_id = row.int64(1);
  if (!row.is_null(2)) p.author_id = row.int64(2);
  if (!row.is_null(3)) p.author_name = row.text(3);
  p.title = row.text(4);
  p.body = row.text(5);
  p.category = row.text(6);
  if (!row.is_null(7)) p.lat = row.real(7);
  if (!row.is_null(8)) p.lon = row.real(8);
  const std::string& state = row.text(9);
  p.state = state == "withdrawn" ? ProposalState::withdrawn
            : state == "hidden"  ? ProposalState::hidden
                                 : ProposalState::open;
  p.support_count = row.int64(10);
  p.comment_count = row.int64(11);
  p.answer_state = answer_state_from_string(row.text(14)).value_or(AnswerState::none);
  p.progress = static_cast<int>(row.int64(15));
  if (!row.is_null(16)) p.place = row.text(16);
  p.created_at = row.int64(12);
  p.updated_at = row.int64(13);
  return p;
}

Result<std::int64_t> count_of(db::Connection& tx, std::int64_t proposal_id) {
  AH_TRY(rs, tx.query("SELECT support_count FROM proposals WHERE id = $1", {Value{proposal_id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such proposal");
  return rs.rows[0].int64(0);
}

// Moves the proposal's support count by `delta` and returns the new count, in one round
// trip (a support request is mostly round trips on PostgreSQL).
Result<std::int64_t> move_count(db::Connection& tx, std::int64_t proposal_id, std::int64_t delta) {
  AH_TRY(rs, tx.query("UPDATE proposals SET support_count = support_count + $2 WHERE id = $1"
                      " RETURNING support_count",
                      {Value{proposal_id}, Value{delta}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such proposal");
  return rs.rows[0].int64(0);
}

}  // namespace

std::span<const std::string_view> process_topics() { return kTopics; }

bool is_process_topic(std::string_view key) {
  return std::find(std::begin(kTopics), std::end(kTopics), key) != std::end(kTopics);
}

std::string_view to_string(ProcessState state) {
  for (const auto& [s, name] : kStates)
    if (s == state) return name;
  return "draft";
}

std::optional<ProcessState> process_state_from_string(std::string_view text) {
  for (const auto& [s, name] : kStates)
    if (name == text) return s;
  return std::nullopt;
}

const Phase* Process::phase_at(std::int64_t now) const {
  for (const auto& phase : phases)
    if (phase.starts_at <= now && now < phase.ends_at) return &phase;
  return nullptr;
}

bool Process::allows_propose(std::int64_t now) const {
  const Phase* p = phase_at(now);
  return state == ProcessState::published && p && p->allow_propose;
}
bool Process::allows_comment(std::int64_t now) const {
  const Phase* p = phase_at(now);
  return state == ProcessState::published && p && p->allow_comment;
}
bool Process::allows_support(std::int64_t now) const {
  const Phase* p = phase_at(now);
  return state == ProcessState::published && p && p->allow_support;
}

std::vector<std::pair<std::string, std::string>> validate(const NewProcess& p) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (blank(p.title))
    errors.emplace_back("title", "participation_error_title");
  else if (p.title.size() > kMaxTitle)
    errors.emplace_back("title", "participation_error_title_long");
  if (blank(p.summary))
    errors.emplace_back("summary", "participation_error_summary");
  else if (p.summary.size() > kMaxSummary)
    errors.emplace_back("summary", "participation_error_summary_long");
  if (p.body.size() > kMaxBody)
    errors.emplace_back("body", "participation_error_body_long");
  else if (auto problem = web::rich_text_problem(p.body))
    errors.emplace_back("body", *problem);
  if (!p.topic.empty() && !is_process_topic(p.topic))
    errors.emplace_back("topic", "participation_error_topic");
  if (p.phases.empty()) errors.emplace_back("phases", "participation_error_phases");
  if (p.phases.size() > kMaxPhases)
    errors.emplace_back("phases", "participation_error_phases_many");
  for (std::size_t i = 0; i < p.phases.size(); ++i) {
    const auto& phase = p.phases[i];
    if (blank(phase.title) || phase.title.size() > kMaxTitle) {
      errors.emplace_back("phases", "participation_error_phase_title");
      break;
    }
    if (phase.ends_at <= phase.starts_at) {
      errors.emplace_back("phases", "participation_error_phase_dates");
      break;
    }
    if (i > 0 && phase.starts_at < p.phases[i - 1].ends_at) {
      errors.emplace_back("phases", "participation_error_phase_overlap");
      break;
    }
  }
  return errors;
}

std::vector<std::pair<std::string, std::string>> validate(const NewProposal& p) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (blank(p.title))
    errors.emplace_back("title", "participation_error_title");
  else if (p.title.size() > kMaxTitle)
    errors.emplace_back("title", "participation_error_title_long");
  if (blank(p.body))
    errors.emplace_back("body", "participation_error_proposal_body");
  else if (p.body.size() > kMaxProposalBody)
    errors.emplace_back("body", "participation_error_body_long");
  else if (auto problem = web::rich_text_problem(p.body))
    errors.emplace_back("body", *problem);
  if (p.category.size() > kMaxCategory)
    errors.emplace_back("category", "participation_error_topic_long");
  // Code points, as the form's maxlength counts them (near enough: it counts UTF-16 units).
  if (p.place && std::count_if(p.place->begin(), p.place->end(), [](char c) {
                   return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
                 }) > static_cast<std::ptrdiff_t>(kMaxPlaceCharacters))
    errors.emplace_back("place", "participation_error_place_long");
  if (p.lat.has_value() != p.lon.has_value() ||
      (p.lat && !geo::is_position(*p.lon, *p.lat)))
    errors.emplace_back("point", "participation_error_place");
  return errors;
}

Result<std::int64_t> ProcessStore::create(const NewProcess& p, std::int64_t author,
                                          std::int64_t now) {
  if (auto errors = validate(p); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(area, resolve_area(tx, p.org_id, p.area_ags));
    // A code collision (1 in 887 million per pair) is retried with a new code.
    for (int attempt = 0;; ++attempt) {
      auto inserted = tx.query(
          "INSERT INTO processes (org_id, title, summary, body, topic, state, short_code, "
          "created_by, created_at, updated_at, area_ags)"
          " SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10"
          " WHERE NOT EXISTS (SELECT 1 FROM processes WHERE short_code = $7) RETURNING id",
          {Value{p.org_id}, Value{p.title}, Value{p.summary}, Value{p.body}, Value{p.topic},
           Value{std::string(to_string(p.state))}, Value{new_short_code()}, Value{author},
           Value{now}, Value{area}});
      if (!inserted) return std::unexpected(inserted.error());
      if (inserted->rows.empty()) {
        if (attempt < 5) continue;
        return fail(ErrorCode::conflict, "no free short code");
      }
      std::int64_t id = inserted->rows[0].int64(0);
      AH_TRY_STATUS(insert_phases(tx, id, p.phases));
      AH_TRY_STATUS(search::put(tx, kProcessSearchIndex, id, p.title + "\n" + p.summary, p.body));
      return id;
    }
  });
}

namespace {

// SQL for the areas of an organisation with AGS $1 (NULL without one) — see process_areas.
constexpr std::string_view kAreasOf =
    "SELECT ags, name, CASE WHEN ags = COALESCE($1, '15') THEN 0 ELSE 1 END AS own"
    " FROM organisations WHERE ags IS NOT NULL AND ("
    " ags = COALESCE($1, '15')"
    " OR (COALESCE($1, '15') = '15' AND type IN ('kreis', 'kreisfreie_stadt'))"
    " OR (length(COALESCE($1, '15')) = 5 AND kreis_ags = $1 AND type <> 'kreis'))"
    " ORDER BY own, name_key";

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> process_areas(db::Database& db,
                                                                       std::int64_t org_id) {
  AH_TRY(org, db.query("SELECT ags FROM organisations WHERE id = $1", {Value{org_id}}));
  if (org.rows.empty()) return fail(ErrorCode::not_found, "no such organisation");
  const Value ags = org.rows[0].is_null(0) ? Value{nullptr} : Value{org.rows[0].text(0)};
  AH_TRY(rs, db.query(kAreasOf, {ags}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& row : rs.rows) out.emplace_back(row.text(0), row.text(1));
  return out;
}

Result<std::string> ProcessStore::resolve_area(db::Connection& tx, std::int64_t org_id,
                                               const std::string& wanted) {
  AH_TRY(org, tx.query("SELECT ags FROM organisations WHERE id = $1", {Value{org_id}}));
  if (org.rows.empty()) return fail(ErrorCode::not_found, "no such organisation");
  const Value ags = org.rows[0].is_null(0) ? Value{nullptr} : Value{org.rows[0].text(0)};
  if (wanted.empty()) return org.rows[0].is_null(0) ? std::string("15") : org.rows[0].text(0);
  AH_TRY(rs, tx.query("SELECT 1 FROM (" + std::string(kAreasOf) + ") areas WHERE ags = $2",
                      {ags, Value{wanted}}));
  if (rs.rows.empty()) return fail(ErrorCode::invalid_input, "participation_error_area");
  return wanted;
}

Status ProcessStore::insert_phases(db::Connection& tx, std::int64_t process_id,
                                   const std::vector<Phase>& phases) {
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const auto& phase = phases[i];
    AH_TRY_STATUS(tx.query(
        "INSERT INTO process_phases (process_id, position, title, starts_at, ends_at,"
        " allow_propose, allow_comment, allow_support) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {Value{process_id}, Value{static_cast<std::int64_t>(i)}, Value{phase.title},
         Value{phase.starts_at}, Value{phase.ends_at}, Value{std::int64_t{phase.allow_propose}},
         Value{std::int64_t{phase.allow_comment}}, Value{std::int64_t{phase.allow_support}}}));
  }
  return {};
}

Status ProcessStore::update(std::int64_t id, const NewProcess& p, std::int64_t now) {
  if (auto errors = validate(p); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(owner, tx.query("SELECT org_id FROM processes WHERE id = $1", {Value{id}}));
    if (owner.rows.empty()) return fail(ErrorCode::not_found, "no such process");
    AH_TRY(area, resolve_area(tx, owner.rows[0].int64(0), p.area_ags));
    AH_TRY_STATUS(tx.query("UPDATE processes SET title = $2, summary = $3, body = $4, topic = $5,"
                           " state = $6, updated_at = $7, area_ags = $8 WHERE id = $1",
                           {Value{id}, Value{p.title}, Value{p.summary}, Value{p.body},
                            Value{p.topic}, Value{std::string(to_string(p.state))}, Value{now},
                            Value{area}}));
    AH_TRY_STATUS(tx.query("DELETE FROM process_phases WHERE process_id = $1", {Value{id}}));
    AH_TRY_STATUS(insert_phases(tx, id, p.phases));
    return search::put(tx, kProcessSearchIndex, id, p.title + "\n" + p.summary, p.body);
  });
}

Status ProcessStore::load_phases(std::vector<Process>& processes) const {
  if (processes.empty()) return {};
  // One query for the whole page instead of one a process (issue 6).
  std::vector<Value> ids;
  std::string sql =
      "SELECT process_id, title, starts_at, ends_at, allow_propose, allow_comment, allow_support"
      " FROM process_phases WHERE process_id IN (";
  for (const auto& p : processes) {
    sql += (ids.empty() ? "$" : ", $") + std::to_string(ids.size() + 1);
    ids.push_back(p.id);
  }
  sql += ") ORDER BY process_id, position";
  AH_TRY(rs, db_.query(sql, ids));
  std::unordered_map<std::int64_t, std::vector<Phase>> by_process;
  for (const auto& row : rs.rows) by_process[row.int64(0)].push_back(phase_from_row(row, 1));
  for (auto& p : processes) p.phases = std::move(by_process[p.id]);
  return {};
}

Result<Process> ProcessStore::find_where(std::string_view where, Value key) const {
  // One statement with its phases (a support asks for its process: issue 6).
  AH_TRY(rs, db_.query("SELECT " + std::string(kProcessFields) + ", " + std::string(kPhaseFields) +
                           " FROM processes p" + std::string(kProcessJoins) +
                           std::string(kPhaseJoin) + std::string(where) + " ORDER BY ph.position",
                       {std::move(key)}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such process");
  return process_with_phases(rs.rows, 0);
}

Result<Process> ProcessStore::find(std::int64_t id) const {
  return find_where("WHERE p.id = $1", Value{id});
}

Result<Process> ProcessStore::find_by_code(std::string_view code) const {
  return find_where("WHERE p.short_code = $1", Value{std::string(code)});
}

Result<ProcessPage> ProcessStore::list(const ProcessFilter& filter, std::string_view cursor,
                                       int limit) const {
  std::vector<Value> params;
  auto placeholder = [&params](Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string sql = "SELECT " + std::string(kProcessFields) + " FROM processes p" +
                    std::string(kProcessJoins);
  if (filter.state)
    sql += "WHERE p.state = " + placeholder(std::string(to_string(*filter.state)));
  else
    sql += "WHERE p.state IN ('published', 'closed')";
  if (filter.org_id != 0) sql += " AND p.org_id = " + placeholder(filter.org_id);
  if (!filter.kreis_ags.empty()) {
    std::string k = placeholder(filter.kreis_ags);
    sql += " AND (o.kreis_ags = " + k + " OR o.ags = " + k + ")";
  }
  if (!filter.gemeinde_ags.empty()) {
    // The Kreis key is the AGS's first five digits; the Land is "15" (its first two).
    std::string g = placeholder(filter.gemeinde_ags);
    std::string k = placeholder(
        filter.gemeinde_ags.substr(0, std::min<std::size_t>(5, filter.gemeinde_ags.size())));
    std::string l = placeholder(
        filter.gemeinde_ags.substr(0, std::min<std::size_t>(2, filter.gemeinde_ags.size())));
    sql += " AND p.area_ags IN (" + g + ", " + k + ", " + l + ")";
  }
  if (!filter.topic.empty()) sql += " AND p.topic = " + placeholder(filter.topic);
  if (const auto query = search::Query::parse(filter.text); !query.blank())
    sql += " AND " + search::condition(db_.backend(), kProcessSearchIndex, "p.id", query, params);
  if (!cursor.empty()) {
    AH_TRY(after, db::decode_cursor(cursor));
    std::int64_t updated = 0;
    try {
      updated = std::stoll(after.key);
    } catch (const std::exception&) {
      return fail(ErrorCode::invalid_input, "invalid cursor");
    }
    std::string u = placeholder(updated);
    std::string i = placeholder(after.id);
    sql += " AND (p.updated_at < " + u + " OR (p.updated_at = " + u + " AND p.id < " + i + "))";
  }
  sql += " ORDER BY p.updated_at DESC, p.id DESC LIMIT " + placeholder(std::int64_t{limit + 1});
  // The phases come in a second query: joined in, each phase's row would repeat the
  // process's columns, which cost more than the statement saved (measured on SQLite, issue 6).
  AH_TRY(rs, db_.query(sql, params));
  ProcessPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(process_from_row(rs.rows[i]));
  AH_TRY_STATUS(load_phases(page.items));
  if (static_cast<int>(rs.rows.size()) > limit) {
    const auto& last = page.items.back();
    page.next_cursor = db::encode_cursor(std::to_string(last.updated_at), last.id);
  }
  return page;
}

Status ProcessStore::set_state(std::int64_t id, ProcessState state, std::int64_t now) {
  AH_TRY(rs, db_.query("UPDATE processes SET state = $2, updated_at = $3 WHERE id = $1",
                       {Value{id}, Value{std::string(to_string(state))}, Value{now}}));
  if (rs.affected_rows == 0) return fail(ErrorCode::not_found, "no such process");
  return {};
}

Result<std::int64_t> ProposalStore::create(std::int64_t process_id, const NewProposal& p,
                                           std::int64_t author, std::int64_t now) {
  if (auto errors = validate(p); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  Value lat = p.lat ? Value{*p.lat} : Value{nullptr};
  Value lon = p.lon ? Value{*p.lon} : Value{nullptr};
  AH_TRY(rs,
         db_.query(
             "INSERT INTO proposals (process_id, author_id, title, body, category, lat, lon, place,"
             " state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $9, 'open', $8,"
             " $8) RETURNING id",
             {Value{process_id}, Value{author}, Value{p.title}, Value{p.body}, Value{p.category},
              lat, lon, Value{now}, p.place ? Value{*p.place} : Value{nullptr}}));
  return rs.rows[0].int64(0);
}

Status ProposalStore::edit(std::int64_t id, std::int64_t author, const NewProposal& p,
                           std::int64_t now) {
  if (auto errors = validate(p); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  // One statement: a support or comment arriving at the same moment either lands before
  // (and the edit is refused) or after (and is given to the edited text).
  AH_TRY(rs, db_.query("UPDATE proposals SET title = $3, body = $4, category = $5, lat = $6,"
                       " lon = $7, place = $9, updated_at = $8 WHERE id = $1 AND author_id = $2"
                       " AND state = 'open' AND support_count = 0 AND comment_count = 0",
                       {Value{id}, Value{author}, Value{p.title}, Value{p.body},
                        Value{p.category}, p.lat ? Value{*p.lat} : Value{nullptr},
                        p.lon ? Value{*p.lon} : Value{nullptr}, Value{now},
                        p.place ? Value{*p.place} : Value{nullptr}}));
  if (rs.affected_rows == 0) return fail(ErrorCode::forbidden, "participation_error_edit_closed");
  return {};
}

Status ProposalStore::withdraw(std::int64_t id, std::int64_t author, std::int64_t now) {
  AH_TRY(rs, db_.query("UPDATE proposals SET state = 'withdrawn', updated_at = $3"
                       " WHERE id = $1 AND author_id = $2 AND state = 'open'",
                       {Value{id}, Value{author}, Value{now}}));
  if (rs.affected_rows == 0) return fail(ErrorCode::forbidden, "participation_error_withdraw");
  return {};
}

Result<Proposal> ProposalStore::find(std::int64_t id) const {
  AH_TRY(rs, db_.query("SELECT " + std::string(kProposalFields) + std::string(kProposalTables) +
                           "WHERE r.id = $1",
                       {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such proposal");
  return proposal_from_row(rs.rows[0]);
}

Result<std::pair<Proposal, Process>> ProposalStore::find_with_process(std::int64_t id) const {
  AH_TRY(rs,
         db_.query("SELECT " + std::string(kProposalFields) + ", " + std::string(kProcessFields) +
                       ", " + std::string(kPhaseFields) + std::string(kProposalTables) +
                       "JOIN processes p ON p.id = r.process_id" + std::string(kProcessJoins) +
                       std::string(kPhaseJoin) + "WHERE r.id = $1 ORDER BY ph.position",
                   {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such proposal");
  return std::pair{proposal_from_row(rs.rows[0]), process_with_phases(rs.rows, kProposalFieldCount)};
}

Result<ProposalPage> ProposalStore::list(std::int64_t process_id, ProposalOrder order,
                                         std::string_view cursor, int limit,
                                         std::uint32_t seed) const {
  // Each order is a keyset on (column DESC, id DESC), served by its own index; the random
  // order's column is shuffle_key (computed in SQL too, so the keyset works as for the
  // other orders; a process has few enough proposals to sort).
  const Shuffle shuffle(seed);
  std::string column = order == ProposalOrder::most_supported   ? "r.support_count"
                       : order == ProposalOrder::most_discussed ? "r.comment_count"
                       : order == ProposalOrder::random         ? shuffle.sql("r.id")
                                                                : "r.created_at";
  std::vector<Value> params{Value{process_id}};
  std::string sql = "SELECT " + std::string(kProposalFields) + std::string(kProposalTables) +
                    "WHERE r.process_id = $1 AND r.state <> 'withdrawn'";
  if (!cursor.empty()) {
    AH_TRY(after, db::decode_cursor(cursor));
    std::int64_t key = 0;
    try {
      key = std::stoll(after.key);
    } catch (const std::exception&) {
      return fail(ErrorCode::invalid_input, "invalid cursor");
    }
    params.push_back(key);
    params.push_back(after.id);
    sql += " AND (" + column + " < $2 OR (" + column + " = $2 AND r.id < $3))";
  }
  params.push_back(std::int64_t{limit + 1});
  sql += " ORDER BY " + column + " DESC, r.id DESC LIMIT $" + std::to_string(params.size());
  AH_TRY(rs, db_.query(sql, params));
  ProposalPage page;
  for (std::size_t i = 0; i < rs.rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(proposal_from_row(rs.rows[i]));
  if (static_cast<int>(rs.rows.size()) > limit) {
    const auto& last = page.items.back();
    std::int64_t key = order == ProposalOrder::most_supported   ? last.support_count
                       : order == ProposalOrder::most_discussed ? last.comment_count
                       : order == ProposalOrder::random         ? shuffle.key(last.id)
                                                                : last.created_at;
    page.next_cursor = db::encode_cursor(std::to_string(key), last.id);
  }
  return page;
}

Result<std::int64_t> ProposalStore::support(std::int64_t proposal_id, std::int64_t account,
                                            std::int64_t now) {
  // Many people support at once: their transactions share commits (db/commit_batcher.h).
  return db_.grouped_transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(inserted,
           tx.query("INSERT INTO supports (proposal_id, account_id, created_at) VALUES ($1, $2, $3)"
                    " ON CONFLICT (proposal_id, account_id) DO NOTHING",
                    {Value{proposal_id}, Value{account}, Value{now}}));
    if (inserted.affected_rows == 0) return count_of(tx, proposal_id);  // given before
    return move_count(tx, proposal_id, +1);
  });
}

Result<std::int64_t> ProposalStore::withdraw_support(std::int64_t proposal_id,
                                                     std::int64_t account) {
  return db_.grouped_transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(removed, tx.query("DELETE FROM supports WHERE proposal_id = $1 AND account_id = $2",
                             {Value{proposal_id}, Value{account}}));
    if (removed.affected_rows == 0) return count_of(tx, proposal_id);  // none to take back
    return move_count(tx, proposal_id, -1);
  });
}

Result<bool> ProposalStore::supports(std::int64_t proposal_id, std::int64_t account) const {
  AH_TRY(rs, db_.query("SELECT 1 FROM supports WHERE proposal_id = $1 AND account_id = $2",
                       {Value{proposal_id}, Value{account}}));
  return !rs.rows.empty();
}

Status ProposalStore::withdraw_all_supports(std::int64_t account) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(
        tx.query("UPDATE proposals SET support_count = support_count - 1"
                 " WHERE id IN (SELECT proposal_id FROM supports WHERE account_id = $1)",
                 {Value{account}}));
    AH_TRY_STATUS(tx.query("DELETE FROM supports WHERE account_id = $1", {Value{account}}));
    return {};
  });
}

namespace {

bool comment_ok(const std::string& body) {
  return !blank(body) && body.size() <= kMaxCommentBytes && !web::rich_text_problem(body);
}

}  // namespace

Result<std::int64_t> CommentStore::create(const CommentOn& on,
                                          std::optional<std::int64_t> parent_id,
                                          const std::string& body, std::int64_t author,
                                          std::int64_t now, const AlsoInTransaction& also) {
  if (!comment_ok(body)) return fail(ErrorCode::invalid_input, "participation_error_comment");
  const Value proposal = on.proposal_id ? Value{*on.proposal_id} : Value{nullptr};
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    if (on.proposal_id) {
      AH_TRY(owner, tx.query("SELECT 1 FROM proposals WHERE id = $1 AND process_id = $2",
                             {proposal, Value{on.process_id}}));
      if (owner.rows.empty()) return fail(ErrorCode::not_found, "no such proposal");
    }
    if (parent_id) {
      // IS NOT DISTINCT FROM: the parent is on the same proposal, or like the new one on
      // the process itself.
      AH_TRY(parent, tx.query("SELECT parent_id FROM comments WHERE id = $1 AND process_id = $2"
                              " AND proposal_id IS NOT DISTINCT FROM $3",
                              {Value{*parent_id}, Value{on.process_id}, proposal}));
      if (parent.rows.empty()) return fail(ErrorCode::not_found, "no such comment");
      if (!parent.rows[0].is_null(0))
        return fail(ErrorCode::invalid_input, "participation_error_reply_depth");
    }
    AH_TRY(rs, tx.query("INSERT INTO comments (process_id, proposal_id, parent_id, author_id, body,"
                        " created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                        {Value{on.process_id}, proposal,
                         parent_id ? Value{*parent_id} : Value{nullptr}, Value{author}, Value{body},
                         Value{now}}));
    if (on.proposal_id)
      AH_TRY_STATUS(tx.query("UPDATE proposals SET comment_count = comment_count + 1 WHERE id = $1",
                             {proposal}));
    if (also) AH_TRY_STATUS(also(tx, rs.rows[0].int64(0)));
    return rs.rows[0].int64(0);
  });
}

Status CommentStore::edit(std::int64_t id, std::int64_t author, const std::string& body,
                          std::int64_t now) {
  if (!comment_ok(body)) return fail(ErrorCode::invalid_input, "participation_error_comment");
  AH_TRY(rs,
         db_.query("UPDATE comments SET body = $3, edited_at = $4 WHERE id = $1 AND author_id = $2"
                   " AND deleted_at IS NULL AND created_at >= $5",
                   {Value{id}, Value{author}, Value{body}, Value{now},
                    Value{now - kCommentEditSeconds}}));
  if (rs.affected_rows == 0) return fail(ErrorCode::forbidden, "participation_error_comment_edit");
  return {};
}

Status CommentStore::remove(std::int64_t id, std::int64_t author, std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(rs, tx.query(
                   "UPDATE comments SET body = '', deleted_at = $3 WHERE id = $1 AND author_id = $2"
                   " AND deleted_at IS NULL RETURNING proposal_id",
                   {Value{id}, Value{author}, Value{now}}));
    if (rs.rows.empty()) return fail(ErrorCode::forbidden, "participation_error_comment_delete");
    if (!rs.rows[0].is_null(0))
      AH_TRY_STATUS(
          tx.query("UPDATE proposals SET comment_count = comment_count - 1 WHERE id = $1",
                   {Value{rs.rows[0].int64(0)}}));
    return {};
  });
}

namespace {

constexpr std::string_view kCommentColumns =
    "SELECT c.id, c.parent_id, c.author_id, a.display_name, c.body, c.created_at, c.edited_at,"
    " c.deleted_at, c.process_id, c.proposal_id FROM comments c"
    " LEFT JOIN accounts a ON a.id = c.author_id ";

std::vector<Comment> comments_from(const db::ResultSet& rs) {
  std::vector<Comment> out;
  for (const auto& row : rs.rows) {
    Comment c;
    c.id = row.int64(0);
    c.process_id = row.int64(8);
    if (!row.is_null(9)) c.proposal_id = row.int64(9);
    if (!row.is_null(1)) c.parent_id = row.int64(1);
    if (!row.is_null(2)) c.author_id = row.int64(2);
    if (!row.is_null(3)) c.author_name = row.text(3);
    c.body = row.text(4);
    c.created_at = row.int64(5);
    if (!row.is_null(6)) c.edited_at = row.int64(6);
    if (!row.is_null(7)) c.deleted_at = row.int64(7);
    out.push_back(std::move(c));
  }
  return out;
}

// The comments of `on` (a proposal's, or the process's own): the condition on `c` with the
// subject as $1, and that subject.
std::pair<std::string_view, Value> comment_subject(const CommentOn& on) {
  if (on.proposal_id) return {"c.proposal_id = $1", Value{*on.proposal_id}};
  return {"c.process_id = $1 AND c.proposal_id IS NULL", Value{on.process_id}};
}

}  // namespace

Result<std::vector<Comment>> CommentStore::list(const CommentOn& on) const {
  // Threads in order: a top-level comment's id is its thread's key; replies sort after it.
  const auto [where, subject] = comment_subject(on);
  AH_TRY(rs, db_.query(std::string(kCommentColumns) + "WHERE " + std::string(where) +
                           " ORDER BY COALESCE(c.parent_id, c.id), c.parent_id IS NOT NULL, c.id",
                       {subject}));
  return comments_from(rs);
}

Result<CommentStore::CommentPage> CommentStore::page(const CommentOn& on, std::int64_t from,
                                                     int threads) const {
  const auto [condition, subject] = comment_subject(on);
  const std::string where(condition);
  const std::int64_t upto = from > 0 ? from : std::numeric_limits<std::int64_t>::max();
  AH_TRY(heads, db_.query("SELECT c.id FROM comments c WHERE " + where +
                              " AND c.parent_id IS NULL AND c.id <= $2 ORDER BY c.id DESC LIMIT $3",
                          {subject, Value{upto}, Value{std::int64_t{threads} + 1}}));
  AH_TRY(live, db_.query("SELECT COUNT(*) FROM comments c WHERE " + where + " AND c.deleted_at IS NULL",
                         {subject}));
  CommentPage out;
  out.live = live.rows[0].int64(0);
  if (heads.rows.empty()) return out;
  const std::size_t shown = std::min(heads.rows.size(), static_cast<std::size_t>(threads));
  if (heads.rows.size() > shown) out.older = heads.rows[shown].int64(0);
  AH_TRY(rs, db_.query(std::string(kCommentColumns) + "WHERE " + where +
                           " AND COALESCE(c.parent_id, c.id) BETWEEN $2 AND $3"
                           " ORDER BY COALESCE(c.parent_id, c.id) DESC, c.parent_id IS NOT NULL, c.id",
                       {subject, Value{heads.rows[shown - 1].int64(0)}, Value{heads.rows[0].int64(0)}}));
  out.comments = comments_from(rs);
  return out;
}

Result<std::vector<Comment>> CommentStore::list_for_process(std::int64_t process_id) const {
  AH_TRY(rs, db_.query(std::string(kCommentColumns) + "WHERE c.process_id = $1 ORDER BY c.id",
                       {Value{process_id}}));
  return comments_from(rs);
}

Result<Comment> CommentStore::find(std::int64_t id) const {
  AH_TRY(rs, db_.query(std::string(kCommentColumns) + "WHERE c.id = $1", {Value{id}}));
  auto found = comments_from(rs);
  if (found.empty()) return fail(ErrorCode::not_found, "no such comment");
  return std::move(found.front());
}

Result<ProcessActivity> activity(db::Database& db, std::int64_t process_id) {
  ProcessActivity out;
  // Hours, not days: the module places them on Berlin days, whose borders move with
  // daylight saving time but always fall on a full UTC hour.
  AH_TRY(rs, db.query(
                 "SELECT 0, created_at / 3600, COUNT(*) FROM proposals WHERE process_id = $1"
                 " GROUP BY created_at / 3600"
                 " UNION ALL SELECT 1, created_at / 3600, COUNT(*) FROM comments"
                 " WHERE process_id = $1 GROUP BY created_at / 3600"
                 " UNION ALL SELECT 2, s.created_at / 3600, COUNT(*) FROM supports s"
                 " JOIN proposals r ON r.id = s.proposal_id WHERE r.process_id = $1"
                 " GROUP BY s.created_at / 3600",
                 {Value{process_id}}));
  for (const auto& row : rs.rows) {
    auto& series = row.int64(0) == 0   ? out.proposals
                   : row.int64(0) == 1 ? out.comments
                                       : out.supports;
    series.push_back({row.int64(1) * 3600, row.int64(2)});
  }
  AH_TRY(people, db.query("SELECT COUNT(*) FROM ("
                          " SELECT author_id AS who FROM proposals WHERE process_id = $1"
                          " UNION SELECT author_id FROM comments WHERE process_id = $1"
                          " UNION SELECT s.account_id FROM supports s JOIN proposals r"
                          " ON r.id = s.proposal_id WHERE r.process_id = $1) people"
                          " WHERE who IS NOT NULL",
                          {Value{process_id}}));
  out.participants = people.rows[0].int64(0);
  return out;
}

}  // namespace ah::modules::participation

namespace ah::modules::participation {

namespace {

constexpr std::array kAnswerStates{std::pair{AnswerState::none, "none"},
                                   std::pair{AnswerState::reviewing, "reviewing"},
                                   std::pair{AnswerState::accepted, "accepted"},
                                   std::pair{AnswerState::rejected, "rejected"},
                                   std::pair{AnswerState::implemented, "implemented"}};

}  // namespace

std::string_view to_string(AnswerState state) {
  for (const auto& [value, name] : kAnswerStates)
    if (value == state) return name;
  return "none";
}

std::optional<AnswerState> answer_state_from_string(std::string_view s) {
  for (const auto& [value, name] : kAnswerStates)
    if (name == s) return value;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> validate_answer(AnswerState state,
                                                                 const std::string& text,
                                                                 int progress) {
  std::vector<std::pair<std::string, std::string>> errors;
  if (state == AnswerState::none) errors.emplace_back("state", "participation_error_answer_state");
  if (blank(text))
    errors.emplace_back("text", "participation_error_answer_text");
  else if (text.size() > kMaxAnswerBytes)
    errors.emplace_back("text", "participation_error_body_long");
  else if (auto problem = web::rich_text_problem(text))
    errors.emplace_back("text", *problem);
  if (progress < 0 || progress > 100)
    errors.emplace_back("progress", "participation_error_progress");
  return errors;
}

Result<std::int64_t> AnswerStore::answer(std::int64_t proposal_id, AnswerState state,
                                         const std::string& text, int progress,
                                         std::int64_t author, std::int64_t now,
                                         const AlsoInTransaction& also) {
  if (auto errors = validate_answer(state, text, progress); !errors.empty())
    return fail(ErrorCode::invalid_input, errors.front().second);
  const int kept = state == AnswerState::implemented ? 100
                   : state == AnswerState::accepted  ? progress
                                                     : 0;
  const std::string name(to_string(state));
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(updated, tx.query("UPDATE proposals SET answer_state = $2, progress = $3,"
                             " updated_at = $4 WHERE id = $1",
                             {Value{proposal_id}, Value{name}, Value{std::int64_t{kept}},
                              Value{now}}));
    if (updated.affected_rows == 0) return fail(ErrorCode::not_found, "no such proposal");
    AH_TRY(rs, tx.query("INSERT INTO proposal_answers (proposal_id, state, text, progress,"
                        " author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                        {Value{proposal_id}, Value{name}, Value{text}, Value{std::int64_t{kept}},
                         Value{author}, Value{now}}));
    if (also) AH_TRY_STATUS(also(tx, rs.rows[0].int64(0)));
    return rs.rows[0].int64(0);
  });
}

Result<std::vector<Answer>> AnswerStore::history(std::int64_t proposal_id) const {
  AH_TRY(rs, db_.query("SELECT n.id, n.state, n.text, n.progress, a.display_name, n.created_at"
                       " FROM proposal_answers n LEFT JOIN accounts a ON a.id = n.author_id"
                       " WHERE n.proposal_id = $1 ORDER BY n.id",
                       {Value{proposal_id}}));
  std::vector<Answer> answers;
  for (const auto& row : rs.rows) {
    Answer a;
    a.id = row.int64(0);
    a.proposal_id = proposal_id;
    a.state = answer_state_from_string(row.text(1)).value_or(AnswerState::reviewing);
    a.text = row.text(2);
    a.progress = static_cast<int>(row.int64(3));
    if (!row.is_null(4)) a.author_name = row.text(4);
    a.created_at = row.int64(5);
    answers.push_back(std::move(a));
  }
  return answers;
}

Result<std::vector<std::pair<AnswerState, std::int64_t>>> AnswerStore::tally(
    std::int64_t process_id) const {
  AH_TRY(rs, db_.query("SELECT answer_state, COUNT(*) FROM proposals"
                       " WHERE process_id = $1 AND state <> 'withdrawn' GROUP BY answer_state",
                       {Value{process_id}}));
  std::vector<std::pair<AnswerState, std::int64_t>> counts;
  for (const auto& [state, name] : kAnswerStates) {
    std::int64_t n = 0;
    for (const auto& row : rs.rows)
      if (row.text(0) == name) n = row.int64(1);
    counts.emplace_back(state, n);
  }
  return counts;
}

}  // namespace ah::modules::participation
