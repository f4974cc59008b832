#include "numerics/engine/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "numerics/engine/idx.hpp"
#include "numerics/engine/model.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace fs = std::filesystem;

namespace {

int line_of(const toml::node& n) {
    return static_cast<int>(n.source().begin.line);
}

// Reads the keys of one table, remembering which were read so that the rest can be reported
// as unknown.
class Section {
  public:
    Section(const toml::table* table, std::string name, std::string source)
        : table_(table), name_(std::move(name)), source_(std::move(source)) {}

    [[noreturn]] void fail(const toml::node& n, const std::string& key,
                           const std::string& problem) const {
        throw_input_error(source_, fmt::format("[{}] {}: {}", name_, key, problem), line_of(n));
    }

    const toml::node* find(const std::string& key) {
        known_.insert(key);
        return table_ ? table_->get(key) : nullptr;
    }

    void read(const std::string& key, std::string& out) {
        if (const toml::node* n = find(key)) {
            if (!n->is_string()) fail(*n, key, "expected a string");
            out = **n->as_string();
        }
    }
    void read(const std::string& key, bool& out) {
        if (const toml::node* n = find(key)) {
            if (!n->is_boolean()) fail(*n, key, "expected true or false");
            out = **n->as_boolean();
        }
    }
    void read(const std::string& key, double& out) {
        if (const toml::node* n = find(key)) {
            if (n->is_integer())
                out = static_cast<double>(**n->as_integer());
            else if (n->is_floating_point())
                out = **n->as_floating_point();
            else
                fail(*n, key, "expected a number");
            if (!std::isfinite(out)) fail(*n, key, "must be finite (not nan or inf)");
        }
    }
    void read(const std::string& key, int& out, long long lo = 0) {
        if (const toml::node* n = find(key)) {
            if (!n->is_integer()) fail(*n, key, "expected an integer");
            const long long v = **n->as_integer();
            if (v < lo || v > 2147483647LL)
                fail(*n, key, fmt::format("{} is out of range (at least {})", v, lo));
            out = static_cast<int>(v);
        }
    }
    void read(const std::string& key, std::uint64_t& out) {
        if (const toml::node* n = find(key)) {
            if (!n->is_integer()) fail(*n, key, "expected an integer");
            const long long v = **n->as_integer();
            if (v < 0) fail(*n, key, "must not be negative");
            out = static_cast<std::uint64_t>(v);
        }
    }
    void read(const std::string& key, std::vector<std::uint64_t>& out) {
        if (const toml::node* n = find(key)) {
            const toml::array* a = n->as_array();
            if (a == nullptr) fail(*n, key, "expected an array of non-negative integers");
            out.clear();
            for (const toml::node& e : *a) {
                if (!e.is_integer() || **e.as_integer() < 0)
                    fail(*n, key, "expected an array of non-negative integers");
                out.push_back(static_cast<std::uint64_t>(**e.as_integer()));
            }
        }
    }
    void read(const std::string& key, std::vector<double>& out) {
        if (const toml::node* n = find(key)) {
            const toml::array* a = n->as_array();
            if (a == nullptr) fail(*n, key, "expected an array of numbers");
            out.clear();
            for (const toml::node& e : *a) {
                if (e.is_integer())
                    out.push_back(static_cast<double>(**e.as_integer()));
                else if (e.is_floating_point())
                    out.push_back(**e.as_floating_point());
                else
                    fail(*n, key, "expected an array of numbers");
                if (!std::isfinite(out.back())) fail(*n, key, "must be finite");
            }
        }
    }

    // Errors for every key of the table that was never asked for (typos are not ignored).
    void reject_unknown() const {
        if (table_ == nullptr) return;
        for (const auto& [key, node] : *table_) {
            const std::string k(key.str());
            if (!known_.count(k)) {
                std::string list;
                for (const std::string& s : known_) list += (list.empty() ? "" : ", ") + s;
                throw_input_error(
                    source_, fmt::format("[{}] unknown key \"{}\" (known: {})", name_, k, list),
                    line_of(node));
            }
        }
    }

