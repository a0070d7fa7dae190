#include "modules/groups/decisions/module.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <tuple>

#include "base/time.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/accounts/submissions.h"
#include "modules/groups/access.h"
#include "modules/groups/drafts/store.h"
#include "modules/groups/decisions/store.h"
#include "modules/groups/store.h"
#include "modules/notifications/notify.h"
#include "poster/poster.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/format.h"
#include "web/openapi.h"
#include "web/rich_text.h"

namespace ah::modules {

namespace decisions {

namespace {

using nlohmann::json;

std::string decision_href(std::int64_t id) { return "/entscheidungen/" + std::to_string(id); }
// Notices in `tx` about a decision of group `group_id` to each of `people` but `except`;
// their ids into `notices`.
Status tell(web::Services& s, db::Connection& tx, std::int64_t group_id,
            const std::vector<std::int64_t>& people, std::int64_t except, const char* kind,
            const std::string& title, const std::string& text, const std::string& link,
            std::vector<std::int64_t>& notices) {
  for (auto who : people) {
    if (who == except) continue;
    AH_TRY(n, notifications::notify(s, tx,
                                    {who, kind, title, text, link, groups::notice_scope(group_id)}));
    notices.push_back(n);
  }
  return {};
}

}  // namespace

Result<std::int64_t> run_due(web::Services& s, std::int64_t now) {
  const auto& c = s.view.catalog();
  DecisionStore store(s.db);
  std::int64_t done = 0;
  AH_TRY(due, store.due_for_closing(now));
  for (auto id : due) {
    AH_TRY(d, store.find(id));
    std::vector<std::int64_t> notices;
    AH_TRY(closed, store.close(id, now, [&](db::Connection& tx) -> Status {
      AH_TRY(members, DecisionStore::members(tx, d.group_id));
      std::int64_t author = d.author_id.value_or(0);
      AH_TRY_STATUS(tell(s, tx, d.group_id, members, author, "groups.decision_closed",
                         c.text("de", "decisions_notice_closed_title") + " „" + d.title + "“",
                         "", decision_href(id), notices));
      if (author != 0)
        AH_TRY_STATUS(tell(s, tx, d.group_id, {author}, 0, "groups.decision_closed",
                           c.text("de", "decisions_notice_outcome_title") + " „" + d.title + "“",
                           "", decision_href(id) + "#ergebnis", notices));
      return {};
    }));
    if (closed) {
      notifications::deliver(s, notices);
      ++done;
    }
  }
  AH_TRY(reminders, store.due_for_reminder(now));
  for (auto id : reminders) {
    AH_TRY(d, store.find(id));
    std::vector<std::int64_t> notices;
    AH_TRY(claimed, store.claim_reminder(id, now, [&](db::Connection& tx) -> Status {
      AH_TRY(people, DecisionStore::non_voters(tx, id));
      return tell(s, tx, d.group_id, people, 0, "groups.decision_closing",
                  c.text("de", "decisions_notice_closing_title") + " „" + d.title + "“ (" +
                      web::format_date_time(d.deadline, "de") + ")",
                  "", decision_href(id), notices);
    }));
    if (claimed) {
      notifications::deliver(s, notices);
      ++done;
    }
  }
  return done;
}

}  // namespace decisions

namespace {

using decisions::Ballot;
using decisions::Decision;
using decisions::DecisionStore;
using decisions::Kind;
using decisions::Position;
using groups::acting_on_group;
using groups::can;
using groups::group_href;
using groups::invalid;
using groups::refusal;
using groups::render;
using groups::space_of;
using groups::readable_group;
using groups::visible_group;
using nlohmann::json;
using web::json_response;
using web::parse_id;
using web::string_field;

constexpr int kPerPage = 20;
// The drafts a new decision may name, newest first: more than a group keeps open at once.
constexpr int kMaxDraftChoices = 100;

std::string decision_href(std::int64_t id) { return "/entscheidungen/" + std::to_string(id); }

json cursor_json(const std::string& cursor) {
  return cursor.empty() ? json(nullptr) : json(cursor);
}

// What a reader may do with one decision.
struct Rights {
  bool member = false;    // group.decide: vote, open decisions
  bool moderate = false;  // group.moderate: close early, write the outcome
  bool author = false;
  bool voted = false;
  bool see_results = false;
  bool close() const { return moderate || (author && member); }
  bool outcome() const { return moderate || (author && member); }
};

Result<Rights> rights_of(web::Services& s, const http::Request& r, const Decision& d) {
  Rights out;
  AH_TRY(member, can(s, r, authz::Action::group_decide, space_of(d.group_id)));
  AH_TRY(moderate, can(s, r, authz::Action::group_moderate, space_of(d.group_id)));
  out.member = member;
  out.moderate = moderate;
  out.author = r.account_id != 0 && d.author_id == r.account_id;
  if (r.account_id != 0) {
    AH_TRY(voted, DecisionStore(s.db).has_voted(d.id, r.account_id));
    out.voted = voted;
  }
  out.see_results = !d.open || (d.results == decisions::Results::after_vote && out.voted);
  return out;
}

// The decision {id} and its group, when the reader may read the group.
Result<std::pair<Decision, groups::Group>> visible_decision(web::Services& s,
                                                            const http::Request& r) {
  auto id = parse_id(r.param("id"));
  if (!id) return fail(ErrorCode::not_found, "no such decision");
  AH_TRY(d, DecisionStore(s.db).find(*id));
  AH_TRY(group, visible_group(s, r, d.group_id));
  return std::pair{std::move(d), std::move(group)};
}

std::string kind_key(Kind k) { return "decisions_kind_" + std::string(decisions::to_string(k)); }
std::string position_key(Position p) {
  return "decisions_position_" + std::string(decisions::to_string(p));
}

// Percent of `part` in `whole`, rounded (0 for no whole).
int percent(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? 0 : static_cast<int>(std::lround(100.0 * part / whole));
}

// A row of a results table: label, the number as text, the share as text and the bar's
// width (an SVG attribute: the strict CSP allows no style attributes).
web::Data result_row(const std::string& label, const std::string& number, int share,
                     std::string_view lang) {
  web::Data row{web::Data::type::object};
  row.set("label", label);
  row.set("number", number);
  row.set("percent", web::format_integer(share, lang) + " %");
  row.set("width", std::to_string(std::clamp(share, 0, 100)) + "%");
  return row;
}

// The results of `d` for a page: rows per position or option, and the reasons.
web::Data results_data(web::Services& s, const http::Request& r, const Decision& d,
                       const decisions::Tally& t) {
  const auto& c = s.view.catalog();
  web::Data out{web::Data::type::object};
  web::Data rows{web::Data::type::list};
  out.set("ballots", web::format_integer(t.ballots, r.lang));
  if (d.kind == Kind::consent) {
    for (auto p : decisions::kPositions) {
      auto n = t.positions[static_cast<int>(p)];
      rows.push_back(result_row(c.text(r.lang, position_key(p)), web::format_integer(n, r.lang),
                                percent(n, t.ballots), r.lang));
    }
    web::Data reasons{web::Data::type::list};
    for (const auto& reason : t.reasons) {
      web::Data item{web::Data::type::object};
      item.set("position", c.text(r.lang, position_key(reason.position)));
      item.set("text", reason.text);
      if (reason.name) item.set("name", *reason.name);
      reasons.push_back(item);
    }
    out.set("reasons", reasons);
    out.set("has_reasons", !t.reasons.empty());
    out.set("number_heading", c.text(r.lang, "decisions_results_votes"));
  } else {
    std::int64_t total = 0;
    for (const auto& o : t.options) total += d.kind == Kind::poll ? o.count : o.sum;
    for (const auto& o : t.options) {
      std::string number;
      int share = 0;
      switch (d.kind) {
        case Kind::poll:
          number = web::format_integer(o.count, r.lang);
          share = percent(o.count, t.ballots);
          break;
        case Kind::dot_vote:
          number = web::format_integer(o.sum, r.lang);
          share = percent(o.sum, total);
          break;
        default: {
          double mean = o.count == 0 ? 0.0 : static_cast<double>(o.sum) / o.count;
          number = web::format_decimal(mean, 1, r.lang);
          share = static_cast<int>(std::lround(mean * 100.0 / decisions::kMaxScore));
          std::string spread;
          for (std::size_t v = 0; v < o.distribution.size(); ++v)
            spread += (v ? ", " : "") + std::to_string(v) + ": " +
                      web::format_integer(o.distribution[v], r.lang);
          number += " (" + spread + ")";
          break;
        }
      }
      rows.push_back(result_row(o.option.label, number, share, r.lang));
    }
    out.set("number_heading",
            c.text(r.lang, d.kind == Kind::poll       ? "decisions_results_votes"
                           : d.kind == Kind::dot_vote ? "decisions_results_points"
                                                      : "decisions_results_mean"));
  }
  out.set("rows", rows);
  out.set("share_heading", c.text(r.lang, d.kind == Kind::score ? "decisions_results_of_max"
                                                                : "decisions_results_share"));
  return out;
}

json decision_json(web::Services& s, const http::Request& r, const Decision& d) {
  const auto& c = s.view.catalog();
  json options = json::array();
  for (const auto& o : d.options) options.push_back({{"id", o.id}, {"label", o.label}});
  json out = {{"id", d.id},
              {"group_id", d.group_id},
              {"draft_id", d.draft_id ? json(*d.draft_id) : json(nullptr)},
              {"title", d.title},
              {"details", d.details},
              {"kind", decisions::to_string(d.kind)},
              {"options", options},
              {"multiple", d.multiple},
              {"points", d.points},
              {"deadline", rfc3339_utc(d.deadline)},
              {"results_visibility", decisions::to_string(d.results)},
              {"anonymous", d.anonymous},
              {"state", d.open ? "open" : "closed"},
              {"author", web::author_name(c, r.lang, d.author_name)},
              {"voter_count", d.voter_count},
              {"url", decision_href(d.id)},
              {"created_at", rfc3339_utc(d.created_at)}};
  out["closed_at"] = d.closed_at ? json(rfc3339_utc(*d.closed_at)) : json(nullptr);
  out["outcome"] = d.outcome ? json(*d.outcome) : json(nullptr);
  out["review_date"] = d.review_date ? json(web::berlin_date_value(*d.review_date)) : json(nullptr);
  return out;
}

json tally_json(const Decision& d, const decisions::Tally& t) {
  json out = {{"ballots", t.ballots}};
  if (d.kind == Kind::consent) {
    json positions = json::object();
    for (auto p : decisions::kPositions)
      positions[std::string(decisions::to_string(p))] = t.positions[static_cast<int>(p)];
    out["positions"] = positions;
    json reasons = json::array();
    for (const auto& reason : t.reasons)
      reasons.push_back({{"position", decisions::to_string(reason.position)},
                         {"reason", reason.text},
                         {"name", reason.name ? json(*reason.name) : json(nullptr)}});
    out["reasons"] = reasons;
  } else {
    json options = json::array();
    for (const auto& o : t.options)
      options.push_back({{"option_id", o.option.id},
                         {"label", o.option.label},
                         {"count", o.count},
                         {"sum", o.sum},
                         {"distribution", o.distribution}});
    out["options"] = options;
  }
  return out;
}

// The Markdown of the Beschlussregister.
std::string register_markdown(const web::Catalog& c, std::string_view lang,
                              const groups::Group& group, const std::vector<Decision>& list) {
  std::string out = "# " + c.text(lang, "decisions_register_heading") + ": " + group.name + "\n\n";
  if (list.empty()) out += c.text(lang, "decisions_register_none") + "\n";
  for (const auto& d : list) {
    out += "## " + d.title + "\n\n";
    out += "- " + c.text(lang, "decisions_kind") + ": " + c.text(lang, kind_key(d.kind)) + "\n";
    out += "- " + c.text(lang, "decisions_closed_at") + ": " +
           web::format_date_time(d.closed_at.value_or(0), lang) + "\n";
    if (d.review_date)
      out += "- " + c.text(lang, "decisions_review_date") + ": " +
             web::format_date(*d.review_date, lang) + "\n";
    out += "\n" + (d.outcome ? *d.outcome : c.text(lang, "decisions_outcome_missing")) + "\n\n";
  }
  return out;
}

class DecisionsModule : public web::Module {
 public:
  std::string_view name() const override { return "decisions"; }

