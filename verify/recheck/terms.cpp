#include "verify/recheck/terms.hpp"

#include <arb_hypgeom.h>

namespace gradcert::recheck {

namespace {

using expr::Function;
using expr::Node;
using expr::NodeKind;
using Sum = std::vector<Term>;

NotSupported unsupported(const Node& n) {
    return NotSupported("not supported: " + expr::to_string(n));
}

bool is_affine(const Sum& s) {
    for (const Term& t : s) {
        int degree = 0;
        for (int a : t.alpha) degree += a;
        if (t.g != Ridge::none || degree > 1) return false;
    }
    return true;
}

bool is_constant(const Term& t) {
    if (t.g != Ridge::none) return false;
    for (int a : t.alpha)
        if (a != 0) return false;
    return true;
}

class Expander {
  public:
    Expander(int dim, const std::map<std::string, Ball>& params) : dim_(dim), params_(params) {}

    Sum expand(const Node& n) {
        if (!n.has_variables) return {constant_term(value(n))};
        switch (n.kind) {
            case NodeKind::variable:
                return {monomial(n.coordinate - 1)};
            case NodeKind::indexed_variable:
                return {monomial(coordinate(n) - 1)};
            case NodeKind::add:
                return concat(expand(*n.operands[0]), expand(*n.operands[1]));
            case NodeKind::sub:
                return concat(expand(*n.operands[0]), scaled(expand(*n.operands[1]), Ball(-1)));
            case NodeKind::neg:
                return scaled(expand(*n.operands[0]), Ball(-1));
            case NodeKind::mul:
                return product(expand(*n.operands[0]), expand(*n.operands[1]), n);
            case NodeKind::div: {
                if (n.operands[1]->has_variables) throw unsupported(n);
                Ball r;
                arb_inv(r.p(), value(*n.operands[1]).p(), prec());
                return scaled(expand(*n.operands[0]), r);
            }
            case NodeKind::pow:
                return power(n);
            case NodeKind::function:
                return ridge(n);
            case NodeKind::sum: {
                Sum out;
                for_each_index(n, [&] { out = concat(std::move(out), expand(n.sum_body())); });
                return out;
            }
            default:
                throw unsupported(n);
        }
    }

  private:
    // The exact value of a node without variables, as a ball.
    Ball value(const Node& n) {
        Ball r;
        const auto arg = [&](int k) { return value(*n.operands[static_cast<std::size_t>(k)]); };
        switch (n.kind) {
            case NodeKind::number:
                return ball(parse_decimal_exact(n.text, "f"));
            case NodeKind::pi:
                arb_const_pi(r.p(), prec());
                return r;
            case NodeKind::e:
                arb_const_e(r.p(), prec());
                return r;
            case NodeKind::dim:
                return Ball(dim_);
            case NodeKind::parameter:
                return params_.at(n.text);
            case NodeKind::index:
                return Ball(indices_.at(static_cast<std::size_t>(n.slot)));
            case NodeKind::add:
                arb_add(r.p(), arg(0).p(), arg(1).p(), prec());
                return r;
            case NodeKind::sub:
                arb_sub(r.p(), arg(0).p(), arg(1).p(), prec());
                return r;
            case NodeKind::mul:
                arb_mul(r.p(), arg(0).p(), arg(1).p(), prec());
                return r;
            case NodeKind::div:
                arb_div(r.p(), arg(0).p(), arg(1).p(), prec());
                return r;
            case NodeKind::neg:
                arb_neg(r.p(), arg(0).p());
                return r;
            case NodeKind::pow: {
                const Ball base = arg(0), e = arg(1);
                if (arb_is_int(e.p())) {
                    fmpz_t k;
                    fmpz_init(k);
                    arf_get_fmpz(k, arb_midref(e.p()), ARF_RND_DOWN);
                    arb_pow_fmpz(r.p(), base.p(), k, prec());
                    fmpz_clear(k);
                } else {
                    arb_pow(r.p(), base.p(), e.p(), prec());
                }
                return r;
            }
            case NodeKind::function:
                return apply(n.function, arg(0));
            case NodeKind::sum: {
                Ball s(0);
                for_each_index(n, [&] { arb_add(s.p(), s.p(), value(n.sum_body()).p(), prec()); });
                return s;
            }
            default:
                throw unsupported(n);
        }
    }

