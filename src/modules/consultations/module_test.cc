// The Konsultationen as browsers meet them, on SQLite and PostgreSQL: opening one through
// the form, comments and Stellungnahmen by the addressed organisations only, the
// Augenhöhe matrix (the Land has no more rights in a Gemeinde's consultation than any
// other addressee), the board and reminders, the Abwägung with its XLSX and PDF read back
// by other programs, the synopsis, and the DSGVO export.
#include "modules/consultations/module.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "export/test_tools.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/consultations/store.h"
#include "modules/files/samples.h"
#include "modules/groups/module.h"
#include "modules/testing/harness.h"

namespace ah::modules::consultations {
namespace {

using nlohmann::json;

constexpr const char* kText =
    "# § 1 Geltungsbereich\n\n"
    "(1) Dieser Erlass gilt für alle Gemeinden.\n\n"
    "(2) Er gilt nicht für Zweckverbände.\n";

std::string form_escape(std::string_view text) {
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.') {
      out += static_cast<char>(ch);
    } else if (ch == ' ') {
      out += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return out;
}

class ConsultationsTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto modules = testing::standard_modules(make_groups_module());
    modules.push_back(make_consultations_module());
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
    kemberg_admin_ = person("admin@kemberg.example", "Klara Kemberg", "15091160", authz::OrgRole::admin);
    kemberg_staff_ = person("staff@kemberg.example", "Karl Kemberg", "15091160", authz::OrgRole::member);
    wittenberg_ = person("staff@wittenberg.example", "Wilma Wittenberg", "15091375", authz::OrgRole::member);
    halle_ = person("staff@halle.example", "Hans Halle", "15002000", authz::OrgRole::member);
    citizen_ = person("clara@example.org", "Clara Citizen", nullptr, authz::OrgRole::member);
  }

  static std::string once_of(const http::Response& page) {
    auto at = page.body.find("name=\"once\" value=\"");
    if (at == std::string::npos) return "";
    return page.body.substr(at + 19, page.body.find('"', at + 19) - at - 19);
  }

  // Opens a consultation through the form as `who` and returns its path.
  std::string open_by_form(std::int64_t who, const std::string& author, const std::string& rules,
                           const std::string& openness = "intern") {
    sign_in(who);
    auto form = send(http::Method::get, "/konsultationen/neu");
    EXPECT_EQ(form.status, 200);
    auto created = send(http::Method::post, "/konsultationen/neu",
                        "author=" + form_escape(author) + "&title=Erlass+Breitband&summary=Bitte+pr%C3%BCfen&body=" +
                            form_escape(kText) + "&openness=" + openness + "&" + rules +
                            "&deadline_date=2099-12-31&deadline_time=12%3A00&once=" + once_of(form));
    EXPECT_EQ(created.status, 303) << created.body;
    return std::string(created.headers.get("Location"));
  }

  // A consultation whose round ended yesterday, made directly in the store.
  std::int64_t closed_consultation(Openness openness = Openness::public_read) {
    const auto now = accounts::unix_now();
    ConsultationStore store(*db);
    auto id = store.create({.title = "Standard Beteiligung", .body = kText,
                            .author_org = org_id("15"), .openness = openness,
                            .addressees = {{AddresseeKind::kreis, "15091", 0, {}}},
                            .deadline = now - 86400, .created_by = land_admin_},
                           now - 30 * 86400);
    EXPECT_TRUE(id);
    EXPECT_TRUE(store.comment(*id, "a2",
                              {.org_id = org_id("15091160"),
                               .amendment = "(1) Dieser Erlass gilt für Gemeinden ab 1.000 Einwohnern.",
                               .body = "Zu weit für Dörfer"},
                              kemberg_staff_, now - 20 * 86400));
    EXPECT_TRUE(store.save_statement(*id, org_id("15091160"), "Im Ganzen einverstanden.",
                                     kemberg_staff_, now - 20 * 86400));
    EXPECT_TRUE(store.release_statement(*id, org_id("15091160"), kemberg_admin_, now - 19 * 86400));
    EXPECT_TRUE(store.comment(*id, "a3", {.org_id = org_id("15091375"), .body = "Passt"},
                              wittenberg_, now - 18 * 86400));
    return *id;
  }

