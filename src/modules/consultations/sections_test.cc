#include "modules/consultations/sections.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ah::modules::consultations {
namespace {

using Strings = std::vector<std::string>;

Strings labels(const std::vector<Section>& sections) {
  Strings out;
  for (const auto& s : sections) out.push_back(s.label);
  return out;
}

Strings anchors(const std::vector<Section>& sections) {
  Strings out;
  for (const auto& s : sections) out.push_back(s.anchor);
  return out;
}

Strings texts(const std::vector<Section>& sections) {
  Strings out;
  for (const auto& s : sections) out.push_back(s.text);
  return out;
}

std::string join(const Strings& paragraphs) {
  std::string body;
  for (const auto& p : paragraphs) body += p + "\n\n";
  return body;
}

// Ten distinct paragraphs under one heading-free body.
Strings ten_paragraphs() {
  Strings out;
  for (int i = 1; i <= 10; ++i)
    out.push_back("Satz Nummer " + std::to_string(i) + " des Entwurfs.");
  return out;
}

Strings numbered_anchors(int from, int to) {
  Strings out;
  for (int i = from; i <= to; ++i) out.push_back("a" + std::to_string(i));
  return out;
}

// --- Splitting ---------------------------------------------------------------------------

TEST(SplitSections, EmptyOrBlankBodyHasNoSections) {
  EXPECT_TRUE(split_sections("", {}).empty());
  EXPECT_TRUE(split_sections(" \n\n\t\r\n  \r", {}).empty());
}

TEST(SplitSections, ParagraphOfADecree) {
  auto s = split_sections(
      "# § 3 Zuständigkeit\n\n(1) Die Gemeinde ist zuständig.\n\n(2) Der Kreis hilft.\n", {});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0],
            (Section{"a1", SectionKind::heading, 1, "§ 3 Zuständigkeit", "# § 3 Zuständigkeit"}));
  EXPECT_EQ(s[1], (Section{"a2", SectionKind::block, 0, "§ 3 Abs. 1",
                           "(1) Die Gemeinde ist zuständig."}));
  EXPECT_EQ(s[2], (Section{"a3", SectionKind::block, 0, "§ 3 Abs. 2", "(2) Der Kreis hilft."}));
}

TEST(SplitSections, AtxHeadings) {
  auto s = split_sections(
      "   ## Titel ##  \n\n    # eingerückt: Code\n\n#foo\n\n####### sieben\n\n### C#\n\n#\n", {});
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s[0].kind, SectionKind::heading);
  EXPECT_EQ(s[0].level, 2);
  EXPECT_EQ(s[0].label, "Titel");
  EXPECT_EQ(s[0].text, "   ## Titel ##");
  EXPECT_EQ(s[1].kind, SectionKind::block);  // four spaces: a code block
  EXPECT_EQ(s[2].kind, SectionKind::block);  // no blank after '#'
  EXPECT_EQ(s[2].text, "#foo");
  EXPECT_EQ(s[3].kind, SectionKind::block);  // seven marks
  EXPECT_EQ(s[4].label, "C#");               // '#' without a blank before is text
  EXPECT_EQ(s[4].level, 3);
  EXPECT_EQ(s[5].kind, SectionKind::heading);  // an empty heading
  EXPECT_EQ(s[5].label, "");
}

TEST(SplitSections, AtxHeadingInterruptsAParagraph) {
  auto s = split_sections("Vorwort\n# Teil 1\nText direkt darunter", {});
  EXPECT_EQ(texts(s), (Strings{"Vorwort", "# Teil 1", "Text direkt darunter"}));
  EXPECT_EQ(labels(s), (Strings{"Absatz 1", "Teil 1", "Teil 1, Absatz 1"}));
}

TEST(SplitSections, SetextHeadings) {
  auto s = split_sections(
      "Zuständigkeit\n=============\n\nText.\n\nErste Zeile\nzweite Zeile\n---\n\nMehr.\n\n---\n",
      {});
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].kind, SectionKind::heading);
  EXPECT_EQ(s[0].level, 1);
  EXPECT_EQ(s[0].text, "Zuständigkeit\n=============");
  EXPECT_EQ(s[2].kind, SectionKind::heading);
  EXPECT_EQ(s[2].level, 2);
  EXPECT_EQ(s[4].kind, SectionKind::block);  // after a blank line "---" is a rule
  EXPECT_EQ(labels(s),
            (Strings{"Zuständigkeit", "Zuständigkeit, Absatz 1", "Erste Zeile zweite Zeile",
                     "Erste Zeile zweite Zeile, Absatz 1", "Erste Zeile zweite Zeile, Absatz 2"}));
}

