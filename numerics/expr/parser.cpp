// The recursive-descent parser of the expression language (grammar in expr.hpp).
#include <cctype>
#include <stdexcept>

#include "numerics/expr/expr.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::expr {

namespace {

constexpr int kMaxSumDepth = 32;
constexpr long kMaxValidationSteps = 50'000'000;
// Limits documented in docs/family-language.md. The parser, the validation, the evaluation and
// the decomposition walk the tree recursively; these bounds keep that recursion a few thousand
// frames deep, far inside an 8 MB stack.
constexpr int kMaxNesting = 1000;              // parentheses, signs, calls, powers, brackets
constexpr int kMaxTreeHeight = 5000;           // levels of the parsed tree
constexpr std::size_t kMaxChainLeftFold = 64;  // longer + and * chains are built balanced
constexpr std::size_t kMaxTextBytes = 16u << 20;
constexpr long kMaxSumRange = 10'000'000;  // values of one sum index

enum class TokenKind {
    number,
    name,
    plus,
    minus,
    star,
    slash,
    caret,
    lparen,
    rparen,
    comma,
    lbracket,
    rbracket,
    end
};

struct Token {
    TokenKind kind;
    std::string text;
    int column;  // 1-based, in characters (UTF-8 code points)
};

bool is_name_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_utf8_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool is_variable_name(const std::string& name) {
    if (name.size() < 2 || name[0] != 'x') return false;
    for (std::size_t i = 1; i < name.size(); ++i)
        if (!is_digit(name[i])) return false;
    return true;
}

bool is_reserved(const std::string& name) {
    return is_reserved_name(name);
}

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

class Lexer {
  public:
    explicit Lexer(const std::string& text) : text_(text) {}

    // Throws std::pair(column, problem) through `fail`.
    template <class Fail>
    std::vector<Token> tokens(Fail&& fail) {
        std::vector<Token> out;
        while (true) {
            skip_blanks();
            const int column = column_;
            if (pos_ == text_.size()) {
                out.push_back({TokenKind::end, "", column});
                return out;
            }
            const char c = text_[pos_];
            if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) {
                out.push_back({TokenKind::number, number(), column});
            } else if (is_name_start(c)) {
                std::string name;
                while (pos_ < text_.size() && is_name_char(text_[pos_])) name += advance();
                out.push_back({TokenKind::name, name, column});
            } else if (c == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
                fail(column, "'**' is not an operator; write powers as a^b");
            } else {
                const TokenKind kind = punctuation(c);
                if (kind == TokenKind::end)
                    fail(column, "unexpected character " + quoted(character()));
                out.push_back({kind, std::string(1, advance()), column});
            }
        }
    }

  private:
    static TokenKind punctuation(char c) {
        switch (c) {
            case '+':
                return TokenKind::plus;
            case '-':
                return TokenKind::minus;
            case '*':
                return TokenKind::star;
            case '/':
                return TokenKind::slash;
            case '^':
                return TokenKind::caret;
            case '(':
                return TokenKind::lparen;
            case ')':
                return TokenKind::rparen;
            case ',':
                return TokenKind::comma;
            case '[':
                return TokenKind::lbracket;
            case ']':
                return TokenKind::rbracket;
            default:
                return TokenKind::end;
        }
    }

    char advance() {
        const char c = text_[pos_++];
        if (!is_utf8_continuation(c)) ++column_;
        return c;
    }

    // The (possibly multi-byte) character at pos_.
    std::string character() const {
        std::size_t end = pos_ + 1;
        while (end < text_.size() && is_utf8_continuation(text_[end])) ++end;
        return text_.substr(pos_, end - pos_);
    }

    void skip_blanks() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
            advance();
    }

    // digits ['.' digits] [('e'|'E') ['+'|'-'] digits]; the exponent only when digits follow.
    std::string number() {
        std::string s;
        while (pos_ < text_.size() && is_digit(text_[pos_])) s += advance();
        if (pos_ < text_.size() && text_[pos_] == '.') {
            s += advance();
            while (pos_ < text_.size() && is_digit(text_[pos_])) s += advance();
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            std::size_t k = pos_ + 1;
            if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
            if (k < text_.size() && is_digit(text_[k])) {
                while (pos_ < k) s += advance();
                while (pos_ < text_.size() && is_digit(text_[pos_])) s += advance();
            }
        }
        return s;
    }

    const std::string& text_;
    std::size_t pos_ = 0;
    int column_ = 1;
};

