#include "modules/consultations/store.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "db/cursor.h"
#include "web/rich_text.h"

namespace ah::modules::consultations {

using db::Value;

std::vector<db::Migration> consultations_migrations() {
  return {
      // A consultation is written by an organisation or a working group (exactly one). Its
      // addressee rules are kept as given (to show and to edit them); the recipients are
      // what they resolved to when saved. Rounds keep every text; sections are a round's
      // text cut into addressable pieces; comments point at the section of the round they
      // were written on, so they stay attached when a later round changes the text.
      // highest_anchor: the largest section anchor number ever issued, so a deleted
      // anchor never comes back in a later round. Accounts may be erased: authors become
      // NULL ("gelöschtes Konto"), the texts stay, as they are part of the public record.
      {10000, "consultations",
       "CREATE TABLE consultations ("
       " id {{id}},"
       " title TEXT NOT NULL,"
       " summary TEXT NOT NULL,"
       " author_org_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,"
       " author_group_id BIGINT REFERENCES work_groups (id) ON DELETE CASCADE,"
       " openness TEXT NOT NULL CHECK (openness IN ('intern', 'lesbar', 'oeffentlich')),"
       " current_round BIGINT NOT NULL,"
       " highest_anchor BIGINT NOT NULL,"
       " created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " created_at BIGINT NOT NULL,"
       " updated_at BIGINT NOT NULL,"
       " CHECK ((author_org_id IS NULL) <> (author_group_id IS NULL)));"
       "CREATE INDEX consultations_by_org ON consultations (author_org_id, id);"
       "CREATE INDEX consultations_by_group ON consultations (author_group_id, id);"
       "CREATE INDEX consultations_creator ON consultations (created_by);"
       "CREATE TABLE consultation_addressees ("
       " consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
       " position BIGINT NOT NULL,"
       " kind TEXT NOT NULL CHECK (kind IN ('alle_gemeinden', 'kreis', 'organisation',"
       "   'arbeitsgruppe')),"
       " kreis_ags TEXT NOT NULL,"
       " ref BIGINT NOT NULL,"
       " PRIMARY KEY (consultation_id, position));"
       "CREATE TABLE consultation_recipients ("
       " consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
       " org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,"
       " PRIMARY KEY (consultation_id, org_id));"
       "CREATE INDEX consultation_recipients_org ON consultation_recipients (org_id);"
       "CREATE TABLE consultation_rounds ("
       " id {{id}},"
       " consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
       " number BIGINT NOT NULL,"
       " body TEXT NOT NULL,"
       " note TEXT NOT NULL,"
       " opened_at BIGINT NOT NULL,"
       " deadline BIGINT NOT NULL,"
       " published_at BIGINT,"
       " published_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " created_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " UNIQUE (consultation_id, number));"
       "CREATE TABLE consultation_sections ("
       " id {{id}},"
       " round_id BIGINT NOT NULL REFERENCES consultation_rounds (id) ON DELETE CASCADE,"
       " position BIGINT NOT NULL,"
       " anchor TEXT NOT NULL,"
       " kind TEXT NOT NULL CHECK (kind IN ('heading', 'block')),"
       " level BIGINT NOT NULL,"
       " label TEXT NOT NULL,"
       " text TEXT NOT NULL,"
       " UNIQUE (round_id, anchor),"
       " UNIQUE (round_id, position));"
       "CREATE TABLE consultation_comments ("
       " id {{id}},"
       " consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
       " round_id BIGINT NOT NULL REFERENCES consultation_rounds (id) ON DELETE CASCADE,"
       " section_id BIGINT NOT NULL REFERENCES consultation_sections (id) ON DELETE CASCADE,"
       " author_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " org_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,"
       " passage TEXT NOT NULL,"
       " amendment TEXT NOT NULL,"
       " body TEXT NOT NULL,"
       " supports BIGINT NOT NULL,"
       " created_at BIGINT NOT NULL);"
       "CREATE INDEX consultation_comments_section ON consultation_comments (round_id,"
       " section_id, id);"
       "CREATE INDEX consultation_comments_org ON consultation_comments (round_id, org_id);"
       "CREATE INDEX consultation_comments_author ON consultation_comments (author_id);"
       "CREATE TABLE consultation_supports ("
       " comment_id BIGINT NOT NULL REFERENCES consultation_comments (id) ON DELETE CASCADE,"
       " account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
       " created_at BIGINT NOT NULL,"
       " PRIMARY KEY (comment_id, account_id));"
       "CREATE INDEX consultation_supports_account ON consultation_supports (account_id);"
       // One Stellungnahme per organisation and round; its row exists from the first
       // comment or saved text on, and is the row that a comment and a release both lock,
       // so that no comment slips in after the release.
       "CREATE TABLE consultation_statements ("
       " id {{id}},"
       " consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
       " round_id BIGINT NOT NULL REFERENCES consultation_rounds (id) ON DELETE CASCADE,"
       " org_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,"
       " body TEXT NOT NULL,"
       " updated_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " updated_at BIGINT NOT NULL,"
       " released_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " released_at BIGINT,"
       " UNIQUE (round_id, org_id));"
       "CREATE INDEX consultation_statements_org ON consultation_statements (org_id);"
       "CREATE INDEX consultation_statements_updater ON consultation_statements (updated_by);"
       "CREATE INDEX consultation_statements_releaser ON consultation_statements (released_by);"
       "CREATE TABLE consultation_answers ("
       " id {{id}},"
       " round_id BIGINT NOT NULL REFERENCES consultation_rounds (id) ON DELETE CASCADE,"
       " comment_id BIGINT UNIQUE REFERENCES consultation_comments (id) ON DELETE CASCADE,"
       " statement_id BIGINT UNIQUE REFERENCES consultation_statements (id) ON DELETE CASCADE,"
       " verdict TEXT NOT NULL CHECK (verdict IN ('uebernommen', 'teilweise',"
       "   'nicht_uebernommen', 'kenntnis')),"
       " reason TEXT NOT NULL,"
       " answered_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " answered_at BIGINT NOT NULL,"
       " CHECK ((comment_id IS NULL) <> (statement_id IS NULL)));"
       "CREATE INDEX consultation_answers_round ON consultation_answers (round_id);"
       "CREATE INDEX consultation_answers_by ON consultation_answers (answered_by);"
       "CREATE TABLE consultation_reminders ("
       " round_id BIGINT NOT NULL REFERENCES consultation_rounds (id) ON DELETE CASCADE,"
       " sent_at BIGINT NOT NULL,"
       " sent_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,"
       " recipients BIGINT NOT NULL);"
       "CREATE INDEX consultation_reminders_round ON consultation_reminders (round_id, sent_at);"
       "CREATE INDEX consultation_reminders_by ON consultation_reminders (sent_by);"},
  };
}

namespace {

using Errors = std::vector<std::pair<std::string, std::string>>;

template <typename E, std::size_t N>
std::optional<E> from_names(std::string_view s, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 3> kOpenness{"intern", "lesbar", "oeffentlich"};
constexpr std::array<std::string_view, 4> kAddresseeKinds{"alle_gemeinden", "kreis",
                                                          "organisation", "arbeitsgruppe"};
constexpr std::array<std::string_view, 4> kVerdicts{"uebernommen", "teilweise",
                                                    "nicht_uebernommen", "kenntnis"};
constexpr std::array<std::string_view, 3> kPhases{"offen", "abwaegung", "abgeschlossen"};

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

Error refused(std::string_view key) { return Error{ErrorCode::conflict, std::string(key), {}}; }
Error invalid(std::string_view key) {
  return Error{ErrorCode::invalid_input, std::string(key), {}};
}

void check_text(const std::string& text, std::size_t max, std::string_view field,
                std::string_view missing, std::string_view too_long, Errors& errors) {
  if (blank(text))
    errors.emplace_back(field, missing);
  else if (text.size() > max)
    errors.emplace_back(field, too_long);
  else if (auto problem = web::rich_text_problem(text))
    errors.emplace_back(field, *problem);
}

void check_common(const std::string& title, const std::string& summary,
                  const std::vector<AddresseeRule>& addressees, Openness openness,
                  std::int64_t deadline, std::int64_t now, Errors& errors) {
  if (blank(title))
    errors.emplace_back("title", "consultations_error_title");
  else if (title.size() > kMaxTitle)
    errors.emplace_back("title", "consultations_error_title_long");
  if (summary.size() > kMaxSummary) errors.emplace_back("summary", "consultations_error_summary_long");
  if (addressees.empty() && openness != Openness::public_comments)
    errors.emplace_back("addressees", "consultations_error_addressees");
  for (const auto& rule : addressees)
    if (rule.kind == AddresseeKind::kreis && rule.kreis_ags.size() != 5)
      errors.emplace_back("addressees", "consultations_error_addressees");
  if (deadline <= now) errors.emplace_back("deadline", "consultations_error_deadline");
}

Errors check_round(const std::string& body, std::int64_t deadline, std::int64_t now) {
  Errors errors;
  check_text(body, kMaxBody, "body", "consultations_error_body", "consultations_error_body_long",
             errors);
  if (deadline <= now) errors.emplace_back("deadline", "consultations_error_deadline");
  return errors;
}

// ---- reading rows -----------------------------------------------------------------------

// The consultation with its current round's deadline and publication, and its author's name.
constexpr std::string_view kConsultationColumns =
    "SELECT c.id, c.title, c.summary, c.author_org_id, c.author_group_id,"
    " COALESCE(o.name, g.name), COALESCE(o.ags, ''), c.openness, c.current_round, r.deadline,"
    " r.published_at, c.created_at, c.updated_at"
    " FROM consultations c"
    " JOIN consultation_rounds r ON r.consultation_id = c.id AND r.number = c.current_round"
    " LEFT JOIN organisations o ON o.id = c.author_org_id"
    " LEFT JOIN work_groups g ON g.id = c.author_group_id ";

Consultation consultation_from_row(const db::Row& row) {
  Consultation c;
  c.id = row.int64(0);
  c.title = row.text(1);
  c.summary = row.text(2);
  if (!row.is_null(3)) c.author_org_id = row.int64(3);
  if (!row.is_null(4)) c.author_group_id = row.int64(4);
  c.author_name = row.text(5);
  c.author_key = row.text(6);
  if (c.author_org_id && c.author_key.empty()) c.author_key = "o" + std::to_string(*c.author_org_id);
  c.openness = openness_from_string(row.text(7)).value_or(Openness::internal);
  c.current_round = row.int64(8);
  c.deadline = row.int64(9);
  if (!row.is_null(10)) c.published_at = row.int64(10);
  c.created_at = row.int64(11);
  c.updated_at = row.int64(12);
  return c;
}

std::optional<Answer> answer_from(const db::Row& row, std::size_t at) {
  if (row.is_null(at)) return std::nullopt;
  Answer a;
  a.verdict = verdict_from_string(row.text(at)).value_or(Verdict::noted);
  a.reason = row.text(at + 1);
  a.answered_by = row.is_null(at + 2) ? std::string() : row.text(at + 2);
  a.answered_at = row.int64(at + 3);
  return a;
}

// $1 the reader (0: nobody). Comments with their section, author, organisation, whether
// their organisation released, and the answer.
constexpr std::string_view kCommentColumns =
    "SELECT k.id, k.consultation_id, r.number, s.anchor, s.label, k.author_id, a.display_name,"
    " k.org_id, COALESCE(o.name, ''), k.passage, k.amendment, k.body, k.supports,"
    " EXISTS (SELECT 1 FROM consultation_supports p WHERE p.comment_id = k.id"
    "   AND p.account_id = $1),"
    " EXISTS (SELECT 1 FROM consultation_statements t WHERE t.round_id = k.round_id"
    "   AND t.org_id = k.org_id AND t.released_at IS NOT NULL),"
    " k.created_at, w.verdict, w.reason, wa.display_name, w.answered_at"
    " FROM consultation_comments k"
    " JOIN consultation_rounds r ON r.id = k.round_id"
    " JOIN consultation_sections s ON s.id = k.section_id"
    " LEFT JOIN accounts a ON a.id = k.author_id"
    " LEFT JOIN organisations o ON o.id = k.org_id"
    " LEFT JOIN consultation_answers w ON w.comment_id = k.id"
    " LEFT JOIN accounts wa ON wa.id = w.answered_by ";

Comment comment_from_row(const db::Row& row) {
  Comment k;
  k.id = row.int64(0);
  k.consultation_id = row.int64(1);
  k.round_number = row.int64(2);
  k.anchor = row.text(3);
  k.section_label = row.text(4);
  if (!row.is_null(5)) k.author_id = row.int64(5);
  if (!row.is_null(6)) k.author_name = row.text(6);
  if (!row.is_null(7)) k.org_id = row.int64(7);
  k.org_name = row.text(8);
  k.passage = row.text(9);
  k.amendment = row.text(10);
  k.body = row.text(11);
  k.supports = row.int64(12);
  k.supported_by_reader = row.int64(13) != 0;
  k.final = row.int64(14) != 0;
  k.created_at = row.int64(15);
  k.answer = answer_from(row, 16);
  return k;
}

constexpr std::string_view kStatementColumns =
    "SELECT t.id, t.consultation_id, r.number, t.org_id, o.name, COALESCE(o.ags, ''), t.body,"
    " t.released_at, ua.display_name, ra.display_name, t.updated_at,"
    " w.verdict, w.reason, wa.display_name, w.answered_at"
    " FROM consultation_statements t"
    " JOIN consultation_rounds r ON r.id = t.round_id"
    " JOIN organisations o ON o.id = t.org_id"
    " LEFT JOIN accounts ua ON ua.id = t.updated_by"
    " LEFT JOIN accounts ra ON ra.id = t.released_by"
    " LEFT JOIN consultation_answers w ON w.statement_id = t.id"
    " LEFT JOIN accounts wa ON wa.id = w.answered_by ";

Statement statement_from_row(const db::Row& row) {
  Statement t;
  t.id = row.int64(0);
  t.consultation_id = row.int64(1);
  t.round_number = row.int64(2);
  t.org_id = row.int64(3);
  t.org_name = row.text(4);
  t.org_key = row.text(5).empty() ? "o" + std::to_string(t.org_id) : row.text(5);
  t.body = row.text(6);
  t.released = !row.is_null(7);
  if (t.released) t.released_at = row.int64(7);
  if (!row.is_null(8)) t.updated_by = row.text(8);
  if (!row.is_null(9)) t.released_by = row.text(9);
  t.updated_at = row.int64(10);
  t.answer = answer_from(row, 11);
  return t;
}

// ---- inside transactions ----------------------------------------------------------------

struct CurrentRound {
  std::int64_t id = 0, number = 0, deadline = 0;
  bool published = false;
  Phase phase(std::int64_t now) const {
    return published ? Phase::published : now < deadline ? Phase::open : Phase::weighing;
  }
};

Result<CurrentRound> current_round(db::Connection& tx, std::int64_t id) {
  AH_TRY(rs, tx.query("SELECT r.id, r.number, r.deadline, r.published_at FROM consultations c"
                      " JOIN consultation_rounds r ON r.consultation_id = c.id"
                      " AND r.number = c.current_round WHERE c.id = $1",
                      {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "consultations_error_not_found");
  return CurrentRound{rs.rows[0].int64(0), rs.rows[0].int64(1), rs.rows[0].int64(2),
                      !rs.rows[0].is_null(3)};
}

Status insert_sections(db::Connection& tx, std::int64_t round_id,
                       const std::vector<Section>& sections) {
  std::int64_t position = 0;
  for (const auto& s : sections)
    AH_TRY_STATUS(tx.query(
        "INSERT INTO consultation_sections (round_id, position, anchor, kind, level, label, text)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {Value{round_id}, Value{++position}, Value{s.anchor},
         Value{std::string(s.kind == SectionKind::heading ? "heading" : "block")},
         Value{std::int64_t{s.level}}, Value{s.label}, Value{s.text}}));
  return {};
}

Result<std::vector<Section>> sections_of(db::Connection& tx, std::int64_t round_id) {
  AH_TRY(rs, tx.query("SELECT anchor, kind, level, label, text FROM consultation_sections"
                      " WHERE round_id = $1 ORDER BY position",
                      {Value{round_id}}));
  std::vector<Section> out;
  for (const auto& row : rs.rows)
    out.push_back({row.text(0), row.text(1) == "heading" ? SectionKind::heading : SectionKind::block,
                   static_cast<int>(row.int64(2)), row.text(3), row.text(4)});
  return out;
}

// Saves the rules and resolves them into recipients. Recipients that already took part
// (a Stellungnahme row exists) stay, whatever the new rules say: what they wrote must keep
// its organisation's place on the board and in the Abwägung.
Status save_addressees(db::Connection& tx, std::int64_t id,
                       const std::vector<AddresseeRule>& rules) {
  AH_TRY_STATUS(tx.query("DELETE FROM consultation_addressees WHERE consultation_id = $1",
                         {Value{id}}));
  AH_TRY_STATUS(tx.query("DELETE FROM consultation_recipients WHERE consultation_id = $1 AND"
                         " org_id NOT IN (SELECT org_id FROM consultation_statements"
                         " WHERE consultation_id = $1)",
                         {Value{id}}));
  std::int64_t position = 0;
  for (const auto& rule : rules) {
    AH_TRY_STATUS(tx.query("INSERT INTO consultation_addressees (consultation_id, position,"
                           " kind, kreis_ags, ref) VALUES ($1, $2, $3, $4, $5)",
                           {Value{id}, Value{++position}, Value{std::string(to_string(rule.kind))},
                            Value{rule.kreis_ags}, Value{rule.ref}}));
    // Each rule as a query for organisation ids ($2 its argument, if it has one).
    std::string select;
    std::vector<Value> args{Value{id}};
    switch (rule.kind) {
      case AddresseeKind::all_gemeinden:
        select = "SELECT id FROM organisations WHERE type IN ('gemeinde', 'kreisfreie_stadt')";
        break;
      case AddresseeKind::kreis:
        select = "SELECT id FROM organisations WHERE type IN ('gemeinde', 'kreisfreie_stadt')"
                 " AND kreis_ags = $2";
        args.emplace_back(rule.kreis_ags);
        break;
      case AddresseeKind::organisation:
        select = "SELECT id FROM organisations WHERE id = $2";
        args.emplace_back(rule.ref);
        break;
      case AddresseeKind::group:
        // The organisations the group's members work for, as they are today.
        select = "SELECT DISTINCT m.org_id AS id FROM space_roles g JOIN org_memberships m"
                 " ON m.account_id = g.account_id AND m.state = 'active'"
                 " WHERE g.space_kind = 'group' AND g.space_id = $2";
        args.emplace_back(rule.ref);
        break;
    }
    AH_TRY_STATUS(tx.query("INSERT INTO consultation_recipients (consultation_id, org_id) "
                           "SELECT $1, x.id FROM (" + select + ") x WHERE true ON CONFLICT DO NOTHING",
                           args));
  }
  return {};
}

// Locks the organisation's Stellungnahme row of the round for a change, creating it when
// missing: an UPDATE that finds it unreleased holds the row until commit, so a release and
// a comment never interleave. Returns its id; conflict consultations_error_released.
Result<std::int64_t> lock_open_statement(db::Connection& tx, std::int64_t id,
                                         std::int64_t round_id, std::int64_t org_id,
                                         std::int64_t by, std::int64_t now) {
  AH_TRY_STATUS(tx.query("INSERT INTO consultation_statements (consultation_id, round_id, org_id,"
                         " body, updated_by, updated_at) VALUES ($1, $2, $3, '', $4, $5)"
                         " ON CONFLICT (round_id, org_id) DO NOTHING",
                         {Value{id}, Value{round_id}, Value{org_id}, Value{by}, Value{now}}));
  AH_TRY(locked, tx.query("UPDATE consultation_statements SET updated_at = updated_at"
                          " WHERE round_id = $1 AND org_id = $2 AND released_at IS NULL"
                          " RETURNING id",
                          {Value{round_id}, Value{org_id}}));
  if (locked.rows.empty()) return std::unexpected(refused("consultations_error_released"));
  return locked.rows[0].int64(0);
}

Status require_recipient(db::Connection& tx, std::int64_t id, std::int64_t org_id) {
  AH_TRY(rs, tx.query("SELECT 1 FROM consultation_recipients WHERE consultation_id = $1"
                      " AND org_id = $2",
                      {Value{id}, Value{org_id}}));
  if (rs.rows.empty()) return std::unexpected(refused("consultations_error_not_addressed"));
  return {};
}

// Whitespace runs as one blank, so that a passage selected in the browser (where line
// breaks of the source became spaces) is found in the section's Markdown.
std::string squeezed(std::string_view s) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

Status touch(db::Connection& tx, std::int64_t id, std::int64_t now) {
  AH_TRY_STATUS(tx.query("UPDATE consultations SET updated_at = $2 WHERE id = $1",
                         {Value{id}, Value{now}}));
  return {};
}

// Placeholders $first … for `n` values: "$3, $4, $5".
std::string placeholders(std::size_t first, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

}  // namespace

std::string_view to_string(Openness o) { return kOpenness[static_cast<std::size_t>(o)]; }
std::optional<Openness> openness_from_string(std::string_view s) {
  return from_names<Openness>(s, kOpenness);
}
std::string_view to_string(AddresseeKind k) { return kAddresseeKinds[static_cast<std::size_t>(k)]; }
std::optional<AddresseeKind> addressee_kind_from_string(std::string_view s) {
  return from_names<AddresseeKind>(s, kAddresseeKinds);
}
std::string_view to_string(Verdict v) { return kVerdicts[static_cast<std::size_t>(v)]; }
std::optional<Verdict> verdict_from_string(std::string_view s) {
  return from_names<Verdict>(s, kVerdicts);
}
std::string_view to_string(Phase p) { return kPhases[static_cast<std::size_t>(p)]; }

Phase Consultation::phase(std::int64_t now) const {
  return published_at ? Phase::published : now < deadline ? Phase::open : Phase::weighing;
}
Phase Round::phase(std::int64_t now) const {
  return published_at ? Phase::published : now < deadline ? Phase::open : Phase::weighing;
}

Errors validate(const NewConsultation& c, std::int64_t now) {
  Errors errors;
  check_common(c.title, c.summary, c.addressees, c.openness, c.deadline, now, errors);
  for (auto& e : check_round(c.body, c.deadline, now))
    if (e.first != "deadline") errors.push_back(std::move(e));
  if (c.author_org.has_value() == c.author_group.has_value())
    errors.emplace_back("author", "consultations_error_author");
  return errors;
}

Errors validate(const Settings& s, std::int64_t now) {
  Errors errors;
  check_common(s.title, s.summary, s.addressees, s.openness, s.deadline, now, errors);
  return errors;
}

Result<std::int64_t> ConsultationStore::create(const NewConsultation& c, std::int64_t now,
                                               const AlsoInTransaction& also) {
  if (auto errors = validate(c, now); !errors.empty())
    return std::unexpected(invalid(errors.front().second));
  auto sections = split_sections(c.body, {});
  if (sections.empty()) return std::unexpected(invalid("consultations_error_body"));
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(rs, tx.query("INSERT INTO consultations (title, summary, author_org_id,"
                        " author_group_id, openness, current_round, highest_anchor, created_by,"
                        " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $8)"
                        " RETURNING id",
                        {Value{c.title}, Value{c.summary},
                         c.author_org ? Value{*c.author_org} : Value{nullptr},
                         c.author_group ? Value{*c.author_group} : Value{nullptr},
                         Value{std::string(to_string(c.openness))},
                         Value{highest_anchor(sections)}, Value{c.created_by}, Value{now}}));
    const std::int64_t id = rs.rows[0].int64(0);
    AH_TRY(round, tx.query("INSERT INTO consultation_rounds (consultation_id, number, body, note,"
                           " opened_at, deadline, created_by) VALUES ($1, 1, $2, '', $3, $4, $5)"
                           " RETURNING id",
                           {Value{id}, Value{c.body}, Value{now}, Value{c.deadline},
                            Value{c.created_by}}));
    AH_TRY_STATUS(insert_sections(tx, round.rows[0].int64(0), sections));
    AH_TRY_STATUS(save_addressees(tx, id, c.addressees));
    AH_TRY_STATUS(tx.query("INSERT INTO space_roles (space_kind, space_id, account_id, role,"
                           " granted_at) VALUES ('consultation', $1, $2, 'owner', $3)",
                           {Value{id}, Value{c.created_by}, Value{now}}));
    if (also) AH_TRY_STATUS(also(tx, id));
    return id;
  });
}

Status ConsultationStore::update(std::int64_t id, const Settings& s, std::int64_t now) {
  if (auto errors = validate(s, now); !errors.empty())
    return std::unexpected(invalid(errors.front().second));
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(round, current_round(tx, id));
    if (round.phase(now) != Phase::open)
      return std::unexpected(refused("consultations_error_closed"));
    AH_TRY_STATUS(tx.query("UPDATE consultations SET title = $2, summary = $3, openness = $4,"
                           " updated_at = $5 WHERE id = $1",
                           {Value{id}, Value{s.title}, Value{s.summary},
                            Value{std::string(to_string(s.openness))}, Value{now}}));
    AH_TRY_STATUS(tx.query("UPDATE consultation_rounds SET deadline = $2 WHERE id = $1",
                           {Value{round.id}, Value{s.deadline}}));
    return save_addressees(tx, id, s.addressees);
  });
}

