// The Konsultationen as programs meet them: /api/v1/consultations… and the organisations'
// Atom feeds, on both backends. What is read follows access.h (internal ones are a 404 for
// anyone who is not staff); who may speak follows the addressees (an organisation that is
// not addressed cannot comment or file a Stellungnahme, whoever asks, the Land's admin
// included: the Augenhöhe matrix); a released Stellungnahme is final; answers of the
// Abwägung appear once published (to the author before); bad requests get a message.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>

#include "authz/memberships.h"
#include "base/time.h"
#include "db/test_database.h"
#include "export/test_tools.h"
#include "modules/accounts/session_layer.h"
#include "modules/consultations/module.h"
#include "modules/consultations/store.h"
#include "modules/groups/module.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

using consultations::AddresseeKind;
using consultations::ConsultationStore;
using consultations::Openness;
using nlohmann::json;

constexpr std::int64_t kDay = 86400;

const std::string kBody =
    "# § 1 Zweck\n\n"
    "(1) Dieser Erlass regelt den Ausbau der Breitbandnetze.\n\n"
    "(2) Er gilt ab dem 1. Januar 2027.\n";

std::vector<std::unique_ptr<web::Module>> with_consultations() {
  auto list = testing::standard_modules(make_groups_module());
  list.push_back(make_consultations_module());
  return list;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class ConsultationsApiTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), with_consultations());
    authz::MembershipStore orgs(*db);
    auto person = [&](const char* email, const char* name, const char* org, authz::OrgRole role) {
      auto id = create_account(email, name);
      if (org) {
        EXPECT_TRUE(orgs.put(org_id(org), id, role, 1));
      }
      return id;
    };
    kreis_admin_ = person("admin@kreis-wb.example", "Kira Kreis", "15091", authz::OrgRole::admin);
    kemberg_ = person("staff@kemberg.example", "Karl Kemberg", "15091160", authz::OrgRole::member);
    wittenberg_ =
        person("staff@wittenberg.example", "Wilma Wittenberg", "15091375", authz::OrgRole::member);
    land_admin_ = person("admin@land.example", "Lena Land", "15", authz::OrgRole::admin);
    halle_ = person("staff@halle.example", "Hanna Halle", "15002000", authz::OrgRole::member);
    citizen_ = person("citizen@example.org", "Clara Citizen", nullptr, authz::OrgRole::member);
    kemberg_org_ = org_id("15091160");
    wittenberg_org_ = org_id("15091375");

    const auto now = accounts::unix_now();
    // Open, citizens welcome: the Kreis asks its Gemeinden.
    public_ = create({.title = "Breitbanderlass",
                      .summary = "Wie wir das Netz ausbauen.",
                      .body = kBody,
                      .author_org = org_id("15091"),
                      .openness = Openness::public_comments,
                      .addressees = {{AddresseeKind::kreis, "15091", 0, ""}},
                      .deadline = now + 7 * kDay,
                      .created_by = kreis_admin_},
                     now - kDay);
    // Open, readable by all, comments by the addressee only: Kemberg asks Wittenberg.
    readable_ = create({.title = "Gemeinsamer Bauhof",
                        .body = kBody,
                        .author_org = kemberg_org_,
                        .openness = Openness::public_read,
                        .addressees = {{AddresseeKind::organisation, "", wittenberg_org_, ""}},
                        .deadline = now + 5 * kDay,
                        .created_by = kemberg_},
                       now - kDay);
    // Open, internal: the Land asks Kemberg.
    internal_ = create({.title = "Interne Abstimmung",
                        .body = kBody,
                        .author_org = org_id("15"),
                        .openness = Openness::internal,
                        .addressees = {{AddresseeKind::organisation, "", kemberg_org_, ""}},
                        .deadline = now + 3 * kDay,
                        .created_by = land_admin_},
                       now - kDay);
    // Past its deadline: the Kreis weighs what its Gemeinden said.
    past_ = create({.title = "Abfallsatzung",
                    .body = kBody,
                    .author_org = org_id("15091"),
                    .openness = Openness::public_read,
                    .addressees = {{AddresseeKind::kreis, "15091", 0, ""}},
                    .deadline = now - kDay,
                    .created_by = kreis_admin_},
                   now - 10 * kDay);
  }

  std::int64_t create(const consultations::NewConsultation& c, std::int64_t at) {
    auto id = ConsultationStore(*db).create(c, at);
    EXPECT_TRUE(id) << (id ? "" : id.error().message);
    return id.value_or(0);
  }

  static std::string path(std::int64_t id) { return "/api/v1/consultations/" + std::to_string(id); }

  http::Response write(http::Method method, const std::string& target, const std::string& body) {
    return api(method, target, body, csrf);
  }

  json get_json(const std::string& target) {
    auto response = api(http::Method::get, target);
    EXPECT_EQ(response.status, 200) << target << ": " << response.body;
    return json::parse(response.body, nullptr, false);
  }

  std::set<std::int64_t> listed(const std::string& target) {
    std::set<std::int64_t> ids;
    auto page = get_json(target);
    for (const auto& item : page["items"]) ids.insert(item["id"].get<std::int64_t>());
    return ids;
  }

  static std::string detail(const http::Response& response) {
    auto problem = json::parse(response.body, nullptr, false);
    return problem.is_object() && problem.contains("detail") ? problem["detail"].get<std::string>()
                                                             : "";
  }

  std::int64_t rows(const char* table) {
    return db::testing::scalar(*db, std::string("SELECT COUNT(*) FROM ") + table);
  }

  std::int64_t kreis_admin_ = 0, kemberg_ = 0, wittenberg_ = 0, land_admin_ = 0, halle_ = 0,
               citizen_ = 0, kemberg_org_ = 0, wittenberg_org_ = 0;
  std::int64_t public_ = 0, readable_ = 0, internal_ = 0, past_ = 0;
};

