#pragma once
// evaluate<S>(Expr, x): the tree walk behind expr::evaluate, generic over the scalar S (double,
// IntervalD, IntervalM) and over jets of those. Included by expr.hpp.
#include <cmath>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "numerics/autodiff/jet.hpp"
#include "numerics/autodiff/scalar_ops.hpp"
#include "numerics/expr/expr.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::expr {

namespace eval_detail {

template <class S>
struct ScalarOf {
    using type = S;
};
template <class T>
struct ScalarOf<Jet<T>> {
    using type = T;
};
template <class S>
using scalar_of = typename ScalarOf<S>::type;

template <class S>
inline constexpr bool is_jet_v = !std::is_same_v<scalar_of<S>, S>;

// The scalar constant c (an enclosure, and a double near it for floating-point S).
template <class Scalar>
Scalar scalar_constant(const IntervalM& c, double approximation) {
    if constexpr (std::is_same_v<Scalar, double>)
        return approximation;
    else if constexpr (std::is_same_v<Scalar, IntervalD>)
        return to_double(c);
    else if constexpr (std::is_same_v<Scalar, IntervalM>)
        return c;
    else
        static_assert(!sizeof(Scalar), "evaluate: unsupported scalar type");
}

// A double at (or near) the centre of c.
inline double approximate(const IntervalM& c) {
    return static_cast<double>(c.mid());
}

// An integer-valued node (x[...] index, sum bound); validated at parse time.
inline long integer_value(const Node& n, IndexValues& indices) {
    const ExactConstant v = n.exact ? *n.exact : exact_value(n, indices);
    const auto q = v.as_rational();
    if (!q || boost::multiprecision::denominator(*q) != 1)
        throw InternalError("evaluate: non-integer index " + to_string(n));
    return boost::multiprecision::numerator(*q).template convert_to<long>();
}

template <class S>
S apply_function(Function f, const S& v) {
    using std::abs;
    using std::cos;
    using std::exp;
    using std::log;
    using std::sin;
    using std::sqrt;
    using std::tanh;
    switch (f) {
        case Function::exp:
            return exp(v);
        case Function::log:
            return log(v);
        case Function::sqrt:
            return sqrt(v);
        case Function::sin:
            return sin(v);
        case Function::cos:
            return cos(v);
        case Function::tanh:
            return tanh(v);
        case Function::softplus:
            return softplus(v);
        case Function::abs:
            return abs(v);
    }
    throw InternalError("evaluate: unknown function");
}

template <class S>
class Evaluator {
  public:
    using Scalar = scalar_of<S>;
    Evaluator(std::span<const S> x, int dim) : x_(x), dim_(dim) {}

    S value(const Node& n) {
        if (!n.has_variables) return lift(constant(n));
        switch (n.kind) {
            case NodeKind::variable:
                return x_[n.coordinate - 1];
            case NodeKind::indexed_variable:
                return x_[integer_value(*n.operands[0], indices_) - 1];
            case NodeKind::add:
                return binary(n, [](const auto& a, const auto& b) { return a + b; });
            case NodeKind::sub:
                return binary(n, [](const auto& a, const auto& b) { return a - b; });
            case NodeKind::mul:
                return binary(n, [](const auto& a, const auto& b) { return a * b; });
            case NodeKind::div:
                return binary(n, [](const auto& a, const auto& b) { return a / b; });
            case NodeKind::neg:
                return -value(*n.operands[0]);
            case NodeKind::pow:
                return power(n);
            case NodeKind::function:
                return apply_function(n.function, value(*n.operands[0]));
            case NodeKind::sum:
                return sum(n);
            default:
                throw InternalError("evaluate: constant node kind with variables");
        }
    }

    // A node without variables, as a scalar.
    Scalar constant(const Node& n) {
        if (n.is_constant()) return scalar_constant<Scalar>(n.enclosure, n.approximation);
        if constexpr (std::is_same_v<Scalar, IntervalM>) {
            return structural(n);
        } else {
            Evaluator<IntervalM> exact_walk({}, dim_);
            exact_walk.indices_ = indices_;
            const IntervalM c = exact_walk.constant(n);
            return scalar_constant<Scalar>(c, approximate(c));
        }
    }

    IndexValues indices_;

  private:
    template <class>
    friend class Evaluator;

    S lift(const Scalar& c) const {
        if constexpr (is_jet_v<S>)
            return S::constant(c, dim_);
        else
            return c;
    }

    // Mixed operations keep constants as scalars (cheaper than constant jets).
    template <class Op>
    S binary(const Node& n, Op op) {
        const Node& a = *n.operands[0];
        const Node& b = *n.operands[1];
        if (!a.has_variables) return op(constant(a), value(b));
        if (!b.has_variables) return op(value(a), constant(b));
        return op(value(a), value(b));
    }

    S power(const Node& n) {
        using std::exp;
        using std::log;
        using std::pow;
        const Node& base = *n.operands[0];
        const Node& exponent = *n.operands[1];
        if (exponent.has_variables) {
            if (!base.has_variables) return exp(value(exponent) * log(constant(base)));
            return exp(value(exponent) * log(value(base)));
        }
        const ExactConstant y = exponent.exact ? *exponent.exact : exact_value(exponent, indices_);
        if (const auto q = y.as_rational()) {
            if (const auto k = to_int(*q)) return pow(value(base), *k);
        }
        return pow(value(base), constant(exponent));
    }

    S sum(const Node& n) {
        long lo = 1;
        long hi = dim_;
        if (n.operands.size() == 3) {
            lo = integer_value(*n.operands[0], indices_);
            hi = integer_value(*n.operands[1], indices_);
        }
        const std::size_t slot = static_cast<std::size_t>(n.slot);
        if (indices_.size() <= slot) indices_.resize(slot + 1);
        S total = lift(Scalar(0));
        for (long i = lo; i <= hi; ++i) {
            indices_[slot] = i;
            total += value(n.sum_body());
        }
        return total;
    }

    // Interval evaluation of a variable-free node that depends on sum indices.
    IntervalM structural(const Node& n) {
        switch (n.kind) {
            case NodeKind::index:
                return IntervalM(indices_.at(static_cast<std::size_t>(n.slot)));
            case NodeKind::add:
                return constant(*n.operands[0]) + constant(*n.operands[1]);
            case NodeKind::sub:
                return constant(*n.operands[0]) - constant(*n.operands[1]);
            case NodeKind::mul:
                return constant(*n.operands[0]) * constant(*n.operands[1]);
            case NodeKind::div:
                return constant(*n.operands[0]) / constant(*n.operands[1]);
            case NodeKind::neg:
                return -constant(*n.operands[0]);
            case NodeKind::function:
                return apply_function(n.function, constant(*n.operands[0]));
            default:
                // pow, sum and anything else: exact folding, then its enclosure.
                return exact_value(n, indices_).enclosure();
        }
    }

    std::span<const S> x_;
    int dim_;
};

}  // namespace eval_detail

template <class S>
S evaluate(const Expr& e, std::span<const S> x) {
    if (e.empty()) throw InternalError("evaluate: empty expression");
    if (static_cast<int>(x.size()) != e.dim())
        throw InternalError("evaluate: " + std::to_string(x.size()) +
                            " coordinates for a function of dimension " + std::to_string(e.dim()));
    eval_detail::Evaluator<S> walk(x, e.dim());
    return walk.value(e.root());
}

}  // namespace gradcert::expr