  private:
    const toml::table* table_;
    std::string name_;
    std::string source_;
    std::set<std::string> known_;
};

void read_augment(Section& s, AugmentConfig& a) {
    if (const toml::node* n = s.find("augment")) {
        if (n->is_boolean()) {
            const bool on = **n->as_boolean();
            a.crop = a.flip = a.rotate = on;
        } else if (const toml::array* arr = n->as_array()) {
            a.crop = a.flip = a.rotate = false;
            for (const toml::node& e : *arr) {
                const std::string name = e.is_string() ? std::string(**e.as_string()) : "";
                if (name == "crop")
                    a.crop = true;
                else if (name == "flip")
                    a.flip = true;
                else if (name == "rotate")
                    a.rotate = true;
                else
                    s.fail(*n, "augment", "entries must be \"crop\", \"flip\" or \"rotate\"");
            }
        } else {
            s.fail(*n, "augment", "expected true, false or a list like [\"crop\", \"flip\"]");
        }
    }
    s.read("crop_padding", a.crop_padding);
    s.read("flip_probability", a.flip_probability);
    s.read("rotate_degrees", a.rotate_degrees);
}

void read_data(Section& s, DataConfig& d) {
    s.read("dataset", d.dataset);
    s.read("path", d.path);
    s.read("train_subset", d.train_subset);
    s.read("test_subset", d.test_subset);
    std::string mode = to_string(d.subset_mode);
    s.read("subset_mode", mode);
    if (mode == "balanced")
        d.subset_mode = SubsetMode::balanced;
    else if (mode == "first")
        d.subset_mode = SubsetMode::first;
    else
        s.fail(*s.find("subset_mode"), "subset_mode", "must be \"balanced\" or \"first\"");
    read_augment(s, d.augment);
    s.read("mean", d.mean);
    s.read("std", d.stddev);
    std::vector<double> shape;
    s.read("synthetic_shape", shape);
    if (const toml::node* n = s.find("synthetic_shape")) {
        if (shape.size() != 3) s.fail(*n, "synthetic_shape", "expected [channels, height, width]");
        for (double v : shape)
            if (v != std::floor(v) || v < 1 || v > 4096)
                s.fail(*n, "synthetic_shape", "entries must be integers in [1, 4096]");
        d.synthetic.channels = static_cast<int>(shape[0]);
        d.synthetic.height = static_cast<int>(shape[1]);
        d.synthetic.width = static_cast<int>(shape[2]);
    }
    s.read("synthetic_classes", d.synthetic.classes, 2);
    s.read("synthetic_train", d.synthetic.train, 1);
    s.read("synthetic_test", d.synthetic.test, 1);
    s.read("synthetic_noise", d.synthetic.noise);
    s.read("data_seed", d.synthetic.seed);
}

void read_schedule(Section& s, ScheduleConfig& c, const std::string& source) {
    std::string kind = to_string(c.kind);
    s.read("kind", kind);
    c.kind = parse_schedule_kind(kind, source + ": [schedule] kind");
    s.read("every", c.every, 1);
    s.read("lr_factor", c.lr_factor);
    s.read("batch_factor", c.batch_factor);
    s.read("power", c.power);
    std::string target = to_string(c.poly_target);
    s.read("poly_target", target);
    c.poly_target = parse_poly_target(target, source + ": [schedule] poly_target");
    s.read("poly_balance", c.poly_balance);
    s.read("stages", c.stages);
    s.read("gamma", c.gamma);
    s.read("min_lr", c.min_lr);
    s.read("max_batch", c.max_batch);
    s.read("stage_updates", c.stage_updates);
}

void read_probe(Section& s, ProbeConfig& p) {
    s.read("every_steps", p.every_steps);
    s.read("at_epoch_end", p.at_epoch_end);
    s.read("probe_size", p.probe_size, 2);
    s.read("batches", p.batches, 2);
    s.read("confidence", p.confidence);
    s.read("noise", p.noise);
    s.read("hessian", p.hessian);
    s.read("hessian_size", p.hessian_size, 1);
    s.read("power_iterations", p.power_iterations, 1);
    s.read("fd_step", p.fd_step);
    s.read("sharpness", p.sharpness);
    s.read("sharpness_size", p.sharpness_size, 1);
    s.read("sharpness_epsilon", p.sharpness_epsilon);
    s.read("sharpness_steps", p.sharpness_steps, 1);
    s.read("adaptive_sharpness", p.adaptive_sharpness);
    s.read("adaptive_rho", p.adaptive_rho);
    s.read("test_size", p.test_size);
}

const toml::table* subtable(const toml::table& root, const std::string& name,
                            const std::string& source) {
    const toml::node* n = root.get(name);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) throw_input_error(source, "[" + name + "] must be a table", line_of(*n));
    return n->as_table();
}

}  // namespace

