// The accounts module through its routes and its session layer, as a browser would use
// them: cookies kept between requests, forms sent with their CSRF token, mails read from a
// recording transport.
#include "modules/accounts/module.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "auth/rate_limit.h"
#include "db/migrate.h"
#include "db/test_database.h"
#include "http/cookies.h"
#include "http/url.h"

namespace ah::modules {
namespace {

// Keeps what would have been mailed (the outbox and SMTP transports are tested in mail/).
class RecordingMailer : public mail::Mailer {
 public:
  Status send(const mail::Message& message) override {
    std::lock_guard lock(mutex);
    sent.push_back(message);
    return {};
  }
  std::mutex mutex;
  std::vector<mail::Message> sent;
};

class AccountsFlowTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    module_ = make_accounts_module();
    ASSERT_TRUE(db::migrate(*db, module_->migrations()));
    assets_ = std::make_unique<http::AssetStore>(*http::AssetStore::load(AH_SHARE_DIR "/assets"));
    view_ = std::move(*web::View::load(AH_SHARE_DIR "/templates",
                                       *web::Catalog::load(AH_SHARE_DIR "/i18n"), *assets_));
    services_ = std::make_unique<web::Services>(
        web::Services{*db, *view_, metrics_, "test", AH_SHARE_DIR, scratch_dir(), "{}", &mailer_,
                      "https://beteiligung.example", false});
    module_->register_routes(router_, *services_);
    layers_ = module_->layers();
  }

  // One request through the layers and the route, like app::Site, with a cookie jar.
  http::Response send(http::Method method, const std::string& target, const std::string& form = {},
                      bool with_csrf = true) {
    http::Request request = make_request(method, target);
    if (method == http::Method::post) {
      request.headers.set("Content-Type", "application/x-www-form-urlencoded");
      request.body = form;
      if (with_csrf)
        request.body +=
            (form.empty() ? "" : "&") + std::string("csrf=") + http::percent_encode(csrf_);
    }
    return run(request);
  }

  // An API call with a JSON body (none for GET/DELETE) and optionally the CSRF header.
  http::Response api(http::Method method, const std::string& target, const std::string& json = {},
                     const std::string& csrf_header = {},
                     std::string content_type = "application/json") {
    http::Request request = make_request(method, target);
    if (!json.empty()) {
      request.headers.set("Content-Type", content_type);
      request.body = json;
    }
    if (!csrf_header.empty()) request.headers.set("X-CSRF-Token", csrf_header);
    return run(request);
  }

  http::Request make_request(http::Method method, const std::string& target) {
    http::Request request;
    request.method = method;
    request.target = target;
    auto q = target.find('?');
    request.path = target.substr(0, q);
    request.query = q == std::string::npos ? "" : target.substr(q + 1);
    if (!session_cookie_.empty()) request.headers.set("Cookie", "ah_session=" + session_cookie_);
    request.client_address = client_address_;
    return request;
  }

  http::Response run(http::Request& request) {
    auto method = request.method;
    const auto& target = request.target;
    std::optional<http::Response> response;
    std::size_t entered = 0;
    for (; entered < layers_.size() && !response; ++entered)
      response = layers_[entered]->before(request);
    if (!response) {
      auto match = router_.match(method, request.path);
      auto* found = std::get_if<http::RouteMatch>(&match);
      EXPECT_TRUE(found) << target;
      if (!found) return {};
      request.path_params = found->params;
      response = found->route->handler(request);
    }
    for (std::size_t i = entered; i-- > 0;) layers_[i]->after(request, *response);
    for (const auto& [name, value] : response->headers.all()) {
      if (name != "Set-Cookie" || !value.starts_with("ah_session=")) continue;
      session_cookie_ = value.substr(11, value.find(';') - 11);
    }
    // Forms carry the session's CSRF token in a hidden field.
    std::smatch m;
    if (std::regex_search(response->body, m, std::regex("name=\"csrf\" value=\"([^\"]*)\"")))
      csrf_ = m[1];
    return *response;
  }

