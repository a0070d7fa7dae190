// The place of a proposal: the area of a process (geo::Atlas with the real reference data),
// the form's rules, storage on both backends, and the pages and API through SiteHarness.
#include "modules/participation/place.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/accounts/session_layer.h"
#include "modules/participation/module.h"
#include "modules/participation/store.h"
#include "modules/testing/harness.h"
#include "web/api.h"

namespace ah::modules::participation {
namespace {

using nlohmann::json;

// Destatis' centres of three Gemeinden, and points around them.
constexpr geo::LonLat kKemberg{12.633727, 51.772478};    // 15091160, Kreis Wittenberg
constexpr geo::LonLat kMagdeburg{11.632726, 52.126248};  // 15003000
constexpr geo::LonLat kHalle{11.970666, 51.482478};      // 15002000, a hole in the Saalekreis
constexpr geo::LonLat kPotsdam{13.0645, 52.3906};        // Brandenburg
constexpr geo::LonLat kNearZahna{12.80, 51.85};          // Kreis Wittenberg, no centre

// A process concerning `area` (an AGS; the store never leaves it empty, see migration 5021).
Process process_of(std::string area) {
  Process p;
  p.area_ags = std::move(area);
  return p;
}

http::ParamList fields(std::initializer_list<std::pair<const char*, const char*>> list) {
  http::ParamList out;
  for (const auto& [name, value] : list) out.add(name, value);
  return out;
}

class PlaceTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_participation_module()));
    citizen_ = create_account("bea@example.org", "Bea");
    kemberg_ = org_id("15091160");
    auto now = accounts::unix_now();
    NewProcess process{.org_id = kemberg_,
                       .title = "Spielplatz am Markt",
                       .summary = "Ideen für den Spielplatz",
                       .body = "Alle können mitmachen.",
                       .state = ProcessState::published,
                       .phases = {{"Ideen", now - 3600, now + 3600, true, true, true}}};
    auto id = ProcessStore(*db).create(process, citizen_, now);
    ASSERT_TRUE(id) << id.error().message;
    process_ = "/beteiligung/" + std::to_string(*id);
    api_process_ = "/api/v1/processes/" + std::to_string(*id);
    sign_in(citizen_);
  }

  const Places& places() { return Places::of(services()); }

  // Posts the propose form with `extra` fields; returns the response.
  http::Response propose(const std::string& extra) {
    send(http::Method::get, process_ + "/vorschlag");
    return send(http::Method::post, process_ + "/vorschlag",
                "title=Rutsche&body=Eine+gro%C3%9Fe+Rutsche." + extra);
  }

  Proposal stored(const http::Response& made) {
    EXPECT_EQ(made.status, 303) << made.body;
    std::string location(made.headers.get("Location"));
    auto id = web::parse_id(location.substr(location.rfind('/') + 1));
    EXPECT_TRUE(id) << location;
    auto proposal = ProposalStore(*db).find(id.value_or(0));
    EXPECT_TRUE(proposal);
    return proposal.value_or(Proposal{});
  }

  std::int64_t citizen_ = 0, kemberg_ = 0;
  std::string process_, api_process_;
};

