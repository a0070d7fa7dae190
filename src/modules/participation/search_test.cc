// Finding processes: topics from the catalogue, full-text search with German stemming, and
// both combined with the other filters and keyset pages — in the store on both backends,
// through the API and on /beteiligung.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "base/time.h"
#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/participation/module.h"
#include "modules/participation/store.h"
#include "modules/testing/harness.h"
#include "search/index.h"

namespace ah::modules::participation {
namespace {

using nlohmann::json;
using Ids = std::vector<std::int64_t>;

constexpr std::int64_t kNow = 1796116800;  // 2026-12-01T09:20:00Z
constexpr std::int64_t kDay = 86400;

NewProcess process(std::int64_t org, std::string title, std::string summary, std::string body,
                   std::string topic) {
  return {.org_id = org,
          .title = std::move(title),
          .summary = std::move(summary),
          .body = std::move(body),
          .topic = std::move(topic),
          .state = ProcessState::published,
          .phases = {{"Ideen", kNow - 5 * kDay, kNow + 5 * kDay, true, true, true}}};
}

class ProcessSearchTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_participation_module()));
    kemberg_ = org_id("15091160");
    halle_ = org_id("15002000");
    author_ = create_account("amt@example.org", "Amt");
    playground_ =
        make(process(kemberg_, "Neuer Spielplatz am Markt", "Wie soll der Spielplatz aussehen?",
                     "Kinder und Eltern planen mit.", "sport_freizeit"),
             kNow);
    cycle_ = make(process(halle_, "Radwege in der Innenstadt", "Wo fehlen sichere Radwege?",
                          "Die Straßen am Markt sind gefährlich.", "verkehr"),
                  kNow + 1);
    digital_ = make(process(org_id("15"), "Digitale Verwaltung", "Anträge online stellen",
                            "Welche Leistungen brauchen Bürgerinnen und Bürger?", "digitales"),
                    kNow + 2);
  }

  std::int64_t make(const NewProcess& p, std::int64_t at) {
    auto id = ProcessStore(*db).create(p, author_, at);
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  // Every id the list shows for `filter`, page by page (newest first).
  Ids ids(ProcessFilter filter, int page_size = 10) {
    Ids out;
    std::string cursor;
    do {
      auto page = ProcessStore(*db).list(filter, cursor, page_size);
      EXPECT_TRUE(page) << filter.text << ": " << page.error().message << " "
                        << page.error().detail;
      if (!page) break;
      for (const auto& p : page->items) out.push_back(p.id);
      cursor = page->next_cursor;
    } while (!cursor.empty());
    return out;
  }

  std::int64_t kemberg_ = 0, halle_ = 0, author_ = 0;
  std::int64_t playground_ = 0, cycle_ = 0, digital_ = 0;
};

TEST_P(ProcessSearchTest, FindsInflectedWordsInTitleSummaryAndBody) {
  EXPECT_EQ(ids({.text = "Spielplätze"}), (Ids{playground_}));          // title: Spielplatz
  EXPECT_EQ(ids({.text = "spielplatz aussehen"}), (Ids{playground_}));  // summary
  EXPECT_EQ(ids({.text = "Kind"}), (Ids{playground_}));                 // body: Kinder
  EXPECT_EQ(ids({.text = "Strasse"}), (Ids{cycle_}));                   // body: Straßen
  EXPECT_EQ(ids({.text = "RADWEG"}), (Ids{cycle_}));
  EXPECT_EQ(ids({.text = "Markt"}), (Ids{cycle_, playground_}));  // newest first
  EXPECT_EQ(ids({.text = "Markt Radwege"}), (Ids{cycle_}));       // every word
  EXPECT_EQ(ids({.text = "Digit"}), (Ids{digital_}));             // last word as prefix
  EXPECT_EQ(ids({.text = "Schwimmbad"}), Ids{});
  EXPECT_EQ(ids({.text = "  "}).size(), 3u) << "blank: no search";
}

