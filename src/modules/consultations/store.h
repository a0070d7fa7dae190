// Konsultationen: a draft text put out by an organisation (or a working group) to the
// organisations it concerns, who comment paragraph by paragraph and file one Stellungnahme
// each; after the deadline the author answers every point (the Abwägung).
//
//   ConsultationStore store(db);
//   AH_TRY(id, store.create({.title = "Erlass Breitband", .body = "# § 1 …", .author_org = land,
//                            .addressees = {{AddresseeKind::kreis, "15091"}},
//                            .deadline = t, .created_by = me}, now));
//   AH_TRY(c, store.comment(id, "a3", {.org_id = kemberg, .body = "…"}, clerk, now));
//   AH_TRY_STATUS(store.release_statement(id, kemberg, clerk, now));
//   AH_TRY_STATUS(store.answer(Target::comment(c), Verdict::adopted, "…", land_clerk, later));
//   AH_TRY(told, store.publish_abwaegung(id, land_clerk, later));   // notify `told`
//
// Rounds: round 1 is the first text; a revised text starts the next round (only after the
// deadline of the one before). Each round's text is cut into sections (sections.h) whose
// anchors continue those of the round before, so a comment stays attached to the section
// of the round it was written on, and the synopsis pairs the old and new wording.
//
// Addressees are rules (all Gemeinden, the Gemeinden of a Kreis, one organisation, the
// organisations of a working group's members), resolved when saved into the set of
// recipient organisations; only a recipient's staff comment for it and file its
// Stellungnahme, and the Stellungnahme of a round is final once released: the store refuses
// to change it or its organisation's comments of that round. The author organisation has
// no part in this as an addressee unless a rule names it; no organisation has a right here
// because of its type (the Land is a recipient like any Gemeinde).
//
// Error messages are catalogue keys (consultations_error_…).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"
#include "modules/consultations/sections.h"

