#pragma once
// What every empirical experiment of `gradcert report` (noise scaling, schedules, sharpness
// grid, explicit graduated optimization) hands to the report index and to CI.
//
// Every number an experiment measures is an estimate (sampled, floating point); none of them is
// a certificate. An experiment states, per claim of docs/mathematics.md §6 (and the §5 rate) it
// bears on, what its data say, and lists the estimates CI compares on regeneration with their
// tolerance bands (a regeneration on another machine may differ in floating-point contraction and
// thread scheduling, so estimates are compared within bands; certified intervals are compared
// exactly elsewhere).
#include <filesystem>
#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace gradcert::verify {

// What the data say about a claim. `unstable` replaces a verdict whose flip probability (the
// share of seed resamples on which the decision rule gives another status, verify/claims/
// stability.hpp) exceeds kUnstableFlipProbability: the verdict is not reproducible at this scale.
enum class Evidence { supported, contradicted, not_testable, inconclusive, unstable };
// "supported", "contradicted", "not testable", "inconclusive", "unstable at this scale"
std::string to_string(Evidence e);
Evidence evidence_from_string(const std::string& s);  // inverse; throws std::invalid_argument

// Claim identifiers (the index shows one row per id, docs/mathematics.md §6 and §5):
//   "noise-scaling"          E‖ω‖² ∝ 1/b with the without-replacement factor; δ = ηC/√b
//   "delta-vs-smith"         η×1/√2 ≡ b×2 (δ ∝ η/√b) versus η×1/2 ≡ b×2 (noise ∝ η/b)
//   "decay-beats-constant"   decaying η and/or growing b beats a constant schedule
//   "batch-beats-lr"         growing b with η kept high beats decaying η; both together best
//   "poly-optimal"           polynomial decay with p ≤ 1 is the best schedule
//   "large-batch-sharp"      larger batches (smaller δ) end in sharper minima
//   "delta-sharpness-monotone" δ relates monotonically to sharpness
//   "accuracy-concave-delta" test accuracy is concave in δ with a peak for δ in [0.1, 1]
//   "go-rate"                explicit GO with the polynomial schedule reaches the global
//                            minimizer; stage count M = O(ε^{-1/p}); work counts of §5
//   "go-beats-gd"            explicit GO beats plain GD from the same starts (AAAI benchmark)
struct ClaimFinding {
    std::string claim;                           // one of the ids above
    Evidence evidence = Evidence::inconclusive;  // the reported status (verdict or unstable)
    std::string summary;  // one line: the deciding numbers, the test used, and why
    // The decision rule's verdict on all the data (equal to `evidence` unless that is unstable).
    Evidence verdict = Evidence::inconclusive;
    // Share of seed (or unit) resamples on which the decision rule gives a status other than
    // `verdict`; NaN when not estimated (fewer than 2 units).
    double flip_probability = std::numeric_limits<double>::quiet_NaN();
    std::string resampled{};  // what was resampled, e.g. "3 seeds, 200 bootstrap resamples"
    // Power statement: the minimum detectable effect at this sample size, and the seeds needed
    // for the paper's stated effect where it states one. Required for every inconclusive finding.
    std::string power{};
};

// An estimate CI compares on regeneration: |actual − reference| ≤ band. `why` says where the
// band comes from (e.g. "3 × the seed-to-seed sd", "95% CI half-width").
struct ToleranceCheck {
    std::string name;  // unique within the experiment, e.g. "slope_log_noise_vs_log_b"
    double value = 0.0;
    double band = 0.0;
    std::string why;
};

struct ExperimentOutcome {
    std::string name;      // file stem: <dir>/<name>.md and <dir>/<name>.json
    std::string title;     // e.g. "Experiment 1: noise scaling"
    std::string one_line;  // the index's one-line result
    std::string scale;     // the setup and how far it is scaled down from the paper's
    double wall_seconds = 0.0;
    std::vector<ClaimFinding> findings;
    std::vector<ToleranceCheck> checks;
};

nlohmann::json to_json(const ExperimentOutcome& o);
// Inverse of to_json (a NaN value, written as null, reads back as NaN); throws
// std::invalid_argument for a malformed object.
ExperimentOutcome outcome_from_json(const nlohmann::json& j);

inline constexpr const char* kRunsMode = "runs";

// Where and how an experiment runs.
struct ExperimentContext {
    // "quick" | "full": which table of the experiment's config; kRunsMode: a result assembled from
    // run directories (verify/empirical/results_from_runs.hpp), nothing trained.
    std::string mode = "quick";
    std::filesystem::path source;  // the source tree (verify/experiments/<name>.toml lives there)
    std::filesystem::path work;    // a directory of its own for run state (checkpoints, caches)
    bool resume = false;           // reuse finished/checkpointed runs found in `work` (same config)
    int threads = 2;
};

}  // namespace gradcert::verify