TEST_P(ProcessSearchTest, TopicAndSearchCombineWithTheOtherFilters) {
  EXPECT_EQ(ids({.topic = "verkehr"}), (Ids{cycle_}));
  EXPECT_EQ(ids({.topic = "kultur"}), Ids{});
  EXPECT_EQ(ids({.topic = "verkehr", .text = "Markt"}), (Ids{cycle_}));
  EXPECT_EQ(ids({.topic = "sport_freizeit", .text = "Radwege"}), Ids{});
  EXPECT_EQ(ids({.kreis_ags = "15091", .text = "Markt"}), (Ids{playground_}));
  EXPECT_EQ(ids({.org_id = halle_, .text = "Markt"}), (Ids{cycle_}));
  // In Kemberg: Kemberg's and the Land's processes.
  EXPECT_EQ(ids({.gemeinde_ags = "15091160", .text = "Bürger"}), (Ids{digital_}));
  EXPECT_EQ(ids({.state = ProcessState::closed, .text = "Markt"}), Ids{});
  ASSERT_TRUE(ProcessStore(*db).set_state(playground_, ProcessState::closed, kNow + 10));
  EXPECT_EQ(ids({.state = ProcessState::closed, .text = "Markt"}), (Ids{playground_}));
}

TEST_P(ProcessSearchTest, SearchResultsArePagedByKeyset) {
  Ids made;
  for (int i = 0; i < 7; ++i)
    made.push_back(make(process(kemberg_, "Bank Nummer " + std::to_string(i),
                                "Neue Bänke für den Park", "", "stadtentwicklung"),
                        kNow + 100 + i / 2));  // pairs share a time: the id breaks the tie
  std::reverse(made.begin(), made.end());
  EXPECT_EQ(ids({.text = "Bänke Park"}, 2), made);
  EXPECT_EQ(ids({.topic = "stadtentwicklung", .text = "bank"}, 3), made);
}

TEST_P(ProcessSearchTest, DraftsAreNeverFound) {
  auto draft = process(kemberg_, "Geheimer Entwurf", "Noch nicht öffentlich", "", "kultur");
  draft.state = ProcessState::draft;
  make(draft, kNow + 50);
  EXPECT_EQ(ids({.text = "Entwurf"}), Ids{});
}

TEST_P(ProcessSearchTest, AnythingTypedIsSafe) {
  for (const std::string& q : std::vector<std::string>{
           "\"", "Spielplatz\" OR \"", "*", "NEAR(a b)", "-Markt", "title:Markt", "(((",
           "'; DROP TABLE processes; --", "a & b | !c", ":*", "\xff", std::string(5000, 'x')}) {
    auto page = ProcessStore(*db).list({.text = q}, "", 10);
    EXPECT_TRUE(page) << q << ": " << page.error().detail;
  }
  EXPECT_EQ(ids({.text = "-Markt"}), (Ids{cycle_, playground_})) << "'-' is no operator";
  EXPECT_EQ(ids({.text = "Spielplatz OR Radwege"}), Ids{}) << "OR is no operator";
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM processes"), 3);
}

TEST_P(ProcessSearchTest, TopicsComeFromTheCatalogue) {
  auto p = process(kemberg_, "T", "S", "", "Spielplätze");
  ASSERT_EQ(validate(p).size(), 1u);
  EXPECT_EQ(validate(p).front(),
            (std::pair<std::string, std::string>{"topic", "participation_error_topic"}));
  EXPECT_FALSE(ProcessStore(*db).create(p, author_, kNow));
  p.topic = "";
  EXPECT_TRUE(validate(p).empty()) << "a topic is optional";
  for (std::string_view key : process_topics()) {
    p.topic = std::string(key);
    EXPECT_TRUE(validate(p).empty()) << key;
  }
  EXPECT_EQ(process_topics().size(), 10u);
}

TEST_P(ProcessSearchTest, TheApiFiltersByTopicAndSearches) {
  auto list = [&](const std::string& query) {
    auto r = api(http::Method::get, "/api/v1/processes" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    Ids out;
    const json body = json::parse(r.body);
    for (const auto& item : body["items"]) out.push_back(item["id"].get<std::int64_t>());
    return out;
  };
  EXPECT_EQ(list("?q=Spielpl%C3%A4tze"), (Ids{playground_}));
  EXPECT_EQ(list("?topic=verkehr"), (Ids{cycle_}));
  EXPECT_EQ(list("?topic=verkehr&q=Markt&kreis=15002"), (Ids{cycle_}));
  EXPECT_EQ(list("?q=%22%28NEAR"), Ids{});
  EXPECT_EQ(api(http::Method::get, "/api/v1/processes?topic=Spielpl%C3%A4tze").status, 400);
  // Paging keeps the search.
  auto first = json::parse(api(http::Method::get, "/api/v1/processes?q=Markt&limit=1").body);
  ASSERT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["items"][0]["id"].get<std::int64_t>(), cycle_);
  EXPECT_EQ(first["items"][0]["topic"], "verkehr");
  auto second = json::parse(api(http::Method::get, "/api/v1/processes?q=Markt&limit=1&cursor=" +
                                                       first["next_cursor"].get<std::string>())
                                .body);
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["id"].get<std::int64_t>(), playground_);
  EXPECT_TRUE(second["next_cursor"].is_null());
}

