#include "modules/orgs/kreis_map.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

namespace ah::modules::orgs {
namespace {

using Json = nlohmann::json;

struct LonLat {
  double lon;
  double lat;
};
using GeoRing = std::vector<LonLat>;
using GeoPolygon = std::vector<GeoRing>;  // [0] is the outer ring, the rest are holes

struct ParsedKreis {
  std::string ags;
  std::string name;
  std::vector<GeoPolygon> polygons;
};

// A map point in tenths of a map unit. Integers make "rounds to the same value" exact and
// keep the text free of floating-point formatting surprises.
struct Tenths {
  long long x;
  long long y;
  bool operator==(const Tenths&) const = default;
};
using MapRing = std::vector<Tenths>;
using MapPolygon = std::vector<MapRing>;  // [0] outer, rest holes, as in GeoPolygon

constexpr double kMinWidth = 100;
constexpr double kMaxWidth = 10000;
constexpr double kMarginShare = 0.01;  // of the width, on every side

std::string feature_label(std::size_t index, std::string_view ags) {
  std::string label = "Feature " + std::to_string(index);
  if (!ags.empty()) label += " (AGS " + std::string(ags) + ")";
  return label;
}

bool is_kreis_ags(std::string_view ags) {
  return ags.size() == 5 &&
         std::all_of(ags.begin(), ags.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<LonLat> parse_position(const Json& position, const std::string& where) {
  // GeoJSON allows a third (altitude) value; we ignore it.
  if (!position.is_array() || position.size() < 2 || !position[0].is_number() ||
      !position[1].is_number()) {
    return fail(ErrorCode::invalid_input, where + ": a position is not [lon, lat]");
  }
  LonLat p{position[0].get<double>(), position[1].get<double>()};
  if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || std::abs(p.lon) > 180 ||
      std::abs(p.lat) > 90) {
    return fail(ErrorCode::invalid_input,
                where + ": a position lies outside lon [-180, 180] / lat [-90, 90]");
  }
  return p;
}

Result<GeoPolygon> parse_polygon(const Json& rings, const std::string& where) {
  if (!rings.is_array() || rings.empty()) {
    return fail(ErrorCode::invalid_input, where + ": a polygon has no rings");
  }
  GeoPolygon polygon;
  for (const Json& ring_json : rings) {
    // RFC 7946 3.1.6: a linear ring is closed and has at least four positions.
    if (!ring_json.is_array() || ring_json.size() < 4) {
      return fail(ErrorCode::invalid_input, where + ": a ring has fewer than 4 positions");
    }
    GeoRing ring;
    ring.reserve(ring_json.size());
    for (const Json& position : ring_json) {
      AH_TRY(p, parse_position(position, where));
      ring.push_back(p);
    }
    polygon.push_back(std::move(ring));
  }
  return polygon;
}

Result<ParsedKreis> parse_feature(const Json& feature, std::size_t index) {
  if (!feature.is_object()) {
    return fail(ErrorCode::invalid_input, feature_label(index, {}) + " is not an object");
  }
  const auto properties = feature.find("properties");
  if (properties == feature.end() || !properties->is_object()) {
    return fail(ErrorCode::invalid_input, feature_label(index, {}) + " has no properties");
  }
  const auto ags = properties->find("AGS");
  if (ags == properties->end() || !ags->is_string() ||
      !is_kreis_ags(ags->get_ref<const std::string&>())) {
    return fail(ErrorCode::invalid_input,
                feature_label(index, {}) + " has no five-digit AGS property");
  }
  ParsedKreis kreis;
  kreis.ags = ags->get<std::string>();
  const std::string where = feature_label(index, kreis.ags);

  const auto name = properties->find("GEN");
  if (name == properties->end() || !name->is_string() ||
      name->get_ref<const std::string&>().empty()) {
    return fail(ErrorCode::invalid_input, where + " has no GEN (name) property");
  }
  kreis.name = name->get<std::string>();

  const auto geometry = feature.find("geometry");
  if (geometry == feature.end() || !geometry->is_object() || !geometry->contains("type") ||
      !geometry->contains("coordinates")) {
    return fail(ErrorCode::invalid_input, where + " has no geometry");
  }
  const Json& type = (*geometry)["type"];
  const Json& coordinates = (*geometry)["coordinates"];
  if (type == "Polygon") {
    AH_TRY(polygon, parse_polygon(coordinates, where));
    kreis.polygons.push_back(std::move(polygon));
  } else if (type == "MultiPolygon") {
    if (!coordinates.is_array() || coordinates.empty()) {
      return fail(ErrorCode::invalid_input, where + ": the MultiPolygon has no polygons");
    }
    for (const Json& polygon_json : coordinates) {
      AH_TRY(polygon, parse_polygon(polygon_json, where));
      kreis.polygons.push_back(std::move(polygon));
    }
  } else {
    return fail(ErrorCode::invalid_input, where + ": geometry must be Polygon or MultiPolygon");
  }
  return kreis;
}

Result<std::vector<ParsedKreis>> parse_collection(std::string_view text) {
  // The non-throwing overload: a parse error yields a "discarded" value instead.
  const Json root = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return fail(ErrorCode::invalid_input, "The Kreis boundaries are not valid JSON");
  }
  const auto features = root.is_object() ? root.find("features") : root.end();
  if (!root.is_object() || features == root.end() || !features->is_array() || features->empty()) {
    return fail(ErrorCode::invalid_input,
                "The Kreis boundaries must be a GeoJSON FeatureCollection with features");
  }
  std::vector<ParsedKreis> kreise;
  std::set<std::string> seen_ags;
  for (std::size_t i = 0; i < features->size(); ++i) {
    AH_TRY(kreis, parse_feature((*features)[i], i));
    if (!seen_ags.insert(kreis.ags).second) {
      return fail(ErrorCode::invalid_input,
                  feature_label(i, kreis.ags) + " repeats an AGS of an earlier feature");
    }
    kreise.push_back(std::move(kreis));
  }
  return kreise;
}

// Fits the bounding box of all positions into [margin, width - margin] horizontally; the
// height follows from the aspect ratio.
Projection fit_projection(const std::vector<ParsedKreis>& kreise, double width) {
  double min_lon = 180, max_lon = -180, min_lat = 90, max_lat = -90;
  for (const ParsedKreis& kreis : kreise)
    for (const GeoPolygon& polygon : kreis.polygons)
      for (const GeoRing& ring : polygon)
        for (const LonLat& p : ring) {
          min_lon = std::min(min_lon, p.lon);
          max_lon = std::max(max_lon, p.lon);
          min_lat = std::min(min_lat, p.lat);
          max_lat = std::max(max_lat, p.lat);
        }
  const double margin = width * kMarginShare;
  Projection projection;
  projection.cos_lat0 = std::cos((min_lat + max_lat) / 2 * std::numbers::pi / 180);
  const double span_x = (max_lon - min_lon) * projection.cos_lat0;
  // The floor keeps the scale finite for a degenerate input (all positions on one meridian);
  // its rings then have no area and build_shape reports the Kreis as too small to draw.
  projection.scale = (width - 2 * margin) / std::max(span_x, 1e-9);
  projection.x_offset = margin - min_lon * projection.cos_lat0 * projection.scale;
  projection.y_offset = margin + max_lat * projection.scale;
  return projection;
}

Tenths to_tenths(double x, double y) { return {std::llround(x * 10), std::llround(y * 10)}; }

// Twice the signed area in tenths²; positive means clockwise on screen (y grows downwards).
long long twice_signed_area(const MapRing& ring) {
  long long sum = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Tenths& a = ring[i];
    const Tenths& b = ring[(i + 1) % ring.size()];
    sum += a.x * b.y - b.x * a.y;
  }
  return sum;
}

// Projects and rounds one ring; drops repeated points and the closing point (Z closes the
// subpath). Returns an empty ring when fewer than three distinct points remain.
MapRing project_ring(const GeoRing& ring, const Projection& projection) {
  MapRing out;
  out.reserve(ring.size());
  for (const LonLat& p : ring) {
    const auto [x, y] = projection.project(p.lon, p.lat);
    const Tenths t = to_tenths(x, y);
    if (out.empty() || !(out.back() == t)) out.push_back(t);
  }
  while (out.size() > 1 && out.back() == out.front()) out.pop_back();
  if (out.size() < 3 || twice_signed_area(out) == 0) out.clear();
  return out;
}

void append_tenths(std::string& out, long long tenths) {
  if (tenths < 0) out += '-';
  const unsigned long long magnitude =
      tenths < 0 ? 0ULL - static_cast<unsigned long long>(tenths) : tenths;
  out += std::to_string(magnitude / 10);
  if (magnitude % 10 != 0) {
    out += '.';
    out += static_cast<char>('0' + magnitude % 10);
  }
}

void append_ring(std::string& d, const MapRing& ring) {
  for (std::size_t i = 0; i < ring.size(); ++i) {
    d += i == 0 ? 'M' : 'L';
    append_tenths(d, ring[i].x);
    d += ' ';
    append_tenths(d, ring[i].y);
  }
  d += 'Z';
}

// Even-odd test over all rings of one polygon (outer and holes), in map units.
bool inside(const MapPolygon& polygon, double x, double y) {
  bool in = false;
  for (const MapRing& ring : polygon) {
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      const double xi = ring[i].x / 10.0, yi = ring[i].y / 10.0;
      const double xj = ring[j].x / 10.0, yj = ring[j].y / 10.0;
      if ((yi > y) != (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi)) in = !in;
    }
  }
  return in;
}

