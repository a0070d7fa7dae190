// The CLI's commands, each returning the process exit code (0 success, 1 failure, 2 usage).
// Errors are printed as one line a person can act on: "augenhoehe: <what> (<how to fix>)".
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/housekeeping.h"
#include "db/database.h"
#include "db/migrate.h"
#include "web/module.h"

namespace ah::app {

int run_serve(const Config& config);
// The periodic jobs `serve` runs every `interval`: deleting ended sessions and ended
// rate-limit windows (all limits' longest window, auth::limits). The rows are ignored by
// lookups already; purging keeps the tables small and personal data (emails and client
// addresses in rate-limit keys) no longer than needed.
std::vector<HousekeepingJob> serve_housekeeping_jobs(db::Database& db,
                                                     std::chrono::milliseconds interval);
int run_migrate(const Config& config);
int run_backup(const Config& config, const std::string& file);
int run_restore(const Config& config, const std::string& file, bool confirmed);
int run_check(const Config& config);
std::string version_string();

// `augenhoehe org create`: an organisation that is not in the reference data.
struct NewOrganisation {
  std::string name;
  std::string type;  // zweckverband, it_dienstleister, verband, landesbehoerde
  std::string ags;   // optional
  std::string kreis_ags;  // optional: the Kreis it belongs to (5 digits)
};
int run_org_create(const Config& config, const NewOrganisation& org);
int run_org_list(const Config& config, const std::string& type);

// Where `user create --org` and `user grant` put a person: an organisation (AGS or o<id>)
// and the role there ("member" or "admin").
struct Membership {
  std::string org;
  std::string role = "member";
};

// `augenhoehe user create`: a verified account; without a password file a random password
// is made and printed once. With membership.org set, the account is made a member (or
// admin) of it — how the operator names an organisation's first admin.
int run_user_create(const Config& config, const std::string& email, const std::string& name,
                    const std::string& password_file, const Membership& membership);
// `augenhoehe user grant`: makes an existing account member or admin of an organisation.
int run_user_grant(const Config& config, const std::string& email, const Membership& membership);
int run_user_list(const Config& config);

// `augenhoehe seed`: fills a fresh database with a synthetic Land for benchmarks (src/seed).
// Every synthetic account shares one password: the first line of password_file, or a
// random one printed once. Progress goes to stderr.
struct SeedRequest {
  std::string scale = "village";  // village, kreis or state
  std::uint64_t seed = 1;
  std::string password_file;
};
int run_seed(const Config& config, const SeedRequest& request);

// Every module of this build, in registration order (see modules.cc). `share_dir` is where
// modules find shipped data files, `data_dir` the operator's (e.g. pages/impressum.de.txt).
std::vector<std::unique_ptr<web::Module>> all_modules(const std::filesystem::path& share_dir,
                                                      const std::filesystem::path& data_dir);
// The OpenAPI 3.1 document: the shared parts plus every module's operations.
nlohmann::json openapi_document(const std::vector<std::unique_ptr<web::Module>>& modules,
                                const std::string& version);
// The core migrations plus every module's, sorted by version.
std::vector<db::Migration> all_migrations(const std::vector<std::unique_ptr<web::Module>>& modules);
// Creates the data folder if needed and opens the configured database.
Result<std::unique_ptr<db::Database>> open_database(const Config& config);

}  // namespace ah::app
