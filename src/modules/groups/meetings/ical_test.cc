// The iCalendar writer: escaping, folding at 75 octets without splitting a UTF-8 sequence,
// CRLF lines, and a calendar that Debian's python3-icalendar reads back as written.
#include "modules/groups/meetings/ical.h"

#include <gtest/gtest.h>

#include "modules/groups/meetings/ical_check.h"

namespace ah::modules::meetings::ical {
namespace {

// The physical lines of `text`, each checked to end with CRLF.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find("\r\n", at);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    if (end == std::string::npos) break;
    out.push_back(text.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

TEST(Ical, EscapesTheCharactersTextValuesReserve) {
  EXPECT_EQ(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
  EXPECT_EQ(escape_text("eins\nzwei\r\ndrei\rvier"), "eins\\nzwei\\ndrei\\nvier");
  EXPECT_EQ(escape_text("Grüße: 10:00"), "Grüße: 10:00") << "colons and umlauts stay";
  EXPECT_EQ(escape_text(std::string("a\x01"
                                    "b")),
            "ab")
      << "control characters go";
}

TEST(Ical, WritesInstantsInUtc) {
  EXPECT_EQ(utc_stamp(1796116800), "20261201T092000Z");
  EXPECT_EQ(utc_stamp(0), "19700101T000000Z");
}

TEST(Ical, FoldsAt75OctetsWithoutSplittingACharacter) {
  EXPECT_EQ(fold("SUMMARY:kurz"), "SUMMARY:kurz\r\n");
  // 74 ASCII octets and then "ü" (2 octets): the umlaut would straddle the 75-octet limit,
  // so it starts the continuation line whole.
  std::string line = std::string(74, 'a') + "üb";
  std::string folded = fold(line);
  auto lines = lines_of(folded);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], std::string(74, 'a'));
  EXPECT_EQ(lines[1], " üb");
  // Long text of multi-byte characters: every line at most 75 octets and valid UTF-8, and
  // unfolding (dropping CRLF and the space) gives the line back.
  std::string umlauts;
  for (int i = 0; i < 100; ++i) umlauts += "Ää€";
  std::string long_line = "DESCRIPTION:" + umlauts;
  auto parts = lines_of(fold(long_line));
  ASSERT_GT(parts.size(), 3u);
  std::string unfolded;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_LE(parts[i].size(), 75u) << i;
    EXPECT_TRUE(valid_utf8(parts[i].substr(i == 0 ? 0 : 1))) << i;
    if (i > 0) {
      EXPECT_EQ(parts[i][0], ' ');
    }
    unfolded += i == 0 ? parts[i] : parts[i].substr(1);
  }
  EXPECT_EQ(unfolded, long_line);
}

TEST(Ical, CalendarHasTheRequiredPropertiesAndCancelledStatus) {
  Event e{.uid = "meeting-7@example.org",
          .stamp = 1796000000,
          .start = 1796116800,
          .end = 1796124000,
          .summary = "Treffen; Teil 1, Vorbereitung",
          .sequence = 3,
          .cancelled = true};
  std::string cal = calendar({e}, "AG Ö");
  auto lines = lines_of(cal);
  ASSERT_GE(lines.size(), 10u);
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  for (const char* expected :
       {"VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:AG Ö",
        "UID:meeting-7@example.org", "DTSTAMP:20261130T005320Z", "DTSTART:20261201T092000Z",
        "DTEND:20261201T112000Z", "SEQUENCE:3", "SUMMARY:Treffen\\; Teil 1\\, Vorbereitung",
        "STATUS:CANCELLED"})
    EXPECT_NE(std::find(lines.begin(), lines.end(), expected), lines.end()) << expected;
  EXPECT_NE(cal.find("PRODID:"), std::string::npos);
  EXPECT_EQ(cal.find("LOCATION"), std::string::npos) << "no empty properties";
}

TEST(Ical, ARealParserReadsBackWhatWasWritten) {
  AH_REQUIRE_ICALENDAR(python);
  std::string agenda =
      "1. Begrüßung, Vorstellung; Ziele\n2. Aushänge \\ QR-Codes\n" + std::string(200, 'x') + "äöü";
  Event in_person{.uid = "meeting-1@beteiligung.example",
                  .stamp = 1796000000,
                  .start = 1774746000,  // 2026-03-29 03:00 CEST = 01:00 UTC
                  .end = 1774753200,
                  .summary = "Übergabe der Änderungswünsche – Größenordnung",
                  .location = "Magdeburg, Raum 2.14; Eingang B",
                  .url = "https://beteiligung.example/termine/1",
                  .description = agenda};
  Event cancelled{.uid = "meeting-2@beteiligung.example",
                  .stamp = 1796000000,
                  .start = 1792891800,
                  .end = 1792895400,
                  .summary = "Video",
                  .sequence = 2,
                  .cancelled = true};
  auto parsed = testing::parse_ics(*python, calendar({in_person, cancelled}, "AG Grün"));
  ASSERT_FALSE(parsed.contains("error")) << parsed.dump();
  EXPECT_EQ(parsed["calendar"]["VERSION"], "2.0");
  EXPECT_EQ(parsed["calendar"]["METHOD"], "PUBLISH");
  EXPECT_EQ(parsed["calendar"]["X-WR-CALNAME"], "AG Grün");
  ASSERT_EQ(parsed["events"].size(), 2u);
  const auto& first = parsed["events"][0];
  EXPECT_EQ(first["uid"], "meeting-1@beteiligung.example");
  EXPECT_EQ(first["summary"], "Übergabe der Änderungswünsche – Größenordnung");
  EXPECT_EQ(first["start"], 1774746000);
  EXPECT_EQ(first["end"], 1774753200);
  EXPECT_EQ(first["location"], "Magdeburg, Raum 2.14; Eingang B");
  EXPECT_EQ(first["description"], agenda) << "escapes and folds undone";
  EXPECT_EQ(first["url"], "https://beteiligung.example/termine/1");
  EXPECT_EQ(first["status"], "CONFIRMED");
  const auto& second = parsed["events"][1];
  EXPECT_EQ(second["status"], "CANCELLED");
  EXPECT_EQ(second["sequence"], 2);
}

}  // namespace
}  // namespace ah::modules::meetings::ical