TEST_P(PlaceTest, TheAreaOfAProcessIsItsAreaAgs) {
  const geo::Area land = places().area_of(process_of("15"));
  EXPECT_TRUE(land.whole_land());
  EXPECT_EQ(land.name, "Sachsen-Anhalt");
  EXPECT_EQ(land.outlines.size(), 14u);
  EXPECT_EQ(land.gemeinden.size(), 218u);
  EXPECT_TRUE(land.contains(kHalle));
  EXPECT_TRUE(land.contains(kMagdeburg));
  EXPECT_FALSE(land.contains(kPotsdam));

  // Anything else (never stored): the whole Land.
  EXPECT_TRUE(places().area_of(process_of("o42")).whole_land());

  const geo::Area kreis = places().area_of(process_of("15091"));
  EXPECT_EQ(kreis.name, "Landkreis Wittenberg");
  EXPECT_TRUE(kreis.contains(kKemberg));
  EXPECT_TRUE(kreis.contains(kNearZahna));
  EXPECT_FALSE(kreis.contains(kMagdeburg));
  EXPECT_EQ(kreis.gemeinden.size(), 9u);

  // A Gemeinde: the outline of its Kreis, the map centred on the Gemeinde.
  const geo::Area kemberg = places().area_of(process_of("15091160"));
  EXPECT_EQ(kemberg.outlines.size(), 1u);
  EXPECT_EQ(kemberg.outlines[0]->ags, "15091");
  EXPECT_EQ(kemberg.centre, kKemberg);
  EXPECT_FALSE(kemberg.contains(kMagdeburg));
  ASSERT_NE(kemberg.gemeinde("15091375"), nullptr);
  EXPECT_EQ(kemberg.gemeinde("15091375")->name, "Wittenberg, Lutherstadt");
  EXPECT_EQ(kemberg.gemeinde("15003000"), nullptr);

  // Halle, a kreisfreie Stadt, is a hole in the Saalekreis.
  EXPECT_TRUE(places().area_of(process_of("15002000")).contains(kHalle));
  EXPECT_FALSE(places().area_of(process_of("15088")).contains(kHalle));

  EXPECT_EQ(places().atlas().nearest_gemeinde({12.64, 51.77})->name, "Kemberg, Stadt");
  // Gemeinden are listed in German order: umlauts sort with their base letter.
  const auto& all = land.gemeinden;
  auto at = [&](std::string_view name) {
    return std::find_if(all.begin(), all.end(), [&](auto* g) { return g->name == name; }) -
           all.begin();
  };
  EXPECT_LT(at("Gommern, Stadt"), at("Gröningen, Stadt"));
  EXPECT_LT(at("Gröningen, Stadt"), at("Güsten, Stadt"));
}

TEST_P(PlaceTest, FormRulesGemeindePointRemoveAndArea) {
  const geo::Area area = places().area_of(process_of("15091160"));
  auto read = [&](const http::ParamList& form_fields) {
    NewProposal p;
    web::FormState form;
    read_place_fields(form_fields, area, p, form);
    return std::pair{p, form};
  };
  {  // Words only.
    auto [p, form] = read(fields({{"place", "  Am Markt  "}, {"lat", ""}, {"lon", ""}}));
    EXPECT_EQ(p.place, "Am Markt");
    EXPECT_FALSE(p.lat);
    EXPECT_TRUE(form.ok());
  }
  {  // A Gemeinde wins over a point and gives its centre.
    auto [p, form] = read(fields({{"gemeinde", "15091160"}, {"lat", "51.85"}, {"lon", "12.8"}}));
    ASSERT_TRUE(p.lat && p.lon);
    EXPECT_EQ(*p.lat, kKemberg.lat);
    EXPECT_EQ(*p.lon, kKemberg.lon);
    EXPECT_FALSE(p.place);
    EXPECT_TRUE(form.ok());
  }
  {  // A Gemeinde of another Kreis.
    auto [p, form] = read(fields({{"gemeinde", "15003000"}}));
    EXPECT_FALSE(p.lat);
    EXPECT_EQ(form.errors.at("gemeinde"), "participation_error_gemeinde");
  }
  {  // A point inside.
    auto [p, form] = read(fields({{"lat", "51.85"}, {"lon", "12.8"}}));
    EXPECT_EQ(p.lat, 51.85);
    EXPECT_EQ(p.lon, 12.8);
    EXPECT_TRUE(form.ok());
    EXPECT_EQ(form.values.at("lat"), "51.85");
  }
  {  // Outside: refused, kept for the form.
    auto [p, form] = read(fields({{"lat", "52.126248"}, {"lon", "11.632726"}}));
    EXPECT_EQ(form.errors.at("point"), "participation_error_place_outside");
    EXPECT_EQ(form.values.at("lat"), "52.126248");
  }
  {  // Half a point, or not a number.
    EXPECT_EQ(read(fields({{"lat", "51.85"}})).second.errors.at("point"),
              "participation_error_place");
    EXPECT_EQ(read(fields({{"lat", "51.85"}, {"lon", "zwölf"}})).second.errors.at("point"),
              "participation_error_place");
    EXPECT_EQ(read(fields({{"lat", "nan"}, {"lon", "12"}})).second.errors.at("point"),
              "participation_error_place");
  }
  {  // The no-script checkbox drops an earlier point.
    auto [p, form] = read(fields({{"lat", "51.85"}, {"lon", "12.8"}, {"point_remove", "1"}}));
    EXPECT_FALSE(p.lat);
    EXPECT_TRUE(form.ok());
  }
  // The edit form: a Gemeinde's centre shows as that Gemeinde, another point as lat/lon.
  Proposal at_kemberg;
  at_kemberg.lat = kKemberg.lat;
  at_kemberg.lon = kKemberg.lon;
  at_kemberg.place = "Markt";
  auto values = place_form_values(at_kemberg, area);
  EXPECT_EQ(values.at("gemeinde"), "15091160");
  EXPECT_EQ(values.at("place"), "Markt");
  EXPECT_FALSE(values.contains("lat"));
  Proposal elsewhere;
  elsewhere.lat = 51.85;
  elsewhere.lon = 12.8;
  values = place_form_values(elsewhere, area);
  EXPECT_FALSE(values.contains("gemeinde"));
  EXPECT_EQ(values.at("lat"), "51.85");
  EXPECT_EQ(values.at("lon"), "12.8");
}

