#pragma once
// Experiment 1 (docs/mathematics.md §1, §3; docs/engine.md "Gradient noise"): how the mini-batch
// gradient noise E‖ω‖² = E‖g_b − g_P‖² scales with the batch size b at fixed weights, at several
// points of one training run.
//
// At the weights after epoch e (0 = initialisation) and for every b of the grid: g_P over a pool
// P of m training examples (the whole training set by default), K mini-batch gradients g_k, each
// over b distinct examples of P drawn without replacement, s_k = ‖g_k − g_P‖². Given P the s_k
// are i.i.d. with mean V_P(m − b)/(b(m − 1)) exactly, so log E‖ω‖² against log b has slope −1
// after the without-replacement correction (multiplying by (m − 1)/(m − b)), and the plain slope
// equals that of log((m − b)/(b(m − 1))). Reported per point (all estimates): both fitted slopes
// with regression standard errors and percentile-bootstrap intervals over the K values of every
// b, Ĉ² and δ̂ = ηĈ/√b per b (noise.hpp), and the distribution of the K values against a scaled
// chi-square χ²_ν/ν with ν̂ = 2·mean²/variance (the law of ‖ω‖² when ω is Gaussian with ν equal
// effective directions).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "numerics/engine/noise.hpp"
#include "numerics/engine/trainer.hpp"
#include "verify/empirical/experiment_config.hpp"
#include "verify/empirical/statistics.hpp"

namespace gradcert::verify {

struct NoiseScalingConfig {
    engine::TrainConfig train;  // model, data, η, b₀, epochs, seed (probes off)
    std::vector<int> points;    // epochs after which to measure (0 = initialisation), ascending
    std::vector<int> batches;   // the b grid, ascending, each < pool
    int samples = 32;           // K per b
    int pool = 0;               // m (0 → the whole training set)
    int bootstrap = 1000;       // bootstrap replicates of the slope intervals
    double confidence = 0.95;
};

// Reads the [quick]/[full] table: common keys plus points, batches, samples, pool, bootstrap,
// confidence. Throws InputError naming the file for bad values.
NoiseScalingConfig noise_scaling_config(const ExperimentTable& t);

// The level of each point's slope interval, 1 − (1 − confidence)/#points (Bonferroni), so that
// the intervals of all measurement points hold simultaneously at `confidence`: the claim is
// judged on "every interval contains −1", a joint statement.
double slope_interval_level(const NoiseScalingConfig& c);

struct NoiseAtBatch {
    engine::NoiseEstimate estimate;  // s_k values, mean_sq, V̂, Ĉ², δ̂ with intervals
    double corrected = 0.0;          // mean_sq·(m − 1)/(m − b) = V̂/b
    double chi2_dof = 0.0;           // ν̂ = 2·mean(s)²/var(s)
    double qq_correlation = 0.0;     // Pearson r of sorted s/mean against χ²_ν̂/ν̂ quantiles
    double norm_q10 = 0.0, norm_q50 = 0.0, norm_q90 = 0.0;  // quantiles of ‖g_k − g_P‖
};

struct NoisePoint {
    int epoch = 0;
    double pool_loss = 0.0;  // training loss on the pool (mean over P)
    double pool_accuracy = 0.0;
    double grad_norm = 0.0;  // ‖g_P‖
    std::vector<NoiseAtBatch> batches;
    LinearFit plain;                    // log mean_sq against log b
    LinearFit corrected;                // log(mean_sq·(m − 1)/(m − b)) against log b
    double expected_plain_slope = 0.0;  // slope of log((m − b)/(b(m − 1))) on the same grid
    BootstrapInterval plain_ci, corrected_ci;
    double c2_geometric_mean = 0.0;  // of Ĉ² over the grid
    double c2_max_over_min = 0.0;    // spread of Ĉ² over the grid (1 = constant)
};

struct NoiseScalingResult {
    NoiseScalingConfig config;
    int population = 0;  // n
    int pool = 0;        // m
    std::vector<NoisePoint> points;
    std::vector<engine::EpochRecord> training;  // the run the points were taken from
    double wall_seconds = 0.0;
};

nlohmann::json to_json(const NoiseScalingResult& r);

// Runs the experiment on `data` (what load_training_data(config.train) returns). State goes to
// `work` (cleared first unless `resume`): the training run in a subdirectory, the K values of
// each measured point in noise-e<epoch>.json (reused when `resume` and the setup is unchanged).
NoiseScalingResult run_noise_scaling(const NoiseScalingConfig& config,
                                     const engine::DataSplit& data,
                                     const std::filesystem::path& work, bool resume);

// The statistics of one point from its raw values (exposed for tests): values[j] are the K
// values s_k for config.batches[j].
NoisePoint analyse_noise_point(const NoiseScalingConfig& config, int epoch, int population,
                               int pool, const std::vector<std::vector<double>>& values,
                               double pool_loss, double pool_accuracy, double grad_norm);

}  // namespace gradcert::verify
