#include "numerics/expr/growth_bound.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

#include "numerics/expr/decompose.hpp"
#include "numerics/expr/rational.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::expr {

namespace {

constexpr long kMaxGrowthPower = 64;

using Poly = std::vector<double>;  // upper bounds of non-negative coefficients

// Upper bound of a + b (IntervalD: hardware round-upward). An operand that overflowed to +inf
// gives +inf (IntervalD's point constructor throws at infinity); GrowthWalker::bound refuses a
// bound with an infinite coefficient.
double add_up(double a, double b) {
    if (!std::isfinite(a) || !std::isfinite(b)) return HUGE_VAL;
    return (IntervalD(a) + IntervalD(b)).upper();
}
double mul_up(double a, double b) {
    if (a == 0 || b == 0) return 0;  // exact, also when the other factor overflowed
    if (!std::isfinite(a) || !std::isfinite(b)) return HUGE_VAL;
    return (IntervalD(a) * IntervalD(b)).upper();
}

Poly constant_poly(double c) {
    return Poly{c};
}

Poly sum(const Poly& a, const Poly& b) {
    Poly r(std::max(a.size(), b.size()), 0.0);
    for (std::size_t i = 0; i < a.size(); ++i) r[i] = add_up(r[i], a[i]);
    for (std::size_t i = 0; i < b.size(); ++i) r[i] = add_up(r[i], b[i]);
    return r;
}

Poly product(const Poly& a, const Poly& b) {
    Poly r(a.size() + b.size() - 1, 0.0);
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < b.size(); ++j) r[i + j] = add_up(r[i + j], mul_up(a[i], b[j]));
    return r;
}

struct Refused {
    GrowthRefusal refusal;
};

class GrowthWalker {
  public:
    explicit GrowthWalker(const Expr& e) : e_(e) {}

    // The bound of n; refused when a coefficient overflows binary64 (e.g. (2x + 2)^576), so
    // every returned coefficient is finite.
    Poly bound(const Node& n) {
        Poly r = bound_node(n);
        for (double c : r)
            if (!std::isfinite(c))
                refuse(n, "its polynomial growth bound has a coefficient above the largest double");
        return r;
    }

    Poly bound_node(const Node& n) {
        if (!n.has_variables) {
            if (!n.is_constant()) refuse(n, "a constant that depends on a sum index");
            return constant_poly(upper_of(n.enclosure));
        }
        switch (n.kind) {
            case NodeKind::variable:
            case NodeKind::indexed_variable:
                return Poly{0.0, 1.0};
            case NodeKind::add:
            case NodeKind::sub:
                return sum(bound(*n.operands[0]), bound(*n.operands[1]));
            case NodeKind::neg:
                return bound(*n.operands[0]);
            case NodeKind::mul:
                return product(bound(*n.operands[0]), bound(*n.operands[1]));
            case NodeKind::div:
                return quotient(n);
            case NodeKind::pow:
                return power(n);
            case NodeKind::function:
                return function(n);
            case NodeKind::sum:
                refuse(n,
                       "sum(...) over the variables: no growth bound is derived (write the "
                       "terms out)");
            default:
                throw InternalError("polynomial_growth: unexpected node " + to_string(n));
        }
    }

    [[noreturn]] void refuse(const Node& n, const std::string& reason) const {
        throw Refused{GrowthRefusal{to_string(n), reason}};
    }

  private:
    // |c| rounded up to a double.
    static double upper_of(const IntervalM& c) { return to_double(IntervalM(c.mag())).upper(); }

    Poly quotient(const Node& n) {
        const Poly num = bound(*n.operands[0]);
        const IntervalD m = denominator_lower_bound(n.operands[1], n);
        if (!(m.lower() > 0))
            refuse(n, "the divisor's positive lower bound underflows to 0 in binary64");
        Poly r = num;
        for (double& c : r) c = (IntervalD(c) / m).upper();
        return r;
    }

