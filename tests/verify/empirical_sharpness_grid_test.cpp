// Experiment 3: the grid statistics on hand-made points with known answers, and a tiny synthetic
// grid end to end (δ̂ = ηĈ/√b, probes cached and reused on resume).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "numerics/engine/data_load.hpp"
#include "verify/empirical/sharpness_grid.hpp"

using namespace gradcert;
using namespace gradcert::verify;
namespace fs = std::filesystem;

TEST_CASE("sharpness grid: statistics on hand-made points", "[verify][empirical]") {
    SharpnessGridResult r;
    r.config.bootstrap = 400;
    // λ = 1/δ (perfectly decreasing), sharpness = 5 − δ, adaptive sharpness = δ² (increasing),
    // accuracy = 0.9 − (log₁₀δ + 0.5)²: ρ(δ, λ) = ρ(δ, sharpness) = −1, ρ(δ, adaptive) = +1,
    // curvature exactly −1, peak at δ = 10^−0.5.
    const std::vector<double> deltas{0.01, 0.03, 0.1, 0.2, 0.5, 1.0, 3.0};
    const std::vector<int> batches{512, 256, 128, 64, 32, 16, 8};
    for (std::size_t i = 0; i < deltas.size(); ++i) {
        GridPoint p;
        p.delta = deltas[i];
        p.batch = batches[i];
        p.lambda_max = 1.0 / deltas[i];
        p.sharpness = 5.0 - deltas[i];
        p.adaptive_sharpness = deltas[i] * deltas[i];
        const double t = std::log10(deltas[i]) + 0.5;
        p.test_acc = 0.9 - t * t;
        r.points.push_back(p);
    }
    analyse_grid(r);
    REQUIRE(r.correlations.size() == 5);
    CHECK(r.correlation("delta", "lambda_max")->rho.estimate == Approx(-1.0));
    CHECK(r.correlation("delta", "lambda_max")->rho.hi == Approx(-1.0));
    CHECK(r.correlation("delta", "sharpness")->rho.estimate == Approx(-1.0));
    CHECK(r.correlation("batch", "lambda_max")->rho.estimate == Approx(1.0));
    CHECK(r.correlation("delta", "adaptive_sharpness")->rho.estimate == Approx(1.0));
    CHECK(r.correlation("delta", "adaptive_sharpness")->rho.lo == Approx(1.0));
    CHECK(r.accuracy_fit.c2 == Approx(-1.0).epsilon(1e-10));
    CHECK(r.peak_delta == Approx(std::pow(10.0, -0.5)).epsilon(1e-9));
    CHECK(r.curvature.hi < 0.0);
    // A point with a non-finite probe is left out of the statistics, and so is a collapsed run
    // (final training loss ≥ 0.9·ln 10 with 10 classes).
    GridPoint bad;
    bad.delta = NAN;
    bad.batch = 4;
    r.points.push_back(bad);
    GridPoint collapsed = r.points.front();
    collapsed.train_loss = 2.30;
    r.points.push_back(collapsed);
    r.classes = 10;
    analyse_grid(r);
    CHECK(r.accuracy_fit.n == 7);
    CHECK_FALSE(usable_grid_point(r, collapsed));
    CHECK(usable_grid_point(r, r.points.front()));
}

