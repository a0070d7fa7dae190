// The orgs module through its routes: the API's JSON and problem details, and the pages
// rendered with the real templates and catalogues of this build.
#include "modules/orgs/module.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "db/migrate.h"
#include "db/test_database.h"
#include "web/i18n.h"

namespace ah::modules {
namespace {

class OrgsModuleTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    module_ = make_orgs_module(AH_SHARE_DIR "/data");
    ASSERT_TRUE(db::migrate(*db, module_->migrations()));
    auto assets = http::AssetStore::load(AH_SHARE_DIR "/assets");
    ASSERT_TRUE(assets) << assets.error().message;
    assets_ = std::make_unique<http::AssetStore>(std::move(*assets));
    auto view = web::View::load(AH_SHARE_DIR "/templates", *web::Catalog::load(AH_SHARE_DIR "/i18n"), *assets_);
    ASSERT_TRUE(view) << view.error().message;
    view_ = std::move(*view);
    services_ = std::make_unique<web::Services>(web::Services{*db, *view_, metrics_, "test", AH_SHARE_DIR, AH_SHARE_DIR, "{}"});
    module_->register_routes(router_, *services_);
  }

  http::Response get(const std::string& target, std::string lang = "de") {
    http::Request request;
    request.target = target;
    auto q = target.find('?');
    request.path = target.substr(0, q);
    request.query = q == std::string::npos ? "" : target.substr(q + 1);
    request.lang = lang;
    auto match = router_.match(http::Method::get, request.path);
    auto* found = std::get_if<http::RouteMatch>(&match);
    EXPECT_TRUE(found) << target;
    if (!found) return {};
    request.path_params = found->params;
    return found->route->handler(request);
  }

  std::unique_ptr<web::Module> module_;
  std::unique_ptr<http::AssetStore> assets_;
  std::unique_ptr<web::View> view_;
  http::Metrics metrics_{"test"};
  std::unique_ptr<web::Services> services_;
  http::Router router_;
};

TEST_P(OrgsModuleTest, ApiListsFiltersAndPages) {
  auto response = get("/api/v1/organisations?type=kreis&limit=10");
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = nlohmann::json::parse(response.body);
  ASSERT_EQ(body["items"].size(), 10u);
  const auto& first = body["items"][0];
  for (const char* key : {"ags", "name", "type", "kreis_ags", "population", "lat", "lon"})
    EXPECT_TRUE(first.contains(key)) << key;
  ASSERT_TRUE(body["next_cursor"].is_string());
  auto next = nlohmann::json::parse(
      get("/api/v1/organisations?type=kreis&limit=10&cursor=" + body["next_cursor"].get<std::string>()).body);
  EXPECT_EQ(next["items"].size(), 4u);
  EXPECT_TRUE(next["next_cursor"].is_null());

  auto search = nlohmann::json::parse(get("/api/v1/organisations?q=lutherstadt").body);
  ASSERT_EQ(search["items"].size(), 2u);  // Eisleben and Wittenberg

  auto one = get("/api/v1/organisations/15091375");
  ASSERT_EQ(one.status, 200);
  auto wittenberg = nlohmann::json::parse(one.body);
  EXPECT_EQ(wittenberg["name"], "Wittenberg, Lutherstadt");
  EXPECT_EQ(wittenberg["type"], "gemeinde");
  EXPECT_EQ(wittenberg["population"], 45752);
}

TEST_P(OrgsModuleTest, ApiRefusesBadInputWithProblemDetails) {
  for (const std::string& target : std::vector<std::string>{"/api/v1/organisations?type=dorf", "/api/v1/organisations?kreis=15",
                             "/api/v1/organisations?limit=0", "/api/v1/organisations?limit=101",
                             "/api/v1/organisations?cursor=kaputt",
                             "/api/v1/organisations?q=" + std::string(101, 'x')}) {
    auto response = get(target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_EQ(response.headers.get("Content-Type"), "application/problem+json") << target;
    auto problem = nlohmann::json::parse(response.body);
    EXPECT_FALSE(problem["detail"].get<std::string>().empty()) << target;
  }
  EXPECT_EQ(get("/api/v1/organisations/00000000").status, 404);
}

TEST_P(OrgsModuleTest, PagesRenderInBothLanguagesWithoutMissingTexts) {
  for (std::string lang : {"de", "en"}) {
    for (std::string target : {"/organisationen", "/organisationen?q=halle", "/organisationen?kreis=15091",
                               "/organisationen/15", "/organisationen/15091", "/organisationen/15091375"}) {
      auto page = get(target, lang);
      EXPECT_EQ(page.status, 200) << target;
      EXPECT_EQ(page.body.find("⟦"), std::string::npos) << target << " renders a missing text";
    }
  }
  auto list = get("/organisationen");
  EXPECT_NE(list.body.find("<svg class=\"ah-map\""), std::string::npos);
  EXPECT_NE(list.body.find("href=\"/organisationen/15091\""), std::string::npos);  // a Kreis on the map
  EXPECT_NE(list.body.find("230"), std::string::npos);                            // the total
  EXPECT_NE(list.body.find("Weitere Ergebnisse"), std::string::npos);              // 230 > one page
  auto detail = get("/organisationen/15091375");
  EXPECT_NE(detail.body.find("45.752"), std::string::npos);  // de-DE number format
  EXPECT_NE(get("/organisationen/15091375", "en").body.find("45,752"), std::string::npos);
  auto kreis = get("/organisationen/15091");
  EXPECT_NE(kreis.body.find("Wittenberg, Lutherstadt"), std::string::npos);  // its Gemeinden
  // The map's key of a kreisfreie Stadt leads to the Stadt's page.
  auto halle = get("/organisationen/15002");
  EXPECT_EQ(halle.status, 301);
  EXPECT_EQ(halle.headers.get("Location"), "/organisationen/15002000");
  EXPECT_EQ(get("/organisationen?type=dorf").status, 400);
  EXPECT_EQ(get("/organisationen/123").status, 404);
}

AH_INSTANTIATE_BACKEND_TEST(OrgsModuleTest);

TEST(OrgsOpenApi, DescribesBothOperations) {
  auto module = make_orgs_module(AH_SHARE_DIR "/data");
  nlohmann::json doc = {{"paths", nlohmann::json::object()}};
  module->describe_api(doc);
  EXPECT_EQ(doc["paths"]["/api/v1/organisations"]["get"]["operationId"], "listOrganisations");
  EXPECT_EQ(doc["paths"]["/api/v1/organisations/{ags}"]["get"]["operationId"], "getOrganisation");
  EXPECT_TRUE(doc["components"]["schemas"].contains("Organisation"));
}

}  // namespace
}  // namespace ah::modules
