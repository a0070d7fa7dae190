// Atlas: the Land's Kreis outlines and Gemeinde centres, and the one answer to "which area
// does this AGS stand for?" — for maps, place pickers and the check that a place lies where
// a process is about.
//
// The area of an AGS (Atlas::area):
//   "15" (the Land), "" or a key the atlas does not know  -> every Kreis of the Land;
//   a Kreis key (5 digits, also a kreisfreie Stadt's)       -> that Kreis's outline;
//   a Gemeinde key (8 digits)                               -> the outline of its Kreis (there
//       are no Gemeinde outlines in the data), with the Gemeinde's centre as the map centre.
// An 8-digit key of an unknown Gemeinde in a known Kreis gives that Kreis.
//
//   AH_TRY(atlas, orgs::load_atlas(share_dir / "data"));       // see modules/orgs
//   const geo::Area area = atlas.area("15091001");                // Kemberg -> Kreis Wittenberg
//   area.contains({12.63, 51.77});                                // true
//   atlas.nearest_gemeinde({11.63, 52.13})->name;                 // "Magdeburg, Landeshauptstadt"
//
// An Atlas is immutable after construction and safe to share between threads. An Area points
// into the Atlas it came from and must not outlive it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "geo/shapes.h"

namespace ah::geo {

struct Gemeinde {
  std::string ags;        // eight digits
  std::string name;       // official form, e.g. "Kemberg, Stadt"
  std::string kreis_ags;  // five digits; a kreisfreie Stadt's own Kreis key
  LonLat centre;          // Destatis' geographic centre
};

struct Area {
  std::string ags;                         // the key asked for when known, else the Land's ("15")
  std::string name;                        // "Sachsen-Anhalt", "Landkreis Wittenberg", "Magdeburg"
  std::vector<const Outline*> outlines;    // what the area is made of
  std::vector<const Gemeinde*> gemeinden;  // the Gemeinden whose Kreis is in the area, in
                                           // the atlas's order (by name)
  BoundingBox bounds;                      // of the outlines
  LonLat centre;                           // where a map of the area opens

  bool contains(LonLat p) const;
  // The Gemeinde of the area with this AGS; nullptr if it is not in the area.
  const Gemeinde* gemeinde(std::string_view ags) const;
  bool whole_land() const { return ags.size() == 2; }
};

class Atlas {
 public:
  // `land_ags` and `land_name` name the whole ("15", "Sachsen-Anhalt"); `gemeinden` in the
  // order areas list them.
  Atlas(std::string land_ags, std::string land_name, std::vector<Outline> kreise,
        std::vector<Gemeinde> gemeinden);

  Area area(std::string_view ags) const;
  // The Gemeinde whose centre lies nearest to `p` (of all, not only one area); nullptr for
  // an atlas without Gemeinden.
  const Gemeinde* nearest_gemeinde(LonLat p) const;
  const Gemeinde* gemeinde(std::string_view ags) const;  // nullptr if unknown
  const Outline* kreis(std::string_view ags) const;      // nullptr if unknown

  const std::vector<Outline>& kreise() const { return kreise_; }
  const std::vector<Gemeinde>& gemeinden() const { return gemeinden_; }
  const std::string& land_ags() const { return land_ags_; }

 private:
  Area area_of_kreise(std::string ags, std::string name,
                      std::vector<const Outline*> outlines) const;

  std::string land_ags_, land_name_;
  std::vector<Outline> kreise_;
  std::vector<Gemeinde> gemeinden_;
};

// How people call a Kreis: "Landkreis Wittenberg", but "Burgenlandkreis" and "Saalekreis"
// as they are (their names say Kreis already), and a kreisfreie Stadt by its name.
std::string kreis_display_name(const Outline& kreis);

}  // namespace ah::geo
