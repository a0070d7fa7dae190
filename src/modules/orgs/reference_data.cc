#include "modules/orgs/reference_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "base/csv.h"
#include "base/files.h"

namespace ah::modules::orgs {

namespace {

// "Anhalt-Bitterfeld" -> "Landkreis Anhalt-Bitterfeld"; names that already say Kreis
// ("Burgenlandkreis", "Altmarkkreis Salzwedel", "Saalekreis") stay as they are.
std::string landkreis_name(const std::string& kreis) {
  return kreis.find("kreis") != std::string::npos ? kreis : "Landkreis " + kreis;
}

template <class T>
bool parse_number(const std::string& text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

struct KreisSum {
  std::string name;
  std::int64_t population = 0;
  double lat_weighted = 0, lon_weighted = 0;
};

}  // namespace

Result<std::vector<Organisation>> sachsen_anhalt_from_csv(std::string_view csv_text) {
  AH_TRY(table, parse_csv(csv_text));
  int c_ags = table.column("ags"), c_name = table.column("name"), c_kreis = table.column("kreis"),
      c_pop = table.column("population"), c_lat = table.column("lat"), c_lon = table.column("lon");
  if (c_ags < 0 || c_name < 0 || c_kreis < 0 || c_pop < 0 || c_lat < 0 || c_lon < 0)
    return fail(ErrorCode::invalid_input,
                "line 1: expected the columns ags,name,kreis,population,lat,lon");

  std::vector<Organisation> gemeinden;
  std::map<std::string, KreisSum> kreise;  // by Kreis key
  KreisSum land{"Land Sachsen-Anhalt"};
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    auto where = "line " + std::to_string(table.line_of_row[r]) + ": ";
    Organisation g;
    g.ags = row[static_cast<std::size_t>(c_ags)];
    if (g.ags.size() != 8 || !g.ags.starts_with("15") ||
        g.ags.find_first_not_of("0123456789") != std::string::npos)
      return fail(ErrorCode::invalid_input,
                  where + "AGS '" + g.ags + "' is not 8 digits of Sachsen-Anhalt (15…)");
    g.name = row[static_cast<std::size_t>(c_name)];
    if (g.name.empty()) return fail(ErrorCode::invalid_input, where + "name is empty");
    std::int64_t population = 0;
    double lat = 0, lon = 0;
    if (!parse_number(row[static_cast<std::size_t>(c_pop)], population) || population < 0)
      return fail(ErrorCode::invalid_input, where + "population is not a whole number");
    if (!parse_number(row[static_cast<std::size_t>(c_lat)], lat) ||
        !parse_number(row[static_cast<std::size_t>(c_lon)], lon) || std::abs(lat) > 90 ||
        std::abs(lon) > 180)
      return fail(ErrorCode::invalid_input, where + "lat/lon are not coordinates");
    g.population = population;
    g.lat = lat;
    g.lon = lon;
    g.kreis_ags = g.ags.substr(0, 5);
    const auto& kreis_name = row[static_cast<std::size_t>(c_kreis)];
    bool kreisfrei = g.ags.ends_with("000") && kreis_name == g.name;
    g.type = kreisfrei ? OrgType::kreisfreie_stadt : OrgType::gemeinde;
    if (!kreisfrei) {
      auto& k = kreise[g.kreis_ags];
      k.name = landkreis_name(kreis_name);
      k.population += population;
      k.lat_weighted += lat * static_cast<double>(population);
      k.lon_weighted += lon * static_cast<double>(population);
    }
    land.population += population;
    land.lat_weighted += lat * static_cast<double>(population);
    land.lon_weighted += lon * static_cast<double>(population);
    gemeinden.push_back(std::move(g));
  }

  auto centre = [](const KreisSum& k, Organisation& o) {
    o.population = k.population;
    if (k.population > 0) {
      o.lat = std::round(k.lat_weighted / static_cast<double>(k.population) * 1e6) / 1e6;
      o.lon = std::round(k.lon_weighted / static_cast<double>(k.population) * 1e6) / 1e6;
    }
  };
  std::vector<Organisation> all;
  Organisation land_org{.ags = "15", .name = land.name, .type = OrgType::land};
  centre(land, land_org);
  all.push_back(std::move(land_org));
  for (const auto& [key, sum] : kreise) {
    Organisation k{.ags = key, .name = sum.name, .type = OrgType::kreis};
    centre(sum, k);
    all.push_back(std::move(k));
  }
  for (auto& g : gemeinden) all.push_back(std::move(g));
  return all;
}

Status load_sachsen_anhalt(db::Connection& connection, const std::filesystem::path& data_dir) {
  auto file = data_dir / "sachsen-anhalt-gemeinden.csv";
  auto text = read_file(file);
  if (!text) return fail(ErrorCode::unavailable, "reference data missing: " + file.string());
  auto organisations = sachsen_anhalt_from_csv(*text);
  if (!organisations)
    return fail(ErrorCode::invalid_input, file.string() + " " + organisations.error().message);
  for (const auto& o : *organisations) AH_TRY_STATUS(OrgStore::insert(connection, o));
  return {};
}

Result<geo::Atlas> load_atlas(const std::filesystem::path& data_dir) {
  const auto outlines_file = data_dir / "sachsen-anhalt-kreise.geojson";
  auto outlines_text = read_file(outlines_file);
  if (!outlines_text)
    return fail(ErrorCode::unavailable, "reference data missing: " + outlines_file.string());
  auto outlines = geo::parse_kreis_outlines(*outlines_text);
  if (!outlines)
    return fail(ErrorCode::invalid_input, outlines_file.string() + ": " + outlines.error().message);

  const auto gemeinden_file = data_dir / "sachsen-anhalt-gemeinden.csv";
  auto csv = read_file(gemeinden_file);
  if (!csv)
    return fail(ErrorCode::unavailable, "reference data missing: " + gemeinden_file.string());
  auto organisations = sachsen_anhalt_from_csv(*csv);
  if (!organisations)
    return fail(ErrorCode::invalid_input,
                gemeinden_file.string() + " " + organisations.error().message);
  std::string land_name;
  std::vector<std::pair<std::string, geo::Gemeinde>> gemeinden;  // by folded name
  for (const Organisation& o : *organisations) {
    if (o.type == OrgType::land) land_name = o.name;
    if ((o.type != OrgType::gemeinde && o.type != OrgType::kreisfreie_stadt) || !o.lat || !o.lon)
      continue;
    gemeinden.emplace_back(fold_name(o.name),
                           geo::Gemeinde{o.ags, o.name, o.kreis_ags, {*o.lon, *o.lat}});
  }
  std::sort(gemeinden.begin(), gemeinden.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<geo::Gemeinde> sorted;
  for (auto& [key, g] : gemeinden) sorted.push_back(std::move(g));
  // "Land Sachsen-Anhalt" is the organisation; the area is called by the Land's own name.
  if (land_name.starts_with("Land ")) land_name.erase(0, 5);
  return geo::Atlas("15", land_name, std::move(*outlines), std::move(sorted));
}

}  // namespace ah::modules::orgs
