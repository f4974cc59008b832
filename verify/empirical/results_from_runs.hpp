#pragma once
// The SGD experiments' results (schedules, sharpness grid, noise scaling) assembled from run
// directories instead of trained here (`gradcert report --runs`, docs/run-format.md "Reports from
// run directories"). The results are the same structs the experiments produce, so the claims
// (verify/claims/*) and the pages (reports/*_report.hpp) judge and render them with the same
// statistics code. A page is assembled only when the runs provide what its statistics need;
// otherwise `skipped` says, in one line, what is missing.
#include <optional>
#include <string>
#include <vector>

#include "verify/empirical/noise_scaling.hpp"
#include "verify/empirical/run_input.hpp"
#include "verify/empirical/schedules.hpp"
#include "verify/empirical/sharpness_grid.hpp"

namespace gradcert::verify {

template <typename Result>
struct FromRuns {
    std::optional<Result> result;
    std::string skipped;  // why there is no result (one line); empty when there is one
    std::string source;   // "engine runs (gradcert train)" / "ingested runs (gradcert_probe)" …
    std::string scale;    // the runs' scale: count, tools, the runs' own "scale" statements
    std::string notes;    // what differs from the engine experiment's definitions (may be empty)
    int runs = 0;         // run directories used
};

// Runs labelled with a schedule arm (RunLabels::schedule), at least 2 arms; every run of equal
// length, one run per (arm, seed), one η₀ and b₀. The final training loss is the run's
// evaluation-mode "final_train_loss" when every run states it, otherwise the last epoch's mean
// mini-batch loss (said in `notes`). Throws InputError naming the directory for a repeated
// (arm, seed), a run of another length or another η₀ / b₀.
FromRuns<SchedulesResult> schedules_from_runs(const std::vector<LoadedRun>& runs);

// Runs with constant η and b over all epochs whose last epoch has the probes δ̂, λ_max,
// ε-sharpness and adaptive sharpness (at least 4 such runs at ≥ 2 distinct (η, b)); every such run
// of equal length, one per (η, b, seed) (InputError naming the directory otherwise).
FromRuns<SharpnessGridResult> sharpness_grid_from_runs(const std::vector<LoadedRun>& runs);

// The first run whose steps.jsonl probes carry noise values at ≥ 3 batch sizes (probe.noise
// .per_batch, each with "batch", "values", "pool", "population"), the same b grid at every probed
// point.
FromRuns<NoiseScalingResult> noise_scaling_from_runs(const std::vector<LoadedRun>& runs);

}  // namespace gradcert::verify
