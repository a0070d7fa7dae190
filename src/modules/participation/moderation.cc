#include "modules/participation/moderation.h"

#include <nlohmann/json.hpp>
#include <set>
#include <variant>

#include "auth/rate_limit.h"
#include "authz/memberships.h"
#include "http/client_address.h"
#include "http/form.h"
#include "modules/participation/comments.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/format.h"

namespace ah::modules::participation {

namespace {

using moderation::ModerationStore;
using moderation::TargetRef;
using nlohmann::json;

constexpr int kLogPageSize = 30;
constexpr std::size_t kExcerptBytes = 600;

// A proposal or comment as moderation needs it: where it belongs, who wrote it, its text.
struct Contribution {
  TargetRef target;
  std::int64_t process_id = 0;
  std::int64_t proposal_id = 0;  // 0: a comment on the process itself
  std::optional<std::int64_t> author_id;
  std::optional<std::string> author_name;
  std::string title;  // the proposal's title; for a comment, its proposal's or process's
  std::string text;
  bool deleted = false;  // a comment its author took down
  std::string href;
};

std::optional<TargetRef> parse_target(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string kind(text.substr(0, colon));
  if (kind != "proposal" && kind != "comment") return std::nullopt;
  auto id = web::parse_id(text.substr(colon + 1));
  if (!id) return std::nullopt;
  return TargetRef{kind, *id};
}

std::string target_value(const TargetRef& t) { return t.kind + ":" + std::to_string(t.id); }

Result<Contribution> find_contribution(db::Database& db, const TargetRef& target) {
  Contribution c{.target = target};
  if (target.kind == "proposal") {
    AH_TRY(p, ProposalStore(db).find(target.id));
    if (p.state == ProposalState::withdrawn) return fail(ErrorCode::not_found, "withdrawn");
    c.process_id = p.process_id;
    c.proposal_id = p.id;
    c.author_id = p.author_id;
    c.author_name = p.author_name;
    c.title = p.title;
    c.text = p.body;
    c.href = "/vorschlaege/" + std::to_string(p.id);
    return c;
  }
  // A comment on the process itself takes the process's title and lives on its page.
  AH_TRY(rs, db.query("SELECT c.proposal_id, c.process_id, c.author_id, a.display_name, c.body,"
                      " c.deleted_at, COALESCE(p.title, r.title), c.parent_id FROM comments c"
                      " JOIN processes r ON r.id = c.process_id"
                      " LEFT JOIN proposals p ON p.id = c.proposal_id"
                      " LEFT JOIN accounts a ON a.id = c.author_id"
                      " WHERE c.id = $1 AND (p.id IS NULL OR p.state <> 'withdrawn')",
                      {db::Value{target.id}}));
  if (rs.rows.empty()) return fail(ErrorCode::not_found, "no such comment");
  const auto& row = rs.rows[0];
  c.proposal_id = row.is_null(0) ? 0 : row.int64(0);
  c.process_id = row.int64(1);
  if (!row.is_null(2)) c.author_id = row.int64(2);
  if (!row.is_null(3)) c.author_name = row.text(3);
  c.text = row.text(4);
  c.deleted = !row.is_null(5);
  c.title = row.text(6);
  Comment where{.id = target.id, .process_id = c.process_id};
  if (c.proposal_id) where.proposal_id = c.proposal_id;
  if (!row.is_null(7)) where.parent_id = row.int64(7);
  c.href = comment_href(where);
  return c;
}

std::string excerpt(const std::string& text) {
  if (text.size() <= kExcerptBytes) return text;
  std::size_t cut = kExcerptBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return text.substr(0, cut) + " …";
}

std::string kind_label(const web::Catalog& c, std::string_view lang, std::string_view kind) {
  return c.text(lang, kind == "proposal" ? "moderation_kind_proposal" : "moderation_kind_comment");
}

Result<bool> may_moderate(web::Services& s, std::int64_t account, const Process& process) {
  if (account == 0) return false;
  return authz::Authorizer(s.db).can(account, authz::Action::process_moderate,
                                     authz::Target::space("process", process.id, process.org_id));
}

std::variant<Process, http::Response> moderated_process(web::Services& s, const http::Request& r) {
  return process_for(s, r, authz::Action::process_moderate, "moderation_error_not_moderator");
}

// ---- Reporting -------------------------------------------------------------------------

// Counts the report against the person's (or, anonymous, the client's) limit.
std::optional<http::Response> report_limited(web::Services& s, const http::Request& r) {
  auto limit = r.account_id != 0 ? auth::limits::kReportPerAccount : auth::limits::kReportPerClient;
  std::string key = r.account_id != 0 ? "report:account:" + std::to_string(r.account_id)
                                      : "report:client:" + http::client_network(r.client_address);
  auto decision = auth::RateLimiter(s.db).check_and_count(key, limit.count, limit.window_seconds,
                                                          accounts::unix_now());
  if (!decision) return web::error_response(s.view, r, decision.error());
  if (decision->allowed) return std::nullopt;
  auto response = web::error_response(s.view, r, 429);
  response.headers.set("Retry-After",
                       std::to_string(std::max<std::int64_t>(1, decision->retry_after_seconds)));
  return response;
}

struct ReportInput {
  std::string reason, text;
};

// Validates and records a report of `target`; the catalogue key of what is wrong (by
// field) in `errors`, or whether the report was new.
Result<bool> submit_report(web::Services& s, const http::Request& r, const Contribution& target,
                           const Process& process, const ReportInput& in,
                           std::map<std::string, std::string>& errors) {
  auto reason = moderation::reason_from_string(in.reason);
  if (!reason) errors["reason"] = "moderation_error_reason_choice";
  if (in.text.size() > moderation::kMaxReportText ||
      (reason == moderation::Reason::other &&
       in.text.find_first_not_of(" \t\r\n") == std::string::npos))
    errors["text"] = "moderation_error_report_text";
  if (r.account_id != 0 && target.author_id == r.account_id)
    errors["reason"] = "moderation_error_own";
  if (!errors.empty()) return false;
  return ModerationStore(s.db).report(
      {space_of(process), target.target, r.account_id ? std::optional(r.account_id) : std::nullopt,
       *reason, in.text},
      accounts::unix_now());
}

// The contribution to report and its process, if the process is public.
Result<std::pair<Contribution, Process>> reportable(web::Services& s, const TargetRef& target) {
  AH_TRY(contribution, find_contribution(s.db, target));
  if (contribution.deleted) return fail(ErrorCode::not_found, "deleted");
  AH_TRY(process, ProcessStore(s.db).find(contribution.process_id));
  if (process.state == ProcessState::draft) return fail(ErrorCode::not_found, "no such process");
  return std::pair{std::move(contribution), std::move(process)};
}

// GET/POST /vorschlaege/{id}/melden and /kommentare/{id}/melden
http::Response report_page(web::Services& s, http::Request& r, const std::string& kind,
                           bool submitted) {
  const auto& c = s.view.catalog();
  auto id = web::parse_id(r.param("id"));
  if (!id) return web::error_response(s.view, r, 404);
  auto found = reportable(s, {kind, *id});
  if (!found) return web::error_response(s.view, r, found.error());
  const auto& [contribution, process] = *found;
  // Anonymous visitors may report too; the form needs a session for its CSRF token.
  if (auto ok = accounts::SessionLayer(s.db, s.view, s.https).ensure_session(r); !ok)
    return web::error_response(s.view, r, ok.error());
  web::FormState form;
  std::string chosen;
  if (submitted) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    ReportInput in{std::string(parsed->get("reason")), std::string(parsed->get("text"))};
    chosen = in.reason;
    form.values = {{"text", in.text}};
    if (auto limited = report_limited(s, r)) return *limited;
    auto fresh = submit_report(s, r, contribution, process, in, form.errors);
    if (!fresh) return web::error_response(s.view, r, fresh.error());
    if (form.errors.empty()) {
      web::Data data{web::Data::type::object};
      data.set("done", true);
      data.set("done_message",
               c.text(r.lang, *fresh ? "moderation_reported" : "moderation_reported_again"));
      data.set("back_href", contribution.href);
      return render_page(s, r, "moderation_report", std::move(data), c.text(r.lang, "moderation_report_heading"));
    }
  }
  web::Data data = web::form_data(c, r.lang, form);
  data.set("kind_label", kind_label(c, r.lang, kind));
  data.set("subject_title", contribution.title);
  data.set("excerpt", excerpt(contribution.text));
  data.set("author", web::author_name(c, r.lang, contribution.author_name));
  data.set("back_href", contribution.href);
  data.set("action", (kind == "proposal" ? "/vorschlaege/" : "/kommentare/") + std::to_string(*id) +
                         "/melden");
  web::Data reasons{web::Data::type::list};
  for (auto reason : moderation::all_reasons()) {
    std::string value(moderation::to_string(reason));
    web::Data item{web::Data::type::object};
    item.set("value", value);
    item.set("label", c.text(r.lang, "moderation_reason_" + value));
    item.set("checked", value == chosen);
    item.set("first", reason == moderation::all_reasons().front());
    reasons.push_back(item);
  }
  data.set("reasons", reasons);
  return render_page(s, r, "moderation_report", std::move(data), c.text(r.lang, "moderation_report_heading"),
                form.errors.empty() ? 200 : 422);
}

// POST /api/v1/reports {"target": {"kind", "id"}, "reason", "text"}
http::Response api_report(web::Services& s, http::Request& r) {
  const auto& c = s.view.catalog();
  auto body = json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_json"));
  std::optional<TargetRef> target;
  if (auto t = body.find("target"); t != body.end() && t->is_object()) {
    auto tid = t->find("id");
    if (tid != t->end() && tid->is_number_integer())
      target = parse_target(web::string_field(*t, "kind") + ":" +
                            std::to_string(tid->get<std::int64_t>()));
  }
  if (!target)
    return web::error_response(s.view, r, 422, c.text(r.lang, "moderation_error_target"));
  auto found = reportable(s, *target);
  if (!found) return web::error_response(s.view, r, found.error());
  if (auto limited = report_limited(s, r)) return *limited;
  std::map<std::string, std::string> errors;
  auto fresh =
      submit_report(s, r, found->first, found->second,
                    {web::string_field(body, "reason"), web::string_field(body, "text")}, errors);
  if (!fresh) return web::error_response(s.view, r, fresh.error());
  if (!errors.empty())
    return web::error_response(s.view, r, 422, c.text(r.lang, errors.begin()->second));
  return web::json_response(
      {{"target", {{"kind", target->kind}, {"id", target->id}}}, {"new", *fresh}},
      *fresh ? 201 : 200);
}

// ---- Queue -----------------------------------------------------------------------------

struct QueueForm {
  std::string target;  // the form whose reason was refused ("" for none)
  std::string reason;
  std::string error;  // catalogue key
};

http::Response queue_page(web::Services& s, const http::Request& r, const Process& process,
                          const QueueForm& refused = {}) {
  const auto& c = s.view.catalog();
  ModerationStore store(s.db);
  auto space = space_of(process);
  auto groups = store.open_reports(space);
  if (!groups) return web::error_response(s.view, r, groups.error());
  auto hidden = store.hidden_list(space);
  if (!hidden) return web::error_response(s.view, r, hidden.error());
  auto blocks = store.blocks(space);
  if (!blocks) return web::error_response(s.view, r, blocks.error());
  std::set<std::int64_t> blocked;
  for (const auto& b : *blocks) blocked.insert(b.account_id);
  std::map<TargetRef, std::string> hidden_reason;
  for (const auto& h : *hidden) hidden_reason.emplace(h.target, h.reason);

  std::string base = "/beteiligung/" + std::to_string(process.id);
  web::Data data{web::Data::type::object};
  data.set("process_title", process.title);
  data.set("process_href", base);
  data.set("log_href", base + "/moderation/protokoll");
  data.set("action", base + "/moderation");
  if (!refused.error.empty()) {
    data.set("error_message", c.text(r.lang, refused.error));
  } else if (auto query = http::parse_query(r.query); query && !query->get("erledigt").empty()) {
    std::string done(query->get("erledigt"));
    if (done == "hide" || done == "restore" || done == "dismiss" || done == "block" ||
        done == "unblock")
      data.set("done_message", c.text(r.lang, "moderation_done_" + done));
  }
  // The form values of one contribution: what was typed into a refused form is kept.
  auto form_of = [&](web::Data& item, const std::string& target) {
    item.set("target", target);
    bool mine = refused.target == target;
    item.set("reason_value", mine ? refused.reason : std::string());
    item.set("reason_error", mine && !refused.error.empty());
  };
  web::Data items{web::Data::type::list};
  for (const auto& group : *groups) {
    auto contribution = find_contribution(s.db, group.target);
    web::Data item{web::Data::type::object};
    item.set("kind_label", kind_label(c, r.lang, group.target.kind));
    form_of(item, target_value(group.target));
    if (contribution) {
      item.set("href", contribution->href);
      item.set("subject_title", contribution->title);
      item.set("excerpt", contribution->deleted ? c.text(r.lang, "participation_comment_deleted")
                                                : excerpt(contribution->text));
      item.set("author", web::author_name(c, r.lang, contribution->author_name));
      item.set("can_block",
               contribution->author_id.has_value() && !blocked.contains(*contribution->author_id));
      item.set("author_blocked",
               contribution->author_id.has_value() && blocked.contains(*contribution->author_id));
    } else {
      // Withdrawn or gone since it was reported: only dismissing remains.
      item.set("excerpt", c.text(r.lang, "moderation_gone"));
    }
    auto h = hidden_reason.find(group.target);
    item.set("hidden", h != hidden_reason.end());
    item.set("hidden_reason", h != hidden_reason.end() ? h->second : std::string());
    item.set("can_hide", contribution.has_value() && h == hidden_reason.end());
    web::Data reports{web::Data::type::list};
    for (const auto& rep : group.reports) {
      web::Data one{web::Data::type::object};
      one.set("reason", c.text(r.lang, "moderation_reason_" +
                                           std::string(moderation::to_string(rep.reason))));
      one.set("text", rep.text.empty() ? web::Data{false} : web::Data{rep.text});
      one.set("reporter", rep.reporter_id ? web::author_name(c, r.lang, rep.reporter_name)
                                          : c.text(r.lang, "moderation_anonymous"));
      one.set("when", web::format_date_time(rep.created_at, r.lang));
      reports.push_back(one);
    }
    item.set("reports", reports);
    item.set("report_count",
             web::format_integer(static_cast<std::int64_t>(group.reports.size()), r.lang));
    items.push_back(item);
  }
  data.set("groups", items);
  web::Data hidden_items{web::Data::type::list};
  for (const auto& h : *hidden) {
    auto contribution = find_contribution(s.db, h.target);
    if (!contribution) continue;
    web::Data item{web::Data::type::object};
    item.set("kind_label", kind_label(c, r.lang, h.target.kind));
    item.set("href", contribution->href);
    item.set("subject_title", contribution->title);
    item.set("excerpt", excerpt(contribution->text));
    item.set("hidden_reason", h.reason);
    item.set("when", web::format_date_time(h.hidden_at, r.lang));
    form_of(item, target_value(h.target));
    hidden_items.push_back(item);
  }
  data.set("hidden_items", hidden_items);
  web::Data block_items{web::Data::type::list};
  for (const auto& b : *blocks) {
    web::Data item{web::Data::type::object};
    item.set("name", b.account_name);
    item.set("reason", b.reason);
    item.set("when", web::format_date_time(b.blocked_at, r.lang));
    form_of(item, "account:" + std::to_string(b.account_id));
    item.set("account", std::to_string(b.account_id));
    block_items.push_back(item);
  }
  data.set("blocks", block_items);
  return render_page(s, r, "moderation_queue", std::move(data),
                c.text(r.lang, "moderation_queue_heading") + " – " + process.title,
                refused.error.empty() ? 200 : 422);
}

// GET /beteiligung/{id}/moderation
http::Response queue_get(web::Services& s, http::Request& r) {
  auto process = moderated_process(s, r);
  if (auto* refused = std::get_if<http::Response>(&process)) return std::move(*refused);
  return queue_page(s, r, std::get<Process>(process));
}

// POST /beteiligung/{id}/moderation: action (hide, restore, dismiss, block, unblock),
// target ("proposal:12", "comment:40"; for unblock "account:7"), reason; optional
// return_to, the page a moderator acted on directly (without a report).
http::Response queue_post(web::Services& s, http::Request& r) {
  auto moderated = moderated_process(s, r);
  if (auto* refused = std::get_if<http::Response>(&moderated)) return std::move(*refused);
  const auto& process = std::get<Process>(moderated);
  auto parsed = http::parse_form(r.body);
  if (!parsed) return web::error_response(s.view, r, 400);
  std::string action(parsed->get("action"));
  std::string target_text(parsed->get("target"));
  std::string reason(parsed->get("reason"));
  ModerationStore store(s.db);
  auto space = space_of(process);
  auto now = accounts::unix_now();
  Status done;
  if (action == "unblock") {
    std::optional<std::int64_t> account;
    if (target_text.starts_with("account:")) account = web::parse_id(target_text.substr(8));
    if (!account) return web::error_response(s.view, r, 400);
    done = store.unblock(space, *account, r.account_id, reason, now);
  } else {
    auto target = parse_target(target_text);
    if (!target) return web::error_response(s.view, r, 400);
    auto contribution = find_contribution(s.db, *target);
    if (action == "dismiss") {
      // Also for what was withdrawn since it was reported; the report must be this space's.
      if (contribution && contribution->process_id != process.id)
        return web::error_response(s.view, r, 404);
      done = store.dismiss(space, *target, r.account_id, reason, now);
    } else {
      if (!contribution) return web::error_response(s.view, r, contribution.error());
      if (contribution->process_id != process.id) return web::error_response(s.view, r, 404);
      if (action == "hide")
        done = store.hide(space, *target, contribution->author_id, r.account_id, reason, now);
      else if (action == "restore")
        done = store.restore(space, *target, contribution->author_id, r.account_id, reason, now);
      else if (action == "block" && contribution->author_id)
        done = store.block(space, *contribution->author_id, r.account_id, reason, now);
      else
        return web::error_response(s.view, r, 400);
    }
  }
  if (!done) {
    const auto& e = done.error();
    if (e.code == ErrorCode::invalid_input || e.code == ErrorCode::conflict)
      return queue_page(s, r, process, {target_text, reason, e.message});
    return web::error_response(s.view, r, e);
  }
  // Hidden directly on a page: back to it (only to this site's participation pages).
  if (std::string_view back = parsed->get("return_to");
      (back.starts_with("/vorschlaege/") || back.starts_with("/beteiligung/")) &&
      back.find_first_of("\r\n\\") == std::string_view::npos)
    return http::Response::redirect(std::string(back));
  return http::Response::redirect("/beteiligung/" + std::to_string(process.id) +
                                  "/moderation?erledigt=" + action);
}

// ---- Log -------------------------------------------------------------------------------

// GET /beteiligung/{id}/moderation/protokoll
http::Response log_page(web::Services& s, http::Request& r) {
  const auto& c = s.view.catalog();
  auto moderated = moderated_process(s, r);
  if (auto* refused = std::get_if<http::Response>(&moderated)) return std::move(*refused);
  const auto& process = std::get<Process>(moderated);
  auto query = http::parse_query(r.query);
  if (!query) return web::error_response(s.view, r, 400);
  auto page = ModerationStore(s.db).log(space_of(process), query->get("cursor"), kLogPageSize);
  if (!page) return web::error_response(s.view, r, page.error());
  std::string base = "/beteiligung/" + std::to_string(process.id);
  web::Data data{web::Data::type::object};
  data.set("process_title", process.title);
  data.set("queue_href", base + "/moderation");
  web::Data entries{web::Data::type::list};
  for (const auto& e : page->items) {
    web::Data item{web::Data::type::object};
    item.set("when", web::format_date_time(e.created_at, r.lang));
    item.set("actor", web::author_name(c, r.lang, e.actor_name));
    item.set("action",
             c.text(r.lang, "moderation_log_" + std::string(moderation::to_string(e.action))));
    if (e.target) {
      item.set("target_label", kind_label(c, r.lang, e.target->kind));
      if (auto contribution = find_contribution(s.db, *e.target); contribution) {
        item.set("target_href", contribution->href);
        item.set("target_title", contribution->title);
      }
    }
    if (e.has_subject) item.set("subject", web::author_name(c, r.lang, e.subject_name));
    item.set("reason", e.reason.empty() ? web::Data{false} : web::Data{e.reason});
    entries.push_back(item);
  }
  data.set("entries", entries);
  if (!page->next_cursor.empty())
    data.set("next_href",
             base + "/moderation/protokoll?" + http::build_query({{"cursor", page->next_cursor}}));
  return render_page(s, r, "moderation_log", std::move(data),
                c.text(r.lang, "moderation_log_heading") + " – " + process.title);
}

// What a blocked person reads: that they were blocked from this process, why, and whom
// to contact to object.
std::string blocked_message(const web::Catalog& c, std::string_view lang,
                            const moderation::Block& block, const Process& process) {
  return c.text(lang, "moderation_blocked") + " " + c.text(lang, "moderation_blocked_reason") +
         " " + block.reason + " " + c.text(lang, "moderation_blocked_object") + " " +
         process.org_name + ".";
}

}  // namespace

