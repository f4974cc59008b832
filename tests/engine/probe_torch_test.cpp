// Engine ↔ PyTorch probe agreement (python/gradcert_probe): a short engine run writes
// checkpoint.bin; tests/engine/probe_reference.py loads that checkpoint into the same PyTorch
// architecture and measures with gradcert_probe on the same examples, the same pool and the
// same K mini-batches. Deterministic quantities (pool loss, ‖g_P‖, the batch values s_k and so
// mean ‖g_k − g_P‖², Ĉ², δ̂, the Keskar and adaptive sharpness, λ_max by power iteration run to
// convergence) must agree to 1e-4 relative; the probe's Ĉ² from its own random batches must lie
// within the engine's interval and the engine's within the probe's. The table is printed.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "numerics/engine/data_batch.hpp"
#include "numerics/engine/data_load.hpp"
#include "numerics/engine/noise.hpp"
#include "numerics/engine/probe.hpp"
#include "numerics/engine/sharpness.hpp"
#include "numerics/engine/trainer.hpp"
#include "run_helpers.hpp"

using namespace gradcert::engine;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-4;

nlohmann::json layout_json(const std::vector<ParamInfo>& layout) {
    nlohmann::json list = nlohmann::json::array();
    for (const ParamInfo& p : layout)
        list.push_back({{"name", p.name}, {"shape", p.shape}, {"offset", p.offset}});
    return list;
}

double relative(double engine, double torch) {
    return std::abs(engine - torch) / std::max(std::abs(torch), 1e-300);
}

struct Row {
    std::string quantity;
    double engine, torch;
};

}  // namespace

