#pragma once
// The checker's own formulas for the kernels given by φ and moments (docs/certificate.md,
// "Kernels"), independent of theory/kernel_laws.cpp: hypergeometric and Bessel forms from Arb
// where gradcert uses series and finite sums.
//   uniform-cube   E u^β = Π 1/(β_i+1);   φ(t) = Π ₀F₁(; 3/2; −t_i²/4);   MGF Π ₀F₁(; 3/2; t_i²/4)
//   laplace        E u^β = Π β_i!;        φ(t) = Π 1/(1+t_i²);            MGF Π 1/(1−t_i²), |t_i| <
//   1 student-t ν    E u^β = Π(β_i−1)!!·ν^k Γ(ν/2−k)/(2^k Γ(ν/2)), 2k = |β| < ν;
//                  φ(t) = 2^{1−ν/2}/Γ(ν/2)·y^{ν/2} K_{ν/2}(y), y = √ν‖t‖ (Arb's Bessel K)
//   stable α       E u^β = 2^k Π(β_i−1)!! for α = 2 only;  φ(t) = exp(−‖t‖^α);  MGF exp(‖t‖²), α =
//   2
// What does not exist (a moment of too high an order, an MGF) throws NotSupported: the checker
// never confirms a claim about an f̂_δ that is infinite.
#include <optional>
#include <vector>

#include "verify/recheck/ball.hpp"
#include "verify/recheck/terms.hpp"

namespace gradcert::recheck {

enum class Kernel {
    uniform_ball,
    gaussian_unit,
    gaussian,
    uniform_cube,
    laplace,
    student_t,
    stable
};

// A kernel with its parameters as the certificate states them.
struct KernelLaw {
    KernelLaw(Kernel k = Kernel::gaussian) : kind(k) {}  // NOLINT: a kernel without parameters
    Kernel kind;
    long nu = 0;               // student-t
    std::optional<Rat> alpha;  // stable (exact decimal)
};

bool is_phi_kernel(Kernel k);
// E‖u‖^n < ∞.
bool has_moment(const KernelLaw& k, int n);
// E u^β (every β_i even, |β| with has_moment); throws NotSupported otherwise.
Ball phi_moment(const KernelLaw& k, const std::vector<int>& beta);
// φ(t) (cos, sin) or E e^{t·u} (exp) at t = δw; throws NotSupported when the MGF is infinite.
Ball phi_ridge_factor(const KernelLaw& k, Ridge g, const Vec& t);

}  // namespace gradcert::recheck
