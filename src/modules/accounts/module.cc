#include "modules/accounts/module.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
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
#include "web/api.h"
#include "web/errors.h"
#include "web/form_state.h"
#include "web/format.h"
#include "web/notify.h"

namespace ah::modules {

namespace {

using accounts::AccountStore;
using accounts::SessionLayer;
using accounts::unix_now;
using web::string_field;

constexpr std::int64_t kVerifyTokenSeconds = 48 * 3600;
constexpr std::int64_t kChangeEmailTokenSeconds = 24 * 3600;
constexpr std::size_t kMaxDisplayName = 80;

using web::form_data;
using web::FormState;

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

// What registering, logging in, asking for a new address or creating an API token came
// to; pages and the API present it their own way.
struct Outcome {
  enum class Kind { ok, invalid, limited, wrong, unverified, failed } kind = Kind::ok;
  std::map<std::string, std::string> errors;  // field -> catalogue key (invalid, wrong, unverified)
  std::int64_t retry_after = 0;               // limited
  Error error;                                // failed
  std::optional<accounts::Account> account;   // ok (login)
  std::optional<auth::CreatedApiToken> token;  // ok (new API token)
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
std::optional<Outcome> limited_by(web::Services& s, const std::string& key, auth::RateLimit limit) {
  auto decision =
      auth::RateLimiter(s.db).check_and_count(key, limit.count, limit.window_seconds, unix_now());
  if (!decision) return failed(decision.error());
  if (decision->allowed) return std::nullopt;
  Outcome o;
  o.kind = Outcome::Kind::limited;
  o.retry_after = decision->retry_after_seconds;
  return o;
}

std::optional<Outcome> rate_limited(web::Services& s, std::string_view action,
                                    std::string_view client_address, const std::string& email,
                                    auth::RateLimit per_client, auth::RateLimit per_account) {
  if (auto limited = limited_by(
          s, std::string(action) + ":client:" + http::client_network(client_address), per_client))
    return limited;
  return limited_by(s, std::string(action) + ":" + email, per_account);
}

using web::send_mail;

// Mails the catalogue texts `key`_subject and `key`_text, followed by the link to `path`
// (on the public URL) when there is one.
void send_text_mail(web::Services& s, std::string_view lang, const std::string& to,
                    const std::string& key, std::string_view path = {}) {
  const auto& c = s.view.catalog();
  std::string text = c.text(lang, key + "_text");
  if (!path.empty()) text += "\n\n" + s.public_url + std::string(path) + "\n";
  send_mail(s, {.to = to, .subject = c.text(lang, key + "_subject"), .text = text});
}

void send_verification(web::Services& s, std::string_view lang, std::int64_t id,
                       const std::string& email) {
  auto token = AccountStore(s.db).issue_token(id, accounts::TokenPurpose::verify_email, unix_now(),
                                              kVerifyTokenSeconds);
  if (!token) {
    spdlog::error("verification token for account {} not stored: {}", id, token.error().detail);
    return;
  }
  send_text_mail(s, lang, email, "accounts_mail_verify",
                 "/konto/bestaetigen?token=" + http::percent_encode(*token));
}

void send_already_registered(web::Services& s, std::string_view lang, const std::string& email) {
  send_text_mail(s, lang, email, "accounts_mail_exists", "/konto/anmelden");
}

// Adds the catalogue keys of what is wrong with a new password to `errors`.
void check_new_password(const std::string& password, const std::string& repeat,
                        std::map<std::string, std::string>& errors) {
  if (password.empty())
    errors["password"] = "accounts_error_password_missing";
  else if (auth::utf8_length(password) < auth::kMinPasswordCharacters)
    errors["password"] = "accounts_error_password_short";
  else if (password.size() > auth::kMaxPasswordBytes)
    errors["password"] = "accounts_error_password_long";
  else if (password != repeat)
    errors["password_repeat"] = "accounts_error_password_repeat";
}

// Validates, rate-limits and creates an account, then mails the verification link. A taken
// address gives the same outcome (ok), so that nobody learns which addresses have an
// account; its owner gets a mail telling them so.
Outcome register_account(web::Services& s, const http::Request& r, std::string name,
                         const std::string& email_text, const std::string& password,
                         const std::string& repeat) {
  Outcome o;
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (name.empty())
    o.errors["display_name"] = "accounts_error_name_missing";
  else if (name.size() > kMaxDisplayName)
    o.errors["display_name"] = "accounts_error_name_long";
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

// The normalised address typed into the field `email_field`, if a password was typed into
// `password_field` too; else the outcome `invalid` naming what is missing or wrong.
std::variant<std::string, Outcome> address_and_password(const std::string& email_text,
                                                        const std::string& password,
                                                        const std::string& email_field,
                                                        const std::string& password_field,
                                                        const std::string& password_missing_key) {
  Outcome o;
  auto email = accounts::normalise_email(email_text);
  if (!email) o.errors[email_field] = "accounts_error_email";
  if (password.empty()) o.errors[password_field] = password_missing_key;
  if (o.errors.empty()) return std::move(*email);
  o.kind = Outcome::Kind::invalid;
  return o;
}

// Checks the credentials (rate-limited per client and per account; the same time for
// unknown addresses).
Outcome check_login(web::Services& s, const http::Request& r, const std::string& email_text,
                    const std::string& password) {
  Outcome o;
  auto checked = address_and_password(email_text, password, "email", "password",
                                      "accounts_error_password_missing");
  if (auto* refused = std::get_if<Outcome>(&checked)) return std::move(*refused);
  auto* email = &std::get<std::string>(checked);
  if (auto limited = rate_limited(s, "login", r.client_address, *email,
                                  auth::limits::kLoginPerClient, auth::limits::kLoginPerAccount))
    return *limited;
  auto account = AccountStore(s.db).find_by_email(*email);
  if (!account) return failed(account.error());
  bool ok = false;
  if (*account)
    ok = auth::verify_password((*account)->password_hash, password);
  else
    auth::verify_password_dummy(password);
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

// Validates a request to change the address of `account` (new address, current password;
// rate-limited per account) and mails the confirmation link to the new address and a
// notice to the old one. A taken new address gives the same outcome (ok), as registration
// does; the owner of that address gets a mail telling them so, and no link is made.
Outcome request_email_change(web::Services& s, std::string_view lang,
                             const accounts::Account& account, const std::string& new_email_text,
                             const std::string& password) {
  Outcome o;
  auto checked = address_and_password(new_email_text, password, "new_email", "current_password",
                                      "accounts_email_error_password_missing");
  if (auto* refused = std::get_if<Outcome>(&checked)) return std::move(*refused);
  auto* email = &std::get<std::string>(checked);
  if (auto limited = limited_by(s, "email-change:" + std::to_string(account.id),
                                auth::limits::kEmailChangePerAccount))
    return *limited;
  if (!auth::verify_password(account.password_hash, password)) {
    o.kind = Outcome::Kind::wrong;
    o.errors["current_password"] = "accounts_email_error_password";
    return o;
  }
  if (*email == account.email) {
    o.kind = Outcome::Kind::invalid;
    o.errors["new_email"] = "accounts_email_error_same";
    return o;
  }
  AccountStore store(s.db);
  auto owner = store.find_by_email(*email);
  if (!owner) return failed(owner.error());
  if (*owner) {
    send_text_mail(s, lang, *email, "accounts_email_mail_taken", "/konto/anmelden");
  } else {
    auto token = store.issue_token(account.id, accounts::TokenPurpose::change_email, unix_now(),
                                   kChangeEmailTokenSeconds, *email);
    if (!token) return failed(token.error());
    send_text_mail(s, lang, *email, "accounts_email_mail_confirm",
                   "/konto/email-bestaetigen?token=" + http::percent_encode(*token));
  }
  send_text_mail(s, lang, account.email, "accounts_email_mail_notice", "/konto/passwort-vergessen");
  return o;
}

// Validates and creates a personal API token (rate-limited per account); `token` of the
// outcome holds it when ok. Scopes must come from auth::kApiScopes, at least one.
Outcome create_api_token(web::Services& s, std::int64_t account_id, std::string name,
                         const std::vector<std::string>& scopes) {
  Outcome o;
  while (!name.empty() && name.back() == ' ') name.pop_back();
  while (!name.empty() && name.front() == ' ') name.erase(0, 1);
  if (name.empty())
    o.errors["name"] = "accounts_tokens_error_name_missing";
  else if (name.size() > auth::kMaxTokenNameBytes)
    o.errors["name"] = "accounts_tokens_error_name_long";
  if (scopes.empty()) o.errors["scopes"] = "accounts_tokens_error_scopes";
  for (const auto& scope : scopes)
    if (!auth::is_known_scope(scope)) o.errors["scopes"] = "accounts_tokens_error_scope_unknown";
  if (!o.errors.empty()) {
    o.kind = Outcome::Kind::invalid;
    return o;
  }
  if (auto limited = limited_by(s, "api-token:" + std::to_string(account_id),
                                auth::limits::kApiTokenPerAccount))
    return *limited;
  auto made = auth::ApiTokenStore(s.db).create(account_id, name, scopes, unix_now());
  if (!made) return failed(made.error());
  o.token = std::move(*made);
  return o;
}

// Revokes the caller's token {id}; not_found for another account's or an unknown one.
Status revoke_api_token(web::Services& s, const http::Request& r) {
  std::string_view text = r.param("id");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::not_found, "api_token_not_found");
  return auth::ApiTokenStore(s.db).revoke(id, r.account_id, unix_now());
}

nlohmann::json optional_time(const std::optional<std::int64_t>& t) {
  return t ? nlohmann::json(*t) : nlohmann::json(nullptr);
}

// A token as its owner sees it (API and data export); never the secret, which is not kept.
nlohmann::json token_json(const auth::ApiTokenInfo& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"scopes", t.scopes},
          {"created_at", t.created_at},
          {"last_used_at", optional_time(t.last_used_at)},
          {"revoked_at", optional_time(t.revoked_at)}};
}

// The signed-in account, or the response for a request without one (to the login page).
std::variant<accounts::Account, http::Response> signed_in_account(web::Services& s,
                                                                  const http::Request& r) {
  if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
  auto account = AccountStore(s.db).find(r.account_id);
  if (!account) return web::error_response(s.view, r, account.error());
  if (!*account) return http::Response::redirect("/konto/anmelden");
  return std::move(**account);
}

nlohmann::json account_json(const accounts::Account& a) {
  return {{"id", a.id},
          {"email", a.email},
          {"display_name", a.display_name},
          {"email_verified", a.email_verified_at.has_value()}};
}

// The JSON object of an API request body, or a problem response.
std::variant<nlohmann::json, http::Response> json_body(web::Services& s, const http::Request& r) {
  if (!r.headers.get("Content-Type").starts_with("application/json"))
    return web::error_response(s.view, r, 415,
                               s.view.catalog().text(r.lang, "api_error_json_expected"));
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return web::error_response(s.view, r, 400,
                               s.view.catalog().text(r.lang, "api_error_json_invalid"));
  return body;
}

// The page for an Outcome that is limited (429) or failed; nothing for the others, which
// the caller presents.
std::optional<http::Response> refusal_page(web::Services& s, const http::Request& r,
                                           const Outcome& o) {
  if (o.kind == Outcome::Kind::limited) return too_many(s, r, o.retry_after);
  if (o.kind == Outcome::Kind::failed) return web::error_response(s.view, r, o.error);
  return std::nullopt;
}

// A problem response for an Outcome that is not ok, with the field errors as "errors".
http::Response problem_for(web::Services& s, const http::Request& r, const Outcome& o) {
  int status = 422;
  switch (o.kind) {
    case Outcome::Kind::limited:
      return too_many(s, r, o.retry_after);
    case Outcome::Kind::failed:
      return web::error_response(s.view, r, o.error);
    case Outcome::Kind::wrong:
      status = 401;
      break;
    case Outcome::Kind::unverified:
      status = 403;
      break;
    default:
      break;
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

  // The accounts page shows when each API token was last used, at most a minute behind.
  std::vector<web::PeriodicJob> periodic_jobs(web::Services& s) override {
    return {{.name = "write when API tokens were last used",
             .interval = std::chrono::minutes(1),
             .run = [this, &s] { return layer_->token_uses().flush(s.db); },
             .at_stop = true}};
  }

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
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    spdlog::warn("demo accounts (also in {}):\n{}", file.string(), listing);
    return {};
  }

  void describe_api(nlohmann::json& doc) const override {
    using nlohmann::json;
    json problem = {{"$ref", "#/components/responses/Problem"}};
    doc["components"]["securitySchemes"]["session"] = {
        {"type", "apiKey"},
        {"in", "cookie"},
        {"name", "ah_session"},
        {"description",
         "The session cookie from POST /api/v1/session; unsafe calls with it "
         "also need the X-CSRF-Token header (csrf_token of the login answer)"}};
    doc["components"]["securitySchemes"]["token"] = {
        {"type", "http"}, {"scheme", "bearer"}, {"description", "A personal API token (ah_…)"}};
    doc["components"]["schemas"]["Account"] = {
        {"type", "object"},
        {"required", {"id", "email", "display_name", "email_verified"}},
        {"properties",
         {{"id", {{"type", "integer"}}},
          {"email", {{"type", "string"}}},
          {"display_name", {{"type", "string"}}},
          {"email_verified", {{"type", "boolean"}}}}}};
    auto body = [](json properties, json required) {
      json schema = {{"type", "object"}, {"required", required}, {"properties", properties}};
      return json{{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
    };
    json text = {{"type", "string"}};
    doc["paths"]["/api/v1/accounts"]["post"] = {
        {"operationId", "register"},
        {"summary",
         "Register; a verification link is mailed (the answer is the same for taken addresses)"},
        {"tags", {"accounts"}},
        {"requestBody", body({{"email", text},
                              {"display_name", text},
                              {"password", {{"type", "string"}, {"minLength", 10}}}},
                             {"email", "display_name", "password"})},
        {"responses",
         {{"202", {{"description", "Verification mail sent"}}},
          {"422", problem},
          {"429", problem}}}};
    doc["paths"]["/api/v1/session"]["post"] = {
        {"operationId", "login"},
        {"summary", "Log in: sets the session cookie and returns the CSRF token"},
        {"tags", {"accounts"}},
        {"requestBody", body({{"email", text}, {"password", text}}, {"email", "password"})},
        {"responses",
         {{"200",
           {{"description", "Logged in"},
            {"content",
             {{"application/json",
               {{"schema",
                 {{"type", "object"},
                  {"required", {"account", "csrf_token"}},
                  {"properties",
                   {{"account", {{"$ref", "#/components/schemas/Account"}}},
                    {"csrf_token", text}}}}}}}}}}},
          {"401", problem},
          {"403", problem},
          {"422", problem},
          {"429", problem}}}};
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
        {"responses",
         {{"200",
           {{"description", "The account"},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Account"}}}}}}}}},
          {"401", problem}}}};

    json scope = {{"type", "string"}, {"enum", json::array()}};
    for (std::string_view name : auth::kApiScopes) scope["enum"].push_back(std::string(name));
    json optional_time = {{"type", {"integer", "null"}}, {"description", "Unix seconds, or null"}};
    json token_properties = {{"id", {{"type", "integer"}}},
                             {"name", text},
                             {"scopes", {{"type", "array"}, {"items", scope}}},
                             {"created_at", {{"type", "integer"}, {"description", "Unix seconds"}}},
                             {"last_used_at", optional_time},
                             {"revoked_at", optional_time}};
    json token_required = {"id", "name", "scopes", "created_at", "last_used_at", "revoked_at"};
    doc["components"]["schemas"]["ApiToken"] = {{"type", "object"},
                                                {"description",
                                                 "A personal API token without its secret. Scopes: "
                                                 "read (safe methods), write (unsafe methods)"},
                                                {"required", token_required},
                                                {"properties", token_properties}};
    token_properties["token"] = {{"type", "string"},
                                 {"description", "The secret (ah_…), shown this once"}};
    token_required.push_back("token");
    doc["components"]["schemas"]["NewApiToken"] = {
        {"type", "object"}, {"required", token_required}, {"properties", token_properties}};
    json session_or_token = {{{"session", json::array()}}, {{"token", json::array()}}};
    doc["paths"]["/api/v1/tokens"]["get"] = {
        {"operationId", "listApiTokens"},
        {"summary",
         "The caller's personal API tokens, revoked ones included (never their secrets)"},
        {"tags", {"accounts"}},
        {"security", session_or_token},
        {"responses",
         {{"200",
           {{"description", "The tokens, oldest first"},
            {"content",
             {{"application/json",
               {{"schema",
                 {{"type", "object"},
                  {"required", {"tokens"}},
                  {"properties",
                   {{"tokens",
                     {{"type", "array"},
                      {"items", {{"$ref", "#/components/schemas/ApiToken"}}}}}}}}}}}}}}},
          {"401", problem},
          {"403", problem}}}};
    doc["paths"]["/api/v1/tokens"]["post"] = {
        {"operationId", "createApiToken"},
        {"summary",
         "Create a personal API token; the answer carries its secret, once. Needs a session: "
         "a token cannot create tokens (403)"},
        {"tags", {"accounts"}},
        {"security", {{{"session", json::array()}}}},
        {"requestBody",
         body({{"name",
                {{"type", "string"}, {"minLength", 1}, {"maxLength", auth::kMaxTokenNameBytes}}},
               {"scopes", {{"type", "array"}, {"items", scope}, {"minItems", 1}}}},
              {"name", "scopes"})},
        {"responses",
         {{"201",
           {{"description", "Created"},
            {"content",
             {{"application/json",
               {{"schema", {{"$ref", "#/components/schemas/NewApiToken"}}}}}}}}},
          {"400", problem},
          {"401", problem},
          {"403", problem},
          {"415", problem},
          {"422", problem},
          {"429", problem}}}};
    doc["paths"]["/api/v1/tokens/{id}"]["delete"] = {
        {"operationId", "revokeApiToken"},
        {"summary", "Revoke one of the caller's API tokens (it stays listed with revoked_at)"},
        {"tags", {"accounts"}},
        {"security", session_or_token},
        {"parameters",
         {{{"name", "id"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}}}}}},
        {"x-example", {{"id", 1}}},
        {"responses",
         {{"204", {{"description", "Revoked"}}},
          {"401", problem},
          {"403", problem},
          {"404", problem}}}};
  }

  void register_routes(http::Router& router, web::Services& s) override {
    layer_ = std::make_unique<SessionLayer>(s.db, s.view, s.https);
    router.add(http::Method::get, "/konto/registrieren", [this, &s](http::Request& r) {
      if (auto ok = layer_->ensure_session(r); !ok)
        return web::error_response(s.view, r, ok.error());
      return register_form(s, r, {});
    });
    router.add(http::Method::post, "/konto/registrieren",
               [this, &s](http::Request& r) { return register_submit(s, r); });
    router.add(http::Method::get, "/konto/bestaetigen",
               [&s](http::Request& r) { return verify(s, r); });
    router.add(http::Method::get, "/konto/anmelden", [this, &s](http::Request& r) {
      if (auto ok = layer_->ensure_session(r); !ok)
        return web::error_response(s.view, r, ok.error());
      return login_form(s, r, {});
    });
    router.add(http::Method::post, "/konto/anmelden",
               [this, &s](http::Request& r) { return login_submit(s, r); });
    router.add(http::Method::post, "/konto/abmelden", [this, &s](http::Request& r) {
      if (auto ok = layer_->log_out(r); !ok) return web::error_response(s.view, r, ok.error());
      return http::Response::redirect("/");
    });
    router.add(http::Method::get, "/konto", [&s](http::Request& r) { return account_page(s, r); });
    router.add(http::Method::get, "/konto/daten",
               [&s](http::Request& r) { return export_data(s, r); });
    router.add(http::Method::post, "/konto/loeschen",
               [this, &s](http::Request& r) { return erase_account(s, r); });
    router.add(http::Method::get, "/konto/passwort-vergessen", [this, &s](http::Request& r) {
      if (auto ok = layer_->ensure_session(r); !ok)
        return web::error_response(s.view, r, ok.error());
      return page(s, r, "accounts_forgot", form_data(s.view.catalog(), r.lang, {}),
                  "accounts_forgot_title");
    });
    router.add(http::Method::post, "/konto/passwort-vergessen",
               [this, &s](http::Request& r) { return forgot_submit(s, r); });
    router.add(http::Method::get, "/konto/passwort-neu",
               [this, &s](http::Request& r) { return reset_form(s, r); });
    router.add(http::Method::post, "/konto/passwort-neu",
               [this, &s](http::Request& r) { return reset_submit(s, r); });
    router.add(http::Method::post, "/api/v1/accounts",
               [&s](http::Request& r) { return api_register(s, r); });
    router.add(http::Method::post, "/api/v1/session",
               [this, &s](http::Request& r) { return api_login(s, r); });
    router.add(http::Method::del, "/api/v1/session", [this, &s](http::Request& r) {
      if (auto ok = layer_->log_out(r); !ok) return web::error_response(s.view, r, ok.error());
      http::Response response;
      response.status = 204;
      return response;
    });
    router.add(http::Method::get, "/api/v1/me", [&s](http::Request& r) { return api_me(s, r); });
    router.add(http::Method::post, "/konto/email",
               [&s](http::Request& r) { return email_change_submit(s, r); });
    router.add(http::Method::get, "/konto/email-bestaetigen",
               [this, &s](http::Request& r) { return email_confirm_form(s, r); });
    router.add(http::Method::post, "/konto/email-bestaetigen",
               [&s](http::Request& r) { return email_confirm_submit(s, r); });
    router.add(http::Method::get, "/konto/tokens", [&s](http::Request& r) {
      if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
      return tokens_view(s, r, {}, {std::string(auth::kScopeRead)});
    });
    router.add(http::Method::post, "/konto/tokens",
               [&s](http::Request& r) { return tokens_create_submit(s, r); });
    router.add(http::Method::post, "/konto/tokens/{id}/widerrufen",
               [&s](http::Request& r) { return tokens_revoke_submit(s, r); });
    router.add(http::Method::get, "/api/v1/tokens",
               [&s](http::Request& r) { return api_tokens(s, r); });
    router.add(http::Method::post, "/api/v1/tokens",
               [&s](http::Request& r) { return api_create_token(s, r); });
    router.add(http::Method::del, "/api/v1/tokens/{id}",
               [&s](http::Request& r) { return api_revoke_token(s, r); });
  }

 private:
  static http::Response register_form(web::Services& s, const http::Request& r,
                                      const FormState& form, int status = 200) {
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
    if (auto refused = refusal_page(s, r, outcome)) return *refused;
    if (outcome.kind == Outcome::Kind::ok) return message_page(s, r, "accounts_check_mail");
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
                                 : store.consume_token(token, accounts::TokenPurpose::verify_email,
                                                       unix_now());
    if (!account) {
      if (account.error().code != ErrorCode::not_found)
        return web::error_response(s.view, r, account.error());
      return message_page(s, r, "accounts_verify_failed", "/konto/registrieren",
                          "accounts_register_link", 400);
    }
    if (auto ok = store.mark_verified(*account, unix_now()); !ok)
      return web::error_response(s.view, r, ok.error());
    return message_page(s, r, "accounts_verified", "/konto/anmelden", "accounts_login_link");
  }

  http::Response login_submit(web::Services& s, http::Request& r) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    auto outcome =
        check_login(s, r, std::string(parsed->get("email")), std::string(parsed->get("password")));
    if (auto refused = refusal_page(s, r, outcome)) return *refused;
    if (outcome.kind == Outcome::Kind::ok) {
      if (auto in = layer_->log_in(r, outcome.account->id); !in)
        return web::error_response(s.view, r, in.error());
      return http::Response::redirect("/konto");
    }
    FormState form{.values = {{"email", std::string(parsed->get("email"))}},
                   .errors = outcome.errors};
    return login_form(s, r, form, outcome.kind == Outcome::Kind::unverified ? 403 : 422);
  }

  // GET /konto/daten: everything stored about the person, as a JSON download (DSGVO Art. 15/20).
  static http::Response export_data(web::Services& s, http::Request& r) {
    auto signed_in = signed_in_account(s, r);
    if (auto* response = std::get_if<http::Response>(&signed_in)) return std::move(*response);
    const auto& account = std::get<accounts::Account>(signed_in);
    auto now = unix_now();
    auto sessions = auth::SessionStore(s.db).list_for(r.account_id, now);
    auto tokens = auth::ApiTokenStore(s.db).list(r.account_id);
    auto changes = AccountStore(s.db).pending_changes(r.account_id, now);
    if (!sessions) return web::error_response(s.view, r, sessions.error());
    if (!tokens) return web::error_response(s.view, r, tokens.error());
    if (!changes) return web::error_response(s.view, r, changes.error());
    nlohmann::json data = {{"exported_at", now},
                           {"account",
                            {{"id", account.id},
                             {"email", account.email},
                             {"display_name", account.display_name},
                             {"email_verified_at", optional_time(account.email_verified_at)},
                             {"created_at", account.created_at}}},
                           {"pending_email_changes", nlohmann::json::array()},
                           {"sessions", nlohmann::json::array()},
                           {"api_tokens", nlohmann::json::array()}};
    for (const auto& change : *changes)
      data["pending_email_changes"].push_back(
          {{"new_email", change.new_email}, {"expires_at", change.expires_at}});
    for (const auto& session : *sessions)
      data["sessions"].push_back({{"created_at", session.created_at},
                                  {"last_seen_at", session.last_seen_at},
                                  {"expires_at", session.expires_at}});
    for (const auto& token : *tokens) data["api_tokens"].push_back(token_json(token));
    for (const web::Module* m : s.modules) {
      auto more = m->export_personal_data(s, r.account_id);
      if (!more) return web::error_response(s.view, r, more.error());
      if (!more->is_null()) data[std::string(m->name())] = std::move(*more);
    }
    auto response =
        http::Response::json(data.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    response.headers.set("Content-Disposition",
                         "attachment; filename=\"augenhoehe-meine-daten.json\"");
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // POST /konto/loeschen: erases the account after the password is confirmed (DSGVO Art. 17).
  http::Response erase_account(web::Services& s, http::Request& r) {
    auto signed_in = signed_in_account(s, r);
    if (auto* response = std::get_if<http::Response>(&signed_in)) return std::move(*response);
    const auto& account = std::get<accounts::Account>(signed_in);
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    AccountStore store(s.db);
    if (!auth::verify_password(account.password_hash, parsed->get("password")))
      return account_view(s, r, account, {}, "accounts_error_login", 422);
    std::int64_t id = r.account_id;
    for (const web::Module* m : s.modules) {
      if (auto ok = m->before_account_erasure(s, id); !ok)
        return web::error_response(s.view, r, ok.error());
    }
    if (auto ok = auth::ApiTokenStore(s.db).erase_all_for(id); !ok)
      return web::error_response(s.view, r, ok.error());
    if (auto ok = auth::SessionStore(s.db).destroy_all_for(id); !ok)
      return web::error_response(s.view, r, ok.error());
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
      return page(s, r, "accounts_forgot", form_data(s.view.catalog(), r.lang, form),
                  "accounts_forgot_title", 422);
    }
    if (auto limited =
            rate_limited(s, "reset", r.client_address, *email, auth::limits::kResetPerClient,
                         auth::limits::kResetPerAccount)) {
      if (limited->kind == Outcome::Kind::failed)
        return web::error_response(s.view, r, limited->error);
      return too_many(s, r, limited->retry_after);
    }
    AccountStore store(s.db);
    auto account = store.find_by_email(*email);
    if (!account) return web::error_response(s.view, r, account.error());
    if (*account) {
      auto token = store.issue_token((*account)->id, accounts::TokenPurpose::reset_password,
                                     unix_now(), 3600);
      if (!token) return web::error_response(s.view, r, token.error());
      send_text_mail(s, r.lang, *email, "accounts_mail_reset",
                     "/konto/passwort-neu?token=" + http::percent_encode(*token));
    }
    return message_page(s, r, "accounts_reset_sent");
  }

  // GET /konto/passwort-neu?token=: the form, if the link is still good.
  http::Response reset_form(web::Services& s, http::Request& r) {
    auto query = http::parse_query(r.query);
    std::string token = query ? std::string(query->get("token")) : std::string{};
    auto usable = token.empty() ? Result<bool>(false)
                                : AccountStore(s.db).token_usable(
                                      token, accounts::TokenPurpose::reset_password, unix_now());
    if (!usable) return web::error_response(s.view, r, usable.error());
    if (!*usable)
      return message_page(s, r, "accounts_reset_failed", "/konto/passwort-vergessen",
                          "accounts_forgot_link", 400);
    if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
    FormState form{.values = {{"token", token}}};
    return page(s, r, "accounts_reset", form_data(s.view.catalog(), r.lang, form),
                "accounts_reset_title");
  }

  // POST /konto/passwort-neu: sets the password, ends every session of the account.
  http::Response reset_submit(web::Services& s, http::Request& r) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    std::string token(parsed->get("token"));
    FormState form{.values = {{"token", token}}};
    check_new_password(std::string(parsed->get("password")),
                       std::string(parsed->get("password_repeat")), form.errors);
    if (!form.errors.empty())
      return page(s, r, "accounts_reset", form_data(s.view.catalog(), r.lang, form),
                  "accounts_reset_title", 422);
    auto hash = auth::hash_password(parsed->get("password"));
    if (!hash) return web::error_response(s.view, r, hash.error());
    AccountStore store(s.db);
    auto account = store.consume_token(token, accounts::TokenPurpose::reset_password, unix_now());
    if (!account) {
      if (account.error().code != ErrorCode::not_found)
        return web::error_response(s.view, r, account.error());
      return message_page(s, r, "accounts_reset_failed", "/konto/passwort-vergessen",
                          "accounts_forgot_link", 400);
    }
    if (auto ok = store.set_password_hash(*account, *hash); !ok)
      return web::error_response(s.view, r, ok.error());
    // Links mailed before (an address change an intruder asked for, other reset links) die.
    if (auto ok = store.void_tokens(*account, unix_now()); !ok)
      return web::error_response(s.view, r, ok.error());
    // The mail proved the address; and whoever had a session with the old password loses it.
    if (auto ok = store.mark_verified(*account, unix_now()); !ok)
      return web::error_response(s.view, r, ok.error());
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
    if (auto in = layer_->log_in(r, outcome.account->id); !in)
      return web::error_response(s.view, r, in.error());
    nlohmann::json answer = {{"account", account_json(*outcome.account)},
                             {"csrf_token", r.csrf_token}};
    return http::Response::json(
        answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
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
    auto signed_in = signed_in_account(s, r);
    if (auto* response = std::get_if<http::Response>(&signed_in)) return std::move(*response);
    return account_view(s, r, std::get<accounts::Account>(signed_in));
  }

  // The account page, with what is wrong in the form for a new address (`email_form`) or
  // with the password for deletion (`delete_error`, a catalogue key).
  static http::Response account_view(web::Services& s, const http::Request& r,
                                     const accounts::Account& account,
                                     const FormState& email_form = {},
                                     const std::string& delete_error = {}, int status = 200) {
    const auto& c = s.view.catalog();
    auto data = form_data(c, r.lang, email_form);
    data.set("display_name", account.display_name);
    data.set("email", account.email);
    if (!delete_error.empty()) data.set("error_delete_password", c.text(r.lang, delete_error));
    return page(s, r, "accounts_account", std::move(data), "accounts_account_title", status);
  }

  // POST /konto/email: asks for a new address (new_email, current_password).
  static http::Response email_change_submit(web::Services& s, http::Request& r) {
    auto signed_in = signed_in_account(s, r);
    if (auto* response = std::get_if<http::Response>(&signed_in)) return std::move(*response);
    const auto& account = std::get<accounts::Account>(signed_in);
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    auto outcome = request_email_change(s, r.lang, account, std::string(parsed->get("new_email")),
                                        std::string(parsed->get("current_password")));
    if (auto refused = refusal_page(s, r, outcome)) return std::move(*refused);
    if (outcome.kind == Outcome::Kind::ok)
      return message_page(s, r, "accounts_email_sent", "/konto", "accounts_email_back_link");
    FormState form{.values = {{"new_email", std::string(parsed->get("new_email"))}},
                   .errors = outcome.errors};
    return account_view(s, r, account, form, {}, 422);
  }

  // GET /konto/email-bestaetigen?token=: shows the new address and a button to confirm it.
  http::Response email_confirm_form(web::Services& s, http::Request& r) {
    auto query = http::parse_query(r.query);
    std::string token = query ? std::string(query->get("token")) : std::string{};
    auto pending = token.empty() ? Result<std::optional<std::string>>(std::nullopt)
                                 : AccountStore(s.db).pending_email(token, unix_now());
    if (!pending) return web::error_response(s.view, r, pending.error());
    if (!*pending)
      return message_page(s, r, "accounts_email_failed", "/konto", "accounts_email_back_link", 400);
    if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
    web::Data data{web::Data::type::object};
    data.set("new_email", **pending);
    data.set("token", token);
    return page(s, r, "accounts_email_confirm", std::move(data), "accounts_email_confirm_title");
  }

  // POST /konto/email-bestaetigen: sets the new address (verified) and ends every other
  // session of the account.
  static http::Response email_confirm_submit(web::Services& s, http::Request& r) {
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    auto account = AccountStore(s.db).change_email(parsed->get("token"), unix_now());
    if (!account) {
      if (account.error().code == ErrorCode::not_found)
        return message_page(s, r, "accounts_email_failed", "/konto", "accounts_email_back_link",
                            400);
      if (account.error().code == ErrorCode::conflict)
        return message_page(s, r, "accounts_email_taken", "/konto", "accounts_email_back_link",
                            409);
      return web::error_response(s.view, r, account.error());
    }
    if (auto ended = auth::SessionStore(s.db).destroy_all_for(*account, r.session_token); !ended)
      return web::error_response(s.view, r, ended.error());
    if (r.account_id == *account)
      return message_page(s, r, "accounts_email_changed", "/konto", "accounts_email_back_link");
    return message_page(s, r, "accounts_email_changed", "/konto/anmelden", "accounts_login_link");
  }

  // GET /konto/tokens (and the form again with errors): the tokens and the form for one more.
  static http::Response tokens_view(web::Services& s, const http::Request& r, const FormState& form,
                                    const std::vector<std::string>& checked, int status = 200) {
    const auto& c = s.view.catalog();
    auto tokens = auth::ApiTokenStore(s.db).list(r.account_id);
    if (!tokens) return web::error_response(s.view, r, tokens.error());
    auto data = form_data(c, r.lang, form);
    web::Data list{web::Data::type::list};
    for (const auto& token : *tokens) {
      web::Data row{web::Data::type::object};
      std::string scopes;
      for (const auto& scope : token.scopes) scopes += (scopes.empty() ? "" : ", ") + scope;
      row.set("id", std::to_string(token.id));
      row.set("name", token.name);
      row.set("scopes", scopes);
      row.set("created", web::format_date_time(token.created_at, r.lang));
      row.set("last_used", token.last_used_at ? web::format_date_time(*token.last_used_at, r.lang)
                                              : c.text(r.lang, "accounts_tokens_never"));
      row.set("revoked", token.revoked_at.has_value());
      row.set("status", token.revoked_at ? c.text(r.lang, "accounts_tokens_revoked") + " " +
                                               web::format_date_time(*token.revoked_at, r.lang)
                                         : c.text(r.lang, "accounts_tokens_active"));
      row.set("csrf", r.csrf_token);
      list.push_back(row);
    }
    data.set("tokens", list);
    data.set("has_tokens", !tokens->empty());
    web::Data options{web::Data::type::list};
    for (std::string_view scope : auth::kApiScopes) {
      web::Data option{web::Data::type::object};
      option.set("value", std::string(scope));
      option.set("field_id", "field-scope_" + std::string(scope));
      option.set("label", c.text(r.lang, "accounts_tokens_scope_" + std::string(scope)));
      option.set("checked", std::find(checked.begin(), checked.end(), scope) != checked.end());
      options.push_back(option);
    }
    data.set("scope_options", options);
    return page(s, r, "accounts_tokens", std::move(data), "accounts_tokens_title", status);
  }

  // POST /konto/tokens: a new token, shown once.
  static http::Response tokens_create_submit(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    if (r.api_token_id != 0)
      return web::error_response(s.view, r, 403,
                                 s.view.catalog().text(r.lang, "accounts_tokens_error_by_token"));
    auto parsed = http::parse_form(r.body);
    if (!parsed) return web::error_response(s.view, r, 400);
    std::vector<std::string> scopes;
    for (auto scope : parsed->all("scope")) scopes.emplace_back(scope);
    std::string name(parsed->get("name"));
    auto outcome = create_api_token(s, r.account_id, name, scopes);
    if (auto refused = refusal_page(s, r, outcome)) return std::move(*refused);
    if (outcome.kind == Outcome::Kind::ok) {
      web::Data data{web::Data::type::object};
      data.set("name", name);
      data.set("token", outcome.token->token);
      return page(s, r, "accounts_token_created", std::move(data), "accounts_tokens_created_title");
    }
    return tokens_view(s, r, {.values = {{"name", name}}, .errors = outcome.errors}, scopes, 422);
  }

  // POST /konto/tokens/{id}/widerrufen
  static http::Response tokens_revoke_submit(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return http::Response::redirect("/konto/anmelden");
    if (auto ok = revoke_api_token(s, r); !ok) return token_error(s, r, ok.error());
    return http::Response::redirect("/konto/tokens");
  }

  // 404 with a clear message for another account's or an unknown token; else the error's.
  static http::Response token_error(web::Services& s, const http::Request& r, const Error& error) {
    if (error.code != ErrorCode::not_found) return web::error_response(s.view, r, error);
    return web::error_response(s.view, r, 404,
                               s.view.catalog().text(r.lang, "accounts_tokens_error_not_found"));
  }

  // GET /api/v1/tokens
  static http::Response api_tokens(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    auto tokens = auth::ApiTokenStore(s.db).list(r.account_id);
    if (!tokens) return web::error_response(s.view, r, tokens.error());
    nlohmann::json answer = {{"tokens", nlohmann::json::array()}};
    for (const auto& token : *tokens) answer["tokens"].push_back(token_json(token));
    auto response =
        http::Response::json(answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // POST /api/v1/tokens {"name","scopes"} -> 201 with the token, once. Not with a token.
  static http::Response api_create_token(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    if (r.api_token_id != 0)
      return web::error_response(s.view, r, 403,
                                 s.view.catalog().text(r.lang, "accounts_tokens_error_by_token"));
    auto body = json_body(s, r);
    if (auto* response = std::get_if<http::Response>(&body)) return std::move(*response);
    auto& json = std::get<nlohmann::json>(body);
    std::vector<std::string> scopes;
    auto field = json.find("scopes");
    bool scopes_ok = field == json.end() || field->is_array();  // none: "choose at least one"
    if (field != json.end() && scopes_ok)
      for (const auto& scope : *field) {
        if (scope.is_string())
          scopes.push_back(scope.get<std::string>());
        else
          scopes_ok = false;
      }
    if (!scopes_ok) scopes = {""};  // refused below, with the message for unknown scopes
    auto outcome = create_api_token(s, r.account_id, string_field(json, "name"), scopes);
    if (outcome.kind != Outcome::Kind::ok) return problem_for(s, r, outcome);
    auto listed = auth::ApiTokenStore(s.db).list(r.account_id);
    if (!listed) return web::error_response(s.view, r, listed.error());
    nlohmann::json answer;
    for (const auto& info : *listed)
      if (info.id == outcome.token->id) answer = token_json(info);
    answer["token"] = outcome.token->token;
    auto response = http::Response::json(
        answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 201);
    response.headers.set("Cache-Control", "no-store");
    return response;
  }

  // DELETE /api/v1/tokens/{id} -> 204
  static http::Response api_revoke_token(web::Services& s, http::Request& r) {
    if (r.account_id == 0) return web::error_response(s.view, r, 401);
    if (auto ok = revoke_api_token(s, r); !ok) return token_error(s, r, ok.error());
    http::Response response;
    response.status = 204;
    return response;
  }

  std::unique_ptr<SessionLayer> layer_;
};

}  // namespace

std::unique_ptr<web::Module> make_accounts_module() { return std::make_unique<AccountsModule>(); }

}  // namespace ah::modules
