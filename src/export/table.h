// Table: the one neutral model of data that leaves augenhoehe as a file (CSV, XLSX) or as
// the table alternative of a chart. A page or export job fills it; the writers in csv.h and
// xlsx.h turn it into bytes. Keeping one model means every format gets the same columns,
// the same types and the same times.
//
//   exports::Table table{{"Titel", "Unterstützungen", "Eingereicht"}, {}};
//   table.rows.push_back({std::string("Radweg Magdeburger Straße"), std::int64_t{42},
//                         exports::Timestamp{1'764'195'480}});
//   AH_TRY(csv, exports::to_csv(table));
//
// A cell is text, an integer, a decimal or a timestamp. Timestamps are instants (unix
// seconds) and are always shown as wall-clock time in Europe/Berlin, where the platform's
// people are; the conversion is `berlin_wall_clock` below and nowhere else in this library.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/error.h"

namespace ah::exports {

// An instant, shown as the date and time in Europe/Berlin.
struct Timestamp {
  std::int64_t unix_seconds = 0;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

// Text (UTF-8), integer, decimal or timestamp. A number is a number in every format: CSV
// writes it unquoted, XLSX as a numeric cell, so spreadsheets can sum and sort it.
using Cell = std::variant<std::string, std::int64_t, double, Timestamp>;

struct Table {
  std::vector<std::string> columns;     // the header row
  std::vector<std::vector<Cell>> rows;  // each exactly as wide as `columns`
};

// What every writer checks before it writes a byte, so that bad input is an error and never
// a silently shifted or truncated file: every row as wide as the header, text (header
// included) valid UTF-8, cell text without NUL (which spreadsheets cut off), decimals finite. The
// message names the row (1-based, the header not counted) and the column, e.g. "row 3, column
// 'Titel': the text is not valid UTF-8".
Status check_table(const Table& table);

// The wall-clock time in Europe/Berlin at an instant (rules of web::berlin_time).
struct WallClock {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};
WallClock berlin_wall_clock(std::int64_t unix_seconds);

}  // namespace ah::exports
