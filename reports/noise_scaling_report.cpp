#include "reports/noise_scaling_report.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "numerics/engine/data_load.hpp"
#include "numerics/util/stopwatch.hpp"
#include "reports/experiment_page.hpp"
#include "reports/markdown.hpp"
#include "reports/sgd_experiment_report.hpp"
#include "reports/svg_plot.hpp"
#include "verify/claims/noise_scaling_claims.hpp"
#include "verify/empirical/report_support.hpp"

namespace fs = std::filesystem;
using gradcert::verify::sig;

namespace gradcert::reports {

namespace {

const char* const kName = "noise_scaling";

std::string point_table(const verify::NoiseScalingResult& r) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : r.points)
        rows.push_back(
            {std::to_string(p.epoch), sig(p.pool_loss), sig(p.grad_norm),
             verify::with_interval(p.plain.slope, p.plain_ci.lo, p.plain_ci.hi),
             sig(p.expected_plain_slope),
             verify::with_interval(p.corrected.slope, p.corrected_ci.lo, p.corrected_ci.hi),
             sig(p.corrected.slope_se, 2), sig(p.c2_geometric_mean), sig(p.c2_max_over_min, 3)});
    return markdown_table(
        {"epoch", "pool loss", "‖g_P‖", "slope, plain [bootstrap CI]",
         "plain slope expected from (m−b)/(b(m−1))", "slope, corrected [bootstrap CI]",
         "regression SE", "Ĉ² (geo. mean)", "Ĉ² max/min over b"},
        rows);
}

std::string batch_table(const verify::NoisePoint& p) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : p.batches) {
        const auto& e = a.estimate;
        rows.push_back({std::to_string(e.batch),
                        verify::with_interval(e.mean_sq.value, e.mean_sq.lo, e.mean_sq.hi),
                        sig(a.corrected), verify::with_interval(e.c2.value, e.c2.lo, e.c2.hi),
                        verify::with_interval(e.delta.value, e.delta.lo, e.delta.hi),
                        sig(a.chi2_dof, 3), sig(a.qq_correlation, 3),
                        fmt::format("{} / {} / {}", sig(a.norm_q10, 3), sig(a.norm_q50, 3),
                                    sig(a.norm_q90, 3))});
    }
    return markdown_table({"b", "E‖ω‖² [t-CI]", "× (m−1)/(m−b)", "Ĉ² [t-CI]", "δ̂ = ηĈ/√b [t-CI]",
                           "ν̂", "QQ r", "‖ω‖ q10 / q50 / q90"},
                          rows);
}

std::string noise_figure(const verify::NoiseScalingResult& r) {
    std::vector<Series> series;
    PlotSpec spec;
    for (const auto& p : r.points) {
        Series plain{fmt::format("E‖ω‖², epoch {}", p.epoch), {}, {}, false, true};
        Series corr{fmt::format("× (m−1)/(m−b), epoch {}", p.epoch), {}, {}, true, false};
        SeriesSpread plain_ci, corr_ci;
        for (const auto& a : p.batches) {
            const auto& m = a.estimate.mean_sq;
            plain.x.push_back(a.estimate.batch);
            plain.y.push_back(m.value);
            plain_ci.lo.push_back(m.lo);
            plain_ci.hi.push_back(m.hi);
            // The correction is an exact factor: the interval scales with it.
            const double factor = a.corrected / m.value;
            corr.x.push_back(a.estimate.batch);
            corr.y.push_back(a.corrected);
            corr_ci.lo.push_back(factor * m.lo);
            corr_ci.hi.push_back(factor * m.hi);
        }
        series.push_back(plain);
        series.push_back(corr);
        spec.spreads.push_back(plain_ci);
        spec.spreads.push_back(corr_ci);
    }
    spec.spread_note = fmt::format(
        "shaded: the {:.0f}% Student-t interval over the K = {} "
        "mini-batches of each b",
        100 * r.config.confidence, r.config.samples);
    // Reference slope −1 through the geometric means of b and of the corrected values of the
    // last point.
    const auto& last = r.points.back();
    double log_b = 0.0, log_y = 0.0;
    for (const auto& a : last.batches) {
        log_b += std::log(static_cast<double>(a.estimate.batch));
        log_y += std::log(a.corrected);
    }
    log_b /= static_cast<double>(last.batches.size());
    log_y /= static_cast<double>(last.batches.size());
    Series ref{"slope −1 (reference)", {}, {}, true, false};
    for (const auto& a : last.batches) {
        ref.x.push_back(a.estimate.batch);
        ref.y.push_back(
            std::exp(log_y - (std::log(static_cast<double>(a.estimate.batch)) - log_b)));
    }
    series.push_back(ref);
    spec.title = "Mini-batch gradient noise against batch size (estimates)";
    spec.x_label = "batch size b";
    spec.y_label = "E‖g_b − g_P‖²";
    spec.log_x = spec.log_y = true;
    return render_line_plot(spec, series);
}