std::pair<double, double> ring_centroid(const MapRing& ring) {
  double area2 = 0, cx = 0, cy = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const double ax = ring[i].x / 10.0, ay = ring[i].y / 10.0;
    const double bx = ring[(i + 1) % ring.size()].x / 10.0;
    const double by = ring[(i + 1) % ring.size()].y / 10.0;
    const double cross = ax * by - bx * ay;
    area2 += cross;
    cx += (ax + bx) * cross;
    cy += (ay + by) * cross;
  }
  return {cx / (3 * area2), cy / (3 * area2)};
}

// The middle of the widest horizontal run inside the polygon, over evenly spaced scanlines.
// Horizontal because labels are horizontal text; used when the centroid lies outside.
std::pair<double, double> widest_run_middle(const MapPolygon& polygon) {
  long long min_y = polygon[0][0].y, max_y = min_y;
  for (const Tenths& t : polygon[0]) {
    min_y = std::min(min_y, t.y);
    max_y = std::max(max_y, t.y);
  }
  constexpr int kScanlines = 64;
  double best_width = -1, best_x = polygon[0][0].x / 10.0, best_y = polygon[0][0].y / 10.0;
  std::vector<double> crossings;
  for (int row = 0; row < kScanlines; ++row) {
    const double y = (min_y + (max_y - min_y) * (row + 0.5) / kScanlines) / 10.0;
    crossings.clear();
    for (const MapRing& ring : polygon) {
      for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const double xi = ring[i].x / 10.0, yi = ring[i].y / 10.0;
        const double xj = ring[j].x / 10.0, yj = ring[j].y / 10.0;
        if ((yi > y) != (yj > y)) crossings.push_back(xi + (y - yi) * (xj - xi) / (yj - yi));
      }
    }
    std::sort(crossings.begin(), crossings.end());
    for (std::size_t k = 0; k + 1 < crossings.size(); k += 2) {
      if (crossings[k + 1] - crossings[k] > best_width) {
        best_width = crossings[k + 1] - crossings[k];
        best_x = (crossings[k] + crossings[k + 1]) / 2;
        best_y = y;
      }
    }
  }
  return {best_x, best_y};
}

