// The run format's version and table checks (docs/run-format.md): a reader refuses a manifest
// without a format, with another name or an unknown version, and an epochs.csv with an unknown
// column, a bad cell or non-increasing epochs, each with the file (and line) named.
#include "numerics/engine/run/run_format.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "numerics/engine/train_records.hpp"
#include "numerics/util/error.hpp"
#include "run_helpers.hpp"

using namespace gradcert::engine;
namespace fs = std::filesystem;

namespace {

std::string error_of(auto&& f) {
    try {
        f();
    } catch (const gradcert::InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("Run format: the manifest's format name and version are checked", "[run][format]") {
    const nlohmann::json ok = {{"format", run::format_field()}};
    CHECK(error_of([&] { run::check_format(ok, "m.json"); }).empty());
    CHECK_THAT(error_of([] { run::check_format(nlohmann::json::object(), "a/manifest.json"); }),
               Catch::StartsWith("a/manifest.json: no run format version"));
    nlohmann::json v2 = ok;
    v2["format"]["version"] = 2;
    CHECK_THAT(error_of([&] { run::check_format(v2, "m.json"); }),
               Catch::Contains("unknown run format version 2"));
    nlohmann::json other = ok;
    other["format"]["name"] = "tfevents";
    CHECK_THAT(error_of([&] { run::check_format(other, "m.json"); }),
               Catch::Contains("format name \"tfevents\""));
    nlohmann::json bad = ok;
    bad["format"]["version"] = "1";
    CHECK_THAT(error_of([&] { run::check_format(bad, "m.json"); }),
               Catch::Contains("malformed \"format\""));
}

TEST_CASE("Run format: epochs.csv parsing and its errors", "[run][format]") {
    const run::EpochTable t =
        run::parse_epochs_csv("epoch,lr,test_acc\n1,0.1,0.5\n2,0.05,nan\n", "e.csv");
    REQUIRE(t.rows.size() == 2);
    CHECK(t.values("lr") == std::vector<double>{0.1, 0.05});
    CHECK(std::isnan(t.values("test_acc")[1]));
    CHECK(std::isnan(t.values("c2")[0]));  // absent column
    CHECK(run::parse_epochs_csv(run::epochs_csv_text(t), "x").values("lr") == t.values("lr"));
    // The engine's own header is a valid run-format header.
    CHECK(run::parse_epochs_csv(epoch_csv_header() + "\n", "e.csv").columns.size() == 23);
    CHECK_THAT(error_of([] { run::parse_epochs_csv("lr,epoch\n", "e.csv"); }),
               Catch::StartsWith("e.csv:1: first column is \"lr\""));
    CHECK_THAT(error_of([] { run::parse_epochs_csv("epoch,val/acc\n", "e.csv"); }),
               Catch::StartsWith("e.csv:1: unknown column \"val/acc\""));
    CHECK_THAT(error_of([] { run::parse_epochs_csv("epoch,lr\n1,0.1\n2,x\n", "e.csv"); }),
               Catch::StartsWith("e.csv:3: column lr: \"x\" is not a number"));
    CHECK_THAT(error_of([] { run::parse_epochs_csv("epoch,lr\n1,0.1\n1,0.1\n", "e.csv"); }),
               Catch::StartsWith("e.csv:3: epoch 1 is not a positive integer"));
    CHECK_THAT(error_of([] { run::parse_epochs_csv("epoch,lr\n1\n", "e.csv"); }),
               Catch::StartsWith("e.csv:2: 1 cells, the header has 2"));
    CHECK_THAT(error_of([] { run::parse_epochs_csv("", "e.csv"); }),
               Catch::StartsWith("e.csv: empty"));
}

TEST_CASE("Run format: a directory is written with its version and read back", "[run][format]") {
    const fs::path dir = testing::fresh_dir("run_format") / "run";
    run::EpochTable t;
    t.columns = {"epoch", "test_acc"};
    t.rows = {{1, 0.25}, {2, 0.5}};
    run::write_run_directory(dir, {{"tool", "test"}}, t, {{{"step", 1}, {"loss", 2.0}}});
    const run::RunDirectory r = run::read_run_directory(dir);
    CHECK(r.manifest.at("format") == run::format_field());
    CHECK(r.epochs.values("test_acc") == std::vector<double>{0.25, 0.5});
    CHECK(r.steps.size() == 1);
    // A second write into the same directory is refused; nothing changes.
    CHECK_THAT(error_of([&] { run::write_run_directory(dir, {}, t, {}); }),
               Catch::Contains("already holds a run"));
    // A manifest without a version is refused by the reader, naming it.
    std::ofstream(dir / "manifest.json") << R"({"tool": "old"})";
    CHECK_THAT(error_of([&] { run::read_run_directory(dir); }),
               Catch::StartsWith((dir / "manifest.json").string() + ": no run format version"));
    fs::remove_all(dir.parent_path());
}
