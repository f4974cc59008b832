// Experiment 2 on tiny synthetic data: the three equal-δ arms realise the same δ/δ₀ per epoch,
// η × 1/2 realises a faster decay, the batch arm does fewer updates, and resuming returns the
// same results.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <vector>

#include "numerics/engine/data_load.hpp"
#include "numerics/util/error.hpp"
#include "verify/empirical/schedules.hpp"

using namespace gradcert;
using namespace gradcert::verify;
namespace fs = std::filesystem;

namespace {

SchedulesConfig tiny_schedules() {
    SchedulesConfig c;
    c.train = without_probes({});
    c.train.source = "<schedules test>";
    c.train.data.dataset = "synthetic";
    c.train.data.synthetic = {1, 8, 8, 4, 512, 128, 0.6, 2};
    c.train.model.name = "mlp";
    c.train.optim.lr = 0.05;
    c.train.optim.batch = 16;
    c.train.run.epochs = 4;
    c.every = 1;
    c.seeds = {0, 1};
    c.arms = {"lr-sqrt2", "batch-x2",      "hybrid",         "lr-half",
              "poly-1",   "batch-x2-long", "lr-sqrt2-short", "lr-half-short"};
    c.probe_seeds = 1;
    c.probe_pool = 256;
    c.probe_batches = 4;
    return c;
}

}  // namespace

TEST_CASE("schedules: equal-δ arms, updates, probes and resume", "[verify][empirical]") {
    const SchedulesConfig c = tiny_schedules();
    const engine::DataSplit data = engine::load_training_data(c.train);
    const fs::path work =
        fs::temp_directory_path() / ("gradcert-schedules-" + std::to_string(::getpid()));
    const SchedulesResult r = run_schedules(c, data, work, false);
    REQUIRE(r.runs.size() == 16);
    REQUIRE(r.arms.size() == 8);
    for (const char* name : {"lr-sqrt2", "batch-x2", "hybrid"}) {
        const ArmSummary* a = r.arm(name);
        REQUIRE(a != nullptr);
        REQUIRE(a->delta_rel.size() == 4);
        for (int e = 0; e < 4; ++e)
            CHECK(a->delta_rel[static_cast<std::size_t>(e)] ==
                  Approx(std::pow(std::sqrt(0.5), e)).epsilon(1e-12));
    }
    const ArmSummary* half = r.arm("lr-half");
    CHECK(half->delta_rel[3] == Approx(0.125).epsilon(1e-12));
    // b = 16, 32, 64, 128 on 512 examples: 32 + 16 + 8 + 4 updates; the η arms do 4 × 32.
    CHECK(r.arm("batch-x2")->updates_mean == 60.0);
    CHECK(r.arm("lr-sqrt2")->updates_mean == 128.0);
    // Equal updates: batch-x2-long does the η arms' 128 updates in 1 + 2 + 4 + 8 epochs, the
    // short η arms batch-x2's 60 in 2 epochs; each ends at its partner's δ/δ₀ (and lr-half-short
    // at (1/2)³).
    const ArmSummary* lb = r.arm("batch-x2-long");
    CHECK(lb->updates_mean == 128.0);
    CHECK(lb->delta_rel.size() == 15);
    CHECK(lb->updates_curve.front() == 32.0);
    CHECK(lb->final_delta_rel == Approx(std::pow(std::sqrt(0.5), 3)).epsilon(1e-12));
    for (const char* name : {"lr-sqrt2-short", "lr-half-short"}) {
        CHECK(r.arm(name)->updates_mean == 60.0);
        CHECK(r.arm(name)->delta_rel.size() == 2);
    }
    CHECK(r.arm("lr-sqrt2-short")->final_delta_rel ==
          Approx(std::pow(std::sqrt(0.5), 3)).epsilon(1e-12));
    CHECK(r.arm("lr-half-short")->final_delta_rel == Approx(0.125).epsilon(1e-12));
    // Seed bands hold the mean.
    for (const ArmSummary& a : r.arms)
        for (std::size_t e = 0; e < a.test_acc_curve.size(); ++e) {
            CHECK(a.test_acc_min[e] <= a.test_acc_curve[e]);
            CHECK(a.test_acc_curve[e] <= a.test_acc_max[e]);
        }
    // poly-1 with M = 4 stages: δ/δ₀ = 1, 3/4, 1/2, 1/4.
    CHECK(r.arm("poly-1")->delta_rel[3] == Approx(0.25).epsilon(1e-12));
    // δ̂ is measured on the first seed only, at every epoch end; it is positive.
    for (double d : r.arm("hybrid")->delta_probe) CHECK(d > 0.0);
    for (const ScheduleRun& run : r.runs) {
        CHECK(run.status == engine::RunStatus::finished);
        CHECK(run.final_train_loss > 0.0);
        CHECK(std::isfinite(run.final_train_loss));
        if (run.seed == 1) CHECK(std::isnan(run.epochs.back().delta));
    }
    // Two seeds differ (the sd is not zero), and the differences carry a standard error.
    CHECK(r.arm("lr-sqrt2")->test_acc_sd + r.arm("lr-sqrt2")->train_loss_sd > 0.0);
    const ArmDifference d = train_loss_difference(*r.arm("batch-x2"), *r.arm("lr-sqrt2"));
    CHECK(d.se > 0.0);

    // Resume: the finished runs are read back, not retrained: identical records.
    const SchedulesResult again = run_schedules(c, data, work, true);
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
        CHECK(again.runs[i].final_train_loss == r.runs[i].final_train_loss);
        CHECK(again.runs[i].epochs.back().test_acc == r.runs[i].epochs.back().test_acc);
    }
    fs::remove_all(work);
    CHECK_THROWS_AS(arm_schedule("lr-third", 1, "x.toml"), InputError);
}

TEST_CASE("schedules: sequential seeds stop when decided or at the budget", "[verify][empirical]") {
    SchedulesConfig c = tiny_schedules();
    c.train.run.epochs = 1;
    c.arms = {"lr-sqrt2", "batch-x2"};
    c.max_seeds = 4;
    const engine::DataSplit data = engine::load_training_data(c.train);
    const fs::path work =
        fs::temp_directory_path() / ("gradcert-schedules-seq-" + std::to_string(::getpid()));
    int asked = 0;
    // Undecided at the first two looks: seeds 2 and 3 are added, then the budget of 4 stops.
    const SchedulesResult budget = run_schedules(c, data, work, false, [&](const SchedulesResult&) {
        ++asked;
        return true;
    });
    CHECK(budget.seeds() == std::vector<int>{0, 1, 2, 3});
    CHECK(budget.looks == 3);
    CHECK(budget.stop == SeedStop::budget);
    CHECK(budget.runs.size() == 8);
    CHECK(budget.arm("batch-x2")->runs == 4);
    CHECK(asked == 3);
    // Decided after one added seed; the resumed runs are the same.
    const SchedulesResult decided = run_schedules(
        c, data, work, true, [](const SchedulesResult& r) { return r.seeds().size() < 3; });
    CHECK(decided.seeds() == std::vector<int>{0, 1, 2});
    CHECK(decided.looks == 2);
    CHECK(decided.stop == SeedStop::decided);
    CHECK(decided.runs.back().final_train_loss == budget.runs[5].final_train_loss);
    // Without a judge (or without a budget) the seeds are fixed.
    CHECK(run_schedules(c, data, work, true).stop == SeedStop::fixed);
    fs::remove_all(work);
}
