#include "modules/participation/module.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <random>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "authz/memberships.h"
#include "base/time.h"
#include "export/atom.h"
#include "export/chart.h"
#include "export/csv.h"
#include "export/xlsx.h"
#include "http/form.h"
#include "http/multipart.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/accounts/submissions.h"
#include "modules/files/module.h"
#include "modules/files/png.h"
#include "modules/notifications/notify.h"
#include "modules/orgs/store.h"
#include "modules/participation/comments.h"
#include "modules/participation/moderation.h"
#include "modules/participation/place.h"
#include "modules/participation/store.h"
#include "modules/participation/team.h"
#include "poster/poster.h"
#include "search/index.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/data.h"
#include "web/format.h"
#include "web/openapi.h"
#include "web/rich_text.h"

namespace ah::modules {

namespace {

using nlohmann::json;
using participation::AnswerState;
using participation::NewProcess;
using participation::NewProposal;
using participation::Phase;
using participation::Process;
using participation::ProcessState;
using participation::ProcessStore;
using participation::Proposal;
using participation::ProposalOrder;
using participation::ProposalStore;
using web::json_response;
using web::parse_id;
using web::string_field;

constexpr int kPageSize = 20;
constexpr int kMaxPageSize = 100;

std::string answer_label_key(AnswerState state) {
  return "participation_answer_" + std::string(participation::to_string(state));
}

// A proposal's answer for lists and its page: the state's name, a badge colour, and for
// accepted proposals how far the implementation has come.
void set_answer_badge(web::Data& item, const web::Catalog& c, std::string_view lang,
                      AnswerState state, int progress) {
  if (state == AnswerState::none) return;
  item.set("answer", c.text(lang, answer_label_key(state)));
  item.set("answer_badge", state == AnswerState::rejected      ? "danger"
                           : state == AnswerState::implemented ? "success"
                           : state == AnswerState::accepted    ? "info"
                                                               : "warning");
  if (state == AnswerState::accepted || state == AnswerState::implemented) {
    item.set("progress", std::to_string(progress));
    item.set("has_progress", true);
  }
}

std::optional<double> number_field(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

json phase_json(const Phase& p) {
  return {{"title", p.title},
          {"starts_at", rfc3339_utc(p.starts_at)},
          {"ends_at", rfc3339_utc(p.ends_at)},
          {"propose", p.allow_propose},
          {"comment", p.allow_comment},
          {"support", p.allow_support}};
}

// A process's cover image and attachments as the API shows them.
void add_files_json(json& out, const std::vector<files::StoredFile>& list) {
  out["cover"] = nullptr;
  out["attachments"] = json::array();
  for (const auto& f : list) {
    if (f.purpose == "cover")
      out["cover"] = {{"url", f.url()},
                      {"alt", f.title},
                      {"media_type", f.media_type},
                      {"width", f.width},
                      {"height", f.height}};
    else if (f.purpose == "attachment")
      out["attachments"].push_back(
          {{"url", f.url()}, {"title", f.title}, {"media_type", f.media_type}, {"size", f.size}});
  }
}

json process_json(const Process& p, std::int64_t now, const std::vector<files::StoredFile>& files) {
  json phases = json::array();
  for (const auto& phase : p.phases) phases.push_back(phase_json(phase));
  const Phase* current = p.phase_at(now);
  json out = {{"id", p.id},
              {"organisation", {{"key", p.org_key}, {"name", p.org_name}}},
              {"title", p.title},
              {"summary", p.summary},
              {"body", p.body},
              {"topic", p.topic},
              {"area", {{"ags", p.area_ags}, {"name", p.area_name}}},
              {"state", std::string(participation::to_string(p.state))},
              {"short_url", "/b/" + p.short_code},
              {"phases", phases},
              {"current_phase", current ? json(current->title) : json(nullptr)},
              {"created_at", rfc3339_utc(p.created_at)},
              {"updated_at", rfc3339_utc(p.updated_at)}};
  add_files_json(out, files);
  return out;
}

// Hidden proposals keep their place; readers who do not moderate see the notice
// ("Ausgeblendet: …") instead of title and text, and no place.
json proposal_json(const Proposal& p, const web::Catalog& c, std::string_view lang,
                   const participation::Visibility& shown) {
  const std::string* hidden_reason = shown.hidden("proposal", p.id);
  json out = {{"id", p.id},
              {"process_id", p.process_id},
              {"author", web::author_name(c, lang, p.author_name)},
              {"title", p.title},
              {"body", p.body},
              {"category", p.category},
              {"lat", p.lat ? json(*p.lat) : json(nullptr)},
              {"lon", p.lon ? json(*p.lon) : json(nullptr)},
              {"place", p.place ? json(*p.place) : json(nullptr)},
              {"support_count", p.support_count},
              {"comment_count", p.comment_count},
              {"answer_state", participation::to_string(p.answer_state)},
              {"progress", p.progress},
              {"hidden", hidden_reason != nullptr},
              {"hidden_reason", hidden_reason ? json(*hidden_reason) : json(nullptr)},
              {"created_at", rfc3339_utc(p.created_at)}};
  if (shown.conceals("proposal", p.id)) {
    out["title"] = out["body"] = shown.notice(c, lang, "proposal", p.id);
    out["lat"] = out["lon"] = out["place"] = nullptr;
  }
  return out;
}

// The proposal order a reader asked for ("order" and, for random, "seed"); nullopt when
// the order is unknown or the seed is not a number.
struct OrderChoice {
  ProposalOrder order = ProposalOrder::newest;
  std::string name = "newest";
  std::optional<std::uint32_t> seed;  // random only; absent: the caller picks one
};

std::optional<OrderChoice> parse_order(std::string_view order, std::string_view seed) {
  OrderChoice choice;
  if (order.empty() || order == "newest") return choice;
  choice.name = std::string(order);
  if (order == "most_supported")
    choice.order = ProposalOrder::most_supported;
  else if (order == "most_discussed")
    choice.order = ProposalOrder::most_discussed;
  else if (order == "random")
    choice.order = ProposalOrder::random;
  else
    return std::nullopt;
  if (choice.order == ProposalOrder::random && !seed.empty()) {
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(seed.data(), seed.data() + seed.size(), value);
    if (ec != std::errc{} || end != seed.data() + seed.size()) return std::nullopt;
    choice.seed = value;
  }
  return choice;
}

std::uint32_t new_seed() {
  thread_local std::mt19937 random{std::random_device{}()};
  return static_cast<std::uint32_t>(random());
}

// A 422 problem naming the first thing wrong, in the person's language, with every field's
// message in "errors" (a point's fault is reported as lat and lon, the API's names for it).
http::Response invalid(web::Services& s, const http::Request& r,
                       const std::vector<std::pair<std::string, std::string>>& errors) {
  const auto& c = s.view.catalog();
  auto response = web::error_response(s.view, r, 422, c.text(r.lang, errors.front().second));
  auto problem = json::parse(response.body);
  for (const auto& [field, key] : errors)
    for (const char* name : field == "point" ? std::vector<const char*>{"lat", "lon"}
                                             : std::vector<const char*>{field.c_str()})
      if (!problem["errors"].contains(name)) problem["errors"][name] = c.text(r.lang, key);
  response.body = problem.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

// A topic's name in the person's language; a topic stored before the catalogue existed
// (free text) is shown as it was typed.
std::string topic_name(const web::Catalog& c, std::string_view lang, const std::string& topic) {
  return participation::is_process_topic(topic) ? c.text(lang, "participation_topic_" + topic)
                                                : topic;
}

// The options of a topic <select>, `chosen` selected.
web::Data topic_options(const web::Catalog& c, std::string_view lang, std::string_view chosen) {
  web::Data options{web::Data::type::list};
  for (std::string_view key : participation::process_topics()) {
    web::Data item{web::Data::type::object};
    item.set("key", std::string(key));
    item.set("name", c.text(lang, "participation_topic_" + std::string(key)));
    item.set("selected", key == chosen);
    options.push_back(item);
  }
  return options;
}

int page_limit(std::string_view text) { return web::page_limit(text, kPageSize, kMaxPageSize); }

// The create form: a cover image and up to this many attachments, each within the limits
// of files/upload.h; the body limit of POST /beteiligung/neu makes room for exactly that.
constexpr int kAttachmentRows = 3;
constexpr std::size_t kNewProcessBodyLimit =
    files::kMaxImageBytes + kAttachmentRows * files::kMaxPdfBytes + 1024 * 1024;

class ParticipationModule : public web::Module, public files::FileOwner {
 public:
  std::string_view name() const override { return "participation"; }

  std::vector<db::Migration> migrations() const override {
    return participation::participation_migrations();
  }

  std::vector<web::NoticeKind> notice_kinds() const override {
    return {{"participation.comment_reply", "participation_notice_kind_reply",
             web::Delivery::immediate},
            {"participation.proposal_comment", "participation_notice_kind_comment",
             web::Delivery::digest},
            {"participation.proposal_answered", "participation_notice_kind_answered",
             web::Delivery::immediate},
            {std::string(participation::kTeamNotice), "participation_notice_kind_team",
             web::Delivery::immediate}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    router.add(http::Method::get, "/api/v1/processes",
               [&s](http::Request& r) { return api_list(s, r); });
    router.add(http::Method::post, "/api/v1/processes",
               [&s](http::Request& r) { return api_create(s, r); });
    router.add(http::Method::get, "/api/v1/processes/{id}",
               [&s](http::Request& r) { return api_process(s, r); });
    router.add(http::Method::get, "/api/v1/processes/{id}/proposals",
               [&s](http::Request& r) { return api_proposals(s, r); });
    router.add(http::Method::post, "/api/v1/processes/{id}/proposals",
               [&s](http::Request& r) { return api_propose(s, r); });
    router.add(http::Method::get, "/api/v1/proposals/{id}",
               [&s](http::Request& r) { return api_proposal(s, r); });
    router.add(http::Method::put, "/api/v1/proposals/{id}/support",
               [&s](http::Request& r) { return api_support(s, r, true); });
    router.add(http::Method::del, "/api/v1/proposals/{id}/support",
               [&s](http::Request& r) { return api_support(s, r, false); });
    router.add(http::Method::get, "/b/{code}", [&s](http::Request& r) { return short_link(s, r); });
    router.add(http::Method::get, "/beteiligung",
               [this, &s](http::Request& r) { return list_page(s, r, org_lists_); });
    router.add(http::Method::get, "/beteiligung/neu",
               [&s](http::Request& r) { return process_form(s, r, false, false); });
    router.add(
        http::Method::post, "/beteiligung/neu",
        [&s](http::Request& r) { return process_form(s, r, true, false); }, kNewProcessBodyLimit);
    router.add(http::Method::get, "/beteiligung/{id}/bearbeiten",
               [&s](http::Request& r) { return process_form(s, r, false, true); });
    router.add(
        http::Method::post, "/beteiligung/{id}/bearbeiten",
        [&s](http::Request& r) { return process_form(s, r, true, true); }, kNewProcessBodyLimit);
    router.add(http::Method::get, "/beteiligung/{id}",
               [&s](http::Request& r) { return process_page(s, r); });
    participation::add_place_routes(router, s);
    router.add(http::Method::get, "/beteiligung/{id}/vorschlag",
               [&s](http::Request& r) { return propose_page(s, r, false); });
    router.add(http::Method::post, "/beteiligung/{id}/vorschlag",
               [&s](http::Request& r) { return propose_page(s, r, true); });
    router.add(http::Method::get, "/beteiligung/{id}/aushang.pdf",
               [&s](http::Request& r) { return poster_pdf(s, r); });
    router.add(http::Method::get, "/beteiligung/{id}/vorschlaege.csv",
               [&s](http::Request& r) { return export_table(s, r, Export::proposals, false); });
    router.add(http::Method::get, "/beteiligung/{id}/vorschlaege.xlsx",
               [&s](http::Request& r) { return export_table(s, r, Export::proposals, true); });
    router.add(http::Method::get, "/beteiligung/{id}/kommentare.csv",
               [&s](http::Request& r) { return export_table(s, r, Export::comments, false); });
    router.add(http::Method::get, "/beteiligung/{id}/kommentare.xlsx",
               [&s](http::Request& r) { return export_table(s, r, Export::comments, true); });
    router.add(http::Method::get, "/beteiligung/{id}/statistik",
               [&s](http::Request& r) { return statistics(s, r, false); });
    router.add(http::Method::get, "/beteiligung/{id}/statistik.svg",
               [&s](http::Request& r) { return statistics(s, r, true); });
    router.add(http::Method::get, "/beteiligung.atom",
               [&s](http::Request& r) { return feed(s, r, 0); });
    router.add(http::Method::get, "/beteiligung/{id}/feed.atom", [&s](http::Request& r) {
      auto id = parse_id(r.param("id"));
      return id ? feed(s, r, *id) : web::error_response(s.view, r, 404);
    });
    router.add(http::Method::post, "/vorschlaege/{id}/kommentare",
               [&s](http::Request& r) { return comment_form(s, r, false); });
    router.add(http::Method::post, "/beteiligung/{id}/kommentare",
               [&s](http::Request& r) { return comment_form(s, r, true); });
    router.add(http::Method::post, "/kommentare/{id}/loeschen",
               [&s](http::Request& r) { return own_comment(s, r, false); });
    router.add(http::Method::post, "/kommentare/{id}/bearbeiten",
               [&s](http::Request& r) { return own_comment(s, r, true); });
    router.add(http::Method::get, "/api/v1/proposals/{id}/comments",
               [&s](http::Request& r) { return api_comments(s, r, false); });
    router.add(http::Method::post, "/api/v1/proposals/{id}/comments",
               [&s](http::Request& r) { return api_comment(s, r, false); });
    router.add(http::Method::get, "/api/v1/processes/{id}/comments",
               [&s](http::Request& r) { return api_comments(s, r, true); });
    router.add(http::Method::post, "/api/v1/processes/{id}/comments",
               [&s](http::Request& r) { return api_comment(s, r, true); });
    router.add(http::Method::get, "/vorschlaege/{id}",
               [&s](http::Request& r) { return proposal_page(s, r); });
    router.add(http::Method::get, "/vorschlaege/{id}/bearbeiten",
               [&s](http::Request& r) { return edit_page(s, r, false); });
    router.add(http::Method::post, "/vorschlaege/{id}/bearbeiten",
               [&s](http::Request& r) { return edit_page(s, r, true); });
    router.add(http::Method::post, "/vorschlaege/{id}/zurueckziehen",
               [&s](http::Request& r) { return withdraw_form(s, r); });
    router.add(http::Method::post, "/vorschlaege/{id}/antwort",
               [&s](http::Request& r) { return answer_form(s, r); });
    router.add(http::Method::post, "/vorschlaege/{id}/unterstuetzung",
               [&s](http::Request& r) { return support_form(s, r); });
    participation::register_moderation_routes(router, s);
    participation::register_team_routes(router, s);
  }

  // Files of a process are seen by whoever sees the process: everyone once it is
  // published, only its editors while it is a draft.
  bool owns_files_of(std::string_view kind) const override { return kind == "process"; }
  Result<files::Visibility> file_visibility(web::Services& s, const http::Request& r,
                                            const files::Owner& owner) const override {
    auto process = visible_process(s, r, owner.id);
    if (!process) {
      if (process.error().code == ErrorCode::not_found) return files::Visibility::hidden;
      return std::unexpected(process.error());
    }
    return process->state == ProcessState::draft ? files::Visibility::restricted
                                                 : files::Visibility::everyone;
  }

  Status before_account_erasure(web::Services& s, std::int64_t account_id) const override {
    return ProposalStore(s.db).withdraw_all_supports(account_id);
  }

  Result<json> export_personal_data(web::Services& s, std::int64_t account_id) const override {
    AH_TRY(rs, s.db.query("SELECT id, process_id, title, body, category, created_at, place, lat, lon"
                          " FROM proposals WHERE author_id = $1 ORDER BY id",
                          {db::Value{account_id}}));
    json proposals = json::array();
    for (const auto& row : rs.rows)
      proposals.push_back({{"id", row.int64(0)},
                           {"process_id", row.int64(1)},
                           {"title", row.text(2)},
                           {"body", row.text(3)},
                           {"category", row.text(4)},
                           {"created_at", row.int64(5)},
                           {"place", row.is_null(6) ? json(nullptr) : json(row.text(6))},
                           {"lat", row.is_null(7) ? json(nullptr) : json(row.real(7))},
                           {"lon", row.is_null(8) ? json(nullptr) : json(row.real(8))}});
    AH_TRY(sup, s.db.query("SELECT proposal_id, created_at FROM supports WHERE account_id = $1 "
                           "ORDER BY proposal_id",
                           {db::Value{account_id}}));
    json supports = json::array();
    for (const auto& row : sup.rows)
      supports.push_back({{"proposal_id", row.int64(0)}, {"created_at", row.int64(1)}});
    return json{{"proposals", proposals}, {"supports", supports}};
  }

  // Two processes to explore: a playground in Kemberg (run by its demo admin) and the
  // Land's question about digital administration; the demo citizen has proposed and
  // supported. Phases are placed around the day of seeding, so ideas are being collected.
  Status seed_demo(web::Services& s) override {
    const std::int64_t now = accounts::unix_now(), day = 86400;
    accounts::AccountStore people(s.db);
    AH_TRY(citizen, people.find_by_email("buergerin@demo.augenhoehe.invalid"));
    AH_TRY(kemberg_admin, people.find_by_email("gemeinde-admin@demo.augenhoehe.invalid"));
    AH_TRY(land_admin, people.find_by_email("land@demo.augenhoehe.invalid"));
    if (!citizen || !kemberg_admin || !land_admin) return {};
    AH_TRY(kemberg, orgs::OrgStore(s.db).find("15091160"));
    AH_TRY(land, orgs::OrgStore(s.db).find("15"));
    auto phases = [&](const char* collect) {
      return std::vector<Phase>{{"Information", now - 20 * day, now - 10 * day, false, true, false},
                                {collect, now - 10 * day, now + 20 * day, true, true, true},
                                {"Bewertung", now + 20 * day, now + 40 * day, false, true, true},
                                {"Ergebnis", now + 40 * day, now + 100 * day, false, false, false}};
    };
    ProcessStore processes(s.db);
    ProposalStore proposals(s.db);
    AH_TRY(playground,
           processes.create(
               {.org_id = kemberg.id,
                .title = "Neugestaltung des Spielplatzes am Markt",
                .summary = "Der Spielplatz am Markt wird 2027 erneuert. Was wünschen sich "
                           "Kinder, Eltern und Großeltern?",
                .body = "Die Stadt Kemberg erneuert den Spielplatz am Markt.\n\nBringen Sie "
                        "Ihre Ideen ein und unterstützen Sie die Vorschläge anderer. Der "
                        "Stadtrat berät im Frühjahr über alle Vorschläge.",
                .topic = "sport_freizeit",
                .state = ProcessState::published,
                .phases = phases("Ideen sammeln")},
               kemberg_admin->id, now - 20 * day));
    AH_TRY(digital,
           processes.create(
               {.org_id = land.id,
                .title = "Digitale Verwaltung: Was wünschen Sie sich?",
                .summary = "Welche Verwaltungsleistungen wollen Sie online erledigen? Das Land "
                           "sammelt Wünsche aus allen Landkreisen.",
                .body = "Sachsen-Anhalt baut seine Online-Dienste aus.\n\nSagen Sie uns, was "
                        "Ihnen am meisten helfen würde.",
                .topic = "digitales",
                .state = ProcessState::published,
                .phases = phases("Wünsche sammeln")},
               land_admin->id, now - 19 * day));
    // A cover drawn here (no image is shipped): sky, a sand pit and a slide.
    auto drawn = files::check_upload(
        {"cover", "spielplatz.png", "image/png",
         files::encode_png(480, 270,
                           [](int x, int y) {
                             if (y > 200) return files::Rgb{222, 196, 132};  // sand
                             if (x > 300 && x < 420 && y > 90 && x - 300 > (y - 90) / 2 &&
                                 x - 300 < (y - 90) / 2 + 18)
                               return files::Rgb{200, 40, 40};             // slide
                             if (y > 170) return files::Rgb{96, 160, 72};  // grass
                             return files::Rgb{150, 200, 235};             // sky
                           })},
        files::Accept::images);
    if (!drawn) return fail(ErrorCode::internal, "demo cover: " + drawn.error().key);
    AH_TRY_STATUS(files::FileStore(s.db, s.data_dir)
                      .add({{"process", playground},
                            "cover",
                            "Zeichnung: eine rote Rutsche im Sandkasten unter blauem Himmel",
                            kemberg_admin->id},
                           *drawn, now - 20 * day));
    for (auto [process, owner] :
         {std::pair{playground, kemberg_admin->id}, std::pair{digital, land_admin->id}})
      AH_TRY_STATUS(authz::SpaceRoleStore(s.db).grant("process", process, owner,
                                                      authz::SpaceRole::owner, now));
    AH_TRY(slide, proposals.create(playground,
                                   {.title = "Eine Rutsche für die Kleinen",
                                    .body = "Eine flache Rutsche, "
                                            "auf der schon Zweijährige sicher rutschen können.",
                                    .category = "Spielgeräte",
                                    .lat = 51.7731,
                                    .lon = 12.6349,
                                    .place = "Spielplatz am Markt, bei der Sandkiste"},
                                   citizen->id, now - 5 * day));
    AH_TRY(benches,
           proposals.create(playground,
                            {.title = "Schattige Bänke",
                             .body = "Bänke unter Bäumen, damit "
                                     "Eltern und Großeltern im Sommer nicht in der Sonne sitzen.",
                             .category = "Aufenthalt"},
                            kemberg_admin->id, now - 4 * day));
    AH_TRY(appointments,
           proposals.create(digital,
                            {.title = "Termine beim Bürgeramt online buchen",
                             .body = "Überall im Land dieselbe Terminbuchung, auch auf dem Handy.",
                             .category = "Bürgerservice"},
                            citizen->id, now - 3 * day));
    for (auto [proposal, who] :
         {std::pair{slide, kemberg_admin->id}, std::pair{slide, land_admin->id},
          std::pair{benches, citizen->id}, std::pair{appointments, land_admin->id}}) {
      AH_TRY(count, proposals.support(proposal, who, now));
      (void)count;
    }
    participation::CommentStore comments(s.db);
    AH_TRY(question, comments.create({playground, slide}, std::nullopt,
                                     "Gute Idee! Wäre auch eine Wasserrinne daneben möglich?",
                                     land_admin->id, now - 2 * day));
    AH_TRY(answer, comments.create({playground, slide}, question,
                                   "Die Stadt prüft das gern – Wasser braucht allerdings Pflege.",
                                   kemberg_admin->id, now - day));
    // Rechenschaft already begun: the shady benches are accepted and being planned.
    AH_TRY(answered, participation::AnswerStore(s.db).answer(
                         benches, AnswerState::accepted,
                         "Der Stadtrat hat zugestimmt. Die Bänke werden mit den neuen Bäumen "
                         "gesetzt; die Planung ist fertig.",
                         25, kemberg_admin->id, now - day));
    (void)answered;
    (void)answer;
    // A conversation about the process itself, not about one proposal.
    AH_TRY(opening, comments.create({playground}, std::nullopt,
                                    "Wird der Spielplatz während der Bauzeit ganz gesperrt? "
                                    "Unsere Kinder gehen dort jeden Tag hin.",
                                    citizen->id, now - 3 * day));
    AH_TRY(reply, comments.create({playground}, opening,
                                  "Nur der Bereich mit den neuen Geräten, etwa vier Wochen im "
                                  "Frühjahr. Schaukeln und Sandkasten bleiben offen.",
                                  kemberg_admin->id, now - 2 * day));
    (void)reply;
    // One open report, so that the moderation queue of the playground has something in it.
    AH_TRY(neighbour, people.find_by_email("wittenberg@demo.augenhoehe.invalid"));
    if (!neighbour) return {};
    AH_TRY(careless, comments.create({playground, benches}, std::nullopt,
                                     "Bänke gern, aber nicht wieder neben Familie Beispiel in "
                                     "der Marktstraße 5, die beschwert sich sowieso über alles.",
                                     citizen->id, now - day / 2));
    AH_TRY(reported, moderation::ModerationStore(s.db).report(
                         {.space = {"process", playground},
                          .target = {"comment", careless},
                          .reporter = neighbour->id,
                          .reason = moderation::Reason::personal_data,
                          .text = "Nennt Name und Adresse einer Familie."},
                         now - day / 4));
    (void)reported;
    return {};
  }

  void describe_api(json& doc) const override;

 private:
  // The Kreise and Gemeinden of the list's filters, not read again for every request.
  orgs::OrgListCache org_lists_;

  // Where what the form created lives: made by `create` now, or by an earlier submission
  // of the same form (its one-time key "once", see accounts/submissions.h).
  template <class Create>
  static Result<std::string> create_once(web::Services& s, const http::Request& r,
                                         std::string_view key, Create create) {
    auto location = accounts::Submissions(s.db).once(r.account_id, key, accounts::unix_now(),
                                                     std::move(create));
    // While the first submission is still being saved: its catalogue key, in words.
    if (!location && location.error().code == ErrorCode::conflict &&
        location.error().message.starts_with("accounts_"))
      return fail(ErrorCode::conflict, s.view.catalog().text(r.lang, location.error().message));
    return location;
  }

  static std::optional<http::Response> need_account(web::Services& s, const http::Request& r) {
    if (r.account_id != 0) return std::nullopt;
    return web::error_response(s.view, r, 401);
  }

  // The files of each of `processes`, by process id, in one query.
  static Result<std::map<std::int64_t, std::vector<files::StoredFile>>> process_files(
      web::Services& s, const std::vector<Process>& processes) {
    std::vector<std::int64_t> ids;
    for (const auto& p : processes) ids.push_back(p.id);
    return files::FileStore(s.db, s.data_dir).list_for("process", ids);
  }

  // A process as its reader may see it: drafts only for those who may edit them.
  static Result<Process> visible_process(web::Services& s, const http::Request& r,
                                         std::int64_t id) {
    AH_TRY(process, ProcessStore(s.db).find(id));
    AH_TRY_STATUS(may_see(s, r, process));
    return process;
  }

  // not_found for a draft its reader may not edit; asks the database only for drafts.
  static Status may_see(web::Services& s, const http::Request& r, const Process& process) {
    if (process.state != ProcessState::draft) return {};
    AH_TRY(may, authz::Authorizer(s.db).can(r.account_id, authz::Action::process_edit,
                                            authz::Target::space("process", process.id, process.org_id)));
    if (!may) return fail(ErrorCode::not_found, "no such process");
    return {};
  }

  static http::Response api_list(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    participation::ProcessFilter filter;
    if (auto org = query->get("org"); !org.empty()) {
      auto found = orgs::OrgStore(s.db).find(org);
      if (!found)
        return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_org"));
      filter.org_id = found->id;
    }
    filter.kreis_ags = std::string(query->get("kreis"));
    filter.topic = std::string(query->get("topic"));
    if (!filter.topic.empty() && !participation::is_process_topic(filter.topic))
      return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_topic"));
    filter.text = std::string(query->get("q"));
    if (auto state = query->get("state"); !state.empty()) {
      auto parsed = participation::process_state_from_string(state);
      if (!parsed || *parsed == ProcessState::draft)
        return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_state"));
      filter.state = parsed;
    }
    int limit = page_limit(query->get("limit"));
    if (limit < 0)
      return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_limit"));
    auto page = ProcessStore(s.db).list(filter, query->get("cursor"), limit);
    if (!page) return web::error_response(s.view, r, page.error());
    json items = json::array();
    auto now = accounts::unix_now();
    auto files_of = process_files(s, page->items);
    if (!files_of) return web::error_response(s.view, r, files_of.error());
    for (const auto& p : page->items) items.push_back(process_json(p, now, (*files_of)[p.id]));
    return json_response(
        {{"items", items},
         {"next_cursor", page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)}});
  }

  static http::Response api_create(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (auto refused = need_account(s, r)) return *refused;
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_json"));
    auto org = orgs::OrgStore(s.db).find(string_field(body, "org"));
    if (!org) return web::error_response(s.view, r, 422, c.text(r.lang, "participation_error_org"));
    auto may = authz::Authorizer(s.db).can(r.account_id, authz::Action::process_create,
                                           authz::Target::organisation(org->id));
    if (!may) return web::error_response(s.view, r, may.error());
    if (!*may)
      return web::error_response(s.view, r, 403, c.text(r.lang, "participation_error_not_staff"));
    NewProcess p{.org_id = org->id,
                 .title = string_field(body, "title"),
                 .summary = string_field(body, "summary"),
                 .body = string_field(body, "body"),
                 .topic = string_field(body, "topic"),
                 .area_ags = string_field(body, "area")};
    auto state = participation::process_state_from_string(string_field(body, "state"));
    p.state = state.value_or(ProcessState::draft);
    if (auto phases = body.find("phases"); phases != body.end() && phases->is_array()) {
      for (const auto& item : *phases) {
        if (!item.is_object())
          return invalid(s, r, {{"phases", "participation_error_phase_dates"}});
        auto starts = parse_rfc3339(string_field(item, "starts_at"));
        auto ends = parse_rfc3339(string_field(item, "ends_at"));
        if (!starts || !ends) return invalid(s, r, {{"phases", "participation_error_phase_dates"}});
        p.phases.push_back({string_field(item, "title"), *starts, *ends,
                            item.value("propose", false), item.value("comment", false),
                            item.value("support", false)});
      }
    }
    if (auto errors = participation::validate(p); !errors.empty()) return invalid(s, r, errors);
    auto id = ProcessStore(s.db).create(p, r.account_id, accounts::unix_now());
    if (!id && id.error().message == "participation_error_area")
      return invalid(s, r, {{"area", "participation_error_area"}});
    if (!id) return web::error_response(s.view, r, id.error());
    // The author runs the process: owner of its space.
    if (auto granted = authz::SpaceRoleStore(s.db).grant(
            "process", *id, r.account_id, authz::SpaceRole::owner, accounts::unix_now());
        !granted)
      return web::error_response(s.view, r, granted.error());
    auto created = ProcessStore(s.db).find(*id);
    if (!created) return web::error_response(s.view, r, created.error());
    auto response = json_response(process_json(*created, accounts::unix_now(), {}), 201);
    response.headers.set("Location", "/api/v1/processes/" + std::to_string(*id));
    return response;
  }

  static http::Response api_process(web::Services& s, http::Request& r) {
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto process = visible_process(s, r, *id);
    if (!process) return web::error_response(s.view, r, process.error());
    auto files_of = process_files(s, {*process});
    if (!files_of) return web::error_response(s.view, r, files_of.error());
    return json_response(process_json(*process, accounts::unix_now(), (*files_of)[*id]));
  }

  static http::Response api_proposals(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto process = visible_process(s, r, *id);
    if (!process) return web::error_response(s.view, r, process.error());
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    auto order = parse_order(query->get("order"), query->get("seed"));
    if (!order)
      return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_order"));
    int limit = page_limit(query->get("limit"));
    if (limit < 0)
      return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_limit"));
    auto page =
        ProposalStore(s.db).list(*id, order->order, query->get("cursor"), limit, order->seed.value_or(0));
    if (!page) return web::error_response(s.view, r, page.error());
    auto shown = participation::Visibility::load(s, r, *process);
    if (!shown) return web::error_response(s.view, r, shown.error());
    json items = json::array();
    for (const auto& p : page->items) items.push_back(proposal_json(p, c, r.lang, *shown));
    return json_response(
        {{"items", items},
         {"next_cursor", page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)}});
  }

  static http::Response api_propose(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    if (auto refused = need_account(s, r)) return *refused;
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto process = visible_process(s, r, *id);
    if (!process) return web::error_response(s.view, r, process.error());
    if (!process->allows_propose(accounts::unix_now()))
      return web::error_response(s.view, r, 409,
                                 c.text(r.lang, "participation_error_not_proposing"));
    if (auto refused = participation::refuse_contribution(s, r, *process)) return *refused;
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_json"));
    NewProposal p{.title = string_field(body, "title"),
                  .body = string_field(body, "body"),
                  .category = string_field(body, "category"),
                  .lat = number_field(body, "lat"),
                  .lon = number_field(body, "lon"),
                  .place = participation::place_from_json(body)};
    auto errors = participation::validate(p);
    if (errors.empty())
      errors = participation::place_errors(participation::Places::of(s).area_of(*process), p);
    if (!errors.empty()) return invalid(s, r, errors);
    auto created = ProposalStore(s.db).create(*id, p, r.account_id, accounts::unix_now());
    if (!created) return web::error_response(s.view, r, created.error());
    auto proposal = ProposalStore(s.db).find(*created);
    if (!proposal) return web::error_response(s.view, r, proposal.error());
    auto response = json_response(proposal_json(*proposal, c, r.lang, {}), 201);
    response.headers.set("Location", "/api/v1/proposals/" + std::to_string(*created));
    return response;
  }

  // The proposal, if its process is visible to the reader.
  static Result<std::pair<Proposal, Process>> visible_proposal(web::Services& s,
                                                               const http::Request& r) {
    auto id = parse_id(r.param("id"));
    if (!id) return fail(ErrorCode::not_found, "no such proposal");
    AH_TRY(found, ProposalStore(s.db).find_with_process(*id));
    if (found.first.state == participation::ProposalState::withdrawn)
      return fail(ErrorCode::not_found, "withdrawn");
    AH_TRY_STATUS(may_see(s, r, found.second));
    return found;
  }

  // For the forms on a proposal: the proposal and its process, or the response that ends
  // the request (the login page for anonymous people, the error for what they may not see).
  static std::expected<std::pair<Proposal, Process>, http::Response> acting_on_proposal(
      web::Services& s, const http::Request& r) {
    if (r.account_id == 0) return std::unexpected(http::Response::redirect("/konto/anmelden"));
    auto found = visible_proposal(s, r);
    if (!found) return std::unexpected(web::error_response(s.view, r, found.error()));
    return std::move(*found);
  }

  static http::Response api_proposal(web::Services& s, http::Request& r) {
    auto found = visible_proposal(s, r);
    if (!found) return web::error_response(s.view, r, found.error());
    auto shown = participation::Visibility::load(s, r, found->second);
    if (!shown) return web::error_response(s.view, r, shown.error());
    json body = proposal_json(found->first, s.view.catalog(), r.lang, *shown);
    if (r.account_id != 0) {
      auto supported = ProposalStore(s.db).supports(found->first.id, r.account_id);
      if (!supported) return web::error_response(s.view, r, supported.error());
      body["supported"] = *supported;
    }
    return json_response(body);
  }

  static http::Response api_support(web::Services& s, http::Request& r, bool give) {
    const auto& c = s.view.catalog();
    if (auto refused = need_account(s, r)) return *refused;
    auto found = visible_proposal(s, r);
    if (!found) return web::error_response(s.view, r, found.error());
    if (!found->second.allows_support(accounts::unix_now()))
      return web::error_response(s.view, r, 409,
                                 c.text(r.lang, "participation_error_not_supporting"));
    if (auto refused = participation::refuse_contribution(s, r, found->second, &found->first))
      return *refused;
    ProposalStore store(s.db);
    auto count = give ? store.support(found->first.id, r.account_id, accounts::unix_now())
                      : store.withdraw_support(found->first.id, r.account_id);
    if (!count) return web::error_response(s.view, r, count.error());
    return json_response({{"support_count", *count}, {"supported", give}});
  }

  static http::Response render(web::Services& s, const http::Request& r, std::string_view page,
                               web::Data data, const std::string& title, int status = 200) {
    return participation::render_page(s, r, page, std::move(data), title, status, "no-cache");
  }

  // GET /beteiligung
  static http::Response list_page(web::Services& s, http::Request& r,
                                  orgs::OrgListCache& org_lists) {
    const auto& c = s.view.catalog();
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    participation::ProcessFilter filter;
    std::string kreis(query->get("kreis"));
    std::string state(query->get("state"));
    std::string org_key(query->get("org"));
    std::string gemeinde(query->get("gemeinde"));
    std::string topic(query->get("topic"));
    std::string text(query->get("q"));
    filter.kreis_ags = kreis;
    filter.gemeinde_ags = gemeinde;
    filter.topic = topic;
    filter.text = text;
    if (!topic.empty() && !participation::is_process_topic(topic))
      return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_topic"));
    web::Data data{web::Data::type::object};
    if (!org_key.empty()) {
      // The processes of one organisation (linked from its page).
      auto org = orgs::OrgStore(s.db).find(org_key);
      if (!org) return web::error_response(s.view, r, 404);
      filter.org_id = org->id;
      data.set("org_name", org->name);
      data.set("org_key", org->key());
    }
    if (!state.empty()) {
      auto parsed = participation::process_state_from_string(state);
      if (!parsed || *parsed == ProcessState::draft)
        return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_state"));
      filter.state = parsed;
    }
    auto page = ProcessStore(s.db).list(filter, query->get("cursor"), kPageSize);
    if (!page) return web::error_response(s.view, r, page.error());
    // The options of the Kreis and Gemeinde filters; a kreisfreie Stadt is both and is
    // named by its Kreis key in the first and by its AGS in the second.
    for (auto [type, field, chosen, by_kreis] :
         {std::tuple{"kreis", "kreise", kreis, true},
          std::tuple{"gemeinde", "gemeinden", gemeinde, false}}) {
      auto found = org_lists.list(s.db, {.type = std::string(type)}, 500);
      if (!found) return web::error_response(s.view, r, found.error());
      // Built in place (web/data.h): 232 options on every request of this page.
      web::Data options = web::list_with_room((*found)->size());
      for (const auto& o : **found) {
        const std::string& key = by_kreis && !o.kreis_ags.empty() ? o.kreis_ags : o.ags;
        web::Data& item = web::append(options, web::Data{web::Data::type::object});
        item.set("selected", key == chosen);
        web::put(item, "ags", web::Data(key));
        web::put(item, "name", web::Data(o.name));
      }
      web::put(data, field, std::move(options));
    }
    data.set("state_published", state == "published");
    data.set("state_closed", state == "closed");
    data.set("topics", topic_options(c, r.lang, topic));
    data.set("q", text);
    data.set("searched", !search::Query::parse(text).blank());
    auto now = accounts::unix_now();
    auto files_of = process_files(s, page->items);
    if (!files_of) return web::error_response(s.view, r, files_of.error());
    web::Data list = web::list_with_room(page->items.size());
    for (const auto& p : page->items) {
      web::Data& item = web::append(list, web::Data{web::Data::type::object});
      // The cover as a small picture beside the card's text; its alt text stays empty
      // (decorative: the title next to it says what the card is about).
      for (const auto& f : (*files_of)[p.id]) {
        if (f.purpose != "cover") continue;
        web::Data& cover = web::put(item, "cover", web::Data{web::Data::type::object});
        cover.set("url", f.url());
        cover.set("width", std::to_string(f.width));
        cover.set("height", std::to_string(f.height));
      }
      item.set("title", p.title);
      item.set("href", "/beteiligung/" + std::to_string(p.id));
      item.set("org_name", p.org_name);
      if (!p.topic.empty()) item.set("topic", topic_name(c, r.lang, p.topic));
      item.set("summary", p.summary);
      if (const Phase* phase = p.phase_at(now); phase && p.state == ProcessState::published)
        item.set("phase", phase->title);
      item.set("state_label", c.text(r.lang, "participation_state_" +
                                                 std::string(participation::to_string(p.state))));
    }
    web::put(data, "processes", std::move(list));
    if (r.account_id != 0) {
      auto mine = admin_of(s, r.account_id);
      if (!mine) return web::error_response(s.view, r, mine.error());
      data.set("can_create", !mine->empty());
    }
    if (!page->next_cursor.empty())
      data.set("next_href", "/beteiligung?" + http::build_query({{"org", org_key},
                                                                 {"gemeinde", gemeinde},
                                                                 {"kreis", kreis},
                                                                 {"state", state},
                                                                 {"topic", topic},
                                                                 {"q", text},
                                                                 {"cursor", page->next_cursor}}));
    return render(s, r, "participation_list", std::move(data), c.text(r.lang, "participation_heading"));
  }

  static constexpr std::size_t kPhaseRows = 5;
  static constexpr std::size_t kMaxPhaseRows = 12;  // participation's limit on phases

  // The organisations the person may start processes for (admin there).
  static Result<std::vector<authz::Membership>> admin_of(web::Services& s, std::int64_t account) {
    AH_TRY(mine, authz::MembershipStore(s.db).list_for_account(account));
    std::vector<authz::Membership> out;
    for (auto& m : mine)
      if (m.state == authz::MembershipState::active && m.role == authz::OrgRole::admin)
        out.push_back(std::move(m));
    return out;
  }

  struct Upload {
    std::string purpose, title;
    files::CheckedUpload file;
  };

  // The cover image (with its required alt text) and the attachments sent with the create
  // form, checked; what is wrong goes into `form`. Browsers cannot refill file inputs, so
  // when the form comes back for any reason after files were chosen, it says so.
  static std::vector<Upload> checked_uploads(web::Services& s, const http::Request& r,
                                             const http::MultipartForm& sent,
                                             web::FormState& form) {
    const auto& c = s.view.catalog();
    std::vector<Upload> out;
    const std::string alt(sent.fields.get("cover_alt"));
    form.values["cover_alt"] = alt;
    if (const http::UploadedFile* cover = sent.file("cover")) {
      auto checked = files::check_upload(*cover, files::Accept::images);
      if (!checked)
        form.messages["cover"] = files::describe(checked.error(), c, r.lang);
      else if (alt.find_first_not_of(" \t\r\n") == std::string::npos)
        form.errors["cover_alt"] = "participation_error_cover_alt";
      else
        out.push_back({"cover", alt, std::move(*checked)});
    }
    for (auto& a : files::checked_attachments(sent, kAttachmentRows, c, r.lang, form))
      out.push_back({"attachment", std::move(a.title), std::move(a.file)});
    if (!form.ok() && !sent.files.empty())
      form.messages["files"] = c.text(r.lang, "participation_files_choose_again");
    return out;
  }

  // A row of the phase table as typed (dates as yyyy-mm-dd in Berlin).
  struct PhaseRow {
    std::string title, from, to;
    bool propose = false, comment = false, support = false;
  };

  // The phase rows as a process has them.
  static std::vector<PhaseRow> phase_rows_of(const std::vector<Phase>& phases) {
    std::vector<PhaseRow> rows;
    for (const auto& phase : phases)
      rows.push_back({phase.title, web::berlin_date_value(phase.starts_at),
                      web::berlin_date_value(phase.ends_at - 1), phase.allow_propose,
                      phase.allow_comment, phase.allow_support});
    return rows;
  }

  // GET/POST /beteiligung/neu (editing: nullopt) and /beteiligung/{id}/bearbeiten: one form
  // for starting a process and for changing it later — texts, topic, phases, state, cover
  // image and attachments (added, replaced, removed).
  static http::Response process_form(web::Services& s, http::Request& r, bool submitted,
                                     bool editing) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    std::vector<authz::Membership> orgs_of;
    std::optional<Process> existing;
    std::vector<files::StoredFile> stored;
    if (editing) {
      auto id = parse_id(r.param("id"));
      if (!id) return web::error_response(s.view, r, 404);
      auto found = visible_process(s, r, *id);
      if (!found) return web::error_response(s.view, r, found.error());
      auto may = authz::Authorizer(s.db).can(r.account_id, authz::Action::process_edit,
                                             authz::Target::space("process", *id, found->org_id));
      if (!may) return web::error_response(s.view, r, may.error());
      if (!*may)
        return web::error_response(s.view, r, 403, c.text(r.lang, "participation_error_not_editor"));
      existing = std::move(*found);
      auto files_of = files::FileStore(s.db, s.data_dir).list({"process", existing->id});
      if (!files_of) return web::error_response(s.view, r, files_of.error());
      stored = std::move(*files_of);
    } else {
      auto mine = admin_of(s, r.account_id);
      if (!mine) return web::error_response(s.view, r, mine.error());
      if (mine->empty())
        return web::error_response(s.view, r, 403, c.text(r.lang, "participation_error_not_staff"));
      orgs_of = std::move(*mine);
    }
    web::FormState form;
    http::MultipartForm multipart;
    std::string chosen_org = editing ? existing->org_key : orgs_of.front().org_key;
    std::string state = editing ? std::string(participation::to_string(existing->state)) : "draft";
    std::set<std::int64_t> removing;  // ids of stored files ticked for removal
    std::vector<PhaseRow> rows;
    if (!submitted && editing) {
      form.values = {{"title", existing->title},
                     {"summary", existing->summary},
                     {"body", existing->body},
                     {"topic", existing->topic},
                     {"area", existing->area_ags}};
      rows = phase_rows_of(existing->phases);
    } else if (!submitted) {
      // A sequence most processes follow, starting today; staff change what they need.
      const std::int64_t today = accounts::unix_now(), day = 86400;
      rows = {{c.text(r.lang, "participation_default_phase_info"), web::berlin_date_value(today),
               web::berlin_date_value(today + 13 * day), false, true, false},
              {c.text(r.lang, "participation_default_phase_ideas"),
               web::berlin_date_value(today + 14 * day), web::berlin_date_value(today + 41 * day),
               true, true, true},
              {c.text(r.lang, "participation_default_phase_rating"),
               web::berlin_date_value(today + 42 * day), web::berlin_date_value(today + 55 * day),
               false, true, true},
              {c.text(r.lang, "participation_default_phase_result"),
               web::berlin_date_value(today + 56 * day), web::berlin_date_value(today + 146 * day),
               false, false, false}};
      if (auto query = http::parse_query(r.query); query && !query->get("org").empty())
        chosen_org = query->get("org");
      form.values["once"] = accounts::Submissions::new_key();
    } else {
      // Each file's own limit is checked by files::check_upload, which says it in the
      // person's language; the route's body limit bounds them all.
      auto sent = http::parse_any_form(r.headers.get("Content-Type"), r.body,
                                       {.max_file_size = kNewProcessBodyLimit});
      if (!sent) return web::error_response(s.view, r, sent.error());
      multipart = std::move(*sent);
      const http::ParamList* parsed = &multipart.fields;
      if (!editing) chosen_org = parsed->get("org");
      state = parsed->get("state");
      auto chosen_state = participation::process_state_from_string(state);
      if (!chosen_state || (!editing && *chosen_state == ProcessState::closed))
        chosen_state = ProcessState::draft, state = "draft";
      NewProcess p{.title = std::string(parsed->get("title")),
                   .summary = std::string(parsed->get("summary")),
                   .body = std::string(parsed->get("body")),
                   .topic = std::string(parsed->get("topic")),
                   .state = *chosen_state};
      p.area_ags = std::string(parsed->get("area"));
      form.values = {{"title", p.title},
                     {"summary", p.summary},
                     {"body", p.body},
                     {"topic", p.topic},
                     {"area", p.area_ags},
                     {"once", std::string(parsed->get("once"))}};
      for (std::size_t i = 0; i < kMaxPhaseRows; ++i) {
        std::string prefix = "phase" + std::to_string(i) + "_";
        PhaseRow row{
            std::string(parsed->get(prefix + "title")), std::string(parsed->get(prefix + "from")),
            std::string(parsed->get(prefix + "to")),    parsed->get(prefix + "propose") == "1",
            parsed->get(prefix + "comment") == "1",     parsed->get(prefix + "support") == "1"};
        if (row.title.empty() && row.from.empty() && row.to.empty()) continue;
        rows.push_back(row);
        auto from = web::berlin_midnight(row.from);
        auto to = web::berlin_midnight(row.to);
        if (!from || !to) {
          form.errors.emplace("phases", "participation_error_phase_day");
          continue;
        }
        // The last day counts whole: the phase ends at the following midnight.
        auto end = web::berlin_midnight(web::berlin_date_value(*to + 36 * 3600));
        p.phases.push_back(
            {row.title, *from, end.value_or(*to + 86400), row.propose, row.comment, row.support});
      }
      if (!editing) {
        bool allowed = false;
        for (const auto& m : orgs_of)
          if (m.org_key == chosen_org) {
            allowed = true;
            p.org_id = m.org_id;
          }
        if (!allowed)
          return web::error_response(s.view, r, 403,
                                     c.text(r.lang, "participation_error_not_staff"));
      }
      for (auto value : multipart.fields.all("remove_file"))
        if (auto id = parse_id(value)) removing.insert(*id);
      for (const auto& [field, key] : participation::validate(p)) form.errors.emplace(field, key);
      auto areas = participation::process_areas(s.db, editing ? existing->org_id : p.org_id);
      if (!areas) return web::error_response(s.view, r, areas.error());
      if (!p.area_ags.empty() &&
          std::none_of(areas->begin(), areas->end(),
                       [&](const auto& area) { return area.first == p.area_ags; }))
        form.errors.emplace("area", "participation_error_area");
      auto uploads = checked_uploads(s, r, multipart, form);
      if (form.ok()) {
        // Bytes first: a full disk refuses the form before the process changes.
        files::FileStore file_store(s.db, s.data_dir);
        std::vector<std::string> hashes;
        for (const auto& upload : uploads) {
          auto hash = file_store.put_bytes(upload.file);
          if (!hash) return web::error_response(s.view, r, hash.error());
          hashes.push_back(std::move(*hash));
        }
        auto add_files = [&](std::int64_t id) -> Status {
          for (std::size_t i = 0; i < uploads.size(); ++i) {
            auto added = file_store.add_row(
                {{"process", id}, uploads[i].purpose, uploads[i].title, r.account_id},
                uploads[i].file, hashes[i], accounts::unix_now());
            if (!added) return std::unexpected(added.error());
          }
          return {};
        };
        if (editing) {
          const std::int64_t id = existing->id;
          if (auto done = ProcessStore(s.db).update(id, p, accounts::unix_now()); !done)
            return web::error_response(s.view, r, done.error());
          // A new cover replaces the old one.
          const bool new_cover = std::any_of(uploads.begin(), uploads.end(),
                                             [](const Upload& u) { return u.purpose == "cover"; });
          for (const auto& f : stored)
            if (removing.contains(f.id) || (new_cover && f.purpose == "cover"))
              if (auto gone = file_store.remove({"process", id}, f.id); !gone)
                return web::error_response(s.view, r, gone.error());
          if (auto added = add_files(id); !added)
            return web::error_response(s.view, r, added.error());
          return http::Response::redirect("/beteiligung/" + std::to_string(id) + "?gespeichert=1");
        }
        auto location = create_once(s, r, form.values["once"], [&]() -> Result<std::string> {
          AH_TRY(id, ProcessStore(s.db).create(p, r.account_id, accounts::unix_now()));
          AH_TRY_STATUS(authz::SpaceRoleStore(s.db).grant("process", id, r.account_id,
                                                          authz::SpaceRole::owner,
                                                          accounts::unix_now()));
          AH_TRY_STATUS(add_files(id));
          return "/beteiligung/" + std::to_string(id);
        });
        if (!location) return web::error_response(s.view, r, location.error());
        return http::Response::redirect(*location);
      }
    }
    // Room for two more phases than there are, at least kPhaseRows.
    const std::size_t shown_rows = std::min(kMaxPhaseRows, std::max(kPhaseRows, rows.size() + 2));
    while (rows.size() < shown_rows) rows.push_back({});
    web::Data data = web::form_data(c, r.lang, form);
    data.set("editing", editing);
    std::string heading;
    if (editing) {
      const std::string base = "/beteiligung/" + std::to_string(existing->id);
      data.set("action", base + "/bearbeiten");
      data.set("back_href", base);
      data.set("back_label", c.text(r.lang, "participation_back_to") + " " + existing->title);
      heading = c.text(r.lang, "participation_edit_process_heading");
      data.set("intro", c.text(r.lang, "participation_edit_process_intro"));
      data.set("submit", c.text(r.lang, "participation_edit_process_submit"));
      data.set("org_name", existing->org_name);
    } else {
      data.set("action", "/beteiligung/neu");
      data.set("back_href", "/beteiligung");
      data.set("back_label", c.text(r.lang, "participation_back"));
      heading = c.text(r.lang, "participation_new_heading");
      data.set("intro", c.text(r.lang, "participation_new_intro"));
      data.set("submit", c.text(r.lang, "participation_new_submit"));
    }
    web::Data orgs_list{web::Data::type::list};
    for (const auto& m : orgs_of) {
      web::Data item{web::Data::type::object};
      item.set("key", m.org_key);
      item.set("name", m.org_name);
      item.set("selected", m.org_key == chosen_org);
      orgs_list.push_back(item);
    }
    data.set("orgs", orgs_list);
    data.set("topics", topic_options(c, r.lang, form.values["topic"]));
    // The areas of the chosen organisation (or the process's), its own territory first.
    std::int64_t area_org = editing ? existing->org_id : orgs_of.front().org_id;
    for (const auto& m : orgs_of)
      if (m.org_key == chosen_org) area_org = m.org_id;
    auto areas = participation::process_areas(s.db, area_org);
    if (!areas) return web::error_response(s.view, r, areas.error());
    web::Data area_options{web::Data::type::list};
    for (const auto& [ags, name] : *areas) {
      web::Data item{web::Data::type::object};
      item.set("ags", ags);
      item.set("name", name);
      item.set("selected", ags == form.values["area"]);
      area_options.push_back(item);
    }
    data.set("areas", area_options);
    web::Data phase_rows{web::Data::type::list};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      web::Data item{web::Data::type::object};
      item.set("i", std::to_string(i));
      item.set("n", std::to_string(i + 1));
      item.set("title", rows[i].title);
      item.set("from", rows[i].from);
      item.set("to", rows[i].to);
      item.set("propose", rows[i].propose);
      item.set("comment", rows[i].comment);
      item.set("support", rows[i].support);
      phase_rows.push_back(item);
    }
    data.set("phase_rows", phase_rows);
    // What the process has: each file with a box to tick for removal (kept ticked when the
    // form comes back).
    web::Data current_files{web::Data::type::list};
    for (const auto& f : stored) {
      web::Data item{web::Data::type::object};
      item.set("id", std::to_string(f.id));
      item.set("url", f.url());
      item.set("title", f.title);
      item.set("kind", c.text(r.lang, f.purpose == "cover" ? "participation_field_cover"
                                                           : "participation_field_attachment"));
      item.set("about", files::describe_file(f, c, r.lang));
      item.set("removing", removing.contains(f.id));
      current_files.push_back(item);
    }
    data.set("has_current_files", !stored.empty());
    data.set("current_files", current_files);
    web::Data attachment_rows{web::Data::type::list};
    for (int i = 0; i < kAttachmentRows; ++i) {
      const std::string field = "attachment" + std::to_string(i);
      web::Data item{web::Data::type::object};
      item.set("i", std::to_string(i));
      item.set("n", std::to_string(i + 1));
      item.set("title", std::string(multipart.fields.get(field + "_title")));
      if (auto error = form.messages.find(field); error != form.messages.end())
        item.set("error", error->second);
      else
        item.set("error", false);
      attachment_rows.push_back(item);
    }
    data.set("attachment_rows", attachment_rows);
    data.set("image_limit", std::to_string(files::kMaxImageBytes / (1024 * 1024)));
    data.set("pdf_limit", std::to_string(files::kMaxPdfBytes / (1024 * 1024)));
    web::Data states{web::Data::type::list};
    for (auto [value, label] : {std::pair{"draft", "participation_state_choice_draft"},
                                std::pair{"published", "participation_state_choice_published"},
                                std::pair{"closed", "participation_state_choice_closed"}}) {
      if (!editing && std::string_view(value) == "closed") continue;
      web::Data item{web::Data::type::object};
      item.set("value", value);
      item.set("label", c.text(r.lang, label));
      item.set("checked", state == value);
      states.push_back(item);
    }
    data.set("states", states);
    data.set("heading", heading);
    return render(s, r, "participation_new", std::move(data), heading,
                  form.ok() ? 200 : 422);
  }

