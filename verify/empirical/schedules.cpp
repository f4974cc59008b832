#include "verify/empirical/schedules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "numerics/engine/config.hpp"
#include "numerics/engine/probe.hpp"
#include "numerics/engine/schedule.hpp"
#include "numerics/engine/threads.hpp"
#include "numerics/util/error.hpp"
#include "numerics/util/stopwatch.hpp"
#include "verify/empirical/run_store.hpp"
#include "verify/empirical/statistics.hpp"

namespace fs = std::filesystem;

namespace gradcert::verify {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::vector<std::string> arm_names() {
    return {"constant", "lr-sqrt2", "batch-x2",      "hybrid",         "poly-0.9",     "poly-1",
            "cosine",   "lr-half",  "batch-x2-long", "lr-sqrt2-short", "lr-half-short"};
}

std::string update_partner(const std::string& arm) {
    if (arm == "batch-x2-long") return "lr-sqrt2";
    if (arm == "lr-sqrt2-short" || arm == "lr-half-short") return "batch-x2";
    return "";
}

std::vector<std::uint64_t> stage_ends(const SchedulesConfig& config, const std::string& arm,
                                      int n) {
    const engine::TrainConfig& t = config.train;
    const engine::ScheduleConfig sc = arm_schedule(arm, config.every, t.source);
    const engine::Schedule s(sc, t.optim.lr, t.optim.batch, t.run.epochs, n, t.source);
    std::vector<std::uint64_t> ends;
    std::uint64_t u = 0;
    for (int e = 0; e < t.run.epochs; ++e) {
        u += static_cast<std::uint64_t>(engine::updates_in_epoch(s, e, u, n));
        if (e + 1 == t.run.epochs || s.at(e + 1).stage != s.at(e).stage) ends.push_back(u);
    }
    return ends;
}

engine::TrainConfig schedule_run_config(const SchedulesConfig& c, const std::string& arm,
                                        std::uint64_t seed, bool probe, int n) {
    engine::TrainConfig cfg = c.train;
    cfg.schedule = arm_schedule(arm, c.every, c.train.source);
    if (const std::string partner = update_partner(arm); !partner.empty()) {
        cfg.schedule.stage_updates = stage_ends(c, partner, n);
        const engine::Schedule s(cfg.schedule, cfg.optim.lr, cfg.optim.batch, cfg.run.epochs, n,
                                 c.train.source);
        cfg.run.epochs = engine::epochs_needed(s, cfg.run.epochs, n);
    }
    cfg.run.seed = seed;
    if (probe) {
        cfg.probe.at_epoch_end = true;
        cfg.probe.noise = true;
        cfg.probe.probe_size = c.probe_pool;
        cfg.probe.batches = c.probe_batches;
    }
    return cfg;
}

std::string to_string(SeedStop s) {
    switch (s) {
        case SeedStop::fixed:
            return "fixed seeds";
        case SeedStop::decided:
            return "decided";
        case SeedStop::budget:
            return "seed budget reached";
    }
    return "?";
}

engine::ScheduleConfig arm_schedule(const std::string& arm, int every, const std::string& where) {
    engine::ScheduleConfig s;
    s.every = every;
    const std::string base = arm == "batch-x2-long"    ? "batch-x2"
                             : arm == "lr-sqrt2-short" ? "lr-sqrt2"
                             : arm == "lr-half-short"  ? "lr-half"
                                                       : arm;
    if (base == "constant") {
        s.kind = engine::ScheduleKind::constant;
    } else if (base == "lr-sqrt2") {
        s.kind = engine::ScheduleKind::lr_step;
        s.lr_factor = 1.0 / std::sqrt(2.0);
    } else if (base == "batch-x2") {
        s.kind = engine::ScheduleKind::batch_step;
        s.batch_factor = 2.0;
    } else if (base == "hybrid") {
        s.kind = engine::ScheduleKind::hybrid;
        s.lr_factor = std::sqrt(3.0) / 2.0;
        s.batch_factor = 1.5;
    } else if (base == "lr-half") {
        s.kind = engine::ScheduleKind::lr_step;
        s.lr_factor = 0.5;
    } else if (base == "poly-0.9" || base == "poly-1") {
        s.kind = engine::ScheduleKind::poly;
        s.power = base == "poly-1" ? 1.0 : 0.9;
        s.poly_target = engine::PolyTarget::lr;
        s.every = 1;
    } else if (base == "cosine") {
        s.kind = engine::ScheduleKind::cosine;
        s.every = 1;
    } else {
        std::string names;
        for (const auto& n : arm_names()) names += (names.empty() ? "" : ", ") + n;
        throw InputError(where + ": unknown schedule arm \"" + arm + "\" (known: " + names + ")");
    }
    return s;
}

SchedulesConfig schedules_config(const ExperimentTable& t) {
    t.check_keys(
        {"arms", "seeds", "every", "probe_seeds", "probe_pool", "probe_batches", "max_seeds"});
    SchedulesConfig c;
    c.train = t.train_config();
    c.arms = t.get_strings("arms", c.arms);
    c.seeds = t.get_ints("seeds", c.seeds);
    c.every = t.get_int("every", c.every);
    c.probe_seeds = t.get_int("probe_seeds", c.probe_seeds);
    c.probe_pool = t.get_int("probe_pool", c.probe_pool);
    c.probe_batches = t.get_int("probe_batches", c.probe_batches);
    c.max_seeds = t.get_int("max_seeds", c.max_seeds);
    if (c.arms.empty()) t.fail("arms", "must name at least one arm");
    for (const auto& a : c.arms) arm_schedule(a, 1, t.where());
    if (c.seeds.empty()) t.fail("seeds", "must list at least one seed");
    if (c.every < 1) t.fail("every", "must be at least 1");
    if (c.probe_seeds < 0) t.fail("probe_seeds", "must be ≥ 0");
    if (c.probe_batches < 2) t.fail("probe_batches", "must be ≥ 2");
    if (c.max_seeds < 0) t.fail("max_seeds", "must be ≥ 0");
    for (const auto& a : c.arms)
        if (const std::string p = update_partner(a);
            !p.empty() && std::find(c.arms.begin(), c.arms.end(), p) == c.arms.end())
            t.fail("arms", "the equal-update arm \"" + a + "\" needs its partner arm \"" + p +
                               "\" (docs/claims.md)");
    return c;
}

const ArmSummary* SchedulesResult::arm(const std::string& name) const {
    for (const ArmSummary& a : arms)
        if (a.arm == name) return &a;
    return nullptr;
}

ArmSummary summarise_arm(const std::string& arm, const std::vector<ScheduleRun>& runs) {
    ArmSummary s;
    s.arm = arm;
    std::vector<double> acc, loss, updates;
    std::vector<const ScheduleRun*> mine;
    for (const ScheduleRun& r : runs)
        if (r.arm == arm && !r.epochs.empty()) mine.push_back(&r);
    s.runs = static_cast<int>(mine.size());
    if (mine.empty()) return s;
    for (const ScheduleRun* r : mine) {
        acc.push_back(r->epochs.back().test_acc);
        loss.push_back(r->final_train_loss);
        updates.push_back(static_cast<double>(r->updates));
    }
    s.test_acc_mean = mean(acc);
    s.test_acc_sd = sample_sd(acc);
    s.train_loss_mean = mean(loss);
    s.train_loss_sd = sample_sd(loss);
    s.updates_mean = mean(updates);
    const std::size_t epochs = mine.front()->epochs.size();
    s.final_delta_rel = mine.front()->epochs.back().delta_rel;
    for (std::size_t e = 0; e < epochs; ++e) {
        std::vector<double> a, l, d;
        double d_lo = kNaN, d_hi = kNaN;
        for (const ScheduleRun* r : mine) {
            if (e >= r->epochs.size()) continue;
            const engine::EpochRecord& rec = r->epochs[e];
            a.push_back(rec.test_acc);
            l.push_back(rec.train_loss);
            if (!std::isfinite(rec.delta)) continue;
            d.push_back(rec.delta);
            d_lo = std::isfinite(d_lo) ? std::min(d_lo, rec.delta_lo) : rec.delta_lo;
            d_hi = std::isfinite(d_hi) ? std::max(d_hi, rec.delta_hi) : rec.delta_hi;
        }
        s.delta_rel.push_back(mine.front()->epochs[e].delta_rel);
        s.updates_curve.push_back(static_cast<double>(mine.front()->epochs[e].updates));
        s.test_acc_curve.push_back(mean(a));
        s.train_loss_curve.push_back(mean(l));
        s.test_acc_min.push_back(*std::min_element(a.begin(), a.end()));
        s.test_acc_max.push_back(*std::max_element(a.begin(), a.end()));
        s.train_loss_min.push_back(*std::min_element(l.begin(), l.end()));
        s.train_loss_max.push_back(*std::max_element(l.begin(), l.end()));
        s.delta_probe.push_back(d.empty() ? kNaN : mean(d));
        s.delta_probe_lo.push_back(d_lo);
        s.delta_probe_hi.push_back(d_hi);
    }
    return s;
}

ArmDifference test_acc_difference(const ArmSummary& a, const ArmSummary& b) {
    const double se = std::sqrt(a.test_acc_sd * a.test_acc_sd / std::max(a.runs, 1) +
                                b.test_acc_sd * b.test_acc_sd / std::max(b.runs, 1));
    return {a.arm, b.arm, a.test_acc_mean - b.test_acc_mean, se, se, 0, "final test accuracy"};
}

ArmDifference train_loss_difference(const ArmSummary& a, const ArmSummary& b) {
    const double se = std::sqrt(a.train_loss_sd * a.train_loss_sd / std::max(a.runs, 1) +
                                b.train_loss_sd * b.train_loss_sd / std::max(b.runs, 1));
    return {a.arm, b.arm, a.train_loss_mean - b.train_loss_mean, se, se, 0, "final training loss"};
}

namespace {

// Trains one arm × seed (resumable in `work`) and evaluates its final model on the training set.
ScheduleRun run_one(const SchedulesConfig& config, const std::string& arm, std::uint64_t seed,
                    bool probe, const engine::DataSplit& data, const fs::path& work,
                    const RunProgress& progress) {
    const engine::TrainConfig cfg =
        schedule_run_config(config, arm, seed, probe, data.train.size());
    const fs::path dir = work / run_directory_name(fmt::format("{}-seed{}", arm, seed), cfg);
    engine::TrainResult tr = train_resumable(cfg, data, dir, 0, &progress);
    ScheduleRun run;
    run.arm = arm;
    run.seed = seed;
    run.status = tr.status;
    run.epochs = tr.epochs;
    run.updates = tr.steps;
    engine::set_threads(cfg.run.threads);
    const engine::Evaluation ev =
        engine::evaluate_dataset(*tr.model, data.train, cfg.run.eval_batch);
    run.final_train_loss = ev.loss;
    run.final_train_accuracy = ev.accuracy;
    return run;
}

}  // namespace

SchedulesResult run_schedules(const SchedulesConfig& config, const engine::DataSplit& data,
                              const fs::path& work, bool resume, const UndecidedJudge& undecided) {
    const auto t0 = std::chrono::steady_clock::now();
    prepare_work_directory(work, resume);
    SchedulesResult result;
    result.config = config;
    result.seeds_run = config.seeds;
    const int run_count = static_cast<int>(config.arms.size() * config.seeds.size());
    int run_index = 0;
    for (const std::string& arm : config.arms)
        for (std::size_t i = 0; i < config.seeds.size(); ++i) {
            const auto seed = static_cast<std::uint64_t>(config.seeds[i]);
            const RunProgress progress{"schedules", ++run_index, run_count,
                                       fmt::format("{}, seed {}", arm, seed)};
            result.runs.push_back(run_one(
                config, arm, seed, static_cast<int>(i) < config.probe_seeds, data, work, progress));
        }
    auto summarise = [&] {
        result.arms.clear();
        for (const std::string& arm : config.arms)
            result.arms.push_back(summarise_arm(arm, result.runs));
    };
    summarise();
    const bool sequential =
        config.max_seeds > static_cast<int>(config.seeds.size()) && static_cast<bool>(undecided);
    if (sequential) {
        int next = *std::max_element(config.seeds.begin(), config.seeds.end()) + 1;
        result.stop = SeedStop::decided;
        while (undecided(result)) {
            if (static_cast<int>(result.seeds_run.size()) >= config.max_seeds) {
                result.stop = SeedStop::budget;
                break;
            }
            const int look_runs = static_cast<int>(config.arms.size());
            int look_index = 0;
            for (const std::string& arm : config.arms) {
                const RunProgress progress{"schedules (added seed)", ++look_index, look_runs,
                                           fmt::format("{}, seed {}", arm, next)};
                result.runs.push_back(run_one(config, arm, static_cast<std::uint64_t>(next), false,
                                              data, work, progress));
            }
            result.seeds_run.push_back(next++);
            ++result.looks;
            summarise();
        }
    }
    result.wall_seconds = seconds_since(t0);
    return result;
}

nlohmann::json to_json(const SchedulesResult& r) {
    const SchedulesConfig& c = r.config;
    auto finite_or_null = [](double v) {
        return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
    };
    nlohmann::json runs = nlohmann::json::array();
    for (const ScheduleRun& run : r.runs) {
        nlohmann::json epochs = nlohmann::json::array();
        for (const engine::EpochRecord& e : run.epochs) epochs.push_back(engine::to_json(e));
        runs.push_back({{"arm", run.arm},
                        {"seed", run.seed},
                        {"status", engine::run_status_name(run.status)},
                        {"updates", run.updates},
                        {"final_train_loss", run.final_train_loss},
                        {"final_train_accuracy", run.final_train_accuracy},
                        {"epochs", epochs}});
    }
    nlohmann::json arms = nlohmann::json::array();
    for (const ArmSummary& a : r.arms) {
        nlohmann::json probe = nlohmann::json::array();
        nlohmann::json probe_lo = nlohmann::json::array(), probe_hi = nlohmann::json::array();
        for (double d : a.delta_probe) probe.push_back(finite_or_null(d));
        for (double d : a.delta_probe_lo) probe_lo.push_back(finite_or_null(d));
        for (double d : a.delta_probe_hi) probe_hi.push_back(finite_or_null(d));
        arms.push_back(
            {{"arm", a.arm},
             {"runs", a.runs},
             {"test_acc", {{"mean", a.test_acc_mean}, {"sd", a.test_acc_sd}}},
             {"final_train_loss", {{"mean", a.train_loss_mean}, {"sd", a.train_loss_sd}}},
             {"updates_mean", a.updates_mean},
             {"final_delta_rel", a.final_delta_rel},
             {"delta_rel", a.delta_rel},
             {"updates_curve", a.updates_curve},
             {"delta_probe", probe},
             {"delta_probe_lo", probe_lo},
             {"delta_probe_hi", probe_hi},
             {"test_acc_curve", a.test_acc_curve},
             {"test_acc_min", a.test_acc_min},
             {"test_acc_max", a.test_acc_max},
             {"train_loss_curve", a.train_loss_curve},
             {"train_loss_min", a.train_loss_min},
             {"train_loss_max", a.train_loss_max}});
    }
    return {{"estimate", true},
            {"config",
             {{"train", engine::config_to_json(c.train)},
              {"arms", c.arms},
              {"seeds", c.seeds},
              {"every", c.every},
              {"probe_seeds", c.probe_seeds},
              {"probe_pool", c.probe_pool},
              {"probe_batches", c.probe_batches},
              {"max_seeds", c.max_seeds}}},
            {"seeds_run", r.seeds()},
            {"looks", r.looks},
            {"seed_stop", to_string(r.stop)},
            {"arms", arms},
            {"runs", runs},
            {"wall_seconds", r.wall_seconds}};
}

}  // namespace gradcert::verify
