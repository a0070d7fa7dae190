#include "markdown/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "base/utf8.h"
#include "markdown/internal/urls.h"

namespace ah::markdown {
namespace {

using internal::safe_url;
using internal::UrlUse;

// ---- Parsing ---------------------------------------------------------------------------

struct NodeFree {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
using Document = std::unique_ptr<cmark_node, NodeFree>;

struct ParserFree {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};

// cmark-gfm 0.29 keeps the inline parser's table of special characters in a global that
// every cmark_parser_finish adds the extensions' characters to and removes them from again,
// so two parses must never overlap. Rendering the tree needs no lock.
std::mutex& parse_mutex() {
  static std::mutex mutex;
  return mutex;
}

// cmark-gfm 0.29.0.gfm.6 appends every table cell to a list by walking it, so a row of n
// cells costs n² steps: one line of 65 000 '|' takes seconds, under the parse lock. Texts with
// a line longer than this in '|' are rejected by to_html and parsed without the table
// extension elsewhere (the pipes then stay text).
constexpr std::size_t max_pipes_per_line = 256;

// The first line (1-based) with more than max_pipes_per_line '|', or 0.
std::size_t line_with_too_many_pipes(std::string_view text) {
  std::size_t line = 1;
  std::size_t pipes = 0;
  for (const char c : text) {
    if (c == '\n') {
      ++line;
      pipes = 0;
    } else if (c == '|' && ++pipes > max_pipes_per_line) {
      return line;
    }
  }
  return 0;
}

// Parses with the GFM extensions. CMARK_OPT_VALIDATE_UTF8 turns invalid UTF-8 into U+FFFD
// (to_html rejects it before); CMARK_OPT_SAFE is the default in this version and is named for
// the record: it only affects cmark's own renderers, which are not used.
Document parse(std::string_view text) {
  static std::once_flag registered;
  std::call_once(registered, cmark_gfm_core_extensions_ensure_registered);
  const bool tables = line_with_too_many_pipes(text) == 0;
  const std::lock_guard lock(parse_mutex());
  std::unique_ptr<cmark_parser, ParserFree> parser(
      cmark_parser_new(CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8));
  for (const char* name : {"table", "strikethrough", "autolink", "tasklist"}) {
    if (!tables && std::string_view(name) == "table") continue;
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), extension);
    }
  }
  cmark_parser_feed(parser.get(), text.data(), text.size());
  return Document(cmark_parser_finish(parser.get()));
}

// ---- Small helpers ---------------------------------------------------------------------

std::string_view literal(cmark_node* node) {
  const char* text = cmark_node_get_literal(node);
  return text ? std::string_view(text) : std::string_view();
}

std::string_view type_name(cmark_node* node) {
  const char* name = cmark_node_get_type_string(node);
  return name ? std::string_view(name) : std::string_view();
}

bool is_type(cmark_node* node, cmark_node_type type) {
  return node != nullptr && cmark_node_get_type(node) == type;
}

// Escapes text for element content and double-quoted attribute values. C0 control
// characters other than tab and line breaks are dropped: they are invisible and HTML parse
// errors.
void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
}

bool is_space_or_control(unsigned char c) { return c <= 0x20 || c == 0x7F; }

