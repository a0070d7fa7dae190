// Arbeitsgruppen: working groups in which staff of the Land, the Kreise and the Gemeinden
// work together as equals — the directory /arbeitsgruppen, a group's page with its members
// and threads, joining and leaving, threads with Markdown posts (/themen/{id}), unread
// markers and subscriptions, and the JSON API under /api/v1/groups and /api/v1/threads.
// Storage in store.h. Who may do what is authz's: group.create and group.join for staff of
// any organisation, group.view_internal / group.view_closed for reading, group.post for
// members, group.moderate (moderators, owners) for join requests.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_groups_module();

}  // namespace ah::modules
