// Kreis map: SVG path data for the state map on /organisationen, computed on the server.
//
// Input is a GeoJSON FeatureCollection of the Kreise (Landkreise and kreisfreie Städte) in
// WGS84 lon/lat (data/sachsen-anhalt-kreise.geojson: 14 features, Polygon or MultiPolygon,
// properties AGS, GEN, BEZ), read by geo::parse_kreis_outlines (src/geo/shapes.h). Output is plain
// data for a mustache template:
//
//   <svg viewBox="{{view_box}}">{{#kreise}}
//     <a href="/organisationen/{{ags}}"><path d="{{d}}"/></a>{{/kreise}}</svg>
//
// Every string we produce for an attribute (`view_box`, `d`) consists only of digits, '.',
// '-', ' ' and the letters M, L and Z, so it needs no escaping; `ags` is five digits. `name`
// is the GEN text from the file and must be escaped like any other text.
//
// Projection: equirectangular, x scaled by cos(mean latitude of the bounding box), y flipped so
// north is up, fitted to `target_width` with a margin of 1 % of the width on every side. At the
// size of one Bundesland the distortion of this projection is invisible, and it keeps the
// arithmetic (and `Projection::project` for Gemeinde dots) trivial.
//
// Path data: coordinates are rounded to 0.1 map units; consecutive points that round to the same
// value are dropped, so the whole state at 600 units wide takes about 37.5 KB of path data. Each
// ring is one "M x y L x y ... Z" subpath; a MultiPolygon (or a Polygon with holes) gives several
// subpaths in one `d`. Outer rings run clockwise on screen and holes counter-clockwise, so holes
// stay open under both the nonzero and the evenodd fill rule. A ring too small to survive the
// rounding (fewer than three distinct points) is left out.
//
//   AH_TRY(text, read_file(data_dir / "sachsen-anhalt-kreise.geojson"));
//   AH_TRY(map, build_kreis_map(text));
//   auto [x, y] = map.projection.project(11.6277, 52.1317);   // Magdeburg, in map units
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "geo/shapes.h"

namespace ah::modules::orgs {

// Maps WGS84 lon/lat in degrees to map units of the KreisMap it belongs to (x right, y down):
//   x = lon * cos_lat0 * scale + x_offset,   y = y_offset - lat * scale.
struct Projection {
  double scale = 1;     // map units per degree of latitude
  double x_offset = 0;  // map units
  double y_offset = 0;  // map units
  double cos_lat0 = 1;  // cosine of the mean latitude of the mapped area

  // Exact (unrounded) map coordinates; format them with format_map_number for attributes.
  std::pair<double, double> project(double lon, double lat) const;
};

struct KreisShape {
  std::string ags;   // five digits, e.g. "15003"
  std::string name;  // GEN, e.g. "Magdeburg" (UTF-8; needs HTML escaping)
  std::string d;     // SVG path data, matches ^M[-0-9. LMZ]+Z$
  // A point for a text label inside the Kreis: the centroid of its largest ring when that lies
  // inside the Kreis, otherwise the middle of the widest horizontal run through the Kreis (for
  // a Landkreis whose centroid falls into an enclosed city, e.g. Saalekreis around Halle).
  double label_x = 0;
  double label_y = 0;
};

struct KreisMap {
  std::string view_box;  // "0 0 <width> <height>"
  double width = 0;      // == target_width
  // The lowest path point plus the margin. Every path point lies in [0, width] x [0, height].
  double height = 0;
  Projection projection;
  // Sorted by name in byte order of the UTF-8 text, then by AGS. Not German collation: a
  // non-ASCII letter sorts after every ASCII one, so "Burgenlandkreis" comes before "Börde".
  // Callers that need Duden order sort again with a collator.
  std::vector<KreisShape> kreise;
};

// Builds the map from GeoJSON text. target_width is the view box width in map units and must
// lie in [100, 10000] (below that, 0.1-unit rounding distorts the shapes visibly).
// Errors (all ErrorCode::invalid_input; for a fault inside a feature the message names its
// index and, when known, its AGS): not JSON; not a FeatureCollection with at least one feature; a
// feature without a five-digit AGS or a non-empty GEN; a duplicate AGS; geometry missing or not
// Polygon / MultiPolygon; a ring with fewer than 4 positions; a position that is not finite numbers
// within lon [-180, 180], lat [-90, 90]; a Kreis that vanishes entirely at this width.
Result<KreisMap> build_kreis_map(std::string_view geojson_text, double target_width = 600);
// The same from outlines already read (e.g. a geo::Area's, for a map of one Kreis). Errors as
// above, for the width and for shapes too small to draw; `kreise` must not be empty.
Result<KreisMap> build_kreis_map(const std::vector<geo::Outline>& kreise,
                                 double target_width = 600);

// A map coordinate as written into path data: rounded to 0.1, no trailing ".0", never "-0"
// (e.g. 12.34 -> "12.3", 7.96 -> "8", -0.04 -> "0"). For Gemeinde dots placed with
// Projection::project, so they share the paths' precision and character set.
std::string format_map_number(double value);

}  // namespace ah::modules::orgs
