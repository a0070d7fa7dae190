// The people who run a process besides its organisation's admins: owners (edit, answer,
// moderate) and moderators, named on /beteiligung/{id}/team by those who may edit the
// process. Only staff — active members of any organisation, not necessarily the owner's
// (mixed teams are the point) — can be named; each is told by a notice.
#pragma once

#include "http/router.h"
#include "web/module.h"

namespace ah::modules::participation {

inline constexpr std::string_view kTeamNotice = "participation.team";

void register_team_routes(http::Router& router, web::Services& s);

}  // namespace ah::modules::participation
