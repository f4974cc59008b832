// `gradcert task DIR [--index N | --all [--jobs J]]`: runs tasks of a sweep plan made by
// `gradcert report --plan DIR` (driver/sweep.hpp, docs/cluster.md). N defaults to
// SLURM_ARRAY_TASK_ID, so a Slurm job array runs `gradcert task DIR` unchanged. A finished task is
// not rerun; a killed one restarts from the checkpoints in DIR/work/<id>. `--all` is also how
// `gradcert report` runs its tasks (driver/cmd_report.cpp): one code path.
// Exit status: 0 done, 1 a task failed (its error in DIR/failed/<id>.json), 2 bad input.
#include <cstdlib>
#include <memory>
#include <string>

#include "driver/command.hpp"
#include "driver/sweep.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::driver {

namespace {

struct TaskArgs {
    std::string dir;
    int index = -1;
    bool all = false;
    int jobs = 1;
};

int task_index_from_environment() {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    if (id == nullptr)
        throw InputError(
            "gradcert task: give --index N or --all (SLURM_ARRAY_TASK_ID is not set: "
            "not inside a Slurm job array)");
    char* end = nullptr;
    const long v = std::strtol(id, &end, 10);
    if (*end != '\0' || v < 0 || v > (1L << 30))
        throw InputError(std::string("SLURM_ARRAY_TASK_ID = '") + id + "' is not a task index");
    return int(v);
}

int run_task(const TaskArgs& a) {
    if (a.all) return run_all_sweep_tasks(a.dir, a.jobs).empty() ? 0 : 1;
    const int index = a.index >= 0 ? a.index : task_index_from_environment();
    try {
        return run_sweep_task(a.dir, index);
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gradcert: task %d of %s failed: %s\n", index, a.dir.c_str(),
                     e.what());
        return 1;
    }
}

Runner setup_task(CLI::App& sub) {
    auto args = std::make_shared<TaskArgs>();
    sub.add_option("dir", args->dir, "plan directory (gradcert report --plan DIR)")->required();
    auto* index =
        sub.add_option("--index", args->index, "task index (default: SLURM_ARRAY_TASK_ID)")
            ->check(CLI::NonNegativeNumber);
    sub.add_flag("--all", args->all, "run every task not yet done, locally")->excludes(index);
    sub.add_option("--jobs", args->jobs, "tasks at a time with --all (default 1)")
        ->check(CLI::Range(1, 256));
    return [args] { return run_task(*args); };
}

}  // namespace

GRADCERT_COMMAND("task", "run tasks of a sweep plan (one, e.g. in a Slurm job array, or all)",
                 setup_task);

}  // namespace gradcert::driver
