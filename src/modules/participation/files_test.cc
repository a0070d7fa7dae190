// Cover images and attachments of processes, as staff upload them with the create form
// (multipart/form-data) and as everyone sees them: on the page, in the API, at /dateien.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/files/module.h"
#include "modules/files/samples.h"
#include "modules/participation/module.h"
#include "modules/participation/store.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

using nlohmann::json;
namespace samples = files::samples;

using Part = testing::FormPart;
const auto field = &testing::form_field;
const auto file = &testing::form_file;

class ProcessFilesTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules(make_participation_module()));
    admin_ = create_account("admin@kemberg.example", "Admin Kemberg");
    land_admin_ = create_account("admin@land.example", "Admin Land");
    ASSERT_TRUE(
        authz::MembershipStore(*db).put(org_id("15091160"), admin_, authz::OrgRole::admin, 1));
    ASSERT_TRUE(
        authz::MembershipStore(*db).put(org_id("15"), land_admin_, authz::OrgRole::admin, 1));
  }

  // POSTs the create form as a browser does with files: multipart/form-data, the CSRF
  // token as a field of it.
  http::Response send_form(std::vector<Part> parts, const std::string& state = "published",
                           bool with_csrf = true) {
    std::vector<Part> all = {field("org", "15091160"),        field("title", "Spielplatz am Markt"),
                             field("summary", "Ideen"),       field("state", state),
                             field("phase0_title", "Ideen"),  field("phase0_from", "2026-12-01"),
                             field("phase0_to", "2026-12-31")};
    if (with_csrf) all.push_back(field("csrf", csrf));
    for (auto& p : parts) all.push_back(std::move(p));
    return send_multipart("/beteiligung/neu", std::move(all));
  }

  std::int64_t created_id(const http::Response& response) {
    EXPECT_EQ(response.status, 303) << response.body;
    std::string location(response.headers.get("Location"));
    return location.size() > 13 ? std::stoll(location.substr(13)) : 0;
  }

  std::int64_t count(std::string_view table) {
    return db::testing::scalar(*db, "SELECT COUNT(*) FROM " + std::string(table));
  }

  std::int64_t admin_ = 0, land_admin_ = 0;
};

TEST_P(ProcessFilesTest, CoverAndAttachmentsComeWithTheCreateForm) {
  sign_in(admin_);
  ASSERT_NE(
      send(http::Method::get, "/beteiligung/neu").body.find("enctype=\"multipart/form-data\""),
      std::string::npos);
  const std::string cover = samples::png(8, 6);
  auto id = created_id(
      send_form({file("cover", "spielplatz.png", "image/png", cover),
                 field("cover_alt", "Der alte Spielplatz im Herbst"),
                 file("attachment0", "Lageplan.pdf", "application/pdf", samples::pdf()),
                 field("attachment0_title", "Lageplan des Marktes"),
                 file("attachment1", "Skizze.webp", "image/webp", samples::webp_lossy())}));
  ASSERT_NE(id, 0);
  auto stored = files::FileStore(*db, scratch_dir()).list({"process", id});
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 3u);
  const files::StoredFile& plan = (*stored)[0];
  const files::StoredFile& sketch = (*stored)[1];
  const files::StoredFile& image = (*stored)[2];
  EXPECT_EQ(image.purpose, "cover");
  EXPECT_EQ(plan.title, "Lageplan des Marktes");
  EXPECT_EQ(sketch.title, "Skizze.webp") << "without a title the file name is the link text";
  EXPECT_EQ(image.uploaded_by, admin_);

  sign_in(0);
  const std::string base = "/beteiligung/" + std::to_string(id);
  auto page = send(http::Method::get, base);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<img class=\"ah-cover\" src=\"" + image.url() +
                           "\" alt=\"Der alte Spielplatz im Herbst\" width=\"8\" height=\"6\">"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("href=\"" + plan.url() +
                           "\" type=\"application/pdf\">Lageplan des Marktes</a>"),
            std::string::npos);
  EXPECT_NE(page.body.find("(PDF, 1 kB)"), std::string::npos);
  EXPECT_NE(page.body.find("(WebP-Bild, 1 kB)"), std::string::npos);
  EXPECT_NE(send(http::Method::get, "/beteiligung").body.find("src=\"" + image.url() + "\""),
            std::string::npos)
      << "the list shows the cover small";

  auto api = json::parse(send(http::Method::get, "/api/v1/processes/" + std::to_string(id)).body);
  EXPECT_EQ(api["cover"]["url"], image.url());
  EXPECT_EQ(api["cover"]["alt"], "Der alte Spielplatz im Herbst");
  EXPECT_EQ(api["cover"]["width"], 8);
  ASSERT_EQ(api["attachments"].size(), 2u);
  EXPECT_EQ(api["attachments"][0]["url"], plan.url());
  EXPECT_EQ(api["attachments"][0]["media_type"], "application/pdf");
  auto listed = json::parse(send(http::Method::get, "/api/v1/processes").body);
  EXPECT_EQ(listed["items"][0]["cover"]["url"], image.url());

  auto served = send(http::Method::get, image.url());
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.body, cover);
  EXPECT_EQ(served.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(send(http::Method::get, plan.url()).headers.get("Content-Type"), "application/pdf");
}

