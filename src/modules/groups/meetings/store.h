// Termine: the meetings of a working group — when (start and end in UTC seconds, typed by
// people as Berlin wall-clock time, see web/format.h), where (a place and/or an https video
// link), the agenda before and the minutes during or after, both Markdown. A change to a
// meeting raises its sequence number, which iCalendar clients use to replace their copy
// (ical.h); a cancelled meeting stays, marked, so that subscribed calendars learn of it.
//
// The personal calendar feed (/kalender/{token}.ics) is reached with a random token, since
// calendar apps send no cookies; only its hash is stored, and a new one revokes the old.
//
//   MeetingStore meetings(db);
//   AH_TRY(id, meetings.create(group, {.title = "Treffen", .starts_at = t0, .ends_at = t1,
//                                      .place = "Magdeburg"}, author, now));
//   AH_TRY(next, meetings.upcoming_for(account, now, 5));   // the dashboard's next meetings
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

namespace ah::modules::meetings {

// Migrations 9300–9399.
std::vector<db::Migration> meetings_migrations();

struct MeetingInput {
  std::string title;
  std::int64_t starts_at = 0, ends_at = 0;  // UTC seconds
  std::string place;                        // free text; may be empty if there is a video link
  std::string video_url;                    // https only; may be empty if there is a place
  std::string agenda;                       // Markdown
  std::string minutes;                      // Markdown
  bool cancelled = false;
};

struct Meeting : MeetingInput {
  std::int64_t id = 0;
  std::int64_t group_id = 0;
  std::optional<std::int64_t> created_by;  // nullopt: the account was erased
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t sequence = 0;  // iCalendar SEQUENCE: 0, then one more with each change
};

inline constexpr std::size_t kMaxTitle = 200, kMaxPlace = 500, kMaxUrl = 2'000, kMaxText = 50'000;
// A meeting lasts at most this long (a two-day retreat, not a typo in the year).
inline constexpr std::int64_t kMaxDuration = 7 * 86400;

// Whether `url` is an absolute https URL with a host and nothing a link must not carry
// (spaces, control characters, quotes, angle brackets).
bool valid_video_url(std::string_view url);

// Catalogue keys of what is wrong, by field: title, end (not after the start, or too long),
// place (neither place nor video link, or too long), video_url, agenda, minutes.
std::vector<std::pair<std::string, std::string>> validate(const MeetingInput& meeting);

// A meeting of one of the person's groups, for the dashboard ("Meine Arbeitsgruppen").
struct UpcomingMeeting {
  std::int64_t id = 0;
  std::int64_t group_id = 0;
  std::string group_name;
  std::string title;
  std::int64_t starts_at = 0, ends_at = 0;
  std::string place;
  bool video = false;  // has a video link
};

// Work a caller adds to a store's transaction (notifications); its error rolls back.
using AlsoInTransaction = std::function<Status(db::Connection&, std::int64_t meeting_id)>;
using AlsoOnUpdate = std::function<Status(db::Connection&, const Meeting& before)>;

class MeetingStore {
 public:
  explicit MeetingStore(db::Database& db) : db_(db) {}

  // invalid_input (message: the first catalogue key) when validate() finds anything;
  // not_found for no such group. Returns the new id.
  Result<std::int64_t> create(std::int64_t group_id, const MeetingInput& meeting,
                              std::int64_t author, std::int64_t now,
                              const AlsoInTransaction& also = {});
  // Replaces what can be changed and raises the sequence; `also` sees the meeting as it
  // was (to tell whether it moved). invalid_input as create; not_found.
  Status update(std::int64_t id, const MeetingInput& meeting, std::int64_t now,
                const AlsoOnUpdate& also = {});
  Result<Meeting> find(std::int64_t id) const;  // not_found

  // Meetings that have not ended at `now`, soonest first, and those that have, latest
  // first; at most `limit` of each.
  Result<std::vector<Meeting>> upcoming(std::int64_t group_id, std::int64_t now, int limit) const;
  Result<std::vector<Meeting>> past(std::int64_t group_id, std::int64_t now, int limit) const;
  // For the personal feed: the meetings since `since` of every group `account` is a
  // member of, soonest first, with their group's name.
  Result<std::vector<std::pair<Meeting, std::string>>> of_member(std::int64_t account,
                                                                 std::int64_t since,
                                                                 int limit) const;
  // The next meetings (not cancelled, not ended at `now`) of the person's groups.
  Result<std::vector<UpcomingMeeting>> upcoming_for(std::int64_t account, std::int64_t now,
                                                    int limit) const;

 private:
  db::Database& db_;
};

class CalendarTokens {
 public:
  explicit CalendarTokens(db::Database& db) : db_(db) {}

  // A new token for the person's feed; the old one stops working. Returned once.
  Result<std::string> renew(std::int64_t account, std::int64_t now);
  // The account whose token this is, or nullopt.
  Result<std::optional<std::int64_t>> account_for(std::string_view token) const;
  // When the person's current token was made, or nullopt when there is none.
  Result<std::optional<std::int64_t>> created_at(std::int64_t account) const;
  Status revoke(std::int64_t account);

 private:
  db::Database& db_;
};

}  // namespace ah::modules::meetings
