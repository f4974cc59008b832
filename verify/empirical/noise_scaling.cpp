#include "verify/empirical/noise_scaling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "numerics/engine/config.hpp"
#include "numerics/engine/probe.hpp"
#include "numerics/engine/threads.hpp"
#include "numerics/engine/train_rng.hpp"
#include "numerics/util/error.hpp"
#include "numerics/util/stopwatch.hpp"
#include "verify/empirical/model_snapshot.hpp"
#include "verify/empirical/run_store.hpp"

namespace fs = std::filesystem;

namespace gradcert::verify {

namespace {

constexpr int kMaxChunk = 256;

bool strictly_ascending(const std::vector<int>& v) {
    for (std::size_t i = 1; i < v.size(); ++i)
        if (v[i] <= v[i - 1]) return false;
    return true;
}

int pool_size(const NoiseScalingConfig& c, int n) {
    return c.pool > 0 ? std::min(c.pool, n) : n;
}

void validate(const NoiseScalingConfig& c, int n) {
    const std::string& w = c.train.source;
    if (c.points.empty() || !strictly_ascending(c.points) || c.points.front() < 0 ||
        c.points.back() > c.train.run.epochs)
        throw InputError(w + ": points must be strictly ascending epochs in [0, epochs]");
    if (c.batches.size() < 3 || !strictly_ascending(c.batches) || c.batches.front() < 1)
        throw InputError(w + ": batches must be at least 3 strictly ascending sizes ≥ 1");
    if (c.samples < 3) throw InputError(w + ": samples (K) must be at least 3");
    if (c.bootstrap < 10) throw InputError(w + ": bootstrap must be at least 10");
    if (!(c.confidence > 0 && c.confidence < 1))
        throw InputError(w + ": confidence must lie in (0, 1)");
    if (n > 0 && c.batches.back() >= pool_size(c, n))
        throw InputError(fmt::format("{}: the largest batch {} must be smaller than the pool {}", w,
                                     c.batches.back(), pool_size(c, n)));
}

double log_corrected(double mean_sq, int b, int m) {
    return std::log(mean_sq * (m - 1.0) / (m - static_cast<double>(b)));
}

// Slope of log(mean) (optionally corrected) against log b for resampled values.
double slope_of(const NoiseScalingConfig& c, int m, const std::vector<std::vector<double>>& values,
                const std::vector<std::vector<int>>& idx, bool correct) {
    std::vector<double> x, y;
    for (std::size_t j = 0; j < values.size(); ++j) {
        double s = 0.0;
        for (int i : idx[j]) s += values[j][static_cast<std::size_t>(i)];
        s /= static_cast<double>(idx[j].size());
        if (!(s > 0.0)) return std::numeric_limits<double>::quiet_NaN();
        x.push_back(std::log(static_cast<double>(c.batches[j])));
        y.push_back(correct ? log_corrected(s, c.batches[j], m) : std::log(s));
    }
    return fit_line(x, y).slope;
}

NoiseAtBatch analyse_batch(const NoiseScalingConfig& c, int b, int n, int m,
                           std::vector<double> values) {
    NoiseAtBatch a;
    a.estimate = engine::noise_from_samples(values, b, m, n, c.train.optim.lr, c.confidence);
    const double mu = mean(values), sd = sample_sd(values);
    a.corrected = mu * (m - 1.0) / (m - static_cast<double>(b));
    a.chi2_dof = sd > 0.0 ? 2.0 * mu * mu / (sd * sd) : std::numeric_limits<double>::infinity();
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> empirical, theoretical;
    const auto k = static_cast<double>(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        empirical.push_back(sorted[i] / mu);
        theoretical.push_back(
            std::isfinite(a.chi2_dof)
                ? scaled_chi_square_quantile((static_cast<double>(i) + 0.5) / k, a.chi2_dof)
                : 1.0);
    }
    a.qq_correlation = pearson(empirical, theoretical);
    std::vector<double> norms;
    for (double s : values) norms.push_back(std::sqrt(s));
    a.norm_q10 = quantile(norms, 0.1);
    a.norm_q50 = quantile(norms, 0.5);
    a.norm_q90 = quantile(norms, 0.9);
    return a;
}

struct RawPoint {
    double pool_loss = 0.0, pool_accuracy = 0.0, grad_norm = 0.0;
    std::vector<std::vector<double>> values;  // per b
};

nlohmann::json raw_to_json(const RawPoint& r) {
    return {{"pool_loss", r.pool_loss},
            {"pool_accuracy", r.pool_accuracy},
            {"grad_norm", r.grad_norm},
            {"values", r.values}};
}

RawPoint raw_from_json(const nlohmann::json& j) {
    RawPoint r;
    r.pool_loss = j.at("pool_loss").get<double>();
    r.pool_accuracy = j.at("pool_accuracy").get<double>();
    r.grad_norm = j.at("grad_norm").get<double>();
    r.values = j.at("values").get<std::vector<std::vector<double>>>();
    return r;
}

// The K values s_k for every b at the weights of `model`.
RawPoint measure_point(const NoiseScalingConfig& c, const engine::DataSplit& data,
                       engine::Model& model, int epoch) {
    const int n = data.train.size(), m = pool_size(c, n);
    if (!model.buffers().empty())
        throw InputError(c.train.source + ": noise scaling needs a model without batch norm (" +
                         c.train.model.name +
                         " has buffers, so a gradient over a set would depend on the chunking)");
    const std::vector<int> order = engine::shuffled_indices(
        n, engine::stream_key(c.train.run.seed, engine::Stream::probe_pool));
    const std::vector<int> pool(order.begin(), order.begin() + m);
    engine::BatchAssembler assembler;
    RawPoint r;
    std::vector<double> g_pool, g;
    int correct = 0;
    r.pool_loss =
        engine::mean_gradient(model, data.train, pool, kMaxChunk, g_pool, assembler, &correct);
    r.pool_accuracy = static_cast<double>(correct) / m;
    double norm2 = 0.0;
    for (double v : g_pool) norm2 += v * v;
    r.grad_norm = std::sqrt(norm2);
    std::vector<int> chosen;
    for (int b : c.batches) {
        std::vector<double> values;
        for (int k = 0; k < c.samples; ++k) {
            const std::uint64_t key = engine::stream_key(
                c.train.run.seed, engine::Stream::probe_batches,
                static_cast<std::uint64_t>(epoch) * 1000003ULL + static_cast<std::uint64_t>(b),
                static_cast<std::uint64_t>(k));
            const std::vector<int> pick = engine::sample_without_replacement(m, b, key);
            chosen.clear();
            for (int p : pick) chosen.push_back(pool[static_cast<std::size_t>(p)]);
            engine::mean_gradient(model, data.train, chosen, std::min(b, kMaxChunk), g, assembler);
            double s = 0.0;
            for (std::size_t i = 0; i < g.size(); ++i) s += (g[i] - g_pool[i]) * (g[i] - g_pool[i]);
            values.push_back(s);
        }
        r.values.push_back(std::move(values));
    }
    return r;
}

nlohmann::json fit_json(const LinearFit& f) {
    return {{"slope", f.slope},
            {"slope_se", f.slope_se},
            {"intercept", f.intercept},
            {"r2", f.r2},
            {"n", f.n}};
}

nlohmann::json ci_json(const BootstrapInterval& b) {
    return {{"estimate", b.estimate}, {"lo", b.lo}, {"hi", b.hi}, {"replicates", b.replicates}};
}

nlohmann::json interval_json(const engine::Interval95& i) {
    return {i.value, i.lo, i.hi};
}

}  // namespace

double slope_interval_level(const NoiseScalingConfig& c) {
    return 1.0 -
           (1.0 - c.confidence) / static_cast<double>(std::max<std::size_t>(c.points.size(), 1));
}

NoiseScalingConfig noise_scaling_config(const ExperimentTable& t) {
    t.check_keys({"points", "batches", "samples", "pool", "bootstrap", "confidence"});
    NoiseScalingConfig c;
    c.train = t.train_config();
    c.points = t.get_ints("points", {0, c.train.run.epochs});
    c.batches = t.get_ints("batches", {8, 16, 32, 64, 128, 256, 512, 1024});
    c.samples = t.get_int("samples", c.samples);
    c.pool = t.get_int("pool", c.pool);
    c.bootstrap = t.get_int("bootstrap", c.bootstrap);
    c.confidence = t.get_double("confidence", c.confidence);
    validate(c, 0);
    return c;
}

NoisePoint analyse_noise_point(const NoiseScalingConfig& c, int epoch, int population, int pool,
                               const std::vector<std::vector<double>>& values, double pool_loss,
                               double pool_accuracy, double grad_norm) {
    if (values.size() != c.batches.size())
        throw std::invalid_argument("analyse_noise_point: one value list per batch size needed");
    NoisePoint p;
    p.epoch = epoch;
    p.pool_loss = pool_loss;
    p.pool_accuracy = pool_accuracy;
    p.grad_norm = grad_norm;
    std::vector<double> logb, logm, logc, logf, logc2;
    for (std::size_t j = 0; j < values.size(); ++j) {
        const int b = c.batches[j];
        p.batches.push_back(analyse_batch(c, b, population, pool, values[j]));
        logb.push_back(std::log(static_cast<double>(b)));
        logm.push_back(std::log(p.batches.back().estimate.mean_sq.value));
        logc.push_back(std::log(p.batches.back().corrected));
        logf.push_back(std::log((pool - static_cast<double>(b)) / (b * (pool - 1.0))));
        logc2.push_back(std::log(p.batches.back().estimate.c2.value));
    }
    p.plain = fit_line(logb, logm);
    p.corrected = fit_line(logb, logc);
    p.expected_plain_slope = fit_line(logb, logf).slope;
    std::vector<int> sizes;
    for (const auto& v : values) sizes.push_back(static_cast<int>(v.size()));
    const std::uint64_t seed = engine::stream_key(c.train.run.seed, engine::Stream::subset, 0x5e0,
                                                  static_cast<std::uint64_t>(epoch));
    const double level = slope_interval_level(c);
    p.plain_ci = bootstrap_ci_grouped(
        sizes, [&](const auto& idx) { return slope_of(c, pool, values, idx, false); }, c.bootstrap,
        level, seed);
    p.corrected_ci = bootstrap_ci_grouped(
        sizes, [&](const auto& idx) { return slope_of(c, pool, values, idx, true); }, c.bootstrap,
        level, seed + 1);
    p.c2_geometric_mean = std::exp(mean(logc2));
    p.c2_max_over_min = std::exp(*std::max_element(logc2.begin(), logc2.end()) -
                                 *std::min_element(logc2.begin(), logc2.end()));
    return p;
}

NoiseScalingResult run_noise_scaling(const NoiseScalingConfig& config,
                                     const engine::DataSplit& data, const fs::path& work,
                                     bool resume) {
    const auto t0 = std::chrono::steady_clock::now();
    const int n = data.train.size(), m = pool_size(config, n);
    validate(config, n);
    prepare_work_directory(work, resume);
    engine::set_threads(config.train.run.threads);
    const fs::path run_dir = work / run_directory_name("noise-run", config.train);
    NoiseScalingResult result;
    result.config = config;
    result.population = n;
    result.pool = m;
    const nlohmann::json setup = {{"train", engine::config_to_json(config.train)},
                                  {"batches", config.batches},
                                  {"samples", config.samples},
                                  {"pool", m}};
    const RunProgress progress{"noise_scaling", 1, 1, "noise-run"};
    for (int epoch : config.points) {
        print_run_progress(progress, fmt::format("measuring the noise after epoch {}", epoch));
        const fs::path cache = work / fmt::format("noise-e{}.json", epoch);
        const std::string key = json_hash({{"setup", setup}, {"epoch", epoch}});
        RawPoint raw;
        if (auto cached = load_cached_result(cache, key)) {
            raw = raw_from_json(*cached);
        } else {
            std::unique_ptr<engine::Model> model =
                model_after_epoch(config.train, data, run_dir, epoch, &progress);
            raw = measure_point(config, data, *model, epoch);
            store_cached_result(cache, key, raw_to_json(raw));
        }
        result.points.push_back(analyse_noise_point(config, epoch, n, m, raw.values, raw.pool_loss,
                                                    raw.pool_accuracy, raw.grad_norm));
    }
    if (config.points.back() > 0)
        result.training =
            train_resumable(config.train, data, run_dir, config.points.back(), &progress).epochs;
    result.wall_seconds = seconds_since(t0);
    return result;
}

nlohmann::json to_json(const NoiseScalingResult& r) {
    const NoiseScalingConfig& c = r.config;
    nlohmann::json points = nlohmann::json::array();
    for (const NoisePoint& p : r.points) {
        nlohmann::json bs = nlohmann::json::array();
        for (const NoiseAtBatch& a : p.batches) {
            const engine::NoiseEstimate& e = a.estimate;
            bs.push_back({{"batch", e.batch},
                          {"mean_sq", interval_json(e.mean_sq)},
                          {"corrected", a.corrected},
                          {"v", interval_json(e.v)},
                          {"c2", interval_json(e.c2)},
                          {"delta", interval_json(e.delta)},
                          {"chi2_dof", a.chi2_dof},
                          {"qq_correlation", a.qq_correlation},
                          {"norm_quantiles", {a.norm_q10, a.norm_q50, a.norm_q90}},
                          {"values", e.values}});
        }
        points.push_back({{"epoch", p.epoch},
                          {"pool_loss", p.pool_loss},
                          {"pool_accuracy", p.pool_accuracy},
                          {"grad_norm", p.grad_norm},
                          {"plain", fit_json(p.plain)},
                          {"plain_bootstrap", ci_json(p.plain_ci)},
                          {"corrected", fit_json(p.corrected)},
                          {"corrected_bootstrap", ci_json(p.corrected_ci)},
                          {"expected_plain_slope", p.expected_plain_slope},
                          {"c2_geometric_mean", p.c2_geometric_mean},
                          {"c2_max_over_min", p.c2_max_over_min},
                          {"batches", bs}});
    }
    nlohmann::json training = nlohmann::json::array();
    for (const engine::EpochRecord& e : r.training) training.push_back(engine::to_json(e));
    return {{"estimate", true},
            {"config",
             {{"train", engine::config_to_json(c.train)},
              {"points", c.points},
              {"batches", c.batches},
              {"samples", c.samples},
              {"pool", c.pool},
              {"bootstrap", c.bootstrap},
              {"confidence", c.confidence}}},
            {"population", r.population},
            {"pool", r.pool},
            {"points", points},
            {"training", training},
            {"wall_seconds", r.wall_seconds}};
}

}  // namespace gradcert::verify