// Every run of whitespace and control characters becomes one space; ends trimmed.
std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (const char c : text) {
    if (is_space_or_control(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// The plain text of `root` and everything below it: text, code and raw HTML literally,
// breaks and block boundaries as spaces (collapse afterwards). With `skip_lists`, lists
// below `root` are left out (a list item's own text).
std::string plain_text_of(cmark_node* root, bool skip_lists) {
  std::string out;
  cmark_iter* iter = cmark_iter_new(root);
  for (cmark_event_type event; (event = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (event != CMARK_EVENT_ENTER) continue;
    if (skip_lists && node != root && is_type(node, CMARK_NODE_LIST)) {
      cmark_iter_reset(iter, node, CMARK_EVENT_EXIT);
      continue;
    }
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
      case CMARK_NODE_HTML_INLINE:
        out += literal(node);
        break;
      case CMARK_NODE_CODE_BLOCK:
      case CMARK_NODE_HTML_BLOCK:
        out += ' ';
        out += literal(node);
        out += ' ';
        break;
      default:
        // Breaks, block starts and table cells separate words.
        if ((cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_INLINE ||
            is_type(node, CMARK_NODE_SOFTBREAK) || is_type(node, CMARK_NODE_LINEBREAK) ||
            type_name(node) == "table_cell") {
          out += ' ';
        }
    }
  }
  cmark_iter_free(iter);
  return out;
}

// ---- Sections and anchors --------------------------------------------------------------

// The first 12 of the 16 lower-case hex digits of `value`.
std::string hex12(std::uint64_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(12, '0');
  for (int i = 0; i < 12; ++i) out[i] = digits[(value >> (60 - 4 * i)) & 15];
  return out;
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

struct LocatedSection {
  cmark_node* node;
  Section section;
};

std::vector<LocatedSection> collect_sections(cmark_node* document) {
  std::vector<LocatedSection> found;
  std::unordered_map<std::string, int> seen;  // base anchor -> how often so far
  int list_depth = 0;  // counted on the way, not by walking up: lists can nest deeply
  cmark_iter* iter = cmark_iter_new(document);
  for (cmark_event_type event; (event = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (is_type(node, CMARK_NODE_LIST)) list_depth += event == CMARK_EVENT_ENTER ? 1 : -1;
    if (event != CMARK_EVENT_ENTER) continue;
    Section section;
    const char* prefix = nullptr;
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_HEADING:
        section.kind = SectionKind::heading;
        section.level = cmark_node_get_heading_level(node);
        prefix = "h";
        break;
      case CMARK_NODE_PARAGRAPH:
        if (is_type(cmark_node_parent(node), CMARK_NODE_ITEM)) continue;
        section.kind = SectionKind::paragraph;
        prefix = "p";
        break;
      case CMARK_NODE_ITEM:
        section.kind = SectionKind::list_item;
        section.level = list_depth;
        prefix = "li";
        break;
      default:
        continue;
    }
    section.text = collapse_whitespace(plain_text_of(node, section.kind == SectionKind::list_item));
    std::string base = std::string(prefix) + "-" + hex12(fnv1a64(section.text));
    const int n = ++seen[base];
    section.anchor = n == 1 ? base : base + "-" + std::to_string(n);
    found.push_back({node, std::move(section)});
  }
  cmark_iter_free(iter);
  return found;
}

// ---- Plain text ------------------------------------------------------------------------

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t count_chars(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation_byte(c); }));
}

// Byte offset where the first `n` characters of `text` end.
std::size_t offset_after_chars(std::string_view text, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < text.size(); ++i) {
    if (!is_continuation_byte(text[i]) && seen++ == n) break;
  }
  return i;
}

// `text` is collapsed (single spaces, trimmed).
std::string shorten(std::string text, std::size_t max_chars) {
  if (count_chars(text) <= max_chars) return text;
  if (max_chars == 0) return {};
  // Keep max_chars - 1 characters for the text and one for "…".
  const std::size_t cut = offset_after_chars(text, max_chars - 1);
  std::size_t end = cut;
  // A word ends before a space or punctuation; otherwise go back to the last space.
  if (cut < text.size() && std::string_view(" ,;:.!?)").find(text[cut]) == std::string::npos) {
    const std::size_t space = text.rfind(' ', cut);
    if (space != std::string::npos) end = space;
  }
  text.resize(end);
  while (!text.empty() && std::string_view(" ,;:.-").find(text.back()) != std::string_view::npos) {
    text.pop_back();
  }
  return text + "…";
}

// ---- HTML ------------------------------------------------------------------------------

class HtmlRenderer {
 public:
  HtmlRenderer(const Options& options, std::unordered_map<cmark_node*, std::string> ids)
      : options_(options), ids_(std::move(ids)) {}

  std::string render(cmark_node* document) {
    cmark_iter* iter = cmark_iter_new(document);
    for (cmark_event_type event; (event = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
      cmark_node* node = cmark_iter_get_node(iter);
      if (visit(node, event == CMARK_EVENT_ENTER) == Children::skip) {
        cmark_iter_reset(iter, node, CMARK_EVENT_EXIT);
      }
    }
    cmark_iter_free(iter);
    return std::move(out_);
  }

 private:
  enum class Children { visit, skip };

  void open(std::string_view tag, cmark_node* node = nullptr) {
    out_ += '<';
    out_ += tag;
    add_id(node);
    out_ += '>';
  }

  void add_id(cmark_node* node) {
    if (node == nullptr || options_.anchor_prefix.empty()) return;
    const auto id = ids_.find(node);
    if (id == ids_.end()) return;
    out_ += " id=\"";
    append_escaped(out_, options_.anchor_prefix);
    append_escaped(out_, id->second);
    out_ += '"';
  }

  void line_break_before_block() {
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }

  static bool in_tight_list(cmark_node* paragraph) {
    cmark_node* item = cmark_node_parent(paragraph);
    if (!is_type(item, CMARK_NODE_ITEM)) return false;
    cmark_node* list = cmark_node_parent(item);
    return is_type(list, CMARK_NODE_LIST) && cmark_node_get_list_tight(list);
  }

  // The box's accessible name is the item's own text (cut: it is read again after the box).
  static std::string task_label(cmark_node* item) {
    return shorten(collapse_whitespace(plain_text_of(item, true)), 80);
  }

  void checkbox(cmark_node* item) {
    out_ += "<input type=\"checkbox\" disabled";
    if (cmark_gfm_extensions_get_tasklist_item_checked(item)) out_ += " checked";
    out_ += " aria-label=\"";
    append_escaped(out_, task_label(item));
    out_ += "\"> ";
  }

  Children visit(cmark_node* node, bool entering) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_DOCUMENT:
        return Children::visit;
      case CMARK_NODE_PARAGRAPH: {
        if (in_tight_list(node)) {  // no <p>, as in cmark
          if (entering && node == pending_checkbox_) checkbox(cmark_node_parent(node));
          return Children::visit;
        }
        if (entering) {
          line_break_before_block();
          open("p", node);
          if (node == pending_checkbox_) checkbox(cmark_node_parent(node));
        } else {
          out_ += "</p>\n";
        }
        return Children::visit;
      }
      case CMARK_NODE_HEADING: {
        const int level = std::clamp(
            cmark_node_get_heading_level(node) + std::clamp(options_.heading_offset, -6, 6), 2, 6);
        if (entering) {
          line_break_before_block();
          open("h" + std::to_string(level), node);
        } else {
          out_ += "</h" + std::to_string(level) + ">\n";
        }
        return Children::visit;
      }
      case CMARK_NODE_BLOCK_QUOTE:
        line_break_before_block();
        out_ += entering ? "<blockquote>\n" : "</blockquote>\n";
        return Children::visit;
      case CMARK_NODE_LIST: {
        const bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
        line_break_before_block();
        if (!entering) {
          out_ += ordered ? "</ol>\n" : "</ul>\n";
        } else if (!ordered) {
          out_ += "<ul>\n";
        } else {
          const int start = cmark_node_get_list_start(node);
          out_ +=
              start == 1 ? std::string("<ol>\n") : "<ol start=\"" + std::to_string(start) + "\">\n";
        }
        return Children::visit;
      }
      case CMARK_NODE_ITEM: {
        if (!entering) {
          out_ += "</li>\n";
          return Children::visit;
        }
        line_break_before_block();
        const bool task = type_name(node) == "tasklist";
        // A box needs a name; a task without text shows its marker as text instead.
        const bool empty_task = task && task_label(node).empty();
        out_ += task && !empty_task ? "<li class=\"ah-md-task\"" : "<li";
        add_id(node);
        out_ += '>';
        if (empty_task) {
          out_ += cmark_gfm_extensions_get_tasklist_item_checked(node) ? "[x]" : "[ ]";
        } else if (task) {
          // Inside the first paragraph, so the box stands on the text's line.
          cmark_node* first = cmark_node_first_child(node);
          if (is_type(first, CMARK_NODE_PARAGRAPH)) {
            pending_checkbox_ = first;
          } else {
            checkbox(node);
          }
        }
        return Children::visit;
      }
      case CMARK_NODE_CODE_BLOCK:
        line_break_before_block();
        out_ += "<pre><code>";
        append_escaped(out_, literal(node));
        out_ += "</code></pre>\n";
        return Children::visit;
      case CMARK_NODE_HTML_BLOCK: {
        // Shown as the text that was typed, line by line.
        std::string_view text = literal(node);
        while (text.ends_with('\n')) text.remove_suffix(1);
        line_break_before_block();
        out_ += "<p>";
        for (std::size_t start = 0; start <= text.size();) {
          const std::size_t end = std::min(text.find('\n', start), text.size());
          if (start > 0) out_ += "<br>\n";
          append_escaped(out_, text.substr(start, end - start));
          start = end + 1;
        }
        out_ += "</p>\n";
        return Children::visit;
      }
      case CMARK_NODE_THEMATIC_BREAK:
        line_break_before_block();
        out_ += "<hr>\n";
        return Children::visit;
      case CMARK_NODE_TEXT:
      case CMARK_NODE_HTML_INLINE:  // the literal tag as text, never markup
        append_escaped(out_, literal(node));
        return Children::visit;
      case CMARK_NODE_SOFTBREAK:
        out_ += '\n';
        return Children::visit;
      case CMARK_NODE_LINEBREAK:
        out_ += "<br>\n";
        return Children::visit;
      case CMARK_NODE_CODE:
        out_ += "<code>";
        append_escaped(out_, literal(node));
        out_ += "</code>";
        return Children::visit;
      case CMARK_NODE_EMPH:
        out_ += entering ? "<em>" : "</em>";
        return Children::visit;
      case CMARK_NODE_STRONG:
        out_ += entering ? "<strong>" : "</strong>";
        return Children::visit;
      case CMARK_NODE_LINK:
        return link(node, entering);
      case CMARK_NODE_IMAGE:
        return image(node, entering);
      default:
        return extension_node(node, entering);
    }
  }

  Children link(cmark_node* node, bool entering) {
    if (!entering) {
      if (open_links_.back()) out_ += "</a>";
      open_links_.pop_back();
      return Children::visit;
    }
    const char* url = cmark_node_get_url(node);
    const auto safe = safe_url(url ? url : "", options_.origin, UrlUse::link);
    open_links_.push_back(safe.has_value());
    if (!safe) return Children::visit;  // the link text stays, as plain text
    out_ += "<a href=\"";
    append_escaped(out_, safe->href);
    out_ += '"';
    add_title(node);
    if (!safe->own) out_ += " rel=\"nofollow ugc noopener\"";
    out_ += '>';
    return Children::visit;
  }

  Children image(cmark_node* node, bool entering) {
    if (!entering || !options_.allow_images) return Children::visit;  // alt text as text
    const char* url = cmark_node_get_url(node);
    const auto safe = safe_url(url ? url : "", options_.origin, UrlUse::image);
    if (!safe) return Children::visit;
    out_ += "<img src=\"";
    append_escaped(out_, safe->href);
    out_ += "\" alt=\"";
    append_escaped(out_, collapse_whitespace(plain_text_of(node, false)));
    out_ += '"';
    add_title(node);
    out_ += '>';
    return Children::skip;
  }

  void add_title(cmark_node* node) {
    const char* title = cmark_node_get_title(node);
    if (title == nullptr || *title == '\0') return;
    out_ += " title=\"";
    append_escaped(out_, title);
    out_ += '"';
  }

  // Table and strikethrough nodes have types the extensions assign at run time; they are
  // told apart by name. Anything unknown adds no markup of its own (its children render).
  Children extension_node(cmark_node* node, bool entering) {
    const std::string_view name = type_name(node);
    if (name == "strikethrough") {
      out_ += entering ? "<del>" : "</del>";
    } else if (name == "table") {
      line_break_before_block();
      if (entering) {
        out_ += "<table>\n";
        table_ = node;
        table_body_open_ = false;
      } else {
        if (table_body_open_) out_ += "</tbody>\n";
        out_ += "</table>\n";
        table_ = nullptr;
      }
    } else if (name == "table_header") {
      out_ += entering ? "<thead>\n<tr>\n" : "</tr>\n</thead>\n";
      column_ = 0;
    } else if (name == "table_row") {
      if (entering && !table_body_open_) {
        out_ += "<tbody>\n";
        table_body_open_ = true;
      }
      out_ += entering ? "<tr>\n" : "</tr>\n";
      column_ = 0;
    } else if (name == "table_cell") {
      const bool header = type_name(cmark_node_parent(node)) == "table_header";
      if (!entering) {
        out_ += header ? "</th>\n" : "</td>\n";
        ++column_;
      } else {
        out_ += header ? "<th scope=\"col\"" : "<td";
        add_alignment();
        out_ += '>';
      }
    }
    return Children::visit;
  }

  void add_alignment() {
    if (table_ == nullptr) return;
    const std::uint16_t columns = cmark_gfm_extensions_get_table_columns(table_);
    const std::uint8_t* alignments = cmark_gfm_extensions_get_table_alignments(table_);
    if (alignments == nullptr || column_ >= columns) return;
    switch (alignments[column_]) {
      case 'l':
        out_ += " class=\"ah-md-align-left\"";
        break;
      case 'c':
        out_ += " class=\"ah-md-align-center\"";
        break;
      case 'r':
        out_ += " class=\"ah-md-align-right\"";
        break;
      default:
        break;
    }
  }

  const Options& options_;
  std::unordered_map<cmark_node*, std::string> ids_;
  std::string out_;
  std::vector<bool> open_links_;  // per link being rendered: whether <a> was written
  cmark_node* pending_checkbox_ = nullptr;
  cmark_node* table_ = nullptr;
  bool table_body_open_ = false;
  std::size_t column_ = 0;
};