  void register_and_verify(const std::string& email) {
    send(http::Method::get, "/konto/registrieren");
    auto done = send(http::Method::post, "/konto/registrieren",
                     "display_name=Anna&email=" + http::percent_encode(email) +
                         "&password=ein+langer+Satz&password_repeat=ein+langer+Satz");
    ASSERT_EQ(done.status, 200) << done.body;
    std::smatch m;
    std::string text = mailer_.sent.back().text;
    ASSERT_TRUE(std::regex_search(
        text, m, std::regex("https://beteiligung\\.example(/konto/bestaetigen\\?token=\\S+)")))
        << text;
    auto verified = send(http::Method::get, m[1]);
    ASSERT_EQ(verified.status, 200) << verified.body;
  }

  std::unique_ptr<web::Module> module_;
  std::unique_ptr<http::AssetStore> assets_;
  std::unique_ptr<web::View> view_;
  http::Metrics metrics_{"test"};
  RecordingMailer mailer_;
  std::unique_ptr<web::Services> services_;
  http::Router router_;
  std::vector<http::Layer*> layers_;
  std::string session_cookie_, csrf_;
  std::string client_address_ = "192.0.2.10";  // what the server would put into each request
};

TEST_P(AccountsFlowTest, RegisterVerifyLoginAccountLogout) {
  register_and_verify("Anna@Example.org");
  ASSERT_EQ(mailer_.sent.size(), 1u);
  EXPECT_EQ(mailer_.sent[0].to, "anna@example.org");

  send(http::Method::get, "/konto/anmelden");
  std::string anonymous = session_cookie_;
  auto login = send(http::Method::post, "/konto/anmelden",
                    "email=anna%40example.org&password=ein+langer+Satz");
  EXPECT_EQ(login.status, 303) << login.body;
  EXPECT_EQ(login.headers.get("Location"), "/konto");
  EXPECT_NE(session_cookie_, anonymous) << "login must rotate the session (fixation)";

  auto account = send(http::Method::get, "/konto");
  EXPECT_EQ(account.status, 200);
  EXPECT_NE(account.body.find("Anna"), std::string::npos);
  EXPECT_NE(account.body.find("anna@example.org"), std::string::npos);

  // The anonymous token from before the login does not work any more.
  std::string current = session_cookie_;
  session_cookie_ = anonymous;
  EXPECT_EQ(send(http::Method::get, "/konto").status, 303);
  session_cookie_ = current;

  auto logout = send(http::Method::post, "/konto/abmelden");
  EXPECT_EQ(logout.status, 303);
  EXPECT_EQ(send(http::Method::get, "/konto").headers.get("Location"), "/konto/anmelden");
}

TEST_P(AccountsFlowTest, AccountMenuShowsWhoIsSignedInAndOffersLogout) {
  auto anonymous = send(http::Method::get, "/konto/anmelden");
  auto menu = [](const std::string& body) {
    auto start = body.find("class=\"ah-account\"");
    return start == std::string::npos ? std::string()
                                      : body.substr(start, body.find("</nav>", start) - start);
  };
  EXPECT_NE(menu(anonymous.body).find("href=\"/konto/registrieren\""), std::string::npos)
      << anonymous.body;
  EXPECT_EQ(menu(anonymous.body).find("/konto/abmelden"), std::string::npos);

  register_and_verify("dora@example.org");
  send(http::Method::get, "/konto/anmelden");
  send(http::Method::post, "/konto/anmelden", "email=dora%40example.org&password=ein+langer+Satz");
  auto page = send(http::Method::get, "/konto");
  std::string signed_in = menu(page.body);
  EXPECT_NE(signed_in.find(">Anna</a>"), std::string::npos) << signed_in;
  EXPECT_NE(signed_in.find("action=\"/konto/abmelden\""), std::string::npos);
  EXPECT_NE(signed_in.find("value=\"" + csrf_ + "\""), std::string::npos)
      << "logout carries the CSRF token";
  EXPECT_EQ(signed_in.find("/konto/anmelden"), std::string::npos);
  EXPECT_EQ(page.headers.get("Cache-Control"), "no-store");
}

