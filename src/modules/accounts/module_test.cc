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

#include "auth/api_tokens.h"
#include "auth/rate_limit.h"
#include "db/migrate.h"
#include "db/test_database.h"
#include "http/cookies.h"
#include "http/url.h"
#include "modules/accounts/session_layer.h"
#include "modules/accounts/store.h"
#include "modules/testing/harness.h"

namespace ah::modules {
namespace {

class AccountsFlowTest : public db::testing::BackendTest, public testing::SiteHarness {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    start(*db, scratch_dir(), testing::standard_modules());
  }

  void register_and_verify(const std::string& email) {
    send(http::Method::get, "/konto/registrieren");
    auto done = send(http::Method::post, "/konto/registrieren",
                     "display_name=Anna&email=" + http::percent_encode(email) +
                         "&password=ein+langer+Satz&password_repeat=ein+langer+Satz");
    ASSERT_EQ(done.status, 200) << done.body;
    std::smatch m;
    std::string text = mailer.sent().back().text;
    ASSERT_TRUE(std::regex_search(
        text, m, std::regex("https://beteiligung\\.example(/konto/bestaetigen\\?token=\\S+)")))
        << text;
    auto verified = send(http::Method::get, m[1]);
    ASSERT_EQ(verified.status, 200) << verified.body;
  }

  // Logs in with the test's password (the session cookie of this jar is rotated).
  void log_in(const std::string& email) {
    send(http::Method::get, "/konto/anmelden");
    auto login = send(http::Method::post, "/konto/anmelden",
                      "email=" + http::percent_encode(email) + "&password=ein+langer+Satz");
    ASSERT_EQ(login.status, 303) << login.body;
    send(http::Method::get, "/konto");  // the new session's CSRF token
  }

  // An API call as a script makes it: a personal API token, no cookie.
  http::Response with_token(http::Method method, const std::string& target,
                            const std::string& token, const std::string& json = {}) {
    std::string cookie = std::exchange(session_cookie, std::string());
    http::Request request = make_request(method, target);
    session_cookie = cookie;
    request.headers.set("Authorization", "Bearer " + token);
    if (!json.empty()) {
      request.headers.set("Content-Type", "application/json");
      request.body = json;
    }
    return run(request);
  }

  // The path of the first link to `path` in the newest mail to `to`.
  std::string link_in_mail_to(const std::string& to, const std::string& path) {
    auto sent = mailer.sent();
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
      if (it->to != to) continue;
      std::smatch m;
      if (std::regex_search(it->text, m,
                            std::regex("https://beteiligung\\.example(" + path + "\\?token=\\S+)")))
        return m[1];
      return {};
    }
    return {};
  }

  std::int64_t account_id(const std::string& email) {
    return db::testing::scalar(*db, "SELECT COALESCE(MAX(id), 0) FROM accounts WHERE email = $1",
                               {db::Value{email}});
  }

};

TEST_P(AccountsFlowTest, RegisterVerifyLoginAccountLogout) {
  register_and_verify("Anna@Example.org");
  ASSERT_EQ(mailer.count(), 1u);
  EXPECT_EQ(mailer.sent()[0].to, "anna@example.org");

  send(http::Method::get, "/konto/anmelden");
  std::string anonymous = session_cookie;
  auto login = send(http::Method::post, "/konto/anmelden",
                    "email=anna%40example.org&password=ein+langer+Satz");
  EXPECT_EQ(login.status, 303) << login.body;
  EXPECT_EQ(login.headers.get("Location"), "/konto");
  EXPECT_NE(session_cookie, anonymous) << "login must rotate the session (fixation)";

  auto account = send(http::Method::get, "/konto");
  EXPECT_EQ(account.status, 200);
  EXPECT_NE(account.body.find("Anna"), std::string::npos);
  EXPECT_NE(account.body.find("anna@example.org"), std::string::npos);

  // The anonymous token from before the login does not work any more.
  std::string current = session_cookie;
  session_cookie = anonymous;
  EXPECT_EQ(send(http::Method::get, "/konto").status, 303);
  session_cookie = current;

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
  EXPECT_NE(signed_in.find("value=\"" + csrf + "\""), std::string::npos)
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
  csrf = "forged";
  EXPECT_EQ(send(http::Method::post, "/konto/anmelden", "email=a%40b.de&password=x").status, 403);
  session_cookie.clear();  // a cross-site form without the visitor's session
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
  EXPECT_TRUE(mailer.sent().empty());
}

