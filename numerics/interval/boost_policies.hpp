#pragma once
// Boost.Interval policies that make boost::numeric::interval<T, BoostPolicies<T>> rigorous for
// T = double and T = Mpfr, and the MPFR-based constants Boost.Interval needs for Mpfr.
//
// Rounding policy (the object Boost constructs as `typename Policies::rounding rnd`):
//  - double: HardwareUpward (SSE round-upward for the object's lifetime, caller's MXCSR restored
//    by the destructor) for + - * / sqrt; every transcendental `f_down` / `f_up` is MPFR at 53
//    bits with MPFR_RNDD / MPFR_RNDU, then mpfr_get_d in the same direction. No libm.
//  - Mpfr: every `_down` / `_up` member is one MPFR call with MPFR_RNDD / MPFR_RNDU into a new
//    number of working_precision() bits (pitfall 2: Boost's default policy does not round).
// Checking policy: checking_strict (creating an empty interval or a NaN endpoint throws).
// Constants: interval_lib::constants::pi_lower<Mpfr>() etc. come from mpfr_const_pi with
// directed rounding (pitfall 3: the generic ones are [3, 4]). For double Boost's own constants
// are already correct enclosures and are kept.
//
// gradcert::Interval<T> stores its endpoints itself (Boost's interval declares a copy constructor
// and therefore has no move operations, which would copy both MPFR endpoints on every move) and
// converts to / from BoostInterval<T> exactly; its kernels use the same directed operations.
#include <boost/numeric/interval.hpp>

#include "numerics/interval/mpfr_scratch.hpp"
#include "numerics/interval/precision.hpp"
#include "numerics/interval/rounding.hpp"

namespace gradcert::detail {

// f rounded in `rnd` at `bits`, for an MPFR function f(rop, op, rnd).
using MpfrUnary = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);

double mpfr_directed_double(MpfrUnary f, double x, mpfr_rnd_t rnd);
Mpfr mpfr_directed(MpfrUnary f, const Mpfr& x, mpfr_rnd_t rnd);

#define GRADCERT_BOOST_TRANSCENDENTAL(T, name)      \
    T name##_down(const T& x) {                     \
        return directed(mpfr_##name, x, MPFR_RNDD); \
    }                                               \
    T name##_up(const T& x) {                       \
        return directed(mpfr_##name, x, MPFR_RNDU); \
    }

#define GRADCERT_BOOST_TRANSCENDENTALS(T)   \
    GRADCERT_BOOST_TRANSCENDENTAL(T, exp)   \
    GRADCERT_BOOST_TRANSCENDENTAL(T, log)   \
    GRADCERT_BOOST_TRANSCENDENTAL(T, sin)   \
    GRADCERT_BOOST_TRANSCENDENTAL(T, cos)   \
    GRADCERT_BOOST_TRANSCENDENTAL(T, tan)   \
    GRADCERT_BOOST_TRANSCENDENTAL(T, asin)  \
    GRADCERT_BOOST_TRANSCENDENTAL(T, acos)  \
    GRADCERT_BOOST_TRANSCENDENTAL(T, atan)  \
    GRADCERT_BOOST_TRANSCENDENTAL(T, sinh)  \
    GRADCERT_BOOST_TRANSCENDENTAL(T, cosh)  \
    GRADCERT_BOOST_TRANSCENDENTAL(T, tanh)  \
    GRADCERT_BOOST_TRANSCENDENTAL(T, asinh) \
    GRADCERT_BOOST_TRANSCENDENTAL(T, acosh) \
    GRADCERT_BOOST_TRANSCENDENTAL(T, atanh)

template <class T>
struct BoostRounding;

template <>
struct BoostRounding<double> : HardwareUpward {
    using unprotected_rounding = BoostRounding<double>;
    void init() {}
    double conv_down(double v) { return v; }
    double conv_up(double v) { return v; }
    double conv_down(int v) { return v; }
    double conv_up(int v) { return v; }
    double median(double a, double b) { return 0.5 * a + 0.5 * b; }  // any point in between
    double int_down(double x) { return __builtin_floor(x); }         // exact
    double int_up(double x) { return __builtin_ceil(x); }            // exact
    double sqrt_down(double a) { return HardwareUpward::sqrt_down(a); }
    double sqrt_up(double a) { return HardwareUpward::sqrt_up(a); }
    static double directed(MpfrUnary f, double x, mpfr_rnd_t rnd) {
        return mpfr_directed_double(f, x, rnd);
    }
    GRADCERT_BOOST_TRANSCENDENTALS(double)
};

