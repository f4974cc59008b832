#include "reports/sharpness_grid_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "numerics/engine/data_load.hpp"
#include "reports/markdown.hpp"
#include "reports/svg_plot.hpp"
#include "verify/empirical/report_support.hpp"

namespace fs = std::filesystem;
using gradcert::verify::Evidence;
using gradcert::verify::GridPoint;
using gradcert::verify::sig;

namespace gradcert::reports {

namespace {

const char* const kName = "sharpness_grid";

std::string rho_text(const verify::Correlation* c) {
    if (c == nullptr) return "n/a";
    return fmt::format("ρ({}, {}) = {}", c->x, c->y,
                       verify::with_interval(c->rho.estimate, c->rho.lo, c->rho.hi, 3));
}

bool below_zero(const verify::Correlation* c) {
    return c && c->rho.hi < 0.0;
}
bool above_zero(const verify::Correlation* c) {
    return c && c->rho.lo > 0.0;
}

std::string setup_text(const verify::SharpnessGridResult& r) {
    const auto& c = r.config;
    const auto& t = c.train;
    std::string lrs, bs, seeds;
    for (double v : c.lrs) lrs += (lrs.empty() ? "" : ", ") + sig(v);
    for (int v : c.batches) bs += (bs.empty() ? "" : ", ") + std::to_string(v);
    for (int v : c.seeds) seeds += (seeds.empty() ? "" : ", ") + std::to_string(v);
    return fmt::format(
        "{} ({} training / {} test examples), model {}, plain SGD, constant (η, b) for {} "
        "epochs on the grid η ∈ {{{}}} × b ∈ {{{}}}, seeds {{{}}}; at the final weights: δ̂ "
        "(pool {}, K = {}), λ_max (power iteration, {} iterations on {} examples), Keskar "
        "ε-sharpness (ε = {}) and adaptive ℓ∞ sharpness (ρ = {}), each by {} ascent steps on {} "
        "examples; {} threads",
        t.data.dataset,
        t.data.dataset == "synthetic" ? t.data.synthetic.train : t.data.train_subset,
        t.data.dataset == "synthetic" ? t.data.synthetic.test : t.data.test_subset, t.model.name,
        t.run.epochs, lrs, bs, seeds, c.noise_pool, c.noise_batches, c.power_iterations,
        c.hessian_size, c.sharpness_epsilon, sig(c.adaptive_rho), c.sharpness_steps,
        c.sharpness_size, t.run.threads);
}

std::string grid_table(const verify::SharpnessGridResult& r) {
    std::vector<std::vector<std::string>> rows;
    for (const GridPoint& p : r.points)
        rows.push_back(
            {sig(p.lr), std::to_string(p.batch), std::to_string(p.seed), std::to_string(p.updates),
             verify::with_interval(p.delta, p.delta_lo, p.delta_hi, 3), sig(p.lambda_max),
             sig(p.lambda_relative_change, 2), sig(p.sharpness), sig(p.adaptive_sharpness),
             sig(p.train_loss), sig(p.test_acc), std::string(engine::run_status_name(p.status)),
             verify::usable_grid_point(r, p) ? "yes" : "no"});
    return markdown_table(
        {"η", "b", "seed", "updates", "δ̂ [t-CI]", "λ_max", "λ rel. change", "ε-sharpness (%)",
         "adaptive sharpness", "train loss", "test acc", "status", "in statistics"},
        rows);
}

// One series per batch size, points sorted by δ̂.
std::vector<Series> by_batch(const verify::SharpnessGridResult& r, double GridPoint::*y) {
    std::map<int, std::vector<const GridPoint*>> groups;
    for (const GridPoint& p : r.points) groups[p.batch].push_back(&p);
    std::vector<Series> series;
    for (auto& [b, ps] : groups) {
        std::sort(ps.begin(), ps.end(),
                  [](const GridPoint* a, const GridPoint* c) { return a->delta < c->delta; });
        Series s{fmt::format("b = {}", b), {}, {}, false, true};
        for (const GridPoint* p : ps) {
            s.x.push_back(p->delta);
            s.y.push_back(p->*y);
        }
        series.push_back(s);
    }
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
    return render_line_plot(spec, by_batch(r, y));
}

std::string accuracy_figure(const verify::SharpnessGridResult& r) {
    std::vector<Series> series = by_batch(r, &GridPoint::test_acc);
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
    PlotSpec spec;
    spec.title = "Test accuracy against δ̂ (estimates)";
    spec.x_label = "δ̂ = ηĈ/√b at the final weights";
    spec.y_label = "test accuracy";
    spec.log_x = true;
    return render_line_plot(spec, series, {{0.1, 1.0, "δ ∈ [0.1, 1] (paper's peak)", "#d9ead3"}});
}

}  // namespace

verify::ExperimentOutcome sharpness_grid_outcome(const verify::SharpnessGridResult& r) {
    verify::ExperimentOutcome o;
    o.name = kName;
    o.title = "Experiment 3: batch size, δ, sharpness and generalisation";
    o.scale = setup_text(r) +
              ". The paper: CIFAR-100 with ResNet-18 / WRN-28-10, 200 epochs, adaptive ℓ∞ "
              "sharpness (ρ = 2e−4) on 1024 examples; here a small model on a Fashion-MNIST "
              "subset for a few epochs, with the same adaptive sharpness beside λ_max and "
              "Keskar's ε-sharpness.";
    o.wall_seconds = r.wall_seconds;
    const int pct = static_cast<int>(std::round(100 * r.config.confidence));
    const auto* b_lambda = r.correlation("batch", "lambda_max");
    const auto* d_lambda = r.correlation("delta", "lambda_max");
    const auto* d_sharp = r.correlation("delta", "sharpness");
    const auto* d_adaptive = r.correlation("delta", "adaptive_sharpness");
    const auto* d_acc = r.correlation("delta", "test_acc");

    verify::ClaimFinding large;
    large.claim = "large-batch-sharp";
    // At a fixed η: the permutation test of the summed within-row ρ(b, λ_max).
    std::string rows;
    for (const auto& [lr, rho] : r.batch_lambda_within_lr)
        rows += fmt::format("{}η={}: {}", rows.empty() ? "" : ", ", sig(lr, 3), sig(rho, 2));
    const verify::StratifiedSpearman& st = r.batch_lambda_stratified;
    const bool rows_up = st.groups >= 2 && st.p_upper < 0.05;
    const bool rows_down = st.groups >= 2 && st.p_lower < 0.05;
    large.evidence = (above_zero(b_lambda) || rows_up) && !below_zero(b_lambda) && !rows_down
                         ? Evidence::supported
                     : (below_zero(b_lambda) || rows_down) && !above_zero(b_lambda) && !rows_up
                         ? Evidence::contradicted
                         : Evidence::inconclusive;
    large.summary = fmt::format(
        "within each η row ρ(b, λ_max) = {}; permutation test of their sum {} over {} rows: "
        "one-sided p = {} (larger b sharper) / {} (larger b flatter); pooled over the grid {} "
        "({}% bootstrap CI); supported if the row test gives p < 0.05 or the pooled CI lies "
        "above 0, with nothing significant the other way; {}",
        rows.empty() ? "n/a" : rows, sig(st.statistic, 3), st.groups, sig(st.p_upper, 2),
        sig(st.p_lower, 2), rho_text(b_lambda), pct, rho_text(d_lambda));
    o.findings.push_back(large);

    verify::ClaimFinding mono;
    mono.claim = "delta-sharpness-monotone";
    const bool neg = below_zero(d_lambda) || below_zero(d_sharp) || below_zero(d_adaptive);
    const bool pos = above_zero(d_lambda) || above_zero(d_sharp) || above_zero(d_adaptive);
    mono.evidence = neg && !pos   ? Evidence::supported
                    : pos && !neg ? Evidence::contradicted
                                  : Evidence::inconclusive;
    mono.summary = fmt::format(
        "{}; {}; {} (the paper's measure) ({}% bootstrap CIs; the paper: more smoothing, "
        "flatter minimum, i.e. ρ < 0; supported if a CI lies below 0 and none above)",
        rho_text(d_lambda), rho_text(d_sharp), rho_text(d_adaptive), pct);
    o.findings.push_back(mono);

    verify::ClaimFinding concave;
    concave.claim = "accuracy-concave-delta";
    const auto& q = r.accuracy_fit;
    const bool peak_in_range = r.peak_delta >= 0.1 && r.peak_delta <= 1.0;
    if (!std::isfinite(r.curvature.lo) || q.n == 0)
        concave.evidence = Evidence::not_testable;
    else if (r.curvature.hi < 0.0 && peak_in_range)
        concave.evidence = Evidence::supported;
    else if (r.curvature.lo > 0.0)
        concave.evidence = Evidence::contradicted;
    else
        concave.evidence = Evidence::inconclusive;
    concave.summary = fmt::format(
        "accuracy ≈ quadratic in log₁₀ δ̂: curvature c₂ = {} ({}% bootstrap CI [{}, {}], "
        "regression SE {}), vertex at δ̂ = {}{}; {} (supported if the CI lies below 0 and the "
        "peak is in [0.1, 1]; the scale of δ depends on C, so the peak position does not carry "
        "over between models)",
        sig(q.c2, 3), pct, sig(r.curvature.lo, 3), sig(r.curvature.hi, 3), sig(q.c2_se, 2),
        sig(r.peak_delta, 3), q.c2 < 0 ? " (a maximum)" : " (a minimum)", rho_text(d_acc));
    o.findings.push_back(concave);

    for (const verify::Correlation& c : r.correlations)
        o.checks.push_back({"spearman_" + c.x + "_" + c.y, c.rho.estimate,
                            std::max((c.rho.hi - c.rho.lo) / 2.0, 0.1),
                            "the bootstrap CI half-width (at least 0.1)"});
    if (std::isfinite(r.curvature.lo))
        o.checks.push_back({"accuracy_curvature_log10_delta", q.c2,
                            std::max((r.curvature.hi - r.curvature.lo) / 2.0, 1e-3),
                            "the bootstrap CI half-width"});
    double best_acc = -1.0;
    for (const GridPoint& p : r.points) best_acc = std::max(best_acc, p.test_acc);
    o.checks.push_back({"best_test_acc", best_acc, 0.03,
                        "0.03 (single-seed grid points; typical seed sd of final test accuracy "
                        "in experiment 2 is ≤ 0.01)"});
    o.one_line = fmt::format(
        "large-batch-sharp {}, delta-sharpness-monotone {}, "
        "accuracy-concave-delta {}",
        verify::to_string(large.evidence), verify::to_string(mono.evidence),
        verify::to_string(concave.evidence));
    return o;
}

verify::ExperimentOutcome run_sharpness_grid_report(const verify::ExperimentContext& ctx,
                                                    const fs::path& dir) {
    using namespace verify;
    const auto t0 = std::chrono::steady_clock::now();
    const ExperimentTable table = load_experiment_table(ctx, "sharpness_grid");
    SharpnessGridConfig config = sharpness_grid_config(table);
    config.train.run.threads = ctx.threads;
    const engine::DataSplit data = engine::load_training_data(config.train);
    const SharpnessGridResult result =
        run_sharpness_grid(config, data, experiment_work(ctx, "sharpness_grid"), ctx.resume);
    ExperimentOutcome outcome = reports::sharpness_grid_outcome(result);
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
    write_experiment_page(ctx, dir, name, outcome, page, to_json(result), t0);
    return outcome;
}

}  // namespace gradcert::reports