TEST_P(AccountsFlowTest, RegisteringATakenAddressLooksTheSameButMailsTheOwner) {
  register_and_verify("carla@example.org");
  send(http::Method::get, "/konto/registrieren");
  auto again = send(http::Method::post, "/konto/registrieren",
                    "display_name=Mallory&email=carla%40example.org&password=noch+ein+Satz&"
                    "password_repeat=noch+ein+Satz");
  EXPECT_EQ(again.status, 200);
  ASSERT_EQ(mailer.count(), 2u);
  EXPECT_EQ(mailer.sent()[1].to, "carla@example.org");
  EXPECT_EQ(mailer.sent()[1].text.find("bestaetigen"), std::string::npos)
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
  std::string text = mailer.sent().back().text;
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
  std::string form_session = session_cookie;
  session_cookie.clear();  // an API client without a cookie needs no CSRF token
  EXPECT_EQ(api(http::Method::post, "/api/v1/session",
                R"({"email":"api@example.org","password":"falsch"})")
                .status,
            429)
      << "the API counts against the same limit";
  session_cookie = form_session;

  // The refused client does not use up the account's own limit (that would lock its owner out).
  for (int i = 0; i < auth::limits::kLoginPerAccount.count + 1; ++i)
    ASSERT_EQ(attempt("victim@example.org").status, 429);
  client_address = "198.51.100.20";
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
  EXPECT_EQ(mailer.count(), static_cast<std::size_t>(limit))
      << "no mail for a refused registration";
  client_address = "2001:db8:77::1";
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
    client_address = "2001:db8:1:2::" + std::to_string(i + 1);
    ASSERT_EQ(attempt("konto" + std::to_string(i) + "@example.org").status, 200) << i;
  }
  client_address = "2001:db8:1:2:ffff:ffff:ffff:ffff";
  auto limited = attempt("anderes@example.org");
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.headers.get("Retry-After").empty());
  client_address = "2001:db8:1:3::1";
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
  std::string text = mailer.sent().back().text;
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
  ASSERT_FALSE(session_cookie.empty());

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
  std::string old_session = session_cookie;
  session_cookie.clear();  // another browser asks for the reset

  send(http::Method::get, "/konto/passwort-vergessen");
  auto unknown =
      send(http::Method::post, "/konto/passwort-vergessen", "email=niemand%40example.org");
  EXPECT_EQ(unknown.status, 200);
  std::size_t mails = mailer.count();
  auto sent = send(http::Method::post, "/konto/passwort-vergessen", "email=hanna%40example.org");
  EXPECT_EQ(sent.status, 200);
  EXPECT_NE(sent.body.find("Wenn es zu dieser Adresse ein Konto gibt"), std::string::npos);
  EXPECT_NE(unknown.body.find("Wenn es zu dieser Adresse ein Konto gibt"), std::string::npos);
  ASSERT_EQ(mailer.count(), mails + 1) << "a mail only for the existing account";
  std::smatch m;
  std::string text = mailer.sent().back().text;
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
  std::string current = session_cookie;
  session_cookie = old_session;
  EXPECT_EQ(send(http::Method::get, "/konto").status, 303);
  session_cookie = current;
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
  EXPECT_EQ(download.body.find(session_cookie), std::string::npos)
      << "no session token in the export";

  send(http::Method::get, "/konto");  // the form with the CSRF token
  EXPECT_EQ(send(http::Method::post, "/konto/loeschen", "password=falsch").status, 422);
  auto erased = send(http::Method::post, "/konto/loeschen", "password=ein+langer+Satz");
  EXPECT_EQ(erased.status, 200) << erased.body;
  EXPECT_TRUE(session_cookie.empty()) << "the cookie is deleted";
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
  ASSERT_TRUE(module("accounts").seed_demo(services()));
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

