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
// Sparsity: each operation first finds the support of its operands (the variables i with a
// gradient entry or a Hessian entry in row/column i that is not exactly zero — a cheap scan, so it
// is correct however the operands were built) and computes only the entries inside the union of
// the supports; the others are exact zeros. Functions that are sums of terms in few variables
// (Rosenbrock, separable or banded objectives) cost far less than n² per operation.
// Storage: operations on temporaries (rvalue jets) update them in place, so an expression
// allocates a new n×n Hessian only where it starts from named jets.
#include <Eigen/Core>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "numerics/autodiff/scalar_ops.hpp"
#include "numerics/util/error.hpp"

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

// Intervals default-construct to [0, 0]; plain scalars need explicit zeros.
template <class S>
typename Jet<S>::Vector zero_vector(int n) {
    typename Jet<S>::Vector v(n);
    if constexpr (!is_interval_v<S>) v.setZero();
    return v;
}

template <class S>
typename Jet<S>::Matrix zero_matrix(int n) {
    typename Jet<S>::Matrix m(n, n);
    if constexpr (!is_interval_v<S>) m.setZero();
    return m;
}

inline void require_valid_dimension(int n) {
    if (n < 0) throw InternalError("Jet: negative dimension " + std::to_string(n));
}

template <class S>
void require_same_dimension(const Jet<S>& a, const Jet<S>& b) {
    if (a.dim() != b.dim())
        throw InternalError("Jet: operands of dimension " + std::to_string(a.dim()) + " and " +
                            std::to_string(b.dim()));
}

template <class S>
bool is_exact_zero(const S& x) {
    if constexpr (is_interval_v<S>)
        return x.lower() == 0 && x.upper() == 0;
    else
        return x == 0;
}

// Sorted indices i where grad_i or some H_ij (upper triangle read) is not exactly zero.
template <class S>
std::vector<int> support(const Jet<S>& u) {
    const int n = u.dim();
    std::vector<char> in(n, 0);
    for (int j = 0; j < n; ++j) {
        if (!is_exact_zero(u.grad[j])) in[j] = 1;
        for (int i = 0; i <= j; ++i)
            if (!is_exact_zero(u.hess(i, j))) in[i] = in[j] = 1;
    }
    std::vector<int> idx;
    for (int i = 0; i < n; ++i)
        if (in[i]) idx.push_back(i);
    return idx;
}

inline std::vector<int> merge_supports(const std::vector<int>& a, const std::vector<int>& b) {
    std::vector<int> r;
    r.reserve(a.size() + b.size());
    size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i] < b[j]))
            r.push_back(a[i++]);
        else if (i == a.size() || b[j] < a[i])
            r.push_back(b[j++]);
        else {
            r.push_back(a[i++]);
            ++j;
        }
    }
    return r;
}

// Copies the upper-triangle entries (i <= j, both in idx) into the lower triangle.
template <class M>
void mirror_on_support(M& m, const std::vector<int>& idx) {
    for (size_t b = 0; b < idx.size(); ++b)
        for (size_t a = 0; a < b; ++a) m(idx[b], idx[a]) = m(idx[a], idx[b]);
}

// u ← φ(u) in place, from the derivative triple d = (φ(u), φ'(u), φ''(u)) over the value of u.
template <class S>
void apply_chain(Jet<S>& u, UnaryDerivatives<S> d) {
    const std::vector<int> idx = support(u);
    std::vector<S> scaled(idx.size());  // φ''(u)·g_u
    for (size_t a = 0; a < idx.size(); ++a) scaled[a] = d.second * u.grad[idx[a]];
    for (size_t b = 0; b < idx.size(); ++b) {
        const int j = idx[b];
        for (size_t a = 0; a < b; ++a) {
            const int i = idx[a];
            u.hess(i, j) = d.first * u.hess(i, j) + scaled[a] * u.grad[j];
        }
        u.hess(j, j) = d.first * u.hess(j, j) + d.second * scalar_ops::square(u.grad[j]);
    }
    for (size_t a = 0; a < idx.size(); ++a) u.grad[idx[a]] = d.first * u.grad[idx[a]];
    mirror_on_support(u.hess, idx);
    u.value = std::move(d.value);
}

// u ← u·v in place (u and v distinct objects): H = u·H_v + v·H_u + g_u g_vᵀ + g_v g_uᵀ.
template <class S>
void multiply_in_place(Jet<S>& u, const Jet<S>& v) {
    require_same_dimension(u, v);
    const std::vector<int> idx = merge_supports(support(u), support(v));
    for (size_t b = 0; b < idx.size(); ++b) {
        const int j = idx[b];
        for (size_t a = 0; a < b; ++a) {
            const int i = idx[a];
            u.hess(i, j) = u.value * v.hess(i, j) + v.value * u.hess(i, j) +
                           (u.grad[i] * v.grad[j] + v.grad[i] * u.grad[j]);
        }
        u.hess(j, j) =
            u.value * v.hess(j, j) + v.value * u.hess(j, j) + 2 * (u.grad[j] * v.grad[j]);
    }
    for (const int j : idx) u.grad[j] = u.value * v.grad[j] + v.value * u.grad[j];
    mirror_on_support(u.hess, idx);
    u.value *= v.value;
}

