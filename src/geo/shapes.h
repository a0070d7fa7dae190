// Shapes on the globe: points, polygons with holes, outlines of Kreise, bounding boxes, and
// the one GeoJSON reader for the Kreis outlines (data/sachsen-anhalt-kreise.geojson).
//
// Coordinates are WGS84 degrees, longitude first as in GeoJSON. Tests of containment work
// directly on degrees: at the size of a Bundesland, a ring's edges drawn straight in lon/lat
// differ from the geodesic by far less than the outlines' own simplification (about 200 m).
//
//   AH_TRY(kreise, geo::parse_kreis_outlines(read_file(path)));
//   if (geo::contains(kreise[0], {11.97, 51.48})) ...   // Halle's centre in Halle
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ah::geo {

struct LonLat {
  double lon = 0;
  double lat = 0;
  bool operator==(const LonLat&) const = default;
};

using Ring = std::vector<LonLat>;   // closed: the last position repeats the first
using Polygon = std::vector<Ring>;  // [0] is the outer ring, the rest are holes

struct BoundingBox {
  // An empty box (min > max) until the first point is added.
  double min_lon = 180, min_lat = 90, max_lon = -180, max_lat = -90;

  void add(LonLat p);
  void add(const BoundingBox& other);
  bool empty() const { return min_lon > max_lon; }
  bool contains(LonLat p) const;
  LonLat centre() const { return {(min_lon + max_lon) / 2, (min_lat + max_lat) / 2}; }
};

// One Kreis (Landkreis or kreisfreie Stadt) as the BKG outlines give it.
struct Outline {
  std::string ags;                // five digits, e.g. "15091"
  std::string name;               // GEN, e.g. "Wittenberg" (UTF-8)
  std::string kind;               // BEZ, e.g. "Landkreis", "Kreisfreie Stadt"; "" when absent
  std::vector<Polygon> polygons;  // a Polygon is one entry, a MultiPolygon several
  BoundingBox bounds;             // of every position
};

// Whether `p` lies inside the polygon: inside its outer ring and in none of its holes
// (even-odd over all rings). A point exactly on an edge may count either way.
bool contains(const Polygon& polygon, LonLat p);
// Inside any of the outline's polygons.
bool contains(const Outline& outline, LonLat p);

// Great-circle distance in kilometres (haversine on a sphere of 6371 km).
double distance_km(LonLat a, LonLat b);

// Whether the numbers are a position on Earth: finite, lon in [-180, 180], lat in [-90, 90].
bool is_position(double lon, double lat);

// Reads a GeoJSON FeatureCollection of Kreise: each feature with properties AGS (five
// digits, unique) and GEN (non-empty), optionally BEZ, and a Polygon or MultiPolygon.
// Errors (all ErrorCode::invalid_input; for a fault inside a feature the message names its
// index and, when known, its AGS, e.g. "Feature 3 (AGS 15084): a ring has fewer than 4
// positions"): not JSON; not a FeatureCollection with at least one feature; a missing or bad
// AGS or GEN; a repeated AGS; geometry missing or of another type; a polygon without rings;
// a ring with fewer than 4 positions; a position that is not [lon, lat] on Earth.
Result<std::vector<Outline>> parse_kreis_outlines(std::string_view geojson_text);

}  // namespace ah::geo
