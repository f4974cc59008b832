#pragma once
// Centered forms: enclosures of f and ∇f over a box X with center c whose overestimation is
// O(r²) in the box radius r (the natural jet enclosure over X overestimates by O(r)).
//
//   mean-value form     f(c) + ∇f(X)·(X − c)
//   second-order form   f(c) + ∇f(c)·(X − c) + ½ (X − c)ᵀ ∇²f(X) (X − c)
//   gradient form       ∇f(c) + ∇²f(X)(X − c)
//
// Each is a rigorous enclosure on its own (Taylor's theorem with the intermediate point in X);
// centered_enclosure intersects them with the natural enclosure. The Hessian part of the result
// is the natural enclosure ∇²f(X) (no third derivatives are available).
#include <Eigen/Core>
#include <optional>
#include <stdexcept>
#include <vector>

#include "numerics/autodiff/jet.hpp"
#include "numerics/util/error.hpp"

namespace gradcert {

namespace centered_detail {

template <class S>
S intersect_enclosures(const S& a, const S& b) {
    std::optional<S> r = intersect(a, b);
    // Two rigorous enclosures of the same quantity always overlap.
    if (!r) throw InternalError("centered form: disjoint enclosures (soundness bug)");
    return *r;
}

}  // namespace centered_detail

// X − c as an interval vector, with c the (exactly representable) midpoint of each X_i.
template <class S>
Eigen::Matrix<S, Eigen::Dynamic, 1> box_center(const Eigen::Matrix<S, Eigen::Dynamic, 1>& X) {
    Eigen::Matrix<S, Eigen::Dynamic, 1> c(X.size());
    for (Eigen::Index i = 0; i < X.size(); ++i) {
        const auto m = X[i].mid();
        c[i] = S(m, m);
    }
    return c;
}

// f(c) + ∇f(X)·(X − c), from the jet at the center and the jet over the box.
template <class S>
S mean_value_form(const Jet<S>& at_center, const Jet<S>& over_box,
                  const Eigen::Matrix<S, Eigen::Dynamic, 1>& offset) {
    S r = at_center.value;
    for (Eigen::Index i = 0; i < offset.size(); ++i) r += over_box.grad[i] * offset[i];
    return r;
}

// f(c) + ∇f(c)·(X − c) + ½ (X − c)ᵀ ∇²f(X) (X − c); diagonal terms use (X_i − c_i)², off-diagonal
// pairs are combined (H_ij = H_ji) so that each product appears once.
template <class S>
S second_order_form(const Jet<S>& at_center, const Jet<S>& over_box,
                    const Eigen::Matrix<S, Eigen::Dynamic, 1>& offset) {
    const Eigen::Index n = offset.size();
    S quadratic(0);
    for (Eigen::Index j = 0; j < n; ++j) {
        quadratic += over_box.hess(j, j) * sqr(offset[j]);
        for (Eigen::Index i = 0; i < j; ++i)
            quadratic += 2 * (over_box.hess(i, j) * (offset[i] * offset[j]));
    }
    S r = at_center.value + quadratic / 2;
    for (Eigen::Index i = 0; i < n; ++i) r += at_center.grad[i] * offset[i];
    return r;
}

// ∇f(c) + ∇²f(X)(X − c).
template <class S>
Eigen::Matrix<S, Eigen::Dynamic, 1> centered_gradient(
    const Jet<S>& at_center, const Jet<S>& over_box,
    const Eigen::Matrix<S, Eigen::Dynamic, 1>& offset) {
    const Eigen::Index n = offset.size();
    Eigen::Matrix<S, Eigen::Dynamic, 1> g(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        S gi = at_center.grad[i];
        for (Eigen::Index j = 0; j < n; ++j) gi += over_box.hess(i, j) * offset[j];
        g[i] = gi;
    }
    return g;
}

// Combines the natural enclosure over the box with the centered forms (see the file comment).
template <class S>
Jet<S> combine_centered(const Jet<S>& at_center, Jet<S> over_box,
                        const Eigen::Matrix<S, Eigen::Dynamic, 1>& offset) {
    using centered_detail::intersect_enclosures;
    const S mv = mean_value_form(at_center, over_box, offset);
    const S so = second_order_form(at_center, over_box, offset);
    const auto g = centered_gradient(at_center, over_box, offset);
    over_box.value = intersect_enclosures(intersect_enclosures(over_box.value, mv), so);
    for (Eigen::Index i = 0; i < offset.size(); ++i)
        over_box.grad[i] = intersect_enclosures(over_box.grad[i], g[i]);
    return over_box;
}

// Enclosure of (f, ∇f, ∇²f) over the box X, tightened by the centered forms. f is callable on
// const std::vector<Jet<S>>& (the coordinate jets) and returns Jet<S>; S is an interval type.
template <class S, class F>
Jet<S> centered_enclosure(F&& f, const Eigen::Matrix<S, Eigen::Dynamic, 1>& X) {
    static_assert(is_interval_v<S>, "centered_enclosure needs an interval scalar");
    const Eigen::Matrix<S, Eigen::Dynamic, 1> c = box_center(X);
    const Jet<S> at_center = f(make_variables(c));
    Jet<S> over_box = f(make_variables(X));
    Eigen::Matrix<S, Eigen::Dynamic, 1> offset(X.size());
    for (Eigen::Index i = 0; i < X.size(); ++i) offset[i] = X[i] - c[i];
    return combine_centered(at_center, std::move(over_box), offset);
}

}  // namespace gradcert
