// NotificationStore: a person's notices and their choices of delivery, as the pages and
// the API read and change them. Notices are written only through notify() (notify.h).
//
// Every method takes the account it acts for and touches only that account's rows: a
// notice of someone else is not_found, exactly like one that does not exist.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "db/migrate.h"
#include "web/module.h"

namespace ah::modules::notifications {

struct StoredNotice {
  std::int64_t id = 0;
  std::string kind, title, text, link;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

struct NoticePage {
  std::vector<StoredNotice> items;  // newest first
  std::string next_cursor;          // "" on the last page
};

// "in_app", "immediate", "digest" (stored and sent in forms and the API).
std::string_view to_string(web::Delivery delivery);
std::optional<web::Delivery> parse_delivery(std::string_view text);

class NotificationStore {
 public:
  explicit NotificationStore(db::Database& db) : db_(db) {}

  // Newest first, keyset-paged by id; invalid_input for a cursor that does not decode.
  Result<NoticePage> list(std::int64_t account_id, std::string_view cursor, int limit) const;
  // One indexed count (partial index on unread rows).
  Result<std::int64_t> unread_count(std::int64_t account_id) const;
  // Marks it read (once: a second call keeps the first time) and returns it.
  Result<StoredNotice> mark_read(std::int64_t account_id, std::int64_t id, std::int64_t now);
  // Returns how many were unread.
  Result<std::int64_t> mark_all_read(std::int64_t account_id, std::int64_t now);

  // The person's choices by kind; kinds without a choice are absent.
  Result<std::map<std::string, web::Delivery>> choices(std::int64_t account_id) const;
  // Stores the choice. Choosing in_app or immediate drops the kind's notices waiting for
  // the next digest from it (they stay in the list).
  Status choose(std::int64_t account_id, std::string_view kind, web::Delivery delivery);

  // The person's choice for everything of one scope (a working group: "group:7"), which
  // wins over the choices by kind; nullopt: none (the choices by kind apply).
  Result<std::optional<web::Delivery>> scope_choice(std::int64_t account_id,
                                                    std::string_view scope) const;
  // Every scope the person chose for (DSGVO export).
  Result<std::map<std::string, web::Delivery>> scope_choices(std::int64_t account_id) const;
  // Stores the choice, or with nullopt forgets it. Does not move notices already waiting.
  Status choose_for_scope(std::int64_t account_id, std::string_view scope,
                          std::optional<web::Delivery> delivery);

 private:
  db::Database& db_;
};

// Versions 7000–7099.
std::vector<db::Migration> notification_migrations();

}  // namespace ah::modules::notifications
