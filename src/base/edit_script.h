// The shortest edit script between two sequences, for everything that compares versions:
// the drafts' line and word diff (modules/groups/drafts/diff.h) and the consultations'
// alignment of sections from one round to the next (modules/consultations/sections.h).
//
// Items are integers (give equal texts equal numbers first, e.g. with SymbolTable). The
// common beginning and end are set aside, the middle is searched with Myers' O(ND)
// algorithm. The search is capped: when the middle needs more than `max_edits` edits, the
// answer is "remove all of the old middle, add all of the new one" and `coarse` is set, so a
// pathological input costs O((n + m) * max_edits) time and O(max_edits²) memory and never
// hangs.
//
//   SymbolTable symbols;
//   auto ops = edit_script(symbols.of(old_lines), symbols.of(new_lines), 2'000, coarse);
//   // ops: keep/remove/add in reading order; keep and remove consume an old item,
//   // keep and add a new one.
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

namespace ah {

enum class EditOp { keep, remove, add };

std::vector<EditOp> edit_script(const std::vector<int>& before, const std::vector<int>& after,
                                int max_edits, bool& coarse);

// Equal texts get equal numbers, so that edit_script compares integers. The views must
// outlive the table.
class SymbolTable {
 public:
  std::vector<int> of(const std::vector<std::string_view>& texts);

 private:
  std::unordered_map<std::string_view, int> ids_;
};

}  // namespace ah
