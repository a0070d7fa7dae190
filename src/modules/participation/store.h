// The Beteiligungsportal's data: processes with their phases, proposals, and supports.
//
// A process belongs to one organisation (any type) and runs through phases in a
// configured order; each phase switches proposing, commenting and supporting on or off,
// and the current phase is the one whose [starts_at, ends_at) contains now. Only a
// published process accepts contributions.
//
// Supports are one row per person and proposal; the proposal's support_count is kept in
// the same transaction as the row, so the count is exact under any concurrency: a second
// support by the same person inserts nothing and counts nothing (ON CONFLICT DO NOTHING),
// and the increment is a row-locked UPDATE on PostgreSQL and a serialised write on SQLite.
// Supports and their withdrawals run as grouped transactions (db/commit_batcher.h): many
// arriving at once share one commit, and each is answered only after that commit.
//
//   ProcessStore processes(db);
//   AH_TRY(id, processes.create(new_process, account, now));
//   ProposalStore proposals(db);
//   AH_TRY(count, proposals.support(proposal_id, account, now));   // idempotent
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"

namespace ah::modules::participation {

// Migrations 5000–5999.
std::vector<db::Migration> participation_migrations();

// The areas an organisation's process may concern, as (AGS, name), its own territory first:
// the Land → itself and its Kreise; a Kreis → itself and its Gemeinden; a Gemeinde → itself;
// an organisation without an AGS → the Land and its Kreise.
Result<std::vector<std::pair<std::string, std::string>>> process_areas(db::Database& db,
                                                                       std::int64_t org_id);

enum class ProcessState { draft, published, closed };
std::string_view to_string(ProcessState state);
std::optional<ProcessState> process_state_from_string(std::string_view s);

struct Phase {
  std::string title;
  std::int64_t starts_at = 0;  // unix seconds, inclusive
  std::int64_t ends_at = 0;    // exclusive
  bool allow_propose = false;
  bool allow_comment = false;
  bool allow_support = false;
};

struct Process {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string org_name, org_key;  // joined for pages and the API
  std::string title, summary, body, topic;
  // The area the process concerns: the AGS of the Land ("15"), a Kreis or a Gemeinde, within
  // the owner's territory (by default the owner's own; the whole Land for organisations
  // without an AGS), and its name.
  std::string area_ags, area_name;
  ProcessState state = ProcessState::draft;
  std::string short_code;  // /b/{short_code}
  std::vector<Phase> phases;
  std::int64_t created_at = 0, updated_at = 0;

  // The phase running at `now`, if any.
  const Phase* phase_at(std::int64_t now) const;
  // Whether the process accepts the action at `now`: published and the current phase
  // allows it.
  bool allows_propose(std::int64_t now) const;
  bool allows_comment(std::int64_t now) const;
  bool allows_support(std::int64_t now) const;
};

// What a person submits for a new process; validated by validate().
struct NewProcess {
  std::int64_t org_id = 0;
  std::string title, summary, body, topic;
  std::string area_ags;  // "": the owner's territory; else within it (checked by the store)
  ProcessState state = ProcessState::draft;
  std::vector<Phase> phases;
};

// The fixed catalogue of process topics ("verkehr", "umwelt", …); each is named by the
// catalogue key "participation_topic_" + key. A process's topic is one of them or empty.
std::span<const std::string_view> process_topics();
bool is_process_topic(std::string_view key);

// The search index (search/index.h) of processes: title and summary as the title, the
// body as the body; kept in step by ProcessStore.
inline constexpr std::string_view kProcessSearchIndex = "processes";

// Catalogue keys of what is wrong, by field ("title" -> "participation_error_title").
std::vector<std::pair<std::string, std::string>> validate(const NewProcess& process);

struct ProcessFilter {
  std::int64_t org_id = 0;  // 0: any
  std::string kreis_ags;    // the organisations of this Kreis (and the Kreis itself)
  // "In meiner Gemeinde": what concerns a person living in this Gemeinde (8-digit AGS) —
  // processes whose area is the Gemeinde itself, its Kreis or the whole Land.
  std::string gemeinde_ags;
  std::optional<ProcessState> state;  // nullopt: published and closed (never drafts)
  std::string topic;                  // a key of process_topics(); empty: any
  std::string text;                   // what a person typed to search for; blank: no search
};

struct ProcessPage {
  std::vector<Process> items;  // without phases' details? with phases: pages show the current one
  std::string next_cursor;
};

class ProcessStore {
 public:
  explicit ProcessStore(db::Database& db) : db_(db) {}