  std::int64_t notices_of(std::int64_t account, std::string_view kind) {
    return db::testing::scalar(*db, "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = $2",
                               {db::Value{account}, db::Value{std::string(kind)}});
  }

  std::int64_t land_admin_ = 0, land_staff_ = 0, kemberg_admin_ = 0, kemberg_staff_ = 0,
               wittenberg_ = 0, halle_ = 0, citizen_ = 0;
};

TEST_P(ConsultationsTest, TheLandOpensOneToTheGemeindenOfAKreisThroughTheForm) {
  sign_in(land_staff_);
  // Members who are not admins open none (consultation.create); the list shows no button.
  EXPECT_EQ(send(http::Method::get, "/konsultationen/neu").status, 403);
  EXPECT_EQ(send(http::Method::get, "/konsultationen").body.find("/konsultationen/neu\""),
            std::string::npos);
  auto path = open_by_form(land_admin_, "org:" + std::to_string(org_id("15")), "kreis=15091");
  ASSERT_TRUE(path.starts_with("/konsultationen/")) << path;
  auto page = send(http::Method::get, path);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Erlass Breitband"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"a2\""), std::string::npos);
  EXPECT_NE(page.body.find(path + "/abschnitte/a2"), std::string::npos);
  EXPECT_NE(page.body.find("Landkreis Wittenberg"), std::string::npos);
  // The staff of the nine Gemeinden were told; Halle's were not.
  EXPECT_EQ(notices_of(kemberg_staff_, "consultations.opened"), 1);
  EXPECT_EQ(notices_of(wittenberg_, "consultations.opened"), 1);
  EXPECT_EQ(notices_of(halle_, "consultations.opened"), 0);
  // Kemberg sees it as open for its organisation.
  sign_in(kemberg_staff_);
  auto list = send(http::Method::get, "/konsultationen");
  auto mine = list.body.find("id=\"fuer-mich\"");
  ASSERT_NE(mine, std::string::npos);
  EXPECT_NE(list.body.find("Kemberg, Stadt", mine), std::string::npos);
}

TEST_P(ConsultationsTest, BadFormsComeBackWithTheirErrorsAndWhatWasTyped) {
  sign_in(land_admin_);
  auto form = send(http::Method::get, "/konsultationen/neu");
  auto refused = send(http::Method::post, "/konsultationen/neu",
                      "author=org%3A" + std::to_string(org_id("15")) +
                          "&title=&body=Mein+Text&openness=intern&deadline_date=gestern&once=" + once_of(form));
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("href=\"#field-title\""), std::string::npos);
  EXPECT_NE(refused.body.find("href=\"#field-addressees\""), std::string::npos);
  EXPECT_NE(refused.body.find("href=\"#field-deadline\""), std::string::npos);
  EXPECT_NE(refused.body.find(">Mein Text</textarea>"), std::string::npos);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM consultations", {}), 0);
  // Someone else's organisation as author is refused.
  auto foreign = send(http::Method::post, "/konsultationen/neu",
                      "author=org%3A" + std::to_string(org_id("15091160")) +
                          "&title=T&body=x&openness=intern&kreis=15091&deadline_date=2099-01-01&once=" +
                          once_of(form));
  EXPECT_EQ(foreign.status, 422);
  EXPECT_NE(foreign.body.find("href=\"#field-author\""), std::string::npos);
}

