// What every page and API handler about a working group needs first: may this reader see
// the group, may they act in it, and how a refusal reads. Shared by the groups module and
// the modules that live in a group (drafts, decisions, meetings), so that a closed group
// stays invisible and a refusal says the same thing everywhere.
//
//   auto group = groups::acting_in_group(s, r, draft.group_id, authz::Action::group_post,
//                                        "groups_error_not_member");
//   if (!group) return group.error();   // login redirect, 404 or 403 with the reason
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "authz/memberships.h"
#include "db/database.h"
#include "authz/permissions.h"
#include "http/message.h"
#include "modules/groups/store.h"
#include "web/module.h"

namespace ah::modules::groups {

// The group's space, where its roles are granted (space kind "group").
authz::Target space_of(std::int64_t group_id);
std::string group_href(std::int64_t group_id);    // "/arbeitsgruppen/7"
std::string thread_href(std::int64_t thread_id);  // "/themen/12"
// The scope of the group's notices ("group:7"): members choose their delivery per group
// (notifications::Notice::scope).
std::string notice_scope(std::int64_t group_id);

// An error for a person: a store's refusal whose message is a catalogue key in their
// language, other 4xx with the standard text of the status (never a store's English
// detail), 5xx as web::error_response does.
http::Response refusal(web::Services& s, const http::Request& r, const Error& e);
// A 422 naming the first thing wrong (catalogue keys by field), in the person's language.
http::Response invalid(web::Services& s, const http::Request& r,
                       const std::vector<std::pair<std::string, std::string>>& errors);

// A page of the groups area: title, CSRF token and the navigation mark set; revalidated
// by caches, since it depends on who reads it.
http::Response render(web::Services& s, const http::Request& r, std::string_view page,
                      web::Data data, const std::string& title, int status = 200);

Result<bool> can(web::Services& s, const http::Request& r, authz::Action action,
                 const authz::Target& target);
// The reader's role in the group (none when signed out or not a member).
Result<authz::SpaceRole> role_of(web::Services& s, const http::Request& r, std::int64_t group_id);

// The group if the reader may read it; not_found otherwise, so that a closed group's
// existence is not revealed.
Result<Group> visible_group(web::Services& s, const http::Request& r, std::int64_t id);

// For pages and API reads of the group named by the path parameter {id}: the group if the
// reader may read it; else the 404 (no such group, or one the reader may not see).
std::expected<Group, http::Response> readable_group(web::Services& s, const http::Request& r);

// nullopt when the reader may do `action` in the group; else a 403 saying why
// (`refused_key`), or the error that kept us from knowing.
std::optional<http::Response> refused(web::Services& s, const http::Request& r,
                                      authz::Action action, std::int64_t group_id,
                                      std::string_view refused_key);

// For pages and forms acting in a group: the group, when the reader is signed in, may
// read it and may do `action`; else the answer (the login, 404, 403 with `refused_key`).
std::expected<Group, http::Response> acting_in_group(web::Services& s, const http::Request& r,
                                                     std::int64_t group_id, authz::Action action,
                                                     std::string_view refused_key);
// The same for the group named by the path parameter {id}.
std::expected<Group, http::Response> acting_on_group(web::Services& s, const http::Request& r,
                                                     authz::Action action,
                                                     std::string_view refused_key);

// Small pieces the group modules' pages, API and DSGVO export share.
// A page's next_cursor for the API: null on the last page.
nlohmann::json cursor_json(const std::string& cursor);
// Organisations by name for a line of text: "Kemberg, Land Sachsen-Anhalt"; "" for none.
std::string joined(const std::vector<std::string>& texts);
// For export_personal_data: what a module holds of a person, table by table — a name,
// the query (its one parameter is the account) and the names of its columns.
struct ExportedTable {
  const char* name;
  const char* sql;
  std::vector<const char*> columns;
};
// {name: [rows as objects named by the columns]}; columns named "…_at" are times
// (RFC 3339), NULL is null.
Result<nlohmann::json> export_tables(db::Database& db, std::int64_t account,
                                     const std::vector<ExportedTable>& tables);

}  // namespace ah::modules::groups
