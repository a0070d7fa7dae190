// The diff between two versions: whole lines, words inside an edited line, UTF-8 kept
// whole, and a cap that turns a pathological input into a coarse answer instead of a hang.
#include "modules/groups/drafts/diff.h"

#include <gtest/gtest.h>

namespace ah::modules::groups::drafts {
namespace {

// The two texts a diff describes, rebuilt from it: the old one from its unchanged and
// removed lines, the new one from its unchanged and added lines.
std::pair<std::string, std::string> sides(const Diff& d) {
  std::string before, after;
  for (const auto& line : d.lines) {
    if (line.change != Change::added) before += line.text() + "\n";
    if (line.change != Change::removed) after += line.text() + "\n";
  }
  return {before, after};
}

std::string marks(const Diff& d) {
  std::string out;
  for (const auto& line : d.lines)
    out += line.change == Change::same ? '=' : line.change == Change::removed ? '-' : '+';
  return out;
}

TEST(DraftDiff, EmptyAndIdenticalTextsHaveNoChanges) {
  EXPECT_TRUE(diff_texts("", "").lines.empty());
  auto same = diff_texts("eins\nzwei\n", "eins\nzwei\n");
  EXPECT_TRUE(same.identical());
  EXPECT_EQ(marks(same), "==");
  EXPECT_EQ(same.lines[1].old_number, 2);
  EXPECT_EQ(same.lines[1].new_number, 2);
  auto from_nothing = diff_texts("", "neu");
  EXPECT_EQ(marks(from_nothing), "+");
  EXPECT_FALSE(from_nothing.identical());
  EXPECT_EQ(marks(diff_texts("alt", "")), "-");
}

TEST(DraftDiff, AnInsertedLineIsTheOnlyChange) {
  auto d = diff_texts("a\nb\nc\n", "a\nb\nneu\nc\n");
  EXPECT_EQ(marks(d), "==+=");
  EXPECT_EQ(d.lines[2].text(), "neu");
  EXPECT_EQ(d.lines[2].new_number, 3);
  EXPECT_EQ(d.lines[2].old_number, 0);
  EXPECT_EQ(d.lines[3].old_number, 3);
  EXPECT_EQ(d.lines[3].new_number, 4);
}

TEST(DraftDiff, EverythingChangedIsRemovedAndAdded) {
  auto d = diff_texts("eins\nzwei\n", "drei\nvier\nfünf\n");
  EXPECT_EQ(sides(d), (std::pair<std::string, std::string>{"eins\nzwei\n", "drei\nvier\nfünf\n"}));
  int removed = 0, added = 0;
  for (const auto& l : d.lines) (l.change == Change::removed ? removed : added) += l.change != Change::same;
  EXPECT_EQ(removed, 2);
  EXPECT_EQ(added, 3);
}

TEST(DraftDiff, AMovedLineIsRemovedWhereItWasAndAddedWhereItIs) {
  auto d = diff_texts("a\nb\nc\nd\n", "b\nc\nd\na\n");
  EXPECT_EQ(marks(d), "-===+");
  EXPECT_EQ(d.lines.front().text(), "a");
  EXPECT_EQ(d.lines.back().text(), "a");
  EXPECT_EQ(sides(d).second, "b\nc\nd\na\n");
}

TEST(DraftDiff, AnEditedLineMarksTheChangedWords) {
  auto d = diff_texts("Die Frist endet am Montag.\n", "Die Frist endet am Freitag.\n");
  ASSERT_EQ(marks(d), "-+");
  const auto& old_line = d.lines[0];
  const auto& new_line = d.lines[1];
  ASSERT_EQ(old_line.pieces.size(), 3u);
  EXPECT_EQ(old_line.pieces[0].text, "Die Frist endet am ");
  EXPECT_EQ(old_line.pieces[1].change, Change::removed);
  EXPECT_EQ(old_line.pieces[1].text, "Montag");
  EXPECT_EQ(old_line.pieces[2].text, ".");
  EXPECT_EQ(new_line.pieces[1].change, Change::added);
  EXPECT_EQ(new_line.pieces[1].text, "Freitag");
  EXPECT_EQ(new_line.text(), "Die Frist endet am Freitag.");
}

// Umlauts and other multi-byte characters stay whole in every piece.
TEST(DraftDiff, UmlautsAreNeverSplit) {
  auto d = diff_texts("Größe: groß – Übergang\n", "Größe: größer – Übergänge\n");
  ASSERT_EQ(marks(d), "-+");
  for (const auto& line : d.lines)
    for (const auto& piece : line.pieces) {
      ASSERT_FALSE(piece.text.empty());
      auto first = static_cast<unsigned char>(piece.text.front());
      EXPECT_NE(first & 0xC0, 0x80) << "piece starts inside a character: " << piece.text;
    }
  EXPECT_EQ(d.lines[0].pieces[1].text, "groß");
  EXPECT_EQ(d.lines[1].pieces[1].text, "größer");
  EXPECT_EQ(sides(d), (std::pair<std::string, std::string>{"Größe: groß – Übergang\n",
                                                           "Größe: größer – Übergänge\n"}));
  // "ä" and "ö" share their first byte (0xC3): no piece may hold only half of one.
  auto pair = diff_texts("ä", "ö");
  EXPECT_EQ(pair.lines[0].text(), "ä");
  EXPECT_EQ(pair.lines[1].text(), "ö");
}

TEST(DraftDiff, SideBySidePairsEditedLinesAndKeepsUnchangedOnesOnBothSides) {
  auto rows = side_by_side(diff_texts("a\nalt\nb\nweg\n", "a\nneu\nb\n"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].left->text(), "a");
  EXPECT_EQ(rows[0].right->text(), "a");
  EXPECT_EQ(rows[1].left->text(), "alt");
  EXPECT_EQ(rows[1].right->text(), "neu");
  EXPECT_EQ(rows[3].left->text(), "weg");
  EXPECT_FALSE(rows[3].right);
}

// 5,000 lines with a few changes finish with the exact answer; 5,000 lines that all differ
// exceed the cap and come back as one removed and one added block.
TEST(DraftDiff, LargeTextsFinishAndPathologicalOnesBecomeCoarse) {
  std::string before, after, other;
  for (int i = 0; i < 5000; ++i) {
    before += "Zeile " + std::to_string(i) + "\n";
    after += (i % 1000 == 500 ? "Geändert " : "Zeile ") + std::to_string(i) + "\n";
    other += "Anders " + std::to_string(i * 7) + " x\n";
  }
  auto few = diff_texts(before, after);
  EXPECT_FALSE(few.coarse);
  int changed = 0;
  for (const auto& l : few.lines) changed += l.change != Change::same;
  EXPECT_EQ(changed, 10);
  EXPECT_EQ(sides(few), (std::pair{before, after}));

  auto all = diff_texts(before, other);
  EXPECT_TRUE(all.coarse);
  EXPECT_EQ(all.lines.size(), 10000u);
  EXPECT_EQ(sides(all), (std::pair{before, other}));
  // Interleaved lines defeat a cheap answer too; the cap still ends the search.
  std::string zig, zag;
  for (int i = 0; i < 5000; ++i) {
    zig += (i % 2 ? "x\n" : "y\n");
    zag += (i % 3 ? "y\n" : "x\n");
  }
  auto mixed = diff_texts(zig, zag);
  EXPECT_EQ(sides(mixed), (std::pair{zig, zag}));
}

}  // namespace
}  // namespace ah::modules::groups::drafts