std::string to_string(SubsetMode m) {
    return m == SubsetMode::balanced ? "balanced" : "first";
}

ValidTrainConfig parse_train_config(std::string_view text, const std::string& source,
                                    const fs::path& base_dir) {
    toml::table root;
    try {
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        throw_input_error(source, std::string(e.description()),
                          static_cast<int>(e.source().begin.line));
    }
    TrainConfig cfg;
    cfg.source = source;
    cfg.base_dir = base_dir;
    static const std::set<std::string> tables = {"data",     "model", "optim",
                                                 "schedule", "run",   "probe"};
    for (const auto& [key, node] : root)
        if (!tables.count(std::string(key.str())))
            throw_input_error(source,
                              fmt::format("unknown table or key \"{}\" (tables: data, model, "
                                          "optim, schedule, run, probe)",
                                          key.str()),
                              line_of(node));
    Section data(subtable(root, "data", source), "data", source);
    read_data(data, cfg.data);
    data.reject_unknown();
    Section model(subtable(root, "model", source), "model", source);
    model.read("name", cfg.model.name);
    model.read("width_multiplier", cfg.model.width_multiplier, 1);
    model.reject_unknown();
    Section optim(subtable(root, "optim", source), "optim", source);
    optim.read("name", cfg.optim.name);
    optim.read("lr", cfg.optim.lr);
    optim.read("batch", cfg.optim.batch, 1);
    optim.read("momentum", cfg.optim.momentum);
    optim.read("weight_decay", cfg.optim.weight_decay);
    optim.read("micro_batch", cfg.optim.micro_batch);
    optim.reject_unknown();
    Section schedule(subtable(root, "schedule", source), "schedule", source);
    read_schedule(schedule, cfg.schedule, source);
    schedule.reject_unknown();
    Section run(subtable(root, "run", source), "run", source);
    run.read("epochs", cfg.run.epochs, 1);
    run.read("seed", cfg.run.seed);
    run.read("threads", cfg.run.threads, 1);
    run.read("eval_batch", cfg.run.eval_batch, 1);
    run.read("stop_on_nan", cfg.run.stop_on_nan);
    run.read("checkpoint", cfg.run.checkpoint);
    run.read("shard", cfg.run.shard);
    run.reject_unknown();
    Section probe(subtable(root, "probe", source), "probe", source);
    read_probe(probe, cfg.probe);
    probe.reject_unknown();
    return validate_train_config(std::move(cfg));
}

ValidTrainConfig load_train_config(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_input_error(file.string(), "cannot open the configuration file");
    std::stringstream ss;
    ss << in.rdbuf();
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    return parse_train_config(ss.str(), file.string(), dir);
}

namespace {

[[noreturn]] void invalid(const TrainConfig& cfg, const std::string& what) {
    throw InputError(cfg.source + ": " + what);
}

}  // namespace

ValidTrainConfig validate_train_config(TrainConfig cfg, ModelNames names) {
    validate_config(cfg);
    if (names == ModelNames::zoo) check_model_name(cfg);
    return ValidTrainConfig(std::move(cfg), names);
}

void check_model_name(const TrainConfig& cfg) {
    const std::vector<std::string> models = model_names();
    if (std::find(models.begin(), models.end(), cfg.model.name) == models.end()) {
        std::string list;
        for (const std::string& m : models) list += (list.empty() ? "" : ", ") + m;
        invalid(cfg, fmt::format("[model] name: unknown model \"{}\" ({})", cfg.model.name, list));
    }
}

