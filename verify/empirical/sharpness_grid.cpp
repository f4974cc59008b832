#include "verify/empirical/sharpness_grid.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "numerics/engine/config.hpp"
#include "numerics/engine/noise.hpp"
#include "numerics/engine/probe.hpp"
#include "numerics/engine/sharpness.hpp"
#include "numerics/engine/threads.hpp"
#include "numerics/engine/train_rng.hpp"
#include "numerics/util/error.hpp"
#include "numerics/util/stopwatch.hpp"
#include "verify/empirical/run_store.hpp"

namespace fs = std::filesystem;

namespace gradcert::verify {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kFinalProbeStep = 0xf1a1;  // stream counter of the final probes

nlohmann::json num(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}
double num_from(const nlohmann::json& j) {
    return j.is_number() ? j.get<double>() : kNaN;
}

nlohmann::json probe_json(const GridPoint& p) {
    return {{"delta", num(p.delta)},
            {"delta_lo", num(p.delta_lo)},
            {"delta_hi", num(p.delta_hi)},
            {"c2", num(p.c2)},
            {"lambda_max", num(p.lambda_max)},
            {"lambda_relative_change", num(p.lambda_relative_change)},
            {"sharpness", num(p.sharpness)},
            {"adaptive_sharpness", num(p.adaptive_sharpness)},
            {"train_loss", num(p.train_loss)}};
}

void probe_from_json(const nlohmann::json& j, GridPoint& p) {
    p.delta = num_from(j.at("delta"));
    p.delta_lo = num_from(j.at("delta_lo"));
    p.delta_hi = num_from(j.at("delta_hi"));
    p.c2 = num_from(j.at("c2"));
    p.lambda_max = num_from(j.at("lambda_max"));
    p.lambda_relative_change = num_from(j.at("lambda_relative_change"));
    p.sharpness = num_from(j.at("sharpness"));
    p.adaptive_sharpness = num_from(j.at("adaptive_sharpness"));
    p.train_loss = num_from(j.at("train_loss"));
}

// δ̂, λ_max, ε-sharpness, adaptive sharpness and the training loss of the final weights.
void probe_final(const SharpnessGridConfig& c, const engine::TrainConfig& cfg,
                 const engine::DataSplit& data, engine::Model& model, GridPoint& p) {
    engine::set_threads(cfg.run.threads);
    const int n = data.train.size();
    const std::vector<int> order =
        engine::shuffled_indices(n, engine::stream_key(cfg.run.seed, engine::Stream::probe_pool));
    auto prefix = [&](int k) {
        return std::span<const int>(order.data(), static_cast<std::size_t>(std::min(k, n)));
    };
    // Without batch norm the gradient over a set does not depend on the chunking; with it, the
    // chunks are batches of the run's size (the objective SGD samples).
    const int chunk = model.buffers().empty() ? 256 : p.batch;
    engine::BatchAssembler batch;
    const int pool = std::min(n, std::max(c.noise_pool, 2 * p.batch));
    engine::GradientOracle oracle = [&](std::span<const int> idx, std::vector<double>& g) {
        return engine::mean_gradient(model, data.train, idx, chunk, g, batch);
    };
    const engine::NoiseEstimate ne = engine::estimate_gradient_noise(
        oracle, prefix(pool), p.batch, c.noise_batches, n, p.lr, c.confidence,
        engine::stream_key(cfg.run.seed, engine::Stream::probe_batches, kFinalProbeStep));
    p.delta = ne.delta.value;
    p.delta_lo = ne.delta.lo;
    p.delta_hi = ne.delta.hi;
    p.c2 = ne.c2.value;
    const engine::PowerIterationResult h = engine::hessian_top_eigenvalue(
        model, data.train, prefix(c.hessian_size), chunk, c.power_iterations, cfg.probe.fd_step,
        engine::stream_key(cfg.run.seed, engine::Stream::power_iteration, kFinalProbeStep), batch);
    p.lambda_max = h.lambda_max;
    p.lambda_relative_change = h.relative_change;
    p.sharpness = engine::epsilon_sharpness(model, data.train, prefix(c.sharpness_size), chunk,
                                            c.sharpness_epsilon, c.sharpness_steps, batch)
                      .keskar;
    p.adaptive_sharpness =
        engine::adaptive_sharpness(model, data.train, prefix(c.sharpness_size), chunk,
                                   c.adaptive_rho, c.sharpness_steps, batch)
            .increase;
    p.train_loss = engine::evaluate_dataset(model, data.train, cfg.run.eval_batch).loss;
}

// The second stage's η values (docs/claims.md, "Concavity in δ"): around the observed peak δ*
// (the fit's vertex if it is a maximum inside the grid's δ̂ range, else the δ̂ of the most
// accurate grid point), δ_j = δ*·10^{w(2j/(k−1) − 1)}, j = 0 … k−1, placed at the batch b_r by
// η_j = δ_j·√b_r/Ĉ, where Ĉ is the median of δ̂·√b/η over the grid's usable points at b_r (all
// usable points if none). Sets r.refine_centre and r.refine_c. Empty if nothing is usable.
std::vector<double> refinement_lrs(SharpnessGridResult& r) {
    const SharpnessGridConfig& c = r.config;
    const int br = refine_batch(c);
    std::vector<double> c_at_b, c_all;
    double lo = INFINITY, hi = -INFINITY, best_acc = -1.0, best_delta = kNaN;
    for (const GridPoint& p : r.points) {
        if (p.refinement || !usable_grid_point(r, p)) continue;
        const double ci = p.delta * std::sqrt(static_cast<double>(p.batch)) / p.lr;
        c_all.push_back(ci);
        if (p.batch == br) c_at_b.push_back(ci);
        lo = std::min(lo, p.delta);
        hi = std::max(hi, p.delta);
        if (p.test_acc > best_acc) {
            best_acc = p.test_acc;
            best_delta = p.delta;
        }
    }
    if (c_all.empty()) return {};
    const double chat = quantile(c_at_b.empty() ? c_all : c_at_b, 0.5);
    const bool vertex_inside =
        r.accuracy_fit.n > 0 && r.accuracy_fit.c2 < 0 && r.peak_delta >= lo && r.peak_delta <= hi;
    const double centre = vertex_inside ? r.peak_delta : best_delta;
    r.refine_centre = centre;
    r.refine_c = chat;
    std::vector<double> lrs;
    const int k = c.refine_points;
    for (int j = 0; j < k; ++j) {
        const double delta = centre * std::pow(10.0, c.refine_width * (2.0 * j / (k - 1) - 1.0));
        lrs.push_back(delta * std::sqrt(static_cast<double>(br)) / chat);
    }
    return lrs;
}

std::vector<double> column(const std::vector<GridPoint>& ps, double GridPoint::*field) {
    std::vector<double> v;
    for (const GridPoint& p : ps) v.push_back(p.*field);
    return v;
}

}  // namespace

