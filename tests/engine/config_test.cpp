// `gradcert train` configuration: defaults, every key read, and one-line errors naming the file.
#include "numerics/engine/config.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "numerics/engine/data_load.hpp"
#include "numerics/util/error.hpp"

using namespace gradcert::engine;
using gradcert::InputError;
namespace fs = std::filesystem;

namespace {

std::string error_of(const std::string& toml) {
    try {
        parse_train_config(toml, "bad.toml", ".");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("Empty configuration gives the documented defaults", "[sgd][run][config]") {
    const TrainConfig c = parse_train_config("", "empty.toml", ".");
    CHECK(c.data.dataset == "fashion-mnist");
    CHECK(c.model.name == "cnn-small");
    CHECK(c.model.width_multiplier == 1);
    CHECK(c.optim.name == "sgd");
    CHECK(c.optim.lr == 0.05);
    CHECK(c.optim.batch == 128);
    CHECK(c.optim.momentum == 0.0);
    CHECK(c.optim.weight_decay == 0.0);
    CHECK(c.schedule.kind == ScheduleKind::constant);
    CHECK(c.schedule.every == 1);
    CHECK(c.schedule.lr_factor == 0.7071067811865476);
    CHECK(c.schedule.batch_factor == 2.0);
    CHECK(c.schedule.power == 0.9);
    CHECK(c.run.epochs == 5);
    CHECK(c.run.seed == 0u);
    CHECK(c.run.threads == 2);
    CHECK(c.probe.every_steps == 200);
    CHECK(c.probe.probe_size == 4096);
    CHECK(c.probe.batches == 16);
    CHECK(c.probe.sharpness);
    CHECK_FALSE(c.data.augment.any());
    CHECK(data_directory(c) == fs::path("/usr/share/datasets/fashion-mnist"));
    // The C++ defaults are the TOML defaults.
    CHECK(config_to_json(c) == config_to_json(TrainConfig{}));
}

TEST_CASE("Every section and key is read", "[sgd][run][config]") {
    const TrainConfig c = parse_train_config(R"(
[data]
dataset = "synthetic"
train_subset = 100
test_subset = 50
subset_mode = "first"
augment = ["crop", "flip"]
crop_padding = 2
flip_probability = 0.25
rotate_degrees = 10
synthetic_shape = [3, 8, 8]
synthetic_classes = 4
synthetic_train = 400
synthetic_test = 80
synthetic_noise = 0.3
data_seed = 9
[model]
name = "mlp"
width_multiplier = 2
[optim]
name = "shb"
lr = 0.1
batch = 32
momentum = 0.9
weight_decay = 5e-4
micro_batch = 16
[schedule]
kind = "hybrid"
every = 2
lr_factor = 0.8660254037844386
batch_factor = 1.5
power = 0.5
poly_target = "both"
poly_balance = 0.25
stages = 0
gamma = 0.95
min_lr = 0.001
max_batch = 256
[run]
epochs = 3
seed = 7
threads = 1
eval_batch = 200
stop_on_nan = false
checkpoint = false
[probe]
every_steps = 10
at_epoch_end = false
probe_size = 512
batches = 8
confidence = 0.9
noise = true
hessian = false
hessian_size = 64
power_iterations = 5
fd_step = 1e-4
sharpness = false
sharpness_size = 128
sharpness_epsilon = 1e-3
sharpness_steps = 3
adaptive_sharpness = true
adaptive_rho = 5e-4
test_size = 100
)",
                                             "full.toml", "/tmp");
    CHECK(c.data.dataset == "synthetic");
    CHECK(c.data.subset_mode == SubsetMode::first);
    CHECK(c.data.augment.crop);
    CHECK(c.data.augment.flip);
    CHECK_FALSE(c.data.augment.rotate);
    CHECK(c.data.augment.crop_padding == 2);
    CHECK(c.data.synthetic.channels == 3);
    CHECK(c.data.synthetic.seed == 9u);
    CHECK(c.model.width_multiplier == 2);
    CHECK(c.optim.name == "shb");
    CHECK(c.optim.momentum == 0.9);
    CHECK(c.optim.micro_batch == 16);
    CHECK(c.schedule.kind == ScheduleKind::hybrid);
    CHECK(c.schedule.poly_target == PolyTarget::both);
    CHECK(c.schedule.max_batch == 256);
    CHECK(c.run.seed == 7u);
    CHECK_FALSE(c.run.checkpoint);
    CHECK(c.probe.every_steps == 10);
    CHECK(c.probe.fd_step == 1e-4);
    CHECK(c.probe.test_size == 100);
    CHECK(c.probe.adaptive_sharpness);
    CHECK(c.probe.adaptive_rho == 5e-4);
    // The JSON form round-trips through TOML-equivalent fields.
    const nlohmann::json j = config_to_json(c);
    CHECK(j["schedule"]["kind"] == "hybrid");
    CHECK(j["data"]["augment"] == nlohmann::json({"crop", "flip"}));
}

TEST_CASE("Bad configurations give one-line errors naming the file", "[sgd][run][config]") {
    struct Case {
        std::string toml;
        std::vector<std::string> parts;
    };
    const std::vector<Case> cases = {
        {"[optim]\nlr = 0.1\nlearning_rate = 0.2\n",
         {"bad.toml:3", "unknown key \"learning_rate\""}},
        {"[optimizer]\nlr = 0.1\n", {"bad.toml:1", "unknown table or key \"optimizer\""}},
        {"[model]\nname = \"resnet1000\"\n", {"bad.toml", "unknown model \"resnet1000\""}},
        {"[data]\ndataset = \"mnist\"\n", {"bad.toml", "unknown dataset \"mnist\""}},
        {"[schedule]\nkind = \"linear\"\n", {"bad.toml", "unknown schedule kind \"linear\""}},
        {"[optim]\nlr = 0\n", {"bad.toml", "lr = 0 must be positive"}},
        {"[optim]\nlr = -0.1\n", {"bad.toml", "must be positive"}},
        {"[optim]\nlr = nan\n", {"bad.toml:2", "finite"}},
        {"[optim]\nlr = \"fast\"\n", {"bad.toml:2", "expected a number"}},
        {"[optim]\nbatch = 0\n", {"bad.toml:2", "out of range"}},
        {"[optim]\nname = \"adam\"\n", {"bad.toml", "unknown optimiser \"adam\""}},
        {"[optim]\nmomentum = 0.9\n", {"bad.toml", "momentum must be 0"}},
        {"[run]\nepochs = 0\n", {"bad.toml:2", "epochs"}},
        // Once a segfault mid-run (with the manifest left "running") and a bad_alloc (exit 4).
        {"[run]\nthreads = 100000\n", {"bad.toml", "[run] threads = 100000 must lie in [1, 256]"}},
        {"[run]\nthreads = 257\n", {"bad.toml", "threads = 257"}},
        {"[model]\nwidth_multiplier = 100000\n",
         {"bad.toml", "[model] width_multiplier = 100000 must lie in [1, 64]"}},
        {"[probe]\nbatches = 1\n", {"bad.toml:2", "batches"}},
        {"[probe]\nadaptive_rho = 0\n", {"bad.toml", "adaptive_rho must be positive"}},
        {"[data]\naugment = [\"cutout\"]\n", {"bad.toml:2", "augment"}},
        {"[schedule]\nkind = \"poly\"\npower = 2.0\n", {"bad.toml", "power 2"}},
        {"optim = 3\n", {"bad.toml:1", "[optim] must be a table"}},
        {"[optim\nlr = 1\n", {"bad.toml:1"}},
    };
    for (const Case& c : cases) {
        const std::string msg = error_of(c.toml);
        INFO(c.toml << " → " << msg);
        REQUIRE_FALSE(msg.empty());
        CHECK(msg.find('\n') == std::string::npos);
        for (const std::string& p : c.parts) CHECK(msg.find(p) != std::string::npos);
    }
}

TEST_CASE("Data errors name the configuration file", "[sgd][run][config]") {
    const fs::path dir = fs::temp_directory_path() / "gradcert_run_config";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "c.toml") << "[data]\ndataset = \"cifar10\"\npath = \"no-such-dir\"\n";
    const TrainConfig c = load_train_config(dir / "c.toml");
    CHECK(data_directory(c) == dir / "no-such-dir");
    try {
        load_training_data(c);
        FAIL("no error");
    } catch (const InputError& e) {
        const std::string msg = e.what();
        CHECK(msg.find((dir / "c.toml").string()) != std::string::npos);
        CHECK(msg.find("no-such-dir") != std::string::npos);
    }
    std::ofstream(dir / "s.toml") << "[data]\ndataset = \"synthetic\"\nsynthetic_train = 50\n"
                                     "train_subset = 60\n";
    CHECK_THROWS_WITH(load_training_data(load_train_config(dir / "s.toml")),
                      Catch::Contains("s.toml") && Catch::Contains("60"));
    CHECK_THROWS_WITH(load_train_config(dir / "missing.toml"), Catch::Contains("missing.toml"));
    fs::remove_all(dir);
}
