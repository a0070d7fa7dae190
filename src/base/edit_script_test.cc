#include "base/edit_script.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace ah {
namespace {

// Applies `ops` to `before` and checks that every item is consumed and `after` comes out.
std::vector<int> apply(const std::vector<EditOp>& ops, const std::vector<int>& before,
                       const std::vector<int>& after) {
  std::vector<int> out;
  std::size_t i = 0, j = 0;
  for (EditOp op : ops) {
    if (op == EditOp::keep) {
      EXPECT_EQ(before.at(i), after.at(j));
      out.push_back(before.at(i));
      ++i, ++j;
    } else if (op == EditOp::remove) {
      ++i;
    } else {
      out.push_back(after.at(j++));
    }
  }
  EXPECT_EQ(i, before.size());
  EXPECT_EQ(j, after.size());
  return out;
}

int count(const std::vector<EditOp>& ops, EditOp which) {
  return static_cast<int>(std::count(ops.begin(), ops.end(), which));
}

TEST(EditScript, FindsTheShortestScript) {
  // The classic example from Myers' paper: ABCABBA -> CBABAC needs 5 edits (LCS of 4).
  SymbolTable symbols;
  auto a = symbols.of({"A", "B", "C", "A", "B", "B", "A"});
  auto b = symbols.of({"C", "B", "A", "B", "A", "C"});
  bool coarse = false;
  auto ops = edit_script(a, b, 100, coarse);
  EXPECT_FALSE(coarse);
  EXPECT_EQ(apply(ops, a, b), b);
  EXPECT_EQ(count(ops, EditOp::keep), 4);
  EXPECT_EQ(count(ops, EditOp::remove) + count(ops, EditOp::add), 5);
}

TEST(EditScript, EmptyAndEqualSequences) {
  bool coarse = false;
  EXPECT_TRUE(edit_script({}, {}, 10, coarse).empty());
  EXPECT_EQ(edit_script({}, {1, 2}, 10, coarse), (std::vector{EditOp::add, EditOp::add}));
  EXPECT_EQ(edit_script({1, 2}, {}, 10, coarse), (std::vector{EditOp::remove, EditOp::remove}));
  EXPECT_EQ(edit_script({1, 2}, {1, 2}, 0, coarse), (std::vector{EditOp::keep, EditOp::keep}));
  EXPECT_FALSE(coarse);
}

TEST(EditScript, BeyondTheCapTheMiddleIsReplacedWhole) {
  std::vector<int> a{0, 1, 2, 3, 9}, b{0, 4, 5, 6, 9};
  bool coarse = false;
  auto ops = edit_script(a, b, 2, coarse);
  EXPECT_TRUE(coarse);
  EXPECT_EQ(ops, (std::vector{EditOp::keep, EditOp::remove, EditOp::remove, EditOp::remove,
                              EditOp::add, EditOp::add, EditOp::add, EditOp::keep}));
  coarse = false;
  ops = edit_script(a, b, 6, coarse);
  EXPECT_FALSE(coarse);  // exactly 6 edits are allowed
  EXPECT_EQ(apply(ops, a, b), b);
}

TEST(EditScript, EqualTextsGetEqualSymbols) {
  SymbolTable symbols;
  std::string owned = "Absatz";
  auto a = symbols.of({std::string_view(owned), "Satz", "Absatz"});
  auto b = symbols.of({"Satz", "Neu"});
  EXPECT_EQ(a[0], a[2]);
  EXPECT_NE(a[0], a[1]);
  EXPECT_EQ(a[1], b[0]);
  EXPECT_NE(b[1], a[0]);
  EXPECT_NE(b[1], a[1]);
}

}  // namespace
}  // namespace ah
