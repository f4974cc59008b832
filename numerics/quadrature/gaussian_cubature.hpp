#pragma once
// Verified 1-D cubature of a Gaussian smoothing with no closed form (docs/mathematics.md §2,
// "Terms without closed-form smoothing"):
//
//   f̂(x) = E f(x + t z),  z ~ N(0, 1),  t > 0   (t = δ·s for a kernel N(0, s²); symmetric, so the
//                                                 sign in x ± tz does not matter),
//
// and its derivatives by the Gaussian integration by parts (Stein's identity, Hermite form)
//
//   f̂^{(k)}(x) = t^{−k} ∫ f(x + t z) He_k(z) φ(z) dz,   He_0 = 1, He_1 = z, He_2 = z² − 1,
//                                                       He_3 = z³ − 3z,
//
// valid for every continuous f of polynomial growth (no derivative of f is needed, so |x| and
// other non-smooth f are covered; the Dirac of |x|'' is accounted for exactly by this form).
//
// Enclosure of S_k(X) = {∫ f(x + tz) He_k(z) φ(z) dz : x ∈ X}:
//   - truncation: |z| <= R; the tail is bounded by 2 Σ_n e_n ∫_R^∞ v^n φ(v) dv where
//     Σ e_n v^n >= P(|X|max + t v)·|He_k(v)| and P is the polynomial growth bound of f
//     (numerics/expr/growth_bound.hpp), so |f(y)| <= P(|y|) for all y;
//   - [−R, R] is partitioned into cells [a, b] with dyadic ends (0 and ±1 are ends, so He_1, He_2
//     have one sign on every cell; He_3's roots ±√3 are detected); on each cell, with
//     c = (a + b)/2 and g(z) = f(x + tz):
//       order 2 (a slope G' on X + t[a, b] available, see the integrand's contract):
//         ∫ g w = g(c) ∫w + t ∫_a^c s(z)(z − c) w + t ∫_c^b s(z)(z − c) w,  s(z) ∈ G',
//         and (z − c)w has one sign on [a, c] and on [c, b], so each term is G'·∫(z − c)w
//         (w = He_k φ; on a cell where He_k changes sign: |t s (z − c)| <= t|G'|(b − a)/2);
//       order 0 (no slope, e.g. sqrt(|x|) at 0): G·∫w with G ⊇ f(X + t[a, b])
//         when w has one sign on the cell, else g(c)∫w ± wid(G)∫|w|;
//     the moments ∫ z^n φ over cells are enclosed in MPFR (Φ differences, φ at the ends, the
//     recursion ∫z^nφ = [−z^{n−1}φ] + (n−1)∫z^{n−2}φ) at 64 bits above the working precision and
//     rounded outward to double;
//   - the partition adapts: cells whose order-2 remainder of S_2 is widest at sample points of
//     the x-domain are bisected, `refine_rounds` times;
//   - the sums run in double-endpoint interval arithmetic (rigorous, numerics/interval), so the
//     width does not shrink below about 1e−15 relative whatever the MPFR working precision
//     (docs/numerics.md §4, like the fast sigmoid rule).
// enclose(X) intersects these natural sums with the mean-value forms at X's midpoint
// (f̂^{(k)}(X) ⊆ f̂^{(k)}(x_c) + f̂^{(k+1)}(X)(X − x_c)).
//
// Convergence: with a slope available everywhere the cell error is O(t²|f''| h³) per cell, so the
// enclosure width at a point decays like h² (order 2 in the cell width h); measured in
// tests/numerics/quadrature/gaussian_cubature_test.cpp.
//
// Contract of the integrand: value(Y) ⊇ {f(y) : y ∈ Y} (entire() allowed); value_and_slope(Y)
// gives the same value enclosure and, when it returns a slope, f is Lipschitz on Y and the slope
// encloses its (Clarke generalized) derivative at every y ∈ Y (f'(y) where f is C¹), so that
// f(b) − f(a) ∈ slope·(b − a) for a, b ∈ Y (Lebourg's mean value theorem); growth: |f(y)| <= Σ
// c_k|y|^k for ALL real y. A violation of the integrand's contract is the only way the enclosures
// can be wrong.
#include <array>
#include <functional>
#include <optional>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert {

