#include "geo/atlas.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ah::geo {
namespace {

// Three square Kreise side by side on a small grid; the middle one has a hole (an enclave
// like Halle in the Saalekreis) that is the third Kreis.
Outline square(std::string ags, std::string name, std::string kind, double x0, double y0,
               double size, std::vector<Ring> holes = {}) {
  Outline o{.ags = std::move(ags), .name = std::move(name), .kind = std::move(kind)};
  Polygon polygon{{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}}};
  for (auto& hole : holes) polygon.push_back(std::move(hole));
  o.polygons.push_back(std::move(polygon));
  for (const Ring& ring : o.polygons[0])
    for (const LonLat& p : ring) o.bounds.add(p);
  return o;
}

Atlas grid_atlas() {
  std::vector<Outline> kreise;
  kreise.push_back(square("15081", "Westheim", "Landkreis", 10, 50, 1));
  kreise.push_back(
      square("15088", "Saalekreis", "Landkreis", 11, 50, 1,
             {{{11.4, 50.4}, {11.6, 50.4}, {11.6, 50.6}, {11.4, 50.6}, {11.4, 50.4}}}));
  kreise.push_back(square("15002", "Mittelstadt", "Kreisfreie Stadt", 11.4, 50.4, 0.2));
  std::vector<Gemeinde> gemeinden{
      {"15081001", "Adorf", "15081", {10.2, 50.2}},
      {"15081002", "Bedorf", "15081", {10.8, 50.8}},
      {"15002000", "Mittelstadt, Stadt", "15002", {11.5, 50.5}},
      {"15088003", "Cedorf", "15088", {11.1, 50.1}},
  };
  return Atlas("15", "Testland", std::move(kreise), std::move(gemeinden));
}

std::vector<std::string> gemeinde_keys(const Area& area) {
  std::vector<std::string> out;
  for (const Gemeinde* g : area.gemeinden) out.push_back(g->ags);
  return out;
}

TEST(Atlas, LandIsEveryKreis) {
  const Atlas atlas = grid_atlas();
  for (std::string_view key : {"15", "", "o7", "99999", "1234567", "16001000"}) {
    const Area land = atlas.area(key);
    EXPECT_EQ(land.ags, "15") << key;
    EXPECT_EQ(land.name, "Testland");
    EXPECT_TRUE(land.whole_land());
    EXPECT_EQ(land.outlines.size(), 3u);
    EXPECT_EQ(gemeinde_keys(land).size(), 4u);
    EXPECT_EQ(land.bounds.min_lon, 10);
    EXPECT_EQ(land.bounds.max_lon, 12);
    EXPECT_EQ(land.centre, (LonLat{11, 50.5}));
  }
  const Area land = atlas.area("15");
  EXPECT_TRUE(land.contains({10.5, 50.5}));
  EXPECT_TRUE(land.contains({11.5, 50.5}));  // in the hole, but inside the city in it
  EXPECT_FALSE(land.contains({12.5, 50.5}));
  EXPECT_FALSE(land.contains({11, 49.5}));
}

TEST(Atlas, KreisIsItsOutlineWithoutItsHoles) {
  const Atlas atlas = grid_atlas();
  const Area kreis = atlas.area("15088");
  EXPECT_EQ(kreis.ags, "15088");
  EXPECT_EQ(kreis.name, "Saalekreis");  // says Kreis already
  EXPECT_FALSE(kreis.whole_land());
  EXPECT_TRUE(kreis.contains({11.1, 50.1}));
  EXPECT_FALSE(kreis.contains({11.5, 50.5}));  // the enclave
  EXPECT_FALSE(kreis.contains({10.5, 50.5}));  // the neighbour
  EXPECT_EQ(gemeinde_keys(kreis), std::vector<std::string>{"15088003"});
  EXPECT_EQ(kreis.centre, (LonLat{11.5, 50.5}));
  EXPECT_EQ(atlas.area("15081").name, "Landkreis Westheim");
  EXPECT_EQ(atlas.area("15002").name, "Mittelstadt");
}

TEST(Atlas, GemeindeIsItsKreisCentredOnTheGemeinde) {
  const Atlas atlas = grid_atlas();
  const Area area = atlas.area("15081002");
  EXPECT_EQ(area.ags, "15081002");
  EXPECT_EQ(area.name, "Landkreis Westheim");
  ASSERT_EQ(area.outlines.size(), 1u);
  EXPECT_EQ(area.outlines[0]->ags, "15081");
  EXPECT_EQ(area.centre, (LonLat{10.8, 50.8}));
  EXPECT_EQ(gemeinde_keys(area), (std::vector<std::string>{"15081001", "15081002"}));
  EXPECT_TRUE(area.contains({10.2, 50.2}));  // the neighbouring Gemeinde in the same Kreis
  EXPECT_FALSE(area.contains({11.1, 50.1}));
  EXPECT_NE(area.gemeinde("15081001"), nullptr);
  EXPECT_EQ(area.gemeinde("15088003"), nullptr);
  // A kreisfreie Stadt as Gemeinde: its own Kreis.
  const Area city = atlas.area("15002000");
  EXPECT_EQ(city.outlines[0]->ags, "15002");
  EXPECT_TRUE(city.contains({11.5, 50.5}));
  // An unknown Gemeinde of a known Kreis: the Kreis, centred on it.
  const Area unknown = atlas.area("15081999");
  EXPECT_EQ(unknown.ags, "15081");
  EXPECT_EQ(unknown.centre, (LonLat{10.5, 50.5}));
}

TEST(Atlas, NearestGemeinde) {
  const Atlas atlas = grid_atlas();
  EXPECT_EQ(atlas.nearest_gemeinde({10.3, 50.3})->ags, "15081001");
  EXPECT_EQ(atlas.nearest_gemeinde({11.45, 50.55})->ags, "15002000");
  EXPECT_EQ(atlas.nearest_gemeinde({20, 60})->ags, "15081002");  // far away: still one
  const Atlas empty("15", "Leer", {}, {});
  EXPECT_EQ(empty.nearest_gemeinde({10, 50}), nullptr);
  EXPECT_FALSE(empty.area("15").contains({10, 50}));
}

}  // namespace
}  // namespace ah::geo