TEST_P(ProcessFilesTest, LiesAreRefusedWithTheFileNamedAndTheFormKept) {
  sign_in(admin_);
  auto refused = send_form({file("cover", "foto.png", "image/png", samples::html()),
                            field("cover_alt", "Ein Foto"),
                            file("attachment0", "plan.pdf", "application/pdf", samples::png()),
                            field("attachment0_title", "Der Plan"),
                            file("attachment1", "b.pdf", "application/pdf",
                                 samples::pdf("<< /S /JavaScript /JS (app.alert(1)) >>"))});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Die Datei „foto.png“ ist kein PNG-Bild."), std::string::npos);
  EXPECT_NE(refused.body.find("Die Datei „plan.pdf“ ist keine PDF-Datei."), std::string::npos);
  EXPECT_NE(refused.body.find("„b.pdf“ enthält ausführbare Inhalte"), std::string::npos);
  EXPECT_NE(refused.body.find("Bitte wählen Sie Titelbild und Anhänge noch einmal aus"),
            std::string::npos);
  EXPECT_NE(refused.body.find("href=\"#field-attachment0\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"Spielplatz am Markt\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"Ein Foto\""), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"Der Plan\""), std::string::npos);
  EXPECT_EQ(count("processes"), 0);
  EXPECT_EQ(count("files"), 0);

  auto no_alt = send_form({file("cover", "foto.png", "image/png", samples::png())});
  EXPECT_EQ(no_alt.status, 422);
  EXPECT_NE(no_alt.body.find("href=\"#field-cover_alt\""), std::string::npos);
  auto pdf_cover = send_form(
      {file("cover", "plan.pdf", "application/pdf", samples::pdf()), field("cover_alt", "x")});
  EXPECT_NE(pdf_cover.body.find("Die Datei „plan.pdf“ ist kein Bild."), std::string::npos);
  std::string bomb = samples::png(1, 1);
  bomb.replace(16, 8, std::string("\0\0\x23\x28\0\0\x23\x28", 8));
  auto huge = send_form({file("cover", "riesig.png", "image/png", bomb), field("cover_alt", "x")});
  EXPECT_NE(huge.body.find("höchstens 8000 × 8000 Pixel"), std::string::npos);
  auto cut = samples::png();
  auto truncated = send_form({file("cover", "kurz.png", "image/png", cut.substr(0, cut.size() / 2)),
                              field("cover_alt", "x")});
  EXPECT_NE(truncated.body.find("„kurz.png“ ist beschädigt oder unvollständig"), std::string::npos);
  EXPECT_EQ(count("processes"), 0);

  // A process form without files keeps working without the note about files.
  auto plain = send_form({}, "published");
  EXPECT_EQ(plain.status, 303);
}

TEST_P(ProcessFilesTest, MultipartFormsNeedTheCsrfToken) {
  sign_in(admin_);
  send(http::Method::get, "/beteiligung/neu");
  EXPECT_EQ(send_form({}, "published", false).status, 403);
  csrf = "forged";
  EXPECT_EQ(send_form({}).status, 403);
  EXPECT_EQ(count("processes"), 0);
}

