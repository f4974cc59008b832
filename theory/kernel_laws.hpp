#pragma once
// Kernels defined by their characteristic function and moments (docs/mathematics.md §2,
// "Kernels given by φ and moments"): uniform-cube, laplace, student-t (odd ν), cauchy (= student-t
// with ν = 1) and isotropic symmetric α-stable. A smoothing rule asks a kernel only for what it
// needs: cos/sin ridge terms the characteristic function φ(t) = E e^{i t·u}, polynomial terms of
// degree k the moments of order ≤ k, exp ridge terms the moment-generating function E e^{t·u}.
// What does not exist is reported as missing (kernel_has_moment, kernel_mgf_missing), never
// enclosed by an infinite or wrong interval.
//
// The laws (u ∈ R^d, d = Kernel::dim):
//   uniform-cube  u uniform on [−1, 1]^d                φ(t) = Π sin t_i / t_i   all moments, MGF
//   laplace       independent densities ½e^{−|u_i|}     φ(t) = Π 1/(1 + t_i²)    all moments,
//                                                        MGF Π 1/(1 − t_i²) for every |t_i| < 1
//   student-t ν   u = z·√(ν/w), z ~ N(0, I), w ~ χ²_ν   φ(t) = φ_ν(‖t‖)          order < ν, no MGF
//   stable α      isotropic symmetric α-stable          φ(t) = exp(−‖t‖^α)       order < α (all
//                                                        for α = 2: u ~ N(0, 2I)), MGF only α = 2
// For odd ν = 2m + 1, φ_ν(s) = e^{−x} Σ_{k=0}^m c_k x^{m−k} with x = √ν s and
// c_k = (m+k)! / (k! (m−k)! 2^k (2m−1)!!) (the half-integer Bessel function K_{m+1/2}):
// ν = 1: e^{−s}; ν = 3: (1 + √3 s) e^{−√3 s}.
//
// All enclosures are rigorous: interval arithmetic at the working precision, series with
// enclosed remainders, MPFR's correctly rounded Γ; no libm.
#include <optional>
#include <string>
#include <vector>

#include "numerics/interval/interval.hpp"
#include "theory/kernel.hpp"

namespace gradcert::theory {

// The largest odd ν accepted (the closed form of φ_ν has (ν+1)/2 terms).
inline constexpr int kMaxStudentNu = 1001;

// True for the kernels of this file (the four kinds added after the ball and Gaussians).
bool is_phi_kernel(Kernel::Kind kind);

// Throws gradcert::InputError unless ν is odd in 1..kMaxStudentNu (student-t) and α is certainly
// in (0, 2] (stable); the message names the key: "nu = 2: must be an odd integer in 1..1001".
void validate_kernel_parameters(const Kernel& kernel);

// "student-t (nu = 3)", "stable (alpha = [1.5, 1.5])", "laplace", ... for messages.
std::string kernel_description(const Kernel& kernel);

// E‖u‖^k < ∞ (k ≥ 0): always for the ball, Gaussians, cube and Laplace; k < ν (student-t);
// k = 0, α = 2 exactly, or k < α certainly (stable).
bool kernel_has_moment(const Kernel& kernel, int k);
// "the kernel has no 2nd moment; f̂_δ is infinite" (even k) / "... is undefined" (odd k).
std::string missing_moment_message(int k);

// φ(t) = E e^{i t·u} for t ∈ R^{t.size()} (t.size() ≤ d, the other coordinates 0), enclosed for
// every t in the box. Defined for every kernel (the ball and Gaussians through
// kernel_cos_factor's formulas).
IntervalM kernel_characteristic(const Kernel& kernel, const std::vector<IntervalM>& t);

// Why E e^{t·u} may be infinite for some t in the box (e.g. "the kernel has no moment-generating
// function (E e^{t·u} = ∞ for every t ≠ 0)"), or nullopt when it is finite for every t in the box.
std::optional<std::string> kernel_mgf_missing(const Kernel& kernel,
                                              const std::vector<IntervalM>& t);
// E e^{t·u}; throws std::domain_error when kernel_mgf_missing says why it may be infinite.
IntervalM kernel_mgf(const Kernel& kernel, const std::vector<IntervalM>& t);

// The pieces kernel.cpp's switches delegate to for the kinds of this file (is_phi_kernel):
// E‖u‖ (std::domain_error when infinite: student-t ν = 1, stable α ≤ 1), E‖u‖² and E u_i²
// (std::domain_error when infinite), the joint moment E u^α (std::domain_error when it does not
// exist). E‖u‖ has no closed form for the cube in d ≥ 3 and Laplace in d ≥ 2; there it is the
// rigorous bracket [E max_i |u_i|, √(E‖u‖²)] = [d/(d+1), √(d/3)] (cube), [H_d, √(2d)] (Laplace,
// H_d the harmonic number), which is all the sufficient bound (an upper bound) needs.
bool phi_kernel_mean_norm_finite(const Kernel& kernel);
IntervalM phi_kernel_mean_norm(const Kernel& kernel);
IntervalM phi_kernel_coordinate_variance(const Kernel& kernel);
IntervalM phi_kernel_moment(const Kernel& kernel, const std::vector<int>& alpha);

// sin(s)/s and sinh(s)/s (1 at s = 0), enclosed for every s in the interval (series with an
// enclosed remainder near 0).
IntervalM sinc(const IntervalM& s);
IntervalM sinhc(const IntervalM& s);

// φ_ν(s) of the student-t kernel (odd ν), s ≥ 0.
IntervalM student_t_characteristic(int nu, const IntervalM& s);

}  // namespace gradcert::theory
