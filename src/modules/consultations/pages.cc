// The reading and feedback pages of the Konsultationen: the list with what is open for the
// reader's organisations, a new consultation, the text cut into sections, a section with its
// comments and the comment form, the Stellungnahme, the live board of who has answered,
// reminders, the settings, rounds and the synopsis between two rounds.
#include <algorithm>
#include <set>

#include "base/time.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/submissions.h"
#include "modules/consultations/access.h"
#include "modules/consultations/routes.h"
#include "modules/consultations/store.h"
#include "modules/consultations/views.h"
#include "modules/files/module.h"
#include "modules/files/upload.h"
#include "modules/groups/access.h"
#include "modules/groups/drafts/diff.h"
#include "modules/groups/store.h"
#include "modules/notifications/notify.h"
#include "modules/orgs/store.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/format.h"
#include "web/rich_text.h"

namespace ah::modules::consultations {

namespace {

using groups::refusal;
using web::parse_id;

constexpr int kPerPage = 20;
// Up to three files (PDFs, images) with a new consultation: the decree's annexes.
constexpr int kAttachments = 3;
constexpr std::size_t kNewFormLimit = kAttachments * files::kMaxPdfBytes + 1024 * 1024;

std::string href(const Consultation& c, std::string_view tail = {}) {
  return consultation_href(c.id) + std::string(tail);
}

std::string section_href(const Consultation& c, std::string_view anchor, std::int64_t round) {
  std::string out = href(c, "/abschnitte/" + std::string(anchor));
  if (round != c.current_round) out += "?" + http::build_query({{"runde", std::to_string(round)}});
  return out;
}

// The round asked for by ?runde= (the current one when absent). nullopt: not a round number.
std::optional<std::int64_t> round_asked(const http::ParamList& query, const Consultation& c) {
  auto asked = query.get("runde");
  if (asked.empty()) return c.current_round;
  auto n = parse_id(asked);
  if (!n || *n > c.current_round) return std::nullopt;
  return *n;
}

// ---- the list ---------------------------------------------------------------------------

// GET /konsultationen (?offen=1, ?cursor=)
http::Response list_page(web::Services& s, http::Request& r) {
  const auto& cat = s.view.catalog();
  auto query = http::parse_query(r.query);
  if (!query) return web::error_response(s.view, r, 400);
  const auto now = accounts::unix_now();
  auto roles = authz::Authorizer(s.db).roles(r.account_id, authz::Target::anywhere());
  if (!roles) return refusal(s, r, roles.error());
  ListFilter filter{.signed_in_staff = roles->staff, .open_only = query->get("offen") == "1"};
  ConsultationStore store(s.db);
  auto list = store.list(filter, now, query->get("cursor"), kPerPage);
  if (!list) return refusal(s, r, list.error());
  web::Data data{web::Data::type::object};
  web::Data items{web::Data::type::list};
  for (const auto& c : list->items) items.push_back(summary_data(cat, r.lang, c, now));
  data.set("consultations", items);
  data.set("open_only", filter.open_only);
  if (!list->next_cursor.empty()) {
    std::vector<std::pair<std::string, std::string>> next;
    if (filter.open_only) next.emplace_back("offen", "1");
    next.emplace_back("cursor", list->next_cursor);
    data.set("next_href", "/konsultationen?" + http::build_query(next));
  }
  if (r.account_id != 0) {
    // What is open for the reader's organisations: their dashboard of the Konsultationen.
    auto open = store.open_for(r.account_id, now);
    if (!open) return refusal(s, r, open.error());
    web::Data mine{web::Data::type::list};
    for (const auto& [c, orgs] : *open) {
      auto item = summary_data(cat, r.lang, c, now);
      item.set("for_orgs", groups::joined(orgs));
      mine.push_back(item);
    }
    data.set("open_for_me", mine);
    data.set("has_open_for_me", !open->empty());
    data.set("signed_in", true);
    auto authors = author_choices(s, r);
    if (!authors) return refusal(s, r, authors.error());
    data.set("can_create", !authors->empty());
  }
  return page(s, r, "consultations_list", std::move(data), cat.text(r.lang, "consultations_heading"));
}

// ---- a new consultation and its settings ----------------------------------------------

// The addressee rules a form sends: alle_gemeinden=1, kreis=AGS…, organisation=ID…,
// arbeitsgruppe=ID….
std::vector<AddresseeRule> rules_of(const http::ParamList& form) {
  std::vector<AddresseeRule> rules;
  if (form.get("alle_gemeinden") == "1") rules.push_back({AddresseeKind::all_gemeinden, {}, 0, {}});
  for (auto ags : form.all("kreis"))
    if (!ags.empty()) rules.push_back({AddresseeKind::kreis, std::string(ags), 0, {}});
  for (auto id : form.all("organisation"))
    if (auto n = parse_id(id)) rules.push_back({AddresseeKind::organisation, {}, *n, {}});
  for (auto id : form.all("arbeitsgruppe"))
    if (auto n = parse_id(id)) rules.push_back({AddresseeKind::group, {}, *n, {}});
  return rules;
}

// The choices of the settings form: Kreise, organisations and the reader's groups, each
// marked when a rule names it.
Status set_addressee_choices(web::Services& s, const http::Request& r, web::Data& data,
                             const std::vector<AddresseeRule>& rules) {
  auto chosen = [&](AddresseeKind kind, std::string_view ags, std::int64_t ref) {
    return std::any_of(rules.begin(), rules.end(), [&](const AddresseeRule& rule) {
      return rule.kind == kind && rule.kreis_ags == ags && rule.ref == ref;
    });
  };
  data.set("all_gemeinden", chosen(AddresseeKind::all_gemeinden, "", 0));
  orgs::OrgStore orgs(s.db);
  AH_TRY(kreise, orgs.list({.type = "kreis"}, "", 100));
  web::Data kreis_list{web::Data::type::list};
  for (const auto& k : kreise.items) {
    if (k.ags.size() < 5) continue;
    const std::string ags = k.ags.substr(0, 5);
    web::Data item{web::Data::type::object};
    item.set("value", ags);
    item.set("name", k.name);
    item.set("checked", chosen(AddresseeKind::kreis, ags, 0));
    kreis_list.push_back(item);
  }
  data.set("kreise", kreis_list);
  AH_TRY(all, orgs.list({}, "", 1000));
  web::Data org_list{web::Data::type::list};
  for (const auto& o : all.items) {
    web::Data item{web::Data::type::object};
    item.set("value", std::to_string(o.id));
    item.set("name", o.name);
    item.set("selected", chosen(AddresseeKind::organisation, "", o.id));
    org_list.push_back(item);
  }
  data.set("organisations", org_list);
  AH_TRY(groups, groups::GroupStore(s.db).of_member(r.account_id));
  web::Data group_list{web::Data::type::list};
  for (const auto& g : groups) {
    web::Data item{web::Data::type::object};
    item.set("value", std::to_string(g.id));
    item.set("name", g.name);
    item.set("checked", chosen(AddresseeKind::group, "", g.id));
    group_list.push_back(item);
  }
  data.set("groups", group_list);
  data.set("has_groups", !groups.empty());
  return {};
}

void set_openness(web::Data& data, const web::Catalog& cat, std::string_view lang,
                  Openness chosen) {
  web::Data list{web::Data::type::list};
  for (auto o : {Openness::internal, Openness::public_read, Openness::public_comments}) {
    web::Data item{web::Data::type::object};
    const std::string value(to_string(o));
    item.set("value", value);
    item.set("label", cat.text(lang, "consultations_openness_" + value));
    item.set("hint", cat.text(lang, "consultations_openness_" + value + "_hint"));
    item.set("checked", o == chosen);
    list.push_back(item);
  }
  data.set("openness_choices", list);
}

// Deadline fields (date and time in Berlin) → unix seconds; nullopt for a bad date or time.
std::optional<std::int64_t> deadline_of(const web::FormState& form) {
  auto date = form.values.at("deadline_date");
  auto time = form.values.at("deadline_time");
  return web::berlin_local_time(date, time.empty() ? "23:59" : time);
}

// GET/POST /konsultationen/neu
http::Response new_page(web::Services& s, http::Request& r, bool submitted) {
  const auto& cat = s.view.catalog();
  if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
  auto authors = author_choices(s, r);
  if (!authors) return refusal(s, r, authors.error());
  if (authors->empty())
    return web::error_response(s.view, r, 403, cat.text(r.lang, "consultations_error_may_not_create"));
  web::FormState form;
  std::vector<AddresseeRule> rules;
  std::vector<files::Attachment> attachments;
  Openness openness = Openness::internal;
  const auto now = accounts::unix_now();
  if (!submitted) {
    form.values = {{"once", accounts::Submissions::new_key()},
                   {"deadline_date", web::berlin_date_value(now + 28 * 86400)},
                   {"deadline_time", "23:59"}};
  } else {
    auto sent = http::parse_any_form(r.headers.get("Content-Type"), r.body,
                                     {.max_file_size = kNewFormLimit});
    if (!sent) return refusal(s, r, sent.error());
    const http::ParamList* parsed = &sent->fields;
    for (const char* field : {"author", "title", "summary", "body", "openness", "deadline_date",
                              "deadline_time", "once"})
      form.values[field] = std::string(parsed->get(field));
    rules = rules_of(*parsed);
    attachments = files::checked_attachments(*sent, kAttachments, cat, r.lang, form);
    openness = openness_from_string(form.values["openness"]).value_or(Openness::internal);
    NewConsultation c{.title = form.values["title"], .summary = form.values["summary"],
                      .body = form.values["body"], .openness = openness, .addressees = rules,
                      .created_by = r.account_id};
    auto author = std::find_if(authors->begin(), authors->end(),
                               [&](const AuthorChoice& a) { return a.value == form.values["author"]; });
    if (author == authors->end()) {
      form.errors.emplace("author", "consultations_error_author");
    } else {
      c.author_org = author->org;
      c.author_group = author->group;
    }
    auto deadline = deadline_of(form);
    if (!deadline)
      form.errors.emplace("deadline", "consultations_error_deadline_format");
    else
      c.deadline = *deadline;
    for (const auto& [field, key] : validate(c, now))
      if (!(field == "author" && author == authors->end()) &&
          !(field == "deadline" && !deadline))
        form.errors.emplace(field, key);
    if (form.ok()) {
      auto location = accounts::Submissions(s.db).once(
          r.account_id, form.values["once"], now, [&]() -> Result<std::string> {
            // The bytes first (content-addressed, harmless if unused), the rows with the
            // consultation in its transaction.
            files::FileStore store(s.db, s.data_dir);
            std::vector<std::string> hashes;
            for (const auto& a : attachments) {
              AH_TRY(hash, store.put_bytes(a.file));
              hashes.push_back(std::move(hash));
            }
            AH_TRY(id, ConsultationStore(s.db).create(
                           c, now, [&](db::Connection& tx, std::int64_t id) -> Status {
                             for (std::size_t i = 0; i < attachments.size(); ++i)
                               AH_TRY_STATUS(files::FileStore::add_row(
                                   tx,
                                   {.owner = {std::string(kSpaceKind), id},
                                    .purpose = "attachment",
                                    .title = attachments[i].title,
                                    .uploaded_by = r.account_id},
                                   attachments[i].file, hashes[i], now));
                             return {};
                           }));
            tell_recipients(s, id, "consultations_notice_opened", c.title);
            return consultation_href(id);
          });
      if (location) return http::Response::redirect(*location);
      if (location.error().code != ErrorCode::invalid_input) return refusal(s, r, location.error());
      form.errors.emplace("body", location.error().message);
    }
  }
  web::Data data = web::form_data(cat, r.lang, form);
  web::Data author_list{web::Data::type::list};
  for (const auto& a : *authors) {
    web::Data item{web::Data::type::object};
    item.set("value", a.value);
    item.set("name", a.name);
    item.set("selected", a.value == form.values["author"]);
    author_list.push_back(item);
  }
  data.set("authors", author_list);
  if (auto st = set_addressee_choices(s, r, data, rules); !st) return refusal(s, r, st.error());
  set_openness(data, cat, r.lang, openness);
  data.set("action", "/konsultationen/neu");
  data.set("is_new", true);
  files::set_attachment_fields(data, kAttachments, &form);
  data.set("attachments_hint", cat.text(r.lang, "consultations_attachments_hint"));
  return page(s, r, "consultations_form", std::move(data), cat.text(r.lang, "consultations_new_heading"),
              form.ok() ? 200 : 422);
}

// GET/POST /konsultationen/{id}/bearbeiten: title, summary, openness, addressees, deadline.
http::Response settings_page(web::Services& s, http::Request& r, bool submitted) {
  const auto& cat = s.view.catalog();
  auto c = acting_as_author(s, r);
  if (!c) return c.error();
  const auto now = accounts::unix_now();
  if (c->phase(now) != Phase::open)
    return web::error_response(s.view, r, 409, cat.text(r.lang, "consultations_error_closed"));
  web::FormState form;
  std::vector<AddresseeRule> rules = c->addressees;
  Openness openness = c->openness;
  if (!submitted) {
    form.values = {{"title", c->title},
                   {"summary", c->summary},
                   {"deadline_date", web::berlin_date_value(c->deadline)},
                   {"deadline_time", web::berlin_time_value(c->deadline)}};
  } else {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    for (const char* field : {"title", "summary", "openness", "deadline_date", "deadline_time"})
      form.values[field] = std::string(parsed->get(field));
    rules = rules_of(*parsed);
    openness = openness_from_string(form.values["openness"]).value_or(Openness::internal);
    Settings settings{form.values["title"], form.values["summary"], openness, rules, 0};
    auto deadline = deadline_of(form);
    if (!deadline)
      form.errors.emplace("deadline", "consultations_error_deadline_format");
    else
      settings.deadline = *deadline;
    for (const auto& [field, key] : validate(settings, now))
      if (!(field == "deadline" && !deadline)) form.errors.emplace(field, key);
    if (form.ok()) {
      auto saved = ConsultationStore(s.db).update(c->id, settings, now);
      if (!saved) return refusal(s, r, saved.error());
      return http::Response::redirect(href(*c));
    }
  }
  web::Data data = web::form_data(cat, r.lang, form);
  if (auto st = set_addressee_choices(s, r, data, rules); !st) return refusal(s, r, st.error());
  set_openness(data, cat, r.lang, openness);
  data.set("action", href(*c, "/bearbeiten"));
  data.set("back_href", href(*c));
  return page(s, r, "consultations_form", std::move(data),
              cat.text(r.lang, "consultations_settings_heading") + ": " + c->title,
              form.ok() ? 200 : 422);
}

// ---- the text ---------------------------------------------------------------------------

// GET /konsultationen/{id} (?runde=N)
http::Response consultation_page(web::Services& s, http::Request& r) {
  const auto& cat = s.view.catalog();
  auto c = readable_consultation(s, r);
  if (!c) return c.error();
  auto query = http::parse_query(r.query);
  if (!query) return web::error_response(s.view, r, 400);
  auto number = round_asked(*query, *c);
  if (!number) return web::error_response(s.view, r, 404);
  ConsultationStore store(s.db);
  auto round = store.round(c->id, *number);
  if (!round) return refusal(s, r, round.error());
  auto counts = store.comment_counts(c->id, *number);
  if (!counts) return refusal(s, r, counts.error());
  const auto now = accounts::unix_now();
  web::Data data{web::Data::type::object};
  auto head = head_data(s, r, *c, now);
  if (!head) return head.error();
  data = std::move(*head);
  data.set("round_number", std::to_string(round->number));
  data.set("earlier_round", round->number != c->current_round);
  data.set("current_href", href(*c));
  if (!round->note.empty()) data.set("round_note", round->note);
  web::Data sections{web::Data::type::list};
  for (const auto& section : round->sections) {
    auto counted = counts->find(section.anchor);
    const std::int64_t n = counted == counts->end() ? 0 : counted->second;
    web::Data item{web::Data::type::object};
    item.set("anchor", section.anchor);
    item.set("label", section.label);
    item.set("heading", section.kind == SectionKind::heading);
    item.set("text_html", web::rich_text(section.text, s));
    item.set("href", section_href(*c, section.anchor, round->number));
    item.set("comments", std::to_string(n));
    item.set("has_comments", n > 0);
    // Headings are sections too, but are rarely commented on: their link shows once they are.
    item.set("show_link", n > 0 || section.kind != SectionKind::heading);
    item.set("comments_label", cat.text(r.lang, n == 1 ? "consultations_one_comment"
                                                       : "consultations_n_comments"));
    sections.push_back(item);
  }
  data.set("sections", sections);
  auto attached = files::FileStore(s.db, s.data_dir).list({std::string(kSpaceKind), c->id});
  if (!attached) return refusal(s, r, attached.error());
  web::Data files_list{web::Data::type::list};
  for (const auto& f : *attached) {
    web::Data item{web::Data::type::object};
    item.set("href", f.url());
    item.set("title", f.title);
    item.set("about", files::describe_file(f, cat, r.lang));
    files_list.push_back(item);
  }
  data.set("attachments", files_list);
  data.set("has_attachments", !attached->empty());
  return page(s, r, "consultations_consultation", std::move(data), c->title);
}

// GET /konsultationen/{id}/abschnitte/{anchor} (?runde=N): the section, its comments, the form.
// POST: a comment on it (current round only).
http::Response section_page(web::Services& s, http::Request& r, bool submitted) {
  const auto& cat = s.view.catalog();
  auto c = readable_consultation(s, r);
  if (!c) return c.error();
  auto query = http::parse_query(r.query);
  if (!query) return web::error_response(s.view, r, 400);
  auto number = round_asked(*query, *c);
  if (!number) return web::error_response(s.view, r, 404);
  ConsultationStore store(s.db);
  auto round = store.round(c->id, *number);
  if (!round) return refusal(s, r, round.error());
  const std::string anchor(r.param("anchor"));
  auto section = std::find_if(round->sections.begin(), round->sections.end(),
                              [&](const Section& x) { return x.anchor == anchor; });
  if (section == round->sections.end()) return web::error_response(s.view, r, 404);
  const auto now = accounts::unix_now();
  auto speakers = voices(s, r, *c);
  if (!speakers) return refusal(s, r, speakers.error());
  const bool open = round->number == c->current_round && round->phase(now) == Phase::open;
  const bool citizens = c->openness == Openness::public_comments;
  web::FormState form;
  if (submitted) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    for (const char* field : {"voice", "passage", "amendment", "body", "once"})
      form.values[field] = std::string(parsed->get(field));
    NewComment comment{.passage = form.values["passage"], .amendment = form.values["amendment"],
                       .body = form.values["body"]};
    const auto& voice = form.values["voice"];
    if (voice != "citizen") {
      auto org = parse_id(voice);
      auto mine = std::find_if(speakers->begin(), speakers->end(),
                               [&](const Voice& v) { return org && v.org_id == *org; });
      if (mine == speakers->end())
        return web::error_response(s.view, r, 403, cat.text(r.lang, "consultations_error_not_addressed"));
      comment.org_id = mine->org_id;
    } else if (!citizens) {
      return web::error_response(s.view, r, 403, cat.text(r.lang, "consultations_error_not_addressed"));
    }
    auto made = accounts::Submissions(s.db).once(
        r.account_id, form.values["once"], now, [&]() -> Result<std::string> {
          AH_TRY(id, store.comment(c->id, anchor, comment, r.account_id, now));
          return section_href(*c, anchor, c->current_round) + "#kommentar-" + std::to_string(id);
        });
    if (made) return http::Response::redirect(*made);
    if (made.error().code != ErrorCode::invalid_input) return refusal(s, r, made.error());
    const auto& key = made.error().message;
    form.errors.emplace(key.find("passage") != std::string::npos     ? "passage"
                        : key.find("amendment") != std::string::npos ? "amendment"
                                                                     : "body",
                        key);
  } else {
    form.values["once"] = accounts::Submissions::new_key();
    form.values["amendment"] = section->text;
  }
  auto comments = store.comments(c->id, *number, anchor, r.account_id);
  if (!comments) return refusal(s, r, comments.error());
  auto head = head_data(s, r, *c, now);
  if (!head) return head.error();
  web::Data data = std::move(*head);
  auto fields = web::form_data(cat, r.lang, form);
  for (const char* key : {"has_errors", "errors", "value_voice", "value_passage", "value_amendment",
                          "value_body", "value_once", "error_passage", "error_amendment",
                          "error_body"})
    if (auto* v = fields.get(key)) data.set(key, *v);
  data.set("anchor", anchor);
  data.set("label", section->label);
  data.set("text_html", web::rich_text(section->text, s));
  data.set("round_number", std::to_string(round->number));
  data.set("earlier_round", round->number != c->current_round);
  data.set("text_href", href(*c) + (round->number != c->current_round
                                        ? "?" + http::build_query({{"runde", std::to_string(round->number)}})
                                        : std::string()) + "#" + anchor);
  const bool show_answers = round->published_at.has_value();
  web::Data org_comments{web::Data::type::list}, citizen_comments{web::Data::type::list};
  for (const auto& k : *comments) {
    auto item = comment_data(s, r, *c, k, section->text, open, show_answers);
    (k.org_id ? org_comments : citizen_comments).push_back(item);
  }
  data.set("org_comments", org_comments);
  data.set("citizen_comments", citizen_comments);
  data.set("has_org_comments", std::any_of(comments->begin(), comments->end(),
                                           [](const Comment& k) { return k.org_id.has_value(); }));
  data.set("has_citizen_comments",
           std::any_of(comments->begin(), comments->end(),
                       [](const Comment& k) { return !k.org_id.has_value(); }));
  data.set("citizens", citizens);
  if (open) {
    web::Data voice_list{web::Data::type::list};
    for (const auto& v : *speakers) {
      web::Data item{web::Data::type::object};
      item.set("value", std::to_string(v.org_id));
      item.set("name", v.name);
      item.set("selected", form.values["voice"] == std::to_string(v.org_id));
      voice_list.push_back(item);
    }
    data.set("voices", voice_list);
    const bool can_comment = !speakers->empty() || (citizens && r.account_id != 0);
    data.set("can_comment", can_comment);
    data.set("citizen_voice", citizens && r.account_id != 0);
    data.set("citizen_selected", form.values["voice"] == "citizen" || speakers->empty());
    data.set("sign_in_to_comment", r.account_id == 0 && citizens);
    data.set("action", section_href(*c, anchor, c->current_round));
    data.set("passage_assets", can_comment);
    data.set("who_may_comment", !can_comment && !(r.account_id == 0 && citizens));
  }
  data.set("open", open);
  return page(s, r, "consultations_section", std::move(data), section->label + " – " + c->title,
              form.ok() ? 200 : 422);
}

// POST /konsultationen/kommentare/{cid}/unterstuetzen (an=1|0) and …/zurueckziehen
http::Response comment_action(web::Services& s, http::Request& r, bool withdraw) {
  const auto& cat = s.view.catalog();
  if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
  auto id = parse_id(r.param("cid"));
  if (!id) return web::error_response(s.view, r, 404);
  ConsultationStore store(s.db);
  auto comment = store.find_comment(*id, r.account_id);
  if (!comment) return refusal(s, r, comment.error());
  auto c = store.find(comment->consultation_id);
  if (!c) return refusal(s, r, c.error());
  auto readable = may_read(s, r, *c);
  if (!readable) return refusal(s, r, readable.error());
  if (!*readable) return web::error_response(s.view, r, 404);
  auto parsed = http::parse_form(r.body);
  if (!parsed) return web::error_response(s.view, r, 400);
  const auto now = accounts::unix_now();
  auto done = withdraw ? store.withdraw_comment(*id, r.account_id, now)
                       : store.support(*id, r.account_id, parsed->get("an") != "0", now);
  if (!done) return refusal(s, r, done.error());
  (void)cat;
  return http::Response::redirect(section_href(*c, comment->anchor, c->current_round) +
                                  (withdraw ? std::string() : "#kommentar-" + std::to_string(*id)));
}

// ---- the Stellungnahme ------------------------------------------------------------------

// The organisation (?org= or the form's org) the reader speaks for; the only one when there
// is one. nullopt when the reader may not speak for it.
std::optional<Voice> voice_of(const std::vector<Voice>& speakers, std::string_view asked) {
  if (asked.empty() && speakers.size() == 1) return speakers.front();
  auto org = parse_id(asked);
  for (const auto& v : speakers)
    if (org && v.org_id == *org) return v;
  return std::nullopt;
}

// GET/POST /konsultationen/{id}/stellungnahme (?org=ID): the organisation's Stellungnahme of
// the current round — its text and its comments; saving the draft; releasing it.
http::Response statement_page(web::Services& s, http::Request& r, bool submitted, bool release) {
  const auto& cat = s.view.catalog();
  if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
  auto c = readable_consultation(s, r);
  if (!c) return c.error();
  auto speakers = voices(s, r, *c);
  if (!speakers) return refusal(s, r, speakers.error());
  std::optional<http::ParamList> form_fields;
  std::string asked;
  if (submitted) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    form_fields = std::move(*parsed);
    asked = std::string(form_fields->get("org"));
  } else {
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    asked = std::string(query->get("org"));
  }
  if (speakers->empty())
    return web::error_response(s.view, r, 403, cat.text(r.lang, "consultations_error_not_addressed"));
  auto voice = voice_of(*speakers, asked);
  if (!voice) {
    if (submitted)
      return web::error_response(s.view, r, 403, cat.text(r.lang, "consultations_error_not_addressed"));
    // Several organisations: the reader chooses.
    web::Data data{web::Data::type::object};
    web::Data list{web::Data::type::list};
    for (const auto& v : *speakers) {
      web::Data item{web::Data::type::object};
      item.set("name", v.name);
      item.set("href", href(*c, "/stellungnahme?" + http::build_query({{"org", std::to_string(v.org_id)}})));
      list.push_back(item);
    }
    data.set("choices", list);
    data.set("back_href", href(*c));
    data.set("consultation_title", c->title);
    return page(s, r, "consultations_statement_choose", std::move(data),
                cat.text(r.lang, "consultations_statement_heading") + ": " + c->title);
  }
  ConsultationStore store(s.db);
  const auto now = accounts::unix_now();
  web::FormState form;
  if (submitted) {
    form.values["body"] = std::string(form_fields->get("body"));
    Status done;
    if (release) {
      if (!voice->may_release)
        return web::error_response(s.view, r, 403, cat.text(r.lang, "consultations_error_not_addressed"));
      if (form_fields->get("confirm") != "1")
        form.errors.emplace("confirm", "consultations_error_confirm_release");
      else
        done = store.release_statement(c->id, voice->org_id, r.account_id, now);
    } else {
      done = store.save_statement(c->id, voice->org_id, form.values["body"], r.account_id, now);
    }
    if (form.ok() && done)
      return http::Response::redirect(
          href(*c, "/stellungnahme?" + http::build_query({{"org", std::to_string(voice->org_id)}, {"gespeichert", release ? "freigegeben" : "1"}})));
    if (form.ok()) {
      if (done.error().code != ErrorCode::invalid_input) return refusal(s, r, done.error());
      form.errors.emplace(release ? "confirm" : "body", done.error().message);
    }
  }
  auto statement = store.statement(c->id, voice->org_id);
  if (!statement) return refusal(s, r, statement.error());
  if (!submitted) form.values["body"] = *statement ? (*statement)->body : std::string();
  auto all = store.comments(c->id, 0, "", r.account_id);
  if (!all) return refusal(s, r, all.error());
  web::Data data = web::form_data(cat, r.lang, form);
  auto head = head_data(s, r, *c, now);
  if (!head) return head.error();
  for (const char* key : {"consultation_title", "href", "author_name", "deadline", "phase_label",
                          "phase", "open"})
    if (auto* v = head->get(key)) data.set(key, *v);
  data.set("org_id", std::to_string(voice->org_id));
  data.set("org_name", voice->name);
  data.set("may_release", voice->may_release);
  const bool released = *statement && (*statement)->released;
  data.set("released", released);
  if (released) {
    data.set("released_at", web::format_date_time(*(*statement)->released_at, r.lang));
    data.set("released_by", web::author_name(cat, r.lang, (*statement)->released_by.empty()
                                                              ? std::optional<std::string>()
                                                              : std::optional<std::string>((*statement)->released_by)));
    data.set("body_html", web::rich_text((*statement)->body, s));
  } else if (*statement) {
    data.set("saved_at", web::format_date_time((*statement)->updated_at, r.lang));
  }
  auto query = http::parse_query(r.query);
  if (query && query->get("gespeichert") == "1") data.set("saved_notice", true);
  web::Data mine{web::Data::type::list};
  bool has_mine = false;
  for (const auto& k : *all) {
    if (k.org_id != voice->org_id) continue;
    has_mine = true;
    web::Data item{web::Data::type::object};
    item.set("label", k.section_label);
    item.set("href", section_href(*c, k.anchor, c->current_round) + "#kommentar-" + std::to_string(k.id));
    item.set("author", web::author_name(cat, r.lang, k.author_name));
    item.set("excerpt", web::plain_text(k.body, 160));
    item.set("has_amendment", !k.amendment.empty());
    mine.push_back(item);
  }
  data.set("org_comments", mine);
  data.set("has_org_comments", has_mine);
  data.set("action", href(*c, "/stellungnahme"));
  data.set("release_action", href(*c, "/stellungnahme/freigeben"));
  data.set("editable", !released && c->phase(now) == Phase::open);
  return page(s, r, "consultations_statement", std::move(data),
              cat.text(r.lang, "consultations_statement_heading") + " " + voice->name + ": " + c->title,
              form.ok() ? 200 : 422);
}

