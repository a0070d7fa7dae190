#include "geo/shapes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "base/files.h"

namespace ah::geo {
namespace {

using ::testing::HasSubstr;

// Real places (Destatis' Gemeinde centres, rounded).
constexpr LonLat kHalle{11.9707, 51.4825};
constexpr LonLat kMagdeburg{11.6327, 52.1262};
constexpr LonLat kKemberg{12.6337, 51.7725};
constexpr LonLat kPotsdam{13.0645, 52.3906};    // Brandenburg
constexpr LonLat kMerseburg{11.9930, 51.3550};  // Saalekreis, south of Halle

class RealOutlines : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto text = read_file(std::string(AH_DATA_DIR) + "/sachsen-anhalt-kreise.geojson");
    ASSERT_TRUE(text.has_value());
    auto parsed = parse_kreis_outlines(*text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    outlines_ = new std::vector<Outline>(std::move(*parsed));
  }
  static void TearDownTestSuite() { delete outlines_; }
  static const Outline& kreis(std::string_view ags) {
    auto it = std::find_if(outlines_->begin(), outlines_->end(),
                           [&](const Outline& o) { return o.ags == ags; });
    EXPECT_NE(it, outlines_->end()) << ags;
    return *it;
  }
  // The AGS of every Kreis containing p.
  static std::vector<std::string> kreise_at(LonLat p) {
    std::vector<std::string> out;
    for (const Outline& o : *outlines_)
      if (contains(o, p)) out.push_back(o.ags);
    return out;
  }
  static inline std::vector<Outline>* outlines_ = nullptr;
};

TEST_F(RealOutlines, FourteenKreiseWithNamesKindsAndBounds) {
  ASSERT_EQ(outlines_->size(), 14u);
  EXPECT_EQ(kreis("15091").name, "Wittenberg");
  EXPECT_EQ(kreis("15091").kind, "Landkreis");
  EXPECT_EQ(kreis("15002").kind, "Kreisfreie Stadt");
  // Sachsen-Anhalt lies between about 10.5 and 13.2 east, 50.9 and 53.1 north.
  for (const Outline& o : *outlines_) {
    EXPECT_GT(o.bounds.min_lon, 10.5) << o.ags;
    EXPECT_LT(o.bounds.max_lon, 13.3) << o.ags;
    EXPECT_GT(o.bounds.min_lat, 50.9) << o.ags;
    EXPECT_LT(o.bounds.max_lat, 53.1) << o.ags;
  }
}

TEST_F(RealOutlines, EachCityCentreLiesInExactlyItsOwnKreis) {
  EXPECT_EQ(kreise_at(kHalle), std::vector<std::string>{"15002"});
  EXPECT_EQ(kreise_at(kMagdeburg), std::vector<std::string>{"15003"});
  EXPECT_EQ(kreise_at(kKemberg), std::vector<std::string>{"15091"});
  EXPECT_EQ(kreise_at(kMerseburg), std::vector<std::string>{"15088"});
}

TEST_F(RealOutlines, HolesAreRespected) {
  // Halle is a hole in the Saalekreis: inside its outer ring and its bounding box, but not
  // in the Kreis.
  const Outline& saalekreis = kreis("15088");
  ASSERT_GE(saalekreis.polygons[0].size(), 2u);
  EXPECT_TRUE(saalekreis.bounds.contains(kHalle));
  EXPECT_TRUE(contains(Polygon{saalekreis.polygons[0][0]}, kHalle));
  EXPECT_FALSE(contains(saalekreis, kHalle));
}

TEST_F(RealOutlines, PointsOutsideTheLandAreInNoKreis) {
  EXPECT_TRUE(kreise_at(kPotsdam).empty());
  EXPECT_TRUE(kreise_at({13.4050, 52.5200}).empty());  // Berlin
  EXPECT_TRUE(kreise_at({10.5268, 52.2689}).empty());  // Braunschweig, Niedersachsen
  EXPECT_TRUE(kreise_at({12.3731, 51.3397}).empty());  // Leipzig, Sachsen
  EXPECT_FALSE(contains(kreis("15091"), kMagdeburg));
}

TEST(Shapes, SquareWithHoleAndMultiPolygon) {
  const Ring outer{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}};
  const Ring hole{{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}};
  const Polygon with_hole{outer, hole};
  EXPECT_TRUE(contains(with_hole, {0.5, 0.5}));
  EXPECT_FALSE(contains(with_hole, {2, 2}));
  EXPECT_FALSE(contains(with_hole, {5, 2}));
  EXPECT_FALSE(contains(with_hole, {2, -1}));

  Outline two_parts{.ags = "15999", .name = "Zwei"};
  two_parts.polygons = {with_hole, Polygon{{{10, 10}, {11, 10}, {11, 11}, {10, 11}, {10, 10}}}};
  for (const auto& polygon : two_parts.polygons)
    for (const auto& ring : polygon)
      for (const auto& p : ring) two_parts.bounds.add(p);
  EXPECT_TRUE(contains(two_parts, {10.5, 10.5}));
  EXPECT_TRUE(contains(two_parts, {3.5, 0.5}));
  EXPECT_FALSE(contains(two_parts, {2, 2}));
  EXPECT_FALSE(contains(two_parts, {7, 7}));  // between the parts, inside the bounds
  EXPECT_TRUE(two_parts.bounds.contains({7, 7}));
}

TEST(Shapes, BoundingBoxAndDistance) {
  BoundingBox box;
  EXPECT_TRUE(box.empty());
  box.add(LonLat{11, 51});
  box.add(LonLat{13, 53});
  EXPECT_FALSE(box.empty());
  EXPECT_EQ(box.centre(), (LonLat{12, 52}));
  EXPECT_TRUE(box.contains({11, 53}));
  EXPECT_FALSE(box.contains({10.9, 52}));
  // Magdeburg to Halle: 0.644° of latitude (71.6 km) and 0.338° of longitude (23.2 km).
  EXPECT_NEAR(distance_km(kMagdeburg, kHalle), 75.3, 0.3);
  EXPECT_EQ(distance_km(kHalle, kHalle), 0);
}

TEST(Shapes, IsPosition) {
  EXPECT_TRUE(is_position(11.6, 52.1));
  EXPECT_TRUE(is_position(-180, -90));
  EXPECT_FALSE(is_position(181, 0));
  EXPECT_FALSE(is_position(0, -90.5));
  EXPECT_FALSE(is_position(std::nan(""), 0));
  EXPECT_FALSE(is_position(0, std::numeric_limits<double>::infinity()));
}

TEST(Shapes, ParseErrorsNameTheFeature) {
  const auto error_of = [](std::string_view text) {
    auto parsed = parse_kreis_outlines(text);
    EXPECT_FALSE(parsed.has_value()) << text;
    return parsed ? std::string() : parsed.error().message;
  };
  EXPECT_THAT(error_of("{"), HasSubstr("not valid JSON"));
  EXPECT_THAT(error_of(R"({"type":"FeatureCollection","features":[]})"),
              HasSubstr("FeatureCollection"));
  EXPECT_THAT(
      error_of(R"({"features":[{"properties":{"AGS":"15001","GEN":"A"},)"
               R"("geometry":{"type":"Polygon","coordinates":[[[11,52],[12,52],[11,52]]]}}]})"),
      HasSubstr("Feature 0 (AGS 15001): a ring has fewer than 4 positions"));
}

}  // namespace
}  // namespace ah::geo
