// The one list of modules. A new module is added here and nowhere else.
#include <algorithm>

#include "app/commands.h"
#include "modules/home/module.h"
#include "modules/ops/module.h"

namespace ah::app {

std::vector<std::unique_ptr<web::Module>> all_modules() {
  std::vector<std::unique_ptr<web::Module>> modules;
  modules.push_back(modules::make_ops_module());
  modules.push_back(modules::make_home_module());
  return modules;
}

std::vector<db::Migration> all_migrations(const std::vector<std::unique_ptr<web::Module>>& modules) {
  // Versions 1-999 belong to the core; each module owns a range (docs/ARCHITECTURE.md).
  std::vector<db::Migration> all = {
      {1, "app_meta",
       "CREATE TABLE app_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"},
  };
  for (const auto& m : modules)
    for (auto& migration : m->migrations()) all.push_back(std::move(migration));
  std::sort(all.begin(), all.end(),
            [](const db::Migration& a, const db::Migration& b) { return a.version < b.version; });
  return all;
}

}  // namespace ah::app