TEST(SplitSections, UnderlineBelowAListOrTableIsNoHeading) {
  auto s = split_sections("- Punkt\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", {});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].kind, SectionKind::block);
  EXPECT_EQ(s[1].kind, SectionKind::block);
  EXPECT_EQ(s[1].text, "| a | b |\n|---|---|\n| 1 | 2 |");
}

TEST(SplitSections, FencedCodeBlockWithBlankLinesStaysOneBlock) {
  const std::string fence = "```text\nerste\n\n# kein Titel\n\n(2) kein Absatz\n```";
  auto s = split_sections("Vorher\n\n" + fence + "\n\n~~~\na\n\n\nb\n~~~\n\nNachher\n", {});
  EXPECT_EQ(texts(s), (Strings{"Vorher", fence, "~~~\na\n\n\nb\n~~~", "Nachher"}));
  EXPECT_EQ(labels(s), (Strings{"Absatz 1", "Absatz 2", "Absatz 3", "Absatz 4"}));
}

TEST(SplitSections, UnclosedFenceRunsToTheEnd) {
  auto s = split_sections("Text\n\n````\nCode\n\n# Titel\n```\n\nNoch Code", {});
  EXPECT_EQ(texts(s), (Strings{"Text", "````\nCode\n\n# Titel\n```\n\nNoch Code"}));
}

TEST(SplitSections, LooseListStaysOneBlock) {
  const std::string list =
      "- eins\n\n- zwei\n\n  Fortsetzung von zwei\n\n  ```\n  a\n\n  b\n  ```\n\n- drei";
  auto s = split_sections("# Liste\n\n" + list + "\n\nDanach ein Absatz.\n\n1. a\n\n2. b\n", {});
  EXPECT_EQ(texts(s), (Strings{"# Liste", list, "Danach ein Absatz.", "1. a\n\n2. b"}));
  // The ordered list has several items: counted, not read as "Abs. 1".
  EXPECT_EQ(labels(s), (Strings{"Liste", "Liste, Absatz 1", "Liste, Absatz 2", "Liste, Absatz 3"}));
}

TEST(SplitSections, IndentedCodeWithBlankLinesStaysOneBlock) {
  auto s = split_sections("Beispiel:\n\n    x = 1\n\n    y = 2\n\nEnde", {});
  EXPECT_EQ(texts(s), (Strings{"Beispiel:", "    x = 1\n\n    y = 2", "Ende"}));
}

TEST(SplitSections, CrlfAndTrailingSpaces) {
  auto crlf =
      split_sections("# Titel  \r\n\r\nZeile eins   \r\nZeile zwei  \r\n\r\n(2) Zwei\r", {});
  EXPECT_EQ(texts(crlf), (Strings{"# Titel", "Zeile eins   \nZeile zwei", "(2) Zwei"}));
  EXPECT_EQ(labels(crlf), (Strings{"Titel", "Titel, Absatz 1", "Titel, Abs. 2"}));
  // Old Mac line ends (a lone CR) end lines too.
  EXPECT_EQ(texts(split_sections("# Titel\r\rText\r", {})), (Strings{"# Titel", "Text"}));
  EXPECT_EQ(split_sections("# Titel\n\nZeile eins   \nZeile zwei\n\n(2) Zwei", {}), crlf);
}

TEST(SplitSections, Utf8AndNoBreakSpaceAfterParagraphSign) {
  auto s = split_sections(
      "# §\u00a03 Zuständigkeit für Gewässer\n\n(1) Die Gemeinde …\n\n"
      "# §3a Übergang\n\n(1) Bis dahin …\n\n## Überleitung\n\nÄnderungen …\n",
      {});
  EXPECT_EQ(labels(s), (Strings{"§\u00a03 Zuständigkeit für Gewässer", "§ 3 Abs. 1", "§3a Übergang",
                                "§ 3a Abs. 1", "Überleitung", "Überleitung, Absatz 1"}));
}