void validate_config(const TrainConfig& cfg) {
    const DataConfig& d = cfg.data;
    static const std::set<std::string> datasets = {"fashion-mnist", "cifar10", "cifar100",
                                                   "synthetic"};
    if (!datasets.count(d.dataset))
        invalid(cfg, fmt::format("[data] dataset: unknown dataset \"{}\" (fashion-mnist, cifar10, "
                                 "cifar100, synthetic)",
                                 d.dataset));
    if (d.train_subset < 0 || d.test_subset < 0) invalid(cfg, "[data] subsets must be ≥ 0");
    if (d.augment.crop_padding < 0 || d.augment.crop_padding > 64)
        invalid(cfg, "[data] crop_padding must lie in [0, 64]");
    if (!(d.augment.flip_probability >= 0.0 && d.augment.flip_probability <= 1.0))
        invalid(cfg, "[data] flip_probability must lie in [0, 1]");
    if (!(d.augment.rotate_degrees >= 0.0 && d.augment.rotate_degrees <= 180.0))
        invalid(cfg, "[data] rotate_degrees must lie in [0, 180]");
    if (d.mean.size() != d.stddev.size())
        invalid(cfg, "[data] mean and std must have the same length (one value per channel)");
    for (double s : d.stddev)
        if (!(s > 0.0)) invalid(cfg, "[data] std entries must be positive");
    if (!(d.synthetic.noise >= 0.0 && d.synthetic.noise <= 1.0))
        invalid(cfg, "[data] synthetic_noise must lie in [0, 1]");
    if (cfg.model.name.empty()) invalid(cfg, "[model] name is empty");
    if (cfg.model.width_multiplier < 1 || cfg.model.width_multiplier > kMaxWidthMultiplier)
        invalid(cfg, fmt::format("[model] width_multiplier = {} must lie in [1, {}]",
                                 cfg.model.width_multiplier, kMaxWidthMultiplier));
    const OptimConfig& o = cfg.optim;
    if (o.name != "sgd" && o.name != "shb" && o.name != "nshb")
        invalid(cfg,
                fmt::format("[optim] name: unknown optimiser \"{}\" (sgd, shb, nshb)", o.name));
    if (!(std::isfinite(o.lr) && o.lr > 0.0))
        invalid(cfg, fmt::format("[optim] lr = {} must be positive and finite", o.lr));
    if (o.batch < 1) invalid(cfg, fmt::format("[optim] batch = {} must be ≥ 1", o.batch));
    if (!(o.momentum >= 0.0 && o.momentum < 1.0))
        invalid(cfg, fmt::format("[optim] momentum = {} must lie in [0, 1)", o.momentum));
    if (o.name == "sgd" && o.momentum != 0.0)
        invalid(cfg, "[optim] momentum must be 0 for name = \"sgd\" (use shb or nshb)");
    if (!(o.weight_decay >= 0.0 && std::isfinite(o.weight_decay)))
        invalid(cfg, "[optim] weight_decay must be ≥ 0");
    if (o.micro_batch < 0) invalid(cfg, "[optim] micro_batch must be ≥ 0");
    if (cfg.run.epochs < 1) invalid(cfg, "[run] epochs must be ≥ 1");
    if (cfg.run.threads < 1 || cfg.run.threads > kMaxThreads)
        invalid(cfg, fmt::format("[run] threads = {} must lie in [1, {}]", cfg.run.threads,
                                 kMaxThreads));
    if (cfg.run.shard < 0) invalid(cfg, "[run] shard must be ≥ 0 (0: no data-parallel shards)");
    const ProbeConfig& p = cfg.probe;
    if (p.every_steps < 0) invalid(cfg, "[probe] every_steps must be ≥ 0");
    if (p.batches < 2) invalid(cfg, "[probe] batches must be ≥ 2 (a confidence interval needs 2)");
    if (!(p.confidence > 0.0 && p.confidence < 1.0))
        invalid(cfg, "[probe] confidence must lie in (0, 1)");
    if (!(p.fd_step > 0.0)) invalid(cfg, "[probe] fd_step must be positive");
    if (!(p.sharpness_epsilon > 0.0)) invalid(cfg, "[probe] sharpness_epsilon must be positive");
    if (!(p.adaptive_rho > 0.0 && std::isfinite(p.adaptive_rho)))
        invalid(cfg, "[probe] adaptive_rho must be positive");
    if (p.test_size < 0) invalid(cfg, "[probe] test_size must be ≥ 0");
    // Schedule parameters that need no data size (the batch cap is checked by the trainer).
    Schedule(cfg.schedule, o.lr, o.batch, cfg.run.epochs, std::max(o.batch, 1 << 30),
             cfg.source + ": [schedule]");
}

