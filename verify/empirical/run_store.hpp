#pragma once
// Run state of the SGD experiments inside ExperimentContext::work: one subdirectory per training
// run, named by a readable label and a hash of its configuration, so a run is found again (and
// resumed from its checkpoint) exactly when its configuration is unchanged; and small JSON
// result caches keyed the same way.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "numerics/engine/trainer.hpp"

namespace gradcert::verify {

// Without `resume`, removes `work` first; then creates it.
void prepare_work_directory(const std::filesystem::path& work, bool resume);

// FNV-1a-64 (16 hex digits) of a JSON value's compact dump.
std::string json_hash(const nlohmann::json& j);

// "<label>-<first 12 hex digits of the hash of config_to_json(cfg)>".
std::string run_directory_name(const std::string& label, const engine::TrainConfig& cfg);

// Where a training run stands within its experiment, for the progress lines `gradcert report`
// prints on stderr: "report: schedules run 3 of 28 (lr-sqrt2-seed1): epoch 4/10, ...".
struct RunProgress {
    std::string experiment;
    int index = 0;  // 1-based
    int count = 0;
    std::string label;
};

// "report: <experiment> run <index> of <count> (<label>): <what>" on stderr, flushed.
void print_run_progress(const RunProgress& progress, const std::string& what);

// Trains `cfg` in `dir`, continuing a checkpointed run found there (a finished run returns its
// records and final model without training). `stop_after_epoch` as in TrainOptions. With
// `progress`, prints a line when the run starts and after every epoch it trains.
engine::TrainResult train_resumable(const engine::TrainConfig& cfg, const engine::DataSplit& data,
                                    const std::filesystem::path& dir, int stop_after_epoch = 0,
                                    const RunProgress* progress = nullptr);

// A cached JSON result: `file` holds {"key": key, "result": …}; nullopt when absent, unreadable
// or stored under another key.
std::optional<nlohmann::json> load_cached_result(const std::filesystem::path& file,
                                                 const std::string& key);
void store_cached_result(const std::filesystem::path& file, const std::string& key,
                         const nlohmann::json& result);

}  // namespace gradcert::verify