TEST_P(PlaceTest, StoredEditedAndValidatedOnBothBackends) {
  ProposalStore store(*db);
  auto process = ProcessStore(*db).find(std::stoll(process_.substr(process_.rfind('/') + 1)));
  ASSERT_TRUE(process);
  auto id = store.create(
      process->id,
      {.title = "Bank", .body = "Eine Bank.", .lat = 51.85, .lon = 12.8, .place = "Am Teich"},
      citizen_, 100);
  ASSERT_TRUE(id) << id.error().message;
  auto found = store.find(*id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->place, "Am Teich");
  EXPECT_EQ(found->lat, 51.85);
  EXPECT_EQ(found->lon, 12.8);
  ASSERT_TRUE(store.edit(*id, citizen_, {.title = "Bank", .body = "Eine Bank."}, 200));
  found = store.find(*id);
  EXPECT_FALSE(found->place) << "NULL, not an empty text";
  EXPECT_FALSE(found->lat);

  std::string long_place(kMaxPlaceCharacters, 'x');
  EXPECT_TRUE(validate(NewProposal{.title = "T", .body = "B", .place = long_place}).empty());
  // 300 umlauts are 600 bytes but 300 characters.
  std::string umlauts;
  for (std::size_t i = 0; i < kMaxPlaceCharacters; ++i) umlauts += "ä";
  EXPECT_TRUE(validate(NewProposal{.title = "T", .body = "B", .place = umlauts}).empty());
  auto errors = validate(NewProposal{.title = "T", .body = "B", .place = long_place + "x"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            (std::pair<std::string, std::string>{"place", "participation_error_place_long"}));
  EXPECT_FALSE(store.create(process->id, {.title = "T", .body = "B", .place = long_place + "x"},
                            citizen_, 100));
  errors = validate(NewProposal{.title = "T", .body = "B", .lat = 51.0});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "point");
  EXPECT_FALSE(validate(NewProposal{.title = "T", .body = "B", .lat = 91.0, .lon = 12.0}).empty());
}

TEST_P(PlaceTest, FormWithAPointInsideStoresIt) {
  auto form = send(http::Method::get, process_ + "/vorschlag");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<legend class=\"kern-label\">Ort (optional)</legend>"),
            std::string::npos);
  EXPECT_NE(form.body.find("<option value=\"15091160\">Kemberg, Stadt</option>"),
            std::string::npos);
  EXPECT_EQ(form.body.find("Magdeburg"), std::string::npos) << "only the area's Gemeinden";
  EXPECT_NE(form.body.find("data-area-url=\"/api/v1/areas/15091160\""), std::string::npos);
  EXPECT_NE(form.body.find("/place-map"), std::string::npos) << "the map script is loaded";
  EXPECT_NE(form.body.find("GeoBasis-DE / BKG"), std::string::npos);

  auto made = propose("&place=Am+Teich&gemeinde=&lat=51.85&lon=12.8");
  Proposal p = stored(made);
  EXPECT_EQ(p.place, "Am Teich");
  EXPECT_EQ(p.lat, 51.85);
  EXPECT_EQ(p.lon, 12.8);

  auto page = send(http::Method::get, "/vorschlaege/" + std::to_string(p.id));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<p class=\"kern-body\">Am Teich</p>"), std::string::npos);
  EXPECT_NE(page.body.find("In der Nähe von Zahna-Elster, Stadt"), std::string::npos)
      << page.body.substr(page.body.find("place-heading"), 600);
  EXPECT_NE(page.body.find("<circle class=\"ah-map__marker\""), std::string::npos);
  EXPECT_NE(page.body.find("(Landkreis Wittenberg)</title>"), std::string::npos);
  EXPECT_EQ(page.body.find("/place-map"), std::string::npos) << "no script on the page";
}

