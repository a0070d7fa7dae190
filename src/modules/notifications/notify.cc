#include "modules/notifications/notify.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/notifications/store.h"
#include "web/format.h"
#include "web/notify.h"

namespace ah::modules::notifications {

using db::Value;

namespace {

// A path on this site: "/…" but not "//host" or "/\host", which browsers read as another
// host; no control characters.
bool local_link(std::string_view link) {
  if (link.empty()) return true;
  if (link[0] != '/' || (link.size() > 1 && (link[1] == '/' || link[1] == '\\'))) return false;
  return std::none_of(link.begin(), link.end(),
                      [](unsigned char c) { return c < 0x20 || c == 0x7f || c == ' '; });
}

bool one_line(std::string_view text) {
  return text.find_first_of("\r\n") == std::string_view::npos;
}

// The verified address of the account, or "" (then nothing is mailed).
std::string verified_address(web::Services& s, std::int64_t account_id) {
  auto person = accounts::AccountStore(s.db).find(account_id);
  if (!person) {
    spdlog::error("account {} not read for a notice mail: {}", account_id, person.error().detail);
    return {};
  }
  if (!*person || !(*person)->email_verified_at) return {};
  return (*person)->email;
}

std::string footer(const web::Services& s) {
  const auto& c = s.view.catalog();
  return "\n-- \n" + c.text("de", "notifications_mail_footer") + "\n" + s.public_url +
         "/konto/benachrichtigungen/einstellungen\n";
}

// Claims the notice's mail (due -> sent) and sends it; false when another run had it.
bool mail_one(web::Services& s, std::int64_t id, std::int64_t now) {
  auto claimed = s.db.query(
      "UPDATE notifications SET mail_state = 'sent', mailed_at = $2 WHERE id = $1"
      " AND mail_state = 'due' RETURNING account_id, title, body, link",
      {Value{id}, Value{now}});
  if (!claimed) {
    spdlog::error("notice {} not claimed for mail: {}", id, claimed.error().detail);
    return false;
  }
  if (claimed->rows.empty()) return false;
  const auto& row = claimed->rows[0];
  auto to = verified_address(s, row.int64(0));
  if (to.empty()) {
    (void)s.db.query("UPDATE notifications SET mail_state = 'unverified' WHERE id = $1",
                     {Value{id}});
    return false;
  }
  std::string text = row.text(2).empty() ? "" : row.text(2) + "\n\n";
  if (!row.text(3).empty()) text += s.public_url + row.text(3) + "\n";
  web::send_mail(s, {.to = to, .subject = row.text(1), .text = text + footer(s)});
  return true;
}

}  // namespace

std::optional<web::NoticeKind> find_kind(const web::Services& services, std::string_view id) {
  for (const auto* m : services.modules)
    for (auto& kind : m->notice_kinds())
      if (kind.id == id) return std::move(kind);
  return std::nullopt;
}

std::vector<web::NoticeKind> all_kinds(const web::Services& services) {
  std::vector<web::NoticeKind> out;
  for (const auto* m : services.modules)
    for (auto& kind : m->notice_kinds()) out.push_back(std::move(kind));
  return out;
}

Result<std::int64_t> notify(web::Services& s, db::Connection& tx, const Notice& notice) {
  auto kind = find_kind(s, notice.kind);
  if (!kind) return fail(ErrorCode::invalid_input, "undeclared notice kind", notice.kind);
  if (notice.account_id <= 0) return fail(ErrorCode::invalid_input, "a notice needs an account");
  if (notice.title.empty() || notice.title.size() > kMaxTitleBytes || !one_line(notice.title))
    return fail(ErrorCode::invalid_input, "a notice needs a title of one line");
  if (notice.text.size() > kMaxTextBytes)
    return fail(ErrorCode::invalid_input, "a notice's text is too long");
  if (!local_link(notice.link))
    return fail(ErrorCode::invalid_input, "a notice links to a path on this site", notice.link);

  // The person's choice for the scope wins over their choice for the kind (ranked 0 and 1).
  AH_TRY(chosen, tx.query("SELECT delivery, 1 FROM notification_settings WHERE account_id = $1"
                          " AND kind = $2"
                          " UNION ALL SELECT delivery, 0 FROM notification_scope_settings"
                          " WHERE account_id = $1 AND scope = $3 ORDER BY 2 LIMIT 1",
                          {Value{notice.account_id}, Value{notice.kind}, Value{notice.scope}}));
  web::Delivery delivery = kind->default_delivery;
  if (!chosen.rows.empty()) delivery = parse_delivery(chosen.rows[0].text(0)).value_or(delivery);
  const char* mail_state = delivery == web::Delivery::immediate ? "due"
                           : delivery == web::Delivery::digest  ? "digest"
                                                                : "none";
  AH_TRY(rs, tx.query("INSERT INTO notifications (account_id, kind, title, body, link, created_at,"
                      " mail_state) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                      {Value{notice.account_id}, Value{notice.kind}, Value{notice.title},
                       Value{notice.text}, Value{notice.link}, Value{accounts::unix_now()},
                       Value{std::string(mail_state)}}));
  return rs.rows[0].int64(0);
}