TEST_P(ConsultationsApiTest, ListsWhatTheReaderMayReadWithFiltersAndPages) {
  sign_in(0);
  EXPECT_EQ(listed("/api/v1/consultations"), (std::set<std::int64_t>{public_, readable_, past_}))
      << "internal ones are not listed for anonymous readers";
  sign_in(citizen_);
  EXPECT_EQ(listed("/api/v1/consultations").count(internal_), 0u) << "nor for non-staff";
  sign_in(halle_);
  EXPECT_EQ(listed("/api/v1/consultations"),
            (std::set<std::int64_t>{public_, readable_, internal_, past_}))
      << "staff of any organisation read internal ones";
  EXPECT_EQ(listed("/api/v1/consultations?open=true"),
            (std::set<std::int64_t>{public_, readable_, internal_}));
  EXPECT_EQ(listed("/api/v1/consultations?organisation=15091160"),
            (std::set<std::int64_t>{public_, readable_, internal_, past_}))
      << "Kemberg: addressed by the Kreis (twice) and the Land, author of one";
  EXPECT_EQ(listed("/api/v1/consultations?organisation=15091375&open=true"),
            (std::set<std::int64_t>{public_, readable_}));
  EXPECT_EQ(listed("/api/v1/consultations?organisation=15002000"), std::set<std::int64_t>{});

  // Pages: newest first, the cursor leads on without repeating.
  auto first = get_json("/api/v1/consultations?limit=3");
  ASSERT_EQ(first["items"].size(), 3u);
  EXPECT_EQ(first["items"][0]["id"], past_);
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto second =
      get_json("/api/v1/consultations?limit=3&cursor=" + first["next_cursor"].get<std::string>());
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["id"], public_);
  EXPECT_TRUE(second["next_cursor"].is_null());

  for (const auto& [query, message] : std::vector<std::pair<std::string, std::string>>{
           {"open=ja", "„open“ muss"},
           {"limit=0", "„limit“ muss"},
           {"organisation=99999999", "Organisation ist unbekannt"},
           {"cursor=kaputt", "„cursor“ ist ungültig"}}) {
    auto refused = api(http::Method::get, "/api/v1/consultations?" + query);
    EXPECT_EQ(refused.status, 400) << query;
    EXPECT_EQ(refused.headers.get("Content-Type"), "application/problem+json") << query;
    EXPECT_NE(detail(refused).find(message), std::string::npos) << query << ": " << refused.body;
  }
}