TEST_P(ProcessFilesTest, FilesOfDraftsAreSeenOnlyByTheirEditors) {
  sign_in(admin_);
  auto id = created_id(
      send_form({file("cover", "a.png", "image/png", samples::png()), field("cover_alt", "Bild"),
                 file("attachment0", "a.pdf", "application/pdf", samples::pdf())},
                "draft"));
  auto stored = files::FileStore(*db, scratch_dir()).list({"process", id}).value();
  ASSERT_EQ(stored.size(), 2u);
  for (const auto& f : stored) {
    auto own = send(http::Method::get, f.url());
    EXPECT_EQ(own.status, 200) << f.url();
    EXPECT_NE(own.headers.get("Cache-Control").find("no"), std::string::npos)
        << "never in a shared cache: " << own.headers.get("Cache-Control");
  }
  sign_in(land_admin_);
  for (const auto& f : stored) EXPECT_EQ(send(http::Method::get, f.url()).status, 404);
  sign_in(0);
  for (const auto& f : stored) EXPECT_EQ(send(http::Method::get, f.url()).status, 404);

  ASSERT_TRUE(
      participation::ProcessStore(*db).set_state(id, participation::ProcessState::published, 5));
  for (const auto& f : stored) EXPECT_EQ(send(http::Method::get, f.url()).status, 200);
}

TEST_P(ProcessFilesTest, ErasedUploadersFilesStayWithTheProcess) {
  sign_in(admin_);
  auto id = created_id(
      send_form({file("cover", "a.png", "image/png", samples::png()), field("cover_alt", "Bild")}));
  auto exported = module("files").export_personal_data(services(), admin_);
  ASSERT_TRUE(exported);
  EXPECT_EQ((*exported)["uploaded"].size(), 1u);
  ASSERT_TRUE(accounts::AccountStore(*db).erase(admin_));
  auto kept = files::FileStore(*db, scratch_dir()).list({"process", id}).value();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_FALSE(kept[0].uploaded_by);
  sign_in(0);
  EXPECT_NE(send(http::Method::get, "/beteiligung/" + std::to_string(id)).body.find(kept[0].url()),
            std::string::npos);
  EXPECT_EQ(send(http::Method::get, kept[0].url()).status, 200);
}

