#include "driver/report_plan.hpp"

#include <toml++/toml.h>

#include "numerics/util/error.hpp"

namespace gradcert::driver {

namespace {

// The names in `list`, each of which must have a file <dir>/<name>.toml.
std::vector<std::string> names_with_files(const toml::array& list, const std::string& file,
                                          const std::string& mode, const std::string& key,
                                          const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const toml::node& n : list) {
        auto name = n.value<std::string>();
        if (!name) throw_input_error(file, "[" + mode + "] " + key + " must be strings");
        const auto path = dir / (*name + ".toml");
        if (!std::filesystem::exists(path))
            throw_input_error(file, key + " entry '" + *name + "' has no file " + path.string());
        names.push_back(*name);
    }
    return names;
}

}  // namespace

ReportPlan load_report_plan(const std::filesystem::path& plan_file, const std::string& mode) {
    const std::string file = plan_file.string();
    toml::table doc;
    try {
        doc = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
        throw_input_error(file, std::string(e.description()),
                          static_cast<int>(e.source().begin.line));
    }
    if (!doc[mode].as_table()) throw_input_error(file, "no [" + mode + "] table");
    const toml::array* families = doc[mode]["families"].as_array();
    if (!families) throw_input_error(file, "no [" + mode + "] families list");
    const auto verify_dir = plan_file.parent_path();
    ReportPlan plan;
    plan.families = names_with_files(*families, file, mode, "families", verify_dir / "families");
    if (const toml::node* experiments = doc[mode]["experiments"].node()) {
        if (!experiments->is_array())
            throw_input_error(file, "[" + mode + "] experiments must be a list of names");
        plan.experiments = names_with_files(*experiments->as_array(), file, mode, "experiments",
                                            verify_dir / "experiments");
    }
    return plan;
}

}  // namespace gradcert::driver