// ---- the board and reminders ----------------------------------------------------------

// GET /konsultationen/{id}/stand: who has answered; htmx reloads its live part every 20 s
// (hx-select picks it from the whole page, so one handler serves both).
http::Response board_page(web::Services& s, http::Request& r) {
  const auto& cat = s.view.catalog();
  auto c = readable_consultation(s, r);
  if (!c) return c.error();
  ConsultationStore store(s.db);
  auto board = store.board(c->id);
  if (!board) return refusal(s, r, board.error());
  const auto now = accounts::unix_now();
  auto head = head_data(s, r, *c, now);
  if (!head) return head.error();
  web::Data data = std::move(*head);
  std::int64_t released = 0, drafting = 0;
  web::Data rows{web::Data::type::list};
  for (const auto& b : *board) {
    web::Data item{web::Data::type::object};
    item.set("name", b.org_name);
    item.set("href", "/organisationen/" + b.org_key);
    item.set("comments", std::to_string(b.comments));
    if (b.released_at) {
      ++released;
      item.set("state", cat.text(r.lang, "consultations_board_released") + " " +
                            web::format_date_time(*b.released_at, r.lang));
      item.set("released", true);
    } else if (b.drafting) {
      ++drafting;
      item.set("state", cat.text(r.lang, "consultations_board_drafting"));
    } else {
      item.set("state", cat.text(r.lang, "consultations_board_none"));
    }
    rows.push_back(item);
  }
  data.set("rows", rows);
  data.set("summary", format_count(cat, r.lang, "consultations_board_summary",
                                   {released, static_cast<std::int64_t>(board->size()), drafting}));
  data.set("as_of", web::format_date_time(now, r.lang));
  data.set("live_href", href(*c, "/stand"));
  auto query = http::parse_query(r.query);
  if (!query) return web::error_response(s.view, r, 400);
  auto author = is_author(s, r, *c);
  if (!author) return refusal(s, r, author.error());
  if (*author && c->phase(now) == Phase::open) {
    data.set("can_remind", true);
    data.set("remind_action", href(*c, "/erinnern"));
    auto last = store.last_reminder(c->id);
    if (!last) return refusal(s, r, last.error());
    if (*last) data.set("last_reminder", web::format_date_time(**last, r.lang));
    if (query->get("erinnert") != "") data.set("reminded", std::string(query->get("erinnert")));
  }
  return page(s, r, "consultations_board", std::move(data),
              cat.text(r.lang, "consultations_board_heading") + ": " + c->title);
}

