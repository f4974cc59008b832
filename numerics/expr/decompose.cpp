#include "numerics/expr/decompose.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

#include "numerics/util/error.hpp"

namespace gradcert::expr {

namespace {

constexpr std::size_t kMaxTerms = 200000;
constexpr long kMaxPolynomialPower = 1000;
// The smoothing of a polynomial costs about degree² kernel moments at the working precision
// ((1+x)^400: 6 s per check, (1+x)^1000: minutes), so the degree is limited up front
// (docs/family-language.md).
constexpr int kMaxDegree = 256;
// A power of an expression with ridge terms is multiplied out one factor at a time (product to
// sum); ((2^(x-3096))^819)^8 took 30 s under the fuzzer's sanitizers.
constexpr int kMaxRidgePower = 64;

// w·x + offset with exact coefficients.
struct LinearForm {
    std::vector<ExactConstant> w;
    ExactConstant offset;

    bool is_constant() const {
        for (const ExactConstant& c : w)
            if (!c.is_zero()) return false;
        return true;
    }
    LinearForm operator-() const {
        LinearForm r = *this;
        for (ExactConstant& c : r.w) c = -c;
        r.offset = -r.offset;
        return r;
    }
    friend LinearForm operator+(const LinearForm& a, const LinearForm& b) {
        LinearForm r = a;
        for (std::size_t i = 0; i < r.w.size(); ++i) r.w[i] = r.w[i] + b.w[i];
        r.offset = r.offset + b.offset;
        return r;
    }
    friend LinearForm operator-(const LinearForm& a, const LinearForm& b) { return a + (-b); }
    std::string key() const {
        std::string s;
        for (const ExactConstant& c : w) s += c.key() + ";";
        return s + "|" + offset.key();
    }
};

struct Atom {
    RidgeKind kind;
    RidgeFunction g;
    LinearForm arg;
    std::string key() const {
        return std::string(ridge_kind_name(kind)) + "/" + std::string(ridge_function_name(g)) +
               "(" + arg.key() + ")";
    }
};

using Exponents = std::vector<int>;

// An expression in decomposed form: polynomial + Σ coefficient · atom.
struct Expansion {
    std::map<Exponents, ExactConstant> poly;
    std::vector<std::pair<Atom, ExactConstant>> ridges;  // order of first appearance
    std::map<std::string, std::size_t> ridge_index;      // atom key -> position in ridges

    bool has_ridges() const {
        for (const auto& r : ridges)
            if (!r.second.is_zero()) return true;
        return false;
    }
    int degree() const {
        int d = 0;
        for (const auto& [e, c] : poly) {
            int k = 0;
            for (int v : e) k += v;
            d = std::max(d, k);
        }
        return d;
    }
    std::optional<ExactConstant> as_constant(int dim) const {
        if (has_ridges()) return std::nullopt;
        if (poly.empty()) return ExactConstant();
        if (poly.size() == 1 && poly.begin()->first == Exponents(static_cast<std::size_t>(dim), 0))
            return poly.begin()->second;
        return std::nullopt;
    }
};

RidgeFunction general_function(Function f) {
    return f == Function::softplus ? RidgeFunction::softplus : RidgeFunction::tanh;
}

Function function_of(const Atom& a) {
    switch (a.kind) {
        case RidgeKind::cos:
            return Function::cos;
        case RidgeKind::sin:
            return Function::sin;
        case RidgeKind::exp:
            return Function::exp;
        case RidgeKind::general:
            return a.g == RidgeFunction::softplus ? Function::softplus : Function::tanh;
    }
    throw InternalError("decompose: unknown ridge kind");
}

// -1, 0 or +1 when the sign of c is certain, else nullopt.
std::optional<int> certain_sign(const ExactConstant& c) {
    if (c.is_zero()) return 0;
    if (const auto q = c.as_rational()) return *q > 0 ? 1 : -1;
    const IntervalM x = c.enclosure();
    if (certainly_positive(x)) return 1;
    if (certainly_negative(x)) return -1;
    return std::nullopt;
}

class Decomposer {
  public:
    Decomposer(const ParseContext& ctx, const Expr& e)
        : ctx_(ctx), dim_(e.dim()), text_(e.text()) {}