TEST_P(ConsultationsTest, OnlyAddressedOrganisationsCommentAndFileStatements) {
  auto path = open_by_form(land_admin_, "org:" + std::to_string(org_id("15")), "kreis=15091");
  const std::string section = path + "/abschnitte/a2";
  // Kemberg comments with an amendment; the page shows it as a diff.
  sign_in(kemberg_staff_);
  auto form = send(http::Method::get, section);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("name=\"voice\""), std::string::npos);
  auto made = send(http::Method::post, section,
                   "voice=" + std::to_string(org_id("15091160")) +
                       "&passage=alle+Gemeinden&body=Zu+weit&amendment=" +
                       form_escape("(1) Dieser Erlass gilt für große Gemeinden.") + "&once=" + once_of(form));
  ASSERT_EQ(made.status, 303) << made.body;
  auto shown = send(http::Method::get, section);
  EXPECT_NE(shown.body.find("Zu weit"), std::string::npos);
  EXPECT_NE(shown.body.find("<ins>"), std::string::npos);
  EXPECT_NE(shown.body.find("große"), std::string::npos);
  // A passage that is not in the section comes back with the error and the text kept.
  auto wrong = send(http::Method::post, section,
                    "voice=" + std::to_string(org_id("15091160")) +
                        "&passage=gibt+es+nicht&body=Mein+Punkt&once=" + once_of(shown));
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("href=\"#field-passage\""), std::string::npos);
  EXPECT_NE(wrong.body.find(">Mein Punkt</textarea>"), std::string::npos);
  // Halle is not addressed: no form, and a forged post is refused.
  sign_in(halle_);
  auto halle_page = send(http::Method::get, section);
  EXPECT_EQ(halle_page.status, 200);
  EXPECT_EQ(halle_page.body.find("name=\"voice\""), std::string::npos);
  EXPECT_EQ(send(http::Method::post, section,
                 "voice=" + std::to_string(org_id("15002000")) + "&body=Wir+auch").status,
            403);
  EXPECT_EQ(send(http::Method::get, path + "/stellungnahme").status, 403);
  // Nor is a citizen (the consultation is internal: not even readable for them).
  sign_in(citizen_);
  EXPECT_EQ(send(http::Method::get, path).status, 404);
  EXPECT_EQ(send(http::Method::post, section, "voice=citizen&body=Hallo").status, 404);
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, path).status, 404);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM consultation_comments", {}), 1);
}

TEST_P(ConsultationsTest, AReleasedStatementCannotBeEditedAnyMore) {
  auto path = open_by_form(land_admin_, "org:" + std::to_string(org_id("15")), "kreis=15091");
  const std::string kemberg = std::to_string(org_id("15091160"));
  sign_in(kemberg_staff_);
  auto page = send(http::Method::get, path + "/stellungnahme");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Stellungnahme Kemberg, Stadt"), std::string::npos);
  ASSERT_EQ(send(http::Method::post, path + "/stellungnahme", "org=" + kemberg + "&body=Einverstanden.").status, 303);
  // Releasing needs the confirmation.
  auto unconfirmed = send(http::Method::post, path + "/stellungnahme/freigeben", "org=" + kemberg);
  EXPECT_EQ(unconfirmed.status, 422);
  EXPECT_NE(unconfirmed.body.find("href=\"#field-confirm\""), std::string::npos);
  ASSERT_EQ(send(http::Method::post, path + "/stellungnahme/freigeben", "org=" + kemberg + "&confirm=1").status, 303);
  auto released = send(http::Method::get, path + "/stellungnahme");
  EXPECT_NE(released.body.find("Freigegeben am"), std::string::npos);
  EXPECT_EQ(released.body.find("name=\"body\""), std::string::npos);  // no form any more
  EXPECT_EQ(send(http::Method::post, path + "/stellungnahme", "org=" + kemberg + "&body=Doch+nicht").status, 409);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM consultation_statements WHERE body = 'Einverstanden.'", {}), 1);
  // The board shows it, for everyone who may read.
  sign_in(wittenberg_);
  auto board = send(http::Method::get, path + "/stand");
  ASSERT_EQ(board.status, 200);
  EXPECT_NE(board.body.find("1 von 9 Organisationen"), std::string::npos) << board.body;
  EXPECT_NE(board.body.find("hx-select=\"#stand-live\""), std::string::npos);
}

