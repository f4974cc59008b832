#pragma once
// Run directories (docs/run-format.md) as the input of the SGD experiments' statistics
// (`gradcert report --runs`, docs/run-format.md "Reports from run directories"): what a run says
// about itself for grouping (its labels: dataset, model, seed, η₀, b₀, schedule arm, probe
// settings) and its records.
//
// Labels come from the manifest's optional "experiment" object (written by the gradcert_probe
// package or by hand for an ingested run), or, for a run of `gradcert train` without it, from its
// "config" and "datasets" (the schedule arm is the arm of verify/empirical/schedules.hpp whose
// schedule equals the configured one). Every value read here is a label or a recorded estimate;
// nothing is recomputed.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "numerics/engine/train_records.hpp"

namespace gradcert::verify {

struct RunLabels {
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    std::string dataset;     // required
    std::string model;       // required
    std::uint64_t seed = 0;  // required
    double lr = kNaN;        // η₀ (the first epoch's η when not labelled)
    int batch = 0;           // b₀ (the first epoch's b when not labelled)
    std::string
        schedule;   // arm name (verify/empirical/schedules.hpp) or another label; may be empty
    int every = 1;  // epochs per stage of a step schedule
    int train_examples = 0, test_examples = 0, classes = 0;  // 0 = not stated
    int threads = 0;                                         // 0 = not stated
    // The probe settings (keys of numerics/engine/CONFIG.md [probe]); {} when not stated.
    nlohmann::json probe = nlohmann::json::object();
    // Evaluation-mode loss and accuracy of the final weights on the whole training set (NaN when
    // the run does not state them).
    double final_train_loss = kNaN, final_train_acc = kNaN;
};

struct LoadedRun {
    std::filesystem::path dir;
    std::string tool;    // manifest "tool"
    std::string status;  // manifest "status"
    std::string scale;   // manifest "scale" (free text, may be empty)
    RunLabels labels;
    // One record per epochs.csv row; NaN for a column the run lacks, `updates` 0 and `batch` b₀
    // when absent.
    std::vector<engine::EpochRecord> epochs;
    std::vector<nlohmann::json> probes;  // the "probe" objects of steps.jsonl, in step order
    bool engine_run() const { return tool == "gradcert train"; }
};

// Reads every directory (run format checked first). Throws InputError naming the directory (or
// its file and line) for a directory that is not a run, an unknown format version, a run without
// labels (dataset, model, seed) or without epochs, and for runs whose dataset or model differs
// from the first run's (a report pools its runs).
std::vector<LoadedRun> load_runs(const std::vector<std::filesystem::path>& dirs);

// The last component of a run directory's path ("runs/a/" → "a"): how pages name a run, so that
// they do not depend on where the runs were read from.
std::string run_name(const std::filesystem::path& dir);

// The labels of one manifest (exposed for tests); `where` names it in errors.
RunLabels run_labels(const nlohmann::json& manifest, const std::string& where);

}  // namespace gradcert::verify
