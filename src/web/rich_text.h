// People's texts (Markdown) on pages. The only way HTML written from a person's text reaches
// a template: pages insert the result as {{{NAME_html}}} (the one triple-mustache form the
// templates may use; tests/e2e/templates.test.mjs checks that).
//
//   data.set("body_html", web::rich_text(proposal.body, services));
//   // template: <div class="ah-text">{{{body_html}}}</div>
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "web/module.h"

namespace ah::web {

// Safe HTML for `markdown` (src/markdown: allowlist renderer + audit; links leaving
// `services.public_url` get rel="nofollow ugc noopener"). Headings start at <h3> because
// the text sits under the page's <h1> and a section <h2>. Images only for staff texts
// (`allow_images`). Never fails: a text that cannot be rendered (stored before a limit
// existed, or a renderer bug) is shown as escaped paragraphs and logged.
std::string rich_text(std::string_view markdown, const Services& services,
                      bool allow_images = false);

// For forms: the message key of the i18n text that explains why `markdown` cannot be
// accepted (too long, not UTF-8, a table line with too many cells), or nullopt when it
// renders. Shown next to the field; the person keeps what they typed.
std::optional<std::string> rich_text_problem(std::string_view markdown);

// The text without markup, at most `max_chars` characters (cut at a word, "…" appended), for
// teasers, feeds and mails.
std::string plain_text(std::string_view markdown, std::size_t max_chars);

}  // namespace ah::web
