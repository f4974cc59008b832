#include "verify/claims/sharpness_grid_claims.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "verify/claims/power.hpp"
#include "verify/claims/stability.hpp"
#include "verify/empirical/report_support.hpp"

namespace gradcert::verify {

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
               "ε-sharpness (ε = {}) and adaptive ℓ∞ sharpness (ρ = {}), each by {} ascent steps "
               "on {} "
               "examples; {} threads",
               t.data.dataset,
               t.data.dataset == "synthetic" ? t.data.synthetic.train : t.data.train_subset,
               t.data.dataset == "synthetic" ? t.data.synthetic.test : t.data.test_subset,
               t.model.name, t.run.epochs, lrs, bs, seeds, c.noise_pool, c.noise_batches,
               c.power_iterations, c.hessian_size, c.sharpness_epsilon, sig(c.adaptive_rho),
               c.sharpness_steps, c.sharpness_size, t.run.threads) +
           (c.refine_points >= 2
                ? fmt::format("; second stage for the concavity: {} η values × the seeds at b = "
                              "{}, δ spaced evenly in log₁₀ over ±{} decades around the observed "
                              "peak δ̂ = {} (placed with Ĉ = {} from the grid), in the accuracy "
                              "fit only",
                              c.refine_points, refine_batch(c), c.refine_width,
                              sig(r.refine_centre, 3), sig(r.refine_c, 3))
                : std::string());
}
constexpr double kZ95 = 1.959964;
constexpr int kResampleBootstrap = 300;

// SE implied by a 95% bootstrap interval (half-width / 1.96); NaN without one.
double ci_se(const Correlation* c) {
    return c == nullptr ? std::nan("") : (c->rho.hi - c->rho.lo) / (2 * kZ95);
}

// The three findings of one grid (before the stability assessment).
std::vector<ClaimFinding> grid_findings(const SharpnessGridResult& r) {
    std::vector<ClaimFinding> out;
    int usable = 0, usable_fit = 0, second_stage = 0;  // the grid's; with the second stage's
    for (const GridPoint& p : r.points) {
        usable_fit += usable_grid_point(r, p);
        usable += usable_grid_point(r, p) && !p.refinement;
        second_stage += usable_grid_point(r, p) && p.refinement;
    }
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
    large.power = power_text(ci_se(b_lambda), kZ95, usable, "grid points",
                             "Spearman ρ(b, λ_max) over the grid", nullptr);
    out.push_back(large);

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
    mono.power = power_text(ci_se(d_adaptive), kZ95, usable, "grid points",
                            "Spearman ρ(δ̂, adaptive sharpness) over the grid", nullptr);
    out.push_back(mono);

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
    if (second_stage > 0)
        concave.summary += fmt::format(
            "; the fit includes {} second-stage point(s) sampled around the observed peak δ̂ = {} "
            "(docs/claims.md); the grid alone gives c₂'s CI [{}, {}]",
            second_stage, sig(r.refine_centre, 3), sig(r.curvature_grid.lo, 3),
            sig(r.curvature_grid.hi, 3));
    concave.power = power_text((r.curvature.hi - r.curvature.lo) / (2 * kZ95), kZ95, usable_fit,
                               "grid points", "the curvature c₂ of accuracy in log₁₀ δ̂", nullptr);
    out.push_back(concave);
    return out;
}

// The grid points units[k] (repeats allowed) with every statistic recomputed (bootstrap
// intervals with kResampleBootstrap replicates to keep the nested resampling affordable).
SharpnessGridResult resample_points(const SharpnessGridResult& r, std::span<const int> units) {
    SharpnessGridResult out;
    out.config = r.config;
    out.config.bootstrap = std::min(r.config.bootstrap, kResampleBootstrap);
    out.classes = r.classes;
    for (int i : units) out.points.push_back(r.points[static_cast<std::size_t>(i)]);
    analyse_grid(out);
    return out;
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
    o.findings = grid_findings(r);
    assess_stability(o.findings, static_cast<int>(r.points.size()), "grid points",
                     [&](std::span<const int> units) {
                         std::vector<Evidence> out;
                         for (const ClaimFinding& f : grid_findings(resample_points(r, units)))
                             out.push_back(f.evidence);
                         return out;
                     });
    const auto& q = r.accuracy_fit;
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
        verify::to_string(o.findings[0].evidence), verify::to_string(o.findings[1].evidence),
        verify::to_string(o.findings[2].evidence));
    return o;
}

}  // namespace gradcert::verify
