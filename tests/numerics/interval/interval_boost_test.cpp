// Boost.Interval with gradcert's policies (BoostInterval<T>): directed rounding really happens
// (pitfall 2), pi comes from MPFR (pitfall 3), transcendentals are MPFR-directed, and the
// conversions to and from Interval<T> are exact.
#include <catch2/catch.hpp>
#include <cfenv>

#include "numerics/interval/interval.hpp"

using namespace gradcert;
namespace bn = boost::numeric;

TEST_CASE("Boost.Interval over MPFR with gradcert policies rounds outward", "[interval][boost]") {
    PrecisionScope scope(128);
    const BoostInterval<Mpfr> one(Mpfr(1)), three(Mpfr(3));
    const BoostInterval<Mpfr> third = one / three;
    CHECK(third.lower() < third.upper());  // Boost's default policy would give a point
    CHECK(precision_bits(third.lower()) == 128);
    Mpfr lo3 = mpfr_with_precision(256), hi3 = mpfr_with_precision(256);
    mpfr_mul_ui(raw(lo3), raw(third.lower()), 3, MPFR_RNDN);
    mpfr_mul_ui(raw(hi3), raw(third.upper()), 3, MPFR_RNDN);
    CHECK(lo3 < 1);
    CHECK(hi3 > 1);
    const BoostInterval<Mpfr> c = bn::cos(BoostInterval<Mpfr>(Mpfr(100)));
    CHECK(bn::width(c) < Mpfr(1e-35));  // not [-1, 1]: pi is MPFR's, not [3, 4]
    CHECK(bn::overlap(c, cos(IntervalM(100)).boost()));
    const BoostInterval<Mpfr> e = bn::exp(one);
    CHECK(e.lower() < e.upper());
    CHECK(bn::width(e) < Mpfr(1e-37));
    CHECK(bn::interval_lib::constants::pi_lower<Mpfr>() <
          bn::interval_lib::constants::pi_upper<Mpfr>());
}

TEST_CASE("Boost.Interval over double with gradcert policies", "[interval][boost]") {
    REQUIRE(std::fegetround() == FE_TONEAREST);
    const BoostInterval<double> third = BoostInterval<double>(1.0) / BoostInterval<double>(3.0);
    CHECK(third.lower() < third.upper());
    CHECK(std::fegetround() == FE_TONEAREST);
    const BoostInterval<double> c = bn::cos(BoostInterval<double>(100.0));
    // Boost's own reduction subtracts 15 * [2 pi] in interval arithmetic: about 60 ulp wide
    // (gradcert's cos(100) is 1 ulp wide, see interval_basic_test.cpp).
    CHECK(bn::width(c) < 1e-13);
    CHECK(bn::in(0.8623188722876839, c));
    const BoostInterval<double> e = bn::exp(BoostInterval<double>(1.0));
    CHECK(e.lower() < e.upper());  // MPFR-directed, not libm
    CHECK(bn::in(2.718281828459045, e));
    CHECK_THROWS(BoostInterval<double>(2.0, 1.0));  // checking_strict
}

TEST_CASE("Interval <-> BoostInterval conversions are exact", "[interval][boost]") {
    const IntervalM x = IntervalM::from_string("[0.1, 0.7]");
    const IntervalM back(x.boost());
    CHECK(back.lower() == x.lower());
    CHECK(back.upper() == x.upper());
    const IntervalD d = IntervalD::from_string("0.3");
    CHECK(IntervalD(d.boost()).lower() == d.lower());
}