Result<std::int64_t> ConsultationStore::new_round(std::int64_t id, const std::string& body,
                                                  const std::string& note, std::int64_t deadline,
                                                  std::int64_t by, std::int64_t now) {
  auto errors = check_round(body, deadline, now);
  if (note.size() > kMaxNote) errors.emplace_back("note", "consultations_error_note_long");
  if (!errors.empty()) return std::unexpected(invalid(errors.front().second));
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(round, current_round(tx, id));
    if (round.phase(now) == Phase::open)
      return std::unexpected(refused("consultations_error_round_open"));
    AH_TRY(previous, sections_of(tx, round.id));
    AH_TRY(floor, tx.query("SELECT highest_anchor FROM consultations WHERE id = $1", {Value{id}}));
    auto sections = split_sections(body, previous, floor.rows[0].int64(0));
    if (sections.empty()) return std::unexpected(invalid("consultations_error_body"));
    const std::int64_t number = round.number + 1;
    AH_TRY(rs, tx.query("INSERT INTO consultation_rounds (consultation_id, number, body, note,"
                        " opened_at, deadline, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                        " RETURNING id",
                        {Value{id}, Value{number}, Value{body}, Value{note}, Value{now},
                         Value{deadline}, Value{by}}));
    AH_TRY_STATUS(insert_sections(tx, rs.rows[0].int64(0), sections));
    AH_TRY_STATUS(tx.query("UPDATE consultations SET current_round = $2, updated_at = $3,"
                           " highest_anchor = $4 WHERE id = $1 AND current_round = $5",
                           {Value{id}, Value{number}, Value{now},
                            Value{std::max(floor.rows[0].int64(0), highest_anchor(sections))},
                            Value{round.number}}));
    return number;
  });
}