TEST(SplitSections, LabelsUnderHeadingsWithoutNumbers) {
  auto s =
      split_sections("## Zuständigkeit\n\nErster Absatz.\n\nZweiter Absatz.\n\n(3) Dritter.\n", {});
  EXPECT_EQ(labels(s), (Strings{"Zuständigkeit", "Zuständigkeit, Absatz 1",
                                "Zuständigkeit, Absatz 2", "Zuständigkeit, Abs. 3"}));
}

TEST(SplitSections, LabelsBeforeAnyHeadingAndCountsRestartUnderEachHeading) {
  auto s = split_sections("Präambel.\n\n(2) Zweitens.\n\n# A\n\nx\n\ny\n\n# B\n\nz\n", {});
  EXPECT_EQ(labels(s),
            (Strings{"Absatz 1", "Abs. 2", "A", "A, Absatz 1", "A, Absatz 2", "B", "B, Absatz 1"}));
}

TEST(SplitSections, ArticlesHaveTheShortFormArt) {
  auto s = split_sections(
      "# Artikel 2 Änderung des Kommunalverfassungsgesetzes\n\n(1) Text.\n\nText.\n\n"
      "# Art. 4\n\nText.\n\n# Artikelgesetz\n\n(1) Text.\n",
      {});
  EXPECT_EQ(labels(s), (Strings{"Artikel 2 Änderung des Kommunalverfassungsgesetzes",
                                "Art. 2 Abs. 1", "Art. 2, Absatz 2", "Art. 4", "Art. 4, Absatz 1",
                                "Artikelgesetz", "Artikelgesetz, Abs. 1"}));
}

TEST(SplitSections, NumberedParagraphsAndLists) {
  auto s = split_sections(
      "# § 5 Fristen\n\n(1) Erstens:\n\n- a\n- b\n\n(2) Zweitens.\n\n3. Einzeln\n\n4) Auch "
      "einzeln\n\n"
      "(1)ohne Leerzeichen\n\n(12a) Mit Buchstabe\n",
      {});
  EXPECT_EQ(labels(s), (Strings{"§ 5 Fristen", "§ 5 Abs. 1", "§ 5, Absatz 2", "§ 5 Abs. 2",
                                "§ 5 Abs. 3", "§ 5 Abs. 4", "§ 5, Absatz 6", "§ 5 Abs. 12a"}));
  // "1. Einleitung" alone is a numbered paragraph; with a second item it is a list.
  EXPECT_EQ(labels(split_sections("1. Einleitung\n", {})), (Strings{"Abs. 1"}));
  EXPECT_EQ(labels(split_sections("1. Einleitung\n2. Ziele\n", {})), (Strings{"Absatz 1"}));
  EXPECT_EQ(labels(split_sections("1. Einleitung\n   - nested\n", {})), (Strings{"Absatz 1"}));
}

TEST(SplitSections, HeadingLabelsLoseMarkup) {
  auto s = split_sections(
      "# **§ 7** [Datenschutz](https://example.org/dsgvo) \\*neu\\*\n\n(1) x\n\n"
      "## `snake_case` und _kursiv_\n\n#   Viel    Platz   #\n\n### Paragraf §§ 3 bis 5\n\nx\n",
      {});
  EXPECT_EQ(labels(s),
            (Strings{"§ 7 Datenschutz *neu*", "§ 7 Abs. 1", "snake_case und kursiv", "Viel Platz",
                     "Paragraf §§ 3 bis 5", "Paragraf §§ 3 bis 5, Absatz 1"}));
  EXPECT_EQ(labels(split_sections("# §§ 3 bis 5\n\n(1) x", {}))[1], "§§ 3 bis 5, Abs. 1");
}

TEST(SplitSections, EmptyHeadingCountsLikeNoHeading) {
  EXPECT_EQ(labels(split_sections("#\n\nText\n\n(2) Zwei\n", {})),
            (Strings{"", "Absatz 1", "Abs. 2"}));
}

