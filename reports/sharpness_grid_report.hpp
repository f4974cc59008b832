#pragma once
// Experiment 3 of `gradcert report`: batch size, δ, sharpness and generalisation
// (verify/empirical/sharpness_grid.hpp). Loads verify/experiments/sharpness_grid.toml from
// ctx.source (table ctx.mode), trains the (η, b) grid in ctx.work/sharpness_grid, and writes
// dir/sharpness_grid.md, dir/sharpness_grid.json (the result plus "outcome") and
// dir/sharpness_grid-{lambda,sharpness,accuracy}.svg. Claims: "large-batch-sharp",
// "delta-sharpness-monotone", "accuracy-concave-delta".
#include <filesystem>

#include "reports/experiment_page.hpp"
#include "verify/empirical/sharpness_grid.hpp"
#include "verify/experiment.hpp"

namespace gradcert::reports {

// The page of a result (method, sections, figures), also for results assembled from run
// directories (reports/runs_report.hpp).
ExperimentPage sharpness_grid_page(const verify::SharpnessGridResult& result);

verify::ExperimentOutcome run_sharpness_grid_report(const verify::ExperimentContext& ctx,
                                                    const std::filesystem::path& dir);

}  // namespace gradcert::reports
