#pragma once
// The expression language of function families (f = "x^2 - a*cos(2*pi*x) + a").
//
// Grammar (whitespace between tokens is ignored):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('^' unary)?                    right associative: 2^3^2 = 2^9,
//                                                      -x^2 = -(x^2), x^-1 allowed
//   primary := number | name | name '(' expr ')'       (a function of one argument)
//            | 'sum' '(' index ',' expr ')'            index = 1..dim
//            | 'sum' '(' index ',' expr ',' expr ',' expr ')'   index = lo..hi (integers)
//            | 'x' '[' expr ']'                        coordinate given by an integer expression
//            | '(' expr ')'
//   number  := digits ['.' digits] [('e'|'E') ['+'|'-'] digits]   (also ".5"), read exactly
//   name    := pi | e | dim | a parameter | a sum index | x (dim = 1) | x1 .. x<dim>
//   functions: exp log sqrt sin cos tanh softplus abs   (softplus(y) = log(1 + e^y))
// Inside sum(i, ...), the index i is an integer that may appear in x[i], x[i+1], in constants
// (1/sqrt(i)) and in exponents. Reserved names (pi, e, dim, x, x<k>, the functions, sum) cannot
// be parameters or indices; an index may not shadow a parameter or an enclosing index.
//
// Constant sub-expressions (no variable, no free index) are folded exactly (ExactConstant) and
// enclosed at parse time at the working precision; nothing is computed in double.
#include <concepts>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "numerics/expr/exact_constant.hpp"
#include "numerics/expr/function.hpp"
#include "numerics/interval/interval.hpp"

namespace gradcert::expr {

enum class NodeKind {
    number,            // text = the literal as written
    pi,                // π
    e,                 // Euler's number
    dim,               // the dimension of the family
    parameter,         // text = its name
    variable,          // coordinate = 1..dim, text = "x" or "x<k>" as written
    indexed_variable,  // x[operands[0]]
    index,             // a sum index: text = its name, slot = nesting depth of its sum
    add,
    sub,
    mul,
    div,
    pow,
    neg,
    function,  // function(operands[0])
    sum        // text = index name, slot; operands = {body} or {lo, hi, body}
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
    NodeKind kind = NodeKind::number;
    int column = 0;  // 1-based column (in characters) of the sub-expression's start in f
    std::string text;
    int coordinate = 0;  // variable: 1..dim
    int slot = -1;       // index, sum: depth of the binding sum (0 = outermost)
    int sum_upper = 0;   // sum without bounds: dim (the index runs over 1..dim)
    int height = 0;      // 0 for a leaf, else 1 + the largest height of the operands
    Function function = Function::exp;
    std::vector<NodePtr> operands;

    bool has_variables = false;  // depends on x
    unsigned free_slots = 0;     // bit k set: depends on the index bound at depth k
    // Folded value, for constant nodes (has_variables == false && free_slots == 0).
    std::shared_ptr<const ExactConstant> exact;
    IntervalM enclosure;       // exact->enclosure() at parse time
    double approximation = 0;  // a double inside (or nearest to) the enclosure

    bool is_constant() const { return !has_variables && free_slots == 0; }
    // The body of a sum node; its bounds when given.
    const Node& sum_body() const { return *operands.back(); }
};

// Where f comes from and what its names mean.
struct ParseContext {
    std::string file;  // for messages
    int line = 0;      // line of the `f` key (0: none)
    int dim = 1;
    std::map<std::string, IntervalM> params;  // parameter enclosures
    // Addition: the decimal text of a parameter (e.g. "0.1"); when present the parameter is
    // folded as the exact rational it denotes instead of through its enclosure.
    std::map<std::string, std::string> param_texts = {};
};

// An immutable parsed expression; copies share the tree.
class Expr {
  public:
    Expr() = default;  // empty: root() must not be called
    Expr(NodePtr root, int dim, std::string text);

    bool empty() const { return root_ == nullptr; }
    const Node& root() const { return *root_; }
    const NodePtr& root_ptr() const { return root_; }
    int dim() const { return dim_; }
    const std::string& text() const { return text_; }  // the source text
    // The expression printed back with minimal parentheses (parses to the same tree).
    std::string to_string() const;

  private:
    NodePtr root_;
    int dim_ = 0;
    std::string text_;
};

// Parses f. Throws gradcert::InputError "file:line: f, column c: problem" for syntax errors,
// unknown names, variables outside 1..dim, reserved or clashing names, x[...] indices that are
// not integers in 1..dim for some index value, sum bounds that are not integers, and constants
// outside their domain (log 0, 1/0, sqrt(-1)).
Expr parse(const std::string& text, const ParseContext& ctx);

// The sub-expression printed back (for messages).
std::string to_string(const Node& node);

// Additions: name rules shared with the family-file reader.
bool is_identifier(const std::string& name);     // [A-Za-z_][A-Za-z0-9_]*
bool is_reserved_name(const std::string& name);  // pi, e, dim, x, x<digits>, sum, the functions
// "column c" for a one-line text, "line l, column c" when the text spans several lines; `column`
// counts characters from the start of the text as Node::column does.
std::string source_position(const std::string& text, int column);
// s with line breaks and other control characters written as escapes (\n, \t, \x01), so that
// an error message quoting a user's value stays on one line.
std::string one_line(const std::string& s);

// Values of the sum indices during evaluation, by slot.
using IndexValues = std::vector<long>;

// The exact value of a node without variables; `indices` gives the free indices' values.
// Throws std::domain_error (outside the domain of a function, division by zero, ...).
ExactConstant exact_value(const Node& node, IndexValues& indices);

// f at x, dim() == x.size(). S = double (floating point, not rigorous), IntervalD or IntervalM
// (enclosures of the exact value; constants enter as their parse-time enclosures), or
// Jet<double>, Jet<IntervalD>, Jet<IntervalM> (value, gradient, Hessian; x from
// make_variables). Interval functions outside their domain throw std::domain_error (log of an
// interval not certainly > 0); abs on an interval jet where the argument may be 0 gives the
// Clarke gradient enclosure [−1, 1]·∇u and an entire() Hessian (numerics/autodiff/jet.hpp), on a
// floating-point jet it throws std::domain_error at 0.
template <class S>
S evaluate(const Expr& e, std::span<const S> x);

}  // namespace gradcert::expr

#include "numerics/expr/evaluate.hpp"
