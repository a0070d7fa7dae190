#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "markdown/markdown.h"

namespace ah::markdown {
namespace {

std::vector<std::string> anchors(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& section : sections(text)) out.push_back(section.anchor);
  return out;
}

const char* const draft =
    "# Satzung\n\n"
    "## § 1 Name\n\n"
    "Der Verein führt den Namen *Augenhöhe*.\n\n"
    "## § 2 Zweck\n\n"
    "Zweck ist die Beteiligung.\n\n"
    "- Beratung\n- Abstimmung\n  - online\n  - vor Ort\n\n"
    "> Ein zitierter Absatz.\n\n"
    "| Tabelle |\n|---|\n| ist kein Abschnitt |\n\n"
    "```\nCode auch nicht\n```\n";

TEST(Sections, KindsLevelsAndTexts) {
  const auto list = sections(draft);
  ASSERT_EQ(list.size(), 10u);
  const auto expect = [&](std::size_t i, SectionKind kind, int level, std::string_view text) {
    EXPECT_EQ(list[i].kind, kind) << i;
    EXPECT_EQ(list[i].level, level) << i;
    EXPECT_EQ(list[i].text, text) << i;
  };
  expect(0, SectionKind::heading, 1, "Satzung");
  expect(1, SectionKind::heading, 2, "§ 1 Name");
  expect(2, SectionKind::paragraph, 0, "Der Verein führt den Namen Augenhöhe.");
  expect(3, SectionKind::heading, 2, "§ 2 Zweck");
  expect(4, SectionKind::paragraph, 0, "Zweck ist die Beteiligung.");
  expect(5, SectionKind::list_item, 1, "Beratung");
  expect(6, SectionKind::list_item, 1, "Abstimmung");  // without its nested list
  expect(7, SectionKind::list_item, 2, "online");
  expect(8, SectionKind::list_item, 2, "vor Ort");
  expect(9, SectionKind::paragraph, 0, "Ein zitierter Absatz.");
}

TEST(Sections, AnchorFollowsTheDocumentedRule) {
  // FNV-1a 64 computed here independently of the library.
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : std::string_view("Satzung")) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  EXPECT_EQ(sections("# Satzung")[0].anchor, "h-" + std::string(hex, 12));
  EXPECT_EQ(sections("Satzung")[0].anchor, "p-" + std::string(hex, 12));
  EXPECT_EQ(sections("- Satzung")[0].anchor, "li-" + std::string(hex, 12));
  // Pinned values: anchors are stored with comments, so a change here orphans them.
  EXPECT_EQ(sections("Satzung")[0].anchor, "p-43756a162976");
  EXPECT_EQ(sections("- [ ] Ein  *Punkt*\n  mit Umbruch")[0].anchor, "li-95178efa98b4");
}

TEST(Sections, AnchorsAreStableWhenOtherParagraphsChange) {
  const auto before = anchors(draft);
  std::string edited = draft;
  edited.replace(edited.find("Zweck ist die Beteiligung."), 26, "Zweck ist die Mitbestimmung.");
  const auto after = anchors(edited);
  ASSERT_EQ(before.size(), after.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (i == 4) {
      EXPECT_NE(before[i], after[i]) << "the edited paragraph gets a new anchor";
    } else {
      EXPECT_EQ(before[i], after[i]) << i;
    }
  }
  // Inserting and removing other sections, rewrapping and adding emphasis keep anchors.
  const std::string reshaped =
      "Neue Einleitung.\n\n# Satzung\n\n## § 1 Name\n\n"
      "Der Verein führt\nden Namen **Augenhöhe**.\n\n## § 2 Zweck\n\n"
      "Zweck ist die Beteiligung.\n\n- Beratung\n- Abstimmung\n  - online\n  - vor Ort\n";
  const auto moved = anchors(reshaped);
  ASSERT_EQ(moved.size(), 10u);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(moved[i + 1], before[i]) << i;
}

TEST(Sections, EqualTextsAreNumberedInOrder) {
  const auto list = anchors("Ja.\n\nNein.\n\nJa.\n\n# Ja.\n\nJa.");
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[2], list[0] + "-2");
  EXPECT_EQ(list[4], list[0] + "-3");
  EXPECT_EQ(list[3], "h" + list[0].substr(1));  // same hash, the heading's own prefix
  // Editing the middle "Nein." keeps all others, and editing one "Ja." renumbers only the
  // later equal texts.
  const auto edited = anchors("Ja.\n\nVielleicht.\n\nJa.\n\n# Ja.\n\nJa.");
  EXPECT_EQ(edited[0], list[0]);
  EXPECT_EQ(edited[2], list[2]);
  EXPECT_EQ(edited[4], list[4]);
}

TEST(Sections, InvalidUtf8DoesNotBreakThem) {
  const auto list = sections(
      "a\xFF"
      "b");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].text,
            "a\xEF\xBF\xBD"
            "b");
}

}  // namespace
}  // namespace ah::markdown
