// Drafts as people and clients meet them: writing and revising through the forms, the
// conflict page after a stale save, comparing versions inline and side by side, frozen
// drafts, the API, the notices, the DSGVO export, and the Augenhöhe rule — only a role in
// the group lets one write, whoever one's organisation is.
#include "modules/groups/drafts/module.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/groups/drafts/store.h"
#include "modules/groups/module.h"
#include "modules/groups/store.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

using groups::drafts::DraftStore;
using nlohmann::json;

class DraftsTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto modules = testing::standard_modules(make_groups_module());
    modules.push_back(make_drafts_module());
    start(*db, scratch_dir(), std::move(modules));
    authz::MembershipStore orgs(*db);
    auto person = [&](const char* email, const char* name, const char* org, authz::OrgRole role) {
      auto id = create_account(email, name);
      if (org) {
        EXPECT_TRUE(orgs.put(org_id(org), id, role, 1));
      }
      return id;
    };
    land_admin_ = person("admin@land.example", "Lena Land", "15", authz::OrgRole::admin);
    land_staff_ = person("staff@land.example", "Lars Land", "15", authz::OrgRole::member);
    kemberg_staff_ =
        person("staff@kemberg.example", "Karl Kemberg", "15091160", authz::OrgRole::member);
    wittenberg_staff_ =
        person("staff@wittenberg.example", "Wilma Wittenberg", "15091375", authz::OrgRole::member);
    citizen_ = person("citizen@example.org", "Clara Citizen", nullptr, authz::OrgRole::member);
    group_ = make_group("AG Entwürfe", groups::Visibility::internal);
  }

  // A group founded by Kemberg's staff, with Land staff as a member.
  std::int64_t make_group(const std::string& name, groups::Visibility visibility) {
    auto id = groups::GroupStore(*db).create(
        {.name = name, .description = "Worum es geht", .visibility = visibility}, kemberg_staff_,
        1);
    EXPECT_TRUE(id);
    EXPECT_TRUE(groups::GroupStore(*db).join(*id, land_staff_, "", 1));
    return *id;
  }

  static std::string hidden(const http::Response& page, const std::string& name) {
    std::string marker = "name=\"" + name + "\" value=\"";
    auto at = page.body.find(marker);
    if (at == std::string::npos) return "";
    at += marker.size();
    return page.body.substr(at, page.body.find('"', at) - at);
  }

  // Starts a draft through the form as `who`; its id.
  std::int64_t write(std::int64_t who, const std::string& form_body) {
    sign_in(who);
    auto form = send(http::Method::get, "/arbeitsgruppen/" + std::to_string(group_) + "/entwuerfe/neu");
    EXPECT_EQ(form.status, 200);
    auto created = send(http::Method::post,
                        "/arbeitsgruppen/" + std::to_string(group_) + "/entwuerfe/neu",
                        form_body + "&once=" + hidden(form, "once"));
    EXPECT_EQ(created.status, 303) << created.body;
    std::string location(created.headers.get("Location"));
    return std::stoll(location.substr(location.rfind('/') + 1));
  }

  std::int64_t count(const std::string& sql) { return db::testing::scalar(*db, sql); }

  std::int64_t land_admin_ = 0, land_staff_ = 0, kemberg_staff_ = 0, wittenberg_staff_ = 0,
               citizen_ = 0, group_ = 0;
};

