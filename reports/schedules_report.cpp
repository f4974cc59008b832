#include "reports/schedules_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "numerics/engine/data_load.hpp"
#include "reports/experiment_page.hpp"
#include "reports/markdown.hpp"
#include "reports/sgd_experiment_report.hpp"
#include "reports/svg_plot.hpp"
#include "verify/claims/schedules_claims.hpp"
#include "verify/empirical/report_support.hpp"

namespace fs = std::filesystem;
using gradcert::verify::ArmDifference;
using gradcert::verify::ArmSummary;
using gradcert::verify::Evidence;
using gradcert::verify::sig;

namespace gradcert::reports {

namespace {

const char* const kName = "schedules";

std::string arm_table(const verify::SchedulesResult& r) {
    std::vector<std::vector<std::string>> rows;
    for (const ArmSummary& a : r.arms) {
        std::string deltas, probes;
        for (std::size_t e = 0; e < a.delta_rel.size(); ++e) {
            deltas += (e ? ", " : "") + sig(a.delta_rel[e], 3);
            probes += (e ? ", " : "") + sig(a.delta_probe[e], 3);
        }
        rows.push_back({a.arm, std::to_string(a.runs),
                        verify::plus_minus(a.test_acc_mean, a.test_acc_sd),
                        verify::plus_minus(a.train_loss_mean, a.train_loss_sd),
                        sig(a.updates_mean, 6), deltas, probes});
    }
    return markdown_table(
        {"arm", "seeds", "final test accuracy (mean ± sd)", "final training loss (mean ± sd)",
         "updates", "δ/δ₀ per epoch", "δ̂ per epoch (probe)"},
        rows);
}

// The comparisons the findings use: the paired SE (per-seed differences; the arms share initial
// weights and example order per seed) beside the unpaired SE of the same runs.
std::string paired_table(const verify::SchedulesResult& r) {
    std::vector<std::vector<std::string>> rows;
    for (const ArmDifference& d : verify::schedules_comparisons(r))
        rows.push_back({d.a + " − " + d.b, d.metric, sig(d.diff, 3), std::to_string(d.pairs),
                        sig(d.se, 2), sig(d.unpaired_se, 2),
                        sig(d.se > 0 ? d.unpaired_se / d.se : std::nan(""), 3)});
    return "Each comparison is decided on the paired SE. Interval half-widths are 2 × SE.\n\n" +
           markdown_table({"comparison", "quantity", "difference", "seeds paired", "paired SE",
                           "unpaired SE", "unpaired / paired"},
                          rows);
}

// Per-epoch curves against the updates done (so the equal-epoch and equal-update arms line up),
// each with its seed band: the smallest and largest value over the seeds at that epoch.
std::string curve_figure(const verify::SchedulesResult& r, bool accuracy) {
    std::vector<Series> series;
    PlotSpec spec;
    for (const ArmSummary& a : r.arms) {
        Series s{a.arm, a.updates_curve, accuracy ? a.test_acc_curve : a.train_loss_curve,
                 a.arm == "lr-half" || a.arm == "lr-half-short", a.delta_rel.size() < 12};
        series.push_back(s);
        spec.spreads.push_back({accuracy ? a.test_acc_min : a.train_loss_min,
                                accuracy ? a.test_acc_max : a.train_loss_max,
                                {},
                                {}});
    }
    spec.title = accuracy
                     ? "Test accuracy at each epoch end (mean over seeds; estimates)"
                     : "Training loss per epoch (mean mini-batch loss, mean over seeds; estimates)";
    spec.spread_note = fmt::format("shaded: min–max over the {} seeds", r.seeds().size());
    spec.x_label = "updates (optimiser steps)";
    spec.y_label = accuracy ? "test accuracy" : "training loss";
    spec.log_y = !accuracy;
    return render_line_plot(spec, series);
}

std::string delta_figure(const verify::SchedulesResult& r) {
    std::vector<Series> series;
    for (const ArmSummary& a : r.arms)
        series.push_back({a.arm + " δ/δ₀", a.updates_curve, a.delta_rel, false, true});
    PlotSpec spec;
    spec.title = "Realised δ/δ₀ = (η/η₀)·√(b₀/b) at each epoch end (exact, no spread)";
    spec.x_label = "updates (optimiser steps)";
    spec.y_label = "δ/δ₀";
    spec.log_y = true;
    return render_line_plot(spec, series);
}

// The δ̂ probe of the probed seed(s) at each epoch end, shaded over its confidence interval.
std::string delta_probe_figure(const verify::SchedulesResult& r) {
    std::vector<Series> series;
    PlotSpec spec;
    for (const ArmSummary& a : r.arms) {
        series.push_back({a.arm + " δ̂", a.updates_curve, a.delta_probe, false, true});
        spec.spreads.push_back({a.delta_probe_lo, a.delta_probe_hi, {}, {}});
    }
    spec.title = "Probe estimate δ̂ = ηĈ/√b at each epoch end (estimates)";
    spec.spread_note = fmt::format(
        "shaded: the probe's {:.0f}% interval (lowest to highest over the {} probed seed(s))",
        100 * r.config.train.probe.confidence, r.config.probe_seeds);
    spec.x_label = "updates (optimiser steps)";
    spec.y_label = "δ̂";
    spec.log_y = true;
    return render_line_plot(spec, series);
}

// Every arm × configured seed, then seeds added while a schedule claim is undecided
// (verify/claims/sequential.hpp).
verify::SchedulesResult run_schedules_sequential(const verify::SchedulesConfig& config,
                                                 const engine::DataSplit& data,
                                                 const fs::path& work, bool resume) {
    return verify::run_schedules(config, data, work, resume, verify::schedules_undecided);
}

}  // namespace

ExperimentPage schedules_page(const verify::SchedulesResult& result) {
    using namespace verify;
    const std::string name = reports::kName;
    ExperimentPage page;
    page.method =
        "**Arms.** constant; lr-sqrt2 (η × 1/√2), batch-x2 (b × 2) and hybrid (η × √3/2, "
        "b × 3/2) each shrink δ = ηC/√b by exactly 1/√2 per stage; lr-half (η × 1/2) shrinks "
        "δ by 1/2 but the noise scale η/b of Smith et al. by the same factor as batch-x2; "
        "poly-0.9 / poly-1 (δ_m/δ_1 = ((M − m + 1)/M)^p through η) and cosine change every "
        "epoch. Final training loss: evaluation-mode loss of the final weights on the whole "
        "training subset. δ/δ₀ is the schedule's realised ratio (batch sizes are integers); δ̂ "
        "is the probe estimate ηĈ/√b at the end of each epoch (first seed(s) only). "
        "**Equal updates.** batch-x2-long (b × 2, stages of as many updates as lr-sqrt2's, run "
        "to the η arms' update count) and lr-sqrt2-short / lr-half-short (η × 1/√2, η × 1/2, "
        "stages of as many updates as batch-x2's, stopped at its count) count their stages in "
        "updates, so each matched pair has the same δ/δ₀ at every update and the same number of "
        "updates; δ-vs-Smith is decided on them, the equal-epoch verdict beside "
        "(docs/claims.md). A difference between arms counts only when it exceeds z standard "
        "errors of the paired per-seed differences (z = 2 at one look; with sequential seeds "
        "the Bonferroni-over-looks value stated in the setup). Figures are plotted against the "
        "updates done, each estimate with its seed band (min–max over the seeds) or, for δ̂, "
        "the probe's interval.\n\n";
    page.sections = {{"Arms", reports::arm_table(result)},
                     {"Paired and unpaired comparisons", reports::paired_table(result)}};
    page.figures = {
        {name + "-accuracy.svg", "test accuracy", reports::curve_figure(result, true)},
        {name + "-loss.svg", "training loss", reports::curve_figure(result, false)},
        {name + "-delta.svg", "delta", reports::delta_figure(result)},
        {name + "-delta-probe.svg", "delta probe", reports::delta_probe_figure(result)}};
    page.training_runs = static_cast<int>(result.runs.size());
    return page;
}

verify::ExperimentOutcome run_schedules_report(const verify::ExperimentContext& ctx,
                                               const fs::path& dir) {
    const SgdExperiment<verify::SchedulesConfig, verify::SchedulesResult> e{
        kName, verify::schedules_config, run_schedules_sequential,
        [](const verify::SchedulesResult& r) { return verify::schedules_outcome(r); },
        schedules_page};
    return run_sgd_experiment_report(e, ctx, dir);
}

}  // namespace gradcert::reports
