// Noise schedules: δ = ηC/√b, the polynomial schedule, the implicit rules of the AAAI code, the
// step schedules' δ ratios, stage counts and work counts, against Arb and exact arithmetic.
#include "theory/schedule.hpp"

#include <catch2/catch.hpp>

#include "arb_oracle.hpp"
#include "numerics/util/error.hpp"
#include "printed.hpp"

using namespace gradcert;
using namespace gradcert::theory;
using gradcert::test::Ball;

TEST_CASE("delta = eta C / sqrt(b): the paper's SGD value and square-root scaling",
          "[theory][schedule]") {
    const IntervalM eta = IntervalM::from_string("0.1");
    const IntervalM c2 = IntervalM::from_string("25.318");
    const IntervalM delta = sgd_smoothing_degree_from_variance(eta, c2, IntervalM(128));
    CHECK(gradcert::test::rounds_to(delta, "0.0445"));
    CHECK(gradcert::test::encloses(
        delta, Ball::decimal("0.1") * sqrt(Ball::decimal("25.318") / Ball(128))));
    CHECK(overlaps(delta, sgd_smoothing_degree(eta, sqrt(c2), IntervalM(128))));
    // η ∝ √b keeps δ; η ∝ b does not.
    const IntervalM sqrt_scaled =
        sgd_smoothing_degree_from_variance(eta * sqrt(IntervalM(4)), c2, IntervalM(512));
    CHECK(overlaps(sqrt_scaled, delta));
    const IntervalM linear_scaled = sgd_smoothing_degree_from_variance(eta * 4, c2, IntervalM(512));
    CHECK(certainly_gt(linear_scaled, delta));
    CHECK_THROWS_AS(sgd_smoothing_degree(eta, c2, IntervalM(0)), gradcert::InternalError);
}

TEST_CASE("polynomial schedule: the paper's gamma_1 and gamma_199 for M = 200, p = 0.9",
          "[theory][schedule]") {
    const IntervalM p = IntervalM::from_string("0.9");
    CHECK(gradcert::test::truncates_to(poly_gamma(200, 1, p), "0.99549887"));
    CHECK(gradcert::test::truncates_to(poly_gamma(200, 199, p), "0.53588673"));
    CHECK(contains(poly_gamma(200, 200, p), IntervalM(0)));
    CHECK_THROWS_AS(poly_gamma(200, 0, p), gradcert::InternalError);
    CHECK_THROWS_AS(poly_gamma(200, 201, p), gradcert::InternalError);
    for (int m : {1, 2, 50, 100, 198, 199}) {
        const Ball oracle = pow(Ball(200 - m) / Ball(201 - m), Ball::decimal("0.9"));
        INFO("m = " << m);
        CHECK(gradcert::test::encloses(poly_gamma(200, m, p), oracle));
        CHECK(gradcert::test::tighter_than(poly_gamma(200, m, p), 100));
    }
}

TEST_CASE("telescoped gammas equal the closed form delta_m / delta_1 = ((M-m+1)/M)^p",
          "[theory][schedule]") {
    for (auto [M, p_text] : {std::pair{200, "0.9"}, std::pair{50, "1"}, std::pair{17, "0.5"}}) {
        const IntervalM p = IntervalM::from_string(p_text);
        const std::vector<IntervalM> gammas = poly_gammas(M, p);
        REQUIRE(gammas.size() == static_cast<std::size_t>(M - 1));
        const std::vector<IntervalM> tele = telescoped_delta_ratios(gammas);
        REQUIRE(tele.size() == static_cast<std::size_t>(M));
        for (int m = 1; m <= M; ++m) {
            INFO("M = " << M << ", m = " << m);
            CHECK(overlaps(tele[m - 1], poly_delta_ratio(M, m, p)));
            CHECK(gradcert::test::tighter_than(tele[m - 1], 90));
        }
        CHECK(contains(poly_delta_ratio(M, M + 1, p), IntervalM(0)));
        // The smallest γ is the last one, 2^{-p}, and it is >= 1/2 for p <= 1.
        const IntervalM min_gamma = poly_min_gamma(p);
        CHECK(overlaps(min_gamma, gammas.back()));
        for (std::size_t i = 0; i + 1 < gammas.size(); ++i)
            CHECK(certainly_gt(gammas[i], gammas[i + 1]));
        CHECK(certainly_ge(min_gamma, IntervalM(0.5)));
    }
    // p = 1 exactly: δ_m/δ_1 = (M-m+1)/M.
    CHECK(contains(poly_delta_ratio(50, 11, IntervalM(1)) * 50, IntervalM(40)));
    // p > 1 breaks γ_m >= 1/2 at the last step.
    CHECK(certainly_lt(poly_min_gamma(IntervalM::from_string("1.1")), IntervalM(0.5)));
}