TEST_P(PlaceTest, FormWithAPointOutsideIsRefusedAndKeepsWhatWasTyped) {
  auto refused = propose("&place=Am+Dom&lat=52.126248&lon=11.632726");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Der gewählte Ort liegt außerhalb des Gebiets"), std::string::npos);
  EXPECT_NE(refused.body.find("href=\"#field-point\""), std::string::npos) << "in the summary";
  EXPECT_NE(refused.body.find("id=\"field-point\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"Rutsche\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"Am Dom\""), std::string::npos);
  EXPECT_NE(refused.body.find("name=\"lat\" value=\"52.126248\""), std::string::npos);
  // Without JavaScript, the point can be dropped.
  EXPECT_NE(refused.body.find("name=\"point_remove\""), std::string::npos);
  EXPECT_NE(refused.body.find("Magdeburg, Landeshauptstadt"), std::string::npos)
      << "the checkbox says where the point is";
  http::Request english = make_request(http::Method::post, process_ + "/vorschlag");
  english.lang = "en";
  english.headers.set("Content-Type", "application/x-www-form-urlencoded");
  english.body =
      "title=Rutsche&body=B&lat=52.126248&lon=11.632726&csrf=" + http::percent_encode(csrf);
  auto in_english = run(english);
  EXPECT_EQ(in_english.status, 422);
  EXPECT_NE(in_english.body.find("The chosen place lies outside the area"), std::string::npos);

  auto dropped = propose("&place=Am+Dom&lat=52.126248&lon=11.632726&point_remove=1");
  Proposal p = stored(dropped);
  EXPECT_EQ(p.place, "Am Dom");
  EXPECT_FALSE(p.lat);
}

TEST_P(PlaceTest, ChoosingOnlyAGemeindeStoresItsCentre) {
  Proposal p = stored(propose("&place=&gemeinde=15091160&lat=&lon="));
  EXPECT_FALSE(p.place);
  EXPECT_EQ(p.lat, kKemberg.lat);
  EXPECT_EQ(p.lon, kKemberg.lon);

  auto foreign = propose("&gemeinde=15003000");
  EXPECT_EQ(foreign.status, 422);
  EXPECT_NE(foreign.body.find("Diese Gemeinde gehört nicht zum Gebiet"), std::string::npos);

  // The edit form comes with the Gemeinde chosen and moves the point to another one.
  const std::string edit = "/vorschlaege/" + std::to_string(p.id) + "/bearbeiten";
  auto form = send(http::Method::get, edit);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<option value=\"15091160\" selected>"), std::string::npos);
  auto moved = send(http::Method::post, edit,
                    "title=Rutsche&body=B&place=Am+Schloss&gemeinde=15091375&lat=&lon=");
  ASSERT_EQ(moved.status, 303) << moved.body;
  auto after = ProposalStore(*db).find(p.id);
  EXPECT_EQ(after->place, "Am Schloss");
  EXPECT_EQ(after->lat, 51.867003);
  auto outside = send(http::Method::post, edit, "title=Rutsche&body=B&lat=52.39&lon=13.06");
  EXPECT_EQ(outside.status, 422);
  EXPECT_EQ(ProposalStore(*db).find(p.id)->lat, 51.867003) << "unchanged";
}

TEST_P(PlaceTest, JsonApiTakesAndGivesThePlace) {
  auto made = api(
      http::Method::post, api_process_ + "/proposals",
      R"({"title":"Bank","body":"Eine Bank.","lat":51.85,"lon":12.8,"place":" Am Teich "})", csrf);
  ASSERT_EQ(made.status, 201) << made.body;
  auto body = json::parse(made.body);
  EXPECT_EQ(body["place"], "Am Teich");
  EXPECT_EQ(body["lat"], 51.85);
  auto read = json::parse(api(http::Method::get, std::string(made.headers.get("Location"))).body);
  EXPECT_EQ(read["place"], "Am Teich");
  auto without = api(http::Method::post, api_process_ + "/proposals",
                     R"({"title":"Bank","body":"Eine Bank."})", csrf);
  EXPECT_TRUE(json::parse(without.body)["place"].is_null());

  auto outside = api(http::Method::post, api_process_ + "/proposals",
                     R"({"title":"Dom","body":"x","lat":52.126248,"lon":11.632726})", csrf);
  EXPECT_EQ(outside.status, 422);
  auto problem = json::parse(outside.body);
  EXPECT_NE(problem["detail"].get<std::string>().find("außerhalb des Gebiets"), std::string::npos);
  EXPECT_EQ(problem["errors"]["lat"], problem["detail"]);
  EXPECT_EQ(problem["errors"]["lon"], problem["detail"]);
  auto half = api(http::Method::post, api_process_ + "/proposals",
                  R"({"title":"Dom","body":"x","lat":51.85})", csrf);
  EXPECT_EQ(half.status, 422);
  EXPECT_TRUE(json::parse(half.body)["errors"].contains("lat"));
  auto long_place =
      api(http::Method::post, api_process_ + "/proposals",
          json{{"title", "T"}, {"body", "B"}, {"place", std::string(301, 'x')}}.dump(), csrf);
  EXPECT_EQ(long_place.status, 422);
  EXPECT_TRUE(json::parse(long_place.body)["errors"].contains("place"));
}