    static Ball apply(Function f, const Ball& x) {
        Ball r;
        switch (f) {
            case Function::exp:
                arb_exp(r.p(), x.p(), prec());
                break;
            case Function::log:
                arb_log(r.p(), x.p(), prec());
                break;
            case Function::sqrt:
                arb_sqrt(r.p(), x.p(), prec());
                break;
            case Function::sin:
                arb_sin(r.p(), x.p(), prec());
                break;
            case Function::cos:
                arb_cos(r.p(), x.p(), prec());
                break;
            case Function::tanh:
                arb_tanh(r.p(), x.p(), prec());
                break;
            case Function::abs:
                arb_abs(r.p(), x.p());
                break;
            case Function::softplus:  // log(1 + e^x)
                arb_exp(r.p(), x.p(), prec());
                arb_log1p(r.p(), r.p(), prec());
                break;
        }
        return r;
    }

    long integer(const Node& n) {
        const Ball v = value(n);
        if (!arb_is_int(v.p())) throw unsupported(n);
        return arf_get_si(arb_midref(v.p()), ARF_RND_DOWN);
    }

    int coordinate(const Node& n) {
        const long k = integer(*n.operands[0]);
        if (k < 1 || k > dim_) throw unsupported(n);
        return static_cast<int>(k);
    }

    template <class Body>
    void for_each_index(const Node& n, Body body) {
        long lo = 1, hi = n.sum_upper;
        if (n.operands.size() == 3) lo = integer(*n.operands[0]), hi = integer(*n.operands[1]);
        const std::size_t slot = static_cast<std::size_t>(n.slot);
        indices_.resize(slot + 1);
        for (long i = lo; i <= hi; ++i) indices_[slot] = i, body();
        indices_.resize(slot);
    }

    Term constant_term(const Ball& c) const {
        Term t;
        t.c = c;
        t.alpha.assign(static_cast<std::size_t>(dim_), 0);
        return t;
    }

    Term monomial(int i) const {
        Term t = constant_term(Ball(1));
        t.alpha[static_cast<std::size_t>(i)] = 1;
        return t;
    }

    static Sum concat(Sum a, Sum b) {
        for (Term& t : b) a.push_back(std::move(t));
        return a;
    }

    static Sum scaled(Sum s, const Ball& k) {
        for (Term& t : s) arb_mul(t.c.p(), t.c.p(), k.p(), prec());
        return s;
    }

    // g(A)·h(B) for two ridge terms as a sum of ridges (product-to-sum, exp·exp).
    Sum ridge_product(const Term& a, const Term& b, const Node& n) const {
        if ((a.g == Ridge::exp) != (b.g == Ridge::exp)) throw unsupported(n);
        Term plus = a, minus = a;  // arguments A + B and A − B
        arb_mul(plus.c.p(), a.c.p(), b.c.p(), prec());
        for (std::size_t i = 0; i < a.w.size(); ++i) {
            arb_add(plus.w[i].p(), a.w[i].p(), b.w[i].p(), prec());
            arb_sub(minus.w[i].p(), a.w[i].p(), b.w[i].p(), prec());
        }
        arb_add(plus.b.p(), a.b.p(), b.b.p(), prec());
        arb_sub(minus.b.p(), a.b.p(), b.b.p(), prec());
        if (a.g == Ridge::exp) return {plus};
        arb_mul_2exp_si(plus.c.p(), plus.c.p(), -1);
        minus.c = plus.c;
        const bool a_cos = a.g == Ridge::cos, b_cos = b.g == Ridge::cos;
        plus.g = minus.g = (a_cos == b_cos) ? Ridge::cos : Ridge::sin;
        // cos·cos = (cos(A−B) + cos(A+B))/2, sin·sin = (cos(A−B) − cos(A+B))/2,
        // sin·cos = (sin(A+B) + sin(A−B))/2, cos·sin = (sin(A+B) − sin(A−B))/2.
        if (!a_cos && !b_cos) arb_neg(plus.c.p(), plus.c.p());
        if (a_cos && !b_cos) arb_neg(minus.c.p(), minus.c.p());
        return {plus, minus};
    }

