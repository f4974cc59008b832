// The report writers: deterministic SVG, skipped non-finite points, escaped Markdown cells.
#include <catch2/catch.hpp>
#include <cmath>

#include "numerics/util/error.hpp"
#include "reports/markdown.hpp"
#include "reports/svg_plot.hpp"

using namespace gradcert::reports;

TEST_CASE("line plots are deterministic and skip unusable points", "[reports]") {
    PlotSpec spec;
    spec.title = "t <&>";
    spec.log_y = true;
    Series s{"a", {1, 2, 3, 4}, {1, -1, NAN, 10}, false, true};
    std::string first = render_line_plot(spec, {s});
    CHECK(first == render_line_plot(spec, {s}));
    CHECK(first.find("t &lt;&amp;&gt;") != std::string::npos);
    // Points 2 (negative on a log axis) and 3 (NaN) are dropped: two markers remain.
    size_t circles = 0;
    for (size_t p = first.find("<circle"); p != std::string::npos; p = first.find("<circle", p + 1))
        ++circles;
    CHECK(circles == 2);
    Series bad{"b", {1, 2}, {1}, false, false};
    CHECK_THROWS_AS(render_line_plot(spec, {bad}), gradcert::InternalError);
}

TEST_CASE("svg plot shades a series' spread and says what it is", "[reports]") {
    PlotSpec spec;
    spec.title = "spread";
    Series s{"a", {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, false, false};
    // Points 1–2 and 4 have a spread (3 and 5 have none: gaps), so one polygon for the run 1–2
    // and one vertical bar for the isolated point 4.
    spec.spreads = {{{0.5, 1.5, NAN, 3.5, NAN}, {1.5, 2.5, NAN, 4.5, NAN}, {}, {}}};
    spec.spread_note = "shaded: min–max over 3 seeds";
    const std::string svg = render_line_plot(spec, {s});
    auto count = [&](const char* what) {
        size_t n = 0;
        for (size_t p = svg.find(what); p != std::string::npos; p = svg.find(what, p + 1)) ++n;
        return n;
    };
    CHECK(count("<polygon") == 1);
    CHECK(count("stroke-width=\"3\"") == 1);  // the isolated point's bar
    CHECK(svg.find("shaded: min–max over 3 seeds") != std::string::npos);
    // The spread widens the y range: 0.5 and 4.5 are inside the frame.
    PlotSpec bare = spec;
    bare.spreads.clear();
    bare.spread_note.clear();
    CHECK(render_line_plot(bare, {s}).find("<polygon") == std::string::npos);
    // Horizontal bars (x_lo, x_hi) for a scatter whose x is an estimate.
    spec.spreads = {{{}, {}, {0.9, 1.9, 2.9, 3.9, 4.9}, {1.1, 2.1, 3.1, 4.1, 5.1}}};
    const std::string xs = render_line_plot(spec, {s});
    size_t bars = 0;
    const std::string bar = "stroke-opacity=\"0.5\" stroke-width=\"2\"";
    for (size_t p = xs.find(bar); p != std::string::npos; p = xs.find(bar, p + 1)) ++bars;
    CHECK(bars == 5);
}

TEST_CASE("markdown tables escape pipes and pad short rows", "[reports]") {
    std::string t = markdown_table({"a", "b"}, {{"x|y"}});
    CHECK(t == "| a | b |\n|---|---|\n| x\\|y |  |\n");
}
