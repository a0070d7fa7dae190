// Request and Response: the plain types every handler sees.
//
// The server (server.cc, the only place that knows Boost.Beast) turns the wire format into a
// Request, runs middleware and the routed handler, and turns the Response back. Handlers never
// touch sockets, so they can be tested by building a Request by hand.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ah::http {

enum class Method { get, head, post, put, patch, del, options, other };

std::string_view to_string(Method m);
Method method_from_string(std::string_view s);

// Header names are compared case-insensitively (RFC 9110).
bool iequals(std::string_view a, std::string_view b);

class Headers {
 public:
  // Returns the first value of `name`, or "" when absent.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  // Replaces every value of `name` with `value`.
  void set(std::string_view name, std::string value);
  // Adds another value (e.g. a second Set-Cookie).
  void add(std::string_view name, std::string value);
  void remove(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& all() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct Request {
  Method method = Method::get;
  std::string target;  // as sent: path plus query, e.g. "/a%20b?x=1"
  std::string path;    // percent-decoded path without the query, e.g. "/a b"
  std::string query;   // raw query string without '?', e.g. "x=1"
  Headers headers;
  std::string body;
  bool keep_alive = true;

  // Filled by the router: values of {name} segments of the matched pattern, decoded.
  std::map<std::string, std::string, std::less<>> path_params;
  // Filled by the server: the matched route pattern ("/api/v1/x/{id}") or "unmatched".
  std::string route;
  // A short random id, also sent back as X-Request-Id and written to the access log.
  std::string request_id;
  // Filled by the server: who sent the request, "192.0.2.1" or "2001:db8::1" (behind a
  // trusted proxy from X-Forwarded-For, see client_address.h); "" if unknown. Personal
  // data: for rate limits, never for logs.
  std::string client_address;
  // Negotiated language of the person: "de" (default) or "en".
  std::string lang = "de";
  // Filled by the session layer (accounts module): the signed-in account (0: nobody) and
  // the CSRF token forms must carry.
  std::int64_t account_id = 0;
  std::string account_name;  // the signed-in account's display name, for the account menu
  std::string csrf_token;
  // The personal API token (its id) that authenticated the request instead of a session;
  // 0 for none. Some things are not for tokens (creating tokens).
  std::int64_t api_token_id = 0;
  // The session cookie's value (secret: never logged), and whether the handler created,
  // rotated or ended the session so that the layer sends the cookie anew.
  std::string session_token;
  bool session_changed = false;
  std::chrono::steady_clock::time_point received_at;

  std::string_view param(std::string_view name) const {
    auto it = path_params.find(name);
    return it == path_params.end() ? std::string_view{} : std::string_view{it->second};
  }
  // True when the request addresses the JSON API (errors become problem+json).
  bool is_api() const { return path.starts_with("/api/"); }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response html(std::string body, int status = 200);
  static Response json(std::string body, int status = 200);
  static Response text(std::string body, int status = 200);
  static Response redirect(std::string location, int status = 303);
};

// The reason phrase for a status code ("Not Found").
std::string_view reason(int status);

}  // namespace ah::http
