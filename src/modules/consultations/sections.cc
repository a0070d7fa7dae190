#include "modules/consultations/sections.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <deque>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "base/edit_script.h"

namespace ah::modules::consultations {

namespace {

// More section edits than this between two rounds: the changed middle is paired by position
// instead of searched (see split_sections). A draft has hundreds of sections, not thousands.
constexpr int kMaxSectionEdits = 1'000;

bool blank_byte(char c) { return c == ' ' || c == '\t'; }
bool ascii_space(char c) {
  return blank_byte(c) || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool digit(char c) { return c >= '0' && c <= '9'; }

// Lines without their ending; "\r\n", "\n" and a lone "\r" all end a line.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    if (end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n') ++end;
    start = end + 1;
  }
  return lines;
}

bool is_blank(std::string_view line) { return std::all_of(line.begin(), line.end(), blank_byte); }

// Leading blanks as columns (a tab advances to the next multiple of 4, as in CommonMark).
int indent_of(std::string_view line) {
  int column = 0;
  for (char c : line) {
    if (c == ' ')
      ++column;
    else if (c == '\t')
      column += 4 - column % 4;
    else
      break;
  }
  return column;
}

std::string_view without_indent(std::string_view line) {
  auto first = line.find_first_not_of(" \t");
  return first == std::string_view::npos ? std::string_view{} : line.substr(first);
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && blank_byte(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank_byte(s.back())) s.remove_suffix(1);
  return s;
}

struct AtxHeading {
  int level;
  std::string_view content;  // without the marks and the closing sequence
};

// "## Text ##" with at most 3 leading spaces; "#Text" is no heading.
std::optional<AtxHeading> atx_heading(std::string_view line) {
  if (indent_of(line) > 3) return std::nullopt;
  auto rest = without_indent(line);
  int level = 0;
  while (level < static_cast<int>(rest.size()) && rest[level] == '#') ++level;
  if (level < 1 || level > 6) return std::nullopt;
  rest.remove_prefix(level);
  if (!rest.empty() && !blank_byte(rest.front())) return std::nullopt;
  rest = trim_blanks(rest);
  // A closing run of '#' counts only when a blank precedes it (or it is all there is).
  auto hashes = rest.find_last_not_of('#');
  if (hashes == std::string_view::npos)
    rest = {};
  else if (hashes + 1 < rest.size() && blank_byte(rest[hashes]))
    rest = trim_blanks(rest.substr(0, hashes));
  return AtxHeading{level, rest};
}

// 1 for a "===" underline, 2 for "---", 0 for anything else.
int setext_level(std::string_view line) {
  if (indent_of(line) > 3) return 0;
  auto rest = trim_blanks(line);
  if (rest.empty() || (rest.front() != '=' && rest.front() != '-')) return 0;
  if (rest.find_first_not_of(rest.front()) != std::string_view::npos) return 0;
  return rest.front() == '=' ? 1 : 2;
}

// "***", "- - -", "___": a rule, not a list item.
bool thematic_break(std::string_view line) {
  if (indent_of(line) > 3) return false;
  auto rest = without_indent(line);
  if (rest.empty() || (rest.front() != '*' && rest.front() != '-' && rest.front() != '_'))
    return false;
  int marks = 0;
  for (char c : rest) {
    if (c == rest.front())
      ++marks;
    else if (!blank_byte(c))
      return false;
  }
  return marks >= 3;
}

struct ListItem {
  char delimiter;  // '-', '*', '+' for bullets, '.' or ')' after a number
  bool ordered;
  int content_column;  // where the item's text starts: continuation lines are indented so
};

// "- x", "* x", "+ x", "3. x", "3) x" (an empty item too), not a rule.
std::optional<ListItem> list_item(std::string_view line) {
  if (thematic_break(line)) return std::nullopt;
  const int indent = indent_of(line);
  auto rest = without_indent(line);
  std::size_t marker = 0;
  bool ordered = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+')) {
    marker = 1;
  } else {
    while (marker < rest.size() && marker < 9 && digit(rest[marker])) ++marker;
    if (marker == 0 || marker >= rest.size() || (rest[marker] != '.' && rest[marker] != ')'))
      return std::nullopt;
    ++marker;
    ordered = true;
  }
  if (marker < rest.size() && !blank_byte(rest[marker])) return std::nullopt;
  return ListItem{rest[marker - 1], ordered, indent + static_cast<int>(marker) + 1};
}

