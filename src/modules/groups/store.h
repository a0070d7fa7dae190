// Arbeitsgruppen: working groups of staff from any organisation, their members, their
// discussion threads and posts.
//
// A group belongs to no organisation. Its roles (owner, moderator, member) are space roles
// of kind "group" (authz/memberships.h), granted in the group itself; the person who
// creates a group is its first owner, and a group always keeps an owner (the last one
// cannot leave: conflict kLastOwner). Who may read a group follows its visibility:
// öffentlich (everyone, also without an account), intern (staff of any organisation and
// its members), geschlossen (its members only) — authz actions group.view_internal and
// group.view_closed decide, never an organisation's type.
//
// Joining is open (a staff member becomes a member at once) or on request (a moderator or
// owner confirms). Threads hold Markdown posts, oldest first and keyset-paginated by id, so
// the last page of a thread with 5,000 posts costs what the first does. Each member has a
// read marker per thread (the last post id they have seen) and may subscribe to threads;
// a new post notifies the subscribers who are still members, in the post's transaction.
//
//   GroupStore groups(db);
//   AH_TRY(id, groups.create({.name = "AG Digitales", .description = "…"}, owner, now));
//   AH_TRY(joined, groups.join(id, someone, now));            // JoinResult::member
//   ThreadStore threads(db);
//   AH_TRY(thread, threads.create(id, "Erste Schritte", "Hallo **alle**", owner, now));
//   AH_TRY(post, threads.reply(thread, "Danke!", someone, now));
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "authz/permissions.h"
#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"

namespace ah::modules::groups {

// Migrations 9000–9999.
std::vector<db::Migration> groups_migrations();

// The space kind of groups in space_roles, and later in the moderation store.
inline constexpr std::string_view kSpaceKind = "group";
// The search index (search/index.h) of groups: the name as the title, the description as
// the body; kept in step by GroupStore.
inline constexpr std::string_view kGroupSearchIndex = "groups";

// Error::message codes (catalogue keys) of the conflicts a person can run into.
inline constexpr std::string_view kLastOwner = "groups_error_last_owner";
inline constexpr std::string_view kLastOwnerRole = "groups_error_last_owner_role";
inline constexpr std::string_view kAlreadyMember = "groups_error_already_member";
inline constexpr std::string_view kAlreadyRequested = "groups_error_already_requested";

enum class Visibility { open, internal, closed };  // öffentlich, intern, geschlossen
enum class Joining { open, on_request };
std::string_view to_string(Visibility visibility);  // "public", "internal", "closed"
std::string_view to_string(Joining joining);        // "open", "request"
std::optional<Visibility> visibility_from_string(std::string_view s);
std::optional<Joining> joining_from_string(std::string_view s);

// The action that decides who may read a group of this visibility; nullopt: everyone.
std::optional<authz::Action> read_action(Visibility visibility);

struct Group {
  std::int64_t id = 0;
  std::string name;
  std::string description;  // Markdown
  Visibility visibility = Visibility::internal;
  Joining joining = Joining::open;
  bool results_after_close = false;  // see NewGroup
  std::int64_t member_count = 0;
  std::int64_t created_at = 0, updated_at = 0;
};

struct NewGroup {
  std::string name, description;
  Visibility visibility = Visibility::internal;
  Joining joining = Joining::open;
  // The group's rule for its decisions (groups/decisions): results stay hidden until the
  // vote has ended, or (false) until the reader has voted.
  bool results_after_close = false;
};

inline constexpr std::size_t kMaxName = 120, kMaxDescription = 20'000;

// Catalogue keys of what is wrong, by field ("name" -> "groups_error_name").
std::vector<std::pair<std::string, std::string>> validate(const NewGroup& group);

// Which groups a reader finds in the directory: the public ones, the internal ones when
// `internal` (the reader may read internal groups: authz group.view_internal without a
// space role), and every group `reader` has a role in.
struct GroupFilter {
  std::int64_t reader = 0;  // 0: anonymous
  bool internal = false;
  std::string text;  // what a person typed to search for; blank: no search
};

struct GroupPage {
  std::vector<Group> items;
  std::string next_cursor;
};

enum class JoinResult { member, requested };

struct Member {
  std::int64_t account_id = 0;
  authz::SpaceRole role = authz::SpaceRole::member;
  std::optional<std::string> display_name;
  std::vector<std::string> organisations;  // where the person is active staff, by name
  std::int64_t since = 0;
};

struct JoinRequest {
  std::int64_t account_id = 0;
  std::string display_name;
  std::vector<std::string> organisations;
  std::string message;
  std::int64_t requested_at = 0;
};

class GroupStore {
 public:
  explicit GroupStore(db::Database& db) : db_(db) {}

  // The group and its creator as owner, indexed for search, in one transaction.
  // invalid_input (message: the first catalogue key) when validate() finds anything.
  Result<std::int64_t> create(const NewGroup& group, std::int64_t owner, std::int64_t now);
  // New settings and texts, re-indexed for search in the same transaction. invalid_input
  // as create; not_found.
  Status update(std::int64_t id, const NewGroup& group, std::int64_t now);
  Result<Group> find(std::int64_t id) const;  // not_found
  // The groups `account` has a role in, by name.
  Result<std::vector<Group>> of_member(std::int64_t account) const;
  // By name (German order, umlauts folded), keyset-paginated.
  Result<GroupPage> list(const GroupFilter& filter, std::string_view cursor, int limit) const;

