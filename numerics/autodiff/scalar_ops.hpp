#pragma once
// Scalar layer shared by the jets: the same elementary functions on S = double (plain floating
// point, for tests) and on S = Interval<T> (rigorous, through the interval library), plus the
// derivative triples (φ(U), φ'(U), φ''(U)) used by the chain rule of the jets.
//
// Contract for intervals: every triple member encloses the exact range of the derivative over
// the argument interval U. Where a naive interval formula would suffer from the dependency
// problem (tanh'', atan'', sigmoid'), the range is computed exactly from monotone pieces between
// the known critical points, so the enclosure is tight up to outward rounding.
#include <cmath>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "numerics/interval/interval.hpp"

namespace gradcert {

template <class S>
inline constexpr bool is_interval_v = false;
template <class T>
inline constexpr bool is_interval_v<Interval<T>> = true;

// softplus(y) = log(1 + e^y), sigmoid(y) = 1/(1 + e^{-y}) = softplus'(y), on plain doubles
// (libm, not rigorous: for tests and floating-point estimates only).
inline double softplus(double y) {
    return y > 0 ? y + std::log1p(std::exp(-y)) : std::log1p(std::exp(y));
}
inline double sigmoid(double y) {
    if (y >= 0) return 1.0 / (1.0 + std::exp(-y));
    const double e = std::exp(y);
    return e / (1.0 + e);
}

namespace scalar_detail {

template <class T>
Interval<T> point_interval(const T& v) {
    return Interval<T>(v, v);
}

template <class T>
bool is_infinite_value(const T& v) {
    using boost::multiprecision::isinf;
    using std::isinf;
    return isinf(v);
}

// log(1 + e^a) for a <= 0 (thin interval): log(1 + x), x = e^a, intersected with the bracket
// x − x²/2 <= log(1 + x) <= x − x²/2 + x³/3 (x >= 0), which keeps full relative accuracy when
// 1 + x rounds to 1.
template <class T>
Interval<T> log1p_exp_nonpositive(const Interval<T>& a) {
    const Interval<T> x = exp(a);
    const Interval<T> quadratic = x - sqr(x) / 2;
    const Interval<T> cubic = quadratic + pow(x, 3) / 3;
    const Interval<T> bracket(quadratic.lower(), cubic.upper());
    const std::optional<Interval<T>> r = intersect(log(1 + x), bracket);
    return r ? *r : bracket;
}

// softplus at a point p (thin interval), in the stable form for either sign.
template <class T>
Interval<T> softplus_at(const Interval<T>& p) {
    if (certainly_ge(p, 0.0)) return p + log1p_exp_nonpositive(-p);
    return log1p_exp_nonpositive(p);
}

// sigmoid at a point p (thin interval), without overflow of e^{|p|}.
template <class T>
Interval<T> sigmoid_at(const Interval<T>& p) {
    if (certainly_ge(p, 0.0)) return 1 / (1 + exp(-p));
    const Interval<T> e = exp(p);
    return e / (1 + e);
}

// sigmoid'(y) = e^{-|y|} / (1 + e^{-|y|})^2 at a = |y| >= 0 (thin interval).
template <class T>
Interval<T> sigmoid_slope_at_abs(const Interval<T>& a) {
    const Interval<T> e = exp(-a);
    return e / sqr(1 + e);
}

// Range of h over X when h is monotone between consecutive points of `critical` (each given as
// a thin enclosing interval): hull of h at the endpoints of X and at the critical points that
// may lie in X. X must be bounded.
template <class T, class H>
Interval<T> range_of_piecewise_monotone(const Interval<T>& X, H&& h,
                                        std::initializer_list<Interval<T>> critical) {
    Interval<T> r = hull(h(point_interval(X.lower())), h(point_interval(X.upper())));
    for (const Interval<T>& c : critical)
        if (overlaps(X, c)) r = hull(r, h(c));
    return r;
}

}  // namespace scalar_detail

// Interval softplus and sigmoid (both increasing): exact range up to outward rounding.
template <class T>
Interval<T> softplus(const Interval<T>& x) {
    using namespace scalar_detail;
    const T lo =
        is_infinite_value(x.lower()) ? T(0) : softplus_at(point_interval(x.lower())).lower();
    const T hi =
        is_infinite_value(x.upper()) ? x.upper() : softplus_at(point_interval(x.upper())).upper();
    return Interval<T>(lo, hi);
}
template <class T>
Interval<T> sigmoid(const Interval<T>& x) {
    using namespace scalar_detail;
    const T lo =
        is_infinite_value(x.lower()) ? T(0) : sigmoid_at(point_interval(x.lower())).lower();
    const T hi =
        is_infinite_value(x.upper()) ? T(1) : sigmoid_at(point_interval(x.upper())).upper();
    return Interval<T>(lo, hi);
}

// (φ(u), φ'(u), φ''(u)) for the chain rule of a unary function.
template <class S>
struct UnaryDerivatives {
    S value;
    S first;
    S second;
};

namespace scalar_ops {

template <class S>
S square(const S& x) {
    if constexpr (is_interval_v<S>)
        return sqr(x);
    else
        return x * x;
}

template <class S>
S power(const S& x, int n) {
    if constexpr (is_interval_v<S>)
        return pow(x, n);
    else
        return std::pow(x, n);
}

template <class S>
UnaryDerivatives<S> exp_d(const S& u) {
    using std::exp;
    S e = exp(u);
    return {e, e, e};
}

template <class S>
UnaryDerivatives<S> log_d(const S& u) {
    using std::log;
    return {log(u), 1 / u, -1 / square(u)};
}

template <class S>
UnaryDerivatives<S> sqrt_d(const S& u) {
    using std::sqrt;
    S r = sqrt(u);
    return {r, 1 / (2 * r), -1 / (4 * (u * r))};
}

template <class S>
UnaryDerivatives<S> reciprocal_d(const S& u) {
    return {1 / u, -1 / square(u), 2 / power(u, 3)};
}

template <class S>
UnaryDerivatives<S> sin_d(const S& u) {
    using std::cos;
    using std::sin;
    S s = sin(u);
    return {s, cos(u), -s};
}

template <class S>
UnaryDerivatives<S> cos_d(const S& u) {
    using std::cos;
    using std::sin;
    S c = cos(u);
    return {c, -sin(u), -c};
}

// tanh' = 1 − t², tanh'' = −2t(1 − t²) with t = tanh u; the latter is monotone between
// t = ±1/√3.
template <class S>
UnaryDerivatives<S> tanh_d(const S& u) {
    using std::tanh;
    S t = tanh(u);
    S first = 1 - square(t);
    if constexpr (is_interval_v<S>) {
        auto h = [](const S& v) { return -2 * v * (1 - sqr(v)); };
        const S c = 1 / sqrt(S(3));
        S second = scalar_detail::range_of_piecewise_monotone(t, h, {c, -c});
        return {std::move(t), std::move(first), std::move(second)};
    } else {
        return {t, first, -2 * t * first};
    }
}

// atan' = 1/(1 + u²), atan'' = −2u/(1 + u²)², monotone between u = ±1/√3 and bounded by
// 9/(8√3) < 0.65 everywhere (used when U is unbounded).
template <class S>
UnaryDerivatives<S> atan_d(const S& u) {
    using std::atan;
    S first = 1 / (1 + square(u));
    if constexpr (is_interval_v<S>) {
        S second = hull(S(-0.65), S(0.65));
        if (u.is_finite()) {
            auto h = [](const S& v) { return -2 * v / sqr(1 + sqr(v)); };
            const S c = 1 / sqrt(S(3));
            second = scalar_detail::range_of_piecewise_monotone(u, h, {c, -c});
        }
        return {atan(u), std::move(first), std::move(second)};
    } else {
        return {atan(u), first, -2 * u * first * first};
    }
}

// softplus' = sigmoid (increasing), softplus'' = sigmoid(1 − sigmoid), a decreasing function
// of |u|: its range over U is [h(mag U), h(mig U)].
template <class S>
UnaryDerivatives<S> softplus_d(const S& u) {
    if constexpr (is_interval_v<S>) {
        using namespace scalar_detail;
        const S at_mig = sigmoid_slope_at_abs(point_interval(u.mig()));
        const S at_mag = scalar_detail::is_infinite_value(u.mag())
                             ? S(0)
                             : sigmoid_slope_at_abs(point_interval(u.mag()));
        return {softplus(u), sigmoid(u), hull(at_mag, at_mig)};
    } else {
        const double s = sigmoid(u);
        return {softplus(u), s, s * (1 - s)};
    }
}

// u^n for an integer n; n = 0, 1 need no negative powers of u.
template <class S>
UnaryDerivatives<S> pow_int_d(const S& u, int n) {
    if (n == 0) return {S(1), S(0), S(0)};
    if (n == 1) return {u, S(1), S(0)};
    if (n == 2) return {square(u), 2 * u, S(2)};
    return {power(u, n), n * power(u, n - 1), (n * (n - 1)) * power(u, n - 2)};
}

// u^p for a real exponent p (u > 0 required by the interval pow).
template <class S>
UnaryDerivatives<S> pow_real_d(const S& u, const S& p) {
    using std::pow;
    return {pow(u, p), p * pow(u, p - 1), (p * (p - 1)) * pow(u, p - 2)};
}

}  // namespace scalar_ops
}  // namespace gradcert
