#include "modules/participation/comments.h"

#include "modules/accounts/session_layer.h"
#include "modules/accounts/submissions.h"
#include "web/format.h"
#include "web/rich_text.h"

namespace ah::modules::participation {

std::string comment_href(const Comment& comment) {
  return (comment.proposal_id ? "/vorschlaege/" + std::to_string(*comment.proposal_id)
                              : "/beteiligung/" + std::to_string(comment.process_id)) +
         "#kommentar-" + std::to_string(comment.id);
}

std::string comment_action(const CommentOn& on) {
  return on.proposal_id ? "/vorschlaege/" + std::to_string(*on.proposal_id) + "/kommentare"
                        : "/beteiligung/" + std::to_string(on.process_id) + "/kommentare";
}

Status set_comment_section(web::Services& s, const http::Request& r, const Process& process,
                           const CommentOn& on, const Visibility& shown, bool takes_part,
                           web::Data& page) {
  const auto& c = s.view.catalog();
  AH_TRY(comments, CommentStore(s.db).list(on));
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
  std::int64_t live = 0;
  auto item_of = [&](const Comment& cm) {
    web::Data item{web::Data::type::object};
    item.set("id", std::to_string(cm.id));
    item.set("deleted", cm.deleted_at.has_value());
    item.set("author", web::author_name(c, r.lang, cm.author_name));
    item.set("when", web::format_date_time(cm.created_at, r.lang));
    item.set("edited", cm.edited_at.has_value());
    // Every key is set, also when empty: mustache would otherwise find the page's own
    // "body_html" or "report_href" in the enclosing context.
    const std::string* hidden_reason = shown.hidden("comment", cm.id);
    item.set("hidden_notice", hidden_reason ? web::Data{shown.notice(c, r.lang, "comment", cm.id)}
                                            : web::Data{false});
    item.set("hidden_marker", hidden_reason && shown.moderator());
    item.set("body_html",
             web::rich_text(shown.conceals("comment", cm.id) ? std::string_view{}
                                                             : std::string_view{cm.body},
                            s));
    const bool own = cm.author_id && *cm.author_id == r.account_id;
    item.set("mine", own && !cm.deleted_at);
    item.set("delete_action", "/kommentare/" + std::to_string(cm.id) + "/loeschen");
    // Within the edit window its author may still change it (the form shows the text).
    const bool can_edit = takes_part && own && !cm.deleted_at && !hidden_reason &&
                          now < cm.created_at + kCommentEditSeconds;
    item.set("can_edit", can_edit);
    item.set("edit_action", "/kommentare/" + std::to_string(cm.id) + "/bearbeiten");
    item.set("source", can_edit ? cm.body : std::string());
    item.set("report_href", !own && !hidden_reason && !cm.deleted_at
                                ? web::Data{"/kommentare/" + std::to_string(cm.id) + "/melden"}
                                : web::Data{false});
    // Moderators hide a comment they see without waiting for a report.
    item.set("hide_action", shown.moderator() && !hidden_reason && !cm.deleted_at
                                ? web::Data{"/beteiligung/" + std::to_string(process.id) +
                                            "/moderation"}
                                : web::Data{false});
    item.set("return_to", comment_href(cm));
    if (!cm.deleted_at) ++live;
    return item;
  };
  std::vector<web::Data> built;
  for (const auto& cm : comments) {
    if (!cm.parent_id) {
      built.push_back(item_of(cm));
      built.back().set("replies", web::Data{web::Data::type::list});
      built.back().set("has_replies", false);
      built.back().set("can_reply", may_comment && r.account_id != 0);
    } else if (!built.empty()) {
      // Replies follow their parent (CommentStore::list orders threads so).
      web::Data replies = *built.back().get("replies");
      replies.push_back(item_of(cm));
      built.back().set("replies", replies);
      built.back().set("has_replies", true);
    }
  }
  web::Data threads{web::Data::type::list};
  for (auto& t : built) threads.push_back(t);
  page.set("comments", threads);
  page.set("comment_count", web::format_integer(live, r.lang));
  return {};
}

}  // namespace ah::modules::participation