    Expansion expand(const Node& n) {
        if (!n.has_variables) return constant(value_of(n));
        switch (n.kind) {
            case NodeKind::variable:
                return variable(n.coordinate);
            case NodeKind::indexed_variable:
                return variable(static_cast<int>(integer_of(*n.operands[0])));
            case NodeKind::add:
                return sum_of(expand(*n.operands[0]), expand(*n.operands[1]), 1);
            case NodeKind::sub:
                return sum_of(expand(*n.operands[0]), expand(*n.operands[1]), -1);
            case NodeKind::neg:
                return scaled(expand(*n.operands[0]), ExactConstant(-1L));
            case NodeKind::mul:
                return product(expand(*n.operands[0]), expand(*n.operands[1]), n);
            case NodeKind::div:
                return quotient(n);
            case NodeKind::pow:
                return power(n);
            case NodeKind::function:
                return function(n);
            case NodeKind::sum:
                return sum(n);
            default:
                throw InternalError("decompose: unexpected node " + to_string(n));
        }
    }

    Decomposition result(const Expansion& e) const {
        Decomposition d;
        d.dim = dim_;
        d.poly.dim = dim_;
        for (const auto& [exponents, c] : e.poly)
            if (!c.is_zero()) d.poly.terms.push_back(Monomial{exponents, c.enclosure()});
        for (const auto& [atom, c] : e.ridges) {
            if (c.is_zero()) continue;
            RidgeTerm r;
            r.kind = atom.kind;
            r.g = atom.g;
            r.coeff = c.enclosure();
            for (const ExactConstant& w : atom.arg.w) r.w.push_back(w.enclosure());
            r.offset = atom.arg.offset.enclosure();
            d.ridges.push_back(std::move(r));
        }
        return d;
    }

  private:
    // ---- messages ------------------------------------------------------------------------

    std::string where(const Node& n) const {
        std::string s = "f, " + source_position(text_, n.column) + ": '" + to_string(n) + "'";
        for (std::size_t k = 0; k < index_names_.size(); ++k)
            s += (k == 0 ? " with " : ", ") + index_names_[k] + " = " + std::to_string(indices_[k]);
        return s;
    }

    [[noreturn]] void refuse(const Node& n, const std::string& reason) const {
        std::string message = ctx_.file;
        if (ctx_.line > 0) message += ":" + std::to_string(ctx_.line);
        message += ": " + where(n) + " is outside the supported class: " + reason;
        throw UnsupportedExpression(message);
    }

    void check_size(const Node& n, std::size_t terms) const {
        if (terms > kMaxTerms)
            refuse(n, "its expansion has more than " + std::to_string(kMaxTerms) + " terms");
    }

    // ---- leaves ---------------------------------------------------------------------------

    ExactConstant value_of(const Node& n) {
        if (n.exact) return *n.exact;
        try {
            return exact_value(n, indices_);
        } catch (const std::domain_error& e) {
            refuse(n, std::string("the constant is undefined: ") + e.what());
        }
    }

    long integer_of(const Node& n) {
        const auto q = value_of(n).as_rational();
        const auto k = q ? to_int(*q) : std::nullopt;
        if (!k || *k < 1 || *k > dim_)
            refuse(n, "not a coordinate index in 1.." + std::to_string(dim_));
        return *k;
    }

    Exponents zero_exponents() const { return Exponents(static_cast<std::size_t>(dim_), 0); }

    Expansion constant(const ExactConstant& c) const {
        Expansion e;
        if (!c.is_zero()) e.poly[zero_exponents()] = c;
        return e;
    }

    Expansion variable(int coordinate) const {
        Expansion e;
        Exponents x = zero_exponents();
        x[static_cast<std::size_t>(coordinate - 1)] = 1;
        e.poly[x] = ExactConstant(1L);
        return e;
    }