double round_to_tenth(double value) { return std::round(value * 10) / 10; }

Result<KreisShape> build_shape(const ParsedKreis& kreis, std::size_t index,
                               const Projection& projection) {
  std::vector<MapPolygon> polygons;
  for (const GeoPolygon& geo_polygon : kreis.polygons) {
    MapPolygon polygon;
    for (std::size_t r = 0; r < geo_polygon.size(); ++r) {
      MapRing ring = project_ring(geo_polygon[r], projection);
      if (ring.empty()) {
        if (r == 0) break;  // holes without their outer ring mean nothing
        continue;
      }
      // GeoJSON files in the wild ignore the RFC 7946 winding rule, so we impose ours.
      const bool is_outer = r == 0;
      if ((twice_signed_area(ring) > 0) != is_outer) std::reverse(ring.begin(), ring.end());
      polygon.push_back(std::move(ring));
    }
    if (!polygon.empty()) polygons.push_back(std::move(polygon));
  }
  if (polygons.empty()) {
    return fail(ErrorCode::invalid_input,
                feature_label(index, kreis.ags) + " is too small to draw at this map width");
  }

  KreisShape shape;
  shape.ags = kreis.ags;
  shape.name = kreis.name;
  for (const MapPolygon& polygon : polygons)
    for (const MapRing& ring : polygon) append_ring(shape.d, ring);

  const MapPolygon& largest = *std::max_element(
      polygons.begin(), polygons.end(), [](const MapPolygon& a, const MapPolygon& b) {
        return twice_signed_area(a[0]) < twice_signed_area(b[0]);
      });
  auto [x, y] = ring_centroid(largest[0]);
  if (!inside(largest, x, y)) std::tie(x, y) = widest_run_middle(largest);
  shape.label_x = round_to_tenth(x);
  shape.label_y = round_to_tenth(y);
  return shape;
}

}  // namespace

