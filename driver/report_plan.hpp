#pragma once
// Which built-in families `gradcert report` certifies and which empirical experiments it runs in
// each mode, read from verify/report.toml (so that the quick report stays under its time budget
// and the full one adds the slow families and the full-size experiments, without editing code).
#include <filesystem>
#include <string>
#include <vector>

namespace gradcert::driver {

struct ReportPlan {
    std::vector<std::string> families;     // names of verify/families/<name>.toml, in report order
    std::vector<std::string> experiments;  // names of verify/experiments/<name>.toml, in order
};

// mode: "quick" or "full". Throws InputError naming the file for a malformed plan, an unknown
// mode, or a family or experiment whose file does not exist. The experiments list is optional
// (no experiments when absent).
ReportPlan load_report_plan(const std::filesystem::path& plan_file, const std::string& mode);

}  // namespace gradcert::driver