namespace ah::modules::consultations {

// Migrations 10000–10099.
std::vector<db::Migration> consultations_migrations();

inline constexpr std::size_t kMaxTitle = 200, kMaxSummary = 2'000, kMaxBody = 200'000,
                             kMaxComment = 10'000, kMaxStatement = 50'000, kMaxReason = 10'000,
                             kMaxNote = 1'000;

// Who may read and who may comment besides the addressed organisations.
enum class Openness {
  internal,        // "intern": staff of any organisation read; addressees comment
  public_read,     // "lesbar": everyone reads; addressees comment
  public_comments  // "oeffentlich": everyone reads; signed-in citizens comment too
};
std::string_view to_string(Openness o);
std::optional<Openness> openness_from_string(std::string_view s);

enum class AddresseeKind { all_gemeinden, kreis, organisation, group };
std::string_view to_string(AddresseeKind k);
std::optional<AddresseeKind> addressee_kind_from_string(std::string_view s);

struct AddresseeRule {
  AddresseeKind kind = AddresseeKind::organisation;
  std::string kreis_ags;  // kind kreis: the Kreis's 5-digit key
  std::int64_t ref = 0;   // kind organisation: the organisation; kind group: the group
  std::string name;       // filled when read: "Landkreis Wittenberg", "AG Digitale …"
  friend bool operator==(const AddresseeRule& a, const AddresseeRule& b) {
    return a.kind == b.kind && a.kreis_ags == b.kreis_ags && a.ref == b.ref;
  }
};

// The Abwägung's answer to one point.
enum class Verdict { adopted, partly, rejected, noted };
std::string_view to_string(Verdict v);  // "uebernommen", "teilweise", "nicht_uebernommen", "kenntnis"
std::optional<Verdict> verdict_from_string(std::string_view s);

// Where a round stands at `now`.
enum class Phase {
  open,       // before the deadline: comments and statements
  weighing,   // after the deadline: the author answers
  published   // the Abwägung of the round is published
};
std::string_view to_string(Phase p);  // "offen", "abwaegung", "abgeschlossen"

struct Consultation {
  std::int64_t id = 0;
  std::string title, summary;
  std::optional<std::int64_t> author_org_id, author_group_id;  // exactly one
  std::string author_name, author_key;  // the organisation's name and key, or the group's name
  Openness openness = Openness::internal;
  std::int64_t current_round = 1;
  std::int64_t deadline = 0;                // of the current round
  std::optional<std::int64_t> published_at;  // the current round's Abwägung
  std::int64_t created_at = 0, updated_at = 0;
  std::vector<AddresseeRule> addressees;    // filled by find()
  Phase phase(std::int64_t now) const;
};

struct Round {
  std::int64_t id = 0, consultation_id = 0, number = 0;
  std::string body, note;
  std::int64_t opened_at = 0, deadline = 0;
  std::optional<std::int64_t> published_at;
  std::vector<Section> sections;  // in reading order
  Phase phase(std::int64_t now) const;
};

struct Answer {
  Verdict verdict = Verdict::noted;
  std::string reason;
  std::string answered_by;  // display name; "" when the account was erased
  std::int64_t answered_at = 0;
};

struct Comment {
  std::int64_t id = 0, consultation_id = 0, round_number = 0;
  std::string anchor, section_label;
  std::optional<std::int64_t> author_id;  // nullopt: the account was erased
  std::optional<std::string> author_name;
  std::optional<std::int64_t> org_id;     // nullopt: a citizen's comment
  std::string org_name;
  std::string passage;    // the selected part of the section's text; "" for the whole
  std::string amendment;  // a proposed wording of the section; "" for none
  std::string body;       // Markdown
  std::int64_t supports = 0;
  bool supported_by_reader = false;  // when read for an account
  bool final = false;  // its organisation's Stellungnahme of the round is released
  std::int64_t created_at = 0;
  std::optional<Answer> answer;
};

struct Statement {
  std::int64_t id = 0, consultation_id = 0, round_number = 0, org_id = 0;
  std::string org_name, org_key;
  std::string body;  // Markdown
  bool released = false;
  std::string updated_by, released_by;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> released_at;
  std::optional<Answer> answer;
};

// One addressed organisation on the author's board.
struct RecipientStatus {
  std::int64_t org_id = 0;
  std::string org_name, org_key;
  std::int64_t comments = 0;   // in the current round
  bool drafting = false;       // a Stellungnahme saved, not released
  std::optional<std::int64_t> released_at;
};

struct NewConsultation {
  std::string title, summary, body;
  std::optional<std::int64_t> author_org, author_group;  // exactly one
  Openness openness = Openness::internal;
  std::vector<AddresseeRule> addressees;
  std::int64_t deadline = 0;
  std::int64_t created_by = 0;
};

struct Settings {  // what the author may change later
  std::string title, summary;
  Openness openness = Openness::internal;
  std::vector<AddresseeRule> addressees;
  std::int64_t deadline = 0;  // of the current round; may move while it is open
};

struct NewComment {
  std::optional<std::int64_t> org_id;  // for which organisation; nullopt: as a citizen
  std::string passage, amendment, body;
};

// What an answer is about: a comment or a released Stellungnahme's text.
struct Point {
  enum class Kind { comment, statement } kind = Kind::comment;
  std::int64_t id = 0;
  static Point comment(std::int64_t id) { return {Kind::comment, id}; }
  static Point statement(std::int64_t id) { return {Kind::statement, id}; }
};

struct ListFilter {
  bool signed_in_staff = false;  // may see internal consultations
  std::optional<std::int64_t> author_org;
  std::vector<std::int64_t> addressed_to;  // any of these organisations is a recipient
  // Written by this organisation or addressed to it (an organisation's consultations, as
  // its feed and the API's ?organisation= show them).
  std::optional<std::int64_t> involving;
  bool open_only = false;
};

struct ConsultationPage {
  std::vector<Consultation> items;
  std::string next_cursor;
};

// Catalogue keys of what is wrong, by field.
std::vector<std::pair<std::string, std::string>> validate(const NewConsultation& c,
                                                          std::int64_t now);
std::vector<std::pair<std::string, std::string>> validate(const Settings& s, std::int64_t now);

class ConsultationStore {
 public:
  explicit ConsultationStore(db::Database& db) : db_(db) {}

  // Work a caller adds to create's transaction with the new consultation's id (its
  // attachments' rows); its error rolls the creation back.
  using AlsoInTransaction = std::function<Status(db::Connection&, std::int64_t id)>;

  // The consultation with round 1; its creator becomes the owner of its space
  // ("consultation"). invalid_input (first catalogue key).
  Result<std::int64_t> create(const NewConsultation& c, std::int64_t now,
                              const AlsoInTransaction& also = {});
  // Title, summary, openness, addressees (recipients resolved anew; an organisation that
  // already commented or drafted stays one) and the current round's deadline while it is
  // open. invalid_input; not_found; conflict consultations_error_closed.
  Status update(std::int64_t id, const Settings& s, std::int64_t now);
  // A revised text as the next round, after the current round's deadline. Returns its
  // number. invalid_input; not_found; conflict consultations_error_round_open.
  Result<std::int64_t> new_round(std::int64_t id, const std::string& body, const std::string& note,
                                 std::int64_t deadline, std::int64_t by, std::int64_t now);