TEST_P(AccountsFlowTest, EmailChangeNeedsThePasswordAndTheLinkMailedToTheNewAddress) {
  register_and_verify("jana@example.org");
  log_in("jana@example.org");
  auto account = send(http::Method::get, "/konto");
  EXPECT_NE(account.body.find("action=\"/konto/email\""), std::string::npos);
  std::size_t mails = mailer.count();

  auto invalid = send(http::Method::post, "/konto/email", "new_email=kein-at&current_password=");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.body.find("value=\"kein-at\""), std::string::npos) << "keeps what was typed";
  EXPECT_NE(invalid.body.find("href=\"#field-new_email\""), std::string::npos)
      << "error summary links";
  EXPECT_NE(invalid.body.find("href=\"#field-current_password\""), std::string::npos);
  auto wrong = send(http::Method::post, "/konto/email",
                    "new_email=jana%40neu.example&current_password=falsch+geraten");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("Das Passwort stimmt nicht"), std::string::npos) << wrong.body;
  EXPECT_NE(wrong.body.find("aria-describedby=\"hint-current_password error-current_password\""),
            std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"jana@neu.example\""), std::string::npos);
  EXPECT_EQ(wrong.body.find("falsch+geraten"), std::string::npos);
  EXPECT_EQ(wrong.body.find("falsch geraten"), std::string::npos) << "passwords are not echoed";
  auto same = send(http::Method::post, "/konto/email",
                   "new_email=JANA%40example.org&current_password=ein+langer+Satz");
  EXPECT_EQ(same.status, 422);
  EXPECT_EQ(mailer.count(), mails) << "no mail for refused requests";

  auto asked = send(http::Method::post, "/konto/email",
                    "new_email=Jana%40Neu.example&current_password=ein+langer+Satz");
  ASSERT_EQ(asked.status, 200) << asked.body;
  ASSERT_EQ(mailer.count(), mails + 2);
  std::string link = link_in_mail_to("jana@neu.example", "/konto/email-bestaetigen");
  ASSERT_FALSE(link.empty()) << "the link goes to the new address";
  EXPECT_EQ(mailer.sent().back().to, "jana@example.org") << "the old address gets a notice";
  EXPECT_NE(mailer.sent().back().text.find("/konto/passwort-vergessen"), std::string::npos);
  EXPECT_EQ(mailer.sent().back().text.find("email-bestaetigen"), std::string::npos)
      << "no link in the notice";

  // Until the link is used, the old address logs in (here: a second browser) and the new one does
  // not.
  std::string mine = std::exchange(session_cookie, std::string());
  log_in("jana@example.org");
  std::string other_browser = std::exchange(session_cookie, mine);
  EXPECT_EQ(account_id("jana@neu.example"), 0);

  EXPECT_EQ(send(http::Method::get, "/konto/email-bestaetigen?token=erfunden").status, 400);
  auto confirm = send(http::Method::get, link);
  ASSERT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("jana@neu.example"), std::string::npos) << "shows the new address";
  EXPECT_NE(confirm.body.find("action=\"/konto/email-bestaetigen\""), std::string::npos)
      << "confirmed by POST";
  EXPECT_NE(account_id("jana@example.org"), 0) << "GET changes nothing";
  std::string token = link.substr(link.find('=') + 1);
  auto done = send(http::Method::post, "/konto/email-bestaetigen", "token=" + token);
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("E-Mail-Adresse geändert"), std::string::npos);
  std::int64_t id = account_id("jana@neu.example");
  EXPECT_NE(id, 0);
  EXPECT_EQ(account_id("jana@example.org"), 0);
  EXPECT_EQ(
      db::testing::scalar(
          *db, "SELECT COUNT(*) FROM accounts WHERE id = $1 AND email_verified_at IS NOT NULL",
          {db::Value{id}}),
      1);

  EXPECT_EQ(send(http::Method::get, "/konto").status, 200) << "this session goes on";
  session_cookie = other_browser;
  EXPECT_EQ(send(http::Method::get, "/konto").status, 303) << "every other session has ended";
  session_cookie = mine;
  EXPECT_EQ(send(http::Method::get, link).status, 400) << "the link works once";
  EXPECT_EQ(send(http::Method::post, "/konto/email-bestaetigen", "token=" + token).status, 400);
  session_cookie.clear();
  send(http::Method::get, "/konto/anmelden");
  EXPECT_EQ(send(http::Method::post, "/konto/anmelden",
                 "email=jana%40example.org&password=ein+langer+Satz")
                .status,
            422);
  EXPECT_EQ(send(http::Method::post, "/konto/anmelden",
                 "email=jana%40neu.example&password=ein+langer+Satz")
                .status,
            303);
}

