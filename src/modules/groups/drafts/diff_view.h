// A diff (diff.h) as template data, for every page that shows one: the drafts' comparison
// and conflict pages, and the Konsultationen's amendments and synopsis. The templates
// _drafts_diff_inline.mustache (and the drafts' side-by-side table) read it.
//
//   data.set("lines", inline_data(diff_texts(before, after)));   // {{> _drafts_diff_inline}}
#pragma once

#include "modules/groups/drafts/diff.h"
#include "web/view.h"

namespace ah::modules::groups::drafts {

// A line's pieces: {{#pieces}} text, same / removed / added.
web::Data pieces_data(const DiffLine& line);
// Every line with change ("same", "removed", "added"), sign (−, + or blank) and pieces.
web::Data inline_data(const Diff& diff);
// Rows with left/right cells (change, pieces), as side_by_side() pairs them.
web::Data side_by_side_data(const Diff& diff);

}  // namespace ah::modules::groups::drafts
