#include "verify/empirical/results_from_runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "numerics/util/error.hpp"
#include "verify/empirical/report_support.hpp"

namespace fs = std::filesystem;

namespace gradcert::verify {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int setting(const RunLabels& l, const char* key, int fallback) {
    return l.probe.contains(key) && l.probe.at(key).is_number()
               ? static_cast<int>(l.probe.at(key).get<double>())
               : fallback;
}
double setting(const RunLabels& l, const char* key, double fallback) {
    return l.probe.contains(key) && l.probe.at(key).is_number() ? l.probe.at(key).get<double>()
                                                                : fallback;
}

std::string join(const std::vector<std::string>& parts, const char* sep = ", ") {
    std::string s;
    for (const std::string& p : parts) s += (s.empty() ? "" : sep) + p;
    return s;
}

// "engine runs (gradcert train)", "ingested runs (gradcert_probe)", or both.
std::string source_of(const std::vector<const LoadedRun*>& used) {
    std::set<std::string> engine, other;
    for (const LoadedRun* r : used)
        (r->engine_run() ? engine : other).insert(r->tool.empty() ? "unknown tool" : r->tool);
    const std::vector<std::string> e(engine.begin(), engine.end()), o(other.begin(), other.end());
    if (o.empty()) return "engine runs (" + join(e) + ")";
    if (e.empty()) return "ingested runs (" + join(o) + ")";
    return "engine runs (" + join(e) + ") and ingested runs (" + join(o) + ")";
}

// The scale of the runs used: how many, which tools, model, dataset, epochs, seeds, and the
// runs' own "scale" statements (distinct ones).
std::string scale_of(const std::vector<const LoadedRun*>& used) {
    const RunLabels& l = used.front()->labels;
    std::set<std::uint64_t> seeds;
    std::set<std::size_t> epochs;
    std::vector<std::string> stated;
    for (const LoadedRun* r : used) {
        seeds.insert(r->labels.seed);
        epochs.insert(r->epochs.size());
        if (!r->scale.empty() && std::find(stated.begin(), stated.end(), r->scale) == stated.end())
            stated.push_back(r->scale);
    }
    std::vector<std::string> s, e;
    for (auto v : seeds) s.push_back(std::to_string(v));
    for (auto v : epochs) e.push_back(std::to_string(v));
    std::string text = fmt::format(
        "From {} run directories, {}: model {} on {} ({} training / {} test examples), {} "
        "epoch(s), seeds {{{}}}",
        used.size(), source_of(used), l.model, l.dataset,
        l.train_examples > 0 ? std::to_string(l.train_examples) : "?",
        l.test_examples > 0 ? std::to_string(l.test_examples) : "?", join(e, " / "), join(s));
    if (!stated.empty()) {
        const std::size_t shown = std::min<std::size_t>(stated.size(), 2);
        text += "; as the runs state it: \"" +
                join(std::vector<std::string>(stated.begin(), stated.begin() + shown), "\"; \"") +
                "\"";
        if (stated.size() > shown) text += fmt::format(" and {} more", stated.size() - shown);
    }
    return text;
}

// A TrainConfig holding what the setup lines of verify/claims/* print about the runs.
engine::TrainConfig train_config_of(const LoadedRun& r) {
    const RunLabels& l = r.labels;
    engine::TrainConfig t;
    t.source = r.dir.string();
    t.data.dataset = l.dataset;
    t.data.train_subset = t.data.synthetic.train = l.train_examples;
    t.data.test_subset = t.data.synthetic.test = l.test_examples;
    t.model.name = l.model;
    t.optim.lr = l.lr;
    t.optim.batch = l.batch;
    t.run.epochs = static_cast<int>(r.epochs.size());
    t.run.seed = 0;
    t.run.threads = l.threads;
    return t;
}

void require_equal_length(const std::vector<const LoadedRun*>& used, const char* page) {
    for (const LoadedRun* r : used)
        if (r->epochs.size() != used.front()->epochs.size())
            throw_input_error(
                r->dir.string(),
                fmt::format("{} epochs, but {} has {} (the {} page compares runs of equal length)",
                            r->epochs.size(), used.front()->dir.string(),
                            used.front()->epochs.size(), page));
}

template <typename Result>
FromRuns<Result> skipped(std::string why) {
    FromRuns<Result> out;
    out.skipped = std::move(why);
    return out;
}

engine::RunStatus status_of(const LoadedRun& r) {
    return r.status == "diverged"                           ? engine::RunStatus::diverged
           : r.status == "stopped" || r.status == "running" ? engine::RunStatus::stopped
                                                            : engine::RunStatus::finished;
}

// Arms in the order of arm_names(), then other labels sorted.
std::vector<std::string> ordered_arms(const std::set<std::string>& arms) {
    std::vector<std::string> out;
    for (const std::string& a : arm_names())
        if (arms.count(a)) out.push_back(a);
    for (const std::string& a : arms)
        if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    return out;
}

bool has_final_probes(const engine::EpochRecord& e) {
    return std::isfinite(e.delta) && std::isfinite(e.lambda_max) && std::isfinite(e.sharpness) &&
           std::isfinite(e.adaptive_sharpness);
}

bool constant_schedule(const LoadedRun& r) {
    for (const engine::EpochRecord& e : r.epochs)
        if (!(e.lr == r.epochs.front().lr) || e.batch != r.epochs.front().batch) return false;
    return std::isfinite(r.epochs.front().lr) && r.epochs.front().batch > 0;
}

double last_probe_number(const LoadedRun& r, const char* object, const char* key) {
    for (auto it = r.probes.rbegin(); it != r.probes.rend(); ++it)
        if (it->contains(object) && it->at(object).is_object() && it->at(object).contains(key) &&
            it->at(object).at(key).is_number())
            return it->at(object).at(key).get<double>();
    return kNaN;
}

}  // namespace

