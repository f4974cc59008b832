#pragma once
// Experiment 4 of the report: explicit graduated optimization on the configured families
// (verify/experiments/explicit_go.toml) against certified global minimizers, plain GD from the
// same starts, and the power sweep of the rate study. Reporting lives in
// reports/explicit_go_report.*; this file only computes.
//
// Certified (interval branch and bound, verify/go/go_target.hpp): the enclosures of the global
// minimizers of f and of f̂_{δ_m}, the enclosure of min f, and in the sweep the enclosure of
// f(x*_{δ_M}) − min f (the gap an exact inner solver would leave after the last stage).
// Estimates (floating point, sampled): every iterate, distance, gap, success fraction and slope.
#include <optional>
#include <string>
#include <vector>

#include "numerics/interval/interval.hpp"
#include "verify/go/explicit_go.hpp"
#include "verify/go/go_config.hpp"
#include "verify/go/go_target.hpp"

namespace gradcert::verify::go {

struct GoFamilyResult {
    GoRunSpec spec;
    std::string method;  // how the targets were certified
    CertifiedTarget target;
    std::vector<CertifiedTarget> stage_targets;  // empty unless spec.stage_targets
    CertifiedTarget final_target;                // x*_{δ_M}, the last stage's minimizers
    IntervalM lipschitz;                         // max ‖∇f‖ on the domain
    IntervalM kernel_mean_norm;                  // E‖u‖
    GoRunResult run;
    double certify_seconds = 0.0;
};

struct SweepPoint {
    double power = 0.0;
    int stages = 0;                // M
    double delta_last = 0.0;       // δ_M = δ_1 M^{−p}
    long calls = 0;                // M·T
    IntervalM work_count;          // W(M, p) = M^{2p} Σ_{k ≤ M} k^{−2p} (theory::work_count)
    double median_distance = 0.0;  // over starts, final ‖x − x*‖
    double median_gap = 0.0;       // final f(x) − min f
    double gap_q10 = 0.0;          // its 10% and 90% quantiles over the starts (the figures' bands)
    double gap_q90 = 0.0;
    double go_reached = 0.0;
    CertifiedTarget ideal;        // x*_{δ_M}
    IntervalM ideal_gap;          // f over ideal's clusters − min f (certified)
    double ideal_distance = 0.0;  // ‖mid x*_{δ_M} − mid x*‖ (estimate)
};

// Least-squares slope of log y against log M over the sweep's stage counts (points with y <= 0
// are left out), with its standard error.
struct SlopeFit {
    double slope = 0.0;
    double stderr_ = 0.0;
    int points = 0;
};
SlopeFit fit_log_log(const std::vector<double>& x, const std::vector<double>& y);

struct SweepFit {
    double power = 0.0;
    SlopeFit distance;
    SlopeFit gap;
    SlopeFit ideal_gap;  // upper endpoints of the certified ideal gaps
};

struct SweepResult {
    GoSweepSpec spec;
    CertifiedTarget target;
    std::vector<SweepPoint> points;  // power-major, then stages
    std::vector<SweepFit> fits;
    double seconds = 0.0;
};

struct ExplicitGoResult {
    ExplicitGoConfig config;
    std::vector<GoFamilyResult> families;
    std::optional<SweepResult> sweep;
    double seconds = 0.0;
    int threads = 1;
};

GoFamilyResult run_family(const GoRunSpec& spec, int threads);
SweepResult run_sweep(const GoSweepSpec& spec, int threads);
ExplicitGoResult run_explicit_go_experiment(const ExplicitGoConfig& config, int threads);

}  // namespace gradcert::verify::go
