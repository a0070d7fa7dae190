#include "modules/participation/place.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <mutex>

#include "modules/orgs/reference_data.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/format.h"

namespace ah::modules::participation {
namespace {

using nlohmann::json;

// Width of the proposal page's map in map units; CSS scales it.
constexpr double kMapWidth = 300;
// Degrees kept in the area GeoJSON: 5 decimals are about a metre, far below the outlines'
// own precision, and keep the document small.
constexpr double kCoordinateScale = 1e5;

std::string coordinate_text(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::string();
}

std::optional<double> parse_coordinate(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

double rounded(double degrees) { return std::round(degrees * kCoordinateScale) / kCoordinateScale; }

json position(geo::LonLat p) { return json::array({rounded(p.lon), rounded(p.lat)}); }

json outline_geometry(const geo::Outline& outline) {
  json polygons = json::array();
  for (const geo::Polygon& polygon : outline.polygons) {
    json rings = json::array();
    for (const geo::Ring& ring : polygon) {
      json positions = json::array();
      for (const geo::LonLat& p : ring) positions.push_back(position(p));
      rings.push_back(std::move(positions));
    }
    polygons.push_back(std::move(rings));
  }
  return {{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
}

json bbox(const geo::BoundingBox& box) {
  return json::array(
      {rounded(box.min_lon), rounded(box.min_lat), rounded(box.max_lon), rounded(box.max_lat)});
}

// The key of the area's outline set: the Land's key for the whole Land, else the Kreis's.
std::string outline_key(const geo::Area& area, const geo::Atlas& atlas) {
  return area.outlines.size() == 1 ? area.outlines.front()->ags : atlas.land_ags();
}

http::Response area_api(web::Services& s, http::Request& r) {
  const Places& places = Places::of(s);
  const std::string ags(r.param("ags"));
  const geo::Area area = places.atlas().area(ags);
  // Unknown keys would fall back to the Land; the API says so instead.
  if (area.ags != ags || area.outlines.empty()) return web::error_response(s.view, r, 404);
  json features = json::array();
  for (const geo::Outline& kreis : places.atlas().kreise()) {
    const bool in_area = std::any_of(area.outlines.begin(), area.outlines.end(),
                                     [&](const geo::Outline* o) { return o->ags == kreis.ags; });
    features.push_back({{"type", "Feature"},
                        {"properties",
                         {{"kind", "kreis"},
                          {"ags", kreis.ags},
                          {"name", geo::kreis_display_name(kreis)},
                          {"in_area", in_area}}},
                        {"geometry", outline_geometry(kreis)}});
  }
  for (const geo::Gemeinde* g : area.gemeinden) {
    features.push_back({{"type", "Feature"},
                        {"properties", {{"kind", "gemeinde"}, {"ags", g->ags}, {"name", g->name}}},
                        {"geometry", {{"type", "Point"}, {"coordinates", position(g->centre)}}}});
  }
  json body = {{"type", "FeatureCollection"},
               {"bbox", bbox(area.bounds)},
               {"area",
                {{"ags", area.ags},
                 {"name", area.name},
                 {"centre", position(area.centre)},
                 {"bbox", bbox(area.bounds)}}},
               {"attribution", s.view.catalog().text("de", "participation_place_attribution")},
               {"features", std::move(features)}};
  auto response = web::json_response(body);
  response.headers.set("Content-Type", "application/geo+json");
  return response;
}

}  // namespace

const Places& Places::of(const web::Services& services) {
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::unique_ptr<const Places>> loaded;
  std::lock_guard lock(mutex);
  const auto data_dir = services.share_dir / "data";
  auto& slot = loaded[data_dir];
  if (!slot) {
    auto atlas = orgs::load_atlas(data_dir);
    if (!atlas) spdlog::error("places of proposals: no map data: {}", atlas.error().message);
    slot = std::make_unique<const Places>(atlas ? std::move(*atlas)
                                                : geo::Atlas("15", "Sachsen-Anhalt", {}, {}));
  }
  return *slot;
}

Places::Places(geo::Atlas atlas) : atlas_(std::move(atlas)) {
  if (atlas_.kreise().empty()) return;
  auto add = [&](const std::string& key, const std::vector<geo::Outline>& outlines) {
    if (auto map = orgs::build_kreis_map(outlines, kMapWidth))
      maps_.emplace(key, std::move(*map));
    else
      spdlog::warn("no map of {}: {}", key, map.error().message);
  };
  add(atlas_.land_ags(), atlas_.kreise());
  for (const geo::Outline& kreis : atlas_.kreise()) add(kreis.ags, {kreis});
}

geo::Area Places::area_of(const Process& process) const {
  // The process's own area (migration 5021; the owner's territory unless chosen narrower).
  return atlas_.area(process.area_ags);
}

const orgs::KreisMap* Places::map_of(const geo::Area& area) const {
  auto it = maps_.find(outline_key(area, atlas_));
  return it == maps_.end() ? nullptr : &it->second;
}

std::optional<std::string> place_from_json(const json& body) {
  const std::string text = web::string_field(body, "place");
  const std::string_view place = trimmed(text);
  return place.empty() ? std::nullopt : std::optional<std::string>(place);
}

std::vector<std::pair<std::string, std::string>> place_errors(const geo::Area& area,
                                                              const NewProposal& proposal) {
  if (!proposal.lat || !proposal.lon) return {};
  if (area.contains({*proposal.lon, *proposal.lat})) return {};
  return {{"point", "participation_error_place_outside"}};
}

void read_place_fields(const http::ParamList& fields, const geo::Area& area, NewProposal& proposal,
                       web::FormState& form) {
  const std::string_view place = trimmed(fields.get("place"));
  proposal.place = place.empty() ? std::nullopt : std::optional<std::string>(place);
  form.values["place"] = std::string(fields.get("place"));
  const std::string gemeinde(fields.get("gemeinde"));
  form.values["gemeinde"] = gemeinde;
  proposal.lat = proposal.lon = std::nullopt;
  if (!gemeinde.empty()) {
    const geo::Gemeinde* chosen = area.gemeinde(gemeinde);
    if (!chosen) {
      form.errors.emplace("gemeinde", "participation_error_gemeinde");
      return;
    }
    proposal.lat = chosen->centre.lat;
    proposal.lon = chosen->centre.lon;
  } else if (fields.get("point_remove") != "1") {
    const std::string_view lat = trimmed(fields.get("lat")), lon = trimmed(fields.get("lon"));
    if (!lat.empty() || !lon.empty()) {
      proposal.lat = parse_coordinate(lat);
      proposal.lon = parse_coordinate(lon);
      // Kept as typed, so a refused point is shown (and can be moved) again.
      form.values["lat"] = std::string(lat);
      form.values["lon"] = std::string(lon);
      if (!proposal.lat || !proposal.lon) {
        form.errors.emplace("point", "participation_error_place");
        proposal.lat = proposal.lon = std::nullopt;
        return;
      }
    }
  }
  if (proposal.lat && gemeinde.empty()) {
    form.values["lat"] = coordinate_text(*proposal.lat);
    form.values["lon"] = coordinate_text(*proposal.lon);
  }
  for (auto& [field, key] : place_errors(area, proposal)) form.errors.emplace(field, key);
}

std::map<std::string, std::string> place_form_values(const Proposal& proposal,
                                                     const geo::Area& area) {
  std::map<std::string, std::string> values{{"place", proposal.place.value_or("")}};
  if (!proposal.lat || !proposal.lon) return values;
  for (const geo::Gemeinde* g : area.gemeinden) {
    if (g->centre == geo::LonLat{*proposal.lon, *proposal.lat}) {
      values["gemeinde"] = g->ags;
      return values;
    }
  }
  values["lat"] = coordinate_text(*proposal.lat);
  values["lon"] = coordinate_text(*proposal.lon);
  return values;
}

void add_place_form(web::Data& data, const Places& places, const geo::Area& area,
                    const web::FormState& form) {
  auto value = [&](const char* name) {
    auto it = form.values.find(name);
    return it == form.values.end() ? std::string() : it->second;
  };
  const std::string chosen = value("gemeinde");
  web::Data options{web::Data::type::list};
  for (const geo::Gemeinde* g : area.gemeinden) {
    web::Data option{web::Data::type::object};
    option.set("ags", g->ags);
    option.set("name", g->name);
    option.set("selected", g->ags == chosen);
    options.push_back(option);
  }
  data.set("place_gemeinden", options);
  data.set("place_has_gemeinden", !area.gemeinden.empty());
  data.set("place_area_name", area.name);
  data.set("place_area_ags", area.ags);
  data.set("place_has_map", !area.outlines.empty());
  data.set("map_assets", !area.outlines.empty());
  // Without JavaScript, a point set earlier (on the map, or refused) can only be dropped.
  const auto lat = parse_coordinate(value("lat")), lon = parse_coordinate(value("lon"));
  if (chosen.empty() && lat && lon) {
    const geo::Gemeinde* near = places.atlas().nearest_gemeinde({*lon, *lat});
    data.set("place_point_set", true);
    data.set("place_point_near", near ? near->name : std::string());
  }
  data.set("place_maxlength", std::to_string(kMaxPlaceCharacters));
}

void add_place_view(web::Data& data, std::string_view lang, const Places& places,
                    const Process& process, const Proposal& proposal) {
  if (proposal.place) data.set("place_text", *proposal.place);
  if (!proposal.lat || !proposal.lon) {
    data.set("has_place", proposal.place.has_value());
    return;
  }
  data.set("has_place", true);
  const geo::LonLat point{*proposal.lon, *proposal.lat};
  if (const geo::Gemeinde* near = places.atlas().nearest_gemeinde(point))
    data.set("place_near", near->name);
  data.set("place_lat", web::format_decimal(point.lat, 5, lang));
  data.set("place_lon", web::format_decimal(point.lon, 5, lang));
  // The process's area, or the whole Land for a point outside it (stored before a change).
  geo::Area area = places.area_of(process);
  if (!area.contains(point)) area = places.atlas().area(places.atlas().land_ags());
  const orgs::KreisMap* map = places.map_of(area);
  if (!map) return;
  web::Data drawn{web::Data::type::object};
  drawn.set("view_box", map->view_box);
  web::Data shapes{web::Data::type::list};
  for (const auto& k : map->kreise) {
    web::Data shape{web::Data::type::object};
    shape.set("d", k.d);
    shapes.push_back(shape);
  }
  drawn.set("kreise", shapes);
  const auto [x, y] = map->projection.project(point.lon, point.lat);
  drawn.set("x", orgs::format_map_number(x));
  drawn.set("y", orgs::format_map_number(y));
  drawn.set("area_name", area.name);
  data.set("place_map", drawn);
}

void add_place_routes(http::Router& router, web::Services& services) {
  Places::of(services);  // read the data at start, so a problem shows in the log right away
  router.add(http::Method::get, "/api/v1/areas/{ags}",
             [&services](http::Request& r) { return area_api(services, r); });
}

void describe_place_api(json& doc) {
  json error = {{"$ref", "#/components/responses/Problem"}};
  doc["paths"]["/api/v1/areas/{ags}"]["get"] = {
      {"operationId", "getArea"},
      {"summary",
       "The area of an AGS as GeoJSON: every Kreis outline (in_area marks the "
       "area's), the area's Gemeinden as points, its bounding box and map centre"},
      {"description",
       "ags: the Land (15), a Kreis (5 digits) or a Gemeinde (8 digits; its area is the "
       "outline of its Kreis, centred on the Gemeinde). Outlines © GeoBasis-DE / BKG 2020 "
       "(Daten verändert), Gemeinden © Statistisches Bundesamt (Destatis), dl-de/by-2-0."},
      {"parameters",
       {{{"name", "ags"},
         {"in", "path"},
         {"required", true},
         {"schema", {{"type", "string"}, {"pattern", "^[0-9]{2}([0-9]{3}([0-9]{3})?)?$"}}}}}},
      {"x-example", {{"ags", "15091"}}},
      {"responses",
       {{"200",
         {{"description", "A GeoJSON FeatureCollection (RFC 7946) with the member area"},
          {"content",
           {{"application/geo+json",
             {{"schema",
               {{"type", "object"},
                {"required", {"type", "bbox", "area", "features"}},
                {"properties",
                 {{"type", {{"const", "FeatureCollection"}}},
                  {"bbox", {{"type", "array"}, {"items", {{"type", "number"}}}}},
                  {"attribution", {{"type", "string"}}},
                  {"area",
                   {{"type", "object"},
                    {"required", {"ags", "name", "centre", "bbox"}},
                    {"properties",
                     {{"ags", {{"type", "string"}}},
                      {"name", {{"type", "string"}}},
                      {"centre", {{"type", "array"}, {"items", {{"type", "number"}}}}},
                      {"bbox", {{"type", "array"}, {"items", {{"type", "number"}}}}}}}}},
                  {"features", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}}}}}}},
        {"404", error}}}};
}

}  // namespace ah::modules::participation