TEST_P(DraftsTest, AMemberWritesAndRevisesADraftThroughTheForms) {
  sign_in(kemberg_staff_);
  const std::string base = "/arbeitsgruppen/" + std::to_string(group_) + "/entwuerfe";
  auto form = send(http::Method::get, base + "/neu");
  ASSERT_EQ(form.status, 200);
  std::string once = hidden(form, "once");
  ASSERT_GE(once.size(), 16u);
  // Mistakes come back with the error summary and what was typed.
  auto refused = send(http::Method::post, base + "/neu",
                      "title=&body=Text+%3Cb%3E+hier&note=&once=" + once);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("href=\"#field-title\""), std::string::npos);
  EXPECT_NE(refused.body.find("Text &lt;b&gt; hier"), std::string::npos) << "kept, escaped";
  EXPECT_EQ(send(http::Method::post, base + "/neu", "title=T&body=x&once=" + once, false).status,
            403)
      << "no CSRF token, no draft";
  // A double click creates one draft.
  std::string body = "title=Leitfaden&body=Die+Frist+ist+**kurz**.%0AZweite+Zeile&note=Anfang&once=" + once;
  auto first = send(http::Method::post, base + "/neu", body);
  auto second = send(http::Method::post, base + "/neu", body);
  ASSERT_EQ(first.status, 303);
  EXPECT_EQ(first.headers.get("Location"), second.headers.get("Location"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_drafts"), 1);
  const std::string draft(first.headers.get("Location"));

  auto page = send(http::Method::get, draft);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<strong>kurz</strong>"), std::string::npos) << "Markdown rendered";
  EXPECT_NE(page.body.find("Fassung 1"), std::string::npos);
  EXPECT_NE(page.body.find(draft + "/bearbeiten"), std::string::npos);
  auto list = send(http::Method::get, base);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Leitfaden"), std::string::npos);

  auto edit = send(http::Method::get, draft + "/bearbeiten");
  ASSERT_EQ(edit.status, 200);
  EXPECT_EQ(hidden(edit, "base_version"), "1");
  EXPECT_NE(edit.body.find("Die Frist ist **kurz**."), std::string::npos) << "current text";
  auto saved = send(http::Method::post, draft + "/bearbeiten",
                    "base_version=1&body=Die+Frist+ist+lang.%0AZweite+Zeile&note=l%C3%A4nger");
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers.get("Location"), draft);
  // A double click on save adds nothing and shows no conflict with oneself.
  auto again = send(http::Method::post, draft + "/bearbeiten",
                    "base_version=1&body=Die+Frist+ist+lang.%0AZweite+Zeile&note=l%C3%A4nger");
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_draft_versions"), 2);
  auto versions = send(http::Method::get, draft + "/versionen");
  ASSERT_EQ(versions.status, 200);
  EXPECT_NE(versions.body.find("Karl Kemberg (Kemberg, Stadt)"), std::string::npos)
      << "author with organisation";
  EXPECT_NE(versions.body.find("länger"), std::string::npos);
  EXPECT_NE(versions.body.find("method=\"get\""), std::string::npos) << "compare without JS";
  // An empty text is refused and the note kept.
  auto empty = send(http::Method::post, draft + "/bearbeiten", "base_version=2&body=&note=Notiz");
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("value=\"Notiz\""), std::string::npos);
}

// Two people edit version 1; the second to save gets the conflict page: the other version,
// the diff, their own text kept, based now on the other version — and nothing overwritten.
TEST_P(DraftsTest, ASaveOnAStaleVersionShowsBothAndAsks) {
  auto id = DraftStore(*db).create(group_, "Leitfaden", "Die Frist endet am Montag.", "", kemberg_staff_, 1);
  ASSERT_TRUE(id);
  const std::string draft = "/entwuerfe/" + std::to_string(*id);
  sign_in(land_staff_);
  ASSERT_TRUE(DraftStore(*db).save(*id, {.base_version = 1, .body = "Die Frist endet am Freitag."},
                                   kemberg_staff_, 2));
  send(http::Method::get, draft + "/bearbeiten");
  auto conflict = send(http::Method::post, draft + "/bearbeiten",
                       "base_version=1&body=Die+Frist+endet+am+Mittwoch.&note=mein+Vorschlag");
  ASSERT_EQ(conflict.status, 409) << conflict.body;
  EXPECT_NE(conflict.body.find("conflict-heading"), std::string::npos);
  EXPECT_NE(conflict.body.find("<p>Die Frist endet am Freitag.</p>"), std::string::npos)
      << "their version shown";
  EXPECT_NE(conflict.body.find(">Die Frist endet am Mittwoch.</textarea>"), std::string::npos)
      << "my text kept";
  EXPECT_NE(conflict.body.find("value=\"mein Vorschlag\""), std::string::npos);
  EXPECT_EQ(hidden(conflict, "base_version"), "2") << "saving again goes on top of theirs";
  EXPECT_NE(conflict.body.find("<del><span class=\"kern-sr-only\">entfernt: </span>Freitag</del>"),
            std::string::npos);
  EXPECT_NE(conflict.body.find("<ins><span class=\"kern-sr-only\">eingefügt: </span>Mittwoch</ins>"),
            std::string::npos);
  EXPECT_NE(conflict.body.find("href=\"" + draft + "/bearbeiten\""), std::string::npos)
      << "take theirs";
  EXPECT_EQ(DraftStore(*db).find(*id)->current_version, 2);
  EXPECT_EQ(DraftStore(*db).version(*id, 2)->body, "Die Frist endet am Freitag.");
  auto anyway = send(http::Method::post, draft + "/bearbeiten",
                     "base_version=" + hidden(conflict, "base_version") +
                         "&body=Die+Frist+endet+am+Mittwoch.&note=mein+Vorschlag");
  EXPECT_EQ(anyway.status, 303);
  EXPECT_EQ(DraftStore(*db).version(*id, 3)->body, "Die Frist endet am Mittwoch.");
}

