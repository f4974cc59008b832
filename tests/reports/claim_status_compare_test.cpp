// compare-reports on claim statuses (issue 14): a status that changes between the regenerated
// report and the committed one is a difference, unless the committed report marks that claim
// "unstable at this scale" (its flip probability over seed resamples exceeds 10%).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "reports/report_compare.hpp"
#include "verify/experiment.hpp"

namespace fs = std::filesystem;
using namespace gradcert;

namespace {

fs::path fresh_directory(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() /
                         ("gradcert-status-" + name + "-" + std::to_string(std::random_device{}()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// A report tree with one experiment whose one finding has `status` (verdict `verdict`), and an
// index whose claims table shows the same status with a flip probability.
fs::path tree(const std::string& name, verify::Evidence status, verify::Evidence verdict,
              double flip) {
    const fs::path root = fresh_directory(name);
    write(root / "families" / "f.json", "{}\n");
    verify::ExperimentOutcome o;
    o.name = "schedules";
    o.title = "t";
    o.one_line = "l";
    o.scale = "s";
    verify::ClaimFinding f{"batch-beats-lr", status, "diff"};
    f.verdict = verdict;
    f.flip_probability = flip;
    f.resampled = "3 seeds, 200 bootstrap resamples";
    o.findings.push_back(f);
    o.checks.push_back({"acc", 0.8, 0.1, "band"});
    write(root / "experiments" / "schedules.json",
          nlohmann::json{{"outcome", verify::to_json(o)}}.dump());
    write(root / "README.md",
          "# gradcert reports\n\n## The paper's claims\n\n| claim (docs/mathematics.md) | status | "
          "evidence |\n|---|---|---|\n| §6: batch beats lr | " +
              verify::to_string(status) + " (estimate, smoke-level; flip " +
              std::to_string(static_cast<int>(100 * flip)) +
              "%) | [schedules](experiments/schedules.md) |\n\n## Verification reports\n\n| "
              "family | verdict | seconds |\n|---|---|---|\n| [f](families/f.md) | **holds** | "
              "0.1 |\n");
    return root;
}

}  // namespace

TEST_CASE("a claim status that flips fails compare-reports", "[reports][compare][claims]") {
    using verify::Evidence;
    const fs::path ref = tree("ref", Evidence::inconclusive, Evidence::inconclusive, 0.02);
    const fs::path act = tree("act", Evidence::contradicted, Evidence::contradicted, 0.05);
    const auto d = reports::compare_reports(act, ref);
    REQUIRE(d.size() == 2);  // the experiment's finding and the index row (in either order)
    const std::string all = d[0] + "\n" + d[1];
    CHECK(all.find("status of claim 'batch-beats-lr' is contradicted") != std::string::npos);
    CHECK(all.find("status of claim '§6: batch beats lr'") != std::string::npos);
}

TEST_CASE("the same status with another flip probability agrees", "[reports][compare][claims]") {
    using verify::Evidence;
    const fs::path ref = tree("ref", Evidence::supported, Evidence::supported, 0.02);
    const fs::path act = tree("act", Evidence::supported, Evidence::supported, 0.07);
    CHECK(reports::compare_reports(act, ref).empty());
}

TEST_CASE("a flip passes when the committed report marks the claim unstable",
          "[reports][compare][claims]") {
    using verify::Evidence;
    const fs::path ref = tree("ref", Evidence::unstable, Evidence::inconclusive, 0.35);
    for (Evidence now : {Evidence::contradicted, Evidence::supported, Evidence::unstable})
        CHECK(reports::compare_reports(tree("act", now, now, 0.3), ref).empty());
}

TEST_CASE("a claim that becomes unstable where the reference decided it is a difference",
          "[reports][compare][claims]") {
    using verify::Evidence;
    const fs::path ref = tree("ref", Evidence::supported, Evidence::supported, 0.0);
    const fs::path act = tree("act", Evidence::unstable, Evidence::supported, 0.4);
    CHECK(reports::compare_reports(act, ref).size() == 2);
}
