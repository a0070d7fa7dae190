#include "http/assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/compression.h"

namespace ah::http {
namespace {

namespace fs = std::filesystem;

class AssetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ah-assets-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "fonts");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  Request get(std::string path) {
    Request r;
    r.path = std::move(path);
    return r;
  }
  fs::path dir_;
};

TEST_F(AssetStoreTest, HashedNamesRewrittenCssAndConditionalRequests) {
  write("fonts/a.woff2", "FONTDATA");
  std::string css = "@font-face{src:url(\"fonts/a.woff2?v=1\") format('woff2')}"
                    "body{background:url(data:image/png;base64,AA==)}" + std::string(2000, ' ');
  write("site.css", css);
  write("manifest.txt", "# comment\nfont node_modules/x/a.woff2 fonts/a.woff2\nsite_css assets/site.css site.css\n");
  auto store = AssetStore::load(dir_);
  ASSERT_TRUE(store) << store.error().message;

  std::string font_url = store->url("font");
  ASSERT_TRUE(font_url.starts_with("/assets/fonts/a.")) << font_url;
  ASSERT_TRUE(font_url.ends_with(".woff2"));
  std::string css_url = store->url("site_css");
  ASSERT_TRUE(css_url.ends_with(".css"));

  auto r = store->serve(get(css_url));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  // The CSS now points at the hashed font, keeps the query, and leaves data: alone.
  EXPECT_NE(r->body.find("url(\"" + font_url + "?v=1\")"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("url(data:image/png;base64,AA==)"), std::string::npos);
  EXPECT_EQ(r->headers.get("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r->headers.get("Content-Type"), "text/css; charset=utf-8");

  auto etag = std::string(r->headers.get("ETag"));
  Request again = get(css_url);
  again.headers.set("If-None-Match", etag);
  auto not_modified = store->serve(again);
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_TRUE(not_modified->body.empty());

  Request zipped = get(css_url);
  zipped.headers.set("Accept-Encoding", "br, gzip");
  auto z = store->serve(zipped);
  ASSERT_TRUE(z);
  EXPECT_EQ(z->headers.get("Content-Encoding"), "gzip");
  EXPECT_LT(z->body.size(), r->body.size());

  // The unhashed name is served too, but must be revalidated.
  auto plain = store->serve(get("/assets/site.css"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->headers.get("Cache-Control"), "public, max-age=0, must-revalidate");
  EXPECT_FALSE(store->serve(get("/assets/nope.css")));
}

TEST_F(AssetStoreTest, ChangedFontChangesCssHash) {
  write("fonts/a.woff2", "ONE");
  write("site.css", "x{src:url(fonts/a.woff2)}");
  write("manifest.txt", "font s fonts/a.woff2\ncss s site.css\n");
  auto first = AssetStore::load(dir_);
  write("fonts/a.woff2", "TWO");
  auto second = AssetStore::load(dir_);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->url("css"), second->url("css"));
}

TEST_F(AssetStoreTest, MissingFileNamesIt) {
  write("manifest.txt", "x src gone.js\n");
  auto store = AssetStore::load(dir_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("gone.js"), std::string::npos);
}

TEST_F(AssetStoreTest, MalformedManifestLineNamesTheLine) {
  write("manifest.txt", "ok\n");
  auto store = AssetStore::load(dir_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("line 1"), std::string::npos);
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("a.js"), "application/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace ah::http
