// Message and its wire form: the one place where augenhoehe turns an e-mail into bytes.
//
// Both transports (OutboxMailer writing .eml files, SmtpMailer handing the bytes to a relay)
// call render_message(), so what an operator reads in DIR/outbox/ is exactly what a mail
// server would have received.
//
// The format, and why:
//   - Headers: Date, From, To, Subject, Message-ID, MIME-Version, Content-Type,
//     Content-Transfer-Encoding, in that order, each ending in CRLF (RFC 5322 section 2.1).
//   - Subject: kept as is when it is printable ASCII and fits on one 78-character line;
//     otherwise RFC 2047 encoded words "=?UTF-8?B?...?=", folded onto continuation lines,
//     each word holding whole UTF-8 characters (RFC 2047 section 5 forbids splitting one).
//   - Body: text/plain; charset=utf-8 with Content-Transfer-Encoding quoted-printable. Unlike
//     8bit, quoted-printable is 7-bit clean (no reliance on the relay's 8BITMIME), keeps every
//     line at most 76 characters however long a paragraph is (soft line breaks), and lets us
//     write a '.' at the start of a line as "=2E" and "From " as "=46rom ", so the bytes
//     survive SMTP dot-stuffing and mbox "From " quoting untouched whichever software
//     handles them. Line ends in the text (LF, CRLF or CR) become CRLF, and a non-empty body
//     always ends with one.
//   - Addresses are bare (user@example.org, no display name), ASCII only: an internationalised
//     domain must be given in its xn-- form. This keeps the To: header free of anything a
//     caller could use to add recipients.
//
//   Message m{.to = "anna@example.org", .subject = "Bestätigen Sie Ihre E-Mail-Adresse",
//             .text = "Bitte öffnen Sie diesen Link: ..."};
//   AH_TRY(bytes, render_message(m, "noreply@gemeinde.example", std::chrono::system_clock::now(),
//                                new_message_id("noreply@gemeinde.example")));
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ah::mail {

struct Message {
  std::string to;       // one bare address, e.g. "anna@example.org"
  std::string subject;  // UTF-8, one line
  std::string text;     // plain text, UTF-8
};

// Ok when `address` is a bare address we are willing to put into a header and an SMTP
// envelope: local@domain, ASCII, no spaces, quotes, angle brackets, commas or control
// characters, at most 254 characters (RFC 5321 section 4.5.3.1.3), local part at most 64, a
// domain of dot-separated labels of letters, digits and '-'. `role` ("recipient", "sender")
// names the field in the error message.
Status validate_address(std::string_view address, std::string_view role);

// Ok when `message` can be sent: a valid recipient, a subject without line breaks or other
// control characters, and UTF-8 subject and text.
Status validate_message(const Message& message);

// A fresh Message-ID "<UTC-time.unique_token()@domain of from>" (angle brackets included).
// Safe to call from several threads.
std::string new_message_id(std::string_view from);

// 32 lowercase hex digits (128 bits) from a per-thread generator seeded by std::random_device:
// unique enough for file names and Message-IDs, not meant as a secret. Thread-safe.
std::string unique_token();

// The complete RFC 5322 message (headers, blank line, quoted-printable body), CRLF line ends,
// no line longer than 78 characters except a To or From header holding a long address (those
// stay below the hard limit of 998). Fails with invalid_input when the message or `from` is
// not valid (see validate_message and validate_address); then nothing should be sent.
Result<std::string> render_message(const Message& message, std::string_view from,
                                   std::chrono::system_clock::time_point date,
                                   std::string_view message_id);

// Building blocks of render_message, exposed for their tests.

// "Thu, 26 Nov 2026 16:25:30 +0000" (RFC 5322 section 3.3, always UTC).
std::string rfc5322_date(std::chrono::system_clock::time_point t);

// The value of a Subject header, folded: "plain" or "=?UTF-8?B?...?=\r\n =?UTF-8?B?...?=".
// `subject` must be valid UTF-8 without control characters.
std::string encode_subject(std::string_view subject);

// `text` (UTF-8) as quoted-printable with CRLF line ends and lines of at most 76 characters.
std::string quoted_printable(std::string_view text);

}  // namespace ah::mail