struct Fence {
  char mark;
  std::size_t length;
};

std::optional<Fence> fence_opening(std::string_view line) {
  auto rest = without_indent(line);
  if (rest.empty() || (rest[0] != '`' && rest[0] != '~')) return std::nullopt;
  std::size_t length = rest.find_first_not_of(rest[0]);
  if (length == std::string_view::npos) length = rest.size();
  if (length < 3) return std::nullopt;
  // A backtick fence's info string may not contain a backtick (that is inline code).
  if (rest[0] == '`' && rest.find('`', length) != std::string_view::npos) return std::nullopt;
  return Fence{rest[0], length};
}

bool closes(std::string_view line, const Fence& fence) {
  auto rest = trim_blanks(line);
  return rest.size() >= fence.length &&
         rest.find_first_not_of(fence.mark) == std::string_view::npos;
}

// A GFM table's delimiter row: "| --- | :-: |", "---|---".
bool table_delimiter_row(std::string_view line) {
  auto rest = trim_blanks(line);
  return rest.find('|') != std::string_view::npos && rest.find('-') != std::string_view::npos &&
         rest.find_first_not_of("|-: \t") == std::string_view::npos;
}

enum class Shape { paragraph, list, indented_code, other };

// One block of lines as the splitter reads it; becomes one Section.
struct Block {
  std::size_t first = 0, last = 0;  // line indices, inclusive
  Shape shape = Shape::paragraph;
  int heading_level = 0;     // > 0: a heading
  std::string heading_text;  // its text without the marks
  int list_items = 0;        // list item lines (any depth)
  int content_column = 0;    // of the latest top-level list item
  char delimiter = 0;        // of the latest top-level list item
};

class Splitter {
 public:
  explicit Splitter(std::string_view body) : lines_(lines_of(body)) {}

  std::vector<Block> blocks() {
    for (std::size_t i = 0; i < lines_.size(); ++i) read(i);
    close();
    return {std::make_move_iterator(blocks_.begin()), std::make_move_iterator(blocks_.end())};
  }

  std::string text_of(const Block& b) const {
    std::string text;
    for (std::size_t i = b.first; i <= b.last; ++i) {
      if (i > b.first) text += '\n';
      text += lines_[i];
    }
    while (!text.empty() && blank_byte(text.back())) text.pop_back();
    return text;
  }

 private:
  void read(std::size_t i) {
    const std::string_view line = lines_[i];
    if (fence_) {  // inside a fenced code block nothing is structure, blank lines neither
      open_->last = i;
      if (closes(line, *fence_)) fence_.reset();
      return;
    }
    if (is_blank(line)) {
      if (open_) close();
      return;
    }
    if (!open_ && resumable_ && continues(*resumable_, line)) {
      open_ = resumable_;  // the blank lines between become part of the block
    }
    resumable_ = nullptr;
    const bool inside_item =
        open_ && open_->shape == Shape::list && indent_of(line) >= open_->content_column;
    if (!inside_item) {
      if (auto atx = atx_heading(line)) {
        close();
        start(i, Shape::other);
        open_->heading_level = atx->level;
        open_->heading_text = std::string(atx->content);
        close();
        return;
      }
      if (int level = setext_level(line); level > 0 && open_ && open_->shape == Shape::paragraph) {
        open_->heading_level = level;
        for (std::size_t k = open_->first; k <= open_->last; ++k) {
          if (k > open_->first) open_->heading_text += ' ';
          open_->heading_text += trim_blanks(lines_[k]);
        }
        open_->last = i;
        close();
        return;
      }
    }
    if (!open_) start(i, shape_of(line));
    open_->last = i;
    if (open_->shape == Shape::paragraph && i == open_->first + 1 && table_delimiter_row(line))
      open_->shape = Shape::other;  // a table: a "---" row below is a row, not an underline
    if (auto item = list_item(line)) {
      ++open_->list_items;
      if (open_->shape == Shape::paragraph && indent_of(line) <= 3) open_->shape = Shape::list;
      if (indent_of(line) <= 3) {
        open_->content_column = item->content_column;
        open_->delimiter = item->delimiter;
      }
    }
    // Fences start at up to 3 spaces, or deeper inside a list item.
    if (indent_of(line) <= 3 || inside_item) fence_ = fence_opening(line);
    if (fence_ && open_->shape == Shape::paragraph) open_->shape = Shape::other;
  }

