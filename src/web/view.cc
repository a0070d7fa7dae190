#include "web/view.h"

#include <map>
#include <sstream>

#include "base/files.h"
#include "base/html.h"

namespace ah::web {

namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;

namespace {

// Looks up "t.KEY" in the language's texts and "assets.KEY" in the asset URLs, everything
// else in the page's data and then in `frame`: the values every page has (language, the
// signed-in person), kept apart so that a render never copies the page's data. A missing
// text renders as a visible marker (see i18n.h).
class PageContext : public mustache::context<std::string> {
 public:
  PageContext(const Data* page, const Data* frame, const Data* texts, const Data* assets)
      : mustache::context<std::string>(page), frame_(frame), texts_(texts), assets_(assets) {}

  const Data* get(const std::string& name) const override {
    if (name.starts_with("t.")) {
      if (const Data* v = texts_->get(name.substr(2))) return v;
      missing_ = Data(missing_marker(name.substr(2)));
      return &missing_;
    }
    if (name.starts_with("assets.")) return assets_->get(name.substr(7));
    if (const Data* v = mustache::context<std::string>::get(name)) return v;
    return frame_->get(name);
  }

 private:
  const Data* frame_;
  const Data* texts_;
  const Data* assets_;
  mutable Data missing_;
};

// Collects a rendered page in one string: an ostringstream would copy it once more and
// costs a stream sentry for each of the thousands of pieces a page is made of.
struct PageText {
  std::string text;
  PageText& operator<<(const std::string& piece) {
    text += piece;
    return *this;
  }
};

}  // namespace

Result<std::unique_ptr<View>> View::load(const fs::path& dir, Catalog catalog,
                                         const http::AssetStore& assets) {
  std::unique_ptr<View> view(new View(std::move(catalog)));
  auto layout = read_file(dir / "layout.mustache");
  if (!layout)
    return fail(ErrorCode::unavailable,
                "layout template missing: " + (dir / "layout.mustache").string());
  const std::string slot = "{{> content}}";
  auto at = layout->find(slot);
  if (at == std::string::npos)
    return fail(ErrorCode::invalid_input, "layout.mustache lacks the {{> content}} slot");

  // Partials (_NAME.mustache) are spliced into the pages that name them ({{> _NAME}}) here,
  // once, like the page into the layout: a render never looks anything up by name.
  std::map<std::string, std::string> pages, partials;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    if (!name.ends_with(".mustache") || name == "layout.mustache") continue;
    auto body = read_file(entry.path());
    if (!body) return fail(ErrorCode::unavailable, "cannot read template " + entry.path().string());
    name.resize(name.size() - 9);
    (name.starts_with("_") ? partials : pages)[name] = std::move(*body);
  }
  if (ec) return fail(ErrorCode::unavailable, "cannot read template folder " + dir.string());

  for (auto& [name, body] : pages) {
    // Partials may use partials; a fixed depth stops a partial that names itself.
    for (int depth = 0; depth < 4; ++depth) {
      bool spliced = false;
      for (const auto& [partial, text] : partials) {
        const std::string tag = "{{> " + partial + "}}";
        for (auto at = body.find(tag); at != std::string::npos; at = body.find(tag, at + text.size())) {
          body.replace(at, tag.size(), text);
          spliced = true;
        }
      }
      if (!spliced) break;
    }
    if (auto left = body.find("{{> _"); left != std::string::npos)
      return fail(ErrorCode::invalid_input,
                  "template " + name + ": unknown or too deeply nested partial " +
                      body.substr(left, body.find("}}", left) + 2 - left));
    std::string text = *layout;
    text.replace(at, slot.size(), body);
    auto compiled = std::make_unique<mustache::mustache>(text);
    if (!compiled->is_valid())
      return fail(ErrorCode::invalid_input,
                  "template " + name + ".mustache: " + compiled->error_message());
    // The library's escaper appends byte by byte; it was a quarter of a page's rendering.
    compiled->set_custom_escape([](const std::string& value) { return html_escaped(value); });
    view->pages_[name] = std::move(compiled);
  }

  for (const auto& lang : view->catalog_.languages()) {
    Data texts{Data::type::object};
    for (const auto& [key, value] : view->catalog_.strings(lang)) texts.set(key, value);
    view->texts_[lang] = std::move(texts);
  }
  view->assets_ = Data{Data::type::object};
  for (const auto& [key, url] : assets.urls()) view->assets_.set(key, url);
  return view;
}

std::string View::render(std::string_view name, const Data& page,
                         const http::Request& request) const {
  Data frame{Data::type::object};
  frame.set("me_signed_in", request.account_id != 0);
  frame.set("me_name", request.account_name);
  frame.set("me_csrf", request.csrf_token);
  if (unread_counter_ && request.account_id != 0) {
    frame.set("me_notifications", true);
    if (auto unread = unread_counter_(request.account_id); unread > 0) {
      std::string count = std::to_string(unread);
      frame.set("me_unread", count);
      frame.set("me_unread_label",
                catalog_.text(request.lang, "nav_notifications") + " (" + count + " " +
                    catalog_.text(request.lang, "nav_notifications_unread") + ")");
    }
  }
  return render_in(name, page, std::move(frame), request.lang);
}

std::string View::render(std::string_view name, const Data& page, std::string_view lang) const {
  return render_in(name, page, Data{Data::type::object}, lang);
}

std::string View::render_in(std::string_view name, const Data& page, Data frame,
                            std::string_view lang) const {
  auto& tmpl = *pages_.at(std::string(name));
  std::string language = catalog_.supports(lang) ? std::string(lang) : Catalog::kDefault;
  for (const auto& l : catalog_.languages()) frame.set("lang_" + l, l == language);
  frame.set("lang", language);
  PageContext ctx(&page, &frame, &texts_.at(language), &assets_);
  PageText out;
  out.text.reserve(32 * 1024);  // most pages are 10-60 KB
  tmpl.render(ctx, out);
  return std::move(out.text);
}

}  // namespace ah::web
