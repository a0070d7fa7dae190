#include "modules/orgs/kreis_map.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace ah::modules::orgs {
namespace {

using ::testing::HasSubstr;

struct Point {
  double x;
  double y;
};
using Ring = std::vector<Point>;

// Reads path data in the one shape build_kreis_map writes: "M x yL x y...Z", repeated.
std::vector<Ring> parse_d(const std::string& d) {
  std::vector<Ring> rings;
  std::size_t i = 0;
  while (i < d.size()) {
    const char command = d[i++];
    if (command == 'Z') continue;
    if (command == 'M') rings.emplace_back();
    std::size_t used = 0;
    const double x = std::stod(d.substr(i), &used);
    i += used + 1;  // the space between x and y
    const double y = std::stod(d.substr(i), &used);
    i += used;
    rings.back().push_back({x, y});
  }
  return rings;
}

// Twice the signed area; positive is clockwise on screen (y down).
double twice_signed_area(const Ring& ring) {
  double sum = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Point& a = ring[i];
    const Point& b = ring[(i + 1) % ring.size()];
    sum += a.x * b.y - b.x * a.y;
  }
  return sum;
}

bool inside_even_odd(const std::vector<Ring>& rings, double x, double y) {
  bool in = false;
  for (const Ring& ring : rings)
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
      if ((ring[i].y > y) != (ring[j].y > y) &&
          x < ring[i].x + (y - ring[i].y) * (ring[j].x - ring[i].x) / (ring[j].y - ring[i].y))
        in = !in;
  return in;
}

Point mean_point(const std::string& d) {
  double sx = 0, sy = 0;
  int n = 0;
  for (const Ring& ring : parse_d(d))
    for (const Point& p : ring) {
      sx += p.x;
      sy += p.y;
      ++n;
    }
  return {sx / n, sy / n};
}

std::string read_real_file() {
  std::ifstream in(std::string(AH_DATA_DIR) + "/sachsen-anhalt-kreise.geojson", std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class RealKreisMap : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto result = build_kreis_map(read_real_file());
    ASSERT_TRUE(result.has_value()) << result.error().message;
    map_ = new KreisMap(std::move(*result));
  }
  static void TearDownTestSuite() {
    delete map_;
    map_ = nullptr;
  }
  static const KreisShape& kreis(const std::string& ags) {
    for (const KreisShape& k : map_->kreise)
      if (k.ags == ags) return k;
    ADD_FAILURE() << "no Kreis " << ags;
    return map_->kreise.front();
  }
  static KreisMap* map_;
};
KreisMap* RealKreisMap::map_ = nullptr;

TEST_F(RealKreisMap, HasTheFourteenKreiseOfSachsenAnhalt) {
  std::set<std::string> ags;
  for (const KreisShape& k : map_->kreise) ags.insert(k.ags);
  EXPECT_EQ(map_->kreise.size(), 14u);
  EXPECT_EQ(ags,
            (std::set<std::string>{"15001", "15002", "15003", "15081", "15082", "15083", "15084",
                                   "15085", "15086", "15087", "15088", "15089", "15090", "15091"}));
  EXPECT_EQ(kreis("15003").name, "Magdeburg");
  EXPECT_EQ(kreis("15001").name, "Dessau-Roßlau");
}

TEST_F(RealKreisMap, SortedByNameInByteOrder) {
  EXPECT_TRUE(
      std::is_sorted(map_->kreise.begin(), map_->kreise.end(),
                     [](const KreisShape& a, const KreisShape& b) { return a.name < b.name; }));
  EXPECT_EQ(map_->kreise.front().name, "Altmarkkreis Salzwedel");
  EXPECT_EQ(map_->kreise.back().name, "Wittenberg");
  // Byte order, not German collation: "ö" (0xC3 0xB6) sorts after "u".
  const auto position = [](const std::string& name) {
    return std::find_if(map_->kreise.begin(), map_->kreise.end(),
                        [&](const KreisShape& k) { return k.name == name; }) -
           map_->kreise.begin();
  };
  EXPECT_LT(position("Burgenlandkreis"), position("Börde"));
}