  Shape shape_of(std::string_view line) const {
    if (indent_of(line) >= 4) return Shape::indented_code;
    if (thematic_break(line)) return Shape::other;
    if (without_indent(line).front() == '>') return Shape::other;
    return Shape::paragraph;  // a list item becomes Shape::list in read()
  }

  // After blank lines, a loose list goes on with its next item (with the same bullet or the
  // same delimiter after the number: "1." and "2)" are two lists, as in CommonMark) or an
  // indented continuation, and an indented code block with more indented lines.
  static bool continues(const Block& b, std::string_view line) {
    if (b.heading_level > 0) return false;
    if (b.shape == Shape::list) {
      if (indent_of(line) >= b.content_column) return true;
      auto item = list_item(line);
      return item && item->delimiter == b.delimiter;
    }
    if (b.shape == Shape::indented_code) return indent_of(line) >= 4;
    return false;
  }

  void start(std::size_t i, Shape shape) {
    blocks_.push_back(Block{.first = i, .last = i, .shape = shape});
    open_ = &blocks_.back();
  }

  void close() {
    resumable_ = open_ && open_->heading_level == 0 ? open_ : nullptr;
    open_ = nullptr;
  }

  std::vector<std::string_view> lines_;
  std::deque<Block> blocks_;  // a deque: open_ and resumable_ stay valid while it grows
  Block* open_ = nullptr;
  Block* resumable_ = nullptr;
  std::optional<Fence> fence_;
};

