// FileStore on both backends: bytes content-addressed and shared, rows per use, the
// uploader forgotten when their account is erased.
#include "modules/files/store.h"

#include <gtest/gtest.h>

#include <ctime>

#include "db/test_database.h"
#include "modules/accounts/store.h"
#include "modules/files/module.h"
#include "modules/files/samples.h"
#include "modules/testing/harness.h"

namespace ah::modules::files {
namespace {

namespace fs = std::filesystem;

class FileStoreTest : public db::testing::BackendTest, public modules::testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), modules::testing::standard_modules());
    anna_ = create_account("anna@example.org", "Anna");
  }

  CheckedUpload checked(const std::string& name, const std::string& bytes) {
    auto ok = check_upload({"f", name, "", bytes}, Accept::images_and_pdf);
    EXPECT_TRUE(ok) << name;
    return ok ? *ok : CheckedUpload{};
  }

  std::int64_t anna_ = 0;
};

TEST_P(FileStoreTest, StoresBytesOnceAndARowPerUse) {
  FileStore store(*db, scratch_dir());
  const std::string png = samples::png(5, 4);
  auto cover =
      store.add({{"process", 7}, "cover", "Ein Spielplatz", anna_}, checked("a.png", png), 100);
  ASSERT_TRUE(cover) << cover.error().message;
  auto again = store.add({{"process", 8}, "cover", "Derselbe", anna_}, checked("b.png", png), 101);
  ASSERT_TRUE(again);
  auto plan = store.add({{"process", 7}, "attachment", "Lageplan", std::nullopt},
                        checked("Lageplan.pdf", samples::pdf()), 102);
  ASSERT_TRUE(plan);

  auto found = store.find(*cover);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->sha256, sha256_hex(png));
  EXPECT_EQ(found->media_type, "image/png");
  EXPECT_EQ(found->file_name, "a.png");
  EXPECT_EQ(found->width, 5);
  EXPECT_EQ(found->height, 4);
  EXPECT_EQ(found->size, static_cast<std::int64_t>(png.size()));
  EXPECT_EQ(found->uploaded_by, anna_);
  EXPECT_EQ(found->url(), "/dateien/" + std::to_string(*cover) + "/a.png");
  EXPECT_EQ(store.read(*found).value(), png);

  // One file on disk for both uses, at files/ab/abcd…, and no temporary file left over.
  const fs::path blob = scratch_dir() / "files" / found->sha256.substr(0, 2) / found->sha256;
  EXPECT_TRUE(fs::exists(blob));
  std::size_t blobs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(scratch_dir() / "files"))
    if (entry.is_regular_file()) ++blobs;
  EXPECT_EQ(blobs, 2u) << "the PNG once, the PDF once";
  EXPECT_TRUE(fs::is_empty(scratch_dir() / "files" / "tmp"));

  auto of_seven = store.list({"process", 7});
  ASSERT_TRUE(of_seven);
  ASSERT_EQ(of_seven->size(), 2u);
  EXPECT_EQ((*of_seven)[0].purpose, "attachment");
  EXPECT_EQ((*of_seven)[1].title, "Ein Spielplatz");
  EXPECT_EQ(store.list({"group", 7})->size(), 0u);
  EXPECT_EQ(store.uploaded_by(anna_)->size(), 2u);
  EXPECT_EQ(store.find(999).error().code, ErrorCode::not_found);
}

TEST_P(FileStoreTest, DamagedBytesOnDiskAreRewrittenByTheNextUpload) {
  FileStore store(*db, scratch_dir());
  const std::string png = samples::png(3, 3);
  auto id = store.add({{"process", 1}, "cover", "x", anna_}, checked("a.png", png), 1);
  ASSERT_TRUE(id);
  const fs::path blob = BlobStore(scratch_dir() / "files").path(sha256_hex(png));
  fs::resize_file(blob, 10);
  ASSERT_TRUE(store.add({{"process", 2}, "cover", "x", anna_}, checked("a.png", png), 2));
  EXPECT_EQ(store.read(store.find(*id).value()).value(), png);
}

TEST_P(FileStoreTest, ErasingTheUploaderKeepsTheFile) {
  FileStore store(*db, scratch_dir());
  auto id = store.add({{"process", 1}, "cover", "x", anna_}, checked("a.png", samples::png()), 1);
  ASSERT_TRUE(id);
  ASSERT_TRUE(db->query("DELETE FROM accounts WHERE id = $1", {db::Value{anna_}}));
  auto kept = store.find(*id);
  ASSERT_TRUE(kept);
  EXPECT_FALSE(kept->uploaded_by.has_value());
  EXPECT_TRUE(store.read(*kept));
}

TEST_P(FileStoreTest, RemovedFilesLoseTheirBytesOnceNoRowNamesThem) {
  FileStore store(*db, scratch_dir());
  const std::string png = samples::png(6, 6);
  auto first = store.add({{"process", 1}, "cover", "x", anna_}, checked("a.png", png), 1);
  auto second = store.add({{"process", 2}, "cover", "y", anna_}, checked("b.png", png), 1);
  auto plan = store.add({{"process", 1}, "attachment", "Plan", anna_},
                        checked("Plan.pdf", samples::pdf()), 1);
  ASSERT_TRUE(first && second && plan);
  EXPECT_EQ(store.remove({"process", 2}, *first).error().code, ErrorCode::not_found)
      << "only its owner's";
  ASSERT_TRUE(store.remove({"process", 1}, *first));
  EXPECT_EQ(store.find(*first).error().code, ErrorCode::not_found);
  ASSERT_TRUE(store.remove({"process", 1}, *plan));
  const fs::path png_blob = BlobStore(scratch_dir() / "files").path(sha256_hex(png));
  const fs::path pdf_blob = BlobStore(scratch_dir() / "files").path(sha256_hex(samples::pdf()));
  const std::int64_t now = std::time(nullptr);
  EXPECT_EQ(store.sweep(now).value(), 0) << "within the grace period nothing goes";
  EXPECT_TRUE(fs::exists(pdf_blob));
  // A day later the PDF's bytes go; the PNG's stay, process 2 still uses them.
  EXPECT_EQ(store.sweep(now + 86400 + 60).value(), 1);
  EXPECT_FALSE(fs::exists(pdf_blob));
  EXPECT_TRUE(fs::exists(png_blob));
  EXPECT_EQ(store.read(store.find(*second).value()).value(), png);
  // Old unused bytes reused for a row not yet added are refreshed and survive a sweep.
  ASSERT_TRUE(store.put_bytes(checked("Plan.pdf", samples::pdf())));
  fs::last_write_time(pdf_blob, fs::file_time_type::clock::now() - std::chrono::hours(48));
  ASSERT_TRUE(store.put_bytes(checked("Plan.pdf", samples::pdf())));
  EXPECT_EQ(store.sweep(now).value(), 0);
  EXPECT_TRUE(fs::exists(pdf_blob));
}

AH_INSTANTIATE_BACKEND_TEST(FileStoreTest);

}  // namespace
}  // namespace ah::modules::files
