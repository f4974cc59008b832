#pragma once
// The empirical experiments `gradcert report` can run, by the name verify/report.toml uses.
// Each entry runs its experiment in the given context and writes <dir>/<name>.md, <dir>/<name>.json
// and its figures, returning the outcome the index and CI read.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "verify/experiment.hpp"

namespace gradcert::reports {

using ExperimentReportRunner = std::function<verify::ExperimentOutcome(
    const verify::ExperimentContext& ctx, const std::filesystem::path& dir)>;

struct ExperimentEntry {
    std::string name;
    ExperimentReportRunner run;
};

const std::vector<ExperimentEntry>& experiment_registry();

// The entry called `name`; throws gradcert::InputError naming `plan_file` for an unknown name.
const ExperimentEntry& find_experiment(const std::string& name, const std::string& plan_file);

}  // namespace gradcert::reports
