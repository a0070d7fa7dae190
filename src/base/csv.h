// CSV (RFC 4180): comma-separated fields, optionally in double quotes, "" for a quote
// inside quotes, CRLF or LF line ends. Used to read shipped reference data and imports.
//
//   AH_TRY(table, parse_csv(text));
//   for (const auto& row : table.rows) ... row.at(table.column("ags")) ...
//
// Errors name the line (1-based, counting the header), e.g. "line 7: unterminated quote".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ah {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as wide as the header
  std::vector<int> line_of_row;                // the line each row starts on

  // Index of the column named `name`; -1 when absent.
  int column(std::string_view name) const;
};

// Parses `text` with a header line. Every row must have as many fields as the header.
Result<CsvTable> parse_csv(std::string_view text);

}  // namespace ah
