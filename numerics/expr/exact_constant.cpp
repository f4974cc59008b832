#include "numerics/expr/exact_constant.hpp"

#include <stdexcept>
#include <utility>

#include "numerics/autodiff/scalar_ops.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::expr {

namespace {

// Beyond these sizes a power is kept as an opaque base constant instead of multiplied out.
constexpr long kMaxExactExponent = 4096;
constexpr long kMaxExpandedExponent = 16;

// Monomial exponents beyond this stay inside an opaque power (enclosures take int exponents).
constexpr long kMaxMonomialExponent = 1L << 20;

// Bits of q^n, bounded above (n >= 0).
double power_bits(const Rational& q, long n) {
    using boost::multiprecision::denominator;
    using boost::multiprecision::msb;
    using boost::multiprecision::numerator;
    const auto size = [](const auto& z) {
        return z == 0 ? 1.0 : static_cast<double>(msb(abs(z))) + 1;
    };
    return (size(numerator(q)) + size(denominator(q))) * static_cast<double>(n);
}

void check_bits(const Rational& q) {
    if (power_bits(q, 1) > static_cast<double>(kMaxExactBits))
        throw ExactTooLarge("a rational of more than " + std::to_string(kMaxExactBits) + " bits");
}

void check_term_count(std::size_t terms) {
    if (terms > kMaxExactTerms)
        throw ExactTooLarge("more than " + std::to_string(kMaxExactTerms) + " exact terms");
}

Rational rational_power(const Rational& q, unsigned n) {
    using boost::multiprecision::denominator;
    using boost::multiprecision::numerator;
    return Rational(boost::multiprecision::pow(numerator(q), n),
                    boost::multiprecision::pow(denominator(q), n));
}

std::string parenthesised(const std::string& key) {
    return "(" + key + ")";
}

std::string function_key(Function f, const ExactConstant& a) {
    return std::string(function_name(f)) + parenthesised(a.key());
}

ExactConstant opaque(std::string key, IntervalM enclosure,
                     std::optional<Rational> square = std::nullopt) {
    return ExactConstant::from_base(BaseConstant{std::move(key), std::move(enclosure), square});
}

}  // namespace

ExactConstant::ExactConstant(const Rational& q) {
    if (q != 0) terms_[Monomial{}] = q;
}

ExactConstant ExactConstant::from_base(BaseConstant b) {
    ExactConstant c;
    const std::string key = b.key;
    c.bases_[key] = std::make_shared<const BaseConstant>(std::move(b));
    c.terms_[Monomial{{key, 1}}] = Rational(1);
    return c;
}

ExactConstant ExactConstant::pi() {
    return from_base({"pi", IntervalM::pi(), std::nullopt});
}

ExactConstant ExactConstant::e() {
    return from_base({"e", IntervalM::e(), std::nullopt});
}

std::optional<Rational> ExactConstant::as_rational() const {
    if (terms_.empty()) return Rational(0);
    if (terms_.size() == 1 && terms_.begin()->first.empty()) return terms_.begin()->second;
    return std::nullopt;
}

std::optional<std::string> ExactConstant::as_base_key() const {
    if (terms_.size() != 1) return std::nullopt;
    const auto& [monomial, q] = *terms_.begin();
    if (q != 1 || monomial.size() != 1 || monomial.begin()->second != 1) return std::nullopt;
    return monomial.begin()->first;
}

std::optional<long> ExactConstant::as_power_of(const std::string& key) const {
    if (terms_.size() != 1) return std::nullopt;
    const auto& [monomial, q] = *terms_.begin();
    if (q != 1 || monomial.size() != 1 || monomial.begin()->first != key) return std::nullopt;
    return monomial.begin()->second;
}

IntervalM ExactConstant::enclosure() const {
    IntervalM sum(0);
    for (const auto& [monomial, q] : terms_) {
        IntervalM term = enclose(q);
        for (const auto& [key, exponent] : monomial) {
            const IntervalM& b = bases_.at(key)->enclosure;
            term *= exponent > 0 ? gradcert::pow(b, static_cast<int>(exponent))
                                 : 1 / gradcert::pow(b, static_cast<int>(-exponent));
        }
        sum += term;
    }
    return sum;
}

