#include "modules/consultations/module.h"

#include "modules/consultations/access.h"
#include "modules/consultations/demo.h"
#include "modules/consultations/routes.h"
#include "modules/consultations/store.h"
#include "modules/files/module.h"
#include "modules/groups/access.h"

namespace ah::modules {

namespace {

using nlohmann::json;

// What the DSGVO export holds of a person: the consultations they started, their comments
// (with the texts), supports, the Stellungnahmen they saved or released, their answers.
const std::vector<groups::ExportedTable> kExportedTables = {
    {"consultations",
     "SELECT id, title, created_at FROM consultations WHERE created_by = $1 ORDER BY id",
     {"id", "title", "created_at"}},
    {"comments",
     "SELECT id, consultation_id, org_id, passage, amendment, body, created_at"
     " FROM consultation_comments WHERE author_id = $1 ORDER BY id",
     {"id", "consultation_id", "org_id", "passage", "amendment", "body", "created_at"}},
    {"supports",
     "SELECT comment_id, created_at FROM consultation_supports WHERE account_id = $1"
     " ORDER BY comment_id",
     {"comment_id", "created_at"}},
    {"statements",
     "SELECT id, consultation_id, org_id, body, updated_at, released_at"
     " FROM consultation_statements WHERE updated_by = $1 OR released_by = $1 ORDER BY id",
     {"id", "consultation_id", "org_id", "body", "updated_at", "released_at"}},
    {"answers",
     "SELECT id, comment_id, statement_id, verdict, reason, answered_at"
     " FROM consultation_answers WHERE answered_by = $1 ORDER BY id",
     {"id", "comment_id", "statement_id", "verdict", "reason", "answered_at"}},
};

class ConsultationsModule : public web::Module, public files::FileOwner {
 public:
  std::string_view name() const override { return "consultations"; }

  // A consultation's attachments are read by whoever may read the consultation; cached
  // publicly only when that is everyone.
  bool owns_files_of(std::string_view kind) const override {
    return kind == consultations::kSpaceKind;
  }
  Result<files::Visibility> file_visibility(web::Services& s, const http::Request& r,
                                            const files::Owner& owner) const override {
    auto c = consultations::ConsultationStore(s.db).find(owner.id);
    if (!c) {
      if (c.error().code == ErrorCode::not_found) return files::Visibility::hidden;
      return std::unexpected(c.error());
    }
    AH_TRY(readable, consultations::may_read(s, r, *c));
    if (!readable) return files::Visibility::hidden;
    return c->openness == consultations::Openness::internal ? files::Visibility::restricted
                                                            : files::Visibility::everyone;
  }

  std::vector<db::Migration> migrations() const override {
    return consultations::consultations_migrations();
  }

  std::vector<web::NoticeKind> notice_kinds() const override {
    return {{"consultations.opened", "consultations_notice_kind_opened", web::Delivery::immediate},
            {"consultations.reminder", "consultations_notice_kind_reminder",
             web::Delivery::immediate},
            {"consultations.published", "consultations_notice_kind_published",
             web::Delivery::digest}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    consultations::register_pages(router, s);
    consultations::register_abwaegung(router, s);
    consultations::register_api(router, s);
  }

  void describe_api(json& doc) const override { consultations::describe_api(doc); }

  // Comments, Stellungnahmen and answers are part of a public record and stay after an
  // erasure without their author (the foreign keys set it NULL: "gelöschtes Konto");
  // supports go with the account.
  Result<json> export_personal_data(web::Services& s, std::int64_t account_id) const override {
    return groups::export_tables(s.db, account_id, kExportedTables);
  }

  // A support counts once per living account: take the erased person's out of the counts
  // before the foreign key removes their rows.
  Status before_account_erasure(web::Services& s, std::int64_t account_id) const override {
    AH_TRY_STATUS(s.db.query("UPDATE consultation_comments SET supports = supports - 1"
                             " WHERE id IN (SELECT comment_id FROM consultation_supports"
                             " WHERE account_id = $1)",
                             {db::Value{account_id}}));
    return {};
  }

  Status seed_demo(web::Services& s) override { return consultations::seed_demo(s); }
};

}  // namespace

std::unique_ptr<web::Module> make_consultations_module() {
  return std::make_unique<ConsultationsModule>();
}

}  // namespace ah::modules
