// The one list of modules. A new module is added here and nowhere else.
#include <algorithm>

#include "app/commands.h"
#include "modules/accounts/module.h"
#include "modules/consultations/module.h"
#include "modules/files/module.h"
#include "modules/groups/drafts/module.h"
#include "modules/groups/meetings/module.h"
#include "modules/groups/dashboard/module.h"
#include "modules/groups/decisions/module.h"
#include "modules/groups/module.h"
#include "modules/home/module.h"
#include "modules/members/module.h"
#include "modules/moderation/module.h"
#include "modules/notifications/module.h"
#include "modules/ops/module.h"
#include "modules/orgs/module.h"
#include "modules/participation/module.h"
#include "modules/pages/module.h"
#include "search/index.h"
#include "web/openapi.h"

namespace ah::app {

std::vector<std::unique_ptr<web::Module>> all_modules(const std::filesystem::path& share_dir,
                                                      const std::filesystem::path& data_dir) {
  std::vector<std::unique_ptr<web::Module>> modules;
  modules.push_back(modules::make_ops_module());
  modules.push_back(modules::make_home_module());
  modules.push_back(modules::make_orgs_module(share_dir / "data"));
  modules.push_back(modules::make_accounts_module());
  modules.push_back(modules::make_members_module());
  modules.push_back(modules::make_moderation_module());
  modules.push_back(modules::make_files_module());
  modules.push_back(modules::make_participation_module());
  modules.push_back(modules::make_groups_module());
  modules.push_back(modules::make_drafts_module());
  modules.push_back(modules::make_meetings_module());
  modules.push_back(modules::make_decisions_module());
  modules.push_back(modules::make_group_dashboard_module());
  modules.push_back(modules::make_consultations_module());
  modules.push_back(modules::make_notifications_module());
  modules.push_back(modules::make_pages_module(data_dir));
  return modules;
}

nlohmann::json openapi_document(const std::vector<std::unique_ptr<web::Module>>& modules,
                                const std::string& version) {
  nlohmann::json problem = {
      {"type", "object"},
      {"description", "RFC 9457 problem details; title and detail in the request's language"},
      {"required", {"type", "title", "status"}},
      {"properties",
       {{"type", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"detail", {{"type", "string"}}},
        {"request_id", {{"type", "string"}}}}}};
  nlohmann::json doc = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "augenhoehe API"},
        {"version", version},
        {"description", "Land und Kommunen auf Augenhöhe: the JSON API. Reads are public "
                        "where the pages are; errors are RFC 9457 problem details."},
        {"license", {{"name", "EUPL-1.2"}, {"identifier", "EUPL-1.2"}}}}},
      {"servers", {{{"url", "/"}}}},
      {"paths", nlohmann::json::object()},
      {"components",
       {{"schemas", {{"Problem", problem}}},
        {"responses",
         {{"Problem",
           {{"description", "The request could not be answered; see title and detail"},
            {"content",
             {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}}}}}}}};
  for (const auto& m : modules) m->describe_api(doc);
  web::openapi::lift_examples(doc);
  return doc;
}

std::vector<db::Migration> all_migrations(const std::vector<std::unique_ptr<web::Module>>& modules) {
  // Versions 1-999 belong to the core; each module owns a range (docs/ARCHITECTURE.md).
  std::vector<db::Migration> all = {
      {1, "app_meta",
       "CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"},
  };
  for (auto& migration : search::search_migrations()) all.push_back(std::move(migration));
  for (const auto& m : modules)
    for (auto& migration : m->migrations()) all.push_back(std::move(migration));
  std::sort(all.begin(), all.end(),
            [](const db::Migration& a, const db::Migration& b) { return a.version < b.version; });
  return all;
}

}  // namespace ah::app