FromRuns<SchedulesResult> schedules_from_runs(const std::vector<LoadedRun>& runs) {
    std::vector<const LoadedRun*> used;
    std::set<std::string> arms;
    for (const LoadedRun& r : runs)
        if (!r.labels.schedule.empty()) {
            used.push_back(&r);
            arms.insert(r.labels.schedule);
        }
    if (arms.size() < 2)
        return skipped<SchedulesResult>(fmt::format(
            "needs runs of at least 2 schedule arms (manifest \"experiment\".\"schedule\", or a "
            "`gradcert train` schedule equal to an arm of verify/empirical/schedules.hpp); {} of "
            "the {} runs name {} arm(s)",
            used.size(), runs.size(), arms.size()));
    require_equal_length(used, "schedules");
    std::set<std::pair<std::string, std::uint64_t>> seen;
    std::set<std::uint64_t> seeds;
    bool all_final = true;
    for (const LoadedRun* r : used) {
        if (!seen.insert({r->labels.schedule, r->labels.seed}).second)
            throw_input_error(r->dir.string(),
                              fmt::format("a second run of arm \"{}\" with seed {}",
                                          r->labels.schedule, r->labels.seed));
        if (!(r->labels.lr == used.front()->labels.lr) ||
            r->labels.batch != used.front()->labels.batch)
            throw_input_error(r->dir.string(),
                              fmt::format("η₀ = {}, b₀ = {}, but {} has η₀ = {}, b₀ = {} (the "
                                          "arms of a schedules page start from one (η₀, b₀))",
                                          r->labels.lr, r->labels.batch, used.front()->dir.string(),
                                          used.front()->labels.lr, used.front()->labels.batch));
        seeds.insert(r->labels.seed);
        all_final = all_final && std::isfinite(r->labels.final_train_loss);
    }
    FromRuns<SchedulesResult> out;
    SchedulesResult& res = out.result.emplace();
    SchedulesConfig& c = res.config;
    c.train = train_config_of(*used.front());
    c.arms = ordered_arms(arms);
    c.seeds.clear();
    for (std::uint64_t s : seeds) c.seeds.push_back(static_cast<int>(s));
    c.every = used.front()->labels.every;
    c.probe_pool = setting(used.front()->labels, "probe_size", 0);
    c.probe_batches = setting(used.front()->labels, "batches", 0);
    std::set<std::uint64_t> probed;
    for (const std::string& arm : c.arms)
        for (std::uint64_t seed : seeds)
            for (const LoadedRun* r : used) {
                if (r->labels.schedule != arm || r->labels.seed != seed) continue;
                ScheduleRun run;
                run.arm = arm;
                run.seed = seed;
                run.status = status_of(*r);
                run.epochs = r->epochs;
                run.updates = r->epochs.back().updates;
                run.final_train_loss =
                    all_final ? r->labels.final_train_loss : r->epochs.back().train_loss;
                run.final_train_accuracy =
                    all_final ? r->labels.final_train_acc : r->epochs.back().train_acc;
                for (const engine::EpochRecord& e : r->epochs)
                    if (std::isfinite(e.delta)) probed.insert(seed);
                res.runs.push_back(std::move(run));
            }
    c.probe_seeds = static_cast<int>(probed.size());
    for (const std::string& arm : c.arms) res.arms.push_back(summarise_arm(arm, res.runs));
    for (const LoadedRun* r : used)
        if (std::isfinite(r->epochs.back().wall_seconds))
            res.wall_seconds += r->epochs.back().wall_seconds;
    out.runs = static_cast<int>(used.size());
    out.source = source_of(used);
    out.scale = scale_of(used);
    if (!all_final)
        out.notes =
            "**From the runs.** Not every run states its evaluation-mode final training loss "
            "(manifest \"experiment\".\"final_train_loss\"), so the final training loss here is "
            "the last epoch's mean mini-batch loss (training mode) of every run.\n\n";
    return out;
}

