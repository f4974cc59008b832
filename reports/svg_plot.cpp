#include "reports/svg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "numerics/util/error.hpp"

namespace gradcert::reports {

namespace {

constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                    "#9467bd", "#8c564b", "#e377c2", "#17becf"};

struct Axis {
    double lo = 0, hi = 1;
    bool log = false;
    double transform(double v) const { return log ? std::log10(v) : v; }
};

bool usable(double v, bool log) {
    return std::isfinite(v) && (!log || v > 0);
}

std::string escape_xml(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// Range of the transformed data, padded a little; a degenerate range is widened.
Axis fit_axis(const std::vector<double>& values, bool log, std::optional<double> lo_clamp,
              std::optional<double> hi_clamp) {
    Axis a;
    a.log = log;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : values) {
        if (!usable(v, log)) continue;
        double t = a.transform(v);
        lo = std::min(lo, t);
        hi = std::max(hi, t);
    }
    if (lo_clamp && usable(*lo_clamp, log)) lo = a.transform(*lo_clamp);
    if (hi_clamp && usable(*hi_clamp, log)) hi = a.transform(*hi_clamp);
    if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
    if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
        lo -= 0.5;
        hi += 0.5;
    }
    if (!lo_clamp && !hi_clamp) {
        double pad = 0.04 * (hi - lo);
        lo -= pad;
        hi += pad;
    }
    a.lo = lo;
    a.hi = hi;
    return a;
}

// About `count` round tick positions in transformed coordinates.
std::vector<double> ticks(const Axis& a, int count) {
    std::vector<double> out;
    if (a.log) {
        for (double e = std::ceil(a.lo); e <= a.hi + 1e-12; e += 1) out.push_back(e);
        if (out.size() >= 2) return out;
    }
    double span = a.hi - a.lo;
    double raw = span / count;
    double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    for (double t = std::ceil(a.lo / step) * step; t <= a.hi + 1e-9 * step; t += step)
        out.push_back(std::abs(t) < 1e-12 * step ? 0.0 : t);
    return out;
}

std::string tick_label(double t, bool log) {
    if (log) {
        if (t == std::round(t)) return fmt::format("1e{:g}", t);
        return fmt::format("{:.3g}", std::pow(10.0, t));
    }
    return fmt::format("{:.4g}", t);
}

struct Frame {
    double left = 70, right = 20, top = 36, bottom = 50;
    int width, height;
    Axis xa, ya;
    double px(double v) const {
        return left + (xa.transform(v) - xa.lo) / (xa.hi - xa.lo) * (width - left - right);
    }
    double py(double v) const {
        return height - bottom -
               (ya.transform(v) - ya.lo) / (ya.hi - ya.lo) * (height - top - bottom);
    }
    bool inside_y(double v) const {
        double t = ya.transform(v);
        return t >= ya.lo - 1e-12 && t <= ya.hi + 1e-12;
    }
};

void draw_axes(std::string& svg, const Frame& f, const PlotSpec& spec) {
    double x0 = f.left, x1 = f.width - f.right, y0 = f.height - f.bottom, y1 = f.top;
    svg += fmt::format(
        "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"none\" "
        "stroke=\"#444\"/>\n",
        x0, y1, x1 - x0, y0 - y1);
    for (double t : ticks(f.xa, 6)) {
        double x = x0 + (t - f.xa.lo) / (f.xa.hi - f.xa.lo) * (x1 - x0);
        svg += fmt::format(
            "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#ddd\"/>"
            "<text x=\"{0:.2f}\" y=\"{3:.2f}\" text-anchor=\"middle\">{4}</text>\n",
            x, y0, y1, y0 + 16, tick_label(t, f.xa.log));
    }
    for (double t : ticks(f.ya, 5)) {
        double y = y0 - (t - f.ya.lo) / (f.ya.hi - f.ya.lo) * (y0 - y1);
        svg += fmt::format(
            "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{2:.2f}\" y2=\"{1:.2f}\" stroke=\"#ddd\"/>"
            "<text x=\"{3:.2f}\" y=\"{4:.2f}\" text-anchor=\"end\">{5}</text>\n",
            x0, y, x1, x0 - 6, y + 4, tick_label(t, f.ya.log));
    }
    svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">{}</text>\n",
                       (x0 + x1) / 2, f.height - 12.0, escape_xml(spec.x_label));
    svg += fmt::format(
        "<text transform=\"translate(16,{:.2f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
        (y0 + y1) / 2, escape_xml(spec.y_label));
    svg += fmt::format(
        "<text x=\"{:.2f}\" y=\"22\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>\n",
        (x0 + x1) / 2, escape_xml(spec.title));
}