TEST_P(AccountsFlowTest, UnsafeRequestsWithoutTheRightCsrfTokenAreRefused) {
  send(http::Method::get, "/konto/anmelden");
  auto missing =
      send(http::Method::post, "/konto/anmelden", "email=a%40b.de&password=x", /*with_csrf=*/false);
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("Seite neu"), std::string::npos) << "tells the person what to do";
  csrf_ = "forged";
  EXPECT_EQ(send(http::Method::post, "/konto/anmelden", "email=a%40b.de&password=x").status, 403);
  session_cookie_.clear();  // a cross-site form without the visitor's session
  EXPECT_EQ(send(http::Method::post, "/konto/abmelden").status, 403);
}

TEST_P(AccountsFlowTest, FormErrorsKeepWhatWasTypedButNotPasswords) {
  send(http::Method::get, "/konto/registrieren");
  auto response = send(http::Method::post, "/konto/registrieren",
                       "display_name=Bernd&email=kein-at&password=kurz&password_repeat=kurz");
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("value=\"Bernd\""), std::string::npos);
  EXPECT_NE(response.body.find("value=\"kein-at\""), std::string::npos);
  EXPECT_EQ(response.body.find("kurz\""), std::string::npos) << "passwords are not echoed";
  EXPECT_NE(response.body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(response.body.find("href=\"#field-email\""), std::string::npos)
      << "error summary links";
  EXPECT_TRUE(mailer_.sent.empty());
}

TEST_P(AccountsFlowTest, RegisteringATakenAddressLooksTheSameButMailsTheOwner) {
  register_and_verify("carla@example.org");
  send(http::Method::get, "/konto/registrieren");
  auto again = send(http::Method::post, "/konto/registrieren",
                    "display_name=Mallory&email=carla%40example.org&password=noch+ein+Satz&"
                    "password_repeat=noch+ein+Satz");
  EXPECT_EQ(again.status, 200);
  ASSERT_EQ(mailer_.sent.size(), 2u);
  EXPECT_EQ(mailer_.sent[1].to, "carla@example.org");
  EXPECT_EQ(mailer_.sent[1].text.find("bestaetigen"), std::string::npos)
      << "no second verification link";
}

TEST_P(AccountsFlowTest, UnverifiedAccountsCannotLogInAndLinksWorkOnce) {
  send(http::Method::get, "/konto/registrieren");
  send(http::Method::post, "/konto/registrieren",
       "display_name=Dora&email=dora%40example.org&password=ein+langer+Satz&password_repeat=ein+"
       "langer+Satz");
  send(http::Method::get, "/konto/anmelden");
  auto refused = send(http::Method::post, "/konto/anmelden",
                      "email=dora%40example.org&password=ein+langer+Satz");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("bestätigen"), std::string::npos);

  std::smatch m;
  std::string text = mailer_.sent.back().text;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("(/konto/bestaetigen\\?token=\\S+)")));
  EXPECT_EQ(send(http::Method::get, m[1]).status, 200);
  EXPECT_EQ(send(http::Method::get, m[1]).status, 400) << "a link works once";
  EXPECT_EQ(send(http::Method::get, "/konto/bestaetigen?token=erfunden").status, 400);
}

TEST_P(AccountsFlowTest, LoginAttemptsAreRateLimitedPerAddress) {
  send(http::Method::get, "/konto/anmelden");
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(send(http::Method::post, "/konto/anmelden", "email=eve%40example.org&password=falsch")
                  .status,
              422);
  auto limited =
      send(http::Method::post, "/konto/anmelden", "email=eve%40example.org&password=falsch");
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.headers.get("Retry-After").empty());
  // Another address is not affected.
  EXPECT_EQ(send(http::Method::post, "/konto/anmelden", "email=fritz%40example.org&password=falsch")
                .status,
            422);
}