  Result<Consultation> find(std::int64_t id) const;  // not_found
  Result<ConsultationPage> list(const ListFilter& filter, std::int64_t now, std::string_view cursor,
                                int limit) const;
  Result<Round> round(std::int64_t id, std::int64_t number) const;  // with sections; not_found
  Result<std::vector<Round>> rounds(std::int64_t id) const;         // without bodies, oldest first

  Result<bool> is_recipient(std::int64_t id, std::int64_t org_id) const;
  // Of `orgs`, those that are recipients, in the order given.
  Result<std::vector<std::int64_t>> recipients_among(std::int64_t id,
                                                     const std::vector<std::int64_t>& orgs) const;
  // The active staff of every recipient (to tell them that a consultation or round opened).
  Result<std::vector<std::int64_t>> recipient_staff(std::int64_t id) const;
  // Every recipient with what it has done in the current round, by name.
  Result<std::vector<RecipientStatus>> board(std::int64_t id) const;

  // A comment on the current round's section `anchor`. The caller checked that the author
  // may speak for `c.org_id` (statement.draft); the store checks the rest: the round is
  // open, the organisation is a recipient and has not released, a citizen comment needs
  // Openness::public_comments, the passage is part of the section's text. An amendment
  // equal to the section's wording (whitespace aside) is no amendment and is dropped.
  // invalid_input; not_found; conflict.
  Result<std::int64_t> comment(std::int64_t id, std::string_view anchor, const NewComment& c,
                               std::int64_t author, std::int64_t now);
  // The author takes back their comment while the round is open and it is not final.
  Status withdraw_comment(std::int64_t comment_id, std::int64_t author, std::int64_t now);
  Result<Comment> find_comment(std::int64_t comment_id, std::int64_t reader) const;
  // Support counts once per person; only while the round is open; not one's own.
  Status support(std::int64_t comment_id, std::int64_t account, bool on, std::int64_t now);
  // The comments of a round (0: the current one), optionally of one section, in section
  // order then oldest first; `reader` (0: nobody) for supported_by_reader.
  Result<std::vector<Comment>> comments(std::int64_t id, std::int64_t round, std::string_view anchor,
                                        std::int64_t reader) const;
  // How many comments each section (by anchor) of a round (0: the current one) has — the
  // same comments `comments` returns, counted by the database.
  Result<std::map<std::string, std::int64_t, std::less<>>> comment_counts(std::int64_t id,
                                                                          std::int64_t round) const;

  // The organisation's Stellungnahme of the current round, if one was saved.
  Result<std::optional<Statement>> statement(std::int64_t id, std::int64_t org_id) const;
  // Released Stellungnahmen of a round (0: current), by organisation name.
  Result<std::vector<Statement>> released_statements(std::int64_t id, std::int64_t round) const;
  // Saves the draft text (caller checked statement.draft). conflict when released or the
  // round is closed; invalid_input.
  Status save_statement(std::int64_t id, std::int64_t org_id, const std::string& body,
                        std::int64_t by, std::int64_t now);
  // Final for the round: the text and the organisation's comments of the round can no
  // longer change (caller checked statement.release). Needs a text or at least one comment.
  Status release_statement(std::int64_t id, std::int64_t org_id, std::int64_t by,
                           std::int64_t now);

  // The author's answer to a point of a round in its weighing phase; answering again
  // replaces it until the Abwägung is published. A reason is needed except for
  // Verdict::noted. invalid_input; not_found; conflict.
  Status answer(std::int64_t id, Point point, Verdict verdict, const std::string& reason,
                std::int64_t by, std::int64_t now);
  // How many points of the current round still lack an answer.
  Result<std::int64_t> unanswered(std::int64_t id) const;
  // Publishes the current round's Abwägung once every point is answered; returns everyone
  // who took part (commented, supported, drafted or released a Stellungnahme) to be told.
  // conflict consultations_error_unanswered / consultations_error_round_open / _published.
  Result<std::vector<std::int64_t>> publish_abwaegung(std::int64_t id, std::int64_t by,
                                                      std::int64_t now);

  // Staff of recipients that have not released, to be reminded; at most one reminder a
  // day, only while the round is open. conflict consultations_error_reminded.
  Result<std::vector<std::int64_t>> remind(std::int64_t id, std::int64_t by, std::int64_t now);
  // When the last reminder of the current round was sent, if any.
  Result<std::optional<std::int64_t>> last_reminder(std::int64_t id) const;

  // Open consultations (current round before its deadline) where one of the account's
  // organisations is a recipient that has not released, soonest deadline first.
  Result<std::vector<std::pair<Consultation, std::vector<std::string>>>> open_for(
      std::int64_t account, std::int64_t now) const;  // with the organisations' names

 private:
  db::Database& db_;
};

}  // namespace ah::modules::consultations
