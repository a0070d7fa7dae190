#include "modules/notifications/store.h"

#include <algorithm>

#include "db/cursor.h"

namespace ah::modules::notifications {

using db::Value;

namespace {

constexpr const char* kColumns = "id, kind, title, body, link, created_at, read_at";

StoredNotice notice_from(const db::Row& row) {
  StoredNotice n;
  n.id = row.int64(0);
  n.kind = row.text(1);
  n.title = row.text(2);
  n.text = row.text(3);
  n.link = row.text(4);
  n.created_at = row.int64(5);
  if (!row.is_null(6)) n.read_at = row.int64(6);
  return n;
}

}  // namespace

std::string_view to_string(web::Delivery delivery) {
  switch (delivery) {
    case web::Delivery::immediate:
      return "immediate";
    case web::Delivery::digest:
      return "digest";
    case web::Delivery::in_app:
      break;
  }
  return "in_app";
}

std::optional<web::Delivery> parse_delivery(std::string_view text) {
  for (auto d : {web::Delivery::in_app, web::Delivery::immediate, web::Delivery::digest})
    if (to_string(d) == text) return d;
  return std::nullopt;
}

Result<NoticePage> NotificationStore::list(std::int64_t account_id, std::string_view cursor,
                                           int limit) const {
  limit = std::clamp(limit, 1, 100);
  std::int64_t before = INT64_MAX;
  if (!cursor.empty()) {
    AH_TRY(position, db::decode_cursor(cursor));
    before = position.id;
  }
  AH_TRY(rs, db_.query(std::string("SELECT ") + kColumns +
                           " FROM notifications WHERE account_id = $1 AND id < $2"
                           " ORDER BY id DESC LIMIT $3",
                       {Value{account_id}, Value{before}, Value{std::int64_t{limit} + 1}}));
  NoticePage page;
  for (const auto& row : rs.rows) page.items.push_back(notice_from(row));
  if (page.items.size() > static_cast<std::size_t>(limit)) {
    page.items.pop_back();
    page.next_cursor = db::encode_cursor("", page.items.back().id);
  }
  return page;
}

Result<std::int64_t> NotificationStore::unread_count(std::int64_t account_id) const {
  AH_TRY(rs, db_.query("SELECT COUNT(*) FROM notifications WHERE account_id = $1"
                       " AND read_at IS NULL",
                       {Value{account_id}}));
  return rs.rows[0].int64(0);
}

Result<StoredNotice> NotificationStore::mark_read(std::int64_t account_id, std::int64_t id,
                                                  std::int64_t now) {
  AH_TRY_STATUS(
      db_.query("UPDATE notifications SET read_at = $3 WHERE id = $1"
                " AND account_id = $2 AND read_at IS NULL",
                {Value{id}, Value{account_id}, Value{now}}));
  AH_TRY(rs, db_.query(std::string("SELECT ") + kColumns +
                           " FROM notifications WHERE id = $1 AND account_id = $2",
                       {Value{id}, Value{account_id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such notice");
  return notice_from(rs.rows[0]);
}

Result<std::int64_t> NotificationStore::mark_all_read(std::int64_t account_id, std::int64_t now) {
  AH_TRY(rs, db_.query("UPDATE notifications SET read_at = $2 WHERE account_id = $1"
                       " AND read_at IS NULL",
                       {Value{account_id}, Value{now}}));
  return rs.affected_rows;
}

Result<std::map<std::string, web::Delivery>> NotificationStore::choices(
    std::int64_t account_id) const {
  AH_TRY(rs, db_.query("SELECT kind, delivery FROM notification_settings WHERE account_id = $1",
                       {Value{account_id}}));
  std::map<std::string, web::Delivery> out;
  for (const auto& row : rs.rows)
    if (auto d = parse_delivery(row.text(1))) out[row.text(0)] = *d;
  return out;
}

Status NotificationStore::choose(std::int64_t account_id, std::string_view kind,
                                 web::Delivery delivery) {
  return db_.transaction([&](db::Connection& tx) -> Status {
    AH_TRY_STATUS(tx.query(
        "INSERT INTO notification_settings (account_id, kind, delivery) VALUES ($1, $2, $3)"
        " ON CONFLICT (account_id, kind) DO UPDATE SET delivery = excluded.delivery",
        {Value{account_id}, Value{std::string(kind)}, Value{std::string(to_string(delivery))}}));
    if (delivery != web::Delivery::digest)
      AH_TRY_STATUS(
          tx.query("UPDATE notifications SET mail_state = 'none' WHERE account_id = $1"
                   " AND kind = $2 AND mail_state = 'digest'",
                   {Value{account_id}, Value{std::string(kind)}}));
    return {};
  });
}

Result<std::optional<web::Delivery>> NotificationStore::scope_choice(
    std::int64_t account_id, std::string_view scope) const {
  AH_TRY(rs, db_.query("SELECT delivery FROM notification_scope_settings WHERE account_id = $1"
                       " AND scope = $2",
                       {Value{account_id}, Value{std::string(scope)}}));
  if (rs.rows.empty()) return std::optional<web::Delivery>();
  return parse_delivery(rs.rows[0].text(0));
}

Result<std::map<std::string, web::Delivery>> NotificationStore::scope_choices(
    std::int64_t account_id) const {
  AH_TRY(rs, db_.query("SELECT scope, delivery FROM notification_scope_settings"
                       " WHERE account_id = $1",
                       {Value{account_id}}));
  std::map<std::string, web::Delivery> out;
  for (const auto& row : rs.rows)
    if (auto d = parse_delivery(row.text(1))) out[row.text(0)] = *d;
  return out;
}

Status NotificationStore::choose_for_scope(std::int64_t account_id, std::string_view scope,
                                           std::optional<web::Delivery> delivery) {
  if (scope.empty()) return fail(ErrorCode::invalid_input, "a scope is needed");
  if (!delivery) {
    AH_TRY_STATUS(db_.query(
        "DELETE FROM notification_scope_settings WHERE account_id = $1 AND scope = $2",
        {Value{account_id}, Value{std::string(scope)}}));
    return {};
  }
  AH_TRY_STATUS(db_.query(
      "INSERT INTO notification_scope_settings (account_id, scope, delivery) VALUES ($1, $2, $3)"
      " ON CONFLICT (account_id, scope) DO UPDATE SET delivery = excluded.delivery",
      {Value{account_id}, Value{std::string(scope)}, Value{std::string(to_string(*delivery))}}));
  return {};
}

std::vector<db::Migration> notification_migrations() {
  // mail_state: 'none' (in-app only), 'due' (to be mailed at once), 'digest' (waits for
  // the next digest), 'sent' (claimed by a mail), 'unverified' (no verified address then).
  // The partial indexes keep the unread count and the mail jobs' scans to the rows
  // they look for.
  return {
      {7000, "notifications",
       "CREATE TABLE notifications ("
       " id {{id}},"
       " account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
       " kind TEXT NOT NULL,"
       " title TEXT NOT NULL,"
       " body TEXT NOT NULL,"
       " link TEXT NOT NULL,"
       " created_at BIGINT NOT NULL,"
       " read_at BIGINT,"
       " mail_state TEXT NOT NULL CHECK (mail_state IN"
       "  ('none', 'due', 'digest', 'sent', 'unverified')),"
       " mailed_at BIGINT);"
       "CREATE INDEX notifications_by_account ON notifications (account_id, id);"
       "CREATE INDEX notifications_unread ON notifications (account_id) WHERE read_at IS NULL;"
       "CREATE INDEX notifications_mail_waiting ON notifications (mail_state, account_id)"
       " WHERE mail_state IN ('due', 'digest');"
       "CREATE TABLE notification_settings ("
       " account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
       " kind TEXT NOT NULL,"
       " delivery TEXT NOT NULL CHECK (delivery IN ('in_app', 'immediate', 'digest')),"
       " PRIMARY KEY (account_id, kind));"
       // The Berlin date ("YYYY-MM-DD") of the person's last digest: the state that makes
       // the daily digest survive restarts and a second run of the job.
       "CREATE TABLE notification_digests ("
       " account_id BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,"
       " sent_on TEXT NOT NULL)"},
      // A person's delivery for everything of one scope (a working group: "group:7").
      {7001, "notification scope settings",
       "CREATE TABLE notification_scope_settings ("
       " account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
       " scope TEXT NOT NULL,"
       " delivery TEXT NOT NULL CHECK (delivery IN ('in_app', 'immediate', 'digest')),"
       " PRIMARY KEY (account_id, scope))"},
  };
}

}  // namespace ah::modules::notifications