TEST_P(AccountsFlowTest, EmailChangeToATakenAddressRevealsNothingAndChangesNothing) {
  register_and_verify("lars@example.org");
  register_and_verify("kara@example.org");
  log_in("kara@example.org");
  std::size_t mails = mailer.count();
  auto taken = send(http::Method::post, "/konto/email",
                    "new_email=lars%40example.org&current_password=ein+langer+Satz");
  auto fresh = send(http::Method::post, "/konto/email",
                    "new_email=neu%40example.org&current_password=ein+langer+Satz");
  EXPECT_EQ(taken.status, fresh.status);
  EXPECT_EQ(taken.body, fresh.body) << "the requester sees the same answer for a taken address";
  ASSERT_EQ(mailer.count(), mails + 4);
  EXPECT_EQ(mailer.sent()[mails].to, "lars@example.org") << "the owner of the address is told";
  EXPECT_EQ(mailer.sent()[mails].text.find("email-bestaetigen"), std::string::npos)
      << "but gets no link";
  EXPECT_EQ(mailer.sent()[mails + 1].to, "kara@example.org")
      << "the notice to the old address comes either way";
  EXPECT_EQ(db::testing::scalar(*db, "SELECT COUNT(*) FROM account_tokens WHERE new_email = $1",
                                {db::Value{"lars@example.org"}}),
            0);

  // neu@example.org gets an account before the link is used: nothing changes.
  std::string link = link_in_mail_to("neu@example.org", "/konto/email-bestaetigen");
  ASSERT_FALSE(link.empty());
  std::string kara = std::exchange(session_cookie, std::string());
  register_and_verify("neu@example.org");
  session_cookie = kara;
  ASSERT_EQ(send(http::Method::get, link).status, 200);
  auto refused = send(http::Method::post, "/konto/email-bestaetigen",
                      "token=" + link.substr(link.find('=') + 1));
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("inzwischen ein anderes Konto"), std::string::npos) << refused.body;
  EXPECT_NE(account_id("kara@example.org"), 0);
  EXPECT_NE(account_id("kara@example.org"), account_id("neu@example.org"));
  EXPECT_EQ(send(http::Method::get, "/konto").status, 200) << "and no session ended";
}

