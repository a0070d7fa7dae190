// Entwürfe: shared Markdown drafts of a working group — the list /arbeitsgruppen/{id}/entwuerfe,
// a draft's current text /entwuerfe/{id}, editing with optimistic locking (a stale save shows
// both texts and their diff and asks), the versions, the comparison of any two (inline and
// side by side), and the JSON API under /api/v1/groups/{id}/drafts and /api/v1/drafts.
// Storage in store.h, the diff in diff.h. Reading follows the group's visibility; writing
// needs authz group.post, i.e. a role in the group. A decision freezes a draft
// (DraftStore::freeze), after which it shows "beschlossen" and refuses saves.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_drafts_module();

}  // namespace ah::modules