TEST(SplitSections, QuotationsAndRulesAreBlocks) {
  auto s = split_sections("> Zitat\n>\n> weiter\n\n***\n\nText\n", {});
  EXPECT_EQ(texts(s), (Strings{"> Zitat\n>\n> weiter", "***", "Text"}));
}

// --- Anchors -----------------------------------------------------------------------------

TEST(SectionAnchors, FirstRoundCountsFromOneOrAboveTheFloor) {
  auto body = join(ten_paragraphs());
  EXPECT_EQ(anchors(split_sections(body, {})), numbered_anchors(1, 10));
  EXPECT_EQ(anchors(split_sections(body, {}, 40)), numbered_anchors(41, 50));
}

TEST(SectionAnchors, EditingParagraphFiveOfTenKeepsAllTen) {
  auto paragraphs = ten_paragraphs();
  auto round1 = split_sections(join(paragraphs), {});
  paragraphs[4] = "Satz Nummer 5, jetzt ganz anders formuliert.";
  auto round2 = split_sections(join(paragraphs), round1);
  EXPECT_EQ(anchors(round2), numbered_anchors(1, 10));
  EXPECT_EQ(round2[4].text, paragraphs[4]);
}

TEST(SectionAnchors, InsertedParagraphGetsANewNumberAboveTheHighest) {
  auto paragraphs = ten_paragraphs();
  auto round1 = split_sections(join(paragraphs), {});
  paragraphs.insert(paragraphs.begin() + 3, "Ein neuer Satz zwischen 3 und 4.");
  auto round2 = split_sections(join(paragraphs), round1);
  EXPECT_EQ(anchors(round2),
            (Strings{"a1", "a2", "a3", "a11", "a4", "a5", "a6", "a7", "a8", "a9", "a10"}));
  EXPECT_EQ(anchors(split_sections(join(paragraphs), round1, 20))[3], "a21");
  EXPECT_EQ(anchors(split_sections(join(paragraphs), round1, 5))[3], "a11");  // floor below
}

TEST(SectionAnchors, DeletingAParagraphKeepsTheOthers) {
  auto paragraphs = ten_paragraphs();
  auto round1 = split_sections(join(paragraphs), {});
  paragraphs.erase(paragraphs.begin() + 6);
  auto round2 = split_sections(join(paragraphs), round1);
  EXPECT_EQ(anchors(round2), (Strings{"a1", "a2", "a3", "a4", "a5", "a6", "a8", "a9", "a10"}));
}

TEST(SectionAnchors, AMovedParagraphKeepsItsAnchor) {
  auto paragraphs = ten_paragraphs();
  auto round1 = split_sections(join(paragraphs), {});
  auto moved = paragraphs[1];
  paragraphs.erase(paragraphs.begin() + 1);
  paragraphs.insert(paragraphs.begin() + 7, moved);
  auto round2 = split_sections(join(paragraphs), round1);
  EXPECT_EQ(anchors(round2),
            (Strings{"a1", "a3", "a4", "a5", "a6", "a7", "a8", "a2", "a9", "a10"}));
}

TEST(SectionAnchors, AMovedAndEditedParagraphIsNewAndItsOldAnchorGoes) {
  auto paragraphs = ten_paragraphs();
  auto round1 = split_sections(join(paragraphs), {});
  paragraphs.erase(paragraphs.begin() + 1);
  paragraphs.insert(paragraphs.begin() + 7, "Satz Nummer 2, verschoben und geändert.");
  auto round2 = split_sections(join(paragraphs), round1);
  EXPECT_EQ(anchors(round2),
            (Strings{"a1", "a3", "a4", "a5", "a6", "a7", "a8", "a11", "a9", "a10"}));
}

TEST(SectionAnchors, ACompletelyRewrittenTextIsPairedByPosition) {
  auto round1 = split_sections(join(ten_paragraphs()), {});
  Strings longer, shorter;
  for (int i = 1; i <= 12; ++i)
    longer.push_back("Neu geschrieben, Teil " + std::to_string(i) + ".");
  for (int i = 1; i <= 8; ++i) shorter.push_back("Kürzer, Teil " + std::to_string(i) + ".");
  EXPECT_EQ(anchors(split_sections(join(longer), round1)), numbered_anchors(1, 12));
  EXPECT_EQ(anchors(split_sections(join(shorter), round1)), numbered_anchors(1, 8));
}

