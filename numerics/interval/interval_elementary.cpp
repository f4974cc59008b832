// Elementary functions of Interval<T>. Every bound is an MPFR result with MPFR_RNDD / MPFR_RNDU
// (correctly rounded in that direction) at result_precision<T>() bits, then stored in the
// endpoint rounding in the same direction; square root and square of double intervals use the
// hardware in directed mode. Monotone pieces are evaluated at their ends; the extrema of sin and
// cos inside an interval are located with an MPFR enclosure of pi (see sin_cos below).
#include <algorithm>
#include <cmath>

#include "numerics/interval/kernels.hpp"
#include "numerics/interval/mpfr_scratch.hpp"

namespace gradcert {

namespace {

using detail::Kernels;
using detail::scratch;

enum Slot : int {
    kInLo = 0,
    kInHi = 1,
    kLoDown = 2,
    kLoUp = 3,
    kHiDown = 4,
    kHiUp = 5,
    kPiLo = 6,
    kPiHi = 7,
    kTurnLo = 8,
    kTurnHi = 9,
    kTemp = 10,
    kMod = 11,
};

// The endpoint as an exact MPFR value (a scratch copy for double).
template <class T>
mpfr_srcptr view(const T& v, int slot) {
    if constexpr (std::is_same_v<T, double>) {
        mpfr_ptr s = scratch(slot, 53);
        mpfr_set_d(s, v, MPFR_RNDN);
        return s;
    } else {
        return raw(v);
    }
}

template <class T>
void store(T& out, mpfr_srcptr v, mpfr_rnd_t rnd) {
    if constexpr (std::is_same_v<T, double>)
        out = mpfr_get_d(v, rnd);
    else
        mpfr_set(raw(out), v, rnd);
}

template <class T>
Interval<T> from_bounds(mpfr_srcptr lo, mpfr_srcptr hi) {
    Interval<T> r = Kernels::blank<T>();
    store(Kernels::lo(r), lo, MPFR_RNDD);
    store(Kernels::hi(r), hi, MPFR_RNDU);
    return r;
}

// down <= f(v) <= up with one MPFR call: if the RNDD result is inexact, the exact value lies
// strictly between it and its successor.
template <class F>
void eval_both(F f, mpfr_srcptr v, mpfr_ptr down, mpfr_ptr up) {
    const int ternary = f(down, v, MPFR_RNDD);
    mpfr_set(up, down, MPFR_RNDN);
    if (ternary != 0) mpfr_nextabove(up);
}

template <class T>
long target_bits() {
    return detail::result_precision<T>();
}

// f increasing on the whole interval: [f(lo) rounded down, f(hi) rounded up].
template <class T, class F>
Interval<T> increasing(const Interval<T>& x, F f) {
    [[maybe_unused]] const detail::ConversionGuard<T> sse_guard;
    const long bits = target_bits<T>();
    mpfr_ptr down = scratch(kLoDown, bits), up = scratch(kHiUp, bits);
    mpfr_srcptr lo = view(x.lower(), kInLo);
    if (x.is_point()) {
        eval_both(f, lo, down, up);
    } else {
        f(down, lo, MPFR_RNDD);
        f(up, view(x.upper(), kInHi), MPFR_RNDU);
    }
    return from_bounds<T>(down, up);
}

// Bounds of f at both endpoints: lo_down <= f(lo) <= lo_up, hi_down <= f(hi) <= hi_up.
struct EndpointValues {
    mpfr_ptr lo_down, lo_up, hi_down, hi_up;
};

template <class T, class F>
EndpointValues eval_endpoints(const Interval<T>& x, F f) {
    const long bits = target_bits<T>();
    EndpointValues v{scratch(kLoDown, bits), scratch(kLoUp, bits), scratch(kHiDown, bits),
                     scratch(kHiUp, bits)};
    eval_both(f, view(x.lower(), kInLo), v.lo_down, v.lo_up);
    if (x.is_point()) {
        mpfr_set(v.hi_down, v.lo_down, MPFR_RNDN);
        mpfr_set(v.hi_up, v.lo_up, MPFR_RNDN);
    } else {
        eval_both(f, view(x.upper(), kInHi), v.hi_down, v.hi_up);
    }
    return v;
}

mpfr_srcptr min_of(mpfr_srcptr a, mpfr_srcptr b) {
    return mpfr_lessequal_p(a, b) ? a : b;
}
mpfr_srcptr max_of(mpfr_srcptr a, mpfr_srcptr b) {
    return mpfr_greaterequal_p(a, b) ? a : b;
}

// ---- sin / cos ----
//
// g(x) = sin(x + phase*pi/2) (phase 0: sin, 1: cos). Its extrema are at the x with
// t(x) = 2x/pi + phase = m for an odd integer m, where g = +1 (m = 1 mod 4) or -1 (m = 3 mod 4).
// We bound t(lo) from below and t(hi) from above with an MPFR enclosure [pi_lo, pi_hi] of pi at
// a precision that exceeds the exponent of the argument (so huge arguments reduce correctly);
// every integer m in [ceil(t_lo), floor(t_hi)] is treated as a possible extremum (a superset of
// the true ones, so the result can only be wider, never wrong). Three or more consecutive
// integers contain both kinds of extremum: the result is [-1, 1].

long reduction_bits(mpfr_srcptr v, long target) {
    const long e = mpfr_regular_p(v) ? std::max<long>(mpfr_get_exp(v), 0) : 0;
    return target + e + 16;
}

// Lower (dir = MPFR_RNDD) or upper (MPFR_RNDU) bound of 2v/pi + phase, then ceil (lower) or
// floor (upper): the first / last integer that t can reach from that side.
void turning_index(mpfr_ptr out, mpfr_srcptr v, unsigned phase, mpfr_rnd_t dir, long bits) {
    mpfr_ptr pi_lo = scratch(kPiLo, bits), pi_hi = scratch(kPiHi, bits);
    mpfr_const_pi(pi_lo, MPFR_RNDD);
    mpfr_const_pi(pi_hi, MPFR_RNDU);
    mpfr_mul_2ui(out, v, 1, dir);
    // Dividing a lower bound by the larger pi (for v >= 0) keeps it a lower bound, etc.
    const bool nonnegative = mpfr_sgn(v) >= 0;
    const bool use_hi = (dir == MPFR_RNDD) == nonnegative;
    mpfr_div(out, out, use_hi ? pi_hi : pi_lo, dir);
    mpfr_add_ui(out, out, phase, dir);
    if (dir == MPFR_RNDD)
        mpfr_ceil(out, out);
    else
        mpfr_floor(out, out);
}

long mod4(mpfr_srcptr integer) {
    mpfr_ptr r = scratch(kMod, 8);
    mpfr_fmod_ui(r, integer, 4, MPFR_RNDN);  // exact: |r| < 4
    const long m = mpfr_get_si(r, MPFR_RNDN);
    return ((m % 4) + 4) % 4;
}

struct Extrema {
    bool has_max = false;  // +1 may be attained
    bool has_min = false;  // -1 may be attained
};

template <class T>
Extrema possible_extrema(const Interval<T>& x, unsigned phase) {
    const long target = target_bits<T>();
    mpfr_srcptr lo = view(x.lower(), kInLo);
    mpfr_srcptr hi = view(x.upper(), kInHi);
    const long bits = std::max(reduction_bits(lo, target), reduction_bits(hi, target));
    mpfr_ptr first = scratch(kTurnLo, bits), last = scratch(kTurnHi, bits);
    turning_index(first, lo, phase, MPFR_RNDD, bits);
    turning_index(last, hi, phase, MPFR_RNDU, bits);
    Extrema e;
    if (mpfr_greater_p(first, last)) return e;
    mpfr_ptr count = scratch(kTemp, bits);
    mpfr_sub(count, last, first, MPFR_RNDU);
    if (!mpfr_number_p(count) || mpfr_cmp_ui(count, 3) >= 0) return Extrema{true, true};
    const long n = mpfr_get_si(count, MPFR_RNDU);
    const long first_mod = mod4(first);
    for (long k = 0; k <= n; ++k) {
        const long m = (first_mod + k) % 4;
        if (m == 1) e.has_max = true;
        if (m == 3) e.has_min = true;
    }
    return e;
}

template <class T>
Interval<T> minus_one_to_one() {
    Interval<T> r = Kernels::blank<T>();
    if constexpr (std::is_same_v<T, double>) {
        Kernels::lo(r) = -1.0;
        Kernels::hi(r) = 1.0;
    } else {
        mpfr_set_si(raw(Kernels::lo(r)), -1, MPFR_RNDN);
        mpfr_set_si(raw(Kernels::hi(r)), 1, MPFR_RNDN);
    }
    return r;
}

template <class T, class F>
Interval<T> sin_cos(const Interval<T>& x, unsigned phase, F f) {
    [[maybe_unused]] const detail::ConversionGuard<T> sse_guard;
    if (!x.is_finite()) return minus_one_to_one<T>();
    const Extrema ext = possible_extrema(x, phase);
    if (ext.has_max && ext.has_min) return minus_one_to_one<T>();
    const EndpointValues v = eval_endpoints(x, f);
    mpfr_ptr lo = v.lo_down, hi = v.hi_up;
    if (ext.has_min)
        mpfr_set_si(lo, -1, MPFR_RNDN);
    else
        mpfr_set(lo, min_of(v.lo_down, v.hi_down), MPFR_RNDN);
    if (ext.has_max)
        mpfr_set_si(hi, 1, MPFR_RNDN);
    else
        mpfr_set(hi, max_of(v.lo_up, v.hi_up), MPFR_RNDN);
    return from_bounds<T>(lo, hi);
}

// ---- powers ----

// x^n for an integer n (MPFR: mpfr_pow_si, exact special cases such as 0^-2 = +inf).
template <class T>
Interval<T> integer_power(const Interval<T>& x, long n) {
    [[maybe_unused]] const detail::ConversionGuard<T> sse_guard;
    if (n == 0) return Interval<T>(1);
    const bool zero_inside = possibly_zero(x);
    const bool even = n % 2 == 0;
    if (n < 0 && zero_inside) {
        if (!even || x.is_point()) return Interval<T>::entire();
    }
    auto f = [n](mpfr_ptr r, mpfr_srcptr v, mpfr_rnd_t rnd) { return mpfr_pow_si(r, v, n, rnd); };
    const EndpointValues v = eval_endpoints(x, f);
    mpfr_ptr lo = v.lo_down, hi = v.hi_up;
    if (n > 0 && even && zero_inside) {
        mpfr_set_zero(lo, 1);
        mpfr_set(hi, max_of(v.lo_up, v.hi_up), MPFR_RNDN);
    } else if (n < 0 && zero_inside) {  // even n: x^n >= mag(x)^n, unbounded near 0
        mpfr_set(lo, min_of(v.lo_down, v.hi_down), MPFR_RNDN);
        mpfr_set_inf(hi, 1);
    } else {  // monotone on x
        mpfr_set(lo, min_of(v.lo_down, v.hi_down), MPFR_RNDN);
        mpfr_set(hi, max_of(v.lo_up, v.hi_up), MPFR_RNDN);
    }
    return from_bounds<T>(lo, hi);
}

}  // namespace

template <class T>
Interval<T> Interval<T>::pi() {
    [[maybe_unused]] const detail::ConversionGuard<T> sse_guard;
    const long bits = target_bits<T>();
    mpfr_ptr lo = scratch(kLoDown, bits), hi = scratch(kHiUp, bits);
    mpfr_const_pi(lo, MPFR_RNDD);
    mpfr_const_pi(hi, MPFR_RNDU);
    return from_bounds<T>(lo, hi);
}

template <class T>
Interval<T> Interval<T>::e() {
    [[maybe_unused]] const detail::ConversionGuard<T> sse_guard;
    const long bits = target_bits<T>();
    mpfr_ptr one = scratch(kInLo, 2);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpfr_ptr lo = scratch(kLoDown, bits), hi = scratch(kHiUp, bits);
    eval_both(mpfr_exp, one, lo, hi);
    return from_bounds<T>(lo, hi);
}

template <class T>
Interval<T> Interval<T>::ln2() {
    [[maybe_unused]] const detail::ConversionGuard<T> sse_guard;
    const long bits = target_bits<T>();
    mpfr_ptr lo = scratch(kLoDown, bits), hi = scratch(kHiUp, bits);
    mpfr_const_log2(lo, MPFR_RNDD);
    mpfr_const_log2(hi, MPFR_RNDU);
    return from_bounds<T>(lo, hi);
}

template <class T>
Interval<T> sqr(const Interval<T>& x) {
    using E = detail::Endpoint<T>;
    Interval<T> r = Kernels::blank<T>();
    typename E::Guard g;
    const T &lo = x.lower(), &hi = x.upper();
    if (E::sign(lo) >= 0) {
        E::mul_down(g, Kernels::lo(r), lo, lo);
        E::mul_up(g, Kernels::hi(r), hi, hi);
    } else if (E::sign(hi) <= 0) {
        E::mul_down(g, Kernels::lo(r), hi, hi);
        E::mul_up(g, Kernels::hi(r), lo, lo);
    } else {
        Kernels::lo(r) = detail::blank_endpoint<T>();  // +0
        const T m = x.mag();
        E::mul_up(g, Kernels::hi(r), m, m);
    }
    return r;
}

template <class T>
Interval<T> pow(const Interval<T>& x, int n) {
    if (n == 1) return x;
    if (n == 2) return sqr(x);
    return integer_power(x, n);
}

template <class T>
Interval<T> pow(const Interval<T>& x, const Interval<T>& y) {
    [[maybe_unused]] const detail::ConversionGuard<T> sse_guard;
    if (!certainly_positive(x)) detail::throw_domain("pow(x, y) requires x > 0");
    const long bits = target_bits<T>();
    mpfr_ptr down = scratch(kLoDown, bits), up = scratch(kLoUp, bits);
    mpfr_ptr lo = scratch(kHiDown, bits), hi = scratch(kHiUp, bits);
    mpfr_set_inf(lo, 1);
    mpfr_set_inf(hi, -1);
    // x^y is monotone in x for fixed y and in y for fixed x (x > 0): extrema at the corners.
    const T* xs[2] = {&x.lower(), &x.upper()};
    const T* ys[2] = {&y.lower(), &y.upper()};
    const int nx = x.is_point() ? 1 : 2, ny = y.is_point() ? 1 : 2;
    for (int i = 0; i < nx; ++i) {
        mpfr_srcptr xv = view(*xs[i], kInLo);
        for (int j = 0; j < ny; ++j) {
            mpfr_srcptr yv = view(*ys[j], kInHi);
            auto f = [yv](mpfr_ptr r, mpfr_srcptr v, mpfr_rnd_t rnd) {
                return mpfr_pow(r, v, yv, rnd);
            };
            eval_both(f, xv, down, up);
            mpfr_min(lo, lo, down, MPFR_RNDD);
            mpfr_max(hi, hi, up, MPFR_RNDU);
        }
    }
    return from_bounds<T>(lo, hi);
}

template <class T>
Interval<T> sqrt(const Interval<T>& x) {
    using E = detail::Endpoint<T>;
    if (E::sign(x.lower()) < 0) detail::throw_domain("sqrt of an interval with negative numbers");
    Interval<T> r = Kernels::blank<T>();
    typename E::Guard g;
    E::sqrt_down(g, Kernels::lo(r), x.lower());
    E::sqrt_up(g, Kernels::hi(r), x.upper());
    return r;
}

template <class T>
Interval<T> exp(const Interval<T>& x) {
    return increasing(x, mpfr_exp);
}

template <class T>
Interval<T> log(const Interval<T>& x) {
    if (detail::Endpoint<T>::sign(x.lower()) <= 0)
        detail::throw_domain("log of an interval with non-positive numbers");
    return increasing(x, mpfr_log);
}

template <class T>
Interval<T> tanh(const Interval<T>& x) {
    return increasing(x, mpfr_tanh);
}

template <class T>
Interval<T> atan(const Interval<T>& x) {
    return increasing(x, mpfr_atan);
}

template <class T>
Interval<T> sin(const Interval<T>& x) {
    return sin_cos(x, 0, mpfr_sin);
}

template <class T>
Interval<T> cos(const Interval<T>& x) {
    return sin_cos(x, 1, mpfr_cos);
}

#define GRADCERT_INSTANTIATE_ELEMENTARY(T)                            \
    template Interval<T> Interval<T>::pi();                           \
    template Interval<T> Interval<T>::e();                            \
    template Interval<T> Interval<T>::ln2();                          \
    template Interval<T> sqr(const Interval<T>&);                     \
    template Interval<T> pow(const Interval<T>&, int);                \
    template Interval<T> pow(const Interval<T>&, const Interval<T>&); \
    template Interval<T> sqrt(const Interval<T>&);                    \
    template Interval<T> exp(const Interval<T>&);                     \
    template Interval<T> log(const Interval<T>&);                     \
    template Interval<T> tanh(const Interval<T>&);                    \
    template Interval<T> atan(const Interval<T>&);                    \
    template Interval<T> sin(const Interval<T>&);                     \
    template Interval<T> cos(const Interval<T>&);

GRADCERT_INSTANTIATE_ELEMENTARY(double)
GRADCERT_INSTANTIATE_ELEMENTARY(Mpfr)

}  // namespace gradcert
