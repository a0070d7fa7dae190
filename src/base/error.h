// Error and Result: the one way recoverable errors travel through augenhoehe.
//
// Every function that can fail for reasons outside the programmer's control (bad input,
// a missing row, an unreachable database) returns `Result<T>`, which is
// `std::expected<T, Error>`. Exceptions are reserved for what ends the whole operation and
// never cross a module boundary. The HTTP layer maps `Error::code` to a status and shows
// `Error::message` to the person, so messages are written for people: say what is wrong and
// what to do, never a stack trace or SQL.
//
//   Result<Org> find_org(std::string_view ags) {
//     if (!valid_ags(ags)) return fail(ErrorCode::invalid_input, "AGS must have 8 digits");
//     ...
//   }
//   AH_TRY(org, find_org(ags));   // returns the error to the caller if there is one
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace ah {

enum class ErrorCode {
  invalid_input,  // the caller sent something we cannot accept (400)
  not_found,      // 404
  conflict,       // 409: e.g. unique constraint, stale version
  forbidden,      // 403
  too_large,      // 413
  unavailable,    // 503: e.g. database unreachable
  internal,       // 500: a bug or an unexpected failure; details only in the log
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // for the person; German or English as the caller decides
  std::string detail;   // for the operator's log only; never sent to a client
};

template <class T>
using Result = std::expected<T, Error>;

// Result for operations that return nothing but may fail.
using Status = std::expected<void, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message,
                                                 std::string detail = {}) {
  return std::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

std::string_view to_string(ErrorCode code);

}  // namespace ah

#define AH_CONCAT_INNER(a, b) a##b
#define AH_CONCAT(a, b) AH_CONCAT_INNER(a, b)

// AH_TRY(var, expr): evaluates expr (a Result); on error returns it from the enclosing
// function, otherwise declares `var` holding the value.
#define AH_TRY(var, expr)                                            \
  auto AH_CONCAT(ah_try_, __LINE__) = (expr);                        \
  if (!AH_CONCAT(ah_try_, __LINE__))                                 \
    return std::unexpected(std::move(AH_CONCAT(ah_try_, __LINE__)).error()); \
  auto var = std::move(*AH_CONCAT(ah_try_, __LINE__))

// AH_TRY_STATUS(expr): for Status results.
#define AH_TRY_STATUS(expr)                                          \
  do {                                                               \
    auto ah_try_s = (expr);                                          \
    if (!ah_try_s) return std::unexpected(std::move(ah_try_s).error()); \
  } while (0)