std::string ExactConstant::key() const {
    if (terms_.empty()) return "0";
    std::string out;
    for (const auto& [monomial, q] : terms_) {
        if (!out.empty()) out += " + ";
        std::string m;
        for (const auto& [key, exponent] : monomial) {
            if (!m.empty()) m += "*";
            m += key;
            if (exponent != 1) m += "^" + std::to_string(exponent);
        }
        if (m.empty())
            out += to_string(q);
        else if (q == 1)
            out += m;
        else if (q == -1)
            out += "-" + m;
        else
            out += to_string(q) + "*" + m;
    }
    return out;
}

void ExactConstant::add_term(const Monomial& m, const Rational& q) {
    if (q == 0) return;
    auto it = terms_.find(m);
    if (it == terms_.end()) {
        check_bits(q);
        terms_.emplace(m, q);
        return;
    }
    it->second += q;
    check_bits(it->second);
    if (it->second == 0) terms_.erase(it);
}

void ExactConstant::adopt_bases(const ExactConstant& other) {
    bases_.insert(other.bases_.begin(), other.bases_.end());
}

ExactConstant ExactConstant::operator-() const {
    ExactConstant r = *this;
    for (auto& [m, q] : r.terms_) q = -q;
    return r;
}

ExactConstant operator+(const ExactConstant& a, const ExactConstant& b) {
    ExactConstant r = a;
    r.adopt_bases(b);
    for (const auto& [m, q] : b.terms_) r.add_term(m, q);
    check_term_count(r.terms_.size());
    return r;
}

ExactConstant operator-(const ExactConstant& a, const ExactConstant& b) {
    return a + (-b);
}

void ExactConstant::reduce_squares(Monomial& m, Rational& q) const {
    for (auto it = m.begin(); it != m.end();) {
        const auto& square = bases_.at(it->first)->square;
        if (square) {
            while (it->second >= 2) {
                it->second -= 2;
                q *= *square;
            }
            while (it->second <= -2) {
                it->second += 2;
                q /= *square;
            }
        }
        it = it->second == 0 ? m.erase(it) : std::next(it);
    }
}

ExactConstant operator*(const ExactConstant& a, const ExactConstant& b) {
    ExactConstant r;
    r.adopt_bases(a);
    r.adopt_bases(b);
    for (const auto& [ma, qa] : a.terms_) {
        for (const auto& [mb, qb] : b.terms_) {
            ExactConstant::Monomial m = ma;
            for (const auto& [key, exponent] : mb) m[key] += exponent;
            Rational q = qa * qb;
            r.reduce_squares(m, q);
            r.add_term(m, q);
        }
    }
    check_term_count(r.terms_.size());
    return r;
}

ExactConstant ExactConstant::reciprocal() const {
    if (terms_.empty()) throw DomainError("division by zero");
    if (terms_.size() == 1) {
        ExactConstant r;
        r.bases_ = bases_;
        Monomial m = terms_.begin()->first;
        for (auto& [key, exponent] : m) exponent = -exponent;
        r.terms_.emplace(std::move(m), 1 / terms_.begin()->second);
        return r;
    }
    const IntervalM x = enclosure();
    if (possibly_zero(x))
        throw DomainError("cannot certify that the divisor " + key() + " is nonzero");
    return opaque("1/" + parenthesised(key()), 1 / x);
}

ExactConstant ExactConstant::pow(long n) const {
    if (n == 0) return ExactConstant(Rational(1));
    if (n < 0) return reciprocal().pow(-n);
    const auto small_enough = [&] {
        const auto& [monomial, q] = *terms_.begin();
        for (const auto& [key, exponent] : monomial)
            if (std::abs(exponent) * n > kMaxMonomialExponent) return false;
        return power_bits(q, n) <= static_cast<double>(kMaxExactBits);
    };
    if (terms_.size() == 1 && n <= kMaxExactExponent && small_enough()) {
        ExactConstant r;
        r.bases_ = bases_;
        Monomial m = terms_.begin()->first;
        for (auto& [key, exponent] : m) exponent *= n;
        Rational q = rational_power(terms_.begin()->second, static_cast<unsigned>(n));
        r.reduce_squares(m, q);
        r.add_term(m, q);
        return r;
    }
    if (terms_.size() > 1 && n <= kMaxExpandedExponent) {
        ExactConstant r(Rational(1));
        for (long k = 0; k < n; ++k) r = r * *this;
        return r;
    }
    return opaque(parenthesised(key()) + "^" + std::to_string(n),
                  gradcert::pow(enclosure(), static_cast<int>(n)));
}

