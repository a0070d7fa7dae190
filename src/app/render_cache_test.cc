// The render cache through Site: anonymous GETs of the listed routes are rendered once per
// write; anything with credentials, other routes, other answers are rendered every time, and
// no page rendered before (or during) a write is served after it.
#include "app/render_cache.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "app/site.h"

namespace ah::app {
namespace {

class RenderCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    assets_ = std::make_unique<http::AssetStore>(*http::AssetStore::load(AH_SHARE_DIR "/assets"));
    view_ = std::move(*web::View::load(AH_SHARE_DIR "/templates",
                                       *web::Catalog::load(AH_SHARE_DIR "/i18n"), *assets_));
    // The page shows the stored value and how often it was rendered.
    router_.add(http::Method::get, "/seite/{id}", [this](http::Request& r) {
      ++renders_;
      const int seen = value_;  // read first, like a page reading the database
      if (during_render_) during_render_();
      return http::Response::html("seite " + std::string(r.param("id")) + " wert " + std::to_string(seen) +
                                  " lang " + r.lang);
    });
    router_.add(http::Method::get, "/gross", [this](http::Request&) {
      ++renders_;
      return http::Response::html(big_page());
    });
    router_.add(http::Method::get, "/anders", [this](http::Request&) {
      ++renders_;
      return http::Response::html("anders " + std::to_string(value_));
    });
    router_.add(http::Method::get, "/mit-cookie", [this](http::Request&) {
      ++renders_;
      auto response = http::Response::html("cookie");
      response.headers.add("Set-Cookie", "x=1");
      return response;
    });
    router_.add(http::Method::post, "/schreiben", [this](http::Request&) {
      ++value_;
      return http::Response::redirect("/seite/1");
    });
    site_ = std::make_unique<Site>(router_, *assets_, *view_, metrics_, log_file_,
                                   http::SecurityOptions{}, std::vector<http::Layer*>{}, &cache_);
  }

  http::Response send(http::Method method, std::string target,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request request;
    request.method = method;
    request.target = std::move(target);
    for (auto& [name, value] : headers) request.headers.add(name, value);
    request.received_at = std::chrono::steady_clock::now();
    return site_->handle(request);
  }
  static std::string big_page() {
    std::string page;
    for (int i = 0; i < 200; ++i) page += "<p>Vorschlag " + std::to_string(i) + "</p>";
    return page;
  }
  static std::string gunzip(const std::string& in) {
    z_stream zs{};
    inflateInit2(&zs, 15 + 16);
    std::string out(1 << 20, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
    inflateEnd(&zs);
    out.resize(zs.total_out);
    return out;
  }
  std::optional<http::Response> at_once(std::string target,
                                        std::vector<std::pair<std::string, std::string>> headers = {},
                                        http::Method method = http::Method::get) {
    http::Request request;
    request.method = method;
    request.target = std::move(target);
    for (auto& [name, value] : headers) request.headers.add(name, value);
    request.received_at = std::chrono::steady_clock::now();
    return site_->answer_at_once(request);
  }
  http::Response get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return send(http::Method::get, std::move(target), std::move(headers));
  }

  std::unique_ptr<http::AssetStore> assets_;
  std::unique_ptr<web::View> view_;
  http::Router router_;
  http::Metrics metrics_{"test"};
  http::AccessLog log_file_{nullptr};
  RenderCache cache_{{.routes = {"/seite/{id}", "/mit-cookie", "/gross"}, .ttl = std::chrono::hours(1)}};
  std::unique_ptr<Site> site_;  // made in SetUp, once assets and view are loaded
  int renders_ = 0;
  int value_ = 0;
  std::function<void()> during_render_;
};

TEST_F(RenderCacheTest, AnAnonymousPageIsRenderedOnceAndServedWithFreshHeaders) {
  auto first = get("/seite/1");
  auto second = get("/seite/1");
  EXPECT_EQ(renders_, 1);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, first.body);
  EXPECT_NE(second.headers.get("X-Request-Id"), first.headers.get("X-Request-Id"));
  EXPECT_TRUE(second.headers.has("Content-Security-Policy"));
  get("/seite/2");  // another URL is another page
  EXPECT_EQ(renders_, 2);
  EXPECT_EQ(cache_.size(), 2u);
}

TEST_F(RenderCacheTest, AWriteMakesEveryPageRenderAgain) {
  EXPECT_EQ(get("/seite/1").body, "seite 1 wert 0 lang de");
  EXPECT_EQ(send(http::Method::post, "/schreiben").status, 303);
  EXPECT_EQ(get("/seite/1").body, "seite 1 wert 1 lang de");
  EXPECT_EQ(renders_, 2);
  // A refused write (405) bumps too: the cache does not try to know what a handler changed.
  send(http::Method::put, "/seite/1");
  get("/seite/1");
  EXPECT_EQ(renders_, 3);
}

