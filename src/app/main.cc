// augenhoehe: the command-line entry point. Every command has --help; see docs/OPERATIONS.md.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/commands.h"
#include "app/config.h"

namespace {

using ah::app::Config;

// Finds --config FILE / --config=FILE on the command line, else AUGENHOEHE_CONFIG.
std::string config_file_from(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--config" && i + 1 < argc) return argv[i + 1];
    if (a.starts_with("--config=")) return std::string(a.substr(9));
  }
  const char* env = std::getenv("AUGENHOEHE_CONFIG");
  return env ? env : "";
}

// Adds the options every command shares. Values start from `config` (file or defaults);
// the environment and the command line override them, in that order.
void add_storage_options(CLI::App* cmd, Config& config, std::string& config_file) {
  cmd->add_option("--config", config_file, "configuration file (key = value lines)")
      ->envname("AUGENHOEHE_CONFIG");
  cmd->add_option("--data-dir", config.data_dir, "folder for the database, uploads and outbox")
      ->envname("AUGENHOEHE_DATA_DIR")
      ->capture_default_str();
  cmd->add_option("--database", config.database,
                  "sqlite:PATH or postgresql://USER:PASSWORD@HOST/DB (default: "
                  "sqlite:DATA_DIR/augenhoehe.db)")
      ->envname("AUGENHOEHE_DATABASE");
  cmd->add_option("--share-dir", config.share_dir,
                  "folder with templates, i18n and assets (default: found next to the binary)")
      ->envname("AUGENHOEHE_SHARE_DIR");
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  std::string config_file = config_file_from(argc, argv);
  if (!config_file.empty()) {
    auto values = ah::app::read_config_file(config_file);
    if (!values) {
      std::fprintf(stderr, "augenhoehe: %s\n", values.error().message.c_str());
      return 2;
    }
    if (auto applied = ah::app::apply_settings(config, *values); !applied) {
      std::fprintf(stderr, "augenhoehe: %s: %s\n", config_file.c_str(),
                   applied.error().message.c_str());
      return 2;
    }
  }

  CLI::App app{
      "augenhoehe – Land und Kommunen arbeiten gemeinsam, auf Augenhöhe.\n"
      "Working groups, consultations, citizen participation, a marketplace for reuse and an "
      "IT security programme on one server."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "help for every command");

  auto* serve = app.add_subcommand("serve", "serve the web site and API (migrates the database first)");
  add_storage_options(serve, config, config_file);
  serve->add_option("--listen", config.listen, "HOST:PORT to listen on")
      ->envname("AUGENHOEHE_LISTEN")
      ->capture_default_str();
  serve->add_flag("--demo", config.demo, "seed demo content on first start")->envname("AUGENHOEHE_DEMO");
  serve->add_flag("--https", config.https, "the site is served over https (HSTS, Secure cookies)")
      ->envname("AUGENHOEHE_HTTPS");
  serve->add_option("--io-threads", config.io_threads, "network threads (0: one per core)")
      ->envname("AUGENHOEHE_IO_THREADS")
      ->check(CLI::Range(0, 256));
  serve->add_option("--worker-threads", config.worker_threads,
                    "handler threads (0: two per core on SQLite, eight on PostgreSQL)")
      ->envname("AUGENHOEHE_WORKER_THREADS")
      ->check(CLI::Range(0, 1024));
  serve->add_option("--db-connections", config.db_connections,
                    "database connections at most (0: 8 on SQLite, half the handler threads on "
                    "PostgreSQL)")
      ->envname("AUGENHOEHE_DB_CONNECTIONS")
      ->check(CLI::Range(0, 1000));
  serve->add_option("--access-log", config.access_log, "'-' for stdout, 'off', or a file")
      ->envname("AUGENHOEHE_ACCESS_LOG")
      ->capture_default_str();
  serve->add_option("--log-level", config.log_level, "trace, debug, info, warn or error")
      ->envname("AUGENHOEHE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();

  serve->add_option("--public-url", config.public_url, "the site's address as people see it (links in mails)")
      ->envname("AUGENHOEHE_PUBLIC_URL");
  serve->add_option("--smtp-url", config.smtp_url, "smtp://HOST:587 or smtps://HOST:465 (default: DATA_DIR/outbox)")
      ->envname("AUGENHOEHE_SMTP_URL");
  serve->add_option("--smtp-user", config.smtp_user, "SMTP login")->envname("AUGENHOEHE_SMTP_USER");
  serve->add_option("--smtp-password", config.smtp_password, "SMTP password (better: environment or config file)")
      ->envname("AUGENHOEHE_SMTP_PASSWORD");
  serve->add_option("--smtp-starttls", config.smtp_starttls, "required, opportunistic or off")
      ->envname("AUGENHOEHE_SMTP_STARTTLS")
      ->check(CLI::IsMember({"required", "opportunistic", "off"}))
      ->capture_default_str();
  serve->add_option("--mail-from", config.mail_from, "sender address of mails")
      ->envname("AUGENHOEHE_MAIL_FROM")
      ->capture_default_str();
  serve->add_option("--trusted-proxies", config.trusted_proxies,
                    "reverse proxies whose X-Forwarded-For is believed: addresses or CIDR ranges, "
                    "comma-separated, e.g. 127.0.0.1,::1 (default: none, the peer is the client)")
      ->envname("AUGENHOEHE_TRUSTED_PROXIES");
  serve->add_option("--purge-interval", config.purge_interval,
                    "minutes between purges of ended sessions and rate-limit counters")
      ->envname("AUGENHOEHE_PURGE_INTERVAL")
      ->check(CLI::Range(1, 7 * 24 * 60))
      ->capture_default_str();

  auto* migrate = app.add_subcommand("migrate", "bring the database schema up to date");
  add_storage_options(migrate, config, config_file);

  std::string backup_file;
  auto* backup = app.add_subcommand(
      "backup", "write a consistent copy of the SQLite database to FILE (safe while serving)");
  add_storage_options(backup, config, config_file);
  backup->add_option("FILE", backup_file, "where to write the backup")->required();

  std::string restore_file;
  bool restore_yes = false;
  auto* restore = app.add_subcommand(
      "restore", "replace the SQLite database with the backup FILE (stop the server first)");
  add_storage_options(restore, config, config_file);
  restore->add_option("FILE", restore_file, "a backup written by 'augenhoehe backup'")
      ->required()
      ->check(CLI::ExistingFile);
  restore->add_flag("--yes", restore_yes, "do not ask for confirmation");

  auto* check = app.add_subcommand("check", "print the effective configuration and check the database and files");
  add_storage_options(check, config, config_file);

  ah::app::NewOrganisation new_org;
  auto* org = app.add_subcommand("org", "organisations (the reference data has the Land, Kreise and Gemeinden)");
  org->require_subcommand(1);
  auto* org_create = org->add_subcommand("create", "add an organisation, e.g. a Zweckverband or IT-Dienstleister");
  add_storage_options(org_create, config, config_file);
  org_create->add_option("--name", new_org.name, "official name")->required();
  org_create->add_option("--type", new_org.type, "zweckverband, it_dienstleister, verband or landesbehoerde")
      ->required();
  org_create->add_option("--ags", new_org.ags, "its official key, if it has one");
  org_create->add_option("--kreis", new_org.kreis_ags, "the Kreis it belongs to (5-digit key)");
  std::string list_type;
  auto* org_list = org->add_subcommand("list", "list organisations: key, type, name");
  add_storage_options(org_list, config, config_file);
  org_list->add_option("--type", list_type, "only this type (kreis and gemeinde include kreisfreie Städte)");

  std::string user_email, user_name, user_password_file;
  auto* user = app.add_subcommand("user", "accounts");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "create a verified account (e.g. the first staff member)");
  add_storage_options(user_create, config, config_file);
  user_create->add_option("--email", user_email, "the person's email address")->required();
  user_create->add_option("--name", user_name, "display name (default: the email address)");
  user_create->add_option("--password-file", user_password_file,
                          "file whose first line is the password (default: a random one, printed once)")
      ->check(CLI::ExistingFile);
  ah::app::Membership user_membership;
  user_create->add_option("--org", user_membership.org,
                          "make the account a member of this organisation (AGS or o<id>, see org list)");
  user_create->add_option("--role", user_membership.role, "member or admin (with --org; default member)")
      ->needs("--org");
  auto* user_grant = user->add_subcommand(
      "grant", "make an existing account member or admin of an organisation, e.g. its first admin");
  add_storage_options(user_grant, config, config_file);
  user_grant->add_option("--email", user_email, "the account's email address")->required();
  user_grant->add_option("--org", user_membership.org, "the organisation (AGS or o<id>, see org list)")->required();
  user_grant->add_option("--role", user_membership.role, "member or admin (default member)");
  auto* user_list = user->add_subcommand("list", "list accounts: id, email, verified, display name");
  add_storage_options(user_list, config, config_file);

  ah::app::SeedRequest seed_request;
  auto* seed = app.add_subcommand(
      "seed",
      "fill a FRESH database with a synthetic Land for benchmarks: accounts, processes, "
      "proposals, supports, comments, working groups (refuses a database with content)");
  add_storage_options(seed, config, config_file);
  seed->add_option("--scale", seed_request.scale,
                   "village (one Gemeinde, seconds), kreis (one Kreis) or state (200,000 citizens, "
                   "2,000 processes, 100,000 proposals, 2,000,000 supports, 500,000 comments, 300 "
                   "working groups; minutes)")
      ->check(CLI::IsMember({"village", "kreis", "state"}))
      ->capture_default_str();
  seed->add_option("--seed", seed_request.seed, "the same number gives the same data")
      ->capture_default_str();
  seed->add_option("--password-file", seed_request.password_file,
                   "file whose first line is the password of every synthetic account (default: a "
                   "random one, printed once)")
      ->check(CLI::ExistingFile);

  app.add_subcommand("version", "print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (*serve) return ah::app::run_serve(config);
  if (*migrate) return ah::app::run_migrate(config);
  if (*backup) return ah::app::run_backup(config, backup_file);
  if (*restore) return ah::app::run_restore(config, restore_file, restore_yes);
  if (*check) return ah::app::run_check(config);
  if (*org_create) return ah::app::run_org_create(config, new_org);
  if (*org_list) return ah::app::run_org_list(config, list_type);
  if (*user_create)
    return ah::app::run_user_create(config, user_email, user_name, user_password_file, user_membership);
  if (*user_grant) return ah::app::run_user_grant(config, user_email, user_membership);
  if (*user_list) return ah::app::run_user_list(config);
  if (*seed) return ah::app::run_seed(config, seed_request);
  std::printf("%s\n", ah::app::version_string().c_str());
  return 0;
}
