#pragma once
// What the three SGD experiment reports share: loading an experiment's configuration table from
// the source tree, loading its data once, number formatting for estimates, and writing a
// report's files (every file rendered before the first is written).
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "numerics/sgd/dataset.hpp"
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

// Writes dir/<name>.md, dir/<name>.json and the figures (file name → SVG text), each atomically.
void write_report_files(const std::filesystem::path& dir, const std::string& name,
                        const std::string& markdown, const std::string& json,
                        const std::vector<std::pair<std::string, std::string>>& figures);

// Markdown for an outcome's findings and tolerance checks.
std::string findings_markdown(const ExperimentOutcome& o);

// The common preamble: "All numbers are estimates …" and the scale statement.
std::string estimates_note();

}  // namespace gradcert::verify
