#include "base/csv.h"

namespace ah {

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

Result<CsvTable> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<int> lines;
  std::vector<std::string> record;
  std::string field;
  int line = 1, record_line = 1;
  bool quoted = false, field_was_quoted = false, at_field_start = true;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
    at_field_start = true;
  };
  auto end_record = [&] {
    end_field();
    if (!(record.size() == 1 && record[0].empty())) {  // skip blank lines
      records.push_back(std::move(record));
      lines.push_back(record_line);
    }
    record.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!at_field_start || field_was_quoted)
        return fail(ErrorCode::invalid_input, "line " + std::to_string(line) +
                                                  ": a quote inside an unquoted field");
      quoted = true;
      field_was_quoted = true;
      at_field_start = false;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // the \n ends the record
    } else if (c == '\n') {
      end_record();
      ++line;
      record_line = line;
    } else {
      if (field_was_quoted)
        return fail(ErrorCode::invalid_input,
                    "line " + std::to_string(line) + ": text after a closing quote");
      field += c;
      at_field_start = false;
    }
  }
  if (quoted) return fail(ErrorCode::invalid_input, "line " + std::to_string(record_line) + ": unterminated quote");
  if (!field.empty() || !record.empty() || field_was_quoted) end_record();
  if (records.empty()) return fail(ErrorCode::invalid_input, "line 1: no header");

  CsvTable table;
  table.header = std::move(records[0]);
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.header.size())
      return fail(ErrorCode::invalid_input,
                  "line " + std::to_string(lines[r]) + ": " + std::to_string(records[r].size()) +
                      " fields, the header has " + std::to_string(table.header.size()));
    table.rows.push_back(std::move(records[r]));
    table.line_of_row.push_back(lines[r]);
  }
  return table;
}

}  // namespace ah