void draw_series(std::string& svg, const Frame& f, const Series& s, const char* color) {
    std::string path;
    bool pen_down = false;
    for (size_t i = 0; i < s.x.size(); ++i) {
        bool ok = usable(s.x[i], f.xa.log) && usable(s.y[i], f.ya.log) && f.inside_y(s.y[i]);
        if (!ok) {
            pen_down = false;
            continue;
        }
        path += fmt::format("{}{:.2f},{:.2f} ", pen_down ? "L" : "M", f.px(s.x[i]), f.py(s.y[i]));
        pen_down = true;
        if (s.markers)
            svg += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.5\" fill=\"{}\"/>\n",
                               f.px(s.x[i]), f.py(s.y[i]), color);
    }
    if (!path.empty())
        svg += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.6\"{}/>\n",
                           path, color, s.dashed ? " stroke-dasharray=\"6,4\"" : "");
}

// A closed polygon along hi (left to right) and back along lo, one per run of usable points.
void draw_x_spread(std::string& svg, const Frame& f, const Series& s, const SeriesSpread& sp,
                   const char* color) {
    if (sp.x_lo.size() != s.x.size() || sp.x_hi.size() != s.x.size()) return;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
        if (!usable(sp.x_lo[i], f.xa.log) || !usable(sp.x_hi[i], f.xa.log) ||
            !usable(s.y[i], f.ya.log) || !f.inside_y(s.y[i]))
            continue;
        svg += fmt::format(
            "<line x1=\"{0:.2f}\" y1=\"{2:.2f}\" x2=\"{1:.2f}\" y2=\"{2:.2f}\" stroke=\"{3}\" "
            "stroke-opacity=\"0.5\" stroke-width=\"2\"/>\n",
            f.px(sp.x_lo[i]), f.px(sp.x_hi[i]), f.py(s.y[i]), color);
    }
}

void draw_spread(std::string& svg, const Frame& f, const Series& s, const SeriesSpread& sp,
                 const char* color) {
    draw_x_spread(svg, f, s, sp, color);
    if (sp.lo.size() != s.x.size() || sp.hi.size() != s.x.size()) return;
    auto flush = [&](std::size_t from, std::size_t to) {  // points [from, to)
        if (to <= from) return;
        std::string pts;
        for (std::size_t i = from; i < to; ++i)
            pts += fmt::format("{:.2f},{:.2f} ", f.px(s.x[i]), f.py(sp.hi[i]));
        for (std::size_t i = to; i-- > from;)
            pts += fmt::format("{:.2f},{:.2f} ", f.px(s.x[i]), f.py(sp.lo[i]));
        if (to - from == 1)  // a single point: a vertical bar
            svg += fmt::format(
                "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"{3}\" "
                "stroke-opacity=\"0.5\" stroke-width=\"3\"/>\n",
                f.px(s.x[from]), f.py(sp.hi[from]), f.py(sp.lo[from]), color);
        else
            svg += fmt::format(
                "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.15\" stroke=\"none\"/>\n", pts,
                color);
    };
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.x.size(); ++i) {
        const bool ok = i < s.x.size() && usable(s.x[i], f.xa.log) && usable(sp.lo[i], f.ya.log) &&
                        usable(sp.hi[i], f.ya.log) && f.inside_y(sp.lo[i]) && f.inside_y(sp.hi[i]);
        if (!ok) {
            flush(start, i);
            start = i + 1;
        }
    }
}

