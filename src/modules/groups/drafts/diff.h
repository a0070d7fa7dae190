// The difference between two versions of a draft, line by line, with the changed words
// marked inside a changed line — for people comparing "Fassung 3" with "Fassung 5".
//
// Lines are compared with Myers' O(ND) algorithm after the common beginning and end are set
// aside; a removed line followed by an added one (a line that was edited) is compared again
// word by word. Words are runs of letters and digits (every byte of a multi-byte UTF-8
// character counts as a letter), runs of blanks, or single punctuation marks, so a piece
// never splits a character. The work is capped: when two texts differ in more than
// kMaxLineEdits lines (or two lines in more than kMaxWordEdits words), the diff gives up on
// the fine detail and shows the whole block (or line) as removed and added — a pathological
// input costs little and never hangs.
//
//   Diff d = diff_texts(version3.body, version5.body);
//   for (const auto& line : d.lines) ...            // inline view
//   for (const auto& row : side_by_side(d)) ...     // two columns
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ah::modules::groups::drafts {

inline constexpr int kMaxLineEdits = 2'000;
inline constexpr int kMaxWordEdits = 200;

enum class Change { same, removed, added };

// A run of a line's text: unchanged, or removed from / added to it.
struct Piece {
  Change change = Change::same;
  std::string text;
};

struct DiffLine {
  Change change = Change::same;
  int old_number = 0, new_number = 0;  // 1-based; 0 where the line is not on that side
  // The line's text in pieces: one piece for a whole-line change; for an edited line the
  // unchanged words and the removed (on a removed line) or added ones (on an added line).
  std::vector<Piece> pieces;
  std::string text() const;
};

struct Diff {
  std::vector<DiffLine> lines;  // in reading order; an edited line: removed, then added
  bool coarse = false;          // the cap was hit somewhere: shown as whole blocks
  bool identical() const;
};

Diff diff_texts(std::string_view before, std::string_view after);

// The two columns: each row has the old line, the new line, or both (an unchanged line,
// or an edited line beside its new form).
struct SideBySideRow {
  std::optional<DiffLine> left, right;
};
std::vector<SideBySideRow> side_by_side(const Diff& diff);

}  // namespace ah::modules::groups::drafts
