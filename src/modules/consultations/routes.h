// The route tables of the Konsultationen, one per file, wired by module.cc.
#pragma once

#include <nlohmann/json.hpp>

#include "http/router.h"
#include "web/module.h"

namespace ah::modules::consultations {

// pages.cc: list, consultation, sections and comments, Stellungnahme, board, rounds, synopsis.
void register_pages(http::Router& router, web::Services& s);
// abwaegung.cc: the author's answers, publication, the table as page, XLSX and PDF.
void register_abwaegung(http::Router& router, web::Services& s);
// api.cc: /api/v1/consultations…, and the Atom feeds of open consultations.
void register_api(http::Router& router, web::Services& s);
void describe_api(nlohmann::json& openapi);

}  // namespace ah::modules::consultations
