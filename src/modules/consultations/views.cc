#include "modules/consultations/views.h"

#include <spdlog/spdlog.h>

#include "authz/memberships.h"
#include "http/url.h"
#include "modules/consultations/access.h"
#include "modules/groups/access.h"
#include "modules/groups/drafts/diff_view.h"
#include "modules/groups/store.h"
#include "modules/notifications/notify.h"
#include "base/time.h"
#include "web/format.h"
#include "web/rich_text.h"

namespace ah::modules::consultations {

using groups::drafts::Change;

Result<std::vector<AuthorChoice>> author_choices(web::Services& s, const http::Request& r) {
  std::vector<AuthorChoice> out;
  if (r.account_id == 0) return out;
  authz::Authorizer authorizer(s.db);
  AH_TRY(memberships, authz::MembershipStore(s.db).list_for_account(r.account_id));
  for (const auto& m : memberships) {
    if (m.state != authz::MembershipState::active) continue;
    AH_TRY(may, authorizer.can(r.account_id, authz::Action::consultation_create,
                               authz::Target::organisation(m.org_id)));
    if (may) out.push_back({"org:" + std::to_string(m.org_id), m.org_name, m.org_id, {}});
  }
  AH_TRY(groups, groups::GroupStore(s.db).of_member(r.account_id));
  for (const auto& g : groups) {
    AH_TRY(may, authorizer.can(r.account_id, authz::Action::group_edit, groups::space_of(g.id)));
    if (may) out.push_back({"group:" + std::to_string(g.id), g.name, {}, g.id});
  }
  return out;
}

namespace {

std::string phase_label(const web::Catalog& cat, std::string_view lang, Phase phase) {
  return cat.text(lang, "consultations_phase_" + std::string(to_string(phase)));
}

}  // namespace

web::Data summary_data(const web::Catalog& cat, std::string_view lang, const Consultation& c,
                       std::int64_t now) {
  web::Data item{web::Data::type::object};
  item.set("title", c.title);
  item.set("href", consultation_href(c.id));
  item.set("author_name", c.author_name);
  const auto phase = c.phase(now);
  item.set("phase", std::string(to_string(phase)));
  item.set("phase_label", phase_label(cat, lang, phase));
  item.set("deadline", web::format_date_time(c.deadline, lang));
  item.set("deadline_iso", rfc3339_utc(c.deadline));
  item.set("round", std::to_string(c.current_round));
  item.set("later_round", c.current_round > 1);
  if (!c.summary.empty()) item.set("summary", web::plain_text(c.summary, 240));
  return item;
}

std::expected<web::Data, http::Response> head_data(web::Services& s, const http::Request& r,
                                                   const Consultation& c, std::int64_t now) {
  const auto& cat = s.view.catalog();
  web::Data data = summary_data(cat, r.lang, c, now);
  data.set("consultation_title", c.title);
  data.set("href", consultation_href(c.id));
  data.set("open", c.phase(now) == Phase::open);
  if (c.author_org_id)
    data.set("author_href", "/organisationen/" + c.author_key);
  else if (c.author_group_id)
    data.set("author_href", groups::group_href(*c.author_group_id));
  if (!c.summary.empty()) data.set("summary_html", web::rich_text(c.summary, s));
  data.set("openness_label", cat.text(r.lang, "consultations_openness_" + std::string(to_string(c.openness))));
  web::Data addressees{web::Data::type::list};
  for (const auto& rule : c.addressees) {
    web::Data item{web::Data::type::object};
    std::string text;
    switch (rule.kind) {
      case AddresseeKind::all_gemeinden:
        text = cat.text(r.lang, "consultations_addressee_all_gemeinden");
        break;
      case AddresseeKind::kreis:
        text = cat.text(r.lang, "consultations_addressee_kreis") + " " + rule.name;
        break;
      case AddresseeKind::organisation:
        text = rule.name;
        break;
      case AddresseeKind::group:
        text = cat.text(r.lang, "consultations_addressee_group") + " " + rule.name;
        break;
    }
    item.set("text", text);
    addressees.push_back(item);
  }
  if (c.openness == Openness::public_comments) {
    web::Data item{web::Data::type::object};
    item.set("text", cat.text(r.lang, "consultations_addressee_public"));
    addressees.push_back(item);
  }
  data.set("addressees", addressees);
  // The author's feed of open consultations (only public ones are in feeds).
  if (c.author_org_id && c.openness != Openness::internal)
    data.set("feed_href", "/organisationen/" + c.author_key + "/konsultationen.atom");
  data.set("board_href", consultation_href(c.id) + "/stand");
  data.set("rounds_href", consultation_href(c.id) + "/runden");
  if (c.phase(now) != Phase::open || c.current_round > 1)
    data.set("abwaegung_href", consultation_href(c.id) + "/abwaegung");
  auto speakers = voices(s, r, c);
  if (!speakers) return std::unexpected(groups::refusal(s, r, speakers.error()));
  data.set("has_voice", !speakers->empty());
  if (!speakers->empty()) {
    data.set("statement_href", consultation_href(c.id) + "/stellungnahme");
    web::Data names{web::Data::type::list};
    for (const auto& v : *speakers) {
      web::Data item{web::Data::type::object};
      item.set("name", v.name);
      item.set("href", consultation_href(c.id) + "/stellungnahme?" +
                           http::build_query({{"org", std::to_string(v.org_id)}}));
      names.push_back(item);
    }
    data.set("my_orgs", names);
  }
  auto author = is_author(s, r, c);
  if (!author) return std::unexpected(groups::refusal(s, r, author.error()));
  data.set("is_author", *author);
  if (*author && c.phase(now) == Phase::open)
    data.set("settings_href", consultation_href(c.id) + "/bearbeiten");
  return data;
}

web::Data diff_sides(std::string_view before, std::string_view after) {
  const auto diff = groups::drafts::diff_texts(before, after);
  web::Data left{web::Data::type::list}, right{web::Data::type::list};
  for (const auto& line : diff.lines) {
    web::Data item{web::Data::type::object};
    item.set("pieces", groups::drafts::pieces_data(line));
    if (line.change != Change::added) left.push_back(item);
    if (line.change != Change::removed) right.push_back(item);
  }
  web::Data out{web::Data::type::object};
  out.set("left", left);
  out.set("right", right);
  return out;
}

web::Data amendment_lines(std::string_view original, std::string_view amendment) {
  return groups::drafts::inline_data(groups::drafts::diff_texts(original, amendment));
}

web::Data comment_data(web::Services& s, const http::Request& r, const Consultation& c,
                       const Comment& k, const std::string& section_text, bool open,
                       bool show_answer) {
  const auto& cat = s.view.catalog();
  web::Data item{web::Data::type::object};
  item.set("id", std::to_string(k.id));
  item.set("author", web::author_name(cat, r.lang, k.author_name));
  item.set("org_name", k.org_name);
  item.set("by_org", k.org_id.has_value());
  item.set("when", web::format_date_time(k.created_at, r.lang));
  item.set("when_iso", rfc3339_utc(k.created_at));
  item.set("body_html", web::rich_text(k.body, s));
  if (!k.passage.empty()) item.set("passage", k.passage);
  if (!k.amendment.empty())
    item.set("lines", amendment_lines(section_text, k.amendment));
  item.set("has_amendment", !k.amendment.empty());
  item.set("supports", std::to_string(k.supports));
  item.set("final", k.final);
  const bool own = r.account_id != 0 && k.author_id == r.account_id;
  if (open && r.account_id != 0) {
    item.set("support_action", "/konsultationen/kommentare/" + std::to_string(k.id) + "/unterstuetzen");
    item.set("can_support", !own);
    item.set("supported", k.supported_by_reader);
    item.set("can_withdraw", own && !k.final);
    item.set("withdraw_action", "/konsultationen/kommentare/" + std::to_string(k.id) + "/zurueckziehen");
  }
  if (show_answer && k.answer) {
    item.set("answered", true);
    item.set("verdict", std::string(to_string(k.answer->verdict)));
    item.set("verdict_label", cat.text(r.lang, "consultations_verdict_" + std::string(to_string(k.answer->verdict))));
    item.set("reason_html", web::rich_text(k.answer->reason, s));
  }
  (void)c;
  return item;
}

web::Data synopsis_rows(const web::Catalog& cat, std::string_view lang,
                        const std::vector<Section>& before, const std::vector<Section>& after) {
  web::Data rows{web::Data::type::list};
  for (const auto& row : synopsis(before, after)) {
    web::Data item{web::Data::type::object};
    const Section& named = row.after ? *row.after : *row.before;
    item.set("label", named.label);
    item.set("anchor", named.anchor);
    item.set("changed", row.changed());
    if (!row.before)
      item.set("state", cat.text(lang, "consultations_synopsis_added"));
    else if (!row.after)
      item.set("state", cat.text(lang, "consultations_synopsis_removed"));
    else if (row.changed())
      item.set("state", cat.text(lang, "consultations_synopsis_changed"));
    else
      item.set("state", cat.text(lang, "consultations_synopsis_same"));
    auto sides = diff_sides(row.before ? row.before->text : "", row.after ? row.after->text : "");
    item.set("sides", sides);
    rows.push_back(item);
  }
  return rows;
}

std::string format_count(const web::Catalog& cat, std::string_view lang, std::string_view key,
                         const std::vector<std::int64_t>& numbers) {
  std::string text = cat.text(lang, key);
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const std::string mark = "{" + std::to_string(i) + "}";
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark))
      text.replace(at, mark.size(), web::format_integer(numbers[i], lang));
  }
  return text;
}

void tell(web::Services& s, const std::vector<std::int64_t>& accounts, std::string_view kind,
          const std::string& title, const std::string& text, const std::string& link) {
  if (accounts.empty()) return;
  std::vector<std::int64_t> notices;
  auto stored = s.db.transaction([&](db::Connection& tx) -> Status {
    for (auto who : accounts) {
      AH_TRY(id, notifications::notify(s, tx, {who, std::string(kind), title, text, link, {}}));
      notices.push_back(id);
    }
    return {};
  });
  if (!stored) {
    spdlog::error("consultations: could not tell {} people ({}): {}", accounts.size(), kind,
                  stored.error().detail.empty() ? stored.error().message : stored.error().detail);
    return;
  }
  notifications::deliver(s, notices);
}

void tell_recipients(web::Services& s, std::int64_t id, std::string_view key,
                     const std::string& title) {
  auto staff = ConsultationStore(s.db).recipient_staff(id);
  if (!staff) {
    spdlog::error("consultations: recipients of {} unknown: {}", id, staff.error().message);
    return;
  }
  const auto& cat = s.view.catalog();
  tell(s, *staff, "consultations.opened", cat.text("de", key) + " „" + title + "“", "",
       consultation_href(id));
}

}  // namespace ah::modules::consultations
