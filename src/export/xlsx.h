// XLSX for Excel and LibreOffice: the Table (table.h) as a workbook with one sheet, written
// with libxlsxwriter.
//
//   AH_TRY(bytes, exports::to_xlsx(table, "Vorschläge"));
//   // serve as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//
// The sheet: the column names in a bold first row that stays in view when scrolling (frozen
// pane); column widths from the longest value in each column; integers and decimals as
// numeric cells; timestamps as real Excel dates (Berlin wall-clock time, shown as
// "26.11.2026 23:18"), so they sort and filter as dates; text as strings, never as formulas,
// which is why XLSX needs no protection against formula injection.
//
// libxlsxwriter writes only to files: the workbook is written in a fresh private directory
// (mode 0700) under the system temp dir, read back and removed in every case.
//
// Excel's limits are errors, not silent truncation: 1,048,575 data rows, 16,384 columns,
// 32,767 characters a cell.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "export/table.h"

namespace ah::exports {

// The bytes of an .xlsx file, or the error of check_table (table.h), an Excel limit, or an
// internal error when the temp file cannot be written.
Result<std::string> to_xlsx(const Table& table, std::string_view sheet_name);

// A name Excel accepts for a sheet, made from `name`: [ ] : * ? / \ and control characters
// become "_", a leading or trailing ' is dropped, invalid UTF-8 becomes U+FFFD, then at most
// 31 characters are kept; "Tabelle1" when nothing is left. to_xlsx applies it.
std::string sanitize_sheet_name(std::string_view name);

}  // namespace ah::exports