class Parser {
  public:
    Parser(const std::string& text, const ParseContext& ctx) : text_(text), ctx_(ctx) {}

    Expr parse() {
        check_context();
        if (text_.size() > kMaxTextBytes)
            fail_context("the expression has " + std::to_string(text_.size()) +
                         " bytes, more than the limit " + std::to_string(kMaxTextBytes));
        tokens_ = Lexer(text_).tokens(
            [this](int column, const std::string& problem) { fail(column, problem); });
        if (peek().kind == TokenKind::end) fail(1, "the expression is empty");
        NodePtr root = expression();
        if (peek().kind != TokenKind::end) {
            const Token& t = peek();
            if (t.kind == TokenKind::rparen) fail(t.column, "unmatched ')'");
            fail(t.column, "unexpected " + describe(t) + " (missing operator?)");
        }
        IndexValues indices;
        std::vector<std::string> names;
        long steps = 0;
        validate(*root, indices, names, steps);
        return Expr(root, ctx_.dim, text_);
    }

  private:
    [[noreturn]] void fail(int column, const std::string& problem) const {
        throw_input_error(ctx_.file,
                          one_line("f, " + source_position(text_, column) + ": " + problem),
                          ctx_.line);
    }
    [[noreturn]] void fail_context(const std::string& problem) const {
        throw_input_error(ctx_.file, one_line("f: " + problem), ctx_.line);
    }

    void check_context() const {
        if (ctx_.dim < 1)
            fail_context("the dimension " + std::to_string(ctx_.dim) + " is not >= 1");
        for (const auto& [name, value] : ctx_.params) {
            if (!is_identifier(name))
                fail_context("the parameter name " + quoted(name) + " is not an identifier");
            if (is_reserved(name))
                fail_context("the parameter name " + quoted(name) +
                             " is reserved (pi, e, dim, x, x<k>, sum and the functions)");
            if (!value.is_finite())
                fail_context("the parameter " + quoted(name) + " is not finite");
        }
    }

    const Token& peek(std::size_t ahead = 0) const {
        return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
    }
    const Token& take() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
    bool accept(TokenKind k) {
        if (peek().kind != k) return false;
        ++pos_;
        return true;
    }
    static std::string describe(const Token& t) {
        switch (t.kind) {
            case TokenKind::end:
                return "end of expression";
            case TokenKind::number:
                return "number " + t.text;
            case TokenKind::name:
                return "name " + quoted(t.text);
            default:
                return quoted(t.text);
        }
    }
    void expect(TokenKind k, const std::string& what) {
        if (peek().kind != k)
            fail(peek().column, "expected " + what + ", found " + describe(peek()));
        ++pos_;
    }

    // ---- node construction -------------------------------------------------------------

    std::shared_ptr<Node> make(NodeKind kind, int column, std::vector<NodePtr> operands = {}) {
        auto n = std::make_shared<Node>();
        n->kind = kind;
        n->column = column;
        n->operands = std::move(operands);
        return n;
    }

    // Sets the dependency flags from the operands and folds constant nodes.
    NodePtr finish(std::shared_ptr<Node> n) {
        for (const NodePtr& op : n->operands) {
            n->has_variables = n->has_variables || op->has_variables;
            n->free_slots |= op->free_slots;
        }
        if (n->kind == NodeKind::sum) n->free_slots &= ~(1u << n->slot);
        if (n->kind == NodeKind::variable || n->kind == NodeKind::indexed_variable)
            n->has_variables = true;
        if (n->kind == NodeKind::index) n->free_slots |= 1u << n->slot;
        for (const NodePtr& op : n->operands) n->height = std::max(n->height, op->height + 1);
        if (n->height > kMaxTreeHeight)
            fail(n->column, "the expression is nested more than " + std::to_string(kMaxTreeHeight) +
                                " levels deep");
        if (n->is_constant() && !n->exact) {
            IndexValues none;
            try {
                n->exact = std::make_shared<const ExactConstant>(exact_value(*n, none));
            } catch (const ExactTooLarge& e) {
                fail(n->column, "the constant " + quoted(to_string(*n)) +
                                    " is too large to fold exactly: " + e.what());
            } catch (const std::domain_error& e) {
                fail(n->column,
                     "the constant " + quoted(to_string(*n)) + " is undefined: " + e.what());
            }
        }
        if (n->exact) {
            n->enclosure = n->exact->enclosure();
            if (!n->enclosure.is_finite())
                fail(n->column, "the constant " + quoted(to_string(*n)) +
                                    " overflows: its enclosure is not finite");
            n->approximation = static_cast<double>(n->enclosure.mid());
        }
        return n;
    }