TEST_P(ConsultationsApiTest, ReadsAConsultationItsRoundsAndSections) {
  sign_in(0);
  auto c = get_json(path(public_));
  EXPECT_EQ(c["title"], "Breitbanderlass");
  EXPECT_EQ(c["summary"], "Wie wir das Netz ausbauen.");
  EXPECT_EQ(c["author"]["kind"], "organisation");
  EXPECT_EQ(c["author"]["key"], "15091");
  EXPECT_EQ(c["openness"], "oeffentlich");
  EXPECT_EQ(c["phase"], "offen");
  auto stored = ConsultationStore(*db).find(public_).value();
  EXPECT_EQ(c["deadline"], rfc3339_utc(stored.deadline));
  EXPECT_EQ(c["feed"], "/organisationen/15091/konsultationen.atom");
  EXPECT_EQ(c["url"], "/konsultationen/" + std::to_string(public_));
  EXPECT_EQ(c["links"]["comments"], path(public_) + "/comments");
  ASSERT_EQ(c["addressees"].size(), 1u);
  EXPECT_EQ(c["addressees"][0]["kind"], "kreis");
  EXPECT_EQ(c["addressees"][0]["kreis_ags"], "15091");
  EXPECT_NE(c["addressees"][0]["name"].get<std::string>().find("Wittenberg"), std::string::npos);
  ASSERT_EQ(c["rounds"].size(), 1u);
  EXPECT_EQ(c["rounds"][0]["number"], 1);
  EXPECT_EQ(c["rounds"][0]["phase"], "offen");
  EXPECT_FALSE(c["rounds"][0].contains("body")) << "texts only per round";
  // The Kreis's nine Gemeinden are the recipients, none has answered yet.
  EXPECT_EQ(c["recipients"].size(), 9u);
  std::set<std::string> keys;
  for (const auto& recipient : c["recipients"]) {
    keys.insert(recipient["organisation"]["key"].get<std::string>());
    EXPECT_EQ(recipient["state"], "none");
  }
  EXPECT_TRUE(keys.contains("15091160") && keys.contains("15091375"));
  EXPECT_FALSE(keys.contains("15091")) << "the author is no addressee of its own";

  auto round = get_json(path(public_) + "/rounds/1");
  EXPECT_EQ(round["body"], kBody);
  ASSERT_EQ(round["sections"].size(), 3u);
  EXPECT_EQ(round["sections"][0]["anchor"], "a1");
  EXPECT_EQ(round["sections"][0]["kind"], "heading");
  EXPECT_EQ(round["sections"][0]["level"], 1);
  EXPECT_EQ(round["sections"][0]["label"], "§ 1 Zweck");
  EXPECT_EQ(round["sections"][2]["anchor"], "a3");
  EXPECT_EQ(round["sections"][2]["label"], "§ 1 Abs. 2");
  EXPECT_EQ(round["sections"][2]["text"], "(2) Er gilt ab dem 1. Januar 2027.");
  EXPECT_EQ(api(http::Method::get, path(public_) + "/rounds/2").status, 404);
  EXPECT_EQ(api(http::Method::get, path(public_) + "/rounds/eins").status, 404);
  EXPECT_EQ(api(http::Method::get, path(999999)).status, 404);

  // Internal: not found for anyone who is not staff somewhere, in every part.
  for (const std::string& target :
       {path(internal_), path(internal_) + "/rounds/1", path(internal_) + "/comments",
        path(internal_) + "/statements"}) {
    sign_in(0);
    EXPECT_EQ(api(http::Method::get, target).status, 404) << target;
    sign_in(citizen_);
    EXPECT_EQ(api(http::Method::get, target).status, 404) << target;
    sign_in(halle_);
    EXPECT_EQ(api(http::Method::get, target).status, 200) << target;
  }
}

