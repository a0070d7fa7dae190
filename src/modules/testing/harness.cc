#include "modules/testing/harness.h"

#include <gtest/gtest.h>

#include <regex>

#include "auth/sessions.h"
#include "db/migrate.h"
#include "http/url.h"
#include "modules/accounts/module.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/files/module.h"
#include "modules/members/module.h"
#include "modules/moderation/module.h"
#include "modules/notifications/module.h"
#include "modules/orgs/module.h"
#include "modules/orgs/store.h"
#include "search/index.h"

namespace ah::modules::testing {

Status RecordingMailer::send(const mail::Message& message) {
  std::lock_guard lock(mutex_);
  sent_.push_back(message);
  return {};
}

std::vector<mail::Message> RecordingMailer::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

std::size_t RecordingMailer::count() const {
  std::lock_guard lock(mutex_);
  return sent_.size();
}

std::vector<std::unique_ptr<web::Module>> standard_modules(std::unique_ptr<web::Module> extra) {
  std::vector<std::unique_ptr<web::Module>> modules;
  modules.push_back(make_orgs_module(AH_DATA_DIR));
  modules.push_back(make_accounts_module());
  modules.push_back(make_members_module());
  modules.push_back(make_moderation_module());
  modules.push_back(make_files_module());
  modules.push_back(make_notifications_module());
  if (extra) modules.push_back(std::move(extra));
  return modules;
}

void SiteHarness::start(db::Database& db, const std::filesystem::path& data_dir,
                        std::vector<std::unique_ptr<web::Module>> modules) {
  db_ = &db;
  modules_ = std::move(modules);
  // The core's shared tables that modules build on (app::all_migrations has the same).
  std::vector<db::Migration> migrations = search::search_migrations();
  for (const auto& m : modules_)
    for (auto& migration : m->migrations()) migrations.push_back(std::move(migration));
  std::sort(migrations.begin(), migrations.end(),
            [](const db::Migration& a, const db::Migration& b) { return a.version < b.version; });
  auto migrated = db::migrate(db, migrations);
  ASSERT_TRUE(migrated) << migrated.error().message << " " << migrated.error().detail;
  auto assets = http::AssetStore::load(AH_SHARE_DIR "/assets");
  ASSERT_TRUE(assets) << assets.error().message;
  assets_ = std::make_unique<http::AssetStore>(std::move(*assets));
  auto catalog = web::Catalog::load(AH_SHARE_DIR "/i18n");
  ASSERT_TRUE(catalog) << catalog.error().message;
  auto view = web::View::load(AH_SHARE_DIR "/templates", std::move(*catalog), *assets_);
  ASSERT_TRUE(view) << view.error().message;
  view_ = std::move(*view);
  services_ = std::make_unique<web::Services>(web::Services{db, *view_, metrics_, "test",
                                                            AH_SHARE_DIR, data_dir, "{}", &mailer,
                                                            "https://beteiligung.example", false});
  for (const auto& m : modules_) services_->modules.push_back(m.get());
  for (const auto& m : modules_) m->register_routes(router_, *services_);
  for (const auto& m : modules_)
    for (auto* layer : m->layers()) layers_.push_back(layer);
}

std::int64_t comment_anchor(std::string_view location) {
  constexpr std::string_view kAnchor = "#kommentar-";
  auto at = location.find(kAnchor);
  if (at == std::string_view::npos) return 0;
  std::int64_t n = 0;
  for (char c : location.substr(at + kAnchor.size())) {
    if (c < '0' || c > '9') break;
    n = n * 10 + (c - '0');
  }
  return n;
}

FormPart form_field(std::string name, std::string value) {
  return {std::move(name), std::move(value)};
}

FormPart form_file(std::string name, std::string filename, std::string content_type,
                   std::string data) {
  return {std::move(name), std::move(data), std::move(filename), std::move(content_type), true};
}

http::Response SiteHarness::send_multipart(const std::string& target,
                                           const std::vector<FormPart>& parts) {
  const std::string boundary = "----ahBoundary7MA4YWxkTrZu0gW";
  std::string body;
  for (const auto& p : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
    if (p.is_file) body += "; filename=\"" + p.filename + "\"\r\nContent-Type: " + p.content_type;
    body += "\r\n\r\n" + p.value + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  auto request = make_request(http::Method::post, target);
  request.headers.set("Content-Type", "multipart/form-data; boundary=" + boundary);
  request.body = body;
  return run(request);
}

http::Request SiteHarness::make_request(http::Method method, const std::string& target) {
  http::Request request;
  request.method = method;
  request.target = target;
  auto q = target.find('?');
  request.path = target.substr(0, q);
  request.query = q == std::string::npos ? "" : target.substr(q + 1);
  if (!session_cookie.empty())
    request.headers.set("Cookie", std::string(accounts::kSessionCookie) + "=" + session_cookie);
  request.client_address = client_address;
  return request;
}

web::Module& SiteHarness::module(std::string_view name) {
  for (const auto& m : modules_)
    if (m->name() == name) return *m;
  throw std::logic_error("no module " + std::string(name));
}

http::Response SiteHarness::send(http::Method method, const std::string& target,
                                 const std::string& form, bool with_csrf) {
  http::Request request = make_request(method, target);
  if (method == http::Method::post) {
    request.headers.set("Content-Type", "application/x-www-form-urlencoded");
    request.body = form;
    if (with_csrf)
      request.body += (form.empty() ? "" : "&") + std::string("csrf=") + http::percent_encode(csrf);
  }
  return run(request);
}

http::Response SiteHarness::api(http::Method method, const std::string& target,
                                const std::string& json, const std::string& csrf_header,
                                std::string content_type) {
  http::Request request = make_request(method, target);
  if (!json.empty()) {
    request.headers.set("Content-Type", content_type);
    request.body = json;
  }
  if (!csrf_header.empty()) request.headers.set("X-CSRF-Token", csrf_header);
  return run(request);
}

http::Response SiteHarness::run(http::Request& request) {
  std::optional<http::Response> response;
  std::size_t entered = 0;
  for (; entered < layers_.size() && !response; ++entered)
    response = layers_[entered]->before(request);
  if (!response) {
    auto match = router_.match(request.method, request.path);
    auto* found = std::get_if<http::RouteMatch>(&match);
    EXPECT_TRUE(found) << "no route for " << request.target;
    if (!found) return http::Response::text("no route", 404);
    request.path_params = found->params;
    response = found->route->handler(request);
  }
  for (std::size_t i = entered; i-- > 0;) layers_[i]->after(request, *response);
  const std::string prefix = std::string(accounts::kSessionCookie) + "=";
  for (const auto& [name, value] : response->headers.all()) {
    if (name != "Set-Cookie" || !value.starts_with(prefix)) continue;
    session_cookie = value.substr(prefix.size(), value.find(';') - prefix.size());
  }
  std::smatch m;
  if (std::regex_search(response->body, m, std::regex("name=\"csrf\" value=\"([^\"]*)\"")))
    csrf = m[1];
  return *response;
}

std::int64_t SiteHarness::create_account(const std::string& email,
                                         const std::string& display_name) {
  accounts::AccountStore store(*db_);
  // Not an argon2id hash: nobody can log in with a password, and no test waits for hashing.
  auto id = store.create(email, display_name, "test-without-password", accounts::unix_now());
  EXPECT_TRUE(id) << email;
  if (!id) return 0;
  EXPECT_TRUE(store.mark_verified(*id, accounts::unix_now()));
  return *id;
}

void SiteHarness::sign_in(std::int64_t account_id) {
  if (account_id == 0) {
    session_cookie.clear();
    csrf.clear();
    return;
  }
  auto session = auth::SessionStore(*db_).create(account_id, accounts::unix_now());
  ASSERT_TRUE(session);
  session_cookie = session->token;
  csrf = session->session.csrf_token;
}

std::int64_t SiteHarness::org_id(const std::string& key) {
  auto org = orgs::OrgStore(*db_).find(key);
  EXPECT_TRUE(org) << key;
  return org ? org->id : 0;
}

}  // namespace ah::modules::testing