TEST_P(AccountsFlowTest, EmailChangeLinksExpireDieWithAPasswordResetAndRequestsAreLimited) {
  register_and_verify("mia@example.org");
  std::int64_t id = account_id("mia@example.org");
  accounts::AccountStore store(*db);
  auto old =
      store.issue_token(id, accounts::TokenPurpose::change_email, accounts::unix_now() - 25 * 3600,
                        24 * 3600, std::string("mia@alt.example"));
  ASSERT_TRUE(old);
  EXPECT_EQ(send(http::Method::get, "/konto/email-bestaetigen?token=" + *old).status, 400)
      << "expired";
  send(http::Method::get, "/konto/anmelden");
  EXPECT_EQ(send(http::Method::post, "/konto/email-bestaetigen", "token=" + *old).status, 400);

  log_in("mia@example.org");
  ASSERT_EQ(send(http::Method::post, "/konto/email",
                 "new_email=mia%40neu.example&current_password=ein+langer+Satz")
                .status,
            200);
  std::string link = link_in_mail_to("mia@neu.example", "/konto/email-bestaetigen");
  auto data = nlohmann::json::parse(send(http::Method::get, "/konto/daten").body);
  ASSERT_EQ(data["pending_email_changes"].size(), 1u)
      << "the export shows the address waiting for confirmation";
  EXPECT_EQ(data["pending_email_changes"][0]["new_email"], "mia@neu.example");

  // The owner sees the notice and resets the password: the pending link dies.
  send(http::Method::get, "/konto/passwort-vergessen");
  send(http::Method::post, "/konto/passwort-vergessen", "email=mia%40example.org");
  std::string reset = link_in_mail_to("mia@example.org", "/konto/passwort-neu");
  ASSERT_FALSE(reset.empty());
  send(http::Method::get, reset);
  ASSERT_EQ(send(http::Method::post, "/konto/passwort-neu",
                 "token=" + reset.substr(reset.find('=') + 1) +
                     "&password=ein+langer+Satz&password_repeat=ein+langer+Satz")
                .status,
            200);
  EXPECT_EQ(send(http::Method::get, link).status, 400)
      << "a password reset voids the address change";
  EXPECT_NE(account_id("mia@example.org"), 0);

  log_in("mia@example.org");
  for (int i = 0; i < 4; ++i)  // the request above was the first of five an hour
    EXPECT_EQ(send(http::Method::post, "/konto/email",
                   "new_email=mia%40x.example&current_password=falsch")
                  .status,
              422);
  auto limited = send(http::Method::post, "/konto/email",
                      "new_email=mia%40x.example&current_password=ein+langer+Satz");
  EXPECT_EQ(limited.status, 429) << "password guessing through this form is limited like logins";
  EXPECT_FALSE(limited.headers.get("Retry-After").empty());
}

