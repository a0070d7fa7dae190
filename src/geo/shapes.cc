#include "geo/shapes.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>

#include <nlohmann/json.hpp>

namespace ah::geo {
namespace {

using Json = nlohmann::json;

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
  if (!is_position(p.lon, p.lat)) {
    return fail(ErrorCode::invalid_input,
                where + ": a position lies outside lon [-180, 180] / lat [-90, 90]");
  }
  return p;
}

Result<Polygon> parse_polygon(const Json& rings, const std::string& where) {
  if (!rings.is_array() || rings.empty()) {
    return fail(ErrorCode::invalid_input, where + ": a polygon has no rings");
  }
  Polygon polygon;
  for (const Json& ring_json : rings) {
    // RFC 7946 3.1.6: a linear ring is closed and has at least four positions.
    if (!ring_json.is_array() || ring_json.size() < 4) {
      return fail(ErrorCode::invalid_input, where + ": a ring has fewer than 4 positions");
    }
    Ring ring;
    ring.reserve(ring_json.size());
    for (const Json& position : ring_json) {
      AH_TRY(p, parse_position(position, where));
      ring.push_back(p);
    }
    polygon.push_back(std::move(ring));
  }
  return polygon;
}

Result<Outline> parse_feature(const Json& feature, std::size_t index) {
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
  Outline outline;
  outline.ags = ags->get<std::string>();
  const std::string where = feature_label(index, outline.ags);

  const auto name = properties->find("GEN");
  if (name == properties->end() || !name->is_string() ||
      name->get_ref<const std::string&>().empty()) {
    return fail(ErrorCode::invalid_input, where + " has no GEN (name) property");
  }
  outline.name = name->get<std::string>();
  if (const auto kind = properties->find("BEZ"); kind != properties->end() && kind->is_string())
    outline.kind = kind->get<std::string>();

  const auto geometry = feature.find("geometry");
  if (geometry == feature.end() || !geometry->is_object() || !geometry->contains("type") ||
      !geometry->contains("coordinates")) {
    return fail(ErrorCode::invalid_input, where + " has no geometry");
  }
  const Json& type = (*geometry)["type"];
  const Json& coordinates = (*geometry)["coordinates"];
  if (type == "Polygon") {
    AH_TRY(polygon, parse_polygon(coordinates, where));
    outline.polygons.push_back(std::move(polygon));
  } else if (type == "MultiPolygon") {
    if (!coordinates.is_array() || coordinates.empty()) {
      return fail(ErrorCode::invalid_input, where + ": the MultiPolygon has no polygons");
    }
    for (const Json& polygon_json : coordinates) {
      AH_TRY(polygon, parse_polygon(polygon_json, where));
      outline.polygons.push_back(std::move(polygon));
    }
  } else {
    return fail(ErrorCode::invalid_input, where + ": geometry must be Polygon or MultiPolygon");
  }
  for (const Polygon& polygon : outline.polygons)
    for (const Ring& ring : polygon)
      for (const LonLat& p : ring) outline.bounds.add(p);
  return outline;
}

}  // namespace

void BoundingBox::add(LonLat p) {
  min_lon = std::min(min_lon, p.lon);
  max_lon = std::max(max_lon, p.lon);
  min_lat = std::min(min_lat, p.lat);
  max_lat = std::max(max_lat, p.lat);
}

void BoundingBox::add(const BoundingBox& other) {
  if (other.empty()) return;
  add(LonLat{other.min_lon, other.min_lat});
  add(LonLat{other.max_lon, other.max_lat});
}

bool BoundingBox::contains(LonLat p) const {
  return p.lon >= min_lon && p.lon <= max_lon && p.lat >= min_lat && p.lat <= max_lat;
}

bool contains(const Polygon& polygon, LonLat p) {
  // Ray casting to the east: every edge the ray crosses flips inside/outside. Counting the
  // holes' edges too makes a point in a hole (crossing outer and hole) come out outside.
  bool inside = false;
  for (const Ring& ring : polygon) {
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      const LonLat& a = ring[i];
      const LonLat& b = ring[j];
      if ((a.lat > p.lat) != (b.lat > p.lat) &&
          p.lon < a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat))
        inside = !inside;
    }
  }
  return inside;
}

bool contains(const Outline& outline, LonLat p) {
  if (!outline.bounds.contains(p)) return false;
  return std::any_of(outline.polygons.begin(), outline.polygons.end(),
                     [&](const Polygon& polygon) { return contains(polygon, p); });
}

double distance_km(LonLat a, LonLat b) {
  constexpr double kEarthRadiusKm = 6371;
  constexpr double kRadians = std::numbers::pi / 180;
  const double dlat = (b.lat - a.lat) * kRadians, dlon = (b.lon - a.lon) * kRadians;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kRadians) * std::cos(b.lat * kRadians) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

bool is_position(double lon, double lat) {
  return std::isfinite(lon) && std::isfinite(lat) && std::abs(lon) <= 180 && std::abs(lat) <= 90;
}

Result<std::vector<Outline>> parse_kreis_outlines(std::string_view text) {
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
  std::vector<Outline> outlines;
  std::set<std::string> seen_ags;
  for (std::size_t i = 0; i < features->size(); ++i) {
    AH_TRY(outline, parse_feature((*features)[i], i));
    if (!seen_ags.insert(outline.ags).second) {
      return fail(ErrorCode::invalid_input,
                  feature_label(i, outline.ags) + " repeats an AGS of an earlier feature");
    }
    outlines.push_back(std::move(outline));
  }
  return outlines;
}

}  // namespace ah::geo
