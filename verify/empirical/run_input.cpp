#include "verify/empirical/run_input.hpp"

#include <fmt/format.h>

#include <cmath>

#include "numerics/engine/run/run_format.hpp"
#include "numerics/engine/schedule.hpp"
#include "numerics/util/error.hpp"
#include "verify/empirical/schedules.hpp"

namespace fs = std::filesystem;

namespace gradcert::verify {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double number_or(const nlohmann::json& j, const char* key, double fallback) {
    return j.is_object() && j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>()
                                                                     : fallback;
}

std::string string_or(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>()
                                                                     : std::string();
}

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
}

// The arm of verify/empirical/schedules.hpp whose schedule equals the engine config's (empty when
// none does): kind and the factors that kind uses.
std::string arm_of_schedule(const nlohmann::json& s, const std::string& where) {
    const std::string kind = string_or(s, "kind");
    const int every = static_cast<int>(number_or(s, "every", 1));
    for (const std::string& arm : arm_names()) {
        const engine::ScheduleConfig a = arm_schedule(arm, every, where);
        if (engine::to_string(a.kind) != kind) continue;
        const bool lr_ok = close(a.lr_factor, number_or(s, "lr_factor", kNaN));
        const bool batch_ok = close(a.batch_factor, number_or(s, "batch_factor", kNaN));
        const bool poly_ok = close(a.power, number_or(s, "power", kNaN)) &&
                             engine::to_string(a.poly_target) == string_or(s, "poly_target");
        switch (a.kind) {
            case engine::ScheduleKind::lr_step:
                if (lr_ok) return arm;
                break;
            case engine::ScheduleKind::batch_step:
                if (batch_ok) return arm;
                break;
            case engine::ScheduleKind::hybrid:
                if (lr_ok && batch_ok) return arm;
                break;
            case engine::ScheduleKind::poly:
                if (poly_ok) return arm;
                break;
            default:
                return arm;  // constant, cosine: no parameters
        }
    }
    return "";
}

// Labels of a `gradcert train` run from its config and datasets.
RunLabels engine_labels(const nlohmann::json& m, const std::string& where) {
    const nlohmann::json& c = m.at("config");
    RunLabels l;
    l.dataset = string_or(c.value("data", nlohmann::json::object()), "dataset");
    l.model = string_or(c.value("model", nlohmann::json::object()), "name");
    const nlohmann::json run = c.value("run", nlohmann::json::object());
    l.seed = static_cast<std::uint64_t>(number_or(run, "seed", 0));
    const nlohmann::json optim = c.value("optim", nlohmann::json::object());
    l.lr = number_or(optim, "lr", kNaN);
    l.batch = static_cast<int>(number_or(optim, "batch", 0));
    const nlohmann::json schedule = c.value("schedule", nlohmann::json::object());
    l.schedule = arm_of_schedule(schedule, where);
    l.every = static_cast<int>(number_or(schedule, "every", 1));
    const nlohmann::json datasets = m.value("datasets", nlohmann::json::object());
    const nlohmann::json train = datasets.value("train", nlohmann::json::object());
    l.train_examples = static_cast<int>(number_or(train, "examples", 0));
    l.classes = static_cast<int>(number_or(train, "classes", 0));
    l.test_examples = static_cast<int>(
        number_or(datasets.value("test", nlohmann::json::object()), "examples", 0));
    l.threads = static_cast<int>(number_or(m, "threads", number_or(run, "threads", 0)));
    l.probe = c.value("probe", nlohmann::json::object());
    return l;
}

engine::EpochRecord record_of_row(const engine::run::EpochTable& t, std::size_t row, int batch0) {
    auto get = [&](const char* name) {
        const auto i = t.column(name);
        return i ? t.rows[row][*i] : kNaN;
    };
    engine::EpochRecord e;
    e.epoch = static_cast<int>(get("epoch"));
    const double updates = get("updates"), batch = get("batch");
    e.updates = std::isfinite(updates) && updates >= 0 ? static_cast<std::uint64_t>(updates) : 0;
    e.batch = std::isfinite(batch) ? static_cast<int>(batch) : batch0;
    e.lr = get("lr");
    e.delta_rel = get("delta_rel");
    e.delta_rel_target = get("delta_rel_target");
    e.train_loss = get("train_loss");
    e.train_acc = get("train_acc");
    e.test_loss = get("test_loss");
    e.test_acc = get("test_acc");
    e.delta = get("delta");
    e.delta_lo = get("delta_lo");
    e.delta_hi = get("delta_hi");
    e.c2 = get("c2");
    e.c2_lo = get("c2_lo");
    e.c2_hi = get("c2_hi");
    e.grad_norm = get("grad_norm");
    e.lambda_max = get("lambda_max");
    e.sharpness = get("sharpness");
    e.adaptive_sharpness = get("adaptive_sharpness");
    e.train_seconds = get("train_s");
    e.probe_seconds = get("probe_s");
    e.wall_seconds = get("wall_s");
    return e;
}