TEST_P(AccountsFlowTest, LoginAttemptsAreRateLimitedPerClient) {
  const auto limit = auth::limits::kLoginPerClient.count;
  send(http::Method::get, "/konto/anmelden");
  auto attempt = [&](const std::string& email) {
    return send(http::Method::post, "/konto/anmelden",
                "email=" + http::percent_encode(email) + "&password=falsch");
  };
  for (int i = 0; i < limit; ++i)
    ASSERT_EQ(attempt("person" + std::to_string(i) + "@example.org").status, 422) << i;
  auto limited = attempt("one-more@example.org");
  EXPECT_EQ(limited.status, 429) << "one client tried " << limit << " accounts";
  EXPECT_FALSE(limited.headers.get("Retry-After").empty());
  std::string form_session = session_cookie_;
  session_cookie_.clear();  // an API client without a cookie needs no CSRF token
  EXPECT_EQ(api(http::Method::post, "/api/v1/session",
                R"({"email":"api@example.org","password":"falsch"})")
                .status,
            429)
      << "the API counts against the same limit";
  session_cookie_ = form_session;

  // The refused client does not use up the account's own limit (that would lock its owner out).
  for (int i = 0; i < auth::limits::kLoginPerAccount.count + 1; ++i)
    ASSERT_EQ(attempt("victim@example.org").status, 429);
  client_address_ = "198.51.100.20";
  EXPECT_EQ(attempt("victim@example.org").status, 422) << "another client is still allowed";
}

TEST_P(AccountsFlowTest, RegistrationsAreRateLimitedPerClient) {
  const auto limit = auth::limits::kRegisterPerClient.count;
  send(http::Method::get, "/konto/registrieren");
  auto attempt = [&](const std::string& email) {
    return send(http::Method::post, "/konto/registrieren",
                "display_name=Anna&email=" + http::percent_encode(email) +
                    "&password=ein+langer+Satz&password_repeat=ein+langer+Satz");
  };
  for (int i = 0; i < limit; ++i)
    ASSERT_EQ(attempt("neu" + std::to_string(i) + "@example.org").status, 200) << i;
  auto limited = attempt("noch-eine@example.org");
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.headers.get("Retry-After").empty());
  EXPECT_EQ(mailer_.sent.size(), static_cast<std::size_t>(limit))
      << "no mail for a refused registration";
  client_address_ = "2001:db8:77::1";
  EXPECT_EQ(attempt("noch-eine@example.org").status, 200) << "another client is still allowed";
}

TEST_P(AccountsFlowTest, ResetRequestsAreRateLimitedPerClientAndIpv6CountsPer64) {
  const auto limit = auth::limits::kResetPerClient.count;
  send(http::Method::get, "/konto/passwort-vergessen");
  auto attempt = [&](const std::string& email) {
    return send(http::Method::post, "/konto/passwort-vergessen",
                "email=" + http::percent_encode(email));
  };
  // A client has its whole /64: changing the interface identifier does not help.
  for (int i = 0; i < limit; ++i) {
    client_address_ = "2001:db8:1:2::" + std::to_string(i + 1);
    ASSERT_EQ(attempt("konto" + std::to_string(i) + "@example.org").status, 200) << i;
  }
  client_address_ = "2001:db8:1:2:ffff:ffff:ffff:ffff";
  auto limited = attempt("anderes@example.org");
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.headers.get("Retry-After").empty());
  client_address_ = "2001:db8:1:3::1";
  EXPECT_EQ(attempt("anderes@example.org").status, 200) << "the next /64 is another client";
}

