#include "web/view.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "web/errors.h"
#include "web/format.h"

namespace ah::web {
namespace {

namespace fs = std::filesystem;

// A tiny share folder with its own templates and catalogues, so these tests pin the
// mechanism and not the real pages' wording.
class ViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ah-view-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "templates");
    fs::create_directories(dir_ / "i18n");
    fs::create_directories(dir_ / "assets");
    write("templates/layout.mustache",
          "<html lang=\"{{lang}}\"><title>{{title}}</title><link href=\"{{assets.css}}\">"
          "{{#lang_en}}EN{{/lang_en}}<main>{{> content}}</main></html>");
    write("templates/page.mustache", "<h1>{{t.hello}}</h1><p>{{name}}</p><p>{{t.nope}}</p>");
    write("templates/error.mustache", "<h1>{{error_title}}</h1><p>{{error_message}}</p><p>{{request_id}}</p>");
    write("i18n/de.json", R"({"hello":"Hallo","error_404_title":"Nicht gefunden","error_404_message":"Gibt es nicht.","error_400_title":"Ungültig","error_400_message":"Prüfen Sie die Eingabe.","error_500_title":"Fehler","error_500_message":"Später erneut."})");
    write("i18n/en.json", R"({"hello":"Hello","error_404_title":"Not found","error_404_message":"Does not exist.","error_400_title":"Invalid","error_400_message":"Check the input.","error_500_title":"Error","error_500_message":"Try later."})");
    write("assets/site.css", "body{}");
    write("assets/manifest.txt", "css assets/site.css site.css\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  std::unique_ptr<View> load() {
    assets_ = std::make_unique<http::AssetStore>(*http::AssetStore::load(dir_ / "assets"));
    auto catalog = Catalog::load(dir_ / "i18n");
    EXPECT_TRUE(catalog) << catalog.error().message;
    auto view = View::load(dir_ / "templates", std::move(*catalog), *assets_);
    EXPECT_TRUE(view) << view.error().message;
    return std::move(*view);
  }
  fs::path dir_;
  std::unique_ptr<http::AssetStore> assets_;
};

TEST_F(ViewTest, RendersInLayoutEscapedAndTranslated) {
  auto view = load();
  Data page{Data::type::object};
  page.set("title", "T");
  page.set("name", "<script>alert('x')</script>");
  std::string de = view->render("page", page, "de");
  EXPECT_NE(de.find("<html lang=\"de\">"), std::string::npos) << de;
  EXPECT_NE(de.find("<h1>Hallo</h1>"), std::string::npos);
  EXPECT_NE(de.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(de.find("<script>"), std::string::npos);
  EXPECT_NE(de.find("href=\"/assets/site."), std::string::npos);
  EXPECT_EQ(de.find("EN"), std::string::npos);
  // A missing key is visible, so a page test can catch it.
  EXPECT_NE(de.find(missing_marker("nope")), std::string::npos);

  std::string en = view->render("page", page, "en");
  EXPECT_NE(en.find("<h1>Hello</h1>"), std::string::npos);
  EXPECT_NE(en.find("EN"), std::string::npos);
  // Unknown languages fall back to German.
  EXPECT_NE(view->render("page", page, "fr").find("Hallo"), std::string::npos);
}

TEST_F(ViewTest, PartialsAreSplicedIntoPagesAndAreNoPagesThemselves) {
  write("templates/_item.mustache", "<li>{{name}}{{> _mark}}</li>");
  write("templates/_mark.mustache", "<b>!</b>");
  write("templates/list.mustache", "<ul>{{#items}}{{> _item}}{{/items}}</ul>{{> _item}}");
  auto view = load();
  Data items{Data::type::list};
  for (const char* n : {"a", "<b>"}) {
    Data item{Data::type::object};
    item.set("name", n);
    items.push_back(item);
  }
  Data page{Data::type::object};
  page.set("items", items);
  page.set("name", "z");
  std::string html = view->render("list", page, "de");
  EXPECT_NE(html.find("<ul><li>a<b>!</b></li><li>&lt;b&gt;<b>!</b></li></ul><li>z<b>!</b></li>"),
            std::string::npos)
      << html;
  EXPECT_THROW(view->render("_item", page, "de"), std::out_of_range);
}

TEST_F(ViewTest, UnknownOrSelfNamingPartialIsRefused) {
  write("templates/list.mustache", "{{> _missing}}");
  assets_ = std::make_unique<http::AssetStore>(*http::AssetStore::load(dir_ / "assets"));
  auto view = View::load(dir_ / "templates", *Catalog::load(dir_ / "i18n"), *assets_);
  ASSERT_FALSE(view);
  EXPECT_NE(view.error().message.find("{{> _missing}}"), std::string::npos) << view.error().message;
  write("templates/list.mustache", "{{> _loop}}");
  write("templates/_loop.mustache", "x{{> _loop}}");
  view = View::load(dir_ / "templates", *Catalog::load(dir_ / "i18n"), *assets_);
  ASSERT_FALSE(view);
  EXPECT_NE(view.error().message.find("_loop"), std::string::npos);
}

TEST_F(ViewTest, CatalogueWithMissingKeyIsRefused) {
  write("i18n/en.json", R"({"hello":"Hello"})");
  auto catalog = Catalog::load(dir_ / "i18n");
  ASSERT_FALSE(catalog);
  EXPECT_NE(catalog.error().message.find("lacks the key"), std::string::npos);
}

TEST_F(ViewTest, ModuleCataloguesAreMergedAndMayNotRedefineAKey) {
  write("i18n/m.de.json", R"({"m_only":"Modul"})");
  write("i18n/m.en.json", R"({"m_only":"Module"})");
  auto catalog = Catalog::load(dir_ / "i18n");
  ASSERT_TRUE(catalog) << catalog.error().message;
  EXPECT_EQ(catalog->text("de", "m_only"), "Modul");
  EXPECT_EQ(catalog->text("en", "m_only"), "Module");
  EXPECT_EQ(catalog->text("en", "hello"), "Hello");

  write("i18n/m.de.json", R"({"m_only":"Modul","hello":"Servus"})");
  auto clash = Catalog::load(dir_ / "i18n");
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().message.find("'hello' is defined in"), std::string::npos);

  // A module's English file must have the same keys as its German one, like the shared one.
  write("i18n/m.de.json", R"({"m_only":"Modul","m_more":"Mehr"})");
  auto lacking = Catalog::load(dir_ / "i18n");
  ASSERT_FALSE(lacking);
  EXPECT_NE(lacking.error().message.find("lacks the key 'm_more'"), std::string::npos);
}

