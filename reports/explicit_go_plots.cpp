// Figures of the explicit graduated optimization report (reports/explicit_go_report.hpp).
#include <fmt/format.h>

#include <cmath>

#include "reports/explicit_go_report.hpp"
#include "reports/svg_plot.hpp"

namespace gradcert::reports {

namespace {

using verify::go::ExplicitGoResult;
using verify::go::GoFamilyResult;
using verify::go::SweepResult;
using verify::go::Trajectory;

std::vector<double> stage_axis(std::size_t n) {
    std::vector<double> x;
    for (std::size_t m = 0; m < n; ++m) x.push_back(static_cast<double>(m));
    return x;
}

std::string stages_figure(const GoFamilyResult& f) {
    const auto& run = f.run;
    const auto x = stage_axis(run.calls.size());
    using verify::go::median_by_stage;
    using verify::go::quantile_by_stage;
    std::vector<Series> s;
    s.push_back({"GO median", x, median_by_stage(run.go, &Trajectory::distance), false, true});
    s.push_back(
        {"GO 90% quantile", x, quantile_by_stage(run.go, &Trajectory::distance, 0.9), true});
    s.push_back({"plain GD median (same calls)", x, median_by_stage(run.gd, &Trajectory::distance),
                 false, false});
    s.push_back(
        {"plain GD 90% quantile", x, quantile_by_stage(run.gd, &Trajectory::distance, 0.9), true});
    if (!run.gd_schedule.empty())
        s.push_back({"plain GD with GO's steps, median", x,
                     median_by_stage(run.gd_schedule, &Trajectory::distance), false, false});
    std::vector<double> xm(x.begin() + 1, x.end()), bound;
    for (double d : run.settings.deltas) bound.push_back(1.25 * d);
    s.push_back({"1.25 δ_m (new σ-nice invariant, gap variant; shape only)", xm, bound, true});
    if (!f.stage_targets.empty())
        s.push_back({"GO median distance to x*_{δ_m}", xm,
                     median_by_stage(run.go, &Trajectory::stage_distance), false, false});
    PlotSpec spec;
    // Series 0 (GO median) and 2 (plain GD median): shaded from the 10% to the 90% quantile over
    // the starts; the other series are quantiles or shapes themselves.
    spec.spreads = {{quantile_by_stage(run.go, &Trajectory::distance, 0.1),
                     quantile_by_stage(run.go, &Trajectory::distance, 0.9)},
                    {},
                    {quantile_by_stage(run.gd, &Trajectory::distance, 0.1),
                     quantile_by_stage(run.gd, &Trajectory::distance, 0.9)}};
    spec.spread_note = "shaded: 10%–90% quantiles over the starts (GO, plain GD)";
    spec.title =
        fmt::format("{}: distance to the certified global minimizer per stage", f.spec.name);
    spec.x_label = "stage m (0 = start)";
    spec.y_label = "‖x − x*‖₂ (estimate)";
    spec.log_y = true;
    return render_line_plot(spec, s);
}

std::string calls_figure(const GoFamilyResult& f) {
    const auto& run = f.run;
    std::vector<double> calls;
    for (long c : run.calls) calls.push_back(static_cast<double>(c));
    using verify::go::median_by_stage;
    std::vector<Series> s;
    s.push_back({"GO median", calls, median_by_stage(run.go, &Trajectory::distance), false, true});
    s.push_back({"plain GD median", calls, median_by_stage(run.gd, &Trajectory::distance)});
    if (!run.gd_schedule.empty())
        s.push_back({"plain GD with GO's steps, median", calls,
                     median_by_stage(run.gd_schedule, &Trajectory::distance)});
    using verify::go::quantile_by_stage;
    PlotSpec spec;
    spec.spreads = {{quantile_by_stage(run.go, &Trajectory::distance, 0.1),
                     quantile_by_stage(run.go, &Trajectory::distance, 0.9)},
                    {quantile_by_stage(run.gd, &Trajectory::distance, 0.1),
                     quantile_by_stage(run.gd, &Trajectory::distance, 0.9)}};
    spec.spread_note = "shaded: 10%–90% quantiles over the starts (GO, plain GD)";
    spec.title = fmt::format("{}: distance against cumulative ∇f calls", f.spec.name);
    spec.x_label = "cumulative gradient calls";
    spec.y_label = "median ‖x − x*‖₂ (estimate)";
    spec.log_x = true;
    spec.log_y = true;
    return render_line_plot(spec, s);
}

// Per power: measured final gap against M and the proven shape M^{−p} pinned at the first point
// (the certified exact-solver gap f(x*_{δ_M}) − min f coincides with the measured one to plot
// accuracy here; it is in the report's table).
std::string sweep_gap_figure(const SweepResult& sw) {
    std::vector<Series> s;
    PlotSpec spec;
    for (double p : sw.spec.powers) {
        Series measured{fmt::format("p = {} measured", p), {}, {}, false, true};
        Series bound{fmt::format("p = {} proven shape M^−p (pinned)", p), {}, {}, true, false};
        SeriesSpread spread;
        double pin = NAN;
        for (const auto& pt : sw.points) {
            if (pt.power != p) continue;
            if (std::isnan(pin)) pin = pt.median_gap * std::pow(pt.stages, p);
            measured.x.push_back(pt.stages);
            measured.y.push_back(pt.median_gap);
            spread.lo.push_back(pt.gap_q10);
            spread.hi.push_back(pt.gap_q90);
            bound.x.push_back(pt.stages);
            bound.y.push_back(pin * std::pow(pt.stages, -p));
        }
        s.push_back(measured);
        s.push_back(bound);
        spec.spreads.push_back(spread);
        spec.spreads.push_back({});
    }
    spec.spread_note = "shaded: 10%–90% quantiles of the final gap over the starts";
    spec.title =
        fmt::format("{}: final gap f(x_M) − f* against the stage count M", sw.spec.family.name);
    spec.x_label = "stages M";
    spec.y_label = "median f(x_M) − f*";
    spec.log_x = true;
    spec.log_y = true;
    return render_line_plot(spec, s);
}

// Per power: measured final gap against the calls used (M·T) and the derived work count of
// docs/mathematics.md §5, T·W(M, p) for ε ∝ M^{−p} (constant unknown; pinned at the first point).
std::string sweep_work_figure(const SweepResult& sw) {
    std::vector<Series> s;
    PlotSpec spec;
    for (double p : sw.spec.powers) {
        Series measured{fmt::format("p = {} measured (M·T calls)", p), {}, {}, false, true};
        Series derived{
            fmt::format("p = {} derived T·W(M,p) for ε ∝ M^−p (pinned)", p), {}, {}, true, false};
        SeriesSpread spread;
        double pin = NAN;
        for (const auto& pt : sw.points) {
            if (pt.power != p) continue;
            if (std::isnan(pin)) pin = pt.median_gap * std::pow(pt.stages, p);
            measured.x.push_back(static_cast<double>(pt.calls));
            measured.y.push_back(pt.median_gap);
            spread.lo.push_back(pt.gap_q10);
            spread.hi.push_back(pt.gap_q90);
            derived.x.push_back(sw.spec.base.steps_per_stage * pt.work_count.upper_double());
            derived.y.push_back(pin * std::pow(pt.stages, -p));
        }
        s.push_back(measured);
        s.push_back(derived);
        spec.spreads.push_back(spread);
        spec.spreads.push_back({});
    }
    spec.spread_note = "shaded: 10%–90% quantiles of the final gap over the starts";
    spec.title = fmt::format("{}: final gap against gradient calls", sw.spec.family.name);
    spec.x_label = "gradient calls";
    spec.y_label = "median f(x_M) − f*";
    spec.log_x = true;
    spec.log_y = true;
    return render_line_plot(spec, s);
}

}  // namespace

std::map<std::string, std::string> explicit_go_figures(const ExplicitGoResult& r) {
    std::map<std::string, std::string> out;
    for (const auto& f : r.families) {
        out["explicit_go-" + f.spec.name + "-stages.svg"] = stages_figure(f);
        out["explicit_go-" + f.spec.name + "-calls.svg"] = calls_figure(f);
    }
    if (r.sweep) {
        out["explicit_go-sweep-gap.svg"] = sweep_gap_figure(*r.sweep);
        out["explicit_go-sweep-work.svg"] = sweep_work_figure(*r.sweep);
    }
    return out;
}

}  // namespace gradcert::reports