    // ---- linear structure -----------------------------------------------------------------

    static void add_monomial(Expansion& e, const Exponents& x, const ExactConstant& c) {
        if (c.is_zero()) return;
        auto it = e.poly.find(x);
        if (it == e.poly.end()) {
            e.poly.emplace(x, c);
            return;
        }
        it->second = it->second + c;
        if (it->second.is_zero()) e.poly.erase(it);
    }

    // Adds c·atom in canonical form: constant arguments are folded, cos/sin arguments get a
    // non-negative leading weight where its sign is certain, equal atoms are merged.
    void add_ridge(Expansion& e, Atom atom, ExactConstant c, const Node& n) {
        if (c.is_zero()) return;
        if (atom.arg.is_constant()) {
            try {
                add_monomial(e, zero_exponents(), c * apply(function_of(atom), atom.arg.offset));
            } catch (const std::domain_error& err) {
                refuse(n, std::string("a constant is undefined: ") + err.what());
            }
            return;
        }
        if (atom.kind == RidgeKind::cos || atom.kind == RidgeKind::sin) {
            for (const ExactConstant& w : atom.arg.w) {
                if (w.is_zero()) continue;
                if (certain_sign(w) == -1) {
                    atom.arg = -atom.arg;
                    if (atom.kind == RidgeKind::sin) c = -c;
                }
                break;
            }
        }
        const std::string key = atom.key();
        const auto it = e.ridge_index.find(key);
        if (it == e.ridge_index.end()) {
            e.ridge_index.emplace(key, e.ridges.size());
            e.ridges.emplace_back(std::move(atom), std::move(c));
            check_size(n, e.ridges.size());
            return;
        }
        ExactConstant& total = e.ridges[it->second].second;
        total = total + c;
    }

    Expansion sum_of(Expansion a, const Expansion& b, int sign) const {
        const ExactConstant s(static_cast<long>(sign));
        for (const auto& [x, c] : b.poly) add_monomial(a, x, s * c);
        for (const auto& [atom, c] : b.ridges) {
            const auto it = a.ridge_index.find(atom.key());
            if (it == a.ridge_index.end()) {
                a.ridge_index.emplace(atom.key(), a.ridges.size());
                a.ridges.emplace_back(atom, s * c);
            } else {
                a.ridges[it->second].second = a.ridges[it->second].second + s * c;
            }
        }
        return a;
    }

    static Expansion scaled(Expansion a, const ExactConstant& s) {
        if (s.is_zero()) return Expansion{};
        for (auto& [x, c] : a.poly) c = c * s;
        for (auto& [atom, c] : a.ridges) c = c * s;
        return a;
    }

    // ---- products -------------------------------------------------------------------------

    void check_degree(const Node& n, long degree) const {
        if (degree > kMaxDegree)
            refuse(n, "its polynomial degree " + std::to_string(degree) + " is above the limit " +
                          std::to_string(kMaxDegree));
    }

    Expansion product(const Expansion& a, const Expansion& b, const Node& n) {
        if (const auto c = a.as_constant(dim_)) return scaled(b, *c);
        if (const auto c = b.as_constant(dim_)) return scaled(a, *c);
        check_size(n, (a.poly.size() + a.ridges.size()) * (b.poly.size() + b.ridges.size()) * 2);
        check_degree(n, static_cast<long>(a.degree()) + b.degree());
        Expansion r;
        for (const auto& [xa, ca] : a.poly) {
            for (const auto& [xb, cb] : b.poly) {
                Exponents x = xa;
                for (std::size_t i = 0; i < x.size(); ++i) x[i] += xb[i];
                add_monomial(r, x, ca * cb);
            }
        }
        polynomial_times_ridges(r, a, b, n);
        polynomial_times_ridges(r, b, a, n);
        for (const auto& [atom_a, ca] : a.ridges) {
            if (ca.is_zero()) continue;
            for (const auto& [atom_b, cb] : b.ridges) {
                if (cb.is_zero()) continue;
                product_to_sum(r, atom_a, atom_b, ca * cb, n);
            }
        }
        return r;
    }