fs::path data_directory(const TrainConfig& cfg) {
    if (cfg.data.path.empty()) {
        if (cfg.data.dataset == "fashion-mnist") return default_fashion_mnist_dir();
        if (cfg.data.dataset == "cifar10") return cfg.base_dir / "cifar-10-batches-bin";
        if (cfg.data.dataset == "cifar100") return cfg.base_dir / "cifar-100-binary";
        return {};
    }
    const fs::path p = cfg.data.path;
    return p.is_absolute() ? p : cfg.base_dir / p;
}

nlohmann::json config_to_json(const TrainConfig& cfg) {
    const DataConfig& d = cfg.data;
    nlohmann::json augment = nlohmann::json::array();
    if (d.augment.crop) augment.push_back("crop");
    if (d.augment.flip) augment.push_back("flip");
    if (d.augment.rotate) augment.push_back("rotate");
    nlohmann::json j;
    j["data"] = {{"dataset", d.dataset},
                 {"path", d.path},
                 {"train_subset", d.train_subset},
                 {"test_subset", d.test_subset},
                 {"subset_mode", to_string(d.subset_mode)},
                 {"augment", augment},
                 {"crop_padding", d.augment.crop_padding},
                 {"flip_probability", d.augment.flip_probability},
                 {"rotate_degrees", d.augment.rotate_degrees},
                 {"mean", d.mean},
                 {"std", d.stddev},
                 {"synthetic_shape", {d.synthetic.channels, d.synthetic.height, d.synthetic.width}},
                 {"synthetic_classes", d.synthetic.classes},
                 {"synthetic_train", d.synthetic.train},
                 {"synthetic_test", d.synthetic.test},
                 {"synthetic_noise", d.synthetic.noise},
                 {"data_seed", d.synthetic.seed}};
    j["model"] = {{"name", cfg.model.name}, {"width_multiplier", cfg.model.width_multiplier}};
    const OptimConfig& o = cfg.optim;
    j["optim"] = {{"name", o.name},
                  {"lr", o.lr},
                  {"batch", o.batch},
                  {"momentum", o.momentum},
                  {"weight_decay", o.weight_decay},
                  {"micro_batch", o.micro_batch}};
    const ScheduleConfig& s = cfg.schedule;
    j["schedule"] = {{"kind", to_string(s.kind)},
                     {"every", s.every},
                     {"lr_factor", s.lr_factor},
                     {"batch_factor", s.batch_factor},
                     {"power", s.power},
                     {"poly_target", to_string(s.poly_target)},
                     {"poly_balance", s.poly_balance},
                     {"stages", s.stages},
                     {"gamma", s.gamma},
                     {"min_lr", s.min_lr},
                     {"max_batch", s.max_batch}};
    // Only when set, so that configurations without it keep their JSON (manifests, hashes).
    if (!s.stage_updates.empty()) j["schedule"]["stage_updates"] = s.stage_updates;
    j["run"] = {{"epochs", cfg.run.epochs},           {"seed", cfg.run.seed},
                {"threads", cfg.run.threads},         {"eval_batch", cfg.run.eval_batch},
                {"stop_on_nan", cfg.run.stop_on_nan}, {"checkpoint", cfg.run.checkpoint}};
    // Only when set, so that configurations without it keep their JSON (manifests, hashes).
    if (cfg.run.shard > 0) j["run"]["shard"] = cfg.run.shard;
    const ProbeConfig& p = cfg.probe;
    j["probe"] = {{"every_steps", p.every_steps},
                  {"at_epoch_end", p.at_epoch_end},
                  {"probe_size", p.probe_size},
                  {"batches", p.batches},
                  {"confidence", p.confidence},
                  {"noise", p.noise},
                  {"hessian", p.hessian},
                  {"hessian_size", p.hessian_size},
                  {"power_iterations", p.power_iterations},
                  {"fd_step", p.fd_step},
                  {"sharpness", p.sharpness},
                  {"sharpness_size", p.sharpness_size},
                  {"sharpness_epsilon", p.sharpness_epsilon},
                  {"sharpness_steps", p.sharpness_steps},
                  {"adaptive_sharpness", p.adaptive_sharpness},
                  {"adaptive_rho", p.adaptive_rho},
                  {"test_size", p.test_size}};
    return j;
}

}  // namespace gradcert::engine
