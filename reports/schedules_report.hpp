#pragma once
// Experiment 2 of `gradcert report`: schedules with equal δ decay
// (verify/empirical/schedules.hpp). Loads verify/experiments/schedules.toml from ctx.source
// (table ctx.mode), runs every arm × seed in ctx.work/schedules, and writes dir/schedules.md,
// dir/schedules.json (the result plus "outcome") and dir/schedules-{accuracy,loss,delta}.svg.
// Claims: "delta-vs-smith", "decay-beats-constant", "batch-beats-lr", "poly-optimal".
#include <filesystem>

#include "reports/experiment_page.hpp"
#include "verify/empirical/schedules.hpp"
#include "verify/experiment.hpp"

namespace gradcert::reports {

// The page of a result (method, sections, figures), also for results assembled from run
// directories (reports/runs_report.hpp).
ExperimentPage schedules_page(const verify::SchedulesResult& result);

verify::ExperimentOutcome run_schedules_report(const verify::ExperimentContext& ctx,
                                               const std::filesystem::path& dir);

}  // namespace gradcert::reports
