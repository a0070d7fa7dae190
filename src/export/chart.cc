#include "export/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "export/internal/text.h"
#include "web/format.h"

namespace ah::exports {

namespace {

using internal::xml_escape;

// What tells the series apart: colour (each ≥ 3:1 against white), dash pattern and marker.
enum class Marker { circle, square, triangle, diamond };
struct SeriesStyle {
  const char* colour;
  const char* dashes;  // stroke-dasharray; "" for a solid line
  Marker marker;
};
constexpr SeriesStyle kStyles[kMaxSeries] = {
    {"#0b5394", "", Marker::circle},          // blue, solid, 7.8:1
    {"#b45309", "8 4", Marker::square},       // amber, dashed, 5.0:1
    {"#15803d", "2 3", Marker::triangle},     // green, dotted, 5.0:1
    {"#6b21a8", "12 4 3 4", Marker::diamond}  // purple, dash-dot, 8.7:1
};

constexpr const char* kInk = "#1a1a1a";   // axes and text, 17:1
constexpr const char* kGrid = "#d4d4d4";  // helper lines only; not needed to read values

// The drawing, in viewBox units. The SVG scales to its container; the legend grows downwards
// with the number of series.
constexpr double kWidth = 640, kLeft = 72, kRight = kWidth - 48, kTop = 20, kBottom = 240;
constexpr double kLegendTop = kBottom + 72, kLegendRow = 24;
constexpr std::size_t kMaxXTicks = 6, kMaxMarkers = 31;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

Status check_chart(const Chart& chart) {
  auto bad = [](std::string message) { return fail(ErrorCode::invalid_input, std::move(message)); };
  if (chart.id.empty() || !std::isalpha(static_cast<unsigned char>(chart.id[0])) ||
      !std::all_of(chart.id.begin(), chart.id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      }))
    return bad("The chart id must be a plain name of letters, digits, - and _");
  if (chart.days.empty()) return bad("A chart needs at least one day");
  for (std::size_t i = 1; i < chart.days.size(); ++i)
    if (chart.days[i] <= chart.days[i - 1])
      return bad("The chart's days must be strictly increasing (day " + std::to_string(i + 1) +
                 " is not after day " + std::to_string(i) + ")");
  if (chart.series.empty() || chart.series.size() > kMaxSeries)
    return bad("A chart shows 1 to " + std::to_string(kMaxSeries) + " series, not " +
               std::to_string(chart.series.size()));
  for (const auto& series : chart.series) {
    const std::string name = "Series '" + internal::valid_utf8_or_replaced(series.name) + "'";
    if (series.values.size() != chart.days.size())
      return bad(name + " has " + std::to_string(series.values.size()) + " values for " +
                 std::to_string(chart.days.size()) + " days");
    if (std::any_of(series.values.begin(), series.values.end(), [](auto v) { return v < 0; }))
      return bad(name + " has a negative count");
  }
  return {};
}

// A step of 1, 2 or 5 times a power of ten that divides [0, max] into at most 5 intervals.
std::int64_t nice_step(std::int64_t max) {
  for (std::int64_t power = 1;; power *= 10) {
    for (std::int64_t factor : {1, 2, 5})
      if (max <= factor * power * 5) return factor * power;
    if (power > INT64_MAX / 100) return power * 10;  // counts this large do not occur
  }
}

std::string marker_shape(Marker marker, double x, double y, const char* colour) {
  const std::string fill = std::string(" fill=\"") + colour + "\"/>";
  switch (marker) {
    case Marker::circle:
      return "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"4\"" + fill;
    case Marker::square:
      return "<rect x=\"" + num(x - 3.5) + "\" y=\"" + num(y - 3.5) +
             "\" width=\"7\" height=\"7\"" + fill;
    case Marker::triangle:
      return "<path d=\"M" + num(x) + " " + num(y - 5) + "L" + num(x + 4.5) + " " + num(y + 3.5) +
             "L" + num(x - 4.5) + " " + num(y + 3.5) + "Z\"" + fill;
    case Marker::diamond:
      return "<path d=\"M" + num(x) + " " + num(y - 5) + "L" + num(x + 5) + " " + num(y) + "L" +
             num(x) + " " + num(y + 5) + "L" + num(x - 5) + " " + num(y) + "Z\"" + fill;
  }
  return {};
}

std::string text(double x, double y, std::string_view anchor, std::string_view content,
                 std::string_view extra = {}) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + std::string(anchor) +
         "\"" + std::string(extra) + ">" + xml_escape(content) + "</text>\n";
}

}  // namespace

