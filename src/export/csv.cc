#include "export/csv.h"

#include <charconv>
#include <cstdio>

namespace ah::exports {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool starts_formula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

void append_field(std::string& out, std::string_view text, char separator) {
  const bool quote = text.find_first_of(std::string{separator, '"', '\r', '\n'}) != text.npos;
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_text(std::string& out, std::string_view text, char separator) {
  if (starts_formula(text)) {
    append_field(out, "'" + std::string(text), separator);
  } else {
    append_field(out, text, separator);
  }
}

std::string decimal_text(double value, char decimal_mark) {
  // The shortest digits that read back as the same double, never with an exponent (which
  // spreadsheets would read differently by locale).
  char buf[400];  // the longest fixed form of a double has 309 digits before the point
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  std::string text(buf, ec == std::errc{} ? end : buf);
  if (decimal_mark != '.') {
    for (char& c : text)
      if (c == '.') c = decimal_mark;
  }
  return text;
}

std::string timestamp_text(Timestamp t, Separator separator) {
  const WallClock w = berlin_wall_clock(t.unix_seconds);
  char buf[40];
  if (separator == Separator::semicolon)
    std::snprintf(buf, sizeof buf, "%02d.%02d.%04d %02d:%02d:%02d", w.day, w.month, w.year, w.hour,
                  w.minute, w.second);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", w.year, w.month, w.day, w.hour,
                  w.minute, w.second);
  return buf;
}

}  // namespace

Result<std::string> to_csv(const Table& table, CsvOptions options) {
  AH_TRY_STATUS(check_table(table));
  const char separator = options.separator == Separator::semicolon ? ';' : ',';
  const char decimal_mark = options.separator == Separator::semicolon ? ',' : '.';

  std::string out(kByteOrderMark);
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (c > 0) out += separator;
    append_text(out, table.columns[c], separator);
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += separator;
      std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::string>)
              append_text(out, value, separator);
            else if constexpr (std::is_same_v<T, std::int64_t>)
              out += std::to_string(value);
            else if constexpr (std::is_same_v<T, double>)
              append_field(out, decimal_text(value, decimal_mark), separator);
            else
              out += timestamp_text(value, options.separator);
          },
          row[c]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace ah::exports