Result<Consultation> ConsultationStore::find(std::int64_t id) const {
  AH_TRY(rs, db_.query(std::string(kConsultationColumns) + "WHERE c.id = $1", {Value{id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "consultations_error_not_found");
  Consultation c = consultation_from_row(rs.rows[0]);
  AH_TRY(rules, db_.query("SELECT a.kind, a.kreis_ags, a.ref,"
                          " COALESCE(k.name, o.name, g.name, '')"
                          " FROM consultation_addressees a"
                          " LEFT JOIN organisations k ON a.kind = 'kreis' AND k.ags = a.kreis_ags"
                          " LEFT JOIN organisations o ON a.kind = 'organisation' AND o.id = a.ref"
                          " LEFT JOIN work_groups g ON a.kind = 'arbeitsgruppe' AND g.id = a.ref"
                          " WHERE a.consultation_id = $1 ORDER BY a.position",
                          {Value{id}}));
  for (const auto& row : rules.rows)
    c.addressees.push_back(
        {addressee_kind_from_string(row.text(0)).value_or(AddresseeKind::organisation),
         row.text(1), row.int64(2), row.text(3)});
  return c;
}

Result<ConsultationPage> ConsultationStore::list(const ListFilter& filter, std::int64_t now,
                                                 std::string_view cursor, int limit) const {
  std::string sql = std::string(kConsultationColumns) + "WHERE c.id < $1";
  std::vector<Value> args{Value{std::int64_t{INT64_MAX}}};
  if (!cursor.empty()) {
    AH_TRY(after, db::decode_cursor(cursor));
    args[0] = Value{after.id};
  }
  if (!filter.signed_in_staff) sql += " AND c.openness <> 'intern'";
  if (filter.author_org) {
    args.emplace_back(*filter.author_org);
    sql += " AND c.author_org_id = $" + std::to_string(args.size());
  }
  if (!filter.addressed_to.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM consultation_recipients x WHERE x.consultation_id = c.id"
           " AND x.org_id IN (" + placeholders(args.size() + 1, filter.addressed_to.size()) + "))";
    for (auto org : filter.addressed_to) args.emplace_back(org);
  }
  if (filter.involving) {
    args.emplace_back(*filter.involving);
    const std::string org = "$" + std::to_string(args.size());
    sql += " AND (c.author_org_id = " + org +
           " OR EXISTS (SELECT 1 FROM consultation_recipients y WHERE y.consultation_id = c.id"
           " AND y.org_id = " + org + "))";
  }
  if (filter.open_only) {
    args.emplace_back(now);
    sql += " AND r.published_at IS NULL AND r.deadline > $" + std::to_string(args.size());
  }
  args.emplace_back(std::int64_t{limit + 1});
  sql += " ORDER BY c.id DESC LIMIT $" + std::to_string(args.size());
  AH_TRY(rs, db_.query(sql, args));
  ConsultationPage page;
  for (const auto& row : rs.rows) page.items.push_back(consultation_from_row(row));
  if (page.items.size() > static_cast<std::size_t>(limit)) {
    page.items.pop_back();
    page.next_cursor = db::encode_cursor("", page.items.back().id);
  }
  return page;
}

Result<Round> ConsultationStore::round(std::int64_t id, std::int64_t number) const {
  return db_.transaction([&](db::Connection& tx) -> Result<Round> {
    AH_TRY(rs, tx.query("SELECT id, number, body, note, opened_at, deadline, published_at"
                        " FROM consultation_rounds WHERE consultation_id = $1 AND number = $2",
                        {Value{id}, Value{number}}));
    if (rs.rows.empty()) return fail(ErrorCode::not_found, "consultations_error_not_found");
    const auto& row = rs.rows[0];
    Round r{row.int64(0), id, row.int64(1), row.text(2), row.text(3), row.int64(4), row.int64(5),
            {}, {}};
    if (!row.is_null(6)) r.published_at = row.int64(6);
    AH_TRY(sections, sections_of(tx, r.id));
    r.sections = std::move(sections);
    return r;
  });
}

Result<std::vector<Round>> ConsultationStore::rounds(std::int64_t id) const {
  AH_TRY(rs, db_.query("SELECT id, number, note, opened_at, deadline, published_at"
                       " FROM consultation_rounds WHERE consultation_id = $1 ORDER BY number",
                       {Value{id}}));
  std::vector<Round> out;
  for (const auto& row : rs.rows) {
    Round r{row.int64(0), id, row.int64(1), {}, row.text(2), row.int64(3), row.int64(4), {}, {}};
    if (!row.is_null(5)) r.published_at = row.int64(5);
    out.push_back(std::move(r));
  }
  return out;
}

Result<bool> ConsultationStore::is_recipient(std::int64_t id, std::int64_t org_id) const {
  AH_TRY(found, recipients_among(id, {org_id}));
  return !found.empty();
}

Result<std::vector<std::int64_t>> ConsultationStore::recipients_among(
    std::int64_t id, const std::vector<std::int64_t>& orgs) const {
  if (orgs.empty()) return std::vector<std::int64_t>{};
  std::vector<Value> args{Value{id}};
  for (auto org : orgs) args.emplace_back(org);
  AH_TRY(rs, db_.query("SELECT org_id FROM consultation_recipients WHERE consultation_id = $1"
                       " AND org_id IN (" + placeholders(2, orgs.size()) + ")",
                       args));
  std::set<std::int64_t> found;
  for (const auto& row : rs.rows) found.insert(row.int64(0));
  std::vector<std::int64_t> out;
  for (auto org : orgs)
    if (found.contains(org)) out.push_back(org);
  return out;
}

Result<std::vector<std::int64_t>> ConsultationStore::recipient_staff(std::int64_t id) const {
  AH_TRY(rs, db_.query("SELECT DISTINCT m.account_id FROM consultation_recipients x"
                       " JOIN org_memberships m ON m.org_id = x.org_id AND m.state = 'active'"
                       " WHERE x.consultation_id = $1 ORDER BY m.account_id",
                       {Value{id}}));
  std::vector<std::int64_t> out;
  for (const auto& row : rs.rows) out.push_back(row.int64(0));
  return out;
}

Result<std::vector<RecipientStatus>> ConsultationStore::board(std::int64_t id) const {
  AH_TRY(rs, db_.query(
                 "SELECT o.id, o.name, COALESCE(o.ags, ''),"
                 " (SELECT COUNT(*) FROM consultation_comments k WHERE k.round_id = r.id"
                 "   AND k.org_id = o.id),"
                 " t.id, t.released_at"
                 " FROM consultation_recipients x"
                 " JOIN consultations c ON c.id = x.consultation_id"
                 " JOIN consultation_rounds r ON r.consultation_id = c.id"
                 "   AND r.number = c.current_round"
                 " JOIN organisations o ON o.id = x.org_id"
                 " LEFT JOIN consultation_statements t ON t.round_id = r.id AND t.org_id = o.id"
                 " WHERE x.consultation_id = $1 ORDER BY o.name_key, o.id",
                 {Value{id}}));
  std::vector<RecipientStatus> out;
  for (const auto& row : rs.rows) {
    RecipientStatus s;
    s.org_id = row.int64(0);
    s.org_name = row.text(1);
    s.org_key = row.text(2).empty() ? "o" + std::to_string(s.org_id) : row.text(2);
    s.comments = row.int64(3);
    if (!row.is_null(5))
      s.released_at = row.int64(5);
    else
      s.drafting = !row.is_null(4);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::int64_t> ConsultationStore::comment(std::int64_t id, std::string_view anchor,
                                                const NewComment& c, std::int64_t author,
                                                std::int64_t now) {
  Errors errors;
  check_text(c.body, kMaxComment, "body", "consultations_error_comment",
             "consultations_error_comment_long", errors);
  if (c.amendment.size() > kMaxComment) errors.emplace_back("amendment", "consultations_error_amendment_long");
  if (c.passage.size() > kMaxComment) errors.emplace_back("passage", "consultations_error_passage");
  if (!errors.empty()) return std::unexpected(invalid(errors.front().second));
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(round, current_round(tx, id));
    if (round.phase(now) != Phase::open)
      return std::unexpected(refused("consultations_error_closed"));
    AH_TRY(section, tx.query("SELECT id, text FROM consultation_sections WHERE round_id = $1"
                             " AND anchor = $2",
                             {Value{round.id}, Value{std::string(anchor)}}));
    if (section.rows.empty()) return fail(ErrorCode::not_found, "consultations_error_no_section");
    const std::string& text = section.rows[0].text(1);
    if (!blank(c.passage) && squeezed(text).find(squeezed(c.passage)) == std::string::npos)
      return std::unexpected(invalid("consultations_error_passage"));
    // The form offers the section's wording to edit; sent back unchanged it is no proposal.
    const bool amended = !blank(c.amendment) && squeezed(c.amendment) != squeezed(text);
    if (c.org_id) {
      AH_TRY_STATUS(require_recipient(tx, id, *c.org_id));
      AH_TRY_STATUS(lock_open_statement(tx, id, round.id, *c.org_id, author, now));
    } else {
      AH_TRY(open, tx.query("SELECT openness FROM consultations WHERE id = $1", {Value{id}}));
      if (open.rows[0].text(0) != to_string(Openness::public_comments))
        return std::unexpected(refused("consultations_error_not_addressed"));
    }
    AH_TRY(rs, tx.query("INSERT INTO consultation_comments (consultation_id, round_id, section_id,"
                        " author_id, org_id, passage, amendment, body, supports, created_at)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING id",
                        {Value{id}, Value{round.id}, Value{section.rows[0].int64(0)},
                         Value{author}, c.org_id ? Value{*c.org_id} : Value{nullptr},
                         Value{blank(c.passage) ? std::string() : c.passage},
                         Value{amended ? c.amendment : std::string()}, Value{c.body},
                         Value{now}}));
    AH_TRY_STATUS(touch(tx, id, now));
    return rs.rows[0].int64(0);
  });
}

Status ConsultationStore::withdraw_comment(std::int64_t comment_id, std::int64_t author,
                                           std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(rs, tx.query("SELECT consultation_id, round_id, org_id, author_id"
                        " FROM consultation_comments WHERE id = $1",
                        {Value{comment_id}}));
    if (rs.rows.empty() || rs.rows[0].is_null(3) || rs.rows[0].int64(3) != author)
      return fail(ErrorCode::not_found, "consultations_error_no_comment");
    const auto id = rs.rows[0].int64(0);
    AH_TRY(round, current_round(tx, id));
    if (round.id != rs.rows[0].int64(1) || round.phase(now) != Phase::open)
      return std::unexpected(refused("consultations_error_closed"));
    if (!rs.rows[0].is_null(2))
      AH_TRY_STATUS(lock_open_statement(tx, id, round.id, rs.rows[0].int64(2), author, now));
    AH_TRY_STATUS(tx.query("DELETE FROM consultation_comments WHERE id = $1", {Value{comment_id}}));
    return {};
  });
}

Result<Comment> ConsultationStore::find_comment(std::int64_t comment_id,
                                                std::int64_t reader) const {
  AH_TRY(rs, db_.query(std::string(kCommentColumns) + "WHERE k.id = $2",
                       {Value{reader}, Value{comment_id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "consultations_error_no_comment");
  return comment_from_row(rs.rows[0]);
}

Status ConsultationStore::support(std::int64_t comment_id, std::int64_t account, bool on,
                                  std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(rs, tx.query("SELECT consultation_id, round_id, author_id FROM consultation_comments"
                        " WHERE id = $1",
                        {Value{comment_id}}));
    if (rs.rows.empty()) return fail(ErrorCode::not_found, "consultations_error_no_comment");
    AH_TRY(round, current_round(tx, rs.rows[0].int64(0)));
    if (round.id != rs.rows[0].int64(1) || round.phase(now) != Phase::open)
      return std::unexpected(refused("consultations_error_closed"));
    if (!rs.rows[0].is_null(2) && rs.rows[0].int64(2) == account)
      return std::unexpected(refused("consultations_error_own_comment"));
    AH_TRY(changed,
           on ? tx.query("INSERT INTO consultation_supports (comment_id, account_id, created_at)"
                         " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                         {Value{comment_id}, Value{account}, Value{now}})
              : tx.query("DELETE FROM consultation_supports WHERE comment_id = $1"
                         " AND account_id = $2",
                         {Value{comment_id}, Value{account}}));
    if (changed.affected_rows > 0)
      AH_TRY_STATUS(tx.query("UPDATE consultation_comments SET supports = supports + $2"
                             " WHERE id = $1",
                             {Value{comment_id}, Value{std::int64_t{on ? 1 : -1}}}));
    return {};
  });
}

Result<std::vector<Comment>> ConsultationStore::comments(std::int64_t id, std::int64_t round,
                                                         std::string_view anchor,
                                                         std::int64_t reader) const {
  std::string sql = std::string(kCommentColumns) +
                    "JOIN consultations c ON c.id = k.consultation_id"
                    " WHERE k.consultation_id = $2 AND r.number = "
                    "CASE WHEN $3 = 0 THEN c.current_round ELSE $3 END";
  std::vector<Value> args{Value{reader}, Value{id}, Value{round}};
  if (!anchor.empty()) {
    args.emplace_back(std::string(anchor));
    sql += " AND s.anchor = $4";
  }
  sql += " ORDER BY s.position, k.id";
  AH_TRY(rs, db_.query(sql, args));
  std::vector<Comment> out;
  for (const auto& row : rs.rows) out.push_back(comment_from_row(row));
  return out;
}

Result<std::map<std::string, std::int64_t, std::less<>>> ConsultationStore::comment_counts(
    std::int64_t id, std::int64_t round) const {
  AH_TRY(rs, db_.query("SELECT s.anchor, COUNT(*) FROM consultation_comments k"
                       " JOIN consultation_rounds r ON r.id = k.round_id"
                       " JOIN consultation_sections s ON s.id = k.section_id"
                       " JOIN consultations c ON c.id = k.consultation_id"
                       " WHERE k.consultation_id = $1"
                       " AND r.number = CASE WHEN $2 = 0 THEN c.current_round ELSE $2 END"
                       " GROUP BY s.anchor",
                       {Value{id}, Value{round}}));
  std::map<std::string, std::int64_t, std::less<>> out;
  for (const auto& row : rs.rows) out.emplace(row.text(0), row.int64(1));
  return out;
}

Result<std::optional<Statement>> ConsultationStore::statement(std::int64_t id,
                                                              std::int64_t org_id) const {
  AH_TRY(rs, db_.query(std::string(kStatementColumns) +
                           "JOIN consultations c ON c.id = t.consultation_id"
                           " WHERE t.consultation_id = $1 AND t.org_id = $2"
                           " AND r.number = c.current_round",
                       {Value{id}, Value{org_id}}));
  if (rs.rows.empty()) return std::optional<Statement>{};
  return std::optional<Statement>{statement_from_row(rs.rows[0])};
}

Result<std::vector<Statement>> ConsultationStore::released_statements(std::int64_t id,
                                                                      std::int64_t round) const {
  AH_TRY(rs, db_.query(std::string(kStatementColumns) +
                           "JOIN consultations c ON c.id = t.consultation_id"
                           " WHERE t.consultation_id = $1 AND t.released_at IS NOT NULL"
                           " AND r.number = CASE WHEN $2 = 0 THEN c.current_round ELSE $2 END"
                           " ORDER BY o.name_key, o.id",
                       {Value{id}, Value{round}}));
  std::vector<Statement> out;
  for (const auto& row : rs.rows) out.push_back(statement_from_row(row));
  return out;
}

Status ConsultationStore::save_statement(std::int64_t id, std::int64_t org_id,
                                         const std::string& body, std::int64_t by,
                                         std::int64_t now) {
  if (body.size() > kMaxStatement) return std::unexpected(invalid("consultations_error_statement_long"));
  if (!blank(body))
    if (auto problem = web::rich_text_problem(body)) return std::unexpected(invalid(*problem));
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(round, current_round(tx, id));
    if (round.phase(now) != Phase::open)
      return std::unexpected(refused("consultations_error_closed"));
    AH_TRY_STATUS(require_recipient(tx, id, org_id));
    AH_TRY(statement, lock_open_statement(tx, id, round.id, org_id, by, now));
    AH_TRY_STATUS(tx.query("UPDATE consultation_statements SET body = $2, updated_by = $3,"
                           " updated_at = $4 WHERE id = $1",
                           {Value{statement}, Value{body}, Value{by}, Value{now}}));
    return touch(tx, id, now);
  });
}

Status ConsultationStore::release_statement(std::int64_t id, std::int64_t org_id, std::int64_t by,
                                            std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(round, current_round(tx, id));
    if (round.phase(now) != Phase::open)
      return std::unexpected(refused("consultations_error_closed"));
    AH_TRY_STATUS(require_recipient(tx, id, org_id));
    AH_TRY(statement, lock_open_statement(tx, id, round.id, org_id, by, now));
    AH_TRY(content, tx.query("SELECT body, (SELECT COUNT(*) FROM consultation_comments"
                             " WHERE round_id = $2 AND org_id = $3)"
                             " FROM consultation_statements WHERE id = $1",
                             {Value{statement}, Value{round.id}, Value{org_id}}));
    if (blank(content.rows[0].text(0)) && content.rows[0].int64(1) == 0)
      return std::unexpected(invalid("consultations_error_statement_empty"));
    AH_TRY_STATUS(tx.query("UPDATE consultation_statements SET released_at = $2, released_by = $3"
                           " WHERE id = $1",
                           {Value{statement}, Value{now}, Value{by}}));
    return touch(tx, id, now);
  });
}