void deliver(web::Services& s, std::span<const std::int64_t> notice_ids) {
  auto now = accounts::unix_now();
  for (auto id : notice_ids) mail_one(s, id, now);
}

Result<std::int64_t> notify(web::Services& s, const Notice& notice) {
  AH_TRY(id, s.db.transaction([&](db::Connection& tx) -> Result<std::int64_t> {
    return notify(s, tx, notice);
  }));
  deliver(s, std::span<const std::int64_t>(&id, 1));
  return id;
}

Result<std::int64_t> send_due_mails(web::Services& s, std::int64_t now) {
  AH_TRY(rs, s.db.query("SELECT id FROM notifications WHERE mail_state = 'due' ORDER BY id"
                        " LIMIT 500"));
  std::int64_t sent = 0;
  for (const auto& row : rs.rows) sent += mail_one(s, row.int64(0), now) ? 1 : 0;
  return sent;
}

Result<std::int64_t> send_digests(web::Services& s, std::int64_t now) {
  if (web::berlin_time(now).hour < kDigestHour) return 0;
  const auto& c = s.view.catalog();
  const std::string today = web::berlin_date_value(now);
  AH_TRY(people, s.db.query("SELECT DISTINCT account_id FROM notifications"
                            " WHERE mail_state = 'digest'"));
  std::int64_t sent = 0;
  for (const auto& person : people.rows) {
    const std::int64_t account_id = person.int64(0);
    // Claims today's digest of the person and its notices in one transaction: a second
    // run finds the day taken or the notices gone, never both free.
    auto claimed = s.db.transaction([&](db::Connection& tx) -> Result<db::ResultSet> {
      AH_TRY(day, tx.query("INSERT INTO notification_digests (account_id, sent_on) VALUES ($1, $2)"
                           " ON CONFLICT (account_id) DO UPDATE SET sent_on = excluded.sent_on"
                           " WHERE notification_digests.sent_on < excluded.sent_on"
                           " RETURNING account_id",
                           {Value{account_id}, Value{today}}));
      if (day.rows.empty()) return db::ResultSet{};
      return tx.query(
          "UPDATE notifications SET mail_state = 'sent', mailed_at = $2"
          " WHERE account_id = $1 AND mail_state = 'digest'"
          " RETURNING id, title, body, link, created_at, read_at",
          {Value{account_id}, Value{now}});
    });
    if (!claimed) {
      spdlog::error("digest of account {} not claimed: {}", account_id, claimed.error().detail);
      continue;
    }
    auto rows = claimed->rows;
    // What the person has read in the meantime needs no mail.
    std::erase_if(rows, [](const db::Row& row) { return !row.is_null(5); });
    if (rows.empty()) continue;
    std::sort(rows.begin(), rows.end(),
              [](const db::Row& a, const db::Row& b) { return a.int64(0) < b.int64(0); });
    auto to = verified_address(s, account_id);
    if (to.empty()) continue;
    std::string text = c.text("de", "notifications_digest_intro") + "\n\n";
    for (const auto& row : rows) {
      text += "* " + row.text(1) + " (" + web::format_date_time(row.int64(4), "de") + ")\n";
      if (!row.text(2).empty()) text += "  " + row.text(2) + "\n";
      if (!row.text(3).empty()) text += "  " + s.public_url + row.text(3) + "\n";
      text += "\n";
    }
    web::send_mail(s, {.to = to,
                       .subject = c.text("de", "notifications_digest_subject") + " " +
                                  web::format_date(now, "de"),
                       .text = text + footer(s)});
    ++sent;
  }
  return sent;
}

}  // namespace ah::modules::notifications
