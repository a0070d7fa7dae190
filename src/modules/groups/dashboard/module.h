// "Meine Arbeitsgruppen" (/arbeitsgruppen/meine): a member's page across all their working
// groups — decisions waiting for their vote, the next meetings, threads with posts they
// have not read, and their groups. It reads what the groups, decisions and meetings
// modules store and keeps nothing of its own.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_group_dashboard_module();

}  // namespace ah::modules
