#include "modules/ops/module.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "db/test_database.h"

namespace ah::modules {
namespace {

// The real templates, catalogues and assets of this build (see cmake/share.cmake).
struct Share {
  Share() {
    auto a = http::AssetStore::load(AH_SHARE_DIR "/assets");
    EXPECT_TRUE(a) << a.error().message;
    assets = std::make_unique<http::AssetStore>(std::move(*a));
    auto catalog = web::Catalog::load(AH_SHARE_DIR "/i18n");
    auto v = web::View::load(AH_SHARE_DIR "/templates", std::move(*catalog), *assets);
    EXPECT_TRUE(v) << v.error().message;
    view = std::move(*v);
  }
  std::unique_ptr<http::AssetStore> assets;
  std::unique_ptr<web::View> view;
};

// Calls the route `path` of the ops module with a GET.
http::Response get(db::Database& database, std::string_view path) {
  static Share share;
  http::Metrics metrics("test");
  web::Services services{database, *share.view, metrics, "test", AH_SHARE_DIR, AH_SHARE_DIR, "{}"};
  http::Router router;
  auto module = make_ops_module();
  module->register_routes(router, services);
  auto match = router.match(http::Method::get, path);
  auto& found = std::get<http::RouteMatch>(match);
  http::Request request;
  request.path = std::string(path);
  return found.route->handler(request);
}

class OpsTest : public db::testing::BackendTest {};

TEST_P(OpsTest, HealthzReportsDatabaseAndSchema) {
  ASSERT_TRUE(db::migrate(*db, std::vector<db::Migration>{{1, "t", "CREATE TABLE t (x INTEGER)"}}));
  auto response = get(*db, "/healthz");
  EXPECT_EQ(response.status, 200);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["database"]["status"], "ok");
  EXPECT_EQ(body["database"]["schema_version"], 1);
  EXPECT_EQ(body["database"]["backend"], std::string(db::to_string(backend())));
}

AH_INSTANTIATE_BACKEND_TEST(OpsTest);

TEST(Ops, HealthzIs503WhenTheDatabaseIsUnreachable) {
  db::Options options;
  options.connect_timeout = std::chrono::seconds(2);
  // Nothing listens on port 1; open() does not connect, the health check does.
  auto database = db::Database::open("postgresql://postgres@127.0.0.1:1/none", options);
  ASSERT_TRUE(database);
  auto response = get(**database, "/healthz");
  EXPECT_EQ(response.status, 503);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["status"], "unavailable");
  EXPECT_EQ(body["database"]["status"], "unavailable");
  EXPECT_EQ(response.body.find("127.0.0.1"), std::string::npos) << "no connection details leak";
}

TEST(Ops, MetricsInPrometheusTextFormat) {
  auto database = db::Database::open("sqlite::memory:", {});
  ASSERT_TRUE(database);
  auto response = get(**database, "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("augenhoehe_build_info{version=\"test\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace ah::modules
