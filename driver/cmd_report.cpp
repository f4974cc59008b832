// `gradcert report [--quick | --full] [--out DIR] [--resume]`: regenerates the verification
// reports of the built-in families, the constants table, the empirical experiments and the index
// DIR/README.md (verify/report.toml says which families and experiments per mode). The quick
// report goes to reports/quick by default, the full one to reports.
//
// Everything is rendered into DIR/.staging first; each part then replaces its predecessor
// atomically, so an interrupted run never leaves a half-written report. The experiments keep
// their run state (checkpoints, finished runs) in DIR/.work/<experiment>; --resume continues from
// it, otherwise it is cleared first. It is removed after a complete run.
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "driver/command.hpp"
#include "driver/output_paths.hpp"
#include "numerics/util/atomic_file.hpp"
#include "reports/check_report.hpp"
#include "reports/constants_report.hpp"
#include "reports/experiment_registry.hpp"
#include "reports/verification_index.hpp"
#include "theory/constants.hpp"
#include "theory/constants_json.hpp"
#include "verify/report_plan.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct ReportArgs {
    bool quick = false;
    bool full = false;
    bool resume = false;
    std::string out;  // empty → reports/quick (quick) or reports (full)
    std::string source = GRADCERT_SOURCE_DIR;
};

constexpr long kConstantsPrecision = 128;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

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

void stage_families(const gradcert::verify::ReportPlan& plan, const fs::path& source,
                    const fs::path& dir, gradcert::reports::IndexInputs& index) {
    for (const std::string& name : plan.families) {
        auto family =
            gradcert::verify::load_family(source / "verify" / "families" / (name + ".toml"), {});
        family.file = "verify/families/" + name + ".toml";  // stable across checkouts
        std::cout << "report: checking " << name << "…" << std::endl;
        gradcert::verify::CheckOptions options;  // record the certificate written beside the JSON
        options.minimizer.record_certificate = options.curvature.record_certificate = true;
        auto result = gradcert::verify::check_family(family, options);
        gradcert::reports::write_check_report(result, dir);
        std::cout << "  " << gradcert::reports::family_one_line(result) << "\n";
        index.families.push_back(std::move(result));
    }
}

void stage_experiments(const gradcert::verify::ReportPlan& plan, const ReportArgs& a,
                       const std::string& mode, const fs::path& work, const fs::path& dir,
                       gradcert::reports::IndexInputs& index) {
    const std::string plan_file = (fs::path(a.source) / "verify" / "report.toml").string();
    for (const std::string& name : plan.experiments) {
        const auto& entry = gradcert::reports::find_experiment(name, plan_file);
        gradcert::verify::ExperimentContext ctx;
        ctx.mode = mode;
        ctx.source = a.source;
        ctx.work = work / name;
        ctx.resume = a.resume;
        if (!ctx.resume) fs::remove_all(ctx.work);
        fs::create_directories(ctx.work);
        std::cout << "report: running experiment " << name << " (" << mode << ")…" << std::endl;
        auto outcome = entry.run(ctx, dir);
        std::cout << fmt::format("  {} ({:.0f} s)\n", outcome.one_line, outcome.wall_seconds);
        index.experiments.push_back(std::move(outcome));
    }
}

int run_report(const ReportArgs& a) {
    const auto t0 = Clock::now();
    const std::string mode = a.full ? "full" : "quick";
    const fs::path source(a.source);
    const fs::path out = !a.out.empty() ? fs::path(a.out)
                         : a.full       ? fs::path("reports")
                                        : fs::path("reports") / "quick";
    gradcert::driver::require_writable_directory("--out", out);
    gradcert::verify::ReportPlan plan =
        gradcert::verify::load_report_plan(source / "verify" / "report.toml", mode);
    const fs::path staging = out / ".staging", work = out / ".work";
    fs::remove_all(staging);

    gradcert::reports::IndexInputs index;
    index.mode = mode;
    stage_families(plan, source, staging / "families", index);
    index.constant_count = stage_constants(staging / "constants");
    stage_experiments(plan, a, mode, work, staging / "experiments", index);
    index.seconds = seconds_since(t0);
    std::string readme = gradcert::reports::verification_index_markdown(index);

    gradcert::replace_directory(staging / "families", out / "families");
    gradcert::replace_directory(staging / "constants", out / "constants");
    if (!plan.experiments.empty())
        gradcert::replace_directory(staging / "experiments", out / "experiments");
    gradcert::write_file_atomically(out / "README.md", readme);
    fs::remove_all(staging);
    fs::remove_all(work);
    std::cout << fmt::format("report: wrote {} ({:.1f} s)\n", (out / "README.md").string(),
                             index.seconds);
    return gradcert::verify::to_int(gradcert::verify::ExitCode::success);
}

gradcert::driver::Runner setup(CLI::App& sub) {
    auto args = std::make_shared<ReportArgs>();
    auto* quick = sub.add_flag("--quick", args->quick,
                               "the quick report (default): minutes on 2 cores, to reports/quick");
    sub.add_flag("--full", args->full,
                 "the full report: slow families and full-size experiments, to reports")
        ->excludes(quick);
    sub.add_flag("--resume", args->resume,
                 "continue the experiments of an interrupted run from DIR/.work");
    sub.add_option("--out", args->out, "output directory (default: reports/quick or reports)");
    sub.add_option("--source", args->source, "source tree holding verify/ (default: this build's)");
    return [args]() { return run_report(*args); };
}

}  // namespace

GRADCERT_COMMAND("report",
                 "regenerate the verification reports, the constants table, the empirical "
                 "experiments and the index",
                 setup);