TEST_P(ProcessFilesTest, EditorsChangeTextsPhasesStateAndFiles) {
  sign_in(admin_);
  auto id = created_id(
      send_form({file("cover", "a.png", "image/png", samples::png(4, 4)), field("cover_alt", "Alt"),
                 file("attachment0", "Plan.pdf", "application/pdf", samples::pdf()),
                 field("attachment0_title", "Alter Plan")}));
  ASSERT_NE(id, 0);
  const std::string base = "/beteiligung/" + std::to_string(id);
  const std::string edit = base + "/bearbeiten";
  auto before = files::FileStore(*db, scratch_dir()).list({"process", id}).value();
  ASSERT_EQ(before.size(), 2u);
  const auto plan_id = std::to_string(before[0].id);  // attachments first

  // Only its editors: the organisation's admins and the process's owners.
  EXPECT_NE(send(http::Method::get, base).body.find("href=\"" + edit + "\""), std::string::npos);
  sign_in(land_admin_);
  EXPECT_EQ(send(http::Method::get, base).body.find(edit), std::string::npos);
  EXPECT_EQ(send(http::Method::get, edit).status, 403);
  sign_in(0);
  EXPECT_EQ(send(http::Method::get, edit).headers.get("Location"), "/konto/anmelden");

  sign_in(admin_);
  auto form = send(http::Method::get, edit);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_NE(form.body.find("value=\"Spielplatz am Markt\""), std::string::npos);
  EXPECT_NE(form.body.find("value=\"2026-12-31\""), std::string::npos) << "phases as they are";
  EXPECT_NE(form.body.find("name=\"remove_file\" type=\"checkbox\" value=\"" + plan_id + "\""),
            std::string::npos);
  EXPECT_NE(form.body.find("id=\"state-closed\""), std::string::npos);
  EXPECT_EQ(form.body.find("name=\"org\""), std::string::npos) << "the owner stays";

  auto fields = [&](std::string title) {
    return std::vector<Part>{field("csrf", csrf),
                             field("title", std::move(title)),
                             field("summary", "Neue Ideen"),
                             field("state", "closed"),
                             field("phase0_title", "Ideen"),
                             field("phase0_from", "2026-12-01"),
                             field("phase0_to", "2026-12-20"),
                             field("phase1_title", "Ergebnis"),
                             field("phase1_from", "2026-12-21"),
                             field("phase1_to", "2027-01-31"),
                             field("remove_file", plan_id),
                             file("attachment0", "Neu.pdf", "application/pdf", samples::pdf()),
                             field("attachment0_title", "Neuer Plan")};
  };
  // Refused: the form comes back with what was typed; nothing changed.
  auto refused = send_multipart(edit, fields(""));
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Neue Ideen"), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"" + plan_id + "\" checked"), std::string::npos);
  EXPECT_EQ(participation::ProcessStore(*db).find(id)->title, "Spielplatz am Markt");
  EXPECT_EQ(files::FileStore(*db, scratch_dir()).list({"process", id})->size(), 2u);

  send(http::Method::get, edit);
  auto saved = send_multipart(edit, fields("Spielplatz an der Kirche"));
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.headers.get("Location"), base + "?gespeichert=1");
  auto after = participation::ProcessStore(*db).find(id).value();
  EXPECT_EQ(after.title, "Spielplatz an der Kirche");
  EXPECT_EQ(after.state, participation::ProcessState::closed);
  ASSERT_EQ(after.phases.size(), 2u);
  EXPECT_EQ(after.phases[1].title, "Ergebnis");
  auto now_files = files::FileStore(*db, scratch_dir()).list({"process", id}).value();
  ASSERT_EQ(now_files.size(), 2u);
  EXPECT_EQ(now_files[0].title, "Neuer Plan");
  EXPECT_EQ(now_files[1].purpose, "cover") << "kept";
  EXPECT_NE(send(http::Method::get, std::string(saved.headers.get("Location"))).body.find("Die Änderungen sind gespeichert"),
            std::string::npos);
  // The search knows the new title at once.
  auto found = json::parse(send(http::Method::get, "/api/v1/processes?q=Kirche").body);
  ASSERT_EQ(found["items"].size(), 1u);
  EXPECT_EQ(found["items"][0]["id"], id);

  // A new cover replaces the old one.
  send(http::Method::get, edit);
  auto recovered = send_multipart(
      edit, {field("csrf", csrf), field("title", "Spielplatz an der Kirche"),
             field("summary", "Neue Ideen"), field("state", "published"),
             field("phase0_title", "Ideen"), field("phase0_from", "2026-12-01"),
             field("phase0_to", "2026-12-20"),
             file("cover", "neu.png", "image/png", samples::png(9, 9)),
             field("cover_alt", "Der neue Platz")});
  ASSERT_EQ(recovered.status, 303) << recovered.body;
  auto covers = files::FileStore(*db, scratch_dir()).list({"process", id}).value();
  ASSERT_EQ(covers.size(), 2u);
  EXPECT_EQ(covers[1].title, "Der neue Platz");
  EXPECT_EQ(covers[1].width, 9);
  EXPECT_EQ(covers[0].title, "Neuer Plan") << "an attachment not ticked stays";
}

TEST_P(ProcessFilesTest, OnlyTheUploadFormTakesLargeBodies) {
  auto limit = [&](http::Method method, std::string_view path) {
    auto match = router().match(method, path);
    auto* found = std::get_if<http::RouteMatch>(&match);
    return found ? found->route->body_limit : 0;
  };
  EXPECT_GE(limit(http::Method::post, "/beteiligung/neu"),
            files::kMaxImageBytes + 3 * files::kMaxPdfBytes);
  EXPECT_GE(limit(http::Method::post, "/beteiligung/1/bearbeiten"),
            files::kMaxImageBytes + 3 * files::kMaxPdfBytes);
  EXPECT_EQ(limit(http::Method::post, "/beteiligung/1/vorschlag"), http::default_body_limit);
  EXPECT_EQ(limit(http::Method::post, "/api/v1/processes"), http::default_body_limit);
}

AH_INSTANTIATE_BACKEND_TEST(ProcessFilesTest);

}  // namespace
}  // namespace ah::modules
