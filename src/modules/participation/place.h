// The place of a proposal: a description in words, and optionally a point (lat, lon) inside
// the area of its process — picked on a Leaflet map (JavaScript), or by choosing a Gemeinde
// from a list, which places the point at the Gemeinde's centre (works without JavaScript).
//
// module.cc calls these few functions; everything about places lives here:
//
//   const Places& places = Places::of(services);           // loaded once per data folder
//   const geo::Area area = places.area_of(process);        // THE area of a process
//   read_place_fields(form, area, proposal, state);         // POST of the proposal forms
//   for (auto& e : place_errors(area, proposal)) ...        // also for the JSON API
//   add_place_form(data, places, area, state);             // the "Ort (optional)" fieldset
//   add_place_view(data, lang, places, process, proposal);  // the proposal page
//
// The rules of the form (they keep the JavaScript and the plain form in step):
//   - a chosen Gemeinde sets the point to its centre, whatever lat/lon say (the map script
//     clears the choice when someone sets a finer point on the map);
//   - otherwise lat and lon (hidden fields the map fills) are the point: both or neither;
//   - "point_remove" (a checkbox shown without JavaScript when a point is set) drops it;
//   - a point outside the area is refused with a field error ("point").
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "geo/atlas.h"
#include "http/router.h"
#include "http/url.h"
#include "modules/orgs/kreis_map.h"
#include "modules/participation/store.h"
#include "web/form_state.h"
#include "web/module.h"

namespace ah::modules::participation {

class Places {
 public:
  // The places of this server, read from `services.share_dir / "data"` on first use and kept
  // for the life of the process. When the data cannot be read the error is logged and the
  // atlas is empty: pages work, the place can be given in words only, points are refused.
  static const Places& of(const web::Services& services);

  explicit Places(geo::Atlas atlas);

  const geo::Atlas& atlas() const { return atlas_; }
  // The area a process is about. For now its organisation's territory (the org's AGS; an
  // organisation without one gives the whole Land); the one place to change when processes
  // get an area of their own.
  geo::Area area_of(const Process& process) const;
  // A server-drawn map of the area's outlines (the Land's, or one Kreis's); nullptr for an
  // empty atlas.
  const orgs::KreisMap* map_of(const geo::Area& area) const;

 private:
  geo::Atlas atlas_;
  std::map<std::string, orgs::KreisMap> maps_;  // by the area's outline: "15" or a Kreis AGS
};

// Reads the place fields ("place", "gemeinde", "lat", "lon", "point_remove") of a submitted
// proposal form into `proposal` and `form.values`; what is wrong goes to `form.errors`
// (place_errors included).
void read_place_fields(const http::ParamList& fields, const geo::Area& area, NewProposal& proposal,
                       web::FormState& form);

// The "place" member of a JSON proposal: its text without surrounding blanks; nullopt when
// absent, not a string, or blank.
std::optional<std::string> place_from_json(const nlohmann::json& body);

// What is wrong with the proposal's point for this area, as (field, catalogue key): "point"
// when it lies outside. validate() checks the rest (both or neither, length of the text).
std::vector<std::pair<std::string, std::string>> place_errors(const geo::Area& area,
                                                              const NewProposal& proposal);

// The form values of a stored proposal's place, for its edit form: "place", "lat", "lon",
// and "gemeinde" when the point is a Gemeinde's centre.
std::map<std::string, std::string> place_form_values(const Proposal& proposal,
                                                     const geo::Area& area);

// The fieldset's data: the Gemeinden of the area (the chosen one selected), the area's name
// and key for the map script, whether a point is set, and that the page needs the map assets.
void add_place_form(web::Data& data, const Places& places, const geo::Area& area,
                    const web::FormState& form);

// The proposal page's data: the place in words, the Gemeinde nearest to the point, and a
// small map with the point. Nothing for a proposal without a place.
void add_place_view(web::Data& data, std::string_view lang, const Places& places,
                    const Process& process, const Proposal& proposal);

// GET /api/v1/areas/{ags}: the area as GeoJSON for the map script and other clients.
void add_place_routes(http::Router& router, web::Services& services);
void describe_place_api(nlohmann::json& openapi);

}  // namespace ah::modules::participation
