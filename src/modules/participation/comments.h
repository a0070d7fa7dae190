// The comment threads of a proposal or of a process as pages show them
// (templates/_participation_comments.mustache): who may reply, edit, delete, report or hide
// what, and what hidden comments show instead of their text.
#pragma once

#include "http/message.h"
#include "modules/participation/moderation.h"
#include "modules/participation/store.h"
#include "web/module.h"

namespace ah::modules::participation {

// Threads a page shows at once (older ones are a link away, ?kommentare=ID).
inline constexpr int kCommentThreadsPerPage = 10;

// Where a comment lives on the site: the proposal's page or the process's, from its
// thread on (?kommentare=THREAD), with its anchor.
std::string comment_href(const Comment& comment);
// Where the forms for new comments on `on` post to.
std::string comment_action(const CommentOn& on);

// Sets the keys _participation_comments reads on `page`: one page of threads, chosen by the
// request's ?kommentare= (invalid_input when that is not a number). `takes_part`: the reader is not
// blocked and the thing commented on is not hidden (forms are offered only then); the
// process's phase decides whether commenting is open.
Status set_comment_section(web::Services& s, const http::Request& r, const Process& process,
                           const CommentOn& on, const Visibility& shown, bool takes_part,
                           web::Data& page);

}  // namespace ah::modules::participation