    // A lower bound m > 0 of the denominator over all of R (see the header).
    IntervalD denominator_lower_bound(const NodePtr& den_ptr, const Node& n) {
        const Node& den = *den_ptr;
        if (!den.has_variables) {
            const IntervalM c = den.enclosure;
            if (!certainly_positive(abs(c))) refuse(n, "the divisor is not certainly nonzero");
            return IntervalD(to_double(IntervalM(c.mig())).lower());
        }
        Decomposition d;
        try {
            ParseContext ctx;
            ctx.dim = 1;
            d = decompose(Expr(den_ptr, 1, e_.text()), ctx);
        } catch (const InputError&) {
            refuse(n, "the divisor '" + to_string(den) +
                          "' is not a polynomial plus cos/sin terms, so no lower bound on R");
        }
        IntervalM c0(0), c1(0), c2(0);
        for (const Monomial& m : d.poly.terms) {
            const int k = m.exponents[0];
            if (k == 0)
                c0 = m.coeff;
            else if (k == 1)
                c1 = m.coeff;
            else if (k == 2)
                c2 = m.coeff;
            else
                refuse(n, "the divisor '" + to_string(den) +
                              "' has degree above 2: no lower bound on R is derived");
        }
        IntervalM low = c0;
        const bool linear = !(c1.is_point() && contains(c1, Mpfr(0)));
        const bool quadratic = !(c2.is_point() && contains(c2, Mpfr(0)));
        if (linear && !quadratic)
            refuse(n, "the divisor '" + to_string(den) + "' is linear: it vanishes somewhere");
        if (quadratic) {
            if (!certainly_positive(c2))
                refuse(n, "the divisor '" + to_string(den) +
                              "' is not certainly bounded below by a positive number");
            low = c0 - sqr(c1) / (IntervalM(4) * c2);  // min of c2 y^2 + c1 y + c0
        }
        for (const RidgeTerm& r : d.ridges) {
            if (r.kind != RidgeKind::cos && r.kind != RidgeKind::sin)
                refuse(n, "the divisor '" + to_string(den) +
                              "' has exp/softplus/tanh terms: no lower bound on R is derived");
            low = low - IntervalM(r.coeff.mag());
        }
        if (!certainly_positive(low))
            refuse(n, "the divisor '" + to_string(den) +
                          "' is not certainly bounded below by a positive number on R");
        return IntervalD(to_double(low).lower());
    }

    Poly power(const Node& n) {
        const Node& base = *n.operands[0];
        const Node& exponent = *n.operands[1];
        if (exponent.has_variables || !exponent.is_constant())
            refuse(n, "a variable exponent has no polynomial growth bound");
        const auto q = exponent.exact ? exponent.exact->as_rational() : std::nullopt;
        const auto k = q ? to_int(*q) : std::nullopt;
        if (!k || *k < 0 || *k > kMaxGrowthPower)
            refuse(n, "only integer powers 0.." + std::to_string(kMaxGrowthPower) +
                          " of a non-constant get a growth bound");
        const Poly b = bound(base);
        Poly r = constant_poly(1.0);
        for (long i = 0; i < *k; ++i) r = product(r, b);
        return r;
    }

    Poly function(const Node& n) {
        const Node& a = *n.operands[0];
        switch (n.function) {
            case Function::cos:
            case Function::sin:
            case Function::tanh:
                (void)bound(a);  // the argument must itself be defined everywhere
                return constant_poly(1.0);
            case Function::softplus:
                return sum(constant_poly(1.0), bound(a));
            case Function::abs:
                return bound(a);
            case Function::sqrt:
                if (!nonnegative(a))
                    refuse(n, "the argument of sqrt is not certainly >= 0 on R (use abs)");
                return sum(constant_poly(1.0), bound(a));
            case Function::exp:
                refuse(n, "exp of a non-constant has no polynomial growth bound");
            case Function::log:
                refuse(n, "log of a non-constant is not defined on all of R");
        }
        throw InternalError("polynomial_growth: unknown function");
    }

    // Certainly >= 0 for every real y (structural; false means "not shown").
    bool nonnegative(const Node& n) const {
        if (!n.has_variables) return n.is_constant() && !possibly_lt(n.enclosure, IntervalM(0));
        switch (n.kind) {
            case NodeKind::function:
                return n.function == Function::abs || n.function == Function::sqrt;
            case NodeKind::add:
            case NodeKind::mul:
                return nonnegative(*n.operands[0]) && nonnegative(*n.operands[1]);
            case NodeKind::pow: {
                const Node& exponent = *n.operands[1];
                if (!exponent.is_constant() || !exponent.exact) return false;
                const auto q = exponent.exact->as_rational();
                const auto k = q ? to_int(*q) : std::nullopt;
                return k && *k >= 0 && *k % 2 == 0;
            }
            default:
                return false;
        }
    }

    const Expr& e_;
};

}  // namespace

GrowthResult polynomial_growth(const Expr& e) {
    if (e.empty() || e.dim() != 1) throw InternalError("polynomial_growth: needs dim 1");
    GrowthWalker walker(e);
    try {
        return GrowthResult{PolynomialGrowth{walker.bound(e.root())}, {}};
    } catch (const Refused& r) {
        return GrowthResult{std::nullopt, r.refusal};
    }
}

}  // namespace gradcert::expr