  std::vector<db::Migration> migrations() const override {
    return decisions::decisions_migrations();
  }

  std::vector<web::NoticeKind> notice_kinds() const override {
    return {{"groups.decision_new", "decisions_notice_kind_new", web::Delivery::immediate},
            {"groups.decision_closing", "decisions_notice_kind_closing", web::Delivery::immediate},
            {"groups.decision_closed", "decisions_notice_kind_closed", web::Delivery::digest}};
  }

  std::vector<web::PeriodicJob> periodic_jobs(web::Services& s) override {
    return {{"close decisions at their deadline", std::chrono::seconds(20),
             [&s]() { return decisions::run_due(s, accounts::unix_now()); }}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    router.add(http::Method::get, "/arbeitsgruppen/{id}/entscheidungen",
               [&s](http::Request& r) { return list_page(s, r); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/entscheidungen/neu",
               [&s](http::Request& r) { return new_page(s, r, false); });
    router.add(http::Method::post, "/arbeitsgruppen/{id}/entscheidungen/neu",
               [&s](http::Request& r) { return new_page(s, r, true); });
    router.add(http::Method::get, "/entscheidungen/{id}",
               [&s](http::Request& r) { return decision_page(s, r, nullptr, nullptr); });
    router.add(http::Method::post, "/entscheidungen/{id}/stimme",
               [&s](http::Request& r) { return vote_form(s, r); });
    router.add(http::Method::post, "/entscheidungen/{id}/schliessen",
               [&s](http::Request& r) { return close_form(s, r); });
    router.add(http::Method::post, "/entscheidungen/{id}/ergebnis",
               [&s](http::Request& r) { return outcome_form(s, r); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/beschlussregister",
               [&s](http::Request& r) { return register_page(s, r, "html"); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/beschlussregister.md",
               [&s](http::Request& r) { return register_page(s, r, "md"); });
    router.add(http::Method::get, "/arbeitsgruppen/{id}/beschlussregister.pdf",
               [&s](http::Request& r) { return register_page(s, r, "pdf"); });
    router.add(http::Method::get, "/api/v1/groups/{id}/decisions",
               [&s](http::Request& r) { return api_list(s, r); });
    router.add(http::Method::post, "/api/v1/groups/{id}/decisions",
               [&s](http::Request& r) { return api_create(s, r); });
    router.add(http::Method::get, "/api/v1/decisions/{id}",
               [&s](http::Request& r) { return api_decision(s, r); });
    router.add(http::Method::put, "/api/v1/decisions/{id}/vote",
               [&s](http::Request& r) { return api_vote(s, r); });
    router.add(http::Method::post, "/api/v1/decisions/{id}/outcome",
               [&s](http::Request& r) { return api_outcome(s, r); });
  }

  Status before_account_erasure(web::Services& s, std::int64_t account_id) const override {
    return DecisionStore(s.db).forget_voter(account_id);
  }

  Result<json> export_personal_data(web::Services& s, std::int64_t account_id) const override {
    json out = json::object();
    AH_TRY(authored, s.db.query("SELECT id, group_id, title, details, kind, created_at"
                                " FROM group_decisions WHERE author_id = $1 ORDER BY id",
                                {db::Value{account_id}}));
    out["decisions"] = json::array();
    for (const auto& row : authored.rows)
      out["decisions"].push_back({{"id", row.int64(0)},
                                  {"group_id", row.int64(1)},
                                  {"title", row.text(2)},
                                  {"details", row.text(3)},
                                  {"kind", row.text(4)},
                                  {"created_at", rfc3339_utc(row.int64(5))}});
    AH_TRY(ballots, s.db.query("SELECT b.decision_id, b.position, b.reason, b.id"
                               " FROM group_decision_ballots b WHERE b.account_id = $1"
                               " ORDER BY b.decision_id",
                               {db::Value{account_id}}));
    out["ballots"] = json::array();
    for (const auto& row : ballots.rows) {
      AH_TRY(marks, s.db.query("SELECT o.label, m.value FROM group_decision_marks m"
                               " JOIN group_decision_options o ON o.id = m.option_id"
                               " WHERE m.ballot_id = $1 ORDER BY o.position",
                               {db::Value{row.int64(3)}}));
      json marked = json::object();
      for (const auto& m : marks.rows) marked[m.text(0)] = m.int64(1);
      out["ballots"].push_back({{"decision_id", row.int64(0)},
                                {"position", row.is_null(1) ? json(nullptr) : json(row.text(1))},
                                {"reason", row.text(2)},
                                {"marks", marked}});
    }
    AH_TRY(voted, s.db.query("SELECT v.decision_id FROM group_decision_voters v"
                             " JOIN group_decisions d ON d.id = v.decision_id"
                             " WHERE v.account_id = $1 AND d.anonymous = 1 ORDER BY v.decision_id",
                             {db::Value{account_id}}));
    out["anonymous_decisions_voted_in"] = json::array();
    for (const auto& row : voted.rows) out["anonymous_decisions_voted_in"].push_back(row.int64(0));
    out["note"] =
        "In anonymen Entscheidungen ist gespeichert, dass Sie abgestimmt haben, aber nicht wie: "
        "Ihre Stimme ist mit Ihrem Konto nicht verknüpft und kann deshalb nicht ausgegeben "
        "werden.";
    return out;
  }

  Status seed_demo(web::Services& s) override;
  void describe_api(json& doc) const override;

 private:
  // GET /arbeitsgruppen/{id}/entscheidungen (?cursor= for the closed ones)
  static http::Response list_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    DecisionStore store(s.db);
    // Open decisions are few at a time (they end); all of them on the page.
    auto open = store.list(group->id, true, "", 100);
    auto closed = store.list(group->id, false, query->get("cursor"), kPerPage);
    if (!open) return refusal(s, r, open.error());
    if (!closed) return refusal(s, r, closed.error());
    auto may = can(s, r, authz::Action::group_decide, space_of(group->id));
    if (!may) return refusal(s, r, may.error());
    auto items = [&](const std::vector<Decision>& list) -> Result<web::Data> {
      web::Data out{web::Data::type::list};
      for (const auto& d : list) {
        web::Data item{web::Data::type::object};
        item.set("title", d.title);
        item.set("href", decision_href(d.id));
        item.set("kind", c.text(r.lang, kind_key(d.kind)));
        item.set("deadline", web::format_date_time(d.deadline, r.lang));
        item.set("deadline_iso", rfc3339_utc(d.deadline));
        if (d.closed_at) item.set("closed", web::format_date_time(*d.closed_at, r.lang));
        item.set("voters", web::format_integer(d.voter_count, r.lang));
        item.set("has_outcome", d.outcome.has_value());
        if (r.account_id != 0 && d.open && *may) {
          AH_TRY(voted, store.has_voted(d.id, r.account_id));
          item.set("voted", voted);
          item.set("awaits", !voted);
        }
        out.push_back(item);
      }
      return out;
    };
    auto open_items = items(open->items);
    auto closed_items = items(closed->items);
    if (!open_items) return refusal(s, r, open_items.error());
    if (!closed_items) return refusal(s, r, closed_items.error());
    web::Data data{web::Data::type::object};
    data.set("group_name", group->name);
    data.set("group_href", group_href(group->id));
    data.set("new_href", group_href(group->id) + "/entscheidungen/neu");
    data.set("register_href", group_href(group->id) + "/beschlussregister");
    data.set("can_decide", *may);
    data.set("open", *open_items);
    data.set("has_open", !open->items.empty());
    data.set("closed", *closed_items);
    data.set("has_closed", !closed->items.empty());
    if (!closed->next_cursor.empty())
      data.set("next_href", group_href(group->id) + "/entscheidungen?" +
                                http::build_query({{"cursor", closed->next_cursor}}) +
                                "#abgeschlossen");
    return render(s, r, "decisions_list", std::move(data),
                  c.text(r.lang, "decisions_heading") + ": " + group->name);
  }

  static web::Data choices(const web::Catalog& c, std::string_view lang,
                           std::initializer_list<std::string_view> values, std::string_view prefix,
                           std::string_view chosen) {
    web::Data options{web::Data::type::list};
    for (auto value : values) {
      web::Data item{web::Data::type::object};
      item.set("value", std::string(value));
      item.set("label", c.text(lang, std::string(prefix) + std::string(value)));
      item.set("hint", c.text(lang, std::string(prefix) + std::string(value) + "_hint"));
      item.set("checked", value == chosen);
      options.push_back(item);
    }
    return options;
  }

  // One option per line, blank lines left out.
  static std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string line(http::trim_whitespace(text.substr(start, end - start)));
      if (!line.empty()) out.push_back(std::move(line));
      start = end + 1;
    }
    return out;
  }

  // GET/POST /arbeitsgruppen/{id}/entscheidungen/neu: members open a decision.
  static http::Response new_page(web::Services& s, http::Request& r, bool submitted) {
    const auto& c = s.view.catalog();
    auto group = acting_on_group(s, r, authz::Action::group_decide, "decisions_error_not_member");
    if (!group) return group.error();
    web::FormState form;
    auto now = accounts::unix_now();
    if (!submitted) {
      form.values = {
          {"kind", "consent"},
          {"points", "10"},           {"deadline_date", web::berlin_date_value(now + 7 * 86400)},
          {"deadline_time", "12:00"}, {"once", accounts::Submissions::new_key()}};
      // From a draft's page: "Darüber entscheiden" names the draft.
      if (auto query = http::parse_query(r.query)) form.values["draft"] = query->get("entwurf");
    } else {
      auto parsed = http::parse_form(r.body);
      if (!parsed) return web::error_response(s.view, r, 400);
      for (const char* field : {"title", "details", "kind", "options", "multiple", "points",
                                "deadline_date", "deadline_time", "anonymous", "draft",
                                "once"})
        form.values[field] = std::string(parsed->get(field));
      decisions::NewDecision d{.title = form.values["title"], .details = form.values["details"]};
      auto kind = decisions::kind_from_string(form.values["kind"]);
      if (!kind) form.errors["kind"] = "decisions_error_kind";
      d.kind = kind.value_or(Kind::consent);
      d.results = results_rule_of(*group);
      d.options = lines_of(form.values["options"]);
      d.multiple = form.values["multiple"] == "1";
      d.anonymous = form.values["anonymous"] == "1";
      if (!form.values["draft"].empty()) {
        d.draft_id = parse_id(form.values["draft"]);
        if (!d.draft_id) form.errors["draft"] = decisions::kDraftRefused;
      }
      auto points = parse_id(form.values["points"]);
      d.points = d.kind == Kind::dot_vote ? points.value_or(0) : 0;
      auto deadline =
          web::berlin_local_time(form.values["deadline_date"], form.values["deadline_time"]);
      if (!deadline)
        form.errors["deadline"] = "decisions_error_deadline";
      else
        d.deadline = *deadline;
      for (const auto& [field, key] : decisions::validate(d, now))
        if (field != "deadline" || deadline) form.errors.emplace(field, key);
      if (form.ok()) {
        auto location = accounts::Submissions(s.db).once(
            r.account_id, form.values["once"], now, [&]() -> Result<std::string> {
              AH_TRY(id, open_decision(s, r, *group, d));
              return decision_href(id);
            });
        if (location) return http::Response::redirect(*location);
        // A draft that was adopted or left the group meanwhile: the form says so.
        if (location.error().message != decisions::kDraftRefused)
          return refusal(s, r, location.error());
        form.errors["draft"] = std::string(decisions::kDraftRefused);
      }
    }
    web::Data data = web::form_data(c, r.lang, form);
    data.set("kinds", choices(c, r.lang, {"consent", "poll", "dot_vote", "score"},
                              "decisions_kind_", form.values["kind"]));
    // Who sees results when is the group's rule (its settings), not each decision's.
    data.set("results_rule",
             c.text(r.lang, "decisions_results_" +
                                std::string(decisions::to_string(results_rule_of(*group)))));
    data.set("multiple_checked", form.values["multiple"] == "1");
    data.set("anonymous_checked", form.values["anonymous"] == "1");
    // The group's open drafts, one of which the decision may be about.
    auto drafts = groups::drafts::DraftStore(s.db).list(group->id, "", kMaxDraftChoices);
    if (!drafts) return refusal(s, r, drafts.error());
    web::Data draft_options{web::Data::type::list};
    for (const auto& draft : drafts->items) {
      if (draft.frozen) continue;
      web::Data item{web::Data::type::object};
      item.set("value", std::to_string(draft.id));
      item.set("label", draft.title);
      item.set("selected", form.values["draft"] == std::to_string(draft.id));
      draft_options.push_back(item);
    }
    data.set("has_drafts", !draft_options.is_empty_list());
    data.set("draft_options", draft_options);
    data.set("group_name", group->name);
    data.set("group_href", list_href(group->id));
    data.set("action", group_href(group->id) + "/entscheidungen/neu");
    return render(s, r, "decisions_new", std::move(data), c.text(r.lang, "decisions_new_heading"),
                  form.ok() ? 200 : 422);
  }

  // When the group's decisions show their results (groups' settings).
  static decisions::Results results_rule_of(const groups::Group& group) {
    return group.results_after_close ? decisions::Results::after_close
                                     : decisions::Results::after_vote;
  }

  static std::string list_href(std::int64_t group) { return group_href(group) + "/entscheidungen"; }

  // Stores the decision and tells the group's other members, in its transaction.
  static Result<std::int64_t> open_decision(web::Services& s, const http::Request& r,
                                            const groups::Group& group,
                                            const decisions::NewDecision& d) {
    const auto& c = s.view.catalog();
    std::vector<std::int64_t> notices;
    auto id = DecisionStore(s.db).create(
        group.id, d, r.account_id, accounts::unix_now(),
        [&](db::Connection& tx, std::int64_t id) -> Status {
          AH_TRY(members, DecisionStore::members(tx, group.id));
          return decisions::tell(s, tx, group.id, members, r.account_id, "groups.decision_new",
                      c.text("de", "decisions_notice_new_title") + " „" + d.title + "“",
                      group.name + " – " + c.text("de", "decisions_deadline") + " " +
                          web::format_date_time(d.deadline, "de"),
                      decision_href(id), notices);
        });
    if (id) notifications::deliver(s, notices);
    return id;
  }

  // The ballot in a form or API body's fields: position, reason, and per option
  // "option-ID" (a number) or "choice" (the chosen option ids of a poll).
  static Ballot read_ballot(const Decision& d, const http::ParamList& p, web::FormState& form) {
    Ballot b;
    form.values["position"] = std::string(p.get("position"));
    form.values["reason"] = std::string(p.get("reason"));
    b.position = decisions::position_from_string(form.values["position"]);
    b.reason = form.values["reason"];
    if (d.kind == Kind::poll) {
      for (auto chosen : p.all("choice")) {
        auto option = parse_id(chosen);
        if (!option) {
          form.errors["options"] = "decisions_error_option";
          continue;
        }
        b.marks[*option] = 1;
        form.values["choice-" + std::string(chosen)] = "1";
      }
    } else if (d.kind != Kind::consent) {
      for (const auto& o : d.options) {
        std::string field = "option-" + std::to_string(o.id);
        std::string text(http::trim_whitespace(p.get(field)));
        form.values[field] = text;
        if (text.empty()) {
          if (d.kind == Kind::score) continue;  // "not scored": validate says so
          text = "0";
        }
        std::int64_t value = 0;
        bool negative = text.starts_with('-');
        auto parsed = parse_id(negative ? std::string_view(text).substr(1) : text);
        if (!parsed && text.find_first_not_of('0') != std::string::npos) {
          form.errors["options"] = "decisions_error_number";
          continue;
        }
        value = parsed.value_or(0);
        b.marks[o.id] = negative ? -value : value;
      }
    }
    if (form.errors.empty())
      for (const auto& [field, key] : decisions::validate_ballot(d, b))
        form.errors.emplace(field, key);
    return b;
  }

  // GET /entscheidungen/{id}; after a refused ballot or outcome with that form's state.
  static http::Response decision_page(web::Services& s, http::Request& r,
                                      const web::FormState* vote, const web::FormState* outcome) {
    const auto& c = s.view.catalog();
    auto found = visible_decision(s, r);
    if (!found) return refusal(s, r, found.error());
    auto& [d, group] = *found;
    auto rights = rights_of(s, r, d);
    if (!rights) return refusal(s, r, rights.error());
    DecisionStore store(s.db);
    web::Data data = vote      ? web::form_data(c, r.lang, *vote)
                     : outcome ? web::form_data(c, r.lang, *outcome)
                               : web::Data{web::Data::type::object};
    data.set("id", std::to_string(d.id));
    data.set("decision_title", d.title);
    data.set("details_html", web::rich_text(d.details, s));
    data.set("has_details", !d.details.empty());
    data.set("group_name", group.name);
    data.set("group_href", list_href(group.id));
    data.set("kind", c.text(r.lang, kind_key(d.kind)));
    data.set("kind_hint", c.text(r.lang, kind_key(d.kind) + "_hint"));
    data.set("author", web::author_name(c, r.lang, d.author_name));
    data.set("deadline", web::format_date_time(d.deadline, r.lang));
    data.set("deadline_iso", rfc3339_utc(d.deadline));
    data.set("open", d.open);
    data.set("anonymous", d.anonymous);
    if (d.draft_id) {
      // The draft decided on: linked, and adoptable with the outcome while still open.
      auto draft = groups::drafts::DraftStore(s.db).find(*d.draft_id);
      if (!draft) return refusal(s, r, draft.error());
      data.set("draft_title", draft->title);
      data.set("draft_href", "/entwuerfe/" + std::to_string(draft->id));
      data.set("draft_adopted", draft->frozen && draft->frozen_by_decision_id == d.id);
      data.set("can_adopt", !draft->frozen);
    }
    data.set("voters", web::format_integer(d.voter_count, r.lang));
    data.set("voted", rights->voted);
    if (d.closed_at) data.set("closed_at", web::format_date_time(*d.closed_at, r.lang));
    data.set("results_after_close", d.results == decisions::Results::after_close);
    bool can_vote = d.open && rights->member;
    data.set("can_vote", can_vote);
    data.set("signed_in", r.account_id != 0);
    if (can_vote) {
      // The form shows what was typed, else the person's current ballot.
      std::optional<Ballot> current;
      if (!vote) {
        auto mine = store.ballot_of(d.id, r.account_id);
        if (!mine) return refusal(s, r, mine.error());
        current = *mine;
        if (current) {
          data.set("value_reason", current->reason);
        }
      }
      auto value = [&](const std::string& field) -> std::string {
        if (vote) {
          auto it = vote->values.find(field);
          return it == vote->values.end() ? "" : it->second;
        }
        return "";
      };
      web::Data positions{web::Data::type::list};
      for (auto p : decisions::kPositions) {
        web::Data item{web::Data::type::object};
        item.set("value", std::string(decisions::to_string(p)));
        item.set("label", c.text(r.lang, position_key(p)));
        item.set("hint", c.text(r.lang, position_key(p) + "_hint"));
        item.set("checked", vote ? value("position") == decisions::to_string(p)
                                 : current && current->position == p);
        positions.push_back(item);
      }
      data.set("positions", positions);
      web::Data options{web::Data::type::list};
      for (const auto& o : d.options) {
        web::Data item{web::Data::type::object};
        std::string field = "option-" + std::to_string(o.id);
        item.set("id", std::to_string(o.id));
        item.set("label", o.label);
        item.set("field", field);
        std::string amount = value(field);
        if (!vote && current && current->marks.contains(o.id))
          amount = std::to_string(current->marks.at(o.id));
        item.set("value", amount);
        item.set("checked",
                 vote ? value("choice-" + std::to_string(o.id)) == "1"
                      : current && current->marks.contains(o.id) && current->marks.at(o.id) > 0);
        options.push_back(item);
      }
      data.set("options", options);
      data.set("is_consent", d.kind == Kind::consent);
      data.set("is_poll", d.kind == Kind::poll);
      data.set("poll_input", d.multiple ? "checkbox" : "radio");
      data.set("is_dot_vote", d.kind == Kind::dot_vote);
      data.set("is_score", d.kind == Kind::score);
      data.set("points", web::format_integer(d.points, r.lang));
      data.set("points_max", std::to_string(d.points));
      if (!vote) data.set("value_once", accounts::Submissions::new_key());
    }
    if (rights->see_results) {
      auto t = store.tally(d.id);
      if (!t) return refusal(s, r, t.error());
      data.set("results", results_data(s, r, d, *t));
    } else {
      data.set("results_hidden",
               c.text(r.lang, d.results == decisions::Results::after_vote && rights->member
                                  ? "decisions_results_after_vote_note"
                                  : "decisions_results_after_close_note"));
    }
    data.set("can_close", d.open && rights->close());
    if (d.outcome) {
      data.set("outcome_html", web::rich_text(*d.outcome, s));
      if (d.review_date) data.set("review_date", web::format_date(*d.review_date, r.lang));
    }
    bool can_outcome = !d.open && rights->outcome();
    data.set("can_outcome", can_outcome);
    if (can_outcome && !outcome) {
      data.set("value_outcome", d.outcome.value_or(""));
      data.set("value_review_date", d.review_date ? web::berlin_date_value(*d.review_date) : "");
    }
    data.set("register_href", register_href(group.id));
    int status = (vote && !vote->ok()) || (outcome && !outcome->ok()) ? 422 : 200;
    return render(s, r, "decisions_decision", std::move(data), d.title, status);
  }

  static std::string register_href(std::int64_t group) {
    return group_href(group) + "/beschlussregister";
  }

  // For forms on the decision {id}: decision, group and rights, or the answer.
  static std::expected<std::tuple<Decision, groups::Group, Rights>, http::Response> acting(
      web::Services& s, const http::Request& r) {
    if (r.account_id == 0) return std::unexpected(http::Response::redirect("/konto/anmelden"));
    auto found = visible_decision(s, r);
    if (!found) return std::unexpected(refusal(s, r, found.error()));
    auto rights = rights_of(s, r, found->first);
    if (!rights) return std::unexpected(refusal(s, r, rights.error()));
    return std::tuple{std::move(found->first), std::move(found->second), *rights};
  }

  static http::Response forbidden(web::Services& s, const http::Request& r, const char* key) {
    return web::error_response(s.view, r, 403, s.view.catalog().text(r.lang, key));
  }

  // POST /entscheidungen/{id}/stimme: a member votes or changes their vote.
  static http::Response vote_form(web::Services& s, http::Request& r) {
    auto found = acting(s, r);
    if (!found) return found.error();
    auto& [d, group, rights] = *found;
    if (!rights.member) return forbidden(s, r, "decisions_error_not_member");
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    web::FormState form;
    form.values["once"] = std::string(parsed->get("once"));
    Ballot ballot = read_ballot(d, *parsed, form);
    if (!form.ok()) return decision_page(s, r, &form, nullptr);
    auto location = accounts::Submissions(s.db).once(
        r.account_id, form.values["once"], accounts::unix_now(), [&]() -> Result<std::string> {
          AH_TRY(voted, DecisionStore(s.db).vote(d.id, r.account_id, ballot, accounts::unix_now()));
          (void)voted;
          return decision_href(d.id) + "#stimme";
        });
    if (!location) return refusal(s, r, location.error());
    return http::Response::redirect(*location);
  }

  // POST /entscheidungen/{id}/schliessen: a moderator (or the author) closes early.
  static http::Response close_form(web::Services& s, http::Request& r) {
    auto found = acting(s, r);
    if (!found) return found.error();
    auto& [d, group, rights] = *found;
    if (!rights.close()) return forbidden(s, r, "decisions_error_not_moderator");
    auto closed = close_now(s, d);
    if (!closed) return refusal(s, r, closed.error());
    return http::Response::redirect(decision_href(d.id) + "#ergebnis");
  }

  // Closes `d` now, telling the members as the job does at the deadline.
  static Result<bool> close_now(web::Services& s, const Decision& d) {
    const auto& c = s.view.catalog();
    std::vector<std::int64_t> notices;
    AH_TRY(closed,
           DecisionStore(s.db).close(d.id, accounts::unix_now(), [&](db::Connection& tx) -> Status {
             AH_TRY(members, DecisionStore::members(tx, d.group_id));
             return decisions::tell(s, tx, d.group_id, members, 0, "groups.decision_closed",
                         c.text("de", "decisions_notice_closed_title") + " „" + d.title + "“",
                         "", decision_href(d.id), notices);
           }));
    notifications::deliver(s, notices);
    return closed;
  }

  // The outcome form's fields into `form`; the review date if one was given and valid.
  static std::optional<std::int64_t> read_outcome(const http::ParamList& p, web::FormState& form) {
    form.values["outcome"] = std::string(p.get("outcome"));
    form.values["review_date"] = std::string(http::trim_whitespace(p.get("review_date")));
    for (const auto& [field, key] : decisions::validate_outcome(form.values["outcome"]))
      form.errors.emplace(field, key);
    if (form.values["review_date"].empty()) return std::nullopt;
    auto date = web::berlin_midnight(form.values["review_date"]);
    if (!date) form.errors["review_date"] = "decisions_error_review_date";
    return date;
  }

  // Records the outcome; with `adopt`, the draft the decision is about is adopted in the
  // same transaction — frozen as "beschlossen" by this decision.
  static Status record(web::Services& s, const http::Request& r, const Decision& d,
                       const web::FormState& form, std::optional<std::int64_t> review,
                       bool adopt) {
    const auto now = accounts::unix_now();
    decisions::AlsoInTransaction freeze;
    if (adopt && d.draft_id)
      freeze = [&](db::Connection& tx) {
        return groups::drafts::DraftStore::freeze(tx, *d.draft_id, d.id, now);
      };
    return DecisionStore(s.db).record_outcome(d.id, form.values.at("outcome"), review,
                                              r.account_id, now, freeze);
  }

  // POST /entscheidungen/{id}/ergebnis: the author or a moderator records the outcome.
  static http::Response outcome_form(web::Services& s, http::Request& r) {
    auto found = acting(s, r);
    if (!found) return found.error();
    auto& [d, group, rights] = *found;
    if (!rights.outcome()) return forbidden(s, r, "decisions_error_not_author");
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    web::FormState form;
    auto review = read_outcome(*parsed, form);
    if (!form.ok()) return decision_page(s, r, nullptr, &form);
    auto recorded = record(s, r, d, form, review, parsed->get("adopt_draft") == "1");
    if (!recorded) return refusal(s, r, recorded.error());
    return http::Response::redirect(decision_href(d.id) + "#ergebnis");
  }

  // GET /arbeitsgruppen/{id}/beschlussregister(.md|.pdf)
  static http::Response register_page(web::Services& s, http::Request& r, std::string_view format) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto list = DecisionStore(s.db).closed(group->id);
    if (!list) return refusal(s, r, list.error());
    std::string file = "beschlussregister-" + std::to_string(group->id);
    if (format == "md") {
      auto response = http::Response::text(register_markdown(c, r.lang, *group, *list));
      response.headers.set("Content-Type", "text/markdown; charset=utf-8");
      response.headers.set("Content-Disposition", "attachment; filename=\"" + file + ".md\"");
      response.headers.set("Cache-Control", "no-cache");
      return response;
    }
    if (format == "pdf") {
      poster::Document pdf{
          .language = std::string(r.lang),
          .title = c.text(r.lang, "decisions_register_heading") + ": " + group->name,
          .fonts = poster::shipped_fonts(s.share_dir)};
      if (list->empty()) pdf.empty_note = c.text(r.lang, "decisions_register_none");
      for (const auto& d : *list) {
        std::string meta = c.text(r.lang, kind_key(d.kind)) + " · " +
                           c.text(r.lang, "decisions_closed_at") + " " +
                           web::format_date_time(d.closed_at.value_or(0), r.lang);
        if (d.review_date)
          meta += " · " + c.text(r.lang, "decisions_review_date") + " " +
                  web::format_date(*d.review_date, r.lang);
        pdf.sections.push_back({d.title, meta,
                                d.outcome ? web::plain_text(*d.outcome, decisions::kMaxOutcome)
                                          : c.text(r.lang, "decisions_outcome_missing")});
      }
      auto bytes = poster::render_document(pdf);
      if (!bytes) return refusal(s, r, bytes.error());
      http::Response response;
      response.body = std::move(*bytes);
      response.headers.set("Content-Type", "application/pdf");
      response.headers.set("Content-Disposition", "attachment; filename=\"" + file + ".pdf\"");
      response.headers.set("Cache-Control", "no-cache");
      return response;
    }
    web::Data items{web::Data::type::list};
    for (const auto& d : *list) {
      web::Data item{web::Data::type::object};
      item.set("title", d.title);
      item.set("href", decision_href(d.id));
      item.set("kind", c.text(r.lang, kind_key(d.kind)));
      item.set("closed", web::format_date_time(d.closed_at.value_or(0), r.lang));
      if (d.outcome) item.set("outcome_html", web::rich_text(*d.outcome, s));
      if (d.review_date) item.set("review_date", web::format_date(*d.review_date, r.lang));
      items.push_back(item);
    }
    web::Data data{web::Data::type::object};
    data.set("group_name", group->name);
    data.set("group_href", list_href(group->id));
    data.set("decisions", items);
    data.set("has_decisions", !list->empty());
    data.set("md_href", register_href(group->id) + ".md");
    data.set("pdf_href", register_href(group->id) + ".pdf");
    return render(s, r, "decisions_register", std::move(data),
                  c.text(r.lang, "decisions_register_heading") + ": " + group->name);
  }

