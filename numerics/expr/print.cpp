// Printing expressions back with minimal parentheses.
#include <stdexcept>

#include "numerics/expr/expr.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::expr {

namespace {

// Binding strength: sums 1, products 2, negation 3, powers 4, atoms 5.
int precedence(const Node& n) {
    switch (n.kind) {
        case NodeKind::add:
        case NodeKind::sub:
            return 1;
        case NodeKind::mul:
        case NodeKind::div:
            return 2;
        case NodeKind::neg:
            return 3;
        case NodeKind::pow:
            return 4;
        default:
            return 5;
    }
}

std::string wrapped(const Node& n, bool parenthesise) {
    const std::string s = to_string(n);
    return parenthesise ? "(" + s + ")" : s;
}

std::string binary(const Node& n, const char* op) {
    const int p = precedence(n);
    const Node& a = *n.operands[0];
    const Node& b = *n.operands[1];
    return wrapped(a, precedence(a) < p) + op + wrapped(b, precedence(b) <= p);
}

std::string sum_text(const Node& n) {
    std::string s = "sum(" + n.text + ", ";
    if (n.operands.size() == 3)
        s += to_string(*n.operands[0]) + ", " + to_string(*n.operands[1]) + ", ";
    return s + to_string(n.sum_body()) + ")";
}

}  // namespace

std::string to_string(const Node& n) {
    switch (n.kind) {
        case NodeKind::number:
        case NodeKind::parameter:
        case NodeKind::variable:
        case NodeKind::index:
            return n.text;
        case NodeKind::pi:
            return "pi";
        case NodeKind::e:
            return "e";
        case NodeKind::dim:
            return "dim";
        case NodeKind::indexed_variable:
            return "x[" + to_string(*n.operands[0]) + "]";
        case NodeKind::add:
            return binary(n, " + ");
        case NodeKind::sub:
            return binary(n, " - ");
        case NodeKind::mul:
            return binary(n, "*");
        case NodeKind::div:
            return binary(n, "/");
        case NodeKind::pow: {
            const Node& a = *n.operands[0];
            const Node& b = *n.operands[1];
            return wrapped(a, precedence(a) <= 4) + "^" + wrapped(b, precedence(b) < 3);
        }
        case NodeKind::neg:
            return "-" + wrapped(*n.operands[0], precedence(*n.operands[0]) <= 3);
        case NodeKind::function:
            return std::string(function_name(n.function)) + "(" + to_string(*n.operands[0]) + ")";
        case NodeKind::sum:
            return sum_text(n);
    }
    throw InternalError("to_string: unknown node kind");
}

Expr::Expr(NodePtr root, int dim, std::string text)
    : root_(std::move(root)), dim_(dim), text_(std::move(text)) {}

std::string Expr::to_string() const {
    return root_ ? expr::to_string(*root_) : std::string();
}

}  // namespace gradcert::expr