TEST_P(ConsultationsApiTest, OnlyTheAddressedOrganisationsStaffSpeaksForIt) {
  const std::string comments = path(public_) + "/comments";
  sign_in(0);
  EXPECT_EQ(api(http::Method::post, comments, R"({"anchor":"a2","body":"Anonym"})").status, 401);
  EXPECT_EQ(
      api(http::Method::put, path(public_) + "/statements/15091160", R"({"body":"x"})").status,
      401);

  sign_in(kemberg_);
  auto by_key = write(http::Method::post, comments,
                      R"({"anchor":"a2","organisation":"15091160","body":"Zu eng gefasst.",)"
                      R"("passage":"Ausbau der Breitbandnetze",)"
                      R"("amendment":"(1) Dieser Erlass regelt den Ausbau der Glasfasernetze."})");
  ASSERT_EQ(by_key.status, 201) << by_key.body;
  auto made = json::parse(by_key.body);
  EXPECT_EQ(made["by"], "organisation");
  EXPECT_EQ(made["organisation"]["id"], kemberg_org_);
  EXPECT_EQ(made["author"], "Karl Kemberg");
  EXPECT_EQ(made["anchor"], "a2");
  EXPECT_EQ(made["passage"], "Ausbau der Breitbandnetze");
  EXPECT_FALSE(made["final"].get<bool>());
  auto by_id = write(http::Method::post, comments,
                     R"({"anchor":"a3","organisation":)" + std::to_string(kemberg_org_) +
                         R"(,"body":"Später beginnen."})");
  EXPECT_EQ(by_id.status, 201) << by_id.body;

  // Not addressed, or not its staff: refused with the reason, whoever asks. The Land's
  // admin, unaddressed here, gets exactly what Halle's staff gets.
  for (auto who : {halle_, land_admin_, citizen_}) {
    sign_in(who);
    for (const auto& [org, reason] :
         std::vector<std::pair<std::string, std::string>>{{"15002000", "nicht angeschrieben"},
                                                          {"15", "nicht angeschrieben"},
                                                          {"15091160", "nur ihre bestätigten"}}) {
      auto comment = write(http::Method::post, comments,
                           R"({"anchor":"a2","organisation":")" + org + R"(","body":"Einwand"})");
      EXPECT_EQ(comment.status, 403) << who << " for " << org;
      EXPECT_NE(detail(comment).find(reason), std::string::npos) << comment.body;
      auto statement = write(http::Method::put, path(public_) + "/statements/" + org,
                             R"({"body":"Unsere Stellungnahme"})");
      EXPECT_EQ(statement.status, 403) << who << " for " << org;
      EXPECT_NE(detail(statement).find(reason), std::string::npos) << statement.body;
      EXPECT_EQ(
          write(http::Method::post, path(public_) + "/statements/" + org + "/release", "").status,
          403)
          << who << " for " << org;
    }
  }
  // Kemberg's staff cannot speak for Wittenberg either, though both are addressed.
  sign_in(kemberg_);
  EXPECT_EQ(
      write(http::Method::put, path(public_) + "/statements/15091375", R"({"body":"x"})").status,
      403);
  EXPECT_EQ(rows("consultation_comments"), 2);
  EXPECT_EQ(rows("consultation_statements"), 1) << "Kemberg's, opened by its comments";

  // Citizens comment where the consultation invites them, and only there.
  sign_in(citizen_);
  auto citizen = write(http::Method::post, comments, R"({"anchor":"a1","body":"Endlich!"})");
  ASSERT_EQ(citizen.status, 201) << citizen.body;
  EXPECT_EQ(json::parse(citizen.body)["by"], "citizen");
  EXPECT_TRUE(json::parse(citizen.body)["organisation"].is_null());
  auto closed = write(http::Method::post, path(readable_) + "/comments",
                      R"({"anchor":"a1","body":"Endlich!"})");
  EXPECT_EQ(closed.status, 403);
  EXPECT_NE(detail(closed).find("nur die angeschriebenen Organisationen"), std::string::npos);
  // Wittenberg is addressed by Kemberg and speaks there.
  sign_in(wittenberg_);
  EXPECT_EQ(write(http::Method::post, path(readable_) + "/comments",
                  R"({"anchor":"a1","organisation":"15091375","body":"Gern."})")
                .status,
            201);

  sign_in(0);
  auto list = get_json(comments);
  ASSERT_EQ(list["items"].size(), 3u);
  EXPECT_EQ(list["items"][0]["anchor"], "a1") << "in the order of the text";
  EXPECT_EQ(list["items"][1]["anchor"], "a2");
  auto one = get_json(comments + "?anchor=a3&round=1");
  ASSERT_EQ(one["items"].size(), 1u);
  EXPECT_EQ(one["items"][0]["body"], "Später beginnen.");
  EXPECT_EQ(api(http::Method::get, comments + "?anchor=a9").status, 404);
  EXPECT_EQ(api(http::Method::get, comments + "?round=2").status, 404);
  EXPECT_EQ(api(http::Method::get, comments + "?round=zwei").status, 400);
  auto c = get_json(path(public_));
  for (const auto& recipient : c["recipients"])
    if (recipient["organisation"]["id"] == kemberg_org_) {
      EXPECT_EQ(recipient["comments"], 2);
    }
}

