// Unit tests of the interval value type: construction, decimal enclosure, pi, rounding mode,
// domain errors, set operations and comparisons.
#include <catch2/catch.hpp>
#include <cfenv>
#include <cmath>
#include <limits>
#include <sstream>
#include <thread>

#include "numerics/interval/interval.hpp"
#include "numerics/interval/rounding.hpp"
#include "numerics/util/error.hpp"

using namespace gradcert;

namespace {

// 1/10 as an exact MPFR rational test: 10 * x < 1 < 10 * y with exact products.
bool encloses_one_tenth(const Mpfr& lo, const Mpfr& hi) {
    mpfr_t a, b;
    mpfr_init2(a, precision_bits(lo) + 8);
    mpfr_init2(b, precision_bits(hi) + 8);
    mpfr_mul_ui(a, raw(lo), 10, MPFR_RNDN);  // exact: 4 more bits suffice
    mpfr_mul_ui(b, raw(hi), 10, MPFR_RNDN);
    const bool ok = mpfr_cmp_ui(a, 1) < 0 && mpfr_cmp_ui(b, 1) > 0;
    mpfr_clears(a, b, static_cast<mpfr_ptr>(nullptr));
    return ok;
}

}  // namespace

TEST_CASE("interval construction and accessors", "[interval]") {
    IntervalD a(1.5);
    CHECK(a.lower() == 1.5);
    CHECK(a.upper() == 1.5);
    CHECK(a.is_point());
    IntervalD b(-2.0, 3.0);
    CHECK(b.width() == 5.0);
    CHECK(b.mag() == 3.0);
    CHECK(b.mig() == 0.0);
    CHECK(contains(b, b.mid()));
    CHECK(b.rad() >= 2.5);
    CHECK(IntervalD().lower() == 0.0);
    CHECK_THROWS_AS(IntervalD(std::nan("")), gradcert::DomainError);
    CHECK_THROWS_AS(IntervalD(2.0, 1.0), gradcert::DomainError);
    CHECK_THROWS_AS(IntervalM(std::nan("")), gradcert::DomainError);
    IntervalM m(0.1);
    CHECK(precision_bits(m) == 128);
    CHECK(m.lower() == Mpfr(0.1));
    IntervalD big(std::int64_t{(1LL << 62) + 1});
    CHECK(big.lower() < big.upper());  // not representable as a double: enclosed
    CHECK(IntervalM(std::int64_t{(1LL << 62) + 1}).is_point());
}

TEST_CASE("decimal input is enclosed, not rounded", "[interval]") {
    const IntervalD d = IntervalD::from_string("0.1");
    CHECK(d.lower() < d.upper());
    CHECK(encloses_one_tenth(Mpfr(d.lower()), Mpfr(d.upper())));
    for (long bits : {64L, 128L, 256L}) {
        PrecisionScope scope(bits);
        const IntervalM m = IntervalM::from_string("0.1");
        CHECK(precision_bits(m) == bits);
        CHECK(encloses_one_tenth(m.lower(), m.upper()));
    }
    CHECK(IntervalD::from_string("0.5").is_point());
    CHECK(IntervalD::from_string(" -3 ").lower() == -3.0);
    const IntervalD tiny = IntervalD::from_string("1e-400");
    CHECK(tiny.lower() == 0.0);
    CHECK(tiny.upper() > 0.0);
    const IntervalD huge = IntervalD::from_string("1e400");
    CHECK(huge.lower() == std::numeric_limits<double>::max());
    CHECK(std::isinf(huge.upper()));
    const IntervalD pair = IntervalD::from_string("[0.1, 0.2]");
    CHECK(pair.lower() < 0.1000001);
    CHECK(pair.upper() >= 0.2);  // the double 0.2 exceeds 1/5
    CHECK_THROWS_AS(IntervalD::from_string("abc"), InputError);
    CHECK_THROWS_AS(IntervalD::from_string("0.1x"), InputError);
    CHECK_THROWS_AS(IntervalD::from_string(""), InputError);
    CHECK_THROWS_AS(IntervalD::from_string("nan"), InputError);
    CHECK_THROWS_AS(IntervalM::from_string("[2, 1]"), InputError);
}

TEST_CASE("to_string rounds outward and round-trips", "[interval]") {
    const IntervalD d = IntervalD::from_string("0.1");
    const std::string s = to_string(d, 5);
    CHECK(s == "[0.099999, 0.10001]");
    const IntervalD back = IntervalD::from_string(s);
    CHECK(subset(d, back));
    std::ostringstream os;
    os << IntervalD::entire();
    CHECK(os.str() == "[-inf, inf]");
}