TEST_P(AccountsFlowTest, JsonApiRegisterLoginMeLogout) {
  EXPECT_EQ(api(http::Method::post, "/api/v1/accounts", "email=x", {},
                "application/x-www-form-urlencoded")
                .status,
            415);
  EXPECT_EQ(api(http::Method::post, "/api/v1/accounts", "[1,2]").status, 400);
  auto invalid = api(http::Method::post, "/api/v1/accounts",
                     R"({"email":"kein-at","display_name":"","password":"kurz"})");
  EXPECT_EQ(invalid.status, 422);
  auto problem = nlohmann::json::parse(invalid.body);
  EXPECT_TRUE(problem["errors"].contains("email")) << invalid.body;
  EXPECT_TRUE(problem["errors"].contains("password"));

  auto registered =
      api(http::Method::post, "/api/v1/accounts",
          R"({"email":"gina@example.org","display_name":"Gina","password":"ein langer Satz"})");
  EXPECT_EQ(registered.status, 202) << registered.body;
  std::smatch m;
  std::string text = mailer_.sent.back().text;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("(/konto/bestaetigen\\?token=\\S+)")));

  auto unverified = api(http::Method::post, "/api/v1/session",
                        R"({"email":"gina@example.org","password":"ein langer Satz"})");
  EXPECT_EQ(unverified.status, 403);
  send(http::Method::get, m[1]);
  EXPECT_EQ(api(http::Method::post, "/api/v1/session",
                R"({"email":"gina@example.org","password":"falsch"})")
                .status,
            401);
  auto login = api(http::Method::post, "/api/v1/session",
                   R"({"email":"gina@example.org","password":"ein langer Satz"})");
  ASSERT_EQ(login.status, 200) << login.body;
  auto answer = nlohmann::json::parse(login.body);
  EXPECT_EQ(answer["account"]["display_name"], "Gina");
  std::string csrf = answer["csrf_token"];
  ASSERT_FALSE(session_cookie_.empty());

  auto me = api(http::Method::get, "/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(nlohmann::json::parse(me.body)["email"], "gina@example.org");
  // With the session cookie, an unsafe call needs the CSRF header.
  EXPECT_EQ(api(http::Method::del, "/api/v1/session").status, 403);
  EXPECT_EQ(api(http::Method::del, "/api/v1/session", {}, csrf).status, 204);
  EXPECT_EQ(api(http::Method::get, "/api/v1/me").status, 401);
}

TEST_P(AccountsFlowTest, PasswordResetByMailEndsOtherSessions) {
  register_and_verify("hanna@example.org");
  send(http::Method::get, "/konto/anmelden");
  ASSERT_EQ(send(http::Method::post, "/konto/anmelden",
                 "email=hanna%40example.org&password=ein+langer+Satz")
                .status,
            303);
  std::string old_session = session_cookie_;
  session_cookie_.clear();  // another browser asks for the reset

  send(http::Method::get, "/konto/passwort-vergessen");
  auto unknown =
      send(http::Method::post, "/konto/passwort-vergessen", "email=niemand%40example.org");
  EXPECT_EQ(unknown.status, 200);
  std::size_t mails = mailer_.sent.size();
  auto sent = send(http::Method::post, "/konto/passwort-vergessen", "email=hanna%40example.org");
  EXPECT_EQ(sent.status, 200);
  EXPECT_NE(sent.body.find("Wenn es zu dieser Adresse ein Konto gibt"), std::string::npos);
  EXPECT_NE(unknown.body.find("Wenn es zu dieser Adresse ein Konto gibt"), std::string::npos);
  ASSERT_EQ(mailer_.sent.size(), mails + 1) << "a mail only for the existing account";
  std::smatch m;
  std::string text = mailer_.sent.back().text;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("(/konto/passwort-neu\\?token=\\S+)"))) << text;
  std::string link = m[1];
  std::string token = link.substr(link.find('=') + 1);

  EXPECT_EQ(send(http::Method::get, "/konto/passwort-neu?token=erfunden").status, 400);
  ASSERT_EQ(send(http::Method::get, link).status, 200);
  auto short_one = send(http::Method::post, "/konto/passwort-neu",
                        "token=" + token + "&password=kurz&password_repeat=kurz");
  EXPECT_EQ(short_one.status, 422);
  auto done = send(http::Method::post, "/konto/passwort-neu",
                   "token=" + token + "&password=ganz+neuer+Satz&password_repeat=ganz+neuer+Satz");
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(send(http::Method::get, link).status, 400) << "the link works once";
  send(http::Method::get, "/konto/passwort-vergessen");  // a fresh form session
  EXPECT_EQ(send(http::Method::post, "/konto/passwort-neu",
                 "token=" + token + "&password=noch+ein+Satz&password_repeat=noch+ein+Satz")
                .status,
            400)
      << "also when posted directly";

  // The session from before the reset is gone; the old password no longer works, the new one does.
  std::string current = session_cookie_;
  session_cookie_ = old_session;
  EXPECT_EQ(send(http::Method::get, "/konto").status, 303);
  session_cookie_ = current;
  send(http::Method::get, "/konto/anmelden");
  EXPECT_EQ(send(http::Method::post, "/konto/anmelden",
                 "email=hanna%40example.org&password=ein+langer+Satz")
                .status,
            422);
  EXPECT_EQ(send(http::Method::post, "/konto/anmelden",
                 "email=hanna%40example.org&password=ganz+neuer+Satz")
                .status,
            303);
}