TEST_P(ConsultationsApiTest, AReleasedStellungnahmeIsFinal) {
  const std::string kemberg = path(public_) + "/statements/15091160";
  sign_in(kemberg_);
  auto saved = write(http::Method::put, kemberg, R"({"body":"Wir stimmen **zu**."})");
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_FALSE(json::parse(saved.body)["released"].get<bool>());
  EXPECT_EQ(json::parse(saved.body)["organisation"]["key"], "15091160");

  // A draft is Kemberg's business: the author sees "drafting", others nothing yet.
  sign_in(0);
  EXPECT_TRUE(get_json(path(public_) + "/statements")["items"].empty());
  auto state_of_kemberg = [&] {
    const json consultation = get_json(path(public_));
    for (const auto& recipient : consultation["recipients"])
      if (recipient["organisation"]["id"] == kemberg_org_) return recipient["state"];
    return json();
  };
  EXPECT_EQ(state_of_kemberg(), "none");
  sign_in(kreis_admin_);
  EXPECT_EQ(state_of_kemberg(), "drafting");

  sign_in(kemberg_);
  auto released = write(http::Method::post, kemberg + "/release", "");
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_TRUE(json::parse(released.body)["released"].get<bool>());
  EXPECT_EQ(json::parse(released.body)["released_by"], "Karl Kemberg");

  for (const auto& [method, target, body] :
       std::vector<std::tuple<http::Method, std::string, std::string>>{
           {http::Method::put, kemberg, R"({"body":"Doch anders."})"},
           {http::Method::post, kemberg + "/release", ""},
           {http::Method::post, path(public_) + "/comments",
            R"({"anchor":"a2","organisation":"15091160","body":"Noch etwas."})"}}) {
    auto refused = write(method, target, body);
    EXPECT_EQ(refused.status, 409) << target << ": " << refused.body;
    EXPECT_FALSE(detail(refused).empty());
  }
  sign_in(0);
  auto statements = get_json(path(public_) + "/statements?round=1");
  ASSERT_EQ(statements["items"].size(), 1u);
  EXPECT_EQ(statements["items"][0]["body"], "Wir stimmen **zu**.") << "unchanged";
  EXPECT_TRUE(statements["items"][0]["answer"].is_null());
  EXPECT_EQ(state_of_kemberg(), "released");

  // Nothing to release: an empty text and no comments.
  sign_in(wittenberg_);
  EXPECT_EQ(
      write(http::Method::put, path(public_) + "/statements/15091375", R"({"body":""})").status,
      200);
  EXPECT_EQ(write(http::Method::post, path(public_) + "/statements/15091375/release", "").status,
            422);
}