TEST_F(RealKreisMap, PathDataUsesOnlyAttributeSafeCharacters) {
  const std::regex path_pattern("^M[-0-9. LMZ]+Z$");
  for (const KreisShape& k : map_->kreise) {
    EXPECT_TRUE(std::regex_match(k.d, path_pattern)) << k.ags << ": " << k.d.substr(0, 80);
  }
  EXPECT_TRUE(std::regex_match(map_->view_box, std::regex("^0 0 [0-9.]+ [0-9.]+$")))
      << map_->view_box;
}

TEST_F(RealKreisMap, ViewBoxHoldsEveryPointAndFitsTheWidth) {
  EXPECT_EQ(map_->width, 600);
  EXPECT_EQ(map_->view_box, "0 0 600 " + format_map_number(map_->height));
  // Sachsen-Anhalt is taller than wide.
  EXPECT_GT(map_->height, map_->width);
  EXPECT_LT(map_->height, 2 * map_->width);
  double min_x = 1e9, max_x = -1e9, min_y = 1e9, max_y = -1e9;
  for (const KreisShape& k : map_->kreise)
    for (const Ring& ring : parse_d(k.d))
      for (const Point& p : ring) {
        min_x = std::min(min_x, p.x);
        max_x = std::max(max_x, p.x);
        min_y = std::min(min_y, p.y);
        max_y = std::max(max_y, p.y);
      }
  EXPECT_GE(min_x, 0);
  EXPECT_LE(max_x, map_->width);
  EXPECT_GE(min_y, 0);
  EXPECT_LE(max_y, map_->height);
  // The map fills the width up to the margin (6 units at 600) on both sides.
  EXPECT_NEAR(min_x, 6, 0.1);
  EXPECT_NEAR(max_x, 594, 0.1);
  EXPECT_NEAR(min_y, 6, 0.1);
  EXPECT_NEAR(max_y, map_->height - 6, 0.1);
}

TEST_F(RealKreisMap, GeographyIsRight) {
  // Magdeburg lies about 75 km north of Halle.
  EXPECT_LT(mean_point(kreis("15003").d).y + 50, mean_point(kreis("15002").d).y);
  EXPECT_LT(kreis("15003").label_y, kreis("15002").label_y);
  // The Altmarkkreis Salzwedel is the north-west corner: furthest along the north-west
  // diagonal, and west of its eastern neighbour Stendal.
  const Point salzwedel = mean_point(kreis("15081").d);
  for (const KreisShape& k : map_->kreise) {
    if (k.ags == "15081") continue;
    const Point other = mean_point(k.d);
    EXPECT_LT(salzwedel.x + salzwedel.y, other.x + other.y) << k.name;
    EXPECT_LT(salzwedel.y, other.y) << k.name;
  }
  EXPECT_LT(salzwedel.x, mean_point(kreis("15090").d).x);
  // The Burgenlandkreis is the southernmost Kreis.
  const double burgenland_y = mean_point(kreis("15084").d).y;
  for (const KreisShape& k : map_->kreise) {
    if (k.ags != "15084") {
      EXPECT_LT(mean_point(k.d).y, burgenland_y) << k.name;
    }
  }
}

TEST_F(RealKreisMap, LabelsLieInsideTheirKreis) {
  for (const KreisShape& k : map_->kreise) {
    EXPECT_TRUE(inside_even_odd(parse_d(k.d), k.label_x, k.label_y))
        << k.name << " label at " << k.label_x << "," << k.label_y;
  }
  // Halle is enclosed by the Saalekreis, so the Saalekreis label must not land in Halle.
  EXPECT_FALSE(
      inside_even_odd(parse_d(kreis("15002").d), kreis("15088").label_x, kreis("15088").label_y));
}

