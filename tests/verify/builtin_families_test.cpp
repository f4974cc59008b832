// Every built-in family's verdicts, stage by stage, match the committed expectations
// (verify/families/expected-verdicts.json), whose derivations are in each family file's header.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "theory/smoothed_function.hpp"
#include "verify/family_check.hpp"
#include "verify/family_file.hpp"

using namespace gradcert::verify;

namespace {

nlohmann::json expectations() {
    std::ifstream in(std::string(GRADCERT_SOURCE_DIR) + "/verify/families/expected-verdicts.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

FamilyCheckResult check_builtin(const std::string& name) {
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
    return r;
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

// The families under the kernels given by φ and moments (theory/kernel_laws.hpp): verdicts as
// committed, and per stage the certified λ_min bound and the enclosure of f̂_δ(0.3) against
// mpmath quadrature of the kernel's density (tests/verify/data/phi_families_truth.json, written
// by tests/verify/make_phi_families_truth.py).
namespace {

void check_phi_family(const std::string& name) {
    check_builtin(name);
    std::ifstream in(std::string(GRADCERT_SOURCE_DIR) +
                     "/tests/verify/data/phi_families_truth.json");
    REQUIRE(in);
    const nlohmann::json truth = nlohmann::json::parse(in).at(name);
    FamilySpec family =
        load_family(std::string(GRADCERT_SOURCE_DIR) + "/verify/families/" + name + ".toml", {});
    FamilyCheckResult r = check_family(family);
    REQUIRE(r.stages.size() == truth.size());
    gradcert::PrecisionScope precision(family.precision_bits);
    for (size_t m = 0; m < r.stages.size(); ++m) {
        const double lambda = std::stod(truth[m].at("lambda_min").get<std::string>());
        const double scale = std::max(1.0, std::abs(lambda));
        INFO(name << " stage " << m + 1 << ": certified λ_min >= " << r.stages[m].certified_sigma
                  << ", mpmath " << lambda);
        CHECK(r.stages[m].certified_sigma <= lambda + 1e-9 * scale);  // sound
        CHECK(r.stages[m].certified_sigma >= lambda - 1e-3 * scale);  // and tight
        const gradcert::theory::SmoothedFunction s(family.decomposition, family_kernel(family),
                                                   family.deltas[m]);
        gradcert::VectorI<gradcert::Mpfr> x(1);
        x[0] = gradcert::IntervalM::from_string("0.3");
        const gradcert::IntervalM value = s.value(x);
        const gradcert::IntervalM ref =
            gradcert::IntervalM::from_string(truth[m].at("value_at_0.3").get<std::string>());
        INFO("f̂_δ(0.3) in " << value << ", mpmath " << ref);
        CHECK(overlaps(value + gradcert::IntervalM::from_string("[-1e-20, 1e-20]"), ref));
        CHECK(value.width().convert_to<double>() < 1e-20);
    }
}

}  // namespace

TEST_CASE("built-in family rastrigin-1d-cube", "[verify][builtin][phi-kernel]") {
    check_phi_family("rastrigin-1d-cube");
}
TEST_CASE("built-in family rastrigin-1d-laplace", "[verify][builtin][phi-kernel]") {
    check_phi_family("rastrigin-1d-laplace");
}
TEST_CASE("built-in family rastrigin-1d-student3", "[verify][builtin][phi-kernel]") {
    check_phi_family("rastrigin-1d-student3");
}
TEST_CASE("built-in family coswell-1d-cauchy", "[verify][builtin][phi-kernel]") {
    check_phi_family("coswell-1d-cauchy");
}
TEST_CASE("built-in family coswell-1d-stable15", "[verify][builtin][phi-kernel]") {
    check_phi_family("coswell-1d-stable15");
}

// The families smoothed by verified cubature (issue 11): verdicts as committed, and per stage the
// certified λ_min bound against mpmath (tests/theory/data/cubature_reference.json, written by
// tests/theory/make_cubature_reference.py): never above it (sound), and close to it.
namespace {

void check_cubature_family(const std::string& name, double tightness) {
    const FamilyCheckResult r = check_builtin(name);
    std::ifstream in(std::string(GRADCERT_SOURCE_DIR) +
                     "/tests/theory/data/cubature_reference.json");
    REQUIRE(in);
    const nlohmann::json truth = nlohmann::json::parse(in).at("stages").at(name);
    REQUIRE(r.stages.size() == truth.size());
    for (size_t m = 0; m < r.stages.size(); ++m) {
        const double lambda = std::stod(truth[m].at("lambda_min").get<std::string>());
        const double scale = std::max(1.0, std::abs(lambda));
        std::printf(
            "%s stage %zu δ = %s: %s, certified λ_min >= %.6g, witness <= %.6g, mpmath "
            "%.6g, %.2f s\n",
            name.c_str(), m + 1, truth[m].at("delta").get<std::string>().c_str(),
            std::string(verdict_name(r.stages[m].verdict)).c_str(), r.stages[m].certified_sigma,
            r.stages[m].witness_sigma.value_or(NAN), lambda, r.stages[m].seconds);
        INFO(name << " stage " << m + 1 << ": certified λ_min >= " << r.stages[m].certified_sigma
                  << ", mpmath " << lambda);
        CHECK(r.stages[m].certified_sigma <= lambda + 1e-9 * scale);  // sound
        if (r.stages[m].witness_sigma) CHECK(*r.stages[m].witness_sigma >= lambda - 1e-9 * scale);
        CHECK(r.stages[m].certified_sigma >= lambda - tightness * scale);  // and tight
    }
    std::printf("%s: %.2f s in all\n", name.c_str(), r.seconds);
}

}  // namespace

TEST_CASE("built-in family dropwave-1d-gaussian", "[.][verify][builtin][cubature]") {
    check_cubature_family("dropwave-1d-gaussian", 0.05);
}
TEST_CASE("built-in family schwefel-1d-gaussian", "[.][verify][builtin][cubature]") {
    check_cubature_family("schwefel-1d-gaussian", 0.05);
}