std::pair<double, double> Projection::project(double lon, double lat) const {
  return {lon * cos_lat0 * scale + x_offset, y_offset - lat * scale};
}

std::string format_map_number(double value) {
  std::string out;
  append_tenths(out, std::llround(value * 10));
  return out;
}

Result<KreisMap> build_kreis_map(std::string_view geojson_text, double target_width) {
  if (!(target_width >= kMinWidth && target_width <= kMaxWidth)) {  // also rejects NaN
    return fail(ErrorCode::invalid_input, "The map width must lie between 100 and 10000");
  }
  AH_TRY(parsed, parse_collection(geojson_text));

  KreisMap map;
  map.width = target_width;
  map.projection = fit_projection(parsed, target_width);

  long long max_y_tenths = 0;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    AH_TRY(shape, build_shape(parsed[i], i, map.projection));
    map.kreise.push_back(std::move(shape));
  }
  // The lowest point after rounding fixes the height, so the view box holds every point.
  for (const ParsedKreis& kreis : parsed)
    for (const GeoPolygon& polygon : kreis.polygons)
      for (const GeoRing& ring : polygon)
        for (const LonLat& p : ring) {
          const auto [x, y] = map.projection.project(p.lon, p.lat);
          max_y_tenths = std::max(max_y_tenths, to_tenths(x, y).y);
        }
  const long long margin_tenths = std::llround(target_width * kMarginShare * 10);
  const long long height_tenths = max_y_tenths + margin_tenths;
  map.height = height_tenths / 10.0;
  map.view_box = "0 0 " + format_map_number(target_width) + " ";
  append_tenths(map.view_box, height_tenths);

  std::sort(map.kreise.begin(), map.kreise.end(), [](const KreisShape& a, const KreisShape& b) {
    return a.name != b.name ? a.name < b.name : a.ags < b.ags;
  });
  return map;
}

}  // namespace ah::modules::orgs
