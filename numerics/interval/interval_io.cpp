// Decimal input (enclosed, not rounded), decimal output (rounded outward), Eigen traits.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <ostream>
#include <string>

#include "numerics/interval/kernels.hpp"
#include "numerics/interval/mpfr_scratch.hpp"
#include "numerics/util/error.hpp"

namespace gradcert {

namespace {

using detail::Kernels;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

[[noreturn]] void bad_decimal(std::string_view text, const char* problem) {
    throw InputError("interval literal '" + std::string(text) + "': " + problem);
}

// Parses one decimal number (base 10, optional exponent, or inf) into `out`, rounded in `rnd`.
void parse_decimal(std::string_view whole, std::string_view number, mpfr_ptr out, mpfr_rnd_t rnd) {
    number = trim(number);
    if (number.empty()) bad_decimal(whole, "empty number");
    const std::string text(number);
    char* end = nullptr;
    mpfr_strtofr(out, text.c_str(), &end, 10, rnd);
    if (end != text.c_str() + text.size()) bad_decimal(whole, "not a decimal number");
    if (mpfr_nan_p(out)) bad_decimal(whole, "NaN is not a number");
}

template <class T>
void store(T& out, mpfr_srcptr v, mpfr_rnd_t rnd) {
    if constexpr (std::is_same_v<T, double>)
        out = mpfr_get_d(v, rnd);
    else
        mpfr_set(raw(out), v, rnd);
}

std::string format_bound(mpfr_srcptr v, int digits, bool up) {
    if (mpfr_inf_p(v)) return mpfr_sgn(v) > 0 ? "inf" : "-inf";
    if (mpfr_zero_p(v)) return "0";
    char* buffer = nullptr;
    const int n = up ? mpfr_asprintf(&buffer, "%.*RUg", digits, v)
                     : mpfr_asprintf(&buffer, "%.*RDg", digits, v);
    if (n < 0) throw std::runtime_error("mpfr_asprintf failed");
    std::string s(buffer);
    mpfr_free_str(buffer);
    return s;
}

}  // namespace

template <class T>
Interval<T> Interval<T>::from_string(std::string_view decimal) {
    const detail::SseDefault sse_guard;
    const std::string_view text = trim(decimal);
    std::string_view lo_text = text, hi_text = text;
    if (!text.empty() && text.front() == '[') {
        if (text.back() != ']') bad_decimal(decimal, "missing ']'");
        const std::string_view inner = text.substr(1, text.size() - 2);
        const size_t comma = inner.find(',');
        if (comma == std::string_view::npos) bad_decimal(decimal, "missing ',' in [lo, hi]");
        lo_text = inner.substr(0, comma);
        hi_text = inner.substr(comma + 1);
    }
    const long bits = detail::result_precision<T>();
    mpfr_ptr lo = detail::scratch(0, bits), hi = detail::scratch(1, bits);
    parse_decimal(decimal, lo_text, lo, MPFR_RNDD);
    parse_decimal(decimal, hi_text, hi, MPFR_RNDU);
    if (mpfr_greater_p(lo, hi)) bad_decimal(decimal, "lower bound exceeds upper bound");
    if ((mpfr_inf_p(lo) && mpfr_sgn(lo) > 0) || (mpfr_inf_p(hi) && mpfr_sgn(hi) < 0))
        bad_decimal(decimal, "no real number (point at infinity)");
    Interval<T> r = Kernels::blank<T>();
    store(Kernels::lo(r), lo, MPFR_RNDD);
    store(Kernels::hi(r), hi, MPFR_RNDU);
    return r;
}

template <class T>
std::string to_string(const Interval<T>& x, int digits) {
    const detail::SseDefault sse_guard;
    if (digits < 1) digits = 1;
    std::string lo, hi;
    if constexpr (std::is_same_v<T, double>) {
        mpfr_ptr l = detail::scratch(0, 53), h = detail::scratch(1, 53);
        mpfr_set_d(l, x.lower(), MPFR_RNDN);
        mpfr_set_d(h, x.upper(), MPFR_RNDN);
        lo = format_bound(l, digits, false);
        hi = format_bound(h, digits, true);
    } else {
        lo = format_bound(raw(x.lower()), digits, false);
        hi = format_bound(raw(x.upper()), digits, true);
    }
    return "[" + lo + ", " + hi + "]";
}

template <class T>
std::ostream& operator<<(std::ostream& os, const Interval<T>& x) {
    return os << to_string(x);
}

template Interval<double> Interval<double>::from_string(std::string_view);
template Interval<Mpfr> Interval<Mpfr>::from_string(std::string_view);
template std::string to_string(const Interval<double>&, int);
template std::string to_string(const Interval<Mpfr>&, int);
template std::ostream& operator<<(std::ostream&, const Interval<double>&);
template std::ostream& operator<<(std::ostream&, const Interval<Mpfr>&);

}  // namespace gradcert

namespace Eigen {

namespace {
template <class T>
T largest_finite() {
    if constexpr (std::is_same_v<T, double>) {
        return std::numeric_limits<double>::max();
    } else {
        T m = gradcert::mpfr_with_precision(gradcert::working_precision());
        mpfr_set_inf(gradcert::raw(m), 1);
        mpfr_nextbelow(gradcert::raw(m));
        return m;
    }
}
}  // namespace

template <class T>
gradcert::Interval<T> NumTraits<gradcert::Interval<T>>::epsilon() {
    if constexpr (std::is_same_v<T, double>) {
        return gradcert::Interval<T>(std::numeric_limits<double>::epsilon());
    } else {
        T e = gradcert::mpfr_with_precision(gradcert::working_precision());
        mpfr_set_ui_2exp(gradcert::raw(e), 1, 1 - gradcert::working_precision(), MPFR_RNDN);
        return gradcert::Interval<T>(e);
    }
}

template <class T>
gradcert::Interval<T> NumTraits<gradcert::Interval<T>>::dummy_precision() {
    gradcert::Interval<T> e = epsilon();
    return e * 1024;
}

template <class T>
gradcert::Interval<T> NumTraits<gradcert::Interval<T>>::highest() {
    const T m = largest_finite<T>();
    return gradcert::Interval<T>(m, m);
}

template <class T>
gradcert::Interval<T> NumTraits<gradcert::Interval<T>>::lowest() {
    return -highest();
}

template <class T>
int NumTraits<gradcert::Interval<T>>::digits10() {
    const long bits = gradcert::detail::result_precision<T>();
    return static_cast<int>(static_cast<double>(bits - 1) * 0.30102999566398119);
}

template struct NumTraits<gradcert::Interval<double>>;
template struct NumTraits<gradcert::Interval<gradcert::Mpfr>>;

}  // namespace Eigen
