#pragma once
// Exact constants for constant folding.
//
// An ExactConstant is a finite sum Σ_k q_k · m_k of rationals q_k times Laurent monomials m_k in
// opaque base constants (π, e, √2, cos(1/3), ...). Sums, differences, products and integer
// powers are computed exactly in this representation, so 2π·x − π·x folds to π·x and
// (1/√2)·√2 to 1. A base constant is known only through a canonical key (its defining text) and
// an enclosure computed once, at the working precision of its creation; equal keys always
// denote equal real numbers, so equal representations (operator==) imply equal values.
// Anything else (a quotient by a sum, an elementary function of a non-trivial argument) becomes
// a new base constant. enclosure() is a rigorous interval around the exact value.
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "numerics/expr/function.hpp"
#include "numerics/expr/rational.hpp"
#include "numerics/interval/interval.hpp"

namespace gradcert::expr {

// Exact folding would exceed a size limit (docs/family-language.md): a rational of more than
// kMaxExactBits bits, more than kMaxExactTerms terms, or a sum expanded over more than
// kMaxFoldSteps values. A domain_error so that every caller that refuses undefined constants
// also refuses these; the parser reports it as "too large".
class ExactTooLarge : public std::domain_error {
  public:
    using std::domain_error::domain_error;
};
inline constexpr long kMaxExactBits = 1L << 20;
inline constexpr std::size_t kMaxExactTerms = 100000;
inline constexpr long kMaxFoldSteps = 10'000'000;

// An opaque real constant.
struct BaseConstant {
    std::string key;                 // canonical defining text: "pi", "sqrt(2)", "cos(1/3)", ...
    IntervalM enclosure;             // contains the exact value
    std::optional<Rational> square;  // set for √q with q rational: the exact square q
};

class ExactConstant {
  public:
    ExactConstant() = default;  // 0
    explicit ExactConstant(const Rational& q);
    explicit ExactConstant(long v) : ExactConstant(Rational(v)) {}
    // 1 · b.
    static ExactConstant from_base(BaseConstant b);
    static ExactConstant pi();
    static ExactConstant e();

    bool is_zero() const { return terms_.empty(); }
    // The value when it is rational (no base constant left), else nullopt.
    std::optional<Rational> as_rational() const;
    // The key of b when *this is exactly the base constant b (coefficient 1, exponent 1).
    std::optional<std::string> as_base_key() const;
    // k when *this is exactly b^k (coefficient 1, k ≠ 0) for the base constant b named `key`.
    std::optional<long> as_power_of(const std::string& key) const;
    // A rigorous enclosure at the current working precision (base constants keep the precision
    // of their creation).
    IntervalM enclosure() const;
    // Canonical text of the representation: equal keys ⇔ equal representations.
    std::string key() const;
    std::size_t term_count() const { return terms_.size(); }

    friend bool operator==(const ExactConstant& a, const ExactConstant& b) {
        return a.terms_ == b.terms_;
    }
    ExactConstant operator-() const;
    friend ExactConstant operator+(const ExactConstant& a, const ExactConstant& b);
    friend ExactConstant operator-(const ExactConstant& a, const ExactConstant& b);
    friend ExactConstant operator*(const ExactConstant& a, const ExactConstant& b);
    // 1 / *this. Throws std::domain_error when the value is 0 or cannot be certified nonzero.
    ExactConstant reciprocal() const;
    // *this ^ n; n < 0 as for reciprocal(); 0^0 = 1.
    ExactConstant pow(long n) const;

  private:
    using Monomial = std::map<std::string, long>;  // base key -> nonzero exponent
    void add_term(const Monomial& m, const Rational& q);
    void adopt_bases(const ExactConstant& other);
    static ExactConstant single_term(Rational q, Monomial m,
                                     std::map<std::string, std::shared_ptr<const BaseConstant>>);
    // Pulls exact rational factors out of √q powers: (√q)^e = q^⌊e/2⌋ (√q)^(e mod 2).
    void reduce_squares(Monomial& m, Rational& q) const;

    std::map<Monomial, Rational> terms_;  // nonzero coefficients only
    std::map<std::string, std::shared_ptr<const BaseConstant>> bases_;
};

// f(a) folded exactly where trivial (exp 0 = 1, log 1 = 0, √(9/4) = 3/2, |−2| = 2, log e^k = k,
// ...), otherwise a new base constant. Throws std::domain_error with a reason when a is outside
// the domain of f or cannot be certified inside it (log of a value not certainly > 0, √ of a
// value not certainly ≥ 0).
ExactConstant apply(Function f, const ExactConstant& a);

// base ^ exponent: integer exponents exactly, ^(1/2) as √, e^y as exp(y), otherwise
// exp(y log b) for a base certainly > 0 (std::domain_error otherwise).
ExactConstant power(const ExactConstant& base, const ExactConstant& exponent);

}  // namespace gradcert::expr
