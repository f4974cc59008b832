#pragma once
// Descriptive and inferential statistics for the empirical experiments. Every result computed
// from sampled data is an estimate; confidence intervals are approximate (bootstrap percentile
// intervals or normal-theory intervals), never bounds. Random resampling uses the counter-based
// SplitMix64 streams of the SGD engine, so a seed fixes every interval.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace gradcert::verify {

// Arithmetic mean; NaN for an empty input.
double mean(std::span<const double> x);
// Sample standard deviation (divisor n − 1); 0 for n = 1, NaN for n = 0.
double sample_sd(std::span<const double> x);
// Quantile of type 7 (R's default, NumPy's "linear"): linear interpolation between the order
// statistics at position (n − 1)·p, p in [0, 1]. Throws std::invalid_argument for an empty input.
double quantile(std::span<const double> x, double p);
// One-sided Fisher exact test for two groups of n trials with a and b successes:
// P(X >= a | margins), X ~ Hypergeometric(2n, a + b, n) — the probability that the first group
// does at least this much better than the second by chance.
double fisher_one_sided(int a, int b, int n);
// Ranks 1..n with ties given their average rank.
std::vector<double> average_ranks(std::span<const double> x);
// Pearson correlation; NaN if either input is constant or n < 2.
double pearson(std::span<const double> x, std::span<const double> y);
// Spearman's rank correlation: Pearson correlation of the average ranks.
double spearman(std::span<const double> x, std::span<const double> y);

// Ordinary least squares y ≈ intercept + slope·x with the classical standard errors
// (residual variance with n − 2 degrees of freedom). Requires n ≥ 2 and x not constant; for n = 2
// the standard errors are NaN.
struct LinearFit {
    double slope = 0.0;
    double intercept = 0.0;
    double slope_se = 0.0;
    double intercept_se = 0.0;
    double r2 = 0.0;
    int n = 0;
};
LinearFit fit_line(std::span<const double> x, std::span<const double> y);

// Least squares y ≈ c0 + c1·x + c2·x² with standard errors of the coefficients (n − 3 degrees of
// freedom; NaN for n = 3). Requires n ≥ 3 and at least 3 distinct x. vertex = −c1/(2 c2).
struct QuadraticFit {
    double c0 = 0.0, c1 = 0.0, c2 = 0.0;
    double c2_se = 0.0;
    double vertex = 0.0;
    int n = 0;
};
QuadraticFit fit_quadratic(std::span<const double> x, std::span<const double> y);

// Two-sided Student-t quantile t_{1−α/2, dof}, i.e. the multiplier of a standard error for a
// `confidence` interval.
double student_t_multiplier(double confidence, double dof);
// Quantile function of the standard normal and of the scaled chi-square χ²_ν/ν (mean 1).
double normal_quantile(double p);
double scaled_chi_square_quantile(double p, double dof);

// A statistic with a percentile bootstrap interval.
struct BootstrapInterval {
    double estimate = 0.0;  // the statistic on the original sample
    double lo = 0.0;
    double hi = 0.0;
    int replicates = 0;
};

// Percentile bootstrap for a statistic of one sample of n units: `statistic` receives the
// indices of a resample (n draws with replacement from 0..n−1; the identity for the estimate).
// Replicates whose statistic is not finite are dropped. Deterministic for a given seed.
BootstrapInterval bootstrap_ci(int n, const std::function<double(std::span<const int>)>& statistic,
                               int replicates, double confidence, std::uint64_t seed);

// Percentile bootstrap for a statistic of several independent samples (e.g. K noise values per
// batch size), each resampled within itself. `sizes[g]` is the size of sample g.
BootstrapInterval bootstrap_ci_grouped(
    std::span<const int> sizes,
    const std::function<double(const std::vector<std::vector<int>>&)>& statistic, int replicates,
    double confidence, std::uint64_t seed);

// Spearman's ρ of paired data with a percentile bootstrap interval over the pairs.
BootstrapInterval spearman_ci(std::span<const double> x, std::span<const double> y, int replicates,
                              double confidence, std::uint64_t seed);

// A stratified rank-correlation test: the statistic is the sum over groups of Spearman's ρ
// within each group; under the null hypothesis (within every group, y is exchangeable with
// respect to x) its distribution is that of a sum of independent permutation distributions.
// Groups of up to 7 pairs are enumerated exactly (all n! orders); larger groups use `draws`
// seeded random permutations. Groups with fewer than 2 pairs or a constant x or y are skipped.
struct StratifiedSpearman {
    double statistic = 0.0;  // Σ_g ρ_g
    double p_upper = 1.0;    // P(S ≥ statistic) under the null
    double p_lower = 1.0;    // P(S ≤ statistic) under the null
    int groups = 0;          // groups used
};
StratifiedSpearman stratified_spearman_test(const std::vector<std::vector<double>>& x,
                                            const std::vector<std::vector<double>>& y, int draws,
                                            std::uint64_t seed);

}  // namespace gradcert::verify
