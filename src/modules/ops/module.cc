#include "modules/ops/module.h"

#include <nlohmann/json.hpp>

namespace ah::modules {

namespace {

class OpsModule : public web::Module {
 public:
  std::string_view name() const override { return "ops"; }

  void register_routes(http::Router& router, web::Services& services) override {
    router.add(http::Method::get, "/healthz", [&services](http::Request&) {
      nlohmann::json database = {{"backend", std::string(db::to_string(services.db.backend()))}};
      bool ok = true;
      if (auto ping = services.db.ping(); !ping) {
        ok = false;
        database["status"] = "unavailable";
        database["message"] = ping.error().message;
      } else if (auto version = db::current_version(services.db); !version) {
        ok = false;
        database["status"] = "unavailable";
        database["message"] = version.error().message;
      } else {
        database["status"] = "ok";
        database["schema_version"] = *version;
      }
      auto pool = services.db.pool_stats();
      database["pool"] = {{"size", pool.size}, {"in_use", pool.in_use}};
      nlohmann::json body = {{"status", ok ? "ok" : "unavailable"},
                             {"version", services.version},
                             {"database", database}};
      auto response = http::Response::json(body.dump(), ok ? 200 : 503);
      response.headers.set("Cache-Control", "no-store");
      return response;
    });

    router.add(http::Method::get, "/api/v1/openapi.json", [&services](http::Request&) {
      auto response = http::Response::json(services.openapi);
      response.headers.set("Cache-Control", "no-cache");
      return response;
    });

    router.add(http::Method::get, "/metrics", [&services](http::Request&) {
      auto response = http::Response::text(services.metrics.render());
      response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      response.headers.set("Cache-Control", "no-store");
      return response;
    });
  }
};

}  // namespace

std::unique_ptr<web::Module> make_ops_module() { return std::make_unique<OpsModule>(); }

}  // namespace ah::modules