int refine_batch(const SharpnessGridConfig& c) {
    if (c.refine_batch > 0) return c.refine_batch;
    std::vector<int> b = c.batches;
    std::sort(b.begin(), b.end());
    return b[b.size() / 2];
}

SharpnessGridConfig sharpness_grid_config(const ExperimentTable& t) {
    t.check_keys({"lrs", "batches", "seeds", "noise_pool", "noise_batches", "hessian_size",
                  "power_iterations", "sharpness_size", "sharpness_epsilon", "sharpness_steps",
                  "adaptive_rho", "bootstrap", "confidence", "refine_points", "refine_batch",
                  "refine_width"});
    SharpnessGridConfig c;
    c.train = t.train_config();
    c.lrs = t.get_doubles("lrs", c.lrs);
    c.batches = t.get_ints("batches", c.batches);
    c.seeds = t.get_ints("seeds", c.seeds);
    c.noise_pool = t.get_int("noise_pool", c.noise_pool);
    c.noise_batches = t.get_int("noise_batches", c.noise_batches);
    c.hessian_size = t.get_int("hessian_size", c.hessian_size);
    c.power_iterations = t.get_int("power_iterations", c.power_iterations);
    c.sharpness_size = t.get_int("sharpness_size", c.sharpness_size);
    c.sharpness_epsilon = t.get_double("sharpness_epsilon", c.sharpness_epsilon);
    c.sharpness_steps = t.get_int("sharpness_steps", c.sharpness_steps);
    c.adaptive_rho = t.get_double("adaptive_rho", c.adaptive_rho);
    c.bootstrap = t.get_int("bootstrap", c.bootstrap);
    c.confidence = t.get_double("confidence", c.confidence);
    c.refine_points = t.get_int("refine_points", c.refine_points);
    c.refine_batch = t.get_int("refine_batch", c.refine_batch);
    c.refine_width = t.get_double("refine_width", c.refine_width);
    if (c.refine_points < 0) t.fail("refine_points", "must be ≥ 0");
    if (c.refine_points == 1) t.fail("refine_points", "must be 0 or at least 2");
    if (c.refine_batch < 0) t.fail("refine_batch", "must be ≥ 0 (0: the middle batch size)");
    if (!(c.refine_width > 0.0) || !std::isfinite(c.refine_width))
        t.fail("refine_width", "must be positive (decades)");
    for (double lr : c.lrs)
        if (!(lr > 0.0) || !std::isfinite(lr)) t.fail("lrs", "every η must be positive");
    for (int b : c.batches)
        if (b < 1) t.fail("batches", "every b must be ≥ 1");
    if (c.lrs.size() * c.batches.size() * c.seeds.size() < 4)
        t.fail("lrs", "the grid needs at least 4 runs for rank correlations");
    if (c.noise_batches < 2) t.fail("noise_batches", "must be ≥ 2");
    if (c.power_iterations < 2) t.fail("power_iterations", "must be ≥ 2");
    if (c.bootstrap < 10) t.fail("bootstrap", "must be ≥ 10");
    if (!(c.adaptive_rho > 0.0) || !std::isfinite(c.adaptive_rho))
        t.fail("adaptive_rho", "must be positive");
    return c;
}

