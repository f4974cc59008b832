// The family report writes the verdict certificate beside its JSON when the check recorded one
// (gradcert report, check --out with --certificate), and the family page says whether the
// verdict can be re-checked independently, naming the term class that prevents it otherwise.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "reports/check_report.hpp"
#include "verify/family_check.hpp"
#include "verify/family_file.hpp"

using namespace gradcert;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
    std::stringstream s;
    s << std::ifstream(p).rdbuf();
    return s.str();
}

verify::FamilyCheckResult check(const std::string& name, const std::string& f, bool record) {
    const std::string toml = "name = \"" + name + "\"\ndim = 1\nf = \"" + f +
                             "\"\ndomain = [[-2, 2]]\n[smoothing]\nkernel = \"gaussian\"\n"
                             "[schedule]\ndeltas = [0.2, 0.1]\n[check]\ndefinition = "
                             "\"new-sigma-nice\"\nsigma = 1.0\n";
    verify::CheckOptions options;
    options.minimizer.record_certificate = options.curvature.record_certificate = record;
    return verify::check_family(verify::parse_family(toml, name + ".toml", {}), options);
}

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / "gradcert-certificate-report-tests" / name;
    fs::remove_all(dir);
    return dir;
}

}  // namespace

TEST_CASE("the family report writes <name>.cert.json and says it is re-checkable",
          "[reports][certificate]") {
    const fs::path dir = fresh_dir("recorded");
    reports::write_check_report(check("quad", "x^2 + x", true), dir);
    REQUIRE(fs::exists(dir / "quad.json"));
    REQUIRE(fs::exists(dir / "quad.cert.json"));
    const auto cert = nlohmann::json::parse(read_text(dir / "quad.cert.json"));
    CHECK(cert["format"] == "gradcert-certificate");
    CHECK(cert["recheck"]["supported"] == true);
    CHECK(read_text(dir / "quad.md").find("re-checkable: certificate [quad.cert.json]") !=
          std::string::npos);
}

TEST_CASE("a report without a recorded certificate says so and writes none",
          "[reports][certificate]") {
    const fs::path dir = fresh_dir("plain");
    reports::write_check_report(check("quad", "x^2 + x", false), dir);
    CHECK_FALSE(fs::exists(dir / "quad.cert.json"));
    CHECK(read_text(dir / "quad.md").find("not recorded") != std::string::npos);
}

TEST_CASE("softplus families are reported as not independently re-checked",
          "[reports][certificate]") {
    const fs::path dir = fresh_dir("softplus");
    reports::write_check_report(check("sp", "softplus(x) + x^2", true), dir);
    const auto cert = nlohmann::json::parse(read_text(dir / "sp.cert.json"));
    CHECK(cert["recheck"]["supported"] == false);
    const std::string md = read_text(dir / "sp.md");
    CHECK(md.find("verdict not independently re-checked") != std::string::npos);
    CHECK(md.find("softplus") != std::string::npos);
}
