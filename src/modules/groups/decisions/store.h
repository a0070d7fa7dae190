// Entscheidungen: decisions a working group takes together — consent (zustimmen /
// enthalten / Bedenken / Veto), poll (one or several options), dot vote (N points spread
// over the options) and score (0–5 per option) — with their ballots, tallies, closing,
// outcome and the group's Beschlussregister.
//
// One current ballot per person: voting again replaces it, until the deadline. The store
// itself refuses a ballot at or after the deadline (compared with the caller's `now`) and
// on a closed decision, whether or not the closing job has run yet. Ballots and their marks
// are only ever counted, never kept as counters, so a tally is always what the ballots say.
//
// Anonymous decisions (see docs/ARCHITECTURE.md, "Entscheidungen"): who voted is kept in
// group_decision_voters (for reminders and "you voted"); what they voted is a ballot with a
// random id, no time and no account, found again while the decision is open by a keyed
// hash of the account with a per-decision secret. Closing destroys the secret, drops the
// keys and rewrites the ballots in the order of new random ids, so that afterwards nothing
// stored links a ballot to a person.
//
//   DecisionStore decisions(db);
//   AH_TRY(id, decisions.create(group, {.title = "Neue Geschäftsordnung", .kind = Kind::consent,
//                                       .deadline = now + 7 * 86400}, author, now));
//   AH_TRY(vote, decisions.vote(id, someone, {.position = Position::concern,
//                                             .reason = "Frist zu kurz"}, now));
//   AH_TRY(closed, decisions.close(id, later));            // false if it was closed already
//   AH_TRY(tally, decisions.tally(id));
#pragma once

#include <array>
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

namespace ah::modules::decisions {

// Migrations 9200–9299.
std::vector<db::Migration> decisions_migrations();

enum class Kind { consent, poll, dot_vote, score };
// Who sees the results before closing: those who voted (after_vote), or nobody.
enum class Results { after_vote, after_close };
// zustimmen, enthalten, Bedenken, Veto.
enum class Position { agree, abstain, concern, block };

std::string_view to_string(Kind kind);          // "consent", "poll", "dot_vote", "score"
std::string_view to_string(Results results);    // "after_vote", "after_close"
std::string_view to_string(Position position);  // "agree", "abstain", "concern", "block"
std::optional<Kind> kind_from_string(std::string_view s);
std::optional<Results> results_from_string(std::string_view s);
std::optional<Position> position_from_string(std::string_view s);
inline constexpr std::array kPositions{Position::agree, Position::abstain, Position::concern,
                                       Position::block};

inline constexpr std::size_t kMaxTitle = 200, kMaxDetails = 20'000, kMaxOptionLabel = 200,
                             kMaxReason = 2'000, kMaxOutcome = 20'000;
inline constexpr std::size_t kMinOptions = 2, kMaxOptions = 20;
inline constexpr std::int64_t kMaxPoints = 100, kMaxScore = 5;
inline constexpr std::int64_t kMaxDeadlineAhead = 366 * 86'400;
// The "closing soon" reminder goes out this long before the deadline.
inline constexpr std::int64_t kReminderBefore = 86'400;

// Error::message codes (catalogue keys) of the conflicts a person can run into.
inline constexpr std::string_view kClosed = "decisions_error_closed";
inline constexpr std::string_view kStillOpen = "decisions_error_still_open";
inline constexpr std::string_view kDraftRefused = "decisions_error_draft";

struct Option {
  std::int64_t id = 0;
  std::string label;
};

struct Decision {
  std::int64_t id = 0;
  std::int64_t group_id = 0;
  std::optional<std::int64_t> author_id;   // nullopt: the account was erased
  std::optional<std::string> author_name;  // "gelöschtes Konto" then
  std::string title;
  std::string details;  // Markdown, may be empty
  Kind kind = Kind::consent;
  bool multiple = false;    // poll: several options may be chosen
  std::int64_t points = 0;  // dot vote: points per voter
  std::int64_t deadline = 0;
  Results results = Results::after_vote;
  bool anonymous = false;
  bool open = true;
  std::optional<std::int64_t> closed_at;
  std::optional<std::string> outcome;       // Markdown, after closing
  std::optional<std::int64_t> review_date;  // Berlin midnight of the day
  std::optional<std::int64_t> outcome_at;
  std::int64_t created_at = 0;
  std::int64_t voter_count = 0;
  std::vector<Option> options;  // in the order given; none for consent
  std::optional<std::int64_t> draft_id;  // the shared draft decided on, if any
};

struct NewDecision {
  std::string title;
  std::string details;
  Kind kind = Kind::consent;
  std::vector<std::string> options;  // poll, dot vote, score
  bool multiple = false;
  std::int64_t points = 0;
  std::int64_t deadline = 0;
  Results results = Results::after_vote;
  bool anonymous = false;
  // A shared draft of the same group that the decision is about; it must be open
  // (invalid_input kDraftRefused otherwise). Recording the outcome may adopt it.
  std::optional<std::int64_t> draft_id;
};

using FieldErrors = std::vector<std::pair<std::string, std::string>>;  // field -> catalogue key

// What is wrong with a new decision at `now`, by field (title, details, options, points,
// deadline).
FieldErrors validate(const NewDecision& decision, std::int64_t now);

// A ballot: a consent position with its reason, or marks per option id (poll: 1 for
// chosen; dot vote: points; score: 0–5).
struct Ballot {
  std::optional<Position> position;
  std::string reason;
  std::map<std::int64_t, std::int64_t> marks;
};

// What is wrong with a ballot for `decision`, by field (position, reason, options).
FieldErrors validate_ballot(const Decision& decision, const Ballot& ballot);

struct OptionTally {
  Option option;
  std::int64_t count = 0;  // ballots that chose it (poll) or gave it anything/scored it
  std::int64_t sum = 0;    // points (dot vote), scores (score), choices (poll)
  std::array<std::int64_t, kMaxScore + 1> distribution{};  // score: how many gave 0…5
};

struct Reason {
  Position position = Position::agree;
  std::string text;
  std::optional<std::string> name;  // nullopt for anonymous decisions (and erased accounts)
};

struct Tally {
  std::int64_t ballots = 0;
  std::array<std::int64_t, kPositions.size()> positions{};  // consent, by Position
  std::vector<Reason> reasons;                              // consent
  std::vector<OptionTally> options;                         // the others
};

struct DecisionPage {
  std::vector<Decision> items;
  std::string next_cursor;
};

enum class VoteResult { created, changed };

// Work a caller adds to a store's transaction (notifications, freezing a draft); its
// error rolls the change back.
using AlsoInTransaction = std::function<Status(db::Connection&)>;

class DecisionStore {
 public:
  explicit DecisionStore(db::Database& db) : db_(db) {}