Status ConsultationStore::answer(std::int64_t id, Point point, Verdict verdict,
                                 const std::string& reason, std::int64_t by, std::int64_t now) {
  if (verdict != Verdict::noted && blank(reason))
    return std::unexpected(invalid("consultations_error_reason"));
  if (reason.size() > kMaxReason) return std::unexpected(invalid("consultations_error_reason_long"));
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY(round, current_round(tx, id));
    if (round.phase(now) == Phase::open)
      return std::unexpected(refused("consultations_error_round_open"));
    // Holds the round against a concurrent publication until this answer is in.
    AH_TRY(held, tx.query("UPDATE consultation_rounds SET published_at = published_at"
                          " WHERE id = $1 AND published_at IS NULL",
                          {Value{round.id}}));
    if (held.affected_rows == 0) return std::unexpected(refused("consultations_error_published"));
    const bool about_comment = point.kind == Point::Kind::comment;
    AH_TRY(found,
           tx.query(about_comment ? "SELECT 1 FROM consultation_comments WHERE id = $1"
                                    " AND round_id = $2"
                                  : "SELECT 1 FROM consultation_statements WHERE id = $1"
                                    " AND round_id = $2 AND released_at IS NOT NULL",
                    {Value{point.id}, Value{round.id}}));
    if (found.rows.empty()) return fail(ErrorCode::not_found, "consultations_error_no_comment");
    AH_TRY_STATUS(tx.query(std::string("DELETE FROM consultation_answers WHERE ") +
                               (about_comment ? "comment_id" : "statement_id") + " = $1",
                           {Value{point.id}}));
    AH_TRY_STATUS(tx.query("INSERT INTO consultation_answers (round_id, comment_id, statement_id,"
                           " verdict, reason, answered_by, answered_at)"
                           " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                           {Value{round.id}, about_comment ? Value{point.id} : Value{nullptr},
                            about_comment ? Value{nullptr} : Value{point.id},
                            Value{std::string(to_string(verdict))}, Value{reason}, Value{by},
                            Value{now}}));
    return {};
  });
}

