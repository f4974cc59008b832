#pragma once
// Experiment 2 (docs/mathematics.md §3, §5, §6): learning-rate and batch-size schedules with equal
// decay of the degree of smoothing δ = ηC/√b, against a constant schedule, the polynomial and
// cosine schedules, and the contrasting arm η × 1/2 (Smith et al.: noise ∝ η/b).
//
// Arms (schedule.hpp), stage length `every` epochs for the step arms:
//   constant; lr-sqrt2 η × 1/√2; batch-x2 b × 2; hybrid η × √3/2 and b × 3/2 (all three shrink δ
//   by 1/√2 per stage); lr-half η × 1/2 (shrinks δ by 1/2, noise η/b by 1/2 like b × 2);
//   poly-0.9, poly-1 (δ_m/δ_1 = ((M − m + 1)/M)^p through η, one stage per epoch);
//   cosine (one stage per epoch).
// Every arm runs with every seed; per run the epoch records (test accuracy, mean mini-batch
// loss, the schedule's realised δ/δ₀, updates), and the final training loss of the final model
// over the whole training subset (evaluation mode). The first `probe_seeds` seeds also measure
// δ̂ = ηĈ/√b at every epoch end (noise probe only). All numbers are estimates.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "numerics/engine/trainer.hpp"
#include "verify/empirical/experiment_config.hpp"

namespace gradcert::verify {

struct SchedulesConfig {
    engine::TrainConfig train;  // model, data, η₀, b₀, epochs (probes off)
    std::vector<std::string> arms{"constant", "lr-sqrt2", "batch-x2", "hybrid",
                                  "poly-0.9", "poly-1",   "cosine",   "lr-half"};
    std::vector<int> seeds{0, 1, 2};
    int every = 1;          // epochs per stage of the step arms
    int probe_seeds = 1;    // seeds (the first ones) with a δ̂ probe at every epoch end
    int probe_pool = 1024;  // pool of the δ̂ probe
    int probe_batches = 8;  // K of the δ̂ probe
};

// Reads the table: common keys plus arms, seeds, every, probe_seeds, probe_pool, probe_batches.
SchedulesConfig schedules_config(const ExperimentTable& t);

// The schedule of a named arm (throws InputError naming `where` for an unknown name).
engine::ScheduleConfig arm_schedule(const std::string& arm, int every, const std::string& where);
// The names arm_schedule accepts.
std::vector<std::string> arm_names();

struct ScheduleRun {
    std::string arm;
    std::uint64_t seed = 0;
    engine::RunStatus status = engine::RunStatus::finished;
    std::vector<engine::EpochRecord> epochs;
    double final_train_loss = 0.0;  // evaluation mode, whole training subset, final weights
    double final_train_accuracy = 0.0;
    std::uint64_t updates = 0;
};

struct ArmSummary {
    std::string arm;
    int runs = 0;
    double test_acc_mean = 0.0, test_acc_sd = 0.0;      // final epoch
    double train_loss_mean = 0.0, train_loss_sd = 0.0;  // final_train_loss
    double updates_mean = 0.0;
    double final_delta_rel = 0.0;        // the schedule's realised δ/δ₀ in the last epoch
    std::vector<double> delta_rel;       // per epoch (the same for every seed)
    std::vector<double> delta_probe;     // per epoch, mean δ̂ over the probed seeds (NaN if none)
    std::vector<double> test_acc_curve;  // per epoch, mean over seeds
    std::vector<double> train_loss_curve;  // per epoch, mean mini-batch loss, mean over seeds
};

// Difference of two arms' means with its standard error: sqrt(sd₁²/n₁ + sd₂²/n₂) for the
// unpaired comparison (test_acc_difference, train_loss_difference); for the paired comparison of
// verify/claims/schedules_claims.hpp sd(per-seed differences)/√n, with the unpaired SE beside it.
struct ArmDifference {
    std::string a, b;
    double diff = 0.0;  // mean(a) − mean(b)
    double se = 0.0;
    double unpaired_se = 0.0;
    int pairs = 0;       // seeds both arms ran (paired comparison only)
    std::string metric;  // "final test accuracy" or "final training loss"
};

struct SchedulesResult {
    SchedulesConfig config;
    std::vector<ScheduleRun> runs;
    std::vector<ArmSummary> arms;
    double wall_seconds = 0.0;

    const ArmSummary* arm(const std::string& name) const;  // nullptr if absent
};

ArmSummary summarise_arm(const std::string& arm, const std::vector<ScheduleRun>& runs);
ArmDifference test_acc_difference(const ArmSummary& a, const ArmSummary& b);
ArmDifference train_loss_difference(const ArmSummary& a, const ArmSummary& b);

nlohmann::json to_json(const SchedulesResult& r);

// Runs every arm × seed (resumable in `work`, cleared first unless `resume`).
SchedulesResult run_schedules(const SchedulesConfig& config, const engine::DataSplit& data,
                              const std::filesystem::path& work, bool resume);

}  // namespace gradcert::verify
