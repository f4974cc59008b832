#pragma once
// Forward-mode second-order jets: (value, gradient, Hessian) of a function of n variables, over
// S = IntervalD, IntervalM (rigorous enclosures) or double (floating point, for tests). The
// dimension n is chosen at run time.
//
// Contract (interval S): if every input jet encloses (u, ∇u, ∇²u) of some C² function at every
// point of a box, every operation returns a jet that encloses (φ, ∇φ, ∇²φ) of the result at the
// same points. Rules:
//   product   H = u·H_v + v·H_u + g_u g_vᵀ + g_v g_uᵀ
//   unary φ   H = φ'(u)·H_u + φ''(u)·g_u g_uᵀ
// Only the upper triangle of H is computed; the lower one is a copy (H is symmetric).
#include <Eigen/Core>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "numerics/autodiff/scalar_ops.hpp"

namespace gradcert {

template <class S>
struct Jet {
    using Scalar = S;
    using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
    using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;

    S value;
    Vector grad;
    Matrix hess;

    // The constant c as a function of n variables (zero gradient and Hessian).
    static Jet constant(const S& c, int n);
    // The coordinate function x_i (gradient e_i, zero Hessian) at the value x.
    static Jet variable(const S& x, int i, int n);

    int dim() const { return static_cast<int>(grad.size()); }
};

namespace jet_detail {

template <class S>
typename Jet<S>::Vector zero_vector(int n) {
    typename Jet<S>::Vector v(n);
    for (int i = 0; i < n; ++i) v[i] = S(0);
    return v;
}

template <class S>
typename Jet<S>::Matrix zero_matrix(int n) {
    typename Jet<S>::Matrix m(n, n);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) m(i, j) = S(0);
    return m;
}

inline void require_valid_dimension(int n) {
    if (n < 0) throw std::invalid_argument("Jet: negative dimension " + std::to_string(n));
}

template <class S>
void require_same_dimension(const Jet<S>& a, const Jet<S>& b) {
    if (a.dim() != b.dim())
        throw std::invalid_argument("Jet: operands of dimension " + std::to_string(a.dim()) +
                                    " and " + std::to_string(b.dim()));
}

// Copies the upper triangle of the n×n matrix m into its lower triangle.
template <class M>
void mirror_upper_triangle(M& m) {
    const Eigen::Index n = m.rows();
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = j + 1; i < n; ++i) m(i, j) = m(j, i);
}

// A jet of dimension n whose grad and hess have the right shape (entries to be overwritten).
template <class S>
Jet<S> shaped(S value, int n) {
    Jet<S> r;
    r.value = std::move(value);
    r.grad.resize(n);
    r.hess.resize(n, n);
    return r;
}

// φ(u) from the derivative triple d = (φ(u), φ'(u), φ''(u)) over the value enclosure of u.
template <class S>
Jet<S> chain(const Jet<S>& u, UnaryDerivatives<S> d) {
    const int n = u.dim();
    Jet<S> r = shaped(std::move(d.value), n);
    typename Jet<S>::Vector scaled(n);  // φ''(u)·g_u
    for (int i = 0; i < n; ++i) {
        r.grad[i] = d.first * u.grad[i];
        scaled[i] = d.second * u.grad[i];
    }
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < j; ++i) r.hess(i, j) = d.first * u.hess(i, j) + scaled[i] * u.grad[j];
        r.hess(j, j) = d.first * u.hess(j, j) + d.second * scalar_ops::square(u.grad[j]);
    }
    mirror_upper_triangle(r.hess);
    return r;
}

}  // namespace jet_detail

template <class S>
Jet<S> Jet<S>::constant(const S& c, int n) {
    jet_detail::require_valid_dimension(n);
    Jet r;
    r.value = c;
    r.grad = jet_detail::zero_vector<S>(n);
    r.hess = jet_detail::zero_matrix<S>(n);
    return r;
}

template <class S>
Jet<S> Jet<S>::variable(const S& x, int i, int n) {
    jet_detail::require_valid_dimension(n);
    if (i < 0 || i >= n)
        throw std::invalid_argument("Jet::variable: index " + std::to_string(i) +
                                    " outside dimension " + std::to_string(n));
    Jet r = constant(x, n);
    r.grad[i] = S(1);
    return r;
}

