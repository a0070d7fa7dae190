#include "modules/moderation/module.h"

#include "modules/moderation/store.h"

namespace ah::modules {

namespace {

class ModerationModule : public web::Module {
 public:
  std::string_view name() const override { return "moderation"; }

  std::vector<db::Migration> migrations() const override {
    return moderation::moderation_migrations();
  }

  void register_routes(http::Router&, web::Services&) override {}

  // The reports the person made (what, why, whether handled). Actions they took as a
  // moderator stay in the spaces' logs, which their export does not repeat.
  Result<nlohmann::json> export_personal_data(web::Services& s,
                                              std::int64_t account_id) const override {
    AH_TRY(reports, moderation::ModerationStore(s.db).reports_by(account_id));
    auto out = nlohmann::json::array();
    for (const auto& [space, r] : reports)
      out.push_back({{"space", {{"kind", space.kind}, {"id", space.id}}},
                     {"target", {{"kind", r.target.kind}, {"id", r.target.id}}},
                     {"reason", std::string(moderation::to_string(r.reason))},
                     {"text", r.text},
                     {"state", r.open ? "open" : "handled"},
                     {"created_at", r.created_at}});
    return nlohmann::json{{"reports", out}};
  }
};

}  // namespace

std::unique_ptr<web::Module> make_moderation_module() {
  return std::make_unique<ModerationModule>();
}

}  // namespace ah::modules
