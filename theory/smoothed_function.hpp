#pragma once
// f̂_δ(x) = E_u f(x − δu) for f given as an expr::Decomposition (polynomial + ridge terms), under
// one of the kernels of theory/kernel.hpp, in closed form where docs/mathematics.md §2 gives one
// [D]:
//
//   polynomial   E[Π_i (x_i − δu_i)^{α_i}] = Σ_{β ≤ α, β even} Π_i C(α_i, β_i) x_i^{α_i−β_i}
//                δ^{|β|} E[u^β], with the kernel's JOINT moments (theory::kernel_moment);
//   cos/sin      c·F(δ|w|)·cos/sin(w·x + φ), F = Λ_d (ball) or e^{−s²δ²|w|²/2} (N(0, s²I)),
//                and F = φ(δw) for the kernels of theory/kernel_laws.hpp;
//   exp          c·G(δ|w|)·e^{w·x + φ},      G = ₀F₁(; d/2+1; δ²|w|²/4) (ball) or e^{s²δ²|w|²/2},
//                and G = E e^{δw·u} (the MGF) for the kernels of theory/kernel_laws.hpp;
//   other ridge  c·E[g(w·x + φ + δ|w|·scale·T)] (softplus, tanh), T the kernel's projection law,
//                by verified quadrature (numerics/quadrature/ridge_integral.hpp): value E[g],
//                gradient w·E[g'], Hessian wwᵀ·E[g''].
//
// d is always the kernel's ambient dimension, which may exceed the decomposition's dimension
// (a separable function's 1-D pieces are smoothed by the marginal of the d-dimensional kernel).
//
// Rigorous enclosures (evaluate, value, gradient) are interval computations at the working
// precision of the calling thread; the *_estimate functions are floating point (libm, Simpson
// quadrature for general ridges) for plots and for proposing candidates, and are NOT rigorous.
#include <Eigen/Core>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "numerics/autodiff/jet.hpp"
#include "numerics/expr/decompose.hpp"
#include "numerics/interval/interval.hpp"
#include "numerics/quadrature/ridge_integral.hpp"
#include "numerics/quadrature/sigmoid_ridge.hpp"
#include "theory/kernel.hpp"

namespace gradcert::theory {

struct SmoothedFunctionTables;  // the precomputed terms (smoothed_function.cpp)

struct SmoothingOptions {
    // Quadrature settings for general ridge terms (softplus, tanh) under the ball kernel, and
    // under the Gaussian kernels when fast_sigmoid_ridges is off or a ridge argument leaves
    // the fast tables' range.
    RidgeQuadratureOptions quadrature = {};
    // Gaussian kernels: smooth softplus/tanh ridges with the precomputed double-interval rule of
    // numerics/quadrature/sigmoid_ridge.hpp (rigorous, ~1e−12..1e−7 wide at a point whatever the
    // working precision, about 100× faster than the MPFR quadrature); off: MPFR quadrature at
    // the working precision.
    bool fast_sigmoid_ridges = true;
    SigmoidRidgeOptions sigmoid = {};
    // Intersect the natural box enclosure with the mean-value / second-order forms (value) and
    // the centered gradient form (one extra evaluation at the box center).
    bool centered_forms = true;
    // Simpson nodes of the floating-point estimates for general ridge terms under the ball
    // kernel (odd, >= 3).
    int estimate_nodes = 801;
    // (Under the Gaussian kernels the estimates use the trapezoidal rule on [−9, 9] with a step
    // chosen from the ridges' spreads, accurate to about 1e−15: see smoothed_function.cpp.)
};

class SmoothedFunction {
  public:
    // Throws std::invalid_argument if kernel.dim < f.dim or δ is not certainly >= 0, and
    // gradcert::InputError (from validate_kernel) for an invalid kernel and for a term f̂_δ does
    // not exist for or cannot enclose under the kernel (theory/smoothing_support.hpp).
    SmoothedFunction(const expr::Decomposition& f, const Kernel& kernel, const IntervalM& delta,
                     SmoothingOptions options = {});

    int dim() const { return dim_; }
    const Kernel& kernel() const { return kernel_; }
    const IntervalM& delta() const { return delta_; }
    const expr::Decomposition& decomposition() const { return f_; }

    // Enclosures of (f̂_δ, ∇f̂_δ, ∇²f̂_δ) over the box X (X.size() == dim(); X may be thin): for
    // every x ∈ X the exact values lie in the returned jet.
    Jet<IntervalM> evaluate(const VectorI<Mpfr>& X) const;
    // Enclosure of f̂_δ over X (no Hessian work).
    IntervalM value(const VectorI<Mpfr>& X) const;
    // Enclosure of ∇f̂_δ over X.
    VectorI<Mpfr> gradient(const VectorI<Mpfr>& X) const;

    // Floating-point estimates at a point (NOT rigorous).
    double value_estimate(const Eigen::VectorXd& x) const;
    Eigen::VectorXd gradient_estimate(const Eigen::VectorXd& x) const;
    Eigen::MatrixXd hessian_estimate(const Eigen::VectorXd& x) const;

    // For a separable f (every monomial and ridge term touches at most one coordinate): the
    // 1-D smoothed pieces f̂_i with f̂_δ(x) = Σ_i f̂_i(x_i), each with the same kernel (ambient
    // dimension d) and δ. Constant terms go to the first piece. Throws std::invalid_argument
    // if f is not separable.
    std::vector<SmoothedFunction> separable_pieces() const;

    // The smoothed polynomial part as exponent vector → coefficient enclosure (for tests and
    // reports): f̂_δ's polynomial equals Σ coeff·x^exponents.
    const std::map<std::vector<int>, IntervalM>& smoothed_polynomial() const { return poly_; }

  private:
    Jet<IntervalM> natural(const VectorI<Mpfr>& X, int order) const;
    Jet<double> natural_estimate(const Eigen::VectorXd& x) const;

    expr::Decomposition f_;
    Kernel kernel_;
    IntervalM delta_;
    SmoothingOptions options_;
    int dim_;
    std::map<std::vector<int>, IntervalM> poly_;
    std::shared_ptr<const SmoothedFunctionTables> tables_;  // immutable, shared by copies
    // Nodes and weights (Σ weights = 1) of the estimates' quadrature for T.
    std::vector<double> estimate_nodes_;
    std::vector<double> estimate_weights_;
};

// The smoothing factor E[cos(r·w·u/|w|)] for the kernel and r = δ|w| ≥ 0 [D]:
// Λ_d(r) (ball) or e^{−s²r²/2} (N(0, s²I), s² = 1/d or 1).
IntervalM kernel_cos_factor(const Kernel& kernel, const IntervalM& r);
// E[exp(r·w·u/|w|)] [D]: ₀F₁(; d/2+1; r²/4) (ball) or e^{s²r²/2}.
IntervalM kernel_exp_factor(const Kernel& kernel, const IntervalM& r);

}  // namespace gradcert::theory