std::string c2_figure(const verify::NoiseScalingResult& r) {
    std::vector<Series> series;
    PlotSpec spec;
    const double lr = r.config.train.optim.lr;
    for (const auto& p : r.points) {
        Series s{fmt::format("Ĉ², epoch {}", p.epoch), {}, {}, false, true};
        Series d{fmt::format("δ̂/η = Ĉ/√b, epoch {}", p.epoch), {}, {}, true, true};
        SeriesSpread s_ci, d_ci;
        for (const auto& a : p.batches) {
            const auto& e = a.estimate;
            s.x.push_back(e.batch);
            s.y.push_back(e.c2.value);
            s_ci.lo.push_back(e.c2.lo);
            s_ci.hi.push_back(e.c2.hi);
            d.x.push_back(e.batch);
            d.y.push_back(e.delta.value / lr);
            d_ci.lo.push_back(e.delta.lo / lr);
            d_ci.hi.push_back(e.delta.hi / lr);
        }
        series.push_back(s);
        series.push_back(d);
        spec.spreads.push_back(s_ci);
        spec.spreads.push_back(d_ci);
    }
    spec.spread_note = fmt::format("shaded: the {:.0f}% Student-t intervals (K = {} mini-batches)",
                                   100 * r.config.confidence, r.config.samples);
    spec.title = "Ĉ² (flat if E‖ω‖² ∝ 1/b) and δ̂/η = Ĉ/√b (slope −1/2)";
    spec.x_label = "batch size b";
    spec.y_label = "estimate";
    spec.log_x = spec.log_y = true;
    return render_line_plot(spec, series);
}

std::string qq_figure(const verify::NoiseScalingResult& r) {
    const auto& p = r.points.back();
    std::vector<std::size_t> which{0, p.batches.size() / 2, p.batches.size() - 1};
    std::vector<Series> series;
    double top = 0.0;
    for (std::size_t j : which) {
        const auto& a = p.batches[j];
        std::vector<double> s = a.estimate.values;
        std::sort(s.begin(), s.end());
        const double mu = a.estimate.mean_sq.value;
        Series q{fmt::format("b = {} (ν̂ = {})", a.estimate.batch, sig(a.chi2_dof, 3)),
                 {},
                 {},
                 false,
                 true};
        for (std::size_t i = 0; i < s.size(); ++i) {
            const double th = std::isfinite(a.chi2_dof)
                                  ? verify::scaled_chi_square_quantile(
                                        (static_cast<double>(i) + 0.5) / s.size(), a.chi2_dof)
                                  : 1.0;
            q.x.push_back(th);
            q.y.push_back(s[i] / mu);
            top = std::max({top, th, s[i] / mu});
        }
        series.push_back(q);
    }
    series.push_back({"y = x", {0.0, top}, {0.0, top}, true, false});
    PlotSpec spec;
    spec.title = fmt::format("QQ: ‖ω‖²/mean against χ²_ν̂/ν̂, epoch {}", p.epoch);
    spec.x_label = "scaled chi-square quantile";
    spec.y_label = "sorted ‖g_k − g_P‖² / mean";
    return render_line_plot(spec, series);
}

}  // namespace

ExperimentPage noise_scaling_page(const verify::NoiseScalingResult& result) {
    using namespace verify;
    const std::string name = reports::kName;
    ExperimentPage page;
    page.method =
        "**What is measured.** At fixed weights, s_k = ‖g_k − g_P‖² for K mini-batches of b "
        "distinct pool examples. Given the pool, E s_k = V_P(m − b)/(b(m − 1)) exactly "
        "(sampling without replacement), so after multiplying by (m − 1)/(m − b) the slope of "
        "log E‖ω‖² on log b is −1: the experiment checks that the engine's mini-batch gradients "
        "obey the 1/b law with a b-independent Ĉ² (which makes δ = ηC/√b well defined), at "
        "several points of training. Slopes are least-squares fits over the b grid; their "
        "intervals are percentile bootstraps over the K values of every b, each at the Bonferroni "
        "level that makes the intervals of all measurement points hold simultaneously at the "
        "stated confidence (the claim asks that every one contain −1); intervals of E‖ω‖², "
        "Ĉ² and δ̂ are Student-t intervals over the K values. ν̂ = 2·mean²/variance of the s_k "
        "is the effective number of Gaussian directions (‖ω‖² ~ χ²_ν/ν·mean for isotropic "
        "Gaussian noise in ν directions); QQ r is the correlation of the sorted values with "
        "those quantiles.\n\n";
    page.sections = {{"Slopes per measurement point", reports::point_table(result)}};
    for (const auto& p : result.points)
        page.sections.emplace_back(fmt::format("Per batch size, epoch {} (pool loss {}, pool "
                                               "accuracy {})",
                                               p.epoch, sig(p.pool_loss), sig(p.pool_accuracy, 3)),
                                   reports::batch_table(p));
    page.figures = {{name + "-noise.svg", "noise against b", reports::noise_figure(result)},
                    {name + "-c2.svg", "C² and δ̂ against b", reports::c2_figure(result)},
                    {name + "-qq.svg", "QQ plot", reports::qq_figure(result)}};
    return page;
}

verify::ExperimentOutcome run_noise_scaling_report(const verify::ExperimentContext& ctx,
                                                   const fs::path& dir) {
    const SgdExperiment<verify::NoiseScalingConfig, verify::NoiseScalingResult> e{
        kName, verify::noise_scaling_config, verify::run_noise_scaling,
        [](const verify::NoiseScalingResult& r) { return verify::noise_scaling_outcome(r); },
        noise_scaling_page};
    return run_sgd_experiment_report(e, ctx, dir);
}

}  // namespace gradcert::reports