// value and slope of f over an interval Y (one evaluation of first-order jets gives both).
struct CellEnclosure {
    IntervalD value;                 // ⊇ f(Y)
    std::optional<IntervalD> slope;  // see the contract above; nullopt: no slope shown
};

struct CubatureIntegrand {
    std::function<IntervalD(const IntervalD&)> value;
    std::function<CellEnclosure(const IntervalD&)> value_and_slope;
    std::function<double(double)> estimate;  // floating point f(y), for estimates only
    std::vector<double> growth;              // c_0..c_K >= 0
};

struct GaussianCubatureOptions {
    int cells_per_unit = 16;  // a power of two: cells of width 1/cells_per_unit on |z| <= core
    int core = 6;             // beyond the core, cells of width 1/4 up to R
    int refine_rounds = 2;    // adaptive bisection rounds
    double refine_fraction = 0.25;  // the widest fraction of cells bisected per round
    int refine_samples = 9;         // x sample points for the refinement scores
    double tail_target = 1e-14;     // R is the smallest of 8, 10, 12, 16, 24, 32, 48, 64 with the
                                    // tail bound over the domain below this (else 64)
    int estimate_nodes = 801;       // trapezoid nodes on [−9, 9] of the estimates
};

class GaussianCubature {
  public:
    // t: enclosure of the standard deviation (> 0); domain: the x-range the refinement samples
    // and the radius R is chosen for (soundness does not depend on it). Throws
    // std::invalid_argument for t not certainly > 0 or a non-power-of-two cells_per_unit.
    GaussianCubature(CubatureIntegrand f, const IntervalM& t, const IntervalD& domain,
                     GaussianCubatureOptions options = {});

    // S_k(X), k = 0..3 (see above), natural sums plus tail.
    std::array<IntervalD, 4> hermite_sums(const IntervalD& X) const;
    // Enclosures of f̂, f̂', f̂'' over X.
    std::array<IntervalD, 3> enclose(const IntervalD& X) const;
    // Floating-point (f̂, f̂', f̂'') at x (trapezoid rule; NOT rigorous).
    std::array<double, 3> estimate(double x) const;

    int cells() const { return static_cast<int>(cells_.size()); }
    double radius() const { return radius_; }
    // Upper bound of the tail |∫_{|z|>R} f(x + tz) He_k φ| over x ∈ X; +inf (never a throw) when
    // the bound overflows binary64 (|X| or the growth coefficients or the moments too large).
    double tail_bound(const IntervalD& X, int k) const;

  private:
    struct Cell {
        double a = 0, b = 0, c = 0;
        std::array<IntervalD, 4> mass;     // ∫_a^b He_k φ
        std::array<IntervalD, 4> left;     // ∫_a^c (z − c) He_k φ
        std::array<IntervalD, 4> right;    // ∫_c^b (z − c) He_k φ
        std::array<bool, 4> mixed{};       // He_k changes sign inside (a, b)
        std::array<double, 4> abs_mass{};  // >= ∫_a^b |He_k| φ
    };
    static Cell make_cell(double a, double b);
    // Adds the cell's contributions to S_0..S_3 over X; returns the width of the S_2 part.
    double add_cell(const Cell& cell, const IntervalD& X, std::array<IntervalD, 4>& sums) const;
    void refine(const IntervalD& domain);
    double tail_for(double magnitude, int k, double radius, const std::vector<double>& tau) const;
    static std::vector<double> tail_moments(double radius, int count);

    CubatureIntegrand f_;
    IntervalD t_;
    GaussianCubatureOptions options_;
    std::vector<Cell> cells_;
    double radius_ = 8;
    std::vector<double> tau_;  // upper bounds of ∫_R^∞ v^n φ(v) dv
};

}  // namespace gradcert