    NodePtr leaf_constant(NodeKind kind, int column, std::string text, ExactConstant value) {
        auto n = make(kind, column);
        n->text = std::move(text);
        n->exact = std::make_shared<const ExactConstant>(std::move(value));
        return finish(n);
    }

    NodePtr binary(NodeKind kind, int column, NodePtr a, NodePtr b) {
        return finish(make(kind, column, {std::move(a), std::move(b)}));
    }

    // ---- grammar -----------------------------------------------------------------------

    // A chain t_0 op_1 t_1 op_2 ... op_{n-1} t_{n-1} of one precedence level (+/- or * and /).
    struct Chain {
        std::vector<NodePtr> terms;
        std::vector<NodeKind> ops;  // ops[i] joins terms[i]; ops[0] is unused
    };

    NodePtr expression() {
        Chain chain;
        chain.terms.push_back(term());
        chain.ops.push_back(NodeKind::add);
        while (peek().kind == TokenKind::plus || peek().kind == TokenKind::minus) {
            chain.ops.push_back(take().kind == TokenKind::plus ? NodeKind::add : NodeKind::sub);
            chain.terms.push_back(term());
        }
        return build_chain(chain);
    }

    NodePtr term() {
        Chain chain;
        chain.terms.push_back(unary());
        chain.ops.push_back(NodeKind::mul);
        while (peek().kind == TokenKind::star || peek().kind == TokenKind::slash) {
            chain.ops.push_back(take().kind == TokenKind::star ? NodeKind::mul : NodeKind::div);
            chain.terms.push_back(unary());
        }
        return build_chain(chain);
    }

    // Short chains fold to the left as written ((a+b)+c). Long ones (generated sums of thousands
    // of terms) are built balanced so that the tree stays O(log n) deep: the same real number,
    // since a − (b − c + d) = a − b + c − d and (a/b)·(c/d) = a/b·c/d; a product chain is split
    // only at a '*' (splitting at '/' would turn a/b·c into a/(b/c), undefined at c = 0).
    NodePtr build_chain(const Chain& chain) {
        if (chain.terms.size() <= kMaxChainLeftFold) return fold_left(chain, 0, chain.terms.size());
        return balanced(chain, 0, chain.terms.size(), false);
    }

    NodePtr fold_left(const Chain& chain, std::size_t lo, std::size_t hi, bool flip = false) {
        NodePtr left = chain.terms[lo];
        for (std::size_t i = lo + 1; i < hi; ++i)
            left = binary(flipped(chain.ops[i], flip), left->column, left, chain.terms[i]);
        return left;
    }

    static NodeKind flipped(NodeKind op, bool flip) {
        if (!flip) return op;
        return op == NodeKind::add ? NodeKind::sub : NodeKind::add;
    }

    // terms[lo..hi) joined by their operators, each + and − exchanged when `flip` (only for
    // sums: the right operand of a '−' split).
    NodePtr balanced(const Chain& chain, std::size_t lo, std::size_t hi, bool flip) {
        if (hi - lo == 1) return chain.terms[lo];
        const std::size_t mid = split_point(chain, lo, hi);
        if (mid == lo) return fold_left(chain, lo, hi, flip);
        const NodeKind op = flipped(chain.ops[mid], flip);
        NodePtr left = balanced(chain, lo, mid, flip);
        NodePtr right = balanced(chain, mid, hi, op == NodeKind::sub ? !flip : flip);
        const int column = left->column;  // before `left` is moved from
        return binary(op, column, std::move(left), std::move(right));
    }

    // The middle of a sum chain; for a product chain the '*' nearest the middle (lo if none).
    static std::size_t split_point(const Chain& chain, std::size_t lo, std::size_t hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        const NodeKind kind = chain.ops[mid];
        if (kind == NodeKind::add || kind == NodeKind::sub) return mid;
        for (std::size_t d = 0; d < hi - lo; ++d) {
            if (mid + d < hi && chain.ops[mid + d] == NodeKind::mul) return mid + d;
            if (d < mid - lo && chain.ops[mid - d] == NodeKind::mul) return mid - d;
        }
        return lo;
    }