  // GET /beteiligung/{id}
  static http::Response process_page(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto process = visible_process(s, r, *id);
    if (!process) return web::error_response(s.view, r, process.error());
    auto query = http::parse_query(r.query);
    if (!query) return web::error_response(s.view, r, 400);
    std::string base = "/beteiligung/" + std::to_string(*id);
    auto order = parse_order(query->get("order"), query->get("seed"));
    if (!order) order = OrderChoice{};
    // A random order gets its seed once and keeps it in every link, so the visitor's pages
    // neither repeat nor skip proposals — without a cookie.
    if (order->order == ProposalOrder::random && !order->seed)
      return http::Response::redirect(
          base + "?" + http::build_query({{"order", "random"}, {"seed", std::to_string(new_seed())}}));
    auto proposals = ProposalStore(s.db).list(*id, order->order, query->get("cursor"), kPageSize,
                                              order->seed.value_or(0));
    if (!proposals) return web::error_response(s.view, r, proposals.error());
    // The answers' tally counts every proposal that is not withdrawn: its sum is the count.
    auto tally = participation::AnswerStore(s.db).tally(*id);
    if (!tally) return web::error_response(s.view, r, tally.error());
    std::int64_t proposal_count = 0;
    for (const auto& [state, n] : *tally) proposal_count += n;
    auto now = accounts::unix_now();
    web::Data data{web::Data::type::object};
    data.set("title", process->title);
    data.set("org_name", process->org_name);
    data.set("org_href", "/organisationen/" + process->org_key);
    data.set("topic", topic_name(c, r.lang, process->topic));
    data.set("area_name", process->area_name);
    data.set("summary", process->summary);
    data.set("body_html", web::rich_text(process->body, s, /*allow_images=*/true));
    data.set("poster_href", base + "/aushang.pdf");
    data.set("feed_href", base + "/feed.atom");
    auto stored = files::FileStore(s.db, s.data_dir).list({"process", *id});
    if (!stored) return web::error_response(s.view, r, stored.error());
    web::Data attachments{web::Data::type::list};
    for (const auto& f : *stored) {
      web::Data item{web::Data::type::object};
      item.set("url", f.url());
      item.set("title", f.title);
      if (f.purpose == "cover") {
        item.set("width", std::to_string(f.width));
        item.set("height", std::to_string(f.height));
        data.set("cover", item);
      } else if (f.purpose == "attachment") {
        item.set("about", files::describe_file(f, c, r.lang));
        item.set("media_type", f.media_type);
        attachments.push_back(item);
      }
    }
    data.set("has_attachments", !attachments.is_empty_list());
    data.set("attachments", attachments);
    auto may_edit =
        authz::Authorizer(s.db).can(r.account_id, authz::Action::process_edit,
                                    authz::Target::space("process", *id, process->org_id));
    if (!may_edit) return web::error_response(s.view, r, may_edit.error());
    data.set("can_export", *may_edit);
    if (*may_edit) {
      data.set("edit_href", base + "/bearbeiten");
      data.set("team_href", base + "/team");
    }
    data.set("saved", *may_edit && query->get("gespeichert") == "1");
    data.set("csv_href", base + "/vorschlaege.csv");
    data.set("xlsx_href", base + "/vorschlaege.xlsx");
    data.set("comments_csv_href", base + "/kommentare.csv");
    data.set("comments_xlsx_href", base + "/kommentare.xlsx");
    data.set("stats_href", base + "/statistik");
    web::Data phases{web::Data::type::list};
    const Phase* current = process->phase_at(now);
    for (const auto& phase : process->phases) {
      web::Data item{web::Data::type::object};
      item.set("title", phase.title);
      item.set("from", web::format_date(phase.starts_at, r.lang));
      item.set("to", web::format_date(phase.ends_at - 1, r.lang));
      item.set("current", &phase == current);
      phases.push_back(item);
    }
    data.set("phases", phases);
    data.set("proposal_count", web::format_integer(proposal_count, r.lang));
    auto shown = participation::Visibility::load(s, r, *process);
    if (!shown) return web::error_response(s.view, r, shown.error());
    if (shown->moderator()) {
      auto open_reports =
          moderation::ModerationStore(s.db).open_report_count(participation::space_of(*process));
      if (!open_reports) return web::error_response(s.view, r, open_reports.error());
      data.set("moderation_href", base + "/moderation");
      data.set("open_reports", web::format_integer(*open_reports, r.lang));
    }
    if (!shown->blocked_notice().empty()) data.set("blocked_notice", shown->blocked_notice());
    bool open = process->allows_propose(now) && shown->blocked_notice().empty();
    data.set("can_propose", open && r.account_id != 0);
    data.set("login_to_propose", open && r.account_id == 0);
    data.set("propose_href", base + "/vorschlag");
    web::Data orders{web::Data::type::list};
    for (auto [key, label] : {std::pair{"newest", "participation_order_newest"},
                              std::pair{"most_supported", "participation_order_supported"},
                              std::pair{"most_discussed", "participation_order_discussed"},
                              std::pair{"random", "participation_order_random"}}) {
      web::Data item{web::Data::type::object};
      item.set("href", base + "?order=" + key);
      item.set("label", c.text(r.lang, label));
      item.set("current", order->name == key);
      orders.push_back(item);
    }
    data.set("orders", orders);
    web::Data& list = web::put(data, "proposals", web::list_with_room(proposals->items.size()));
    for (const auto& p : proposals->items) {
      web::Data& item = web::append(list, web::Data{web::Data::type::object});
      web::put(item, "title", shown->conceals("proposal", p.id)
                                  ? shown->notice(c, r.lang, "proposal", p.id)
                                  : p.title);
      web::put(item, "hidden_marker", shown->moderator() && shown->hidden("proposal", p.id));
      web::put(item, "href", "/vorschlaege/" + std::to_string(p.id));
      web::put(item, "author", web::author_name(c, r.lang, p.author_name));
      web::put(item, "supports", web::format_integer(p.support_count, r.lang));
      set_answer_badge(item, c, r.lang, p.answer_state, p.progress);
    }
    if (!proposals->next_cursor.empty()) {
      std::vector<std::pair<std::string, std::string>> params{{"order", order->name}};
      if (order->seed) params.emplace_back("seed", std::to_string(*order->seed));
      params.emplace_back("cursor", proposals->next_cursor);
      data.set("next_href", base + "?" + http::build_query(params));
    }
    web::Data results{web::Data::type::list};
    std::int64_t answered = 0;
    for (const auto& [state, n] : *tally) {
      if (state == AnswerState::none) continue;
      answered += n;
      web::Data item{web::Data::type::object};
      item.set("label", c.text(r.lang, answer_label_key(state)));
      item.set("count", web::format_integer(n, r.lang));
      results.push_back(item);
    }
    data.set("results", results);
    data.set("has_results", answered > 0);
    if (auto set = participation::set_comment_section(s, r, *process, {process->id}, *shown,
                                                      shown->blocked_notice().empty(), data);
        !set)
      return web::error_response(s.view, r, set.error());
    return render(s, r, "participation_process", std::move(data), process->title);
  }

