// exact_value: exact folding of variable-free nodes (see expr.hpp).
#include <stdexcept>

#include "numerics/expr/expr.hpp"

namespace gradcert::expr {

namespace {

long integer_bound(const Node& n, IndexValues& indices, const char* which) {
    const auto q = exact_value(n, indices).as_rational();
    const auto k = q ? to_int(*q) : std::nullopt;
    if (!k)
        throw std::domain_error(std::string("the ") + which + " bound " + to_string(n) +
                                " of a sum is not an integer");
    return *k;
}

ExactConstant exact_sum(const Node& n, IndexValues& indices) {
    long lo = 1;
    long hi = n.sum_upper;
    if (n.operands.size() == 3) {
        lo = integer_bound(*n.operands[0], indices, "lower");
        hi = integer_bound(*n.operands[1], indices, "upper");
    }
    const std::size_t slot = static_cast<std::size_t>(n.slot);
    if (indices.size() <= slot) indices.resize(slot + 1);
    ExactConstant total;
    for (long i = lo; i <= hi; ++i) {
        indices[slot] = i;
        total = total + exact_value(n.sum_body(), indices);
    }
    return total;
}

}  // namespace

ExactConstant exact_value(const Node& n, IndexValues& indices) {
    if (n.exact) return *n.exact;
    if (n.has_variables)
        throw std::logic_error("exact_value: " + to_string(n) + " depends on the variables");
    switch (n.kind) {
        case NodeKind::index:
            return ExactConstant(indices.at(static_cast<std::size_t>(n.slot)));
        case NodeKind::add:
            return exact_value(*n.operands[0], indices) + exact_value(*n.operands[1], indices);
        case NodeKind::sub:
            return exact_value(*n.operands[0], indices) - exact_value(*n.operands[1], indices);
        case NodeKind::mul:
            return exact_value(*n.operands[0], indices) * exact_value(*n.operands[1], indices);
        case NodeKind::div:
            return exact_value(*n.operands[0], indices) *
                   exact_value(*n.operands[1], indices).reciprocal();
        case NodeKind::neg:
            return -exact_value(*n.operands[0], indices);
        case NodeKind::pow:
            return power(exact_value(*n.operands[0], indices),
                         exact_value(*n.operands[1], indices));
        case NodeKind::function:
            return apply(n.function, exact_value(*n.operands[0], indices));
        case NodeKind::sum:
            return exact_sum(n, indices);
        default:
            throw std::logic_error("exact_value: leaf " + to_string(n) + " was not folded");
    }
}

}  // namespace gradcert::expr
