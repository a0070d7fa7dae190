#include "modules/groups/drafts/diff.h"

#include <algorithm>

#include "base/edit_script.h"

namespace ah::modules::groups::drafts {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  if (text.empty()) return lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool word_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool blank_byte(unsigned char c) { return c == ' ' || c == '\t'; }

// Words, blank runs and single ASCII punctuation marks. Bytes of multi-byte characters are
// all word bytes, so no token boundary falls inside a character.
std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    auto c = static_cast<unsigned char>(line[i]);
    std::size_t j = i + 1;
    if (word_byte(c))
      while (j < line.size() && word_byte(static_cast<unsigned char>(line[j]))) ++j;
    else if (blank_byte(c))
      while (j < line.size() && blank_byte(static_cast<unsigned char>(line[j]))) ++j;
    words.push_back(line.substr(i, j - i));
    i = j;
  }
  return words;
}

void append(std::vector<Piece>& pieces, Change change, std::string_view text) {
  if (text.empty()) return;
  if (!pieces.empty() && pieces.back().change == change)
    pieces.back().text += text;
  else
    pieces.push_back({change, std::string(text)});
}

// An edited line: the old one with its removed words, the new one with its added words.
void refine(DiffLine& removed, DiffLine& added, std::string_view before, std::string_view after,
            bool& coarse) {
  auto a = split_words(before), b = split_words(after);
  SymbolTable symbols;
  auto sa = symbols.of(a), sb = symbols.of(b);
  bool too_many = false;
  auto ops = edit_script(sa, sb, kMaxWordEdits, too_many);
  if (too_many) {
    coarse = true;
    return;  // both stay whole-line changes
  }
  removed.pieces.clear();
  added.pieces.clear();
  std::size_t i = 0, j = 0;
  for (EditOp op : ops) {
    if (op == EditOp::keep) {
      append(removed.pieces, Change::same, a[i++]);
      append(added.pieces, Change::same, b[j++]);
    } else if (op == EditOp::remove) {
      append(removed.pieces, Change::removed, a[i++]);
    } else {
      append(added.pieces, Change::added, b[j++]);
    }
  }
}

}  // namespace

std::string DiffLine::text() const {
  std::string out;
  for (const auto& p : pieces) out += p.text;
  return out;
}

bool Diff::identical() const {
  return std::all_of(lines.begin(), lines.end(),
                     [](const DiffLine& l) { return l.change == Change::same; });
}

Diff diff_texts(std::string_view before, std::string_view after) {
  auto a = split_lines(before), b = split_lines(after);
  SymbolTable symbols;
  auto sa = symbols.of(a), sb = symbols.of(b);
  Diff diff;
  auto ops = edit_script(sa, sb, kMaxLineEdits, diff.coarse);
  int i = 0, j = 0;
  std::vector<std::string_view> run_a, run_b;
  std::vector<DiffLine> removed, added;
  // A run of removed lines followed by added ones: pair them up in order, word by word.
  auto flush = [&] {
    for (std::size_t p = 0; p < removed.size() && p < added.size(); ++p)
      refine(removed[p], added[p], run_a[p], run_b[p], diff.coarse);
    for (std::size_t p = 0; p < std::max(removed.size(), added.size()); ++p) {
      if (p < removed.size()) diff.lines.push_back(std::move(removed[p]));
      if (p < added.size()) diff.lines.push_back(std::move(added[p]));
    }
    removed.clear();
    added.clear();
    run_a.clear();
    run_b.clear();
  };
  for (EditOp op : ops) {
    if (op == EditOp::keep) {
      flush();
      diff.lines.push_back({Change::same, i + 1, j + 1, {{Change::same, std::string(a[i])}}});
      ++i, ++j;
    } else if (op == EditOp::remove) {
      if (!added.empty()) flush();
      run_a.push_back(a[i]);
      removed.push_back({Change::removed, i + 1, 0, {{Change::removed, std::string(a[i])}}});
      ++i;
    } else {
      run_b.push_back(b[j]);
      added.push_back({Change::added, 0, j + 1, {{Change::added, std::string(b[j])}}});
      ++j;
    }
  }
  flush();
  return diff;
}

std::vector<SideBySideRow> side_by_side(const Diff& diff) {
  std::vector<SideBySideRow> rows;
  std::vector<const DiffLine*> left, right;
  auto flush = [&] {
    for (std::size_t p = 0; p < std::max(left.size(), right.size()); ++p) {
      SideBySideRow row;
      if (p < left.size()) row.left = *left[p];
      if (p < right.size()) row.right = *right[p];
      rows.push_back(std::move(row));
    }
    left.clear();
    right.clear();
  };
  for (const auto& line : diff.lines) {
    if (line.change == Change::same) {
      flush();
      rows.push_back({line, line});
    } else {
      (line.change == Change::removed ? left : right).push_back(&line);
    }
  }
  flush();
  return rows;
}

}  // namespace ah::modules::groups::drafts
