// The experiment-3 report end to end on a tiny synthetic grid: every file is written, the JSON
// carries the grid and the outcome with the three claims.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "numerics/util/atomic_file.hpp"
#include "reports/sharpness_grid_report.hpp"

using namespace gradcert;
namespace fs = std::filesystem;

TEST_CASE("sharpness grid report: files, JSON and claims", "[reports][empirical]") {
    const fs::path root =
        fs::temp_directory_path() / ("gradcert-grid-report-" + std::to_string(::getpid()));
    fs::remove_all(root);
    write_file_atomically(root / "src/verify/experiments/sharpness_grid.toml", R"(
[full]
dataset = "synthetic"
synthetic_train = 256
synthetic_test = 64
model = "mlp"
epochs = 1
lrs = [0.02, 0.05, 0.1]
batches = [32, 64]
noise_pool = 128
noise_batches = 4
hessian_size = 64
power_iterations = 4
sharpness_size = 64
bootstrap = 100
)");
    verify::ExperimentContext ctx;
    ctx.mode = "full";
    ctx.source = root / "src";
    ctx.work = root / "work";
    const fs::path out = root / "out";
    const verify::ExperimentOutcome o = reports::run_sharpness_grid_report(ctx, out);
    CHECK(o.name == "sharpness_grid");
    std::set<std::string> claims;
    for (const auto& f : o.findings) claims.insert(f.claim);
    CHECK(claims == std::set<std::string>{"large-batch-sharp", "delta-sharpness-monotone",
                                          "accuracy-concave-delta"});
    for (const char* f : {"sharpness_grid.md", "sharpness_grid.json", "sharpness_grid-lambda.svg",
                          "sharpness_grid-sharpness.svg", "sharpness_grid-adaptive.svg",
                          "sharpness_grid-accuracy.svg"})
        CHECK(fs::exists(out / f));
    std::ifstream in(out / "sharpness_grid.json");
    const nlohmann::json j = nlohmann::json::parse(in);
    CHECK(j.at("points").size() == 6);
    CHECK(j.at("correlations").size() == 5);
    CHECK(j.at("config").at("adaptive_rho") == 2e-4);
    for (const auto& p : j.at("points")) CHECK(p.at("adaptive_sharpness").is_number());
    CHECK(verify::outcome_from_json(j.at("outcome")).checks.size() >= 5);
    fs::remove_all(root);
}