TEST_P(ProcessSearchTest, TheApiCreatesProcessesWithATopicAndIndexesThem) {
  auto admin = create_account("admin@kemberg.example", "Admin");
  ASSERT_TRUE(authz::MembershipStore(*db).put(kemberg_, admin, authz::OrgRole::admin, 1));
  sign_in(admin);
  json body = {{"org", "15091160"},
               {"title", "Freibad Kemberg"},
               {"summary", "Öffnungszeiten im Sommer"},
               {"topic", "sport_freizeit"},
               {"state", "published"},
               {"phases",
                {{{"title", "Ideen"},
                  {"starts_at", rfc3339_utc(kNow)},
                  {"ends_at", rfc3339_utc(kNow + kDay)}}}}};
  auto created = api(http::Method::post, "/api/v1/processes", body.dump(), csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json::parse(created.body)["topic"], "sport_freizeit");
  auto id = json::parse(created.body)["id"].get<std::int64_t>();
  EXPECT_EQ(ids({.text = "Freibäder"}), (Ids{id}));
  body["topic"] = "Schwimmen";
  auto refused = api(http::Method::post, "/api/v1/processes", body.dump(), csrf);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Thema"), std::string::npos) << refused.body;
}

TEST_P(ProcessSearchTest, TheListPageSearchesAndFiltersWithoutJavaScript) {
  auto page = send(http::Method::get, "/beteiligung?q=Spielpl%C3%A4tze");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Neuer Spielplatz am Markt"), std::string::npos);
  EXPECT_EQ(page.body.find("Radwege in der Innenstadt"), std::string::npos);
  EXPECT_NE(page.body.find("<label class=\"kern-label\" for=\"field-q\">"), std::string::npos);
  EXPECT_NE(page.body.find("name=\"q\" type=\"search\" maxlength=\"200\" value=\"Spielplätze\""),
            std::string::npos)
      << "keeps what was typed";
  EXPECT_NE(page.body.find("Sport und Freizeit"), std::string::npos) << "the topic is shown";

  auto by_topic = send(http::Method::get, "/beteiligung?topic=verkehr");
  ASSERT_EQ(by_topic.status, 200);
  EXPECT_NE(by_topic.body.find("Radwege in der Innenstadt"), std::string::npos);
  EXPECT_EQ(by_topic.body.find("Neuer Spielplatz am Markt"), std::string::npos);
  EXPECT_NE(by_topic.body.find("<option value=\"verkehr\" selected>Verkehr</option>"),
            std::string::npos);

  auto none = send(http::Method::get, "/beteiligung?q=%22%3Cscript%3E");
  ASSERT_EQ(none.status, 200);
  EXPECT_NE(none.body.find("Keine Verfahren gefunden"), std::string::npos);
  EXPECT_EQ(none.body.find("<script>"), std::string::npos) << "escaped";
  EXPECT_EQ(send(http::Method::get, "/beteiligung?topic=nonsense").status, 400);

  // The next page keeps search and topic.
  for (int i = 0; i < 25; ++i)
    make(process(kemberg_, "Bank " + std::to_string(i), "Bänke im Park", "", "stadtentwicklung"),
         kNow + 100 + i);
  auto first = send(http::Method::get, "/beteiligung?q=Park&topic=stadtentwicklung");
  ASSERT_EQ(first.status, 200);
  auto at = first.body.find("href=\"/beteiligung?");
  ASSERT_NE(at, std::string::npos) << "a link to the next page";
  auto end = first.body.find('"', at + 6);
  std::string next = first.body.substr(at + 6, end - at - 6);
  std::string unescaped;
  for (std::size_t i = 0; i < next.size(); ++i) {
    if (next.compare(i, 5, "&amp;") == 0) {
      unescaped += '&';
      i += 4;
    } else {
      unescaped += next[i];
    }
  }
  EXPECT_NE(unescaped.find("topic=stadtentwicklung"), std::string::npos) << unescaped;
  EXPECT_NE(unescaped.find("q=Park"), std::string::npos) << unescaped;
  auto second = send(http::Method::get, unescaped);
  ASSERT_EQ(second.status, 200);
  EXPECT_NE(second.body.find("Bank 4<"), std::string::npos);
  EXPECT_EQ(second.body.find("Bank 5<"), std::string::npos) << "on the first page";
}