  // GET/POST /beteiligung/{id}/vorschlag
  static http::Response propose_page(web::Services& s, http::Request& r, bool submitted) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto process = visible_process(s, r, *id);
    if (!process) return web::error_response(s.view, r, process.error());
    if (!process->allows_propose(accounts::unix_now()))
      return web::error_response(s.view, r, 409,
                                 c.text(r.lang, "participation_error_not_proposing"));
    if (auto refused = participation::refuse_contribution(s, r, *process)) return *refused;
    const auto& places = participation::Places::of(s);
    const geo::Area area = places.area_of(*process);
    web::FormState form;
    if (submitted) {
      auto parsed = http::parse_form(r.body);
      if (!parsed) return web::error_response(s.view, r, 400);
      NewProposal p{.title = std::string(parsed->get("title")),
                    .body = std::string(parsed->get("body")),
                    .category = std::string(parsed->get("category"))};
      form.values = {{"title", p.title},
                     {"body", p.body},
                     {"category", p.category},
                     {"once", std::string(parsed->get("once"))}};
      participation::read_place_fields(*parsed, area, p, form);
      for (const auto& [field, key] : participation::validate(p)) form.errors.emplace(field, key);
      if (form.errors.empty()) {
        auto location = create_once(s, r, form.values["once"], [&]() -> Result<std::string> {
          AH_TRY(created, ProposalStore(s.db).create(*id, p, r.account_id, accounts::unix_now()));
          return "/vorschlaege/" + std::to_string(created);
        });
        if (!location) return web::error_response(s.view, r, location.error());
        return http::Response::redirect(*location);
      }
    } else {
      form.values["once"] = accounts::Submissions::new_key();
    }
    web::Data data = web::form_data(c, r.lang, form);
    data.set("process_title", process->title);
    data.set("process_href", "/beteiligung/" + std::to_string(*id));
    data.set("action", "/beteiligung/" + std::to_string(*id) + "/vorschlag");
    data.set("heading", c.text(r.lang, "participation_propose"));
    data.set("submit", c.text(r.lang, "participation_propose_submit"));
    participation::add_place_form(data, places, area, form);
    return render(s, r, "participation_propose", std::move(data), c.text(r.lang, "participation_propose"),
                  form.errors.empty() ? 200 : 422);
  }

