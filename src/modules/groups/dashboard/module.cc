#include "modules/groups/dashboard/module.h"

#include <map>

#include "base/time.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/groups/access.h"
#include "modules/groups/decisions/store.h"
#include "modules/groups/meetings/store.h"
#include "modules/groups/store.h"
#include "web/errors.h"
#include "web/format.h"

namespace ah::modules {

namespace {

// How much of each kind the page shows; the group pages hold the rest.
constexpr int kDecisions = 10;
constexpr int kMeetings = 5;
constexpr int kThreads = 10;

class GroupDashboardModule : public web::Module {
 public:
  std::string_view name() const override { return "group_dashboard"; }

  void register_routes(http::Router& router, web::Services& s) override {
    router.add(http::Method::get, "/arbeitsgruppen/meine",
               [&s](http::Request& r) { return page(s, r); });
  }

 private:
  static http::Response page(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    const auto& c = s.view.catalog();
    const std::int64_t now = accounts::unix_now();
    auto mine = groups::GroupStore(s.db).of_member(r.account_id);
    if (!mine) return groups::refusal(s, r, mine.error());
    auto waiting = decisions::DecisionStore(s.db).awaiting_vote(r.account_id, now, kDecisions);
    if (!waiting) return groups::refusal(s, r, waiting.error());
    auto next = meetings::MeetingStore(s.db).upcoming_for(r.account_id, now, kMeetings);
    if (!next) return groups::refusal(s, r, next.error());
    auto unread = groups::ThreadStore(s.db).unread_for(r.account_id, kThreads);
    if (!unread) return groups::refusal(s, r, unread.error());

    std::map<std::int64_t, std::string> group_names;
    web::Data group_list{web::Data::type::list};
    for (const auto& g : *mine) {
      group_names[g.id] = g.name;
      web::Data item{web::Data::type::object};
      item.set("name", g.name);
      item.set("href", groups::group_href(g.id));
      item.set("members", web::format_integer(g.member_count, r.lang));
      group_list.push_back(item);
    }
    auto name_of = [&](std::int64_t group_id) {
      auto it = group_names.find(group_id);
      return it == group_names.end() ? std::string() : it->second;
    };

    web::Data decision_list{web::Data::type::list};
    for (const auto& d : *waiting) {
      web::Data item{web::Data::type::object};
      item.set("title", d.title);
      item.set("href", "/entscheidungen/" + std::to_string(d.id));
      item.set("group", name_of(d.group_id));
      item.set("deadline", web::format_date_time(d.deadline, r.lang));
      item.set("deadline_iso", rfc3339_utc(d.deadline));
      item.set("soon", d.deadline - now <= 24 * 3600);
      decision_list.push_back(item);
    }
    web::Data meeting_list{web::Data::type::list};
    for (const auto& m : *next) {
      web::Data item{web::Data::type::object};
      item.set("title", m.title);
      item.set("href", "/termine/" + std::to_string(m.id));
      item.set("ics_href", "/termine/" + std::to_string(m.id) + ".ics");
      item.set("group", m.group_name);
      item.set("when", web::format_date_time(m.starts_at, r.lang));
      item.set("when_iso", rfc3339_utc(m.starts_at));
      item.set("where", !m.place.empty() ? m.place
                        : m.video        ? c.text(r.lang, "dashboard_video")
                                         : std::string());
      meeting_list.push_back(item);
    }
    web::Data thread_list{web::Data::type::list};
    for (const auto& t : *unread) {
      web::Data item{web::Data::type::object};
      item.set("title", t.title);
      // To the first post the person has not read.
      item.set("href", groups::thread_href(t.id) + "?" +
                           http::build_query({{"cursor", groups::ThreadStore::after_cursor(
                                                             t.last_read)}}) +
                           "#ungelesen");
      item.set("group", name_of(t.group_id));
      item.set("when", web::format_date_time(t.last_post_at, r.lang));
      item.set("when_iso", rfc3339_utc(t.last_post_at));
      thread_list.push_back(item);
    }

    web::Data data{web::Data::type::object};
    data.set("decisions", decision_list);
    data.set("has_decisions", !waiting->empty());
    data.set("meetings", meeting_list);
    data.set("has_meetings", !next->empty());
    data.set("threads", thread_list);
    data.set("has_threads", !unread->empty());
    data.set("groups", group_list);
    data.set("has_groups", !mine->empty());
    auto response = groups::render(s, r, "group_dashboard", data,
                                   c.text(r.lang, "dashboard_heading"));
    // One person's page: no cache keeps it.
    response.headers.set("Cache-Control", "no-store");
    return response;
  }
};

}  // namespace

std::unique_ptr<web::Module> make_group_dashboard_module() {
  return std::make_unique<GroupDashboardModule>();
}

}  // namespace ah::modules
