// Construction, the four operations, set operations and comparisons of Interval<T>.
#include <algorithm>
#include <cmath>
#include <limits>

#include "numerics/interval/endpoint_pool.hpp"
#include "numerics/interval/kernels.hpp"

namespace gradcert {

namespace {

using detail::Endpoint;
using detail::Kernels;

bool endpoint_is_nan(double x) {
    return std::isnan(x);
}
bool endpoint_is_nan(const Mpfr& x) {
    return mpfr_nan_p(raw(x)) != 0;
}
bool is_plus_inf(double x) {
    return x == std::numeric_limits<double>::infinity();
}
bool is_plus_inf(const Mpfr& x) {
    return mpfr_inf_p(raw(x)) && mpfr_sgn(raw(x)) > 0;
}
bool is_minus_inf(double x) {
    return x == -std::numeric_limits<double>::infinity();
}
bool is_minus_inf(const Mpfr& x) {
    return mpfr_inf_p(raw(x)) && mpfr_sgn(raw(x)) < 0;
}
bool is_finite_endpoint(double x) {
    return std::isfinite(x);
}
bool is_finite_endpoint(const Mpfr& x) {
    return mpfr_number_p(raw(x)) != 0;
}

// An exact copy (same precision) whose storage comes from the endpoint pool.
template <class T>
T copy_endpoint(const T& v) {
    if constexpr (std::is_same_v<T, double>) {
        return v;
    } else {
        T r = mpfr_with_precision(precision_bits(v));
        mpfr_set(raw(r), raw(v), MPFR_RNDN);
        return r;
    }
}

// Returns a no-longer-needed temporary's storage to the pool.
template <class T>
void recycle(T& v) {
    if constexpr (!std::is_same_v<T, double>) detail::release_mpfr(v);
}

template <class T>
bool less(const T& a, const T& b) {
    return Endpoint<T>::less(a, b);
}
template <class T>
bool less_equal(const T& a, const T& b) {
    return !Endpoint<T>::less(b, a);
}
template <class T>
int sign(const T& a) {
    return Endpoint<T>::sign(a);
}
template <class T>
const T& min_ref(const T& a, const T& b) {
    return less(b, a) ? b : a;
}
template <class T>
const T& max_ref(const T& a, const T& b) {
    return less(a, b) ? b : a;
}

template <class T>
void check_endpoints(const T& lo, const T& hi) {
    if (endpoint_is_nan(lo) || endpoint_is_nan(hi))
        detail::throw_domain("interval endpoint is NaN");
    if (less(hi, lo)) detail::throw_domain("interval lower endpoint exceeds upper endpoint");
    if (is_plus_inf(lo) || is_minus_inf(hi))
        detail::throw_domain("interval contains no real number (point at infinity)");
}

// An MPFR copy of a double with at least 53 bits (exact).
Mpfr exact_mpfr(double v) {
    const detail::SseDefault sse_guard;
    Mpfr r = mpfr_with_precision(std::max(53L, working_precision()));
    mpfr_set_d(raw(r), v, MPFR_RNDN);
    return r;
}

template <class T>
T point_endpoint(double v) {
    if constexpr (std::is_same_v<T, double>)
        return v;
    else
        return exact_mpfr(v);
}

template <class T>
T negated(const T& x) {
    if constexpr (std::is_same_v<T, double>) {
        return -x;
    } else {
        T r = copy_endpoint(x);  // same precision: exact
        mpfr_neg(raw(r), raw(r), MPFR_RNDN);
        return r;
    }
}

template <class T>
T absolute(const T& x) {
    if constexpr (std::is_same_v<T, double>) {
        return std::fabs(x);
    } else {
        T r = copy_endpoint(x);
        mpfr_abs(raw(r), raw(r), MPFR_RNDN);
        return r;
    }
}

template <class T>
T zero_endpoint() {
    return detail::blank_endpoint<T>();  // blank endpoints are +0
}

template <class T>
T plus_infinity() {
    if constexpr (std::is_same_v<T, double>) {
        return std::numeric_limits<double>::infinity();
    } else {
        T r = detail::blank_endpoint<T>();
        mpfr_set_inf(raw(r), 1);
        return r;
    }
}

template <class T>
void add_into(Interval<T>& r, const Interval<T>& a, const Interval<T>& b) {
    using E = Endpoint<T>;
    typename E::Guard g;
    E::add_down(g, Kernels::lo(r), a.lower(), b.lower());
    E::add_up(g, Kernels::hi(r), a.upper(), b.upper());
}

// r must not alias b.
template <class T>
void sub_into(Interval<T>& r, const Interval<T>& a, const Interval<T>& b) {
    using E = Endpoint<T>;
    typename E::Guard g;
    E::sub_down(g, Kernels::lo(r), a.lower(), b.upper());
    E::sub_up(g, Kernels::hi(r), a.upper(), b.lower());
}

// Sign-case product (as in Boost.Interval's operator*): never forms 0 * inf because an endpoint
// is only multiplied when it is nonzero or the other factor is finite. r must not alias a or b.
template <class T>
void mul_into(Interval<T>& r, const Interval<T>& x, const Interval<T>& y) {
    using E = Endpoint<T>;
    typename E::Guard g;
    T& lo = Kernels::lo(r);
    T& hi = Kernels::hi(r);
    const T &xl = x.lower(), &xu = x.upper(), &yl = y.lower(), &yu = y.upper();
    const bool x_neg_lo = sign(xl)<0, x_pos_hi = sign(xu)> 0;
    const bool y_neg_lo = sign(yl)<0, y_pos_hi = sign(yu)> 0;
    auto set_zero = [&] {
        lo = zero_endpoint<T>();
        hi = zero_endpoint<T>();
    };
    if (x_neg_lo) {
        if (x_pos_hi) {
            if (y_neg_lo) {
                if (y_pos_hi) {  // M * M
                    T t1 = detail::blank_endpoint<T>(), t2 = detail::blank_endpoint<T>();
                    E::mul_down(g, lo, xl, yu);
                    E::mul_down(g, t1, xu, yl);
                    if (less(t1, lo)) std::swap(lo, t1);
                    E::mul_up(g, hi, xl, yl);
                    E::mul_up(g, t2, xu, yu);
                    if (less(hi, t2)) std::swap(hi, t2);
                    recycle(t1);
                    recycle(t2);
                } else {  // M * N
                    E::mul_down(g, lo, xu, yl);
                    E::mul_up(g, hi, xl, yl);
                }
            } else if (y_pos_hi) {  // M * P
                E::mul_down(g, lo, xl, yu);
                E::mul_up(g, hi, xu, yu);
            } else {  // M * 0
                set_zero();
            }
        } else {
            if (y_neg_lo) {
                if (y_pos_hi) {  // N * M
                    E::mul_down(g, lo, xl, yu);
                    E::mul_up(g, hi, xl, yl);
                } else {  // N * N
                    E::mul_down(g, lo, xu, yu);
                    E::mul_up(g, hi, xl, yl);
                }
            } else if (y_pos_hi) {  // N * P
                E::mul_down(g, lo, xl, yu);
                E::mul_up(g, hi, xu, yl);
            } else {  // N * 0
                set_zero();
            }
        }
    } else if (x_pos_hi) {
        if (y_neg_lo) {
            if (y_pos_hi) {  // P * M
                E::mul_down(g, lo, xu, yl);
                E::mul_up(g, hi, xu, yu);
            } else {  // P * N
                E::mul_down(g, lo, xu, yl);
                E::mul_up(g, hi, xl, yu);
            }
        } else if (y_pos_hi) {  // P * P
            E::mul_down(g, lo, xl, yl);
            E::mul_up(g, hi, xu, yu);
        } else {  // P * 0
            set_zero();
        }
    } else {  // 0 * Y
        set_zero();
    }
}

// Requires 0 not in y. Never forms inf / inf: every quotient has a finite numerator or a finite
// denominator. r must not alias x or y.
template <class T>
void div_into(Interval<T>& r, const Interval<T>& x, const Interval<T>& y) {
    using E = Endpoint<T>;
    typename E::Guard g;
    T& lo = Kernels::lo(r);
    T& hi = Kernels::hi(r);
    const T &xl = x.lower(), &xu = x.upper(), &yl = y.lower(), &yu = y.upper();
    if (sign(yl) > 0) {
        if (sign(xl) >= 0) {
            E::div_down(g, lo, xl, yu);
            E::div_up(g, hi, xu, yl);
        } else if (sign(xu) <= 0) {
            E::div_down(g, lo, xl, yl);
            E::div_up(g, hi, xu, yu);
        } else {
            E::div_down(g, lo, xl, yl);
            E::div_up(g, hi, xu, yl);
        }
    } else {
        if (sign(xl) >= 0) {
            E::div_down(g, lo, xu, yu);
            E::div_up(g, hi, xl, yl);
        } else if (sign(xu) <= 0) {
            E::div_down(g, lo, xu, yl);
            E::div_up(g, hi, xl, yu);
        } else {
            E::div_down(g, lo, xu, yu);
            E::div_up(g, hi, xl, yu);
        }
    }
}

}  // namespace

// ---- construction ----

template <class T>
Interval<T>::Interval() : lo_(zero_endpoint<T>()), hi_(zero_endpoint<T>()) {}

template <class T>
Interval<T>::Interval(int v) : Interval(static_cast<double>(v)) {}

namespace {
double checked_point(double v) {
    if (std::isnan(v)) detail::throw_domain("interval from NaN");
    if (std::isinf(v)) detail::throw_domain("interval point at infinity");
    return v;
}
}  // namespace

template <class T>
Interval<T>::Interval(double v)
    : lo_(point_endpoint<T>(checked_point(v))), hi_(copy_endpoint(lo_)) {}

template <class T>
Interval<T>::Interval(const T& v) requires(!std::same_as<T, double>) : lo_(v), hi_(v) {
    check_endpoints(lo_, hi_);
}

template <class T>
Interval<T>::Interval(const T& lo, const T& hi) : lo_(copy_endpoint(lo)), hi_(copy_endpoint(hi)) {
    check_endpoints(lo_, hi_);
}

template <class T>
Interval<T>::Interval(const Interval& other)
    : lo_(copy_endpoint(other.lo_)), hi_(copy_endpoint(other.hi_)) {}

template <class T>
Interval<T>::~Interval() requires(!std::same_as<T, double>) {
    detail::release_mpfr(hi_);
    detail::release_mpfr(lo_);
}

template <class T>
Interval<T> Interval<T>::from_integer(long long s, bool is_signed, unsigned long long u) {
    const detail::SseDefault sse_guard;
    Mpfr m = mpfr_with_precision(std::max(64L, working_precision()));
    if (is_signed)
        mpfr_set_sj(raw(m), s, MPFR_RNDN);
    else
        mpfr_set_uj(raw(m), u, MPFR_RNDN);
    if constexpr (std::is_same_v<T, double>) {
        return Kernels::make<double>(mpfr_get_d(raw(m), MPFR_RNDD), mpfr_get_d(raw(m), MPFR_RNDU));
    } else {
        Mpfr lo = copy_endpoint(m);  // before m is moved from
        return Kernels::make<Mpfr>(std::move(lo), std::move(m));
    }
}

template <class T>
Interval<T> Interval<T>::entire() {
    return Kernels::make<T>(negated(plus_infinity<T>()), plus_infinity<T>());
}

// ---- accessors ----

template <class T>
T Interval<T>::mid() const {
    const bool lo_inf = !is_finite_endpoint(lo_), hi_inf = !is_finite_endpoint(hi_);
    if (lo_inf || hi_inf) {
        if (sign(lo_) <= 0 && sign(hi_) >= 0) return zero_endpoint<T>();
        return lo_inf ? hi_ : lo_;
    }
    T m;
    if constexpr (std::is_same_v<T, double>) {
        m = 0.5 * lo_ + 0.5 * hi_;  // any rounding: clamped below
    } else {
        m = mpfr_with_precision(working_precision());
        mpfr_add(raw(m), raw(lo_), raw(hi_), MPFR_RNDN);
        mpfr_div_2ui(raw(m), raw(m), 1, MPFR_RNDN);
    }
    if (less(m, lo_)) return lo_;
    if (less(hi_, m)) return hi_;
    return m;
}

template <class T>
T Interval<T>::width() const {
    using E = Endpoint<T>;
    typename E::Guard g;
    T w = detail::blank_endpoint<T>();
    E::sub_up(g, w, hi_, lo_);
    return w;
}

template <class T>
T Interval<T>::rad() const {
    using E = Endpoint<T>;
    const T m = mid();
    typename E::Guard g;
    T a = detail::blank_endpoint<T>(), b = detail::blank_endpoint<T>();
    E::sub_up(g, a, m, lo_);
    E::sub_up(g, b, hi_, m);
    return less(a, b) ? b : a;
}

template <class T>
T Interval<T>::mag() const {
    return max_ref(absolute(lo_), absolute(hi_));
}

template <class T>
T Interval<T>::mig() const {
    if (sign(lo_) <= 0 && sign(hi_) >= 0) return zero_endpoint<T>();
    return min_ref(absolute(lo_), absolute(hi_));
}

template <class T>
double Interval<T>::lower_double() const {
    if constexpr (std::is_same_v<T, double>) {
        return lo_;
    } else {
        const detail::SseDefault sse_guard;
        return mpfr_get_d(raw(lo_), MPFR_RNDD);
    }
}

template <class T>
double Interval<T>::upper_double() const {
    if constexpr (std::is_same_v<T, double>) {
        return hi_;
    } else {
        const detail::SseDefault sse_guard;
        return mpfr_get_d(raw(hi_), MPFR_RNDU);
    }
}

template <class T>
bool Interval<T>::is_point() const {
    return !less(lo_, hi_);
}

template <class T>
bool Interval<T>::is_finite() const {
    return is_finite_endpoint(lo_) && is_finite_endpoint(hi_);
}

// ---- compound assignment ----

template <class T>
Interval<T>& Interval<T>::operator+=(const Interval& b) {
    if (Kernels::has_result_precision(*this))
        add_into(*this, *this, b);
    else
        *this = *this + b;
    return *this;
}

template <class T>
Interval<T>& Interval<T>::operator-=(const Interval& b) {
    if (&b != this && Kernels::has_result_precision(*this))
        sub_into(*this, *this, b);
    else
        *this = *this - b;
    return *this;
}

template <class T>
Interval<T>& Interval<T>::operator*=(const Interval& b) {
    *this = *this * b;
    return *this;
}

template <class T>
Interval<T>& Interval<T>::operator/=(const Interval& b) {
    *this = *this / b;
    return *this;
}

// ---- arithmetic ----

template <class T>
Interval<T> operator+(const Interval<T>& a, const Interval<T>& b) {
    Interval<T> r = Kernels::blank<T>();
    add_into(r, a, b);
    return r;
}

template <class T>
Interval<T> operator-(const Interval<T>& a, const Interval<T>& b) {
    Interval<T> r = Kernels::blank<T>();
    sub_into(r, a, b);
    return r;
}

template <class T>
Interval<T> operator*(const Interval<T>& a, const Interval<T>& b) {
    Interval<T> r = Kernels::blank<T>();
    mul_into(r, a, b);
    return r;
}

template <class T>
Interval<T> operator/(const Interval<T>& a, const Interval<T>& b) {
    if (possibly_zero(b)) return Interval<T>::entire();
    Interval<T> r = Kernels::blank<T>();
    div_into(r, a, b);
    return r;
}

template <class T>
Interval<T> operator-(const Interval<T>& a) {
    return Kernels::make<T>(negated(a.upper()), negated(a.lower()));
}

template <class T>
Interval<T> abs(const Interval<T>& x) {
    if (sign(x.lower()) >= 0) return x;
    if (sign(x.upper()) <= 0) return -x;
    return Kernels::make<T>(zero_endpoint<T>(), x.mag());
}

template <class T>
Interval<T> min(const Interval<T>& x, const Interval<T>& y) {
    return Kernels::make<T>(copy_endpoint(min_ref(x.lower(), y.lower())),
                            copy_endpoint(min_ref(x.upper(), y.upper())));
}

template <class T>
Interval<T> max(const Interval<T>& x, const Interval<T>& y) {
    return Kernels::make<T>(copy_endpoint(max_ref(x.lower(), y.lower())),
                            copy_endpoint(max_ref(x.upper(), y.upper())));
}

// ---- set operations ----

template <class T>
Interval<T> hull(const Interval<T>& a, const Interval<T>& b) {
    return Kernels::make<T>(copy_endpoint(min_ref(a.lower(), b.lower())),
                            copy_endpoint(max_ref(a.upper(), b.upper())));
}

template <class T>
std::optional<Interval<T>> intersect(const Interval<T>& a, const Interval<T>& b) {
    const T& lo = max_ref(a.lower(), b.lower());
    const T& hi = min_ref(a.upper(), b.upper());
    if (less(hi, lo)) return std::nullopt;
    return Kernels::make<T>(copy_endpoint(lo), copy_endpoint(hi));
}

template <class T>
bool contains(const Interval<T>& a, const std::type_identity_t<T>& v) {
    return less_equal(a.lower(), v) && less_equal(v, a.upper());
}

template <class T>
bool contains(const Interval<T>& a, const Interval<T>& b) {
    return subset(b, a);
}

template <class T>
bool subset(const Interval<T>& a, const Interval<T>& b) {
    return less_equal(b.lower(), a.lower()) && less_equal(a.upper(), b.upper());
}

template <class T>
bool interior(const Interval<T>& a, const Interval<T>& b) {
    return less(b.lower(), a.lower()) && less(a.upper(), b.upper());
}

template <class T>
bool overlaps(const Interval<T>& a, const Interval<T>& b) {
    return less_equal(a.lower(), b.upper()) && less_equal(b.lower(), a.upper());
}

// ---- comparisons ----

template <class T>
bool certainly_lt(const Interval<T>& a, const Interval<T>& b) {
    return less(a.upper(), b.lower());
}
template <class T>
bool certainly_le(const Interval<T>& a, const Interval<T>& b) {
    return less_equal(a.upper(), b.lower());
}
template <class T>
bool certainly_gt(const Interval<T>& a, const Interval<T>& b) {
    return certainly_lt(b, a);
}
template <class T>
bool certainly_ge(const Interval<T>& a, const Interval<T>& b) {
    return certainly_le(b, a);
}
template <class T>
bool possibly_lt(const Interval<T>& a, const Interval<T>& b) {
    return less(a.lower(), b.upper());
}
template <class T>
bool possibly_le(const Interval<T>& a, const Interval<T>& b) {
    return less_equal(a.lower(), b.upper());
}
template <class T>
bool possibly_gt(const Interval<T>& a, const Interval<T>& b) {
    return possibly_lt(b, a);
}
template <class T>
bool possibly_ge(const Interval<T>& a, const Interval<T>& b) {
    return possibly_le(b, a);
}
template <class T>
bool certainly_positive(const Interval<T>& a) {
    return sign(a.lower()) > 0;
}
template <class T>
bool certainly_negative(const Interval<T>& a) {
    return sign(a.upper()) < 0;
}
template <class T>
bool possibly_zero(const Interval<T>& a) {
    return sign(a.lower()) <= 0 && sign(a.upper()) >= 0;
}

// ---- conversions ----

IntervalD to_double(const IntervalM& x) {
    return Kernels::make<double>(x.lower_double(), x.upper_double());
}

IntervalM to_mpfr(const IntervalD& x) {
    return Kernels::make<Mpfr>(exact_mpfr(x.lower()), exact_mpfr(x.upper()));
}

long precision_bits(const IntervalM& x) {
    return std::max(precision_bits(x.lower()), precision_bits(x.upper()));
}

// ---- explicit instantiations ----

#define GRADCERT_INSTANTIATE_ARITH(T)                                                      \
    template class Interval<T>;                                                            \
    template Interval<T> operator+(const Interval<T>&, const Interval<T>&);                \
    template Interval<T> operator-(const Interval<T>&, const Interval<T>&);                \
    template Interval<T> operator*(const Interval<T>&, const Interval<T>&);                \
    template Interval<T> operator/(const Interval<T>&, const Interval<T>&);                \
    template Interval<T> operator-(const Interval<T>&);                                    \
    template Interval<T> abs(const Interval<T>&);                                          \
    template Interval<T> min(const Interval<T>&, const Interval<T>&);                      \
    template Interval<T> max(const Interval<T>&, const Interval<T>&);                      \
    template Interval<T> hull(const Interval<T>&, const Interval<T>&);                     \
    template std::optional<Interval<T>> intersect(const Interval<T>&, const Interval<T>&); \
    template bool contains(const Interval<T>&, const std::type_identity_t<T>&);            \
    template bool contains(const Interval<T>&, const Interval<T>&);                        \
    template bool subset(const Interval<T>&, const Interval<T>&);                          \
    template bool interior(const Interval<T>&, const Interval<T>&);                        \
    template bool overlaps(const Interval<T>&, const Interval<T>&);                        \
    template bool certainly_lt(const Interval<T>&, const Interval<T>&);                    \
    template bool certainly_le(const Interval<T>&, const Interval<T>&);                    \
    template bool certainly_gt(const Interval<T>&, const Interval<T>&);                    \
    template bool certainly_ge(const Interval<T>&, const Interval<T>&);                    \
    template bool possibly_lt(const Interval<T>&, const Interval<T>&);                     \
    template bool possibly_le(const Interval<T>&, const Interval<T>&);                     \
    template bool possibly_gt(const Interval<T>&, const Interval<T>&);                     \
    template bool possibly_ge(const Interval<T>&, const Interval<T>&);                     \
    template bool certainly_positive(const Interval<T>&);                                  \
    template bool certainly_negative(const Interval<T>&);                                  \
    template bool possibly_zero(const Interval<T>&);

GRADCERT_INSTANTIATE_ARITH(double)
GRADCERT_INSTANTIATE_ARITH(Mpfr)

}  // namespace gradcert