TEST_P(ConsultationsApiTest, BadRequestsGetAMessageAndChangeNothing) {
  const std::string comments = path(public_) + "/comments";
  const std::string statement = path(public_) + "/statements/15091160";
  sign_in(kemberg_);
  struct Case {
    http::Method method;
    std::string target, body;
    int status;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {http::Method::post, comments, "kein JSON", 400, "kein gültiges JSON"},
           {http::Method::post, comments, "[1,2]", 400, "kein gültiges JSON"},
           {http::Method::post, comments, R"({"anchor":3,"body":"x"})", 422, "müssen Texte sein"},
           {http::Method::post, comments, R"({"body":"Ohne Abschnitt"})", 422, "„anchor“"},
           {http::Method::post, comments, R"({"anchor":"a9","organisation":"15091160","body":"x"})",
            422, "Diesen Abschnitt gibt es"},
           {http::Method::post, comments, R"({"anchor":"a2","organisation":{"id":1},"body":"x"})",
            422, "Organisation ist unbekannt"},
           {http::Method::post, comments, R"({"anchor":"a2","organisation":"99999999","body":"x"})",
            422, "Organisation ist unbekannt"},
           {http::Method::put, statement, "{", 400, "kein gültiges JSON"},
           {http::Method::put, statement, R"({"body":5})", 422, "im Feld „body“"},
           {http::Method::put, statement, R"({"text":"falsches Feld"})", 422, "im Feld „body“"},
           {http::Method::put, path(public_) + "/statements/keine", R"({"body":"x"})", 404,
            "Organisation ist unbekannt"},
       }) {
    auto refused = write(c.method, c.target, c.body);
    EXPECT_EQ(refused.status, c.status) << c.target << " " << c.body << ": " << refused.body;
    EXPECT_EQ(refused.headers.get("Content-Type"), "application/problem+json") << c.body;
    EXPECT_NE(detail(refused).find(c.message), std::string::npos) << c.body << ": " << refused.body;
  }
  // The store's own checks come back as 422 with a message as well.
  for (
      std::string body :
      {R"({"anchor":"a2","organisation":"15091160","body":"   "})",
       R"({"anchor":"a2","organisation":"15091160","body":"x","passage":"steht nicht im Text"})"}) {
    auto refused = write(http::Method::post, comments, body);
    EXPECT_EQ(refused.status, 422) << body << ": " << refused.body;
    EXPECT_FALSE(detail(refused).empty()) << body;
  }
  EXPECT_EQ(rows("consultation_comments"), 0);
  EXPECT_EQ(rows("consultation_statements"), 0);
}

TEST_P(ConsultationsApiTest, AnswersShowOncePublishedAndToTheAuthorBefore) {
  ConsultationStore store(*db);
  const auto now = accounts::unix_now();
  auto comment = store.comment(past_, "a2", {.org_id = kemberg_org_, .body = "Zu teuer."}, kemberg_,
                               now - 5 * kDay);
  ASSERT_TRUE(comment) << comment.error().message;
  ASSERT_TRUE(store.save_statement(past_, kemberg_org_, "Bitte prüfen.", kemberg_, now - 5 * kDay));
  ASSERT_TRUE(store.release_statement(past_, kemberg_org_, kemberg_, now - 4 * kDay));
  auto statement = store.released_statements(past_, 1).value().at(0);
  ASSERT_TRUE(store.answer(past_, consultations::Point::comment(*comment),
                           consultations::Verdict::adopted, "Übernommen in § 1.", kreis_admin_,
                           now));
  ASSERT_TRUE(store.answer(past_, consultations::Point::statement(statement.id),
                           consultations::Verdict::noted, "", kreis_admin_, now));

  sign_in(kemberg_);
  auto late = write(http::Method::post, path(past_) + "/comments",
                    R"({"anchor":"a2","organisation":"15091160","body":"Nachtrag"})");
  EXPECT_EQ(late.status, 409) << "after the deadline";

  sign_in(wittenberg_);
  EXPECT_EQ(get_json(path(past_))["phase"], "abwaegung");
  EXPECT_TRUE(get_json(path(past_) + "/comments")["items"][0]["answer"].is_null());
  EXPECT_TRUE(get_json(path(past_) + "/statements")["items"][0]["answer"].is_null());
  sign_in(kreis_admin_);
  auto seen = get_json(path(past_) + "/comments?round=1")["items"][0]["answer"];
  ASSERT_TRUE(seen.is_object()) << "the author sees the answers before publishing";
  EXPECT_EQ(seen["verdict"], "uebernommen");
  EXPECT_EQ(seen["reason"], "Übernommen in § 1.");
  EXPECT_EQ(seen["answered_by"], "Kira Kreis");

  ASSERT_TRUE(store.publish_abwaegung(past_, kreis_admin_, now));
  sign_in(0);
  EXPECT_EQ(get_json(path(past_))["phase"], "abgeschlossen");
  EXPECT_EQ(get_json(path(past_) + "/comments")["items"][0]["answer"]["verdict"], "uebernommen");
  EXPECT_EQ(get_json(path(past_) + "/statements")["items"][0]["answer"]["verdict"], "kenntnis");
}