TEST_P(ConsultationsTest, TheLandHasNoMoreRightsInAGemeindesConsultationThanAnyAddressee) {
  // Kemberg puts a draft out to all Gemeinden and to the Land.
  auto path = open_by_form(kemberg_admin_, "org:" + std::to_string(org_id("15091160")),
                           "alle_gemeinden=1&organisation=" + std::to_string(org_id("15")));
  ASSERT_FALSE(path.empty());
  for (auto who : {land_admin_, wittenberg_}) {
    sign_in(who);
    EXPECT_EQ(send(http::Method::get, path + "/bearbeiten").status, 403);
    EXPECT_EQ(send(http::Method::post, path + "/bearbeiten", "title=Gekapert&openness=intern&alle_gemeinden=1&deadline_date=2099-01-01").status, 403);
    EXPECT_EQ(send(http::Method::post, path + "/erinnern").status, 403);
    EXPECT_EQ(send(http::Method::get, path + "/runden/neu").status, 403);
    EXPECT_EQ(send(http::Method::post, path + "/abwaegung/veroeffentlichen").status, 403);
  }
  // Both speak for their own organisation, and only for it.
  sign_in(land_admin_);
  auto section = send(http::Method::get, path + "/abschnitte/a2");
  ASSERT_EQ(section.status, 200);
  EXPECT_EQ(send(http::Method::post, path + "/abschnitte/a2",
                 "voice=" + std::to_string(org_id("15")) + "&body=Das+Land+meint").status,
            303);
  EXPECT_EQ(send(http::Method::post, path + "/abschnitte/a2",
                 "voice=" + std::to_string(org_id("15091375")) + "&body=Im+Namen+Wittenbergs").status,
            403);
  // The author may.
  sign_in(kemberg_admin_);
  EXPECT_EQ(send(http::Method::get, path + "/bearbeiten").status, 200);
  EXPECT_EQ(send(http::Method::post, path + "/erinnern").status, 303);
  EXPECT_GE(notices_of(wittenberg_, "consultations.reminder"), 1);
  EXPECT_GE(notices_of(land_staff_, "consultations.reminder"), 1);
  EXPECT_EQ(notices_of(kemberg_staff_, "consultations.reminder"), 1);  // Kemberg is a Gemeinde too
  // Once a day.
  EXPECT_EQ(send(http::Method::post, path + "/erinnern").status, 409);
}

