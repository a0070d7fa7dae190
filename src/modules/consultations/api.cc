// The Konsultationen for programs: /api/v1/consultations… (JSON, described in the OpenAPI
// document) and the Atom feed of an organisation's open consultations.
//
// Reads follow access.h: an unreadable consultation is a 404 like a missing one. Writes
// speak for an organisation (a recipient whose staff the caller is, statement.draft /
// statement.release) or, where the consultation invites it, as a citizen. The checks the
// store does again (open round, not yet released, …) come back as 409 or 422 problems.
// Answers of the Abwägung are shown once the round's Abwägung is published, and to the
// author before that.
#include <algorithm>
#include <optional>
#include <string>

#include "base/time.h"
#include "export/atom.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/consultations/access.h"
#include "modules/consultations/routes.h"
#include "modules/consultations/store.h"
#include "modules/groups/access.h"
#include "modules/orgs/store.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/format.h"
#include "web/openapi.h"
#include "web/rich_text.h"

namespace ah::modules::consultations {

namespace {

using nlohmann::json;
using web::json_response;

constexpr int kPerPage = 20;
// A feed lists every open consultation of one organisation; more than this at once would
// be no feed a person reads.
constexpr int kFeedEntries = 100;
constexpr std::size_t kFeedSummary = 500;

std::string api_href(std::int64_t id) { return "/api/v1/consultations/" + std::to_string(id); }

std::string organisation_href(std::string_view key) {
  return "/organisationen/" + http::percent_encode(key);
}

// Where an organisation's open consultations are served as Atom.
std::string feed_href(std::string_view key) {
  return organisation_href(key) + "/konsultationen.atom";
}

json time_json(std::int64_t t) { return rfc3339_utc(t); }
json time_json(const std::optional<std::int64_t>& t) {
  return t ? json(rfc3339_utc(*t)) : json(nullptr);
}

// ---- problems ----------------------------------------------------------------------------

// A 4xx the API gives itself, with the person's message `key`.
http::Response problem(web::Services& s, const http::Request& r, int status, std::string_view key) {
  return web::error_response(s.view, r, status, s.view.catalog().text(r.lang, key));
}

// A store's refusal: invalid input in a well-formed request is a 422; the rest as in the
// pages (409 for what the state of the consultation does not allow).
http::Response store_refusal(web::Services& s, const http::Request& r, const Error& e) {
  const auto& c = s.view.catalog();
  if (e.code == ErrorCode::invalid_input)
    return web::error_response(s.view, r, 422,
                               c.has(r.lang, e.message) ? c.text(r.lang, e.message) : "");
  return groups::refusal(s, r, e);
}

Result<json> json_body(const http::Request& r) {
  auto body = json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return fail(ErrorCode::invalid_input, "consultations_api_error_json");
  return body;
}

// Whether each of `fields` is absent or a string.
bool text_fields(const json& body, std::initializer_list<const char*> fields) {
  return std::ranges::all_of(fields, [&](const char* f) {
    auto it = body.find(f);
    return it == body.end() || it->is_string();
  });
}

// ---- JSON of the store's records ---------------------------------------------------------

json author_json(const Consultation& c) {
  if (c.author_org_id)
    return {{"kind", "organisation"},
            {"id", *c.author_org_id},
            {"key", c.author_key},
            {"name", c.author_name}};
  return {{"kind", "group"},
          {"id", c.author_group_id.value_or(0)},
          {"key", nullptr},
          {"name", c.author_name}};
}

json consultation_json(const Consultation& c, std::int64_t now) {
  return {{"id", c.id},
          {"title", c.title},
          {"summary", c.summary},
          {"author", author_json(c)},
          {"openness", to_string(c.openness)},
          {"phase", to_string(c.phase(now))},
          {"current_round", c.current_round},
          {"deadline", time_json(c.deadline)},
          {"published_at", time_json(c.published_at)},
          {"created_at", time_json(c.created_at)},
          {"updated_at", time_json(c.updated_at)},
          {"url", consultation_href(c.id)},
          {"feed", c.author_org_id ? json(feed_href(c.author_key)) : json(nullptr)}};
}

json addressee_json(const web::Catalog& catalog, std::string_view lang, const AddresseeRule& rule) {
  json out = {{"kind", to_string(rule.kind)},
              {"name", rule.name},
              {"kreis_ags", nullptr},
              {"organisation_id", nullptr},
              {"group_id", nullptr}};
  switch (rule.kind) {
    case AddresseeKind::all_gemeinden:
      out["name"] = catalog.text(lang, "consultations_api_all_gemeinden");
      break;
    case AddresseeKind::kreis:
      out["kreis_ags"] = rule.kreis_ags;
      break;
    case AddresseeKind::organisation:
      out["organisation_id"] = rule.ref;
      break;
    case AddresseeKind::group:
      out["group_id"] = rule.ref;
      break;
  }
  return out;
}

json round_json(const Round& round, std::int64_t now, bool with_text) {
  json out = {{"number", round.number},
              {"note", round.note},
              {"phase", to_string(round.phase(now))},
              {"opened_at", time_json(round.opened_at)},
              {"deadline", time_json(round.deadline)},
              {"published_at", time_json(round.published_at)}};
  if (!with_text) return out;
  out["body"] = round.body;
  json sections = json::array();
  for (const auto& s : round.sections)
    sections.push_back({{"anchor", s.anchor},
                        {"kind", s.kind == SectionKind::heading ? "heading" : "block"},
                        {"level", s.level},
                        {"label", s.label},
                        {"text", s.text}});
  out["sections"] = std::move(sections);
  return out;
}

// `drafting` only for the author: until it is released, a Stellungnahme is its
// organisation's own business, and others see "none".
json recipient_json(const RecipientStatus& status, bool author) {
  std::string state = status.released_at            ? "released"
                      : (status.drafting && author) ? "drafting"
                                                    : "none";
  return {
      {"organisation", {{"id", status.org_id}, {"key", status.org_key}, {"name", status.org_name}}},
      {"comments", status.comments},
      {"state", state},
      {"released_at", time_json(status.released_at)}};
}

json answer_json(const web::Catalog& catalog, std::string_view lang,
                 const std::optional<Answer>& answer, bool shown) {
  if (!answer || !shown) return nullptr;
  return {{"verdict", to_string(answer->verdict)},
          {"reason", answer->reason},
          {"answered_by",
           web::author_name(
               catalog, lang,
               answer->answered_by.empty() ? std::nullopt : std::optional(answer->answered_by))},
          {"answered_at", time_json(answer->answered_at)}};
}

json comment_json(const web::Catalog& catalog, std::string_view lang, const Comment& k,
                  bool answers_shown) {
  return {
      {"id", k.id},
      {"round", k.round_number},
      {"anchor", k.anchor},
      {"section_label", k.section_label},
      {"author",
       web::author_name(catalog, lang, k.author_id ? std::optional(k.author_name) : std::nullopt)},
      {"by", k.org_id ? "organisation" : "citizen"},
      {"organisation", k.org_id ? json{{"id", *k.org_id}, {"name", k.org_name}} : json(nullptr)},
      {"passage", k.passage},
      {"amendment", k.amendment},
      {"body", k.body},
      {"supports", k.supports},
      {"supported_by_reader", k.supported_by_reader},
      {"final", k.final},
      {"created_at", time_json(k.created_at)},
      {"answer", answer_json(catalog, lang, k.answer, answers_shown)}};
}

json statement_json(const web::Catalog& catalog, std::string_view lang, const Statement& t,
                    bool answers_shown) {
  auto person = [&](const std::string& name) {
    return web::author_name(catalog, lang, name.empty() ? std::nullopt : std::optional(name));
  };
  return {{"id", t.id},
          {"round", t.round_number},
          {"organisation", {{"id", t.org_id}, {"key", t.org_key}, {"name", t.org_name}}},
          {"body", t.body},
          {"released", t.released},
          {"released_at", time_json(t.released_at)},
          {"released_by", t.released ? json(person(t.released_by)) : json(nullptr)},
          {"updated_at", time_json(t.updated_at)},
          {"answer", answer_json(catalog, lang, t.answer, answers_shown)}};
}

// ---- reading -----------------------------------------------------------------------------

// GET /api/v1/consultations?open=true&organisation=KEY&cursor=&limit=: newest first.
// Internal consultations only for staff of some organisation.
http::Response api_list(web::Services& s, http::Request& r) {
  auto query = http::parse_query(r.query);
  if (!query) return web::error_response(s.view, r, 400);
  int limit = web::page_limit(query->get("limit"), kPerPage);
  if (limit < 0) return problem(s, r, 400, "consultations_api_error_limit");
  ListFilter filter;
  auto open = query->get("open");
  if (open != "" && open != "true" && open != "false")
    return problem(s, r, 400, "consultations_api_error_open");
  filter.open_only = open == "true";
  if (query->has("organisation")) {
    auto org = orgs::OrgStore(s.db).find(query->get("organisation"));
    if (!org && org.error().code == ErrorCode::not_found)
      return problem(s, r, 400, "consultations_api_error_organisation");
    if (!org) return web::error_response(s.view, r, org.error());
    filter.involving = org->id;
  }
  auto roles = authz::Authorizer(s.db).roles(r.account_id, authz::Target::anywhere());
  if (!roles) return web::error_response(s.view, r, roles.error());
  filter.signed_in_staff = roles->staff;
  const auto now = accounts::unix_now();
  auto page = ConsultationStore(s.db).list(filter, now, query->get("cursor"), limit);
  if (!page && page.error().code == ErrorCode::invalid_input)
    return problem(s, r, 400, "consultations_api_error_cursor");
  if (!page) return web::error_response(s.view, r, page.error());
  json items = json::array();
  for (const auto& c : page->items) items.push_back(consultation_json(c, now));
  return json_response({{"items", items}, {"next_cursor", groups::cursor_json(page->next_cursor)}});
}

// GET /api/v1/consultations/{id}: with addressees, rounds and the recipients' board.
http::Response api_consultation(web::Services& s, http::Request& r) {
  const auto& catalog = s.view.catalog();
  auto found = readable_consultation(s, r);
  if (!found) return found.error();
  const Consultation& c = *found;
  ConsultationStore store(s.db);
  auto rounds = store.rounds(c.id);
  if (!rounds) return groups::refusal(s, r, rounds.error());
  auto board = store.board(c.id);
  if (!board) return groups::refusal(s, r, board.error());
  auto author = is_author(s, r, c);
  if (!author) return groups::refusal(s, r, author.error());
  const auto now = accounts::unix_now();
  json out = consultation_json(c, now);
  json addressees = json::array();
  for (const auto& rule : c.addressees) addressees.push_back(addressee_json(catalog, r.lang, rule));
  out["addressees"] = std::move(addressees);
  json round_list = json::array();
  for (const auto& round : *rounds) round_list.push_back(round_json(round, now, false));
  out["rounds"] = std::move(round_list);
  json recipients = json::array();
  for (const auto& status : *board) recipients.push_back(recipient_json(status, *author));
  out["recipients"] = std::move(recipients);
  const std::string self = api_href(c.id);
  out["links"] = {{"self", self},
                  {"page", consultation_href(c.id)},
                  {"current_round", self + "/rounds/" + std::to_string(c.current_round)},
                  {"comments", self + "/comments"},
                  {"statements", self + "/statements"}};
  return json_response(out);
}

// The round named by ?round= (none or empty: the current one) of a readable consultation,
// with its sections; or the answer (400 for a malformed number, 404 for no such round).
std::expected<Round, http::Response> round_asked(web::Services& s, const http::Request& r,
                                                 const Consultation& c,
                                                 const http::ParamList& query) {
  std::int64_t number = c.current_round;
  if (!query.get("round").empty()) {
    auto asked = web::parse_id(query.get("round"));
    if (!asked) return std::unexpected(problem(s, r, 400, "consultations_api_error_round"));
    number = *asked;
  }
  auto round = ConsultationStore(s.db).round(c.id, number);
  if (!round && round.error().code == ErrorCode::not_found)
    return std::unexpected(problem(s, r, 404, "consultations_api_error_no_round"));
  if (!round) return std::unexpected(groups::refusal(s, r, round.error()));
  return std::move(*round);
}

// GET /api/v1/consultations/{id}/rounds/{n}: the text and its sections.
http::Response api_round(web::Services& s, http::Request& r) {
  auto found = readable_consultation(s, r);
  if (!found) return found.error();
  auto number = web::parse_id(r.param("n"));
  if (!number) return problem(s, r, 404, "consultations_api_error_no_round");
  auto round = ConsultationStore(s.db).round(found->id, *number);
  if (!round && round.error().code == ErrorCode::not_found)
    return problem(s, r, 404, "consultations_api_error_no_round");
  if (!round) return groups::refusal(s, r, round.error());
  return json_response(round_json(*round, accounts::unix_now(), true));
}

// What a list of a round's points (comments, Stellungnahmen) is read from: the consultation,
// the round asked for (?round=, the current one when absent), the query, and whether the
// reader sees the answers — once the round's Abwägung is published, and the author always.
struct RoundRead {
  Consultation consultation;
  Round round;
  http::ParamList query;
  bool answers_shown = false;
};

std::expected<RoundRead, http::Response> round_read(web::Services& s, const http::Request& r) {
  auto found = readable_consultation(s, r);
  if (!found) return std::unexpected(found.error());
  auto query = http::parse_query(r.query);
  if (!query) return std::unexpected(web::error_response(s.view, r, 400));
  auto round = round_asked(s, r, *found, *query);
  if (!round) return std::unexpected(round.error());
  RoundRead read{std::move(*found), std::move(*round), std::move(*query), true};
  if (!read.round.published_at) {
    auto author = is_author(s, r, read.consultation, authz::Action::consultation_answer);
    if (!author) return std::unexpected(groups::refusal(s, r, author.error()));
    read.answers_shown = *author;
  }
  return read;
}

// GET /api/v1/consultations/{id}/comments?round=N&anchor=aK: in the order of the text,
// oldest first within a section.
http::Response api_comments(web::Services& s, http::Request& r) {
  auto read = round_read(s, r);
  if (!read) return read.error();
  std::string anchor(read->query.get("anchor"));
  if (!anchor.empty() && std::ranges::none_of(read->round.sections, [&](const Section& section) {
        return section.anchor == anchor;
      }))
    return problem(s, r, 404, "consultations_api_error_no_section");
  auto comments = ConsultationStore(s.db).comments(read->consultation.id, read->round.number,
                                                   anchor, r.account_id);
  if (!comments) return groups::refusal(s, r, comments.error());
  json items = json::array();
  for (const auto& k : *comments)
    items.push_back(comment_json(s.view.catalog(), r.lang, k, read->answers_shown));
  return json_response({{"items", items}});
}

// GET /api/v1/consultations/{id}/statements?round=N: the released Stellungnahmen.
http::Response api_statements(web::Services& s, http::Request& r) {
  auto read = round_read(s, r);
  if (!read) return read.error();
  auto statements =
      ConsultationStore(s.db).released_statements(read->consultation.id, read->round.number);
  if (!statements) return groups::refusal(s, r, statements.error());
  json items = json::array();
  for (const auto& t : *statements)
    items.push_back(statement_json(s.view.catalog(), r.lang, t, read->answers_shown));
  return json_response({{"items", items}});
}

// ---- speaking for an organisation --------------------------------------------------------

// The reader's voice for `org_id` in the consultation; else the 403 that says why: the
// organisation is not addressed, or the reader is not its staff.
std::expected<Voice, http::Response> voice_for(web::Services& s, const http::Request& r,
                                               const Consultation& c, std::int64_t org_id) {
  auto mine = voices(s, r, c);
  if (!mine) return std::unexpected(groups::refusal(s, r, mine.error()));
  for (const auto& v : *mine)
    if (v.org_id == org_id) return v;
  auto addressed = ConsultationStore(s.db).is_recipient(c.id, org_id);
  if (!addressed) return std::unexpected(groups::refusal(s, r, addressed.error()));
  return std::unexpected(problem(
      s, r, 403,
      *addressed ? "consultations_api_error_not_staff" : "consultations_api_error_not_addressed"));
}

// POST /api/v1/consultations/{id}/comments {"anchor", "organisation", "passage",
// "amendment", "body"}: a comment on a section of the current round, for an organisation
// (its id or key) or, without one, as a citizen. 201 with the comment.
http::Response api_comment(web::Services& s, http::Request& r) {
  if (r.account_id == 0) return web::error_response(s.view, r, 401);
  auto found = readable_consultation(s, r);
  if (!found) return found.error();
  const Consultation& c = *found;
  auto body = json_body(r);
  if (!body) return problem(s, r, 400, body.error().message);
  if (!text_fields(*body, {"anchor", "passage", "amendment", "body"}))
    return problem(s, r, 422, "consultations_api_error_text_fields");
  std::string anchor = web::string_field(*body, "anchor");
  if (anchor.empty()) return problem(s, r, 422, "consultations_api_error_anchor");
  NewComment comment{.org_id = std::nullopt,
                     .passage = web::string_field(*body, "passage"),
                     .amendment = web::string_field(*body, "amendment"),
                     .body = web::string_field(*body, "body")};
  auto org = body->find("organisation");
  if (org != body->end() && org->is_number_integer()) {
    comment.org_id = org->get<std::int64_t>();
  } else if (org != body->end() && org->is_string()) {
    auto named = orgs::OrgStore(s.db).find(org->get<std::string>());
    if (!named && named.error().code == ErrorCode::not_found)
      return problem(s, r, 422, "consultations_api_error_organisation");
    if (!named) return web::error_response(s.view, r, named.error());
    comment.org_id = named->id;
  } else if (org != body->end() && !org->is_null()) {
    return problem(s, r, 422, "consultations_api_error_organisation");
  }
  if (comment.org_id) {
    auto voice = voice_for(s, r, c, *comment.org_id);
    if (!voice) return voice.error();
  } else if (c.openness != Openness::public_comments) {
    return problem(s, r, 403, "consultations_api_error_citizens");
  }
  ConsultationStore store(s.db);
  auto created = store.comment(c.id, anchor, comment, r.account_id, accounts::unix_now());
  if (!created && created.error().code == ErrorCode::not_found)
    return problem(s, r, 422, "consultations_api_error_no_section");
  if (!created) return store_refusal(s, r, created.error());
  auto saved = store.find_comment(*created, r.account_id);
  if (!saved) return groups::refusal(s, r, saved.error());
  return json_response(comment_json(s.view.catalog(), r.lang, *saved, false), 201);
}

// PUT /api/v1/consultations/{id}/statements/{org} {"body"}: saves the organisation's draft
// Stellungnahme of the current round; POST …/{org}/release makes it final. 200 with it.
http::Response api_statement(web::Services& s, http::Request& r, bool release) {
  if (r.account_id == 0) return web::error_response(s.view, r, 401);
  auto found = readable_consultation(s, r);
  if (!found) return found.error();
  const Consultation& c = *found;
  auto org = orgs::OrgStore(s.db).find(r.param("org"));
  if (!org && org.error().code == ErrorCode::not_found)
    return problem(s, r, 404, "consultations_api_error_organisation");
  if (!org) return web::error_response(s.view, r, org.error());
  auto voice = voice_for(s, r, c, org->id);
  if (!voice) return voice.error();
  ConsultationStore store(s.db);
  const auto now = accounts::unix_now();
  if (release) {
    if (!voice->may_release) return problem(s, r, 403, "consultations_api_error_not_staff");
    if (auto done = store.release_statement(c.id, org->id, r.account_id, now); !done)
      return store_refusal(s, r, done.error());
  } else {
    auto body = json_body(r);
    if (!body) return problem(s, r, 400, body.error().message);
    auto text = body->find("body");
    if (text == body->end() || !text->is_string())
      return problem(s, r, 422, "consultations_api_error_statement_body");
    if (auto saved =
            store.save_statement(c.id, org->id, text->get<std::string>(), r.account_id, now);
        !saved)
      return store_refusal(s, r, saved.error());
  }
  auto statement = store.statement(c.id, org->id);
  if (!statement) return groups::refusal(s, r, statement.error());
  if (!*statement) return web::error_response(s.view, r, 500);
  return json_response(statement_json(s.view.catalog(), r.lang, **statement, false));
}

// ---- the feed ----------------------------------------------------------------------------

// GET /organisationen/{ags}/konsultationen.atom: the open consultations anyone may read that
// the organisation wrote or is addressed in, newest first. Internal ones never: a feed is
// read without signing in.
http::Response feed(web::Services& s, http::Request& r) {
  const auto& c = s.view.catalog();
  auto org = orgs::OrgStore(s.db).find(r.param("ags"));
  if (!org) return web::error_response(s.view, r, org.error());
  const auto now = accounts::unix_now();
  auto page = ConsultationStore(s.db).list(
      {.signed_in_staff = false, .involving = org->id, .open_only = true}, now, "", kFeedEntries);
  if (!page) return web::error_response(s.view, r, page.error());
  exports::Feed f;
  f.id = s.public_url + feed_href(org->key());
  f.self_link = f.id;
  f.link = s.public_url + organisation_href(org->key());
  f.title = c.text(r.lang, "consultations_api_feed_title") + ": " + org->name;
  f.author_name = org->name;
  f.lang = r.lang;
  for (const auto& item : page->items) {
    std::string url = s.public_url + consultation_href(item.id);
    std::string summary = c.text(r.lang, "consultations_api_feed_deadline") + " " +
                          web::format_date_time(item.deadline, r.lang);
    if (!item.summary.empty())
      summary = web::plain_text(item.summary, kFeedSummary) + " – " + summary;
    f.entries.push_back({.id = url,
                         .title = item.title,
                         .updated = item.updated_at,
                         .link = url,
                         .author_name = item.author_name,
                         .summary = std::move(summary)});
    f.updated = std::max(f.updated, item.updated_at);
  }
  // An empty feed changed when its last entry left it, which no table keeps: say "now"
  // rather than 1970.
  if (f.entries.empty()) f.updated = now;
  auto xml = exports::to_atom(f);
  if (!xml) return web::error_response(s.view, r, xml.error());
  http::Response response;
  response.body = std::move(*xml);
  response.headers.set("Content-Type", "application/atom+xml; charset=utf-8");
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

}  // namespace

void register_api(http::Router& router, web::Services& s) {
  router.add(http::Method::get, "/api/v1/consultations",
             [&s](http::Request& r) { return api_list(s, r); });
  router.add(http::Method::get, "/api/v1/consultations/{id}",
             [&s](http::Request& r) { return api_consultation(s, r); });
  router.add(http::Method::get, "/api/v1/consultations/{id}/rounds/{n}",
             [&s](http::Request& r) { return api_round(s, r); });
  router.add(http::Method::get, "/api/v1/consultations/{id}/comments",
             [&s](http::Request& r) { return api_comments(s, r); });
  router.add(http::Method::post, "/api/v1/consultations/{id}/comments",
             [&s](http::Request& r) { return api_comment(s, r); });
  router.add(http::Method::get, "/api/v1/consultations/{id}/statements",
             [&s](http::Request& r) { return api_statements(s, r); });
  router.add(http::Method::put, "/api/v1/consultations/{id}/statements/{org}",
             [&s](http::Request& r) { return api_statement(s, r, false); });
  router.add(http::Method::post, "/api/v1/consultations/{id}/statements/{org}/release",
             [&s](http::Request& r) { return api_statement(s, r, true); });
  router.add(http::Method::get, "/organisationen/{ags}/konsultationen.atom",
             [&s](http::Request& r) { return feed(s, r); });
}

void describe_api(json& doc) {
  namespace oa = web::openapi;
  const json problem = oa::problem();
  const json time = {{"type", "string"}, {"format", "date-time"}};
  const json time_or_null = {{"type", {"string", "null"}}, {"format", "date-time"}};
  const json integer = {{"type", "integer"}}, text = {{"type", "string"}};
  const json phase = {{"type", "string"},
                      {"enum", {"offen", "abwaegung", "abgeschlossen"}},
                      {"description",
                       "offen: before the deadline; abwaegung: after it, the author answers; "
                       "abgeschlossen: the Abwägung is published"}};
  const json organisation = {{"type", "object"},
                             {"required", {"id", "name"}},
                             {"properties", {{"id", integer}, {"key", text}, {"name", text}}}};
  auto& schemas = doc["components"]["schemas"];
  schemas["ConsultationAnswer"] = {
      {"type", "object"},
      {"description",
       "The author's answer in the Abwägung; null until the round's Abwägung is published "
       "(the author sees it before)"},
      {"required", {"verdict", "reason", "answered_by", "answered_at"}},
      {"properties",
       {{"verdict",
         {{"type", "string"},
          {"enum", {"uebernommen", "teilweise", "nicht_uebernommen", "kenntnis"}}}},
        {"reason", text},
        {"answered_by", text},
        {"answered_at", time}}}};
  json answer = {{"oneOf", {oa::ref("ConsultationAnswer"), {{"type", "null"}}}}};
  schemas["Consultation"] = {
      {"type", "object"},
      {"required",
       {"id", "title", "summary", "author", "openness", "phase", "current_round", "deadline", "url",
        "feed"}},
      {"properties",
       {{"id", integer},
        {"title", text},
        {"summary", text},
        {"author",
         {{"type", "object"},
          {"properties",
           {{"kind", {{"type", "string"}, {"enum", {"organisation", "group"}}}},
            {"id", integer},
            {"key", {{"type", {"string", "null"}}}},
            {"name", text}}}}},
        {"openness",
         {{"type", "string"},
          {"enum", {"intern", "lesbar", "oeffentlich"}},
          {"description",
           "intern: staff of any organisation read; lesbar: everyone reads; oeffentlich: "
           "signed-in citizens comment too. Only the addressed organisations file "
           "Stellungnahmen"}}},
        {"phase", phase},
        {"current_round", integer},
        {"deadline", time},
        {"published_at", time_or_null},
        {"created_at", time},
        {"updated_at", time},
        {"url", {{"type", "string"}, {"description", "the consultation's page"}}},
        {"feed",
         {{"type", {"string", "null"}},
          {"description",
           "Atom feed of the author organisation's open consultations; null when a working "
           "group is the author"}}},
        {"addressees",
         {{"type", "array"},
          {"description", "the rules as the author chose them (single consultation only)"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"kind",
               {{"type", "string"},
                {"enum", {"alle_gemeinden", "kreis", "organisation", "arbeitsgruppe"}}}},
              {"name", text},
              {"kreis_ags", {{"type", {"string", "null"}}}},
              {"organisation_id", {{"type", {"integer", "null"}}}},
              {"group_id", {{"type", {"integer", "null"}}}}}}}}}},
        {"rounds",
         {{"type", "array"},
          {"description", "oldest first, without texts (single consultation only)"},
          {"items", oa::ref("ConsultationRound")}}},
        {"recipients",
         {{"type", "array"},
          {"description",
           "the addressed organisations and what they did in the current round (single "
           "consultation only); 'drafting' is shown to the author only"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"organisation", organisation},
              {"comments", integer},
              {"state", {{"type", "string"}, {"enum", {"none", "drafting", "released"}}}},
              {"released_at", time_or_null}}}}}}},
        {"links", {{"type", "object"}, {"additionalProperties", text}}}}}};
  schemas["ConsultationRound"] = {
      {"type", "object"},
      {"required", {"number", "note", "phase", "opened_at", "deadline", "published_at"}},
      {"properties",
       {{"number", integer},
        {"note", {{"type", "string"}, {"description", "what changed in this round"}}},
        {"phase", phase},
        {"opened_at", time},
        {"deadline", time},
        {"published_at", time_or_null},
        {"body", {{"type", "string"}, {"description", "Markdown (single round only)"}}},
        {"sections",
         {{"type", "array"},
          {"description", "the text cut into commentable pieces (single round only)"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"anchor",
               {{"type", "string"},
                {"description", "stable across rounds while the piece is there, e.g. a3"}}},
              {"kind", {{"type", "string"}, {"enum", {"heading", "block"}}}},
              {"level", integer},
              {"label", {{"type", "string"}, {"description", "e.g. § 3 Abs. 2"}}},
              {"text", text}}}}}}}}}};
  schemas["ConsultationComment"] = {
      {"type", "object"},
      {"required", {"id", "round", "anchor", "author", "by", "organisation", "body", "answer"}},
      {"properties",
       {{"id", integer},
        {"round", integer},
        {"anchor", text},
        {"section_label", text},
        {"author", {{"type", "string"}, {"description", "display name, or 'gelöschtes Konto'"}}},
        {"by", {{"type", "string"}, {"enum", {"organisation", "citizen"}}}},
        {"organisation", {{"oneOf", {organisation, {{"type", "null"}}}}}},
        {"passage",
         {{"type", "string"}, {"description", "the part of the section meant; '' for all"}}},
        {"amendment", {{"type", "string"}, {"description", "a proposed wording; '' for none"}}},
        {"body", {{"type", "string"}, {"description", "Markdown"}}},
        {"supports", integer},
        {"supported_by_reader", {{"type", "boolean"}}},
        {"final", {{"type", "boolean"}, {"description", "its organisation has released"}}},
        {"created_at", time},
        {"answer", answer}}}};
  schemas["ConsultationStatement"] = {
      {"type", "object"},
      {"required", {"id", "round", "organisation", "body", "released", "answer"}},
      {"properties",
       {{"id", integer},
        {"round", integer},
        {"organisation", organisation},
        {"body", {{"type", "string"}, {"description", "Markdown"}}},
        {"released", {{"type", "boolean"}, {"description", "final for the round"}}},
        {"released_at", time_or_null},
        {"released_by", {{"type", {"string", "null"}}}},
        {"updated_at", time},
        {"answer", answer}}}};

  const char* tag = "Konsultationen";
  auto& paths = doc["paths"];
  // Demo examples (seed_demo): consultation 1 is open and readable by anyone, with round 1
  // and section a1.
  json id = oa::param("id", "path", "consultation id", "1");
  json list_params = oa::paging();
  list_params.insert(list_params.begin(),
                     oa::param("organisation", "query",
                               "an organisation's key (AGS or o<id>): the consultations it wrote "
                               "or is addressed in"));
  list_params.insert(list_params.begin(),
                     oa::param("open", "query", "true: only those open for comments"));
  paths["/api/v1/consultations"]["get"] = {
      {"operationId", "listConsultations"},
      {"summary", "Consultations, newest first; internal ones only for staff of an organisation"},
      {"tags", {tag}},
      {"parameters", list_params},
      {"responses", {{"200", oa::ok(oa::list_of("Consultation"))}, {"400", problem}}}};
  paths["/api/v1/consultations/{id}"]["get"] = {
      {"operationId", "getConsultation"},
      {"summary", "A consultation with its addressees, rounds and recipients"},
      {"tags", {tag}},
      {"parameters", {id}},
      {"responses", {{"200", oa::ok(oa::ref("Consultation"))}, {"404", problem}}}};
  paths["/api/v1/consultations/{id}/rounds/{n}"]["get"] = {
      {"operationId", "getConsultationRound"},
      {"summary", "One round's text with its sections"},
      {"tags", {tag}},
      {"parameters", {id, oa::param("n", "path", "round number", "1")}},
      {"responses", {{"200", oa::ok(oa::ref("ConsultationRound"))}, {"404", problem}}}};
  json round = oa::param("round", "query", "round number; the current round when absent", "1");
  paths["/api/v1/consultations/{id}/comments"]["get"] = {
      {"operationId", "listConsultationComments"},
      {"summary", "A round's comments in the order of the text, oldest first per section"},
      {"tags", {tag}},
      {"parameters",
       {id, round, oa::param("anchor", "query", "only the comments on this section", "a1")}},
      {"responses",
       {{"200", oa::ok(oa::list_of("ConsultationComment", false))},
        {"400", problem},
        {"404", problem}}}};
  paths["/api/v1/consultations/{id}/comments"]["post"] = oa::create_op(
      "createConsultationComment",
      "Comment on a section of the current round, for an addressed organisation whose staff "
      "you are, or without organisation as a citizen where the consultation is 'oeffentlich'",
      tag, {oa::param("id", "path", "consultation id")},
      {{"type", "object"},
       {"required", {"anchor", "body"}},
       {"properties",
        {{"anchor", text},
         {"organisation",
          {{"type", {"integer", "string", "null"}},
           {"description", "id or key (AGS or o<id>); absent: as a citizen"}}},
         {"passage", {{"type", "string"}, {"description", "a part of the section's text"}}},
         {"amendment", {{"type", "string"}, {"description", "the wording you propose"}}},
         {"body", {{"type", "string"}, {"description", "Markdown"}}}}}},
      "ConsultationComment");
  paths["/api/v1/consultations/{id}/statements"]["get"] = {
      {"operationId", "listConsultationStatements"},
      {"summary", "A round's released Stellungnahmen, by organisation"},
      {"tags", {tag}},
      {"parameters", {id, round}},
      {"responses",
       {{"200", oa::ok(oa::list_of("ConsultationStatement", false))},
        {"400", problem},
        {"404", problem}}}};
  json org = oa::param("org", "path", "the organisation's key (AGS or o<id>)");
  json write_responses = {{"200", oa::ok(oa::ref("ConsultationStatement"))},
                          {"400", problem},
                          {"401", problem},
                          {"403", problem},
                          {"404", problem},
                          {"409", problem},
                          {"422", problem}};
  paths["/api/v1/consultations/{id}/statements/{org}"]["put"] = {
      {"operationId", "saveConsultationStatement"},
      {"summary",
       "Save the organisation's draft Stellungnahme of the current round (its staff); 409 "
       "once released or after the deadline"},
      {"tags", {tag}},
      {"security", oa::security()},
      {"parameters", {oa::param("id", "path", "consultation id"), org}},
      {"requestBody",
       {{"required", true},
        {"content",
         {{"application/json",
           {{"schema",
             {{"type", "object"},
              {"required", {"body"}},
              {"properties", {{"body", {{"type", "string"}, {"description", "Markdown"}}}}}}}}}}}}},
      {"responses", write_responses}};
  paths["/api/v1/consultations/{id}/statements/{org}/release"]["post"] = {
      {"operationId", "releaseConsultationStatement"},
      {"summary",
       "Release the organisation's Stellungnahme: final for the round, with its comments"},
      {"tags", {tag}},
      {"security", oa::security()},
      {"parameters", {oa::param("id", "path", "consultation id"), org}},
      {"responses", write_responses}};
}

}  // namespace ah::modules::consultations
