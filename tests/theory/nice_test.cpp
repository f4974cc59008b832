// Niceness definitions as data, the sufficient centering bound, the start-radius invariant and
// Hazan's GradOpt constants.
#include "theory/nice.hpp"

#include <catch2/catch.hpp>

#include "numerics/util/error.hpp"
#include "printed.hpp"

using namespace gradcert;
using namespace gradcert::theory;

TEST_CASE("names round-trip; unknown names are input errors", "[theory][nice]") {
    for (Definition d :
         {Definition::sigma_nice, Definition::new_sigma_nice, Definition::sigma_m_nice}) {
        CHECK(parse_definition(definition_name(d)) == d);
        CHECK(!definition_statement(d).empty());
    }
    for (Centering c : {Centering::next, Centering::gap, Centering::both})
        CHECK(parse_centering(centering_name(c)) == c);
    CHECK(centering_name(Centering::both) == "both");
    CHECK_THROWS_AS(parse_definition("nice"), InputError);
    CHECK_THROWS_AS(parse_centering("all"), InputError);
}

TEST_CASE("centering 'both' stands for next and gap and has no single radius", "[theory][nice]") {
    CHECK(centering_variants(Centering::both) ==
          std::vector<Centering>{Centering::next, Centering::gap});
    CHECK(centering_variants(Centering::gap) == std::vector<Centering>{Centering::gap});
    const IntervalM one(1), half = IntervalM(1) / 2;
    CHECK_THROWS_AS(centering_radius(Centering::both, one, half), gradcert::InternalError);
    CHECK_THROWS_AS(start_radius_factor(Centering::both, half), gradcert::InternalError);
    CHECK_THROWS_AS(stage_conditions(Definition::new_sigma_nice, Centering::both, {one, half}),
                    gradcert::InternalError);
    // σ-nice has no R_m: any centering is accepted and ignored.
    CHECK(stage_conditions(Definition::sigma_nice, Centering::both, {one, half}, {one}).size() ==
          2);
}

TEST_CASE("invariant: rho_m <= 3/2 <=> gamma_m >= 1/2 on a grid, both centerings",
          "[theory][nice]") {
    const IntervalM limit = start_radius_limit();
    for (int k = 1; k < 1000; ++k) {
        const IntervalM gamma = IntervalM(k) / 1000;
        for (Centering c : {Centering::next, Centering::gap}) {
            const IntervalM rho = start_radius_factor(c, gamma);
            INFO("gamma = " << k << "/1000, centering " << centering_name(c) << ", rho " << rho);
            if (k > 500) CHECK(certainly_lt(rho, limit));
            if (k < 500) CHECK(certainly_gt(rho, limit));
            if (k == 500) CHECK(contains(rho, limit));
        }
    }
    // Exactly at 1/2 both radii are exactly 3/2 and both centerings give Hazan's δ_m/2.
    const IntervalM half = gamma_threshold();
    CHECK(contains(start_radius_factor(Centering::next, half), limit));
    CHECK(contains(start_radius_factor(Centering::gap, half), limit));
    const IntervalM delta(3);
    CHECK(contains(centering_radius(Centering::next, delta, delta * half), IntervalM(1.5)));
    CHECK(contains(centering_radius(Centering::gap, delta, delta * half), IntervalM(1.5)));
    CHECK(contains(hazan_centering_radius(delta), IntervalM(1.5)));
    CHECK(contains(convexity_radius(delta), IntervalM(9)));
    // The formulas themselves: ρ = 1/(4γ) + 1 and (5/4 − γ)/γ at γ = 0.8.
    const IntervalM g = IntervalM::from_string("0.8");
    CHECK(overlaps(start_radius_factor(Centering::next, g), IntervalM::from_string("1.3125")));
    CHECK(overlaps(start_radius_factor(Centering::gap, g), IntervalM::from_string("0.5625")));
    CHECK_THROWS_AS(start_radius_factor(Centering::next, IntervalM(0)), gradcert::InternalError);
}