  // invalid_input (message: first catalogue key) when validate() finds anything, or
  // "participation_error_area" when the area is not the owner's territory or inside it.
  Result<std::int64_t> create(const NewProcess& process, std::int64_t author, std::int64_t now);
  Result<Process> find(std::int64_t id) const;  // not_found
  Result<Process> find_by_code(std::string_view code) const;
  // Newest first (updated_at, id), keyset-paginated.
  Result<ProcessPage> list(const ProcessFilter& filter, std::string_view cursor, int limit) const;
  Status set_state(std::int64_t id, ProcessState state, std::int64_t now);
  // Changes texts, topic, state and phases (replaced as a whole) in one transaction with the
  // search index; the organisation stays (`change.org_id` is ignored). invalid_input as
  // create(), not_found.
  Status update(std::int64_t id, const NewProcess& change, std::int64_t now);

 private:
  // Sets the phases of every process in `processes` with one query.
  Status load_phases(std::vector<Process>& processes) const;
  // The area to store: the owner's territory for "", else `wanted` if it lies inside it.
  static Result<std::string> resolve_area(db::Connection& tx, std::int64_t org_id,
                                          const std::string& wanted);
  static Status insert_phases(db::Connection& tx, std::int64_t process_id,
                              const std::vector<Phase>& phases);
  Result<Process> find_where(std::string_view where, db::Value key) const;
  db::Database& db_;
};

enum class ProposalState { open, withdrawn, hidden };

// Rechenschaft: what the process owner says became of a proposal. `none` until the first
// answer; the latest answer is the proposal's state, earlier ones stay as its history.
enum class AnswerState { none, reviewing, accepted, rejected, implemented };
std::string_view to_string(AnswerState state);  // "none", "reviewing", …
std::optional<AnswerState> answer_state_from_string(std::string_view s);

struct Proposal {
  std::int64_t id = 0;
  std::int64_t process_id = 0;
  std::optional<std::int64_t> author_id;  // nullopt: the account was erased
  std::optional<std::string> author_name;
  std::string title, body, category;
  std::optional<double> lat, lon;
  std::optional<std::string> place;  // the place in words ("Spielplatz am Markt, Kemberg")
  ProposalState state = ProposalState::open;
  std::int64_t support_count = 0, comment_count = 0;
  std::int64_t created_at = 0, updated_at = 0;
  AnswerState answer_state = AnswerState::none;
  int progress = 0;  // percent implemented, 0–100 (100 when implemented)
};

struct NewProposal {
  std::string title, body, category;
  std::optional<double> lat, lon;  // both or neither; inside the process's area (place.h)
  std::optional<std::string> place;  // nullopt or at most kMaxPlaceCharacters code points
};

inline constexpr std::size_t kMaxPlaceCharacters = 300;

std::vector<std::pair<std::string, std::string>> validate(const NewProposal& proposal);

// random: a shuffle fixed by a seed, so one visitor's pages (which carry the seed) neither
// repeat nor skip proposals, while different visitors see different first proposals.
enum class ProposalOrder { newest, most_supported, most_discussed, random };

struct ProposalPage {
  std::vector<Proposal> items;
  std::string next_cursor;
};

class ProposalStore {
 public:
  explicit ProposalStore(db::Database& db) : db_(db) {}

  Result<std::int64_t> create(std::int64_t process_id, const NewProposal& proposal,
                              std::int64_t author, std::int64_t now);
  Result<Proposal> find(std::int64_t id) const;  // not_found
  // The proposal with its process and the process's phases, in one statement; not_found.
  Result<std::pair<Proposal, Process>> find_with_process(std::int64_t id) const;
  Result<ProposalPage> list(std::int64_t process_id, ProposalOrder order, std::string_view cursor,
                            int limit, std::uint32_t seed = 0) const;

  // The author changes the text while nobody has supported or commented on it yet (so no one
  // supports a text they did not see): forbidden "participation_error_edit_closed" after
  // that, or for anyone but the author; invalid_input as create().
  Status edit(std::int64_t id, std::int64_t author, const NewProposal& proposal, std::int64_t now);
  // The author takes the proposal back; it leaves the lists, its page says so. forbidden for
  // anyone else.
  Status withdraw(std::int64_t id, std::int64_t author, std::int64_t now);

  // One support of `account` for the proposal; a second one changes nothing. Returns the
  // proposal's support count after the call.
  Result<std::int64_t> support(std::int64_t proposal_id, std::int64_t account, std::int64_t now);
  // Takes the support back; without one, changes nothing. Returns the count after the call.
  Result<std::int64_t> withdraw_support(std::int64_t proposal_id, std::int64_t account);
  Result<bool> supports(std::int64_t proposal_id, std::int64_t account) const;
  // Before an account is erased: takes back all its supports, keeping the counts exact.
  Status withdraw_all_supports(std::int64_t account);

