#include "http/multipart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace ah::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view content_type = "multipart/form-data; boundary=XyZ";

std::string field_part(std::string_view name, std::string_view value) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n\r\n" +
         std::string(value) + "\r\n";
}

std::string file_part(std::string_view name, std::string_view filename, std::string_view data) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"; filename=\"" + std::string(filename) + "\"\r\nContent-Type: application/pdf\r\n\r\n" +
         std::string(data) + "\r\n";
}

const std::string end = "--XyZ--\r\n";

Result<MultipartForm> parse(std::string_view body, const MultipartLimits& limits = {}) {
  return parse_multipart(content_type, body, limits);
}

void expect_malformed(std::string_view body, std::string_view message_part = "") {
  auto form = parse(body);
  ASSERT_FALSE(form) << body;
  EXPECT_EQ(form.error().code, ErrorCode::invalid_input) << body;
  EXPECT_THAT(form.error().message, HasSubstr(std::string(message_part)));
}

TEST(MultipartBoundary, AcceptsQuotedAndUnquoted) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc").value(), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c?\"").value(), "a b:c?");
  EXPECT_EQ(
      multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW")
          .value(),
      "----WebKitFormBoundary7MA4YWxkTrZu0gW");
}

TEST(MultipartBoundary, ValidatesAgainstRfc2046) {
  EXPECT_TRUE(multipart_boundary("multipart/form-data; boundary=" + std::string(70, 'a')));
  for (const std::string& bad :
       {"multipart/form-data; boundary=" + std::string(71, 'a'), std::string("multipart/form-data"),
        std::string("multipart/form-data; boundary=\"\""),
        std::string("multipart/form-data; boundary=\"ends with space \""),
        std::string("multipart/form-data; boundary=\"semi;colon\""),
        std::string("multipart/mixed; boundary=abc"),
        std::string("application/x-www-form-urlencoded"), std::string("")}) {
    auto boundary = multipart_boundary(bad);
    ASSERT_FALSE(boundary) << bad;
    EXPECT_EQ(boundary.error().code, ErrorCode::invalid_input);
  }
}

TEST(ParseMultipart, FieldsAndFilesInOrder) {
  const std::string body = field_part("title", "Radweg") +
                           file_part("doc", "plan.pdf", "%PDF-1.7") + field_part("tag", "a") +
                           field_part("tag", "") + file_part("doc", "second.pdf", "") + end;
  auto form = parse(body).value();
  EXPECT_EQ(form.fields.get("title"), "Radweg");
  EXPECT_THAT(form.fields.all("tag"), ElementsAre("a", ""));
  ASSERT_EQ(form.files.size(), 2u);
  const UploadedFile* doc = form.file("doc");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->name, "doc");
  EXPECT_EQ(doc->filename, "plan.pdf");
  EXPECT_EQ(doc->content_type, "application/pdf");
  EXPECT_EQ(doc->data, "%PDF-1.7");
  EXPECT_EQ(form.files[1].filename, "second.pdf");
  EXPECT_EQ(form.files[1].data, "");
  EXPECT_EQ(form.file("missing"), nullptr);
}

TEST(ParseMultipart, BinaryFileDataIsKeptByteForByte) {
  const std::string data("\0\xFF\r\n\r\n--Xy\r\n-\r", 13);
  auto form = parse(file_part("f", "bin", data) + end).value();
  EXPECT_EQ(form.file("f")->data, data);
}

TEST(ParseMultipart, BoundaryInsideALineIsContent) {
  auto form = parse(field_part("a", "text --XyZ more --XyZ--") + end).value();
  EXPECT_EQ(form.fields.get("a"), "text --XyZ more --XyZ--");
}

TEST(ParseMultipart, BoundaryAtLineStartFollowedByTextIsMalformed) {
  expect_malformed(field_part("a", "x\r\n--XyZabc") + end, "unexpected text");
}

TEST(ParseMultipart, PreambleEpilogueAndTransportPadding) {
  const std::string body =
      "This is a preamble.\r\n--XyZ  \t\r\n"
      "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
      "--XyZ--\r\nepilogue with --XyZ in it";
  EXPECT_EQ(parse(body).value().fields.get("a"), "1");
}