  // GET /vorschlaege/{id}; after a refused answer (POST …/antwort) with that form's state.
  static http::Response proposal_page(web::Services& s, http::Request& r,
                                      const web::FormState* answer_form = nullptr) {
    const auto& c = s.view.catalog();
    auto found = visible_proposal(s, r);
    if (!found) return web::error_response(s.view, r, found.error());
    const auto& [proposal, process] = *found;
    auto shown = participation::Visibility::load(s, r, process);
    if (!shown) return web::error_response(s.view, r, shown.error());
    // A hidden proposal keeps its page: the notice replaces title and text, and nobody
    // supports, comments or reports it any more; moderators see the original, marked.
    const bool hidden = shown->hidden("proposal", proposal.id) != nullptr;
    web::Data data{web::Data::type::object};
    if (hidden) {
      data.set("hidden_notice", shown->notice(c, r.lang, "proposal", proposal.id));
      data.set("hidden_marker", shown->moderator());
    }
    bool concealed = shown->conceals("proposal", proposal.id);
    data.set("title",
             concealed ? shown->notice(c, r.lang, "proposal", proposal.id) : proposal.title);
    data.set("author", web::author_name(c, r.lang, proposal.author_name));
    data.set("created", web::format_date(proposal.created_at, r.lang));
    if (!concealed) {
      data.set("category", proposal.category);
      data.set("body_html", web::rich_text(proposal.body, s));
      participation::add_place_view(data, r.lang, participation::Places::of(s), process, proposal);
    }
    const bool mine = proposal.author_id && *proposal.author_id == r.account_id;
    if (!hidden && !mine)
      data.set("report_href", "/vorschlaege/" + std::to_string(proposal.id) + "/melden");
    if (!shown->blocked_notice().empty()) data.set("blocked_notice", shown->blocked_notice());
    const bool takes_part = !hidden && shown->blocked_notice().empty();
    data.set("supports", web::format_integer(proposal.support_count, r.lang));
    data.set("process_title", process.title);
    data.set("process_href", "/beteiligung/" + std::to_string(process.id));
    bool open = process.allows_support(accounts::unix_now()) && takes_part;
    data.set("can_support", open && r.account_id != 0);
    data.set("login_to_support", open && r.account_id == 0);
    data.set("support_action", "/vorschlaege/" + std::to_string(proposal.id) + "/unterstuetzung");
    if (auto set = participation::set_comment_section(
            s, r, process, {process.id, proposal.id}, *shown, takes_part, data);
        !set)
      return web::error_response(s.view, r, set.error());
    if (shown->moderator() && !hidden) {
      data.set("hide_action", "/beteiligung/" + std::to_string(process.id) + "/moderation");
      data.set("hide_target", "proposal:" + std::to_string(proposal.id));
      data.set("return_to", "/vorschlaege/" + std::to_string(proposal.id));
    }
    if (r.account_id != 0) {
      auto supported = ProposalStore(s.db).supports(proposal.id, r.account_id);
      if (!supported) return web::error_response(s.view, r, supported.error());
      data.set("supported", *supported);
    }
    const std::string self = "/vorschlaege/" + std::to_string(proposal.id);
    data.set("can_edit", mine && !hidden && editable(proposal, process));
    data.set("edit_href", self + "/bearbeiten");
    data.set("can_withdraw", mine && process.state != ProcessState::closed);
    data.set("withdraw_action", self + "/zurueckziehen");
    set_answer_badge(data, c, r.lang, proposal.answer_state, proposal.progress);
    auto history = participation::AnswerStore(s.db).history(proposal.id);
    if (!history) return web::error_response(s.view, r, history.error());
    web::Data answers{web::Data::type::list};
    for (auto it = history->rbegin(); it != history->rend(); ++it) {
      web::Data item{web::Data::type::object};
      item.set("state", c.text(r.lang, answer_label_key(it->state)));
      item.set("when", web::format_date(it->created_at, r.lang));
      item.set("author", web::author_name(c, r.lang, it->author_name));
      item.set("body_html", web::rich_text(it->text, s));
      answers.push_back(item);
    }
    data.set("answers", answers);
    data.set("has_answers", !history->empty());
    auto may_answer = authz::Authorizer(s.db).can(
        r.account_id, authz::Action::process_answer,
        authz::Target::space("process", process.id, process.org_id));
    if (!may_answer) return web::error_response(s.view, r, may_answer.error());
    if (*may_answer)
      data.set("answer_form",
               answer_form_data(c, r.lang, proposal, answer_form ? *answer_form : web::FormState{}));
    return render(s, r, "participation_proposal", std::move(data),
                  concealed ? shown->notice(c, r.lang, "proposal", proposal.id) : proposal.title,
                  answer_form && !answer_form->errors.empty() ? 422 : 200);
  }