    // Adds (polynomial part of p) · (ridge part of q); only constant monomials qualify.
    void polynomial_times_ridges(Expansion& r, const Expansion& p, const Expansion& q,
                                 const Node& n) {
        if (!q.has_ridges()) return;
        for (const auto& [x, c] : p.poly) {
            if (x != zero_exponents())
                refuse(n,
                       "a non-constant polynomial times a ridge term (cos, sin, exp, softplus, "
                       "tanh of a linear form) is not a sum of ridge terms");
            for (const auto& [atom, cq] : q.ridges) add_ridge(r, atom, c * cq, n);
        }
    }

    // Adds c · A · B, rewritten as a sum of ridge terms.
    void product_to_sum(Expansion& r, const Atom& a, const Atom& b, const ExactConstant& c,
                        const Node& n) {
        const ExactConstant half = c * ExactConstant(Rational(1, 2));
        const LinearForm plus = a.arg + b.arg;
        const LinearForm minus = a.arg - b.arg;
        auto add = [&](RidgeKind kind, const LinearForm& arg, const ExactConstant& coeff) {
            add_ridge(r, Atom{kind, RidgeFunction::none, arg}, coeff, n);
        };
        using K = RidgeKind;
        if (a.kind == K::cos && b.kind == K::cos) {
            add(K::cos, minus, half);
            add(K::cos, plus, half);
        } else if (a.kind == K::sin && b.kind == K::sin) {
            add(K::cos, minus, half);
            add(K::cos, plus, -half);
        } else if (a.kind == K::sin && b.kind == K::cos) {
            add(K::sin, plus, half);
            add(K::sin, minus, half);
        } else if (a.kind == K::cos && b.kind == K::sin) {
            add(K::sin, plus, half);
            add(K::sin, minus, -half);
        } else if (a.kind == K::exp && b.kind == K::exp) {
            add(K::exp, plus, c);
        } else if (a.kind == K::general || b.kind == K::general) {
            refuse(n,
                   "softplus or tanh of a linear form times a non-constant expression is not a "
                   "sum of ridge terms");
        } else {
            refuse(n,
                   "exp of a linear form times cos or sin of a linear form is not a sum of "
                   "ridge terms");
        }
    }

    Expansion quotient(const Node& n) {
        const Node& denominator = *n.operands[1];
        if (denominator.has_variables)
            refuse(n, "division by the non-constant '" + to_string(denominator) + "'");
        ExactConstant inverse;
        try {
            inverse = value_of(denominator).reciprocal();
        } catch (const std::domain_error& e) {
            refuse(n, std::string("the divisor is not certainly nonzero: ") + e.what());
        }
        return scaled(expand(*n.operands[0]), inverse);
    }

    Expansion power(const Node& n) {
        const Node& base = *n.operands[0];
        const Node& exponent = *n.operands[1];
        if (exponent.has_variables) {
            if (base.has_variables)
                refuse(n, "a variable raised to a variable power is not a sum of ridge terms");
            // c^u = exp(u·log c) for a constant c > 0.
            const ExactConstant c = value_of(base);
            ExactConstant log_c;
            try {
                log_c = apply(Function::log, c);
            } catch (const std::domain_error& e) {
                refuse(n, std::string("the base of a variable power must be certainly > 0: ") +
                              e.what());
            }
            return ridge(RidgeKind::exp, RidgeFunction::none, scaled(expand(exponent), log_c), n);
        }
        const auto q = value_of(exponent).as_rational();
        const auto k = q ? to_int(*q) : std::nullopt;
        if (!k || *k < 0 || *k > kMaxPolynomialPower)
            refuse(n, "only integer powers 0.." + std::to_string(kMaxPolynomialPower) +
                          " of a non-constant expression are supported");
        const Expansion b = expand(base);
        check_degree(n, static_cast<long>(*k) * b.degree());
        if (b.has_ridges() && *k > kMaxRidgePower)
            refuse(n, "integer powers above " + std::to_string(kMaxRidgePower) +
                          " of an expression with cos, sin, exp, softplus or tanh terms are not "
                          "supported");
        Expansion r = constant(ExactConstant(1L));
        for (int i = 0; i < *k; ++i) r = product(r, b, n);
        return r;
    }

