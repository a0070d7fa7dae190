#include "export/xlsx.h"

#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <utility>

#include "export/internal/text.h"

namespace ah::exports {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxRows = 1'048'576;  // the header row included
constexpr std::size_t kMaxColumns = 16'384;
constexpr std::size_t kMaxCellCharacters = 32'767;
constexpr double kMinWidth = 8, kMaxWidth = 60;  // in characters of the default font

// A private directory for one workbook, removed with everything in it when it goes.
class TempDirectory {
 public:
  static Result<TempDirectory> create() {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "ah-xlsx-XXXXXX").string();
    if (ec || ::mkdtemp(pattern.data()) == nullptr)  // mkdtemp makes it with mode 0700
      return fail(ErrorCode::internal, "The spreadsheet could not be written.",
                  "mkdtemp failed for " + pattern);
    return TempDirectory(pattern);
  }
  TempDirectory(TempDirectory&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempDirectory& operator=(TempDirectory&&) = delete;
  ~TempDirectory() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit TempDirectory(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

// Closes (and so writes) the workbook if to_xlsx returns early; libxlsxwriter has no way to
// drop a workbook without writing it.
struct WorkbookCloser {
  lxw_workbook* workbook;
  ~WorkbookCloser() {
    if (workbook) workbook_close(workbook);
  }
};

std::unexpected<Error> library_error(std::string_view what, lxw_error error) {
  return fail(ErrorCode::internal, "The spreadsheet could not be written.",
              "libxlsxwriter " + std::string(what) + ": " + lxw_strerror(error));
}

// How wide a value shows, in characters, for the column width.
std::size_t shown_width(const Cell& cell) {
  return std::visit(
      [](const auto& value) -> std::size_t {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          std::size_t widest = 0;  // the longest line of a multi-line text
          std::string_view rest = value;
          while (true) {
            const auto end = rest.find('\n');
            widest = std::max(widest, internal::code_points(rest.substr(0, end)));
            if (end == rest.npos) break;
            rest.remove_prefix(end + 1);
          }
          return widest;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(value).size();
        } else if constexpr (std::is_same_v<T, double>) {
          std::ostringstream out;
          out << value;  // about what Excel's General format shows
          return out.str().size();
        } else {
          return 16;  // "26.11.2026 23:18"
        }
      },
      cell);
}

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof())
    return fail(ErrorCode::internal, "The spreadsheet could not be written.",
                "reading " + path.string() + " failed");
  return bytes;
}

}  // namespace

std::string sanitize_sheet_name(std::string_view name) {
  std::string cleaned;
  for (char c : internal::valid_utf8_or_replaced(name)) {
    const bool forbidden = std::string_view("[]:*?/\\").find(c) != std::string_view::npos ||
                           static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
    cleaned += forbidden ? '_' : c;
  }
  std::string_view kept = cleaned;
  while (!kept.empty() && kept.front() == '\'') kept.remove_prefix(1);
  kept = internal::first_code_points(kept, LXW_SHEETNAME_MAX);
  while (!kept.empty() && kept.back() == '\'') kept.remove_suffix(1);
  if (kept.empty()) return "Tabelle1";
  return std::string(kept);
}

Result<std::string> to_xlsx(const Table& table, std::string_view sheet_name) {
  AH_TRY_STATUS(check_table(table));
  if (table.rows.size() + 1 > kMaxRows)
    return fail(ErrorCode::too_large, "Excel takes at most " + std::to_string(kMaxRows - 1) +
                                          " rows; this table has " +
                                          std::to_string(table.rows.size()) + ".");
  if (table.columns.size() > kMaxColumns)
    return fail(ErrorCode::too_large, "Excel takes at most " + std::to_string(kMaxColumns) +
                                          " columns; this table has " +
                                          std::to_string(table.columns.size()) + ".");
  // Column widths, and what Excel cannot hold, before any file is made.
  std::vector<double> widths(table.columns.size(), kMinWidth);
  auto widen = [&](std::size_t column, std::size_t characters) {
    widths[column] = std::clamp(static_cast<double>(characters) + 2, widths[column], kMaxWidth);
  };
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (internal::code_points(table.columns[c]) > kMaxCellCharacters)
      return fail(ErrorCode::too_large, "column " + std::to_string(c + 1) +
                                            ": Excel takes at most 32,767 characters a cell");
    widen(c, shown_width(table.columns[c]));
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const Cell& cell = table.rows[r][c];
      auto refuse = [&](ErrorCode code, std::string_view what) {
        return fail(code, "row " + std::to_string(r + 1) + ", column '" + table.columns[c] +
                              "': " + std::string(what));
      };
      if (const auto* text = std::get_if<std::string>(&cell);
          text && internal::code_points(*text) > kMaxCellCharacters)
        return refuse(ErrorCode::too_large, "Excel takes at most 32,767 characters a cell");
      if (const auto* t = std::get_if<Timestamp>(&cell)) {
        const int year = berlin_wall_clock(t->unix_seconds).year;
        if (year < 1900 || year > 9999)
          return refuse(ErrorCode::invalid_input, "Excel shows dates from 1900 to 9999 only");
      }
      widen(c, shown_width(cell));
    }
  }

  AH_TRY(directory, TempDirectory::create());
  const std::string file = (directory.path() / "export.xlsx").string();
  std::string tmpdir = directory.path().string();  // libxlsxwriter's own temp files go here too
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  WorkbookCloser closer{workbook_new_opt(file.c_str(), &options)};
  if (!closer.workbook)
    return fail(ErrorCode::internal, "The spreadsheet could not be written.",
                "workbook_new_opt failed");
  const std::string name = sanitize_sheet_name(sheet_name);
  lxw_worksheet* sheet = workbook_add_worksheet(closer.workbook, name.c_str());
  if (!sheet)
    return fail(ErrorCode::internal, "The spreadsheet could not be written.",
                "workbook_add_worksheet refused '" + name + "'");
  lxw_format* bold = workbook_add_format(closer.workbook);
  format_set_bold(bold);
  lxw_format* date = workbook_add_format(closer.workbook);
  format_set_num_format(date, "dd.mm.yyyy hh:mm");

  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    if (auto e = worksheet_write_string(sheet, 0, col, table.columns[c].c_str(), bold))
      return library_error("worksheet_write_string", e);
    if (auto e = worksheet_set_column(sheet, col, col, widths[c], nullptr))
      return library_error("worksheet_set_column", e);
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      const lxw_error e = std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::string>) {
              return worksheet_write_string(sheet, row, col, value.c_str(), nullptr);
            } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
              // Excel keeps doubles: integers beyond 2^53 lose their last digits there.
              return worksheet_write_number(sheet, row, col, static_cast<double>(value), nullptr);
            } else {
              const WallClock w = berlin_wall_clock(value.unix_seconds);
              lxw_datetime when{w.year, w.month,  w.day,
                                w.hour, w.minute, static_cast<double>(w.second)};
              return worksheet_write_datetime(sheet, row, col, &when, date);
            }
          },
          table.rows[r][c]);
      if (e) return library_error("writing a cell", e);
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);

  const lxw_error closed = workbook_close(std::exchange(closer.workbook, nullptr));
  if (closed) return library_error("workbook_close", closed);
  return read_file(file);
}

}  // namespace ah::exports