const Correlation* SharpnessGridResult::correlation(const std::string& x,
                                                    const std::string& y) const {
    for (const Correlation& c : correlations)
        if (c.x == x && c.y == y) return &c;
    return nullptr;
}

bool usable_grid_point(const SharpnessGridResult& r, const GridPoint& p) {
    const bool finite = std::isfinite(p.delta) && p.delta > 0 && std::isfinite(p.lambda_max) &&
                        std::isfinite(p.sharpness) && std::isfinite(p.adaptive_sharpness) &&
                        std::isfinite(p.test_acc);
    const bool collapsed = r.classes > 1 && !(p.train_loss < 0.9 * std::log(r.classes));
    return finite && !collapsed;
}

void analyse_grid(SharpnessGridResult& r) {
    const SharpnessGridConfig& c = r.config;
    std::vector<GridPoint> ok, fit_points;  // the grid's; the grid's and the second stage's
    for (const GridPoint& p : r.points)
        if (usable_grid_point(r, p)) {
            fit_points.push_back(p);
            if (!p.refinement) ok.push_back(p);
        }
    const std::vector<double> delta = column(ok, &GridPoint::delta),
                              lambda = column(ok, &GridPoint::lambda_max),
                              sharp = column(ok, &GridPoint::sharpness),
                              adaptive = column(ok, &GridPoint::adaptive_sharpness),
                              acc = column(ok, &GridPoint::test_acc);
    std::vector<double> batch, log_delta;
    for (const GridPoint& p : ok) {
        batch.push_back(p.batch);
        log_delta.push_back(std::log10(p.delta));
    }
    const std::uint64_t seed = engine::stream_key(c.train.run.seed, engine::Stream::subset, 0x6a1d);
    r.correlations.clear();
    auto add = [&](const char* xn, const std::vector<double>& x, const char* yn,
                   const std::vector<double>& y) {
        r.correlations.push_back(
            {xn, yn, spearman_ci(x, y, c.bootstrap, c.confidence, seed + r.correlations.size())});
    };
    add("delta", delta, "lambda_max", lambda);
    add("delta", delta, "sharpness", sharp);
    add("batch", batch, "lambda_max", lambda);
    add("delta", delta, "test_acc", acc);
    add("delta", delta, "adaptive_sharpness", adaptive);
    r.batch_lambda_within_lr.clear();
    std::vector<std::vector<double>> b_rows, l_rows;
    for (double lr : c.lrs) {
        std::vector<double> b_row, l_row;
        for (const GridPoint& p : ok)
            if (p.lr == lr) {
                b_row.push_back(p.batch);
                l_row.push_back(p.lambda_max);
            }
        if (b_row.size() >= 3) {
            r.batch_lambda_within_lr.emplace_back(lr, spearman(b_row, l_row));
            b_rows.push_back(b_row);
            l_rows.push_back(l_row);
        }
    }
    r.batch_lambda_stratified = stratified_spearman_test(b_rows, l_rows, 5000, seed + 7);
    r.accuracy_fit = QuadraticFit{};
    r.curvature = BootstrapInterval{};
    r.curvature_grid = BootstrapInterval{};
    r.curvature_grid.estimate = r.curvature_grid.lo = r.curvature_grid.hi = kNaN;
    r.peak_delta = kNaN;
    // The accuracy fit: every usable point, the second stage's included.
    std::vector<double> acc_fit = column(fit_points, &GridPoint::test_acc);
    log_delta.clear();
    for (const GridPoint& p : fit_points) log_delta.push_back(std::log10(p.delta));
    std::vector<double> distinct = log_delta;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() < 4) {
        r.curvature.estimate = r.curvature.lo = r.curvature.hi = kNaN;
        return;
    }
    r.accuracy_fit = fit_quadratic(log_delta, acc_fit);
    r.peak_delta = std::pow(10.0, r.accuracy_fit.vertex);
    std::vector<double> xs, ys;
    // c₂ of the points fit_points[map[idx[k]]] (map: identity when empty).
    auto curvature_of = [&](std::span<const int> idx, const std::vector<int>& map) {
        xs.clear();
        ys.clear();
        for (int i : idx) {
            const auto j =
                static_cast<std::size_t>(map.empty() ? i : map[static_cast<std::size_t>(i)]);
            xs.push_back(log_delta[j]);
            ys.push_back(acc_fit[j]);
        }
        try {
            return fit_quadratic(xs, ys).c2;
        } catch (const std::invalid_argument&) {
            return kNaN;  // a resample with fewer than 3 distinct δ̂
        }
    };
    const std::vector<int> all;
    r.curvature = bootstrap_ci(
        static_cast<int>(fit_points.size()),
        [&](std::span<const int> idx) { return curvature_of(idx, all); }, c.bootstrap, c.confidence,
        seed + 99);
    // The grid alone (without the second stage), to show what the second stage bought.
    std::vector<int> grid;
    for (std::size_t i = 0; i < fit_points.size(); ++i)
        if (!fit_points[i].refinement) grid.push_back(static_cast<int>(i));
    if (grid.size() < fit_points.size() && grid.size() >= 4)
        r.curvature_grid = bootstrap_ci(
            static_cast<int>(grid.size()),
            [&](std::span<const int> idx) { return curvature_of(idx, grid); }, c.bootstrap,
            c.confidence, seed + 99);
}

