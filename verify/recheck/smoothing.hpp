#pragma once
// f̂_δ(x) = E f(x − δu) in closed form for the term classes of terms.hpp, and its value,
// gradient and Hessian over a box (docs/certificate.md). Kernels: uniform-ball (u uniform on the
// unit d-ball), gaussian-unit (u ~ N(0, I/d)), gaussian (u ~ N(0, I)), and the kernels given by φ
// and moments (phi_kernels.hpp).
//   monomials: E(x − δu)^α = Σ_{β≤α} Π C(α_i, β_i) x^{α−β} (−δ)^{|β|} E u^β, with the moments
//     ball: Π(β_i − 1)!! / ((d+2)(d+4)…(d+|β|)), Gaussian N(0, s²I): s^{|β|} Π(β_i − 1)!!
//     (all-even β; 0 otherwise);
//   cos/sin ridges: g(w·x + b) times the characteristic function φ(δw) of the symmetric u
//     (Gaussian exp(−s²δ²|w|²/2), ball ₀F₁(; d/2 + 1; −δ²|w|²/4));
//   exp ridges: times the moment generating function (Gaussian exp(s²δ²|w|²/2), ball
//     ₀F₁(; d/2 + 1; δ²|w|²/4)).
#include <map>
#include <vector>

#include "verify/recheck/phi_kernels.hpp"
#include "verify/recheck/terms.hpp"

namespace gradcert::recheck {

// E u^β for the kernel in dimension d (exact rational, as a ball); the ball and Gaussians only
// (the φ kernels: phi_kernels.hpp).
Ball kernel_moment(Kernel k, int d, const std::vector<int>& beta);
// φ(δw) (cos, sin) or the MGF (exp) as a function of t² = δ²|w|².
Ball ridge_factor(Kernel k, int d, Ridge g, const Ball& t2);

struct Smoothed {
    int dim = 0;
    std::map<std::vector<int>, Ball> poly;  // x^β → coefficient
    std::vector<Term> ridges;               // coefficients include the ridge factor
};
// Throws NotSupported for a term whose smoothed value does not exist under the kernel.
Smoothed smooth(const std::vector<Term>& f, int dim, const KernelLaw& k, const Ball& delta);

struct Jet {
    Ball value;
    Vec grad;
    std::vector<Vec> hess;
};
// Enclosures of f̂, ∇f̂ (order ≥ 1) and ∇²f̂ (order 2) over the box x (a point: lo = hi).
Jet evaluate(const Smoothed& s, const Box& x, int order);

}  // namespace gradcert::recheck
