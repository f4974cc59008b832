// exact_value: exact folding of variable-free nodes (see expr.hpp).
#include <stdexcept>

#include "numerics/expr/expr.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::expr {

namespace {

// Values of sum indices visited by one exact_value call, against kMaxFoldSteps.
struct FoldBudget {
    long steps = 0;
    void spend(long k) {
        steps += k;
        if (steps > kMaxFoldSteps)
            throw ExactTooLarge("its sums run over more than " + std::to_string(kMaxFoldSteps) +
                                " index values");
    }
};

ExactConstant fold(const Node& n, IndexValues& indices, FoldBudget& budget);

long integer_bound(const Node& n, IndexValues& indices, const char* which, FoldBudget& budget) {
    const auto q = fold(n, indices, budget).as_rational();
    const auto k = q ? to_int(*q) : std::nullopt;
    if (!k)
        throw DomainError(std::string("the ") + which + " bound " + to_string(n) +
                          " of a sum is not an integer");
    return *k;
}

ExactConstant exact_sum(const Node& n, IndexValues& indices, FoldBudget& budget) {
    long lo = 1;
    long hi = n.sum_upper;
    if (n.operands.size() == 3) {
        lo = integer_bound(*n.operands[0], indices, "lower", budget);
        hi = integer_bound(*n.operands[1], indices, "upper", budget);
    }
    if (hi >= lo) budget.spend(hi - lo + 1);
    const std::size_t slot = static_cast<std::size_t>(n.slot);
    if (indices.size() <= slot) indices.resize(slot + 1);
    ExactConstant total;
    for (long i = lo; i <= hi; ++i) {
        indices[slot] = i;
        total = total + fold(n.sum_body(), indices, budget);
    }
    return total;
}

ExactConstant fold(const Node& n, IndexValues& indices, FoldBudget& budget) {
    if (n.exact) return *n.exact;
    if (n.has_variables)
        throw InternalError("exact_value: " + to_string(n) + " depends on the variables");
    switch (n.kind) {
        case NodeKind::index:
            return ExactConstant(indices.at(static_cast<std::size_t>(n.slot)));
        case NodeKind::add:
            return fold(*n.operands[0], indices, budget) + fold(*n.operands[1], indices, budget);
        case NodeKind::sub:
            return fold(*n.operands[0], indices, budget) - fold(*n.operands[1], indices, budget);
        case NodeKind::mul:
            return fold(*n.operands[0], indices, budget) * fold(*n.operands[1], indices, budget);
        case NodeKind::div:
            return fold(*n.operands[0], indices, budget) *
                   fold(*n.operands[1], indices, budget).reciprocal();
        case NodeKind::neg:
            return -fold(*n.operands[0], indices, budget);
        case NodeKind::pow:
            return power(fold(*n.operands[0], indices, budget),
                         fold(*n.operands[1], indices, budget));
        case NodeKind::function:
            return apply(n.function, fold(*n.operands[0], indices, budget));
        case NodeKind::sum:
            return exact_sum(n, indices, budget);
        default:
            throw InternalError("exact_value: leaf " + to_string(n) + " was not folded");
    }
}

}  // namespace

ExactConstant exact_value(const Node& n, IndexValues& indices) {
    FoldBudget budget;
    return fold(n, indices, budget);
}

}  // namespace gradcert::expr