TEST_CASE("pi, e and ln2 enclosures; cos(100) is tight", "[interval]") {
    const IntervalD p = IntervalD::pi();
    CHECK(p.lower() < M_PI + 1e-15);
    CHECK(p.upper() > M_PI - 1e-15);
    CHECK(p.upper() - p.lower() <= 4.5e-16);
    CHECK(contains(IntervalD::e(), M_E) == (M_E >= IntervalD::e().lower()));
    CHECK(IntervalD::e().width() < 1e-15);
    CHECK(IntervalD::ln2().width() < 1e-15);
    const IntervalD c = cos(IntervalD(100.0));
    CHECK(c.width() < 1e-15);
    CHECK(contains(c, 0.8623188722876839));
    PrecisionScope scope(256);
    const IntervalM cm = cos(IntervalM(100));
    CHECK(cm.width() < Mpfr(1e-75));
    const IntervalM pm = IntervalM::pi();
    CHECK(precision_bits(pm) == 256);
    CHECK(pm.width() < Mpfr(1e-75));
    const IntervalM huge = sin(IntervalM(1e300));
    CHECK(huge.width() < Mpfr(1e-75));  // exact argument reduction, not [-1, 1]
}

TEST_CASE("rounding mode is restored after every operation", "[interval]") {
    for (int mode : {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
        REQUIRE(std::fesetround(mode) == 0);
        IntervalD x(0.1, 0.3), y(-0.7, 2.5);
        volatile double sink = 0;
        sink = (x + y).upper() + (x - y).lower() + (x * y).upper() + (x / IntervalD(3)).lower();
        sink = sink + sqrt(x).upper() + sqr(y).upper() + exp(x).upper() + cos(y).lower();
        sink = sink + log(x).lower() + pow(y, 3).upper() + pow(x, y).upper() + x.width();
        (void)sink;
        CHECK(std::fegetround() == mode);
        const IntervalD third = IntervalD(1) / IntervalD(3);
        CHECK(third.lower() < third.upper());  // directed, whatever the caller's mode
        CHECK(std::fegetround() == mode);
    }
    std::fesetround(FE_TONEAREST);
}

TEST_CASE("directed rounding is real: 1/3 is not a point", "[interval]") {
    const IntervalD t = IntervalD(1) / IntervalD(3);
    CHECK(t.lower() < t.upper());
    CHECK(std::nextafter(t.lower(), 1.0) == t.upper());
    const IntervalM tm = IntervalM(1) / IntervalM(3);
    CHECK(tm.lower() < tm.upper());
    CHECK(precision_bits(tm) == 128);
    const IntervalM s = sqrt(IntervalM(2));
    CHECK(s.lower() < s.upper());
    const IntervalD sum = IntervalD(1.0) + IntervalD(1e-30);
    CHECK(sum.lower() == 1.0);
    CHECK(sum.upper() == std::nextafter(1.0, 2.0));
}

TEST_CASE("domain errors throw", "[interval]") {
    CHECK_THROWS_AS(sqrt(IntervalD(-1, 1)), gradcert::DomainError);
    CHECK_THROWS_AS(log(IntervalD(0, 1)), gradcert::DomainError);
    CHECK_THROWS_AS(log(IntervalM(-2, -1)), gradcert::DomainError);
    CHECK_THROWS_AS(pow(IntervalD(-1, 2), IntervalD(0.5)), gradcert::DomainError);
    CHECK_NOTHROW(sqrt(IntervalD(0, 1)));
    const IntervalD q = IntervalD(1) / IntervalD(-1, 1);
    CHECK(std::isinf(q.lower()));
    CHECK(std::isinf(q.upper()));
    const IntervalD z = IntervalD(0) * IntervalD::entire();
    CHECK(z.lower() == 0.0);
    CHECK(z.upper() == 0.0);
}

TEST_CASE("set operations and comparisons", "[interval]") {
    const IntervalD a(1, 3), b(2, 5), c(4, 6);
    CHECK(hull(a, c).lower() == 1);
    CHECK(hull(a, c).upper() == 6);
    REQUIRE(intersect(a, b).has_value());
    CHECK(intersect(a, b)->lower() == 2);
    CHECK_FALSE(intersect(a, c).has_value());
    CHECK(contains(a, 2.0));
    CHECK(contains(hull(a, b), a));
    CHECK(subset(a, hull(a, b)));
    CHECK_FALSE(interior(a, hull(a, b)));
    CHECK(interior(IntervalD(2, 2.5), a));
    CHECK(overlaps(a, b));
    CHECK_FALSE(overlaps(a, c));
    CHECK(certainly_lt(a, c));
    CHECK_FALSE(certainly_lt(a, b));
    CHECK(possibly_lt(b, a));
    CHECK(certainly_le(IntervalD(1, 2), IntervalD(2, 3)));
    CHECK_FALSE(certainly_lt(IntervalD(1, 2), IntervalD(2, 3)));
    CHECK(certainly_gt(c, 3.5));
    CHECK(possibly_ge(a, 3.0));
    CHECK(certainly_positive(a));
    CHECK(certainly_negative(-a));
    CHECK(possibly_zero(IntervalD(-1, 0)));
    const IntervalM am(1, 3);
    CHECK(contains(am, 2.5));
    CHECK(certainly_lt(am, 4.0));
    CHECK(abs(IntervalD(-3, 2)).lower() == 0);
    CHECK(abs(IntervalD(-3, 2)).upper() == 3);
    CHECK(min(a, b).upper() == 3);
    CHECK(max(a, b).lower() == 2);
}

TEST_CASE("pow overloads: int, other integers, real double exponents", "[interval]") {
    const IntervalD x(4.0);
    CHECK(pow(x, 2).lower() == 16.0);
    CHECK(pow(x, 2L).upper() == 16.0);
    CHECK(pow(x, std::size_t{3}).lower() == 64.0);
    CHECK(pow(x, 0.5).lower() == 2.0);  // a real power, not x^0
    CHECK(pow(x, 0.5).upper() == 2.0);
    CHECK_THROWS_AS(pow(IntervalD(-1, 1), 0.5), gradcert::DomainError);
    CHECK_THROWS_AS(pow(x, 1L << 40), gradcert::DomainError);
    const IntervalD inv = pow(IntervalD(-2, -1), -1);
    CHECK(inv.lower() == -1.0);
    CHECK(inv.upper() == -0.5);
    CHECK(pow(IntervalD(-2, 3), 2).lower() == 0.0);
    CHECK(pow(IntervalD(-2, 3), 2).upper() == 9.0);
    CHECK(pow(IntervalD(-2, 3), 3).lower() == -8.0);
    CHECK(std::isinf(pow(IntervalD(-2, 3), -1).upper()));
    const IntervalD even_neg = pow(IntervalD(-2, 3), -2);
    CHECK(even_neg.lower() > 0.111);  // mag(x)^-2 = 1/9, rounded down
    CHECK(even_neg.lower() <= 1.0 / 9.0);
    CHECK(std::isinf(even_neg.upper()));
    CHECK(pow(IntervalM(2), IntervalM(10)).lower() == 1024);
}

TEST_CASE("mixed scalar operations and conversions", "[interval]") {
    const IntervalD a(1, 2);
    CHECK((a + 1).lower() == 2);
    CHECK((2.0 * a).upper() == 4);
    CHECK((1 - a).lower() == -1);
    CHECK((a / 2).upper() == 1);
    CHECK((a * std::size_t{3}).upper() == 6);
    const IntervalM m = to_mpfr(IntervalD::from_string("0.1"));
    CHECK(subset(to_double(m), IntervalD::from_string("0.1")));
    const IntervalM third = IntervalM(1) / 3;
    const IntervalD td = to_double(third);
    CHECK(td.lower() < td.upper());
    CHECK(contains(td, 1.0 / 3.0));
    IntervalM acc;
    for (int i = 0; i < 10; ++i) acc += IntervalM::from_string("0.1");
    CHECK(contains(acc, 1.0));
    CHECK(precision_bits(acc) == 128);
    acc -= acc;
    CHECK(contains(acc, 0.0));
}

TEST_CASE("flush-to-zero / denormals-are-zero of the caller do not break enclosures",
          "[interval]") {
    const std::uint32_t saved = detail::read_mxcsr();
    detail::write_mxcsr(saved | detail::kMxcsrFlushToZero | detail::kMxcsrDenormalsAreZero);
    const IntervalD tiny = IntervalD::from_string("3e-320");
    const IntervalD product = IntervalD(1e-160) * IntervalD(1e-160);
    const IntervalD e = exp(IntervalD(-740.0));
    const IntervalD m = to_double(IntervalM::from_string("1e-310"));
    detail::write_mxcsr(saved);
    CHECK(tiny.lower() > 0);  // 3e-320 is subnormal, not 0
    CHECK(tiny.lower() < tiny.upper());
    CHECK(product.upper() > 0);
    CHECK(e.upper() > 0);
    CHECK(e.lower() > 0);  // exp(-740) ~ 4.2e-322, a subnormal
    CHECK(m.lower() > 0);
    constexpr std::uint32_t kStatusFlags = 0x3F;  // sticky exception flags (set by the CHECKs)
    CHECK((detail::read_mxcsr() & ~kStatusFlags) == (saved & ~kStatusFlags));
}

TEST_CASE("working precision is per thread; results are the same in threads", "[interval]") {
    auto work = [](long bits, long* seen, std::string* text) {
        PrecisionScope scope(bits);
        IntervalM acc(0);
        for (int i = 1; i <= 200; ++i) acc += IntervalM(1) / IntervalM(i);
        *seen = precision_bits(acc);
        *text = to_string(exp(acc), 30);
    };
    long seen_a = 0, seen_b = 0;
    std::string text_a, text_b, text_main;
    std::thread a(work, 96L, &seen_a, &text_a), b(work, 300L, &seen_b, &text_b);
    a.join();
    b.join();
    CHECK(seen_a == 96);
    CHECK(seen_b == 300);
    CHECK(working_precision() == kDefaultPrecisionBits);
    long seen_main = 0;
    work(96, &seen_main, &text_main);
    CHECK(text_main == text_a);
    CHECK_THROWS_AS(PrecisionScope(1), gradcert::InternalError);
    {
        PrecisionScope outer(200);
        {
            PrecisionScope inner(64);
            CHECK(working_precision() == 64);
        }
        CHECK(working_precision() == 200);
    }
    CHECK(working_precision() == kDefaultPrecisionBits);
}