// POST /konsultationen/{id}/erinnern: the author reminds those who have not released.
http::Response remind(web::Services& s, http::Request& r) {
  const auto& cat = s.view.catalog();
  auto c = acting_as_author(s, r);
  if (!c) return c.error();
  const auto now = accounts::unix_now();
  auto who = ConsultationStore(s.db).remind(c->id, r.account_id, now);
  if (!who) return refusal(s, r, who.error());
  tell(s, *who, "consultations.reminder",
       cat.text("de", "consultations_notice_reminder") + " „" + c->title + "“",
       cat.text("de", "consultations_deadline") + ": " + web::format_date_time(c->deadline, "de"),
       href(*c));
  return http::Response::redirect(
      href(*c, "/stand?" + http::build_query({{"erinnert", std::to_string(who->size())}})));
}

// ---- rounds and the synopsis --------------------------------------------------------------

// GET /konsultationen/{id}/runden
http::Response rounds_page(web::Services& s, http::Request& r) {
  const auto& cat = s.view.catalog();
  auto c = readable_consultation(s, r);
  if (!c) return c.error();
  auto rounds = ConsultationStore(s.db).rounds(c->id);
  if (!rounds) return refusal(s, r, rounds.error());
  const auto now = accounts::unix_now();
  auto head = head_data(s, r, *c, now);
  if (!head) return head.error();
  web::Data data = std::move(*head);
  web::Data list{web::Data::type::list};
  for (const auto& round : *rounds) {
    web::Data item{web::Data::type::object};
    item.set("number", std::to_string(round.number));
    item.set("href", href(*c, "?" + http::build_query({{"runde", std::to_string(round.number)}})));
    item.set("opened", web::format_date(round.opened_at, r.lang));
    item.set("deadline", web::format_date_time(round.deadline, r.lang));
    item.set("phase_label", cat.text(r.lang, "consultations_phase_" + std::string(to_string(round.phase(now)))));
    item.set("note", round.note);
    if (round.number > 1)
      item.set("synopsis_href",
               href(*c, "/synopse?" + http::build_query({{"von", std::to_string(round.number - 1)},
                                                         {"bis", std::to_string(round.number)}})));
    if (round.published_at)
      item.set("abwaegung_href",
               href(*c, "/abwaegung?" + http::build_query({{"runde", std::to_string(round.number)}})));
    list.push_back(item);
  }
  data.set("rounds", list);
  auto author = is_author(s, r, *c);
  if (!author) return refusal(s, r, author.error());
  data.set("can_start_round", *author && c->phase(now) != Phase::open);
  data.set("new_round_href", href(*c, "/runden/neu"));
  return page(s, r, "consultations_rounds", std::move(data),
              cat.text(r.lang, "consultations_rounds_heading") + ": " + c->title);
}