namespace {

// Comments and released Stellungnahmen of the round without an answer.
Result<std::int64_t> unanswered_in(db::Connection& tx, std::int64_t round_id) {
  AH_TRY(rs, tx.query("SELECT (SELECT COUNT(*) FROM consultation_comments k WHERE k.round_id = $1"
                      "   AND NOT EXISTS (SELECT 1 FROM consultation_answers w"
                      "   WHERE w.comment_id = k.id))"
                      " + (SELECT COUNT(*) FROM consultation_statements t WHERE t.round_id = $1"
                      "   AND t.released_at IS NOT NULL AND t.body <> ''"
                      "   AND NOT EXISTS (SELECT 1 FROM consultation_answers w"
                      "   WHERE w.statement_id = t.id))",
                      {Value{round_id}}));
  return rs.rows[0].int64(0);
}

}  // namespace

Result<std::int64_t> ConsultationStore::unanswered(std::int64_t id) const {
  return db_.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    AH_TRY(round, current_round(tx, id));
    return unanswered_in(tx, round.id);
  });
}

Result<std::vector<std::int64_t>> ConsultationStore::publish_abwaegung(std::int64_t id,
                                                                       std::int64_t by,
                                                                       std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Result<std::vector<std::int64_t>> {
    AH_TRY(round, current_round(tx, id));
    if (round.phase(now) == Phase::open)
      return std::unexpected(refused("consultations_error_round_open"));
    AH_TRY(held, tx.query("UPDATE consultation_rounds SET published_at = $2, published_by = $3"
                          " WHERE id = $1 AND published_at IS NULL",
                          {Value{round.id}, Value{now}, Value{by}}));
    if (held.affected_rows == 0) return std::unexpected(refused("consultations_error_published"));
    AH_TRY(open, unanswered_in(tx, round.id));
    if (open > 0) return std::unexpected(refused("consultations_error_unanswered"));
    AH_TRY(rs, tx.query("SELECT author_id FROM consultation_comments WHERE round_id = $1"
                        " AND author_id IS NOT NULL"
                        " UNION SELECT p.account_id FROM consultation_supports p"
                        " JOIN consultation_comments k ON k.id = p.comment_id WHERE k.round_id = $1"
                        " UNION SELECT updated_by FROM consultation_statements WHERE round_id = $1"
                        " AND updated_by IS NOT NULL"
                        " UNION SELECT released_by FROM consultation_statements WHERE round_id = $1"
                        " AND released_by IS NOT NULL",
                        {Value{round.id}}));
    AH_TRY_STATUS(touch(tx, id, now));
    std::vector<std::int64_t> out;
    for (const auto& row : rs.rows) out.push_back(row.int64(0));
    std::sort(out.begin(), out.end());
    return out;
  });
}

