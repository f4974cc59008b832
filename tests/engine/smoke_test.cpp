// CI smoke runs of the real engine: cnn-small on a Fashion-MNIST subset, and cnn-small with the
// paper's augmentation on a synthetic CIFAR-10 written here in the binary format and read back
// through the real CIFAR loader. A few hundred steps each; the loss must go down and the outputs
// must be well formed.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "numerics/engine/cifar.hpp"
#include "numerics/engine/dataset_synthetic.hpp"
#include "numerics/engine/idx.hpp"
#include "numerics/engine/run/run_format.hpp"
#include "numerics/engine/trainer.hpp"
#include "run_helpers.hpp"

using namespace gradcert::engine;
using namespace gradcert::engine::testing;
namespace fs = std::filesystem;

namespace {

void check_outputs(const fs::path& dir, const TrainResult& r, int epochs) {
    CHECK(r.status == RunStatus::finished);
    REQUIRE(static_cast<int>(r.epochs.size()) == epochs);
    CHECK(read_lines(dir / "epochs.csv").size() == static_cast<std::size_t>(epochs + 1));
    const std::vector<nlohmann::json> steps = steps_without_timing(dir / "steps.jsonl");
    CHECK(steps.size() == r.steps);
    for (const nlohmann::json& s : steps) CHECK(std::isfinite(s.at("loss").get<double>()));
    CHECK(fs::exists(dir / "manifest.json"));
    CHECK(fs::exists(dir / "checkpoint.bin"));
    // The directory reads back through the run-format reader (docs/run-format.md).
    const run::RunDirectory back = run::read_run_directory(dir);
    CHECK(back.epochs.rows.size() == static_cast<std::size_t>(epochs));
    CHECK(back.steps.size() == r.steps);
    CHECK(back.epochs.values("test_acc").back() == r.epochs.back().test_acc);
    for (const EpochRecord& e : r.epochs) {
        std::printf(
            "  epoch %d: lr %.4g batch %d train loss %.4f acc %.4f test loss %.4f acc "
            "%.4f delta %.4g C2 %.4g lambda_max %.4g (estimates) %.1f s\n",
            e.epoch, e.lr, e.batch, e.train_loss, e.train_acc, e.test_loss, e.test_acc, e.delta,
            e.c2, e.lambda_max, e.train_seconds + e.probe_seconds);
        CHECK(std::isfinite(e.delta));
        CHECK(e.c2 > 0.0);
    }
    CHECK(r.epochs.back().train_loss < r.epochs.front().train_loss);
}

TrainConfig smoke_probes(TrainConfig c) {
    c.probe.every_steps = 60;
    c.probe.probe_size = 128;
    c.probe.batches = 3;
    c.probe.hessian_size = 48;
    c.probe.power_iterations = 2;
    c.probe.sharpness_size = 48;
    c.probe.sharpness_steps = 1;
    c.probe.test_size = 100;
    return c;
}

}  // namespace

TEST_CASE("Smoke: cnn-small on a Fashion-MNIST subset learns", "[sgd][run][smoke]") {
    if (!fs::exists(default_fashion_mnist_dir() / "train-images-idx3-ubyte.gz")) {
        WARN("dataset-fashion-mnist is not installed; skipped");
        return;
    }
    TrainConfig c;
    c.source = "smoke-fmnist";
    c.data.train_subset = 1600;
    c.data.test_subset = 500;
    c.optim.batch = 16;
    c.optim.lr = 0.05;
    c.run.epochs = 2;  // 200 steps
    c = smoke_probes(c);
    const fs::path dir = fresh_dir("smoke_fmnist");
    std::printf("smoke: cnn-small, Fashion-MNIST 1600/500, b = 16, 2 epochs\n");
    const TrainResult r = train(c, dir);
    check_outputs(dir, r, 2);
    CHECK(r.steps == 200u);
    CHECK(r.epochs.back().test_acc > 0.65);
    fs::remove_all(dir);
}

TEST_CASE("Smoke: cnn-small with augmentation on a synthetic CIFAR-10 through the real loader",
          "[sgd][run][smoke]") {
    const fs::path data = fresh_dir("smoke_cifar_data");
    SyntheticSpec spec;
    spec.channels = 3;
    spec.height = spec.width = 32;
    spec.classes = 10;
    spec.noise = 0.7;
    spec.seed = 17;
    // Six files of 10 000 records each, in the official binary layout.
    for (int k = 0; k < 6; ++k) {
        const Dataset part = make_synthetic_split(spec, k, 10000);
        std::vector<char> bytes;
        bytes.reserve(10000u * 3073u);
        for (int i = 0; i < part.size(); ++i) {
            bytes.push_back(static_cast<char>(part.labels[static_cast<std::size_t>(i)]));
            bytes.insert(bytes.end(), part.image(i), part.image(i) + kCifarRecordPixels);
        }
        const std::string name =
            k < 5 ? "data_batch_" + std::to_string(k + 1) + ".bin" : "test_batch.bin";
        std::ofstream(data / name, std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    TrainConfig c;
    c.source = "smoke-cifar";
    c.data.dataset = "cifar10";
    c.data.path = data.string();
    c.data.train_subset = 1536;
    c.data.test_subset = 300;
    c.data.augment.crop = c.data.augment.flip = c.data.augment.rotate = true;
    c.optim.batch = 16;
    c.optim.lr = 0.02;
    c.run.epochs = 2;  // 192 steps
    c = smoke_probes(c);
    const fs::path dir = fresh_dir("smoke_cifar_run");
    std::printf("smoke: cnn-small, synthetic CIFAR-10 files 1536/300, augmentation, b = 16\n");
    const TrainResult r = train(c, dir);
    check_outputs(dir, r, 2);
    CHECK(r.steps == 192u);
    CHECK(r.epochs.back().test_acc > 0.3);  // chance is 0.1
    CHECK(r.manifest.at("datasets").at("train").at("name") == "cifar10/train");
    fs::remove_all(data);
    fs::remove_all(dir);
}
