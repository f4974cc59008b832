#include "reports/experiment_registry.hpp"

#include "numerics/util/error.hpp"

namespace gradcert::reports {

const std::vector<ExperimentEntry>& experiment_registry() {
    static const std::vector<ExperimentEntry> entries{};
    return entries;
}

const ExperimentEntry& find_experiment(const std::string& name, const std::string& plan_file) {
    for (const auto& e : experiment_registry())
        if (e.name == name) return e;
    std::string known;
    for (const auto& e : experiment_registry()) known += (known.empty() ? "" : ", ") + e.name;
    throw_input_error(plan_file, "unknown experiment '" + name + "' (known: " + known + ")");
}

}  // namespace gradcert::reports