namespace {

ExactConstant fold_log(const ExactConstant& a) {
    if (const auto q = a.as_rational()) {
        if (*q <= 0) throw DomainError("log of " + to_string(*q) + " (not > 0)");
        if (*q == 1) return ExactConstant();
    }
    if (const auto k = a.as_power_of("e")) return ExactConstant(*k);  // log(e^k) = k
    const IntervalM x = a.enclosure();
    if (!certainly_positive(x))
        throw DomainError("cannot certify that the argument " + a.key() + " of log is > 0");
    return opaque(function_key(Function::log, a), log(x));
}

ExactConstant fold_sqrt(const ExactConstant& a) {
    if (const auto q = a.as_rational()) {
        if (*q < 0) throw DomainError("sqrt of " + to_string(*q) + " (negative)");
        if (const auto r = exact_sqrt(*q)) return ExactConstant(*r);
        return opaque(function_key(Function::sqrt, a), sqrt(enclose(*q)), *q);
    }
    const IntervalM x = a.enclosure();
    if (!certainly_ge(x, 0.0))
        throw DomainError("cannot certify that the argument " + a.key() + " of sqrt is >= 0");
    return opaque(function_key(Function::sqrt, a), sqrt(x));
}

ExactConstant fold_abs(const ExactConstant& a) {
    if (const auto q = a.as_rational()) return ExactConstant(*q < 0 ? Rational(-*q) : *q);
    const IntervalM x = a.enclosure();
    if (certainly_ge(x, 0.0)) return a;
    if (certainly_le(x, 0.0)) return -a;
    return opaque(function_key(Function::abs, a), abs(x));
}

}  // namespace

ExactConstant apply(Function f, const ExactConstant& a) {
    switch (f) {
        case Function::exp:
            if (a.is_zero()) return ExactConstant(1L);
            if (const auto q = a.as_rational(); q && *q == 1) return ExactConstant::e();
            return opaque(function_key(f, a), exp(a.enclosure()));
        case Function::log:
            return fold_log(a);
        case Function::sqrt:
            return fold_sqrt(a);
        case Function::sin:
            if (a.is_zero()) return ExactConstant();
            return opaque(function_key(f, a), sin(a.enclosure()));
        case Function::cos:
            if (a.is_zero()) return ExactConstant(1L);
            return opaque(function_key(f, a), cos(a.enclosure()));
        case Function::tanh:
            if (a.is_zero()) return ExactConstant();
            return opaque(function_key(f, a), tanh(a.enclosure()));
        case Function::softplus:
            return opaque(function_key(f, a), softplus(a.enclosure()));
        case Function::abs:
            return fold_abs(a);
    }
    throw InternalError("apply: unknown function");
}

ExactConstant power(const ExactConstant& base, const ExactConstant& exponent) {
    if (const auto y = exponent.as_rational()) {
        if (boost::multiprecision::denominator(*y) == 1) {
            const auto& n = boost::multiprecision::numerator(*y);
            if (n < 0 && base.is_zero())
                throw DomainError("0 raised to the negative power " + to_string(*y));
            if (n <= kMaxExactExponent * 1024 && n >= -kMaxExactExponent * 1024)
                return base.pow(n.convert_to<long>());
        }
        if (*y == Rational(1, 2)) return apply(Function::sqrt, base);
    }
    if (base.as_base_key() == std::optional<std::string>("e"))
        return apply(Function::exp, exponent);
    const IntervalM y = exponent.enclosure();
    if (base.is_zero()) {
        if (certainly_positive(y)) return ExactConstant();
        throw DomainError("0 raised to the power " + exponent.key() +
                          ", which is not certainly > 0");
    }
    const IntervalM b = base.enclosure();
    if (!certainly_positive(b))
        throw DomainError("cannot certify that the base " + base.key() +
                          " of a non-integer power is > 0");
    return opaque(parenthesised(base.key()) + "^" + parenthesised(exponent.key()),
                  gradcert::pow(b, y));
}

}  // namespace gradcert::expr
