#include "mail/message.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <vector>

namespace ah::mail {
namespace {

using namespace std::chrono;

// Thu, 26 Nov 2026 16:25:30 UTC.
const system_clock::time_point kDate = system_clock::time_point(seconds(1795710330));

std::vector<std::string> split_crlf_lines(const std::string& bytes) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < bytes.size()) {
    std::size_t end = bytes.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "the message does not end with CRLF";
    if (end == std::string::npos) break;
    lines.push_back(bytes.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// Every line ends in CRLF, there is no bare CR or LF, and no line is longer than `limit`.
void expect_well_formed_lines(const std::string& bytes, std::size_t limit) {
  for (const auto& line : split_crlf_lines(bytes)) {
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "bare CR or LF in: " << line;
    EXPECT_LE(line.size(), limit) << line;
  }
}

// Reverses quoted-printable for ASCII input: drops soft breaks and decodes =XX.
std::string decode_quoted_printable(const std::string& encoded) {
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded.compare(i, 3, "=\r\n") == 0) {
      i += 2;
    } else if (encoded[i] == '=') {
      out += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += encoded[i];
    }
  }
  return out;
}

Message confirmation() {
  return {.to = "anna.schmidt@example.org",
          .subject = "Bestätigen Sie Ihre E-Mail-Adresse",
          .text = "Guten Tag,\nbitte bestätigen Sie: https://example.org/c?t=abc\n"};
}

TEST(RenderMessageTest, ProducesTheDocumentedHeadersAndBody) {
  auto bytes = render_message(confirmation(), "noreply@gemeinde.example", kDate,
                              "<20261126T162530Z.1@gemeinde.example>");
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes,
            "Date: Thu, 26 Nov 2026 16:25:30 +0000\r\n"
            "From: noreply@gemeinde.example\r\n"
            "To: anna.schmidt@example.org\r\n"
            "Subject: =?UTF-8?B?QmVzdMOkdGlnZW4gU2llIElocmUgRS1NYWlsLUFkcmVzc2U=?=\r\n"
            "Message-ID: <20261126T162530Z.1@gemeinde.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Guten Tag,\r\n"
            "bitte best=C3=A4tigen Sie: https://example.org/c?t=3Dabc\r\n");
}

TEST(RenderMessageTest, LinesStayWithinLimitsForLongSubjectsAndParagraphs) {
  std::string paragraph;
  for (int i = 0; i < 60; ++i) paragraph += "Größenänderung=Straße. ";
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "Stellungnahme zur Abwägung ";
  auto bytes = render_message({.to = "a@example.org", .subject = subject, .text = paragraph},
                              "noreply@example.org", kDate, "<id@example.org>");
  ASSERT_TRUE(bytes);
  expect_well_formed_lines(*bytes, 78);
  std::string body = bytes->substr(bytes->find("\r\n\r\n") + 4);
  expect_well_formed_lines(body, 76);
}

TEST(RenderMessageTest, LongAddressesStayBelowTheHardLimit) {
  std::string long_domain = std::string(60, 'd');
  for (int i = 0; i < 3; ++i) long_domain += "." + std::string(60, 'd');
  std::string to = std::string(10, 'x') + "@" + long_domain;
  ASSERT_EQ(to.size(), 254U);
  auto bytes = render_message({.to = to, .subject = "Hallo", .text = "x"}, "a@example.org", kDate,
                              "<id@example.org>");
  ASSERT_TRUE(bytes) << bytes.error().message;
  expect_well_formed_lines(*bytes, 998);
}

TEST(RenderMessageTest, EmptyTextGivesEmptyBody) {
  auto bytes = render_message({.to = "a@example.org", .subject = "s", .text = ""}, "b@example.org",
                              kDate, "<id@example.org>");
  ASSERT_TRUE(bytes);
  EXPECT_TRUE(bytes->ends_with("quoted-printable\r\n\r\n"));
}

