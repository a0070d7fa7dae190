// A consultation's draft text cut into the pieces people comment on: headings and
// paragraphs, each with a label a person can cite ("§ 3 Abs. 2") and an anchor that stays
// the same from one round's text to the next as long as the piece itself is there.
//
//   auto round1 = split_sections(body1, {});             // anchors a1, a2, a3 …
//   auto round2 = split_sections(body2, round1);         // unchanged pieces keep theirs
//
// Splitting: the Markdown text is read block by block. A heading line (ATX "#"…"######")
// is one section; every other block — a paragraph, a list, a quotation, a table, a code
// block, separated by blank lines — is one section. Text before the first heading belongs
// to no heading. Fenced code blocks (``` or ~~~) are never split at their blank lines.
//
// Labels: a heading's label is its text without the #-marks ("§ 3 Zuständigkeit"). A
// paragraph that begins with its own number — "(2)", "2.", "2)" — is labelled with that
// number under its heading's short form ("§ 3 Abs. 2" when the heading begins with
// "§ 3"; else "Zuständigkeit, Abs. 2"); other blocks are counted within their heading
// ("§ 3, Absatz 4" — the count of blocks under that heading). Before any heading:
// "Absatz 4". Labels are German text, as the documents are German; they are data, not UI.
//
// Anchors: "a" followed by a number, unique within a consultation and never reused. When
// `previous` (the sections of the round before) is given, the new sections are aligned
// with it by their text (Myers over the blocks' normalised text: whitespace runs count as
// one blank): a section whose text is unchanged keeps its anchor; within a run of changed
// sections, a changed section takes the anchor of the old section at the same place in
// that run when there is one (an edited paragraph stays "the same paragraph" for its
// comments); inserted sections get new numbers above every number used in `previous`.
// So anchors stay stable when only other paragraphs change, and an edited paragraph is
// matched to its earlier version in the synopsis.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ah::modules::consultations {

enum class SectionKind { heading, block };

struct Section {
  std::string anchor;   // "a12"
  SectionKind kind = SectionKind::block;
  int level = 0;        // 1–6 for headings, 0 for blocks
  std::string label;    // "§ 3 Abs. 2"
  std::string text;     // the Markdown source of the block, without trailing newlines
  friend bool operator==(const Section&, const Section&) = default;
};

// The sections of `body` in reading order; anchors continued from `previous` (see above).
// An empty or blank body has no sections.
std::vector<Section> split_sections(std::string_view body, const std::vector<Section>& previous);

// The highest anchor number in `sections` (0 for none).
std::int64_t highest_anchor(const std::vector<Section>& sections);

// The two texts of one place in a synopsis: a section of the earlier round beside the one
// of the later round with the same anchor; one side empty where a section was removed or
// added. In the later round's order, removed sections at the place they stood.
struct SynopsisRow {
  const Section* before = nullptr;  // nullptr: added in the later round
  const Section* after = nullptr;   // nullptr: removed in the later round
  bool changed() const;             // texts differ (or one side missing)
};
std::vector<SynopsisRow> synopsis(const std::vector<Section>& before,
                                  const std::vector<Section>& after);

}  // namespace ah::modules::consultations