TEST_F(RealKreisMap, OuterRingsClockwiseAndHolesCounterClockwise) {
  // Halle is a hole in the Saalekreis: the Saalekreis has a counter-clockwise ring.
  bool saalekreis_has_hole = false;
  for (const Ring& ring : parse_d(kreis("15088").d))
    if (twice_signed_area(ring) < 0) saalekreis_has_hole = true;
  EXPECT_TRUE(saalekreis_has_hole);
  // Halle itself is one outer ring.
  const auto halle = parse_d(kreis("15002").d);
  ASSERT_EQ(halle.size(), 1u);
  EXPECT_GT(twice_signed_area(halle[0]), 0);
}

TEST_F(RealKreisMap, PathDataStaysSmall) {
  std::size_t total = 0;
  for (const KreisShape& k : map_->kreise) total += k.d.size();
  RecordProperty("path_bytes", static_cast<int>(total));
  std::cout << "total path data: " << total << " bytes\n";
  EXPECT_LT(total, 40'000u);
  EXPECT_GT(total, 10'000u);  // still the real shapes, not a few boxes
}

TEST_F(RealKreisMap, ProjectionPlacesPointsLikeThePaths) {
  // Magdeburg Dom (52.1245 N, 11.6288 E) lies inside the Magdeburg path.
  const auto [x, y] = map_->projection.project(11.6288, 52.1245);
  EXPECT_TRUE(inside_even_odd(parse_d(kreis("15003").d), x, y)) << x << "," << y;
  EXPECT_FALSE(inside_even_odd(parse_d(kreis("15002").d), x, y));
  // Marktplatz Halle (51.4826 N, 11.9697 E) lies inside Halle.
  const auto [hx, hy] = map_->projection.project(11.9697, 51.4826);
  EXPECT_TRUE(inside_even_odd(parse_d(kreis("15002").d), hx, hy));
}

// A feature with the given geometry JSON, wrapped into a one-feature collection.
std::string collection(const std::string& features) {
  return R"({"type":"FeatureCollection","features":[)" + features + "]}";
}
std::string feature(const std::string& ags, const std::string& name, const std::string& geometry) {
  return R"({"type":"Feature","properties":{"AGS":")" + ags + R"(","GEN":")" + name +
         R"("},"geometry":)" + geometry + "}";
}
const std::string kSquare =
    R"({"type":"Polygon","coordinates":[[[11,52],[12,52],[12,51],[11,51],[11,52]]]})";

TEST(KreisMapShapes, SquareWithHoleGetsOppositeWindingsAndTwoSubpaths) {
  // Both rings given in the same (counter-clockwise geographic) direction on purpose.
  const std::string geometry =
      R"({"type":"Polygon","coordinates":[[[11,51],[12,51],[12,52],[11,52],[11,51]],)"
      R"([[11.4,51.4],[11.6,51.4],[11.6,51.6],[11.4,51.6],[11.4,51.4]]]})";
  auto map = build_kreis_map(collection(feature("15999", "Probe", geometry)));
  ASSERT_TRUE(map.has_value()) << map.error().message;
  const auto rings = parse_d(map->kreise[0].d);
  ASSERT_EQ(rings.size(), 2u);
  EXPECT_EQ(rings[0].size(), 4u);  // closing point dropped: Z closes
  EXPECT_GT(twice_signed_area(rings[0]), 0);
  EXPECT_LT(twice_signed_area(rings[1]), 0);
  // The centroid is in the hole, so the label moves to the widest run beside it.
  const KreisShape& k = map->kreise[0];
  EXPECT_TRUE(inside_even_odd(rings, k.label_x, k.label_y)) << k.label_x << "," << k.label_y;
}

