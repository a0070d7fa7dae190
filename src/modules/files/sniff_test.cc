// Sniffing reads what a file is from its bytes: each accepted kind with its dimensions,
// and every cut-off, disguised or active file refused.
#include "modules/files/sniff.h"

#include <gtest/gtest.h>

#include "modules/files/samples.h"

namespace ah::modules::files {
namespace {

void expect_kind(const std::string& bytes, MediaType type, std::int64_t w, std::int64_t h) {
  auto sniffed = sniff(bytes);
  ASSERT_TRUE(sniffed) << static_cast<int>(sniffed.error());
  EXPECT_EQ(sniffed->type, type);
  EXPECT_EQ(sniffed->width, w);
  EXPECT_EQ(sniffed->height, h);
}

SniffError error_of(const std::string& bytes) {
  auto sniffed = sniff(bytes);
  EXPECT_FALSE(sniffed);
  return sniffed ? SniffError::unknown : sniffed.error();
}

TEST(Sniff, RecognisesEveryAcceptedKindWithItsSize) {
  expect_kind(samples::png(17, 5), MediaType::png, 17, 5);
  expect_kind(samples::jpeg(640, 480), MediaType::jpeg, 640, 480);
  expect_kind(samples::webp_lossless(300, 200), MediaType::webp, 300, 200);
  expect_kind(samples::webp_lossy(301, 201), MediaType::webp, 301, 201);
  expect_kind(samples::webp_extended(9000, 20), MediaType::webp, 9000, 20);
  expect_kind(samples::pdf(), MediaType::pdf, 0, 0);
}

TEST(Sniff, EverythingElseIsUnknown) {
  for (const std::string& bytes :
       {samples::html(), std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        std::string("PK\x03\x04zipzipzip", 12), std::string("MZ\x90\0", 4),
        std::string("\x7F"
                    "ELF",
                    4),
        std::string("GIF89a"), std::string(""), std::string("%PD")}) {
    EXPECT_EQ(error_of(bytes), SniffError::unknown) << bytes;
  }
}

TEST(Sniff, CutOffFilesAreDamagedWhereverTheCutIs) {
  for (const std::string& whole :
       {samples::png(), samples::jpeg(), samples::webp_lossless(), samples::pdf()}) {
    ASSERT_TRUE(sniff(whole));
    // Every cut after the signature is damaged, never accepted.
    // (A PDF only needs its "%%EOF"; what follows it may go.)
    const std::size_t end = whole.starts_with("%PDF") ? whole.rfind("%%EOF") + 5 : whole.size();
    for (std::size_t cut = 8; cut < end; ++cut) {
      auto sniffed = sniff(whole.substr(0, cut));
      EXPECT_FALSE(sniffed) << "cut at " << cut << " of " << whole.size();
    }
  }
  EXPECT_EQ(error_of(samples::png().substr(0, 40)), SniffError::damaged);
}

TEST(Sniff, PngNeedsIhdrFirstAndNothingAfterIend) {
  std::string png = samples::png();
  EXPECT_EQ(error_of(png + "PK\x03\x04"), SniffError::damaged) << "a PNG/ZIP polyglot";
  std::string no_ihdr = png;
  no_ihdr.replace(12, 4, "tEXt");
  EXPECT_EQ(error_of(no_ihdr), SniffError::damaged);
  std::string zero_width = png;
  zero_width.replace(16, 4, std::string(4, '\0'));
  EXPECT_EQ(error_of(zero_width), SniffError::damaged);
}

TEST(Sniff, JpegNeedsAFrameHeaderAndAnEnd) {
  std::string jpeg = samples::jpeg();
  EXPECT_EQ(error_of(jpeg.substr(0, jpeg.size() - 2)), SniffError::damaged) << "no EOI";
  EXPECT_EQ(error_of("\xFF\xD8\xFF\xD9"), SniffError::damaged);
}

TEST(Sniff, PdfNeedsAVersionAndAnEnd) {
  std::string pdf = samples::pdf();
  EXPECT_EQ(error_of("%PDF-9.9" + pdf.substr(8)), SniffError::damaged);
  EXPECT_EQ(error_of(pdf.substr(0, pdf.rfind("%%EOF"))), SniffError::damaged);
  EXPECT_EQ(error_of(pdf.substr(0, pdf.rfind("%%EOF")) + std::string(2000, ' ') + "%%EOF\n" +
                     std::string(2000, ' ')),
            SniffError::damaged)
      << "%%EOF must be near the end";
}

TEST(Sniff, PdfsWithActiveContentAreRefused) {
  for (const char* active :
       {"<< /S /JavaScript /JS (app.alert(1)) >>", "<< /S /Launch /F (cmd.exe) >>",
        "<< /Type /Filespec /EF << /F 5 0 R >> /EmbeddedFile 5 0 R >>",
        "<< /S /J#61vaScript /J#53 (x) >>", "<< /Names << /EmbeddedFiles 6 0 R >> >>",
        "<< /RichMedia 1 >>"}) {
    EXPECT_EQ(error_of(samples::pdf(active)), SniffError::active_content) << active;
  }
  EXPECT_EQ(error_of(samples::pdf_with_compressed_javascript()), SniffError::active_content);
  // Harmless names that merely start like active ones pass.
  EXPECT_TRUE(sniff(samples::pdf("<< /JSON 1 /Launcher 2 /S /GoTo /D [3 0 R /Fit] >>")));
}

TEST(Sniff, MediaTypeNames) {
  for (MediaType t : {MediaType::png, MediaType::jpeg, MediaType::webp, MediaType::pdf})
    EXPECT_EQ(media_type_from_name(media_type_name(t)), t);
  EXPECT_EQ(media_type_from_name("image/jpg"), MediaType::jpeg);
  EXPECT_EQ(media_type_from_name("image/svg+xml"), std::nullopt);
  EXPECT_FALSE(is_image(MediaType::pdf));
}

}  // namespace
}  // namespace ah::modules::files
