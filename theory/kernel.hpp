#pragma once
// Smoothing kernels of docs/mathematics.md §2: f̂_δ(x) = E_u f(x − δu) for the three laws of u the
// suite offers.
//
// Ambient dimension. Kernel::dim is the dimension d of the space u lives in. It may exceed the
// dimension of the function being smoothed: a separable d-dimensional function is checked one
// coordinate at a time, each 1-D piece smoothed by the marginal of the d-dimensional kernel. Every
// formula here therefore uses Kernel::dim (ball moments (d+2)(d+4)…, Λ_d, variance 1/d), never the
// number of coordinates a term touches.
//
// All enclosures are rigorous (interval arithmetic at the working precision, no libm).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert::theory {

struct Kernel {
    enum class Kind {
        uniform_ball,  // u uniform on the unit Euclidean ball of R^d (Hazan et al.)       [P]
        gaussian_unit,  // u ~ N(0, I/d): E‖u‖² = 1, the normalisation behind δ = ηC/√b     [R]
        gaussian,       // u ~ N(0, I): what the AAAI code's explicit algorithm samples     [P]
        // Kernels given by φ and moments (theory/kernel_laws.hpp)                          [D]
        uniform_cube,  // u uniform on [−1, 1]^d
        laplace,       // independent standard Laplace coordinates
        student_t,     // multivariate t with ν degrees of freedom (cauchy: ν = 1), scale I
        stable         // isotropic symmetric α-stable, φ(t) = exp(−‖t‖^α)
    };
    Kind kind;
    int dim;                         // ambient dimension d ≥ 1
    int nu = 0;                      // student_t: odd ν ≥ 1
    IntervalM alpha = IntervalM(2);  // stable: α ∈ (0, 2] (enclosure of the exact decimal)
};

// "uniform-ball", "gaussian-unit", "gaussian", "uniform-cube", "laplace", "student-t", "stable"
// (the names used in family files and reports; "cauchy" is read as student-t with ν = 1).
std::string_view kernel_kind_name(Kernel::Kind kind);
// Inverse of kernel_kind_name, the one parser of kernel names (family files use it); throws
// gradcert::InputError "unknown kernel '<text>' (known: uniform-ball, gaussian-unit, gaussian)".
Kernel::Kind parse_kernel_kind(std::string_view text);
// Throws gradcert::InputError unless kernel.dim ≥ 1 and the parameters are valid
// (validate_kernel_parameters).
void validate_kernel(const Kernel& kernel);

// E‖u‖ [D] (std::domain_error when infinite: kernel_laws.hpp; the φ kernels there). Ball: d/(d+1)
// (radius density d r^{d−1}). Gaussian N(0, s²I): s·√2·Γ((d+1)/2)/Γ(d/2), with s = 1 (`gaussian`)
// or s = 1/√d (`gaussian-unit`, then ≤ 1). The Gamma ratio is enclosed through its exact recurrence
// (see gamma_half_ratio).
IntervalM kernel_mean_norm(const Kernel& kernel);

// E‖u‖² [D]: d/(d+2) (ball), 1 (gaussian-unit), d (gaussian).
IntervalM kernel_mean_square_norm(const Kernel& kernel);

// E[u_i²], the same for every coordinate; Σ_u = E[uuᵀ] = E[u_i²]·I [D]:
// 1/(d+2) (ball), 1/d (gaussian-unit), 1 (gaussian).
IntervalM kernel_coordinate_variance(const Kernel& kernel);

// The joint moment E[u^α] = E[Π_i u_i^{α_i}] over the first alpha.size() ≤ d coordinates (the
// others have exponent 0) [D]:
//   ball:        Π_i (α_i−1)!! / ((d+2)(d+4)…(d+|α|)) if every α_i is even, else 0 (NOT a product
//                of one-coordinate moments);
//   N(0, s²I):   s^{|α|} Π_i (α_i−1)!! if every α_i is even, else 0; s² = 1/d or 1.
// Throws std::invalid_argument if alpha.size() > d or an exponent is negative.
IntervalM kernel_moment(const Kernel& kernel, const std::vector<int>& alpha);

// r(d) = Γ((d+1)/2) / Γ(d/2) for d ≥ 1 [D], from r(1) = 1/√π, r(2) = √π/2 and
// r(d+2) = r(d)·(d+1)/d. Exact up to outward rounding; O(d) interval operations.
IntervalM gamma_half_ratio(int d);

// The law of the projection w·u for a direction w with |w| = 1 [D]: w·u has the law of
// scale·T, where T is
//   ball_marginal:    density c_d (1−t²)^{(d−1)/2} on [−1, 1] (first coordinate of the d-ball),
//   standard_normal:  N(0, 1);
// scale = 1 (ball), 1/√d (gaussian-unit), 1 (gaussian). For general w, w·u = |w|·scale·T.
struct ProjectionLaw {
    enum class Shape { ball_marginal, standard_normal };
    Shape shape;
    int ball_dim;     // d, meaningful for ball_marginal
    IntervalM scale;  // standard deviation factor of the unit-direction projection
};
ProjectionLaw projection_law(const Kernel& kernel);

// c_d = Γ(d/2+1) / (√π Γ((d+1)/2)) = (d/2) / (√π r(d)), the normaliser of the ball marginal [D].
IntervalM ball_marginal_normalizer(int d);

// Addition (issue 11, verified cubature): s when the kernel's one-dimensional law (of u_1, the
// marginal of the d-dimensional kernel) is N(0, s²): gaussian (s = 1), gaussian-unit (1/√d),
// stable with α = 2 exactly (√2); nullopt for every other kernel.
std::optional<IntervalM> gaussian_standard_deviation(const Kernel& kernel);

// Density of T ~ ball marginal at t (0 outside [−1, 1]) [D], enclosed for t in the interval.
IntervalM ball_marginal_density(int d, const IntervalM& t);

}  // namespace gradcert::theory
