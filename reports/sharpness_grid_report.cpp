#include "reports/sharpness_grid_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "numerics/engine/data_load.hpp"
#include "reports/experiment_page.hpp"
#include "reports/markdown.hpp"
#include "reports/sgd_experiment_report.hpp"
#include "reports/svg_plot.hpp"
#include "verify/claims/sharpness_grid_claims.hpp"
#include "verify/empirical/report_support.hpp"

namespace fs = std::filesystem;
using gradcert::verify::Evidence;
using gradcert::verify::GridPoint;
using gradcert::verify::sig;

namespace gradcert::reports {

namespace {

const char* const kName = "sharpness_grid";

std::string grid_table(const verify::SharpnessGridResult& r) {
    std::vector<std::vector<std::string>> rows;
    for (const GridPoint& p : r.points)
        rows.push_back(
            {sig(p.lr), std::to_string(p.batch), std::to_string(p.seed), std::to_string(p.updates),
             verify::with_interval(p.delta, p.delta_lo, p.delta_hi, 3), sig(p.lambda_max),
             sig(p.lambda_relative_change, 2), sig(p.sharpness), sig(p.adaptive_sharpness),
             sig(p.train_loss), sig(p.test_acc), std::string(engine::run_status_name(p.status)),
             !verify::usable_grid_point(r, p) ? "no"
             : p.refinement                   ? "accuracy fit only (second stage)"
                                              : "yes"});
    return markdown_table(
        {"η", "b", "seed", "updates", "δ̂ [t-CI]", "λ_max", "λ rel. change", "ε-sharpness (%)",
         "adaptive sharpness", "train loss", "test acc", "status", "in statistics"},
        rows);
}

// The 95% Wilson interval of a proportion p measured on n examples (binomial sampling of the
// test set only; the run-to-run spread is not in it).
std::pair<double, double> wilson_interval(double p, int n) {
    if (n < 1 || !std::isfinite(p)) return {NAN, NAN};
    const double z = 1.959963984540054, z2 = z * z, nn = n;
    const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    const double half = z / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    return {centre - half, centre + half};
}

// One series per batch size, points sorted by δ̂; each point with δ̂'s t-interval in x and, for
// the test accuracy, its binomial interval in y.
std::vector<Series> by_batch(const verify::SharpnessGridResult& r, double GridPoint::*y,
                             PlotSpec& spec) {
    std::map<int, std::vector<const GridPoint*>> groups;
    for (const GridPoint& p : r.points) groups[p.batch].push_back(&p);
    std::vector<Series> series;
    const bool accuracy = y == &GridPoint::test_acc;
    for (auto& [b, ps] : groups) {
        std::sort(ps.begin(), ps.end(),
                  [](const GridPoint* a, const GridPoint* c) { return a->delta < c->delta; });
        Series s{fmt::format("b = {}", b), {}, {}, false, true};
        SeriesSpread spread;
        for (const GridPoint* p : ps) {
            s.x.push_back(p->delta);
            s.y.push_back(p->*y);
            spread.x_lo.push_back(p->delta_lo);
            spread.x_hi.push_back(p->delta_hi);
            if (accuracy) {
                const auto [lo, hi] = wilson_interval(p->test_acc, r.test_examples);
                spread.lo.push_back(lo);
                spread.hi.push_back(hi);
            }
        }
        series.push_back(s);
        spec.spreads.push_back(spread);
    }
    spec.spread_note =
        accuracy ? fmt::format(
                       "bars: δ̂'s t-interval; accuracy's 95% binomial interval ({} test "
                       "examples); one run per point and seed",
                       r.test_examples)
                 : "bars: δ̂'s t-interval; one run per point and seed, the y estimate has no "
                   "interval (seeds are separate points)";
    return series;
}

std::string scatter_figure(const verify::SharpnessGridResult& r, double GridPoint::*y,
                           const std::string& title, const std::string& y_label, bool log_y) {
    PlotSpec spec;
    spec.title = title;
    spec.x_label = "δ̂ = ηĈ/√b at the final weights";
    spec.y_label = y_label;
    spec.log_x = true;
    spec.log_y = log_y;
    const std::vector<Series> series = by_batch(r, y, spec);
    return render_line_plot(spec, series);
}

std::string accuracy_figure(const verify::SharpnessGridResult& r) {
    PlotSpec spec;
    std::vector<Series> series = by_batch(r, &GridPoint::test_acc, spec);
    const auto& q = r.accuracy_fit;
    if (q.n > 0) {
        double lo = INFINITY, hi = -INFINITY;
        for (const GridPoint& p : r.points)
            if (p.delta > 0 && std::isfinite(p.delta)) {
                lo = std::min(lo, std::log10(p.delta));
                hi = std::max(hi, std::log10(p.delta));
            }
        Series fit{"quadratic fit in log₁₀ δ̂", {}, {}, true, false};
        for (int i = 0; i <= 40; ++i) {
            const double t = lo + (hi - lo) * i / 40.0;
            fit.x.push_back(std::pow(10.0, t));
            fit.y.push_back(q.c0 + q.c1 * t + q.c2 * t * t);
        }
        series.push_back(fit);
    }
    spec.title = "Test accuracy against δ̂ (estimates)";
    spec.x_label = "δ̂ = ηĈ/√b at the final weights";
    spec.y_label = "test accuracy";
    spec.log_x = true;
    return render_line_plot(spec, series, {{0.1, 1.0, "δ ∈ [0.1, 1] (paper's peak)", "#d9ead3"}});
}

}  // namespace

ExperimentPage sharpness_grid_page(const verify::SharpnessGridResult& result) {
    using namespace verify;
    const std::string name = reports::kName;
    ExperimentPage page;
    page.method =
        "**Method.** Every grid point trains with constant η and b for the same number of "
        "epochs, so small b also means more updates: δ, batch size and training length are "
        "confounded, as in the paper's own comparison. λ_max is a power-iteration estimate on "
        "finite-difference Hessian-vector products (\"λ rel. change\" is its last relative "
        "change, a convergence indicator); ε-sharpness is a lower estimate of the maximum loss "
        "increase in the box |z_i| ≤ ε(|x_i| + 1) (in % of 1 + loss), adaptive ℓ∞ sharpness "
        "(the paper's measure) a lower estimate of the maximum loss increase in the box "
        "|z_i| ≤ ρ|x_i|. Rank correlations are Spearman's ρ with percentile-bootstrap "
        "intervals over grid points (points are not independent replicates, so the "
        "intervals are indicative). The concavity test fits accuracy ≈ c₀ + c₁ log₁₀δ̂ + "
        "c₂ log₁₀²δ̂ and bootstraps c₂ over grid points. A run whose final training loss is "
        "at least 0.9·ln(classes) collapsed (no better than chance, e.g. dead units after a "
        "too-large step) and is listed but left out of every statistic, as is a run whose "
        "probes are not finite.\n\n";
    page.sections = {{"Grid", reports::grid_table(result)}};
    page.figures = {
        {name + "-lambda.svg", "lambda_max against delta",
         reports::scatter_figure(result, &GridPoint::lambda_max,
                                 "Top Hessian eigenvalue against δ̂ (estimates)", "λ_max", true)},
        {name + "-sharpness.svg", "sharpness against delta",
         reports::scatter_figure(result, &GridPoint::sharpness,
                                 "Keskar ε-sharpness against δ̂ (estimates)", "ε-sharpness (%)",
                                 true)},
        {name + "-adaptive.svg", "adaptive sharpness against delta",
         reports::scatter_figure(result, &GridPoint::adaptive_sharpness,
                                 "Adaptive ℓ∞ sharpness against δ̂ (estimates)",
                                 "loss increase, |z_i| ≤ ρ|x_i|", true)},
        {name + "-accuracy.svg", "accuracy against delta", reports::accuracy_figure(result)}};
    page.training_runs = static_cast<int>(result.points.size());
    return page;
}

verify::ExperimentOutcome run_sharpness_grid_report(const verify::ExperimentContext& ctx,
                                                    const fs::path& dir) {
    const SgdExperiment<verify::SharpnessGridConfig, verify::SharpnessGridResult> e{
        kName, verify::sharpness_grid_config, verify::run_sharpness_grid,
        [](const verify::SharpnessGridResult& r) { return verify::sharpness_grid_outcome(r); },
        sharpness_grid_page};
    return run_sgd_experiment_report(e, ctx, dir);
}

}  // namespace gradcert::reports