TEST_P(AccountsFlowTest, ApiTokenPagesCreateShowOnceAndRevoke) {
  EXPECT_EQ(send(http::Method::get, "/konto/tokens").headers.get("Location"), "/konto/anmelden");
  register_and_verify("nora@example.org");
  log_in("nora@example.org");
  EXPECT_NE(send(http::Method::get, "/konto").body.find("href=\"/konto/tokens\""),
            std::string::npos);
  auto empty = send(http::Method::get, "/konto/tokens");
  ASSERT_EQ(empty.status, 200);
  EXPECT_NE(empty.body.find("noch keine Tokens"), std::string::npos);
  EXPECT_NE(empty.body.find("value=\"read\" checked"), std::string::npos) << "read is preselected";

  auto unnamed = send(http::Method::post, "/konto/tokens", "name=+&scope=read");
  EXPECT_EQ(unnamed.status, 422);
  EXPECT_NE(unnamed.body.find("href=\"#field-name\""), std::string::npos);
  auto no_scope = send(http::Method::post, "/konto/tokens", "name=Skript");
  EXPECT_EQ(no_scope.status, 422);
  EXPECT_NE(no_scope.body.find("mindestens ein Recht"), std::string::npos);
  EXPECT_NE(no_scope.body.find("value=\"Skript\""), std::string::npos) << "keeps what was typed";
  EXPECT_EQ(send(http::Method::post, "/konto/tokens", "name=Skript&scope=admin").status, 422);
  EXPECT_EQ(send(http::Method::post, "/konto/tokens", "name=Skript&scope=read", /*with_csrf=*/false)
                .status,
            403);

  auto created = send(http::Method::post, "/konto/tokens", "name=Ratsinfo-Import&scope=read");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_NE(created.body.find("nur dieses eine Mal"), std::string::npos) << "says to copy it now";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(created.body, m, std::regex("value=\"(ah_[A-Za-z0-9_-]{43})\"")));
  std::string token = m[1];

  auto list = send(http::Method::get, "/konto/tokens");
  EXPECT_NE(list.body.find("Ratsinfo-Import"), std::string::npos);
  EXPECT_EQ(list.body.find(token), std::string::npos) << "shown once only";
  EXPECT_NE(list.body.find(">nie<"), std::string::npos) << "never used yet";
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/me", token).status, 200);
  // The request only notes the use; the module's job writes it every minute (and once more
  // when the server stops), so the list is at most a minute behind.
  EXPECT_NE(send(http::Method::get, "/konto/tokens").body.find(">nie<"), std::string::npos)
      << "no write on the API request's path";
  auto jobs = module("accounts").periodic_jobs(services());
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_LE(jobs[0].interval, std::chrono::minutes(1));
  EXPECT_TRUE(jobs[0].at_stop);
  auto written = jobs[0].run();
  ASSERT_TRUE(written) << written.error().detail;
  EXPECT_EQ(*written, 1);
  EXPECT_NE(send(http::Method::get, "/konto/tokens").body.find(" Uhr<"), std::string::npos)
      << "last use, Berlin time";

  // Another account's token cannot be revoked from here, nor can a made-up one.
  register_and_verify("otto@example.org");
  auto others = auth::ApiTokenStore(*db).create(account_id("otto@example.org"), "Ottos", {"read"},
                                                accounts::unix_now());
  ASSERT_TRUE(others);
  send(http::Method::get, "/konto/tokens");
  EXPECT_EQ(send(http::Method::post, "/konto/tokens/" + std::to_string(others->id) + "/widerrufen")
                .status,
            404);
  EXPECT_EQ(send(http::Method::post, "/konto/tokens/abc/widerrufen").status, 404);
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/me", others->token).status, 200)
      << "still works";

  std::string own = std::to_string(db::testing::scalar(
      *db, "SELECT id FROM api_tokens WHERE name = $1", {db::Value{"Ratsinfo-Import"}}));
  auto revoked = send(http::Method::post, "/konto/tokens/" + own + "/widerrufen");
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(revoked.headers.get("Location"), "/konto/tokens");
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/me", token).status, 401);
  auto after = send(http::Method::get, "/konto/tokens");
  EXPECT_NE(after.body.find("widerrufen am"), std::string::npos);
  EXPECT_EQ(after.body.find("/konto/tokens/" + own + "/widerrufen"), std::string::npos)
      << "no button any more";

  auto data = send(http::Method::get, "/konto/daten");
  auto exported = nlohmann::json::parse(data.body);
  ASSERT_EQ(exported["api_tokens"].size(), 1u);
  EXPECT_EQ(exported["api_tokens"][0]["name"], "Ratsinfo-Import");
  EXPECT_EQ(data.body.find(token), std::string::npos) << "no secret in the export";
}

