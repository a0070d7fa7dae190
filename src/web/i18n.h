// Catalog: every user-facing string, by language and key: the shared texts in
// i18n/de.json and i18n/en.json, plus each module's i18n/MODULE.de.json and MODULE.en.json
// (gathered there by cmake/share.cmake from src/modules/MODULE/i18n/). A key may be
// defined in one file only.
//
// German is the default and the reference: every language must have exactly its keys
// (load() refuses a catalogue that lacks one or has extras, naming them). Templates use
// {{t.key}}; code uses catalog.text(lang, "key").
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "http/message.h"

namespace ah::web {

class Catalog {
 public:
  static constexpr const char* kDefault = "de";

  static Result<Catalog> load(const std::filesystem::path& dir);

  // The text for `key`; a missing key yields "⟦key⟧" so that tests can spot it in pages.
  const std::string& text(std::string_view lang, std::string_view key) const;
  bool has(std::string_view lang, std::string_view key) const;
  const std::map<std::string, std::string, std::less<>>& strings(std::string_view lang) const;
  const std::vector<std::string>& languages() const { return languages_; }
  bool supports(std::string_view lang) const;

  // Picks the language for a request: ?lang=, then the "lang" cookie, then Accept-Language,
  // then German.
  std::string negotiate(const http::Request& request) const;

 private:
  std::vector<std::string> languages_;  // "de" first
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> strings_;
};

// The marker a missing key renders as.
std::string missing_marker(std::string_view key);

}  // namespace ah::web
