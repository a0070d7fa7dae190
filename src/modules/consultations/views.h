// Pieces the pages of the Konsultationen share: the head of every consultation page, a
// consultation in a list, a comment, the synopsis rows, telling people, and who may write
// a consultation on whose behalf.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "modules/consultations/store.h"
#include "web/i18n.h"
#include "web/module.h"

namespace ah::modules::consultations {

// On whose behalf the reader may put out a consultation: organisations they are admin of
// (consultation.create), working groups they own (group.edit). value: "org:7" / "group:3".
struct AuthorChoice {
  std::string value, name;
  std::optional<std::int64_t> org, group;
};
Result<std::vector<AuthorChoice>> author_choices(web::Services& s, const http::Request& r);

// A consultation in a list: title, href, author, phase and its label, deadline, round.
web::Data summary_data(const web::Catalog& cat, std::string_view lang, const Consultation& c,
                       std::int64_t now);

// What every page about one consultation shows at its top: title, author, phase, deadline,
// addressees, openness, and the links the reader may follow (text, board, rounds,
// Abwägung; Stellungnahme for the reader's organisations; settings and rounds for authors).
std::expected<web::Data, http::Response> head_data(web::Services& s, const http::Request& r,
                                                   const Consultation& c, std::int64_t now);

// A comment for the templates: who (organisation or citizen), passage, amendment as a diff
// to `section_text`, text, supports and the reader's buttons while `open`, the answer when
// `show_answer`.
web::Data comment_data(web::Services& s, const http::Request& r, const Consultation& c,
                       const Comment& k, const std::string& section_text, bool open,
                       bool show_answer);

// Two texts side by side: {left: [lines], right: [lines]}, each line with its pieces
// (drafts/diff_view.h), the left without added words, the right without removed ones.
web::Data diff_sides(std::string_view before, std::string_view after);

// An amendment as a diff to the section's wording, line by line (for {{> _drafts_diff_inline}}).
web::Data amendment_lines(std::string_view original, std::string_view amendment);

// The synopsis of two rounds' sections as table rows (label, before/after pieces, changed).
web::Data synopsis_rows(const web::Catalog& cat, std::string_view lang,
                        const std::vector<Section>& before, const std::vector<Section>& after);

// A catalogue text with {0}, {1}, … replaced by the numbers, formatted for the language.
std::string format_count(const web::Catalog& cat, std::string_view lang, std::string_view key,
                         const std::vector<std::int64_t>& numbers);

// Notices to `accounts`, in one transaction, mailed after it as each person chose. Failures
// are logged: the change the notice is about has already been made and stays.
void tell(web::Services& s, const std::vector<std::int64_t>& accounts, std::string_view kind,
          const std::string& title, const std::string& text, const std::string& link);
// "consultations.opened" to the staff of every recipient: `key` (catalogue) + the title.
void tell_recipients(web::Services& s, std::int64_t id, std::string_view key,
                     const std::string& title);

}  // namespace ah::modules::consultations
