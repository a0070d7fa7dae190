// View: renders pages from mustache templates inside the common layout, in one language.
//
// Templates live in templates/NAME.mustache (the build gathers src/web/templates and every
// module's templates/ there; names must be unique). layout.mustache includes the page with
// {{> content}}; at load time each page is spliced into the layout and parsed once, so a
// render does no parsing. Files named _NAME.mustache are partials: a page (or partial) that
// contains {{> _NAME}} gets the partial's text in its place at load time; partials are not
// pages themselves. Values are always HTML-escaped ({{x}}); triple mustache is not
// used. Besides the page's own data, every template can read:
//   {{t.KEY}}        the text KEY in the request's language (see i18n.h)
//   {{assets.KEY}}   the hashed URL of the asset with manifest key KEY (see http/assets.h)
//   {{lang}}, {{lang_de}}, {{lang_en}}   the language, and a flag per language
//
//   mustache::data page;
//   page.set("title", catalog.text(lang, "home_title"));
//   std::string html = view.render("home", page, lang);
#pragma once

#include <filesystem>
#include <functional>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <string>

#include "base/error.h"
#include "http/assets.h"
#include "http/message.h"
#include "web/i18n.h"

namespace ah::web {

using Data = kainjow::mustache::data;

class View {
 public:
  static Result<std::unique_ptr<View>> load(const std::filesystem::path& templates_dir,
                                            Catalog catalog, const http::AssetStore& assets);

  // Renders page NAME inside the layout. `page` must be an object; NAME must exist (a
  // programming error otherwise: std::out_of_range).
  std::string render(std::string_view name, const Data& page, std::string_view lang) const;
  // The same in the request's language, with the account menu's values for the layout:
  // {{me_signed_in}}, {{me_name}} and {{me_csrf}} (the logout form's token); with an
  // unread counter set, also {{me_notifications}} (true), {{me_unread}} (the count as
  // text, absent for none) and {{me_unread_label}} (its accessible name).
  std::string render(std::string_view name, const Data& page, const http::Request& request) const;
  bool has(std::string_view name) const { return pages_.contains(std::string(name)); }

  // How many unread notices an account has, for the account menu (modules/notifications
  // sets it while routes are registered, before any request; one indexed count a page).
  using UnreadCounter = std::function<std::int64_t(std::int64_t account_id)>;
  void set_unread_counter(UnreadCounter counter) { unread_counter_ = std::move(counter); }

  const Catalog& catalog() const { return catalog_; }

 private:
  View(Catalog catalog) : catalog_(std::move(catalog)) {}
  // Renders with `frame` (the values every page has) looked up after the page's own.
  std::string render_in(std::string_view name, const Data& page, Data frame,
                        std::string_view lang) const;
  Catalog catalog_;
  std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>> pages_;
  std::map<std::string, Data> texts_;  // language -> object of all texts
  Data assets_;
  UnreadCounter unread_counter_;
};

}  // namespace ah::web
