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
// Equal-update arms (docs/claims.md, "Equal updates"): the arms above run equal epochs, so the
// batch arm does fewer updates. batch-x2-long is b × 2 with stages of as many updates as
// lr-sqrt2's, run to the η arms' update count; lr-sqrt2-short and lr-half-short are η × 1/√2 and
// η × 1/2 with stages of as many updates as batch-x2's, stopped at its update count. Their
// stages are counted in updates (engine ScheduleConfig::stage_updates), so the matched pairs
// have the same δ/δ₀ at every update and the same number of updates.
// Sequential seeds: with max_seeds above the number of seeds, seeds max(seeds)+1, … are added one
// at a time (every arm) while the caller's `undecided` says a claim is still undecided
// (verify/claims/sequential.hpp states the rule and its error level).
// Every arm runs with every seed; per run the epoch records (test accuracy, mean mini-batch
// loss, the schedule's realised δ/δ₀, updates), and the final training loss of the final model
// over the whole training subset (evaluation mode). The first `probe_seeds` seeds also measure
// δ̂ = ηĈ/√b at every epoch end (noise probe only). All numbers are estimates.
#include <cstdint>
#include <filesystem>
#include <functional>
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
    int max_seeds = 0;      // > seeds.size(): add seeds while undecided, up to this many
};

// Reads the table: common keys plus arms, seeds, every, probe_seeds, probe_pool, probe_batches.
SchedulesConfig schedules_config(const ExperimentTable& t);

// The schedule of a named arm (throws InputError naming `where` for an unknown name).
engine::ScheduleConfig arm_schedule(const std::string& arm, int every, const std::string& where);
// The names arm_schedule accepts.
std::vector<std::string> arm_names();

// The arm whose updates per stage an equal-update arm copies ("lr-sqrt2" for batch-x2-long,
// "batch-x2" for lr-sqrt2-short and lr-half-short); "" for the other arms.
std::string update_partner(const std::string& arm);

// The cumulative update counts at which `arm`'s stages end when it runs `config` on n examples
// (stages counted in epochs: `every` epochs of ⌊n/b⌋ updates each, the last stage cut at the
// configured epochs).
std::vector<std::uint64_t> stage_ends(const SchedulesConfig& config, const std::string& arm, int n);

// The training configuration of one run (arm, seed; the δ̂ probe on or off) on n examples: the
// equal-update arms get their partner's stage ends and the epochs needed to reach them.
engine::TrainConfig schedule_run_config(const SchedulesConfig& config, const std::string& arm,
                                        std::uint64_t seed, bool probe, int n);

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
    double final_delta_rel = 0.0;       // the schedule's realised δ/δ₀ in the last epoch
    std::vector<double> delta_rel;      // per epoch (the same for every seed)
    std::vector<double> updates_curve;  // per epoch, updates done at its end (the same for all)
    std::vector<double> delta_probe;    // per epoch, mean δ̂ over the probed seeds (NaN if none)
    // Per epoch, the lowest lower and highest upper end of the probed seeds' δ̂ intervals (the
    // probe's confidence level; NaN if none).
    std::vector<double> delta_probe_lo, delta_probe_hi;
    std::vector<double> test_acc_curve;    // per epoch, mean over seeds
    std::vector<double> train_loss_curve;  // per epoch, mean mini-batch loss, mean over seeds
    // Per epoch, the smallest and largest value over the seeds (the figures' seed bands).
    std::vector<double> test_acc_min, test_acc_max, train_loss_min, train_loss_max;
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

// Why the sequential seeds stopped.
enum class SeedStop {
    fixed,    // no sequential stage (max_seeds ≤ the configured seeds)
    decided,  // every claim decided at a look
    budget    // max_seeds reached with a claim still undecided
};
std::string to_string(SeedStop s);  // "fixed seeds", "decided", "seed budget reached"

struct SchedulesResult {
    SchedulesConfig config;
    std::vector<ScheduleRun> runs;
    std::vector<ArmSummary> arms;
    double wall_seconds = 0.0;
    std::vector<int> seeds_run;  // the configured seeds, then those added (empty: config.seeds)
    int looks = 1;               // looks taken (1 + seeds added)
    SeedStop stop = SeedStop::fixed;

    const ArmSummary* arm(const std::string& name) const;  // nullptr if absent
    const std::vector<int>& seeds() const { return seeds_run.empty() ? config.seeds : seeds_run; }
};

ArmSummary summarise_arm(const std::string& arm, const std::vector<ScheduleRun>& runs);
ArmDifference test_acc_difference(const ArmSummary& a, const ArmSummary& b);
ArmDifference train_loss_difference(const ArmSummary& a, const ArmSummary& b);

nlohmann::json to_json(const SchedulesResult& r);

// Says whether a claim is still undecided on the runs so far (the sequential stage's question).
using UndecidedJudge = std::function<bool(const SchedulesResult& so_far)>;

// Runs every arm × seed (resumable in `work`, cleared first unless `resume`); then, with
// config.max_seeds > seeds.size() and `undecided` set, adds one seed (every arm) at a time while
// undecided(result) and fewer than max_seeds seeds ran.
SchedulesResult run_schedules(const SchedulesConfig& config, const engine::DataSplit& data,
                              const std::filesystem::path& work, bool resume,
                              const UndecidedJudge& undecided = {});

}  // namespace gradcert::verify