 private:
  db::Database& db_;
};

// Comments on a proposal or on the process itself, threaded two levels deep: a comment or
// a reply to one. The author may edit within kCommentEditSeconds; deleting leaves a
// tombstone ("gelöscht") so that replies keep their place. A proposal's comment_count
// counts its comments that are not deleted and is kept in the same transaction.
inline constexpr std::int64_t kCommentEditSeconds = 15 * 60;
inline constexpr std::size_t kMaxCommentBytes = 5'000;

// What a comment is about: a proposal of the process, or (no proposal) the process itself.
struct CommentOn {
  std::int64_t process_id = 0;
  std::optional<std::int64_t> proposal_id;
};

struct Comment {
  std::int64_t id = 0;
  std::int64_t process_id = 0;
  std::optional<std::int64_t> proposal_id;  // nullopt: on the process itself
  std::optional<std::int64_t> parent_id;
  std::optional<std::int64_t> author_id;
  std::optional<std::string> author_name;
  std::string body;  // "" when deleted
  std::int64_t created_at = 0;
  std::optional<std::int64_t> edited_at, deleted_at;
};

// Work a caller adds to a store's transaction, given the new row's id (e.g.
// notifications::notify for the people it concerns); its error rolls the row back.
using AlsoInTransaction = std::function<Status(db::Connection&, std::int64_t id)>;

struct Answer {
  std::int64_t id = 0;
  std::int64_t proposal_id = 0;
  AnswerState state = AnswerState::reviewing;
  std::string text;  // Markdown: the explanation
  int progress = 0;
  std::optional<std::string> author_name;  // who answered; nullopt when erased
  std::int64_t created_at = 0;
};

inline constexpr std::size_t kMaxAnswerBytes = 10'000;

// Catalogue keys of what is wrong with an answer, by field.
std::vector<std::pair<std::string, std::string>> validate_answer(AnswerState state,
                                                                 const std::string& text,
                                                                 int progress);

class AnswerStore {
 public:
  explicit AnswerStore(db::Database& db) : db_(db) {}

  // Records the answer and makes it the proposal's current state, in one transaction.
  // progress is kept for accepted proposals (how far the implementation is), 100 for
  // implemented and 0 otherwise.
  // `also` runs in the same transaction with the answer's id (to notify the author).
  Result<std::int64_t> answer(std::int64_t proposal_id, AnswerState state, const std::string& text,
                              int progress, std::int64_t author, std::int64_t now,
                              const AlsoInTransaction& also = {});
  // Every answer to a proposal, oldest first.
  Result<std::vector<Answer>> history(std::int64_t proposal_id) const;
  // How many proposals of a process (not withdrawn) are in each state.
  Result<std::vector<std::pair<AnswerState, std::int64_t>>> tally(std::int64_t process_id) const;

 private:
  db::Database& db_;
};

class CommentStore {
 public:
  explicit CommentStore(db::Database& db) : db_(db) {}

  // invalid_input "participation_error_comment" (empty/too long) or
  // "participation_error_reply_depth" (a reply to a reply); not_found for a parent that is
  // not a comment on the same thing (or a proposal not of this process). `also` runs in the
  // same transaction with the new comment's id (e.g. notifications::notify for the people it
  // concerns); its error rolls the comment back.
  Result<std::int64_t> create(const CommentOn& on, std::optional<std::int64_t> parent_id,
                              const std::string& body, std::int64_t author, std::int64_t now,
                              const AlsoInTransaction& also = {});
  // forbidden unless `author` wrote it and the edit window is open; not_found if deleted.
  Status edit(std::int64_t id, std::int64_t author, const std::string& body, std::int64_t now);
  // The author takes it down: tombstone. forbidden for others.
  Status remove(std::int64_t id, std::int64_t author, std::int64_t now);
  // The comments on a proposal, or on the process itself, threads in order: each top-level
  // comment followed by its replies, oldest first.
  Result<std::vector<Comment>> list(const CommentOn& on) const;
  // One page of the threads on a proposal or on the process itself, as the pages show them:
  // up to `threads` threads, newest first, from the thread whose top-level comment is `from`
  // (0: the newest) on, each followed by its replies (oldest first). A page's cost does not
  // grow with the discussion (keyset on the thread's id).
  struct CommentPage {
    std::vector<Comment> comments;
    std::int64_t live = 0;              // comments not deleted, on every page
    std::optional<std::int64_t> older;  // `from` of the next page, when there is one
  };
  Result<CommentPage> page(const CommentOn& on, std::int64_t from, int threads) const;
  // Every comment of a process, on itself and on its proposals, oldest first (the export).
  Result<std::vector<Comment>> list_for_process(std::int64_t process_id) const;
  // One comment; not_found.
  Result<Comment> find(std::int64_t id) const;

 private:
  db::Database& db_;
};

// What happened in a process, for its statistics: contributions counted per hour (the
// start of the hour in unix seconds, and how many began in it), and how many different
// people took part (proposed, commented or supported; erased accounts not counted).
struct ProcessActivity {
  struct Bucket {
    std::int64_t hour = 0;
    std::int64_t count = 0;
  };
  std::vector<Bucket> proposals, comments, supports;
  std::int64_t participants = 0;
};
Result<ProcessActivity> activity(db::Database& db, std::int64_t process_id);

}  // namespace ah::modules::participation
