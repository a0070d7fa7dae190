// Moderation: the shared part of reporting and moderating contributions (store.h), as a
// module so that its tables, its texts and its part of a person's data export exist once,
// whichever modules use it. The pages live with the spaces they moderate (participation:
// /beteiligung/{id}/moderation); this module registers no routes.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_moderation_module();

}  // namespace ah::modules