LoadedRun load_run(const fs::path& dir) {
    engine::run::RunDirectory rd = engine::run::read_run_directory(dir);
    const std::string where = (dir / "manifest.json").string();
    LoadedRun r;
    r.dir = dir;
    r.tool = string_or(rd.manifest, "tool");
    r.status = string_or(rd.manifest, "status");
    r.scale = string_or(rd.manifest, "scale");
    r.labels = run_labels(rd.manifest, where);
    for (std::size_t i = 0; i < rd.epochs.rows.size(); ++i)
        r.epochs.push_back(record_of_row(rd.epochs, i, r.labels.batch));
    if (r.epochs.empty()) throw_input_error(dir.string(), "epochs.csv has no epoch rows");
    const engine::EpochRecord& first = r.epochs.front();
    if (!std::isfinite(r.labels.lr)) r.labels.lr = first.lr;
    if (r.labels.batch <= 0) r.labels.batch = first.batch;
    for (engine::EpochRecord& e : r.epochs)  // δ/δ₀ from η and b when the run does not state it
        if (!std::isfinite(e.delta_rel) && std::isfinite(e.lr) && e.batch > 0)
            e.delta_rel =
                e.lr / r.labels.lr *
                std::sqrt(static_cast<double>(r.labels.batch) / static_cast<double>(e.batch));
    for (const nlohmann::json& s : rd.steps)
        if (s.contains("probe") && s.at("probe").is_object()) r.probes.push_back(s.at("probe"));
    return r;
}

}  // namespace

std::string run_name(const fs::path& dir) {
    fs::path p = dir.lexically_normal();
    if (p.filename().empty()) p = p.parent_path();
    return p.filename().string();
}

RunLabels run_labels(const nlohmann::json& m, const std::string& where) {
    if (m.contains("experiment")) {
        const nlohmann::json& x = m.at("experiment");
        if (!x.is_object()) throw_input_error(where, "\"experiment\" must be an object");
        RunLabels l;
        l.dataset = string_or(x, "dataset");
        l.model = string_or(x, "model");
        if (l.dataset.empty() || l.model.empty() || !x.contains("seed") ||
            !x.at("seed").is_number_integer())
            throw_input_error(where,
                              "\"experiment\" needs \"dataset\" and \"model\" (strings) and "
                              "\"seed\" (an integer) (docs/run-format.md)");
        l.seed = x.at("seed").get<std::uint64_t>();
        l.lr = number_or(x, "lr", kNaN);
        l.batch = static_cast<int>(number_or(x, "batch", 0));
        l.schedule = string_or(x, "schedule");
        l.every = static_cast<int>(number_or(x, "every", 1));
        l.train_examples = static_cast<int>(number_or(x, "train_examples", 0));
        l.test_examples = static_cast<int>(number_or(x, "test_examples", 0));
        l.classes = static_cast<int>(number_or(x, "classes", 0));
        l.threads = static_cast<int>(number_or(x, "threads", 0));
        l.final_train_loss = number_or(x, "final_train_loss", kNaN);
        l.final_train_acc = number_or(x, "final_train_acc", kNaN);
        l.probe = m.value("probe", nlohmann::json::object());
        if (!l.probe.is_object()) l.probe = nlohmann::json::object();
        if (l.every < 1) throw_input_error(where, "\"experiment\".\"every\" must be ≥ 1");
        return l;
    }
    if (string_or(m, "tool") == "gradcert train" && m.contains("config") &&
        m.at("config").is_object()) {
        RunLabels l = engine_labels(m, where);
        if (!l.dataset.empty() && !l.model.empty()) return l;
    }
    throw_input_error(where,
                      "no \"experiment\" labels (dataset, model, seed; docs/run-format.md), so "
                      "the run cannot be grouped into a report page");
}

std::vector<LoadedRun> load_runs(const std::vector<fs::path>& dirs) {
    std::vector<LoadedRun> runs;
    for (const fs::path& dir : dirs) {
        runs.push_back(load_run(dir));
        const RunLabels &first = runs.front().labels, &l = runs.back().labels;
        if (l.dataset != first.dataset)
            throw_input_error(dir.string(),
                              fmt::format("dataset \"{}\" differs from \"{}\" of {} (a report "
                                          "pools its runs: give the runs of one dataset)",
                                          l.dataset, first.dataset, runs.front().dir.string()));
        if (l.model != first.model)
            throw_input_error(dir.string(),
                              fmt::format("model \"{}\" differs from \"{}\" of {} (a report "
                                          "pools its runs: give the runs of one model)",
                                          l.model, first.model, runs.front().dir.string()));
    }
    return runs;
}

}  // namespace gradcert::verify