    // Every level of nesting passes through unary(); it counts them.
    NodePtr unary() {
        const Token& t = peek();
        NestingGuard guard(*this, t.column);
        if (t.kind == TokenKind::minus) {
            ++pos_;
            return finish(make(NodeKind::neg, t.column, {unary()}));
        }
        if (t.kind == TokenKind::plus) {
            ++pos_;
            return unary();
        }
        return power();
    }

    class NestingGuard {
      public:
        NestingGuard(Parser& p, int column) : p_(p) {
            if (++p_.nesting_ > kMaxNesting)
                p_.fail(column, "the expression is nested more than " +
                                    std::to_string(kMaxNesting) +
                                    " levels deep (parentheses, signs, function calls, powers)");
        }
        ~NestingGuard() { --p_.nesting_; }
        NestingGuard(const NestingGuard&) = delete;
        NestingGuard& operator=(const NestingGuard&) = delete;

      private:
        Parser& p_;
    };

    NodePtr power() {
        NodePtr base = primary();
        if (!accept(TokenKind::caret)) return base;
        const int column = base->column;
        return binary(NodeKind::pow, column, base, unary());
    }

    NodePtr primary() {
        const Token& t = peek();
        switch (t.kind) {
            case TokenKind::number: {
                ++pos_;
                const auto q = parse_decimal(t.text);
                if (!q) fail(t.column, "the number " + t.text + " is malformed or out of range");
                return leaf_constant(NodeKind::number, t.column, t.text, ExactConstant(*q));
            }
            case TokenKind::lparen: {
                ++pos_;
                NodePtr inner = expression();
                expect(TokenKind::rparen, "')'");
                return inner;
            }
            case TokenKind::name:
                return name();
            default:
                fail(t.column, "expected a number, a name or '(', found " + describe(t));
        }
    }

    NodePtr name() {
        const Token t = take();
        const std::string& s = t.text;
        if (peek().kind == TokenKind::lparen) return call(t);
        if (s == "x" && peek().kind == TokenKind::lbracket) return indexed_variable(t);
        for (int slot = static_cast<int>(indices_.size()) - 1; slot >= 0; --slot) {
            if (indices_[static_cast<std::size_t>(slot)] == s) {
                auto n = make(NodeKind::index, t.column);
                n->text = s;
                n->slot = slot;
                return finish(n);
            }
        }
        if (ctx_.params.count(s)) return parameter(t);
        if (s == "pi") return leaf_constant(NodeKind::pi, t.column, s, ExactConstant::pi());
        if (s == "e") return leaf_constant(NodeKind::e, t.column, s, ExactConstant::e());
        if (s == "dim")
            return leaf_constant(NodeKind::dim, t.column, s, ExactConstant(long{ctx_.dim}));
        if (s == "x" || is_variable_name(s)) return variable(t);
        if (function_named(s) || s == "sum")
            fail(t.column, "the function " + quoted(s) + " needs an argument in parentheses");
        fail(t.column, "unknown name " + quoted(s) + " (" + known_names() + ")");
    }

    std::string variables_text() const {
        if (ctx_.dim == 1) return "x";
        if (ctx_.dim == 2) return "x1, x2";
        return "x1..x" + std::to_string(ctx_.dim);
    }

    std::string known_names() const {
        std::string params;
        for (const auto& [name, value] : ctx_.params) params += (params.empty() ? "" : ", ") + name;
        std::string s = "variables: " + variables_text();
        if (!params.empty()) s += "; parameters: " + params;
        std::string indices;
        for (const std::string& i : indices_) indices += (indices.empty() ? "" : ", ") + i;
        if (!indices.empty()) s += "; sum indices: " + indices;
        return s + "; constants: pi, e, dim";
    }

    NodePtr parameter(const Token& t) {
        const IntervalM& value = ctx_.params.at(t.text);
        ExactConstant exact = ExactConstant::from_base({t.text, value, std::nullopt});
        const auto text = ctx_.param_texts.find(t.text);
        if (text != ctx_.param_texts.end()) {
            const auto q = parse_signed_decimal(text->second);
            if (!q)
                fail_context("the parameter " + quoted(t.text) + " = " + text->second +
                             " is not a decimal number");
            if (!contains(value, enclose(*q)))
                fail_context("the parameter " + quoted(t.text) + ": the enclosure " +
                             gradcert::to_string(value) + " does not contain " + text->second);
            exact = ExactConstant(*q);
        } else if (value.is_point()) {
            exact = ExactConstant(to_rational(value.lower()));
        }
        return leaf_constant(NodeKind::parameter, t.column, t.text, std::move(exact));
    }