TEST(KreisMapShapes, MultiPolygonAndRoundingDuplicates) {
  // The second polygon has two positions 1e-7 degrees apart: they round to one point.
  const std::string geometry = R"({"type":"MultiPolygon","coordinates":[)"
                               R"([[[11,52],[12,52],[12,51],[11,51],[11,52]]],)"
                               R"([[[13,52],[13.0000001,52],[14,52],[14,51],[13,51],[13,52]]]]})";
  auto map = build_kreis_map(collection(feature("15999", "Probe", geometry)));
  ASSERT_TRUE(map.has_value()) << map.error().message;
  const auto rings = parse_d(map->kreise[0].d);
  ASSERT_EQ(rings.size(), 2u);
  EXPECT_EQ(rings[1].size(), 4u);
  EXPECT_EQ(std::count(map->kreise[0].d.begin(), map->kreise[0].d.end(), 'M'), 2);
  EXPECT_EQ(std::count(map->kreise[0].d.begin(), map->kreise[0].d.end(), 'Z'), 2);
  // Label in the larger (here: equal, so the first) square, not between the two.
  EXPECT_LT(map->kreise[0].label_x, 300);
}

TEST(KreisMapShapes, RingThatVanishesInRoundingIsLeftOut) {
  const std::string geometry =
      R"({"type":"MultiPolygon","coordinates":[)"
      R"([[[11,52],[12,52],[12,51],[11,51],[11,52]]],)"
      R"([[[11.5,51.5],[11.5000001,51.5],[11.5,51.5000001],[11.5,51.5]]]]})";
  auto map = build_kreis_map(collection(feature("15999", "Probe", geometry)));
  ASSERT_TRUE(map.has_value()) << map.error().message;
  EXPECT_EQ(parse_d(map->kreise[0].d).size(), 1u);
}

TEST(KreisMapShapes, ProjectionIsNorthUpAndShrinksLongitude) {
  auto map = build_kreis_map(collection(feature("15999", "Probe", kSquare)));
  ASSERT_TRUE(map.has_value()) << map.error().message;
  const Projection& p = map->projection;
  EXPECT_NEAR(p.cos_lat0, std::cos(51.5 * 3.14159265358979 / 180), 1e-9);
  const auto [x0, y0] = p.project(11, 52);
  const auto [x1, y1] = p.project(12, 51);
  EXPECT_NEAR(x0, 6, 1e-9);
  EXPECT_NEAR(x1, 594, 1e-9);
  EXPECT_NEAR(y0, 6, 1e-9);
  EXPECT_GT(y1, y0);
  // One degree of latitude is 1 / cos(51.5°) times as long as one of longitude.
  EXPECT_NEAR((y1 - y0) / (x1 - x0), 1 / p.cos_lat0, 1e-9);
  EXPECT_EQ(map->view_box, "0 0 600 " + format_map_number(y1 + 6));
}

TEST(KreisMapShapes, FormatMapNumber) {
  EXPECT_EQ(format_map_number(12.34), "12.3");
  EXPECT_EQ(format_map_number(7.96), "8");
  EXPECT_EQ(format_map_number(-0.04), "0");
  EXPECT_EQ(format_map_number(-3.25), "-3.3");
  EXPECT_EQ(format_map_number(600), "600");
  EXPECT_EQ(format_map_number(0.05), "0.1");
}

void expect_invalid(const Result<KreisMap>& result, const std::string& message_part) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(result.error().message, HasSubstr(message_part));
}

TEST(KreisMapErrors, NotJsonOrNoFeatures) {
  expect_invalid(build_kreis_map("{not json"), "not valid JSON");
  expect_invalid(build_kreis_map(""), "not valid JSON");
  expect_invalid(build_kreis_map("[1,2]"), "FeatureCollection");
  expect_invalid(build_kreis_map(R"({"type":"FeatureCollection"})"), "FeatureCollection");
  expect_invalid(build_kreis_map(collection("")), "FeatureCollection");
}

