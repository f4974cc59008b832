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

namespace {

// A family page as check_report writes it: a settings table with a timing row, a stage table
// with certified intervals and a derived table with a "seconds" column.
std::string family_page(const std::string& fhat, const std::string& wall,
                        const std::string& seconds) {
    return "# Certificate: `f`\n\n**Overall: holds** (1 stages; exit status 0).\n\n"
           "| setting | value |\n|---|---|\n| σ | [1.38196599999, 1.38196600001] |\n"
           "| wall time | " +
           wall + " s |\n\n## Stages\n\n| m | f̂(x*) | stage |\n|---|---|---|\n| 1 | " + fhat +
           " | holds |\n\n## Derived quantities\n\n| m | γ_m | seconds |\n|---|---|---|\n"
           "| 1 | [0.5, 0.5] | " +
           seconds + " |\n";
}

// An index with one certified claim, one estimate claim (its status holds a '|', escaped) and
// one family verdict.
std::string index_page(const std::string& certified, const std::string& estimate,
                       const std::string& verdict) {
    return "# gradcert reports\n\nRegenerated in 48.7 s.\n\n## The paper's claims\n\n"
           "| claim (docs/mathematics.md) | status | evidence |\n|---|---|---|\n"
           "| §5: γ_m ≥ 1/2 | " +
           certified + " | exact |\n| §6: \\|diff\\| > 2·SE | " + estimate +
           " | [schedules](experiments/schedules.md) |\n\n## Verification reports\n\n"
           "| family | verdict | seconds |\n|---|---|---|\n| [f](families/f.md) | " +
           verdict + " | 0.02 |\n";
}

fs::path full_tree(const std::string& name) {
    const fs::path root = reference_tree(name);
    write(root / "families" / "f.md", family_page("[1.7999999, 1.8000001]", "0.02", "0.00"));
    write(root / "constants" / "constants.md",
          "| constant | value | ± |\n|---|---|---|\n| `c` | 0.08894872118248806 | 7.3e-40 |\n");
    write(root / "README.md",
          index_page("supported (exact)", "inconclusive (estimate)", "**holds** — 1 of 1"));
    return root;
}

}  // namespace

TEST_CASE("identical full report trees agree, timing cells aside", "[reports][compare]") {
    const fs::path ref = full_tree("ref"), act = full_tree("act");
    CHECK(reports::compare_reports(act, ref).empty());
    write(act / "families" / "f.md", family_page("[1.7999999, 1.8000001]", "0.31", "0.07"));
    CHECK(reports::compare_reports(act, ref).empty());
}

TEST_CASE("an empty reference is a difference even with --allow-missing", "[reports][compare]") {
    const fs::path ref = fresh_directory("empty"), act = full_tree("act");
    reports::CompareOptions lenient;
    lenient.allow_missing = true;
    lenient.experiments = false;
    for (const auto& options : {reports::CompareOptions{}, lenient}) {
        const auto d = reports::compare_reports(act, ref, options);
        REQUIRE(d.size() == 1);
        CHECK(d[0].find("holds no report") != std::string::npos);
    }
}

TEST_CASE("a missing reference directory is an input error", "[reports][compare]") {
    const fs::path act = full_tree("act");
    CHECK_THROWS_AS(reports::compare_reports(act, act / "no-such-dir"), InputError);
}

TEST_CASE("files of the actual tree absent from the reference are differences unless allowed",
          "[reports][compare]") {
    const fs::path ref = full_tree("ref"), act = full_tree("act");
    write(act / "families" / "g.json", "{}\n");
    const auto d = reports::compare_reports(act, ref);
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("g.json: not in the reference") != std::string::npos);
    reports::CompareOptions subset;
    subset.allow_missing = true;
    CHECK(reports::compare_reports(act, ref, subset).empty());
}

TEST_CASE("a certified interval tampered in the Markdown is a difference", "[reports][compare]") {
    const fs::path ref = full_tree("ref"), act = full_tree("act");
    // The JSON is untouched: only the page a reader sees moved, in its last digit.
    write(act / "families" / "f.md", family_page("[1.7999999, 1.8000002]", "0.02", "0.00"));
    auto d = reports::compare_reports(act, ref);
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("f.md: certified text differs") != std::string::npos);
    CHECK(d[0].find("[1.7999999, 1.8000002]") != std::string::npos);
    CHECK(d[0].find("line 14") != std::string::npos);
    reports::CompareOptions certified_only;
    certified_only.experiments = false;
    certified_only.allow_missing = true;
    CHECK(reports::compare_reports(act, ref, certified_only).size() == 1);

    const fs::path act2 = full_tree("act2");
    write(act2 / "constants" / "constants.md",
          "| constant | value | ± |\n|---|---|---|\n| `c` | 0.08894872118248807 | 7.3e-40 |\n");
    d = reports::compare_reports(act2, ref);
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("constants.md") != std::string::npos);
}

TEST_CASE("a flipped claim status in the index is a difference", "[reports][compare]") {
    const fs::path ref = full_tree("ref");
    reports::CompareOptions certified_only;
    certified_only.experiments = false;

    const fs::path estimate_flip = full_tree("est");
    write(estimate_flip / "README.md",
          index_page("supported (exact)", "supported (estimate)", "**holds** — 1 of 1"));
    auto d = reports::compare_reports(estimate_flip, ref);
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("status of claim '§6: |diff| > 2·SE'") != std::string::npos);
    CHECK(d[0].find("'supported (estimate)' vs reference 'inconclusive (estimate)'") !=
          std::string::npos);
    // Estimate statuses depend on the experiment scale: --certified-only leaves them out.
    CHECK(reports::compare_reports(estimate_flip, ref, certified_only).empty());

    const fs::path certified_flip = full_tree("cert");
    write(certified_flip / "README.md",
          index_page("not run", "inconclusive (estimate)", "**holds** — 1 of 1"));
    CHECK(reports::compare_reports(certified_flip, ref).size() == 1);
    CHECK(reports::compare_reports(certified_flip, ref, certified_only).size() == 1);

    const fs::path verdict_flip = full_tree("verdict");
    write(verdict_flip / "README.md",
          index_page("supported (exact)", "inconclusive (estimate)", "**fails** — 0 of 1"));
    d = reports::compare_reports(verdict_flip, ref, certified_only);
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("verdict of family '[f](families/f.md)'") != std::string::npos);
}

TEST_CASE("an index without a claims table is an input error naming it", "[reports][compare]") {
    const fs::path ref = full_tree("ref"), act = full_tree("act");
    write(act / "README.md", "# gradcert reports\n");
    try {
        reports::compare_reports(act, ref);
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("README.md") != std::string::npos);
    }
}
