#include "modules/accounts/module.h"

#include <spdlog/spdlog.h>

#include "auth/migrations.h"
#include "auth/passwords.h"
#include "auth/rate_limit.h"
#include "http/form.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "web/errors.h"

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
  auto response = http::Response::html(s.view.render(name, data, request.lang), status);
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

class AccountsModule : public web::Module {
 public:
  std::string_view name() const override { return "accounts"; }

  std::vector<db::Migration> migrations() const override {
    auto all = auth::auth_migrations();
    for (auto& m : accounts::account_migrations()) all.push_back(std::move(m));
    return all;
  }

  std::vector<http::Layer*> layers() override { return {layer_.get()}; }

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
    FormState form;
    form.values["display_name"] = std::string(parsed->get("display_name"));
    form.values["email"] = std::string(parsed->get("email"));
    std::string password(parsed->get("password"));
    std::string repeat(parsed->get("password_repeat"));

    auto& name = form.values["display_name"];
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (name.empty()) form.errors["display_name"] = "accounts_error_name_missing";
    else if (name.size() > kMaxDisplayName) form.errors["display_name"] = "accounts_error_name_long";
    auto email = accounts::normalise_email(form.values["email"]);
    if (!email) form.errors["email"] = "accounts_error_email";
    if (password.size() < 1) form.errors["password"] = "accounts_error_password_missing";
    else if (auth::utf8_length(password) < auth::kMinPasswordCharacters) form.errors["password"] = "accounts_error_password_short";
    else if (password.size() > auth::kMaxPasswordBytes) form.errors["password"] = "accounts_error_password_long";
    else if (password != repeat) form.errors["password_repeat"] = "accounts_error_password_repeat";
    if (auto ok = layer_->ensure_session(r); !ok) return web::error_response(s.view, r, ok.error());
    if (!form.errors.empty()) return register_form(s, r, form, 422);

    auto limit = auth::RateLimiter(s.db).check_and_count("register:" + *email, 5, 3600, unix_now());
    if (!limit) return web::error_response(s.view, r, limit.error());
    if (!limit->allowed) return too_many(s, r, limit->retry_after_seconds);

    auto hash = auth::hash_password(password);
    if (!hash) return web::error_response(s.view, r, 500);
    AccountStore store(s.db);
    auto id = store.create(*email, name, *hash, unix_now());
    if (!id && id.error().code != ErrorCode::conflict) return web::error_response(s.view, r, id.error());
    // Either way the page says the same, so that nobody learns which addresses have an
    // account; the owner of a taken address gets a mail telling them so.
    if (id) send_verification(s, r, *id, *email);
    else send_already_registered(s, r, *email);
    return message_page(s, r, "accounts_check_mail");
  }

  static void send_verification(web::Services& s, const http::Request& r, std::int64_t id,
                                const std::string& email) {
    auto token = AccountStore(s.db).issue_token(id, accounts::TokenPurpose::verify_email, unix_now(),
                                                kVerifyTokenSeconds);
    if (!token) {
      spdlog::error("verification token for account {} not stored: {}", id, token.error().detail);
      return;
    }
    const auto& c = s.view.catalog();
    std::string link = s.public_url + "/konto/bestaetigen?token=" + http::percent_encode(*token);
    send(s, {.to = email,
             .subject = c.text(r.lang, "accounts_mail_verify_subject"),
             .text = c.text(r.lang, "accounts_mail_verify_text") + "\n\n" + link + "\n"});
  }

  static void send_already_registered(web::Services& s, const http::Request& r, const std::string& email) {
    const auto& c = s.view.catalog();
    send(s, {.to = email,
             .subject = c.text(r.lang, "accounts_mail_exists_subject"),
             .text = c.text(r.lang, "accounts_mail_exists_text") + "\n\n" + s.public_url + "/konto/anmelden\n"});
  }

  static void send(web::Services& s, const mail::Message& message) {
    if (!s.mailer) return;
    if (auto sent = s.mailer->send(message); !sent)
      spdlog::error("mail not sent: {} ({})", sent.error().message, sent.error().detail);
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
    FormState form;
    form.values["email"] = std::string(parsed->get("email"));
    std::string password(parsed->get("password"));
    auto email = accounts::normalise_email(form.values["email"]);
    if (!email) form.errors["email"] = "accounts_error_email";
    if (password.empty()) form.errors["password"] = "accounts_error_password_missing";
    if (!form.errors.empty()) return login_form(s, r, form, 422);

    auto limit = auth::RateLimiter(s.db).check_and_count("login:" + *email, 10, 900, unix_now());
    if (!limit) return web::error_response(s.view, r, limit.error());
    if (!limit->allowed) return too_many(s, r, limit->retry_after_seconds);

    auto account = AccountStore(s.db).find_by_email(*email);
    if (!account) return web::error_response(s.view, r, account.error());
    bool ok = false;
    if (*account) {
      ok = auth::verify_password((*account)->password_hash, password);
    } else {
      auth::verify_password_dummy(password);  // the same time for unknown addresses
    }
    if (!ok) {
      form.errors["password"] = "accounts_error_login";
      return login_form(s, r, form, 422);
    }
    if (!(*account)->email_verified_at) {
      form.errors["email"] = "accounts_error_unverified";
      return login_form(s, r, form, 403);
    }
    if (auto in = layer_->log_in(r, (*account)->id); !in) return web::error_response(s.view, r, in.error());
    return http::Response::redirect("/konto");
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
