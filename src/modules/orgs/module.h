// The orgs module: who is who. Organisations (the Land, Kreise, Gemeinden, and those the
// operator adds), their pages, the state map, and the organisations API.
//
//   GET /organisationen                 search, filter by type and Kreis, map, list
//   GET /organisationen/{ags}           one organisation
//   GET /api/v1/organisations           ?type=&kreis=&q=&cursor=&limit= (keyset pages)
//   GET /api/v1/organisations/{ags}
//
// Migrations 1000–1999. Reference data for Sachsen-Anhalt is loaded by migration 1001 from
// DATA_DIR/sachsen-anhalt-gemeinden.csv; the map is drawn from
// DATA_DIR/sachsen-anhalt-kreise.geojson at start-up.
#pragma once

#include <filesystem>
#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_orgs_module(std::filesystem::path data_dir);

}  // namespace ah::modules