TEST(EncodeSubjectTest, ShortPrintableAsciiStaysReadable) {
  EXPECT_EQ(encode_subject("Ihre Stellungnahme ist eingegangen"),
            "Ihre Stellungnahme ist eingegangen");
}

TEST(EncodeSubjectTest, EncodesNonAsciiAsUtf8EncodedWord) {
  EXPECT_EQ(encode_subject("Bestätigen Sie Ihre E-Mail-Adresse"),
            "=?UTF-8?B?QmVzdMOkdGlnZW4gU2llIElocmUgRS1NYWlsLUFkcmVzc2U=?=");
}

TEST(EncodeSubjectTest, EncodesAsciiThatLooksLikeAnEncodedWord) {
  EXPECT_TRUE(encode_subject("=?UTF-8?B?abc?=").starts_with("=?UTF-8?B?"));
}

TEST(EncodeSubjectTest, FoldsLongSubjectsWithoutSplittingCharacters) {
  std::string subject;
  for (int i = 0; i < 100; ++i) subject += "ä";  // two bytes each
  std::string header = "Subject: " + encode_subject(subject) + "\r\n";
  expect_well_formed_lines(header, 78);
  std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)");
  std::size_t decoded_bytes = 0;
  for (std::sregex_iterator it(header.begin(), header.end(), word), end; it != end; ++it) {
    std::string b64 = (*it)[1];
    std::size_t padding = b64.ends_with("==") ? 2 : b64.ends_with("=") ? 1 : 0;
    std::size_t bytes = b64.size() / 4 * 3 - padding;
    EXPECT_EQ(bytes % 2, 0U) << "an encoded word splits a character: " << b64;
    decoded_bytes += bytes;
  }
  EXPECT_EQ(decoded_bytes, subject.size());
}

TEST(QuotedPrintableTest, EncodesUtf8EqualsAndTrailingWhitespace) {
  EXPECT_EQ(quoted_printable("Grüße"), "Gr=C3=BC=C3=9Fe\r\n");
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db\r\n");
  EXPECT_EQ(quoted_printable("trailing \nspace\t"), "trailing=20\r\nspace=09\r\n");
  EXPECT_EQ(quoted_printable("in between stays"), "in between stays\r\n");
}

TEST(QuotedPrintableTest, NormalisesLineEndsToCrlf) {
  EXPECT_EQ(quoted_printable("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd\r\n");
  EXPECT_EQ(quoted_printable("a\n\nb\n"), "a\r\n\r\nb\r\n");
  EXPECT_EQ(quoted_printable(""), "");
}

TEST(QuotedPrintableTest, LinesStartingWithDotOrFromSurviveAnyTransport) {
  EXPECT_EQ(quoted_printable(".\n..hidden\nFrom here\nFromage"),
            "=2E\r\n=2E.hidden\r\n=46rom here\r\nFromage\r\n");
  // A physical line that starts after a soft break gets the same treatment.
  std::string line = std::string(75, 'a') + ".rest";
  std::string encoded = quoted_printable(line);
  EXPECT_EQ(encoded, std::string(75, 'a') + "=\r\n=2Erest\r\n");
  EXPECT_EQ(decode_quoted_printable(encoded), line + "\r\n");
}

TEST(QuotedPrintableTest, SoftBreaksKeepLinesAt76AndDecodeBack) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += static_cast<char>('!' + i % 90);
  text += "\nshort line\n";
  std::string encoded = quoted_printable(text);
  expect_well_formed_lines(encoded, 76);
  std::string expected = text;
  for (std::size_t at = expected.find('\n'); at != std::string::npos;
       at = expected.find('\n', at + 2)) {
    expected.replace(at, 1, "\r\n");
  }
  EXPECT_EQ(decode_quoted_printable(encoded), expected);
}

TEST(ValidateAddressTest, AcceptsOrdinaryAddresses) {
  for (const char* address : {"a@b", "anna.schmidt+rat@gemeinde-beispiel.de",
                              "o'brien@xn--mnchen-3ya.de", "x_y@sub.example.org"}) {
    EXPECT_TRUE(validate_address(address, "recipient")) << address;
  }
}

