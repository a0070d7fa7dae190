#include "http/security_headers.h"

#include <string>

namespace ah::http {

const char* const kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void apply_security_headers(Response& response, const SecurityOptions& options) {
  if (!response.headers.has("Content-Security-Policy"))
    response.headers.set("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "same-origin");
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("Cross-Origin-Opener-Policy", "same-origin");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (options.https)
    response.headers.set("Strict-Transport-Security",
                         "max-age=" + std::to_string(options.hsts_max_age) + "; includeSubDomains");
}

}  // namespace ah::http