  // --- JSON API ---

  static http::Response api_list(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto group = readable_group(s, r);
    if (!group) return group.error();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    int limit = web::page_limit(query->get("limit"), kPerPage);
    if (limit < 0) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_limit"));
    auto state = query->get("state");
    if (!state.empty() && state != "open" && state != "closed")
      return invalid(s, r, {{"state", "decisions_error_state"}});
    auto page = DecisionStore(s.db).list(group->id, state != "closed", query->get("cursor"), limit);
    if (!page) return refusal(s, r, page.error());
    json items = json::array();
    for (const auto& d : page->items) items.push_back(decision_json(s, r, d));
    return json_response({{"items", items}, {"next_cursor", cursor_json(page->next_cursor)}});
  }

  static http::Response api_decision(web::Services& s, http::Request& r) {
    auto found = visible_decision(s, r);
    if (!found) return refusal(s, r, found.error());
    auto& d = found->first;
    auto rights = rights_of(s, r, d);
    if (!rights) return refusal(s, r, rights.error());
    json out = decision_json(s, r, d);
    if (r.account_id != 0 && rights->member) out["voted"] = rights->voted;
    out["results"] = nullptr;
    if (rights->see_results) {
      auto t = DecisionStore(s.db).tally(d.id);
      if (!t) return refusal(s, r, t.error());
      out["results"] = tally_json(d, *t);
    }
    return json_response(out);
  }