moderation::Space space_of(const Process& process) { return {"process", process.id}; }

std::optional<http::Response> refuse_contribution(web::Services& s, const http::Request& r,
                                                  const Process& process,
                                                  const Proposal* proposal) {
  const auto& c = s.view.catalog();
  std::optional<TargetRef> target;
  if (proposal) target = TargetRef{"proposal", proposal->id};
  auto standing = ModerationStore(s.db).standing(space_of(process), r.account_id, target);
  if (!standing) return web::error_response(s.view, r, standing.error());
  if (!standing->verified)
    return web::error_response(s.view, r, 403, c.text(r.lang, "moderation_error_unverified"));
  if (standing->block)
    return web::error_response(s.view, r, 403, blocked_message(c, r.lang, *standing->block, process));
  if (standing->target_hidden)
    return web::error_response(s.view, r, 409, c.text(r.lang, "moderation_error_hidden"));
  return std::nullopt;
}

Result<Visibility> Visibility::load(web::Services& s, const http::Request& r,
                                    const Process& process) {
  Visibility v;
  AH_TRY(may, may_moderate(s, r.account_id, process));
  v.moderator_ = may;
  AH_TRY(hidden, ModerationStore(s.db).hidden_in(space_of(process)));
  v.hidden_ = std::move(hidden);
  if (r.account_id != 0) {
    AH_TRY(block, ModerationStore(s.db).block_of(space_of(process), r.account_id));
    if (block) v.blocked_notice_ = blocked_message(s.view.catalog(), r.lang, *block, process);
  }
  return v;
}