// The n coordinate jets x_0, …, x_{n−1} at the point (or box) x.
template <class S>
std::vector<Jet<S>> make_variables(const Eigen::Matrix<S, Eigen::Dynamic, 1>& x) {
    const int n = static_cast<int>(x.size());
    std::vector<Jet<S>> v;
    v.reserve(n);
    for (int i = 0; i < n; ++i) v.push_back(Jet<S>::variable(x[i], i, n));
    return v;
}

// ---- additive operations ---------------------------------------------------------------

template <class S>
Jet<S> operator-(const Jet<S>& u) {
    const int n = u.dim();
    Jet<S> r = jet_detail::shaped<S>(-u.value, n);
    for (int i = 0; i < n; ++i) r.grad[i] = -u.grad[i];
    for (int j = 0; j < n; ++j)
        for (int i = 0; i <= j; ++i) r.hess(i, j) = -u.hess(i, j);
    jet_detail::mirror_upper_triangle(r.hess);
    return r;
}

template <class S>
Jet<S>& operator+=(Jet<S>& u, const Jet<S>& v) {
    jet_detail::require_same_dimension(u, v);
    const int n = u.dim();
    u.value += v.value;
    for (int i = 0; i < n; ++i) u.grad[i] += v.grad[i];
    for (int j = 0; j < n; ++j)
        for (int i = 0; i <= j; ++i) u.hess(i, j) += v.hess(i, j);
    jet_detail::mirror_upper_triangle(u.hess);
    return u;
}

template <class S>
Jet<S>& operator-=(Jet<S>& u, const Jet<S>& v) {
    jet_detail::require_same_dimension(u, v);
    const int n = u.dim();
    u.value -= v.value;
    for (int i = 0; i < n; ++i) u.grad[i] -= v.grad[i];
    for (int j = 0; j < n; ++j)
        for (int i = 0; i <= j; ++i) u.hess(i, j) -= v.hess(i, j);
    jet_detail::mirror_upper_triangle(u.hess);
    return u;
}

template <class S>
Jet<S> operator+(Jet<S> u, const Jet<S>& v) {
    u += v;
    return u;
}

template <class S>
Jet<S> operator-(Jet<S> u, const Jet<S>& v) {
    u -= v;
    return u;
}

template <class S>
Jet<S>& operator+=(Jet<S>& u, const std::type_identity_t<S>& c) {
    u.value += c;
    return u;
}

template <class S>
Jet<S>& operator-=(Jet<S>& u, const std::type_identity_t<S>& c) {
    u.value -= c;
    return u;
}

template <class S>
Jet<S> operator+(Jet<S> u, const std::type_identity_t<S>& c) {
    u.value += c;
    return u;
}

template <class S>
Jet<S> operator+(const std::type_identity_t<S>& c, Jet<S> u) {
    u.value += c;
    return u;
}

template <class S>
Jet<S> operator-(Jet<S> u, const std::type_identity_t<S>& c) {
    u.value -= c;
    return u;
}

template <class S>
Jet<S> operator-(const std::type_identity_t<S>& c, const Jet<S>& u) {
    Jet<S> r = -u;
    r.value += c;
    return r;
}

// ---- multiplicative operations -----------------------------------------------------------

template <class S>
Jet<S>& operator*=(Jet<S>& u, const std::type_identity_t<S>& c) {
    const int n = u.dim();
    u.value *= c;
    for (int i = 0; i < n; ++i) u.grad[i] *= c;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i <= j; ++i) u.hess(i, j) *= c;
    jet_detail::mirror_upper_triangle(u.hess);
    return u;
}

template <class S>
Jet<S> operator*(Jet<S> u, const std::type_identity_t<S>& c) {
    u *= c;
    return u;
}

template <class S>
Jet<S> operator*(const std::type_identity_t<S>& c, Jet<S> u) {
    u *= c;
    return u;
}

