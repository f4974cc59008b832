#pragma once
// The model of a training run at the end of a given epoch (0 = the initialisation), for
// measurements at fixed weights. Trains (or resumes) the run in its directory as far as needed.
#include <filesystem>
#include <memory>

#include "numerics/engine/trainer.hpp"
#include "verify/empirical/run_store.hpp"

namespace gradcert::verify {

// The weights after `epoch` epochs of `cfg` (0 ≤ epoch ≤ cfg.run.epochs), built by make_model
// and filled from the run's checkpoint in `dir`, training up to `epoch` first if the checkpoint
// is behind. A checkpoint already past `epoch` cannot be rewound: the run is restarted.
// `progress` as in train_resumable.
std::unique_ptr<engine::Model> model_after_epoch(const engine::TrainConfig& cfg,
                                                 const engine::DataSplit& data,
                                                 const std::filesystem::path& dir, int epoch,
                                                 const RunProgress* progress = nullptr);

// Epochs done by the checkpoint in `dir` (0 when there is none).
int checkpointed_epochs(const std::filesystem::path& dir);

}  // namespace gradcert::verify
