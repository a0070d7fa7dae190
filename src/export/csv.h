// CSV for spreadsheets: the Table (table.h) as RFC 4180 text that Excel and LibreOffice open
// with a double click, umlauts and numbers intact.
//
//   AH_TRY(bytes, exports::to_csv(table));  // serve as text/csv; charset=utf-8
//
// What the bytes look like, and why:
// - UTF-8 with a byte order mark: Excel on Windows reads a CSV without one as Windows-1252
//   and turns "Bürgerhaushalt" into "BÃ¼rgerhaushalt". LibreOffice ignores the mark.
// - `;` between fields by default: Excel set to German (as in every Verwaltung here) uses
//   `,` as the decimal mark and therefore splits opened files at `;` only; a comma file
//   would land in one column. Decimals are then written with `,` ("3,5"), timestamps as
//   "26.11.2026 23:18:05", which German Excel reads as numbers and dates. `Separator::comma`
//   gives plain RFC 4180 for other tools: "3.5" and "2026-11-26 23:18:05".
// - CRLF after every record, RFC 4180 quoting: a field with the separator, a quote, CR or LF
//   is put in quotes, and quotes inside are doubled.
// - Formula injection (OWASP "CSV Injection"): a text cell that starts with = + - @ tab or
//   CR would be run as a formula by the spreadsheet, so it gets a leading ' and stays text.
//   Integers and decimals are written as they are: "-5" is a number, not a formula.
//   Column names are text cells too.
#pragma once

#include <string>

#include "base/error.h"
#include "export/table.h"

namespace ah::exports {

enum class Separator {
  semicolon,  // German Excel and LibreOffice (the default); decimal comma
  comma,      // RFC 4180's own; decimal point
};

struct CsvOptions {
  Separator separator = Separator::semicolon;
};

// The table as CSV bytes; the error of check_table (table.h) for a table it cannot write
// faithfully.
Result<std::string> to_csv(const Table& table, CsvOptions options = {});

}  // namespace ah::exports