TEST(ParseMultipart, EmptyFormAndEmptyValues) {
  EXPECT_TRUE(parse("--XyZ--").value().fields.empty());
  auto form = parse(field_part("a", "") + end).value();
  EXPECT_TRUE(form.fields.has("a"));
  EXPECT_EQ(form.fields.get("a"), "");
}

TEST(ParseMultipart, ContentTypeDefaultsAndOtherHeaders) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\nx\r\n"
      "--XyZ\r\ncontent-disposition:form-data;name=g\r\nX-Other: ignored\r\n"
      "CONTENT-TYPE: text/plain; charset=utf-8\r\n\r\nv\r\n" +
      end;
  auto form = parse(body).value();
  EXPECT_EQ(form.file("f")->content_type, "application/octet-stream");
  EXPECT_EQ(form.fields.get("g"), "v");
}

TEST(ParseMultipart, UnicodeNamesFilenamesAndValues) {
  auto form =
      parse(field_part("straße", "Grüße 😀") + file_part("datei", "Übersicht.pdf", "x") + end)
          .value();
  EXPECT_EQ(form.fields.get("straße"), "Grüße 😀");
  EXPECT_EQ(form.file("datei")->filename, "Übersicht.pdf");
}

TEST(ParseMultipart, EmptyFileInputAndUnnamedPartsAreSkipped) {
  auto form =
      parse(file_part("doc", "", "") + field_part("", "x") + field_part("a", "1") + end).value();
  EXPECT_EQ(form.file("doc"), nullptr);
  EXPECT_EQ(form.fields.size(), 1u);
}

TEST(ParseMultipart, CrlfVariants) {
  // Bare LF line ends, as a hand-written client might send.
  expect_malformed("--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n1\n--XyZ--\n", "CRLF");
  // Bare LF between the headers and the content.
  expect_malformed("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\n\n1\r\n--XyZ--",
                   "blank line");
  // Delimiter preceded by a bare LF is content, so the final boundary is missing.
  expect_malformed(field_part("a", "1").substr(0, field_part("a", "1").size() - 2) + "\n--XyZ--",
                   "final boundary");
  // A body ending right after the close delimiter without CRLF is fine.
  EXPECT_TRUE(parse(field_part("a", "1") + "--XyZ--"));
}

TEST(ParseMultipart, MissingFinalBoundary) {
  expect_malformed(field_part("a", "1"), "final boundary");
  expect_malformed(field_part("a", "1") + "--XyZ", "final boundary");
  expect_malformed(field_part("a", "1") + "--XyZ\r\n", "final boundary");
  expect_malformed(field_part("a", "1") + "--XyZ  ", "final boundary");
  expect_malformed(file_part("f", "a.pdf", "cut off in the mid"), "final boundary");
}

TEST(ParseMultipart, MissingOrWrongBoundary) {
  expect_malformed("", "does not contain the boundary");
  expect_malformed("no boundary here", "does not contain the boundary");
  expect_malformed("--Other\r\n\r\n--Other--", "does not contain the boundary");
}

TEST(ParseMultipart, MalformedPartHeaders) {
  expect_malformed("--XyZ\r\n\r\nno headers\r\n" + end, "Content-Disposition");
  expect_malformed("--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n" + end,
                   "Content-Disposition");
  expect_malformed("--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n" + end,
                   "Content-Disposition");
  expect_malformed("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n" + end,
                   "Content-Disposition");
  expect_malformed(
      "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
      "Content-Disposition: form-data; name=b\r\n\r\nx\r\n" +
          end,
      "more than one");
  expect_malformed("--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nx\r\n" + end,
                   "folded");
  expect_malformed("--XyZ\r\nno colon\r\n\r\nx\r\n" + end, "malformed header line");
  expect_malformed("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n" + end, "");
  expect_malformed(
      "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: ;\r\n\r\n"
      "x\r\n" +
          end,
      "Content-Type");
  expect_malformed("--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n" + end,
                   "Content-Disposition");
}

TEST(ParseMultipart, RejectsFieldValuesThatAreNotText) {
  expect_malformed(field_part("a", std::string("\0", 1)) + end, "'a'");
  expect_malformed(field_part("a", "\xFF") + end, "UTF-8");
  expect_malformed(field_part("\xFF", "x") + end, "UTF-8");
  expect_malformed(file_part("f", "a\tb.pdf", "x") + end, "file name");
}

