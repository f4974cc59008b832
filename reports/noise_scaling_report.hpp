#pragma once
// Experiment 1 of `gradcert report`: mini-batch gradient noise against the batch size
// (verify/empirical/noise_scaling.hpp). Loads verify/experiments/noise_scaling.toml from
// ctx.source (table ctx.mode), runs the experiment in ctx.work/noise_scaling, and writes
// dir/noise_scaling.md, dir/noise_scaling.json (the result plus "outcome") and
// dir/noise_scaling-{noise,c2,qq}.svg. Returns the outcome (claim "noise-scaling").
#include <filesystem>

#include "reports/experiment_page.hpp"
#include "verify/empirical/noise_scaling.hpp"
#include "verify/experiment.hpp"

namespace gradcert::reports {

// The page of a result (method, sections, figures), also for results assembled from run
// directories (reports/runs_report.hpp).
ExperimentPage noise_scaling_page(const verify::NoiseScalingResult& result);

verify::ExperimentOutcome run_noise_scaling_report(const verify::ExperimentContext& ctx,
                                                   const std::filesystem::path& dir);

}  // namespace gradcert::reports
