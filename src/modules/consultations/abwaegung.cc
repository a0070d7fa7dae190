// The Abwägung: after a round's deadline the author answers every comment, amendment and
// Stellungnahme (übernommen, teilweise übernommen, nicht übernommen, zur Kenntnis
// genommen — with a reason), publishes it, and everyone who took part is told. The table
// is produced from the stored points and answers, never typed: as a page, as XLSX and as
// PDF, all three from the same rows.
#include <algorithm>
#include <array>

#include "export/table.h"
#include "export/xlsx.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/consultations/access.h"
#include "modules/consultations/routes.h"
#include "modules/consultations/store.h"
#include "modules/consultations/views.h"
#include "modules/groups/access.h"
#include "poster/poster.h"
#include "web/api.h"
#include "web/download.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/format.h"
#include "web/rich_text.h"

namespace ah::modules::consultations {

namespace {

using groups::refusal;
using web::parse_id;

constexpr std::array kVerdicts{Verdict::adopted, Verdict::partly, Verdict::rejected,
                               Verdict::noted};

// One line of the Abwägungstabelle: a point someone made and the author's answer.
struct Row {
  Point point;
  std::string key;  // "kommentar-5", "stellungnahme-2": the point's anchor on the page
  std::string label, anchor, section_text;  // the section (empty for a Stellungnahme's text)
  std::string who;       // the organisation, or "Bürgerin oder Bürger"
  std::string author;    // the person
  std::string kind;      // Kommentar, Änderungsvorschlag, Stellungnahme
  std::string passage, text, amendment;
  std::int64_t at = 0;
  std::optional<Answer> answer;
};

// Every point of the round in the order of the text, the Stellungnahmen's own texts after.
Result<std::vector<Row>> rows_of(web::Services& s, std::string_view lang, const Consultation& c,
                                 const Round& round) {
  const auto& cat = s.view.catalog();
  ConsultationStore store(s.db);
  AH_TRY(comments, store.comments(c.id, round.number, "", 0));
  AH_TRY(statements, store.released_statements(c.id, round.number));
  std::vector<Row> rows;
  for (const auto& k : comments) {
    Row row;
    row.point = Point::comment(k.id);
    row.key = "kommentar-" + std::to_string(k.id);
    row.label = k.section_label;
    row.anchor = k.anchor;
    auto section = std::find_if(round.sections.begin(), round.sections.end(),
                                [&](const Section& x) { return x.anchor == k.anchor; });
    if (section != round.sections.end()) row.section_text = section->text;
    row.who = k.org_id ? k.org_name : cat.text(lang, "consultations_citizen");
    row.author = web::author_name(cat, lang, k.author_name);
    row.kind = cat.text(lang, k.amendment.empty() ? "consultations_kind_comment"
                                                  : "consultations_kind_amendment");
    row.passage = k.passage;
    row.text = k.body;
    row.amendment = k.amendment;
    row.at = k.created_at;
    row.answer = k.answer;
    rows.push_back(std::move(row));
  }
  for (const auto& t : statements) {
    if (t.body.empty()) continue;  // its comments are the points
    Row row;
    row.point = Point::statement(t.id);
    row.key = "stellungnahme-" + std::to_string(t.id);
    row.label = cat.text(lang, "consultations_kind_statement");
    row.who = t.org_name;
    row.author = t.released_by.empty() ? web::author_name(cat, lang, std::nullopt) : t.released_by;
    row.kind = cat.text(lang, "consultations_kind_statement");
    row.text = t.body;
    row.at = t.released_at.value_or(t.updated_at);
    row.answer = t.answer;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string verdict_label(const web::Catalog& cat, std::string_view lang, Verdict v) {
  return cat.text(lang, "consultations_verdict_" + std::string(to_string(v)));
}

// The round asked for (?runde=, default the current one) and whether the reader may see
// its answers: everyone once published, before that only the author.
struct Asked {
  Consultation c;
  Round round;
  bool author = false;
  bool visible = false;
};

std::expected<Asked, http::Response> asked_round(web::Services& s, const http::Request& r) {
  auto c = readable_consultation(s, r);
  if (!c) return std::unexpected(c.error());
  auto query = http::parse_query(r.query);
  if (!query) return std::unexpected(web::error_response(s.view, r, 400));
  std::int64_t number = c->current_round;
  if (auto asked = query->get("runde"); !asked.empty()) {
    auto n = parse_id(asked);
    if (!n || *n > c->current_round) return std::unexpected(web::error_response(s.view, r, 404));
    number = *n;
  }
  auto round = ConsultationStore(s.db).round(c->id, number);
  if (!round) return std::unexpected(refusal(s, r, round.error()));
  auto author = is_author(s, r, *c, authz::Action::consultation_answer);
  if (!author) return std::unexpected(refusal(s, r, author.error()));
  const bool visible = round->published_at.has_value() || *author;
  return Asked{std::move(*c), std::move(*round), *author, visible};
}

std::string round_query(const Asked& a) {
  return a.round.number == a.c.current_round
             ? std::string()
             : "?" + http::build_query({{"runde", std::to_string(a.round.number)}});
}

// GET /konsultationen/{id}/abwaegung (?runde=N)
http::Response table_page(web::Services& s, http::Request& r) {
  const auto& cat = s.view.catalog();
  auto a = asked_round(s, r);
  if (!a) return a.error();
  const auto now = accounts::unix_now();
  auto head = head_data(s, r, a->c, now);
  if (!head) return head.error();
  web::Data data = std::move(*head);
  const auto phase = a->round.phase(now);
  data.set("round_number", std::to_string(a->round.number));
  data.set("visible", a->visible);
  data.set("round_open", phase == Phase::open);
  data.set("published", phase == Phase::published);
  if (a->round.published_at) data.set("published_at", web::format_date_time(*a->round.published_at, r.lang));
  const bool answering = a->author && phase == Phase::weighing && a->round.number == a->c.current_round;
  data.set("answering", answering);
  if (a->visible && phase != Phase::open) {
    auto rows = rows_of(s, r.lang, a->c, a->round);
    if (!rows) return refusal(s, r, rows.error());
    web::Data list{web::Data::type::list};
    std::int64_t open = 0;
    for (const auto& row : *rows) {
      web::Data item{web::Data::type::object};
      item.set("key", row.key);
      item.set("label", row.label);
      if (!row.anchor.empty())
        item.set("section_href", consultation_href(a->c.id) + "/abschnitte/" + row.anchor +
                                     round_query(*a));
      item.set("who", row.who);
      item.set("author", row.author);
      item.set("kind", row.kind);
      if (!row.passage.empty()) item.set("passage", row.passage);
      item.set("text_html", web::rich_text(row.text, s));
      if (!row.amendment.empty())
        item.set("lines", amendment_lines(row.section_text, row.amendment));
      item.set("has_amendment", !row.amendment.empty());
      if (row.answer) {
        item.set("answered", true);
        item.set("verdict", std::string(to_string(row.answer->verdict)));
        item.set("verdict_label", verdict_label(cat, r.lang, row.answer->verdict));
        item.set("reason_html", web::rich_text(row.answer->reason, s));
      } else {
        ++open;
      }
      if (answering) {
        item.set("answer_action", consultation_href(a->c.id) + "/abwaegung/" + row.key);
        web::Data choices{web::Data::type::list};
        for (auto v : kVerdicts) {
          web::Data choice{web::Data::type::object};
          choice.set("value", std::string(to_string(v)));
          choice.set("label", verdict_label(cat, r.lang, v));
          choice.set("checked", row.answer && row.answer->verdict == v);
          choices.push_back(choice);
        }
        item.set("choices", choices);
        item.set("reason", row.answer ? row.answer->reason : std::string());
      }
      list.push_back(item);
    }
    data.set("rows", list);
    data.set("has_rows", !rows->empty());
    data.set("unanswered", format_count(cat, r.lang, "consultations_unanswered", {open}));
    data.set("all_answered", open == 0);
    data.set("publish_action", consultation_href(a->c.id) + "/abwaegung/veroeffentlichen");
    data.set("xlsx_href", consultation_href(a->c.id) + "/abwaegung.xlsx" + round_query(*a));
    data.set("pdf_href", consultation_href(a->c.id) + "/abwaegung.pdf" + round_query(*a));
  }
  if (a->round.number < a->c.current_round)
    data.set("synopsis_href", consultation_href(a->c.id) + "/synopse?" +
                                  http::build_query({{"von", std::to_string(a->round.number)},
                                                     {"bis", std::to_string(a->round.number + 1)}}));
  return page(s, r, "consultations_abwaegung", std::move(data),
              cat.text(r.lang, "consultations_abwaegung_heading") + ": " + a->c.title);
}

// GET/POST /konsultationen/{id}/abwaegung/{point} ("kommentar-5" | "stellungnahme-2"): the
// answer to one point; the table's forms post here, and a refused answer comes back here
// with what was typed.
http::Response answer_page(web::Services& s, http::Request& r, bool submitted) {
  const auto& cat = s.view.catalog();
  if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
  auto a = asked_round(s, r);
  if (!a) return a.error();
  if (!a->author)
    return web::error_response(s.view, r, 403, cat.text(r.lang, "consultations_error_not_author"));
  const std::string key(r.param("point"));
  auto rows = rows_of(s, r.lang, a->c, a->round);
  if (!rows) return refusal(s, r, rows.error());
  auto row = std::find_if(rows->begin(), rows->end(), [&](const Row& x) { return x.key == key; });
  if (row == rows->end()) return web::error_response(s.view, r, 404);
  web::FormState form;
  if (submitted) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    form.values["verdict"] = std::string(parsed->get("verdict"));
    form.values["reason"] = std::string(parsed->get("reason"));
    auto verdict = verdict_from_string(form.values["verdict"]);
    if (!verdict) {
      form.errors.emplace("verdict", "consultations_error_verdict");
    } else {
      auto done = ConsultationStore(s.db).answer(a->c.id, row->point, *verdict, form.values["reason"],
                                                 r.account_id, accounts::unix_now());
      if (done)
        return http::Response::redirect(consultation_href(a->c.id) + "/abwaegung#" + key);
      if (done.error().code != ErrorCode::invalid_input) return refusal(s, r, done.error());
      form.errors.emplace("reason", done.error().message);
    }
  } else if (row->answer) {
    form.values["verdict"] = std::string(to_string(row->answer->verdict));
    form.values["reason"] = row->answer->reason;
  }
  web::Data data = web::form_data(cat, r.lang, form);
  data.set("consultation_title", a->c.title);
  data.set("back_href", consultation_href(a->c.id) + "/abwaegung#" + key);
  data.set("action", consultation_href(a->c.id) + "/abwaegung/" + key);
  data.set("label", row->label);
  data.set("who", row->who);
  data.set("author", row->author);
  data.set("kind", row->kind);
  if (!row->passage.empty()) data.set("passage", row->passage);
  data.set("text_html", web::rich_text(row->text, s));
  if (!row->amendment.empty())
    data.set("lines", amendment_lines(row->section_text, row->amendment));
  data.set("has_amendment", !row->amendment.empty());
  data.set("reason", form.values["reason"]);
  web::Data choices{web::Data::type::list};
  for (auto v : kVerdicts) {
    web::Data choice{web::Data::type::object};
    choice.set("value", std::string(to_string(v)));
    choice.set("label", verdict_label(cat, r.lang, v));
    choice.set("checked", form.values["verdict"] == to_string(v));
    choices.push_back(choice);
  }
  data.set("choices", choices);
  return page(s, r, "consultations_answer", std::move(data),
              cat.text(r.lang, "consultations_answer_heading") + ": " + row->label,
              form.ok() ? 200 : 422);
}

// POST /konsultationen/{id}/abwaegung/veroeffentlichen
http::Response publish(web::Services& s, http::Request& r) {
  const auto& cat = s.view.catalog();
  auto c = acting_as_author(s, r, authz::Action::consultation_answer);
  if (!c) return c.error();
  auto told = ConsultationStore(s.db).publish_abwaegung(c->id, r.account_id, accounts::unix_now());
  if (!told) return refusal(s, r, told.error());
  tell(s, *told, "consultations.published",
       cat.text("de", "consultations_notice_published") + " „" + c->title + "“", "",
       consultation_href(c->id) + "/abwaegung");
  return http::Response::redirect(consultation_href(c->id) + "/abwaegung");
}

// GET /konsultationen/{id}/abwaegung.xlsx and .pdf (?runde=N)
http::Response export_file(web::Services& s, http::Request& r, bool pdf) {
  const auto& cat = s.view.catalog();
  auto a = asked_round(s, r);
  if (!a) return a.error();
  if (!a->visible || a->round.phase(accounts::unix_now()) == Phase::open)
    return web::error_response(s.view, r, 404);
  auto rows = rows_of(s, r.lang, a->c, a->round);
  if (!rows) return refusal(s, r, rows.error());
  const std::string title = cat.text(r.lang, "consultations_abwaegung_heading") + ": " + a->c.title;
  const std::string file = "abwaegung-" + std::to_string(a->c.id) + "-runde-" +
                           std::to_string(a->round.number) + (pdf ? ".pdf" : ".xlsx");
  auto answer_text = [&](const Row& row) {
    return row.answer ? verdict_label(cat, r.lang, row.answer->verdict) : cat.text(r.lang, "consultations_unanswered_one");
  };
  if (pdf) {
    poster::Document doc{.language = std::string(r.lang), .title = title,
                         .fonts = poster::shipped_fonts(s.share_dir)};
    doc.empty_note = cat.text(r.lang, "consultations_abwaegung_none");
    for (const auto& row : *rows) {
      std::string body;
      if (!row.passage.empty()) body += cat.text(r.lang, "consultations_passage") + ": „" + row.passage + "“\n\n";
      body += web::plain_text(row.text, kMaxStatement);
      if (!row.amendment.empty())
        body += "\n\n" + cat.text(r.lang, "consultations_amendment") + ": " + row.amendment;
      body += "\n\n" + cat.text(r.lang, "consultations_abwaegung_answer") + ": " + answer_text(row);
      if (row.answer && !row.answer->reason.empty())
        body += "\n\n" + cat.text(r.lang, "consultations_reason") + ": " +
                web::plain_text(row.answer->reason, kMaxReason);
      doc.sections.push_back({row.label, row.who + " · " + row.author + " · " + row.kind + " · " +
                                             web::format_date_time(row.at, r.lang),
                              body});
    }
    auto bytes = poster::render_document(doc);
    if (!bytes) return refusal(s, r, bytes.error());
    return web::download(std::move(*bytes), web::kPdfType, file);
  }
  exports::Table table{{cat.text(r.lang, "consultations_col_section"),
                        cat.text(r.lang, "consultations_col_who"),
                        cat.text(r.lang, "consultations_col_author"),
                        cat.text(r.lang, "consultations_col_kind"),
                        cat.text(r.lang, "consultations_passage"),
                        cat.text(r.lang, "consultations_col_text"),
                        cat.text(r.lang, "consultations_amendment"),
                        cat.text(r.lang, "consultations_abwaegung_answer"),
                        cat.text(r.lang, "consultations_reason"),
                        cat.text(r.lang, "consultations_col_date")},
                       {}};
  for (const auto& row : *rows)
    table.rows.push_back({row.label, row.who, row.author, row.kind, row.passage,
                          web::plain_text(row.text, kMaxStatement), row.amendment, answer_text(row),
                          row.answer ? web::plain_text(row.answer->reason, kMaxReason) : std::string(),
                          exports::Timestamp{row.at}});
  auto bytes = exports::to_xlsx(table, cat.text(r.lang, "consultations_abwaegung_heading"));
  if (!bytes) return refusal(s, r, bytes.error());
  return web::download(std::move(*bytes), web::kXlsxType, file);
}

}  // namespace

void register_abwaegung(http::Router& router, web::Services& s) {
  router.add(http::Method::get, "/konsultationen/{id}/abwaegung",
             [&s](http::Request& r) { return table_page(s, r); });
  router.add(http::Method::post, "/konsultationen/{id}/abwaegung/veroeffentlichen",
             [&s](http::Request& r) { return publish(s, r); });
  router.add(http::Method::get, "/konsultationen/{id}/abwaegung/{point}",
             [&s](http::Request& r) { return answer_page(s, r, false); });
  router.add(http::Method::post, "/konsultationen/{id}/abwaegung/{point}",
             [&s](http::Request& r) { return answer_page(s, r, true); });
  router.add(http::Method::get, "/konsultationen/{id}/abwaegung.xlsx",
             [&s](http::Request& r) { return export_file(s, r, false); });
  router.add(http::Method::get, "/konsultationen/{id}/abwaegung.pdf",
             [&s](http::Request& r) { return export_file(s, r, true); });
}

}  // namespace ah::modules::consultations