TEST_F(ViewTest, ErasedAuthorsShowAsDeletedAccount) {
  write("i18n/de.json", R"({"hello":"Hallo","deleted_account":"gelöschtes Konto"})");
  write("i18n/en.json", R"({"hello":"Hello","deleted_account":"deleted account"})");
  auto catalog = Catalog::load(dir_ / "i18n");
  ASSERT_TRUE(catalog) << catalog.error().message;
  EXPECT_EQ(author_name(*catalog, "de", std::nullopt), "gelöschtes Konto");
  EXPECT_EQ(author_name(*catalog, "en", std::nullopt), "deleted account");
  EXPECT_EQ(author_name(*catalog, "de", std::string("Anna")), "Anna");
}

TEST_F(ViewTest, BrokenTemplateIsRefusedWithItsName) {
  write("templates/broken.mustache", "{{#open}} never closed");
  assets_ = std::make_unique<http::AssetStore>(*http::AssetStore::load(dir_ / "assets"));
  auto view = View::load(dir_ / "templates", *Catalog::load(dir_ / "i18n"), *assets_);
  ASSERT_FALSE(view);
  EXPECT_NE(view.error().message.find("broken.mustache"), std::string::npos);
}

TEST_F(ViewTest, LanguageNegotiation) {
  auto catalog = *Catalog::load(dir_ / "i18n");
  http::Request r;
  EXPECT_EQ(catalog.negotiate(r), "de");
  r.headers.set("Accept-Language", "en-GB,en;q=0.8,de;q=0.5");
  EXPECT_EQ(catalog.negotiate(r), "en");
  r.headers.set("Cookie", "lang=de");
  EXPECT_EQ(catalog.negotiate(r), "de");
  r.query = "lang=en";
  EXPECT_EQ(catalog.negotiate(r), "en");
  r.query = "lang=xx";
  EXPECT_EQ(catalog.negotiate(r), "de");
}

TEST_F(ViewTest, ErrorPagesHtmlAndProblemJson) {
  auto view = load();
  http::Request page;
  page.path = "/nirgends";
  page.request_id = "abc123";
  auto html = error_response(*view, page, 404);
  EXPECT_EQ(html.status, 404);
  EXPECT_NE(html.body.find("Nicht gefunden"), std::string::npos);
  EXPECT_NE(html.body.find("abc123"), std::string::npos);

  http::Request api;
  api.path = "/api/v1/x";
  api.lang = "en";
  api.request_id = "r1";
  auto json = error_response(*view, api, 404);
  EXPECT_EQ(json.headers.get("Content-Type"), "application/problem+json");
  EXPECT_NE(json.body.find("\"title\":\"Not found\""), std::string::npos) << json.body;
  EXPECT_NE(json.body.find("\"status\":404"), std::string::npos);

  // Internal errors never show their detail.
  auto internal = error_response(*view, api, Error{ErrorCode::internal, "SELECT * FROM secret", "x"});
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("SELECT"), std::string::npos);
  // Statuses without their own text fall back to the family's.
  auto conflict = error_response(*view, page, 409);
  EXPECT_NE(conflict.body.find("Ungültig"), std::string::npos);
}

}  // namespace
}  // namespace ah::web