TEST_CASE("gradcert_probe agrees with the engine's probes on an engine checkpoint",
          "[sgd][torch][probe]") {
    const std::string model_name = GENERATE(as<std::string>{}, "cnn-small");
    CAPTURE(model_name);
    TrainConfig cfg;
    cfg.source = "probe-cross-check";
    cfg.data.dataset = "synthetic";
    cfg.data.synthetic = SyntheticSpec{1, 16, 16, 10, 256, 64, 0.5, 3};
    cfg.model.name = model_name;
    cfg.optim.batch = 16;
    cfg.optim.lr = 0.05;
    cfg.run.epochs = 1;
    cfg.probe.every_steps = 0;
    cfg.probe.at_epoch_end = false;
    const fs::path dir = testing::fresh_dir("probe_torch_" + model_name);
    const DataSplit data = load_training_data(cfg);
    TrainResult r = train(cfg, data, dir / "run");
    REQUIRE(fs::exists(dir / "run" / "checkpoint.bin"));
    Model& model = *r.model;

    // The examples both sides see: the whole (un-augmented) training set as floats.
    const int n = data.train.size(), b = 16, pool_size = 128, k_batches = 16;
    std::vector<int> all(n);
    for (int i = 0; i < n; ++i) all[i] = i;
    BatchAssembler batch;
    batch.assemble(data.train, all, nullptr, 0, 0);
    std::ofstream(dir / "images.f32", std::ios::binary)
        .write(reinterpret_cast<const char*>(batch.images()),
               std::streamsize(sizeof(float) * n * 256));
    std::ofstream(dir / "labels.i32", std::ios::binary)
        .write(reinterpret_cast<const char*>(batch.labels()), std::streamsize(4 * n));

    // Pool: every other example; K batches: fixed strided draws from the pool (distinct members).
    std::vector<int> pool, hess, sharp;
    for (int i = 0; i < pool_size; ++i) pool.push_back((2 * i + 1) % n);
    for (int i = 0; i < 64; ++i) hess.push_back(i);
    for (int i = 0; i < 128; ++i) sharp.push_back(n - 1 - i);
    std::vector<std::vector<int>> batches;
    for (int k = 0; k < k_batches; ++k) {
        std::vector<int> bk;
        for (int j = 0; j < b; ++j) bk.push_back(pool[(k * 37 + j * 5) % pool_size]);
        batches.push_back(bk);
    }
    std::vector<double> g_pool, g_k;
    const double pool_loss = mean_gradient(model, data.train, pool, b, g_pool, batch);
    std::vector<double> values;
    for (const auto& bk : batches) {
        mean_gradient(model, data.train, bk, b, g_k, batch);
        double s = 0.0;
        for (std::size_t i = 0; i < g_k.size(); ++i)
            s += (g_k[i] - g_pool[i]) * (g_k[i] - g_pool[i]);
        values.push_back(s);
    }
    const double lr = 0.05;
    const NoiseEstimate noise = noise_from_samples(values, b, pool_size, n, lr, 0.95);
    double grad_norm = 0.0;
    for (double g : g_pool) grad_norm += g * g;
    grad_norm = std::sqrt(grad_norm);
    const PowerIterationResult power =
        hessian_top_eigenvalue(model, data.train, hess, b, 100, 1e-3, 99, batch);
    const SharpnessResult keskar = epsilon_sharpness(model, data.train, sharp, b, 1e-3, 5, batch);
    const SharpnessResult adaptive =
        adaptive_sharpness(model, data.train, sharp, b, 2e-4, 5, batch);

    nlohmann::json spec = {{"model", model_name},
                           {"channels", 1},
                           {"height", 16},
                           {"width", 16},
                           {"classes", 10},
                           {"width_multiplier", 1},
                           {"n", n},
                           {"params", layout_json(model.param_layout())},
                           {"buffers", layout_json(model.buffer_layout())},
                           {"checkpoint", (dir / "run" / "checkpoint.bin").string()},
                           {"batch", b},
                           {"lr", lr},
                           {"pool", pool},
                           {"batches", batches},
                           {"hessian", hess},
                           {"sharpness", sharp},
                           {"power_iterations", 100}};
    std::ofstream(dir / "spec.json") << spec.dump();
    const std::string command =
        "/usr/bin/python3 " GRADCERT_SOURCE_DIR "/tests/engine/probe_reference.py " + dir.string();
    REQUIRE(std::system(command.c_str()) == 0);
    const nlohmann::json t = nlohmann::json::parse(std::ifstream(dir / "result.json"));

    const std::vector<Row> rows = {
        {"pool loss", pool_loss, t["pool_loss"]},
        {"||g_P||", grad_norm, t["grad_norm"]},
        {"mean ||g_k - g_P||^2", noise.mean_sq.value, t["mean_sq"][0]},
        {"C^2", noise.c2.value, t["c2"][0]},
        {"C^2 interval lo", noise.c2.lo, t["c2"][1]},
        {"C^2 interval hi", noise.c2.hi, t["c2"][2]},
        {"delta", noise.delta.value, t["delta"][0]},
        {"lambda_max (100 it.)", power.lambda_max, t["lambda_max"]},
        {"Keskar sharpness (%)", keskar.keskar, t["keskar"]},
        {"adaptive sharpness", adaptive.increase, t["adaptive"]},
    };
    std::printf("\n%s (engine checkpoint → PyTorch %s), n = %d, b = %d, pool %d, K = %d\n",
                model_name.c_str(), t["torch_version"].get<std::string>().c_str(), n, b, pool_size,
                k_batches);
    std::printf(
        "| quantity | engine | gradcert_probe | relative difference |\n|---|---|---|---|\n");
    for (const Row& row : rows) {
        const double d = relative(row.engine, row.torch);
        std::printf("| %s | %.8g | %.8g | %.2e |\n", row.quantity.c_str(), row.engine, row.torch,
                    d);
        CAPTURE(row.quantity, row.engine, row.torch);
        CHECK(d < kTolerance);
    }
    CHECK(t["checkpoint_params_equal"].get<bool>());
    // Sampled: the probe's own random batches against the engine's interval, and back.
    const std::vector<double> own = t["c2_own"];
    std::printf(
        "| C^2, own random batches (sampled) | [%.6g, %.6g] | %.6g [%.6g, %.6g] | "
        "engine value in probe interval: %s; probe value in engine interval: %s |\n",
        noise.c2.lo, noise.c2.hi, own[0], own[1], own[2],
        own[1] <= noise.c2.value && noise.c2.value <= own[2] ? "yes" : "no",
        noise.c2.lo <= own[0] && own[0] <= noise.c2.hi ? "yes" : "no");
    CHECK(noise.c2.lo <= own[0]);
    CHECK(own[0] <= noise.c2.hi);
    CHECK(own[1] <= noise.c2.value);
    CHECK(noise.c2.value <= own[2]);
    std::printf("| lambda_max relative change at the last iterate | %.2e | %.2e | |\n",
                power.relative_change, t["lambda_relative_change"].get<double>());
    fs::remove_all(dir);
}
