// GET /dateien/{id}/{name}: the owner's module decides who sees a file; responses carry
// the sniffed type and headers that keep a browser from running anything in them.
#include "modules/files/module.h"

#include <gtest/gtest.h>

#include <map>

#include "db/test_database.h"
#include "modules/files/samples.h"
#include "modules/testing/harness.h"

namespace ah::modules::files {
namespace {

// Owns "thing" files; each thing's visibility is set by the test.
class ThingModule : public web::Module, public FileOwner {
 public:
  std::string_view name() const override { return "things"; }
  void register_routes(http::Router&, web::Services&) override {}
  bool owns_files_of(std::string_view kind) const override { return kind == "thing"; }
  Result<Visibility> file_visibility(web::Services&, const http::Request&,
                                     const Owner& owner) const override {
    auto it = visible.find(owner.id);
    return it == visible.end() ? Visibility::hidden : it->second;
  }
  std::map<std::int64_t, Visibility> visible;
};

class FilesModuleTest : public db::testing::BackendTest, public modules::testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    auto modules = modules::testing::standard_modules();
    auto things = std::make_unique<ThingModule>();
    things_ = things.get();
    modules.push_back(std::move(things));
    start(*db, scratch_dir(), std::move(modules));
    anna_ = create_account("anna@example.org", "Anna");
  }

  StoredFile add(Owner owner, const std::string& name, const std::string& bytes) {
    auto ok = check_upload({"f", name, "", bytes}, Accept::images_and_pdf);
    EXPECT_TRUE(ok) << name;
    FileStore store(*db, scratch_dir());
    auto id = store.add({owner, "attachment", "Titel", anna_}, *ok, 1000);
    EXPECT_TRUE(id);
    return store.find(*id).value();
  }

  ThingModule* things_ = nullptr;
  std::int64_t anna_ = 0;
};

TEST_P(FilesModuleTest, ServesPublicImagesInlineWithSafeHeaders) {
  const std::string png = samples::png(6, 2);
  StoredFile f = add({"thing", 1}, "Spielplatz.png", png);
  things_->visible[1] = Visibility::everyone;
  auto response = send(http::Method::get, f.url());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, png);
  EXPECT_EQ(response.headers.get("Content-Type"), "image/png");
  EXPECT_EQ(response.headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.headers.get("Content-Security-Policy"), "default-src 'none'; sandbox");
  EXPECT_EQ(response.headers.get("Content-Disposition"),
            "inline; filename=\"Spielplatz.png\"; filename*=UTF-8''Spielplatz.png");
  EXPECT_EQ(response.headers.get("ETag"), "\"" + f.sha256 + "\"");
  EXPECT_EQ(response.headers.get("Cache-Control"), "public, max-age=31536000, immutable");

  auto request = make_request(http::Method::get, f.url());
  request.headers.set("If-None-Match", "\"other\", W/\"" + f.sha256 + "\"");
  auto cached = run(request);
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
  EXPECT_EQ(cached.headers.get("ETag"), "\"" + f.sha256 + "\"");
  request.headers.set("If-None-Match", "\"other\"");
  EXPECT_EQ(run(request).status, 200);
}

TEST_P(FilesModuleTest, PdfsAreDownloadsAndNamesAreEncoded) {
  StoredFile f = add({"thing", 2}, "Bürger\"plan.pdf", samples::pdf());
  things_->visible[2] = Visibility::everyone;
  EXPECT_EQ(f.url(), "/dateien/" + std::to_string(f.id) + "/B%C3%BCrger%22plan.pdf");
  auto response = send(http::Method::get, "/dateien/" + std::to_string(f.id) + "/Bürger\"plan.pdf");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("Content-Type"), "application/pdf");
  EXPECT_EQ(response.headers.get("Content-Disposition"),
            "attachment; filename=\"B_rger_plan.pdf\"; filename*=UTF-8''B%C3%BCrger%22plan.pdf");
}

TEST_P(FilesModuleTest, TheOwnerDecidesWhoSeesAFile) {
  StoredFile f = add({"thing", 3}, "a.png", samples::png());
  EXPECT_EQ(send(http::Method::get, f.url()).status, 404) << "hidden by default";
  things_->visible[3] = Visibility::restricted;
  auto response = send(http::Method::get, f.url());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("Cache-Control"), "private, no-cache");
  StoredFile orphan = add({"nobody", 3}, "a.png", samples::png());
  EXPECT_EQ(send(http::Method::get, orphan.url()).status, 404) << "no module owns 'nobody'";
  EXPECT_EQ(send(http::Method::get, "/dateien/999/a.png").status, 404);
  EXPECT_EQ(send(http::Method::get, "/dateien/x/a.png").status, 404);
}

TEST_P(FilesModuleTest, OneUrlPerFile) {
  StoredFile f = add({"thing", 4}, "a.png", samples::png());
  things_->visible[4] = Visibility::everyone;
  auto response = send(http::Method::get, "/dateien/" + std::to_string(f.id) + "/anders.png");
  EXPECT_EQ(response.status, 301);
  EXPECT_EQ(response.headers.get("Location"), f.url());
}

TEST_P(FilesModuleTest, UploadsAreInTheUploadersDataExport) {
  StoredFile f = add({"thing", 5}, "Plan.pdf", samples::pdf());
  auto exported = module("files").export_personal_data(services(), anna_);
  ASSERT_TRUE(exported);
  ASSERT_EQ((*exported)["uploaded"].size(), 1u);
  EXPECT_EQ((*exported)["uploaded"][0]["file_name"], "Plan.pdf");
  EXPECT_EQ((*exported)["uploaded"][0]["url"], f.url());
  EXPECT_EQ((*exported)["uploaded"][0]["owner"]["kind"], "thing");
  auto other = module("files").export_personal_data(services(), anna_ + 1000);
  EXPECT_TRUE((*other)["uploaded"].empty());
}

AH_INSTANTIATE_BACKEND_TEST(FilesModuleTest);

}  // namespace
}  // namespace ah::modules::files
