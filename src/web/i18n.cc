#include "web/i18n.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "http/cookies.h"
#include "http/url.h"

namespace ah::web {

namespace fs = std::filesystem;

std::string missing_marker(std::string_view key) { return "⟦" + std::string(key) + "⟧"; }

namespace {

// Adds the texts of one catalogue file to `table`; a key defined twice (in two files) is
// an error naming both, so that modules cannot silently override each other's texts.
Status add_file(const fs::path& file, std::map<std::string, std::string, std::less<>>& table,
                std::map<std::string, fs::path>& origin) {
  std::ifstream in(file);
  if (!in) return fail(ErrorCode::unavailable, "language catalogue missing: " + file.string());
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(ErrorCode::invalid_input, "language catalogue is not a JSON object: " + file.string());
  for (auto& [key, value] : j.items()) {
    if (!value.is_string())
      return fail(ErrorCode::invalid_input, file.string() + ": value of '" + key + "' is not a string");
    if (auto [it, added] = origin.emplace(key, file); !added)
      return fail(ErrorCode::invalid_input, "the key '" + key + "' is defined in " +
                                                it->second.string() + " and in " + file.string());
    table[key] = value.get<std::string>();
  }
  return {};
}

}  // namespace

Result<Catalog> Catalog::load(const fs::path& dir) {
  Catalog c;
  for (const char* lang : {"de", "en"}) {
    // LANG.json first (the shared texts), then every MODULE.LANG.json in name order.
    std::vector<fs::path> files{dir / (std::string(lang) + ".json")};
    std::error_code ec;
    std::vector<fs::path> modules;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::string name = entry.path().filename().string();
      std::string suffix = "." + std::string(lang) + ".json";
      if (name.size() > suffix.size() && name.ends_with(suffix)) modules.push_back(entry.path());
    }
    std::sort(modules.begin(), modules.end());
    files.insert(files.end(), modules.begin(), modules.end());
    auto& table = c.strings_[lang];
    std::map<std::string, fs::path> origin;
    for (const auto& file : files) AH_TRY_STATUS(add_file(file, table, origin));
    c.languages_.push_back(lang);
  }
  const auto& reference = c.strings_[kDefault];
  for (const auto& lang : c.languages_) {
    const auto& table = c.strings_[lang];
    for (const auto& [key, _] : reference)
      if (!table.contains(key))
        return fail(ErrorCode::invalid_input, "catalogue '" + lang + "' lacks the key '" + key + "'");
    for (const auto& [key, _] : table)
      if (!reference.contains(key))
        return fail(ErrorCode::invalid_input,
                    "catalogue '" + lang + "' has the key '" + key + "' that German lacks");
  }
  return c;
}

bool Catalog::supports(std::string_view lang) const {
  return strings_.find(lang) != strings_.end();
}

const std::map<std::string, std::string, std::less<>>& Catalog::strings(std::string_view lang) const {
  auto it = strings_.find(lang);
  if (it == strings_.end()) it = strings_.find(kDefault);
  return it->second;
}

bool Catalog::has(std::string_view lang, std::string_view key) const {
  const auto& table = strings(lang);
  return table.find(key) != table.end();
}

const std::string& Catalog::text(std::string_view lang, std::string_view key) const {
  const auto& table = strings(lang);
  if (auto it = table.find(key); it != table.end()) return it->second;
  thread_local std::string marker;
  marker = missing_marker(key);
  return marker;
}

std::string Catalog::negotiate(const http::Request& request) const {
  if (auto query = http::parse_query(request.query)) {
    if (auto lang = query->get("lang"); supports(lang)) return std::string(lang);
  }
  auto cookies = http::parse_cookies(request.headers.get("Cookie"));
  if (auto it = cookies.find("lang"); it != cookies.end() && supports(it->second))
    return it->second;
  // Accept-Language: take the first listed language we support (q-values are rarely
  // anything but descending in practice; the order is the browser's preference).
  std::string_view accept = request.headers.get("Accept-Language");
  while (!accept.empty()) {
    auto comma = accept.find(',');
    auto item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto tag = item.substr(0, std::min(item.find(';'), item.find('-')));
    std::string lower;
    for (char ch : tag) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower.size() == 2 && supports(lower)) return lower;
  }
  return kDefault;
}

}  // namespace ah::web