TEST_CASE("implicit rules: lr_poly gives sqrt(gamma), batch_poly gives gamma^(balance/2)",
          "[theory][schedule]") {
    const IntervalM p = IntervalM::from_string("0.9");
    const int M = 200;
    for (int m : {1, 37, 150, 199}) {
        const IntervalM gamma = poly_gamma(M, m, p);
        const IntervalM lr = lr_poly_factor(M, m, p);
        CHECK(overlaps(sgd_delta_ratio(lr, IntervalM(1)), sqrt(gamma)));
        const IntervalM b2 = batch_poly_factor(M, m, p, IntervalM(2));
        CHECK(overlaps(sgd_delta_ratio(IntervalM(1), b2), gamma));
        // lr_poly together with batch_poly(balance 1) shrinks δ by exactly γ.
        const IntervalM b1 = batch_poly_factor(M, m, p, IntervalM(1));
        CHECK(overlaps(sgd_delta_ratio(lr, b1), gamma));
        // lr-batch-poly: the η factor making δ shrink by γ for any batch factor.
        const IntervalM any_b = batch_poly_factor(M, m, p, IntervalM::from_string("1.335"));
        CHECK(overlaps(sgd_delta_ratio(lr_batch_poly_lr_factor(gamma, any_b), any_b), gamma));
    }
    CHECK_THROWS_AS(batch_poly_factor(M, M, p, IntervalM(1)), gradcert::InternalError);
}

TEST_CASE("step schedules: exact factors give 1/sqrt(2); the code's literals miss it by a little",
          "[theory][schedule]") {
    const IntervalM target = inverse_sqrt2();
    for (StepSchedule s :
         {StepSchedule::lr_decay, StepSchedule::batch_growth, StepSchedule::hybrid})
        CHECK(overlaps(step_delta_ratio(step_factors(s, StepLiteral::exact)), target));
    const Ball oracle_target = Ball(1) / sqrt(Ball(2));
    struct Case {
        StepSchedule s;
        StepLiteral v;
        const char* literal;
    };
    for (const Case c :
         {Case{StepSchedule::lr_decay, StepLiteral::literal15, "0.707106781186548"},
          Case{StepSchedule::lr_decay, StepLiteral::literal17, "0.7071067811865476"},
          Case{StepSchedule::hybrid, StepLiteral::literal15, "0.866025403784439"},
          Case{StepSchedule::hybrid, StepLiteral::literal17, "0.8660254037844386"}}) {
        const bool hybrid = c.s == StepSchedule::hybrid;
        const Ball scale = hybrid ? sqrt(Ball(3) / Ball(2)) : Ball(1);
        const IntervalM ratio = step_delta_ratio(step_factors(c.s, c.v));
        const Ball binary = Ball::from_double(std::stod(c.literal)) / scale;
        INFO(c.literal);
        CHECK(gradcert::test::encloses(ratio, binary));
        CHECK(gradcert::test::encloses(ratio - target, binary - oracle_target));
        const IntervalM decimal_ratio = step_delta_ratio(step_factors_decimal_value(c.s, c.v));
        CHECK(gradcert::test::encloses(decimal_ratio, Ball::decimal(c.literal) / scale));
        // Neither literal is exactly 1/√2 after scaling.
        CHECK(!overlaps(ratio, target));
    }
    // The 15-digit lr literal's binary64 value exceeds 1/√2 by 4.92e-16; the 17-digit one's
    // binary64 value is the double nearest 1/√2 (error below half an ulp, 2^-54).
    const IntervalM e15 =
        step_delta_ratio(step_factors(StepSchedule::lr_decay, StepLiteral::literal15)) - target;
    CHECK(certainly_gt(e15, IntervalM(4.9e-16)));
    CHECK(certainly_lt(e15, IntervalM(5.0e-16)));
    const IntervalM e17 =
        step_delta_ratio(step_factors(StepSchedule::lr_decay, StepLiteral::literal17)) - target;
    CHECK(certainly_lt(abs(e17), pow(IntervalM(2), -54)));
}