  static std::optional<json> json_body(const http::Request& r) {
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return std::nullopt;
    return body;
  }

  static http::Response api_create(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto group = readable_group(s, r);
    if (!group) return group.error();
    if (auto no =
            groups::refused(s, r, authz::Action::group_decide, group->id, "decisions_error_not_member"))
      return *no;
    auto body = json_body(r);
    if (!body) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_json"));
    auto kind = decisions::kind_from_string(string_field(*body, "kind"));
    auto deadline = parse_rfc3339(string_field(*body, "deadline"));
    if (!kind) return invalid(s, r, {{"kind", "decisions_error_kind"}});
    if (!deadline) return invalid(s, r, {{"deadline", "decisions_error_deadline"}});
    decisions::NewDecision d{.title = string_field(*body, "title"),
                             .details = string_field(*body, "details"),
                             .kind = *kind,
                             .deadline = *deadline,
                             .results = results_rule_of(*group)};
    if (body->contains("options") && (*body)["options"].is_array())
      for (const auto& o : (*body)["options"])
        if (o.is_string()) d.options.push_back(o.get<std::string>());
    if (auto draft = body->find("draft_id"); draft != body->end() && !draft->is_null()) {
      if (!draft->is_number_integer()) return invalid(s, r, {{"draft", std::string(decisions::kDraftRefused)}});
      d.draft_id = draft->get<std::int64_t>();
    }
    d.multiple = web::bool_field(*body, "multiple");
    d.anonymous = web::bool_field(*body, "anonymous");
    if (body->contains("points") && (*body)["points"].is_number_integer())
      d.points = (*body)["points"].get<std::int64_t>();
    if (auto errors = decisions::validate(d, accounts::unix_now()); !errors.empty())
      return invalid(s, r, errors);
    auto created = open_decision(s, r, *group, d);
    if (!created) return refusal(s, r, created.error());
    auto stored = DecisionStore(s.db).find(*created);
    if (!stored) return refusal(s, r, stored.error());
    auto response = json_response(decision_json(s, r, *stored), 201);
    response.headers.set("Location", "/api/v1/decisions/" + std::to_string(*created));
    return response;
  }

