// Security headers sent on every response, including error pages and refusals.
//
// The Content-Security-Policy allows only our own origin: no inline script or style, no
// third-party hosts, no framing. Templates therefore never carry style="" or <script> blocks;
// behaviour comes from files under /assets.
#pragma once

#include "http/message.h"

namespace ah::http {

struct SecurityOptions {
  bool https = false;            // send HSTS (only when the site is served over https)
  int hsts_max_age = 31536000;   // one year
};

// Sets CSP, X-Content-Type-Options, Referrer-Policy, X-Frame-Options, Permissions-Policy,
// Cross-Origin-Opener-Policy and, with https, Strict-Transport-Security. Keeps a CSP the
// handler set itself (e.g. a stricter one for downloads).
void apply_security_headers(Response& response, const SecurityOptions& options);

// The policy text, exposed for tests and documentation.
extern const char* const kContentSecurityPolicy;

}  // namespace ah::http
