#include "modules/orgs/store.h"

#include <atomic>

#include "db/cursor.h"


namespace ah::modules::orgs {

namespace {

// Bumped by every OrgStore::insert of this process; OrgListCache entries of an older
// generation are read again.
std::atomic<std::uint64_t> org_generation{0};

constexpr std::pair<OrgType, std::string_view> kTypeNames[] = {
    {OrgType::land, "land"},
    {OrgType::kreis, "kreis"},
    {OrgType::kreisfreie_stadt, "kreisfreie_stadt"},
    {OrgType::gemeinde, "gemeinde"},
    {OrgType::zweckverband, "zweckverband"},
    {OrgType::it_dienstleister, "it_dienstleister"},
    {OrgType::verband, "verband"},
    {OrgType::landesbehoerde, "landesbehoerde"},
};

// The columns from_row reads, in its order.
constexpr std::string_view kColumns = "SELECT id, ags, name, type, kreis_ags, population, lat, lon";

Organisation from_row(const db::Row& row) {
  Organisation o;
  o.id = row.int64(0);
  o.ags = row.is_null(1) ? "" : row.text(1);
  o.name = row.text(2);
  o.type = org_type_from_string(row.text(3)).value_or(OrgType::verband);
  o.kreis_ags = row.is_null(4) ? "" : row.text(4);
  if (!row.is_null(5)) o.population = row.int64(5);
  if (!row.is_null(6)) o.lat = row.real(6);
  if (!row.is_null(7)) o.lon = row.real(7);
  return o;
}

// Appends the WHERE conditions of `filter` to `sql` (fixed text only) and their values to
// `params`, numbering placeholders from params.size() + 1.
void add_filter(std::string& sql, std::vector<db::Value>& params, const OrgFilter& filter) {
  auto placeholder = [&params](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  sql += " WHERE 1 = 1";
  if (filter.type) {
    std::string wanted = *filter.type;
    if (wanted == "kreis" || wanted == "gemeinde") {
      sql += " AND type IN (" + placeholder(wanted) + ", 'kreisfreie_stadt')";
    } else {
      sql += " AND type = " + placeholder(wanted);
    }
  }
  if (!filter.kreis_ags.empty()) sql += " AND kreis_ags = " + placeholder(filter.kreis_ags);
  if (!filter.query.empty()) {
    std::string pattern = "%";
    for (char c : fold_name(filter.query)) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    sql += " AND name_key LIKE " + placeholder(pattern) + " ESCAPE '\\'";
  }
}

}  // namespace

std::string_view to_string(OrgType type) {
  for (const auto& [t, name] : kTypeNames)
    if (t == type) return name;
  return "verband";
}

std::optional<OrgType> org_type_from_string(std::string_view s) {
  for (const auto& [t, name] : kTypeNames)
    if (name == s) return t;
  return std::nullopt;
}

std::string fold_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {  // UTF-8 lead byte of Ä Ö Ü ä ö ü ß
      unsigned char n = static_cast<unsigned char>(name[i + 1]);
      const char* folded = nullptr;
      switch (n) {
        case 0x84: case 0xA4: folded = "a"; break;  // Ä ä
        case 0x96: case 0xB6: folded = "o"; break;  // Ö ö
        case 0x9C: case 0xBC: folded = "u"; break;  // Ü ü
        case 0x9F: folded = "ss"; break;            // ß
      }
      if (folded) {
        out += folded;
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
  }
  return out;
}

Result<OrgPage> OrgStore::list(const OrgFilter& filter, std::string_view cursor, int limit) const {
  std::vector<db::Value> params;
  std::string sql(kColumns);
  sql += ", name_key FROM organisations";  // name_key (column 8) builds the next cursor
  add_filter(sql, params, filter);
  if (!cursor.empty()) {
    AH_TRY(after, db::decode_cursor(cursor));
    params.push_back(after.key);
    std::string key = "$" + std::to_string(params.size());
    params.push_back(after.id);
    std::string id = "$" + std::to_string(params.size());
    sql += " AND (name_key > " + key + " OR (name_key = " + key + " AND id > " + id + "))";
  }
  params.push_back(std::int64_t{limit + 1});
  sql += " ORDER BY name_key, id LIMIT $" + std::to_string(params.size());
  AH_TRY(result, db_.query(sql, params));
  OrgPage page;
  for (std::size_t i = 0; i < result.rows.size() && static_cast<int>(i) < limit; ++i)
    page.items.push_back(from_row(result.rows[i]));
  if (static_cast<int>(result.rows.size()) > limit) {
    const auto& last = result.rows[static_cast<std::size_t>(limit) - 1];
    page.next_cursor = db::encode_cursor(last.text(8), last.int64(0));
  }
  return page;
}

Result<std::int64_t> OrgStore::count(const OrgFilter& filter) const {
  std::vector<db::Value> params;
  std::string sql = "SELECT COUNT(*) FROM organisations";
  add_filter(sql, params, filter);
  AH_TRY(result, db_.query(sql, params));
  return result.rows.at(0).int64(0);
}

Result<Organisation> OrgStore::find(std::string_view key) const {
  std::string sql(kColumns);
  std::vector<db::Value> params;
  if (key.size() > 1 && key.front() == 'o' &&
      key.find_first_not_of("0123456789", 1) == std::string_view::npos && key.size() < 19) {
    sql += " FROM organisations WHERE id = $1 AND ags IS NULL";
    params.push_back(std::stoll(std::string(key.substr(1))));
  } else {
    sql += " FROM organisations WHERE ags = $1 OR (type = 'kreisfreie_stadt' AND kreis_ags = $1)"
           " ORDER BY id LIMIT 1";
    params.push_back(std::string(key));
  }
  AH_TRY(result, db_.query(sql, params));
  if (result.rows.empty()) return fail(ErrorCode::not_found, "no organisation " + std::string(key));
  return from_row(result.rows[0]);
}

Result<std::int64_t> OrgStore::insert(db::Connection& connection, const Organisation& o) {
  auto optional_text = [](const std::string& s) { return s.empty() ? db::Value{nullptr} : db::Value{s}; };
  AH_TRY(result, connection.query(
                     "INSERT INTO organisations (ags, name, name_key, type, kreis_ags, population, lat, lon)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                     {optional_text(o.ags), db::Value{o.name}, db::Value{fold_name(o.name)},
                      db::Value{std::string(to_string(o.type))}, optional_text(o.kreis_ags),
                      o.population ? db::Value{*o.population} : db::Value{nullptr},
                      o.lat ? db::Value{*o.lat} : db::Value{nullptr},
                      o.lon ? db::Value{*o.lon} : db::Value{nullptr}}));
  ++org_generation;
  return result.rows.at(0).int64(0);
}

Result<OrgListCache::List> OrgListCache::list(db::Database& db, const OrgFilter& filter,
                                              int limit) {
  const std::string key = filter.type.value_or("") + '\n' + filter.kreis_ags + '\n' + filter.query +
                          '\n' + std::to_string(limit);
  // Read before the database, so that an insert during the read makes the entry old.
  const std::uint64_t generation = org_generation.load();
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.generation == generation &&
        now - it->second.read_at < max_age_)
      return it->second.items;
  }
  AH_TRY(page, OrgStore(db).list(filter, "", limit));
  auto items = std::make_shared<const std::vector<Organisation>>(std::move(page.items));
  std::lock_guard lock(mutex_);
  entries_[key] = Entry{.items = items, .generation = generation, .read_at = now};
  return items;
}

}  // namespace ah::modules::orgs
