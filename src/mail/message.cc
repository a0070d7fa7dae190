#include "mail/message.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>

namespace ah::mail {
namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";
constexpr std::size_t kRecommendedLineLength = 78;      // RFC 5322 section 2.1.1, without CRLF
constexpr std::size_t kQuotedPrintableLineLength = 76;  // RFC 2045 section 6.7 rule 5
// Bytes of UTF-8 per encoded word: base64 of 42 bytes is 56 characters, with "=?UTF-8?B?"
// and "?=" 68, so even the first word after "Subject: " ends at column 77.
constexpr std::size_t kEncodedWordBytes = 42;

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not well-formed (overlong
// forms, surrogates and code points above U+10FFFF count as malformed, as in RFC 3629).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length;
  char32_t code_point;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::array<char32_t, 5> kSmallestForLength = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kSmallestForLength[length]) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  if (code_point > 0x10FFFF) return 0;
  return length;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t length = utf8_sequence_length(s, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

// RFC 5322 atext: what a dot-atom local part may hold besides '.'.
bool is_atext(unsigned char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

bool valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  if (local.find("..") != std::string_view::npos) return false;
  for (unsigned char c : local) {
    if (c != '.' && !is_atext(c)) return false;
  }
  return true;
}

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t end = domain.find('.', start);
    std::string_view label =
        domain.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (unsigned char c : label) {
      bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && c != '-') return false;
    }
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

std::string base64(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(group >> 18) & 0x3F];
    out += kAlphabet[(group >> 12) & 0x3F];
    out += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 0x3F] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[group & 0x3F] : '=';
  }
  return out;
}

// One line of text (without its line end) as quoted-printable physical lines joined by soft
// breaks. `out` receives the encoded bytes, without a final CRLF.
void encode_quoted_printable_line(std::string_view line, std::string& out) {
  std::size_t column = 0;
  for (std::size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    bool last = i + 1 == line.size();
    bool at_line_start = column == 0;
    // '.' and "From " at the start of a physical line are encoded so that neither SMTP
    // dot-stuffing nor mbox "From " quoting has anything to change; trailing white space is
    // encoded because transports may strip it (RFC 2045 section 6.7 rule 3).
    bool encode = c == '=' || c >= 0x7F || (c < 0x20 && c != '\t') || (at_line_start && c == '.') ||
                  (at_line_start && line.substr(i).starts_with("From ")) ||
                  (last && (c == ' ' || c == '\t'));
    std::size_t width = encode ? 3 : 1;
    // A line that continues needs one column for the soft break '='.
    std::size_t limit = last ? kQuotedPrintableLineLength : kQuotedPrintableLineLength - 1;
    if (column + width > limit) {
      out += "=\r\n";
      column = 0;
      continue;  // decide again: the character now starts a physical line
    }
    if (encode) {
      out += '=';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    } else {
      out += static_cast<char>(c);
    }
    column += width;
    ++i;
  }
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

Status validate_address(std::string_view address, std::string_view role) {
  std::string field = "The " + std::string(role) + " address";
  if (has_line_break(address)) {
    return fail(ErrorCode::invalid_input, field + " must not contain line breaks.");
  }
  if (address.empty()) return fail(ErrorCode::invalid_input, field + " is missing.");
  if (address.size() > 254) {
    return fail(ErrorCode::invalid_input, field + " is longer than 254 characters.");
  }
  if (address.find_first_of(" \t") != std::string_view::npos) {
    return fail(ErrorCode::invalid_input, field + " must not contain spaces.");
  }
  std::size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos ||
      !valid_local_part(address.substr(0, at)) || !valid_domain(address.substr(at + 1))) {
    return fail(ErrorCode::invalid_input,
                field + " is not a valid e-mail address (expected the form name@example.org).");
  }
  return {};
}

Status validate_message(const Message& message) {
  AH_TRY_STATUS(validate_address(message.to, "recipient"));
  if (has_line_break(message.subject)) {
    return fail(ErrorCode::invalid_input, "The e-mail subject must not contain line breaks.");
  }
  for (unsigned char c : message.subject) {
    if (is_control(c)) {
      return fail(ErrorCode::invalid_input,
                  "The e-mail subject must not contain control characters.");
    }
  }
  if (!valid_utf8(message.subject)) {
    return fail(ErrorCode::invalid_input, "The e-mail subject is not valid UTF-8 text.");
  }
  if (!valid_utf8(message.text)) {
    return fail(ErrorCode::invalid_input, "The e-mail text is not valid UTF-8.");
  }
  return {};
}

std::string unique_token() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(),
                       device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  std::string token;
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (int nibble = 15; nibble >= 0; --nibble) {
      token += "0123456789abcdef"[(bits >> (nibble * 4)) & 0xF];
    }
  }
  return token;
}

std::string new_message_id(std::string_view from) {
  std::size_t at = from.rfind('@');
  std::string_view domain = at == std::string_view::npos || at + 1 == from.size()
                                ? std::string_view("localhost")
                                : from.substr(at + 1);
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  return "<" + std::string(stamp) + "." + unique_token() + "@" + std::string(domain) + ">";
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  // Names by hand rather than strftime's %a/%b, which follow the process locale.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                std::string(kDays[tm.tm_wday]).c_str(), tm.tm_mday,
                std::string(kMonths[tm.tm_mon]).c_str(), tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string encode_subject(std::string_view subject) {
  constexpr std::string_view kPrefix = "Subject: ";
  bool printable_ascii = true;
  for (unsigned char c : subject) printable_ascii = printable_ascii && c >= 0x20 && c < 0x7F;
  // "=?" in a plain subject would be mistaken for the start of an encoded word by readers.
  if (printable_ascii && kPrefix.size() + subject.size() <= kRecommendedLineLength &&
      subject.find("=?") == std::string_view::npos) {
    return std::string(subject);
  }
  std::string out;
  for (std::size_t i = 0; i < subject.size();) {
    std::size_t end = i;
    while (end < subject.size()) {
      std::size_t length = utf8_sequence_length(subject, end);
      if (length == 0) length = 1;  // callers validate; never loop forever regardless
      if (end + length - i > kEncodedWordBytes) break;
      end += length;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(subject.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = text.find_first_of("\r\n", i);
    std::string_view line =
        text.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    encode_quoted_printable_line(line, out);
    out += "\r\n";  // the text's own line end, or the one every body ends with
    if (end == std::string_view::npos) break;
    i = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  return out;
}

Result<std::string> render_message(const Message& message, std::string_view from,
                                   std::chrono::system_clock::time_point date,
                                   std::string_view message_id) {
  AH_TRY_STATUS(validate_address(from, "sender"));
  AH_TRY_STATUS(validate_message(message));
  if (has_line_break(message_id)) {
    return fail(ErrorCode::internal, "The e-mail could not be prepared.",
                "Message-ID contains a line break");
  }
  std::string out;
  append_header(out, "Date", rfc5322_date(date));
  append_header(out, "From", from);
  append_header(out, "To", message.to);
  append_header(out, "Subject", encode_subject(message.subject));
  append_header(out, "Message-ID", message_id);
  append_header(out, "MIME-Version", "1.0");
  append_header(out, "Content-Type", "text/plain; charset=utf-8");
  append_header(out, "Content-Transfer-Encoding", "quoted-printable");
  out += "\r\n";
  out += quoted_printable(message.text);
  return out;
}

}  // namespace ah::mail
