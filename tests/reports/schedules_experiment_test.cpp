// The experiment-2 report end to end on a tiny synthetic configuration: every file is written,
// the JSON carries the outcome with the four claims, and the outcome reads back.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "numerics/util/atomic_file.hpp"
#include "reports/schedules_report.hpp"

using namespace gradcert;
namespace fs = std::filesystem;

TEST_CASE("schedules report: files, JSON and claims", "[reports][empirical]") {
    const fs::path root =
        fs::temp_directory_path() / ("gradcert-schedules-report-" + std::to_string(::getpid()));
    fs::remove_all(root);
    write_file_atomically(root / "src/verify/experiments/schedules.toml", R"(
[quick]
dataset = "synthetic"
synthetic_train = 256
synthetic_test = 64
model = "mlp"
lr = 0.05
batch = 16
epochs = 3
every = 1
seeds = [0, 1]
arms = ["constant", "lr-sqrt2", "batch-x2", "lr-half", "poly-1"]
probe_seeds = 1
probe_pool = 128
probe_batches = 4
)");
    verify::ExperimentContext ctx;
    ctx.source = root / "src";
    ctx.work = root / "work";
    const fs::path out = root / "out";
    const verify::ExperimentOutcome o = reports::run_schedules_report(ctx, out);
    CHECK(o.name == "schedules");
    std::set<std::string> claims;
    for (const auto& f : o.findings) claims.insert(f.claim);
    CHECK(claims == std::set<std::string>{"delta-vs-smith", "decay-beats-constant",
                                          "batch-beats-lr", "poly-optimal"});
    CHECK(o.checks.size() == 10);  // test accuracy and training loss of 5 arms
    for (const char* f : {"schedules.md", "schedules.json", "schedules-accuracy.svg",
                          "schedules-loss.svg", "schedules-delta.svg", "schedules-delta-probe.svg"})
        CHECK(fs::exists(out / f));
    std::ifstream in(out / "schedules.json");
    const nlohmann::json j = nlohmann::json::parse(in);
    CHECK(j.at("runs").size() == 10);
    CHECK(verify::outcome_from_json(j.at("outcome")).findings.size() == 4);
    fs::remove_all(root);
}