// A heading's text as a person reads it: emphasis and code marks, backslash escapes and link
// targets removed ("**§ 3** [Frist](/x)" -> "§ 3 Frist"), blank runs one space.
std::string plain_label(std::string_view text) {
  auto word_byte = [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && std::ispunct(static_cast<unsigned char>(text[i + 1]))) {
      out += text[++i];
    } else if (c == ']' && i + 1 < text.size() && text[i + 1] == '(') {
      auto end = text.find(')', i);
      i = end == std::string_view::npos ? text.size() : end;
    } else if (c == '*' || c == '`' || c == '[' || c == ']' ||
               (c == '!' && i + 1 < text.size() && text[i + 1] == '[')) {
      // markup
    } else if (c == '_' && (i == 0 || i + 1 == text.size() || !word_byte(text[i - 1]) ||
                            !word_byte(text[i + 1]))) {
      // emphasis at a word's edge; "snake_case" keeps its underscore
    } else if (ascii_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Whitespace as the alignment sees it: every run one blank, none at the ends.
std::string normalised(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!ascii_space(c))
      out += c;
    else if (!out.empty() && out.back() != ' ')
      out += ' ';
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Blanks that may stand between "§" and its number: space, tab, no-break space (U+00A0),
// narrow no-break space (U+202F), thin space (U+2009). Returns how many bytes, 0 for none.
std::size_t blank_at(std::string_view s, std::size_t i) {
  if (i < s.size() && blank_byte(s[i])) return 1;
  if (s.substr(i, 2) == "\u00a0") return 2;
  if (s.substr(i, 3) == "\u202f" || s.substr(i, 3) == "\u2009") return 3;
  return 0;
}

// "3", "3a" at the start of `s` when a word does not go on after it; empty otherwise.
std::string_view number_at(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && n < 9 && digit(s[n])) ++n;
  if (n == 0) return {};
  if (n < s.size() && s[n] >= 'a' && s[n] <= 'z') ++n;
  if (n < s.size() && (digit(s[n]) || (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
    return {};
  return s.substr(0, n);
}

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char lower, char c) {
           return std::tolower(static_cast<unsigned char>(c)) == lower;
         });
}

// How paragraphs under a heading cite it: "§ 3" for "§ 3 Zuständigkeit", "Art. 2" for
// "Artikel 2 Änderung …" or "Art. 2 …"; empty when the heading is not numbered so.
std::string short_form(std::string_view label) {
  std::string_view rest;
  std::string prefix;
  if (label.starts_with("§") && !label.substr(2).starts_with("§")) {
    rest = label.substr(2);
    prefix = "§ ";
  } else if (starts_with_ignoring_case(label, "artikel")) {
    rest = label.substr(7);
    prefix = "Art. ";
  } else if (starts_with_ignoring_case(label, "art.")) {
    rest = label.substr(4);
    prefix = "Art. ";
  } else {
    return {};
  }
  while (std::size_t n = blank_at(rest, 0)) rest.remove_prefix(n);
  auto number = number_at(rest);
  if (number.empty()) return {};
  return prefix + std::string(number);
}

// The number a paragraph gives itself: "(2)" or "(2a)" always; "2." or "2)" only when the
// block is that single list item (a block of several items is a list, counted as a whole).
std::string_view own_number(std::string_view text, const Block& block) {
  auto first = without_indent(text.substr(0, text.find('\n')));
  if (first.starts_with('(')) {
    auto number = number_at(first.substr(1));
    std::size_t end = 1 + number.size();
    if (!number.empty() && end < first.size() && first[end] == ')' &&
        (end + 1 == first.size() || blank_at(first, end + 1) > 0))
      return number;
    return {};
  }
  if (block.list_items != 1) return {};
  auto item = list_item(first);
  if (!item || !item->ordered) return {};
  return first.substr(0, first.find_first_of(".)"));
}

std::int64_t anchor_number(std::string_view anchor) {
  if (anchor.size() < 2 || anchor[0] != 'a') return 0;
  std::int64_t n = 0;
  auto [end, error] = std::from_chars(anchor.data() + 1, anchor.data() + anchor.size(), n);
  if (error != std::errc{} || end != anchor.data() + anchor.size() || n < 1) return 0;
  return n;
}

// The sections of `body` with labels, without anchors.
std::vector<Section> read_sections(std::string_view body) {
  Splitter splitter(body);
  std::vector<Section> sections;
  std::string heading, heading_short;  // the nearest heading above; empty: none (or empty)
  int count = 0;                       // blocks under it so far
  for (const Block& block : splitter.blocks()) {
    Section s;
    s.text = splitter.text_of(block);
    if (block.heading_level > 0) {
      s.kind = SectionKind::heading;
      s.level = block.heading_level;
      s.label = plain_label(block.heading_text);
      heading = s.label;
      heading_short = short_form(heading);
      count = 0;
    } else {
      ++count;
      auto number = own_number(s.text, block);
      const std::string& cited = heading_short.empty() ? heading : heading_short;
      if (!number.empty())
        s.label = (cited.empty() ? "" : cited + (heading_short.empty() ? ", " : " ")) + "Abs. " +
                  std::string(number);
      else
        s.label = (cited.empty() ? "" : cited + ", ") + "Absatz " + std::to_string(count);
    }
    sections.push_back(std::move(s));
  }
  return sections;
}

// Which old section each new one continues (-1: none), by the rules in the header.
std::vector<int> align(const std::vector<Section>& previous, const std::vector<Section>& next) {
  std::vector<std::string> old_keys, new_keys;
  for (const auto& s : previous) old_keys.push_back(normalised(s.text));
  for (const auto& s : next) new_keys.push_back(normalised(s.text));
  SymbolTable symbols;
  auto a = symbols.of({old_keys.begin(), old_keys.end()});
  auto b = symbols.of({new_keys.begin(), new_keys.end()});
  bool coarse = false;
  auto ops = edit_script(a, b, kMaxSectionEdits, coarse);

  // Runs of changed sections between two unchanged ones.
  struct Run {
    std::vector<int> removed, added;
  };
  std::vector<Run> runs(1);
  std::vector<int> match(next.size(), -1);
  int i = 0, j = 0;
  for (EditOp op : ops) {
    if (op == EditOp::keep) {
      match[j++] = i++;
      if (!runs.back().removed.empty() || !runs.back().added.empty()) runs.emplace_back();
    } else if (op == EditOp::remove) {
      runs.back().removed.push_back(i++);
    } else {
      runs.back().added.push_back(j++);
    }
  }
  // A section moved elsewhere unchanged keeps its anchor: removed in one place, added with
  // the same text in another (or the same) run.
  std::vector<bool> taken(previous.size(), false);
  std::unordered_map<int, std::deque<int>> removed_by_symbol;
  for (const auto& run : runs)
    for (int r : run.removed) removed_by_symbol[a[r]].push_back(r);
  for (const auto& run : runs) {
    for (int n : run.added) {
      auto found = removed_by_symbol.find(b[n]);
      if (found == removed_by_symbol.end() || found->second.empty()) continue;
      match[n] = found->second.front();
      taken[match[n]] = true;
      found->second.pop_front();
    }
  }
  // The rest of a run: the k-th changed new section continues the k-th changed old one.
  for (const auto& run : runs) {
    std::size_t r = 0;
    for (int n : run.added) {
      if (match[n] >= 0) continue;
      while (r < run.removed.size() && taken[run.removed[r]]) ++r;
      if (r == run.removed.size()) break;
      match[n] = run.removed[r];
      taken[run.removed[r++]] = true;
    }
  }
  return match;
}

}  // namespace