TEST_P(ConsultationsTest, TheAbwaegungIsAnsweredPublishedAndComesOutAsXlsxAndPdf) {
  auto id = closed_consultation();
  const std::string path = "/konsultationen/" + std::to_string(id);
  // Before publication only the author sees the answers.
  sign_in(wittenberg_);
  auto early = send(http::Method::get, path + "/abwaegung");
  EXPECT_EQ(early.status, 200);
  EXPECT_NE(early.body.find("Die Abwägung wird erstellt"), std::string::npos);
  EXPECT_EQ(send(http::Method::get, path + "/abwaegung.xlsx").status, 404);
  sign_in(land_admin_);
  auto table = send(http::Method::get, path + "/abwaegung");
  ASSERT_EQ(table.status, 200);
  EXPECT_NE(table.body.find("Noch nicht abgewogen: 3"), std::string::npos) << table.body;
  // Publishing with open points is refused.
  EXPECT_EQ(send(http::Method::post, path + "/abwaegung/veroeffentlichen").status, 409);
  auto comments = ConsultationStore(*db).comments(id, 0, "", 0);
  ASSERT_EQ(comments->size(), 2u);
  auto statement = ConsultationStore(*db).statement(id, org_id("15091160"));
  const std::string first = "/abwaegung/kommentar-" + std::to_string((*comments)[0].id);
  // A rejection without a reason comes back with the error.
  auto no_reason = send(http::Method::post, path + first, "verdict=nicht_uebernommen&reason=");
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_NE(no_reason.body.find("Bitte begründen Sie"), std::string::npos);
  ASSERT_EQ(send(http::Method::post, path + first, "verdict=teilweise&reason=Ab+500+Einwohnern").status, 303);
  ASSERT_EQ(send(http::Method::post, path + "/abwaegung/kommentar-" + std::to_string((*comments)[1].id),
                 "verdict=kenntnis&reason=").status,
            303);
  ASSERT_EQ(send(http::Method::post, path + "/abwaegung/stellungnahme-" + std::to_string((*statement)->id),
                 "verdict=uebernommen&reason=Danke+f%C3%BCr+die+Zustimmung").status,
            303);
  ASSERT_EQ(send(http::Method::post, path + "/abwaegung/veroeffentlichen").status, 303);
  // Everyone who took part was told.
  EXPECT_EQ(notices_of(kemberg_staff_, "consultations.published"), 1);
  EXPECT_EQ(notices_of(kemberg_admin_, "consultations.published"), 1);
  EXPECT_EQ(notices_of(wittenberg_, "consultations.published"), 1);
  EXPECT_EQ(notices_of(halle_, "consultations.published"), 0);
  // Now everyone who may read sees it, also without an account.
  sign_in(0);
  auto published = send(http::Method::get, path + "/abwaegung");
  ASSERT_EQ(published.status, 200);
  EXPECT_NE(published.body.find("teilweise übernommen"), std::string::npos);
  EXPECT_NE(published.body.find("Ab 500 Einwohnern"), std::string::npos);
  // XLSX, read back with openpyxl: every comment with its answer.
  auto xlsx = send(http::Method::get, path + "/abwaegung.xlsx");
  ASSERT_EQ(xlsx.status, 200);
  auto python = exports::testing::python_with("openpyxl");
  AH_REQUIRE_TOOL(python.has_value(), "python3-openpyxl");
  auto file = scratch_dir() / "abwaegung.xlsx";
  exports::testing::write_file(file, xlsx.body);
  auto rows = exports::testing::run(
      {*python, "-c",
       "import json,sys,openpyxl; s=openpyxl.load_workbook(sys.argv[1]).worksheets[0];"
       "print(json.dumps([[('' if v is None else str(v)) for v in r] for r in s.iter_rows(values_only=True)]))",
       file.string()});
  ASSERT_TRUE(rows && rows->status == 0);
  auto sheet = json::parse(rows->output);
  ASSERT_EQ(sheet.size(), 4u);  // header, two comments, one Stellungnahme
  EXPECT_EQ(sheet[0][0], "Abschnitt");
  EXPECT_EQ(sheet[1][0], "§ 1 Abs. 1");
  EXPECT_EQ(sheet[1][1], "Kemberg, Stadt");
  EXPECT_EQ(sheet[1][5], "Zu weit für Dörfer");
  EXPECT_EQ(sheet[1][6], "(1) Dieser Erlass gilt für Gemeinden ab 1.000 Einwohnern.");
  EXPECT_EQ(sheet[1][7], "teilweise übernommen");
  EXPECT_EQ(sheet[1][8], "Ab 500 Einwohnern");
  EXPECT_EQ(sheet[2][1], "Wittenberg, Lutherstadt");
  EXPECT_EQ(sheet[2][7], "zur Kenntnis genommen");
  EXPECT_EQ(sheet[3][3], "Stellungnahme");
  EXPECT_EQ(sheet[3][8], "Danke für die Zustimmung");
  // PDF, read back with pdftotext.
  auto pdf = send(http::Method::get, path + "/abwaegung.pdf");
  ASSERT_EQ(pdf.status, 200);
  ASSERT_TRUE(pdf.body.starts_with("%PDF-"));
  auto pdf_file = scratch_dir() / "abwaegung.pdf";
  exports::testing::write_file(pdf_file, pdf.body);
  auto text = exports::testing::run({"pdftotext", pdf_file.string(), "-"});
  AH_REQUIRE_TOOL(text.has_value() && text->status == 0, "pdftotext (poppler-utils)");
  for (const char* expected : {"Abwägungstabelle: Standard", "Zu weit für Dörfer",
                               "teilweise übernommen", "Ab 500 Einwohnern", "Passt",
                               "zur Kenntnis genommen", "Im Ganzen einverstanden.",
                               "Danke für die Zustimmung"})
    EXPECT_NE(text->output.find(expected), std::string::npos) << expected << "\n" << text->output;
}