SharpnessGridResult run_sharpness_grid(const SharpnessGridConfig& config,
                                       const engine::DataSplit& data, const fs::path& work,
                                       bool resume) {
    const auto t0 = std::chrono::steady_clock::now();
    prepare_work_directory(work, resume);
    SharpnessGridResult result;
    result.config = config;
    result.classes = data.train.classes;
    result.test_examples = data.test.size();
    const nlohmann::json probe_setup = {{"noise_pool", config.noise_pool},
                                        {"noise_batches", config.noise_batches},
                                        {"hessian_size", config.hessian_size},
                                        {"power_iterations", config.power_iterations},
                                        {"sharpness_size", config.sharpness_size},
                                        {"sharpness_epsilon", config.sharpness_epsilon},
                                        {"sharpness_steps", config.sharpness_steps},
                                        {"adaptive_rho", config.adaptive_rho},
                                        {"confidence", config.confidence}};
    const int run_count =
        static_cast<int>(config.seeds.size() * config.lrs.size() * config.batches.size());
    int run_index = 0;
    auto train_point = [&](double lr, int b, int seed, bool refinement, int count) {
        engine::TrainConfig cfg = config.train;
        cfg.optim.lr = lr;
        cfg.optim.batch = b;
        cfg.run.seed = static_cast<std::uint64_t>(seed);
        if (b > data.train.size())
            throw InputError(fmt::format("{}: batch {} exceeds the {} training examples",
                                         cfg.source, b, data.train.size()));
        const fs::path dir =
            work / run_directory_name(fmt::format("lr{}-b{}-seed{}", lr, b, seed), cfg);
        const RunProgress progress{refinement ? "sharpness_grid (second stage)" : "sharpness_grid",
                                   ++run_index, count,
                                   fmt::format("η = {}, b = {}, seed {}", lr, b, seed)};
        engine::TrainResult tr = train_resumable(cfg, data, dir, 0, &progress);
        GridPoint p;
        p.lr = lr;
        p.batch = b;
        p.seed = static_cast<std::uint64_t>(seed);
        p.status = tr.status;
        p.updates = tr.steps;
        p.refinement = refinement;
        p.test_acc = tr.epochs.empty() ? kNaN : tr.epochs.back().test_acc;
        const std::string key =
            json_hash({{"train", engine::config_to_json(cfg)}, {"probe", probe_setup}});
        if (auto cached = load_cached_result(dir / "final_probe.json", key)) {
            probe_from_json(*cached, p);
        } else if (tr.status == engine::RunStatus::finished) {
            probe_final(config, cfg, data, *tr.model, p);
            store_cached_result(dir / "final_probe.json", key, probe_json(p));
        } else {
            p.delta = p.delta_lo = p.delta_hi = p.c2 = p.lambda_max = kNaN;
            p.lambda_relative_change = p.sharpness = p.adaptive_sharpness = kNaN;
            p.train_loss = kNaN;
        }
        result.points.push_back(p);
    };
    for (int seed : config.seeds)
        for (double lr : config.lrs)
            for (int b : config.batches) train_point(lr, b, seed, false, run_count);
    if (config.refine_points >= 2) {
        analyse_grid(result);
        const std::vector<double> lrs = refinement_lrs(result);
        run_index = 0;
        const int refine_count = static_cast<int>(lrs.size() * config.seeds.size());
        for (int seed : config.seeds)
            for (double lr : lrs) train_point(lr, refine_batch(config), seed, true, refine_count);
    }
    analyse_grid(result);
    result.wall_seconds = seconds_since(t0);
    return result;
}