  // invalid_input (message: the first catalogue key) as validate(). Returns the id;
  // `also` runs in the transaction (the new-decision notices).
  Result<std::int64_t> create(
      std::int64_t group_id, const NewDecision& decision, std::int64_t author, std::int64_t now,
      const std::function<Status(db::Connection&, std::int64_t)>& also = {});
  Result<Decision> find(std::int64_t id) const;  // not_found
  // Open ones by deadline (soonest first), or closed ones newest first; keyset-paginated.
  Result<DecisionPage> list(std::int64_t group_id, bool open, std::string_view cursor,
                            int limit) const;
  // Every closed decision of the group, newest first (the Beschlussregister).
  Result<std::vector<Decision>> closed(std::int64_t group_id) const;
  // Open decisions of the person's groups that they have not voted in yet, the soonest
  // deadline first (for "Meine Arbeitsgruppen").
  Result<std::vector<Decision>> awaiting_vote(std::int64_t account, std::int64_t now,
                                              int limit) const;

  // Stores `account`'s ballot, replacing their earlier one. conflict kClosed when the
  // decision is closed or its deadline has come (deadline <= now); invalid_input (first
  // catalogue key) as validate_ballot; not_found. Whether the person may vote is the
  // caller's check (authz group.decide).
  Result<VoteResult> vote(std::int64_t id, std::int64_t account, const Ballot& ballot,
                          std::int64_t now);
  Result<bool> has_voted(std::int64_t id, std::int64_t account) const;
  // The person's current ballot while the decision is open (to change it); nullopt when
  // they have none, or when the decision is anonymous and closed (nothing links it).
  Result<std::optional<Ballot>> ballot_of(std::int64_t id, std::int64_t account) const;
  Result<Tally> tally(std::int64_t id) const;

  // Closes an open decision (at its deadline, or early by a moderator) and, for an
  // anonymous one, unlinks its ballots for good; `also` runs in the same transaction.
  // false when it was closed already (two closers: exactly one closes). not_found.
  Result<bool> close(std::int64_t id, std::int64_t now, const AlsoInTransaction& also = {});
  // Open decisions whose deadline has come, soonest first.
  Result<std::vector<std::int64_t>> due_for_closing(std::int64_t now) const;
  // Open decisions within kReminderBefore of their deadline whose reminder is not sent.
  Result<std::vector<std::int64_t>> due_for_reminder(std::int64_t now) const;
  // Marks the reminder as sent and runs `also` in that transaction; false when it was sent
  // already (or the decision closed meanwhile), so a reminder goes out once.
  Result<bool> claim_reminder(std::int64_t id, std::int64_t now, const AlsoInTransaction& also);

  // The outcome statement (Markdown) and an optional review date, after closing; may be
  // written again. conflict kStillOpen while open; invalid_input "decisions_error_outcome…";
  // not_found. `also` runs in the transaction (e.g. to freeze a draft the decision names).
  Status record_outcome(std::int64_t id, const std::string& outcome,
                        std::optional<std::int64_t> review_date, std::int64_t by, std::int64_t now,
                        const AlsoInTransaction& also = {});

  // Inside a transaction: the group's members, and those of them who have not voted.
  static Result<std::vector<std::int64_t>> members(db::Connection& tx, std::int64_t group_id);
  static Result<std::vector<std::int64_t>> non_voters(db::Connection& tx, std::int64_t id);

  // An erased person's non-anonymous ballots stay counted without a name; their keys go.
  Status forget_voter(std::int64_t account);

 private:
  db::Database& db_;
};

FieldErrors validate_outcome(const std::string& outcome);

}  // namespace ah::modules::decisions