    NodePtr variable(const Token& t) {
        const std::string& s = t.text;
        int k = 0;
        if (s == "x") {
            if (ctx_.dim != 1)
                fail(t.column, "x is not a variable of this " + std::to_string(ctx_.dim) +
                                   "-dimensional family (variables: " + variables_text() +
                                   "; x[i] inside sum(i, ...))");
            k = 1;
        } else {
            const bool leading_zero = s[1] == '0';
            const bool in_range =
                s.size() <= 10 && !leading_zero && std::stol(s.substr(1)) <= ctx_.dim;
            if (!in_range)
                fail(t.column, s + " is not a variable of this " + std::to_string(ctx_.dim) +
                                   "-dimensional family (variables: " + variables_text() + ")");
            k = static_cast<int>(std::stol(s.substr(1)));
        }
        auto n = make(NodeKind::variable, t.column);
        n->text = s;
        n->coordinate = k;
        return finish(n);
    }

    NodePtr indexed_variable(const Token& t) {
        expect(TokenKind::lbracket, "'['");
        NodePtr index = expression();
        expect(TokenKind::rbracket, "']'");
        if (index->has_variables)
            fail(index->column,
                 "the coordinate index " + quoted(to_string(*index)) + " depends on the variables");
        return finish(make(NodeKind::indexed_variable, t.column, {index}));
    }

    NodePtr call(const Token& t) {
        if (t.text == "sum") return sum(t);
        const auto f = function_named(t.text);
        if (!f) {
            if (ctx_.params.count(t.text) || t.text == "x" || is_variable_name(t.text) ||
                t.text == "pi" || t.text == "e" || t.text == "dim")
                fail(t.column, quoted(t.text) + " is not a function (write products with '*')");
            fail(t.column, "unknown function " + quoted(t.text) +
                               " (functions: " + std::string(function_list()) + ", sum)");
        }
        expect(TokenKind::lparen, "'('");
        NodePtr argument = expression();
        if (peek().kind == TokenKind::comma)
            fail(peek().column, "the function " + t.text + " takes one argument");
        expect(TokenKind::rparen, "')'");
        auto n = make(NodeKind::function, t.column, {argument});
        n->function = *f;
        return finish(n);
    }

    void check_index_name(const Token& t) const {
        if (t.kind != TokenKind::name)
            fail(t.column, "expected the name of the sum index, found " + describe(t));
        if (is_reserved(t.text))
            fail(t.column, "the sum index " + quoted(t.text) + " is a reserved name");
        if (ctx_.params.count(t.text))
            fail(t.column, "the sum index " + quoted(t.text) + " is also a parameter");
        for (const std::string& outer : indices_)
            if (outer == t.text)
                fail(t.column,
                     "the sum index " + quoted(t.text) + " is already in use by an enclosing sum");
    }

    // sum(i, body) or sum(i, lo, hi, body).
    NodePtr sum(const Token& t) {
        expect(TokenKind::lparen, "'('");
        const Token index = take();
        check_index_name(index);
        if (static_cast<int>(indices_.size()) >= kMaxSumDepth)
            fail(t.column, "sums are nested deeper than " + std::to_string(kMaxSumDepth));
        expect(TokenKind::comma, "',' after the sum index");
        const int slot = static_cast<int>(indices_.size());
        indices_.push_back(index.text);
        std::vector<NodePtr> operands{expression()};
        if (accept(TokenKind::comma)) {
            operands.push_back(expression());
            expect(TokenKind::comma,
                   "',' before the body of sum(" + index.text + ", lo, hi, body)");
            operands.push_back(expression());
            for (int k = 0; k < 2; ++k) {
                const Node& bound = *operands[static_cast<std::size_t>(k)];
                if (bound.has_variables || (bound.free_slots & (1u << slot)))
                    fail(bound.column,
                         "the bound " + quoted(to_string(bound)) + " of sum(" + index.text +
                             ", ...) must not depend on the variables or on " + index.text);
            }
        }
        if (peek().kind == TokenKind::comma)
            fail(peek().column, "sum takes (index, body) or (index, lo, hi, body)");
        expect(TokenKind::rparen, "')'");
        indices_.pop_back();
        auto n = make(NodeKind::sum, t.column, std::move(operands));
        n->text = index.text;
        n->slot = slot;
        n->sum_upper = ctx_.dim;
        return finish(n);
    }