TEST(SectionAnchors, WhitespaceAndLineEndingsDoNotChangeAnchors) {
  auto round1 = split_sections("# Titel\n\nErste Zeile und\nzweite Zeile.\n\nNoch einer.\n", {});
  auto round2 = split_sections(
      "#   Titel\r\n\r\nErste Zeile   und zweite\r\nZeile.  \r\n\r\n\r\n(X) Neu\r\n\r\nNoch einer.",
      round1);
  EXPECT_EQ(anchors(round2), (Strings{"a1", "a2", "a4", "a3"}));
}

TEST(SectionAnchors, InsertedBeforeAnEditedParagraphTakesItsAnchorByPosition) {
  // The documented limit of pairing by position within a run of changes.
  auto paragraphs = ten_paragraphs();
  auto round1 = split_sections(join(paragraphs), {});
  paragraphs[4] = "Satz 5 geändert.";
  paragraphs.insert(paragraphs.begin() + 4, "Ganz neu.");
  auto round2 = split_sections(join(paragraphs), round1);
  EXPECT_EQ(round2[4].anchor, "a5");
  EXPECT_EQ(round2[5].anchor, "a11");
}

TEST(SectionAnchors, ADeletedAnchorComesBackOnlyWithoutTheFloor) {
  Strings paragraphs;
  for (int i = 1; i <= 12; ++i) paragraphs.push_back("Absatz " + std::to_string(i));
  auto round1 = split_sections(join(paragraphs), {});
  const std::int64_t highest_ever = highest_anchor(round1);
  ASSERT_EQ(highest_ever, 12);
  paragraphs.pop_back();  // a12 goes
  auto round2 = split_sections(join(paragraphs), round1, highest_ever);
  EXPECT_EQ(anchors(round2), numbered_anchors(1, 11));
  paragraphs.push_back("Ein anderer letzter Absatz");
  // Aligned with round 2 alone, 12 would be issued again for another paragraph …
  EXPECT_EQ(split_sections(join(paragraphs), round2).back().anchor, "a12");
  // … with the consultation's highest number ever it is not.
  EXPECT_EQ(split_sections(join(paragraphs), round2, highest_ever).back().anchor, "a13");
}

TEST(SectionAnchors, AnchorsAcrossThreeRounds) {
  auto p = ten_paragraphs();
  auto r1 = split_sections(join(p), {});
  p.insert(p.begin(), "Vorweg.");
  auto r2 = split_sections(join(p), r1);
  p.erase(p.begin() + 5);
  p[8] = "Geändert in Runde 3.";
  auto r3 = split_sections(join(p), r2, std::max(highest_anchor(r1), highest_anchor(r2)));
  EXPECT_EQ(anchors(r3), (Strings{"a11", "a1", "a2", "a3", "a4", "a6", "a7", "a8", "a9", "a10"}));
}

TEST(SectionAnchors, MalformedPreviousAnchorsAreNotCarriedOn) {
  auto previous = split_sections("Eins\n\nZwei\n", {});
  previous[0].anchor = "x";
  previous[1].anchor = "a7";
  EXPECT_EQ(anchors(split_sections("Eins\n\nZwei\n", previous)), (Strings{"a8", "a7"}));
}

TEST(SectionAnchors, FiveThousandParagraphs) {
  Strings paragraphs;
  for (int i = 1; i <= 5000; ++i)
    paragraphs.push_back("Absatz " + std::to_string(i) + " des Textes.");
  auto round1 = split_sections(join(paragraphs), {});
  ASSERT_EQ(round1.size(), 5000u);
  // One edit and one insertion in the middle: everything else keeps its anchor.
  paragraphs[2500] = "Geändert.";
  paragraphs.insert(paragraphs.begin() + 100, "Eingefügt.");
  auto round2 = split_sections(join(paragraphs), round1);
  EXPECT_EQ(round2[100].anchor, "a5001");
  EXPECT_EQ(round2[2501].anchor, "a2501");
  EXPECT_EQ(round2.back().anchor, "a5000");
  // Every paragraph rewritten: far beyond the cap, paired by position.
  Strings rewritten;
  for (int i = 1; i <= 5001; ++i) rewritten.push_back("Neu " + std::to_string(i));
  auto round3 = split_sections(join(rewritten), round2);
  EXPECT_EQ(anchors(round3), anchors(round2));
  // Reversed: beyond the cap too, but every paragraph is unchanged and keeps its anchor.
  Strings reversed(rewritten.rbegin(), rewritten.rend());
  auto round4 = split_sections(join(reversed), round3);
  ASSERT_EQ(round4.size(), round3.size());
  for (std::size_t i = 0; i < round4.size(); ++i)
    ASSERT_EQ(round4[i].anchor, round3[round3.size() - 1 - i].anchor) << i;
}

