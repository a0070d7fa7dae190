// Moderation in the Beteiligungsportal: reporting proposals and comments, the queue and the
// log of a process (/beteiligung/{id}/moderation), and what moderation means for the rest
// of the module — hidden contributions show their public reason instead of their text, and
// a blocked person cannot propose, comment or support.
//
// The data lives in the shared moderation store (modules/moderation/store.h) under the
// space ("process", id) with targets ("proposal", id) and ("comment", id). Who moderates is
// authz's process.moderate: the process's moderators and owners and the admins of the
// organisation that runs it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>

#include "authz/permissions.h"
#include "http/message.h"
#include "http/router.h"
#include "modules/moderation/store.h"
#include "modules/participation/store.h"
#include "web/module.h"

namespace ah::modules::participation {

moderation::Space space_of(const Process& process);

// A page of the module in the layout. Pages for one signed-in person keep the default
// no-store; pages everyone sees the same way pass "no-cache" (revalidated, never stale).
http::Response render_page(web::Services& s, const http::Request& r, std::string_view page,
                           web::Data data, const std::string& title, int status = 200,
                           std::string_view cache_control = "no-store");

// The process of the route's {id} when the signed-in person may do `action` in it; else the
// response that ends the request: the login for visitors, 404 for what does not exist, 403
// with the catalogue text `refusal_key` for those who may not.
std::variant<Process, http::Response> process_for(web::Services& s, const http::Request& r,
                                                  authz::Action action,
                                                  std::string_view refusal_key);

// The report form, the queue, the log and POST /api/v1/reports.
void register_moderation_routes(http::Router& router, web::Services& s);
void describe_moderation_api(nlohmann::json& doc);

// A 403 (page or problem) with a message the person can act on when they may not take part
// in the process: their email address is not verified, or they were blocked from it
// (with the reason and whom to contact); or, when the contribution concerns `proposal`,
// a 409 if the moderators hid it (it takes no supports or comments any more). nullopt
// when nothing stands in the way; phases are checked by the callers. Call only for a
// signed-in person.
std::optional<http::Response> refuse_contribution(web::Services& s, const http::Request& r,
                                                  const Process& process,
                                                  const Proposal* proposal = nullptr);

// What one reader sees of a process's contributions: which are hidden and why, and whether
// the reader moderates — moderators see the originals, marked as hidden; everyone else sees
// "Ausgeblendet: <reason>" in their place.
class Visibility {
 public:
  static Result<Visibility> load(web::Services& s, const http::Request& r, const Process& process);
  // As the public sees it, whoever asks: for feeds and files that travel on (exports).
  static Result<Visibility> load_public(web::Services& s, const Process& process);

  bool moderator() const { return moderator_; }
  // The public reason when the target is hidden, else nullptr.
  const std::string* hidden(std::string_view kind, std::int64_t id) const;
  // Whether the reader must see the notice instead of the target's text.
  bool conceals(std::string_view kind, std::int64_t id) const {
    return !moderator_ && hidden(kind, id);
  }
  // "Ausgeblendet: <reason>" in the reader's language.
  std::string notice(const web::Catalog& c, std::string_view lang, std::string_view kind,
                     std::int64_t id) const;
  // For a reader blocked from the process: why, and whom to contact (shown instead of the
  // forms); "" for everyone else.
  const std::string& blocked_notice() const { return blocked_notice_; }

 private:
  bool moderator_ = false;
  std::string blocked_notice_;
  std::map<moderation::TargetRef, std::string> hidden_;
};

}  // namespace ah::modules::participation