TEST_CASE("code batch sizes: int(b * factor) as Python computes it", "[theory][schedule]") {
    CHECK(code_batch_sizes(32, 1.5, 4) == std::vector<long>{32, 48, 72, 108, 162});
    CHECK(code_batch_sizes(32, 2.0, 4) == std::vector<long>{32, 64, 128, 256, 512});
    CHECK(code_batch_sizes(33, 1.5, 2) == std::vector<long>{33, 49, 73});
    CHECK_THROWS_AS(code_batch_sizes(0, 2.0, 1), gradcert::InternalError);
}

TEST_CASE("stage count M(eps, p) = ceil(eps^(-1/p))", "[theory][schedule]") {
    const auto count = [](int inv_eps, const char* p) {
        return stage_count(IntervalM(inv_eps), IntervalM::from_string(p));
    };
    CHECK(count(100, "1").lo == 100);
    CHECK(count(100, "1").decided());
    CHECK(count(100, "0.5").lo == 10000);
    CHECK(count(100, "0.5").decided());
    CHECK(count(10, "1").lo == 10);
    // 1000^(1/0.9) = 10^(10/3) = 2154.43…: M = 2155.
    const StageCount s = count(1000, "0.9");
    CHECK(s.decided());
    CHECK(s.lo == 2155);
    const Ball x = pow(Ball(1000), Ball(1) / Ball::decimal("0.9"));
    CHECK(gradcert::test::encloses(IntervalM(2154, 2155), x));
    CHECK_THROWS_AS(count(1, "1"), gradcert::InternalError);
}

TEST_CASE("work count W(M, p) = M^(2p) sum k^(-2p) and its regimes", "[theory][schedule]") {
    for (auto [M, p_text] : {std::pair{50, "1"}, std::pair{200, "0.9"}, std::pair{200, "0.5"},
                             std::pair{200, "0.25"}}) {
        Ball sum(0);
        const Ball p = Ball::decimal(p_text);
        for (int k = 1; k <= M; ++k) sum = sum + pow(Ball(k), Ball(0) - Ball(2) * p);
        const Ball oracle = pow(Ball(M), Ball(2) * p) * sum;
        const IntervalM w = work_count(M, IntervalM::from_string(p_text));
        INFO(gradcert::test::describe(w, oracle));
        CHECK(gradcert::test::encloses(w, oracle));
    }
    // p = 1/2: W = M H_M; p = 1: W = M^2 H^{(2)}_M.
    IntervalM harmonic(0);
    for (int k = 1; k <= 10; ++k) harmonic += IntervalM(1) / k;
    CHECK(overlaps(work_count(10, IntervalM(0.5)), harmonic * 10));
    CHECK(work_regime(IntervalM(0.5)) == WorkRegime::m_log_m);
    CHECK(work_regime(IntervalM::from_string("0.9")) == WorkRegime::inverse_eps_squared);
    CHECK(work_regime(IntervalM(1)) == WorkRegime::inverse_eps_squared);
    CHECK(work_regime(IntervalM::from_string("0.25")) == WorkRegime::linear);
    CHECK(work_regime(IntervalM::from_string("1.5")) == WorkRegime::outside);
    CHECK(work_regime(IntervalM::from_string("[0.4, 0.6]")) == WorkRegime::undecided);
    // The regimes are visible in the numbers: W/M^(2p) stays bounded for p = 0.9 (-> zeta(1.8)
    // = 1.8822…), W/M -> 1/(1-2p) = 2 for p = 1/4.
    const IntervalM p9 = IntervalM::from_string("0.9");
    CHECK(certainly_lt(work_count(2000, p9) / pow(IntervalM(2000), 2 * p9), IntervalM(1.8823)));
    CHECK(certainly_gt(work_count(2000, p9) / pow(IntervalM(2000), 2 * p9), IntervalM(1.85)));
    const IntervalM q = IntervalM::from_string("0.25");
    CHECK(certainly_lt(abs(work_count(4000, q) / 4000 - 2), IntervalM(0.05)));
}
