// Entscheidungen in Arbeitsgruppen: a group's decisions (/arbeitsgruppen/{id}/entscheidungen),
// opening one (…/neu), a decision's page with its ballot form, results and outcome
// (/entscheidungen/{id}), the Beschlussregister (/arbeitsgruppen/{id}/beschlussregister,
// .md and .pdf), the API under /api/v1, and the housekeeping job that closes decisions at
// their deadline and sends the "closing soon" reminders. Storage in store.h. Members vote
// and open decisions (authz group.decide); moderators may close early; the author or a
// moderator records the outcome.
#pragma once

#include <cstdint>
#include <memory>

#include "base/error.h"
#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_decisions_module();

namespace decisions {
// What the periodic job does once at `now`: closes every open decision whose deadline has
// come (notices to members and author) and sends due "closing soon" reminders to members
// who have not voted. Returns how many decisions it closed or reminded of. Idempotent; all
// state is in the database, so a restart or a second server changes nothing.
Result<std::int64_t> run_due(web::Services& services, std::int64_t now);
}  // namespace decisions

}  // namespace ah::modules