TEST_P(PlaceTest, AreaApiIsGeoJson) {
  sign_in(0);
  auto area = api(http::Method::get, "/api/v1/areas/15091160");
  ASSERT_EQ(area.status, 200) << area.body;
  EXPECT_EQ(area.headers.get("Content-Type"), "application/geo+json");
  auto doc = json::parse(area.body);
  EXPECT_EQ(doc["type"], "FeatureCollection");
  EXPECT_EQ(doc["area"]["name"], "Landkreis Wittenberg");
  EXPECT_EQ(doc["area"]["centre"], json::array({12.63373, 51.77248}));
  int kreise = 0, in_area = 0, gemeinden = 0;
  for (const auto& f : doc["features"]) {
    if (f["properties"]["kind"] == "kreis") {
      ++kreise;
      EXPECT_EQ(f["geometry"]["type"], "MultiPolygon");
      if (f["properties"]["in_area"] == true) {
        ++in_area;
        EXPECT_EQ(f["properties"]["ags"], "15091");
      }
    } else {
      ++gemeinden;
      EXPECT_EQ(f["geometry"]["type"], "Point");
    }
  }
  EXPECT_EQ(kreise, 14);
  EXPECT_EQ(in_area, 1);
  EXPECT_EQ(gemeinden, 9);
  EXPECT_NE(doc["attribution"].get<std::string>().find("GeoBasis-DE / BKG"), std::string::npos);
  auto land = json::parse(api(http::Method::get, "/api/v1/areas/15").body);
  EXPECT_EQ(land["area"]["name"], "Sachsen-Anhalt");
  EXPECT_EQ(api(http::Method::get, "/api/v1/areas/99999").status, 404);
  EXPECT_EQ(api(http::Method::get, "/api/v1/areas/15091999").status, 404);
  EXPECT_EQ(api(http::Method::get, "/api/v1/areas/x").status, 404);
}

TEST_P(PlaceTest, ThePlaceTravelsInTheExportsAndTheDataExport) {
  Proposal p = stored(propose("&place=Am+Teich&lat=51.85&lon=12.8"));
  auto mine = module("participation").export_personal_data(services(), citizen_);
  ASSERT_TRUE(mine) << mine.error().message;
  ASSERT_EQ((*mine)["proposals"].size(), 1u);
  EXPECT_EQ((*mine)["proposals"][0]["place"], "Am Teich");
  EXPECT_EQ((*mine)["proposals"][0]["lat"], 51.85);
  EXPECT_EQ((*mine)["proposals"][0]["lon"], 12.8);

  // Kemberg's admins export the proposals of its process.
  auto admin = create_account("admin@kemberg.example", "Admin Kemberg");
  ASSERT_TRUE(authz::MembershipStore(*db).put(kemberg_, admin, authz::OrgRole::admin, 1));
  sign_in(admin);
  auto csv = send(http::Method::get, process_ + "/vorschlaege.csv");
  ASSERT_EQ(csv.status, 200) << csv.body.substr(0, 300);
  EXPECT_NE(csv.body.find(";Ort;Breite (WGS84);Länge (WGS84);"), std::string::npos)
      << csv.body.substr(0, 300);
  EXPECT_NE(csv.body.find(";Am Teich;51,85;12,8;"), std::string::npos) << csv.body;
  (void)p;
}

AH_INSTANTIATE_BACKEND_TEST(PlaceTest);

}  // namespace
}  // namespace ah::modules::participation
