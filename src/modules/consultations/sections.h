// A consultation's draft text cut into the pieces people comment on: headings and
// paragraphs, each with a label a person can cite ("§ 3 Abs. 2") and an anchor that stays
// the same from one round's text to the next as long as the piece itself is there.
//
//   auto round1 = split_sections(body1, {});             // anchors a1, a2, a3 …
//   auto round2 = split_sections(body2, round1);         // unchanged pieces keep theirs
//
// Splitting: the Markdown text is read block by block (lines end with "\n", "\r\n" or "\r";
// a line of only blanks is blank). A heading is one section: an ATX heading ("#"…"######"
// followed by a blank or the line's end, at most 3 spaces in front, a closing run of "#"
// dropped; "#foo" is no heading) or a setext heading (a paragraph underlined with "===" for
// level 1 or "---" for level 2; the whole paragraph is the heading). Every other block — a
// paragraph, a list, a quotation, a table, a code block, a rule, separated by blank lines —
// is one section. Blank lines do not split a fenced code block (``` or ~~~, up to its
// closing fence or the end of the text), a list whose next item or indented continuation
// follows after blank lines (a "loose list"), or an indented code block. Text before the
// first heading belongs to no heading. A section's text keeps its lines as written, joined
// by "\n", without blanks at its end.
//
// Labels: a heading's label is its text without the #-marks, emphasis and code marks,
// backslash escapes and link targets, blank runs as one space ("§ 3 Zuständigkeit"). A
// heading's short form is "§ 3" when it begins with "§" and a number ("§3", "§ 3a", a
// no-break space after "§" too) and "Art. 2" when it begins with "Artikel 2" or "Art. 2";
// other headings have none. A paragraph that begins with its own number is labelled with
// that number: "(2)" / "(2a)" always, "2." / "2)" only when the block is that one list
// item and no other (a block of several items is a list, counted like any block — so in
// "1. Einleitung" alone the 1 is a number, in "1. a\n2. b" it is not). Its label is
// "§ 3 Abs. 2" under a heading with a short form, "Zuständigkeit, Abs. 2" under another,
// "Abs. 2" before any heading. Other blocks are counted within their heading (the count of
// all blocks under it, numbered ones included): "§ 3, Absatz 4", "Zuständigkeit, Absatz 4",
// "Absatz 4" before any heading (or under an empty heading "#"). Labels are German text,
// as the documents are German; they are data, not UI. They are not unique: two "(1)" under
// one heading both get "… Abs. 1".
//
// Anchors: "a" followed by a number, unique within a consultation and never reused. When
// `previous` (the sections of the round before) is given, the new sections are aligned
// with it by their text (Myers over the blocks' normalised text — whitespace runs count as
// one blank, ends trimmed — capped by base/edit_script.h):
//   1. a section whose text is unchanged in place keeps its anchor;
//   2. a section whose text is unchanged but moved elsewhere (removed in one place, added
//      in another) keeps its anchor too, so comments follow a moved paragraph;
//   3. within a run of changed sections between two unchanged ones, the k-th changed new
//      section takes the anchor of the k-th changed old section left in that run (an
//      edited paragraph stays "the same paragraph" for its comments). A completely
//      rewritten text is one run: its sections take the old anchors by position. Beyond
//      1,000 section edits the search gives up and the whole changed middle is one run;
//   4. the other new sections get new numbers above max(`floor`, every number used in
//      `previous`), in reading order.
// So anchors stay stable when only other paragraphs change, and an edited paragraph is
// matched to its earlier version in the synopsis. A limit of rule 3: a paragraph inserted
// right before an edited one in the same run takes the edited one's anchor (and the edited
// one gets a new number), since pairing is by position, not by similarity.
// Reuse: an anchor deleted in round 2 is not in round 2's sections, so aligning round 3
// with round 2 alone could issue its number again. Pass the highest anchor number ever
// issued in the consultation as `floor` (store it per consultation; highest_anchor of each
// new round raises it) and no number ever comes back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ah::modules::consultations {

enum class SectionKind { heading, block };

struct Section {
  std::string anchor;  // "a12"
  SectionKind kind = SectionKind::block;
  int level = 0;      // 1–6 for headings, 0 for blocks
  std::string label;  // "§ 3 Abs. 2"
  std::string text;   // the Markdown source of the block, without trailing newlines
  friend bool operator==(const Section&, const Section&) = default;
};

// The sections of `body` in reading order; anchors continued from `previous` (see above),
// new numbers above max(`floor`, highest_anchor(previous)). An empty or blank body has no
// sections. Any bytes are accepted (invalid UTF-8 is kept as it is; escape on output).
std::vector<Section> split_sections(std::string_view body, const std::vector<Section>& previous,
                                    std::int64_t floor = 0);

// The highest anchor number in `sections` (0 for none; anchors not of the form "a<number>"
// count as none).
std::int64_t highest_anchor(const std::vector<Section>& sections);

// The two texts of one place in a synopsis: a section of the earlier round beside the one
// of the later round with the same anchor; one side empty where a section was removed or
// added. In the later round's order; a removed section right after the row of the nearest
// section above it in the earlier round that is still there (at the top when none is), so
// it stays beside its old neighbour even when sections were reordered. The rows point into
// `before` and `after`, which must outlive them.
struct SynopsisRow {
  const Section* before = nullptr;  // nullptr: added in the later round
  const Section* after = nullptr;   // nullptr: removed in the later round
  bool changed() const;             // texts differ beyond whitespace, or one side is missing
};
std::vector<SynopsisRow> synopsis(const std::vector<Section>& before,
                                  const std::vector<Section>& after);

}  // namespace ah::modules::consultations