TEST_P(ProcessSearchTest, TheFormOffersTheCatalogueAndKeepsTheChoice) {
  auto admin = create_account("admin@kemberg.example", "Admin");
  ASSERT_TRUE(authz::MembershipStore(*db).put(kemberg_, admin, authz::OrgRole::admin, 1));
  sign_in(admin);
  auto form = send(http::Method::get, "/beteiligung/neu");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<option value=\"umwelt\">Umwelt</option>"), std::string::npos);
  auto bad = send(http::Method::post, "/beteiligung/neu",
                  "org=15091160&title=&summary=S&topic=umwelt&phase0_title=Ideen&phase0_from="
                  "2026-12-01&phase0_to=2026-12-31");
  ASSERT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("<option value=\"umwelt\" selected>"), std::string::npos)
      << "keeps the chosen topic";
  auto forged = send(http::Method::post, "/beteiligung/neu",
                     "org=15091160&title=T&summary=S&topic=Kirmes&phase0_title=Ideen&phase0_from="
                     "2026-12-01&phase0_to=2026-12-31");
  ASSERT_EQ(forged.status, 422);
  EXPECT_NE(forged.body.find("href=\"#field-topic\""), std::string::npos);
  auto made = send(http::Method::post, "/beteiligung/neu",
                   "org=15091160&title=Stadtpark&summary=B%C3%A4ume&topic=umwelt&state=published&"
                   "phase0_title=Ideen&phase0_from=2026-12-01&phase0_to=2026-12-31");
  ASSERT_EQ(made.status, 303) << made.body;
  auto page = send(http::Method::get, std::string(made.headers.get("Location")));
  EXPECT_NE(page.body.find("Umwelt"), std::string::npos) << "the topic's name on the page";
  EXPECT_EQ(ids({.topic = "umwelt", .text = "Baum"}).size(), 1u);
}

AH_INSTANTIATE_BACKEND_TEST(ProcessSearchTest);

// Processes created before search existed become searchable by migration 5003.
class ProcessSearchMigrationTest : public db::testing::BackendTest {};

TEST_P(ProcessSearchMigrationTest, IndexesProcessesThatExistedBefore) {
  std::vector<db::Migration> all = search::search_migrations();
  for (const auto& m : testing::standard_modules(make_participation_module()))
    for (auto& migration : m->migrations()) all.push_back(std::move(migration));
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  auto split =
      std::find_if(all.begin(), all.end(), [](const auto& m) { return m.version >= 5003; });
  ASSERT_NE(split, all.end());
  ASSERT_TRUE(db::migrate(*db, std::vector<db::Migration>(all.begin(), split)));
  auto org = db->query("SELECT id FROM organisations WHERE ags = '15091160'");
  ASSERT_TRUE(org && !org->rows.empty());
  ASSERT_TRUE(db->query(
      "INSERT INTO processes (org_id, title, summary, body, topic, state, short_code, created_at,"
      " updated_at) VALUES ($1, 'Alte Spielplätze', 'Von früher', 'Text', 'Spielplätze',"
      " 'published', 'abc234', 1, 1)",
      {org->rows[0].value(0)}));
  ASSERT_TRUE(db::migrate(*db, all));
  auto found = ProcessStore(*db).list({.text = "Spielplatz"}, "", 10);
  ASSERT_TRUE(found) << found.error().detail;
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].topic, "Spielplätze") << "an old free-text topic is kept";
}

AH_INSTANTIATE_BACKEND_TEST(ProcessSearchMigrationTest);

}  // namespace
}  // namespace ah::modules::participation
