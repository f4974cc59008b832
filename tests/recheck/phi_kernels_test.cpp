// The checker's own φ-kernel formulas (verify/recheck/phi_kernels.hpp: Arb's ₀F₁ and Bessel K,
// Gamma-function moments) against mpmath quadrature of the kernels' densities
// (tests/theory/data/kernel_laws_reference.txt, the same ground truth gradcert's closed forms
// meet), and the refusals: the checker never evaluates a moment or MGF that does not exist.
#include "verify/recheck/phi_kernels.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace gradcert::recheck;

namespace {

KernelLaw law(const std::string& name, const std::string& param) {
    if (name == "uniform-cube") return KernelLaw(Kernel::uniform_cube);
    if (name == "laplace") return KernelLaw(Kernel::laplace);
    KernelLaw k(name == "student-t" ? Kernel::student_t : Kernel::stable);
    if (k.kind == Kernel::student_t) k.nu = std::stol(param);
    if (k.kind == Kernel::stable) k.alpha = parse_decimal_exact(param, "alpha");
    return k;
}

Ball decimal_ball(const std::string& text) {
    return ball(parse_decimal_exact(text, "reference"));
}

// |x − ref| <= 1e-25·max(1, |ref|) + rad(x), and x is narrow.
bool agrees(const Ball& x, const std::string& reference) {
    Ball ref = decimal_ball(reference), diff, tol;
    arb_sub(diff.p(), x.p(), ref.p(), prec());
    arb_abs(diff.p(), diff.p());
    arb_abs(tol.p(), ref.p());
    arb_max(tol.p(), tol.p(), Ball(1).p(), prec());
    arb_mul(tol.p(), tol.p(), decimal_ball("1e-25").p(), prec());
    Ball slack;
    arb_sub(slack.p(), tol.p(), diff.p(), prec());
    return !arb_is_negative(slack.p()) && arb_rel_accuracy_bits(x.p()) > 80;
}

}  // namespace

TEST_CASE("checker φ, MGF and moments of the φ kernels agree with mpmath", "[recheck][phi]") {
    prec() = 256;
    std::ifstream in(GRADCERT_SOURCE_DIR "/tests/theory/data/kernel_laws_reference.txt");
    REQUIRE(in);
    std::string line;
    int checked = 0;
    while (std::getline(in, line)) {
        std::istringstream s(line);
        std::vector<std::string> f;
        for (std::string w; s >> w;) f.push_back(w);
        if (f.size() != 5) continue;  // cf / mgf / moment rows: quantity kernel param arg value
        const KernelLaw k = law(f[1], f[2]);
        INFO(line);
        if (f[0] == "cf" || f[0] == "mgf") {
            if (f[3] == "0") continue;
            const Ball x =
                phi_ridge_factor(k, f[0] == "cf" ? Ridge::cos : Ridge::exp, {decimal_ball(f[3])});
            if (std::stod(f[4]) == 0.0) continue;  // mpmath underflow rows
            CHECK(agrees(x, f[4]));
            ++checked;
        } else if (f[0] == "moment") {
            CHECK(agrees(phi_moment(k, {std::stoi(f[3])}), f[4]));
            ++checked;
        }
    }
    CHECK(checked > 90);
}

TEST_CASE("the checker refuses what does not exist", "[recheck][phi]") {
    prec() = 128;
    const KernelLaw cauchy = law("student-t", "1");
    CHECK_FALSE(has_moment(cauchy, 1));
    CHECK(has_moment(law("student-t", "3"), 2));
    CHECK_FALSE(has_moment(law("student-t", "3"), 3));
    CHECK_FALSE(has_moment(law("stable", "1.5"), 2));
    CHECK(has_moment(law("stable", "1.5"), 1));
    CHECK(has_moment(law("stable", "2"), 6));
    CHECK_THROWS_AS(phi_moment(cauchy, {2}), NotSupported);
    CHECK_THROWS_AS(phi_ridge_factor(cauchy, Ridge::exp, {decimal_ball("0.1")}), NotSupported);
    CHECK_THROWS_AS(phi_ridge_factor(law("laplace", "0"), Ridge::exp, {decimal_ball("1")}),
                    NotSupported);
    CHECK_THROWS_AS(phi_ridge_factor(law("stable", "1.9"), Ridge::exp, {decimal_ball("0.1")}),
                    NotSupported);
}
