#include "verify/cubature_objective.hpp"

#include <array>
#include <memory>
#include <span>
#include <stdexcept>

#include "numerics/autodiff/jet.hpp"

namespace gradcert::verify {

namespace {

Jet<IntervalM> jet_of(const IntervalM& v, const IntervalM& g, const IntervalM& h) {
    Jet<IntervalM> j = Jet<IntervalM>::constant(v, 1);
    j.grad(0) = g;
    j.hess(0, 0) = h;
    return j;
}

}  // namespace

CubatureIntegrand expression_integrand(const expr::Expr& f, const std::vector<double>& growth) {
    CubatureIntegrand in;
    in.value = [f](const IntervalD& y) {
        try {
            const std::array<IntervalD, 1> x{y};
            return expr::evaluate<IntervalD>(f, std::span<const IntervalD>(x));
        } catch (const std::domain_error&) {
            return IntervalD::entire();
        }
    };
    in.value_and_slope = [f, value = in.value](const IntervalD& y) {
        try {
            const std::array<Jet<IntervalD>, 1> x{Jet<IntervalD>::variable(y, 0, 1)};
            const Jet<IntervalD> j =
                expr::evaluate<Jet<IntervalD>>(f, std::span<const Jet<IntervalD>>(x));
            // A finite gradient enclosure is a slope in the sense of the cubature's contract:
            // where f is C¹ it encloses f'; at a kink of |u| (unbounded Hessian,
            // numerics/autodiff/jet.hpp) it encloses the Clarke generalized gradient, by Clarke's
            // chain and product rules (Nonsmooth Analysis, Thm 2.3.9, Prop 2.3.13), since every
            // other operation is C¹ where its jet is finite; f is then Lipschitz on y and
            // Lebourg's mean value theorem gives f(b) − f(a) ∈ ∂f(ξ)(b − a). An unbounded
            // gradient (sqrt at 0) means no slope: the cell falls back to order 0.
            if (!j.grad(0).is_finite()) return CellEnclosure{j.value, std::nullopt};
            return CellEnclosure{j.value, j.grad(0)};
        } catch (const std::domain_error&) {
            return CellEnclosure{value(y), std::nullopt};
        }
    };
    in.estimate = [f](double y) {
        try {
            const std::array<double, 1> x{y};
            return expr::evaluate<double>(f, std::span<const double>(x));
        } catch (const std::domain_error&) {
            return 0.0;  // estimate only
        }
    };
    in.growth = growth;
    return in;
}

Objective cubature_objective(const expr::Expr& f, const std::vector<double>& growth,
                             const theory::Kernel& kernel, const IntervalM& delta,
                             const IntervalD& domain, GaussianCubatureOptions options) {
    if (f.dim() != 1) throw InternalError("cubature_objective: f must be one-dimensional");
    const auto s = theory::gaussian_standard_deviation(kernel);
    if (!s) throw InternalError("cubature_objective: the kernel is not Gaussian");
    if (!certainly_positive(delta)) throw InternalError("cubature_objective: delta must be > 0");
    auto c = std::make_shared<GaussianCubature>(expression_integrand(f, growth), delta * *s, domain,
                                                options);
    Objective o;
    o.dim = 1;
    o.enclose = [c](const Box& X) {
        const auto e = c->enclose(to_double(X[0]));
        return jet_of(to_mpfr(e[0]), to_mpfr(e[1]), to_mpfr(e[2]));
    };
    o.value = [c](const Box& X) { return to_mpfr(c->enclose(to_double(X[0]))[0]); };
    o.value_estimate = [c](const Eigen::VectorXd& x) { return c->estimate(x[0])[0]; };
    o.gradient_estimate = [c](const Eigen::VectorXd& x) {
        return Eigen::VectorXd::Constant(1, c->estimate(x[0])[1]);
    };
    o.hessian_estimate = [c](const Eigen::VectorXd& x) {
        return Eigen::MatrixXd::Constant(1, 1, c->estimate(x[0])[2]);
    };
    return o;
}

Objective expression_objective(const expr::Expr& f) {
    Objective o;
    o.dim = f.dim();
    auto value = [f](const Box& X) {
        try {
            return expr::evaluate<IntervalM>(f, std::span<const IntervalM>(X.data(), X.size()));
        } catch (const std::domain_error&) {
            return IntervalM::entire();
        }
    };
    o.value = value;
    o.enclose = [f, value](const Box& X) {
        try {
            const auto x = make_variables(X);
            return expr::evaluate<Jet<IntervalM>>(f, std::span<const Jet<IntervalM>>(x));
        } catch (const std::domain_error&) {
            Jet<IntervalM> j = Jet<IntervalM>::constant(value(X), static_cast<int>(X.size()));
            for (Eigen::Index i = 0; i < j.grad.size(); ++i) j.grad(i) = IntervalM::entire();
            for (Eigen::Index i = 0; i < j.hess.size(); ++i) j.hess.data()[i] = IntervalM::entire();
            return j;
        }
    };
    o.value_estimate = [f](const Eigen::VectorXd& x) {
        try {
            return expr::evaluate<double>(f, std::span<const double>(x.data(), x.size()));
        } catch (const std::domain_error&) {
            return 0.0;
        }
    };
    o.gradient_estimate = [f](const Eigen::VectorXd& x) {
        try {
            Eigen::VectorXd g(x.size());
            const auto v = make_variables(x);
            const Jet<double> j = expr::evaluate<Jet<double>>(f, std::span<const Jet<double>>(v));
            for (Eigen::Index i = 0; i < x.size(); ++i) g[i] = j.grad(i);
            return g;
        } catch (const std::domain_error&) {
            return Eigen::VectorXd::Zero(x.size()).eval();
        }
    };
    o.hessian_estimate = [f](const Eigen::VectorXd& x) {
        try {
            Eigen::MatrixXd h(x.size(), x.size());
            const auto v = make_variables(x);
            const Jet<double> j = expr::evaluate<Jet<double>>(f, std::span<const Jet<double>>(v));
            for (Eigen::Index i = 0; i < x.size(); ++i)
                for (Eigen::Index k = 0; k < x.size(); ++k) h(i, k) = j.hess(i, k);
            return h;
        } catch (const std::domain_error&) {
            return Eigen::MatrixXd::Zero(x.size(), x.size()).eval();
        }
    };
    return o;
}

}  // namespace gradcert::verify
