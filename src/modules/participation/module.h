// Beteiligungsportal: participation processes of every organisation, proposals and
// supports, as pages under /beteiligung and as the JSON API under /api/v1/processes and
// /api/v1/proposals. Storage in store.h; who may do what in authz (process.create for an
// organisation's admins; proposing and supporting for every signed-in person while the
// current phase allows it). The place of a proposal and the area maps (/api/v1/areas/{ags})
// are in place.h.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_participation_module();

}  // namespace ah::modules
