#include "numerics/expr/rational.hpp"

#include <cctype>
#include <climits>

namespace gradcert::expr {

namespace {

using boost::multiprecision::mpz_int;

constexpr long kMaxDecimalExponent = 10000;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

Rational power_of_ten(long k) {
    const mpz_int p =
        boost::multiprecision::pow(mpz_int(10), static_cast<unsigned>(k < 0 ? -k : k));
    return k < 0 ? Rational(mpz_int(1), p) : Rational(p);
}

}  // namespace

std::optional<Rational> parse_decimal(std::string_view text) {
    std::string digits;
    std::size_t i = 0;
    long fraction_digits = 0;
    while (i < text.size() && is_digit(text[i])) digits += text[i++];
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && is_digit(text[i])) {
            digits += text[i++];
            ++fraction_digits;
        }
    }
    if (digits.empty()) return std::nullopt;
    // Leading zeros would make the GMP string conversion read the digits as octal.
    const std::size_t first = digits.find_first_not_of('0');
    digits = first == std::string::npos ? "0" : digits.substr(first);
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
        if (i == text.size() || !is_digit(text[i])) return std::nullopt;
        while (i < text.size() && is_digit(text[i])) {
            exponent = exponent * 10 + (text[i++] - '0');
            if (exponent > kMaxDecimalExponent) return std::nullopt;
        }
        if (negative) exponent = -exponent;
    }
    if (i != text.size()) return std::nullopt;
    return Rational(mpz_int(digits)) * power_of_ten(exponent - fraction_digits);
}

std::optional<Rational> parse_signed_decimal(std::string_view text) {
    text = trim(text);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::optional<Rational> q = parse_decimal(text);
    if (q && negative) *q = -*q;
    return q;
}

IntervalM enclose(const Rational& q) {
    const long bits = working_precision();
    Mpfr lo = mpfr_with_precision(bits);
    Mpfr hi = mpfr_with_precision(bits);
    mpfr_set_q(raw(lo), q.backend().data(), MPFR_RNDD);
    mpfr_set_q(raw(hi), q.backend().data(), MPFR_RNDU);
    return IntervalM(lo, hi);
}

Rational to_rational(const Mpfr& v) {
    Rational q;
    mpfr_get_q(q.backend().data(), raw(v));
    return q;
}

std::string to_string(const Rational& q) {
    const mpz_int d = boost::multiprecision::denominator(q);
    if (d == 1) return boost::multiprecision::numerator(q).str();
    return q.str();
}

std::optional<Rational> exact_sqrt(const Rational& q) {
    if (q < 0) return std::nullopt;
    const mpz_int n = boost::multiprecision::numerator(q);
    const mpz_int d = boost::multiprecision::denominator(q);
    const mpz_int rn = boost::multiprecision::sqrt(n);
    const mpz_int rd = boost::multiprecision::sqrt(d);
    if (rn * rn != n || rd * rd != d) return std::nullopt;
    return Rational(rn, rd);
}

std::optional<int> to_int(const Rational& q) {
    if (boost::multiprecision::denominator(q) != 1) return std::nullopt;
    const mpz_int n = boost::multiprecision::numerator(q);
    if (n > INT_MAX || n < INT_MIN) return std::nullopt;
    return n.convert_to<int>();
}

}  // namespace gradcert::expr
