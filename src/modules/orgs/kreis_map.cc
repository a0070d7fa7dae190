#include "modules/orgs/kreis_map.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <tuple>
#include <vector>

#include "geo/shapes.h"

namespace ah::modules::orgs {
namespace {

using geo::LonLat;
using GeoRing = geo::Ring;
using GeoPolygon = geo::Polygon;  // [0] is the outer ring, the rest are holes
using ParsedKreis = geo::Outline;

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
  return "Feature " + std::to_string(index) + " (AGS " + std::string(ags) + ")";
}

// Fits the bounding box of all positions into [margin, width - margin] horizontally; the
// height follows from the aspect ratio.
Projection fit_projection(const std::vector<ParsedKreis>& kreise, double width) {
  geo::BoundingBox box;
  for (const ParsedKreis& kreis : kreise) box.add(kreis.bounds);
  const double margin = width * kMarginShare;
  Projection projection;
  projection.cos_lat0 = std::cos((box.min_lat + box.max_lat) / 2 * std::numbers::pi / 180);
  const double span_x = (box.max_lon - box.min_lon) * projection.cos_lat0;
  // The floor keeps the scale finite for a degenerate input (all positions on one meridian);
  // its rings then have no area and build_shape reports the Kreis as too small to draw.
  projection.scale = (width - 2 * margin) / std::max(span_x, 1e-9);
  projection.x_offset = margin - box.min_lon * projection.cos_lat0 * projection.scale;
  projection.y_offset = margin + box.max_lat * projection.scale;
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
  AH_TRY(parsed, geo::parse_kreis_outlines(geojson_text));
  return build_kreis_map(parsed, target_width);
}

Result<KreisMap> build_kreis_map(const std::vector<geo::Outline>& parsed, double target_width) {
  if (!(target_width >= kMinWidth && target_width <= kMaxWidth)) {  // also rejects NaN
    return fail(ErrorCode::invalid_input, "The map width must lie between 100 and 10000");
  }
  if (parsed.empty()) return fail(ErrorCode::invalid_input, "A map needs at least one Kreis");

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