TEST_P(ConsultationsApiTest, TheFeedHoldsTheOrganisationsOpenReadableConsultations) {
  sign_in(halle_);  // a feed is the same for everyone: staff see no internal ones there either
  auto feed = send(http::Method::get, "/organisationen/15091160/konsultationen.atom");
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(feed.headers.get("Content-Type"), "application/atom+xml; charset=utf-8");
  auto problem = exports::testing::xml_problem(feed.body);
  if (problem == exports::testing::kNoXmlParser) GTEST_SKIP() << "no XML parser here";
  EXPECT_EQ(problem, std::nullopt) << feed.body;
  // Kemberg is addressed by the Kreis and wrote one; the Land's internal one and the
  // Kreis's closed one are not there.
  EXPECT_EQ(count_of(feed.body, "<entry>"), 2u) << feed.body;
  const std::string site = "https://beteiligung.example/konsultationen/";
  EXPECT_NE(feed.body.find("<id>" + site + std::to_string(public_) + "</id>"), std::string::npos);
  EXPECT_NE(feed.body.find("<id>" + site + std::to_string(readable_) + "</id>"), std::string::npos);
  EXPECT_EQ(feed.body.find("Interne Abstimmung"), std::string::npos);
  EXPECT_EQ(feed.body.find("Abfallsatzung"), std::string::npos);
  EXPECT_NE(feed.body.find("Kemberg"), std::string::npos) << "the organisation's name";
  EXPECT_NE(feed.body.find("https://beteiligung.example/organisationen/15091160/"
                           "konsultationen.atom"),
            std::string::npos)
      << "its own address";

  // Wittenberg: addressed by the Kreis and by Kemberg. The Kreis: the author of one open one.
  auto wittenberg = send(http::Method::get, "/organisationen/15091375/konsultationen.atom");
  EXPECT_EQ(count_of(wittenberg.body, "<entry>"), 2u);
  auto kreis = send(http::Method::get, "/organisationen/15091/konsultationen.atom");
  EXPECT_EQ(count_of(kreis.body, "<entry>"), 1u);
  EXPECT_NE(kreis.body.find("Breitbanderlass"), std::string::npos);
  // The Land wrote only an internal one: an empty feed, still a valid one.
  auto land = send(http::Method::get, "/organisationen/15/konsultationen.atom");
  ASSERT_EQ(land.status, 200);
  EXPECT_EQ(count_of(land.body, "<entry>"), 0u);
  EXPECT_EQ(land.body.find("<updated>1970-"), std::string::npos) << "an empty feed is current";
  EXPECT_EQ(exports::testing::xml_problem(land.body), std::nullopt) << land.body;
  EXPECT_EQ(send(http::Method::get, "/organisationen/00000000/konsultationen.atom").status, 404);
}

TEST_P(ConsultationsApiTest, OpenApiDescribesEveryOperationWithDemoExamples) {
  json doc = json::object();
  module("consultations").describe_api(doc);
  const auto& paths = doc["paths"];
  for (const auto& [route, method] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/consultations", "get"},
           {"/api/v1/consultations/{id}", "get"},
           {"/api/v1/consultations/{id}/rounds/{n}", "get"},
           {"/api/v1/consultations/{id}/comments", "get"},
           {"/api/v1/consultations/{id}/comments", "post"},
           {"/api/v1/consultations/{id}/statements", "get"},
           {"/api/v1/consultations/{id}/statements/{org}", "put"},
           {"/api/v1/consultations/{id}/statements/{org}/release", "post"}}) {
    ASSERT_TRUE(paths.contains(route) && paths[route].contains(method)) << method << " " << route;
    const auto& op = paths[route][method];
    EXPECT_TRUE(op.contains("operationId")) << route;
    if (method != "get") continue;
    for (const auto& p : op["parameters"])
      if (p["in"] == "path") {
        EXPECT_TRUE(p.contains("x-example")) << route << " " << p["name"];
      }
  }
  for (const char* schema : {"Consultation", "ConsultationRound", "ConsultationComment",
                             "ConsultationStatement", "ConsultationAnswer"})
    EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
  // The examples work on a consultation like the demo's first: id 1, round 1, section a1.
  sign_in(0);
  auto example = get_json(path(public_) + "/comments?round=1&anchor=a1");
  EXPECT_TRUE(example["items"].is_array());
}

AH_INSTANTIATE_BACKEND_TEST(ConsultationsApiTest);

}  // namespace
}  // namespace ah::modules
