#include "verify/empirical/model_snapshot.hpp"

#include <algorithm>

#include "numerics/engine/checkpoint.hpp"
#include "numerics/util/error.hpp"
#include "verify/empirical/run_store.hpp"

namespace fs = std::filesystem;

namespace gradcert::verify {

namespace {

const char* const kCheckpoint = "checkpoint.bin";

std::unique_ptr<engine::Model> model_from_checkpoint(const engine::TrainConfig& cfg,
                                                     const engine::DataSplit& data,
                                                     const fs::path& dir) {
    std::unique_ptr<engine::Model> model =
        engine::make_model(engine::model_spec_for(cfg, data.train), cfg.run.seed);
    const engine::Checkpoint ck = engine::read_checkpoint(dir / kCheckpoint);
    const std::vector<float>& params = ck.blob("params");
    const std::vector<float>& buffers = ck.blob("buffers");
    if (params.size() != model->params().size() || buffers.size() != model->buffers().size())
        throw InputError((dir / kCheckpoint).string() + ": does not match the model of " +
                         cfg.source);
    std::copy(params.begin(), params.end(), model->params().begin());
    std::copy(buffers.begin(), buffers.end(), model->buffers().begin());
    return model;
}

}  // namespace

int checkpointed_epochs(const fs::path& dir) {
    if (!fs::exists(dir / kCheckpoint)) return 0;
    return engine::read_checkpoint(dir / kCheckpoint).header.at("epochs_done").get<int>();
}

std::unique_ptr<engine::Model> model_after_epoch(const engine::TrainConfig& cfg,
                                                 const engine::DataSplit& data, const fs::path& dir,
                                                 int epoch, const RunProgress* progress) {
    if (epoch < 0 || epoch > cfg.run.epochs)
        throw InputError(cfg.source + ": measurement epoch " + std::to_string(epoch) +
                         " outside [0, epochs]");
    if (epoch == 0)
        return engine::make_model(engine::model_spec_for(cfg, data.train), cfg.run.seed);
    int done = checkpointed_epochs(dir);
    if (done > epoch) {
        fs::remove_all(dir);
        done = 0;
    }
    if (done < epoch) {
        engine::TrainResult r = train_resumable(cfg, data, dir, epoch, progress);
        if (static_cast<int>(r.epochs.size()) != epoch)
            throw std::runtime_error(cfg.source + ": training stopped at epoch " +
                                     std::to_string(r.epochs.size()) + " (status " +
                                     std::string(engine::run_status_name(r.status)) +
                                     "), before the measurement epoch " + std::to_string(epoch));
        return std::move(r.model);
    }
    return model_from_checkpoint(cfg, data, dir);
}

}  // namespace gradcert::verify
