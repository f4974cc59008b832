#pragma once
// Estimating the mini-batch gradient noise E‖ω‖² and the paper's δ = ηC/√b (docs/engine.md).
//
// At a fixed point x: a reference gradient g_P over a pool P of m examples, and K mini-batch
// gradients g_k, each over b distinct examples drawn uniformly without replacement from P,
// independently for each k. Given P, the K values s_k = ‖g_k − g_P‖² are i.i.d. with mean
//     E s_k = V_P (m − b) / (b (m − 1)),   V_P = (1/m) Σ_{i∈P} ‖∇f_i − g_P‖²
// (sampling without replacement; the finite-population factor (m − b)/(m − 1) is 0 for b = m).
// Reported (all are estimates, never bounds):
//  mean_sq  = (1/K) Σ s_k with a two-sided Student-t confidence interval at `confidence`
//             (normal-theory interval for the mean of K i.i.d. values; the s_k are skewed, so
//             for small K the interval is approximate),
//  v        = per-example variance V̂ = b·mean_sq·(m − 1)/(m − b)   (requires m > b),
//  c2       = Ĉ² = b·E‖ω‖² of SGD on the n training examples = V̂ (n − b)/(n − 1). When the pool
//             is the whole training set (m = n) this is exactly docs/engine.md's b·mean‖g_k −
//             g_P‖².
//  delta    = δ̂ = η Ĉ/√b.
// Intervals of v, c2 and delta are the mean_sq interval mapped through these monotone maps
// (negative lower ends clamped to 0).
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace gradcert::engine {

struct Interval95 {  // an estimate with its confidence interval
    double value = 0.0;
    double lo = 0.0;
    double hi = 0.0;
};

struct NoiseEstimate {
    int batch = 0;       // b
    int pool = 0;        // m
    int population = 0;  // n (training-set size)
    int samples = 0;     // K
    double confidence = 0.95;
    std::vector<double> values;  // the K values s_k
    Interval95 mean_sq;
    Interval95 v;
    Interval95 c2;
    Interval95 delta;
    double grad_norm = 0.0;  // ‖g_P‖
};

// Mean gradient (and mean loss) over the given example indices, in double; `grad` is resized.
using GradientOracle =
    std::function<double(std::span<const int> indices, std::vector<double>& grad)>;

// Runs the estimator: g_P over `pool` (indices into the training set), then K batches of size b
// drawn from `pool` with the streams stream_key(key, k). Requires 1 ≤ b ≤ pool.size(), K ≥ 2.
NoiseEstimate estimate_gradient_noise(const GradientOracle& oracle, std::span<const int> pool,
                                      int batch, int samples, int population, double lr,
                                      double confidence, std::uint64_t key);

// The same estimator from precomputed values s_k (for tests and reuse).
NoiseEstimate noise_from_samples(std::vector<double> values, int batch, int pool, int population,
                                 double lr, double confidence);

// Two-sided Student-t interval for the mean of `values` (K ≥ 2).
Interval95 mean_confidence_interval(std::span<const double> values, double confidence);

}  // namespace gradcert::engine