// GET/POST /konsultationen/{id}/runden/neu: the revised text starts the next round.
http::Response new_round_page(web::Services& s, http::Request& r, bool submitted) {
  const auto& cat = s.view.catalog();
  auto c = acting_as_author(s, r);
  if (!c) return c.error();
  const auto now = accounts::unix_now();
  if (c->phase(now) == Phase::open)
    return web::error_response(s.view, r, 409, cat.text(r.lang, "consultations_error_round_open"));
  ConsultationStore store(s.db);
  web::FormState form;
  if (!submitted) {
    auto current = store.round(c->id, c->current_round);
    if (!current) return refusal(s, r, current.error());
    form.values = {{"body", current->body},
                   {"note", ""},
                   {"once", accounts::Submissions::new_key()},
                   {"deadline_date", web::berlin_date_value(now + 28 * 86400)},
                   {"deadline_time", "23:59"}};
  } else {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    for (const char* field : {"body", "note", "deadline_date", "deadline_time", "once"})
      form.values[field] = std::string(parsed->get(field));
    auto deadline = deadline_of(form);
    if (!deadline) form.errors.emplace("deadline", "consultations_error_deadline_format");
    if (form.ok()) {
      auto made = accounts::Submissions(s.db).once(
          r.account_id, form.values["once"], now, [&]() -> Result<std::string> {
            AH_TRY(number, store.new_round(c->id, form.values["body"], form.values["note"],
                                           *deadline, r.account_id, now));
            tell_recipients(s, c->id, "consultations_notice_round", c->title);
            return href(*c, "/synopse?" + http::build_query({{"von", std::to_string(number - 1)},
                                                             {"bis", std::to_string(number)}}));
          });
      if (made) return http::Response::redirect(*made);
      if (made.error().code != ErrorCode::invalid_input) return refusal(s, r, made.error());
      const auto& key = made.error().message;
      form.errors.emplace(key.find("deadline") != std::string::npos ? "deadline"
                          : key.find("note") != std::string::npos   ? "note"
                                                                    : "body",
                          key);
    }
  }
  web::Data data = web::form_data(cat, r.lang, form);
  data.set("action", href(*c, "/runden/neu"));
  data.set("back_href", href(*c, "/runden"));
  data.set("consultation_title", c->title);
  data.set("next_round", std::to_string(c->current_round + 1));
  return page(s, r, "consultations_new_round", std::move(data),
              cat.text(r.lang, "consultations_new_round_heading") + ": " + c->title,
              form.ok() ? 200 : 422);
}

