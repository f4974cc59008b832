// The constants table, its JSON form, the golden comparison (library and `gradcert constants`).
#include "theory/constants.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "numerics/util/error.hpp"
#include "printed.hpp"
#include "theory/constants_json.hpp"

using namespace gradcert;
using namespace gradcert::theory;
namespace fs = std::filesystem;

namespace {

const NamedConstant& find(const std::vector<NamedConstant>& all, const std::string& name) {
    for (const NamedConstant& c : all)
        if (c.name == name) return c;
    FAIL("constant " << name << " missing");
    throw gradcert::InternalError("unreachable");
}

nlohmann::json read_json(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

fs::path temp_dir() {
    const fs::path dir =
        fs::temp_directory_path() / ("gradcert_theory_constants_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

const fs::path kGolden = fs::path(GRADCERT_SOURCE_DIR) / "verify/golden/constants.json";

}  // namespace

TEST_CASE("constants: unique names, valid tags, the paper's printed values",
          "[theory][constants]") {
    const std::vector<NamedConstant> all = paper_constants();
    std::set<std::string> names;
    for (const NamedConstant& c : all) {
        CHECK(names.insert(c.name).second);
        CHECK((c.tag == "[P]" || c.tag == "[R]" || c.tag == "[D]"));
        CHECK(!c.group.empty());
        CHECK(!c.statement.empty());
    }
    using gradcert::test::rounds_to;
    using gradcert::test::truncates_to;
    CHECK(rounds_to(find(all, "sgd.delta.resnet18-shb-c2.b128").value, "0.0445"));
    CHECK(rounds_to(find(all, "momentum.shb.resnet18.b128.beta0.9.delta").value, "1.652"));
    CHECK(rounds_to(find(all, "momentum.nshb.resnet18.b128.beta0.9.delta").value, "0.836"));
    CHECK(truncates_to(find(all, "poly.M200.p0.9.gamma.m001").value, "0.99549887"));
    CHECK(truncates_to(find(all, "poly.M200.p0.9.gamma.m199").value, "0.53588673"));
    CHECK(overlaps(find(all, "step.batch.exact.delta_ratio").value,
                   find(all, "step.inverse_sqrt2").value));
    CHECK(certainly_gt(
        find(all, "momentum.nshb.resnet18.lr_batch_poly.delta_ratio_over_gamma.m1").value,
        IntervalM(1)));
    CHECK(contains(find(all, "stage_count.inv_eps100.p1").value, IntervalM(100)));
    CHECK(rounds_to(find(all, "rastrigin.nonconvex.upper").value, "0.51745"));
    // Every tabulated start radius factor respects the invariant (γ_m >= 1/2 for p <= 1), with
    // equality exactly at the last step of p = 1.
    int radii = 0;
    for (const NamedConstant& c : all)
        if (c.name.find(".rho.") != std::string::npos && c.name.rfind("poly.", 0) == 0) {
            ++radii;
            INFO(c.name);
            CHECK(certainly_le(c.value, IntervalM(3) / 2));
        }
    CHECK(radii == 2 * 199 + 2 + 2 * 49 + 2);
    CHECK(contains(find(all, "poly.M50.p1.rho.gap.m049").value, IntervalM(1.5)));
}

TEST_CASE("constants JSON is deterministic and compares equal to itself", "[theory][constants]") {
    const nlohmann::json a = constants_to_json(paper_constants(), working_precision());
    const nlohmann::json b = constants_to_json(paper_constants(), working_precision());
    CHECK(a.dump() == b.dump());
    CHECK(compare_constants(a, b, "self").empty());
    // lo/hi strings enclose the value: parsing them back contains the enclosure.
    for (const NamedConstant& c : paper_constants()) {
        const DecimalEnclosure d = decimal_enclosure(c.value, decimal_digits(working_precision()));
        const IntervalM back = hull(IntervalM::from_string(d.lo), IntervalM::from_string(d.hi));
        INFO(c.name);
        CHECK(contains(back, c.value));
    }
}

TEST_CASE("golden comparison detects moved, added and removed constants", "[theory][constants]") {
    const nlohmann::json current = constants_to_json(paper_constants(), working_precision());
    nlohmann::json golden = current;
    auto& entries = golden["constants"];
    entries["momentum.shb.resnet18.b128.beta0.9.delta"]["hi"] = "1.7e+00";
    entries.erase("step.inverse_sqrt2");
    entries["made.up.constant"] = {{"lo", "1"}, {"hi", "2"}};
    const std::vector<ConstantChange> changes = compare_constants(current, golden, "golden");
    REQUIRE(changes.size() == 3);
    std::set<std::pair<int, std::string>> seen;
    for (const ConstantChange& c : changes) seen.insert({static_cast<int>(c.kind), c.name});
    CHECK(seen.count({static_cast<int>(ConstantChange::Kind::moved),
                      "momentum.shb.resnet18.b128.beta0.9.delta"}));
    CHECK(seen.count({static_cast<int>(ConstantChange::Kind::added), "step.inverse_sqrt2"}));
    CHECK(seen.count({static_cast<int>(ConstantChange::Kind::removed), "made.up.constant"}));
    // Malformed documents and a precision mismatch are input errors.
    nlohmann::json bad = current;
    bad["constants"]["step.inverse_sqrt2"].erase("lo");
    CHECK_THROWS_AS(compare_constants(current, bad, "bad"), InputError);
    nlohmann::json other_precision = current;
    other_precision["precision_bits"] = 256;
    CHECK_THROWS_AS(compare_constants(current, other_precision, "p"), InputError);
    CHECK_THROWS_AS(compare_constants(current, nlohmann::json::array(), "a"), InputError);
}

TEST_CASE("the committed golden file matches the constants computed now", "[theory][constants]") {
    const nlohmann::json golden = read_json(kGolden);
    const long bits = golden.at("precision_bits").get<long>();
    PrecisionScope scope(bits);
    const nlohmann::json current = constants_to_json(paper_constants(), bits);
    const std::vector<ConstantChange> changes =
        compare_constants(current, golden, kGolden.string());
    for (const ConstantChange& c : changes) UNSCOPED_INFO(c.name << ": " << c.detail);
    CHECK(changes.empty());
}

TEST_CASE("gradcert constants --golden: exit 0 unchanged, 1 perturbed, 2 malformed",
          "[theory][constants][driver]") {
    const fs::path exe = fs::path(GRADCERT_BINARY_DIR) / "gradcert";
    INFO("needs the gradcert executable: build the `gradcert` target in " << GRADCERT_BINARY_DIR);
    REQUIRE(fs::exists(exe));
    const fs::path dir = temp_dir();
    const auto run = [&](const std::string& args) {
        const std::string cmd = exe.string() + " constants " + args + " > " +
                                (dir / "out.txt").string() + " 2> " + (dir / "err.txt").string();
        const int status = std::system(cmd.c_str());
        REQUIRE(WIFEXITED(status));
        return WEXITSTATUS(status);
    };
    const auto read_text = [&](const char* name) {
        std::ifstream in(dir / name);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    };
    CHECK(run("--golden " + kGolden.string() + " --json " + (dir / "now.json").string()) == 0);
    CHECK(read_json(dir / "now.json").dump() == read_json(kGolden).dump());

    nlohmann::json perturbed = read_json(kGolden);
    perturbed["constants"]["poly.M200.p0.9.gamma.m001"]["lo"] = "9.9e-01";
    write_text(dir / "perturbed.json", perturbed.dump(2));
    CHECK(run("--golden " + (dir / "perturbed.json").string()) == 1);
    CHECK(read_text("out.txt").find("poly.M200.p0.9.gamma.m001") != std::string::npos);

    write_text(dir / "broken.json", "{ not json");
    CHECK(run("--golden " + (dir / "broken.json").string()) == 2);
    const std::string err = read_text("err.txt");
    CHECK(err.find("broken.json") != std::string::npos);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK(run("--golden " + (dir / "missing.json").string()) == 2);
    CHECK(run("--precision 64") == 2);
    fs::remove_all(dir);
}