    // ---- functions and sums ---------------------------------------------------------------

    Expansion ridge(RidgeKind kind, RidgeFunction g, const Expansion& argument, const Node& n) {
        if (argument.has_ridges() || argument.degree() > 1)
            refuse(n, "the argument of " +
                          std::string(kind == RidgeKind::general ? ridge_function_name(g)
                                                                 : ridge_kind_name(kind)) +
                          " is not affine in the variables");
        LinearForm arg{std::vector<ExactConstant>(static_cast<std::size_t>(dim_)), ExactConstant()};
        for (const auto& [x, c] : argument.poly) {
            bool is_offset = true;
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (x[i] == 1) {
                    arg.w[i] = c;
                    is_offset = false;
                }
            }
            if (is_offset) arg.offset = c;
        }
        Expansion r;
        add_ridge(r, Atom{kind, g, std::move(arg)}, ExactConstant(1L), n);
        return r;
    }

    Expansion function(const Node& n) {
        const Expansion argument = expand(*n.operands[0]);
        switch (n.function) {
            case Function::cos:
                return ridge(RidgeKind::cos, RidgeFunction::none, argument, n);
            case Function::sin:
                return ridge(RidgeKind::sin, RidgeFunction::none, argument, n);
            case Function::exp:
                return ridge(RidgeKind::exp, RidgeFunction::none, argument, n);
            case Function::softplus:
            case Function::tanh:
                return ridge(RidgeKind::general, general_function(n.function), argument, n);
            case Function::abs:
                refuse(n,
                       "abs is not differentiable where its argument vanishes, and a Hessian "
                       "is needed");
            case Function::sqrt:
            case Function::log:
                refuse(n, std::string(function_name(n.function)) +
                              " of a non-constant expression (supported: polynomials plus "
                              "c*g(w.x + b) with g = cos, sin, exp, softplus, tanh)");
        }
        throw InternalError("decompose: unknown function");
    }

    Expansion sum(const Node& n) {
        long lo = 1;
        long hi = n.sum_upper;
        if (n.operands.size() == 3) {
            lo = bound_of(*n.operands[0]);
            hi = bound_of(*n.operands[1]);
        }
        const std::size_t slot = static_cast<std::size_t>(n.slot);
        indices_.resize(slot + 1);
        index_names_.resize(slot + 1);
        index_names_[slot] = n.text;
        Expansion total;
        for (long i = lo; i <= hi; ++i) {
            indices_[slot] = i;
            total = sum_of(std::move(total), expand(n.sum_body()), 1);
            check_size(n, total.poly.size() + total.ridges.size());
        }
        indices_.resize(slot);
        index_names_.resize(slot);
        return total;
    }

    long bound_of(const Node& n) {
        const auto q = value_of(n).as_rational();
        const auto k = q ? to_int(*q) : std::nullopt;
        if (!k) refuse(n, "a sum bound must be an integer");
        return *k;
    }

    const ParseContext& ctx_;
    int dim_;
    std::string text_;
    IndexValues indices_;
    std::vector<std::string> index_names_;
};

std::string display(const IntervalM& c) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6g", static_cast<double>(c.mid()));
    return buffer;
}

}  // namespace

int Monomial::degree() const {
    int d = 0;
    for (int k : exponents) d += k;
    return d;
}

int Polynomial::degree() const {
    int d = 0;
    for (const Monomial& m : terms) d = std::max(d, m.degree());
    return d;
}