TEST_P(DraftsTest, TwoVersionsAreComparedInlineAndSideBySide) {
  auto id = DraftStore(*db).create(group_, "Leitfaden", "a\nalt\nb", "", kemberg_staff_, 1);
  ASSERT_TRUE(id);
  ASSERT_TRUE(DraftStore(*db).save(*id, {.base_version = 1, .body = "a\nneu\nb\nc"}, land_staff_, 2));
  const std::string draft = "/entwuerfe/" + std::to_string(*id);
  sign_in(0);  // an internal group: staff of any organisation read it
  EXPECT_EQ(send(http::Method::get, draft + "/vergleich?von=1&bis=2").status, 404);
  sign_in(wittenberg_staff_);
  auto inline_view = send(http::Method::get, draft + "/vergleich?von=1&bis=2&ansicht=inline");
  ASSERT_EQ(inline_view.status, 200);
  EXPECT_NE(inline_view.body.find("<del><span class=\"kern-sr-only\">entfernt: </span>alt</del>"),
            std::string::npos);
  EXPECT_NE(inline_view.body.find("<ins><span class=\"kern-sr-only\">eingefügt: </span>c</ins>"),
            std::string::npos);
  EXPECT_NE(inline_view.body.find("aria-hidden=\"true\">−</span>"), std::string::npos)
      << "a visible sign, not colour alone";
  auto side = send(http::Method::get, draft + "/vergleich?von=1&bis=2&ansicht=nebeneinander");
  ASSERT_EQ(side.status, 200);
  EXPECT_NE(side.body.find("scope=\"col\">Fassung 1</th>"), std::string::npos);
  EXPECT_NE(side.body.find("scope=\"col\">Fassung 2</th>"), std::string::npos);
  EXPECT_NE(side.body.find("(keine Zeile)"), std::string::npos) << "c has no old line";
  auto same = send(http::Method::get, draft + "/vergleich?von=2&bis=2");
  EXPECT_NE(same.body.find("Die beiden Fassungen sind gleich."), std::string::npos);
  EXPECT_EQ(send(http::Method::get, draft + "/vergleich?von=1&bis=9").status, 404);
  EXPECT_EQ(send(http::Method::get, draft + "/vergleich?von=x&bis=2").status, 400);
  EXPECT_EQ(send(http::Method::get, draft + "/vergleich?von=1&bis=2&ansicht=bunt").status, 400);
  auto old = send(http::Method::get, draft + "?fassung=1");
  ASSERT_EQ(old.status, 200);
  EXPECT_NE(old.body.find("Sie sehen eine ältere Fassung."), std::string::npos);
}

