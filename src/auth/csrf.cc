#include "auth/csrf.h"

#include "auth/tokens.h"

namespace ah::auth {

bool is_unsafe_method(std::string_view method) {
  return !(method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE");
}

std::string_view submitted_csrf_token(std::string_view header, std::string_view form_field) {
  return header.empty() ? form_field : header;
}

Status check_csrf(std::string_view session_csrf_token, std::string_view submitted) {
  if (!tokens_match(session_csrf_token, submitted))
    return fail(ErrorCode::forbidden, std::string(kCsrfInvalid));
  return {};
}

}  // namespace ah::auth