  // Whether the author may still change the text: nobody has supported or commented on it,
  // and the process still takes proposals.
  static bool editable(const Proposal& p, const Process& process) {
    return p.state == participation::ProposalState::open && p.support_count == 0 &&
           p.comment_count == 0 && process.allows_propose(accounts::unix_now());
  }

  // The answer form's fields: the current state preselected, what was typed kept.
  static web::Data answer_form_data(const web::Catalog& c, std::string_view lang,
                                    const Proposal& proposal, const web::FormState& form) {
    web::Data data = web::form_data(c, lang, form);
    const std::string chosen = form.values.contains("state")
                                   ? form.values.at("state")
                                   : std::string(participation::to_string(proposal.answer_state));
    web::Data states{web::Data::type::list};
    for (auto state : {AnswerState::reviewing, AnswerState::accepted, AnswerState::rejected,
                       AnswerState::implemented}) {
      web::Data item{web::Data::type::object};
      item.set("value", std::string(participation::to_string(state)));
      item.set("label", c.text(lang, answer_label_key(state)));
      item.set("selected", chosen == participation::to_string(state));
      states.push_back(item);
    }
    data.set("states", states);
    if (!form.values.contains("progress"))
      data.set("value_progress", std::to_string(proposal.progress));
    data.set("action", "/vorschlaege/" + std::to_string(proposal.id) + "/antwort");
    return data;
  }