  // An open group makes `account` a member; one on request records the request (with an
  // optional message for the moderators). conflict kAlreadyMember / kAlreadyRequested.
  // Whether the person may join at all is the caller's check (authz group.join).
  Result<JoinResult> join(std::int64_t group_id, std::int64_t account, const std::string& message,
                          std::int64_t now);
  // A moderator's answer to a request: confirmed, the person becomes a member; declined,
  // the request is gone. not_found when there is no open request.
  Status decide(std::int64_t group_id, std::int64_t account, bool confirm, std::int64_t now);
  // A moderator adds `account` as a member directly (the way into a closed group, which
  // outsiders cannot see to ask); an open request of theirs is answered with it. conflict
  // kAlreadyMember. Whether the person may be a member (staff) is the caller's check.
  Status add(std::int64_t group_id, std::int64_t account, std::int64_t now);
  // An owner's change of a member's role; nullopt removes the person from the group (and
  // their subscriptions). not_found for non-members; conflict kLastOwnerRole when the group
  // would lose its last owner.
  Status set_role(std::int64_t group_id, std::int64_t account, std::optional<authz::SpaceRole> role,
                  std::int64_t now);
  // Ends the person's role in the group (and their subscriptions to its threads) or
  // withdraws their request. conflict kLastOwner for the only owner; not_found if neither.
  Status leave(std::int64_t group_id, std::int64_t account);
  // Gives an erased person's groups a new owner where they were the only one: the
  // longest-standing moderator, else the longest-standing member. Idempotent.
  Status hand_over_ownership(std::int64_t account);

  // Owners first, then moderators, then members, each by name.
  Result<std::vector<Member>> members(std::int64_t group_id) const;
  // Open requests, oldest first.
  Result<std::vector<JoinRequest>> requests(std::int64_t group_id) const;
  // Whether the person has an open request.
  Result<bool> has_requested(std::int64_t group_id, std::int64_t account) const;
  // The ids of the group's moderators and owners (to tell them about a request).
  Result<std::vector<std::int64_t>> moderators(std::int64_t group_id) const;

 private:
  db::Database& db_;
};

struct Thread {
  std::int64_t id = 0;
  std::int64_t group_id = 0;
  std::string title;
  std::optional<std::string> author_name;  // nullopt: the account was erased
  std::int64_t post_count = 0;
  std::int64_t last_post_id = 0, last_post_at = 0, created_at = 0;
  std::int64_t last_read = 0;  // the reader's marker (0: nothing read or no reader)
  bool unread() const { return last_post_id > last_read; }
};

struct Post {
  std::int64_t id = 0;
  std::int64_t thread_id = 0;
  std::optional<std::int64_t> author_id;   // nullopt: the account was erased
  std::optional<std::string> author_name;  // shown as "gelöschtes Konto" then
  std::string body;                        // Markdown
  std::int64_t created_at = 0;
};

struct ThreadPage {
  std::vector<Thread> items;
  std::string next_cursor;
};

struct PostPage {
  std::vector<Post> items;
  std::string next_cursor;  // "" on the last page
};

inline constexpr std::size_t kMaxThreadTitle = 200, kMaxPost = 20'000;

// Catalogue keys of what is wrong with a thread's title or a post, by field.
std::vector<std::pair<std::string, std::string>> validate_thread(const std::string& title,
                                                                 const std::string& body);
std::vector<std::pair<std::string, std::string>> validate_post(const std::string& body);

// Work a caller adds to a store's transaction with the new post's id (notifications);
// its error rolls the post back.
using AlsoInTransaction = std::function<Status(db::Connection&, std::int64_t post_id)>;

class ThreadStore {
 public:
  explicit ThreadStore(db::Database& db) : db_(db) {}

  // A thread with its first post; its author subscribes to it. invalid_input as
  // validate_thread. Returns the thread's id.
  Result<std::int64_t> create(std::int64_t group_id, const std::string& title,
                              const std::string& body, std::int64_t author, std::int64_t now,
                              const AlsoInTransaction& also = {});
  // A post at the end of the thread; the thread's counters change in the same
  // transaction. invalid_input as validate_post; not_found for no such thread.
  Result<std::int64_t> reply(std::int64_t thread_id, const std::string& body, std::int64_t author,
                             std::int64_t now, const AlsoInTransaction& also = {});
  // not_found. With a reader, last_read is theirs.
  Result<Thread> find(std::int64_t id, std::int64_t reader = 0) const;
  // The threads of the person's groups with posts they have not read, most recently
  // active first (for "Meine Arbeitsgruppen").
  Result<std::vector<Thread>> unread_for(std::int64_t account, int limit) const;
  // Most recently active first, keyset-paginated; last_read is the reader's.
  Result<ThreadPage> list(std::int64_t group_id, std::int64_t reader, std::string_view cursor,
                          int limit) const;
  // Posts oldest first. `cursor` is a next_cursor, or after_cursor(id) to start after
  // that post (a reader's first unread one); "" starts at the beginning.
  Result<PostPage> posts(std::int64_t thread_id, std::string_view cursor, int limit) const;
  static std::string after_cursor(std::int64_t post_id);

  // Moves the reader's marker forward to `post_id` (never back).
  Status mark_read(std::int64_t thread_id, std::int64_t account, std::int64_t post_id);
  Status subscribe(std::int64_t thread_id, std::int64_t account, bool on, std::int64_t now);
  Result<bool> subscribed(std::int64_t thread_id, std::int64_t account) const;
  // Inside a post's transaction: who is told about it — subscribers who are still members
  // of the group, without `except` (the author).
  static Result<std::vector<std::int64_t>> subscribers(db::Connection& tx, std::int64_t thread_id,
                                                       std::int64_t except);

 private:
  db::Database& db_;
};

}  // namespace ah::modules::groups
