// Results assembled from run directories (verify/empirical/results_from_runs.hpp,
// docs/run-format.md "Reports from run directories"): the schedules result of in-memory runs is
// judged exactly like the same runs assembled by hand (the same statistics code); a page is skipped
// with a reason when its input is missing; repeated (arm, seed) and runs of unequal length are
// refused; the noise values of probe.noise.per_batch give the exact −1 slope when they follow the
// 1/b law; an engine run's schedule arm is read from its configuration.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "numerics/util/error.hpp"
#include "verify/claims/schedules_claims.hpp"
#include "verify/empirical/results_from_runs.hpp"

using namespace gradcert;
using namespace gradcert::verify;

namespace {

LoadedRun schedule_run(const std::string& arm, std::uint64_t seed, double final_loss,
                       int epochs = 2) {
    LoadedRun r;
    r.dir = arm + "-seed" + std::to_string(seed);
    r.tool = "gradcert_probe";
    r.status = "finished";
    r.labels.dataset = "fashion-mnist";
    r.labels.model = "cnn-small";
    r.labels.seed = seed;
    r.labels.lr = 0.05;
    r.labels.batch = 64;
    r.labels.schedule = arm;
    r.labels.final_train_loss = final_loss;
    r.labels.final_train_acc = 0.5;
    for (int e = 1; e <= epochs; ++e) {
        engine::EpochRecord rec;
        rec.epoch = e;
        rec.updates = static_cast<std::uint64_t>(31 * e);
        rec.lr = 0.05;
        rec.batch = 64;
        rec.delta_rel = 1.0;
        rec.train_loss = 1.0 / e + 0.01 * static_cast<double>(seed);
        rec.test_acc = 0.6 + 0.05 * e + (arm == "constant" ? 0.0 : 0.01 * (1 + seed));
        rec.delta = std::nan("");
        rec.wall_seconds = 10.0 * e;
        r.epochs.push_back(rec);
    }
    return r;
}

}  // namespace

TEST_CASE("schedules from runs are judged like the same runs assembled by hand") {
    std::vector<LoadedRun> runs;
    for (const char* arm : {"lr-sqrt2", "constant"})
        for (std::uint64_t seed : {0u, 1u, 2u})
            runs.push_back(schedule_run(arm, seed, 0.5 + 0.01 * static_cast<double>(seed)));
    const FromRuns<SchedulesResult> from = schedules_from_runs(runs);
    REQUIRE(from.result);
    CHECK(from.skipped.empty());
    CHECK(from.source == "ingested runs (gradcert_probe)");
    CHECK(from.notes.empty());  // every run states its evaluation-mode final training loss
    const SchedulesResult& r = *from.result;
    CHECK(r.config.arms == std::vector<std::string>{"constant", "lr-sqrt2"});  // arm_names() order
    CHECK(r.config.seeds == std::vector<int>{0, 1, 2});
    REQUIRE(r.runs.size() == 6);

    SchedulesResult by_hand;
    by_hand.config = r.config;
    for (const char* arm : {"constant", "lr-sqrt2"})
        for (const LoadedRun& l : runs)
            if (l.labels.schedule == arm) {
                ScheduleRun s;
                s.arm = arm;
                s.seed = l.labels.seed;
                s.epochs = l.epochs;
                s.updates = l.epochs.back().updates;
                s.final_train_loss = l.labels.final_train_loss;
                s.final_train_accuracy = l.labels.final_train_acc;
                by_hand.runs.push_back(s);
            }
    for (const char* arm : {"constant", "lr-sqrt2"})
        by_hand.arms.push_back(summarise_arm(arm, by_hand.runs));
    by_hand.wall_seconds = r.wall_seconds;
    CHECK(to_json(schedules_outcome(r)).dump() == to_json(schedules_outcome(by_hand)).dump());
    CHECK(r.wall_seconds == Approx(6 * 20.0));
}

TEST_CASE("schedules from runs: fallback, skips and refusals") {
    std::vector<LoadedRun> runs{schedule_run("constant", 0, 0.5), schedule_run("batch-x2", 0, 0.4),
                                schedule_run("batch-x2", 1, std::nan(""))};
    const FromRuns<SchedulesResult> from = schedules_from_runs(runs);
    REQUIRE(from.result);
    CHECK(from.notes.find("mean mini-batch loss") != std::string::npos);
    for (const ScheduleRun& s : from.result->runs)
        CHECK(s.final_train_loss == s.epochs.back().train_loss);

    const std::vector<LoadedRun> one_arm{schedule_run("constant", 0, 0.5),
                                         schedule_run("constant", 1, 0.5)};
    const FromRuns<SchedulesResult> skipped = schedules_from_runs(one_arm);
    CHECK_FALSE(skipped.result);
    CHECK(skipped.skipped.find("at least 2 schedule arms") != std::string::npos);

    std::vector<LoadedRun> twice{schedule_run("constant", 0, 0.5), schedule_run("lr-half", 0, 0.5),
                                 schedule_run("constant", 0, 0.5)};
    CHECK_THROWS_AS(schedules_from_runs(twice), InputError);
    std::vector<LoadedRun> longer{schedule_run("constant", 0, 0.5),
                                  schedule_run("lr-half", 0, 0.5, 3)};
    CHECK_THROWS_WITH(schedules_from_runs(longer), Catch::Contains("3 epochs"));
}