TEST(SectionAnchors, HighestAnchor) {
  EXPECT_EQ(highest_anchor({}), 0);
  std::vector<Section> sections(6);
  sections[0].anchor = "a3";
  sections[1].anchor = "a12";
  sections[2].anchor = "b99";
  sections[3].anchor = "a";
  sections[4].anchor = "a-1";
  sections[5].anchor = "a99999999999999999999999";  // does not fit: not an anchor
  EXPECT_EQ(highest_anchor(sections), 12);
}

// --- Synopsis ----------------------------------------------------------------------------

struct Row {
  std::string before, after;  // "-" for a missing side
  bool changed;
  friend bool operator==(const Row&, const Row&) = default;
};

void PrintTo(const Row& r, std::ostream* os) {
  *os << "{" << r.before << " | " << r.after << " | " << (r.changed ? "changed" : "same") << "}";
}

std::vector<Row> rows(const std::vector<SynopsisRow>& synopsis) {
  std::vector<Row> out;
  for (const auto& r : synopsis)
    out.push_back({r.before ? r.before->text : "-", r.after ? r.after->text : "-", r.changed()});
  return out;
}

TEST(Synopsis, Unchanged) {
  auto before = split_sections("# T\n\nA\n\nB", {});
  auto after = split_sections("# T\n\nA\n\nB", before);
  auto s = synopsis(before, after);
  EXPECT_EQ(rows(s),
            (std::vector<Row>{{"# T", "# T", false}, {"A", "A", false}, {"B", "B", false}}));
  EXPECT_EQ(s[1].before, &before[1]);
  EXPECT_EQ(s[1].after, &after[1]);
}

TEST(Synopsis, EditedInsertedAndWhitespace) {
  auto before = split_sections("A\n\nB\n\nC", {});
  auto after = split_sections("A\n\nB neu\n\nX\n\nC  \r\n", before);
  EXPECT_EQ(rows(synopsis(before, after)),
            (std::vector<Row>{
                {"A", "A", false}, {"B", "B neu", true}, {"-", "X", true}, {"C", "C", false}}));
}

TEST(Synopsis, RemovedStandWhereTheyStood) {
  auto before = split_sections("A\n\nB\n\nC\n\nD\n\nE", {});
  auto after = split_sections("B\n\nC\n\nE", before);
  EXPECT_EQ(rows(synopsis(before, after)), (std::vector<Row>{{"A", "-", true},
                                                             {"B", "B", false},
                                                             {"C", "C", false},
                                                             {"D", "-", true},
                                                             {"E", "E", false}}));
  EXPECT_EQ(rows(synopsis(before, {})), (std::vector<Row>{{"A", "-", true},
                                                          {"B", "-", true},
                                                          {"C", "-", true},
                                                          {"D", "-", true},
                                                          {"E", "-", true}}));
  EXPECT_EQ(rows(synopsis({}, before)).front(), (Row{"-", "A", true}));
}

TEST(Synopsis, ReorderedFollowsTheLaterRoundAndRemovedStayBesideTheirNeighbour) {
  auto before = split_sections("A\n\nB\n\nC\n\nD", {});
  auto after = split_sections("C\n\nA\n\nD", before);  // C moved up, B removed
  EXPECT_EQ(anchors(after), (Strings{"a3", "a1", "a4"}));
  EXPECT_EQ(rows(synopsis(before, after)),
            (std::vector<Row>{
                {"C", "C", false}, {"A", "A", false}, {"B", "-", true}, {"D", "D", false}}));
}

}  // namespace
}  // namespace ah::modules::consultations
