// notifications::notify — how any module tells a person that something happened to them.
//
// A notice is stored in the caller's transaction, so a rolled-back event leaves no notice;
// mail goes out only after the commit, never inside the transaction. The person chooses
// per kind (settings page /konto/benachrichtigungen/einstellungen): in-app only, in-app
// and an email at once, or in-app and a daily digest; without a choice the kind's
// default applies. A notice may name a scope (a working group: "group:7") for which the
// person chose a delivery of its own; that choice then wins. Only a verified address
// gets mail.
//
//   // 1. Declare the kind in the module (name in the module's i18n catalogue):
//   std::vector<web::NoticeKind> notice_kinds() const override {
//     return {{"participation.comment_reply", "participation_notice_comment_reply",
//              web::Delivery::immediate}};
//   }
//   // 2. In the transaction of the event:
//   std::vector<std::int64_t> notices;
//   AH_TRY_STATUS(s.db.transaction([&](db::Connection& tx) -> Status {
//     ... the event's own statements ...
//     AH_TRY(id, notifications::notify(s, tx, {.account_id = author, .kind = "…",
//                                             .title = "…", .text = "…", .link = "/…"}));
//     notices.push_back(id);
//     return {};
//   }));
//   // 3. After the commit:
//   notifications::deliver(s, notices);
//
// Without a transaction of one's own, notify(s, notice) does 2 and 3 in one call.
// Whatever deliver() does not reach (a crash between commit and mail) the housekeeping
// job "send due notification mails" sends a minute later; each mail is claimed by one
// UPDATE before it is sent, so no notice is mailed twice.
//
// Texts are stored as given, in German (the platform's language: a person's language is
// not stored yet); they are shown escaped, and mailed as plain text. A notice keeps its
// text when an account it names is erased: name people only where the reader needs it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "web/module.h"

namespace ah::modules::notifications {

struct Notice {
  std::int64_t account_id = 0;  // who is told
  std::string kind;             // declared by a module (web::Module::notice_kinds)
  std::string title;            // one line, e.g. "Neue Antwort auf Ihren Kommentar"
  std::string text;             // a few plain-text lines; may be empty
  std::string link;             // a path on this site ("/vorschlaege/7#kommentar-9"), or ""
  // Where it happened, when the person may choose delivery per place ("group:7"): their
  // choice for the scope, if any, wins over their choice for the kind. "" for none.
  std::string scope;
};

inline constexpr std::size_t kMaxTitleBytes = 300;
inline constexpr std::size_t kMaxTextBytes = 2'000;

// Stores the notice in `tx` and returns its id. invalid_input for an undeclared kind, no
// account, an empty or too long title, a too long text, or a link that is not a path on
// this site (it must start with one "/"); the caller's transaction should then fail too.
[[nodiscard]] Result<std::int64_t> notify(web::Services& services, db::Connection& tx,
                                          const Notice& notice);
// Sends the mails that are due now for the given notices (those whose person chose "email
// at once"); call after the commit. Mail errors are logged, never returned (web/notify.h).
void deliver(web::Services& services, std::span<const std::int64_t> notice_ids);
// notify() in a transaction of its own, then deliver().
Result<std::int64_t> notify(web::Services& services, const Notice& notice);

// The kind `id` as declared by some module of `services`, if any.
std::optional<web::NoticeKind> find_kind(const web::Services& services, std::string_view id);
// Every declared kind, in module order.
std::vector<web::NoticeKind> all_kinds(const web::Services& services);

// Housekeeping (run by the module's periodic jobs; public for tests):
// mails every notice still due (what deliver() missed); returns how many were mailed.
Result<std::int64_t> send_due_mails(web::Services& services, std::int64_t now);
// From kDigestHour (Berlin time) on, sends each person with digest notices one mail a day
// with all of them; returns how many digests went out. The day a person's digest was sent
// is stored, so a second run the same day (or after a restart) sends nothing, and each
// notice is claimed for exactly one digest.
inline constexpr int kDigestHour = 7;
Result<std::int64_t> send_digests(web::Services& services, std::int64_t now);

}  // namespace ah::modules::notifications
