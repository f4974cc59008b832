#include "driver/sweep.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "driver/log_relay.hpp"
#include "driver/report_plan.hpp"
#include "numerics/interval/precision.hpp"
#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"
#include "reports/check_report.hpp"
#include "reports/constants_report.hpp"
#include "reports/experiment_registry.hpp"
#include "reports/verification_index.hpp"
#include "theory/constants.hpp"
#include "theory/constants_json.hpp"
#include "verify/family_check.hpp"
#include "verify/family_file.hpp"

namespace gradcert::driver {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kPlanFormat = "gradcert-sweep-1";
constexpr long kConstantsPrecision = 128;  // as `gradcert report`

const char* kind_name(TaskKind k) {
    switch (k) {
        case TaskKind::family:
            return "family";
        case TaskKind::constants:
            return "constants";
        case TaskKind::experiment:
            return "experiment";
    }
    return "?";
}

TaskKind parse_kind(const std::string& s, const std::string& file) {
    for (TaskKind k : {TaskKind::family, TaskKind::constants, TaskKind::experiment})
        if (s == kind_name(k)) return k;
    throw_input_error(file, "unknown task kind '" + s + "'");
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::uint64_t fnv1a64(const std::string& text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

// The input file that, with the kind, name, mode and version, determines a task's result.
fs::path task_input(const fs::path& source, TaskKind kind, const std::string& name) {
    switch (kind) {
        case TaskKind::family:
            return source / "verify" / "families" / (name + ".toml");
        case TaskKind::experiment:
            return source / "verify" / "experiments" / (name + ".toml");
        case TaskKind::constants:
            break;
    }
    return {};
}

SweepTask make_task(const fs::path& source, const std::string& mode, TaskKind kind,
                    const std::string& name, int index) {
    const fs::path input = task_input(source, kind, name);
    const std::string key = fmt::format("{}\n{}\n{}\n{}\n{}", kind_name(kind), name, mode,
                                        GRADCERT_VERSION, input.empty() ? "" : read_text(input));
    return {index, fmt::format("{:016x}", fnv1a64(key)), kind, name};
}

std::string quoted(const fs::path& p) {
    std::string out = "'";
    for (char c : p.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

fs::path self_executable() {
    return fs::read_symlink("/proc/self/exe");
}

nlohmann::json plan_to_json(const SweepPlan& plan, const fs::path& dir) {
    nlohmann::json tasks = nlohmann::json::array();
    for (const SweepTask& t : plan.tasks)
        tasks.push_back({{"index", t.index},
                         {"id", t.id},
                         {"kind", kind_name(t.kind)},
                         {"name", t.name},
                         {"log", task_log(dir, t).string()}});
    return {{"format", kPlanFormat},
            {"mode", plan.mode},
            {"source", plan.source.string()},
            {"gradcert", self_executable().string()},
            {"tasks", tasks}};
}

fs::path done_file(const fs::path& dir, const SweepTask& t) {
    return dir / "tasks" / t.id / "done.json";
}
fs::path failed_file(const fs::path& dir, const SweepTask& t) {
    return dir / "failed" / (t.id + ".json");
}

// A family result reduced to what the index shows (reports/verification_index.hpp), and back.
nlohmann::json family_record(const verify::FamilyCheckResult& r) {
    nlohmann::json stages = nlohmann::json::array();
    for (const auto& s : r.stages) stages.push_back(int(s.verdict));
    nlohmann::json sigma;
    if (r.family.sigma) sigma = r.family.sigma->mid().convert_to<double>();
    return {{"name", r.family.name},
            {"sigma", sigma},
            {"definition", int(r.family.definition)},
            {"overall", int(r.overall)},
            {"stages", stages},
            {"seconds", r.seconds},
            {"precision_bits", r.precision_bits}};
}

verify::FamilyCheckResult family_from_record(const nlohmann::json& j) {
    verify::FamilyCheckResult r;
    r.family.name = j.at("name").get<std::string>();
    if (!j.at("sigma").is_null()) r.family.sigma = IntervalM(j.at("sigma").get<double>());
    r.family.definition = theory::Definition(j.at("definition").get<int>());
    r.overall = verify::Verdict(j.at("overall").get<int>());
    for (const auto& v : j.at("stages")) {
        verify::StageResult s;
        s.verdict = verify::Verdict(v.get<int>());
        r.stages.push_back(std::move(s));
    }
    r.seconds = j.at("seconds").get<double>();
    r.precision_bits = j.at("precision_bits").get<long>();
    return r;
}

// Runs one task into `staging`; returns its record for done.json.
nlohmann::json run_task_into(const SweepPlan& plan, const SweepTask& t, const fs::path& work,
                             const fs::path& staging) {
    switch (t.kind) {
        case TaskKind::family: {
            auto family = verify::load_family(task_input(plan.source, t.kind, t.name), {});
            family.file = "verify/families/" + t.name + ".toml";  // as `gradcert report`
            verify::CheckOptions options;
            options.minimizer.record_certificate = options.curvature.record_certificate = true;
            const auto result = verify::check_family(family, options);
            reports::write_check_report(result, staging / "families");
            std::cout << "  " << reports::family_one_line(result) << std::endl;
            return {{"family", family_record(result)}};
        }
        case TaskKind::constants: {
            PrecisionScope precision(kConstantsPrecision);
            const auto constants = theory::paper_constants();
            fs::create_directories(staging / "constants");
            write_file_atomically(
                staging / "constants" / "constants.json",
                theory::constants_to_json(constants, kConstantsPrecision).dump(2) + "\n");
            write_file_atomically(staging / "constants" / "constants.md",
                                  reports::constants_markdown(constants, kConstantsPrecision));
            return {{"constant_count", constants.size()}};
        }
        case TaskKind::experiment: {
            const std::string plan_file = (plan.source / "verify" / "report.toml").string();
            const auto& entry = reports::find_experiment(t.name, plan_file);
            verify::ExperimentContext ctx;
            ctx.mode = plan.mode;
            ctx.source = plan.source;
            ctx.work = work;
            ctx.resume = true;  // a killed attempt's checkpoints and finished runs are reused
            if (const char* cpus = std::getenv("SLURM_CPUS_PER_TASK"))
                ctx.threads = std::max(1, std::atoi(cpus));
            fs::create_directories(ctx.work);
            const auto outcome = entry.run(ctx, staging / "experiments");
            std::cout << "  " << outcome.one_line << std::endl;
            return {{"experiment", verify::to_json(outcome)}};
        }
    }
    return {};
}

const SweepTask& task_at(const SweepPlan& plan, const fs::path& dir, int index) {
    if (index < 0 || index >= int(plan.tasks.size()))
        throw_input_error(
            (dir / "tasks.json").string(),
            fmt::format("task index {} is outside [0, {})", index, plan.tasks.size()));
    return plan.tasks[std::size_t(index)];
}

void copy_tree(const fs::path& from, const fs::path& to) {
    if (!fs::exists(from)) return;
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

}  // namespace

SweepPlan make_sweep_plan(const std::string& mode, const fs::path& source) {
    const fs::path plan_file = source / "verify" / "report.toml";
    const ReportPlan report = load_report_plan(plan_file, mode);
    SweepPlan plan{mode, fs::absolute(source), {}};
    for (const std::string& name : report.families) {
        // Parsed here so that a malformed family file is refused before anything is written
        // (docs/cli.md), not minutes later by its task.
        verify::load_family(task_input(plan.source, TaskKind::family, name), {});
        plan.tasks.push_back(
            make_task(plan.source, mode, TaskKind::family, name, int(plan.tasks.size())));
    }
    plan.tasks.push_back(
        make_task(plan.source, mode, TaskKind::constants, "constants", int(plan.tasks.size())));
    for (const std::string& name : report.experiments) {
        reports::find_experiment(name, plan_file.string());  // an unknown name: InputError
        plan.tasks.push_back(
            make_task(plan.source, mode, TaskKind::experiment, name, int(plan.tasks.size())));
    }
    return plan;
}

fs::path task_log(const fs::path& dir, const SweepTask& task) {
    return fs::absolute(dir) / "logs" / fmt::format("task-{}.log", task.index);
}

void write_sweep_plan(const SweepPlan& plan, const fs::path& dir_in, const PlanOptions& o) {
    const fs::path dir = fs::absolute(dir_in);
    const fs::path file = dir / "tasks.json";
    const nlohmann::json j = plan_to_json(plan, dir);
    if (fs::exists(file)) {
        const SweepPlan old = read_sweep_plan(dir);
        bool same = old.tasks.size() == plan.tasks.size() && old.mode == plan.mode;
        for (std::size_t i = 0; same && i < plan.tasks.size(); ++i)
            same = old.tasks[i].id == plan.tasks[i].id;
        if (!same)
            throw_input_error(file.string(),
                              "holds a different plan (other tasks or mode); use "
                              "a new directory or remove it");
    }
    fs::create_directories(dir / "logs");
    write_file_atomically(file, j.dump(2) + "\n");
    const fs::path gradcert = self_executable();
    const int last = int(plan.tasks.size()) - 1;
    write_file_atomically(
        dir / "sweep.sbatch",
        fmt::format("#!/bin/bash\n"
                    "# The tasks of {0}/tasks.json as a Slurm job array (docs/cluster.md).\n"
                    "#SBATCH --job-name=gradcert-sweep\n"
                    "#SBATCH --array=0-{1}%{2}\n"
                    "#SBATCH --ntasks=1\n"
                    "#SBATCH --cpus-per-task={3}\n"
                    "#SBATCH --time={4}\n"
                    "#SBATCH --output={0}/logs/task-%a.log\n"
                    "exec {5} task {6}\n",
                    dir.string(), last, o.max_parallel, o.cpus_per_task, o.time_limit,
                    quoted(gradcert), quoted(dir)));
    write_file_atomically(
        dir / "collect.sbatch",
        fmt::format("#!/bin/bash\n"
                    "# Assembles the report once every task of the array succeeded.\n"
                    "#SBATCH --job-name=gradcert-collect\n"
                    "#SBATCH --ntasks=1\n"
                    "#SBATCH --cpus-per-task=1\n"
                    "#SBATCH --time=00:30:00\n"
                    "#SBATCH --output={0}/logs/collect.log\n"
                    "exec {1} report --collect {2} --out {3}\n",
                    dir.string(), quoted(gradcert), quoted(dir), quoted(dir / "report")));
    write_file_atomically(
        dir / "submit.sh",
        fmt::format("#!/bin/sh\n"
                    "# Submits the task array and the collection step (run after every task "
                    "succeeded: afterok).\n"
                    "# Prints the two job ids. Without Slurm: {0} task {1} --all --jobs J\n"
                    "command -v sbatch >/dev/null 2>&1 || {{ echo \"submit.sh: sbatch not found "
                    "(Slurm is not installed); run the tasks locally with: gradcert task {1} "
                    "--all --jobs J\" >&2; exit 2; }}\n"
                    "set -e\n"
                    "array=$(sbatch --parsable {2}/sweep.sbatch)\n"
                    "array=${{array%%;*}}\n"
                    "collect=$(sbatch --parsable --dependency=afterok:$array "
                    "{2}/collect.sbatch)\n"
                    "echo \"$array ${{collect%%;*}}\"\n",
                    quoted(gradcert), dir.string(), quoted(dir)));
    fs::permissions(dir / "submit.sh", fs::perms::owner_exec | fs::perms::group_exec,
                    fs::perm_options::add);
}

SweepPlan read_sweep_plan(const fs::path& dir) {
    const fs::path file = dir / "tasks.json";
    if (!fs::exists(file))
        throw_input_error(file.string(),
                          "does not exist (make a plan with gradcert report "
                          "--plan DIR)");
    try {
        const nlohmann::json j = nlohmann::json::parse(read_text(file));
        if (j.at("format") != kPlanFormat)
            throw_input_error(file.string(), std::string("is not a ") + kPlanFormat + " plan");
        SweepPlan plan{j.at("mode").get<std::string>(), j.at("source").get<std::string>(), {}};
        for (const auto& t : j.at("tasks"))
            plan.tasks.push_back({t.at("index").get<int>(), t.at("id").get<std::string>(),
                                  parse_kind(t.at("kind").get<std::string>(), file.string()),
                                  t.at("name").get<std::string>()});
        return plan;
    } catch (const nlohmann::json::exception& e) {
        throw_input_error(file.string(), std::string("malformed: ") + e.what());
    }
}

int run_sweep_task(const fs::path& dir, int index) {
    const SweepPlan plan = read_sweep_plan(dir);
    const SweepTask& t = task_at(plan, dir, index);
    const std::string what =
        fmt::format("task {} ({} {}, id {})", t.index, kind_name(t.kind), t.name, t.id);
    if (fs::exists(done_file(dir, t))) {
        std::cout << "gradcert task: " << what << " is already done" << std::endl;
        return 0;
    }
    const fs::path final_dir = dir / "tasks" / t.id;
    const fs::path staging = dir / "tasks" / fmt::format("{}.partial-{}", t.id, ::getpid());
    fs::remove_all(staging);
    fs::create_directories(staging);
    std::cout << "gradcert task: running " << what << std::endl;
    const auto t0 = Clock::now();
    try {
        nlohmann::json done = run_task_into(plan, t, dir / "work" / t.id, staging);
        done["id"] = t.id;
        done["index"] = t.index;
        done["kind"] = kind_name(t.kind);
        done["name"] = t.name;
        done["seconds"] = std::chrono::duration<double>(Clock::now() - t0).count();
        write_file_atomically(staging / "done.json", done.dump(2) + "\n");
        fs::remove_all(final_dir);  // a partial leftover without done.json
        fs::rename(staging, final_dir);
        fs::remove(failed_file(dir, t));
        fs::remove_all(dir / "work" / t.id);
    } catch (const std::exception& e) {
        fs::remove_all(staging);
        fs::create_directories(dir / "failed");
        write_file_atomically(failed_file(dir, t),
                              nlohmann::json{{"id", t.id},
                                             {"index", t.index},
                                             {"error", e.what()},
                                             {"log", task_log(dir, t).string()}}
                                      .dump(2) +
                                  "\n");
        throw;
    }
    std::cout << fmt::format("gradcert task: {} done ({:.1f} s)\n", what,
                             std::chrono::duration<double>(Clock::now() - t0).count());
    return 0;
}

namespace {

// A child `gradcert task DIR --index i` that run_all_sweep_tasks started.
struct RunningTask {
    const SweepTask* task;
    LogRelay log;
};

// While alive, SIGCHLD is blocked in the calling thread, so that wait_for_one can sleep until a
// child ends (sigtimedwait) rather than poll; a child gets the previous mask back before exec.
class ChildSignalBlock {
  public:
    ChildSignalBlock() {
        sigemptyset(&chld_);
        sigaddset(&chld_, SIGCHLD);
        pthread_sigmask(SIG_BLOCK, &chld_, &previous_);
    }
    ~ChildSignalBlock() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    ChildSignalBlock(const ChildSignalBlock&) = delete;
    ChildSignalBlock& operator=(const ChildSignalBlock&) = delete;
    const sigset_t& chld() const { return chld_; }
    const sigset_t& previous() const { return previous_; }

  private:
    sigset_t chld_{}, previous_{};
};

pid_t start_task(const fs::path& self, const fs::path& dir, const SweepTask& t,
                 const ChildSignalBlock& signals) {
    const std::string log = task_log(dir, t).string();
    const std::string index = std::to_string(t.index);
    std::cout.flush();
    std::cerr.flush();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        pthread_sigmask(SIG_SETMASK, &signals.previous(), nullptr);
        // A task does not outlive the runner (killed report or `task --all`): it would go on
        // writing into DIR while a rerun clears or resumes it.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);  // the runner died before prctl
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        ::execl(self.c_str(), self.c_str(), "task", dir.c_str(), "--index", index.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    if (pid < 0) throw std::runtime_error("gradcert task --all: fork failed");
    return pid;
}

// The last non-empty line of a log ("" when there is none), without the driver's "gradcert: ".
std::string last_log_line(const fs::path& log) {
    std::istringstream in(read_text(log));
    std::string line, last;
    while (std::getline(in, line))
        if (!line.empty()) last = line;
    const std::string prefix = "gradcert: ";
    return last.rfind(prefix, 0) == 0 ? last.substr(prefix.size()) : last;
}

// How the task process that ended with wait status `status` failed: by a signal, or with the
// error its failed/<id>.json records, or else (a failure before the task started, e.g. an
// unreadable plan) the last line of its log.
TaskFailure failure_of(const fs::path& dir, const SweepTask& t, int status) {
    TaskFailure f{t, WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", task_log(dir, t)};
    if (WIFSIGNALED(status)) f.error = fmt::format("killed by signal {}", WTERMSIG(status));
    const auto j = nlohmann::json::parse(read_text(failed_file(dir, t)), nullptr, false);
    if (f.error.empty() && !j.is_discarded()) f.error = j.value("error", std::string());
    if (f.error.empty()) f.error = last_log_line(f.log);
    if (f.error.empty()) f.error = fmt::format("exit status {}", f.exit_status);
    return f;
}

// Waits for one of `running` to end, relaying their logs at least every 0.25 s meanwhile;
// returns its pid and wait status.
std::pair<pid_t, int> wait_for_one(std::map<pid_t, RunningTask>& running,
                                   const ChildSignalBlock& signals) {
    for (;;) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0 && running.count(pid)) return {pid, status};
        if (pid < 0 && errno != EINTR)
            throw std::runtime_error("gradcert task --all: waitpid failed");
        if (pid == 0) {
            for (auto& [p, r] : running) r.log.relay();
            const timespec relay_period{0, 250'000'000};
            ::sigtimedwait(&signals.chld(), nullptr, &relay_period);  // a child ended, or timeout
        }
    }
}

}  // namespace

std::vector<TaskFailure> run_all_sweep_tasks(const fs::path& dir, int jobs) {
    const SweepPlan plan = read_sweep_plan(dir);
    fs::create_directories(dir / "logs");
    const fs::path self = self_executable();
    const ChildSignalBlock signals;
    std::map<pid_t, RunningTask> running;
    std::vector<TaskFailure> failures;
    std::size_t next = 0, finished = 0;
    auto report_end = [&](const SweepTask& t, const std::string& how) {
        std::cout << fmt::format("gradcert task: [{}/{}] task {} ({} {}) {}", ++finished,
                                 plan.tasks.size(), t.index, kind_name(t.kind), t.name, how)
                  << std::endl;
    };
    while (next < plan.tasks.size() || !running.empty()) {
        if (next < plan.tasks.size() && int(running.size()) < jobs) {
            const SweepTask& t = plan.tasks[next++];
            if (fs::exists(done_file(dir, t))) {
                report_end(t, "already done");
                continue;
            }
            LogRelay log(task_log(dir, t), fmt::format("  [{}] ", t.index));
            running.emplace(start_task(self, dir, t, signals), RunningTask{&t, std::move(log)});
            continue;
        }
        const auto [pid, status] = wait_for_one(running, signals);
        RunningTask r = std::move(running.at(pid));
        running.erase(pid);
        r.log.relay(true);
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        report_end(*r.task, ok ? "done" : "FAILED");
        if (!ok) failures.push_back(failure_of(dir, *r.task, status));
    }
    for (const TaskFailure& f : failures)
        std::cerr << fmt::format("gradcert task: task {} ({} {}, id {}) failed: {}; log {}\n",
                                 f.task.index, kind_name(f.task.kind), f.task.name, f.task.id,
                                 f.error, f.log.string());
    return failures;
}

double collect_sweep(const fs::path& dir, const fs::path& out, std::optional<double> wall_seconds) {
    const SweepPlan plan = read_sweep_plan(dir);
    std::vector<std::string> problems;
    for (const SweepTask& t : plan.tasks) {
        if (fs::exists(done_file(dir, t))) continue;
        std::string state = "missing (not run, or still running)";
        if (fs::exists(failed_file(dir, t))) {
            const auto j = nlohmann::json::parse(read_text(failed_file(dir, t)), nullptr, false);
            state = "failed: " +
                    (j.is_discarded() ? std::string("?") : j.value("error", std::string("?")));
        }
        problems.push_back(fmt::format("task {} ({} {}, id {}) {}; log {}", t.index,
                                       kind_name(t.kind), t.name, t.id, state,
                                       task_log(dir, t).string()));
    }
    if (!problems.empty()) {
        for (const std::string& p : problems) std::cerr << "gradcert: " << p << "\n";
        throw_input_error((dir / "tasks.json").string(),
                          fmt::format("{} of {} tasks are not done; nothing written",
                                      problems.size(), plan.tasks.size()));
    }
    reports::IndexInputs index;
    index.mode = plan.mode;
    const fs::path staging = out / ".staging";
    fs::remove_all(staging);
    fs::create_directories(staging);
    for (const SweepTask& t : plan.tasks) {
        const fs::path from = dir / "tasks" / t.id;
        const nlohmann::json done = nlohmann::json::parse(read_text(done_file(dir, t)));
        index.seconds += done.at("seconds").get<double>();
        if (done.contains("family"))
            index.families.push_back(family_from_record(done.at("family")));
        if (done.contains("constant_count"))
            index.constant_count = done.at("constant_count").get<std::size_t>();
        if (done.contains("experiment"))
            index.experiments.push_back(verify::outcome_from_json(done.at("experiment")));
        for (const char* part : {"families", "constants", "experiments"})
            copy_tree(from / part, staging / part);
    }
    const double task_seconds = index.seconds;
    if (wall_seconds) index.seconds = *wall_seconds;
    const std::string readme = reports::verification_index_markdown(index);
    for (const char* part : {"families", "constants", "experiments"})
        if (fs::exists(staging / part)) replace_directory(staging / part, out / part);
    write_file_atomically(out / "README.md", readme);
    fs::remove_all(staging);
    return task_seconds;
}

}  // namespace gradcert::driver
