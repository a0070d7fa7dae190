#include "modules/pages/module.h"

#include <map>

#include "base/files.h"

namespace ah::modules {

std::vector<TextBlock> parse_page_text(std::string_view text) {
  std::vector<TextBlock> blocks;
  std::string paragraph;
  auto flush = [&] {
    if (!paragraph.empty()) blocks.push_back({false, paragraph});
    paragraph.clear();
  };
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) {
      flush();
    } else if (line.starts_with("# ")) {
      flush();
      blocks.push_back({true, std::string(line.substr(2))});
    } else {
      if (!paragraph.empty()) paragraph += ' ';
      paragraph += line;
    }
  }
  flush();
  return blocks;
}

namespace {

struct LegalPage {
  const char* path;
  const char* name;  // file and catalogue key stem
};
constexpr LegalPage kPages[] = {
    {"/impressum", "impressum"},
    {"/datenschutz", "datenschutz"},
    {"/barrierefreiheit", "barrierefreiheit"},
};

class PagesModule : public web::Module {
 public:
  explicit PagesModule(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}
  std::string_view name() const override { return "pages"; }

  void register_routes(http::Router& router, web::Services& s) override {
    for (const auto& page : kPages) {
      for (const auto& lang : s.view.catalog().languages()) {
        auto file = data_dir_ / "pages" / (std::string(page.name) + "." + lang + ".txt");
        if (auto text = read_file(file)) texts_[std::string(page.name) + "." + lang] = *text;
      }
      std::string name = page.name;
      router.add(http::Method::get, page.path,
                 [this, &s, name](http::Request& r) { return render(s, r, name); });
    }
  }

 private:
  http::Response render(web::Services& s, const http::Request& r, const std::string& name) const {
    const auto& c = s.view.catalog();
    auto own = texts_.find(name + "." + r.lang);
    std::string text =
        own != texts_.end() ? own->second : c.text(r.lang, "pages_" + name + "_default");
    web::Data blocks{web::Data::type::list};
    for (const auto& b : parse_page_text(text)) {
      web::Data block{web::Data::type::object};
      block.set("heading", b.heading);
      block.set("text", b.text);
      blocks.push_back(block);
    }
    web::Data data{web::Data::type::object};
    data.set("title", c.text(r.lang, "pages_" + name + "_title"));
    data.set("blocks", blocks);
    auto response = http::Response::html(s.view.render("pages_legal", data, r));
    response.headers.set("Cache-Control", "no-cache");
    return response;
  }

  std::filesystem::path data_dir_;
  std::map<std::string, std::string> texts_;  // "impressum.de" -> text; read once at start
};

}  // namespace

std::unique_ptr<web::Module> make_pages_module(std::filesystem::path data_dir) {
  return std::make_unique<PagesModule>(std::move(data_dir));
}

}  // namespace ah::modules