// The Augenhöhe rule: the Land's admin and Wittenberg's staff, who are not members, may
// read an internal group's drafts like any staff, and write nothing — on the pages and
// through the API. Members from the Land and from Kemberg have the same rights.
TEST_P(DraftsTest, OnlyARoleInTheGroupLetsOneWrite) {
  auto id = DraftStore(*db).create(group_, "Leitfaden", "Text", "", kemberg_staff_, 1);
  ASSERT_TRUE(id);
  const std::string draft = "/entwuerfe/" + std::to_string(*id);
  const std::string base = "/arbeitsgruppen/" + std::to_string(group_) + "/entwuerfe";
  for (auto outsider : {land_admin_, wittenberg_staff_}) {
    SCOPED_TRACE(outsider);
    sign_in(outsider);
    auto page = send(http::Method::get, draft);
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body.find(draft + "/bearbeiten"), std::string::npos) << "no edit button";
    EXPECT_EQ(send(http::Method::get, base).body.find(base + "/neu"), std::string::npos);
    EXPECT_EQ(send(http::Method::get, base + "/neu").status, 403);
    EXPECT_EQ(send(http::Method::post, base + "/neu", "title=Von+oben&body=Anweisung&once=k").status,
              403);
    EXPECT_EQ(send(http::Method::get, draft + "/bearbeiten").status, 403);
    EXPECT_EQ(send(http::Method::post, draft + "/bearbeiten", "base_version=1&body=Anweisung").status,
              403);
    EXPECT_EQ(api(http::Method::post, "/api/v1/groups/" + std::to_string(group_) + "/drafts",
                  R"({"title":"Von oben","body":"Anweisung"})", csrf)
                  .status,
              403);
    EXPECT_EQ(api(http::Method::post, "/api/v1/drafts/" + std::to_string(*id) + "/versions",
                  R"({"base_version":1,"body":"Anweisung"})", csrf)
                  .status,
              403);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_draft_versions"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_drafts"), 1);
  // Members: the Land's and Kemberg's staff alike.
  std::int64_t version = 1;
  for (auto member : {land_staff_, kemberg_staff_}) {
    sign_in(member);
    send(http::Method::get, draft + "/bearbeiten");
    auto saved = send(http::Method::post, draft + "/bearbeiten",
                      "base_version=" + std::to_string(version) + "&body=Von+" + std::to_string(member));
    EXPECT_EQ(saved.status, 303) << member;
    ++version;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_draft_versions"), 3);
  // Signed out: the login.
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, draft + "/bearbeiten").status, 303);
  EXPECT_EQ(api(http::Method::post, "/api/v1/drafts/" + std::to_string(*id) + "/versions",
                R"({"base_version":3,"body":"x"})")
                .status,
            401);
}

// A closed group's drafts do not exist for outsiders, the Land's admin included.
TEST_P(DraftsTest, AClosedGroupsDraftsAreHiddenFromOutsiders) {
  auto closed = make_group("AG Geschlossen", groups::Visibility::closed);
  auto id = DraftStore(*db).create(closed, "Geheim", "Text", "", kemberg_staff_, 1);
  ASSERT_TRUE(id);
  const std::string d = std::to_string(*id), g = std::to_string(closed);
  for (auto [who, expected] : {std::pair{std::int64_t{0}, 404}, std::pair{citizen_, 404},
                               std::pair{land_admin_, 404}, std::pair{wittenberg_staff_, 404},
                               std::pair{land_staff_, 200}}) {
    SCOPED_TRACE(who);
    sign_in(who);
    EXPECT_EQ(send(http::Method::get, "/arbeitsgruppen/" + g + "/entwuerfe").status, expected);
    EXPECT_EQ(send(http::Method::get, "/entwuerfe/" + d).status, expected);
    EXPECT_EQ(send(http::Method::get, "/entwuerfe/" + d + "/versionen").status, expected);
    EXPECT_EQ(send(http::Method::get, "/entwuerfe/" + d + "/vergleich?von=1&bis=1").status, expected);
    EXPECT_EQ(api(http::Method::get, "/api/v1/groups/" + g + "/drafts").status, expected);
    EXPECT_EQ(api(http::Method::get, "/api/v1/drafts/" + d).status, expected);
    EXPECT_EQ(api(http::Method::get, "/api/v1/drafts/" + d + "/versions").status, expected);
    EXPECT_EQ(api(http::Method::get, "/api/v1/drafts/" + d + "/versions/1").status, expected);
  }
}