    // ---- validation over every value of the sum indices ---------------------------------

    std::string index_assignment(const IndexValues& indices,
                                 const std::vector<std::string>& names) const {
        std::string s;
        for (std::size_t k = 0; k < names.size(); ++k)
            s += (s.empty() ? " with " : ", ") + names[k] + " = " + std::to_string(indices[k]);
        return s;
    }

    long integer_or_fail(const Node& n, IndexValues& indices, const std::vector<std::string>& names,
                         const std::string& what) const {
        std::optional<int> k;
        try {
            const auto q = exact_value(n, indices).as_rational();
            if (q) k = to_int(*q);
        } catch (const std::domain_error& e) {
            fail(n.column, quoted(to_string(n)) + index_assignment(indices, names) +
                               " is undefined: " + e.what());
        }
        if (!k)
            fail(n.column, what + " " + quoted(to_string(n)) + index_assignment(indices, names) +
                               " is not an integer");
        return *k;
    }

    void validate(const Node& n, IndexValues& indices, std::vector<std::string>& names,
                  long& steps) const {
        if (++steps > kMaxValidationSteps)
            fail(n.column, "the sums are too large to expand (more than " +
                               std::to_string(kMaxValidationSteps) + " steps)");
        if (n.is_constant()) return;
        if (!n.has_variables) {
            try {
                (void)exact_value(n, indices);
            } catch (const std::domain_error& e) {
                fail(n.column, "the constant " + quoted(to_string(n)) +
                                   index_assignment(indices, names) + " is undefined: " + e.what());
            }
            return;
        }
        if (n.kind == NodeKind::indexed_variable) {
            const long k = integer_or_fail(*n.operands[0], indices, names, "the coordinate index");
            if (k < 1 || k > ctx_.dim)
                fail(n.column, quoted(to_string(n)) + index_assignment(indices, names) +
                                   " refers to coordinate " + std::to_string(k) + ", outside 1.." +
                                   std::to_string(ctx_.dim));
            return;
        }
        if (n.kind == NodeKind::sum) {
            long lo = 1;
            long hi = n.sum_upper;
            if (n.operands.size() == 3) {
                lo = integer_or_fail(*n.operands[0], indices, names, "the lower bound");
                hi = integer_or_fail(*n.operands[1], indices, names, "the upper bound");
            }
            if (hi - lo >= kMaxSumRange)
                fail(n.column, "sum(" + n.text + ", ...)" + index_assignment(indices, names) +
                                   " runs over " + std::to_string(hi - lo + 1) +
                                   " values, more than the limit " + std::to_string(kMaxSumRange));
            const std::size_t slot = static_cast<std::size_t>(n.slot);
            indices.resize(slot + 1);
            names.resize(slot + 1);
            names[slot] = n.text;
            for (long i = lo; i <= hi; ++i) {
                indices[slot] = i;
                validate(n.sum_body(), indices, names, steps);
            }
            indices.resize(slot);
            names.resize(slot);
            return;
        }
        for (const NodePtr& op : n.operands) validate(*op, indices, names, steps);
    }

    const std::string& text_;
    const ParseContext& ctx_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    int nesting_ = 0;
    std::vector<std::string> indices_;
};

}  // namespace

bool is_reserved_name(const std::string& name) {
    return name == "pi" || name == "e" || name == "dim" || name == "x" || name == "sum" ||
           is_variable_name(name) || function_named(name).has_value();
}

bool is_identifier(const std::string& name) {
    if (name.empty() || !is_name_start(name[0])) return false;
    for (char c : name)
        if (!is_name_char(c)) return false;
    return true;
}

std::string source_position(const std::string& text, int column) {
    if (text.find('\n') == std::string::npos) return "column " + std::to_string(column);
    int line = 1;
    int in_line = 1;
    int seen = 1;  // characters before the current one, plus one
    for (std::size_t i = 0; i < text.size() && seen < column; ++i) {
        if (is_utf8_continuation(text[i])) continue;
        ++seen;
        if (text[i] == '\n') {
            ++line;
            in_line = 1;
        } else {
            ++in_line;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(in_line);
}

std::string one_line(const std::string& s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (u < 0x20 || u == 0x7f)
            out += std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
        else
            out += c;
    }
    return out;
}

Expr parse(const std::string& text, const ParseContext& ctx) {
    return Parser(text, ctx).parse();
}

}  // namespace gradcert::expr