// u ← u ± v on the support of v.
template <class S, bool Subtract>
void accumulate(Jet<S>& u, const Jet<S>& v) {
    require_same_dimension(u, v);
    const std::vector<int> idx = support(v);
    if constexpr (Subtract)
        u.value -= v.value;
    else
        u.value += v.value;
    for (size_t b = 0; b < idx.size(); ++b) {
        const int j = idx[b];
        if constexpr (Subtract)
            u.grad[j] -= v.grad[j];
        else
            u.grad[j] += v.grad[j];
        for (size_t a = 0; a <= b; ++a) {
            if constexpr (Subtract)
                u.hess(idx[a], j) -= v.hess(idx[a], j);
            else
                u.hess(idx[a], j) += v.hess(idx[a], j);
        }
    }
    mirror_on_support(u.hess, idx);
}

// u ← c·u (or u/c) on the support of u (entries outside stay exact zeros).
template <class S, bool Divide>
void scale(Jet<S>& u, const S& c) {
    const std::vector<int> idx = support(u);
    if constexpr (Divide)
        u.value /= c;
    else
        u.value *= c;
    for (size_t b = 0; b < idx.size(); ++b) {
        const int j = idx[b];
        if constexpr (Divide)
            u.grad[j] /= c;
        else
            u.grad[j] *= c;
        for (size_t a = 0; a <= b; ++a) {
            if constexpr (Divide)
                u.hess(idx[a], j) /= c;
            else
                u.hess(idx[a], j) *= c;
        }
    }
    mirror_on_support(u.hess, idx);
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
        throw InternalError("Jet::variable: index " + std::to_string(i) + " outside dimension " +
                            std::to_string(n));
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

// ---- additive operations (the rvalue overloads reuse the temporary's storage) --------------

template <class S>
Jet<S> operator-(Jet<S> u) {
    jet_detail::scale<S, false>(u, S(-1));
    return u;
}

template <class S>
Jet<S>& operator+=(Jet<S>& u, const Jet<S>& v) {
    if (&u == &v) {
        jet_detail::scale<S, false>(u, S(2));
        return u;
    }
    jet_detail::accumulate<S, false>(u, v);
    return u;
}

template <class S>
Jet<S>& operator-=(Jet<S>& u, const Jet<S>& v) {
    if (&u == &v) {
        jet_detail::scale<S, false>(u, S(0));
        return u;
    }
    jet_detail::accumulate<S, true>(u, v);
    return u;
}

template <class S>
Jet<S> operator+(const Jet<S>& u, const Jet<S>& v) {
    Jet<S> r = u;
    r += v;
    return r;
}
template <class S>
Jet<S> operator+(Jet<S>&& u, const Jet<S>& v) {
    u += v;
    return std::move(u);
}
template <class S>
Jet<S> operator+(const Jet<S>& u, Jet<S>&& v) {
    v += u;
    return std::move(v);
}
template <class S>
Jet<S> operator+(Jet<S>&& u, Jet<S>&& v) {
    u += v;
    return std::move(u);
}

template <class S>
Jet<S> operator-(const Jet<S>& u, const Jet<S>& v) {
    Jet<S> r = u;
    r -= v;
    return r;
}
template <class S>
Jet<S> operator-(Jet<S>&& u, const Jet<S>& v) {
    u -= v;
    return std::move(u);
}
template <class S>
Jet<S> operator-(const Jet<S>& u, Jet<S>&& v) {
    jet_detail::scale<S, false>(v, S(-1));
    v += u;
    return std::move(v);
}
template <class S>
Jet<S> operator-(Jet<S>&& u, Jet<S>&& v) {
    u -= v;
    return std::move(u);
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
Jet<S> operator-(const std::type_identity_t<S>& c, Jet<S> u) {
    jet_detail::scale<S, false>(u, S(-1));
    u.value += c;
    return u;
}

// ---- multiplicative operations -----------------------------------------------------------

template <class S>
Jet<S>& operator*=(Jet<S>& u, const std::type_identity_t<S>& c) {
    jet_detail::scale<S, false>(u, c);
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
Jet<S>& operator*=(Jet<S>& u, const Jet<S>& v) {
    if (&u == &v) {
        const Jet<S> copy = v;
        jet_detail::multiply_in_place(u, copy);
    } else {
        jet_detail::multiply_in_place(u, v);
    }
    return u;
}
template <class S>
Jet<S> operator*(const Jet<S>& u, const Jet<S>& v) {
    Jet<S> r = u;
    r *= v;
    return r;
}
template <class S>
Jet<S> operator*(Jet<S>&& u, const Jet<S>& v) {
    u *= v;
    return std::move(u);
}
template <class S>
Jet<S> operator*(const Jet<S>& u, Jet<S>&& v) {
    v *= u;
    return std::move(v);
}
template <class S>
Jet<S> operator*(Jet<S>&& u, Jet<S>&& v) {
    u *= v;
    return std::move(u);
}

template <class S>
Jet<S> reciprocal(Jet<S> u) {
    jet_detail::apply_chain(u, scalar_ops::reciprocal_d(u.value));
    return u;
}

template <class S>
Jet<S>& operator/=(Jet<S>& u, const Jet<S>& v) {
    u *= reciprocal(v);
    return u;
}
template <class S>
Jet<S> operator/(const Jet<S>& u, const Jet<S>& v) {
    return reciprocal(v) * u;
}
template <class S>
Jet<S> operator/(Jet<S>&& u, const Jet<S>& v) {
    u *= reciprocal(v);
    return std::move(u);
}
template <class S>
Jet<S> operator/(const Jet<S>& u, Jet<S>&& v) {
    return reciprocal(std::move(v)) * u;
}
template <class S>
Jet<S> operator/(Jet<S>&& u, Jet<S>&& v) {
    u *= reciprocal(std::move(v));
    return std::move(u);
}

template <class S>
Jet<S>& operator/=(Jet<S>& u, const std::type_identity_t<S>& c) {
    jet_detail::scale<S, true>(u, c);
    return u;
}

template <class S>
Jet<S> operator/(Jet<S> u, const std::type_identity_t<S>& c) {
    u /= c;
    return u;
}

template <class S>
Jet<S> operator/(const std::type_identity_t<S>& c, Jet<S> u) {
    u = reciprocal(std::move(u));
    u *= c;
    return u;
}

// ---- elementary functions (chain rule with exact-range derivative enclosures) -------------

#define GRADCERT_JET_UNARY(name, triple)                         \
    template <class S>                                           \
    Jet<S> name(Jet<S> u) {                                      \
        jet_detail::apply_chain(u, scalar_ops::triple(u.value)); \
        return u;                                                \
    }
GRADCERT_JET_UNARY(exp, exp_d)
GRADCERT_JET_UNARY(log, log_d)
GRADCERT_JET_UNARY(sqrt, sqrt_d)
GRADCERT_JET_UNARY(sin, sin_d)
GRADCERT_JET_UNARY(cos, cos_d)
GRADCERT_JET_UNARY(tanh, tanh_d)
GRADCERT_JET_UNARY(atan, atan_d)
// softplus(u) = log(1 + e^u), evaluated stably.
GRADCERT_JET_UNARY(softplus, softplus_d)
#undef GRADCERT_JET_UNARY

template <class S>
Jet<S> sqr(Jet<S> u) {
    jet_detail::apply_chain(u, scalar_ops::pow_int_d(u.value, 2));
    return u;
}

template <class S>
Jet<S> pow(Jet<S> u, int n) {
    if (n < 0) return reciprocal(pow(std::move(u), -n));
    jet_detail::apply_chain(u, scalar_ops::pow_int_d(u.value, n));
    return u;
}

// u^p for a real exponent p; for intervals the value of u must be certainly positive.
template <class S>
Jet<S> pow(Jet<S> u, const std::type_identity_t<S>& p) {
    jet_detail::apply_chain(u, scalar_ops::pow_real_d(u.value, p));
    return u;
}

// |u|. Where the sign of u is certain on the whole enclosure, the jet of ±u. Where u may vanish
// (interval S), |·| is Lipschitz but not differentiable: the returned gradient encloses the
// Clarke generalized gradient {s·∇u : s ∈ [−1, 1]} (so [−1, 1] for u = x), and the second
// derivative is a Dirac mass, so every Hessian entry in a row or column that u depends on is
// entire() (unbounded): no curvature bound, Krawczyk step or C² argument can rest on it. Callers
// that need f to be C¹/C² on the box must test the Hessian for finiteness
// (verify/cubature_objective.cpp does). Floating-point S: throws std::domain_error at u = 0.
template <class S>
Jet<S> abs(Jet<S> u) {
    if constexpr (is_interval_v<S>) {
        if (certainly_positive(u.value)) return u;
        if (certainly_negative(u.value)) return -std::move(u);
        const int n = u.dim();
        std::vector<bool> touched(static_cast<std::size_t>(n), false);
        for (int i = 0; i < n; ++i) {
            bool t = !jet_detail::is_exact_zero(u.grad[i]);
            for (int k = 0; k < n && !t; ++k) t = !jet_detail::is_exact_zero(u.hess(i, k));
            touched[static_cast<std::size_t>(i)] = t;
        }
        u.value = abs(u.value);
        const S sign = hull(S(-1), S(1));
        for (int i = 0; i < n; ++i) u.grad[i] = sign * u.grad[i];
        for (int i = 0; i < n; ++i)
            for (int k = 0; k < n; ++k)
                if (touched[static_cast<std::size_t>(i)] && touched[static_cast<std::size_t>(k)])
                    u.hess(i, k) = S::entire();
        return u;
    } else {
        if (u.value > 0) return u;
        if (u.value < 0) return -std::move(u);
        throw DomainError("Jet abs: argument zero, |u| not twice differentiable");
    }
}

}  // namespace gradcert