TEST_P(AccountsFlowTest, DataExportAndErasure) {
  EXPECT_EQ(send(http::Method::get, "/konto/daten").status, 303) << "only for the logged-in person";
  register_and_verify("ida@example.org");
  send(http::Method::get, "/konto/anmelden");
  ASSERT_EQ(send(http::Method::post, "/konto/anmelden",
                 "email=ida%40example.org&password=ein+langer+Satz")
                .status,
            303);
  auto download = send(http::Method::get, "/konto/daten");
  ASSERT_EQ(download.status, 200);
  EXPECT_NE(download.headers.get("Content-Disposition").find("attachment"), std::string::npos);
  auto data = nlohmann::json::parse(download.body);
  EXPECT_EQ(data["account"]["email"], "ida@example.org");
  EXPECT_EQ(data["account"]["display_name"], "Anna");
  EXPECT_EQ(data["sessions"].size(), 1u);
  EXPECT_EQ(download.body.find("argon2"), std::string::npos) << "no password hash in the export";
  EXPECT_EQ(download.body.find(session_cookie_), std::string::npos)
      << "no session token in the export";

  send(http::Method::get, "/konto");  // the form with the CSRF token
  EXPECT_EQ(send(http::Method::post, "/konto/loeschen", "password=falsch").status, 422);
  auto erased = send(http::Method::post, "/konto/loeschen", "password=ein+langer+Satz");
  EXPECT_EQ(erased.status, 200) << erased.body;
  EXPECT_TRUE(session_cookie_.empty()) << "the cookie is deleted";
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM accounts WHERE email = $1",
                                {db::Value{"ida@example.org"}}),
            0);
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM sessions WHERE account_id IS NOT NULL"),
            0);
  send(http::Method::get, "/konto/anmelden");
  EXPECT_EQ(send(http::Method::post, "/konto/anmelden",
                 "email=ida%40example.org&password=ein+langer+Satz")
                .status,
            422);
}

TEST_P(AccountsFlowTest, DemoAccountsAreWrittenOnceAndCanLogIn) {
  ASSERT_TRUE(module_->seed_demo(*services_));
  auto file = scratch_dir() / "demo-accounts.txt";
  auto perms = std::filesystem::status(file).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ifstream in(file);
  std::string line, email, password;
  int accounts = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++accounts;
    std::istringstream fields(line);
    if (email.empty()) fields >> email >> password;
  }
  EXPECT_EQ(accounts, 4);
  ASSERT_GE(password.size(), 16u);
  send(http::Method::get, "/konto/anmelden");
  auto login =
      send(http::Method::post, "/konto/anmelden",
           "email=" + http::percent_encode(email) + "&password=" + http::percent_encode(password));
  EXPECT_EQ(login.status, 303) << login.body;
}

AH_INSTANTIATE_BACKEND_TEST(AccountsFlowTest);

}  // namespace
}  // namespace ah::modules
