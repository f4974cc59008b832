#include "numerics/engine/noise.hpp"

#include <fmt/format.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "numerics/engine/train_rng.hpp"

namespace gradcert::engine {

Interval95 mean_confidence_interval(std::span<const double> values, double confidence) {
    const auto k = values.size();
    if (k < 2) throw std::invalid_argument("mean_confidence_interval: need at least 2 values");
    if (!(confidence > 0.0 && confidence < 1.0))
        throw std::invalid_argument("mean_confidence_interval: confidence must lie in (0, 1)");
    double mean = 0.0;
    for (double v : values) mean += v;
    mean /= static_cast<double>(k);
    double ss = 0.0;
    for (double v : values) ss += (v - mean) * (v - mean);
    const double sd = std::sqrt(ss / static_cast<double>(k - 1));
    const boost::math::students_t dist(static_cast<double>(k - 1));
    const double t = boost::math::quantile(dist, 0.5 + 0.5 * confidence);
    const double half = t * sd / std::sqrt(static_cast<double>(k));
    return {mean, mean - half, mean + half};
}

NoiseEstimate noise_from_samples(std::vector<double> values, int batch, int pool, int population,
                                 double lr, double confidence) {
    NoiseEstimate e;
    e.batch = batch;
    e.pool = pool;
    e.population = population;
    e.samples = static_cast<int>(values.size());
    e.confidence = confidence;
    e.mean_sq = mean_confidence_interval(values, confidence);
    e.values = std::move(values);
    const double b = batch;
    auto map = [](const Interval95& x, auto f) {
        return Interval95{f(x.value), f(std::max(0.0, x.lo)), f(x.hi)};
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (pool > batch) {
        const double to_v = b * (pool - 1.0) / (pool - b);
        e.v = map(e.mean_sq, [&](double s) { return to_v * s; });
        const double to_c2 = population > 1 ? (population - b) / (population - 1.0) : 0.0;
        e.c2 = map(e.v, [&](double v) { return v * to_c2; });
    } else {
        e.v = {nan, nan, nan};
        e.c2 = population == batch ? Interval95{0.0, 0.0, 0.0} : Interval95{nan, nan, nan};
    }
    e.delta = map(e.c2, [&](double c2) { return lr * std::sqrt(c2) / std::sqrt(b); });
    return e;
}

NoiseEstimate estimate_gradient_noise(const GradientOracle& oracle, std::span<const int> pool,
                                      int batch, int samples, int population, double lr,
                                      double confidence, std::uint64_t key) {
    const int m = static_cast<int>(pool.size());
    if (batch < 1 || batch > m || samples < 2)
        throw std::invalid_argument(fmt::format(
            "estimate_gradient_noise: need 1 ≤ b ≤ pool and K ≥ 2 (b = {}, pool = {}, K = {})",
            batch, m, samples));
    std::vector<double> g_pool, g_batch;
    oracle(pool, g_pool);
    double norm2 = 0.0;
    for (double g : g_pool) norm2 += g * g;
    std::vector<double> values;
    std::vector<int> chosen(static_cast<std::size_t>(batch));
    for (int k = 0; k < samples; ++k) {
        const std::vector<int> pick = sample_without_replacement(
            m, batch, stream_key(key, Stream::probe_batches, static_cast<std::uint64_t>(k)));
        for (int j = 0; j < batch; ++j)
            chosen[static_cast<std::size_t>(j)] =
                pool[static_cast<std::size_t>(pick[static_cast<std::size_t>(j)])];
        oracle(chosen, g_batch);
        double s = 0.0;
        for (std::size_t i = 0; i < g_pool.size(); ++i) {
            const double d = g_batch[i] - g_pool[i];
            s += d * d;
        }
        values.push_back(s);
    }
    NoiseEstimate e = noise_from_samples(std::move(values), batch, m, population, lr, confidence);
    e.grad_norm = std::sqrt(norm2);
    return e;
}

}  // namespace gradcert::engine
