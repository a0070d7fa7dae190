#include "app/commands.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>

#include "app/housekeeping.h"
#include "app/site.h"
#include "auth/passwords.h"
#include "auth/rate_limit.h"
#include "auth/sessions.h"
#include "auth/tokens.h"
#include "authz/memberships.h"
#include "base/files.h"
#include "db/backup.h"
#include "http/server.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/accounts/submissions.h"
#include "modules/orgs/store.h"
#include "seed/seed.h"
#include "web/i18n.h"
#include "web/view.h"

#ifndef AH_VERSION
#define AH_VERSION "0.0.0"
#endif
#ifndef AH_GIT_COMMIT
#define AH_GIT_COMMIT "unknown"
#endif

namespace ah::app {

namespace fs = std::filesystem;

namespace {

int report(const Error& error) {
  std::fprintf(stderr, "augenhoehe: %s\n", error.message.c_str());
  if (!error.detail.empty()) {
    // Keep the detail on one line (libpq's messages span several).
    std::string detail;
    for (char c : error.detail) {
      bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
      if (!space) detail += c;
      else if (!detail.empty() && detail.back() != ' ') detail += ' ';
    }
    while (!detail.empty() && detail.back() == ' ') detail.pop_back();
    std::fprintf(stderr, "  (%s)\n", detail.c_str());
  }
  return 1;
}

int cores() { return std::max(1u, std::thread::hardware_concurrency()); }

// Runs demo seeding once per database (remembered in app_meta).
Status seed_demo_once(web::Services& services,
                      const std::vector<std::unique_ptr<web::Module>>& modules) {
  AH_TRY(done, services.db.query("SELECT value FROM app_meta WHERE key = $1", {"demo_seeded"}));
  if (!done.rows.empty()) return {};
  for (const auto& m : modules) AH_TRY_STATUS(m->seed_demo(services));
  AH_TRY(stored, services.db.query("INSERT INTO app_meta (key, value) VALUES ($1, $2)",
                                   {"demo_seeded", "true"}));
  (void)stored;
  spdlog::info("demo content seeded");
  return {};
}

}  // namespace

std::string version_string() {
  return std::string("augenhoehe ") + AH_VERSION + " (" + AH_GIT_COMMIT + ")";
}

Result<std::unique_ptr<db::Database>> open_database(const Config& config) {
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec)
    return fail(ErrorCode::unavailable,
                "cannot create the data folder " + config.data_dir + ": " + ec.message());
  db::Options options;
  options.max_connections = config.database_connections(cores());
  return db::Database::open(config.database_url(), options);
}

int run_migrate(const Config& config) {
  auto share = find_share_dir(config);
  if (!share) return report(share.error());
  auto database = open_database(config);
  if (!database) return report(database.error());
  auto modules = all_modules(*share, config.data_dir);
  auto migrations = all_migrations(modules);
  if (auto done = db::migrate(**database, migrations); !done) return report(done.error());
  auto version = db::current_version(**database);
  if (!version) return report(version.error());
  std::printf("database schema at version %d\n", *version);
  return 0;
}

std::vector<HousekeepingJob> serve_housekeeping_jobs(db::Database& db,
                                                     std::chrono::milliseconds interval) {
  using modules::accounts::unix_now;
  return {
      {"purge ended sessions", interval,
       [&db] { return auth::SessionStore(db).purge_expired(unix_now()); }},
      {"purge ended rate-limit windows", interval,
       [&db] {
         return auth::RateLimiter(db).purge(unix_now(), auth::limits::kLongestWindowSeconds);
       }},
      {"purge one-time form keys older than a day", interval,
       [&db] { return modules::accounts::Submissions(db).purge(unix_now() - 86400); }},
  };
}