  static http::Response api_vote(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto found = acting(s, r);
    if (!found) return found.error();
    auto& [d, group, rights] = *found;
    if (!rights.member) return forbidden(s, r, "decisions_error_not_member");
    auto body = json_body(r);
    if (!body) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_json"));
    // The JSON ballot as the form's fields, so both are read and checked alike.
    http::ParamList fields;
    fields.add("position", string_field(*body, "position"));
    fields.add("reason", string_field(*body, "reason"));
    if (body->contains("marks") && (*body)["marks"].is_object()) {
      for (const auto& [option, value] : (*body)["marks"].items()) {
        if (!value.is_number_integer())
          return invalid(s, r, {{"options", "decisions_error_number"}});
        if (d.kind == Kind::poll) {
          if (value.get<std::int64_t>() != 0) fields.add("choice", option);
        } else {
          fields.add("option-" + option, std::to_string(value.get<std::int64_t>()));
        }
      }
    }
    web::FormState form;
    Ballot ballot = read_ballot(d, fields, form);
    if (!form.ok()) {
      std::vector<std::pair<std::string, std::string>> errors(form.errors.begin(),
                                                              form.errors.end());
      return invalid(s, r, errors);
    }
    auto voted = DecisionStore(s.db).vote(d.id, r.account_id, ballot, accounts::unix_now());
    if (!voted) return refusal(s, r, voted.error());
    return json_response(
        {{"state", *voted == decisions::VoteResult::created ? "created" : "changed"}},
        *voted == decisions::VoteResult::created ? 201 : 200);
  }

