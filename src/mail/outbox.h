// OutboxMailer: "sends" e-mail by writing each message to DATA_DIR/outbox/ as an .eml file.
//
// The default when no SMTP relay is configured, so that a fresh install works and an operator
// can see what would have gone out (any mail client opens .eml files). Each message is the
// exact RFC 5322 text an SMTP relay would receive (render_message), with CRLF line ends, in
// a file named "<UTC time>-<32 hex random>.eml", e.g.
// "20261126T162530.123Z-3f2a9c01be...eml", so names sort by time and never collide.
//
// Files appear atomically: the message is written to a hidden temporary file in the same
// directory (".<name>.tmp"), flushed to disk and renamed, so whoever watches the folder never
// reads half a message. Files get mode 0600 and a newly made outbox 0700: messages carry
// personal data and confirmation links.
#pragma once

#include <filesystem>
#include <string>

#include "mail/mailer.h"

namespace ah::mail {

class OutboxMailer final : public Mailer {
 public:
  // `from` is the bare sender address; it is checked on every send, not here.
  OutboxMailer(std::filesystem::path data_dir, std::string from);

  // Writes the message; creates DATA_DIR and DATA_DIR/outbox when missing. Thread-safe.
  // Errors: invalid_input for the message (see Mailer::send), internal when the file
  // cannot be written (the detail names the path and the system error).
  [[nodiscard]] Status send(const Message& message) override;

  // DATA_DIR/outbox.
  const std::filesystem::path& directory() const { return outbox_; }

 private:
  const std::filesystem::path outbox_;
  const std::string from_;
};

}  // namespace ah::mail
