// `gradcert report [--quick | --full] [--out DIR] [--jobs J] [--resume]`: regenerates the
// verification reports of the built-in families, the constants table, the empirical experiments
// and the index DIR/README.md (verify/report.toml says which families and experiments per mode).
// The quick report goes to reports/quick by default, the full one to reports/full.
// `gradcert report --runs RUNDIR... [--out DIR]` builds the experiments' pages and claim verdicts
// from run directories instead (reports/runs_report.hpp; default DIR runs-report).
//
// One code path with the Slurm sweeps (docs/cluster.md, "Sweeps"; driver/sweep.hpp): the report
// plans its tasks into DIR/.work as `report --plan DIR/.work` would, runs them as
// `gradcert task DIR/.work --all --jobs J` does (each task a child process, its output in
// DIR/.work/logs and relayed as progress), and assembles DIR as `report --collect DIR/.work
// --out DIR` does; only the index's time differs (the report's wall time, not the sum of the
// task times). Every input is validated before anything is written. The collection renders into
// DIR/.staging and each part then replaces its predecessor atomically, so an interrupted run never
// leaves a half-written report. DIR/.work (the tasks' outputs, logs and the experiments'
// checkpoints) is removed after a complete run; --resume keeps what an interrupted run left there
// (finished tasks are not rerun, an experiment continues from its checkpoints), otherwise it is
// cleared first.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "driver/command.hpp"
#include "driver/output_paths.hpp"
#include "driver/sweep.hpp"
#include "numerics/util/error.hpp"
#include "numerics/util/stopwatch.hpp"
#include "reports/runs_report.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct ReportArgs {
    bool quick = false;
    bool full = false;
    bool resume = false;
    int jobs = 1;     // tasks at a time (as `gradcert task DIR --all --jobs J`)
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
    const double task_seconds = gradcert::driver::collect_sweep(a.collect, out);
    std::cout << fmt::format("report: collected {} into {} ({:.1f} task-seconds)\n", a.collect,
                             (out / "README.md").string(), task_seconds);
    return 0;
}

// What a failed task means for `gradcert report`: the task's bad input is the report's (exit 2,
// the child's one-line message), anything else an internal failure (exit 5); docs/cli.md.
[[noreturn]] void throw_task_failure(const std::vector<gradcert::driver::TaskFailure>& failures) {
    for (const auto& f : failures)
        if (f.exit_status == gradcert::verify::to_int(gradcert::verify::ExitCode::bad_input))
            throw gradcert::InputError(f.error);
    const auto& f = failures.front();
    throw std::runtime_error(fmt::format("report: task {} ({}) failed: {}; log {}", f.task.index,
                                         f.task.name, f.error, f.log.string()));
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

// The report itself: plan, run and collect its tasks, exactly as a sweep does (one code path,
// docs/cluster.md), with OUT/.work as the plan directory.
int run_local_report(const ReportArgs& a) {
    const auto t0 = Clock::now();
    const std::string mode = a.full ? "full" : "quick";
    const fs::path out = !a.out.empty() ? fs::path(a.out)
                         : a.full       ? fs::path("reports") / "full"
                                        : fs::path("reports") / "quick";
    gradcert::driver::require_writable_directory("--out", out);
    const auto plan = gradcert::driver::make_sweep_plan(mode, a.source);  // validates all input
    const fs::path work = out / ".work";
    if (!a.resume) fs::remove_all(work);
    gradcert::driver::write_sweep_plan(plan, work, a.plan_options);
    std::cout << fmt::format("report: {} tasks ({} at a time), logs in {}\n", plan.tasks.size(),
                             a.jobs, (work / "logs").string())
              << std::flush;
    const auto failures = gradcert::driver::run_all_sweep_tasks(work, a.jobs);
    if (!failures.empty()) throw_task_failure(failures);
    const double seconds = gradcert::seconds_since(t0);
    gradcert::driver::collect_sweep(work, out, seconds);
    fs::remove_all(work);
    std::cout << fmt::format("report: wrote {} ({:.1f} s)\n", (out / "README.md").string(),
                             seconds);
    return gradcert::verify::to_int(gradcert::verify::ExitCode::success);
}

int run_report(const ReportArgs& a) {
    if (!a.runs.empty()) return run_runs_report(a);
    if (!a.plan.empty() || !a.collect.empty()) return run_sweep_step(a);
    return run_local_report(a);
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
                                "continue an interrupted run from DIR/.work: finished tasks are kept, "
                                "experiments continue from their checkpoints");
    sub.add_option("--jobs", args->jobs,
                   "tasks run at once (default 1); the report does not depend on it")
        ->check(CLI::Range(1, 256));
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
