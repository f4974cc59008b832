// Moments and normalising constants: exact rational values derived independently, the Taylor
// coefficients of Arb's ₀F₁, and Arb's Γ.
#include <catch2/catch.hpp>

#include "numerics/special/ball.hpp"
#include "numerics/util/error.hpp"
#include "tests/numerics/special/arb_oracle.hpp"

using namespace gradcert;

TEST_CASE("ball moments equal the hand-derived rationals", "[special]") {
    // Uniform on [−1, 1]: E[u²] = 1/3, E[u⁴] = 1/5.
    CHECK(contains(ball_moment(1, {2}), IntervalM(1) / 3));
    CHECK(contains(ball_moment(1, {4}), IntervalM(1) / 5));
    // Disk: E[x²y²] = (1/π)∫_0^1 r⁵dr ∫ cos²θ sin²θ dθ = (1/π)(1/6)(π/4) = 1/24.
    CHECK(contains(ball_moment(2, {2, 2}), IntervalM(1) / 24));
    // E[u_i²] = 1/(d + 2).
    for (int d = 1; d <= 12; ++d) CHECK(contains(ball_moment(d, {2}), IntervalM(1) / (d + 2)));
    CHECK(contains(ball_moment(3, {0, 3, 1}), IntervalM(0)));
    CHECK(ball_moment(3, {1, 0, 1}).width() == 0);
    CHECK(contains(ball_moment(4, {}), IntervalM(1)));
}

TEST_CASE("ball moments E[u_1^2k] are the Taylor coefficients of Lambda_d", "[special]") {
    // Λ_d(s) = Σ_k (−1)^k s^{2k} E[u_1^{2k}]/(2k)! and ₀F₁ gives (−s²/4)^k/((d/2+1)_k k!), so
    // E[u_1^{2k}] = (2k)!/(4^k (d/2+1)_k k!) — the rising factorial is computed here directly.
    for (int d : {1, 2, 3, 6, 11})
        for (int k = 0; k <= 8; ++k) {
            IntervalM expected(1);
            for (int j = 1; j <= 2 * k; ++j) expected *= j;
            for (int j = 0; j < k; ++j) expected /= 4 * (IntervalM(d) / 2 + 1 + j) * (j + 1);
            INFO("d = " << d << ", k = " << k);
            CHECK(overlaps(ball_moment(d, {2 * k}), expected));
            CHECK(ball_moment(d, {2 * k}).width() < 1e-36);
        }
}

TEST_CASE("gaussian moments are s^|alpha| times double factorials", "[special]") {
    const IntervalM s = IntervalM::from_string("0.7");
    CHECK(overlaps(gaussian_moment(s, {2}), sqr(s)));
    CHECK(overlaps(gaussian_moment(s, {4}), 3 * pow(s, 4)));
    CHECK(overlaps(gaussian_moment(s, {2, 4}), 3 * pow(s, 6)));
    CHECK(overlaps(gaussian_moment(s, {6, 0, 2}), 15 * pow(s, 8)));
    CHECK(contains(gaussian_moment(s, {3}), IntervalM(0)));
    CHECK_THROWS_AS(gaussian_moment(s, {-1}), InputError);
}

TEST_CASE("sine power integrals and half-integer Gamma agree with closed forms and Arb",
          "[special]") {
    const IntervalM pi = IntervalM::pi();
    CHECK(overlaps(sine_power_integral(0), pi));
    CHECK(overlaps(sine_power_integral(1), IntervalM(2)));
    CHECK(overlaps(sine_power_integral(2), pi / 2));
    CHECK(overlaps(sine_power_integral(3), IntervalM(4) / 3));
    CHECK(overlaps(sine_power_integral(4), 3 * pi / 8));
    CHECK(overlaps(sine_power_integral(5), IntervalM(16) / 15));
    for (int m = 1; m <= 41; ++m) {
        INFO("m = " << m);
        CHECK(contains(gamma_half_integer(m), test::arb_gamma_half(m, 200)));
        // ∫_0^π sin^d = √π Γ((d+1)/2)/Γ(d/2 + 1).
        CHECK(overlaps(sine_power_integral(m),
                       sqrt(pi) * gamma_half_integer(m + 1) / gamma_half_integer(m + 2)));
    }
    CHECK_THROWS_AS(gamma_half_integer(0), InputError);
    CHECK_THROWS_AS(ball_moment(2, {2, 0, 0}), InputError);
}