TEST_P(DraftsTest, AFrozenDraftShowsItsDecisionAndRefusesChanges) {
  auto id = DraftStore(*db).create(group_, "Leitfaden", "Text", "", kemberg_staff_, 1);
  ASSERT_TRUE(id);
  ASSERT_TRUE(db->transaction(
      [&](db::Connection& tx) { return DraftStore::freeze(tx, *id, 77, 1796116800); }));
  const std::string draft = "/entwuerfe/" + std::to_string(*id);
  sign_in(kemberg_staff_);
  auto page = send(http::Method::get, draft);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find(">beschlossen<"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/entscheidungen/77\""), std::string::npos);
  EXPECT_EQ(page.body.find(draft + "/bearbeiten"), std::string::npos) << "no edit button";
  auto edit = send(http::Method::post, draft + "/bearbeiten", "base_version=1&body=Neu");
  EXPECT_EQ(edit.status, 409);
  EXPECT_NE(edit.body.find("Dieser Entwurf wurde beschlossen und ist eingefroren"), std::string::npos);
  auto api_save = api(http::Method::post, "/api/v1/drafts/" + std::to_string(*id) + "/versions",
                      R"({"base_version":1,"body":"Neu"})", csrf);
  EXPECT_EQ(api_save.status, 409);
  EXPECT_EQ(json::parse(api_save.body)["current_version"], 1);
  auto read = json::parse(api(http::Method::get, "/api/v1/drafts/" + std::to_string(*id)).body);
  EXPECT_EQ(read["state"], "frozen");
  EXPECT_EQ(read["frozen_by_decision_id"], 77);
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_draft_versions"), 1);
}

