// The 1-D Rastrigin example of docs/mathematics.md §4: thresholds 1/12, 0.08364, 0.51745.
#include "theory/rastrigin.hpp"

#include <catch2/catch.hpp>

#include "arb_oracle.hpp"
#include "printed.hpp"

using namespace gradcert;
using namespace gradcert::theory;
using gradcert::test::Ball;

TEST_CASE("smoothed Rastrigin curvature matches Arb", "[theory][rastrigin]") {
    for (const char* d : {"0.01", "0.1", "0.3", "1"})
        for (const char* x : {"0", "0.2", "-0.45"}) {
            const Ball pi2 = Ball::pi() * Ball::pi();
            const Ball dd = Ball::decimal(d);
            const Ball oracle = Ball(2) + Ball(40) * pi2 * exp(Ball(0) - Ball(2) * pi2 * dd * dd) *
                                              cos(Ball(2) * Ball::pi() * Ball::decimal(x));
            const IntervalM k =
                rastrigin_smoothed_curvature(IntervalM::from_string(d), IntervalM::from_string(x));
            INFO(gradcert::test::describe(k, oracle));
            CHECK(gradcert::test::encloses(k, oracle));
        }
}

TEST_CASE("curvature on B(0; 3 delta): >= 2 up to 1/12, negative on (0.08364, 0.51745)",
          "[theory][rastrigin]") {
    const IntervalM twelfth = rastrigin_curvature_two_threshold();
    CHECK(contains(rastrigin_min_curvature_on_ball(twelfth), IntervalM(2)));
    CHECK(certainly_gt(rastrigin_min_curvature_on_ball(IntervalM::from_string("0.08")),
                       IntervalM(2)));
    CHECK(certainly_lt(rastrigin_min_curvature_on_ball(IntervalM::from_string("0.084")),
                       IntervalM(2)));
    const NonconvexityInterval nc = rastrigin_nonconvexity_interval();
    CHECK(gradcert::test::rounds_to(nc.lower, "0.08364"));
    CHECK(gradcert::test::rounds_to(nc.upper, "0.51745"));
    CHECK(certainly_lt(IntervalM(nc.lower.width()), IntervalM(1e-25)));
    CHECK(certainly_positive(rastrigin_min_curvature_on_ball(IntervalM::from_string("0.0836"))));
    CHECK(certainly_negative(rastrigin_min_curvature_on_ball(IntervalM::from_string("0.0837"))));
    CHECK(certainly_negative(rastrigin_min_curvature_on_ball(IntervalM::from_string("0.3"))));
    CHECK(certainly_negative(rastrigin_min_curvature_on_ball(IntervalM::from_string("0.5174"))));
    CHECK(certainly_positive(rastrigin_min_curvature_on_ball(IntervalM::from_string("0.5175"))));
    // An interval straddling 1/6 still gives a valid (hull) enclosure.
    const IntervalM straddle = IntervalM::from_string("[0.16, 0.17]");
    CHECK(certainly_negative(rastrigin_min_curvature_on_ball(straddle)));
    // mpmath: findroot(2 + 40 pi^2 exp(-2 pi^2 d^2) cos(6 pi d), 0.0836) at 40 digits.
    CHECK(overlaps(nc.lower, IntervalM::from_string("0.0836418974481677270478731529047554809")));
}
