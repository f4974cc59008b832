#pragma once
// Experiment 3 (docs/mathematics.md §6; Keskar et al. 2017): a grid of (η, b) trained for the same
// number of epochs; at the final weights δ̂ = ηĈ/√b (noise.hpp, at the run's η and b), the top
// Hessian eigenvalue λ_max, Keskar's ε-sharpness and the paper's adaptive ℓ∞ sharpness
// (sharpness.hpp), and the test accuracy. Across the grid: Spearman rank correlations with
// percentile-bootstrap intervals over the grid points (δ̂–λ_max, δ̂–ε-sharpness, b–λ_max, δ̂–accuracy,
// δ̂–adaptive sharpness), and a least-squares quadratic of accuracy in log₁₀ δ̂ (curvature with a
// bootstrap interval, peak position). All numbers are estimates; the grid confounds δ with the
// number of updates (small b does more steps in the same epochs), which the report states.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "numerics/engine/trainer.hpp"
#include "verify/empirical/experiment_config.hpp"
#include "verify/empirical/statistics.hpp"

namespace gradcert::verify {

struct SharpnessGridConfig {
    engine::TrainConfig train;  // model, data, epochs (probes off); lr and batch come from the grid
    std::vector<double> lrs{0.02, 0.05, 0.1, 0.2};
    std::vector<int> batches{16, 64, 256};
    std::vector<int> seeds{0};
    int noise_pool = 1024;  // pool of the δ̂ estimate (at least 2b is used)
    int noise_batches = 16;
    int hessian_size = 512;
    int power_iterations = 15;
    int sharpness_size = 1024;
    double sharpness_epsilon = 1e-3;
    int sharpness_steps = 5;
    double adaptive_rho =
        2e-4;  // adaptive ℓ∞ sharpness (docs/mathematics.md §6), same examples and steps
    int bootstrap = 2000;
    double confidence = 0.95;
    // Second stage for the concavity in δ (docs/claims.md, "Concavity in δ"): refine_points more
    // η values at batch refine_batch (0: the middle of `batches`), every seed, whose predicted δ
    // is spaced evenly in log₁₀ over peak·10^[−refine_width, +refine_width] around the observed
    // peak (the quadratic's vertex if it is a maximum inside the grid's δ̂ range, else the δ̂ of
    // the most accurate point). They enter only the accuracy fit and its curvature interval. 0:
    // no second stage.
    int refine_points = 0;
    int refine_batch = 0;
    double refine_width = 0.5;
};

// Reads the table: common keys plus lrs, batches, seeds, noise_pool, noise_batches,
// hessian_size, power_iterations, sharpness_size, sharpness_epsilon, sharpness_steps,
// adaptive_rho, bootstrap, confidence, refine_points, refine_batch, refine_width.
SharpnessGridConfig sharpness_grid_config(const ExperimentTable& t);

struct GridPoint {
    double lr = 0.0;
    int batch = 0;
    std::uint64_t seed = 0;
    engine::RunStatus status = engine::RunStatus::finished;
    double delta = 0.0, delta_lo = 0.0, delta_hi = 0.0;  // δ̂ with its Student-t interval
    double c2 = 0.0;
    double lambda_max = 0.0;
    double lambda_relative_change = 0.0;  // power-iteration convergence indicator
    double sharpness = 0.0;               // Keskar ε-sharpness (%)
    double adaptive_sharpness = 0.0;      // adaptive ℓ∞ sharpness (loss increase)
    double test_acc = 0.0;
    double train_loss = 0.0;  // evaluation mode, whole training subset
    std::uint64_t updates = 0;
    bool refinement = false;  // a second-stage point (only in the accuracy fit)
};

struct Correlation {
    std::string x, y;
    BootstrapInterval rho;  // Spearman ρ with its percentile bootstrap interval
};

struct SharpnessGridResult {
    SharpnessGridConfig config;
    int classes = 0;  // of the dataset: a run whose final training loss is ≥ 0.9·ln(classes)
                      // collapsed (no better than chance) and is left out of the statistics
    std::vector<GridPoint> points;
    int test_examples = 0;  // the test accuracy of every point is measured on this many examples
    // δ̂–λ_max, δ̂–sharpness, b–λ_max, δ̂–accuracy, δ̂–adaptive sharpness
    std::vector<Correlation> correlations;
    QuadraticFit accuracy_fit;    // accuracy ≈ c0 + c1·log₁₀δ̂ + c2·log₁₀²δ̂
    BootstrapInterval curvature;  // c2 with a bootstrap interval over grid points
    // c2's bootstrap interval over the first-stage grid alone (NaN without a second stage)
    BootstrapInterval curvature_grid;
    double peak_delta = 0.0;      // 10^vertex (meaningful when c2 < 0)
    double refine_centre = 0.0;   // the observed peak the second stage sampled around (0: none)
    double refine_c = 0.0;        // Ĉ at refine_batch from the grid, used to place its η
    // Spearman ρ(b, λ_max) within each η row of the grid (rows with ≥ 3 points): the effect of
    // the batch size at a fixed learning rate.
    std::vector<std::pair<double, double>> batch_lambda_within_lr;
    // The permutation test of Σ_η ρ_η(b, λ_max) (statistics.hpp).
    StratifiedSpearman batch_lambda_stratified;
    double wall_seconds = 0.0;

    const Correlation* correlation(const std::string& x, const std::string& y) const;
};

// The second stage's batch size: refine_batch, or the middle of the sorted batches.
int refine_batch(const SharpnessGridConfig& c);

// Whether a point enters the statistics: finite probes and not collapsed (see `classes`).
bool usable_grid_point(const SharpnessGridResult& r, const GridPoint& p);

// The statistics over the usable grid points (exposed for tests).
void analyse_grid(SharpnessGridResult& r);

nlohmann::json to_json(const SharpnessGridResult& r);

SharpnessGridResult run_sharpness_grid(const SharpnessGridConfig& config,
                                       const engine::DataSplit& data,
                                       const std::filesystem::path& work, bool resume);

}  // namespace gradcert::verify
