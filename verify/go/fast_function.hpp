#pragma once
// Floating-point evaluation of f = polynomial + Σ ridge terms (an expr::Decomposition) and of
// its smoothing f̂_δ in closed form, fast enough for the inner loops of explicit graduated
// optimization (millions of gradient calls). Sparse: a monomial stores only its nonzero
// exponents, a ridge term only its nonzero weights, so a separable 50-D function costs O(d).
//
// Everything here is an ESTIMATE in binary64 (coefficients are the doubles nearest the
// enclosures' midpoints, cos/exp from libm); nothing here is rigorous. Closed forms are those of
// docs/mathematics.md §2 as implemented by theory::SmoothedFunction: the smoothed polynomial is
// taken from SmoothedFunction::smoothed_polynomial(), cos/sin/exp ridge terms are scaled by
// theory::kernel_cos_factor / kernel_exp_factor at r = δ|w|. General ridge terms (softplus,
// tanh) have no closed form: for those, smoothed() falls back to
// SmoothedFunction::gradient_estimate (Simpson quadrature, slower).
#include <Eigen/Core>
#include <memory>
#include <utility>
#include <vector>

#include "numerics/expr/decompose.hpp"
#include "numerics/interval/interval.hpp"
#include "theory/kernel.hpp"
#include "theory/smoothed_function.hpp"

namespace gradcert::verify::go {

class FastFunction {
  public:
    // f itself (δ = 0).
    explicit FastFunction(const expr::Decomposition& f);
    // f̂_δ under `kernel` (kernel.dim may exceed f.dim, as in theory::SmoothedFunction).
    static FastFunction smoothed(const expr::Decomposition& f, const theory::Kernel& kernel,
                                 const IntervalM& delta);

    int dim() const { return dim_; }
    double value(const Eigen::VectorXd& x) const;
    // Writes ∇ at x into g (resized to dim()).
    void gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) const;
    Eigen::VectorXd gradient(const Eigen::VectorXd& x) const;

  private:
    struct Monomial {
        double coeff;
        std::vector<std::pair<int, int>> powers;  // (coordinate, exponent >= 1)
    };
    struct Ridge {
        expr::RidgeKind kind;
        expr::RidgeFunction g;
        double coeff;
        std::vector<std::pair<int, double>> w;  // nonzero weights
        double offset;
    };
    FastFunction() = default;
    void add_ridges(const expr::Decomposition& f, const theory::Kernel* kernel,
                    const IntervalM* delta);

    int dim_ = 0;
    std::vector<Monomial> monomials_;
    std::vector<Ridge> ridges_;
    // Set when f has general ridge terms and δ > 0: evaluation goes through it instead.
    std::shared_ptr<const theory::SmoothedFunction> fallback_;
};

}  // namespace gradcert::verify::go