// Product rule: H = u·H_v + v·H_u + g_u g_vᵀ + g_v g_uᵀ.
template <class S>
Jet<S> operator*(const Jet<S>& u, const Jet<S>& v) {
    jet_detail::require_same_dimension(u, v);
    const int n = u.dim();
    Jet<S> r = jet_detail::shaped<S>(u.value * v.value, n);
    for (int i = 0; i < n; ++i) r.grad[i] = u.value * v.grad[i] + v.value * u.grad[i];
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < j; ++i)
            r.hess(i, j) = u.value * v.hess(i, j) + v.value * u.hess(i, j) +
                           (u.grad[i] * v.grad[j] + v.grad[i] * u.grad[j]);
        r.hess(j, j) =
            u.value * v.hess(j, j) + v.value * u.hess(j, j) + 2 * (u.grad[j] * v.grad[j]);
    }
    jet_detail::mirror_upper_triangle(r.hess);
    return r;
}

template <class S>
Jet<S>& operator*=(Jet<S>& u, const Jet<S>& v) {
    u = u * v;
    return u;
}

template <class S>
Jet<S> reciprocal(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::reciprocal_d(u.value));
}

template <class S>
Jet<S> operator/(const Jet<S>& u, const Jet<S>& v) {
    return u * reciprocal(v);
}

template <class S>
Jet<S>& operator/=(Jet<S>& u, const Jet<S>& v) {
    u = u / v;
    return u;
}

template <class S>
Jet<S>& operator/=(Jet<S>& u, const std::type_identity_t<S>& c) {
    const int n = u.dim();
    u.value /= c;
    for (int i = 0; i < n; ++i) u.grad[i] /= c;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i <= j; ++i) u.hess(i, j) /= c;
    jet_detail::mirror_upper_triangle(u.hess);
    return u;
}

template <class S>
Jet<S> operator/(Jet<S> u, const std::type_identity_t<S>& c) {
    u /= c;
    return u;
}

template <class S>
Jet<S> operator/(const std::type_identity_t<S>& c, const Jet<S>& u) {
    return c * reciprocal(u);
}

// ---- elementary functions (chain rule with exact-range derivative enclosures) -------------

template <class S>
Jet<S> sqr(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::pow_int_d(u.value, 2));
}

template <class S>
Jet<S> pow(const Jet<S>& u, int n) {
    if (n < 0) return reciprocal(pow(u, -n));
    return jet_detail::chain(u, scalar_ops::pow_int_d(u.value, n));
}

// u^p for a real exponent p; for intervals the value of u must be certainly positive.
template <class S>
Jet<S> pow(const Jet<S>& u, const std::type_identity_t<S>& p) {
    return jet_detail::chain(u, scalar_ops::pow_real_d(u.value, p));
}

template <class S>
Jet<S> exp(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::exp_d(u.value));
}

template <class S>
Jet<S> log(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::log_d(u.value));
}

template <class S>
Jet<S> sqrt(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::sqrt_d(u.value));
}

template <class S>
Jet<S> sin(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::sin_d(u.value));
}

template <class S>
Jet<S> cos(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::cos_d(u.value));
}

template <class S>
Jet<S> tanh(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::tanh_d(u.value));
}

template <class S>
Jet<S> atan(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::atan_d(u.value));
}

// softplus(u) = log(1 + e^u), evaluated stably.
template <class S>
Jet<S> softplus(const Jet<S>& u) {
    return jet_detail::chain(u, scalar_ops::softplus_d(u.value));
}

// |u| where the sign of u is certain on the whole enclosure; throws std::domain_error where
// |·| may be non-differentiable (u possibly zero).
template <class S>
Jet<S> abs(const Jet<S>& u) {
    if constexpr (is_interval_v<S>) {
        if (certainly_positive(u.value)) return u;
        if (certainly_negative(u.value)) return -u;
        throw std::domain_error("Jet abs: argument possibly zero, |u| not twice differentiable");
    } else {
        if (u.value > 0) return u;
        if (u.value < 0) return -u;
        throw std::domain_error("Jet abs: argument zero, |u| not twice differentiable");
    }
}

}  // namespace gradcert
