// CI's report regression: certified JSON byte for byte, estimates within the reference's bands.
#include "reports/report_compare.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "numerics/util/error.hpp"
#include "verify/experiment.hpp"

namespace fs = std::filesystem;
using namespace gradcert;

namespace {

fs::path fresh_directory(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("gradcert-compare-" + name + "-" +
                                                      std::to_string(std::random_device{}()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

void write_experiment(const fs::path& root, double slope, double band) {
    verify::ExperimentOutcome o;
    o.name = "noise";
    o.title = "t";
    o.one_line = "l";
    o.scale = "s";
    o.findings.push_back({"noise-scaling", verify::Evidence::supported, "slope"});
    o.checks.push_back({"slope", slope, band, "CI half-width"});
    write(root / "experiments" / "noise.json",
          nlohmann::json{{"result", 1}, {"outcome", verify::to_json(o)}}.dump());
}

// A reference tree with one family, the constants and one experiment.
fs::path reference_tree(const std::string& name) {
    const fs::path root = fresh_directory(name);
    write(root / "families" / "f.json", "{\"x\": [1, 2]}\n");
    write(root / "constants" / "constants.json", "{}\n");
    write_experiment(root, -1.0, 0.05);
    return root;
}

}  // namespace

TEST_CASE("identical report trees agree", "[reports][compare]") {
    const fs::path ref = reference_tree("ref"), act = reference_tree("act");
    CHECK(reports::compare_reports(act, ref).empty());
}

TEST_CASE("a certified result that moved by one byte is a difference", "[reports][compare]") {
    const fs::path ref = reference_tree("ref"), act = reference_tree("act");
    write(act / "families" / "f.json", "{\"x\": [1, 3]}\n");
    const auto d = reports::compare_reports(act, ref);
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("f.json") != std::string::npos);
}

TEST_CASE("estimates agree within the reference band and differ outside it", "[reports][compare]") {
    const fs::path ref = reference_tree("ref"), act = reference_tree("act");
    write_experiment(act, -1.04, 0.5);  // the actual band is ignored: the reference's counts
    CHECK(reports::compare_reports(act, ref).empty());
    write_experiment(act, -1.06, 0.5);
    const auto d = reports::compare_reports(act, ref);
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("'slope'") != std::string::npos);
    reports::CompareOptions certified_only;
    certified_only.experiments = false;
    CHECK(reports::compare_reports(act, ref, certified_only).empty());
}

TEST_CASE("a NaN estimate never agrees", "[reports][compare]") {
    const fs::path ref = reference_tree("ref"), act = reference_tree("act");
    write_experiment(act, std::nan(""), 0.05);
    CHECK(reports::compare_reports(act, ref).size() == 1);
}

TEST_CASE("missing files are differences unless allowed", "[reports][compare]") {
    const fs::path ref = reference_tree("ref"), act = reference_tree("act");
    write(ref / "families" / "g.json", "{}\n");
    CHECK(reports::compare_reports(act, ref).size() == 1);
    reports::CompareOptions subset;
    subset.allow_missing = true;
    CHECK(reports::compare_reports(act, ref, subset).empty());
}

TEST_CASE("malformed experiment JSON is an input error naming the file", "[reports][compare]") {
    const fs::path ref = reference_tree("ref"), act = reference_tree("act");
    write(act / "experiments" / "noise.json", "{\"outcome\": ");
    try {
        reports::compare_reports(act, ref);
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("noise.json") != std::string::npos);
    }
}
