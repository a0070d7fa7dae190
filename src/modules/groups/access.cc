#include "modules/groups/access.h"

#include "base/time.h"
#include "web/api.h"
#include "web/errors.h"

namespace ah::modules::groups {

authz::Target space_of(std::int64_t group_id) {
  return authz::Target::space(std::string(kSpaceKind), group_id);
}

std::string group_href(std::int64_t id) { return "/arbeitsgruppen/" + std::to_string(id); }
std::string thread_href(std::int64_t id) { return "/themen/" + std::to_string(id); }
std::string notice_scope(std::int64_t group_id) { return "group:" + std::to_string(group_id); }

http::Response refusal(web::Services& s, const http::Request& r, const Error& e) {
  const auto& c = s.view.catalog();
  int status = web::status_for(e.code);
  if (status >= 500) return web::error_response(s.view, r, e);
  return web::error_response(s.view, r, status,
                             c.has(r.lang, e.message) ? c.text(r.lang, e.message) : std::string());
}

http::Response invalid(web::Services& s, const http::Request& r,
                       const std::vector<std::pair<std::string, std::string>>& errors) {
  return web::error_response(s.view, r, 422, s.view.catalog().text(r.lang, errors.front().second));
}

http::Response render(web::Services& s, const http::Request& r, std::string_view page,
                      web::Data data, const std::string& title, int status) {
  data.set("title", title);
  data.set("csrf", r.csrf_token);
  data.set("nav_groups", true);
  auto response = http::Response::html(s.view.render(page, data, r), status);
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

Result<bool> can(web::Services& s, const http::Request& r, authz::Action action,
                 const authz::Target& target) {
  return authz::Authorizer(s.db).can(r.account_id, action, target);
}

Result<authz::SpaceRole> role_of(web::Services& s, const http::Request& r, std::int64_t group_id) {
  if (r.account_id == 0) return authz::SpaceRole::none;
  return authz::SpaceRoleStore(s.db).role_in(kSpaceKind, group_id, r.account_id);
}

Result<Group> visible_group(web::Services& s, const http::Request& r, std::int64_t id) {
  AH_TRY(group, GroupStore(s.db).find(id));
  if (auto action = read_action(group.visibility)) {
    AH_TRY(may, can(s, r, *action, space_of(id)));
    if (!may) return fail(ErrorCode::not_found, "no such group");
  }
  return group;
}

std::expected<Group, http::Response> readable_group(web::Services& s, const http::Request& r) {
  auto id = web::parse_id(r.param("id"));
  if (!id) return std::unexpected(web::error_response(s.view, r, 404));
  auto group = visible_group(s, r, *id);
  if (!group) return std::unexpected(refusal(s, r, group.error()));
  return std::move(*group);
}

std::optional<http::Response> refused(web::Services& s, const http::Request& r,
                                      authz::Action action, std::int64_t group_id,
                                      std::string_view refused_key) {
  auto may = can(s, r, action, space_of(group_id));
  if (!may) return refusal(s, r, may.error());
  if (!*may) return web::error_response(s.view, r, 403, s.view.catalog().text(r.lang, refused_key));
  return std::nullopt;
}

std::expected<Group, http::Response> acting_in_group(web::Services& s, const http::Request& r,
                                                     std::int64_t group_id, authz::Action action,
                                                     std::string_view refused_key) {
  if (r.account_id == 0) return std::unexpected(http::Response::redirect("/konto/anmelden"));
  auto group = visible_group(s, r, group_id);
  if (!group) return std::unexpected(refusal(s, r, group.error()));
  if (auto no = refused(s, r, action, group->id, refused_key)) return std::unexpected(*no);
  return std::move(*group);
}

std::expected<Group, http::Response> acting_on_group(web::Services& s, const http::Request& r,
                                                     authz::Action action,
                                                     std::string_view refused_key) {
  auto id = web::parse_id(r.param("id"));
  if (!id) {
    if (r.account_id == 0) return std::unexpected(http::Response::redirect("/konto/anmelden"));
    return std::unexpected(web::error_response(s.view, r, 404));
  }
  return acting_in_group(s, r, *id, action, refused_key);
}

nlohmann::json cursor_json(const std::string& cursor) {
  return cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(cursor);
}

std::string joined(const std::vector<std::string>& texts) {
  std::string out;
  for (const auto& text : texts) out += (out.empty() ? "" : ", ") + text;
  return out;
}

Result<nlohmann::json> export_tables(db::Database& db, std::int64_t account,
                                     const std::vector<ExportedTable>& tables) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, sql, columns] : tables) {
    AH_TRY(rs, db.query(sql, {db::Value{account}}));
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : rs.rows) {
      nlohmann::json item = nlohmann::json::object();
      for (std::size_t i = 0; i < columns.size(); ++i) {
        std::string_view column = columns[i];
        if (row.is_null(i))
          item[columns[i]] = nullptr;
        else if (column.ends_with("_at"))
          item[columns[i]] = rfc3339_utc(row.int64(i));
        else if (std::holds_alternative<std::int64_t>(row.value(i)))
          item[columns[i]] = row.int64(i);
        else
          item[columns[i]] = row.text(i);
      }
      rows.push_back(std::move(item));
    }
    out[name] = std::move(rows);
  }
  return out;
}

}  // namespace ah::modules::groups