FromRuns<SharpnessGridResult> sharpness_grid_from_runs(const std::vector<LoadedRun>& runs) {
    std::vector<const LoadedRun*> used;
    std::set<std::pair<double, int>> cells;
    for (const LoadedRun& r : runs)
        if (constant_schedule(r) && has_final_probes(r.epochs.back())) {
            used.push_back(&r);
            cells.insert({r.epochs.front().lr, r.epochs.front().batch});
        }
    if (used.size() < 4 || cells.size() < 2)
        return skipped<SharpnessGridResult>(fmt::format(
            "needs at least 4 runs at constant (η, b), at least 2 distinct, whose last epoch has "
            "the probes delta, lambda_max, sharpness and adaptive_sharpness in epochs.csv; {} of "
            "the {} runs have them, at {} distinct (η, b)",
            used.size(), runs.size(), cells.size()));
    require_equal_length(used, "sharpness-grid");
    FromRuns<SharpnessGridResult> out;
    SharpnessGridResult& res = out.result.emplace();
    SharpnessGridConfig& c = res.config;
    const RunLabels& l = used.front()->labels;
    c.train = train_config_of(*used.front());
    c.noise_pool = setting(l, "probe_size", 0);
    c.noise_batches = setting(l, "batches", 0);
    c.hessian_size = setting(l, "hessian_size", 0);
    c.power_iterations = setting(l, "power_iterations", 0);
    c.sharpness_size = setting(l, "sharpness_size", 0);
    c.sharpness_epsilon = setting(l, "sharpness_epsilon", kNaN);
    c.sharpness_steps = setting(l, "sharpness_steps", 0);
    c.adaptive_rho = setting(l, "adaptive_rho", kNaN);
    c.confidence = 0.95;  // of the rank-correlation intervals (the engine experiment's)
    c.bootstrap = 2000;
    std::set<double> lrs;
    std::set<int> batches;
    std::set<std::uint64_t> seeds;
    std::set<std::tuple<double, int, std::uint64_t>> seen;
    bool all_final = true, same_probes = true;
    for (const LoadedRun* r : used) {
        const engine::EpochRecord& e = r->epochs.back();
        same_probes = same_probes && r->labels.probe == l.probe;
        if (!seen.insert({e.lr, e.batch, r->labels.seed}).second)
            throw_input_error(r->dir.string(),
                              fmt::format("a second run at η = {}, b = {}, seed {}", e.lr, e.batch,
                                          r->labels.seed));
        lrs.insert(e.lr);
        batches.insert(e.batch);
        seeds.insert(r->labels.seed);
        all_final = all_final && std::isfinite(r->labels.final_train_loss);
    }
    c.lrs.assign(lrs.begin(), lrs.end());
    c.batches.assign(batches.begin(), batches.end());
    c.seeds.clear();
    for (std::uint64_t s : seeds) c.seeds.push_back(static_cast<int>(s));
    res.classes = l.classes;
    for (const LoadedRun* r : used) {
        const engine::EpochRecord& e = r->epochs.back();
        GridPoint p;
        p.lr = e.lr;
        p.batch = e.batch;
        p.seed = r->labels.seed;
        p.status = status_of(*r);
        p.delta = e.delta;
        p.delta_lo = e.delta_lo;
        p.delta_hi = e.delta_hi;
        p.c2 = e.c2;
        p.lambda_max = e.lambda_max;
        p.lambda_relative_change = last_probe_number(*r, "hessian", "relative_change");
        p.sharpness = e.sharpness;
        p.adaptive_sharpness = e.adaptive_sharpness;
        p.test_acc = e.test_acc;
        p.train_loss = all_final ? r->labels.final_train_loss : e.train_loss;
        p.updates = e.updates;
        res.points.push_back(p);
        if (std::isfinite(e.wall_seconds)) res.wall_seconds += e.wall_seconds;
    }
    std::sort(res.points.begin(), res.points.end(), [](const GridPoint& a, const GridPoint& b) {
        return std::tie(a.seed, a.lr, a.batch) < std::tie(b.seed, b.lr, b.batch);
    });
    analyse_grid(res);
    out.runs = static_cast<int>(used.size());
    out.source = source_of(used);
    out.scale = scale_of(used);
    out.notes =
        "**From the runs.** Each grid point is a run's last epoch as its epochs.csv records it: "
        "the probes ran with the run's own settings (listed in the setup) at the run's own (η, "
        "b); gradcert_probe's λ_max uses exact Hessian-vector products (double backward), the "
        "engine's finite differences (python/README.md)" +
        std::string(all_final ? ""
                              : "; the training loss column (and the collapse test) is the last "
                                "epoch's mean mini-batch loss, because not every run states its "
                                "evaluation-mode final training loss") +
        std::string(same_probes ? ""
                                : "; the runs' probe settings differ, and the setup lists the "
                                  "first run's") +
        ".\n\n";
    return out;
}

