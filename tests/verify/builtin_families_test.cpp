// Every built-in family's verdicts, stage by stage, match the committed expectations
// (verify/families/expected-verdicts.json), whose derivations are in each family file's header.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "verify/family_check.hpp"
#include "verify/family_file.hpp"

using namespace gradcert::verify;

namespace {

nlohmann::json expectations() {
    std::ifstream in(std::string(GRADCERT_SOURCE_DIR) + "/verify/families/expected-verdicts.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

void check_builtin(const std::string& name) {
    const nlohmann::json expected = expectations().at(name);
    FamilySpec family =
        load_family(std::string(GRADCERT_SOURCE_DIR) + "/verify/families/" + name + ".toml", {});
    FamilyCheckResult r = check_family(family);
    REQUIRE(r.stages.size() == expected.at("stages").size());
    for (size_t m = 0; m < r.stages.size(); ++m) {
        INFO(name << " stage " << m + 1 << ": " << r.stages[m].convexity.reason);
        CHECK(verdict_name(r.stages[m].verdict) == expected["stages"][m].get<std::string>());
        CHECK(verdict_name(r.stages[m].convexity.verdict) ==
              expected["strong_convexity"][m].get<std::string>());
    }
    CHECK(verdict_name(r.overall) == expected.at("overall").get<std::string>());
}

}  // namespace

TEST_CASE("built-in family quadratic-2d", "[verify][builtin]") {
    check_builtin("quadratic-2d");
}
TEST_CASE("built-in family rastrigin-1d-gaussian", "[verify][builtin]") {
    check_builtin("rastrigin-1d-gaussian");
}
TEST_CASE("built-in family rastrigin-1d-ball", "[verify][builtin]") {
    check_builtin("rastrigin-1d-ball");
}
TEST_CASE("built-in family double-well-tilted", "[verify][builtin]") {
    check_builtin("double-well-tilted");
}
TEST_CASE("built-in family cos-quadratic-2d", "[verify][builtin]") {
    check_builtin("cos-quadratic-2d");
}
TEST_CASE("built-in family griewank-2d", "[verify][builtin]") {
    check_builtin("griewank-2d");
}
TEST_CASE("built-in family rastrigin-50d", "[verify][builtin]") {
    check_builtin("rastrigin-50d");
}
TEST_CASE("built-in family logistic-regression", "[verify][builtin]") {
    check_builtin("logistic-regression");
}
