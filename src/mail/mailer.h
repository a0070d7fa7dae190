// Mailer: how augenhoehe sends e-mail (address confirmations, notifications).
//
// Two transports behind one interface, chosen once at start by make_mailer():
//   - SMTP (SmtpMailer, smtp.h) when the configuration names a relay URL;
//   - otherwise the outbox (OutboxMailer, outbox.h): each message becomes an .eml file in
//     DATA_DIR/outbox/, so a fresh install works without a mail server and an operator can
//     read, forward or delete what would have been sent.
// Both produce the same bytes (render_message in message.h).
//
//   AH_TRY(mailer, make_mailer(config.smtp, config.data_dir));
//   AH_TRY_STATUS(mailer->send({.to = email, .subject = "Bestätigen Sie Ihre E-Mail-Adresse",
//                               .text = body}));
//
// A Mailer is safe for concurrent use: several worker threads may call send() at once.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "mail/message.h"

namespace ah::mail {

class Mailer {
 public:
  virtual ~Mailer() = default;

  // Delivers `message` to the transport (the relay accepted it, or the .eml file is in
  // place); returns only after that or on failure, never retries. Errors:
  //   invalid_input: the message cannot be sent as given (bad address, line break in the
  //                  subject, text not UTF-8); the message says which field;
  //   unavailable:   the relay cannot be reached, refused the login or the message, or
  //                  timed out; worth trying again later;
  //   internal:      the outbox cannot be written or the mail library failed.
  // Error::message is fit to show to the person; Error::detail is for the operator's log and
  // never contains the SMTP password.
  [[nodiscard]] virtual Status send(const Message& message) = 0;
};

// Whether an smtp:// connection upgrades to TLS with STARTTLS (smtps:// is always TLS).
enum class StartTls {
  required,       // fail unless the server offers STARTTLS and the handshake succeeds
  opportunistic,  // use STARTTLS when offered, else continue unencrypted (credentials too!)
  off,            // never; only for relays on loopback or a trusted network
};

// "required", "opportunistic" or "off", as written in the configuration file.
Result<StartTls> parse_starttls(std::string_view text);
std::string_view to_string(StartTls mode);

struct SmtpOptions {
  // "smtp://host:port" (port 587 or 25, see `starttls`) or "smtps://host:port" (TLS from the
  // first byte, usually port 465). Empty: no relay; make_mailer then picks the outbox.
  // Credentials never go into the URL: use `username` and `password`.
  std::string url;
  std::string username;  // empty: no SMTP AUTH
  std::string password;
  std::string from;  // bare sender address, used in the envelope and the From header
  StartTls starttls = StartTls::required;
  // Bound on a whole send(): connecting, TLS, the SMTP dialogue and the upload.
  std::chrono::milliseconds timeout{30000};
  // PEM file of certificate authorities to trust instead of the system's, e.g. for a relay
  // with an internal CA. Empty: the system store. The server certificate is always verified.
  std::string ca_file;
};

// Ok when `options` describe a usable relay: an smtp:// or smtps:// URL with a host and no
// credentials in it, a valid sender address, a positive timeout.
Status validate_smtp_options(const SmtpOptions& options);

// An SmtpMailer when `smtp.url` is set, else an OutboxMailer writing to data_dir/outbox with
// `smtp.from` as sender. Fails with invalid_input, naming the setting, when the
// configuration is unusable, so a misconfigured install stops at start rather than at the
// first e-mail.
Result<std::unique_ptr<Mailer>> make_mailer(const SmtpOptions& smtp,
                                            const std::filesystem::path& data_dir);

}  // namespace ah::mail
