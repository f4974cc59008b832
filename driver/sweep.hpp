#pragma once
// Report sweeps as independent tasks (docs/cluster.md, "Sweeps"): `gradcert report --plan DIR`
// writes the tasks of a report and the Slurm scripts that run them, `gradcert task DIR` runs one
// (or all, locally), `gradcert report --collect DIR` assembles the report from their outputs.
//
// A task is one unit of the report: one family check, the constants table, or one experiment
// (with all its training runs; an experiment is not split further, see docs/cluster.md). Its id is
// a hash of what determines its result (kind, name, mode, the text of its input file, the
// gradcert version), so a plan made twice from the same tree names the same tasks.
//
// Layout of DIR: tasks.json; sweep.sbatch, collect.sbatch, submit.sh; logs/task-<index>.log;
// work/<id>/ (run state: checkpoints, kept across attempts so a killed task resumes);
// tasks/<id>/ (a finished task's outputs and done.json, renamed into place atomically);
// failed/<id>.json (the last failure of a task, removed when it succeeds).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradcert::driver {

enum class TaskKind { family, constants, experiment };

struct SweepTask {
    int index = 0;
    std::string id;  // 16 hex digits
    TaskKind kind = TaskKind::family;
    std::string name;  // family or experiment name ("constants" for the constants table)
};

struct SweepPlan {
    std::string mode;              // "quick" | "full"
    std::filesystem::path source;  // the tree holding verify/
    std::vector<SweepTask> tasks;  // in report order
};

struct PlanOptions {
    int max_parallel = 4;  // K of --array=0-N%K
    int cpus_per_task = 2;
    std::string time_limit = "02:00:00";
};

// The tasks of the report `mode` from source/verify/report.toml. Validates every input before
// anything is written: throws InputError naming the file for a malformed report.toml, a missing,
// unreadable or malformed family file, or an experiment name gradcert does not know.
SweepPlan make_sweep_plan(const std::string& mode, const std::filesystem::path& source);

// Writes DIR/tasks.json and the scripts (throws InputError for an unwritable DIR or a DIR that
// already holds a different plan).
void write_sweep_plan(const SweepPlan& plan, const std::filesystem::path& dir,
                      const PlanOptions& options);

// Reads DIR/tasks.json; throws InputError naming the file when it is missing or malformed.
SweepPlan read_sweep_plan(const std::filesystem::path& dir);

std::filesystem::path task_log(const std::filesystem::path& dir, const SweepTask& task);

// Runs task `index` of the plan in DIR unless it is already done (returns 0 then); records a
// failure in DIR/failed/<id>.json and rethrows.
int run_sweep_task(const std::filesystem::path& dir, int index);

// A task that run_all_sweep_tasks saw fail.
struct TaskFailure {
    SweepTask task;
    int exit_status = -1;  // of its `gradcert task DIR --index i`; -1 when ended by a signal
    std::string error;     // DIR/failed/<id>.json's error, or how the process ended
    std::filesystem::path log;
};

// Runs every task not yet done, `jobs` at a time, each as a child `gradcert task DIR --index i`
// with its output in DIR/logs/task-<i>.log, in plan order. Progress on stdout: the lines each
// child appends to its log, prefixed "  [i] ", and one line per finished task. Returns the
// failures (empty when every task is done), each also named on stderr. `gradcert task DIR --all`
// and `gradcert report` both run a report's tasks through this function (docs/cluster.md).
std::vector<TaskFailure> run_all_sweep_tasks(const std::filesystem::path& dir, int jobs);

// Assembles the report into `out` (index README.md, families/, constants/, experiments/) when
// every task is done; otherwise names each missing or failed task (id, name, log) on stderr and
// throws InputError before writing anything. The index states `wall_seconds` as the time the
// report took when given (`gradcert report`), else the sum of the task times (a sweep's tasks
// may have run anywhere). Returns the sum of the task times.
double collect_sweep(const std::filesystem::path& dir, const std::filesystem::path& out,
                     std::optional<double> wall_seconds = std::nullopt);

}  // namespace gradcert::driver
