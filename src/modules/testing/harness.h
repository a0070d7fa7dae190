// SiteHarness: modules under test as a browser meets them — migrations applied, routes and
// layers (the session layer with CSRF) in place, cookies kept between requests, the CSRF
// token read from the last form, mails recorded instead of sent.
//
//   class GroupsTest : public db::testing::BackendTest, public modules::testing::SiteHarness {
//     void SetUp() override {
//       BackendTest::SetUp(); if (IsSkipped()) return;
//       start(*db, scratch_dir(), standard_modules(make_groups_module()));
//     }
//   };
//   auto me = create_account("anna@example.org", "Anna");   // verified, no password hashing
//   sign_in(me);
//   auto page = send(http::Method::get, "/arbeitsgruppen");
//   send(http::Method::post, "/arbeitsgruppen", "title=AG+Digitales");  // csrf added
//
// standard_modules() gives the orgs (with the real reference data), accounts, members and
// moderation, files and notifications modules the others build on, followed by the ones passed in.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/database.h"
#include "http/assets.h"
#include "http/router.h"
#include "mail/mailer.h"
#include "web/module.h"

namespace ah::modules::testing {

// Keeps what would have been mailed (the outbox and SMTP transports are tested in mail/).
class RecordingMailer : public mail::Mailer {
 public:
  Status send(const mail::Message& message) override;
  std::vector<mail::Message> sent() const;
  std::size_t count() const;

 private:
  mutable std::mutex mutex_;
  std::vector<mail::Message> sent_;
};

std::vector<std::unique_ptr<web::Module>> standard_modules(
    std::unique_ptr<web::Module> extra = nullptr);

// The number after "#kommentar-" in a link or Location (where a posted comment is shown);
// 0 when there is none.
std::int64_t comment_anchor(std::string_view location);

// One part of a multipart/form-data body (SiteHarness::send_multipart).
struct FormPart {
  std::string name, value;
  std::string filename = {}, content_type = {};
  bool is_file = false;
};
FormPart form_field(std::string name, std::string value);
FormPart form_file(std::string name, std::string filename, std::string content_type,
                   std::string data);

class SiteHarness {
 public:
  // Migrates `db` for the modules, loads the real templates and catalogues (AH_SHARE_DIR of
  // the build) and registers everything. Fails the current test on error.
  void start(db::Database& db, const std::filesystem::path& data_dir,
             std::vector<std::unique_ptr<web::Module>> modules);

  // A form submission (urlencoded; the CSRF token of the last page is added) or a GET.
  http::Response send(http::Method method, const std::string& target, const std::string& form = {},
                      bool with_csrf = true);
  // An API call with a JSON body (none for GET/DELETE) and optionally the CSRF header.
  http::Response api(http::Method method, const std::string& target, const std::string& json = {},
                     const std::string& csrf_header = {},
                     std::string content_type = "application/json");
  // A form with files as a browser sends it (multipart/form-data); the caller includes the
  // CSRF token as a field (form_field("csrf", csrf)) where it wants one.
  http::Response send_multipart(const std::string& target, const std::vector<FormPart>& parts);
  // One request through layers and router like app::Site, keeping cookies and the CSRF token.
  http::Response run(http::Request& request);

  // A verified account with an unusable password hash (tests sign in with sign_in()).
  std::int64_t create_account(const std::string& email, const std::string& display_name);
  // Becomes `account_id` in a fresh session (as after a login); 0 signs out.
  void sign_in(std::int64_t account_id);
  // The organisation's id by key (AGS), from the reference data.
  std::int64_t org_id(const std::string& key);

  // A request for `target` with the jar's session cookie and the client's address.
  http::Request make_request(http::Method method, const std::string& target);

  web::Services& services() { return *services_; }
  // The routes as registered (e.g. to check a route's body limit).
  const http::Router& router() const { return router_; }
  // The module named `name` (a programming error if there is none).
  web::Module& module(std::string_view name);
  RecordingMailer mailer;
  std::string session_cookie, csrf;
  std::string client_address = "192.0.2.10";  // what the server puts into each request

 private:
  db::Database* db_ = nullptr;
  std::vector<std::unique_ptr<web::Module>> modules_;
  std::unique_ptr<http::AssetStore> assets_;
  std::unique_ptr<web::View> view_;
  http::Metrics metrics_{"test"};
  std::unique_ptr<web::Services> services_;
  http::Router router_;
  std::vector<http::Layer*> layers_;
};

}  // namespace ah::modules::testing
