#pragma once
// The pipeline the three SGD experiment reports share (noise scaling, schedules, sharpness grid):
// load verify/experiments/<name>.toml (table ctx.mode), load the data once, run the experiment in
// ctx.work/<name>, judge it (verify/claims), render its page and write every file. Each report
// supplies only what differs: its verify functions and its page.
#include <filesystem>
#include <string>

#include "numerics/engine/data_load.hpp"
#include "numerics/util/stopwatch.hpp"
#include "reports/experiment_page.hpp"
#include "verify/empirical/report_support.hpp"
#include "verify/experiment.hpp"

namespace gradcert::reports {

template <typename Config, typename Result>
struct SgdExperiment {
    std::string name;  // verify/experiments/<name>.toml, <dir>/<name>.md, ctx.work/<name>
    Config (*config)(const verify::ExperimentTable& table);
    Result (*run)(const Config& config, const engine::DataSplit& data,
                  const std::filesystem::path& work, bool resume);
    verify::ExperimentOutcome (*judge)(const Result& result);
    ExperimentPage (*page)(const Result& result);
};

// Runs `e` in ctx and writes dir/<name>.md, dir/<name>.json (to_json(result) plus the outcome)
// and the page's figures; returns the outcome. Throws InputError for a bad config before anything
// is written.
template <typename Config, typename Result>
verify::ExperimentOutcome run_sgd_experiment_report(const SgdExperiment<Config, Result>& e,
                                                    const verify::ExperimentContext& ctx,
                                                    const std::filesystem::path& dir) {
    const auto t0 = std::chrono::steady_clock::now();
    Config config = e.config(verify::load_experiment_table(ctx, e.name));
    config.train.run.threads = ctx.threads;
    const engine::DataSplit data = engine::load_training_data(config.train);
    Result result = e.run(config, data, verify::experiment_work(ctx, e.name), ctx.resume);
    result.wall_seconds = seconds_since(t0);
    verify::ExperimentOutcome outcome = e.judge(result);
    write_experiment_page(ctx, dir, e.name, outcome, e.page(result), to_json(result), t0);
    return outcome;
}

}  // namespace gradcert::reports
