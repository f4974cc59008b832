#include "reports/experiment_registry.hpp"

#include "numerics/util/error.hpp"
#include "reports/explicit_go_report.hpp"
#include "reports/noise_scaling_report.hpp"
#include "reports/schedules_report.hpp"
#include "reports/sharpness_grid_report.hpp"

namespace gradcert::reports {

const std::vector<ExperimentEntry>& experiment_registry() {
    static const std::vector<ExperimentEntry> entries{
        {"noise_scaling", run_noise_scaling_report},
        {"schedules", run_schedules_report},
        {"sharpness_grid", run_sharpness_grid_report},
        {"explicit_go", run_explicit_go_report},
    };
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
