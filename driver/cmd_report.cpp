// `gradcert report [--quick | --full] [--out DIR]`: regenerates the verification reports of the
// built-in families (verify/report.toml says which per mode), the constants table and the index
// DIR/README.md. Everything is rendered into a staging directory first; each part then replaces
// its predecessor atomically, so an interrupted run never leaves a half-written report.
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "driver/command.hpp"
#include "numerics/util/atomic_file.hpp"
#include "reports/check_report.hpp"
#include "reports/constants_report.hpp"
#include "reports/verification_index.hpp"
#include "theory/constants.hpp"
#include "theory/constants_json.hpp"
#include "verify/report_plan.hpp"

namespace {

namespace fs = std::filesystem;

struct ReportArgs {
    bool quick = false;
    bool full = false;
    std::string out = "reports";
    std::string source = GRADCERT_SOURCE_DIR;
};

constexpr long kConstantsPrecision = 128;

size_t stage_constants(const fs::path& dir) {
    gradcert::PrecisionScope precision(kConstantsPrecision);
    auto constants = gradcert::theory::paper_constants();
    gradcert::write_file_atomically(
        dir / "constants.json",
        gradcert::theory::constants_to_json(constants, kConstantsPrecision).dump(2) + "\n");
    gradcert::write_file_atomically(dir / "constants.md", gradcert::reports::constants_markdown(
                                                              constants, kConstantsPrecision));
    return constants.size();
}

int run_report(const ReportArgs& a) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string mode = a.full ? "full" : "quick";
    const fs::path source(a.source), out(a.out);
    gradcert::verify::ReportPlan plan =
        gradcert::verify::load_report_plan(source / "verify" / "report.toml", mode);
    const fs::path staging = out / ".staging";
    fs::remove_all(staging);

    gradcert::reports::IndexInputs index;
    index.mode = mode;
    for (const std::string& name : plan.families) {
        auto family =
            gradcert::verify::load_family(source / "verify" / "families" / (name + ".toml"), {});
        family.file = "verify/families/" + name + ".toml";  // stable across checkouts
        std::cout << "report: checking " << name << "…" << std::endl;
        auto result = gradcert::verify::check_family(family);
        gradcert::reports::write_check_report(result, staging / "families");
        std::cout << "  " << gradcert::reports::family_one_line(result) << "\n";
        index.families.push_back(std::move(result));
    }
    index.constant_count = stage_constants(staging / "constants");
    index.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string readme = gradcert::reports::verification_index_markdown(index);

    gradcert::replace_directory(staging / "families", out / "families");
    gradcert::replace_directory(staging / "constants", out / "constants");
    gradcert::write_file_atomically(out / "README.md", readme);
    fs::remove_all(staging);
    std::cout << fmt::format("report: wrote {} ({:.1f} s)\n", (out / "README.md").string(),
                             index.seconds);
    return 0;
}

gradcert::driver::Runner setup(CLI::App& sub) {
    auto args = std::make_shared<ReportArgs>();
    auto* quick =
        sub.add_flag("--quick", args->quick, "the quick report (default): minutes on 2 cores");
    sub.add_flag("--full", args->full, "the full report: adds the slow families")->excludes(quick);
    sub.add_option("--out", args->out, "output directory (default: reports)");
    sub.add_option("--source", args->source, "source tree holding verify/ (default: this build's)");
    return [args]() { return run_report(*args); };
}

}  // namespace

GRADCERT_COMMAND("report", "regenerate the verification reports, the constants table and the index",
                 setup);
