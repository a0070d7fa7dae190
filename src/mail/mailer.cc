#include "mail/mailer.h"

#include "mail/outbox.h"
#include "mail/smtp.h"

namespace ah::mail {

Result<StartTls> parse_starttls(std::string_view text) {
  if (text == "required") return StartTls::required;
  if (text == "opportunistic") return StartTls::opportunistic;
  if (text == "off") return StartTls::off;
  return fail(ErrorCode::invalid_input,
              "The STARTTLS setting must be \"required\", \"opportunistic\" or \"off\".");
}

std::string_view to_string(StartTls mode) {
  switch (mode) {
    case StartTls::required:
      return "required";
    case StartTls::opportunistic:
      return "opportunistic";
    case StartTls::off:
      return "off";
  }
  return "required";
}

Status validate_smtp_options(const SmtpOptions& options) {
  std::string_view url = options.url;
  std::string_view rest;
  if (url.starts_with("smtp://")) {
    rest = url.substr(7);
  } else if (url.starts_with("smtps://")) {
    rest = url.substr(8);
  } else {
    return fail(ErrorCode::invalid_input,
                "The SMTP URL must start with smtp:// or smtps:// (e.g. "
                "smtp://mail.example.org:587).");
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.front() == ':') {
    return fail(ErrorCode::invalid_input, "The SMTP URL names no host.");
  }
  // Credentials in the URL would end up in logs with the URL; they belong in the settings
  // made for them.
  if (authority.find('@') != std::string_view::npos) {
    return fail(ErrorCode::invalid_input,
                "The SMTP URL must not contain a user name or password; use the SMTP user "
                "and password settings.");
  }
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
    return fail(ErrorCode::invalid_input, "The SMTP URL must not contain spaces or line breaks.");
  }
  AH_TRY_STATUS(validate_address(options.from, "sender"));
  if (options.timeout.count() <= 0) {
    return fail(ErrorCode::invalid_input, "The SMTP timeout must be positive.");
  }
  return {};
}

Result<std::unique_ptr<Mailer>> make_mailer(const SmtpOptions& smtp,
                                            const std::filesystem::path& data_dir) {
  if (smtp.url.empty()) {
    AH_TRY_STATUS(validate_address(smtp.from, "sender"));
    return std::make_unique<OutboxMailer>(data_dir, smtp.from);
  }
  AH_TRY_STATUS(validate_smtp_options(smtp));
  return std::make_unique<SmtpMailer>(smtp);
}

}  // namespace ah::mail
