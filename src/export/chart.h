// Charts of counts over days (proposals, comments, supports of a process), rendered on the
// server as SVG so they work without JavaScript and under the strict CSP.
//
//   exports::Chart chart{.title = "Beteiligung im Verlauf",
//                        .description = "Vorschläge, Kommentare und Unterstützungen je Tag "
//                                       "vom 1. bis 30. November 2026",
//                        .lang = "de", .x_label = "Tag", .y_label = "Anzahl",
//                        .days = {...}, .series = {{"Vorschläge", {...}}, ...}};
//   AH_TRY(svg, exports::line_chart_svg(chart));      // inline in the page, or image/svg+xml
//   AH_TRY(table, exports::chart_as_table(chart));    // the same data as an HTML table
//
// For people who cannot see the chart, or not its colours:
// - the <svg> has role="img", a <title> and a <desc> (aria-labelledby/aria-describedby);
//   the description should say in words what the chart shows, and the page should offer
//   chart_as_table, the same numbers as a table;
// - series differ by dash pattern and by marker shape (circle, square, triangle, diamond),
//   not only by colour, and a legend repeats pattern and marker; every colour has at least
//   3:1 contrast against white (WCAG 1.4.11);
// - axis labels are in the caller's language: counts by web::format_integer, days by
//   web::format_date.
// For the CSP: presentation attributes (stroke, fill, font-size) only — no style attribute,
// no <style>, no script.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "export/table.h"

namespace ah::exports {

struct ChartSeries {
  std::string name;                  // in the legend and the table header
  std::vector<std::int64_t> values;  // one count (≥ 0) a day of Chart::days
};

struct Chart {
  std::string title;        // <title>: what the chart is
  std::string description;  // <desc>: what it shows, in a sentence or two
  std::string lang = "de";  // of numbers and dates on the axes
  std::string x_label;      // axis titles, e.g. "Tag" and "Anzahl"
  std::string y_label;
  std::vector<std::int64_t> days;   // unix seconds, strictly increasing, shown as the day in
                                    // Europe/Berlin; placed by time, so gaps show as gaps
  std::vector<ChartSeries> series;  // 1 to kMaxSeries
  bool steps = false;               // a step line (the count holds until the next day) instead of
                                    // straight lines between the days
  std::string id = "chart";         // prefix of the SVG's element ids; unique within the page
};

inline constexpr std::size_t kMaxSeries = 4;  // more lines would no longer be told apart

// The chart as an <svg> element (no XML declaration, so it can go inline into HTML);
// invalid_input when the chart is inconsistent (no days, days not increasing, a series with
// more or fewer values than days, negative counts, too many series, an id that is not a
// plain [A-Za-z][A-Za-z0-9_-]* name).
Result<std::string> line_chart_svg(const Chart& chart);

// The same data as a table: the first column the days as text (web::format_date), then one
// integer column a series. Same errors as line_chart_svg.
Result<Table> chart_as_table(const Chart& chart);

}  // namespace ah::exports
