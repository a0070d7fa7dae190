#include "modules/participation/comments.h"

#include "modules/accounts/session_layer.h"
#include "modules/accounts/submissions.h"
#include "http/url.h"
#include "web/data.h"
#include "web/api.h"
#include "web/format.h"
#include "web/rich_text.h"

namespace ah::modules::participation {

namespace {
// The page a comment's thread is on: /vorschlaege/{id} or /beteiligung/{id}.
std::string page_of(const CommentOn& on) {
  return on.proposal_id ? "/vorschlaege/" + std::to_string(*on.proposal_id)
                        : "/beteiligung/" + std::to_string(on.process_id);
}
}  // namespace

std::string comment_href(const Comment& comment) {
  // The page of threads that starts with this comment's thread (CommentStore::page), so
  // the link finds it however many threads came after it.
  const std::int64_t thread = comment.parent_id.value_or(comment.id);
  return page_of({comment.process_id, comment.proposal_id}) + "?kommentare=" +
         std::to_string(thread) + "#kommentar-" + std::to_string(comment.id);
}

std::string comment_action(const CommentOn& on) { return page_of(on) + "/kommentare"; }

Status set_comment_section(web::Services& s, const http::Request& r, const Process& process,
                           const CommentOn& on, const Visibility& shown, bool takes_part,
                           web::Data& page) {
  const auto& c = s.view.catalog();
  auto query = http::parse_query(r.query);
  if (!query) return fail(ErrorCode::invalid_input, "bad query");
  std::int64_t from = 0;
  if (query->has("kommentare")) {
    auto asked = web::parse_id(query->get("kommentare"));
    if (!asked) return fail(ErrorCode::invalid_input, "kommentare must be a comment's number");
    from = *asked;
  }
  AH_TRY(paged, CommentStore(s.db).page(on, from, kCommentThreadsPerPage));
  const auto& comments = paged.comments;
  const std::int64_t now = accounts::unix_now();
  const bool may_comment = process.allows_comment(now) && takes_part;
  page.set("comments_heading", c.text(r.lang, on.proposal_id ? "participation_comments"
                                                             : "participation_process_comments"));
  page.set("can_comment", may_comment && r.account_id != 0);
  page.set("login_to_comment", may_comment && r.account_id == 0);
  page.set("comment_action", comment_action(on));
  // One key per rendered page; each reply form appends its parent's id, so every form on
  // the page has its own.
  if (r.account_id != 0) page.set("once", accounts::Submissions::new_key());
  // Older threads are a link away; from an older page, the newest are too.
  if (paged.older)
    page.set("comments_older_href",
             page_of(on) + "?kommentare=" + std::to_string(*paged.older) + "#kommentare");
  if (from != 0) page.set("comments_newest_href", page_of(on) + "#kommentare");
  page.set("comments_paged", paged.older.has_value() || from != 0);
  // Fills `item` (built in place in the page's data: web::put/append move, set copies).
  auto fill = [&](web::Data& item, const Comment& cm) {
    web::put(item, "id", std::to_string(cm.id));
    web::put(item, "deleted", cm.deleted_at.has_value());
    web::put(item, "author", web::author_name(c, r.lang, cm.author_name));
    web::put(item, "when", web::format_date_time(cm.created_at, r.lang));
    web::put(item, "edited", cm.edited_at.has_value());
    // Every key is set, also when empty: mustache would otherwise find the page's own
    // "body_html" or "report_href" in the enclosing context.
    const std::string* hidden_reason = shown.hidden("comment", cm.id);
    web::put(item, "hidden_notice", hidden_reason ? web::Data{shown.notice(c, r.lang, "comment", cm.id)}
                                                  : web::Data{false});
    web::put(item, "hidden_marker", hidden_reason && shown.moderator());
    web::put(item, "body_html",
             web::rich_text(shown.conceals("comment", cm.id) ? std::string_view{}
                                                             : std::string_view{cm.body},
                            s));
    const bool own = cm.author_id && *cm.author_id == r.account_id;
    web::put(item, "mine", own && !cm.deleted_at);
    web::put(item, "delete_action", "/kommentare/" + std::to_string(cm.id) + "/loeschen");
    // Within the edit window its author may still change it (the form shows the text).
    const bool can_edit = takes_part && own && !cm.deleted_at && !hidden_reason &&
                          now < cm.created_at + kCommentEditSeconds;
    web::put(item, "can_edit", can_edit);
    web::put(item, "edit_action", "/kommentare/" + std::to_string(cm.id) + "/bearbeiten");
    web::put(item, "source", can_edit ? cm.body : std::string());
    web::put(item, "report_href", !own && !hidden_reason && !cm.deleted_at
                                      ? web::Data{"/kommentare/" + std::to_string(cm.id) + "/melden"}
                                      : web::Data{false});
    // Moderators hide a comment they see without waiting for a report.
    web::put(item, "hide_action", shown.moderator() && !hidden_reason && !cm.deleted_at
                                      ? web::Data{"/beteiligung/" + std::to_string(process.id) +
                                                  "/moderation"}
                                      : web::Data{false});
    web::put(item, "return_to", comment_href(cm));
  };
  web::Data& threads = web::put(page, "comments", web::list_with_room(comments.size()));
  web::Data* thread = nullptr;  // the last top-level comment
  web::Data* replies = nullptr;  // its replies
  for (const auto& cm : comments) {
    if (!cm.parent_id) {
      thread = &web::append(threads, web::Data{web::Data::type::object});
      fill(*thread, cm);
      replies = &web::put(*thread, "replies", web::Data{web::Data::type::list});
      web::put(*thread, "has_replies", false);
      web::put(*thread, "can_reply", may_comment && r.account_id != 0);
    } else if (thread) {
      // Replies follow their parent (CommentStore::list orders threads so).
      fill(web::append(*replies, web::Data{web::Data::type::object}), cm);
      web::put(*thread, "has_replies", true);
    }
  }
  page.set("comment_count", web::format_integer(paged.live, r.lang));
  return {};
}

}  // namespace ah::modules::participation
