// Verdicts of `gradcert check` against the mathematics of docs/mathematics.md §4 (exact thresholds,
// closed-form minimizers and curvature), and soundness of every enclosure reported.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "verify/family_check.hpp"
#include "verify/family_file.hpp"

using namespace gradcert;
using namespace gradcert::verify;

namespace {

std::filesystem::path write_family(const std::string& name, const std::string& body) {
    auto dir = std::filesystem::temp_directory_path() / "gradcert-check-tests";
    std::filesystem::create_directories(dir);
    auto path = dir / (name + ".toml");
    std::ofstream(path) << body;
    return path;
}

FamilyCheckResult check_text(const std::string& name, const std::string& body) {
    return check_family(load_family(write_family(name, body), {}));
}

std::string rastrigin(const std::string& deltas, const std::string& check) {
    return "name = \"r\"\ndim = 1\nf = \"x^2 - 10*cos(2*pi*x) + 10\"\ndomain = [[-5.12, 5.12]]\n"
           "[smoothing]\nkernel = \"gaussian\"\n[schedule]\ndeltas = " +
           deltas + "\n[check]\n" + check;
}

// f̂_δ''(x) = 2 + 40π² e^{−2π²δ²} cos(2πx) for the 1-D Rastrigin under u ~ N(0, 1)
// (docs/mathematics.md §4), enclosed with intervals so that the comparison with certified bounds is
// itself rigorous.
IntervalM rastrigin_curvature(const IntervalM& delta, const IntervalM& x) {
    const IntervalM pi = IntervalM::pi();
    return IntervalM(2) + IntervalM(40) * sqr(pi) * exp(IntervalM(-2) * sqr(pi) * sqr(delta)) *
                              cos(IntervalM(2) * pi * x);
}

}  // namespace

TEST_CASE("1-D Rastrigin, gaussian kernel: σ = 2 holds exactly for δ ≤ 1/12", "[verify][check]") {
    auto r = check_text(
        "r2", rastrigin("[0.0834, 0.0833, 0.05]",
                        "definition = \"new-sigma-nice\"\nsigma = 2.0\ncentering = \"both\"\n"));
    REQUIRE(r.stages.size() == 3);
    CHECK(r.stages[0].convexity.verdict == Verdict::fails);
    CHECK(r.stages[1].convexity.verdict == Verdict::holds);
    CHECK(r.stages[2].convexity.verdict == Verdict::holds);
    for (const auto& s : r.stages) {
        REQUIRE(s.minimizers.clusters.size() == 1);
        CHECK(contains(s.minimizers.clusters[0].box[0], Mpfr(0)));
        CHECK(s.minimizers.clusters[0].unique_stationary);
        // cos(2πx) decreases on [0, 1/2] and 3δ ≤ 1/2: the minimum over B(0; 3δ) is at x = 3δ.
        IntervalM true_min = rastrigin_curvature(s.delta, IntervalM(3) * s.delta);
        CHECK(s.certified_sigma <= true_min.upper_double());
        if (s.witness_sigma) CHECK(*s.witness_sigma >= true_min.lower_double());
    }
    CHECK(r.overall == Verdict::fails);
}

TEST_CASE("1-D Rastrigin, gaussian kernel: convex on the 3δ ball iff δ ∉ (0.08364, 0.51745)",
          "[verify][check]") {
    auto r =
        check_text("rconv", rastrigin("[0.5175, 0.5174, 0.0837, 0.0836]",
                                      "definition = \"sigma-m-nice\"\ncentering = \"both\"\n"));
    REQUIRE(r.stages.size() == 4);
    CHECK(r.stages[0].convexity.verdict == Verdict::holds);
    CHECK(r.stages[1].convexity.verdict == Verdict::fails);
    CHECK(r.stages[2].convexity.verdict == Verdict::fails);
    CHECK(r.stages[3].convexity.verdict == Verdict::holds);
}

TEST_CASE("strongly convex quadratic: exact minimizer enclosed, σ = λ_min(A) bracketed",
          "[verify][check]") {
    // A = [[3,1],[1,2]], b = (1, −1): x* = −A⁻¹b = (−0.6, 0.8), λ_min(A) = (5 − √5)/2.
    const double lambda = (5 - std::sqrt(5.0)) / 2;
    std::string head =
        "name = \"q\"\ndim = 2\nf = \"1.5*x1^2 + x1*x2 + x2^2 + x1 - x2\"\n"
        "domain = [[-3, 3], [-3, 3]]\n[smoothing]\nkernel = \"gaussian-unit\"\n"
        "[schedule]\ndeltas = [0.5, 0.25]\n[check]\ndefinition = \"new-sigma-nice\"\n";
    auto below = check_text("qb", head + "sigma = 1.38\ncentering = \"next\"\n");
    for (const auto& s : below.stages) {
        REQUIRE(s.minimizers.clusters.size() == 1);
        CHECK(s.minimizers.clusters[0].box[0].lower_double() <= -0.6);
        CHECK(s.minimizers.clusters[0].box[0].upper_double() >= -0.6);
        CHECK(s.minimizers.clusters[0].box[1].lower_double() <= 0.8);
        CHECK(s.minimizers.clusters[0].box[1].upper_double() >= 0.8);
        CHECK(s.certified_sigma <= lambda);
        CHECK(s.convexity.verdict == Verdict::holds);
    }
    auto above = check_text("qa", head + "sigma = 1.3820\ncentering = \"next\"\n");
    for (const auto& s : above.stages) CHECK(s.convexity.verdict != Verdict::holds);
}

TEST_CASE("tilted double well: the minimizer jumps wells, so centering fails", "[verify][check]") {
    auto r =
        check_text("dw",
                   "name = \"dw\"\ndim = 1\nf = \"(x^2 - 1)^2 + 0.3*x\"\ndomain = [[-2, 2]]\n"
                   "[smoothing]\nkernel = \"gaussian\"\n[schedule]\ndeltas = [0.6, 0.3, 0.15]\n"
                   "[check]\ndefinition = \"sigma-m-nice\"\ncentering = \"both\"\n");
    // Without smoothing the global minimizer is in the left well (x ≈ −1.04); the tilt makes
    // every stage's minimizer negative, and the heavily smoothed one sits near 0.
    bool some_centering_fails = false;
    for (const auto& s : r.stages) {
        REQUIRE(s.minimizers.clusters.size() == 1);
        CHECK(s.minimizers.clusters[0].box[0].upper_double() < 0);
        for (const auto& c : s.centering)
            some_centering_fails |= c.finding.verdict == Verdict::fails;
    }
    CHECK(some_centering_fails);
    CHECK(r.overall == Verdict::fails);
}