TEST_P(ConsultationsTest, ANewRoundShowsTheSynopsisAndEarlierCommentsStayWithTheirRound) {
  auto id = closed_consultation();
  const std::string path = "/konsultationen/" + std::to_string(id);
  sign_in(land_admin_);
  auto form = send(http::Method::get, path + "/runden/neu");
  ASSERT_EQ(form.status, 200);
  auto made = send(http::Method::post, path + "/runden/neu",
                   "body=" + form_escape("# § 1 Geltungsbereich\n\n(1) Dieser Erlass gilt für Gemeinden ab 500 Einwohnern.\n\n(2) Er gilt nicht für Zweckverbände.\n") +
                       "&note=Schwelle+eingef%C3%BCgt&deadline_date=2099-06-30&deadline_time=12%3A00&once=" + once_of(form));
  ASSERT_EQ(made.status, 303) << made.body;
  auto synopsis = send(http::Method::get, std::string(made.headers.get("Location")));
  ASSERT_EQ(synopsis.status, 200);
  EXPECT_NE(synopsis.body.find("Schwelle eingefügt"), std::string::npos);
  EXPECT_NE(synopsis.body.find("<del><span class=\"kern-sr-only\">"), std::string::npos);
  EXPECT_NE(synopsis.body.find("<ins><span class=\"kern-sr-only\">"), std::string::npos);
  EXPECT_NE(synopsis.body.find("geändert"), std::string::npos);
  EXPECT_NE(synopsis.body.find("unverändert"), std::string::npos);
  // The old comment is on round 1's page of the section, not on round 2's.
  auto now = send(http::Method::get, path + "/abschnitte/a2");
  EXPECT_EQ(now.body.find("Zu weit für Dörfer"), std::string::npos);
  auto before = send(http::Method::get, path + "/abschnitte/a2?runde=1");
  EXPECT_NE(before.body.find("Zu weit für Dörfer"), std::string::npos);
  EXPECT_EQ(send(http::Method::get, path + "?runde=3").status, 404);
  EXPECT_EQ(send(http::Method::get, path + "/synopse?von=2&bis=1").status, 400);
}

TEST_P(ConsultationsTest, PublicConsultationsSeparateCitizensFromOrganisations) {
  auto path = open_by_form(land_admin_, "org:" + std::to_string(org_id("15")), "kreis=15091", "oeffentlich");
  sign_in(citizen_);
  auto section = send(http::Method::get, path + "/abschnitte/a2");
  ASSERT_EQ(section.status, 200);
  EXPECT_NE(section.body.find("value=\"citizen\""), std::string::npos);
  ASSERT_EQ(send(http::Method::post, path + "/abschnitte/a2", "voice=citizen&body=Als+B%C3%BCrgerin").status, 303);
  // A citizen cannot pose as an organisation.
  EXPECT_EQ(send(http::Method::post, path + "/abschnitte/a2",
                 "voice=" + std::to_string(org_id("15091160")) + "&body=Als+Kemberg").status,
            403);
  sign_in(0);
  auto page = send(http::Method::get, path + "/abschnitte/a2");
  ASSERT_EQ(page.status, 200);
  auto citizens = page.body.find("id=\"buergerinnen\"");
  ASSERT_NE(citizens, std::string::npos);
  EXPECT_GT(page.body.find("Als Bürgerin"), citizens);
  EXPECT_NE(page.body.find("Melden Sie sich an"), std::string::npos);
}

