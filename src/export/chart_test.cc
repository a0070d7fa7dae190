#include "export/chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>

#include "export/test_tools.h"

namespace ah::exports {
namespace {

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kFirst = 1'795'651'200;  // 26 Nov 2026 00:00 UTC, 01:00 in Berlin

Chart sample(std::size_t days = 5) {
  Chart chart{.title = "Beteiligung im Verlauf",
              .description = "Vorschläge & Kommentare je Tag <Testdaten>",
              .lang = "de",
              .x_label = "Tag",
              .y_label = "Anzahl",
              .id = "verlauf"};
  for (std::size_t i = 0; i < days; ++i)
    chart.days.push_back(kFirst + static_cast<std::int64_t>(i) * kDay);
  chart.series = {{"Vorschläge", {}}, {"Kommentare", {}}, {"Unterstützungen", {}}};
  for (std::size_t i = 0; i < days; ++i) {
    chart.series[0].values.push_back(static_cast<std::int64_t>(i));
    chart.series[1].values.push_back(static_cast<std::int64_t>(3 * i));
    chart.series[2].values.push_back(static_cast<std::int64_t>(300 * i));
  }
  return chart;
}

std::vector<std::string> all(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    found.push_back((*it)[1]);
  return found;
}

double contrast_against_white(const std::string& hex) {
  auto channel = [&](int at) {
    const double c = std::stoi(hex.substr(at, 2), nullptr, 16) / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  const double luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

TEST(LineChartSvg, IsWellFormedAndNamedForScreenReaders) {
  auto svg = line_chart_svg(sample());
  ASSERT_TRUE(svg) << svg.error().message;
  const auto problem = testing::xml_problem(*svg);
  AH_REQUIRE_TOOL(problem != testing::kNoXmlParser,
                  "an XML parser (xmllint from Debian libxml2-utils, or python3)");
  EXPECT_EQ(problem, std::nullopt) << *svg;
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "));
  EXPECT_NE(svg->find(" role=\"img\" aria-labelledby=\"verlauf-title\" "
                      "aria-describedby=\"verlauf-desc\""),
            svg->npos);
  EXPECT_NE(svg->find("<title id=\"verlauf-title\">Beteiligung im Verlauf</title>"), svg->npos);
  EXPECT_NE(svg->find("<desc id=\"verlauf-desc\">Vorschläge &amp; Kommentare je Tag "
                      "&lt;Testdaten&gt;</desc>"),
            svg->npos);
}

TEST(LineChartSvg, KeepsToTheContentSecurityPolicy) {
  auto svg = line_chart_svg(sample(60));
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->find("style"), svg->npos);  // neither style= nor <style>
  EXPECT_EQ(svg->find("<script"), svg->npos);
  EXPECT_EQ(svg->find(" on"), svg->npos);  // no event handler attributes
  EXPECT_EQ(svg->find("href"), svg->npos);
}

TEST(LineChartSvg, SeriesDifferByMoreThanColour) {
  Chart chart = sample();
  chart.series.push_back({"Vierte", {1, 1, 1, 1, 1}});
  auto svg = line_chart_svg(chart);
  ASSERT_TRUE(svg);
  const auto lines = all(*svg, "<path d=\"M[^\"]*\" fill=\"none\" stroke=\"([^\"]*)\"");
  ASSERT_EQ(lines.size(), 4u);
  for (const auto& colour : lines)
    EXPECT_GE(contrast_against_white(colour), 3.0) << colour;  // WCAG 1.4.11
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), 4u);
  // Dash patterns: one solid line and three different patterns, for the lines and legend.
  const auto dashes = all(*svg, "stroke-dasharray=\"([^\"]*)\"");
  EXPECT_EQ(dashes.size(), 6u);
  EXPECT_EQ(std::set<std::string>(dashes.begin(), dashes.end()).size(), 3u);
  // Markers: 5 days + 1 in the legend for each series, each series its own shape.
  EXPECT_EQ(all(*svg, "(<circle )").size(), 6u);
  EXPECT_EQ(all(*svg, "(<rect )").size(), 6u);
  EXPECT_EQ(all(*svg, "<path d=\"M[^\"]*Z\" fill=\"(#[0-9a-f]{6})\"").size(), 12u);
  // The legend names every series.
  for (const char* name : {"Vorschläge", "Kommentare", "Unterstützungen", "Vierte"})
    EXPECT_NE(svg->find(std::string(">") + name + "</text>"), svg->npos) << name;
}

TEST(LineChartSvg, AxesAreLabelledInTheCallersLanguage) {
  auto de = line_chart_svg(sample());  // counts up to 1200
  ASSERT_TRUE(de);
  // Steps of 1, 2 or 5 times a power of ten, at most 5 intervals; the axis ends at the first
  // tick at or above the largest count.
  for (const char* label :
       {">0</text>", ">500</text>", ">1.000</text>", ">1.500</text>", ">26.11.2026</text>",
        ">30.11.2026</text>", ">Tag</text>", ">Anzahl</text>"})
    EXPECT_NE(de->find(label), de->npos) << label;
  EXPECT_EQ(de->find(">2.000</text>"), de->npos);

  Chart chart = sample();
  chart.lang = "en";
  auto en = line_chart_svg(chart);
  ASSERT_TRUE(en);
  for (const char* label : {">1,500</text>", ">26 Nov 2026</text>", ">30 Nov 2026</text>"})
    EXPECT_NE(en->find(label), en->npos) << label;
}

TEST(LineChartSvg, ShowsAtMostSixDaysOnTheAxis) {
  auto svg = line_chart_svg(sample(30));
  ASSERT_TRUE(svg);
  const auto dates = all(*svg, ">(\\d\\d\\.\\d\\d\\.\\d{4})</text>");
  EXPECT_EQ(dates, (std::vector<std::string>{"26.11.2026", "02.12.2026", "08.12.2026", "13.12.2026",
                                             "19.12.2026", "25.12.2026"}));
}

TEST(LineChartSvg, DrawsStepsWhenAsked) {
  Chart chart = sample();
  chart.steps = true;
  auto steps = line_chart_svg(chart);
  ASSERT_TRUE(steps);
  const auto path = all(*steps, "<path d=\"(M[^\"]*)\" fill=\"none\"");
  ASSERT_EQ(path.size(), 3u);
  EXPECT_NE(path[0].find('H'), std::string::npos);
  EXPECT_NE(path[0].find('V'), std::string::npos);
  EXPECT_EQ(path[0].find('L'), std::string::npos);
  chart.steps = false;
  EXPECT_EQ(all(*line_chart_svg(chart), "<path d=\"(M[^\"HV]*L[^\"HV]*)\" fill=\"none\"").size(),
            3u);
}

TEST(LineChartSvg, ASingleDayAndAllZerosStillDraw) {
  Chart chart = sample(1);
  chart.series[2].values = {0};
  auto svg = line_chart_svg(chart);
  ASSERT_TRUE(svg) << svg.error().message;
  EXPECT_EQ(svg->find("nan"), svg->npos);
  EXPECT_EQ(svg->find("inf"), svg->npos);
  EXPECT_NE(svg->find(">1</text>"), svg->npos);  // the axis reaches 1 at least
}

TEST(LineChartSvg, RefusesAnInconsistentChart) {
  auto refused = [](auto change) {
    Chart chart = sample();
    change(chart);
    auto svg = line_chart_svg(chart);
    auto table = chart_as_table(chart);
    EXPECT_EQ(bool(svg), bool(table));
    return svg ? std::string("accepted") : svg.error().message;
  };
  EXPECT_EQ(refused([](Chart& c) { c.series[1].values.pop_back(); }),
            "Series 'Kommentare' has 4 values for 5 days");
  EXPECT_EQ(refused([](Chart& c) { c.days[2] = c.days[1]; }),
            "The chart's days must be strictly increasing (day 3 is not after day 2)");
  EXPECT_EQ(refused([](Chart& c) { c.series[0].values[0] = -1; }),
            "Series 'Vorschläge' has a negative count");
  EXPECT_EQ(refused([](Chart& c) {
              c.series.push_back({"4", {0, 0, 0, 0, 0}});
              c.series.push_back({"5", {0, 0, 0, 0, 0}});
            }),
            "A chart shows 1 to 4 series, not 5");
  EXPECT_EQ(refused([](Chart& c) { c.series.clear(); }), "A chart shows 1 to 4 series, not 0");
  EXPECT_EQ(refused([](Chart& c) {
              c.days.clear();
              for (auto& s : c.series) s.values.clear();
            }),
            "A chart needs at least one day");
  EXPECT_EQ(refused([](Chart& c) { c.id = "a\" onload=\"x"; }),
            "The chart id must be a plain name of letters, digits, - and _");
  EXPECT_EQ(refused([](Chart& c) { c.id = "1a"; }),
            "The chart id must be a plain name of letters, digits, - and _");
}

TEST(ChartAsTable, HoldsEveryDataPoint) {
  auto table = chart_as_table(sample());
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->columns,
            (std::vector<std::string>{"Tag", "Vorschläge", "Kommentare", "Unterstützungen"}));
  ASSERT_EQ(table->rows.size(), 5u);
  EXPECT_EQ(table->rows[0], (std::vector<Cell>{std::string("26.11.2026"), std::int64_t{0},
                                               std::int64_t{0}, std::int64_t{0}}));
  EXPECT_EQ(table->rows[4], (std::vector<Cell>{std::string("30.11.2026"), std::int64_t{4},
                                               std::int64_t{12}, std::int64_t{1200}}));
  EXPECT_TRUE(check_table(*table));
}

}  // namespace
}  // namespace ah::exports