nlohmann::json to_json(const SharpnessGridResult& r) {
    const SharpnessGridConfig& c = r.config;
    nlohmann::json points = nlohmann::json::array();
    for (const GridPoint& p : r.points) {
        nlohmann::json j = probe_json(p);
        j["lr"] = p.lr;
        j["batch"] = p.batch;
        j["seed"] = p.seed;
        j["status"] = engine::run_status_name(p.status);
        j["test_acc"] = num(p.test_acc);
        j["updates"] = p.updates;
        j["used_in_statistics"] = usable_grid_point(r, p);
        j["second_stage"] = p.refinement;
        points.push_back(j);
    }
    nlohmann::json corr = nlohmann::json::array();
    for (const Correlation& k : r.correlations)
        corr.push_back({{"x", k.x},
                        {"y", k.y},
                        {"spearman", num(k.rho.estimate)},
                        {"lo", num(k.rho.lo)},
                        {"hi", num(k.rho.hi)},
                        {"replicates", k.rho.replicates}});
    const QuadraticFit& q = r.accuracy_fit;
    return {{"estimate", true},
            {"config",
             {{"train", engine::config_to_json(c.train)},
              {"lrs", c.lrs},
              {"batches", c.batches},
              {"seeds", c.seeds},
              {"noise_pool", c.noise_pool},
              {"noise_batches", c.noise_batches},
              {"hessian_size", c.hessian_size},
              {"power_iterations", c.power_iterations},
              {"sharpness_size", c.sharpness_size},
              {"sharpness_epsilon", c.sharpness_epsilon},
              {"sharpness_steps", c.sharpness_steps},
              {"adaptive_rho", c.adaptive_rho},
              {"bootstrap", c.bootstrap},
              {"confidence", c.confidence},
              {"refine_points", c.refine_points},
              {"refine_batch", refine_batch(c)},
              {"refine_width", c.refine_width}}},
            {"refine_centre", num(r.refine_centre)},
            {"refine_c", num(r.refine_c)},
            {"points", points},
            {"correlations", corr},
            {"spearman_batch_lambda_within_lr", r.batch_lambda_within_lr},
            {"spearman_batch_lambda_stratified",
             {{"sum_of_rho", r.batch_lambda_stratified.statistic},
              {"p_upper", r.batch_lambda_stratified.p_upper},
              {"p_lower", r.batch_lambda_stratified.p_lower},
              {"rows", r.batch_lambda_stratified.groups}}},
            {"accuracy_quadratic_in_log10_delta",
             {{"c0", num(q.c0)},
              {"c1", num(q.c1)},
              {"c2", num(q.c2)},
              {"c2_se", num(q.c2_se)},
              {"c2_bootstrap", {num(r.curvature.lo), num(r.curvature.hi)}},
              {"c2_bootstrap_grid_only", {num(r.curvature_grid.lo), num(r.curvature_grid.hi)}},
              {"peak_delta", num(r.peak_delta)}}},
            {"wall_seconds", r.wall_seconds}};
}

}  // namespace gradcert::verify
