#include "app/site.h"

#include <gtest/gtest.h>

namespace ah::app {
namespace {

// Records what it saw; can end the request early.
class RecordingLayer : public http::Layer {
 public:
  RecordingLayer(std::string name, std::vector<std::string>& log, bool stop = false)
      : name_(std::move(name)), log_(log), stop_(stop) {}
  std::optional<http::Response> before(http::Request& request) override {
    log_.push_back(name_ + ".before");
    request.account_id = 42;
    if (stop_) return http::Response::text("stopped by " + name_, 403);
    return std::nullopt;
  }
  void after(const http::Request&, http::Response& response) override {
    log_.push_back(name_ + ".after");
    response.headers.add("X-Layer", name_);
  }

 private:
  std::string name_;
  std::vector<std::string>& log_;
  bool stop_;
};

class SiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    assets_ = std::make_unique<http::AssetStore>(*http::AssetStore::load(AH_SHARE_DIR "/assets"));
    view_ = std::move(*web::View::load(AH_SHARE_DIR "/templates", *web::Catalog::load(AH_SHARE_DIR "/i18n"), *assets_));
    router_.add(http::Method::get, "/hallo", [this](http::Request& r) {
      log_.push_back("handler sees account " + std::to_string(r.account_id));
      return http::Response::text("hallo");
    });
  }
  http::Response get(Site& site, std::string target) {
    http::Request request;
    request.target = std::move(target);
    request.received_at = std::chrono::steady_clock::now();
    return site.handle(request);
  }
  std::unique_ptr<http::AssetStore> assets_;
  std::unique_ptr<web::View> view_;
  http::Router router_;
  http::Metrics metrics_{"test"};
  http::AccessLog log_file_{nullptr};
  std::vector<std::string> log_;
};

TEST_F(SiteTest, LayersRunAroundTheHandlerInOrder) {
  RecordingLayer a("a", log_), b("b", log_);
  Site site(router_, *assets_, *view_, metrics_, log_file_, {}, {&a, &b});
  auto response = get(site, "/hallo");
  EXPECT_EQ(response.body, "hallo");
  EXPECT_EQ(log_, (std::vector<std::string>{"a.before", "b.before", "handler sees account 42", "b.after", "a.after"}));
  EXPECT_TRUE(response.headers.has("Content-Security-Policy"));  // the pipeline still finishes
}

TEST_F(SiteTest, ALayerCanEndTheRequestAndStillSeesTheResponse) {
  RecordingLayer a("a", log_), b("b", log_, /*stop=*/true), c("c", log_);
  Site site(router_, *assets_, *view_, metrics_, log_file_, {}, {&a, &b, &c});
  auto response = get(site, "/hallo");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.body, "stopped by b");
  EXPECT_EQ(log_, (std::vector<std::string>{"a.before", "b.before", "b.after", "a.after"}));
}

TEST_F(SiteTest, RequestsThatReachNoHandlerReachNoLayer) {
  RecordingLayer a("a", log_, /*stop=*/true);
  Site site(router_, *assets_, *view_, metrics_, log_file_, {}, {&a});
  EXPECT_EQ(get(site, "/nirgends").status, 404);
  http::Request post;
  post.method = http::Method::post;
  post.target = "/hallo";
  post.received_at = std::chrono::steady_clock::now();
  auto not_allowed = site.handle(post);
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(not_allowed.headers.get("Allow"), "GET, HEAD");
  EXPECT_TRUE(log_.empty());
}

}  // namespace
}  // namespace ah::app
