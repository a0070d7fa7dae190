// Markdown for people's texts: processes, proposals, comments, working-group posts and
// consultation drafts, written by citizens and staff, shown on pages whose CSP forbids inline
// script and style.
//
//   AH_TRY(html, markdown::to_html(proposal.body, {}));          // for {{{trusted}}} output
//   const std::string teaser = markdown::to_plain_text(proposal.body, 200);
//
// Dialect: CommonMark with the GitHub extensions table, strikethrough (~~x~~), autolink
// (www.example.org, https://…, name@example.org) and tasklist (- [ ] / - [x]). Footnotes are
// off.
//
// Safety. cmark-gfm parses in its safe mode (its own HTML renderer is never used), and this
// library renders the HTML itself from the syntax tree, so only the elements and attributes
// below can come out; then `audit_html` checks the finished HTML against the same allowlist
// and to_html fails (ErrorCode::internal) rather than return anything it rejects.
//   - Elements: p, br, h2–h6, strong, em, del, code, pre, blockquote, ul, ol (start), li,
//     a (href, title, rel), table, thead, tbody, tr, th (scope), td, hr,
//     input type=checkbox disabled (checked, aria-label) for tasklist items, and img (src,
//     alt, title) only with Options::allow_images.
//   - Classes, only ours: li.ah-md-task (tasklist item), th/td.ah-md-align-{left,center,right}
//     for table column alignment; ids only from Options::anchor_prefix. No style, no on*.
//   - Raw HTML in the text (inline tags, HTML blocks, comments) is never markup: it is shown
//     as the literal text the person typed, escaped ("<b>" appears as "<b>" on the page; an
//     HTML block becomes a paragraph with its lines kept). So "Kontakt: <Max Mustermann>"
//     keeps its words instead of vanishing.
//   - Links keep their href only for http:, https:, mailto: and relative URLs. The scheme is
//     found the way a browser finds it (tabs and line breaks removed, surrounding control
//     characters and spaces trimmed, case ignored; entities were already decoded by the
//     parser and are escaped again on output), so "JaVa&#x09;Script:", "&#1;javascript:" and
//     "java&#10;script:" are all javascript: and dropped. A dropped link shows its text without
//     the <a>. Backslashes are percent-encoded, so "/\host" cannot become "//host".
//     Links that leave the site (anything but relative URLs and URLs on Options::origin) get
//     rel="nofollow ugc noopener".
//   - Images: none by default; the image's description (alt text) is shown as plain text.
//     With allow_images (staff texts) only relative URLs ("/dateien/x.png", not "//host/…")
//     and URLs on Options::origin load; others fall back to the alt text. Nothing is ever
//     loaded from a third-party server.
//
// Anchors (sections). Consultations attach comments to headings, paragraphs and list items,
// so each one gets an id that survives edits elsewhere in the text:
//   1. The sections are, in document order: every heading; every paragraph that is not
//      directly inside a list item (paragraphs in block quotes count); every list item
//      (nested items are sections of their own). Tables, code blocks, rules and raw HTML
//      blocks are not sections.
//   2. A section's text is its plain text (markup removed, link text without the URL, image
//      alt text, a list item without its nested lists), with every run of whitespace turned
//      into one space and the ends trimmed. So rewrapping lines or adding emphasis keeps the
//      anchor; changing a word changes it. No Unicode normalisation is applied.
//   3. base = kind prefix ("h", "p" or "li") + "-" + the first 12 lower-case hex digits of
//      the 64-bit FNV-1a hash (offset 14695981039346656037, prime 1099511628211) of the
//      section's text in UTF-8.
//   4. The first section with a given base gets the base as its anchor; the n-th (n >= 2)
//      gets base + "-" + n. So anchors are unique within a text, editing one paragraph changes
//      only that paragraph's anchor (and the ordinal suffix of later sections whose text is
//      equal to its old or new text), and moving sections keeps their anchors.
//   The rule is stored data: changing it orphans every comment anchored with the old one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ah::markdown {

// 256 KiB: far more than a long consultation draft, small enough for the parser's worst
// cases to stay fast.
inline constexpr std::size_t default_max_bytes = 256 * 1024;

struct Options {
  // Added to the Markdown heading level: with 1, "#" becomes <h2> because pages already
  // have their own <h1>. The result is clamped to h2…h6.
  int heading_offset = 1;

  // Render images (for staff texts). Even then only relative URLs and URLs on `origin`.
  bool allow_images = false;

  // The site's own origin, e.g. "https://beteiligung.example.de" (scheme and host, optional
  // port, no path). Absolute URLs on it count as the site's own: links get no rel, images
  // may load. Empty: only relative URLs are the site's own.
  std::string origin;

  // Longer input (in bytes) is ErrorCode::invalid_input.
  std::size_t max_bytes = default_max_bytes;

  // When not empty, headings, paragraphs and list items that are sections (see above) get
  // id="<anchor_prefix><anchor>", e.g. prefix "abs-" gives id="abs-p-3fa9c2e01b7d". Only
  // ASCII letters, digits, '-' and '_' are allowed (anything else is ErrorCode::internal:
  // the prefix comes from code, not from people).
  std::string anchor_prefix;
};

// Renders `markdown` as an HTML fragment that is safe to insert into a page unescaped.
// Fails with ErrorCode::invalid_input when the text is longer than options.max_bytes, is not
// valid UTF-8 (the message says where), or has a line with more than 256 '|' (cmark-gfm
// 0.29.0.gfm.6 needs time quadratic in the cells of a table row), and with
// ErrorCode::internal when the finished HTML fails audit_html (a bug here; the detail names
// the reason for the log). Safe to call from many threads: cmark-gfm keeps parser state in
// globals, so the parsing step (not the rendering) is serialised by a process-wide lock.
Result<std::string> to_html(std::string_view markdown, const Options& options = {});

// The text without any markup, for summaries, feeds and mails: blocks separated by a space,
// every run of whitespace (and control characters) one space, ends trimmed. Links show their
// text, images their alt text, raw HTML its literal text. When the result has more than
// `max_chars` characters (Unicode code points) it is cut at the last word boundary that
// leaves room for "…", trailing punctuation (",;:.-") removed, and "…" appended; a first word
// longer than that is cut inside. Invalid UTF-8 becomes U+FFFD; never fails. Applies no
// size limit: pass texts that to_html accepted.
std::string to_plain_text(std::string_view markdown, std::size_t max_chars);

enum class SectionKind { heading, paragraph, list_item };

struct Section {
  SectionKind kind = SectionKind::paragraph;
  // Heading: the Markdown level 1–6 (before heading_offset). List item: how deeply its list
  // is nested, 1 for a top-level list. Paragraph: 0.
  int level = 0;
  std::string text;    // normalised plain text (rule 2 above)
  std::string anchor;  // rules 3 and 4 above, e.g. "p-3fa9c2e01b7d" or "li-0c1d2e3f4a5b-2"
};

// The sections of `markdown` in document order. Invalid UTF-8 becomes U+FFFD first. Like
// to_plain_text, meant for texts that to_html accepted (it applies no size limit); a line
// with more than 256 '|' is read without tables.
std::vector<Section> sections(std::string_view markdown);

// The second line of defence: checks that `html` consists only of the elements, attributes
// and attribute values that to_html may produce with `options` (the list above), with every
// href and src passing the URL rules again, and that text contains no '<', '>' or entity
// other than the ones to_html writes. Returns what is wrong in the error's detail.
Status audit_html(std::string_view html, const Options& options);

}  // namespace ah::markdown
