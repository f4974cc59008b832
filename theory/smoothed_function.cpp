#include "theory/smoothed_function.hpp"

#include <gmp.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "numerics/autodiff/centered_form.hpp"
#include "numerics/special/ball.hpp"
#include "numerics/util/error.hpp"
#include "theory/exact.hpp"
#include "theory/kernel_laws.hpp"
#include "theory/smoothing_support.hpp"

namespace gradcert::theory {

IntervalM kernel_cos_factor(const Kernel& kernel, const IntervalM& r) {
    if (kernel.kind == Kernel::Kind::uniform_ball) return ball_characteristic(kernel.dim, r);
    return exp(-kernel_coordinate_variance(kernel) * sqr(r) / 2);
}

IntervalM kernel_exp_factor(const Kernel& kernel, const IntervalM& r) {
    if (kernel.kind == Kernel::Kind::uniform_ball) return hyp0f1_ball_exp(kernel.dim, r);
    return exp(kernel_coordinate_variance(kernel) * sqr(r) / 2);
}

// The x-independent data of f̂_δ, at interval (S = IntervalM) or floating-point (S = double)
// coefficients, and the evaluation of its natural enclosure / estimate.
namespace smoothing_detail {

double mid_double(const IntervalM& x) {
    return x.mid().convert_to<double>();
}

IntervalM power(const IntervalM& x, int e) {
    return e == 0 ? IntervalM(1) : pow(x, e);
}
double power(double x, int e) {
    return std::pow(x, e);
}

// C(n, k) for 0 ≤ k ≤ n, computed exactly in GMP (no fixed-width integer can hold C(1000, 500))
// and enclosed at the working precision: the point itself when it fits, else its two neighbours
// (rounded down and up), never a wrapped value.
IntervalM binomial(int n, int k) {
    if (n < 0 || k < 0 || k > n)
        throw InternalError("binomial: need 0 <= k <= n, got n = " + std::to_string(n) +
                            ", k = " + std::to_string(k));
    mpz_t exact;
    mpz_init(exact);
    mpz_bin_uiui(exact, static_cast<unsigned long>(n), static_cast<unsigned long>(k));
    Mpfr lo = mpfr_with_precision(working_precision());
    Mpfr hi = mpfr_with_precision(working_precision());
    mpfr_set_z(raw(lo), exact, MPFR_RNDD);
    mpfr_set_z(raw(hi), exact, MPFR_RNDU);
    mpz_clear(exact);
    return IntervalM(lo, hi);
}

template <class S>
struct RidgeData {
    expr::RidgeKind kind;
    expr::RidgeFunction g;
    S coeff;
    std::vector<int> support;  // indices with w_i possibly ≠ 0
    std::vector<S> w;          // full length
    S offset;
    S factor;  // cos/sin/exp smoothing factor
    S spread;  // general: z + spread·T
    // General ridge under a Gaussian kernel with fast_sigmoid_ridges (intervals only).
    std::shared_ptr<const GaussianSigmoidRidge> fast = nullptr;
};

template <class S>
struct TermTable {
    std::vector<std::pair<std::vector<int>, S>> monomials;
    std::vector<RidgeData<S>> ridges;
};

// Adds c·x^γ and its derivatives up to `order` to `out` (sparse in γ's support).
template <class S>
void add_monomial(Jet<S>& out, const S& c, const std::vector<int>& gamma, const std::vector<S>& x,
                  int order) {
    std::vector<int> support;
    for (int i = 0; i < static_cast<int>(gamma.size()); ++i)
        if (gamma[i] > 0) support.push_back(i);
    // Product of x_k^{γ_k − drop_k} over the support, with drop given for at most two indices.
    const auto product = [&](int i, int di, int j, int dj) {
        S p = c;
        for (int k : support) {
            int e = gamma[k];
            if (k == i) e -= di;
            if (k == j) e -= dj;
            p = p * power(x[k], e);
        }
        return p;
    };
    out.value += product(-1, 0, -1, 0);
    if (order < 1) return;
    for (int i : support) out.grad[i] += S(gamma[i]) * product(i, 1, -1, 0);
    if (order < 2) return;
    for (std::size_t a = 0; a < support.size(); ++a) {
        const int i = support[a];
        if (gamma[i] >= 2) out.hess(i, i) += S(gamma[i]) * S(gamma[i] - 1) * product(i, 2, -1, 0);
        for (std::size_t b = a + 1; b < support.size(); ++b) {
            const int j = support[b];
            const S h = S(gamma[i]) * S(gamma[j]) * product(i, 1, j, 1);
            out.hess(i, j) += h;
            out.hess(j, i) += h;
        }
    }
}

// (E[g], E[g'], E[g'']) of a general ridge at z: verified quadrature (intervals).
std::array<IntervalM, 3> general_moments(const RidgeData<IntervalM>& r, const IntervalM& z,
                                         const Kernel& kernel, const SmoothingOptions& options,
                                         const std::vector<double>&, const std::vector<double>&) {
    if (r.g != expr::RidgeFunction::softplus && r.g != expr::RidgeFunction::tanh)
        throw InternalError("SmoothedFunction: general ridge term without a function");
    if (r.fast)
        if (const auto m = r.fast->expectations(to_double(z)))
            return {to_mpfr((*m)[0]), to_mpfr((*m)[1]), to_mpfr((*m)[2])};
    const RidgeFunctionJet g = expr::ridge_function_jet(r.g);
    const RidgeLawSpec law = kernel.kind == Kernel::Kind::uniform_ball
                                 ? RidgeLawSpec{RidgeLaw::ball_marginal, kernel.dim}
                                 : RidgeLawSpec{RidgeLaw::standard_normal, 1};
    return ridge_expectations(g, z, r.spread, law, expr::growth_bound(r.g), options.quadrature);
}

// The same by a fixed quadrature rule in floating point (estimate).
std::array<double, 3> general_moments(const RidgeData<double>& r, double z, const Kernel&,
                                      const SmoothingOptions&, const std::vector<double>& nodes,
                                      const std::vector<double>& weights) {
    std::array<double, 3> m{0, 0, 0};
    for (std::size_t k = 0; k < nodes.size(); ++k) {
        const double y = z + r.spread * nodes[k];
        double g0, g1, g2;
        if (r.g == expr::RidgeFunction::softplus) {
            // One exponential: softplus(y) = max(y, 0) + log1p(e), e = e^{−|y|}.
            const double e = std::exp(-std::abs(y));
            const double s = y >= 0 ? 1 / (1 + e) : e / (1 + e);
            g0 = std::max(y, 0.0) + std::log1p(e);
            g1 = s;
            g2 = s * (1 - s);
        } else {
            const double t = std::tanh(y);
            g0 = t;
            g1 = 1 - t * t;
            g2 = -2 * t * (1 - t * t);
        }
        m[0] += weights[k] * g0;
        m[1] += weights[k] * g1;
        m[2] += weights[k] * g2;
    }
    return m;
}

IntervalM cosine(const IntervalM& z) {
    return cos(z);
}
IntervalM sine(const IntervalM& z) {
    return sin(z);
}
IntervalM exponential(const IntervalM& z) {
    return exp(z);
}
double cosine(double z) {
    return std::cos(z);
}
double sine(double z) {
    return std::sin(z);
}
double exponential(double z) {
    return std::exp(z);
}

// Adds one smoothed ridge term and its derivatives up to `order` to `out`.
template <class S>
void add_ridge(Jet<S>& out, const RidgeData<S>& r, const std::vector<S>& x, int order,
               const Kernel& kernel, const SmoothingOptions& options,
               const std::vector<double>& nodes, const std::vector<double>& weights) {
    S z = r.offset;
    for (int i : r.support) z = z + r.w[i] * x[i];
    S v0(0), v1(0), v2(0);  // multipliers of 1, w_i, w_i w_j
    switch (r.kind) {
        case expr::RidgeKind::cos: {
            const S a = r.coeff * r.factor;
            const S c = cosine(z);
            v0 = a * c;
            v1 = order >= 1 ? -(a * sine(z)) : S(0);
            v2 = -v0;
            break;
        }
        case expr::RidgeKind::sin: {
            const S a = r.coeff * r.factor;
            const S s = sine(z);
            v0 = a * s;
            v1 = order >= 1 ? a * cosine(z) : S(0);
            v2 = -v0;
            break;
        }
        case expr::RidgeKind::exp:
            v0 = v1 = v2 = r.coeff * r.factor * exponential(z);
            break;
        case expr::RidgeKind::general: {
            const auto m = general_moments(r, z, kernel, options, nodes, weights);
            v0 = r.coeff * m[0];
            v1 = r.coeff * m[1];
            v2 = r.coeff * m[2];
            break;
        }
    }
    out.value += v0;
    if (order < 1) return;
    for (int i : r.support) out.grad[i] += v1 * r.w[i];
    if (order < 2) return;
    for (int i : r.support)
        for (int j : r.support) out.hess(i, j) += v2 * (r.w[i] * r.w[j]);
}

template <class S>
Jet<S> evaluate_table(const TermTable<S>& table, const std::vector<S>& x, int order,
                      const Kernel& kernel, const SmoothingOptions& options,
                      const std::vector<double>& nodes, const std::vector<double>& weights) {
    const int n = static_cast<int>(x.size());
    Jet<S> out = Jet<S>::constant(S(0), n);
    for (const auto& [gamma, c] : table.monomials) add_monomial(out, c, gamma, x, order);
    for (const RidgeData<S>& r : table.ridges)
        add_ridge(out, r, x, order, kernel, options, nodes, weights);
    return out;
}

// Simpson weights on n (odd) equally spaced nodes, unnormalised.
std::vector<double> simpson_weights(int n) {
    std::vector<double> w(n, 2.0);
    for (int k = 1; k < n; k += 2) w[k] = 4.0;
    w.front() = w.back() = 1.0;
    return w;
}

// Trapezoidal rule for the standard normal on [−9, 9] (mass outside < 2e−19). For an integrand
// g(z + s t)·e^{−t²/2} analytic in the strip |Im t| < d the error is about e^{−2πd/h}: with the
// nearest singularity of softplus at Im y = π (tanh: π/2), d = π/s (π/(2s)), and h = 2πd/36 keeps
// it near 1e−16 (h at most 1/2).
void gaussian_trapezoid_rule(double strip, std::vector<double>& nodes,
                             std::vector<double>& weights) {
    const double pi = 3.14159265358979323846, cutoff = 9;
    const double h = std::min(0.5, 2 * pi * strip / 36);
    const int half = static_cast<int>(std::ceil(cutoff / h));
    nodes.clear();
    weights.clear();
    double total = 0;
    for (int k = -half; k <= half; ++k) {
        nodes.push_back(k * h);
        weights.push_back(std::exp(-nodes.back() * nodes.back() / 2));
        total += weights.back();
    }
    for (double& w : weights) w /= total;
}

// Nodes and normalised weights for T: the ball marginal via t = cos θ, weight ∝ sin^d θ on
// [0, π] (Simpson); the standard normal by the trapezoidal rule for the general ridges' spreads.
void estimate_rule(const Kernel& kernel, const SmoothingOptions& options,
                   const std::vector<RidgeData<IntervalM>>& ridges, std::vector<double>& nodes,
                   std::vector<double>& weights) {
    if (kernel.kind != Kernel::Kind::uniform_ball) {
        const double pi = 3.14159265358979323846;
        double strip = HUGE_VAL;
        for (const RidgeData<IntervalM>& r : ridges) {
            const double s = r.spread.upper_double();
            if (r.kind != expr::RidgeKind::general || !(s > 0)) continue;
            strip = std::min(strip, (r.g == expr::RidgeFunction::tanh ? pi / 2 : pi) / s);
        }
        return gaussian_trapezoid_rule(strip, nodes, weights);
    }
    const int n = options.estimate_nodes;
    if (n < 3 || n % 2 == 0)
        throw InternalError("SmoothingOptions::estimate_nodes must be odd and >= 3");
    const std::vector<double> simpson = simpson_weights(n);
    const double pi = 3.14159265358979323846;
    nodes.assign(n, 0);
    weights.assign(n, 0);
    double total = 0;
    for (int k = 0; k < n; ++k) {
        const double theta = pi * k / (n - 1);
        nodes[k] = std::cos(theta);
        weights[k] = simpson[k] * std::pow(std::sin(theta), kernel.dim);
        total += weights[k];
    }
    for (double& w : weights) w /= total;
}

}  // namespace smoothing_detail

using namespace smoothing_detail;

// ---- SmoothedFunction -------------------------------------------------------------------------

struct SmoothedFunctionTables {
    TermTable<IntervalM> rigorous;
    TermTable<double> estimate;
};

namespace {

std::map<std::vector<int>, IntervalM> smoothed_polynomial_of(const expr::Polynomial& p, int dim,
                                                             const Kernel& kernel,
                                                             const IntervalM& delta) {
    std::map<std::vector<int>, IntervalM> out;
    for (const expr::Monomial& m : p.terms) {
        std::vector<int> alpha = m.exponents;
        if (static_cast<int>(alpha.size()) > dim)
            throw InternalError("SmoothedFunction: monomial with too many exponents");
        alpha.resize(dim, 0);
        // Enumerate β ≤ α with every β_i even (odd moments vanish; (−δ)^{|β|} = δ^{|β|}).
        std::vector<int> beta(dim, 0);
        while (true) {
            IntervalM c = m.coeff;
            int total = 0;
            std::vector<int> rest(dim);
            for (int i = 0; i < dim; ++i) {
                c = c * binomial(alpha[i], beta[i]);
                total += beta[i];
                rest[i] = alpha[i] - beta[i];
            }
            if (total > 0) c = c * pow(delta, total) * kernel_moment(kernel, beta);
            auto [it, inserted] = out.try_emplace(rest, c);
            if (!inserted) it->second += c;
            // Next β (odometer over even values).
            int i = 0;
            while (i < dim) {
                beta[i] += 2;
                if (beta[i] <= alpha[i]) break;
                beta[i] = 0;
                ++i;
            }
            if (i == dim) break;
        }
    }
    return out;
}

IntervalM euclidean_norm(const std::vector<IntervalM>& w) {
    IntervalM s(0);
    for (const IntervalM& wi : w) s += sqr(wi);
    return sqrt(s);
}

template <class T>
RidgeData<double> to_estimate(const RidgeData<T>& r) {
    RidgeData<double> d{r.kind,
                        r.g,
                        mid_double(r.coeff),
                        r.support,
                        {},
                        mid_double(r.offset),
                        mid_double(r.factor),
                        mid_double(r.spread),
                        nullptr};
    for (const IntervalM& wi : r.w) d.w.push_back(mid_double(wi));
    return d;
}

}  // namespace

SmoothedFunction::SmoothedFunction(const expr::Decomposition& f, const Kernel& kernel,
                                   const IntervalM& delta, SmoothingOptions options)
    : f_(f), kernel_(kernel), delta_(delta), options_(options), dim_(f.dim) {
    validate_kernel(kernel);
    if (f.dim < 1 || kernel.dim < f.dim)
        throw InternalError("SmoothedFunction: kernel dimension " + std::to_string(kernel.dim) +
                            " below the function's " + std::to_string(f.dim));
    if (!certainly_ge(delta, IntervalM(0)))
        throw InternalError("SmoothedFunction: delta must be >= 0");

    if (const auto refusal = smoothing_refusal(f, kernel, {delta}))
        throw InputError(refusal_message(*refusal, kernel));

    auto tables = std::make_shared<SmoothedFunctionTables>();
    poly_ = smoothed_polynomial_of(f.poly, dim_, kernel, delta);
    for (const auto& [gamma, c] : poly_) {
        tables->rigorous.monomials.emplace_back(gamma, c);
        tables->estimate.monomials.emplace_back(gamma, mid_double(c));
    }
    const bool phi_kernel = is_phi_kernel(kernel.kind);
    for (const expr::RidgeTerm& t : f.ridges) {
        if (static_cast<int>(t.w.size()) != dim_)
            throw InternalError("SmoothedFunction: ridge direction of wrong length");
        RidgeData<IntervalM> r{t.kind,   t.g,          t.coeff,      {},     t.w,
                               t.offset, IntervalM(1), IntervalM(0), nullptr};
        for (int i = 0; i < dim_; ++i)
            if (!(t.w[i].is_point() && contains(t.w[i], IntervalM(0)))) r.support.push_back(i);
        const IntervalM radius = delta * euclidean_norm(t.w);  // δ|w|
        // The φ kernels are not all isotropic: their factors take the vector δw.
        std::vector<IntervalM> delta_w;
        for (const IntervalM& wi : t.w) delta_w.push_back(delta * wi);
        switch (t.kind) {
            case expr::RidgeKind::cos:
            case expr::RidgeKind::sin:
                r.factor = phi_kernel ? kernel_characteristic(kernel, delta_w)
                                      : kernel_cos_factor(kernel, radius);
                break;
            case expr::RidgeKind::exp:
                r.factor =
                    phi_kernel ? kernel_mgf(kernel, delta_w) : kernel_exp_factor(kernel, radius);
                break;
            case expr::RidgeKind::general:
                if (t.g != expr::RidgeFunction::softplus && t.g != expr::RidgeFunction::tanh)
                    throw InternalError("SmoothedFunction: unsupported ridge function");
                r.spread = radius * projection_law(kernel).scale;
                if (options.fast_sigmoid_ridges && kernel.kind != Kernel::Kind::uniform_ball)
                    r.fast = std::make_shared<const GaussianSigmoidRidge>(
                        t.g == expr::RidgeFunction::softplus ? SigmoidRidge::softplus
                                                             : SigmoidRidge::tanh,
                        r.spread, options.sigmoid);
                break;
        }
        tables->estimate.ridges.push_back(to_estimate(r));
        tables->rigorous.ridges.push_back(std::move(r));
    }
    estimate_rule(kernel, options, tables->rigorous.ridges, estimate_nodes_, estimate_weights_);
    tables_ = std::move(tables);
}

Jet<IntervalM> SmoothedFunction::natural(const VectorI<Mpfr>& X, int order) const {
    if (X.size() != dim_)
        throw InternalError("SmoothedFunction: box of dimension " + std::to_string(X.size()) +
                            ", expected " + std::to_string(dim_));
    const std::vector<IntervalM> x(X.data(), X.data() + X.size());
    return evaluate_table(tables_->rigorous, x, order, kernel_, options_, estimate_nodes_,
                          estimate_weights_);
}

namespace {

bool finite_box(const VectorI<Mpfr>& X) {
    for (Eigen::Index i = 0; i < X.size(); ++i)
        if (!X[i].is_finite()) return false;
    return true;
}

bool thin_box(const VectorI<Mpfr>& X) {
    for (Eigen::Index i = 0; i < X.size(); ++i)
        if (!X[i].is_point()) return false;
    return true;
}

VectorI<Mpfr> offsets(const VectorI<Mpfr>& X, const VectorI<Mpfr>& c) {
    VectorI<Mpfr> o(X.size());
    for (Eigen::Index i = 0; i < X.size(); ++i) o[i] = X[i] - c[i];
    return o;
}

}  // namespace

Jet<IntervalM> SmoothedFunction::evaluate(const VectorI<Mpfr>& X) const {
    Jet<IntervalM> over_box = natural(X, 2);
    if (!options_.centered_forms || thin_box(X) || !finite_box(X)) return over_box;
    const VectorI<Mpfr> c = box_center(X);
    return combine_centered(natural(c, 2), std::move(over_box), offsets(X, c));
}

IntervalM SmoothedFunction::value(const VectorI<Mpfr>& X) const {
    if (!options_.centered_forms || thin_box(X) || !finite_box(X)) return natural(X, 0).value;
    const Jet<IntervalM> over_box = natural(X, 1);
    const VectorI<Mpfr> c = box_center(X);
    const IntervalM mv = mean_value_form(natural(c, 0), over_box, offsets(X, c));
    const std::optional<IntervalM> r = intersect(over_box.value, mv);
    if (!r) throw InternalError("SmoothedFunction::value: disjoint enclosures");
    return *r;
}

VectorI<Mpfr> SmoothedFunction::gradient(const VectorI<Mpfr>& X) const {
    return evaluate(X).grad;
}

Jet<double> SmoothedFunction::natural_estimate(const Eigen::VectorXd& x) const {
    if (x.size() != dim_)
        throw InternalError("SmoothedFunction: point of dimension " + std::to_string(x.size()) +
                            ", expected " + std::to_string(dim_));
    const std::vector<double> v(x.data(), x.data() + x.size());
    return evaluate_table(tables_->estimate, v, 2, kernel_, options_, estimate_nodes_,
                          estimate_weights_);
}

double SmoothedFunction::value_estimate(const Eigen::VectorXd& x) const {
    return natural_estimate(x).value;
}

Eigen::VectorXd SmoothedFunction::gradient_estimate(const Eigen::VectorXd& x) const {
    return natural_estimate(x).grad;
}

Eigen::MatrixXd SmoothedFunction::hessian_estimate(const Eigen::VectorXd& x) const {
    return natural_estimate(x).hess;
}

std::vector<SmoothedFunction> SmoothedFunction::separable_pieces() const {
    std::vector<expr::Decomposition> pieces(dim_);
    for (int i = 0; i < dim_; ++i) {
        pieces[i].dim = 1;
        pieces[i].poly.dim = 1;
    }
    for (const expr::Monomial& m : f_.poly.terms) {
        int coordinate = -1;
        for (int i = 0; i < static_cast<int>(m.exponents.size()); ++i) {
            if (m.exponents[i] == 0) continue;
            if (coordinate >= 0)
                throw InternalError("separable_pieces: mixed monomial, not separable");
            coordinate = i;
        }
        const int target = coordinate < 0 ? 0 : coordinate;
        expr::Monomial piece = m;
        piece.exponents = {coordinate < 0 ? 0 : m.exponents[coordinate]};
        pieces[target].poly.terms.push_back(std::move(piece));
    }
    for (const expr::RidgeTerm& t : f_.ridges) {
        int coordinate = -1;
        for (int i = 0; i < static_cast<int>(t.w.size()); ++i) {
            if (t.w[i].is_point() && contains(t.w[i], IntervalM(0))) continue;
            if (coordinate >= 0)
                throw InternalError("separable_pieces: ridge term on two coordinates");
            coordinate = i;
        }
        const int target = coordinate < 0 ? 0 : coordinate;
        expr::RidgeTerm piece = t;
        piece.w = {coordinate < 0 ? IntervalM(0) : t.w[coordinate]};
        pieces[target].ridges.push_back(std::move(piece));
    }
    std::vector<SmoothedFunction> out;
    out.reserve(dim_);
    for (const expr::Decomposition& p : pieces) out.emplace_back(p, kernel_, delta_, options_);
    return out;
}

}  // namespace gradcert::theory