template <>
struct BoostRounding<Mpfr> {
    using unprotected_rounding = BoostRounding<Mpfr>;
    void init() {}
    static Mpfr fresh() { return mpfr_with_precision(working_precision()); }
#define GRADCERT_BOOST_MPFR_BINARY(name, call)       \
    Mpfr name##_down(const Mpfr& a, const Mpfr& b) { \
        Mpfr r = fresh();                            \
        call(raw(r), raw(a), raw(b), MPFR_RNDD);     \
        return r;                                    \
    }                                                \
    Mpfr name##_up(const Mpfr& a, const Mpfr& b) {   \
        Mpfr r = fresh();                            \
        call(raw(r), raw(a), raw(b), MPFR_RNDU);     \
        return r;                                    \
    }
    GRADCERT_BOOST_MPFR_BINARY(add, mpfr_add)
    GRADCERT_BOOST_MPFR_BINARY(sub, mpfr_sub)
    GRADCERT_BOOST_MPFR_BINARY(mul, mpfr_mul)
    GRADCERT_BOOST_MPFR_BINARY(div, mpfr_div)
#undef GRADCERT_BOOST_MPFR_BINARY
    Mpfr sqrt_down(const Mpfr& a) {
        return directed(mpfr_sqrt, a, MPFR_RNDD);
    }
    Mpfr sqrt_up(const Mpfr& a) {
        return directed(mpfr_sqrt, a, MPFR_RNDU);
    }
    Mpfr conv_down(const Mpfr& v) {
        return v;
    }
    Mpfr conv_up(const Mpfr& v) {
        return v;
    }
    Mpfr conv_down(double v) {
        return convert(v, MPFR_RNDD);
    }
    Mpfr conv_up(double v) {
        return convert(v, MPFR_RNDU);
    }
    Mpfr conv_down(int v) {
        return convert(v, MPFR_RNDD);
    }
    Mpfr conv_up(int v) {
        return convert(v, MPFR_RNDU);
    }
    Mpfr median(const Mpfr& a, const Mpfr& b) {
        Mpfr r = fresh();
        mpfr_add(raw(r), raw(a), raw(b), MPFR_RNDN);
        mpfr_div_2ui(raw(r), raw(r), 1, MPFR_RNDN);
        return r;
    }
    Mpfr int_down(const Mpfr& x) {
        return integer(x, mpfr_floor);
    }
    Mpfr int_up(const Mpfr& x) {
        return integer(x, mpfr_ceil);
    }
    static Mpfr directed(MpfrUnary f, const Mpfr& x, mpfr_rnd_t rnd) {
        return mpfr_directed(f, x, rnd);
    }
    GRADCERT_BOOST_TRANSCENDENTALS(Mpfr)

  private:
    static Mpfr convert(double v, mpfr_rnd_t rnd) {
        const SseDefault sse_guard;
        Mpfr r = fresh();
        mpfr_set_d(raw(r), v, rnd);
        return r;
    }
    static Mpfr integer(const Mpfr& x, int (*f)(mpfr_ptr, mpfr_srcptr)) {
        Mpfr r = mpfr_with_precision(precision_bits(x));  // same precision: exact
        f(raw(r), raw(x));
        return r;
    }
};

#undef GRADCERT_BOOST_TRANSCENDENTALS
#undef GRADCERT_BOOST_TRANSCENDENTAL

template <class T>
using BoostPolicies =
    boost::numeric::interval_lib::policies<BoostRounding<T>,
                                           boost::numeric::interval_lib::checking_strict<T>>;

}  // namespace gradcert::detail

namespace gradcert {
// Boost.Interval over gradcert's rigorous policies.
template <class T>
using BoostInterval = boost::numeric::interval<T, detail::BoostPolicies<T>>;
}  // namespace gradcert

namespace boost::numeric::interval_lib::constants {
// Enclosures of pi, pi/2 and 2 pi from MPFR at the working precision (rounded down / up).
template <>
gradcert::Mpfr pi_lower<gradcert::Mpfr>();
template <>
gradcert::Mpfr pi_upper<gradcert::Mpfr>();
template <>
gradcert::Mpfr pi_half_lower<gradcert::Mpfr>();
template <>
gradcert::Mpfr pi_half_upper<gradcert::Mpfr>();
template <>
gradcert::Mpfr pi_twice_lower<gradcert::Mpfr>();
template <>
gradcert::Mpfr pi_twice_upper<gradcert::Mpfr>();
}  // namespace boost::numeric::interval_lib::constants
