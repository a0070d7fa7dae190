// Config: the server's settings, from (highest wins) command-line options, environment
// variables (AUGENHOEHE_*), a configuration file (--config FILE or AUGENHOEHE_CONFIG), and
// built-in defaults. See docs/OPERATIONS.md for every key.
//
// The file holds `key = value` lines; '#' starts a comment; keys are the long option names
// (listen, data-dir, database, ...). An unknown key or a malformed line is an error naming
// the file and line.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "http/client_address.h"

namespace ah::app {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "augenhoehe-data";
  std::string database;  // empty: sqlite:DATA_DIR/augenhoehe.db
  std::string share_dir;  // empty: found next to the executable
  bool demo = false;
  bool https = false;    // served behind https: HSTS and Secure cookies
  int io_threads = 0;    // 0: one per core
  int worker_threads = 0;  // 0: see worker_thread_count
  int db_connections = 0;  // 0: see database_connections
  std::string access_log = "-";  // "-" stdout, "off", or a file path
  std::string log_level = "info";
  // Links in mails point here; empty: http://LISTEN.
  std::string public_url;
  // Mail: SMTP relay when smtp_url is set, else .eml files in DATA_DIR/outbox/.
  std::string smtp_url;
  std::string smtp_user;
  std::string smtp_password;  // a secret: masked by describe()
  std::string smtp_starttls = "required";
  std::string mail_from = "augenhoehe@localhost";
  // Reverse proxies whose X-Forwarded-For is believed: comma-separated addresses and CIDR
  // ranges; empty: none (the connection's peer is the client).
  std::string trusted_proxies;
  // Minutes between purges of ended sessions and rate-limit windows.
  int purge_interval = 10;

  std::string effective_public_url() const;

  std::string database_url() const;
  // worker_threads, or its default for the database: on SQLite, a file on this machine,
  // handlers mostly compute, so two threads a core; on PostgreSQL they mostly wait for
  // round trips and commits, so eight a core (at least 16) keep the cores busy and give
  // group commit more supports to share a commit (docs/PERFORMANCE.md, session 8).
  int worker_thread_count(int cores) const;
  // db_connections, or its default: 8 on SQLite (one writer at a time anyway); on
  // PostgreSQL half the worker threads, at least 8.
  int database_connections(int cores) const;
  // trusted_proxies parsed; an error names the option and the bad entry.
  Result<http::TrustedProxies> trusted_proxy_list() const;
  // host and port of `listen`; an error names the bad value.
  Result<std::pair<std::string, std::uint16_t>> listen_address() const;
};

// The keys a config file may set, with the environment variable of each.
struct Setting {
  std::string key;  // "data-dir"
  std::string env;  // "AUGENHOEHE_DATA_DIR"
  std::string help;
};
const std::vector<Setting>& settings();

// Parses a config file's text; `name` is used in error messages.
Result<std::map<std::string, std::string>> parse_config_text(std::string_view text,
                                                              std::string_view name);
Result<std::map<std::string, std::string>> read_config_file(const std::filesystem::path& file);

// "postgresql://app:secret@db/x" -> "postgresql://app:***@db/x"; also masks password=...
std::string mask_secrets(std::string_view url);

// The folder with templates/, i18n/ and assets/: the configured one, else
// EXE_DIR/share/augenhoehe (build tree), else EXE_DIR/../share/augenhoehe (installed).
Result<std::filesystem::path> find_share_dir(const Config& config);

}  // namespace ah::app

namespace ah::app {
// Sets one config key from its text form ("demo" = "true"); errors name the key.
Status apply_setting(Config& config, std::string_view key, std::string_view value);
Status apply_settings(Config& config, const std::map<std::string, std::string>& values);
// Every setting with its effective value, secrets masked (for `augenhoehe check`).
std::vector<std::pair<std::string, std::string>> describe(const Config& config);
}  // namespace ah::app
