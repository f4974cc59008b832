// `gradcert compare-reports ACTUAL REFERENCE [--allow-missing] [--certified-only]`: CI's
// regression on regenerated reports (reports/report_compare.hpp): certified JSON and Markdown,
// the index's claim statuses and family verdicts, the experiments' estimates. Exit (docs/cli.md) 0
// when they agree, 1 with one line per difference otherwise (an empty reference is one), 2 for
// unreadable input or a directory that does not exist.
#include <iostream>

#include "driver/command.hpp"
#include "reports/report_compare.hpp"
#include "verify/exit_code.hpp"

namespace {

struct CompareArgs {
    std::string actual, reference;
    bool allow_missing = false;
    bool certified_only = false;
};

int run_compare(const CompareArgs& a) {
    gradcert::reports::CompareOptions options;
    options.allow_missing = a.allow_missing;
    options.experiments = !a.certified_only;
    const auto differences = gradcert::reports::compare_reports(a.actual, a.reference, options);
    for (const auto& d : differences) std::cout << "differs: " << d << "\n";
    if (!differences.empty()) return gradcert::verify::to_int(gradcert::verify::ExitCode::fails);
    std::cout << "compare-reports: " << a.actual << " agrees with " << a.reference
              << (options.experiments
                      ? " (certified JSON and Markdown exactly, claim statuses, estimates within "
                        "their bands)\n"
                      : " (certified JSON and Markdown exactly, certified claim statuses)\n");
    return gradcert::verify::to_int(gradcert::verify::ExitCode::success);
}

gradcert::driver::Runner setup(CLI::App& sub) {
    auto args = std::make_shared<CompareArgs>();
    sub.add_option("actual", args->actual, "the regenerated report directory")->required();
    sub.add_option("reference", args->reference, "the committed report directory")->required();
    sub.add_flag("--allow-missing", args->allow_missing,
                 "files present on one side only are not differences (an empty reference still "
                 "is)");
    sub.add_flag("--certified-only", args->certified_only,
                 "compare only the certified results (families, constants, certified claim "
                 "statuses and verdicts)");
    return [args]() { return run_compare(*args); };
}

}  // namespace

GRADCERT_COMMAND("compare-reports",
                 "compare a regenerated report tree with a committed one (CI's regression)", setup);
