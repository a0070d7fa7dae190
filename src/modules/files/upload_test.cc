// check_upload: a file must be what its name and declared type say, allowed where it is
// uploaded, and within the limits; refusals name the file in the person's language.
#include "modules/files/upload.h"

#include <gtest/gtest.h>

#include "modules/files/samples.h"

namespace ah::modules::files {
namespace {

http::UploadedFile upload(std::string filename, std::string content_type, std::string data) {
  return {"file", std::move(filename), std::move(content_type), std::move(data)};
}

std::string refusal_key(const http::UploadedFile& file, Accept accept = Accept::images_and_pdf) {
  auto checked = check_upload(file, accept);
  EXPECT_FALSE(checked) << file.filename;
  return checked ? "" : checked.error().key;
}

TEST(CheckUpload, AcceptsWhatIsWhatItClaims) {
  auto png =
      check_upload(upload("Spielplatz.png", "image/png", samples::png(8, 6)), Accept::images);
  ASSERT_TRUE(png);
  EXPECT_EQ(png->sniffed.type, MediaType::png);
  EXPECT_EQ(png->sniffed.width, 8);
  EXPECT_EQ(png->file_name, "Spielplatz.png");
  EXPECT_TRUE(check_upload(upload("foto.JPG", "image/jpeg", samples::jpeg()), Accept::images));
  EXPECT_TRUE(check_upload(upload("a.webp", "image/webp", samples::webp_lossy()), Accept::images));
  EXPECT_TRUE(
      check_upload(upload("Plan.pdf", "application/pdf", samples::pdf()), Accept::images_and_pdf));
  // No claim at all (no extension, a generic type) is judged by the bytes alone.
  auto unnamed = check_upload(upload("scan", "application/octet-stream", samples::pdf()),
                              Accept::images_and_pdf);
  ASSERT_TRUE(unnamed);
  EXPECT_EQ(unnamed->file_name, "scan.pdf");
}

TEST(CheckUpload, RefusesLies) {
  EXPECT_EQ(refusal_key(upload("plan.pdf", "application/pdf", samples::png())),
            "files_error_not_pdf");
  EXPECT_EQ(refusal_key(upload("bild.png", "image/png", samples::html())), "files_error_not_png");
  EXPECT_EQ(refusal_key(upload("plan.pdf", "image/png", samples::pdf())), "files_error_not_png")
      << "the declared type counts as much as the name";
  EXPECT_EQ(refusal_key(upload("bild.jpg", "image/jpeg", samples::webp_lossless())),
            "files_error_not_jpeg");
  EXPECT_EQ(refusal_key(upload("seite.html", "text/html", samples::png())), "files_error_mismatch");
  EXPECT_EQ(refusal_key(upload("bild.svg", "image/svg+xml",
                               "<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>")),
            "files_error_unsupported");
  EXPECT_EQ(refusal_key(upload("x", "", samples::html()), Accept::images), "files_error_not_image");
}

TEST(CheckUpload, RefusesDamageActiveContentAndWhatIsNotAllowedHere) {
  const std::string png = samples::png();
  EXPECT_EQ(refusal_key(upload("kurz.png", "image/png", png.substr(0, png.size() - 5))),
            "files_error_damaged");
  EXPECT_EQ(refusal_key(upload("a.pdf", "application/pdf",
                               samples::pdf("<< /S /JavaScript /JS (app.alert(1)) >>"))),
            "files_error_pdf_active");
  EXPECT_EQ(refusal_key(upload("plan.pdf", "application/pdf", samples::pdf()), Accept::images),
            "files_error_not_image");
  EXPECT_EQ(refusal_key(upload("leer.png", "image/png", "")), "files_error_empty");
}

TEST(CheckUpload, Limits) {
  // A header that announces 9000 × 9000 pixels: a few bytes that would decode to 243 MB.
  std::string bomb = samples::png(1, 1);
  bomb.replace(16, 8, std::string("\0\0\x23\x28\0\0\x23\x28", 8));
  auto refused = check_upload(upload("riesig.png", "image/png", bomb), Accept::images);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().key, "files_error_dimensions");
  EXPECT_EQ(refused.error().limit, "8000 × 8000");
  EXPECT_TRUE(
      check_upload(upload("gross.webp", "", samples::webp_extended(8000, 8000)), Accept::images));
  EXPECT_EQ(refusal_key(upload("breit.webp", "", samples::webp_extended(8001, 10))),
            "files_error_dimensions");

  std::string big_png = samples::png();
  big_png.insert(33, std::string("\0\0\0\0tEXt\0\0\0\0", 12));  // a valid empty chunk
  ASSERT_TRUE(check_upload(upload("a.png", "", big_png), Accept::images));
  std::string padding(kMaxImageBytes, 'x');
  std::string chunk = std::string("\x00\x50\x00\x00", 4) + "tEXt" + padding.substr(0, 0x500000) +
                      std::string(4, '\0');
  auto too_big =
      check_upload(upload("a.png", "", samples::png().insert(33, chunk)), Accept::images_and_pdf);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().key, "files_error_too_large");
  EXPECT_EQ(too_big.error().limit, "5 MB");

  std::string big_pdf = samples::pdf();
  big_pdf.insert(20, "%" + std::string(kMaxPdfBytes, 'x') + "\n");
  auto too_big_pdf = check_upload(upload("a.pdf", "", big_pdf), Accept::images_and_pdf);
  ASSERT_FALSE(too_big_pdf);
  EXPECT_EQ(too_big_pdf.error().limit, "20 MB");
}

TEST(DisplayFileName, KeepsWhatPeopleRecogniseAndNothingDangerous) {
  EXPECT_EQ(display_file_name("C:\\Users\\Anna\\Bürgerplan 2027.pdf", MediaType::pdf),
            "Bürgerplan 2027.pdf");
  EXPECT_EQ(display_file_name("../../etc/passwd", MediaType::png), "passwd.png");
  EXPECT_EQ(display_file_name("..", MediaType::png), "datei.png");
  EXPECT_EQ(display_file_name("", MediaType::jpeg), "datei.jpg");
  EXPECT_EQ(display_file_name(" .hidden.pdf ", MediaType::pdf), "hidden.pdf");
  std::string long_name = std::string(200, 'a') + "ü.pdf";
  std::string shown = display_file_name(long_name, MediaType::pdf);
  EXPECT_LE(shown.size(), 120u);
  EXPECT_TRUE(shown.ends_with("a.pdf"));
  // Cut on a character boundary, never inside "ü".
  EXPECT_EQ(display_file_name(std::string(115, 'a') + "üü.png", MediaType::png),
            std::string(115, 'a') + ".png");
}

TEST(Describe, FillsInTheFileAndTheLimit) {
  auto catalog = web::Catalog::load(AH_SHARE_DIR "/i18n");
  ASSERT_TRUE(catalog) << catalog.error().message;
  auto refused = check_upload(upload("plan.png", "image/png", samples::pdf()), Accept::images);
  ASSERT_FALSE(refused);
  EXPECT_EQ(describe(refused.error(), *catalog, "de"), "Die Datei „plan.png“ ist kein PNG-Bild.");
  EXPECT_EQ(describe(refused.error(), *catalog, "en"), "The file “plan.png” is not a PNG image.");
}

}  // namespace
}  // namespace ah::modules::files
