// The demo's consultations (--demo): one open, addressed to the Gemeinden of the Landkreis
// Wittenberg with comments and one released Stellungnahme; one finished, with its
// published Abwägung and a second round.
#pragma once

#include "base/error.h"
#include "web/module.h"

namespace ah::modules::consultations {

Status seed_demo(web::Services& s);

}  // namespace ah::modules::consultations