TEST(KreisMapErrors, MissingOrBadProperties) {
  const std::string good = feature("15001", "Eins", kSquare);
  expect_invalid(build_kreis_map(collection(good + R"(,{"type":"Feature","geometry":null})")),
                 "Feature 1 has no properties");
  expect_invalid(build_kreis_map(collection(good + "," +
                                            R"({"properties":{"GEN":"X"},)"
                                            R"("geometry":)" +
                                            kSquare + "}")),
                 "Feature 1 has no five-digit AGS");
  expect_invalid(build_kreis_map(collection(feature("1500", "Kurz", kSquare))),
                 "Feature 0 has no five-digit AGS");
  expect_invalid(build_kreis_map(collection(feature("15a01", "Buchstabe", kSquare))),
                 "five-digit AGS");
  expect_invalid(
      build_kreis_map(collection(R"({"properties":{"AGS":"15002"},"geometry":)" + kSquare + "}")),
      "Feature 0 (AGS 15002) has no GEN");
  expect_invalid(build_kreis_map(collection(feature("15002", "", kSquare))), "has no GEN");
  expect_invalid(build_kreis_map(collection(good + "," + feature("15001", "Zwei", kSquare))),
                 "Feature 1 (AGS 15001) repeats an AGS");
  expect_invalid(build_kreis_map(collection("7")), "Feature 0 is not an object");
}

TEST(KreisMapErrors, BadGeometry) {
  expect_invalid(build_kreis_map(collection(feature("15003", "X", "null"))),
                 "(AGS 15003) has no geometry");
  expect_invalid(build_kreis_map(collection(
                     feature("15003", "X", R"({"type":"Point","coordinates":[11,52]})"))),
                 "(AGS 15003): geometry must be Polygon or MultiPolygon");
  expect_invalid(
      build_kreis_map(collection(feature(
          "15003", "X", R"({"type":"Polygon","coordinates":[[[11,52],[12,52],[11,52]]]})"))),
      "fewer than 4 positions");
  expect_invalid(
      build_kreis_map(collection(feature("15003", "X", R"({"type":"Polygon","coordinates":[]})"))),
      "no rings");
  expect_invalid(build_kreis_map(collection(
                     feature("15003", "X", R"({"type":"MultiPolygon","coordinates":[]})"))),
                 "no polygons");
}

TEST(KreisMapErrors, BadCoordinates) {
  const auto with_position = [](const std::string& position) {
    return collection(feature(
        "15084", "X",
        R"({"type":"Polygon","coordinates":[[[11,52],)" + position + R"(,[12,51],[11,52]]]})"));
  };
  expect_invalid(build_kreis_map(with_position(R"(["12","52"])")),
                 "Feature 0 (AGS 15084): a position is not [lon, lat]");
  expect_invalid(build_kreis_map(with_position("[12]")), "not [lon, lat]");
  expect_invalid(build_kreis_map(with_position("[12,95]")), "outside lon");
  expect_invalid(build_kreis_map(with_position("[181,52]")), "outside lon");
  // JSON cannot carry NaN or infinity: the parser rejects both the token and an overflowing
  // literal, so non-finite numbers never reach the range check.
  expect_invalid(build_kreis_map(with_position("[NaN,52]")), "not valid JSON");
  expect_invalid(build_kreis_map(with_position("[1e400,52]")), "not valid JSON");
}

TEST(KreisMapErrors, DegenerateShapesAndWidths) {
  const std::string point_ring =
      R"({"type":"Polygon","coordinates":[[[11,52],[11,52],[11,52],[11,52]]]})";
  expect_invalid(build_kreis_map(collection(feature("15001", "A", kSquare) + "," +
                                            feature("15002", "B", point_ring))),
                 "Feature 1 (AGS 15002) is too small to draw");
  expect_invalid(build_kreis_map(collection(feature("15001", "A", kSquare)), 50), "map width");
  expect_invalid(build_kreis_map(collection(feature("15001", "A", kSquare)), std::nan("")),
                 "map width");
  expect_invalid(build_kreis_map(collection(feature("15001", "A", kSquare)), 1e6), "map width");
}

}  // namespace
}  // namespace ah::modules::orgs
