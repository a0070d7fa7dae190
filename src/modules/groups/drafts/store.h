// Entwürfe: shared Markdown drafts of a working group, with every version kept.
//
// A draft has versions 1..n; every save adds the next one and nothing is ever overwritten.
// A save names the version it was based on (optimistic locking): when that is still the
// current version the save lands as the next one; otherwise it is refused with the current
// version, so that the person sees both texts and chooses — never a silent overwrite. The
// check is atomic on both backends: UNIQUE (draft_id, number) lets only one of two
// concurrent saves on the same base have number base+1; the other's constraint violation
// becomes the same refusal.
//
// A decision (the decisions module) freezes a draft in its own transaction (freeze());
// a frozen draft refuses saves with kFrozen and names the decision.
//
//   DraftStore drafts(db);
//   AH_TRY(id, drafts.create(group, "Leitfaden", "# Entwurf", "erste Fassung", author, now));
//   AH_TRY(saved, drafts.save(id, {.base_version = 1, .body = "…", .note = "…"}, author, now));
//   if (!saved.landed) show_conflict(saved.current);   // theirs, version saved.current.number
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"

namespace ah::modules::groups::drafts {

// Migrations 9100–9199.
std::vector<db::Migration> drafts_migrations();

// Error::message codes (catalogue keys).
inline constexpr std::string_view kFrozen = "drafts_error_frozen";

inline constexpr std::size_t kMaxTitle = 200, kMaxBody = 100'000, kMaxNote = 500;

struct Draft {
  std::int64_t id = 0;
  std::int64_t group_id = 0;
  std::string title;
  std::int64_t current_version = 0;
  bool frozen = false;
  std::optional<std::int64_t> frozen_by_decision_id;
  std::int64_t frozen_at = 0;
  std::int64_t created_at = 0, updated_at = 0;
};

struct Version {
  std::int64_t draft_id = 0;
  std::int64_t number = 0;
  std::string body;                        // Markdown; empty in lists
  std::optional<std::int64_t> author_id;   // nullopt: the account was erased
  std::optional<std::string> author_name;  // shown as "gelöschtes Konto" then
  std::vector<std::string> organisations;  // where the author is active staff, by name
  std::string note;                        // what changed
  std::int64_t created_at = 0;
};

struct DraftPage {
  std::vector<Draft> items;
  std::string next_cursor;
};

struct VersionPage {
  std::vector<Version> items;  // newest first, without bodies
  std::string next_cursor;
};

struct Revision {
  std::int64_t base_version = 0;  // the version the text was written on
  std::string body, note;
};

// What became of a save: landed (current is the new version) or refused because someone
// saved first (current is theirs, with its body).
struct SaveOutcome {
  bool landed = false;
  Version current;
};

// Catalogue keys of what is wrong, by field.
std::vector<std::pair<std::string, std::string>> validate_draft(const std::string& title,
                                                                const std::string& body,
                                                                const std::string& note);
std::vector<std::pair<std::string, std::string>> validate_revision(const std::string& body,
                                                                   const std::string& note);

// Work a caller adds to a store's transaction with the draft and its new version number
// (notifications); its error rolls the save back.
using AlsoInTransaction =
    std::function<Status(db::Connection&, std::int64_t draft_id, std::int64_t number)>;

class DraftStore {
 public:
  explicit DraftStore(db::Database& db) : db_(db) {}

  // A draft with its first version. invalid_input (message: the first catalogue key).
  Result<std::int64_t> create(std::int64_t group_id, const std::string& title,
                              const std::string& body, const std::string& note,
                              std::int64_t author, std::int64_t now,
                              const AlsoInTransaction& also = {});
  // The next version, if `revision.base_version` is still the current one; else the
  // current version (landed false). invalid_input; not_found; conflict kFrozen.
  Result<SaveOutcome> save(std::int64_t draft_id, const Revision& revision, std::int64_t author,
                           std::int64_t now, const AlsoInTransaction& also = {});
  // For the decisions module, inside its transaction: the draft is "beschlossen" by
  // `decision_id` and refuses saves from now on. Freezing again by the same decision changes
  // nothing; by another one is conflict kFrozen. not_found.
  static Status freeze(db::Connection& tx, std::int64_t draft_id, std::int64_t decision_id,
                       std::int64_t now);

  Result<Draft> find(std::int64_t id) const;  // not_found
  // Most recently changed first, keyset-paginated.
  Result<DraftPage> list(std::int64_t group_id, std::string_view cursor, int limit) const;
  // One version with its body. not_found.
  Result<Version> version(std::int64_t draft_id, std::int64_t number) const;
  // Newest first, without bodies, with the authors' organisations.
  Result<VersionPage> versions(std::int64_t draft_id, std::string_view cursor, int limit) const;
  // Inside a save's transaction: who wrote versions of the draft before and is still a
  // member of its group, without `except`.
  static Result<std::vector<std::int64_t>> editors(db::Connection& tx, std::int64_t draft_id,
                                                   std::int64_t except);

 private:
  db::Database& db_;
};

}  // namespace ah::modules::groups::drafts