int run_serve(const Config& config) {
  // stdout is the access log (--access-log -): operational messages go to stderr.
  spdlog::set_default_logger(spdlog::stderr_color_mt("augenhoehe"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  auto address = config.listen_address();
  if (!address) return report(address.error());
  auto trusted_proxies = config.trusted_proxy_list();
  if (!trusted_proxies) return report(trusted_proxies.error());
  auto share = find_share_dir(config);
  if (!share) return report(share.error());

  auto database = open_database(config);
  if (!database) return report(database.error());
  db::Database& db = **database;
  auto modules = all_modules(*share, config.data_dir);
  if (auto done = db::migrate(db, all_migrations(modules)); !done) return report(done.error());

  auto assets = http::AssetStore::load(*share / "assets");
  if (!assets) return report(assets.error());
  auto catalog = web::Catalog::load(*share / "i18n");
  if (!catalog) return report(catalog.error());
  auto view = web::View::load(*share / "templates", std::move(*catalog), *assets);
  if (!view) return report(view.error());

  http::Metrics metrics(AH_VERSION);
  metrics.add_gauge("augenhoehe_db_pool_connections", "Database connections open.",
                    [&db] { return db.pool_stats().size; });
  metrics.add_gauge("augenhoehe_db_pool_in_use", "Database connections lent out.",
                    [&db] { return db.pool_stats().in_use; });
  metrics.add_gauge("augenhoehe_db_pool_waits", "Times a request waited for a connection (total).",
                    [&db] { return static_cast<double>(db.pool_stats().waits); });
  metrics.add_gauge("augenhoehe_db_grouped_transactions",
                    "Grouped transactions (supports) run (total).",
                    [&db] { return static_cast<double>(db.pool_stats().grouped_transactions); });
  metrics.add_gauge("augenhoehe_db_grouped_commits",
                    "Commits the grouped transactions shared (total; fewer is better).",
                    [&db] { return static_cast<double>(db.pool_stats().grouped_commits); });

  auto starttls = mail::parse_starttls(config.smtp_starttls);
  if (!starttls) return report(starttls.error());
  auto mailer = mail::make_mailer({.url = config.smtp_url,
                                   .username = config.smtp_user,
                                   .password = config.smtp_password,
                                   .from = config.mail_from,
                                   .starttls = *starttls},
                                  config.data_dir);
  if (!mailer) return report(mailer.error());
  web::Services services{db, **view, metrics, AH_VERSION, *share, config.data_dir,
                         openapi_document(modules, AH_VERSION).dump(2), mailer->get(),
                         config.effective_public_url(), config.https};
  for (const auto& m : modules) services.modules.push_back(m.get());
  http::Router router;
  for (const auto& m : modules) m->register_routes(router, services);
  if (config.demo) {
    if (auto seeded = seed_demo_once(services, modules); !seeded) return report(seeded.error());
  }

  std::FILE* log_file = nullptr;
  if (config.access_log == "-") {
    log_file = stdout;
  } else if (config.access_log != "off") {
    log_file = std::fopen(config.access_log.c_str(), "a");
    if (!log_file)
      return report({ErrorCode::unavailable, "cannot open the access log " + config.access_log, {}});
  }
  http::AccessLog access_log(log_file);
  std::vector<http::Layer*> layers;
  for (const auto& m : modules)
    for (http::Layer* layer : m->layers()) layers.push_back(layer);
  // The pages anonymous visitors load most, rendered once per change instead of per request.
  RenderCache render_cache({.routes = {"/beteiligung", "/beteiligung/{id}", "/vorschlaege/{id}"}});
  Site site(router, *assets, **view, metrics, access_log, {.https = config.https}, layers,
            &render_cache);

  http::ServerOptions options;
  options.address = address->first;
  options.port = address->second;
  options.io_threads = config.io_threads > 0 ? config.io_threads : cores();
  options.worker_threads = config.worker_thread_count(cores());
  options.trusted_proxies = std::move(*trusted_proxies);
  http::Server server(options, site);
  if (auto bound = server.bind(); !bound) return report(bound.error());
  metrics.add_gauge("augenhoehe_http_open_connections", "Client connections open.",
                    [&server] { return server.stats().open_connections; });
  metrics.add_gauge("augenhoehe_http_requests_in_flight", "Requests being handled.",
                    [&server] { return server.stats().requests_in_flight; });

  spdlog::info("{} serving http://{}:{} (database {}, data {})", version_string(),
               options.address, server.port(), mask_secrets(config.database_url()),
               config.data_dir);
  auto jobs = serve_housekeeping_jobs(db, std::chrono::minutes(config.purge_interval));
  for (const auto& m : modules)
    for (auto& job : m->periodic_jobs(services)) jobs.push_back(std::move(job));
  Housekeeping housekeeping(std::move(jobs));
  server.run();
  housekeeping.stop();
  spdlog::info("stopped");
  if (log_file && log_file != stdout) std::fclose(log_file);
  return 0;
}

namespace {

// Opens and migrates the database for commands that change data.
Result<std::unique_ptr<db::Database>> open_migrated(const Config& config) {
  AH_TRY(share, find_share_dir(config));
  AH_TRY(database, open_database(config));
  AH_TRY_STATUS(db::migrate(*database, all_migrations(all_modules(share, config.data_dir))));
  return database;
}

}  // namespace

int run_org_create(const Config& config, const NewOrganisation& spec) {
  using modules::orgs::OrgType;
  auto type = modules::orgs::org_type_from_string(spec.type);
  if (!type || *type == OrgType::land || *type == OrgType::kreis ||
      *type == OrgType::kreisfreie_stadt || *type == OrgType::gemeinde)
    return report({ErrorCode::invalid_input,
                   "--type must be zweckverband, it_dienstleister, verband or landesbehoerde "
                   "(Land, Kreise and Gemeinden come from the reference data)", {}});
  if (spec.name.empty() || spec.name.size() > 200)
    return report({ErrorCode::invalid_input, "--name must have 1 to 200 characters", {}});
  if (!spec.ags.empty() && (spec.ags.size() > 12 || spec.ags.find_first_not_of("0123456789") != std::string::npos))
    return report({ErrorCode::invalid_input, "--ags must be digits only", {}});
  auto database = open_migrated(config);
  if (!database) return report(database.error());
  modules::orgs::OrgStore store(**database);
  if (!spec.kreis_ags.empty()) {
    auto kreis = store.find(spec.kreis_ags);
    if (!kreis || (kreis->type != OrgType::kreis && kreis->type != OrgType::kreisfreie_stadt))
      return report({ErrorCode::invalid_input, "--kreis " + spec.kreis_ags + " is not a Kreis", {}});
  }
  modules::orgs::Organisation org{.ags = spec.ags, .name = spec.name, .type = *type,
                                  .kreis_ags = spec.kreis_ags};
  auto id = (*database)->transaction(
      [&](db::Connection& c) { return modules::orgs::OrgStore::insert(c, org); });
  if (!id) {
    if (id.error().code == ErrorCode::conflict)
      return report({ErrorCode::conflict, "an organisation with AGS " + spec.ags + " exists already", {}});
    return report(id.error());
  }
  org.id = *id;
  std::printf("created %s: %s (/organisationen/%s)\n", org.key().c_str(), org.name.c_str(),
              org.key().c_str());
  return 0;
}

int run_org_list(const Config& config, const std::string& type) {
  if (!type.empty() && !modules::orgs::org_type_from_string(type))
    return report({ErrorCode::invalid_input, "unknown --type " + type, {}});
  auto database = open_migrated(config);
  if (!database) return report(database.error());
  modules::orgs::OrgStore store(**database);
  modules::orgs::OrgFilter filter;
  if (!type.empty()) filter.type = type;
  std::string cursor;
  do {
    auto page = store.list(filter, cursor, 100);
    if (!page) return report(page.error());
    for (const auto& o : page->items)
      std::printf("%-10s %-16s %s\n", o.key().c_str(),
                  std::string(modules::orgs::to_string(o.type)).c_str(), o.name.c_str());
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return 0;
}

namespace {

// The organisation and role of `membership`, checked before anything is written.
struct ResolvedMembership {
  std::int64_t org_id = 0;
  std::string org_name;
  authz::OrgRole role = authz::OrgRole::member;
};

Result<ResolvedMembership> resolve(db::Database& db, const Membership& membership) {
  auto role = authz::org_role_from_string(membership.role);
  if (!role) return fail(ErrorCode::invalid_input, "--role must be member or admin, not '" + membership.role + "'");
  auto org = modules::orgs::OrgStore(db).find(membership.org);
  if (!org) {
    if (org.error().code == ErrorCode::not_found)
      return fail(ErrorCode::not_found, "--org " + membership.org + " names no organisation (see: augenhoehe org list)");
    return std::unexpected(org.error());
  }
  return ResolvedMembership{org->id, org->name, *role};
}

int grant(db::Database& db, std::int64_t account_id, const std::string& email, const ResolvedMembership& m) {
  if (auto put = authz::MembershipStore(db).put(m.org_id, account_id, m.role, std::time(nullptr)); !put) {
    if (put.error().message == authz::kLastAdmin)
      return report({ErrorCode::conflict, email + " is the last admin of " + m.org_name + "; name another admin first", {}});
    return report(put.error());
  }
  std::printf("%s is now %s of %s\n", email.c_str(), std::string(authz::to_string(m.role)).c_str(), m.org_name.c_str());
  return 0;
}

}  // namespace

int run_user_create(const Config& config, const std::string& email, const std::string& name,
                    const std::string& password_file, const Membership& membership) {
  std::string password;
  bool generated = password_file.empty();
  if (generated) {
    password = auth::random_token(16);
  } else {
    auto text = read_file(password_file);
    if (!text) return report({ErrorCode::invalid_input, "cannot read --password-file " + password_file, {}});
    password = text->substr(0, text->find('\n'));  // the first line; a trailing newline is no part of it
  }
  auto database = open_migrated(config);
  if (!database) return report(database.error());
  std::optional<ResolvedMembership> member;
  if (!membership.org.empty()) {
    auto resolved = resolve(**database, membership);
    if (!resolved) return report(resolved.error());
    member = *resolved;
  }
  auto id = modules::accounts::create_verified_account(**database, email, name.empty() ? email : name,
                                                       password, std::time(nullptr));
  if (!id) {
    const std::string& code = id.error().message;
    if (code == "email_taken") return report({ErrorCode::conflict, "an account with " + email + " exists already", {}});
    if (code == "email_invalid") return report({ErrorCode::invalid_input, "--email is not an email address", {}});
    if (code == "password_too_short")
      return report({ErrorCode::invalid_input, "the password needs at least 10 characters", {}});
    return report(id.error());
  }
  std::printf("created account %lld for %s\n", static_cast<long long>(*id), email.c_str());
  if (generated) std::printf("password (shown once): %s\n", password.c_str());
  return member ? grant(**database, *id, email, *member) : 0;
}

int run_user_grant(const Config& config, const std::string& email, const Membership& membership) {
  auto database = open_migrated(config);
  if (!database) return report(database.error());
  auto resolved = resolve(**database, membership);
  if (!resolved) return report(resolved.error());
  auto normalised = modules::accounts::normalise_email(email);
  if (!normalised) return report({ErrorCode::invalid_input, "--email is not an email address", {}});
  auto account = modules::accounts::AccountStore(**database).find_by_email(*normalised);
  if (!account) return report(account.error());
  if (!*account) return report({ErrorCode::not_found, "no account with " + *normalised + " (see: augenhoehe user list)", {}});
  return grant(**database, (*account)->id, *normalised, *resolved);
}

int run_user_list(const Config& config) {
  auto database = open_migrated(config);
  if (!database) return report(database.error());
  auto accounts = modules::accounts::AccountStore(**database).list_all();
  if (!accounts) return report(accounts.error());
  for (const auto& a : *accounts)
    std::printf("%-6lld %-40s %-10s %s\n", static_cast<long long>(a.id), a.email.c_str(),
                a.email_verified_at ? "verified" : "unverified", a.display_name.c_str());
  return 0;
}

namespace {

// The seeder's progress on stderr: one line rewritten in place on a terminal, otherwise a
// plain line for each phase and every tenth of the work (logs stay short and readable).
class SeedProgress {
 public:
  SeedProgress() : terminal_(isatty(STDERR_FILENO) != 0) {}
  ~SeedProgress() {
    if (terminal_ && shown_) std::fputc('\n', stderr);
  }
  void operator()(std::string_view phase, std::int64_t done, std::int64_t total) {
    const int percent = total > 0 ? static_cast<int>(done * 100 / total) : 100;
    if (terminal_) {
      std::fprintf(stderr, "\r[%3d%%] %-24.*s %lld/%lld rows", percent,
                   static_cast<int>(phase.size()), phase.data(), static_cast<long long>(done),
                   static_cast<long long>(total));
      std::fflush(stderr);
      shown_ = true;
    } else if (phase != last_phase_ || percent / 10 != last_percent_ / 10) {
      std::fprintf(stderr, "seed: %3d%% %.*s\n", percent, static_cast<int>(phase.size()),
                   phase.data());
    }
    last_phase_ = std::string(phase);
    last_percent_ = percent;
  }

 private:
  bool terminal_;
  bool shown_ = false;
  std::string last_phase_;
  int last_percent_ = -1;
};

}  // namespace

int run_seed(const Config& config, const SeedRequest& request) {
  auto scale = seed::scale_from_string(request.scale);
  if (!scale)
    return report({ErrorCode::invalid_input, "--scale must be village, kreis or state", {}});
  std::string password;
  const bool generated = request.password_file.empty();
  if (generated) {
    password = auth::random_token(16);
  } else {
    auto text = read_file(request.password_file);
    if (!text)
      return report(
          {ErrorCode::invalid_input, "cannot read --password-file " + request.password_file, {}});
    password = text->substr(0, text->find('\n'));
  }
  auto database = open_migrated(config);
  if (!database) return report(database.error());
  if (auto empty = seed::require_empty(**database); !empty) return report(empty.error());
  // One hash for every synthetic account: hashing 200,000 passwords would take hours.
  auto hash = auth::hash_password(password);
  if (!hash) {
    if (hash.error().message == auth::kPasswordTooShort)
      return report({ErrorCode::invalid_input, "the password needs at least 10 characters", {}});
    return report(hash.error());
  }
  const auto plan = seed::plan_for(*scale);
  const auto started = std::chrono::steady_clock::now();
  seed::Counts counts;
  {
    SeedProgress progress;
    auto done = seed::run(**database, plan,
                          {.seed = request.seed, .password_hash = *hash, .now = std::time(nullptr)},
                          std::ref(progress));
    if (!done) return report(done.error());
    counts = *done;
  }
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("seeded %s scale (seed %llu) in %.1f s on %s:\n", request.scale.c_str(),
              static_cast<unsigned long long>(request.seed), seconds,
              std::string(db::to_string((*database)->backend())).c_str());
  std::printf("  %lld organisations, %lld accounts (%lld staff memberships)\n",
              static_cast<long long>(counts.organisations), static_cast<long long>(counts.accounts),
              static_cast<long long>(counts.memberships));
  std::printf("  %lld processes, %lld proposals, %lld supports, %lld comments\n",
              static_cast<long long>(counts.processes), static_cast<long long>(counts.proposals),
              static_cast<long long>(counts.supports), static_cast<long long>(counts.comments));
  std::printf("  %lld working groups, %lld members, %lld threads, %lld posts\n",
              static_cast<long long>(counts.groups), static_cast<long long>(counts.group_members),
              static_cast<long long>(counts.threads), static_cast<long long>(counts.posts));
  std::printf("  %lld decisions, %lld ballots\n", static_cast<long long>(counts.decisions),
              static_cast<long long>(counts.ballots));
  std::printf("accounts: buerger-ID@seed.example (citizens), verwaltung-ID@seed.example (staff)\n");
  if (generated)
    std::printf("password of every synthetic account (shown once): %s\n", password.c_str());
  return 0;
}

int run_backup(const Config& config, const std::string& file) {
  auto database = open_database(config);
  if (!database) return report(database.error());
  if (auto done = db::backup(**database, file); !done) return report(done.error());
  std::printf("backup written to %s\n", file.c_str());
  return 0;
}

int run_restore(const Config& config, const std::string& file, bool confirmed) {
  if (!confirmed) {
    if (!isatty(STDIN_FILENO)) {
      std::fprintf(stderr,
                   "augenhoehe: restore replaces the whole database; add --yes to confirm\n");
      return 2;
    }
    std::printf("Replace the database %s with %s? Type 'yes': ",
                mask_secrets(config.database_url()).c_str(), file.c_str());
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "yes") {
      std::printf("nothing changed\n");
      return 1;
    }
  }
  if (auto done = db::restore(file, config.database_url()); !done) return report(done.error());
  std::printf("database restored from %s\n", file.c_str());
  return 0;
}

int run_check(const Config& config) {
  std::printf("%s\n\nEffective configuration:\n", version_string().c_str());
  for (const auto& [key, value] : describe(config))
    std::printf("  %-15s %s\n", key.c_str(), value.c_str());
  std::printf("\nChecks:\n");
  int failures = 0;
  auto line = [&](bool ok, const std::string& what) {
    std::printf("  [%s] %s\n", ok ? " ok " : "FAIL", what.c_str());
    if (!ok) ++failures;
  };
  if (auto a = config.listen_address(); a) line(true, "listen address " + config.listen);
  else line(false, a.error().message);
  if (auto p = config.trusted_proxy_list(); !p)
    line(false, p.error().message);
  else if (!config.trusted_proxies.empty())
    line(true, "trusted proxies " + config.trusted_proxies);

  auto share = find_share_dir(config);
  if (!share) {
    line(false, share.error().message);
  } else {
    auto assets = http::AssetStore::load(*share / "assets");
    line(assets.has_value(), assets ? "assets: " + std::to_string(assets->size()) + " files in " +
                                          (*share / "assets").string()
                                    : assets.error().message);
    auto catalog = web::Catalog::load(*share / "i18n");
    line(catalog.has_value(), catalog ? "language catalogues de, en" : catalog.error().message);
    if (assets && catalog) {
      auto view = web::View::load(*share / "templates", std::move(*catalog), *assets);
      line(view.has_value(), view ? "templates in " + (*share / "templates").string()
                                  : view.error().message);
    }
  }

  auto database = open_database(config);
  if (!database) {
    line(false, "database: " + database.error().message);
  } else {
    auto ping = (*database)->ping();
    line(ping.has_value(), ping ? "database reachable (" +
                                      std::string(db::to_string((*database)->backend())) + ")"
                                : "database: " + ping.error().message);
    if (ping && share) {
      auto migrations = all_migrations(all_modules(*share, config.data_dir));
      int known = migrations.empty() ? 0 : migrations.back().version;
      auto version = db::current_version(**database);
      if (!version) line(false, "schema: " + version.error().message);
      else if (*version == known) line(true, "schema up to date (version " + std::to_string(known) + ")");
      else if (*version < known)
        line(false, "schema at version " + std::to_string(*version) + ", this build needs " +
                        std::to_string(known) + ": run 'augenhoehe migrate' (serve does it too)");
      else
        line(false, "schema version " + std::to_string(*version) +
                        " is newer than this build knows (" + std::to_string(known) +
                        "): upgrade augenhoehe");
    }
  }
  std::printf("\n%s\n", failures == 0 ? "all checks passed" : "some checks failed");
  return failures == 0 ? 0 : 1;
}

}  // namespace ah::app
