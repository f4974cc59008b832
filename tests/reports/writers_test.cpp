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

TEST_CASE("markdown tables escape pipes and pad short rows", "[reports]") {
    std::string t = markdown_table({"a", "b"}, {{"x|y"}});
    CHECK(t == "| a | b |\n|---|---|\n| x\\|y |  |\n");
}