    Sum product(const Sum& a, const Sum& b, const Node& n) const {
        Sum out;
        for (const Term& s : a)
            for (const Term& t : b) {
                if (s.g == Ridge::none && t.g == Ridge::none) {
                    Term p = s;
                    arb_mul(p.c.p(), s.c.p(), t.c.p(), prec());
                    for (std::size_t i = 0; i < p.alpha.size(); ++i) p.alpha[i] += t.alpha[i];
                    out.push_back(std::move(p));
                } else if (is_constant(s) || is_constant(t)) {
                    Term p = is_constant(s) ? t : s;
                    arb_mul(p.c.p(), s.c.p(), t.c.p(), prec());
                    out.push_back(std::move(p));
                } else if (s.g != Ridge::none && t.g != Ridge::none) {
                    out = concat(std::move(out), ridge_product(s, t, n));
                } else {
                    throw unsupported(n);
                }
            }
        return out;
    }

    Sum power(const Node& n) {
        const Node& base = *n.operands[0];
        const Node& exponent = *n.operands[1];
        if (exponent.has_variables) {
            if (base.has_variables) throw unsupported(n);
            // b^L = exp(L·log b): a ridge when L is affine.
            Ball log_b;
            if (base.kind == NodeKind::e)
                log_b = Ball(1);
            else
                arb_log(log_b.p(), value(base).p(), prec());
            return exp_ridge(scaled(expand(exponent), log_b), n);
        }
        const Ball e = value(exponent);
        if (!arb_is_int(e.p()) || arb_is_negative(e.p())) throw unsupported(n);
        const long k = arf_get_si(arb_midref(e.p()), ARF_RND_DOWN);
        if (k > 64) throw unsupported(n);
        const Sum b = expand(base);
        Sum out = {constant_term(Ball(1))};
        for (long i = 0; i < k; ++i) out = product(out, b, n);
        return out;
    }

    Sum exp_ridge(const Sum& argument, const Node& n) const {
        return {ridge_of(Ridge::exp, argument, n)};
    }

    Term ridge_of(Ridge g, const Sum& argument, const Node& n) const {
        if (!is_affine(argument)) throw unsupported(n);
        Term t = constant_term(Ball(1));
        t.g = g;
        t.w.assign(static_cast<std::size_t>(dim_), Ball(0));
        t.b = Ball(0);
        for (const Term& a : argument) {
            Ball* slot = &t.b;
            for (std::size_t i = 0; i < a.alpha.size(); ++i)
                if (a.alpha[i] == 1) slot = &t.w[i];
            arb_add(slot->p(), slot->p(), a.c.p(), prec());
        }
        return t;
    }

    Sum ridge(const Node& n) {
        const Sum argument = expand(*n.operands[0]);
        switch (n.function) {
            case Function::cos:
                return {ridge_of(Ridge::cos, argument, n)};
            case Function::sin:
                return {ridge_of(Ridge::sin, argument, n)};
            case Function::exp:
                return {ridge_of(Ridge::exp, argument, n)};
            default:
                throw unsupported(n);
        }
    }

    int dim_;
    const std::map<std::string, Ball>& params_;
    std::vector<long> indices_;
};

}  // namespace

std::vector<Term> expand(const expr::Expr& f, const std::map<std::string, Ball>& params) {
    return Expander(f.dim(), params).expand(f.root());
}

}  // namespace gradcert::recheck
