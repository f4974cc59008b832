#pragma once
// Deterministic SVG line plots (same input → same bytes): axes with ticks, several series,
// optional log scales, a legend and optional shaded vertical bands. No external dependencies.
#include <optional>
#include <string>
#include <vector>

namespace gradcert::reports {

struct Series {
    std::string label;
    std::vector<double> x;
    std::vector<double> y;
    bool dashed = false;
    bool markers = false;  // draw a dot at every point (for sparse data)
};

// A shaded interval [x0, x1] of the x axis, e.g. the δ range where a condition fails.
struct Band {
    double x0 = 0;
    double x1 = 0;
    std::string label;
    std::string color = "#f4cccc";
};

struct PlotSpec {
    std::string title;
    std::string x_label;
    std::string y_label;
    bool log_x = false;
    bool log_y = false;
    std::optional<double> y_min;  // clamp the y range (values outside are clipped)
    std::optional<double> y_max;
    int width = 640;
    int height = 400;
};

// Renders the plot. Non-finite points (and non-positive ones on a log axis) are skipped and
// break the line there. Throws std::invalid_argument if a series has x/y of different lengths.
std::string render_line_plot(const PlotSpec& spec, const std::vector<Series>& series,
                             const std::vector<Band>& bands = {});

}  // namespace gradcert::reports