TEST_CASE("sharpness grid: tiny synthetic grid and resume", "[verify][empirical]") {
    SharpnessGridConfig c;
    c.train = without_probes({});
    c.train.source = "<grid test>";
    c.train.data.dataset = "synthetic";
    c.train.data.synthetic = {1, 8, 8, 4, 384, 128, 0.6, 4};
    c.train.model.name = "mlp";
    c.train.run.epochs = 1;
    c.lrs = {0.02, 0.1};
    c.batches = {32, 128};
    c.noise_pool = 256;
    c.noise_batches = 6;
    c.hessian_size = 128;
    c.power_iterations = 6;
    c.sharpness_size = 128;
    c.bootstrap = 200;
    const engine::DataSplit data = engine::load_training_data(c.train);
    const fs::path work =
        fs::temp_directory_path() / ("gradcert-grid-" + std::to_string(::getpid()));
    const SharpnessGridResult r = run_sharpness_grid(c, data, work, false);
    REQUIRE(r.points.size() == 4);
    for (const GridPoint& p : r.points) {
        CHECK(p.status == engine::RunStatus::finished);
        CHECK(p.updates == static_cast<std::uint64_t>(384 / p.batch));
        CHECK(p.delta == Approx(p.lr * std::sqrt(p.c2 / p.batch)));
        CHECK(p.delta_lo <= p.delta);
        CHECK(p.delta <= p.delta_hi);
        CHECK(p.lambda_max > 0.0);
        CHECK(p.sharpness >= 0.0);
        CHECK(p.adaptive_sharpness >= 0.0);
        CHECK(p.test_acc > 0.25);  // above chance on 4 separable classes
    }
    CHECK(r.correlations.size() == 5);
    const SharpnessGridResult again = run_sharpness_grid(c, data, work, true);
    for (std::size_t i = 0; i < r.points.size(); ++i) {
        CHECK(again.points[i].lambda_max == r.points[i].lambda_max);
        CHECK(again.points[i].delta == r.points[i].delta);
        CHECK(again.points[i].test_acc == r.points[i].test_acc);
    }
    // Without the cached probes the finished runs are not retrained and the probes recomputed
    // from the checkpointed weights give the same numbers.
    for (const auto& entry : fs::directory_iterator(work))
        fs::remove(entry.path() / "final_probe.json");
    const SharpnessGridResult reprobed = run_sharpness_grid(c, data, work, true);
    for (std::size_t i = 0; i < r.points.size(); ++i) {
        CHECK(reprobed.points[i].lambda_max == r.points[i].lambda_max);
        CHECK(reprobed.points[i].adaptive_sharpness == r.points[i].adaptive_sharpness);
    }
    // A second stage of 3 points at b = 128 (the middle of {32, 128} sorted is 128) around the
    // observed peak, half a decade either way: δ targets centre·10^{−0.5, 0, 0.5}, placed with
    // one Ĉ, so the η are in ratio √10; they enter the accuracy fit only.
    c.refine_points = 3;
    const SharpnessGridResult refined = run_sharpness_grid(c, data, work, true);
    REQUIRE(refined.points.size() == 7);
    for (std::size_t i = 0; i < 4; ++i) CHECK_FALSE(refined.points[i].refinement);
    for (std::size_t i = 4; i < 7; ++i) {
        CHECK(refined.points[i].refinement);
        CHECK(refined.points[i].batch == 128);
    }
    CHECK(refined.points[5].lr / refined.points[4].lr == Approx(std::sqrt(10.0)).epsilon(1e-12));
    CHECK(refined.points[6].lr / refined.points[5].lr == Approx(std::sqrt(10.0)).epsilon(1e-12));
    CHECK(refined.points[5].lr ==
          Approx(refined.refine_centre * std::sqrt(128.0) / refined.refine_c).epsilon(1e-12));
    CHECK(refined.refine_centre > 0.0);
    // The grid statistics are those of the first stage; the fit has every usable point.
    CHECK(refined.correlations[0].rho.estimate == r.correlations[0].rho.estimate);
    int usable = 0;
    for (const GridPoint& p : refined.points) usable += usable_grid_point(refined, p);
    CHECK(refined.accuracy_fit.n == usable);
    // The grid-only curvature interval is reported beside: its estimate is the first stage's fit.
    CHECK(std::isnan(r.curvature_grid.lo));
    // (This tiny grid has fewer than 4 distinct δ̂ in its first stage, so neither it nor the
    // grid-only interval has a fit; with one, the estimates must be equal.)
    if (std::isnan(r.curvature.estimate)) {
        CHECK(std::isnan(refined.curvature_grid.estimate));
    } else {
        CHECK(refined.curvature_grid.estimate == Approx(r.accuracy_fit.c2).epsilon(1e-12));
    }
    CHECK_FALSE(std::isnan(refined.curvature.estimate));  // the second stage makes the fit
    fs::remove_all(work);
}