TEST(ValidateAddressTest, RejectsWhatCouldInjectOrIsNotAnAddress) {
  std::string too_long = std::string(64, 'a') + "@" + std::string(63, 'b') + "." +
                         std::string(63, 'c') + "." + std::string(62, 'd');
  ASSERT_EQ(too_long.size(), 255U);
  for (const std::string& address :
       {std::string(""), std::string("no-at-sign"), std::string("a@b@c.de"),
        std::string("a b@c.de"), std::string("<a@b.de>"), std::string("a@b.de,c@d.de"),
        std::string("a@b.de;c@d.de"), std::string("\"a\"@b.de"), std::string("a@-b.de"),
        std::string("a@b..de"), std::string(".a@b.de"), std::string("a.@b.de"),
        std::string("ä@b.de"), std::string("a@bä.de"), std::string(65, 'a') + "@b.de", too_long,
        std::string("a@b.de\r\nBcc: c@d.de"), std::string("a@b.de\nX: y")}) {
    auto status = validate_address(address, "recipient");
    ASSERT_FALSE(status) << address;
    EXPECT_EQ(status.error().code, ErrorCode::invalid_input);
    EXPECT_TRUE(status.error().message.starts_with("The recipient address")) << address;
  }
}

TEST(ValidateAddressTest, LineBreaksGetAClearMessage) {
  auto status = validate_address("a@b.de\r\nBcc: c@d.de", "sender");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "The sender address must not contain line breaks.");
}

TEST(RenderMessageTest, RejectsHeaderInjectionInEveryField) {
  Message message = confirmation();
  auto render = [](const Message& m, std::string_view from) {
    return render_message(m, from, kDate, "<id@example.org>");
  };
  message.subject = "Hallo\r\nBcc: evil@example.org";
  auto subject = render(message, "noreply@example.org");
  ASSERT_FALSE(subject);
  EXPECT_EQ(subject.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(subject.error().message, "The e-mail subject must not contain line breaks.");

  message = confirmation();
  message.to = "a@example.org\nBcc: evil@example.org";
  auto to = render(message, "noreply@example.org");
  ASSERT_FALSE(to);
  EXPECT_EQ(to.error().message, "The recipient address must not contain line breaks.");

  auto from = render(confirmation(), "noreply@example.org\rBcc: evil@example.org");
  ASSERT_FALSE(from);
  EXPECT_EQ(from.error().message, "The sender address must not contain line breaks.");
}

TEST(ValidateMessageTest, RejectsControlCharactersAndInvalidUtf8) {
  Message message = confirmation();
  message.subject = "tab\there";
  EXPECT_FALSE(validate_message(message));
  message.subject = std::string("ok") + '\0';
  EXPECT_FALSE(validate_message(message));
  message = confirmation();
  message.subject = "\xC3\x28";  // a lead byte without its continuation
  EXPECT_FALSE(validate_message(message));
  message = confirmation();
  message.text = "overlong \xC0\xAF slash";
  auto status = validate_message(message);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "The e-mail text is not valid UTF-8.");
  message.text = "surrogate \xED\xA0\x80";
  EXPECT_FALSE(validate_message(message));
  message.text = "Grüße 👋";
  EXPECT_TRUE(validate_message(message));
}

TEST(Rfc5322DateTest, FormatsUtcWithEnglishNames) {
  EXPECT_EQ(rfc5322_date(kDate), "Thu, 26 Nov 2026 16:25:30 +0000");
  EXPECT_EQ(rfc5322_date(system_clock::time_point(seconds(0))), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(MessageIdTest, UsesTheSenderDomainAndIsUnique) {
  std::regex form(R"(<\d{8}T\d{6}Z\.[0-9a-f]{32}@gemeinde\.example>)");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_message_id("noreply@gemeinde.example");
    ASSERT_TRUE(std::regex_match(id, form)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

}  // namespace
}  // namespace ah::mail
