#include "export/table.h"

#include <cmath>

#include "export/internal/text.h"
#include "web/format.h"

namespace ah::exports {

namespace {

std::string where(std::size_t row, const std::string& column) {
  return "row " + std::to_string(row) + ", column '" + internal::valid_utf8_or_replaced(column) +
         "'";
}

}  // namespace

Status check_table(const Table& table) {
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (!internal::is_valid_utf8(table.columns[c]))
      return fail(ErrorCode::invalid_input,
                  "column " + std::to_string(c + 1) + ": the name is not valid UTF-8");
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    if (row.size() != table.columns.size())
      return fail(ErrorCode::invalid_input, "row " + std::to_string(r + 1) + " has " +
                                                std::to_string(row.size()) + " cells, the header " +
                                                std::to_string(table.columns.size()));
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (const auto* text = std::get_if<std::string>(&row[c]);
          text && !internal::is_valid_utf8(*text))
        return fail(ErrorCode::invalid_input,
                    where(r + 1, table.columns[c]) + ": the text is not valid UTF-8");
      if (const auto* text = std::get_if<std::string>(&row[c]);
          text && text->find('\0') != std::string::npos)
        return fail(ErrorCode::invalid_input,
                    where(r + 1, table.columns[c]) + ": the text contains a NUL character");
      if (const auto* decimal = std::get_if<double>(&row[c]); decimal && !std::isfinite(*decimal))
        return fail(ErrorCode::invalid_input,
                    where(r + 1, table.columns[c]) + ": the decimal is not a finite number");
    }
  }
  return {};
}

WallClock berlin_wall_clock(std::int64_t unix_seconds) {
  const web::BerlinTime b = web::berlin_time(unix_seconds);
  // Berlin's offsets are whole hours, so the seconds are those of UTC.
  const int second = static_cast<int>(((unix_seconds % 60) + 60) % 60);
  return {b.year, b.month, b.day, b.hour, b.minute, second};
}

}  // namespace ah::exports