void draw_legend(std::string& svg, const Frame& f, const std::vector<Series>& series,
                 const std::vector<Band>& bands, const std::string& spread_note) {
    double x = f.left + 10, y = f.top + 14;
    size_t k = 0;
    for (const Series& s : series) {
        const char* color = kPalette[k++ % std::size(kPalette)];
        svg += fmt::format(
            "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{2:.2f}\" y2=\"{1:.2f}\" stroke=\"{3}\" "
            "stroke-width=\"2\"{4}/><text x=\"{5:.2f}\" y=\"{6:.2f}\">{7}</text>\n",
            x, y, x + 22, color, s.dashed ? " stroke-dasharray=\"6,4\"" : "", x + 28, y + 4,
            escape_xml(s.label));
        y += 16;
    }
    for (const Band& b : bands) {
        if (b.label.empty()) continue;
        svg += fmt::format(
            "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"22\" height=\"10\" fill=\"{}\"/>"
            "<text x=\"{:.2f}\" y=\"{:.2f}\">{}</text>\n",
            x, y - 5, b.color, x + 28, y + 4, escape_xml(b.label));
        y += 16;
    }
    if (!spread_note.empty())
        svg += fmt::format(
            "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"22\" height=\"10\" fill=\"#888\" "
            "fill-opacity=\"0.3\"/><text x=\"{:.2f}\" y=\"{:.2f}\">{}</text>\n",
            x, y - 5, x + 28, y + 4, escape_xml(spread_note));
}

}  // namespace

std::string render_line_plot(const PlotSpec& spec, const std::vector<Series>& series,
                             const std::vector<Band>& bands) {
    std::vector<double> xs, ys;
    for (const Series& s : series) {
        if (s.x.size() != s.y.size())
            throw InternalError("series '" + s.label + "': x and y differ in length");
        xs.insert(xs.end(), s.x.begin(), s.x.end());
        ys.insert(ys.end(), s.y.begin(), s.y.end());
    }
    for (const SeriesSpread& sp : spec.spreads) {
        ys.insert(ys.end(), sp.lo.begin(), sp.lo.end());
        ys.insert(ys.end(), sp.hi.begin(), sp.hi.end());
        xs.insert(xs.end(), sp.x_lo.begin(), sp.x_lo.end());
        xs.insert(xs.end(), sp.x_hi.begin(), sp.x_hi.end());
    }
    Frame f;
    f.width = spec.width;
    f.height = spec.height;
    f.xa = fit_axis(xs, spec.log_x, std::nullopt, std::nullopt);
    f.ya = fit_axis(ys, spec.log_y, spec.y_min, spec.y_max);
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
        "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"11\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        spec.width, spec.height);
    for (const Band& b : bands) {
        double a = std::clamp(f.px(b.x0), f.left, f.width - f.right);
        double c = std::clamp(f.px(b.x1), f.left, f.width - f.right);
        if (c > a)
            svg += fmt::format(
                "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" "
                "fill=\"{}\"/>\n",
                a, f.top, c - a, f.height - f.top - f.bottom, b.color);
    }
    draw_axes(svg, f, spec);
    for (std::size_t k = 0; k < series.size() && k < spec.spreads.size(); ++k)
        draw_spread(svg, f, series[k], spec.spreads[k], kPalette[k % std::size(kPalette)]);
    size_t k = 0;
    for (const Series& s : series) draw_series(svg, f, s, kPalette[k++ % std::size(kPalette)]);
    draw_legend(svg, f, series, bands, spec.spread_note);
    svg += "</svg>\n";
    return svg;
}

}  // namespace gradcert::reports
