// OrgStore: organisations (Land, Kreise, Gemeinden and the ones an operator adds) in the
// database. Reads are keyset-paginated by (name_key, id), so a page costs the same on page
// 1 and page 100.
//
// name_key is the name folded for German sorting and search (DIN 5007-1: lower case,
// ä→a, ö→o, ü→u, ß→ss), so "Köthen" sorts with "Koethen"-free neighbours and a search for
// "kothen" or "Köthen" finds it.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "db/database.h"

namespace ah::modules::orgs {

// The types an organisation can have. A kreisfreie Stadt is Kreis and Gemeinde at once.
enum class OrgType { land, kreis, kreisfreie_stadt, gemeinde, zweckverband, it_dienstleister, verband, landesbehoerde };
std::string_view to_string(OrgType type);
std::optional<OrgType> org_type_from_string(std::string_view s);

struct Organisation {
  std::int64_t id = 0;
  std::string ags;  // Amtlicher Gemeindeschlüssel; "" for organisations without one
  std::string name;
  OrgType type = OrgType::gemeinde;
  std::string kreis_ags;  // the Kreis a Gemeinde belongs to; a kreisfreie Stadt's own key
  std::optional<std::int64_t> population;
  std::optional<double> lat, lon;

  // How URLs name it: the AGS, or "o" and the id for organisations without one.
  std::string key() const { return ags.empty() ? "o" + std::to_string(id) : ags; }
};

struct OrgFilter {
  // "kreis" also matches kreisfreie Städte, "gemeinde" too (they are both).
  std::optional<std::string> type;
  std::string kreis_ags;  // Gemeinden of this Kreis (5 digits)
  std::string query;      // part of the name, any case, umlauts folded
};

struct OrgPage {
  std::vector<Organisation> items;
  std::string next_cursor;  // "" on the last page
};

std::string fold_name(std::string_view name);

class OrgStore {
 public:
  explicit OrgStore(db::Database& db) : db_(db) {}

  // Up to `limit` organisations after `cursor` ("" for the first page), by name.
  // A cursor that was not produced by list() is invalid_input.
  Result<OrgPage> list(const OrgFilter& filter, std::string_view cursor, int limit) const;
  Result<std::int64_t> count(const OrgFilter& filter) const;
  // By key (see Organisation::key); a Kreis key ("15001") also finds its kreisfreie Stadt.
  // not_found otherwise.
  Result<Organisation> find(std::string_view key) const;
  // Inserts one organisation (operator CLI, reference data). conflict for a taken AGS.
  // Every OrgListCache of this process reads its lists again afterwards.
  static Result<std::int64_t> insert(db::Connection& connection, const Organisation& org);

 private:
  db::Database& db_;
};

// Lists of organisations kept in memory for pages that show them on every request (the
// Kreis and Gemeinde filters of /beteiligung: 232 rows a request otherwise). Organisations
// change rarely and only through OrgStore::insert (reference data, the operator's CLI). A
// list is read again when OrgStore::insert ran in this process after it was read, or when
// it is older than `max_age` — which bounds how long an insert by another process (the CLI,
// another node) stays unseen. Thread-safe; owned by the module that shows the lists.
class OrgListCache {
 public:
  using List = std::shared_ptr<const std::vector<Organisation>>;

  explicit OrgListCache(std::chrono::steady_clock::duration max_age = std::chrono::minutes(1))
      : max_age_(max_age) {}

  // The first page of OrgStore(db).list(filter, "", limit): at most `limit` organisations.
  Result<List> list(db::Database& db, const OrgFilter& filter, int limit);

 private:
  struct Entry {
    List items;
    std::uint64_t generation = 0;
    std::chrono::steady_clock::time_point read_at;
  };
  const std::chrono::steady_clock::duration max_age_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // by filter and limit; guarded by mutex_
};

}  // namespace ah::modules::orgs
