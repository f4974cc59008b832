// The explicit graduated optimization report end to end on a tiny config in a temporary source
// tree, and its Fisher test.
#include "reports/explicit_go_report.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "numerics/util/error.hpp"

namespace fs = std::filesystem;
using namespace gradcert;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path tiny_source(const std::string& config) {
    const fs::path root =
        fs::temp_directory_path() / ("gradcert-explicit-go-report-" + std::to_string(::getpid()));
    fs::create_directories(root / "verify" / "experiments");
    fs::create_directories(root / "verify" / "families");
    for (const char* name : {"rastrigin-1d-gaussian.toml", "double-well-tilted.toml"})
        fs::copy_file(fs::path(GRADCERT_SOURCE_DIR) / "verify" / "families" / name,
                      root / "verify" / "families" / name, fs::copy_options::overwrite_existing);
    std::ofstream(root / "verify" / "experiments" / "explicit_go.toml") << config;
    return root;
}

const char* kTinyConfig = R"(
[quick]
seed = 1
starts = 6
samples = 100
runs = ["rastrigin-1d"]
sweep = "dw"
sweep_powers = [0.5, 1.0]
sweep_stages = [4, 8, 16]
sweep_starts = 2

[run.rastrigin-1d]
family = "verify/families/rastrigin-1d-gaussian.toml"
delta1 = 1.0
stages = 30
power = 1.0
steps = 20
l0 = 0.01
gradient = "monte-carlo"
success_radius = 0.5
stage_targets = true

[sweep.dw]
family = "verify/families/double-well-tilted.toml"
delta1 = 1.0
steps = 20
step = 0.05
gradient = "closed-form"
success_radius = 0.5
)";

}  // namespace

TEST_CASE("the explicit GO report writes its files and findings", "[reports][go]") {
    const fs::path root = tiny_source(kTinyConfig);
    const fs::path out = root / "out";
    verify::ExperimentContext ctx;
    ctx.mode = "quick";
    ctx.source = root;
    ctx.threads = 2;
    const verify::ExperimentOutcome o = reports::run_explicit_go_report(ctx, out);
    CHECK(o.name == "explicit_go");
    REQUIRE(o.findings.size() == 2);
    CHECK(o.findings[0].claim == "go-rate");
    INFO(o.findings[0].summary);
    INFO(o.findings[1].summary);
    CHECK(o.findings[1].claim == "go-beats-gd");
    // Rastrigin from 6 uniform starts: GO reaches 0 from all; GD only from the central basin.
    CHECK(o.findings[1].summary.find("rastrigin-1d GO 6/6") != std::string::npos);
    CHECK(o.findings[0].evidence == verify::Evidence::supported);
    CHECK(o.wall_seconds > 0);
    for (const char* f :
         {"explicit_go.md", "explicit_go.json", "explicit_go-rastrigin-1d-stages.svg",
          "explicit_go-rastrigin-1d-calls.svg", "explicit_go-sweep-gap.svg",
          "explicit_go-sweep-work.svg"})
        CHECK(fs::exists(out / f));
    const auto j = nlohmann::json::parse(read(out / "explicit_go.json"));
    CHECK(verify::outcome_from_json(j.at("outcome")).findings.size() == 2);
    CHECK(j.at("families").at(0).at("stage_targets").size() == 30);
    CHECK(j.at("sweep").at("fits").size() == 2);
    // Slopes of the final gap: at or below −p (the proven rate), deterministic given the seed.
    for (const auto& fit : j.at("sweep").at("fits"))
        CHECK(fit.at("gap_slope").get<double>() < -fit.at("power").get<double>());
    const std::string md = read(out / "explicit_go.md");
    CHECK(md.find("What is certified and what is an estimate") != std::string::npos);
    CHECK(md.find("AAAI setting") != std::string::npos);
    // Same seed, same numbers.
    const verify::ExperimentOutcome again = reports::run_explicit_go_report(ctx, root / "out2");
    REQUIRE(again.checks.size() == o.checks.size());
    for (std::size_t i = 0; i < o.checks.size(); ++i)
        CHECK(again.checks[i].value == o.checks[i].value);
    fs::remove_all(root);
}

TEST_CASE("a bad explicit GO config is an InputError and writes nothing", "[reports][go]") {
    const fs::path root = tiny_source("[quick]\nseed = -1\n");
    verify::ExperimentContext ctx;
    ctx.source = root;
    CHECK_THROWS_AS(reports::run_explicit_go_report(ctx, root / "out"), InputError);
    CHECK_FALSE(fs::exists(root / "out"));
    fs::remove_all(root);
}
