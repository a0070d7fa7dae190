#include "modules/accounts/module.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <variant>

#include "auth/api_tokens.h"
#include "auth/migrations.h"
#include "auth/passwords.h"
#include "auth/rate_limit.h"
#include "auth/tokens.h"
#include "http/client_address.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "web/errors.h"
#include "web/notify.h"

namespace ah::modules {

namespace {

using accounts::AccountStore;
using accounts::SessionLayer;
using accounts::unix_now;

constexpr std::int64_t kVerifyTokenSeconds = 48 * 3600;
constexpr std::size_t kMaxDisplayName = 80;

// A form's values and the catalogue keys of what is wrong with them, by field.
struct FormState {
  std::map<std::string, std::string> values;
  std::map<std::string, std::string> errors;
};

web::Data form_data(const web::Catalog& c, std::string_view lang, const FormState& form) {
  web::Data data{web::Data::type::object};
  for (const auto& [name, value] : form.values) data.set("value_" + name, value);
  web::Data summary{web::Data::type::list};
  for (const auto& [field, key] : form.errors) {
    data.set("error_" + field, c.text(lang, key));
    web::Data item{web::Data::type::object};
    item.set("field", field);
    item.set("text", c.text(lang, key));
    summary.push_back(item);
  }
  data.set("errors", summary);
  data.set("has_errors", !form.errors.empty());
  return data;
}

http::Response page(web::Services& s, const http::Request& request, std::string_view name,
                    web::Data data, std::string_view title_key, int status = 200) {
  data.set("title", s.view.catalog().text(request.lang, title_key));
  data.set("csrf", request.csrf_token);
  data.set("signed_in", request.account_id != 0);
  auto response = http::Response::html(s.view.render(name, data, request), status);
  response.headers.set("Cache-Control", "no-store");
  return response;
}

http::Response message_page(web::Services& s, const http::Request& request, const std::string& key,
                            std::string link = {}, std::string link_key = {}, int status = 200) {
  const auto& c = s.view.catalog();
  web::Data data{web::Data::type::object};
  data.set("heading", c.text(request.lang, key + "_heading"));
  data.set("text", c.text(request.lang, key + "_text"));
  if (!link.empty()) {
    data.set("link", link);
    data.set("link_text", c.text(request.lang, link_key));
  }
  return page(s, request, "accounts_message", data, key + "_heading", status);
}

http::Response too_many(web::Services& s, const http::Request& request, std::int64_t retry_after) {
  auto response = web::error_response(s.view, request, 429);
  response.headers.set("Retry-After", std::to_string(std::max<std::int64_t>(1, retry_after)));
  return response;
}

// What registering or logging in came to; pages and the API present it their own way.
struct Outcome {
  enum class Kind { ok, invalid, limited, wrong, unverified, failed } kind = Kind::ok;
  std::map<std::string, std::string> errors;  // field -> catalogue key (invalid, wrong, unverified)
  std::int64_t retry_after = 0;               // limited
  Error error;                                // failed
  std::optional<accounts::Account> account;   // ok (login)
};

Outcome failed(Error error) {
  Outcome o;
  o.kind = Outcome::Kind::failed;
  o.error = std::move(error);
  return o;
}

// The outcome when the client (http::client_network of its address) or the account (the
// normalised email address) has used up its limit for `action`, else nothing. The client's
// limit is counted first and a refused call stops there: a client over its limit then no
// longer uses up the per-account limits of the people it tries, which would lock them out.
std::optional<Outcome> rate_limited(web::Services& s, std::string_view action,
                                    std::string_view client_address, const std::string& email,
                                    auth::RateLimit per_client, auth::RateLimit per_account) {
  const std::pair<std::string, auth::RateLimit> checks[] = {
      {std::string(action) + ":client:" + http::client_network(client_address), per_client},
      {std::string(action) + ":" + email, per_account}};
  auth::RateLimiter limiter(s.db);
  for (const auto& [key, limit] : checks) {
    auto decision = limiter.check_and_count(key, limit.count, limit.window_seconds, unix_now());
    if (!decision) return failed(decision.error());
    if (decision->allowed) continue;
    Outcome o;
    o.kind = Outcome::Kind::limited;
    o.retry_after = decision->retry_after_seconds;
    return o;
  }
  return std::nullopt;
}

using web::send_mail;

void send_verification(web::Services& s, std::string_view lang, std::int64_t id, const std::string& email) {
  auto token = AccountStore(s.db).issue_token(id, accounts::TokenPurpose::verify_email, unix_now(),
                                              kVerifyTokenSeconds);
  if (!token) {
    spdlog::error("verification token for account {} not stored: {}", id, token.error().detail);
    return;
  }
  const auto& c = s.view.catalog();
  std::string link = s.public_url + "/konto/bestaetigen?token=" + http::percent_encode(*token);
  send_mail(s, {.to = email,
                .subject = c.text(lang, "accounts_mail_verify_subject"),
                .text = c.text(lang, "accounts_mail_verify_text") + "\n\n" + link + "\n"});
}

void send_already_registered(web::Services& s, std::string_view lang, const std::string& email) {
  const auto& c = s.view.catalog();
  send_mail(s, {.to = email,
                .subject = c.text(lang, "accounts_mail_exists_subject"),
                .text = c.text(lang, "accounts_mail_exists_text") + "\n\n" + s.public_url + "/konto/anmelden\n"});
}

// Adds the catalogue keys of what is wrong with a new password to `errors`.
void check_new_password(const std::string& password, const std::string& repeat,
                        std::map<std::string, std::string>& errors) {
  if (password.empty()) errors["password"] = "accounts_error_password_missing";
  else if (auth::utf8_length(password) < auth::kMinPasswordCharacters) errors["password"] = "accounts_error_password_short";
  else if (password.size() > auth::kMaxPasswordBytes) errors["password"] = "accounts_error_password_long";
  else if (password != repeat) errors["password_repeat"] = "accounts_error_password_repeat";
}

// Validates, rate-limits and creates an account, then mails the verification link. A taken
// address gives the same outcome (ok), so that nobody learns which addresses have an
// account; its owner gets a mail telling them so.
Outcome register_account(web::Services& s, const http::Request& r, std::string name,
                         const std::string& email_text, const std::string& password,
                         const std::string& repeat) {
  Outcome o;
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (name.empty()) o.errors["display_name"] = "accounts_error_name_missing";
  else if (name.size() > kMaxDisplayName) o.errors["display_name"] = "accounts_error_name_long";
  auto email = accounts::normalise_email(email_text);
  if (!email) o.errors["email"] = "accounts_error_email";
  check_new_password(password, repeat, o.errors);
  if (!o.errors.empty()) {
    o.kind = Outcome::Kind::invalid;
    return o;
  }
  if (auto limited =
          rate_limited(s, "register", r.client_address, *email, auth::limits::kRegisterPerClient,
                       auth::limits::kRegisterPerAccount))
    return *limited;
  auto hash = auth::hash_password(password);
  if (!hash) return failed(hash.error());
  auto id = AccountStore(s.db).create(*email, name, *hash, unix_now());
  if (!id && id.error().code != ErrorCode::conflict) return failed(id.error());
  if (id)
    send_verification(s, r.lang, *id, *email);
  else
    send_already_registered(s, r.lang, *email);
  return o;
}

// Checks the credentials (rate-limited per client and per account; the same time for
// unknown addresses).
Outcome check_login(web::Services& s, const http::Request& r, const std::string& email_text,
                    const std::string& password) {
  Outcome o;
  auto email = accounts::normalise_email(email_text);
  if (!email) o.errors["email"] = "accounts_error_email";
  if (password.empty()) o.errors["password"] = "accounts_error_password_missing";
  if (!o.errors.empty()) {
    o.kind = Outcome::Kind::invalid;
    return o;
  }
  if (auto limited = rate_limited(s, "login", r.client_address, *email,
                                  auth::limits::kLoginPerClient, auth::limits::kLoginPerAccount))
    return *limited;
  auto account = AccountStore(s.db).find_by_email(*email);
  if (!account) return failed(account.error());
  bool ok = false;
  if (*account) ok = auth::verify_password((*account)->password_hash, password);
  else auth::verify_password_dummy(password);
  if (!ok) {
    o.kind = Outcome::Kind::wrong;
    o.errors["password"] = "accounts_error_login";
  } else if (!(*account)->email_verified_at) {
    o.kind = Outcome::Kind::unverified;
    o.errors["email"] = "accounts_error_unverified";
  } else {
    o.account = **account;
  }
  return o;
}

nlohmann::json account_json(const accounts::Account& a) {
  return {{"id", a.id}, {"email", a.email}, {"display_name", a.display_name},
          {"email_verified", a.email_verified_at.has_value()}};
}

// The JSON object of an API request body, or a problem response.
std::variant<nlohmann::json, http::Response> json_body(web::Services& s, const http::Request& r) {
  if (!r.headers.get("Content-Type").starts_with("application/json"))
    return web::error_response(s.view, r, 415, s.view.catalog().text(r.lang, "api_error_json_expected"));
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return web::error_response(s.view, r, 400, s.view.catalog().text(r.lang, "api_error_json_invalid"));
  return body;
}

std::string string_field(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// A problem response for an Outcome that is not ok, with the field errors as "errors".
http::Response problem_for(web::Services& s, const http::Request& r, const Outcome& o) {
  int status = 422;
  switch (o.kind) {
    case Outcome::Kind::limited: return too_many(s, r, o.retry_after);
    case Outcome::Kind::failed: return web::error_response(s.view, r, o.error);
    case Outcome::Kind::wrong: status = 401; break;
    case Outcome::Kind::unverified: status = 403; break;
    default: break;
  }
  const auto& c = s.view.catalog();
  auto response = web::error_response(s.view, r, status, c.text(r.lang, o.errors.begin()->second));
  auto problem = nlohmann::json::parse(response.body);
  for (const auto& [field, key] : o.errors) problem["errors"][field] = c.text(r.lang, key);
  response.body = problem.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

class AccountsModule : public web::Module {

 public:
  std::string_view name() const override { return "accounts"; }

  std::vector<db::Migration> migrations() const override {
    auto all = auth::auth_migrations();
    for (auto& m : accounts::account_migrations()) all.push_back(std::move(m));
    return all;
  }

  std::vector<http::Layer*> layers() override { return {layer_.get()}; }

  // Four people to try the platform as, with random passwords: printed once to the log
  // and written to DATA_DIR/demo-accounts.txt (mode 0600). Their organisations come with
  // memberships; the names say whom they stand for.
  Status seed_demo(web::Services& s) override {
    struct Demo {
      const char* email;
      const char* name;
    };
    const Demo demos[] = {
        {"buergerin@demo.augenhoehe.invalid", "Bürgerin Demo"},
        {"wittenberg@demo.augenhoehe.invalid", "Lutherstadt Wittenberg (Demo)"},
        {"land@demo.augenhoehe.invalid", "Land Sachsen-Anhalt (Demo)"},
        {"gemeinde-admin@demo.augenhoehe.invalid", "Admin Gemeinde Kemberg (Demo)"},
    };
    std::string listing =
        "# Demo accounts of this augenhoehe installation (created with serve --demo).\n"
        "# email  password  display name\n";
    for (const auto& d : demos) {
      std::string password = auth::random_token(16);
      AH_TRY(id, accounts::create_verified_account(s.db, d.email, d.name, password, unix_now()));
      (void)id;
      listing += std::string(d.email) + "  " + password + "  " + d.name + "\n";
    }
    auto file = s.data_dir / "demo-accounts.txt";
    {
      std::ofstream out(file, std::ios::trunc);
      out << listing;
      if (!out) return fail(ErrorCode::unavailable, "cannot write " + file.string());
    }
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    spdlog::warn("demo accounts (also in {}):\n{}", file.string(), listing);
    return {};
  }

  void describe_api(nlohmann::json& doc) const override {
    using nlohmann::json;
    json problem = {{"$ref", "#/components/responses/Problem"}};
    doc["components"]["securitySchemes"]["session"] = {
        {"type", "apiKey"}, {"in", "cookie"}, {"name", "ah_session"},
        {"description", "The session cookie from POST /api/v1/session; unsafe calls with it "
                        "also need the X-CSRF-Token header (csrf_token of the login answer)"}};
    doc["components"]["securitySchemes"]["token"] = {
        {"type", "http"}, {"scheme", "bearer"}, {"description", "A personal API token (ah_…)"}};
    doc["components"]["schemas"]["Account"] = {
        {"type", "object"},
        {"required", {"id", "email", "display_name", "email_verified"}},
        {"properties", {{"id", {{"type", "integer"}}}, {"email", {{"type", "string"}}},
                        {"display_name", {{"type", "string"}}}, {"email_verified", {{"type", "boolean"}}}}}};
    auto body = [](json properties, json required) {
      json schema = {{"type", "object"}, {"required", required}, {"properties", properties}};
      return json{{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
    };
    json text = {{"type", "string"}};
    doc["paths"]["/api/v1/accounts"]["post"] = {
        {"operationId", "register"},
        {"summary", "Register; a verification link is mailed (the answer is the same for taken addresses)"},
        {"tags", {"accounts"}},
        {"requestBody", body({{"email", text}, {"display_name", text}, {"password", {{"type", "string"}, {"minLength", 10}}}},
                             {"email", "display_name", "password"})},
        {"responses", {{"202", {{"description", "Verification mail sent"}}}, {"422", problem}, {"429", problem}}}};
    doc["paths"]["/api/v1/session"]["post"] = {
        {"operationId", "login"},
        {"summary", "Log in: sets the session cookie and returns the CSRF token"},
        {"tags", {"accounts"}},
        {"requestBody", body({{"email", text}, {"password", text}}, {"email", "password"})},
        {"responses",
         {{"200", {{"description", "Logged in"},
                   {"content", {{"application/json", {{"schema",
                     {{"type", "object"}, {"required", {"account", "csrf_token"}},
                      {"properties", {{"account", {{"$ref", "#/components/schemas/Account"}}},
                                      {"csrf_token", text}}}}}}}}}}},
          {"401", problem}, {"403", problem}, {"422", problem}, {"429", problem}}}};
    doc["paths"]["/api/v1/session"]["delete"] = {
        {"operationId", "logout"},
        {"summary", "Log out"},
        {"tags", {"accounts"}},
        {"security", {{{"session", json::array()}}}},
        {"responses", {{"204", {{"description", "Logged out"}}}, {"403", problem}}}};
    doc["paths"]["/api/v1/me"]["get"] = {
        {"operationId", "me"},
        {"summary", "The account of the caller"},
        {"tags", {"accounts"}},
        {"security", {{{"session", json::array()}}, {{"token", json::array()}}}},
        {"responses", {{"200", {{"description", "The account"},
                                {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Account"}}}}}}}}},
                       {"401", problem}}}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    layer_ = std::make_unique<SessionLayer>(s.db, s.view, s.https);
    router.add(http::Method::get, "/konto/registrieren", [this, &s](http::Request& r) {
      if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
      return register_form(s, r, {});
    });
    router.add(http::Method::post, "/konto/registrieren",
               [this, &s](http::Request& r) { return register_submit(s, r); });
    router.add(http::Method::get, "/konto/bestaetigen", [&s](http::Request& r) { return verify(s, r); });
    router.add(http::Method::get, "/konto/anmelden", [this, &s](http::Request& r) {
      if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
      return login_form(s, r, {});
    });
    router.add(http::Method::post, "/konto/anmelden",
               [this, &s](http::Request& r) { return login_submit(s, r); });
    router.add(http::Method::post, "/konto/abmelden", [this, &s](http::Request& r) {
      if (auto ok = layer_->log_out(r); !ok) return web::error_response(s.view, r, ok.error());
      return http::Response::redirect("/");
    });
    router.add(http::Method::get, "/konto", [&s](http::Request& r) { return account_page(s, r); });
    router.add(http::Method::get, "/konto/daten", [&s](http::Request& r) { return export_data(s, r); });
    router.add(http::Method::post, "/konto/loeschen", [this, &s](http::Request& r) { return erase_account(s, r); });
    router.add(http::Method::get, "/konto/passwort-vergessen", [this, &s](http::Request& r) {
      if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
      return page(s, r, "accounts_forgot", form_data(s.view.catalog(), r.lang, {}), "accounts_forgot_title");
    });
    router.add(http::Method::post, "/konto/passwort-vergessen", [this, &s](http::Request& r) { return forgot_submit(s, r); });
    router.add(http::Method::get, "/konto/passwort-neu", [this, &s](http::Request& r) { return reset_form(s, r); });
    router.add(http::Method::post, "/konto/passwort-neu", [this, &s](http::Request& r) { return reset_submit(s, r); });
    router.add(http::Method::post, "/api/v1/accounts", [&s](http::Request& r) { return api_register(s, r); });
    router.add(http::Method::post, "/api/v1/session", [this, &s](http::Request& r) { return api_login(s, r); });
    router.add(http::Method::del, "/api/v1/session", [this, &s](http::Request& r) {
      if (auto ok = layer_->log_out(r); !ok) return web::error_response(s.view, r, ok.error());
      http::Response response;
      response.status = 204;
      return response;
    });
    router.add(http::Method::get, "/api/v1/me", [&s](http::Request& r) { return api_me(s, r); });
  }

 private:
  static http::Response register_form(web::Services& s, const http::Request& r, const FormState& form,
                                      int status = 200) {
    return page(s, r, "accounts_register", form_data(s.view.catalog(), r.lang, form),
                "accounts_register_title", status);
  }

  static http::Response login_form(web::Services& s, const http::Request& r, const FormState& form,
                                   int status = 200) {
    return page(s, r, "accounts_login", form_data(s.view.catalog(), r.lang, form),
                "accounts_login_title", status);
  }

  http::Response register_submit(web::Services& s, http::Request& r) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
    auto outcome = register_account(
        s, r, std::string(parsed->get("display_name")), std::string(parsed->get("email")),
        std::string(parsed->get("password")), std::string(parsed->get("password_repeat")));
    switch (outcome.kind) {
      case Outcome::Kind::ok: return message_page(s, r, "accounts_check_mail");
      case Outcome::Kind::limited: return too_many(s, r, outcome.retry_after);
      case Outcome::Kind::failed: return web::error_response(s.view, r, outcome.error);
      default: break;
    }
    FormState form{.values = {{"display_name", std::string(parsed->get("display_name"))},
                              {"email", std::string(parsed->get("email"))}},
                   .errors = outcome.errors};
    return register_form(s, r, form, 422);
  }

  static http::Response verify(web::Services& s, http::Request& r) {
    auto query = http::parse_query(r.query);
    std::string token = query ? std::string(query->get("token")) : std::string{};
    AccountStore store(s.db);
    auto account = token.empty() ? Result<std::int64_t>(fail(ErrorCode::not_found, "token_invalid"))
                                 : store.consume_token(token, accounts::TokenPurpose::verify_email, unix_now());
    if (!account) {
      if (account.error().code != ErrorCode::not_found) return web::error_response(s.view, r, account.error());
      return message_page(s, r, "accounts_verify_failed", "/konto/registrieren", "accounts_register_link", 400);
    }
    if (auto ok = store.mark_verified(*account, unix_now()); !ok) return web::error_response(s.view, r, ok.error());
    return message_page(s, r, "accounts_verified", "/konto/anmelden", "accounts_login_link");
  }

  http::Response login_submit(web::Services& s, http::Request& r) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    auto outcome =
        check_login(s, r, std::string(parsed->get("email")), std::string(parsed->get("password")));
    switch (outcome.kind) {
      case Outcome::Kind::ok: {
        if (auto in = layer_->log_in(r, outcome.account->id); !in) return web::error_response(s.view, r, in.error());
        return http::Response::redirect("/konto");
      }
      case Outcome::Kind::limited: return too_many(s, r, outcome.retry_after);
      case Outcome::Kind::failed: return web::error_response(s.view, r, outcome.error);
      default: break;
    }
    FormState form{.values = {{"email", std::string(parsed->get("email"))}}, .errors = outcome.errors};
    return login_form(s, r, form, outcome.kind == Outcome::Kind::unverified ? 403 : 422);
  }

  // GET /konto/daten: everything stored about the person, as a JSON download (DSGVO Art. 15/20).
  static http::Response export_data(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto account = AccountStore(s.db).find(r.account_id);
    if (!account) return web::error_response(s.view, r, account.error());
    if (!*account) return http::Response::redirect("/konto/anmelden");
    auto now = unix_now();
    auto sessions = auth::SessionStore(s.db).list_for(r.account_id, now);
    auto tokens = auth::ApiTokenStore(s.db).list(r.account_id);
    if (!sessions) return web::error_response(s.view, r, sessions.error());
    if (!tokens) return web::error_response(s.view, r, tokens.error());
    auto optional_time = [](const std::optional<std::int64_t>& t) { return t ? nlohmann::json(*t) : nlohmann::json(nullptr); };
    nlohmann::json data = {
        {"exported_at", now},
        {"account", {{"id", (*account)->id}, {"email", (*account)->email},
                     {"display_name", (*account)->display_name},
                     {"email_verified_at", optional_time((*account)->email_verified_at)},
                     {"created_at", (*account)->created_at}}},
        {"sessions", nlohmann::json::array()},
        {"api_tokens", nlohmann::json::array()}};
    for (const auto& session : *sessions)
      data["sessions"].push_back({{"created_at", session.created_at}, {"last_seen_at", session.last_seen_at},
                                  {"expires_at", session.expires_at}});
    for (const auto& token : *tokens)
      data["api_tokens"].push_back({{"name", token.name}, {"scopes", token.scopes}, {"created_at", token.created_at},
                                    {"last_used_at", optional_time(token.last_used_at)},
                                    {"revoked_at", optional_time(token.revoked_at)}});
    for (const web::Module* m : s.modules) {
      auto more = m->export_personal_data(s, r.account_id);
      if (!more) return web::error_response(s.view, r, more.error());
      if (!more->is_null()) data[std::string(m->name())] = std::move(*more);
    }
    auto response = http::Response::json(data.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    response.headers.set("Content-Disposition", "attachment; filename=\"augenhoehe-meine-daten.json\"");
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // POST /konto/loeschen: erases the account after the password is confirmed (DSGVO Art. 17).
  http::Response erase_account(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    AccountStore store(s.db);
    auto account = store.find(r.account_id);
    if (!account) return web::error_response(s.view, r, account.error());
    if (!*account) return http::Response::redirect("/konto/anmelden");
    if (!auth::verify_password((*account)->password_hash, parsed->get("password"))) {
      web::Data data{web::Data::type::object};
      data.set("display_name", (*account)->display_name);
      data.set("email", (*account)->email);
      data.set("error_delete_password", s.view.catalog().text(r.lang, "accounts_error_login"));
      return page(s, r, "accounts_account", data, "accounts_account_title", 422);
    }
    std::int64_t id = r.account_id;
    if (auto ok = auth::ApiTokenStore(s.db).erase_all_for(id); !ok) return web::error_response(s.view, r, ok.error());
    if (auto ok = auth::SessionStore(s.db).destroy_all_for(id); !ok) return web::error_response(s.view, r, ok.error());
    if (auto ok = store.erase(id); !ok) return web::error_response(s.view, r, ok.error());
    r.session_token.clear();  // destroyed above with the others
    r.account_id = 0;
    r.session_changed = true;
    return message_page(s, r, "accounts_deleted", "/", "accounts_home_link");
  }

  // POST /konto/passwort-vergessen: mails a reset link if the address has an account; the
  // answer is the same either way.
  http::Response forgot_submit(web::Services& s, http::Request& r) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
    auto email = accounts::normalise_email(parsed->get("email"));
    if (!email) {
      FormState form{.values = {{"email", std::string(parsed->get("email"))}},
                     .errors = {{"email", "accounts_error_email"}}};
      return page(s, r, "accounts_forgot", form_data(s.view.catalog(), r.lang, form), "accounts_forgot_title", 422);
    }
    if (auto limited =
            rate_limited(s, "reset", r.client_address, *email, auth::limits::kResetPerClient,
                         auth::limits::kResetPerAccount)) {
      if (limited->kind == Outcome::Kind::failed) return web::error_response(s.view, r, limited->error);
      return too_many(s, r, limited->retry_after);
    }
    AccountStore store(s.db);
    auto account = store.find_by_email(*email);
    if (!account) return web::error_response(s.view, r, account.error());
    if (*account) {
      auto token = store.issue_token((*account)->id, accounts::TokenPurpose::reset_password, unix_now(), 3600);
      if (!token) return web::error_response(s.view, r, token.error());
      const auto& c = s.view.catalog();
      send_mail(s, {.to = *email,
                    .subject = c.text(r.lang, "accounts_mail_reset_subject"),
                    .text = c.text(r.lang, "accounts_mail_reset_text") + "\n\n" + s.public_url +
                            "/konto/passwort-neu?token=" + http::percent_encode(*token) + "\n"});
    }
    return message_page(s, r, "accounts_reset_sent");
  }

  // GET /konto/passwort-neu?token=: the form, if the link is still good.
  http::Response reset_form(web::Services& s, http::Request& r) {
    auto query = http::parse_query(r.query);
    std::string token = query ? std::string(query->get("token")) : std::string{};
    auto usable = token.empty() ? Result<bool>(false)
                                : AccountStore(s.db).token_usable(token, accounts::TokenPurpose::reset_password, unix_now());
    if (!usable) return web::error_response(s.view, r, usable.error());
    if (!*usable) return message_page(s, r, "accounts_reset_failed", "/konto/passwort-vergessen", "accounts_forgot_link", 400);
    if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
    FormState form{.values = {{"token", token}}};
    return page(s, r, "accounts_reset", form_data(s.view.catalog(), r.lang, form), "accounts_reset_title");
  }

  // POST /konto/passwort-neu: sets the password, ends every session of the account.
  http::Response reset_submit(web::Services& s, http::Request& r) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    std::string token(parsed->get("token"));
    FormState form{.values = {{"token", token}}};
    check_new_password(std::string(parsed->get("password")), std::string(parsed->get("password_repeat")), form.errors);
    if (!form.errors.empty())
      return page(s, r, "accounts_reset", form_data(s.view.catalog(), r.lang, form), "accounts_reset_title", 422);
    auto hash = auth::hash_password(parsed->get("password"));
    if (!hash) return web::error_response(s.view, r, hash.error());
    AccountStore store(s.db);
    auto account = store.consume_token(token, accounts::TokenPurpose::reset_password, unix_now());
    if (!account) {
      if (account.error().code != ErrorCode::not_found) return web::error_response(s.view, r, account.error());
      return message_page(s, r, "accounts_reset_failed", "/konto/passwort-vergessen", "accounts_forgot_link", 400);
    }
    if (auto ok = store.set_password_hash(*account, *hash); !ok) return web::error_response(s.view, r, ok.error());
    // The mail proved the address; and whoever had a session with the old password loses it.
    if (auto ok = store.mark_verified(*account, unix_now()); !ok) return web::error_response(s.view, r, ok.error());
    if (auto ended = auth::SessionStore(s.db).destroy_all_for(*account); !ended)
      return web::error_response(s.view, r, ended.error());
    if (auto ok = layer_->log_out(r); !ok) return web::error_response(s.view, r, ok.error());
    return message_page(s, r, "accounts_reset_done", "/konto/anmelden", "accounts_login_link");
  }

  // POST /api/v1/accounts {"email","display_name","password"} -> 202
  static http::Response api_register(web::Services& s, http::Request& r) {
    auto body = json_body(s, r);
    if (auto* response = std::get_if<http::Response>(&body)) return std::move(*response);
    auto& json = std::get<nlohmann::json>(body);
    std::string password = string_field(json, "password");
    auto outcome = register_account(s, r, string_field(json, "display_name"),
                                    string_field(json, "email"), password, password);
    if (outcome.kind != Outcome::Kind::ok) return problem_for(s, r, outcome);
    return http::Response::json(R"({"status":"verification_sent"})", 202);
  }

  // POST /api/v1/session {"email","password"} -> 200 {account, csrf_token} and the cookie
  http::Response api_login(web::Services& s, http::Request& r) {
    auto body = json_body(s, r);
    if (auto* response = std::get_if<http::Response>(&body)) return std::move(*response);
    auto& json = std::get<nlohmann::json>(body);
    auto outcome = check_login(s, r, string_field(json, "email"), string_field(json, "password"));
    if (outcome.kind != Outcome::Kind::ok) return problem_for(s, r, outcome);
    if (auto in = layer_->log_in(r, outcome.account->id); !in) return web::error_response(s.view, r, in.error());
    nlohmann::json answer = {{"account", account_json(*outcome.account)}, {"csrf_token", r.csrf_token}};
    return http::Response::json(answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }

  // GET /api/v1/me
  static http::Response api_me(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto account = AccountStore(s.db).find(r.account_id);
    if (!account) return web::error_response(s.view, r, account.error());
    if (!*account) return web::error_response(s.view, r, 401);
    auto response = http::Response::json(
        account_json(**account).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  static http::Response account_page(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    auto account = AccountStore(s.db).find(r.account_id);
    if (!account) return web::error_response(s.view, r, account.error());
    if (!*account) return http::Response::redirect("/konto/anmelden");
    web::Data data{web::Data::type::object};
    data.set("display_name", (*account)->display_name);
    data.set("email", (*account)->email);
    return page(s, r, "accounts_account", data, "accounts_account_title");
  }

  std::unique_ptr<SessionLayer> layer_;
};

}  // namespace

std::unique_ptr<web::Module> make_accounts_module() { return std::make_unique<AccountsModule>(); }

}  // namespace ah::modules