namespace {

// j[key] when it is a number, NaN otherwise (non-finite numbers are null in steps.jsonl).
double number(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>()
                                                                     : kNaN;
}

// One probed point of a run: the per-b noise objects of a probe record (≥ 3 sizes), or empty.
std::vector<nlohmann::json> per_batch_of(const nlohmann::json& probe) {
    if (!probe.contains("noise") || !probe.at("noise").is_object()) return {};
    const nlohmann::json& n = probe.at("noise");
    if (!n.contains("per_batch") || !n.at("per_batch").is_array()) return {};
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& b : n.at("per_batch"))
        if (b.is_object() && b.contains("batch") && b.contains("values") &&
            b.at("values").is_array() && b.at("values").size() >= 3 && b.contains("pool") &&
            b.contains("population"))
            out.push_back(b);
    std::sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return a.at("batch").get<int>() < b.at("batch").get<int>();
    });
    return out.size() >= 3 ? out : std::vector<nlohmann::json>{};
}

using NoisePoints = std::vector<std::pair<const nlohmann::json*, std::vector<nlohmann::json>>>;

// The noise-scaling result of one run from its probed points (per_batch_of of each probe).
FromRuns<NoiseScalingResult> noise_scaling_of_run(const LoadedRun& r, const NoisePoints& points) {
    FromRuns<NoiseScalingResult> out;
    NoiseScalingResult& res = out.result.emplace();
    NoiseScalingConfig& c = res.config;
    c.train = train_config_of(r);
    c.train.run.seed = r.labels.seed;
    c.bootstrap = 1000;
    c.confidence = setting(r.labels, "confidence", 0.95);
    for (const nlohmann::json& b : points.front().second)
        c.batches.push_back(b.at("batch").get<int>());
    c.samples = static_cast<int>(points.front().second.front().at("values").size());
    res.pool = points.front().second.front().at("pool").get<int>();
    res.population = points.front().second.front().at("population").get<int>();
    c.pool = res.pool;
    for (const auto& [probe, bs] : points) {
        std::vector<int> grid;
        std::vector<std::vector<double>> values;
        for (const nlohmann::json& b : bs) {
            grid.push_back(b.at("batch").get<int>());
            values.push_back(b.at("values").get<std::vector<double>>());
            if (b.at("pool").get<int>() != res.pool ||
                b.at("population").get<int>() != res.population)
                throw_input_error((r.dir / "steps.jsonl").string(),
                                  "probe.noise.per_batch: pool or population differs between "
                                  "probes");
        }
        if (grid != c.batches)
            throw_input_error((r.dir / "steps.jsonl").string(),
                              "probe.noise.per_batch: the batch sizes differ between probes");
        for (int b : grid)
            if (b >= res.pool)
                throw_input_error((r.dir / "steps.jsonl").string(),
                                  fmt::format("probe.noise.per_batch: b = {} is not smaller "
                                              "than the pool {}",
                                              b, res.pool));
        const int epoch = probe->value("epoch", 0);
        c.points.push_back(epoch);
        c.train.optim.lr = probe->value("lr", r.labels.lr);
        const nlohmann::json pool = probe->value("pool", nlohmann::json::object());
        res.points.push_back(analyse_noise_point(c, epoch, res.population, res.pool, values,
                                                 number(pool, "loss"), number(pool, "acc"),
                                                 number(probe->at("noise"), "grad_norm")));
    }
    res.training = r.epochs;
    if (std::isfinite(r.epochs.back().wall_seconds))
        res.wall_seconds = r.epochs.back().wall_seconds;
    const std::vector<const LoadedRun*> used{&r};
    out.runs = 1;
    out.source = source_of(used);
    out.scale = scale_of(used);
    out.notes = "**From the runs.** The noise values are those of the probes in " +
                run_name(r.dir) + "/steps.jsonl" +
                " (probe.noise.per_batch), measured by the run's producer at the end of the "
                "epochs listed.\n\n";
    return out;
}

}  // namespace

FromRuns<NoiseScalingResult> noise_scaling_from_runs(const std::vector<LoadedRun>& runs) {
    for (const LoadedRun& r : runs) {
        try {
            NoisePoints points;
            for (const nlohmann::json& p : r.probes)
                if (auto bs = per_batch_of(p); !bs.empty()) points.emplace_back(&p, std::move(bs));
            if (!points.empty()) return noise_scaling_of_run(r, points);
        } catch (const nlohmann::json::exception& e) {
            throw_input_error((r.dir / "steps.jsonl").string(),
                              std::string("malformed probe.noise.per_batch (") + e.what() + ")");
        }
    }
    return skipped<NoiseScalingResult>(
        "needs a run whose steps.jsonl probes carry noise values at ≥ 3 batch sizes "
        "(probe.noise.per_batch; gradcert_probe's noise_batch_sizes setting); none of the " +
        std::to_string(runs.size()) + " runs has them");
}

}  // namespace gradcert::verify