std::vector<Section> split_sections(std::string_view body, const std::vector<Section>& previous,
                                    std::int64_t floor) {
  auto sections = read_sections(body);
  auto match = align(previous, sections);
  std::int64_t next_number = std::max<std::int64_t>(floor, highest_anchor(previous)) + 1;
  for (std::size_t n = 0; n < sections.size(); ++n) {
    if (match[n] >= 0 && anchor_number(previous[match[n]].anchor) > 0)
      sections[n].anchor = previous[match[n]].anchor;
    else
      sections[n].anchor = "a" + std::to_string(next_number++);
  }
  return sections;
}

std::int64_t highest_anchor(const std::vector<Section>& sections) {
  std::int64_t highest = 0;
  for (const auto& s : sections) highest = std::max(highest, anchor_number(s.anchor));
  return highest;
}

bool SynopsisRow::changed() const {
  return before == nullptr || after == nullptr ||
         normalised(before->text) != normalised(after->text);
}

std::vector<SynopsisRow> synopsis(const std::vector<Section>& before,
                                  const std::vector<Section>& after) {
  std::unordered_map<std::string_view, const Section*> earlier;
  for (const auto& s : before) earlier.try_emplace(s.anchor, &s);
  std::unordered_set<std::string_view> kept;
  for (const auto& s : after)
    if (earlier.contains(s.anchor)) kept.insert(s.anchor);
  // A removed section stands after the row of the nearest kept section above it in the
  // earlier round (at the top when there is none).
  std::unordered_map<std::string_view, std::vector<const Section*>> removed_after;
  std::vector<const Section*> removed_at_top;
  std::string_view last_kept;
  for (const auto& s : before) {
    if (kept.contains(s.anchor))
      last_kept = s.anchor;
    else
      (last_kept.empty() ? removed_at_top : removed_after[last_kept]).push_back(&s);
  }
  std::vector<SynopsisRow> rows;
  for (const Section* s : removed_at_top) rows.push_back({s, nullptr});
  for (const auto& s : after) {
    auto found = earlier.find(s.anchor);
    rows.push_back({found == earlier.end() ? nullptr : found->second, &s});
    if (found == earlier.end()) continue;
    if (auto removed = removed_after.find(s.anchor); removed != removed_after.end()) {
      for (const Section* r : removed->second) rows.push_back({r, nullptr});
      removed_after.erase(removed);  // a duplicate anchor must not repeat them
    }
  }
  return rows;
}

}  // namespace ah::modules::consultations
