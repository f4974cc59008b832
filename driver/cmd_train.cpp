// `gradcert train CONFIG.toml [--out DIR] [--resume]`: one training run of the reference SGD
// engine (numerics/engine/trainer.hpp); configuration keys in numerics/engine/CONFIG.md.
// Exit status (docs/cli.md): 0 finished, 2 bad input (configuration, data, output directory),
// 4 diverged.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "driver/command.hpp"
#include "driver/mpi_world.hpp"
#include "driver/output_paths.hpp"
#include "numerics/engine/config.hpp"
#include "numerics/engine/isa.hpp"
#include "numerics/engine/trainer.hpp"
#include "numerics/util/error.hpp"
#include "verify/exit_code.hpp"

namespace gradcert::driver {

namespace {

struct TrainArgs {
    std::string config;
    std::string out;
    bool resume = false;
    bool quiet = false;
};

// Under an MPI launcher: the run's ranks become options.communicator; only rank 0 shows progress.
// Throws InputError without MPI support, or when [run] shard is unset on more than one rank.
void join_ranks(const engine::TrainConfig& cfg, engine::TrainOptions& options) {
    options.communicator = mpi_world();
    if (options.communicator->size() > 1 && cfg.run.shard == 0)
        throw InputError(cfg.source + ": [run] shard must be set (> 0) to train on " +
                         std::to_string(options.communicator->size()) +
                         " MPI ranks (examples per data-parallel shard, see docs/cluster.md)");
    if (options.communicator->rank() != 0) options.progress = engine::ProgressMode::none;
}

// engine::train; on more than one rank an error ends every rank (MPI_Abort) instead of leaving
// the others waiting in a collective.
engine::TrainResult train_on_ranks(const engine::ValidTrainConfig& cfg,
                                   const std::filesystem::path& out,
                                   const engine::TrainOptions& options) {
    if (!options.communicator || options.communicator->size() == 1)
        return engine::train(cfg, out, options);
    try {
        return engine::train(cfg, out, options);
    } catch (const InputError& e) {
        mpi_abort(e.what(), 2);
    } catch (const std::exception& e) {
        mpi_abort(e.what(), 1);
    }
}

int run_train(const TrainArgs& args) {
    namespace fs = std::filesystem;
    engine::require_engine_isa();  // before any engine code (built for x86-64-v3) runs
    // Validated once, here at the boundary; train() does not check it again.
    const engine::ValidTrainConfig cfg = engine::load_train_config(args.config);
    const fs::path out =
        args.out.empty() ? fs::path("runs") / fs::path(args.config).stem() : fs::path(args.out);
    require_writable_directory("--out", out);
    engine::TrainOptions options;
    options.resume = args.resume;
    options.progress = args.quiet ? engine::ProgressMode::none : engine::ProgressMode::automatic;
    if (launcher_world_size() > 0) join_ranks(cfg, options);  // under mpirun: docs/cluster.md
    const engine::TrainResult r = train_on_ranks(cfg, out, options);
    if (options.communicator && options.communicator->rank() != 0)
        return verify::to_int(r.status == engine::RunStatus::diverged ? verify::ExitCode::diverged
                                                                      : verify::ExitCode::success);
    if (!r.epochs.empty()) {
        const engine::EpochRecord& last = r.epochs.back();
        std::printf(
            "%s: %s after %zu epochs, %llu steps, %.1f s; test accuracy %.4f, test loss "
            "%.4f; outputs in %s\n",
            args.config.c_str(), std::string(engine::run_status_name(r.status)).c_str(),
            r.epochs.size(), static_cast<unsigned long long>(r.steps), r.wall_seconds,
            last.test_acc, last.test_loss, out.string().c_str());
    }
    if (r.status == engine::RunStatus::diverged) {
        std::fprintf(stderr, "gradcert: %s: training diverged (non-finite loss) at step %llu\n",
                     args.config.c_str(), static_cast<unsigned long long>(r.steps));
        return verify::to_int(verify::ExitCode::diverged);
    }
    return verify::to_int(verify::ExitCode::success);
}

Runner setup_train(CLI::App& sub) {
    auto args = std::make_shared<TrainArgs>();
    sub.add_option("config", args->config,
                   "run configuration (TOML, see numerics/engine/CONFIG.md)")
        ->required();
    sub.add_option("--out", args->out, "output directory (default runs/<config name>)");
    sub.add_flag("--resume", args->resume,
                 "continue the run in the output directory from its last checkpoint");
    sub.add_flag("--quiet", args->quiet, "no progress output");
    return [args] { return run_train(*args); };
}

}  // namespace

GRADCERT_COMMAND("train", "train a model with the reference SGD engine (epochs.csv, steps.jsonl)",
                 setup_train);

}  // namespace gradcert::driver