Result<Visibility> Visibility::load_public(web::Services& s, const Process& process) {
  Visibility v;
  AH_TRY(hidden, ModerationStore(s.db).hidden_in(space_of(process)));
  v.hidden_ = std::move(hidden);
  return v;
}

const std::string* Visibility::hidden(std::string_view kind, std::int64_t id) const {
  auto it = hidden_.find(TargetRef{std::string(kind), id});
  return it == hidden_.end() ? nullptr : &it->second;
}

std::string Visibility::notice(const web::Catalog& c, std::string_view lang, std::string_view kind,
                               std::int64_t id) const {
  const std::string* reason = hidden(kind, id);
  return c.text(lang, "moderation_hidden_prefix") + " " + (reason ? *reason : std::string());
}

void register_moderation_routes(http::Router& router, web::Services& s) {
  for (auto [path, kind] : {std::pair{"/vorschlaege/{id}/melden", "proposal"},
                            std::pair{"/kommentare/{id}/melden", "comment"}}) {
    std::string k = kind;
    router.add(http::Method::get, path,
               [&s, k](http::Request& r) { return report_page(s, r, k, false); });
    router.add(http::Method::post, path,
               [&s, k](http::Request& r) { return report_page(s, r, k, true); });
  }
  router.add(http::Method::get, "/beteiligung/{id}/moderation",
             [&s](http::Request& r) { return queue_get(s, r); });
  router.add(http::Method::post, "/beteiligung/{id}/moderation",
             [&s](http::Request& r) { return queue_post(s, r); });
  router.add(http::Method::get, "/beteiligung/{id}/moderation/protokoll",
             [&s](http::Request& r) { return log_page(s, r); });
  router.add(http::Method::post, "/api/v1/reports",
             [&s](http::Request& r) { return api_report(s, r); });
}