Result<std::vector<std::int64_t>> ConsultationStore::remind(std::int64_t id, std::int64_t by,
                                                            std::int64_t now) {
  return db_.transaction([&](db::Connection& tx) -> Result<std::vector<std::int64_t>> {
    AH_TRY(round, current_round(tx, id));
    if (round.phase(now) != Phase::open)
      return std::unexpected(refused("consultations_error_closed"));
    AH_TRY(recent, tx.query("SELECT 1 FROM consultation_reminders WHERE round_id = $1"
                            " AND sent_at > $2",
                            {Value{round.id}, Value{now - 24 * 3600}}));
    if (!recent.rows.empty()) return std::unexpected(refused("consultations_error_reminded"));
    AH_TRY(rs, tx.query("SELECT DISTINCT m.account_id FROM consultation_recipients x"
                        " JOIN org_memberships m ON m.org_id = x.org_id AND m.state = 'active'"
                        " WHERE x.consultation_id = $1 AND NOT EXISTS (SELECT 1"
                        " FROM consultation_statements t WHERE t.round_id = $2"
                        " AND t.org_id = x.org_id AND t.released_at IS NOT NULL)"
                        " ORDER BY m.account_id",
                        {Value{id}, Value{round.id}}));
    std::vector<std::int64_t> out;
    for (const auto& row : rs.rows) out.push_back(row.int64(0));
    AH_TRY_STATUS(tx.query("INSERT INTO consultation_reminders (round_id, sent_at, sent_by,"
                           " recipients) VALUES ($1, $2, $3, $4)",
                           {Value{round.id}, Value{now}, Value{by},
                            Value{static_cast<std::int64_t>(out.size())}}));
    return out;
  });
}

