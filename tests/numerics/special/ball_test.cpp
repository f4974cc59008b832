// Λ_d(s) = ₀F₁(; d/2+1; −s²/4) and ₀F₁(; d/2+1; +s²/4): containment of Arb's values (computed
// independently at 4× precision with accuracy checks), agreement with the closed forms for
// d = 1, 3, widths at 128 bits, wide arguments, derivatives.
#include "numerics/special/ball.hpp"

#include <catch2/catch.hpp>

#include "numerics/util/error.hpp"
#include "tests/numerics/special/arb_oracle.hpp"

using namespace gradcert;

namespace {

const std::vector<int> kDims = {1, 2, 3, 4, 5, 7, 10, 20, 51};
const std::vector<double> kArguments = {0.0,  1e-3, 0.5,  1.0,   2.5,   5.0,   7.0156, 10.0,
                                        17.3, 31.0, 50.0, 77.75, 100.0, 150.0, 199.9,  200.0};

// Λ_d(s) for 1 <= d is at most 1 in modulus: absolute width target 2^-118 at 128 bits.
const Mpfr kAbsoluteWidth = Mpfr(1) / (Mpfr(2) * Mpfr(1ULL << 58) * Mpfr(1ULL << 59));

}  // namespace

TEST_CASE("ball characteristic contains Arb's 0F1 and is 128-bit tight", "[special]") {
    for (int d : kDims)
        for (double s : kArguments) {
            INFO("d = " << d << ", s = " << s);
            const IntervalM ours = ball_characteristic(d, IntervalM(s));
            const IntervalM arb = test::arb_hyp0f1_ball(d, s, -1, 256);
            CHECK(contains(ours, arb));
            CHECK(ours.width() < kAbsoluteWidth);
            CHECK(precision_bits(ours.lower()) == 128);
        }
}

TEST_CASE("exponential ball 0F1 contains Arb's value with relative width 2^-118", "[special]") {
    for (int d : kDims)
        for (double s : kArguments) {
            INFO("d = " << d << ", s = " << s);
            const IntervalM ours = hyp0f1_ball_exp(d, IntervalM(s));
            const IntervalM arb = test::arb_hyp0f1_ball(d, s, +1, 256);
            CHECK(contains(ours, arb));
            CHECK(ours.width() < kAbsoluteWidth * ours.lower());
        }
}

TEST_CASE("ball characteristic matches the closed forms for d = 1 and d = 3", "[special]") {
    for (double v : kArguments) {
        if (v == 0.0) continue;
        const IntervalM s(v);
        INFO("s = " << v);
        // Λ_1 = sin s / s, Λ_3 = 3 (sin s − s cos s)/s³; E_1 = sinh s / s, E_3 = 3(s cosh s − sinh
        // s)/s³.
        CHECK(overlaps(ball_characteristic(1, s), sin(s) / s));
        CHECK(overlaps(ball_characteristic(3, s), 3 * (sin(s) - s * cos(s)) / pow(s, 3)));
        const IntervalM sinh_s = (exp(s) - exp(-s)) / 2, cosh_s = (exp(s) + exp(-s)) / 2;
        CHECK(overlaps(hyp0f1_ball_exp(1, s), sinh_s / s));
        if (v >= 0.5) CHECK(overlaps(hyp0f1_ball_exp(3, s), 3 * (s * cosh_s - sinh_s) / pow(s, 3)));
    }
}

TEST_CASE("ball characteristic at higher working precision narrows accordingly", "[special]") {
    PrecisionScope scope(300);
    const IntervalM ours = ball_characteristic(4, IntervalM(50.5));
    CHECK(contains(ours, test::arb_hyp0f1_ball(4, 50.5, -1, 600)));
    CHECK(ours.width() < Mpfr(1e-85));
    CHECK(precision_bits(ours.upper()) == 300);
}

