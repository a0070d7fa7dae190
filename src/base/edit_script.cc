#include "base/edit_script.h"

#include <algorithm>
#include <cstddef>
#include <optional>

namespace ah {

namespace {

// Myers' greedy forward search for the shortest edit script turning `a` into `b`, symbols
// as integers. nullopt when it needs more than `max_edits` edits (the caller falls back to
// a coarse answer). trace[d] keeps the furthest x of each diagonal k in -d..d after round d;
// walking it back from (n, m) gives the script.
std::optional<std::vector<EditOp>> shortest_edit(const std::vector<int>& a,
                                                 const std::vector<int>& b, int max_edits) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int limit = std::min(n + m, max_edits);
  std::vector<std::vector<int>> trace;
  std::vector<int> v(2 * static_cast<std::size_t>(limit) + 3, 0);
  const int off = limit + 1;
  int found = -1;
  for (int d = 0; d <= limit && found < 0; ++d) {
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                       : v[off + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[off + k] = x;
      if (x >= n && y >= m) found = d;
    }
    trace.emplace_back(v.begin() + off - d, v.begin() + off + d + 1);
  }
  if (found < 0) return std::nullopt;
  std::vector<EditOp> ops;
  int x = n, y = m;
  for (int d = found; d > 0; --d) {
    const auto& prev = trace[d - 1];  // diagonals -(d-1)..(d-1)
    auto at = [&](int k) { return prev[k + d - 1]; };
    int k = x - y;
    int prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    int prev_x = at(prev_k), prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      ops.push_back(EditOp::keep);
      --x, --y;
    }
    if (x == prev_x) {
      ops.push_back(EditOp::add);
      --y;
    } else {
      ops.push_back(EditOp::remove);
      --x;
    }
  }
  while (x > 0 && y > 0) {
    ops.push_back(EditOp::keep);
    --x, --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

}  // namespace

std::vector<EditOp> edit_script(const std::vector<int>& a, const std::vector<int>& b, int max_edits,
                                bool& coarse) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  std::vector<int> mid_a(a.begin() + head, a.end() - tail), mid_b(b.begin() + head, b.end() - tail);
  std::vector<EditOp> ops(head, EditOp::keep);
  if (auto middle = shortest_edit(mid_a, mid_b, max_edits)) {
    ops.insert(ops.end(), middle->begin(), middle->end());
  } else {
    coarse = true;
    ops.insert(ops.end(), mid_a.size(), EditOp::remove);
    ops.insert(ops.end(), mid_b.size(), EditOp::add);
  }
  ops.insert(ops.end(), tail, EditOp::keep);
  return ops;
}

std::vector<int> SymbolTable::of(const std::vector<std::string_view>& texts) {
  std::vector<int> out;
  out.reserve(texts.size());
  for (auto t : texts)
    out.push_back(ids_.try_emplace(t, static_cast<int>(ids_.size())).first->second);
  return out;
}

}  // namespace ah
