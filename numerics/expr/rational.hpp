#pragma once
// Exact rational numbers for the expression language: decimal literals are read exactly
// ("0.1" is 1/10, not the nearest double) and enclosed at the working precision only when an
// interval is needed.
#include <boost/multiprecision/gmp.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "numerics/interval/interval.hpp"

namespace gradcert::expr {

using Rational = boost::multiprecision::mpq_rational;

// The exact value of an unsigned decimal literal: digits, an optional fraction and an optional
// exponent ("12", "0.5", ".5", "2.", "1e-3", "6.02E+23"). nullopt if the text is not such a
// literal or its decimal exponent exceeds 10000 in magnitude.
std::optional<Rational> parse_decimal(std::string_view text);

// As parse_decimal with an optional leading '+' or '-' (surrounding blanks ignored).
std::optional<Rational> parse_signed_decimal(std::string_view text);

// The tightest interval with working_precision() bits around q (directed rounding).
IntervalM enclose(const Rational& q);

// The exact value of a finite MPFR number.
Rational to_rational(const Mpfr& v);

// q as "n" or "n/d" (lowest terms).
std::string to_string(const Rational& q);

// √q exactly when q ≥ 0 is the square of a rational, else nullopt.
std::optional<Rational> exact_sqrt(const Rational& q);

// q as an int when its denominator is 1 and it fits, else nullopt.
std::optional<int> to_int(const Rational& q);

}  // namespace gradcert::expr
