#include "app/config.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "base/files.h"
#include "db/database.h"

namespace ah::app {

namespace fs = std::filesystem;

std::string Config::effective_public_url() const {
  std::string url = public_url.empty() ? "http://" + listen : public_url;
  while (url.ends_with("/")) url.pop_back();
  return url;
}

std::string Config::database_url() const {
  if (!database.empty()) return database;
  return "sqlite:" + (fs::path(data_dir) / "augenhoehe.db").string();
}

int Config::worker_thread_count(int cores) const {
  if (worker_threads > 0) return worker_threads;
  if (db::backend_of(database_url()) == db::Backend::postgres) return std::max(16, 8 * cores);
  return 2 * cores;
}

int Config::database_connections(int cores) const {
  if (db_connections > 0) return db_connections;
  if (db::backend_of(database_url()) == db::Backend::postgres)
    return std::max(8, worker_thread_count(cores) / 2);
  return 8;
}

Result<http::TrustedProxies> Config::trusted_proxy_list() const {
  auto list = http::TrustedProxies::parse(trusted_proxies);
  if (!list) return fail(ErrorCode::invalid_input, "trusted-proxies: " + list.error().message);
  return list;
}

Result<std::pair<std::string, std::uint16_t>> Config::listen_address() const {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return fail(ErrorCode::invalid_input, "listen must be HOST:PORT, e.g. 127.0.0.1:8080 (got '" + listen + "')");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  auto p = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc{} || end != p.data() + p.size() || port > 65535)
    return fail(ErrorCode::invalid_input, "listen: '" + p + "' is not a port number (0-65535)");
  return std::pair{host, static_cast<std::uint16_t>(port)};
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all = {
      {"listen", "AUGENHOEHE_LISTEN", "address and port to serve on"},
      {"data-dir", "AUGENHOEHE_DATA_DIR", "folder for the SQLite database, uploads and outbox"},
      {"database", "AUGENHOEHE_DATABASE", "sqlite:PATH or postgresql://USER:PASSWORD@HOST/DB"},
      {"share-dir", "AUGENHOEHE_SHARE_DIR", "folder with templates, i18n and assets"},
      {"demo", "AUGENHOEHE_DEMO", "seed demo content on first start (true/false)"},
      {"https", "AUGENHOEHE_HTTPS", "served over https: send HSTS, Secure cookies (true/false)"},
      {"io-threads", "AUGENHOEHE_IO_THREADS", "threads for network I/O (0: one per core)"},
      {"worker-threads", "AUGENHOEHE_WORKER_THREADS",
       "threads for handlers (0: two per core on SQLite, eight on PostgreSQL)"},
      {"db-connections", "AUGENHOEHE_DB_CONNECTIONS",
       "database connections at most (0: 8 on SQLite, half the handler threads on PostgreSQL)"},
      {"access-log", "AUGENHOEHE_ACCESS_LOG", "'-' for stdout, 'off', or a file"},
      {"log-level", "AUGENHOEHE_LOG_LEVEL", "trace, debug, info, warn, error"},
      {"public-url", "AUGENHOEHE_PUBLIC_URL", "the site's address as people see it, for links in mails"},
      {"smtp-url", "AUGENHOEHE_SMTP_URL", "smtp://HOST:587 or smtps://HOST:465; empty: mails go to DATA_DIR/outbox"},
      {"smtp-user", "AUGENHOEHE_SMTP_USER", "SMTP login"},
      {"smtp-password", "AUGENHOEHE_SMTP_PASSWORD", "SMTP password"},
      {"smtp-starttls", "AUGENHOEHE_SMTP_STARTTLS", "required, opportunistic or off"},
      {"mail-from", "AUGENHOEHE_MAIL_FROM", "sender address of mails"},
      {"trusted-proxies", "AUGENHOEHE_TRUSTED_PROXIES",
       "reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For is believed"},
      {"purge-interval", "AUGENHOEHE_PURGE_INTERVAL",
       "minutes between purges of ended sessions and rate limits"},
  };
  return all;
}

Result<std::map<std::string, std::string>> parse_config_text(std::string_view text,
                                                              std::string_view name) {
  std::map<std::string, std::string> values;
  std::istringstream in{std::string(text)};
  int line_no = 0;
  auto trim = [](std::string s) {
    auto a = s.find_first_not_of(" \t\r");
    auto b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? std::string{} : s.substr(a, b - a + 1);
  };
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    auto where = std::string(name) + " line " + std::to_string(line_no);
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) return fail(ErrorCode::invalid_input, where + ": expected 'key = value'");
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    bool known = false;
    for (const auto& s : settings()) known = known || s.key == key;
    if (!known) return fail(ErrorCode::invalid_input, where + ": unknown key '" + key + "'");
    values[key] = value;
  }
  return values;
}

Result<std::map<std::string, std::string>> read_config_file(const fs::path& file) {
  auto text = read_file(file);
  if (!text) return fail(ErrorCode::invalid_input, "cannot read config file " + file.string());
  return parse_config_text(*text, file.string());
}