  // GET/POST /vorschlaege/{id}/bearbeiten: the author changes the text while it is editable.
  static http::Response edit_page(web::Services& s, http::Request& r, bool submitted) {
    const auto& c = s.view.catalog();
    auto found = acting_on_proposal(s, r);
    if (!found) return found.error();
    const auto& [proposal, process] = *found;
    if (!proposal.author_id || *proposal.author_id != r.account_id)
      return web::error_response(s.view, r, 403, c.text(r.lang, "participation_error_not_author"));
    if (!editable(proposal, process))
      return web::error_response(s.view, r, 409,
                                 c.text(r.lang, "participation_error_edit_closed"));
    const std::string self = "/vorschlaege/" + std::to_string(proposal.id);
    const auto& places = participation::Places::of(s);
    const geo::Area area = places.area_of(process);
    web::FormState form;
    form.values = participation::place_form_values(proposal, area);
    form.values.insert({{"title", proposal.title}, {"body", proposal.body}, {"category", proposal.category}});
    if (submitted) {
      auto parsed = http::parse_form(r.body);
      if (!parsed) return web::error_response(s.view, r, 400);
      NewProposal p{.title = std::string(parsed->get("title")),
                    .body = std::string(parsed->get("body")),
                    .category = std::string(parsed->get("category"))};
      form.values = {{"title", p.title}, {"body", p.body}, {"category", p.category}};
      participation::read_place_fields(*parsed, area, p, form);
      for (const auto& [field, key] : participation::validate(p)) form.errors.emplace(field, key);
      if (form.errors.empty()) {
        auto done = ProposalStore(s.db).edit(proposal.id, r.account_id, p, accounts::unix_now());
        if (done) return http::Response::redirect(self);
        if (done.error().code != ErrorCode::forbidden)
          return web::error_response(s.view, r, done.error());
        // Someone supported or commented in the meantime: say so, keep the text.
        form.errors.emplace("body", "participation_error_edit_closed");
      }
    }
    web::Data data = web::form_data(c, r.lang, form);
    data.set("heading", c.text(r.lang, "participation_edit_heading"));
    data.set("submit", c.text(r.lang, "participation_edit_submit"));
    participation::add_place_form(data, places, area, form);
    data.set("process_title", process.title);
    data.set("process_href", "/beteiligung/" + std::to_string(process.id));
    data.set("action", self + "/bearbeiten");
    return render(s, r, "participation_propose", std::move(data), c.text(r.lang, "participation_edit_heading"),
                  form.errors.empty() ? 200 : 422);
  }

  // POST /vorschlaege/{id}/zurueckziehen
  static http::Response withdraw_form(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = acting_on_proposal(s, r);
    if (!found) return found.error();
    if (found->second.state == ProcessState::closed)
      return web::error_response(s.view, r, 409, c.text(r.lang, "participation_error_withdraw"));
    auto done = ProposalStore(s.db).withdraw(found->first.id, r.account_id, accounts::unix_now());
    if (!done)
      return web::error_response(s.view, r, 403, c.text(r.lang, "participation_error_not_author"));
    return http::Response::redirect("/beteiligung/" + std::to_string(found->second.id));
  }