// GET /konsultationen/{id}/synopse?von=A&bis=B: old and new wording side by side.
http::Response synopsis_page(web::Services& s, http::Request& r) {
  const auto& cat = s.view.catalog();
  auto c = readable_consultation(s, r);
  if (!c) return c.error();
  auto query = http::parse_query(r.query);
  if (!query) return web::error_response(s.view, r, 400);
  auto from = parse_id(query->get("von"));
  auto to = parse_id(query->get("bis"));
  if (!from || !to || *from >= *to || *to > c->current_round)
    return web::error_response(s.view, r, 400, cat.text(r.lang, "consultations_error_synopsis"));
  ConsultationStore store(s.db);
  auto before = store.round(c->id, *from);
  if (!before) return refusal(s, r, before.error());
  auto after = store.round(c->id, *to);
  if (!after) return refusal(s, r, after.error());
  auto head = head_data(s, r, *c, accounts::unix_now());
  if (!head) return head.error();
  web::Data data = std::move(*head);
  data.set("from", std::to_string(*from));
  data.set("to", std::to_string(*to));
  data.set("rows", synopsis_rows(cat, r.lang, before->sections, after->sections));
  data.set("note", after->note);
  return page(s, r, "consultations_synopsis", std::move(data),
              cat.text(r.lang, "consultations_synopsis_heading") + ": " + c->title);
}

}  // namespace

