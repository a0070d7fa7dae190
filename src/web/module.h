// Module: how a part of augenhoehe plugs into the server.
//
// A module is a folder under src/modules/ (module.h/.cc, store, pages, api, templates/,
// tests beside the code). It declares what it brings through this one interface; the app
// collects every module at start-up (src/app/modules.cc) and nothing else wires it in.
// Modules depend on base/http/db/web, and on each other only through declared interfaces.
//
//   class HomeModule : public Module {
//     std::string_view name() const override { return "home"; }
//     void register_routes(http::Router& r, Services& s) override {
//       r.add(http::Method::get, "/", [&s](http::Request& q) { ... });
//     }
//   };
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"
#include "db/migrate.h"
#include "http/layer.h"
#include "http/metrics.h"
#include "http/router.h"
#include "mail/mailer.h"
#include "web/view.h"

namespace ah::web {

// What a module's handlers may use. Owned by the app; outlives every request.
class Module;

struct Services {
  db::Database& db;
  View& view;
  http::Metrics& metrics;
  std::string version;
  std::filesystem::path share_dir;  // templates/, i18n/, assets/, data/
  std::filesystem::path data_dir;   // the operator's data folder (database, outbox, pages)
  std::string openapi;              // the assembled OpenAPI document (see describe_api)
  mail::Mailer* mailer = nullptr;   // outbox or SMTP; null where nothing sends mail
  std::string public_url;           // "https://beteiligung.example", for links in mails
  bool https = false;               // Secure cookies
  // Every module, in the app's order (for what spans modules, e.g. the DSGVO export).
  std::vector<const Module*> modules;
};

// A kind of notice a module sends (see modules/notifications/notify.h): a namespaced id
// ("participation.comment_reply"), the catalogue key of its human name for the settings
// page, and how it reaches a person who has not chosen.
enum class Delivery { in_app, immediate, digest };  // in-app always; mail now or daily

struct NoticeKind {
  std::string id;
  std::string label_key;
  Delivery default_delivery = Delivery::in_app;
};

// Periodic work of a module, run by the server's housekeeping thread (app::Housekeeping):
// first one interval after the start, then one interval after its previous run ended.
// `run` returns how many things it did. Whatever must survive a restart lives in the
// database, not in the job.
struct PeriodicJob {
  std::string name;  // for the log, e.g. "send notification digests"
  std::chrono::milliseconds interval;
  std::function<Result<std::int64_t>()> run;
  // Runs once more when the server stops (after the last request), for jobs that write
  // what is kept in memory meanwhile.
  bool at_stop = false;
};

class Module {
 public:
  virtual ~Module() = default;
  virtual std::string_view name() const = 0;
  // Schema changes, numbered globally: each module owns a range of versions
  // (see docs/ARCHITECTURE.md), applied in order by the migrator.
  virtual std::vector<db::Migration> migrations() const { return {}; }
  virtual void register_routes(http::Router& router, Services& services) = 0;
  // Adds the module's API operations to the OpenAPI 3.1 document (paths, components).
  // Shared pieces every module may reference: #/components/schemas/Problem and
  // #/components/responses/Problem (RFC 9457 problem details).
  virtual void describe_api(nlohmann::json& /*openapi*/) const {}
  // Layers every request passes (see http/layer.h); owned by the module. Called once,
  // after register_routes.
  virtual std::vector<http::Layer*> layers() { return {}; }
  // DSGVO Art. 15/20: what the module stores about the account, as JSON (null for
  // nothing); the account's data export puts it under the module's name. For erasure,
  // tables that name an account reference accounts(id) ON DELETE CASCADE, or ON DELETE
  // SET NULL for public contributions, which then show as by "gelöschtes Konto"
  // (web/format.h: author_name); see also before_account_erasure.
  virtual Result<nlohmann::json> export_personal_data(Services&,
                                                      std::int64_t /*account_id*/) const {
    return nlohmann::json();
  }
  // Called before an account is erased, for what a cascade cannot do alone (e.g. keeping
  // denormalised counts exact). Must be idempotent: an erasure may be retried.
  virtual Status before_account_erasure(Services&, std::int64_t /*account_id*/) const { return {}; }
  // The kinds of notices the module sends; notifications::notify refuses undeclared ones.
  virtual std::vector<NoticeKind> notice_kinds() const { return {}; }
  // Jobs for the housekeeping thread of `serve`; `services` outlives them.
  virtual std::vector<PeriodicJob> periodic_jobs(Services& /*services*/) { return {}; }
  // Demo content for `serve --demo`, run once on a fresh database after migrations.
  virtual Status seed_demo(Services&) { return {}; }
};

}  // namespace ah::web