  static http::Response api_outcome(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto found = acting(s, r);
    if (!found) return found.error();
    auto& [d, group, rights] = *found;
    if (!rights.outcome()) return forbidden(s, r, "decisions_error_not_author");
    auto body = json_body(r);
    if (!body) return web::error_response(s.view, r, 400, c.text(r.lang, "groups_error_json"));
    http::ParamList fields;
    fields.add("outcome", string_field(*body, "outcome"));
    fields.add("review_date", string_field(*body, "review_date"));
    web::FormState form;
    auto review = read_outcome(fields, form);
    if (!form.ok()) return invalid(s, r, {form.errors.begin(), form.errors.end()});
    auto recorded = record(s, r, d, form, review, web::bool_field(*body, "adopt_draft"));
    if (!recorded) return refusal(s, r, recorded.error());
    auto stored = DecisionStore(s.db).find(d.id);
    if (!stored) return refusal(s, r, stored.error());
    return json_response(decision_json(s, r, *stored));
  }
};

// In "AG Digitale Beteiligung": an open consent decision with votes from members of the
// Land and two Gemeinden (one with Bedenken), and a closed poll with its outcome.
Status DecisionsModule::seed_demo(web::Services& s) {
  const std::int64_t now = accounts::unix_now(), day = 86400;
  accounts::AccountStore people(s.db);
  AH_TRY(land, people.find_by_email("land@demo.augenhoehe.invalid"));
  AH_TRY(wittenberg, people.find_by_email("wittenberg@demo.augenhoehe.invalid"));
  AH_TRY(kemberg, people.find_by_email("gemeinde-admin@demo.augenhoehe.invalid"));
  if (!land || !wittenberg || !kemberg) return {};
  AH_TRY(found, s.db.query("SELECT id FROM work_groups WHERE name = $1",
                           {db::Value{std::string("AG Digitale Beteiligung")}}));
  if (found.rows.empty()) return {};
  std::int64_t group = found.rows[0].int64(0);
  DecisionStore store(s.db);
  AH_TRY(consent,
         store.create(group,
                      {.title = "Gemeinsame Vorlage für Aushänge mit QR-Code",
                       .details = "Wir übernehmen den Aushang aus Kemberg als **gemeinsame "
                                  "Vorlage** für alle Verfahren und pflegen ihn hier.",
                       .kind = Kind::consent,
                       .deadline = now + 5 * day},
                      land->id, now - 2 * day));
  AH_TRY(a, store.vote(consent, kemberg->id, {.position = Position::agree}, now - day));
  AH_TRY(b, store.vote(consent, wittenberg->id,
                       {.position = Position::concern,
                        .reason = "Die Kurzadresse sollte größer gedruckt werden als im Entwurf."},
                       now - day / 2));
  (void)a;
  (void)b;
  AH_TRY(poll, store.create(
                   group,
                   {.title = "Termin für das nächste Treffen",
                    .kind = Kind::poll,
                    .options = {"Dienstagvormittag", "Mittwochnachmittag", "Donnerstagvormittag"},
                    .deadline = now - 3 * day + 3600},
                   wittenberg->id, now - 3 * day));
  AH_TRY(options, store.find(poll));
  for (auto [who, choice] :
       {std::pair{land->id, 1}, std::pair{kemberg->id, 1}, std::pair{wittenberg->id, 0}}) {
    AH_TRY(voted,
           store.vote(poll, who, {.marks = {{options.options[choice].id, 1}}}, now - 3 * day + 60));
    (void)voted;
  }
  AH_TRY(closed, store.close(poll, now - 3 * day + 3600));
  (void)closed;
  return store.record_outcome(
      poll, "Wir treffen uns **mittwochnachmittags**, das nächste Mal online.",
      web::berlin_midnight(web::berlin_date_value(now + 60 * day)), wittenberg->id, now - 2 * day);
}

void DecisionsModule::describe_api(json& doc) const {
  namespace oa = web::openapi;
  json problem = oa::problem();
  auto& schemas = doc["components"]["schemas"];
  schemas["Decision"] = {
      {"type", "object"},
      {"required", {"id", "group_id", "title", "kind", "deadline", "state", "url"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"group_id", {{"type", "integer"}}},
        {"title", {{"type", "string"}}},
        {"details", {{"type", "string"}, {"description", "Markdown"}}},
        {"kind", {{"type", "string"}, {"enum", {"consent", "poll", "dot_vote", "score"}}}},
        {"options",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties", {{"id", {{"type", "integer"}}}, {"label", {{"type", "string"}}}}}}}}},
        {"multiple", {{"type", "boolean"}, {"description", "poll: several options"}}},
        {"points", {{"type", "integer"}, {"description", "dot vote: points per voter"}}},
        {"deadline", {{"type", "string"}, {"format", "date-time"}}},
        {"results_visibility", {{"type", "string"}, {"enum", {"after_vote", "after_close"}}}},
        {"anonymous", {{"type", "boolean"}}},
        {"state", {{"type", "string"}, {"enum", {"open", "closed"}}}},
        {"author", {{"type", "string"}}},
        {"voter_count", {{"type", "integer"}}},
        {"voted", {{"type", "boolean"}, {"description", "only for the group's members"}}},
        {"closed_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
        {"outcome", {{"type", {"string", "null"}}, {"description", "Markdown"}}},
        {"review_date", {{"type", {"string", "null"}}, {"format", "date"}}},
        {"results",
         {{"type", {"object", "null"}},
          {"description",
           "ballots, positions and reasons (consent) or options with count, sum and "
           "distribution; null until the reader may see them"}}},
        {"url", {{"type", "string"}}}}}};
  json paging = oa::paging();
  json list_params = paging;
  list_params.insert(list_params.begin(), oa::param("state", "query", "open (default) or closed"));
  list_params.insert(list_params.begin(), oa::param("id", "path", "group id", "1"));
  auto& paths = doc["paths"];
  paths["/api/v1/groups/{id}/decisions"]["get"] = {
      {"operationId", "listGroupDecisions"},
      {"summary", "A group's open decisions (soonest deadline first) or closed ones"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", list_params},
      {"responses",
       {{"200", oa::ok(oa::list_of("Decision"))},
        {"400", problem},
        {"404", problem},
        {"422", problem}}}};
  paths["/api/v1/groups/{id}/decisions"]["post"] = oa::create_op(
      "createDecision", "Open a decision (members of the group)", "Arbeitsgruppen",
      {oa::param("id", "path", "group id")},
      {{"type", "object"},
       {"required", {"title", "kind", "deadline"}},
       {"properties",
        {{"title", {{"type", "string"}}},
         {"details", {{"type", "string"}}},
         {"kind", {{"type", "string"}, {"enum", {"consent", "poll", "dot_vote", "score"}}}},
         {"options", {{"type", "array"}, {"items", {{"type", "string"}}}}},
         {"multiple", {{"type", "boolean"}}},
         {"points", {{"type", "integer"}}},
         {"deadline", {{"type", "string"}, {"format", "date-time"}}},
         {"draft_id",
          {{"type", {"integer", "null"}},
           {"description", "an open draft of the group the decision is about"}}},
         {"anonymous", {{"type", "boolean"}}}}}},
      "Decision");
  json decision_id = oa::param("id", "path", "decision id", "1");
  paths["/api/v1/decisions/{id}"]["get"] = {
      {"operationId", "getDecision"},
      {"summary", "One decision; its results when the reader may see them"},
      {"tags", {"Arbeitsgruppen"}},
      {"parameters", {decision_id}},
      {"responses", {{"200", oa::ok(oa::ref("Decision"))}, {"404", problem}}}};
  json ballot = {
      {"type", "object"},
      {"properties",
       {{"position", {{"type", "string"}, {"enum", {"agree", "abstain", "concern", "block"}}}},
        {"reason", {{"type", "string"}, {"description", "required for concern and block"}}},
        {"marks",
         {{"type", "object"},
          {"additionalProperties", {{"type", "integer"}}},
          {"description", "option id -> 1 (poll), points (dot vote) or 0–5 (score)"}}}}}};
  json state = {
      {"type", "object"},
      {"properties", {{"state", {{"type", "string"}, {"enum", {"created", "changed"}}}}}}};
  paths["/api/v1/decisions/{id}/vote"]["put"] = {
      {"operationId", "voteOnDecision"},
      {"summary", "Cast or change one's ballot until the deadline (members)"},
      {"tags", {"Arbeitsgruppen"}},
      {"security", oa::security()},
      {"parameters", {oa::param("id", "path", "decision id")}},
      {"requestBody",
       {{"required", true}, {"content", {{"application/json", {{"schema", ballot}}}}}}},
      {"responses",
       {{"201", oa::ok(state, "Ballot cast")},
        {"200", oa::ok(state, "Ballot changed")},
        {"400", problem},
        {"401", problem},
        {"403", problem},
        {"404", problem},
        {"409", problem},
        {"422", problem}}}};
  paths["/api/v1/decisions/{id}/outcome"]["post"] = {
      {"operationId", "recordDecisionOutcome"},
      {"summary",
       "The outcome statement and review date of a closed decision (author, moderators)"},
      {"tags", {"Arbeitsgruppen"}},
      {"security", oa::security()},
      {"parameters", {oa::param("id", "path", "decision id")}},
      {"requestBody",
       {{"required", true},
        {"content",
         {{"application/json",
           {{"schema",
             {{"type", "object"},
              {"required", {"outcome"}},
              {"properties",
               {{"outcome", {{"type", "string"}, {"description", "Markdown"}}},
                {"review_date", {{"type", "string"}, {"format", "date"}}}}}}}}}}}}},
      {"responses",
       {{"200", oa::ok(oa::ref("Decision"))},
        {"400", problem},
        {"401", problem},
        {"403", problem},
        {"404", problem},
        {"409", problem},
        {"422", problem}}}};
}

}  // namespace

std::unique_ptr<web::Module> make_decisions_module() { return std::make_unique<DecisionsModule>(); }

}  // namespace ah::modules