  // POST /vorschlaege/{id}/antwort: those who answer for the process record what becomes of
  // the proposal (Rechenschaft).
  static http::Response answer_form(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = acting_on_proposal(s, r);
    if (!found) return found.error();
    const auto& [proposal, process] = *found;
    auto may = authz::Authorizer(s.db).can(r.account_id, authz::Action::process_answer,
                                           authz::Target::space("process", process.id,
                                                                process.org_id));
    if (!may) return web::error_response(s.view, r, may.error());
    if (!*may) return web::error_response(s.view, r, 403, c.text(r.lang, "participation_error_answer_forbidden"));
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    web::FormState form;
    form.values = {{"state", std::string(parsed->get("state"))},
                   {"text", std::string(parsed->get("text"))},
                   {"progress", std::string(parsed->get("progress"))}};
    auto state = participation::answer_state_from_string(parsed->get("state"));
    int progress = 0;
    if (auto text = parsed->get("progress"); !text.empty()) {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), progress);
      if (ec != std::errc{} || end != text.data() + text.size()) progress = -1;
    }
    for (const auto& [field, key] :
         participation::validate_answer(state.value_or(AnswerState::none), form.values["text"], progress))
      form.errors.emplace(field, key);
    if (form.errors.empty()) {
      // The person who made the proposal learns what became of it (in-app and by mail).
      std::vector<std::int64_t> notices;
      auto tell = [&](db::Connection& tx, std::int64_t) -> Status {
        if (!proposal.author_id || *proposal.author_id == r.account_id) return {};
        AH_TRY(n, notifications::notify(
                      s, tx,
                      {*proposal.author_id, "participation.proposal_answered",
                       c.text("de", "participation_notice_answered_title") + " „" +
                           proposal.title + "“: " + c.text("de", answer_label_key(*state)),
                       web::plain_text(form.values["text"], 200),
                       "/vorschlaege/" + std::to_string(proposal.id) + "#antwort"}));
        notices.push_back(n);
        return {};
      };
      auto done = participation::AnswerStore(s.db).answer(proposal.id, *state, form.values["text"],
                                                          progress, r.account_id,
                                                          accounts::unix_now(), tell);
      if (!done) return web::error_response(s.view, r, done.error());
      notifications::deliver(s, notices);
      return http::Response::redirect("/vorschlaege/" + std::to_string(proposal.id) + "#antwort");
    }
    // The proposal page again, its answer form with what was typed and what is wrong.
    return proposal_page(s, r, &form);
  }

  // POST /vorschlaege/{id}/unterstuetzung with give=1 or give=0
  static http::Response support_form(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto found = acting_on_proposal(s, r);
    if (!found) return found.error();
    if (!found->second.allows_support(accounts::unix_now()))
      return web::error_response(s.view, r, 409,
                                 c.text(r.lang, "participation_error_not_supporting"));
    if (auto refused = participation::refuse_contribution(s, r, found->second, &found->first))
      return *refused;
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    ProposalStore store(s.db);
    auto done = parsed->get("give") == "1"
                    ? store.support(found->first.id, r.account_id, accounts::unix_now())
                    : store.withdraw_support(found->first.id, r.account_id);
    if (!done) return web::error_response(s.view, r, done.error());
    return http::Response::redirect("/vorschlaege/" + std::to_string(found->first.id));
  }

  // GET /beteiligung/{id}/aushang.pdf: the A4 poster for the notice board, in the reader's
  // language, with the QR code of the short URL (vom Aushang zum Klick).
  static http::Response poster_pdf(web::Services& s, http::Request& r) {
    const auto& c = s.view.catalog();
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto process = visible_process(s, r, *id);
    if (!process) return web::error_response(s.view, r, process.error());
    poster::PosterContent content;
    content.language = r.lang;
    content.organisation = process->org_name;
    content.title = process->title;
    if (const Phase* phase = process->phase_at(accounts::unix_now()); phase) {
      content.phase = phase->title + ": " + web::format_date(phase->starts_at, r.lang) + " – " +
                      web::format_date(phase->ends_at - 1, r.lang);
    } else if (!process->phases.empty()) {
      content.phase = web::format_date(process->phases.front().starts_at, r.lang) + " – " +
                      web::format_date(process->phases.back().ends_at - 1, r.lang);
    }
    content.body = process->summary;
    content.call_to_action = c.text(r.lang, "participation_poster_call");
    content.url_label = c.text(r.lang, "participation_poster_url_label");
    std::string url = s.public_url + "/b/" + process->short_code;
    content.qr_url = url;
    auto scheme = url.find("://");
    content.short_url = scheme == std::string::npos ? url : url.substr(scheme + 3);
    content.fonts = poster::shipped_fonts(s.share_dir);
    auto pdf = poster::render(content);
    if (!pdf) return web::error_response(s.view, r, pdf.error());
    http::Response response;
    response.status = 200;
    response.body = std::move(*pdf);
    response.headers.set("Content-Type", "application/pdf");
    response.headers.set("Content-Disposition",
                         "inline; filename=\"aushang-" + std::to_string(process->id) + ".pdf\"");
    response.headers.set("Cache-Control", "no-cache");
    return response;
  }
  // GET /beteiligung/{id}/vorschlaege.csv|.xlsx and …/kommentare.csv|.xlsx: every proposal
  // with its counts and answer, or every comment, for those who run the process.
  enum class Export { proposals, comments };
  static http::Response export_table(web::Services& s, http::Request& r, Export what, bool xlsx) {
    const auto& c = s.view.catalog();
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto process = visible_process(s, r, *id);
    if (!process) return web::error_response(s.view, r, process.error());
    auto may = authz::Authorizer(s.db).can(r.account_id, authz::Action::process_edit,
                                           authz::Target::space("process", *id, process->org_id));
    if (!may) return web::error_response(s.view, r, may.error());
    if (!*may)
      return web::error_response(s.view, r, 403, c.text(r.lang, "participation_error_not_owner"));
    auto table = what == Export::proposals ? proposals_table(s, r, *process) : comments_table(s, r, *process);
    if (!table) return web::error_response(s.view, r, table.error());
    const std::string name = what == Export::proposals ? "vorschlaege" : "kommentare";
    auto bytes = xlsx ? exports::to_xlsx(*table, c.text(r.lang, what == Export::proposals
                                                                    ? "participation_proposals"
                                                                    : "participation_comments"))
                      : exports::to_csv(*table);
    if (!bytes) return web::error_response(s.view, r, bytes.error());
    http::Response response;
    response.body = std::move(*bytes);
    response.headers.set("Content-Type",
                         xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                              : "text/csv; charset=utf-8");
    response.headers.set("Content-Disposition", "attachment; filename=\"" + name + "-" +
                                                    std::to_string(*id) +
                                                    (xlsx ? ".xlsx\"" : ".csv\""));
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // Files travel on (to councils, to the press): hidden contributions appear as the public
  // sees them, with the moderators' reason in a column of its own.
  static Result<exports::Table> proposals_table(web::Services& s, const http::Request& r,
                                                const Process& process) {
    const auto& c = s.view.catalog();
    exports::Table table;
    for (const char* key :
         {"participation_col_id", "participation_col_title", "participation_col_text",
          "participation_col_category", "participation_col_place", "participation_col_lat",
          "participation_col_lon", "participation_col_author", "participation_col_supports",
          "participation_col_comments", "participation_col_created", "participation_col_answer",
          "participation_col_progress", "moderation_col_hidden"})
      table.columns.push_back(c.text(r.lang, key));
    AH_TRY(shown, participation::Visibility::load_public(s, process));
    ProposalStore store(s.db);
    std::string cursor;
    do {
      AH_TRY(page, store.list(process.id, ProposalOrder::newest, cursor, kMaxPageSize));
      for (const auto& p : page.items) {
        const std::string* hidden = shown.hidden("proposal", p.id);
        std::string notice = hidden ? shown.notice(c, r.lang, "proposal", p.id) : "";
        auto coordinate = [&](const std::optional<double>& v) {
          return v && !hidden ? exports::Cell{*v} : exports::Cell{std::string()};
        };
        table.rows.push_back({p.id, hidden ? notice : p.title, hidden ? notice : p.body,
                              p.category, hidden ? std::string() : p.place.value_or(""),
                              coordinate(p.lat), coordinate(p.lon),
                              web::author_name(c, r.lang, p.author_name),
                              p.support_count, p.comment_count, exports::Timestamp{p.created_at},
                              c.text(r.lang, answer_label_key(p.answer_state)),
                              std::int64_t{p.progress}, hidden ? *hidden : std::string()});
      }
      cursor = page.next_cursor;
    } while (!cursor.empty());
    return table;
  }

  static Result<exports::Table> comments_table(web::Services& s, const http::Request& r,
                                               const Process& process) {
    const auto& c = s.view.catalog();
    exports::Table table;
    for (const char* key : {"participation_col_id", "participation_col_proposal",
                            "participation_col_reply_to", "participation_col_author",
                            "participation_col_text", "participation_col_created",
                            "moderation_col_hidden"})
      table.columns.push_back(c.text(r.lang, key));
    AH_TRY(shown, participation::Visibility::load_public(s, process));
    AH_TRY(comments, participation::CommentStore(s.db).list_for_process(process.id));
    for (const auto& cm : comments) {
      const std::string* hidden = shown.hidden("comment", cm.id);
      std::string text = cm.deleted_at ? c.text(r.lang, "participation_comment_deleted")
                         : hidden      ? shown.notice(c, r.lang, "comment", cm.id)
                                       : cm.body;
      // No proposal: a comment on the process itself.
      table.rows.push_back({cm.id,
                            cm.proposal_id ? exports::Cell{*cm.proposal_id}
                                           : exports::Cell{std::string()},
                            cm.parent_id ? exports::Cell{*cm.parent_id} : exports::Cell{std::string()},
                            web::author_name(c, r.lang, cm.author_name), std::move(text),
                            exports::Timestamp{cm.created_at}, hidden ? *hidden : std::string()});
    }
    return table;
  }

  // The statistics of a process: its days (Berlin midnights) from the first phase (or its
  // creation) to today or its end, and the totals of proposals, comments and supports at
  // the end of each day.
  static Result<exports::Chart> activity_chart(web::Services& s, const http::Request& r,
                                               const Process& process,
                                               const participation::ProcessActivity& activity) {
    const auto& c = s.view.catalog();
    std::int64_t from = process.phases.empty() ? process.created_at : process.phases.front().starts_at;
    std::int64_t to = accounts::unix_now();
    if (!process.phases.empty()) to = std::min(to, process.phases.back().ends_at - 1);
    for (const auto* series : {&activity.proposals, &activity.comments, &activity.supports})
      for (const auto& b : *series) from = std::min(from, b.hour);
    exports::Chart chart;
    chart.lang = r.lang;
    chart.id = "statistik";
    chart.steps = true;
    chart.title = c.text(r.lang, "participation_stats_chart_title");
    chart.x_label = c.text(r.lang, "participation_stats_day");
    chart.y_label = c.text(r.lang, "participation_stats_count");
    auto day = web::berlin_midnight(web::berlin_date_value(from));
    while (day && *day <= to && chart.days.size() < 1000) {
      chart.days.push_back(*day);
      day = web::berlin_midnight(web::berlin_date_value(*day + 30 * 3600));
    }
    if (chart.days.empty()) return fail(ErrorCode::not_found, "not started");
    chart.description = c.text(r.lang, "participation_stats_chart_description") + " " +
                        web::format_date(chart.days.front(), r.lang) + " – " +
                        web::format_date(chart.days.back(), r.lang) + ".";
    auto totals = [&](const std::vector<participation::ProcessActivity::Bucket>& buckets) {
      std::vector<std::int64_t> per_day(chart.days.size(), 0);
      for (const auto& b : buckets) {
        auto it = std::upper_bound(chart.days.begin(), chart.days.end(), b.hour);
        if (it != chart.days.begin()) per_day[static_cast<std::size_t>(it - chart.days.begin() - 1)] += b.count;
      }
      for (std::size_t i = 1; i < per_day.size(); ++i) per_day[i] += per_day[i - 1];
      return per_day;
    };
    chart.series = {{c.text(r.lang, "participation_proposals"), totals(activity.proposals)},
                    {c.text(r.lang, "participation_comments"), totals(activity.comments)},
                    {c.text(r.lang, "participation_stats_supports"), totals(activity.supports)}};
    return chart;
  }

  // GET /beteiligung/{id}/statistik (page) and /beteiligung/{id}/statistik.svg (the chart).
  static http::Response statistics(web::Services& s, http::Request& r, bool svg) {
    const auto& c = s.view.catalog();
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    auto process = visible_process(s, r, *id);
    if (!process) return web::error_response(s.view, r, process.error());
    auto activity = participation::activity(s.db, *id);
    if (!activity) return web::error_response(s.view, r, activity.error());
    auto chart = activity_chart(s, r, *process, *activity);
    if (!chart && chart.error().code != ErrorCode::not_found)
      return web::error_response(s.view, r, chart.error());
    if (svg) {
      if (!chart) return web::error_response(s.view, r, 404);
      auto image = exports::line_chart_svg(*chart);
      if (!image) return web::error_response(s.view, r, image.error());
      http::Response response;
      response.body = std::move(*image);
      response.headers.set("Content-Type", "image/svg+xml; charset=utf-8");
      response.headers.set("Cache-Control", "no-cache");
      return response;
    }
    web::Data data{web::Data::type::object};
    data.set("process_title", process->title);
    data.set("process_href", "/beteiligung/" + std::to_string(*id));
    auto sum = [](const std::vector<participation::ProcessActivity::Bucket>& buckets) {
      std::int64_t n = 0;
      for (const auto& b : buckets) n += b.count;
      return n;
    };
    data.set("participants", web::format_integer(activity->participants, r.lang));
    data.set("proposals", web::format_integer(sum(activity->proposals), r.lang));
    data.set("comments", web::format_integer(sum(activity->comments), r.lang));
    data.set("supports", web::format_integer(sum(activity->supports), r.lang));
    if (chart) {
      auto table = exports::chart_as_table(*chart);
      if (!table) return web::error_response(s.view, r, table.error());
      data.set("chart_src", "/beteiligung/" + std::to_string(*id) + "/statistik.svg");
      data.set("chart_alt", chart->title + ". " + chart->description);
      web::Data header{web::Data::type::list};
      for (const auto& column : table->columns) header.push_back(web::Data{column});
      data.set("table_columns", header);
      web::Data rows{web::Data::type::list};
      for (const auto& row : table->rows) {
        web::Data cells{web::Data::type::list};
        web::Data item{web::Data::type::object};
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (i == 0) {
            item.set("day", std::get<std::string>(row[i]));
            continue;
          }
          cells.push_back(web::Data{web::format_integer(std::get<std::int64_t>(row[i]), r.lang)});
        }
        item.set("cells", cells);
        rows.push_back(item);
      }
      data.set("table_rows", rows);
      data.set("has_chart", true);
    }
    return render(s, r, "participation_statistics", std::move(data),
                  c.text(r.lang, "participation_stats_heading") + ": " + process->title);
  }

  // GET /beteiligung.atom (new processes) and /beteiligung/{id}/feed.atom (its proposals).
  static http::Response feed(web::Services& s, http::Request& r, std::int64_t process_id) {
    const auto& c = s.view.catalog();
    exports::Feed f;
    f.lang = r.lang;
    f.author_name = c.text(r.lang, "site_name");
    if (process_id == 0) {
      auto page = ProcessStore(s.db).list({.state = ProcessState::published}, "", kPageSize);
      if (!page) return web::error_response(s.view, r, page.error());
      f.id = s.public_url + "/beteiligung";
      f.title = c.text(r.lang, "participation_heading") + " – " + c.text(r.lang, "site_name");
      f.self_link = s.public_url + "/beteiligung.atom";
      f.link = s.public_url + "/beteiligung";
      for (const auto& p : page->items) {
        std::string url = s.public_url + "/beteiligung/" + std::to_string(p.id);
        f.entries.push_back({url, p.title, p.updated_at, url, p.org_name, p.summary});
        f.updated = std::max(f.updated, p.updated_at);
      }
    } else {
      auto process = visible_process(s, r, process_id);
      if (!process) return web::error_response(s.view, r, process.error());
      auto page = ProposalStore(s.db).list(process_id, ProposalOrder::newest, "", kPageSize);
      if (!page) return web::error_response(s.view, r, page.error());
      auto shown = participation::Visibility::load_public(s, *process);
      if (!shown) return web::error_response(s.view, r, shown.error());
      std::string base = s.public_url + "/beteiligung/" + std::to_string(process_id);
      f.id = base;
      f.title = process->title;
      f.self_link = base + "/feed.atom";
      f.link = base;
      f.author_name = process->org_name;
      f.updated = process->updated_at;
      for (const auto& p : page->items) {
        std::string url = s.public_url + "/vorschlaege/" + std::to_string(p.id);
        if (shown->conceals("proposal", p.id)) {
          std::string notice = shown->notice(c, r.lang, "proposal", p.id);
          f.entries.push_back(
              {url, notice, p.updated_at, url, web::author_name(c, r.lang, p.author_name), notice});
          continue;
        }
        f.entries.push_back({url, p.title, p.updated_at, url,
                             web::author_name(c, r.lang, p.author_name),
                             web::plain_text(p.body, 500)});
        f.updated = std::max(f.updated, p.updated_at);
      }
    }
    auto xml = exports::to_atom(f);
    if (!xml) return web::error_response(s.view, r, xml.error());
    http::Response response;
    response.body = std::move(*xml);
    response.headers.set("Content-Type", "application/atom+xml; charset=utf-8");
    response.headers.set("Cache-Control", "no-cache");
    return response;
  }
  static json comment_json(const participation::Comment& cm, const web::Catalog& c,
                           std::string_view lang, const participation::Visibility& shown) {
    const std::string* hidden_reason = shown.hidden("comment", cm.id);
    json out = {
        {"id", cm.id},
        {"process_id", cm.process_id},
        {"proposal_id", cm.proposal_id ? json(*cm.proposal_id) : json(nullptr)},
        {"parent_id", cm.parent_id ? json(*cm.parent_id) : json(nullptr)},
        {"author", cm.deleted_at ? json(nullptr) : json(web::author_name(c, lang, cm.author_name))},
        {"body", cm.body},
        {"deleted", cm.deleted_at.has_value()},
        {"hidden", hidden_reason != nullptr},
        {"hidden_reason", hidden_reason ? json(*hidden_reason) : json(nullptr)},
        {"created_at", rfc3339_utc(cm.created_at)},
        {"edited_at", cm.edited_at ? json(rfc3339_utc(*cm.edited_at)) : json(nullptr)}};
    if (shown.conceals("comment", cm.id)) out["body"] = shown.notice(c, lang, "comment", cm.id);
    return out;
  }

  // A comment store error as the person's message (invalid_input and forbidden carry a
  // catalogue key).
  static http::Response comment_refusal(web::Services& s, const http::Request& r, const Error& e) {
    const auto& c = s.view.catalog();
    if (e.code == ErrorCode::invalid_input)
      return web::error_response(s.view, r, 422, c.text(r.lang, e.message));
    if (e.code == ErrorCode::forbidden)
      return web::error_response(s.view, r, 403, c.text(r.lang, e.message));
    return web::error_response(s.view, r, e);
  }

  // What a comment form or API call is about: a proposal ("/vorschlaege/{id}/…",
  // "/api/v1/proposals/{id}/…") or the process itself ("/beteiligung/{id}/…",
  // "/api/v1/processes/{id}/…"), as far as the reader may see it.
  struct Commented {
    Process process;
    std::optional<Proposal> proposal;
    participation::CommentOn on() const {
      return {process.id, proposal ? std::optional{proposal->id} : std::nullopt};
    }
  };
  static Result<Commented> commented(web::Services& s, const http::Request& r, bool on_process) {
    if (!on_process) {
      AH_TRY(found, visible_proposal(s, r));
      return Commented{std::move(found.second), std::move(found.first)};
    }
    auto id = parse_id(r.param("id"));
    if (!id) return fail(ErrorCode::not_found, "no such process");
    AH_TRY(process, visible_process(s, r, *id));
    return Commented{std::move(process), std::nullopt};
  }

  // GET /api/v1/proposals/{id}/comments, GET /api/v1/processes/{id}/comments
  static http::Response api_comments(web::Services& s, http::Request& r, bool on_process) {
    auto found = commented(s, r, on_process);
    if (!found) return web::error_response(s.view, r, found.error());
    auto comments = participation::CommentStore(s.db).list(found->on());
    if (!comments) return web::error_response(s.view, r, comments.error());
    auto shown = participation::Visibility::load(s, r, found->process);
    if (!shown) return web::error_response(s.view, r, shown.error());
    json items = json::array();
    for (const auto& cm : *comments)
      items.push_back(comment_json(cm, s.view.catalog(), r.lang, *shown));
    return json_response({{"items", items}});
  }

  // Why the signed-in person may not comment on `found` now, as the response; nullopt when
  // nothing stands in the way.
  static std::optional<http::Response> refuse_comment(web::Services& s, const http::Request& r,
                                                      const Commented& found) {
    if (!found.process.allows_comment(accounts::unix_now()))
      return web::error_response(s.view, r, 409,
                                 s.view.catalog().text(r.lang, "participation_error_not_commenting"));
    return participation::refuse_contribution(s, r, found.process,
                                              found.proposal ? &*found.proposal : nullptr);
  }

  // POST /api/v1/proposals/{id}/comments, POST /api/v1/processes/{id}/comments
  static http::Response api_comment(web::Services& s, http::Request& r, bool on_process) {
    const auto& c = s.view.catalog();
    if (auto refused = need_account(s, r)) return *refused;
    auto found = commented(s, r, on_process);
    if (!found) return web::error_response(s.view, r, found.error());
    if (auto refused = refuse_comment(s, r, *found)) return *refused;
    auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      return web::error_response(s.view, r, 400, c.text(r.lang, "participation_error_json"));
    std::optional<std::int64_t> parent;
    if (auto it = body.find("parent_id"); it != body.end() && it->is_number_integer())
      parent = it->get<std::int64_t>();
    auto id = create_comment(s, *found, parent, string_field(body, "body"), r.account_id);
    if (!id) return comment_refusal(s, r, id.error());
    auto created = participation::CommentStore(s.db).find(*id);
    if (!created) return web::error_response(s.view, r, created.error());
    return json_response(comment_json(*created, c, r.lang, {}), 201);
  }

  // Stores the comment and, in its transaction, tells the author of the comment replied to
  // and the proposal's author (never the commenter; one notice a person); mails after the
  // commit.
  static Result<std::int64_t> create_comment(web::Services& s, const Commented& on,
                                             std::optional<std::int64_t> parent,
                                             const std::string& body, std::int64_t author) {
    const auto& c = s.view.catalog();
    std::vector<std::int64_t> notices;
    auto tell = [&](db::Connection& tx, std::int64_t comment_id) -> Status {
      std::string link = participation::comment_href(
          {.id = comment_id, .process_id = on.process.id, .proposal_id = on.on().proposal_id});
      std::string about = " „" + (on.proposal ? on.proposal->title : on.process.title) + "“";
      std::string excerpt = web::plain_text(body, 200);
      std::optional<std::int64_t> replied_to;
      if (parent) {
        AH_TRY(rs, tx.query("SELECT author_id FROM comments WHERE id = $1", {db::Value{*parent}}));
        if (!rs.rows.empty() && !rs.rows[0].is_null(0)) replied_to = rs.rows[0].int64(0);
      }
      if (replied_to && *replied_to != author) {
        AH_TRY(n, notifications::notify(
                      s, tx,
                      {*replied_to, "participation.comment_reply",
                       c.text("de", "participation_notice_reply_title") + about, excerpt, link}));
        notices.push_back(n);
      }
      const auto proposal_author = on.proposal ? on.proposal->author_id : std::nullopt;
      if (proposal_author && *proposal_author != author && proposal_author != replied_to) {
        AH_TRY(n, notifications::notify(
                      s, tx,
                      {*proposal_author, "participation.proposal_comment",
                       c.text("de", "participation_notice_comment_title") + about, excerpt, link}));
        notices.push_back(n);
      }
      return {};
    };
    auto id = participation::CommentStore(s.db).create(on.on(), parent, body, author,
                                                       accounts::unix_now(), tell);
    if (id) notifications::deliver(s, notices);
    return id;
  }

  // POST /vorschlaege/{id}/kommentare, POST /beteiligung/{id}/kommentare (body, optional
  // parent)
  static http::Response comment_form(web::Services& s, http::Request& r, bool on_process) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto found = commented(s, r, on_process);
    if (!found) return web::error_response(s.view, r, found.error());
    if (auto refused = refuse_comment(s, r, *found)) return *refused;
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    std::optional<std::int64_t> parent;
    if (auto text = parsed->get("parent"); !text.empty()) {
      parent = parse_id(text);
      if (!parent) return web::error_response(s.view, r, 400);
    }
    auto location = create_once(s, r, parsed->get("once"), [&]() -> Result<std::string> {
      AH_TRY(id, create_comment(s, *found, parent, std::string(parsed->get("body")),
                                r.account_id));
      return participation::comment_href(
          {.id = id, .process_id = found->process.id, .proposal_id = found->on().proposal_id});
    });
    if (!location) return comment_refusal(s, r, location.error());
    return http::Response::redirect(*location);
  }

  // POST /kommentare/{id}/loeschen: the author takes their comment down (tombstone);
  // POST /kommentare/{id}/bearbeiten: the author changes it within the edit window.
  static http::Response own_comment(web::Services& s, http::Request& r, bool edit) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto id = parse_id(r.param("id"));
    if (!id) return web::error_response(s.view, r, 404);
    participation::CommentStore comments(s.db);
    auto comment = comments.find(*id);
    if (!comment) return web::error_response(s.view, r, comment.error());
    Status done;
    if (edit) {
      auto process = visible_process(s, r, comment->process_id);
      if (!process) return web::error_response(s.view, r, process.error());
      std::optional<Proposal> proposal;
      if (comment->proposal_id) {
        auto found = ProposalStore(s.db).find(*comment->proposal_id);
        if (!found) return web::error_response(s.view, r, found.error());
        proposal = std::move(*found);
      }
      if (auto refused = participation::refuse_contribution(s, r, *process,
                                                            proposal ? &*proposal : nullptr))
        return *refused;
      auto parsed = http::parse_form(r.body);
      if (!parsed) return web::error_response(s.view, r, 400);
      done = comments.edit(*id, r.account_id, std::string(parsed->get("body")), accounts::unix_now());
    } else {
      done = comments.remove(*id, r.account_id, accounts::unix_now());
    }
    if (!done) return comment_refusal(s, r, done.error());
    return http::Response::redirect(participation::comment_href(*comment));
  }
  // GET /b/{code}: the poster's short URL.
  static http::Response short_link(web::Services& s, http::Request& r) {
    auto process = ProcessStore(s.db).find_by_code(r.param("code"));
    if (!process || process->state == ProcessState::draft)
      return web::error_response(s.view, r, 404);
    return http::Response::redirect("/beteiligung/" + std::to_string(process->id), 302);
  }
};