Result<std::optional<std::int64_t>> ConsultationStore::last_reminder(std::int64_t id) const {
  AH_TRY(rs, db_.query("SELECT MAX(m.sent_at) FROM consultation_reminders m"
                       " JOIN consultation_rounds r ON r.id = m.round_id"
                       " JOIN consultations c ON c.id = r.consultation_id"
                       " AND r.number = c.current_round WHERE c.id = $1",
                       {Value{id}}));
  if (rs.rows.empty() || rs.rows[0].is_null(0)) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rs.rows[0].int64(0)};
}

Result<std::vector<std::pair<Consultation, std::vector<std::string>>>> ConsultationStore::open_for(
    std::int64_t account, std::int64_t now) const {
  AH_TRY(rs, db_.query(std::string(kConsultationColumns) +
                           "JOIN consultation_recipients x ON x.consultation_id = c.id"
                           " JOIN org_memberships m ON m.org_id = x.org_id AND m.state = 'active'"
                           " AND m.account_id = $1"
                           " JOIN organisations mo ON mo.id = x.org_id"
                           " WHERE r.published_at IS NULL AND r.deadline > $2 AND NOT EXISTS"
                           " (SELECT 1 FROM consultation_statements t WHERE t.round_id = r.id"
                           " AND t.org_id = x.org_id AND t.released_at IS NOT NULL)"
                           " ORDER BY r.deadline, c.id, mo.name_key",
                       {Value{account}, Value{now}}));
  AH_TRY(names, db_.query("SELECT x.consultation_id, o.name FROM consultation_recipients x"
                          " JOIN org_memberships m ON m.org_id = x.org_id AND m.state = 'active'"
                          " AND m.account_id = $1 JOIN organisations o ON o.id = x.org_id"
                          " ORDER BY o.name_key",
                          {Value{account}}));
  std::map<std::int64_t, std::vector<std::string>> orgs_of;
  for (const auto& row : names.rows) orgs_of[row.int64(0)].push_back(row.text(1));
  std::vector<std::pair<Consultation, std::vector<std::string>>> out;
  std::set<std::int64_t> seen;
  for (const auto& row : rs.rows) {
    auto c = consultation_from_row(row);
    if (!seen.insert(c.id).second) continue;
    out.emplace_back(c, orgs_of[c.id]);
  }
  return out;
}

}  // namespace ah::modules::consultations
