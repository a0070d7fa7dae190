// Reference data: the Land Sachsen-Anhalt, its 14 Kreise and 218 Gemeinden, built from the
// Destatis Gemeindeverzeichnis extract shipped in data/ (see data/SOURCE.md; dl-de/by-2-0).
//
// Kreise are derived from the Gemeinden: a Landkreis's key is the first five digits of its
// Gemeinden's AGS, its population their sum, its position their population-weighted centre.
// The three kreisfreie Städte (AGS ending in 000, Kreis name = Gemeinde name) are one
// organisation each, of type kreisfreie_stadt, with their own Kreis key in kreis_ags.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "geo/atlas.h"
#include "modules/orgs/store.h"

namespace ah::modules::orgs {

// Parses the CSV (ags,name,kreis,population,lat,lon); errors name the line.
Result<std::vector<Organisation>> sachsen_anhalt_from_csv(std::string_view csv_text);

// Reads DATA_DIR/sachsen-anhalt-gemeinden.csv and inserts every organisation.
Status load_sachsen_anhalt(db::Connection& connection, const std::filesystem::path& data_dir);

// The Land's map data for geo::Atlas: the Kreis outlines from
// DATA_DIR/sachsen-anhalt-kreise.geojson and the Gemeinden (with kreisfreie Städte) and their
// centres from DATA_DIR/sachsen-anhalt-gemeinden.csv, sorted by name in German order
// (fold_name). Errors name the file.
Result<geo::Atlas> load_atlas(const std::filesystem::path& data_dir);

}  // namespace ah::modules::orgs
