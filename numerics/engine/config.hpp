#pragma once
// The configuration of one training run (`gradcert train CONFIG.toml`), with the defaults of
// numerics/engine/CONFIG.md. A default-constructed TrainConfig is a valid Fashion-MNIST cnn-small
// run; C++ callers (experiments) build one in code, TOML users through load_train_config.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "numerics/engine/augment.hpp"
#include "numerics/engine/dataset.hpp"
#include "numerics/engine/dataset_synthetic.hpp"
#include "numerics/engine/schedule.hpp"

namespace gradcert::engine {

struct DataConfig {
    std::string dataset = "fashion-mnist";  // fashion-mnist | cifar10 | cifar100 | synthetic
    std::string path;                       // "" → the dataset's default directory
    int train_subset = 0;                   // 0 → the whole training set
    int test_subset = 0;                    // 0 → the whole test set
    SubsetMode subset_mode = SubsetMode::balanced;
    AugmentConfig augment;     // all off
    std::vector<double> mean;  // empty → the dataset's standard values
    std::vector<double> stddev;
    SyntheticSpec synthetic;  // used when dataset = "synthetic"
};

struct ModelConfig {
    std::string name = "cnn-small";
    int width_multiplier = 1;
};

struct OptimConfig {
    std::string name = "sgd";  // sgd | shb | nshb
    double lr = 0.05;
    int batch = 128;
    double momentum = 0.0;
    double weight_decay = 0.0;
    int micro_batch = 0;  // 0 → each batch in one forward/backward
};

struct RunConfig {
    int epochs = 5;
    std::uint64_t seed = 0;
    int threads = 2;
    int eval_batch = 1000;
    bool stop_on_nan = true;
    bool checkpoint = true;
    // > 0: data-parallel arithmetic with this many examples per shard (distributed.hpp); the
    // same bits for one process and for any number of MPI ranks. 0: the single-process engine.
    int shard = 0;
};

struct ProbeConfig {
    int every_steps = 200;  // 0 → no probes during an epoch
    bool at_epoch_end = true;
    int probe_size = 4096;  // pool P for g_P (at least 2b is used, at most n)
    int batches = 16;       // K
    double confidence = 0.95;
    bool noise = true;
    bool hessian = true;
    int hessian_size = 512;
    int power_iterations = 20;
    double fd_step = 1e-3;
    bool sharpness = true;
    int sharpness_size = 1024;
    double sharpness_epsilon = 1e-3;
    int sharpness_steps = 5;
    bool adaptive_sharpness = false;  // the paper's adaptive ℓ∞ sharpness (same examples, steps)
    double adaptive_rho = 2e-4;
    int test_size = 2000;  // test examples evaluated at step probes; 0 → none
};

struct TrainConfig {
    DataConfig data;
    ModelConfig model;
    OptimConfig optim;
    ScheduleConfig schedule;
    RunConfig run;
    ProbeConfig probe;
    // Where the configuration came from (named in error messages) and the directory relative
    // data paths are resolved against.
    std::string source = "<in-memory config>";
    std::filesystem::path base_dir = ".";
};

// Which model names a validation accepts: the zoo's (model_names()), or any, for runs that build
// their model with TrainOptions::model_factory (tests' hand-written models).
enum class ModelNames { zoo, any };

// A configuration that passed validate_config (and check_model_name unless ModelNames::any): the
// only way to make one is validate_train_config, so a function taking it needs no re-check. A
// configuration is validated once, at the boundary (the file reader, or train() for one built in
// code); docs/engine.md.
// Read-only: to change a value, copy it out (TrainConfig c = valid;) and validate again.
class ValidTrainConfig {
  public:
    const TrainConfig& get() const { return cfg_; }
    operator const TrainConfig&() const { return cfg_; }  // NOLINT: a validated config is one
    ModelNames model_names() const { return model_names_; }

  private:
    ValidTrainConfig(TrainConfig cfg, ModelNames names)
        : cfg_(std::move(cfg)), model_names_(names) {}
    friend ValidTrainConfig validate_train_config(TrainConfig cfg, ModelNames names);
    TrainConfig cfg_;
    ModelNames model_names_;
};

// validate_config, then check_model_name unless `names` is ModelNames::any; throws InputError
// naming cfg.source.
ValidTrainConfig validate_train_config(TrainConfig cfg, ModelNames names = ModelNames::zoo);

// Reads and validates a TOML run configuration (validate_train_config with the zoo's names).
// Unknown tables or keys, wrong types and values out of range throw
// gradcert::InputError("<file>:<line>: <problem>").
ValidTrainConfig load_train_config(const std::filesystem::path& file);
ValidTrainConfig parse_train_config(std::string_view toml, const std::string& source,
                                    const std::filesystem::path& base_dir);

// Upper bounds of validate_config. More OpenMP threads than kMaxThreads crash the OpenMP runtime
// (100000 threads segfaulted mid-run) and gain nothing on any machine this engine targets; a
// width multiplier above kMaxWidthMultiplier asks for more parameters than fit in memory for
// every model of the zoo but the smallest (the trainer also bounds the parameter count).
inline constexpr int kMaxThreads = 256;
inline constexpr int kMaxWidthMultiplier = 64;

// Static checks that need no data (names, ranges); throws InputError naming cfg.source. The
// model name is checked separately (check_model_name), since tests may train their own models.
// Both are called by validate_train_config; call that instead.
void validate_config(const TrainConfig& cfg);
// Throws InputError naming cfg.source unless cfg.model.name is one of model_names().
void check_model_name(const TrainConfig& cfg);

// The configuration as JSON (every key, defaults included), for manifests and checkpoints.
nlohmann::json config_to_json(const TrainConfig& cfg);

// The data directory actually used (path resolved against base_dir, or the dataset default).
std::filesystem::path data_directory(const TrainConfig& cfg);

std::string to_string(SubsetMode m);

}  // namespace gradcert::engine