void describe_moderation_api(json& doc) {
  json problem = {{"$ref", "#/components/responses/Problem"}};
  json reasons = json::array();
  for (auto reason : moderation::all_reasons()) reasons.push_back(moderation::to_string(reason));
  json result = {{"type", "object"},
                 {"required", {"target", "new"}},
                 {"properties",
                  {{"target", {{"type", "object"}}},
                   {"new",
                    {{"type", "boolean"},
                     {"description", "false when this person had reported it already"}}}}}};
  json body = {{"type", "object"},
               {"required", {"target", "reason"}},
               {"properties",
                {{"target",
                  {{"type", "object"},
                   {"required", {"kind", "id"}},
                   {"properties",
                    {{"kind", {{"type", "string"}, {"enum", {"proposal", "comment"}}}},
                     {"id", {{"type", "integer"}}}}}}},
                 {"reason", {{"type", "string"}, {"enum", reasons}}},
                 {"text",
                  {{"type", "string"},
                   {"description", "required for reason 'other'; at most 2000 bytes"}}}}}};
  auto answer = [&](const char* description) {
    return json{{"description", description},
                {"content", {{"application/json", {{"schema", result}}}}}};
  };
  doc["paths"]["/api/v1/reports"]["post"] = {
      {"operationId", "createReport"},
      {"summary",
       "Report a proposal or comment to the moderators of its process (also "
       "anonymously; rate-limited)"},
      {"tags", {"Beteiligung"}},
      {"requestBody",
       {{"required", true}, {"content", {{"application/json", {{"schema", body}}}}}}},
      {"responses",
       {{"201", answer("Reported")},
        {"200", answer("Reported before by the same person; nothing changed")},
        {"400", problem},
        {"404", problem},
        {"422", problem},
        {"429", problem}}}};
}

http::Response render_page(web::Services& s, const http::Request& r, std::string_view page,
                           web::Data data, const std::string& title, int status,
                           std::string_view cache_control) {
  data.set("title", title);
  data.set("csrf", r.csrf_token);
  data.set("nav_participation", true);
  auto response = http::Response::html(s.view.render(page, data, r), status);
  response.headers.set("Cache-Control", std::string(cache_control));
  return response;
}

std::variant<Process, http::Response> process_for(web::Services& s, const http::Request& r,
                                                  authz::Action action,
                                                  std::string_view refusal_key) {
  const auto& c = s.view.catalog();
  auto id = web::parse_id(r.param("id"));
  if (!id) return web::error_response(s.view, r, 404);
  if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
  auto process = ProcessStore(s.db).find(*id);
  if (!process) return web::error_response(s.view, r, process.error());
  auto may = authz::Authorizer(s.db).can(r.account_id, action,
                                         authz::Target::space("process", process->id,
                                                              process->org_id));
  if (!may) return web::error_response(s.view, r, may.error());
  if (!*may) return web::error_response(s.view, r, 403, c.text(r.lang, refusal_key));
  return std::move(*process);
}

}  // namespace ah::modules::participation
