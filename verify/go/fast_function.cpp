#include "verify/go/fast_function.hpp"

#include <cmath>
#include <stdexcept>

#include "numerics/util/error.hpp"

namespace gradcert::verify::go {

namespace {

double mid_value(const IntervalM& c) {
    return static_cast<double>(c.mid());
}

std::vector<std::pair<int, int>> sparse_powers(const std::vector<int>& exponents) {
    std::vector<std::pair<int, int>> out;
    for (int i = 0; i < static_cast<int>(exponents.size()); ++i)
        if (exponents[i] != 0) out.emplace_back(i, exponents[i]);
    return out;
}

// g(y) and g'(y) of a ridge term.
std::pair<double, double> ridge_value_slope(expr::RidgeKind kind, expr::RidgeFunction g, double y) {
    switch (kind) {
        case expr::RidgeKind::cos:
            return {std::cos(y), -std::sin(y)};
        case expr::RidgeKind::sin:
            return {std::sin(y), std::cos(y)};
        case expr::RidgeKind::exp: {
            const double e = std::exp(y);
            return {e, e};
        }
        case expr::RidgeKind::general:
            if (g == expr::RidgeFunction::softplus) {
                const double v = y > 0 ? y + std::log1p(std::exp(-y)) : std::log1p(std::exp(y));
                return {v, 1.0 / (1.0 + std::exp(-y))};
            }
            if (g == expr::RidgeFunction::tanh) {
                const double t = std::tanh(y);
                return {t, 1.0 - t * t};
            }
            break;
    }
    throw InternalError("FastFunction: ridge term without a function");
}

double int_power(double x, int k) {
    double r = 1.0;
    for (int i = 0; i < k; ++i) r *= x;
    return r;
}

bool has_general_ridges(const expr::Decomposition& f) {
    for (const auto& r : f.ridges)
        if (r.kind == expr::RidgeKind::general) return true;
    return false;
}

}  // namespace

FastFunction::FastFunction(const expr::Decomposition& f) : dim_(f.dim) {
    for (const auto& m : f.poly.terms)
        monomials_.push_back({mid_value(m.coeff), sparse_powers(m.exponents)});
    add_ridges(f, nullptr, nullptr);
}

FastFunction FastFunction::smoothed(const expr::Decomposition& f, const theory::Kernel& kernel,
                                    const IntervalM& delta) {
    FastFunction out;
    out.dim_ = f.dim;
    auto sf = std::make_shared<theory::SmoothedFunction>(f, kernel, delta);
    if (has_general_ridges(f)) {
        out.fallback_ = std::move(sf);
        return out;
    }
    for (const auto& [exponents, coeff] : sf->smoothed_polynomial())
        out.monomials_.push_back({mid_value(coeff), sparse_powers(exponents)});
    out.add_ridges(f, &kernel, &delta);
    return out;
}

void FastFunction::add_ridges(const expr::Decomposition& f, const theory::Kernel* kernel,
                              const IntervalM* delta) {
    for (const auto& r : f.ridges) {
        Ridge ridge{r.kind, r.g, mid_value(r.coeff), {}, mid_value(r.offset)};
        IntervalM norm_sq(0);
        for (int i = 0; i < static_cast<int>(r.w.size()); ++i) {
            const double wi = mid_value(r.w[i]);
            if (wi != 0.0) ridge.w.emplace_back(i, wi);
            norm_sq += sqr(r.w[i]);
        }
        if (kernel != nullptr) {
            const IntervalM radius = *delta * sqrt(norm_sq);
            const IntervalM factor = r.kind == expr::RidgeKind::exp
                                         ? theory::kernel_exp_factor(*kernel, radius)
                                         : theory::kernel_cos_factor(*kernel, radius);
            ridge.coeff = mid_value(r.coeff * factor);
        }
        ridges_.push_back(std::move(ridge));
    }
}

double FastFunction::value(const Eigen::VectorXd& x) const {
    if (fallback_) return fallback_->value_estimate(x);
    double v = 0.0;
    for (const auto& m : monomials_) {
        double t = m.coeff;
        for (const auto& [i, k] : m.powers) t *= int_power(x[i], k);
        v += t;
    }
    for (const auto& r : ridges_) {
        double y = r.offset;
        for (const auto& [i, wi] : r.w) y += wi * x[i];
        v += r.coeff * ridge_value_slope(r.kind, r.g, y).first;
    }
    return v;
}

void FastFunction::gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) const {
    if (fallback_) {
        g = fallback_->gradient_estimate(x);
        return;
    }
    g.setZero(dim_);
    for (const auto& m : monomials_) {
        for (std::size_t j = 0; j < m.powers.size(); ++j) {
            double t = m.coeff * m.powers[j].second;
            for (std::size_t l = 0; l < m.powers.size(); ++l) {
                const auto& [i, k] = m.powers[l];
                t *= int_power(x[i], l == j ? k - 1 : k);
            }
            g[m.powers[j].first] += t;
        }
    }
    for (const auto& r : ridges_) {
        double y = r.offset;
        for (const auto& [i, wi] : r.w) y += wi * x[i];
        const double slope = r.coeff * ridge_value_slope(r.kind, r.g, y).second;
        for (const auto& [i, wi] : r.w) g[i] += slope * wi;
    }
}

Eigen::VectorXd FastFunction::gradient(const Eigen::VectorXd& x) const {
    Eigen::VectorXd g;
    gradient(x, g);
    return g;
}

}  // namespace gradcert::verify::go