TEST_F(RenderCacheTest, APageRenderedWhileAWriteRanIsNotServedAfterIt) {
  // The write commits after this render read the old value, before the page is stored.
  during_render_ = [this] {
    during_render_ = nullptr;
    send(http::Method::post, "/schreiben");
  };
  EXPECT_EQ(get("/seite/1").body, "seite 1 wert 0 lang de");
  EXPECT_EQ(get("/seite/1").body, "seite 1 wert 1 lang de");
  EXPECT_EQ(renders_, 2);
}

TEST_F(RenderCacheTest, CredentialsOtherRoutesAndCookiesSetAreNeverCached) {
  get("/seite/1", {{"Cookie", "ah_session=abc"}});
  get("/seite/1", {{"Cookie", "ah_session=abc"}});
  get("/seite/1", {{"Cookie", "lang=de"}, {"Cookie", "ah_session=abc"}});
  get("/seite/1", {{"Authorization", "Bearer ah_x"}});
  EXPECT_EQ(renders_, 4);
  get("/anders");
  get("/anders");
  EXPECT_EQ(renders_, 6);
  get("/mit-cookie");
  get("/mit-cookie");
  EXPECT_EQ(renders_, 8);
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_F(RenderCacheTest, EachLanguageHasItsOwnPage) {
  EXPECT_EQ(get("/seite/1", {{"Accept-Language", "en"}}).body, "seite 1 wert 0 lang en");
  EXPECT_EQ(get("/seite/1", {{"Accept-Language", "de"}}).body, "seite 1 wert 0 lang de");
  EXPECT_EQ(get("/seite/1", {{"Cookie", "lang=en"}}).body, "seite 1 wert 0 lang en");
  EXPECT_EQ(renders_, 2);
}

TEST_F(RenderCacheTest, AGzipClientGetsTheTwinCompressedOnceWhenStored) {
  auto gz = get("/gross", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(gz.headers.get("Content-Encoding"), "gzip");
  EXPECT_EQ(gunzip(gz.body), big_page());
  auto again = get("/gross", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(again.headers.get("Content-Encoding"), "gzip");
  EXPECT_EQ(again.body, gz.body);
  EXPECT_EQ(again.headers.get("Vary"), "Accept-Encoding");
  EXPECT_TRUE(again.headers.has("Content-Security-Policy"));
  auto plain = get("/gross");
  EXPECT_FALSE(plain.headers.has("Content-Encoding"));
  EXPECT_EQ(plain.headers.get("Vary"), "Accept-Encoding");
  EXPECT_EQ(plain.body, big_page());
  auto refused = get("/gross", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_EQ(refused.body, big_page());
  EXPECT_EQ(renders_, 1);
}

TEST_F(RenderCacheTest, CachedPagesAndAssetsAreAnsweredAtOnceEverythingElseIsNot) {
  EXPECT_FALSE(at_once("/seite/1")) << "nothing cached yet: a worker renders it";
  auto rendered = get("/seite/1");
  auto quick = at_once("/seite/1");
  ASSERT_TRUE(quick);
  EXPECT_EQ(quick->body, rendered.body);
  EXPECT_TRUE(quick->headers.has("Content-Security-Policy"));
  EXPECT_NE(quick->headers.get("X-Request-Id"), rendered.headers.get("X-Request-Id"));
  EXPECT_EQ(renders_, 1);
  // In English it is another page, not cached yet.
  EXPECT_FALSE(at_once("/seite/1", {{"Accept-Language", "en"}}));
  // Credentials, other routes, other methods, unknown paths: for the worker.
  EXPECT_FALSE(at_once("/seite/1", {{"Cookie", "ah_session=abc"}}));
  EXPECT_FALSE(at_once("/anders"));
  EXPECT_FALSE(at_once("/seite/1", {}, http::Method::head));
  EXPECT_FALSE(at_once("/schreiben", {}, http::Method::post));
  EXPECT_FALSE(at_once("/gibt-es-nicht"));
  EXPECT_FALSE(at_once("/assets/gibt-es-nicht.css"));  // its 404 page is rendered by a worker
  auto css = at_once("/assets/app.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_TRUE(css->headers.has("X-Request-Id"));
  // After a write the page is rendered again by a worker.
  send(http::Method::post, "/schreiben");
  EXPECT_FALSE(at_once("/seite/1"));
  EXPECT_EQ(renders_, 1);
}

TEST(RenderCacheTtl, AnOldPageIsRenderedAgain) {
  RenderCache cache({.routes = {"/x"}, .ttl = std::chrono::milliseconds(0)});
  http::Request request;
  request.route = "/x";
  request.target = "/x";
  auto ticket = cache.lookup(request);
  ASSERT_TRUE(ticket);
  cache.store(*ticket, http::Response::html("x"));
  EXPECT_EQ(cache.size(), 1u);
  auto again = cache.lookup(request);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->hit);
}

}  // namespace
}  // namespace ah::app