TEST_P(ConsultationsTest, ThePersonalDataExportHoldsWhatSomeoneWrote) {
  auto id = closed_consultation();
  auto exported = module("consultations").export_personal_data(services(), kemberg_staff_);
  ASSERT_TRUE(exported);
  ASSERT_EQ((*exported)["comments"].size(), 1u);
  EXPECT_EQ((*exported)["comments"][0]["body"], "Zu weit für Dörfer");
  EXPECT_EQ((*exported)["comments"][0]["consultation_id"], id);
  EXPECT_EQ((*exported)["statements"].size(), 1u);
}

// Erasing an account keeps what it wrote in the public record ("gelöschtes Konto") and
// takes its supports out of the counts.
TEST_P(ConsultationsTest, AnErasedAccountsTextsStayWithoutItAndItsSupportsAreGone) {
  sign_in(0);
  ConsultationStore store(*db);
  const auto now = accounts::unix_now();
  auto id = store.create({.title = "T", .body = kText, .author_org = org_id("15"),
                          .openness = Openness::public_read,
                          .addressees = {{AddresseeKind::kreis, "15091", 0, {}}},
                          .deadline = now + 86400, .created_by = land_admin_},
                         now);
  ASSERT_TRUE(id);
  auto comment = store.comment(*id, "a2", {.org_id = org_id("15091160"), .body = "Bleibt"},
                               kemberg_staff_, now);
  ASSERT_TRUE(comment);
  ASSERT_TRUE(store.support(*comment, wittenberg_, true, now));
  ASSERT_TRUE(store.support(*comment, halle_, true, now));
  for (auto who : {kemberg_staff_, wittenberg_}) {
    ASSERT_TRUE(module("consultations").before_account_erasure(services(), who));
    ASSERT_TRUE(accounts::AccountStore(*db).erase(who));
  }
  auto kept = store.find_comment(*comment, 0);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->body, "Bleibt");
  EXPECT_FALSE(kept->author_name.has_value());
  EXPECT_EQ(kept->supports, 1);
  auto page = send(http::Method::get, "/konsultationen/" + std::to_string(*id) + "/abschnitte/a2");
  EXPECT_NE(page.body.find("gelöschtes Konto"), std::string::npos);
}

TEST_P(ConsultationsTest, AttachmentsComeWithTheConsultationAndAreReadLikeIt) {
  sign_in(land_admin_);
  auto form = send(http::Method::get, "/konsultationen/neu");
  auto parts = [&](testing::FormPart file) {
    return std::vector<testing::FormPart>{
        testing::form_field("csrf", csrf), testing::form_field("once", once_of(form)),
        testing::form_field("author", "org:" + std::to_string(org_id("15"))),
        testing::form_field("title", "Erlass mit Anlage"), testing::form_field("body", kText),
        testing::form_field("openness", "intern"), testing::form_field("kreis", "15091"),
        testing::form_field("deadline_date", "2099-12-31"), std::move(file)};
  };
  // A file that is not what it claims is refused, and nothing is created.
  auto refused = send_multipart("/konsultationen/neu",
                                parts(testing::form_file("attachment0", "Anlage.pdf",
                                                         "application/pdf", files::samples::html())));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM consultations", {}), 0);
  auto created = send_multipart("/konsultationen/neu",
                                parts(testing::form_file("attachment0", "Anlage-1.pdf",
                                                         "application/pdf", files::samples::pdf())));
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string path(created.headers.get("Location"));
  auto page = send(http::Method::get, path);
  auto at = page.body.find("href=\"/dateien/");
  ASSERT_NE(at, std::string::npos) << page.body;
  const std::string file = page.body.substr(at + 6, page.body.find('"', at + 6) - at - 6);
  auto got = send(http::Method::get, file);
  EXPECT_EQ(got.status, 200) << file << " -> " << got.headers.get("Location");
  // Internal: staff read it, privately; a citizen and anonymous readers do not.
  EXPECT_EQ(got.headers.get("Cache-Control").find("public"), std::string_view::npos);
  sign_in(citizen_);
  EXPECT_EQ(send(http::Method::get, file).status, 404);
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, file).status, 404);
}

AH_INSTANTIATE_BACKEND_TEST(ConsultationsTest);

}  // namespace
}  // namespace ah::modules::consultations