TEST_P(DraftsTest, TheApiCreatesSavesAndReportsConflicts) {
  const std::string g = std::to_string(group_);
  sign_in(land_staff_);
  EXPECT_EQ(api(http::Method::post, "/api/v1/groups/" + g + "/drafts", R"({"title":"T"})", csrf).status,
            422);
  EXPECT_EQ(api(http::Method::post, "/api/v1/groups/" + g + "/drafts", "kein json", csrf).status, 400);
  auto created = api(http::Method::post, "/api/v1/groups/" + g + "/drafts",
                     R"({"title":"Leitfaden","body":"Eins","note":"Anfang"})", csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  auto draft = json::parse(created.body);
  const std::string d = std::to_string(draft["id"].get<std::int64_t>());
  EXPECT_EQ(created.headers.get("Location"), "/api/v1/drafts/" + d);
  EXPECT_EQ(draft["current_version"], 1);
  auto saved = api(http::Method::post, "/api/v1/drafts/" + d + "/versions",
                   R"({"base_version":1,"body":"Zwei","note":"besser"})", csrf);
  ASSERT_EQ(saved.status, 201) << saved.body;
  EXPECT_EQ(json::parse(saved.body)["number"], 2);
  EXPECT_EQ(saved.headers.get("Location"), "/api/v1/drafts/" + d + "/versions/2");
  auto stale = api(http::Method::post, "/api/v1/drafts/" + d + "/versions",
                   R"({"base_version":1,"body":"Auch zwei"})", csrf);
  ASSERT_EQ(stale.status, 409);
  auto problem = json::parse(stale.body);
  EXPECT_EQ(problem["current_version"], 2);
  EXPECT_EQ(problem["status"], 409);
  EXPECT_EQ(api(http::Method::post, "/api/v1/drafts/" + d + "/versions",
                R"({"base_version":"1","body":"x"})", csrf)
                .status,
            422);
  EXPECT_EQ(count("SELECT COUNT(*) FROM group_draft_versions"), 2);

  auto one = json::parse(api(http::Method::get, "/api/v1/drafts/" + d).body);
  EXPECT_EQ(one["body"], "Zwei");
  EXPECT_EQ(one["current"]["author"], "Lars Land");
  EXPECT_EQ(one["current"]["organisations"], json::array({"Land Sachsen-Anhalt"}));
  auto list = json::parse(api(http::Method::get, "/api/v1/groups/" + g + "/drafts").body);
  ASSERT_EQ(list["items"].size(), 1u);
  auto versions = json::parse(api(http::Method::get, "/api/v1/drafts/" + d + "/versions?limit=1").body);
  ASSERT_EQ(versions["items"].size(), 1u);
  EXPECT_EQ(versions["items"][0]["number"], 2);
  EXPECT_EQ(versions["items"][0]["organisations"], json::array({"Land Sachsen-Anhalt"}));
  EXPECT_FALSE(versions["next_cursor"].is_null());
  auto first = json::parse(api(http::Method::get, "/api/v1/drafts/" + d + "/versions/1").body);
  EXPECT_EQ(first["body"], "Eins");
  EXPECT_EQ(first["note"], "Anfang");
  EXPECT_EQ(api(http::Method::get, "/api/v1/drafts/" + d + "/versions/3").status, 404);
}

// Who wrote versions before hears of a new one (digest by default); the author does not,
// nor someone who has left the group.
TEST_P(DraftsTest, EarlierEditorsAreToldOfNewVersions) {
  auto id = DraftStore(*db).create(group_, "Leitfaden", "Eins", "", kemberg_staff_, 1);
  ASSERT_TRUE(id);
  sign_in(land_staff_);
  const std::string draft = "/entwuerfe/" + std::to_string(*id);
  send(http::Method::get, draft + "/bearbeiten");
  ASSERT_EQ(send(http::Method::post, draft + "/bearbeiten", "base_version=1&body=Zwei&note=k%C3%BCrzer")
                .status,
            303);
  auto notices = [&](std::int64_t who) {
    return db::testing::scalar(*db,
                               "SELECT COUNT(*) FROM notifications WHERE account_id = $1"
                               " AND kind = 'groups.draft'",
                               {db::Value{who}});
  };
  EXPECT_EQ(notices(kemberg_staff_), 1);
  EXPECT_EQ(notices(land_staff_), 0) << "not the author";
  // Wittenberg joins, writes version 3 and leaves again.
  ASSERT_TRUE(groups::GroupStore(*db).join(group_, wittenberg_staff_, "", 3));
  sign_in(wittenberg_staff_);
  send(http::Method::get, draft + "/bearbeiten");
  ASSERT_EQ(send(http::Method::post, draft + "/bearbeiten", "base_version=2&body=Drei").status, 303);
  EXPECT_EQ(notices(kemberg_staff_), 2);
  EXPECT_EQ(notices(land_staff_), 1);
  ASSERT_TRUE(groups::GroupStore(*db).leave(group_, wittenberg_staff_));
  sign_in(kemberg_staff_);
  send(http::Method::get, draft + "/bearbeiten");
  ASSERT_EQ(send(http::Method::post, draft + "/bearbeiten", "base_version=3&body=Vier").status, 303);
  EXPECT_EQ(notices(land_staff_), 2);
  EXPECT_EQ(notices(wittenberg_staff_), 0) << "left the group";
}

TEST_P(DraftsTest, ThePersonalDataExportHoldsDraftsAndVersions) {
  auto id = DraftStore(*db).create(group_, "Leitfaden", "Eins", "Anfang", kemberg_staff_, 1);
  ASSERT_TRUE(id);
  ASSERT_TRUE(DraftStore(*db).save(*id, {.base_version = 1, .body = "Zwei"}, land_staff_, 2));
  auto exported = module("drafts").export_personal_data(services(), kemberg_staff_);
  ASSERT_TRUE(exported);
  ASSERT_EQ((*exported)["drafts"].size(), 1u);
  EXPECT_EQ((*exported)["drafts"][0]["title"], "Leitfaden");
  ASSERT_EQ((*exported)["versions"].size(), 1u);
  EXPECT_EQ((*exported)["versions"][0]["body"], "Eins");
  EXPECT_EQ((*exported)["versions"][0]["note"], "Anfang");
  EXPECT_EQ((*exported)["versions"][0]["created_at"], "1970-01-01T00:00:01Z");
}

TEST_P(DraftsTest, TheGroupPageLinksToItsDrafts) {
  sign_in(wittenberg_staff_);
  auto page = send(http::Method::get, "/arbeitsgruppen/" + std::to_string(group_));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("href=\"/arbeitsgruppen/" + std::to_string(group_) + "/entwuerfe\""),
            std::string::npos);
}

AH_INSTANTIATE_BACKEND_TEST(DraftsTest);

}  // namespace
}  // namespace ah::modules
