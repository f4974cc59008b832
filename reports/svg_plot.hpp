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

// The spread of series k's estimates (a seed band or an interval): in y, shaded in its colour
// between lo and hi at its x (a vertical bar for an isolated point); in x, a horizontal bar from
// x_lo to x_hi at each point (for scatter plots whose x is itself an estimate). Empty vectors:
// none. Non-finite ends leave a gap.
struct SeriesSpread {
    std::vector<double> lo;
    std::vector<double> hi;
    std::vector<double> x_lo{};
    std::vector<double> x_hi{};
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
    // spreads[k] belongs to series k (fewer entries than series: the rest have none); the
    // legend's last line is spread_note, saying what the shading is (e.g. "shaded: min–max over
    // the seeds"). A plot of estimates with a spread must say what it is.
    std::vector<SeriesSpread> spreads;
    std::string spread_note;
};

// Renders the plot. Non-finite points (and non-positive ones on a log axis) are skipped and
// break the line there. Throws std::invalid_argument if a series has x/y of different lengths.
std::string render_line_plot(const PlotSpec& spec, const std::vector<Series>& series,
                             const std::vector<Band>& bands = {});

}  // namespace gradcert::reports
