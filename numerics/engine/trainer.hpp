#pragma once
// The training loop of the reference SGD engine, callable in-process (experiments, reports) and
// from `gradcert train`.
//
// One run: build the model (make_model, Kaiming init from [run] seed), then for each epoch e
// take the schedule's (η_e, b_e), shuffle the training set with the stream (seed, shuffle, e),
// and do ⌊n/b_e⌋ optimiser steps on consecutive batches of the permutation (the incomplete last
// batch is dropped, so every step has exactly b_e examples); optional augmentation per example.
// Probes (probe.hpp, sharpness.hpp, noise.hpp) run every [probe] every_steps steps and at the end
// of each epoch, at the current weights and (η, b), without changing the run. After each epoch:
// test evaluation, a row of epochs.csv, and an atomic checkpoint.
//
// Determinism: every random draw is keyed by (seed, stream, counters) (train_rng.hpp) and the
// model is bit-reproducible for a fixed thread count, so a run is a pure function of its
// configuration; a run resumed from its checkpoint reproduces the uninterrupted run bit for bit
// (parameters, epochs.csv except the timing columns, steps.jsonl except probe "seconds").
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "numerics/engine/config.hpp"
#include "numerics/engine/dataset.hpp"
#include "numerics/engine/distributed.hpp"
#include "numerics/engine/model.hpp"
#include "numerics/engine/progress.hpp"
#include "numerics/engine/train_records.hpp"

namespace gradcert::engine {

using ModelFactory = std::function<std::unique_ptr<Model>(const ModelSpec&, std::uint64_t seed)>;

struct TrainOptions {
    // Continue from <out>/checkpoint.bin (a fresh start if there is none). The configuration
    // must equal the checkpointed one.
    bool resume = false;
    ProgressMode progress = ProgressMode::none;
    // > 0: return right after epoch k is checkpointed, as if the process were killed there
    // (RunStatus::stopped); used to test resuming.
    int stop_after_epoch = 0;
    // Called after every epoch (after its checkpoint); returning false stops the run
    // (RunStatus::stopped).
    std::function<bool(const EpochRecord&)> on_epoch;
    // Builds the model instead of make_model (tests use small hand-written models).
    ModelFactory model_factory;
    // The ranks of a data-parallel run (docs/cluster.md); null: this process alone. With
    // [run] shard > 0 the model is make_sharded_model over these ranks. Only rank 0 writes into
    // `out`; the other ranks read its checkpoint on resume and write nothing.
    std::shared_ptr<Communicator> communicator;
};

// How a run ended. The manifest and reports write run_status_name(status).
enum class RunStatus {
    finished,  // every configured epoch ran
    diverged,  // a non-finite loss ended the run
    stopped    // stopped early on request (TrainOptions::stop_after_epoch or on_epoch)
};
std::string_view run_status_name(RunStatus status);  // "finished", "diverged", "stopped"

struct TrainResult {
    RunStatus status = RunStatus::finished;
    std::vector<EpochRecord> epochs;  // all epochs of the run, including those before a resume
    std::vector<ProbeRecord> probes;  // all probes of the run
    std::uint64_t steps = 0;
    double wall_seconds = 0.0;
    std::unique_ptr<Model> model;  // the trained model (final weights)
    nlohmann::json manifest;
    std::filesystem::path out;  // empty when no files were written
};

// Runs (or resumes) the training described by `cfg`, writing epochs.csv, steps.jsonl,
// manifest.json and checkpoint.bin into `out` (created if needed); with `out` empty nothing is
// written and nothing can be resumed. Throws InputError naming cfg.source for missing data or an
// `out` that already holds a run while resume is false. A ValidTrainConfig (load_train_config)
// is not validated again; a plain TrainConfig is validated once here (validate_train_config;
// any model name when options.model_factory is set), InputError naming cfg.source.
TrainResult train(const ValidTrainConfig& cfg, const std::filesystem::path& out,
                  const TrainOptions& options = {});
TrainResult train(const TrainConfig& cfg, const std::filesystem::path& out,
                  const TrainOptions& options = {});

// The same on data already loaded (e.g. shared by several in-process runs); `data` must be what
// load_training_data(cfg) returns (its hash goes into the manifest).
TrainResult train(const ValidTrainConfig& cfg, const DataSplit& data,
                  const std::filesystem::path& out, const TrainOptions& options = {});
TrainResult train(const TrainConfig& cfg, const DataSplit& data, const std::filesystem::path& out,
                  const TrainOptions& options = {});

// The model spec a configuration and dataset give (input shape and classes from the data).
ModelSpec model_spec_for(const TrainConfig& cfg, const Dataset& train);

// Compiler, flags-as-macros, OpenMP version; and `git rev-parse HEAD` of the working directory
// ("unknown" when unavailable).
nlohmann::json build_info();
std::string git_revision();

}  // namespace gradcert::engine