TEST_CASE("centering shift bound 2 sqrt(L E|u| (delta_m - delta_{m+1}) / sigma)",
          "[theory][nice]") {
    const IntervalM b = centering_shift_bound(IntervalM(2), IntervalM(0.5), IntervalM(1),
                                              IntervalM(0.5), IntervalM(2));
    CHECK(contains(b, IntervalM(1)));  // 2 sqrt(2·0.5·0.5/2) = 2·0.5
    CHECK(contains(
        centering_shift_bound(IntervalM(3), IntervalM(1), IntervalM(1), IntervalM(1), IntervalM(1)),
        IntervalM(0)));
    CHECK_THROWS_AS(
        centering_shift_bound(IntervalM(1), IntervalM(1), IntervalM(1), IntervalM(2), IntervalM(1)),
        gradcert::InternalError);
    CHECK_THROWS_AS(
        centering_shift_bound(IntervalM(1), IntervalM(1), IntervalM(2), IntervalM(1), IntervalM(0)),
        gradcert::InternalError);
}

TEST_CASE("stage conditions per definition", "[theory][nice]") {
    const std::vector<IntervalM> deltas = {IntervalM(1), IntervalM(0.75), IntervalM(0.5)};
    const auto hazan =
        stage_conditions(Definition::sigma_nice, Centering::next, deltas, {IntervalM(2)});
    REQUIRE(hazan.size() == 3);
    CHECK(contains(*hazan[2].partner, IntervalM(0.25)));
    CHECK(contains(*hazan[2].centering, IntervalM(0.25)));
    CHECK(contains(*hazan[0].sigma, IntervalM(2)));
    const auto next = stage_conditions(Definition::new_sigma_nice, Centering::next, deltas);
    CHECK(contains(*next[0].partner, IntervalM(0.75)));
    CHECK(contains(*next[0].centering, IntervalM(0.75)));
    CHECK(!next[2].partner.has_value());
    CHECK(!next[2].centering.has_value());
    CHECK(!next[0].sigma.has_value());
    CHECK(contains(next[1].convexity_ball, IntervalM(2.25)));
    const auto gap = stage_conditions(Definition::new_sigma_nice, Centering::gap, deltas);
    CHECK(contains(*gap[0].centering, IntervalM(0.25)));
    const auto sm = stage_conditions(Definition::sigma_m_nice, Centering::gap, deltas,
                                     {IntervalM(1), IntervalM(2), IntervalM(3)});
    CHECK(contains(*sm[1].sigma, IntervalM(2)));
    CHECK_THROWS_AS(stage_conditions(Definition::new_sigma_nice, Centering::gap, deltas,
                                     {IntervalM(1), IntervalM(2), IntervalM(3)}),
                    gradcert::InternalError);
    CHECK_THROWS_AS(
        stage_conditions(Definition::new_sigma_nice, Centering::gap, {IntervalM(1), IntervalM(1)}),
        gradcert::InternalError);
}

TEST_CASE("Hazan GradOpt schedule: delta_1 = diam/2, halving, M = log2(1/(alpha0 eps))",
          "[theory][nice]") {
    // α_0 ε = 1/1000: log2(1000) = 9.97 → ceil 10, floor 9.
    const IntervalM eps = IntervalM(1) / 1000;
    const GradOptSchedule up = hazan_gradopt_schedule(IntervalM(4), IntervalM(1), eps, IntervalM(2),
                                                      GradOptRounding::ceil);
    CHECK(up.stages.decided());
    CHECK(up.stages.lo == 10);
    REQUIRE(up.deltas.size() == 10);
    CHECK(contains(up.delta1, IntervalM(2)));
    CHECK(contains(up.deltas[3], IntervalM(0.25)));
    CHECK(contains(up.accuracies[0], IntervalM(0.25)));  // σδ²/32 = 2·4/32
    CHECK(contains(up.domain_radii[1], IntervalM(1.5)));
    const GradOptSchedule down = hazan_gradopt_schedule(IntervalM(4), IntervalM(1), eps,
                                                        IntervalM(2), GradOptRounding::floor);
    CHECK(down.stages.lo == 9);
    // Exact powers of two: α_0 ε = 1/1024 gives M = 10 in both roundings.
    const IntervalM eps2 = IntervalM(1) / 1024;
    CHECK(hazan_gradopt_schedule(IntervalM(1), IntervalM(1), eps2, IntervalM(1),
                                 GradOptRounding::ceil)
              .stages.lo == 10);
    CHECK(hazan_gradopt_schedule(IntervalM(1), IntervalM(1), eps2, IntervalM(1),
                                 GradOptRounding::floor)
              .stages.lo == 10);
    CHECK(overlaps(hazan_inner_step(IntervalM(2), 5), IntervalM::from_string("0.1")));
    CHECK_THROWS_AS(hazan_gradopt_schedule(IntervalM(1), IntervalM(2), IntervalM(1), IntervalM(1),
                                           GradOptRounding::ceil),
                    gradcert::InternalError);
}
