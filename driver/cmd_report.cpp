// `gradcert report [--quick | --full] [--out DIR] [--resume]`: regenerates the verification
// reports of the built-in families, the constants table, the empirical experiments and the index
// DIR/README.md (verify/report.toml says which families and experiments per mode). The quick
// report goes to reports/quick by default, the full one to reports/full.
// `gradcert report --runs RUNDIR... [--out DIR]` builds the experiments' pages and claim verdicts
// from run directories instead (reports/runs_report.hpp; default DIR runs-report).
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
#include "driver/report_plan.hpp"
#include "driver/sweep.hpp"
#include "numerics/util/atomic_file.hpp"
#include "numerics/util/stopwatch.hpp"
#include "reports/check_report.hpp"
#include "reports/constants_report.hpp"
#include "reports/experiment_registry.hpp"
#include "reports/runs_report.hpp"
#include "reports/verification_index.hpp"
#include "theory/constants.hpp"
#include "theory/constants_json.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct ReportArgs {
    bool quick = false;
    bool full = false;
    bool resume = false;
    std::string out;  // empty → reports/quick (quick) or reports/full (full)
    std::string source = GRADCERT_SOURCE_DIR;
    std::string plan;               // --plan DIR: write the sweep plan instead (driver/sweep.hpp)
    std::string collect;            // --collect DIR: assemble a finished sweep
    std::vector<std::string> runs;  // --runs DIR...: pages from run directories
    gradcert::driver::PlanOptions plan_options;
};

// --plan and --collect (docs/cluster.md, "Sweeps").
int run_sweep_step(const ReportArgs& a) {
    if (!a.plan.empty()) {
        gradcert::driver::require_writable_directory("--plan", a.plan);
        const auto plan = gradcert::driver::make_sweep_plan(a.full ? "full" : "quick", a.source);
        gradcert::driver::write_sweep_plan(plan, a.plan, a.plan_options);
        std::cout << fmt::format(
            "report: {} tasks in {}/tasks.json; submit with {}/submit.sh, or run locally with "
            "gradcert task {} --all --jobs J\n",
            plan.tasks.size(), a.plan, a.plan, a.plan);
        return 0;
    }
    const fs::path out = a.out.empty() ? fs::path(a.collect) / "report" : fs::path(a.out);
    gradcert::driver::require_writable_directory("--out", out);
    gradcert::driver::collect_sweep(a.collect, out);
    return 0;
}

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

void stage_families(const gradcert::driver::ReportPlan& plan, const fs::path& source,
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

void stage_experiments(const gradcert::driver::ReportPlan& plan, const ReportArgs& a,
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

// --runs (docs/run-format.md, "Reports from run directories").
int run_runs_report(const ReportArgs& a) {
    const fs::path out = a.out.empty() ? fs::path("runs-report") : fs::path(a.out);
    gradcert::driver::require_writable_directory("--out", out);
    const std::vector<fs::path> dirs(a.runs.begin(), a.runs.end());
    const auto summary = gradcert::reports::write_runs_report(dirs, out);
    for (const std::string& s : summary.skipped) std::cout << "report: skipped " << s << "\n";
    std::cout << fmt::format("report: wrote {} ({} page(s) from {} runs)\n",
                             (out / "README.md").string(), summary.pages.size(), dirs.size());
    return gradcert::verify::to_int(gradcert::verify::ExitCode::success);
}

int run_report(const ReportArgs& a) {
    if (!a.runs.empty()) return run_runs_report(a);
    if (!a.plan.empty() || !a.collect.empty()) return run_sweep_step(a);
    const auto t0 = Clock::now();
    const std::string mode = a.full ? "full" : "quick";
    const fs::path source(a.source);
    const fs::path out = !a.out.empty() ? fs::path(a.out)
                         : a.full       ? fs::path("reports") / "full"
                                        : fs::path("reports") / "quick";
    gradcert::driver::require_writable_directory("--out", out);
    gradcert::driver::ReportPlan plan =
        gradcert::driver::load_report_plan(source / "verify" / "report.toml", mode);
    const fs::path staging = out / ".staging", work = out / ".work";
    fs::remove_all(staging);

    gradcert::reports::IndexInputs index;
    index.mode = mode;
    stage_families(plan, source, staging / "families", index);
    index.constant_count = stage_constants(staging / "constants");
    stage_experiments(plan, a, mode, work, staging / "experiments", index);
    index.seconds = gradcert::seconds_since(t0);
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
    auto* full_flag =
        sub.add_flag("--full", args->full,
                     "the full report: slow families and full-size experiments, to reports")
            ->excludes(quick);
    auto* resume = sub.add_flag("--resume", args->resume,
                                "continue the experiments of an interrupted run from DIR/.work");
    sub.add_option("--out", args->out,
                   "output directory (default: reports/quick, reports/full, or runs-report "
                   "with --runs)");
    sub.add_option("--source", args->source, "source tree holding verify/ (default: this build's)");
    auto* plan = sub.add_option("--plan", args->plan,
                                "write the report's tasks and Slurm scripts into this directory "
                                "instead of running them (docs/cluster.md)");
    auto* collect = sub.add_option("--collect", args->collect,
                                   "assemble the report from the finished tasks of this plan "
                                   "directory into --out (default DIR/report)")
                        ->excludes(plan);
    sub.add_option("--runs", args->runs,
                   "build the noise-scaling, schedules and sharpness-grid pages and their claim "
                   "verdicts from these run directories (docs/run-format.md) into --out "
                   "(default runs-report)")
        ->expected(1, -1)
        ->excludes(quick)
        ->excludes(full_flag)
        ->excludes(resume)
        ->excludes(plan)
        ->excludes(collect);
    sub.add_option("--max-parallel", args->plan_options.max_parallel,
                   "with --plan: array tasks running at once (%K, default 4)")
        ->check(CLI::Range(1, 100000));
    sub.add_option("--cpus-per-task", args->plan_options.cpus_per_task,
                   "with --plan: cores per array task (default 2)")
        ->check(CLI::Range(1, 4096));
    sub.add_option("--time-limit", args->plan_options.time_limit,
                   "with --plan: Slurm time limit per task (default 02:00:00)");
    return [args]() { return run_report(*args); };
}

}  // namespace

GRADCERT_COMMAND("report",
                 "regenerate the verification reports, the constants table, the empirical "
                 "experiments and the index",
                 setup);