std::vector<int> RidgeTerm::support() const {
    std::vector<int> s;
    for (std::size_t i = 0; i < w.size(); ++i)
        if (!(w[i].is_point() && contains(w[i], Mpfr(0)))) s.push_back(static_cast<int>(i) + 1);
    return s;
}

bool Decomposition::separable() const {
    for (const RidgeTerm& r : ridges)
        if (r.support().size() > 1) return false;
    for (const Monomial& m : poly.terms) {
        int touched = 0;
        for (int k : m.exponents) touched += k > 0 ? 1 : 0;
        if (touched > 1) return false;
    }
    return true;
}

Decomposition decompose(const Expr& e, const ParseContext& ctx) {
    if (e.empty()) throw InternalError("decompose: empty expression");
    Decomposer d(ctx, e);
    try {
        return d.result(d.expand(e.root()));
    } catch (const ExactTooLarge& error) {
        // Exact coefficients beyond the limits of exact_constant.hpp ((10^4000*x + 1)^256).
        std::string message = ctx.file;
        if (ctx.line > 0) message += ":" + std::to_string(ctx.line);
        throw UnsupportedExpression(message +
                                    ": f is outside the supported class: its exact "
                                    "expansion is too large (" +
                                    error.what() + ")");
    }
}

GrowthBound growth_bound(RidgeFunction g) {
    switch (g) {
        case RidgeFunction::softplus:
            return GrowthBound{1.0, 1.0};
        case RidgeFunction::tanh:
            return GrowthBound{1.0, 0.0};
        case RidgeFunction::none:
            break;
    }
    throw InternalError("growth_bound: no ridge function");
}

RidgeFunctionJet ridge_function_jet(RidgeFunction g) {
    switch (g) {
        case RidgeFunction::softplus:
            return [](const Jet<IntervalM>& y) { return softplus(y); };
        case RidgeFunction::tanh:
            return [](const Jet<IntervalM>& y) { return tanh(y); };
        case RidgeFunction::none:
            break;
    }
    throw InternalError("ridge_function_jet: no ridge function");
}

std::string_view ridge_kind_name(RidgeKind k) {
    switch (k) {
        case RidgeKind::cos:
            return "cos";
        case RidgeKind::sin:
            return "sin";
        case RidgeKind::exp:
            return "exp";
        case RidgeKind::general:
            return "general";
    }
    return "?";
}

std::string_view ridge_function_name(RidgeFunction g) {
    switch (g) {
        case RidgeFunction::none:
            return "none";
        case RidgeFunction::softplus:
            return "softplus";
        case RidgeFunction::tanh:
            return "tanh";
    }
    return "?";
}

std::string to_string(const Decomposition& d) {
    auto variable = [&](std::size_t i) {
        return d.dim == 1 ? std::string("x") : "x" + std::to_string(i + 1);
    };
    std::string s;
    auto append = [&](const std::string& term) { s += (s.empty() ? "" : " + ") + term; };
    for (const Monomial& m : d.poly.terms) {
        std::string t = display(m.coeff);
        for (std::size_t i = 0; i < m.exponents.size(); ++i) {
            if (m.exponents[i] == 0) continue;
            t += "*" + variable(i);
            if (m.exponents[i] > 1) t += "^" + std::to_string(m.exponents[i]);
        }
        append(t);
    }
    for (const RidgeTerm& r : d.ridges) {
        std::string arg;
        for (int i : r.support())
            arg += (arg.empty() ? "" : " + ") + display(r.w[static_cast<std::size_t>(i - 1)]) +
                   "*" + variable(static_cast<std::size_t>(i - 1));
        if (!(r.offset.is_point() && contains(r.offset, Mpfr(0)))) arg += " + " + display(r.offset);
        const std::string_view g =
            r.kind == RidgeKind::general ? ridge_function_name(r.g) : ridge_kind_name(r.kind);
        append(display(r.coeff) + "*" + std::string(g) + "(" + arg + ")");
    }
    return s.empty() ? "0" : s;
}

}  // namespace gradcert::expr
