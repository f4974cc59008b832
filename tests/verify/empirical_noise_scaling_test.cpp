// Experiment 1 on tiny synthetic data: the corrected noise slope is −1 (an exact property of
// sampling without replacement at fixed weights, so the estimate must find it), the plain slope
// follows the finite-population factor, and resuming reproduces the result.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "numerics/engine/data_load.hpp"
#include "verify/empirical/noise_scaling.hpp"

using namespace gradcert;
using namespace gradcert::verify;
namespace fs = std::filesystem;

namespace {

NoiseScalingConfig tiny_config() {
    NoiseScalingConfig c;
    c.train = without_probes({});
    c.train.source = "<noise test>";
    c.train.data.dataset = "synthetic";
    c.train.data.synthetic = {1, 8, 8, 4, 512, 128, 0.6, 3};
    c.train.model.name = "mlp";
    c.train.optim.lr = 0.05;
    c.train.optim.batch = 32;
    c.train.run.epochs = 2;
    c.train.run.seed = 5;
    c.points = {0, 2};
    c.batches = {4, 8, 16, 32, 64, 128};
    c.samples = 24;
    c.bootstrap = 300;
    return c;
}

fs::path temp_dir(const std::string& name) {
    return fs::temp_directory_path() / ("gradcert-" + name + "-" + std::to_string(::getpid()));
}

}  // namespace

TEST_CASE("noise scaling: corrected slope −1 and resume", "[verify][empirical]") {
    const NoiseScalingConfig c = tiny_config();
    const engine::DataSplit data = engine::load_training_data(c.train);
    const fs::path work = temp_dir("noise");
    const NoiseScalingResult r = run_noise_scaling(c, data, work, false);
    REQUIRE(r.points.size() == 2);
    CHECK(r.pool == 512);
    for (const NoisePoint& p : r.points) {
        CHECK(p.corrected.slope == Approx(-1.0).margin(0.15));
        CHECK(p.corrected_ci.lo <= -1.0);
        CHECK(p.corrected_ci.hi >= -1.0);
        // The plain slope is steeper, as the factor (m − b)/(m − 1) predicts.
        CHECK(p.plain.slope == Approx(p.expected_plain_slope).margin(0.15));
        CHECK(p.expected_plain_slope < -1.05);
        CHECK(p.c2_max_over_min < 2.0);
        for (const NoiseAtBatch& a : p.batches) {
            CHECK(a.estimate.values.size() == 24);
            // δ̂ = ηĈ/√b.
            CHECK(a.estimate.delta.value ==
                  Approx(0.05 * std::sqrt(a.estimate.c2.value / a.estimate.batch)));
        }
    }
    // Training reduced the loss between the two points.
    CHECK(r.points[1].pool_loss < r.points[0].pool_loss);
    CHECK(r.training.size() == 2);

    // Resume with cached results: identical numbers.
    const NoiseScalingResult again = run_noise_scaling(c, data, work, true);
    CHECK(again.points[1].batches[2].estimate.values == r.points[1].batches[2].estimate.values);
    // Without the cache, the weights come back from the run's checkpoint: identical values.
    fs::remove(work / "noise-e2.json");
    const NoiseScalingResult reloaded = run_noise_scaling(c, data, work, true);
    CHECK(reloaded.points[1].batches[3].estimate.values == r.points[1].batches[3].estimate.values);
    CHECK(reloaded.points[1].corrected.slope == r.points[1].corrected.slope);
    fs::remove_all(work);
}

TEST_CASE("noise scaling: analysis of hand-made values", "[verify][empirical]") {
    // Values exactly V(m − b)/(b(m − 1)) with V = 2: corrected slope exactly −1, Ĉ² constant
    // up to the factor (n − b)/(n − 1), and zero spread gives ν̂ = ∞.
    NoiseScalingConfig c = tiny_config();
    c.batches = {2, 4, 8};
    const int m = 100, n = 100;
    std::vector<std::vector<double>> values;
    for (int b : c.batches)
        values.push_back(std::vector<double>(5, 2.0 * (m - b) / (b * (m - 1.0))));
    const NoisePoint p = analyse_noise_point(c, 0, n, m, values, 1.0, 0.5, 3.0);
    CHECK(p.corrected.slope == Approx(-1.0).epsilon(1e-12));
    CHECK(p.corrected_ci.lo == Approx(-1.0).epsilon(1e-12));
    CHECK(p.batches[1].estimate.v.value == Approx(2.0).epsilon(1e-12));
    CHECK(p.batches[1].estimate.c2.value == Approx(2.0 * 96 / 99).epsilon(1e-12));
    CHECK(std::isinf(p.batches[0].chi2_dof));
    CHECK_THROWS(analyse_noise_point(c, 0, n, m, {values[0]}, 1.0, 0.5, 3.0));
}

TEST_CASE("noise slope intervals are simultaneous over the measurement points (Bonferroni)",
          "[empirical]") {
    NoiseScalingConfig c = tiny_config();
    c.confidence = 0.95;
    c.points = {0, 1, 5};
    CHECK(slope_interval_level(c) == Approx(1.0 - 0.05 / 3).epsilon(1e-15));
    c.points = {3};
    CHECK(slope_interval_level(c) == Approx(0.95).epsilon(1e-15));
}