void register_pages(http::Router& router, web::Services& s) {
  router.add(http::Method::get, "/konsultationen", [&s](http::Request& r) { return list_page(s, r); });
  router.add(http::Method::get, "/konsultationen/neu",
             [&s](http::Request& r) { return new_page(s, r, false); });
  router.add(http::Method::post, "/konsultationen/neu",
             [&s](http::Request& r) { return new_page(s, r, true); }, kNewFormLimit);
  router.add(http::Method::get, "/konsultationen/{id}",
             [&s](http::Request& r) { return consultation_page(s, r); });
  router.add(http::Method::get, "/konsultationen/{id}/bearbeiten",
             [&s](http::Request& r) { return settings_page(s, r, false); });
  router.add(http::Method::post, "/konsultationen/{id}/bearbeiten",
             [&s](http::Request& r) { return settings_page(s, r, true); });
  router.add(http::Method::get, "/konsultationen/{id}/abschnitte/{anchor}",
             [&s](http::Request& r) { return section_page(s, r, false); });
  router.add(http::Method::post, "/konsultationen/{id}/abschnitte/{anchor}",
             [&s](http::Request& r) { return section_page(s, r, true); });
  router.add(http::Method::post, "/konsultationen/kommentare/{cid}/unterstuetzen",
             [&s](http::Request& r) { return comment_action(s, r, false); });
  router.add(http::Method::post, "/konsultationen/kommentare/{cid}/zurueckziehen",
             [&s](http::Request& r) { return comment_action(s, r, true); });
  router.add(http::Method::get, "/konsultationen/{id}/stellungnahme",
             [&s](http::Request& r) { return statement_page(s, r, false, false); });
  router.add(http::Method::post, "/konsultationen/{id}/stellungnahme",
             [&s](http::Request& r) { return statement_page(s, r, true, false); });
  router.add(http::Method::post, "/konsultationen/{id}/stellungnahme/freigeben",
             [&s](http::Request& r) { return statement_page(s, r, true, true); });
  router.add(http::Method::get, "/konsultationen/{id}/stand",
             [&s](http::Request& r) { return board_page(s, r); });
  router.add(http::Method::post, "/konsultationen/{id}/erinnern",
             [&s](http::Request& r) { return remind(s, r); });
  router.add(http::Method::get, "/konsultationen/{id}/runden",
             [&s](http::Request& r) { return rounds_page(s, r); });
  router.add(http::Method::get, "/konsultationen/{id}/runden/neu",
             [&s](http::Request& r) { return new_round_page(s, r, false); });
  router.add(http::Method::post, "/konsultationen/{id}/runden/neu",
             [&s](http::Request& r) { return new_round_page(s, r, true); });
  router.add(http::Method::get, "/konsultationen/{id}/synopse",
             [&s](http::Request& r) { return synopsis_page(s, r); });
}

}  // namespace ah::modules::consultations
