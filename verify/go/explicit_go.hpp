#pragma once
// Explicit graduated optimization (docs/mathematics.md §5; the AAAI code igo-aaai25 ego.py) and its
// plain gradient-descent baseline, from the same seeded starts.
//
// GO: for stages m = 1..M with degrees δ_1 > … > δ_M, run T steps of gradient descent
// x ← x − η_m g_m(x) on f̂_{δ_m}, where g_m is ∇f̂_{δ_m} either in closed form (FastFunction,
// one oracle call per step) or a Monte-Carlo average (1/S) Σ_s ∇f(x − δ_m u_s) over S fresh
// kernel samples (S calls of ∇f per step, as ego.py does, except that ego.py differentiates f
// by central differences and we use the exact ∇f). Step rule: η_m = l_0·δ_m (ego.py) or a
// fixed η. The iterate is not projected (ego.py does not project either).
// GD: x ← x − η_GD ∇f(x) from the same start, for exactly as many ∇f calls as GO used, and
// recorded at the same cumulative call counts (the ends of GO's stages). Optionally a second GD
// that uses GO's step η_m while GO is in stage m.
//
// Every recorded number is a floating-point ESTIMATE; only the targets (go_target.hpp) are
// certified enclosures. Results depend only on the settings and the seed (starts are split
// over threads, each start has its own random streams).
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "numerics/expr/decompose.hpp"
#include "theory/kernel.hpp"
#include "verify/go/go_target.hpp"

namespace gradcert::verify::go {

enum class GradientMode { closed_form, monte_carlo };
enum class StepRule { proportional, fixed };  // η_m = l0·δ_m, or η_m = fixed_step

struct GoSettings {
    std::vector<double> deltas;  // δ_1 > … > δ_M > 0
    int steps_per_stage = 20;    // T
    StepRule step_rule = StepRule::proportional;
    double l0 = 0.01;
    double fixed_step = 0.0;
    GradientMode gradient = GradientMode::monte_carlo;
    int samples = 100;  // S (Monte Carlo)
    int starts = 10;    // N, uniform in the domain
    std::uint64_t seed = 0;
    std::optional<double> gd_step;  // baseline step; default: GO's last step η_M
    // Also run a second baseline: plain GD with GO's own step η_m during GO's stage m (same
    // calls), which separates the effect of smoothing from that of the large early steps.
    bool gd_schedule_baseline = false;
    double success_radius = 0.5;  // "reached": max-norm distance to a target center below this
    int threads = 1;
};

// Validates settings (throws std::invalid_argument naming the bad value).
void validate(const GoSettings& s);
double stage_step(const GoSettings& s, int m);  // η_m, m = 1..M
double gd_step(const GoSettings& s);
long calls_per_step(const GoSettings& s);  // S (Monte Carlo) or 1 (closed form)

// One start's trajectory, sampled at stage ends: index 0 is the start, index m the end of
// stage m (for GD: after as many ∇f calls as GO had used by then).
struct Trajectory {
    std::vector<double> distance;        // ‖x − x*‖₂ to the nearest certified target center
    std::vector<double> max_distance;    // ‖x − x*‖_∞
    std::vector<double> gap;             // f(x) − mid(min f)
    std::vector<double> stage_distance;  // GO only, when stage targets given: ‖x_m − x*_{δ_m}‖
    Eigen::VectorXd final_point;
    bool reached = false;  // final max-norm distance < success_radius
};

struct GoRunResult {
    GoSettings settings;
    std::vector<double> steps;  // η_1..η_M
    std::vector<long> calls;    // cumulative ∇f calls at stage ends, calls[0] = 0
    std::vector<Eigen::VectorXd> starts;
    std::vector<Trajectory> go;
    std::vector<Trajectory> gd;
    std::vector<Trajectory> gd_schedule;  // empty unless settings.gd_schedule_baseline
    double seconds = 0.0;
};

// `domain` gives the start box [lo_i, hi_i]; `target` the certified minimizer of f; optional
// `stage_targets[m−1]` the certified minimizers of f̂_{δ_m}.
GoRunResult run_explicit_go(const expr::Decomposition& f, const theory::Kernel& kernel,
                            const std::vector<std::pair<double, double>>& domain,
                            const CertifiedTarget& target, const GoSettings& settings,
                            const std::vector<CertifiedTarget>& stage_targets = {});

// Summaries over starts.
double fraction_reached(const std::vector<Trajectory>& runs);
std::vector<double> median_by_stage(const std::vector<Trajectory>& runs,
                                    std::vector<double> Trajectory::*field);
std::vector<double> quantile_by_stage(const std::vector<Trajectory>& runs,
                                      std::vector<double> Trajectory::*field, double q);

// δ_m = δ_1((M − m + 1)/M)^p, m = 1..M, from theory::poly_delta_ratio (midpoints as doubles).
std::vector<double> polynomial_deltas(double delta1, int stages, double power);

}  // namespace gradcert::verify::go
