#include "verify/empirical/experiment_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "numerics/util/error.hpp"

namespace gradcert::verify {

ExperimentTable::~ExperimentTable() = default;
ExperimentTable::ExperimentTable(ExperimentTable&&) noexcept = default;

ExperimentTable ExperimentTable::load(const std::filesystem::path& file, const std::string& mode) {
    ExperimentTable t;
    t.file_ = file;
    t.mode_ = mode;
    try {
        t.root_ = std::make_unique<toml::table>(toml::parse_file(file.string()));
    } catch (const toml::parse_error& e) {
        throw_input_error(file.string(), std::string(e.description()),
                          static_cast<int>(e.source().begin.line));
    }
    t.table_ = (*t.root_)[mode].as_table();
    if (t.table_ == nullptr)
        throw_input_error(file.string(), "no table [" + mode + "] (expected [quick] and [full])");
    return t;
}

std::string ExperimentTable::where() const {
    return file_.string() + " [" + mode_ + "]";
}

void ExperimentTable::fail(const std::string& key, const std::string& problem) const {
    throw InputError(fmt::format("{}: {}: {}", where(), key, problem));
}

bool ExperimentTable::has(const std::string& key) const {
    return table_->contains(key);
}

int ExperimentTable::get_int(const std::string& key, int fallback) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return fallback;
    const auto v = n->value<std::int64_t>();
    if (!n->is_integer() || !v) fail(key, "must be an integer");
    return static_cast<int>(*v);
}

double ExperimentTable::get_double(const std::string& key, double fallback) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return fallback;
    const auto v = n->value<double>();
    if (!v) fail(key, "must be a number");
    return *v;
}

std::string ExperimentTable::get_string(const std::string& key, const std::string& fallback) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return fallback;
    if (!n->is_string()) fail(key, "must be a string");
    return *n->value<std::string>();
}

namespace {

template <class T>
std::vector<T> read_array(const ExperimentTable& t, const toml::node* n, const std::string& key,
                          const char* what) {
    const toml::array* a = n->as_array();
    if (a == nullptr) t.fail(key, std::string("must be an array of ") + what);
    std::vector<T> out;
    for (const toml::node& e : *a) {
        const auto v = e.value<T>();
        if (!v) t.fail(key, std::string("must be an array of ") + what);
        out.push_back(*v);
    }
    return out;
}

}  // namespace

std::vector<int> ExperimentTable::get_ints(const std::string& key,
                                           const std::vector<int>& fallback) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return fallback;
    std::vector<int> out;
    for (std::int64_t v : read_array<std::int64_t>(*this, n, key, "integers"))
        out.push_back(static_cast<int>(v));
    return out;
}

std::vector<double> ExperimentTable::get_doubles(const std::string& key,
                                                 const std::vector<double>& fallback) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return fallback;
    return read_array<double>(*this, n, key, "numbers");
}

std::vector<std::string> ExperimentTable::get_strings(
    const std::string& key, const std::vector<std::string>& fallback) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return fallback;
    return read_array<std::string>(*this, n, key, "strings");
}

std::set<std::string> ExperimentTable::common_keys() {
    return {"dataset",        "data_path",       "train_subset", "test_subset", "synthetic_train",
            "synthetic_test", "synthetic_noise", "data_seed",    "model",       "lr",
            "batch",          "epochs",          "seed"};
}

void ExperimentTable::check_keys(const std::set<std::string>& extra) const {
    const std::set<std::string> common = common_keys();
    for (const auto& [k, v] : *table_) {
        const std::string key(k.str());
        if (!common.contains(key) && !extra.contains(key)) fail(key, "unknown key");
    }
}

engine::TrainConfig without_probes(engine::TrainConfig cfg) {
    cfg.probe.every_steps = 0;
    cfg.probe.at_epoch_end = false;
    cfg.probe.noise = cfg.probe.hessian = cfg.probe.sharpness = false;
    cfg.probe.test_size = 0;
    return cfg;
}

engine::TrainConfig ExperimentTable::train_config() const {
    engine::TrainConfig cfg = without_probes({});
    cfg.source = where();
    cfg.data.dataset = get_string("dataset", cfg.data.dataset);
    cfg.data.path = get_string("data_path", cfg.data.path);
    cfg.data.train_subset = get_int("train_subset", cfg.data.train_subset);
    cfg.data.test_subset = get_int("test_subset", cfg.data.test_subset);
    cfg.data.synthetic.train = get_int("synthetic_train", cfg.data.synthetic.train);
    cfg.data.synthetic.test = get_int("synthetic_test", cfg.data.synthetic.test);
    cfg.data.synthetic.noise = get_double("synthetic_noise", cfg.data.synthetic.noise);
    cfg.data.synthetic.seed = static_cast<std::uint64_t>(get_int("data_seed", 0));
    cfg.model.name = get_string("model", cfg.model.name);
    cfg.optim.lr = get_double("lr", cfg.optim.lr);
    cfg.optim.batch = get_int("batch", cfg.optim.batch);
    cfg.run.epochs = get_int("epochs", cfg.run.epochs);
    cfg.run.seed = static_cast<std::uint64_t>(get_int("seed", 0));
    try {
        // The boundary check of the experiment file; each run's configuration (derived from this
        // one) is validated once more by engine::train.
        (void)engine::validate_train_config(cfg);
    } catch (const InputError& e) {
        throw InputError(std::string(e.what()));
    }
    return cfg;
}

}  // namespace gradcert::verify