TEST_CASE("sharpness grid from runs needs 4 probed constant runs") {
    std::vector<LoadedRun> runs;
    int k = 0;
    for (double lr : {0.02, 0.1})
        for (int b : {16, 64}) {
            LoadedRun r = schedule_run("", 0, 0.4 + 0.01 * k, 2);
            r.labels.schedule.clear();
            for (engine::EpochRecord& e : r.epochs) {
                e.lr = lr;
                e.batch = b;
            }
            engine::EpochRecord& last = r.epochs.back();
            last.delta = lr * 10.0 / std::sqrt(b);
            last.delta_lo = last.delta * 0.9;
            last.delta_hi = last.delta * 1.1;
            last.lambda_max = 10.0 + b;
            last.sharpness = 1.0 + k;
            last.adaptive_sharpness = 1e-3 * (1 + k);
            ++k;
            runs.push_back(r);
        }
    const std::vector<LoadedRun> three(runs.begin(), runs.begin() + 3);
    CHECK_FALSE(sharpness_grid_from_runs(three).result);
    const FromRuns<SharpnessGridResult> grid = sharpness_grid_from_runs(runs);
    REQUIRE(grid.result);
    CHECK(grid.result->points.size() == 4);
    CHECK(grid.result->config.lrs == std::vector<double>{0.02, 0.1});
    CHECK(grid.result->config.batches == std::vector<int>{16, 64});
    REQUIRE(grid.result->correlation("batch", "lambda_max"));
    CHECK(grid.result->correlation("batch", "lambda_max")->rho.estimate == Approx(1.0));
    runs[1].epochs.back().lambda_max = std::nan("");  // unprobed: no longer a grid point
    CHECK_FALSE(sharpness_grid_from_runs(runs).result);
}

TEST_CASE("noise scaling from runs: values on the 1/b law give the slope −1") {
    LoadedRun r = schedule_run("constant", 0, 0.5);
    const int m = 512, n = 2000;
    const double v = 300.0;
    for (int epoch : {1, 2}) {
        nlohmann::json per = nlohmann::json::array();
        for (int b : {8, 16, 32, 64}) {
            const double mean = v * (m - b) / (b * (m - 1.0));  // E s_k given the pool
            std::vector<double> values;
            for (double f : {0.8, 0.9, 1.0, 1.1, 1.2}) values.push_back(f * mean);
            per.push_back({{"batch", b}, {"pool", m}, {"population", n}, {"values", values}});
        }
        r.probes.push_back({{"epoch", epoch},
                            {"lr", 0.05},
                            {"noise", {{"grad_norm", 2.0}, {"per_batch", per}}},
                            {"pool", {{"loss", 0.9}}}});
    }
    const FromRuns<NoiseScalingResult> from = noise_scaling_from_runs({r});
    REQUIRE(from.result);
    REQUIRE(from.result->points.size() == 2);
    for (const NoisePoint& p : from.result->points) {
        CHECK(p.corrected.slope == Approx(-1.0).margin(1e-12));
        CHECK(p.c2_max_over_min == Approx(1.0 * (n - 8.0) / (n - 64.0)).epsilon(1e-12));
    }
    CHECK(from.result->config.batches == std::vector<int>{8, 16, 32, 64});
    r.probes[1]["noise"]["per_batch"][0]["batch"] = 4;  // another b grid at the second point
    CHECK_THROWS_AS(noise_scaling_from_runs({r}), InputError);
    r.probes.clear();
    CHECK(noise_scaling_from_runs({r}).skipped.find("per_batch") != std::string::npos);
}

TEST_CASE("an engine run's labels come from its configuration") {
    nlohmann::json m = {
        {"format", {{"name", "gradcert-run"}, {"version", 1}}},
        {"tool", "gradcert train"},
        {"threads", 2},
        {"config",
         {{"data", {{"dataset", "synthetic"}}},
          {"model", {{"name", "mlp"}}},
          {"optim", {{"lr", 0.1}, {"batch", 32}}},
          {"run", {{"seed", 3}}},
          {"schedule", {{"kind", "lr-step"}, {"every", 2}, {"lr_factor", 0.7071067811865476}}}}},
        {"datasets",
         {{"train", {{"examples", 256}, {"classes", 4}}}, {"test", {{"examples", 128}}}}}};
    RunLabels l = run_labels(m, "m.json");
    CHECK(l.schedule == "lr-sqrt2");
    CHECK(l.seed == 3);
    CHECK(l.every == 2);
    CHECK(l.train_examples == 256);
    CHECK(l.classes == 4);
    m["config"]["schedule"] = {{"kind", "batch-step"}, {"batch_factor", 2.0}};
    CHECK(run_labels(m, "m.json").schedule == "batch-x2");
    m["config"]["schedule"] = {{"kind", "lr-step"}, {"lr_factor", 0.3}};
    CHECK(run_labels(m, "m.json").schedule.empty());  // not an arm of the experiment
    m.erase("config");
    CHECK_THROWS_WITH(run_labels(m, "m.json"), Catch::Contains("no \"experiment\" labels"));
    m["experiment"] = {{"dataset", "x"}, {"model", "y"}};
    CHECK_THROWS_WITH(run_labels(m, "m.json"), Catch::Contains("\"seed\""));
}
