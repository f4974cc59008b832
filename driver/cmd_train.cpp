// `gradcert train CONFIG.toml [--out DIR] [--resume]`: one training run of the reference SGD
// engine (numerics/engine/trainer.hpp); configuration keys in numerics/engine/CONFIG.md.
// Exit status (docs/cli.md): 0 finished, 2 bad input (configuration, data, output directory),
// 4 diverged.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "driver/command.hpp"
#include "driver/output_paths.hpp"
#include "numerics/engine/config.hpp"
#include "numerics/engine/trainer.hpp"
#include "verify/exit_code.hpp"

namespace gradcert::driver {

namespace {

struct TrainArgs {
    std::string config;
    std::string out;
    bool resume = false;
    bool quiet = false;
};

int run_train(const TrainArgs& args) {
    namespace fs = std::filesystem;
    // Validated once, here at the boundary; train() does not check it again.
    const engine::ValidTrainConfig cfg = engine::load_train_config(args.config);
    const fs::path out =
        args.out.empty() ? fs::path("runs") / fs::path(args.config).stem() : fs::path(args.out);
    require_writable_directory("--out", out);
    engine::TrainOptions options;
    options.resume = args.resume;
    options.progress = args.quiet ? engine::ProgressMode::none : engine::ProgressMode::automatic;
    const engine::TrainResult r = engine::train(cfg, out, options);
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