std::string mask_secrets(std::string_view url) {
  std::string s(url);
  // userinfo password in a URL
  auto scheme = s.find("://");
  if (scheme != std::string::npos) {
    auto at = s.find('@', scheme + 3);
    auto colon = s.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at)
      s.replace(colon + 1, at - colon - 1, "***");
  }
  // password=... in a query or key/value connection string
  for (auto p = s.find("password="); p != std::string::npos; p = s.find("password=", p + 1)) {
    auto end = s.find_first_of("& ", p);
    s.replace(p + 9, (end == std::string::npos ? s.size() : end) - p - 9, "***");
  }
  return s;
}

Result<fs::path> find_share_dir(const Config& config) {
  if (!config.share_dir.empty()) {
    if (fs::is_directory(fs::path(config.share_dir) / "templates")) return fs::path(config.share_dir);
    return fail(ErrorCode::invalid_input, "share-dir has no templates/ folder: " + config.share_dir);
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fail(ErrorCode::unavailable, "cannot locate the executable to find share/");
  for (fs::path candidate : {exe.parent_path() / "share/augenhoehe",
                             exe.parent_path().parent_path() / "share/augenhoehe"}) {
    if (fs::is_directory(candidate / "templates")) return candidate;
  }
  return fail(ErrorCode::unavailable,
              "cannot find templates and assets next to " + exe.string() +
                  "; set --share-dir (or AUGENHOEHE_SHARE_DIR)");
}

}  // namespace ah::app

namespace ah::app {

namespace {
Result<bool> parse_bool(std::string_view key, std::string_view v) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return fail(ErrorCode::invalid_input, std::string(key) + ": '" + std::string(v) + "' is not true or false");
}
Result<int> parse_int(std::string_view key, std::string_view v) {
  int n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || end != v.data() + v.size() || n < 0)
    return fail(ErrorCode::invalid_input, std::string(key) + ": '" + std::string(v) + "' is not a whole number");
  return n;
}
Result<int> parse_minutes(std::string_view key, std::string_view v) {
  AH_TRY(n, parse_int(key, v));
  if (n < 1)
    return fail(ErrorCode::invalid_input,
                std::string(key) + ": '" + std::string(v) + "' is not at least 1 (minute)");
  return n;
}
}  // namespace

Status apply_setting(Config& c, std::string_view key, std::string_view value) {
  std::string v(value);
  if (key == "listen") c.listen = v;
  else if (key == "data-dir") c.data_dir = v;
  else if (key == "database") c.database = v;
  else if (key == "share-dir") c.share_dir = v;
  else if (key == "access-log") c.access_log = v;
  else if (key == "log-level") c.log_level = v;
  else if (key == "public-url") c.public_url = v;
  else if (key == "smtp-url") c.smtp_url = v;
  else if (key == "smtp-user") c.smtp_user = v;
  else if (key == "smtp-password") c.smtp_password = v;
  else if (key == "smtp-starttls") c.smtp_starttls = v;
  else if (key == "mail-from") c.mail_from = v;
  else if (key == "demo") { AH_TRY(b, parse_bool(key, v)); c.demo = b; }
  else if (key == "https") { AH_TRY(b, parse_bool(key, v)); c.https = b; }
  else if (key == "io-threads") { AH_TRY(n, parse_int(key, v)); c.io_threads = n; }
  else if (key == "worker-threads") { AH_TRY(n, parse_int(key, v)); c.worker_threads = n; }
  else if (key == "db-connections") { AH_TRY(n, parse_int(key, v)); c.db_connections = n; }
  else if (key == "purge-interval") { AH_TRY(n, parse_minutes(key, v)); c.purge_interval = n; }
  else if (key == "trusted-proxies") {
    c.trusted_proxies = v;
    AH_TRY_STATUS(c.trusted_proxy_list());  // the error names the option and the entry
  }
  else return fail(ErrorCode::invalid_input, "unknown setting '" + std::string(key) + "'");
  return {};
}

Status apply_settings(Config& config, const std::map<std::string, std::string>& values) {
  for (const auto& [k, v] : values) AH_TRY_STATUS(apply_setting(config, k, v));
  return {};
}

std::vector<std::pair<std::string, std::string>> describe(const Config& c) {
  return {
      {"listen", c.listen},
      {"data-dir", c.data_dir},
      {"database", mask_secrets(c.database_url())},
      {"share-dir", c.share_dir.empty() ? "(next to the binary)" : c.share_dir},
      {"demo", c.demo ? "true" : "false"},
      {"https", c.https ? "true" : "false"},
      {"io-threads", std::to_string(c.io_threads)},
      {"worker-threads", std::to_string(c.worker_threads)},
      {"db-connections", std::to_string(c.db_connections)},
      {"access-log", c.access_log},
      {"log-level", c.log_level},
      {"public-url", c.effective_public_url()},
      {"smtp-url", c.smtp_url.empty() ? "(none: mails go to DATA_DIR/outbox)" : mask_secrets(c.smtp_url)},
      {"smtp-user", c.smtp_user},
      {"smtp-password", c.smtp_password.empty() ? "" : "***"},
      {"smtp-starttls", c.smtp_starttls},
      {"mail-from", c.mail_from},
      {"trusted-proxies",
       c.trusted_proxies.empty() ? "(none: the peer is the client)" : c.trusted_proxies},
      {"purge-interval", std::to_string(c.purge_interval) + " min"},
  };
}

}  // namespace ah::app