TEST_P(AccountsFlowTest, ApiTokensJsonApiAndScopes) {
  EXPECT_EQ(api(http::Method::get, "/api/v1/tokens").status, 401);
  EXPECT_EQ(api(http::Method::post, "/api/v1/tokens", R"({"name":"x","scopes":["read"]})").status,
            401);
  EXPECT_EQ(api(http::Method::del, "/api/v1/tokens/1").status, 401);

  register_and_verify("paula@example.org");
  session_cookie.clear();  // a script: no browser session before the login
  auto login = api(http::Method::post, "/api/v1/session",
                   R"({"email":"paula@example.org","password":"ein langer Satz"})");
  ASSERT_EQ(login.status, 200);
  std::string csrf = nlohmann::json::parse(login.body)["csrf_token"];
  EXPECT_EQ(api(http::Method::post, "/api/v1/tokens", R"({"name":"CI","scopes":["read"]})").status,
            403)
      << "with the cookie, the CSRF header is needed";
  auto invalid = api(http::Method::post, "/api/v1/tokens", R"({"name":"","scopes":[]})", csrf);
  EXPECT_EQ(invalid.status, 422);
  auto problem = nlohmann::json::parse(invalid.body);
  EXPECT_TRUE(problem["errors"].contains("name")) << invalid.body;
  EXPECT_TRUE(problem["errors"].contains("scopes"));
  EXPECT_EQ(
      api(http::Method::post, "/api/v1/tokens", R"({"name":"CI","scopes":["admin"]})", csrf).status,
      422);
  EXPECT_EQ(
      api(http::Method::post, "/api/v1/tokens", R"({"name":"CI","scopes":"read"})", csrf).status,
      422);

  auto made =
      api(http::Method::post, "/api/v1/tokens", R"({"name":"CI","scopes":["read","write"]})", csrf);
  ASSERT_EQ(made.status, 201) << made.body;
  auto both = nlohmann::json::parse(made.body);
  std::string secret = both["token"];
  EXPECT_TRUE(secret.starts_with("ah_"));
  EXPECT_EQ(both["scopes"], nlohmann::json({"read", "write"}));
  auto read_only = nlohmann::json::parse(
      api(http::Method::post, "/api/v1/tokens", R"({"name":"Lesen","scopes":["read"]})", csrf)
          .body);
  auto write_only = nlohmann::json::parse(
      api(http::Method::post, "/api/v1/tokens", R"({"name":"Schreiben","scopes":["write"]})", csrf)
          .body);

  auto listed = api(http::Method::get, "/api/v1/tokens");
  ASSERT_EQ(listed.status, 200);
  auto tokens = nlohmann::json::parse(listed.body)["tokens"];
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0]["name"], "CI");
  EXPECT_FALSE(tokens[0].contains("token")) << "never the secret again";
  EXPECT_EQ(listed.body.find(secret), std::string::npos);

  // A token cannot mint tokens, whatever its scopes.
  auto minted = with_token(http::Method::post, "/api/v1/tokens", secret,
                           R"({"name":"mehr","scopes":["read"]})");
  EXPECT_EQ(minted.status, 403);
  EXPECT_NE(minted.body.find("keine weiteren Tokens"), std::string::npos) << minted.body;
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/tokens", secret).status, 200);
  // Scopes: unsafe methods need write, safe ones read.
  auto refused =
      with_token(http::Method::del, "/api/v1/tokens/" + std::to_string(both["id"].get<int>()),
                 read_only["token"]);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.headers.get("Content-Type"), "application/problem+json");
  EXPECT_NE(refused.body.find("„write“"), std::string::npos) << refused.body;
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/me", write_only["token"]).status, 403);
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/me", read_only["token"]).status, 200);
  EXPECT_EQ(
      with_token(http::Method::del, "/api/v1/tokens/" + std::to_string(read_only["id"].get<int>()),
                 write_only["token"])
          .status,
      204);
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/me", read_only["token"]).status, 401)
      << "revoked";

  // Another account's token: 404, as for one that does not exist.
  register_and_verify("quirin@example.org");
  auto others = auth::ApiTokenStore(*db).create(account_id("quirin@example.org"), "Q", {"read"},
                                                accounts::unix_now());
  ASSERT_TRUE(others);
  EXPECT_EQ(api(http::Method::del, "/api/v1/tokens/" + std::to_string(others->id), {}, csrf).status,
            404);
  EXPECT_EQ(api(http::Method::del, "/api/v1/tokens/99999", {}, csrf).status, 404);
  EXPECT_EQ(api(http::Method::del, "/api/v1/tokens/x", {}, csrf).status, 404);
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/me", others->token).status, 200);
  EXPECT_EQ(
      api(http::Method::del, "/api/v1/tokens/" + std::to_string(both["id"].get<int>()), {}, csrf)
          .status,
      204);
  EXPECT_EQ(with_token(http::Method::get, "/api/v1/me", secret).status, 401);
}

AH_INSTANTIATE_BACKEND_TEST(AccountsFlowTest);

}  // namespace
}  // namespace ah::modules