TEST_CASE("ball characteristic over wide arguments encloses every point value", "[special]") {
    for (int d : {1, 2, 5})
        for (double c : {0.0, 0.3, 5.0, 40.0}) {
            const IntervalM S(Mpfr(c), Mpfr(c + 0.25));
            const IntervalM lambda = ball_characteristic(d, S), e = hyp0f1_ball_exp(d, S);
            CHECK(lambda.width() < 0.1);
            for (int k = 0; k <= 8; ++k) {
                const IntervalM s = IntervalM(c) + IntervalM(k) / 32;
                INFO("d = " << d << ", s = " << s);
                CHECK(overlaps(lambda, ball_characteristic(d, s)));
                CHECK(overlaps(e, hyp0f1_ball_exp(d, s)));
            }
        }
    // Narrow but not a point: the mean-value form keeps the width proportional to the input.
    const IntervalM narrow(Mpfr(5), Mpfr(5) + Mpfr(1e-20));
    CHECK(ball_characteristic(3, narrow).width() < 1e-20);
}

TEST_CASE("derivatives of the ball functions match the closed forms", "[special]") {
    for (double v : {0.25, 1.0, 3.5, 12.0, 60.0}) {
        const IntervalM s(v);
        // Λ_1' = (s cos s − sin s)/s², E_1' = (s cosh s − sinh s)/s².
        CHECK(overlaps(ball_characteristic_derivative(1, s), (s * cos(s) - sin(s)) / sqr(s)));
        const IntervalM sinh_s = (exp(s) - exp(-s)) / 2, cosh_s = (exp(s) + exp(-s)) / 2;
        CHECK(overlaps(hyp0f1_ball_exp_derivative(1, s), (s * cosh_s - sinh_s) / sqr(s)));
    }
}

TEST_CASE("double-endpoint overloads contain Arb's values", "[special]") {
    for (int d : {1, 3, 8})
        for (double s : {0.5, 9.0, 120.0}) {
            CHECK(contains(to_mpfr(ball_characteristic(d, IntervalD(s))),
                           test::arb_hyp0f1_ball(d, s, -1, 128)));
            CHECK(contains(to_mpfr(hyp0f1_ball_exp(d, IntervalD(s))),
                           test::arb_hyp0f1_ball(d, s, +1, 128)));
            CHECK(to_double(ball_characteristic(d, IntervalM(s))).width() < 1e-15);
        }
}

TEST_CASE("ball functions reject d < 1", "[special]") {
    CHECK_THROWS_AS(ball_characteristic(0, IntervalM(1)), InputError);
    CHECK_THROWS_AS(hyp0f1_ball_exp(-2, IntervalM(1)), InputError);
}

TEST_CASE("ball characteristic at huge arguments: decay bound, fast and rigorous", "[special]") {
    // Issue 16: δ = 1e5 ran for minutes, δ = 2^31 asked for 2·10^10 bits. Beyond |s| = 5000 Λ_d
    // is enclosed by Γ(d/2+1)2^{d/2}·c·|s|^{-d/2-1/3} (Landau's c); the closed forms for d = 1, 3
    // must lie inside, and the bound must be small.
    for (double v : {6000.5, 1e5, 2147483647.0}) {
        const IntervalM s(v);
        const IntervalM l1 = ball_characteristic(1, s);
        const IntervalM l3 = ball_characteristic(3, s);
        CHECK(contains(l1, sin(s) / s));
        CHECK(contains(l3, 3 * (sin(s) - s * cos(s)) / pow(s, 3)));
        CHECK(l1.upper() < 1.2 * std::pow(v, -5.0 / 6));
        CHECK(l3.upper() < 3 * std::pow(v, -11.0 / 6));
        // Wide arguments beyond the threshold, and the derivative.
        const IntervalM wide(v, 2 * v);
        CHECK(contains(ball_characteristic(1, wide), sin(IntervalM(1.5 * v)) / IntervalM(1.5 * v)));
        const IntervalM d1 = ball_characteristic_derivative(1, s);
        // d/ds sin(s)/s = cos(s)/s − sin(s)/s².
        CHECK(contains(d1, cos(s) / s - sin(s) / sqr(s)));
    }
    // The exponential counterpart grows like e^|s|: refused beyond 10^5.
    CHECK_THROWS_AS(hyp0f1_ball_exp(1, IntervalM(2e5)), InputError);
}
