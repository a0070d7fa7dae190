#include "geo/atlas.h"

#include <algorithm>
#include <limits>

namespace ah::geo {

bool Area::contains(LonLat p) const {
  if (!bounds.contains(p)) return false;
  return std::any_of(outlines.begin(), outlines.end(),
                     [&](const Outline* outline) { return geo::contains(*outline, p); });
}

const Gemeinde* Area::gemeinde(std::string_view key) const {
  for (const Gemeinde* g : gemeinden)
    if (g->ags == key) return g;
  return nullptr;
}

std::string kreis_display_name(const Outline& kreis) {
  if (kreis.kind == "Landkreis" && kreis.name.find("kreis") == std::string::npos)
    return "Landkreis " + kreis.name;
  return kreis.name;
}

Atlas::Atlas(std::string land_ags, std::string land_name, std::vector<Outline> kreise,
             std::vector<Gemeinde> gemeinden)
    : land_ags_(std::move(land_ags)),
      land_name_(std::move(land_name)),
      kreise_(std::move(kreise)),
      gemeinden_(std::move(gemeinden)) {}

const Gemeinde* Atlas::gemeinde(std::string_view ags) const {
  for (const Gemeinde& g : gemeinden_)
    if (g.ags == ags) return &g;
  return nullptr;
}

const Outline* Atlas::kreis(std::string_view ags) const {
  for (const Outline& k : kreise_)
    if (k.ags == ags) return &k;
  return nullptr;
}

Area Atlas::area_of_kreise(std::string ags, std::string name,
                           std::vector<const Outline*> outlines) const {
  Area area;
  area.ags = std::move(ags);
  area.name = std::move(name);
  for (const Outline* outline : outlines) area.bounds.add(outline->bounds);
  for (const Gemeinde& g : gemeinden_)
    if (std::any_of(outlines.begin(), outlines.end(),
                    [&](const Outline* o) { return o->ags == g.kreis_ags; }))
      area.gemeinden.push_back(&g);
  area.outlines = std::move(outlines);
  area.centre = area.bounds.centre();
  return area;
}

Area Atlas::area(std::string_view ags) const {
  const Gemeinde* in_gemeinde = ags.size() == 8 ? gemeinde(ags) : nullptr;
  const Outline* kreis_outline =
      ags.size() == 8 || ags.size() == 5 ? kreis(ags.substr(0, 5)) : nullptr;
  if (kreis_outline) {
    Area area = area_of_kreise(in_gemeinde ? std::string(ags) : kreis_outline->ags,
                               kreis_display_name(*kreis_outline), {kreis_outline});
    if (in_gemeinde) area.centre = in_gemeinde->centre;
    return area;
  }
  std::vector<const Outline*> all;
  for (const Outline& k : kreise_) all.push_back(&k);
  return area_of_kreise(land_ags_, land_name_, std::move(all));
}

const Gemeinde* Atlas::nearest_gemeinde(LonLat p) const {
  const Gemeinde* best = nullptr;
  double best_km = std::numeric_limits<double>::infinity();
  for (const Gemeinde& g : gemeinden_) {
    const double km = distance_km(p, g.centre);
    if (km < best_km) {
      best_km = km;
      best = &g;
    }
  }
  return best;
}

}  // namespace ah::geo
