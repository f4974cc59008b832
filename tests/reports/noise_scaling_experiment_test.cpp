// The experiment-1 report end to end on a tiny synthetic configuration: every file is written,
// the JSON is valid and carries the outcome, and the outcome reads back.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"
#include "reports/noise_scaling_report.hpp"

using namespace gradcert;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("noise scaling report: files, JSON and outcome", "[reports][empirical]") {
    const fs::path root =
        fs::temp_directory_path() / ("gradcert-noise-report-" + std::to_string(::getpid()));
    fs::remove_all(root);
    write_file_atomically(root / "src/verify/experiments/noise_scaling.toml", R"(
[quick]
dataset = "synthetic"
synthetic_train = 256
synthetic_test = 64
synthetic_noise = 0.6
model = "mlp"
lr = 0.05
batch = 32
epochs = 1
points = [0, 1]
batches = [4, 8, 16, 32, 64]
samples = 12
bootstrap = 200
)");
    verify::ExperimentContext ctx;
    ctx.mode = "quick";
    ctx.source = root / "src";
    ctx.work = root / "work";
    const fs::path out = root / "out";
    const verify::ExperimentOutcome o = reports::run_noise_scaling_report(ctx, out);
    CHECK(o.name == "noise_scaling");
    REQUIRE(o.findings.size() == 1);
    CHECK(o.findings[0].claim == "noise-scaling");
    CHECK(o.findings[0].evidence != verify::Evidence::not_testable);
    CHECK(o.checks.size() >= 4);
    CHECK(o.wall_seconds > 0.0);
    for (const char* f : {"noise_scaling.md", "noise_scaling.json", "noise_scaling-noise.svg",
                          "noise_scaling-c2.svg", "noise_scaling-qq.svg"})
        CHECK(fs::exists(out / f));
    const nlohmann::json j = nlohmann::json::parse(read_text(out / "noise_scaling.json"));
    CHECK(j.at("estimate") == true);
    CHECK(j.at("points").size() == 2);
    const verify::ExperimentOutcome back = verify::outcome_from_json(j.at("outcome"));
    CHECK(back.findings[0].summary == o.findings[0].summary);
    const std::string md = read_text(out / "noise_scaling.md");
    CHECK(md.find("estimate") != std::string::npos);
    CHECK(md.find("noise_scaling-qq.svg") != std::string::npos);
    CHECK(read_text(out / "noise_scaling-qq.svg").rfind("<svg", 0) == 0);
    // A missing table is an input error naming the file.
    ctx.mode = "full";
    CHECK_THROWS_AS(reports::run_noise_scaling_report(ctx, out), InputError);
    fs::remove_all(root);
}