bool valid_anchor_prefix(std::string_view prefix) {
  return std::all_of(prefix.begin(), prefix.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace

Result<std::string> to_html(std::string_view markdown, const Options& options) {
  if (markdown.size() > options.max_bytes) {
    return fail(ErrorCode::invalid_input,
                "The text is too long: " + std::to_string(markdown.size()) + " bytes, at most " +
                    std::to_string(options.max_bytes) +
                    " are allowed. Please shorten it or split it into several parts.");
  }
  if (const std::size_t bad = first_invalid_utf8(markdown); bad != std::string_view::npos) {
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(markdown.begin(), markdown.begin() + bad, '\n'));
    return fail(ErrorCode::invalid_input,
                "The text is not valid UTF-8 (line " + std::to_string(line) + ", byte " +
                    std::to_string(bad + 1) +
                    "). Please save or paste it as UTF-8 text and try again.");
  }
  if (const std::size_t line = line_with_too_many_pipes(markdown); line != 0) {
    return fail(ErrorCode::invalid_input,
                "Line " + std::to_string(line) + " has more than " +
                    std::to_string(max_pipes_per_line) +
                    " '|' characters. Tables may have at most that many columns; please "
                    "shorten the line.");
  }
  if (!valid_anchor_prefix(options.anchor_prefix)) {
    return fail(ErrorCode::internal, "The text could not be shown.",
                "markdown: anchor_prefix may only have ASCII letters, digits, '-' and '_'");
  }
  const Document document = parse(markdown);
  std::unordered_map<cmark_node*, std::string> ids;
  if (!options.anchor_prefix.empty()) {
    for (auto& located : collect_sections(document.get())) {
      ids.emplace(located.node, std::move(located.section.anchor));
    }
  }
  std::string html = HtmlRenderer(options, std::move(ids)).render(document.get());
  if (auto audit = audit_html(html, options); !audit) {
    return fail(ErrorCode::internal, "The text could not be shown.",
                "markdown: rendered HTML failed the audit: " + audit.error().detail);
  }
  return html;
}

std::string to_plain_text(std::string_view markdown, std::size_t max_chars) {
  const Document document = parse(markdown);
  return shorten(collapse_whitespace(plain_text_of(document.get(), false)), max_chars);
}

std::vector<Section> sections(std::string_view markdown) {
  const Document document = parse(markdown);
  std::vector<Section> out;
  for (auto& located : collect_sections(document.get())) out.push_back(std::move(located.section));
  return out;
}

}  // namespace ah::markdown