TEST(ParseMultipart, PartLimitExactlyAtAndOneOver) {
  const MultipartLimits limits{.max_parts = 2};
  EXPECT_TRUE(parse(field_part("a", "1") + field_part("b", "2") + end, limits));
  auto over =
      parse(field_part("a", "1") + field_part("b", "2") + field_part("c", "3") + end, limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::too_large);
  EXPECT_EQ(over.error().message, "The form has more than 2 parts; the field 'c' is one too many.");
  // Skipped parts count too.
  EXPECT_FALSE(
      parse(field_part("", "1") + field_part("", "2") + field_part("c", "3") + end, limits));
}

TEST(ParseMultipart, FileSizeLimitExactlyAtAndOneOver) {
  const MultipartLimits limits{.max_file_size = 1024};
  EXPECT_TRUE(parse(file_part("doc", "a.pdf", std::string(1024, 'x')) + end, limits));
  auto over = parse(file_part("doc", "a.pdf", std::string(1025, 'x')) + end, limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::too_large);
  EXPECT_EQ(over.error().message, "The file in field 'doc' is larger than the limit of 1 KiB.");
}

TEST(ParseMultipart, FieldSizeLimitExactlyAtAndOneOver) {
  const MultipartLimits limits{.max_field_size = 3 * 1024 * 1024};
  const std::string at_limit(3 * 1024 * 1024, 'x');
  EXPECT_TRUE(parse(field_part("text", at_limit) + end, limits));
  auto over = parse(field_part("text", at_limit + "y") + end, limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::too_large);
  EXPECT_EQ(over.error().message, "The field 'text' is larger than the limit of 3 MiB.");
  EXPECT_THAT(parse(field_part("t", "12345") + end, {.max_field_size = 4}).error().message,
              HasSubstr("4 bytes"));
}

TEST(ParseMultipartBody, RejectsAnInvalidBoundary) {
  EXPECT_FALSE(parse_multipart_body("----\r\n", "", {}));
  EXPECT_FALSE(parse_multipart_body("--a;b--", "a;b", {}));
}

TEST(MultipartTextField, FindsAFieldWithoutTheFiles) {
  const std::string body = file_part("csrf", "csrf.pdf", "not the token") +
                           field_part("title", "Radweg") + field_part("csrf", "tok3n") +
                           field_part("csrf", "second") + end;
  EXPECT_EQ(multipart_text_field(content_type, body, "csrf"), "tok3n");
  EXPECT_EQ(multipart_text_field(content_type, body, "title"), "Radweg");
  EXPECT_EQ(multipart_text_field(content_type, body, "missing"), "");
  EXPECT_EQ(multipart_text_field("application/x-www-form-urlencoded", body, "csrf"), "");
  // A field after a malformed part is not believed.
  EXPECT_EQ(multipart_text_field(content_type,
                                 "--XyZ\r\nno colon\r\n\r\nx\r\n" + field_part("csrf", "t") + end,
                                 "csrf"),
            "");
  EXPECT_EQ(multipart_text_field(content_type, field_part("csrf", "\xFF") + end, "csrf"), "");
}

// Adversarial shapes that make naive parsers quadratic: many near-delimiters, many tiny
// parts. Generous time bounds; they only catch blow-ups, not slowness.
TEST(ParseMultipart, AdversarialInputStaysLinear) {
  std::string near_delimiters;
  for (int i = 0; i < 200000; ++i) near_delimiters += "\r\n--XyY";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(parse(file_part("f", "a", near_delimiters) + end, {.max_file_size = 1 << 24}));

  std::string many_parts;
  for (int i = 0; i < 100000; ++i) many_parts += field_part("a", "");
  EXPECT_EQ(parse(many_parts + end, {.max_parts = 1000}).error().code, ErrorCode::too_large);

  std::string no_blank_line = "--XyZ\r\n" + std::string(1 << 22, '\r') + "\r\n" + end;
  EXPECT_FALSE(parse(no_blank_line));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

}  // namespace
}  // namespace ah::http
