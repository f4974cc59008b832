#pragma once
// What the experiments' judgement and reports share: loading an experiment's configuration table
// from the source tree, its work directory, and number formatting for estimates. Pages are
// rendered in reports/experiment_page.hpp.
#include <filesystem>
#include <string>

#include "verify/empirical/experiment_config.hpp"
#include "verify/experiment.hpp"

namespace gradcert::verify {

// verify/experiments/<name>.toml under ctx.source, table ctx.mode.
ExperimentTable load_experiment_table(const ExperimentContext& ctx, const std::string& name);

// The work directory of one experiment: ctx.work/<name>, so experiments sharing one ctx.work
// never clear each other's state.
std::filesystem::path experiment_work(const ExperimentContext& ctx, const std::string& name);

// "0.1234" with `digits` significant digits; "n/a" for a non-finite value.
std::string sig(double v, int digits = 4);
// "v [lo, hi]".
std::string with_interval(double v, double lo, double hi, int digits = 4);
// "m ± s".
std::string plus_minus(double m, double s, int digits = 4);

}  // namespace gradcert::verify