Result<std::string> line_chart_svg(const Chart& chart) {
  AH_TRY_STATUS(check_chart(chart));
  const std::size_t n = chart.days.size();
  std::int64_t max = 0;
  for (const auto& series : chart.series)
    max = std::max(max, *std::max_element(series.values.begin(), series.values.end()));
  const std::int64_t step = nice_step(std::max<std::int64_t>(max, 1));
  const std::int64_t top = (std::max<std::int64_t>(max, 1) + step - 1) / step * step;

  const double span = static_cast<double>(chart.days.back() - chart.days.front());
  auto x_of = [&](std::size_t i) {
    if (n == 1) return (kLeft + kRight) / 2;
    return kLeft +
           static_cast<double>(chart.days[i] - chart.days.front()) / span * (kRight - kLeft);
  };
  auto y_of = [&](std::int64_t v) {
    return kBottom - static_cast<double>(v) / static_cast<double>(top) * (kBottom - kTop);
  };

  const double height = kLegendTop + kLegendRow * static_cast<double>(chart.series.size());
  const std::string title_id = chart.id + "-title", desc_id = chart.id + "-desc";
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(kWidth) + " " +
                    num(height) + "\" role=\"img\" aria-labelledby=\"" + title_id +
                    "\" aria-describedby=\"" + desc_id +
                    "\" font-family=\"sans-serif\" font-size=\"13\" fill=\"" + kInk + "\">\n";
  out += "<title id=\"" + title_id + "\">" + xml_escape(chart.title) + "</title>\n";
  out += "<desc id=\"" + desc_id + "\">" + xml_escape(chart.description) + "</desc>\n";

  // Y axis: grid lines and counts.
  for (std::int64_t v = 0; v <= top; v += step) {
    const std::string y = num(y_of(v));
    out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + y + "\" x2=\"" + num(kRight) + "\" y2=\"" + y +
           "\" stroke=\"" + (v == 0 ? kInk : kGrid) + "\" stroke-width=\"1\"/>\n";
    out += text(kLeft - 8, y_of(v) + 4, "end", web::format_integer(v, chart.lang));
  }
  out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop) + "\" x2=\"" + num(kLeft) +
         "\" y2=\"" + num(kBottom) + "\" stroke=\"" + kInk + "\" stroke-width=\"1\"/>\n";
  out += text(18, (kTop + kBottom) / 2, "middle", chart.y_label,
              " transform=\"rotate(-90 18 " + num((kTop + kBottom) / 2) + ")\"");

  // X axis: up to kMaxXTicks days, evenly spread over the list, first and last included.
  std::vector<std::size_t> ticks;
  if (n <= kMaxXTicks) {
    for (std::size_t i = 0; i < n; ++i) ticks.push_back(i);
  } else {
    for (std::size_t k = 0; k < kMaxXTicks; ++k)
      ticks.push_back((k * (n - 1) + (kMaxXTicks - 1) / 2) / (kMaxXTicks - 1));
  }
  for (std::size_t i : ticks) {
    const std::string x = num(x_of(i));
    out += "<line x1=\"" + x + "\" y1=\"" + num(kBottom) + "\" x2=\"" + x + "\" y2=\"" +
           num(kBottom + 5) + "\" stroke=\"" + kInk + "\" stroke-width=\"1\"/>\n";
    out += text(x_of(i), kBottom + 22, "middle", web::format_date(chart.days[i], chart.lang));
  }
  out += text((kLeft + kRight) / 2, kBottom + 46, "middle", chart.x_label);

  // The series, then the legend with the same pattern and marker.
  const std::size_t marker_every = (n + kMaxMarkers - 1) / kMaxMarkers;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const SeriesStyle& style = kStyles[s];
    const auto& values = chart.series[s].values;
    std::string path = "M" + num(x_of(0)) + " " + num(y_of(values[0]));
    for (std::size_t i = 1; i < n; ++i) {
      if (chart.steps)
        path += "H" + num(x_of(i)) + "V" + num(y_of(values[i]));
      else
        path += "L" + num(x_of(i)) + " " + num(y_of(values[i]));
    }
    const std::string stroke =
        std::string(" stroke=\"") + style.colour + "\" stroke-width=\"2.5\"" +
        (*style.dashes ? std::string(" stroke-dasharray=\"") + style.dashes + "\"" : std::string());
    out += "<path d=\"" + path + "\" fill=\"none\"" + stroke + "/>\n";
    for (std::size_t i = 0; i < n; ++i)
      if (i % marker_every == 0 || i == n - 1)
        out += marker_shape(style.marker, x_of(i), y_of(values[i]), style.colour) + "\n";

    const double y = kLegendTop + kLegendRow * static_cast<double>(s);
    out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kLeft + 40) +
           "\" y2=\"" + num(y) + "\"" + stroke + "/>\n";
    out += marker_shape(style.marker, kLeft + 20, y, style.colour) + "\n";
    out += text(kLeft + 52, y + 4, "start", chart.series[s].name);
  }
  out += "</svg>\n";
  return out;
}

Result<Table> chart_as_table(const Chart& chart) {
  AH_TRY_STATUS(check_chart(chart));
  Table table;
  table.columns.push_back(internal::valid_utf8_or_replaced(chart.x_label));
  for (const auto& series : chart.series)
    table.columns.push_back(internal::valid_utf8_or_replaced(series.name));
  for (std::size_t i = 0; i < chart.days.size(); ++i) {
    std::vector<Cell> row{web::format_date(chart.days[i], chart.lang)};
    for (const auto& series : chart.series) row.emplace_back(series.values[i]);
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace ah::exports
