// Termine: meetings of a working group — the list /arbeitsgruppen/{id}/termine (upcoming
// soonest first, the next one highlighted; past ones latest first with their minutes), the
// form /arbeitsgruppen/{id}/termine/neu, a meeting's page /termine/{id} with its agenda and
// minutes and the form /termine/{id}/bearbeiten, iCalendar files (/termine/{id}.ics, the
// group's feed /arbeitsgruppen/{id}/termine.ics, the personal feed /kalender/{token}.ics
// with its link managed on /konto/kalender), and the JSON API under /api/v1.
//
// Members (authz group.post) create and edit meetings; whoever may read the group reads
// them. A closed or internal group's feed is read with a personal calendar token instead of
// a cookie (?token=), since calendar apps send none. Storage in store.h, iCalendar in ical.h.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_meetings_module();

}  // namespace ah::modules
