#include "verify/report_plan.hpp"

#include <toml++/toml.h>

#include "numerics/util/error.hpp"

namespace gradcert::verify {

ReportPlan load_report_plan(const std::filesystem::path& plan_file, const std::string& mode) {
    const std::string file = plan_file.string();
    toml::table doc;
    try {
        doc = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
        throw_input_error(file, std::string(e.description()),
                          static_cast<int>(e.source().begin.line));
    }
    const toml::array* list = doc[mode]["families"].as_array();
    if (!list) throw_input_error(file, "no [" + mode + "] families list");
    ReportPlan plan;
    const auto dir = plan_file.parent_path() / "families";
    for (const toml::node& n : *list) {
        auto name = n.value<std::string>();
        if (!name) throw_input_error(file, "[" + mode + "] families must be strings");
        if (!std::filesystem::exists(dir / (*name + ".toml")))
            throw_input_error(
                file, "family '" + *name + "' has no file " + (dir / (*name + ".toml")).string());
        plan.families.push_back(*name);
    }
    return plan;
}

}  // namespace gradcert::verify
