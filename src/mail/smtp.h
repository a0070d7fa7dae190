// SmtpMailer: sends e-mail through an SMTP relay with libcurl.
//
// One connection per message: mail here is a trickle (confirmations, notifications), and a
// fresh connection per send keeps the mailer stateless and thus trivially thread-safe. The
// envelope sender is SmtpOptions::from, the single envelope recipient Message::to; the data
// is render_message's output, which curl dot-stuffs on the wire.
//
// TLS: smtps:// URLs are TLS from the start; smtp:// URLs upgrade with STARTTLS as
// SmtpOptions::starttls says. The server certificate and host name are always verified
// (against SmtpOptions::ca_file when set). With `opportunistic` or `off` and a username, the
// password may cross the network unencrypted: use those only towards a relay on loopback or
// a trusted network.
//
//   SmtpMailer mailer({.url = "smtp://mail.example.org:587", .username = "augenhoehe",
//                      .password = secret, .from = "noreply@example.org"});
//   AH_TRY_STATUS(mailer.send(message));
#pragma once

#include "mail/mailer.h"

namespace ah::mail {

class SmtpMailer final : public Mailer {
 public:
  // Does not connect; validate_smtp_options() checks `options` (make_mailer does so).
  explicit SmtpMailer(SmtpOptions options);

  // Connects, optionally upgrades to TLS and logs in, sends, disconnects; bounded by
  // SmtpOptions::timeout. Thread-safe. Errors as Mailer::send; every failure of the relay
  // or the network is `unavailable`, with curl's description (never the password) in the
  // detail.
  [[nodiscard]] Status send(const Message& message) override;

 private:
  const SmtpOptions options_;
};

}  // namespace ah::mail