void ParticipationModule::describe_api(json& doc) const {
  using web::openapi::list_of;
  using web::openapi::ok;
  using web::openapi::param;
  participation::describe_place_api(doc);
  json problem = web::openapi::problem();
  json phase = {{"type", "object"},
                {"required", {"title", "starts_at", "ends_at", "propose", "comment", "support"}},
                {"properties",
                 {{"title", {{"type", "string"}}},
                  {"starts_at", {{"type", "string"}, {"format", "date-time"}}},
                  {"ends_at", {{"type", "string"}, {"format", "date-time"}}},
                  {"propose", {{"type", "boolean"}}},
                  {"comment", {{"type", "boolean"}}},
                  {"support", {{"type", "boolean"}}}}}};
  doc["components"]["schemas"]["Phase"] = phase;
  doc["components"]["schemas"]["Process"] = {
      {"type", "object"},
      {"required",
       {"id", "organisation", "title", "summary", "state", "short_url", "phases", "current_phase",
        "cover", "attachments"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"organisation",
         {{"type", "object"},
          {"properties", {{"key", {{"type", "string"}}}, {"name", {{"type", "string"}}}}}}},
        {"title", {{"type", "string"}}},
        {"summary", {{"type", "string"}}},
        {"body", {{"type", "string"}, {"description", "Markdown"}}},
        {"topic",
         {{"type", "string"},
          {"description", "key of the topic catalogue (see listProcesses' topic), or empty"}}},
        {"area",
         {{"type", "object"},
          {"description", "the area the process concerns: the Land, a Kreis or a Gemeinde"},
          {"properties", {{"ags", {{"type", "string"}}}, {"name", {{"type", "string"}}}}}}},
        {"state", {{"type", "string"}, {"enum", {"draft", "published", "closed"}}}},
        {"short_url", {{"type", "string"}}},
        {"phases", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Phase"}}}}},
        {"current_phase", {{"type", {"string", "null"}}}},
        {"cover",
         {{"oneOf",
           {{{"type", "null"}},
            {{"type", "object"},
             {"required", {"url", "alt", "media_type", "width", "height"}},
             {"properties",
              {{"url", {{"type", "string"}, {"description", "/dateien/{id}/{name}"}}},
               {"alt", {{"type", "string"}, {"description", "text alternative of the image"}}},
               {"media_type",
                {{"type", "string"}, {"enum", {"image/png", "image/jpeg", "image/webp"}}}},
               {"width", {{"type", "integer"}}},
               {"height", {{"type", "integer"}}}}}}}}}},
        {"attachments",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"url", "title", "media_type", "size"}},
            {"properties",
             {{"url", {{"type", "string"}, {"description", "/dateien/{id}/{name}"}}},
              {"title", {{"type", "string"}}},
              {"media_type", {{"type", "string"}}},
              {"size", {{"type", "integer"}, {"description", "bytes"}}}}}}}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}},
        {"updated_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  doc["components"]["schemas"]["Proposal"] = {
      {"type", "object"},
      {"required",
       {"id", "process_id", "author", "title", "body", "support_count", "comment_count"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"process_id", {{"type", "integer"}}},
        {"author", {{"type", "string"}, {"description", "display name, or 'gelöschtes Konto'"}}},
        {"title", {{"type", "string"}}},
        {"body", {{"type", "string"}}},
        {"category", {{"type", "string"}}},
        {"lat", {{"type", {"number", "null"}}}},
        {"lon", {{"type", {"number", "null"}}}},
        {"place", {{"type", {"string", "null"}}, {"description", "the place in words"}}},
        {"support_count", {{"type", "integer"}}},
        {"comment_count", {{"type", "integer"}}},
        {"supported", {{"type", "boolean"}, {"description", "only for a signed-in reader"}}},
        {"hidden",
         {{"type", "boolean"},
          {"description",
           "hidden by the moderators; title and body then read "
           "'Ausgeblendet: <reason>' for all but the process's moderators"}}},
        {"hidden_reason", {{"type", {"string", "null"}}, {"description", "the public reason"}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}}}}};
  json security = web::openapi::security();
  json topics = json::array();
  for (std::string_view key : participation::process_topics()) topics.push_back(key);
  json topic_param = param("topic", "query", "only processes of this topic");
  topic_param["schema"]["enum"] = topics;
  auto& paths = doc["paths"];
  paths["/api/v1/processes"]["get"] = {
      {"operationId", "listProcesses"},
      {"summary", "Published and closed participation processes, newest first"},
      {"tags", {"Beteiligung"}},
      {"parameters",
       {param("org", "query", "organisation key (AGS or o<id>)"),
        param("kreis", "query", "Kreis AGS (5 digits)"),
        param("state", "query", "published or closed"), topic_param,
        param("q", "query",
              "full-text search in title, summary and body: every word must occur; German "
              "inflections match (Spielplätze finds Spielplatz); the last word may be the "
              "beginning of a word",
              "Spielplatz"),
        param("cursor", "query", "next_cursor of the previous page"),
        param("limit", "query", "1–100, default 20")}},
      {"responses", {{"200", ok(list_of("Process"))}, {"400", problem}}}};
  paths["/api/v1/processes"]["post"] = {
      {"operationId", "createProcess"},
      {"summary", "Create a process for an organisation (its admins)"},
      {"tags", {"Beteiligung"}},
      {"security", security},
      {"requestBody",
       {{"required", true},
        {"content",
         {{"application/json",
           {{"schema",
             {{"type", "object"},
              {"required", {"org", "title", "summary", "phases"}},
              {"properties",
               {{"org", {{"type", "string"}}},
                {"title", {{"type", "string"}}},
                {"summary", {{"type", "string"}}},
                {"body", {{"type", "string"}}},
                {"topic", {{"type", "string"}, {"enum", topics}}},
                {"area",
                 {{"type", "string"},
                  {"description",
                   "AGS of the area concerned: the organisation's territory (default) or a "
                   "Kreis or Gemeinde inside it"}}},
                {"state", {{"type", "string"}, {"enum", {"draft", "published"}}}},
                {"phases",
                 {{"type", "array"},
                  {"items", {{"$ref", "#/components/schemas/Phase"}}}}}}}}}}}}}}},
      {"responses",
       {{"201", ok({{"$ref", "#/components/schemas/Process"}}, "Created")},
        {"400", problem},
        {"401", problem},
        {"403", problem},
        {"422", problem}}}};
  paths["/api/v1/processes/{id}"]["get"] = {
      {"operationId", "getProcess"},
      {"summary", "One process with its phases"},
      {"tags", {"Beteiligung"}},
      {"parameters", {param("id", "path", "process id", "1")}},
      {"responses", {{"200", ok({{"$ref", "#/components/schemas/Process"}})}, {"404", problem}}}};
  paths["/api/v1/processes/{id}/proposals"]["get"] = {
      {"operationId", "listProposals"},
      {"summary", "Proposals of a process"},
      {"tags", {"Beteiligung"}},
      {"parameters",
       {param("id", "path", "process id", "1"),
        param("order", "query", "newest, most_supported or most_discussed"),
        param("cursor", "query", "next_cursor of the previous page"),
        param("limit", "query", "1–100, default 20")}},
      {"responses", {{"200", ok(list_of("Proposal"))}, {"400", problem}, {"404", problem}}}};
  auto create_op = [](const char* id, const char* summary, json parameters, json body,
                      const char* created) {
    return web::openapi::create_op(id, summary, "Beteiligung", std::move(parameters),
                                   std::move(body), created);
  };
  paths["/api/v1/processes/{id}/proposals"]["post"] =
      create_op("createProposal", "Propose something while the current phase allows it",
                {param("id", "path", "process id", "1")},
                {{"type", "object"},
                 {"required", {"title", "body"}},
                 {"properties",
                  {{"title", {{"type", "string"}}},
                   {"body", {{"type", "string"}}},
                   {"category", {{"type", "string"}}},
                   {"lat",
                    {{"type", "number"},
                     {"description", "with lon, a point inside the process's area "
                                     "(GET /api/v1/areas/{ags} of its organisation)"}}},
                   {"lon", {{"type", "number"}}},
                   {"place",
                    {{"type", "string"},
                     {"description", "the place in words, at most 300 characters"}}}}}},
                "Proposal");
  paths["/api/v1/proposals/{id}"]["get"] = {
      {"operationId", "getProposal"},
      {"summary", "One proposal with its support count"},
      {"tags", {"Beteiligung"}},
      {"parameters", {param("id", "path", "proposal id", "1")}},
      {"responses", {{"200", ok({{"$ref", "#/components/schemas/Proposal"}})}, {"404", problem}}}};
  doc["components"]["schemas"]["Comment"] = {
      {"type", "object"},
      {"required", {"id", "parent_id", "author", "body", "deleted", "created_at"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"process_id", {{"type", "integer"}}},
        {"proposal_id",
         {{"type", {"integer", "null"}}, {"description", "null for a comment on the process itself"}}},
        {"parent_id", {{"type", {"integer", "null"}}}},
        {"author", {{"type", {"string", "null"}}, {"description", "null for a deleted comment"}}},
        {"body", {{"type", "string"}, {"description", "empty for a deleted comment (tombstone)"}}},
        {"deleted", {{"type", "boolean"}}},
        {"hidden",
         {{"type", "boolean"},
          {"description",
           "hidden by the moderators; body then reads 'Ausgeblendet: <reason>' "
           "for all but the process's moderators"}}},
        {"hidden_reason", {{"type", {"string", "null"}}, {"description", "the public reason"}}},
        {"created_at", {{"type", "string"}, {"format", "date-time"}}},
        {"edited_at", {{"type", {"string", "null"}}, {"format", "date-time"}}}}}};
  json comment_list = {{"type", "object"},
                       {"required", {"items"}},
                       {"properties",
                        {{"items",
                          {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Comment"}}}}}}}};
  json new_comment = {
      {"type", "object"},
      {"required", {"body"}},
      {"properties", {{"body", {{"type", "string"}}}, {"parent_id", {{"type", "integer"}}}}}};
  paths["/api/v1/processes/{id}/comments"]["get"] = {
      {"operationId", "listProcessComments"},
      {"summary", "Comments on the process itself (not on its proposals), threads in order"},
      {"tags", {"Beteiligung"}},
      {"parameters", {param("id", "path", "process id", "1")}},
      {"responses", {{"200", ok(comment_list)}, {"404", problem}}}};
  paths["/api/v1/processes/{id}/comments"]["post"] =
      create_op("createProcessComment", "Comment on the process itself, or reply (two levels)",
                {param("id", "path", "process id", "1")}, new_comment, "Comment");
  paths["/api/v1/proposals/{id}/comments"]["get"] = {
      {"operationId", "listComments"},
      {"summary",
       "Comments of a proposal, threads in order (each comment followed by its replies)"},
      {"tags", {"Beteiligung"}},
      {"parameters", {param("id", "path", "proposal id", "1")}},
      {"responses",
       {{"200",
         ok({{"type", "object"},
             {"required", {"items"}},
             {"properties",
              {{"items",
                {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Comment"}}}}}}}})},
        {"404", problem}}}};
  paths["/api/v1/proposals/{id}/comments"]["post"] = create_op(
      "createComment", "Comment on a proposal, or reply to a comment (two levels)",
      {param("id", "path", "proposal id", "1")},
      {{"type", "object"},
       {"required", {"body"}},
       {"properties", {{"body", {{"type", "string"}}}, {"parent_id", {{"type", "integer"}}}}}},
      "Comment");
  json support_result = {
      {"type", "object"},
      {"required", {"support_count", "supported"}},
      {"properties",
       {{"support_count", {{"type", "integer"}}}, {"supported", {{"type", "boolean"}}}}}};
  for (const char* method : {"put", "delete"}) {
    bool put = std::string_view(method) == "put";
    paths["/api/v1/proposals/{id}/support"][method] = {
        {"operationId", put ? "supportProposal" : "withdrawSupport"},
        {"summary", put ? "Support a proposal (once per person; repeating changes nothing)"
                        : "Take one's support back"},
        {"tags", {"Beteiligung"}},
        {"security", security},
        {"parameters", {param("id", "path", "proposal id", "1")}},
        {"responses",
         {{"200", ok(support_result)},
          {"401", problem},
          {"403", problem},
          {"404", problem},
          {"409", problem}}}};
  }
  participation::describe_moderation_api(doc);
}

}  // namespace

std::unique_ptr<web::Module> make_participation_module() {
  return std::make_unique<ParticipationModule>();
}

}  // namespace ah::modules
