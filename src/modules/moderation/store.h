// Moderation of people's contributions in a shared space, for every module that has them
// (participation processes now, working groups later).
//
// Everything is keyed by the space (kind + id, e.g. "process" 7) and by the target, the
// contribution concerned (kind + id, e.g. "proposal" 12 or "comment" 40); this store knows
// nothing about what a target is. The module that owns the targets shows them, decides who
// may moderate (authz: process.moderate, group.moderate) and asks this store
//   - which targets are hidden (and why: the public reason replaces the text),
//   - whether a person is blocked from the space,
// and records through it what people report and what moderators do:
//
//   ModerationStore moderation(db);
//   Space space{"process", 7};
//   AH_TRY(fresh, moderation.report({space, {"comment", 40}, reporter, Reason::spam, ""}, now));
//   AH_TRY_STATUS(moderation.hide(space, {"comment", 40}, author, moderator, "Werbung", now));
//   AH_TRY(hidden, moderation.hidden_in(space));   // target -> public reason
//
// Every moderation action (hide, restore, dismiss, block, unblock) is appended to the
// space's log in the same transaction as its effect; the log is never changed afterwards.
// Accounts are referenced with ON DELETE SET NULL (reporters, moderators, authors named in
// the log): after an erasure the entries keep their place and show "gelöschtes Konto".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"

namespace ah::moderation {

// Migrations 8000–8099.
std::vector<db::Migration> moderation_migrations();

struct Space {
  std::string kind;
  std::int64_t id = 0;
};

struct TargetRef {
  std::string kind;
  std::int64_t id = 0;
  auto operator<=>(const TargetRef&) const = default;
};

// Why something is reported; each has a catalogue text "moderation_reason_<name>".
enum class Reason { insult, spam, personal_data, unlawful, other };
std::span<const Reason> all_reasons();
std::string_view to_string(Reason reason);
std::optional<Reason> reason_from_string(std::string_view s);

inline constexpr std::size_t kMaxReportText = 2'000;
inline constexpr std::size_t kMaxModerationReason = 500;

struct NewReport {
  Space space;
  TargetRef target;
  std::optional<std::int64_t> reporter;  // nullopt: an anonymous visitor
  Reason reason = Reason::other;
  std::string text;
};

struct Report {
  std::int64_t id = 0;
  TargetRef target;
  std::optional<std::int64_t> reporter_id;
  std::optional<std::string> reporter_name;  // nullopt: anonymous or erased
  Reason reason = Reason::other;
  std::string text;
  bool open = true;  // not yet handled (hidden or dismissed)
  std::int64_t created_at = 0;
};

// The open reports of one target, oldest first.
struct ReportGroup {
  TargetRef target;
  std::vector<Report> reports;
};

struct Hidden {
  TargetRef target;
  std::string reason;  // public: shown in place of the contribution
  std::int64_t hidden_at = 0;
};

struct Block {
  std::int64_t account_id = 0;
  std::string account_name;
  std::string reason;
  std::int64_t blocked_at = 0;
};

struct Standing {
  bool verified = false;        // the account exists and has confirmed its e-mail address
  std::optional<Block> block;   // blocked from contributing in the space
  bool target_hidden = false;   // the target asked about is hidden by moderation
};

enum class LogAction { hide, restore, dismiss, block, unblock };
std::string_view to_string(LogAction action);

struct LogEntry {
  std::int64_t id = 0;
  std::optional<std::string> actor_name;  // nullopt: the account was erased
  LogAction action = LogAction::hide;
  std::optional<TargetRef> target;          // hide, restore, dismiss
  std::optional<std::string> subject_name;  // the author or blocked person (nullopt: erased)
  bool has_subject = false;                 // the entry named a person at the time
  std::string reason;
  std::int64_t created_at = 0;
};

struct LogPage {
  std::vector<LogEntry> items;
  std::string next_cursor;  // "" on the last page
};

class ModerationStore {
 public:
  explicit ModerationStore(db::Database& db) : db_(db) {}

  // Records a report. A signed-in person's second report of the same target changes
  // nothing and returns false; anonymous reports are limited by the caller (rate limits).
  // invalid_input "moderation_error_report_text" when the text is too long, or, for
  // Reason::other, empty.
  Result<bool> report(const NewReport& report, std::int64_t now);

  // Open reports of the space grouped by target, the longest-waiting target first.
  Result<std::vector<ReportGroup>> open_reports(const Space& space) const;
  Result<std::int64_t> open_report_count(const Space& space) const;

  // Hides the target with a public reason (required: invalid_input
  // "moderation_error_reason"); hiding it again replaces the reason. `subject` is the
  // contribution's author, kept in the log. Closes the target's open reports.
  Status hide(const Space& space, const TargetRef& target, std::optional<std::int64_t> subject,
              std::int64_t actor, const std::string& reason, std::int64_t now);
  // Shows the target again (reason required); conflict "moderation_error_not_hidden".
  Status restore(const Space& space, const TargetRef& target, std::optional<std::int64_t> subject,
                 std::int64_t actor, const std::string& reason, std::int64_t now);
  // Closes the target's open reports without hiding it (reason optional); conflict
  // "moderation_error_no_reports" when there are none.
  Status dismiss(const Space& space, const TargetRef& target, std::int64_t actor,
                 const std::string& reason, std::int64_t now);
  // Blocks the person from contributing in the space (reason required); blocking again
  // replaces the reason. unblock: conflict "moderation_error_not_blocked" without a block.
  Status block(const Space& space, std::int64_t account, std::int64_t actor,
               const std::string& reason, std::int64_t now);
  Status unblock(const Space& space, std::int64_t account, std::int64_t actor,
                 const std::string& reason, std::int64_t now);

  // The space's hidden targets and their public reasons.
  Result<std::map<TargetRef, std::string>> hidden_in(const Space& space) const;
  Result<std::vector<Hidden>> hidden_list(const Space& space) const;
  // What decides whether `account` may contribute in `space` — and to `target`, if given —
  // read in one statement: it is on the path of every support, comment and proposal.
  Result<Standing> standing(const Space& space, std::int64_t account,
                            const std::optional<TargetRef>& target) const;
  Result<std::optional<Block>> block_of(const Space& space, std::int64_t account) const;
  Result<std::vector<Block>> blocks(const Space& space) const;

  // The space's log, newest first, keyset-paginated.
  Result<LogPage> log(const Space& space, std::string_view cursor, int limit) const;

  // What `account` reported (DSGVO export), oldest first, with the space of each.
  Result<std::vector<std::pair<Space, Report>>> reports_by(std::int64_t account) const;

 private:
  db::Database& db_;
};

}  // namespace ah::moderation
