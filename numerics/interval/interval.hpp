#pragma once
// Rigorous interval arithmetic over double or MPFR endpoints.
//
// Interval<T> is the closed set [lower(), upper()] of real numbers, lower() <= upper(), endpoints
// never NaN (a point at +-infinity is rejected; half-lines and entire() are allowed). Every
// operation returns an interval that contains f(x) for every real x in the inputs ("enclosure"):
//  - double endpoints: + - * / sqr sqrt use the SSE unit in round-upward mode (rounding.hpp);
//    every other function is evaluated by MPFR at 53 bits with MPFR_RNDD / MPFR_RNDU and the
//    result is rounded outward to double. Nothing goes through libm or Boost.Math.
//  - Mpfr endpoints: every endpoint is one MPFR call with directed rounding; results have
//    working_precision() bits (thread-local, see precision.hpp), inputs may have any precision.
// Tightness: for + - * / sqr sqrt exp log tanh atan and integer powers each endpoint is the
// exact bound rounded outward once at the result precision (53 bits for double, working
// precision for Mpfr), i.e. the tightest representable enclosure; x^y is optimal at the corners
// of the box; sin/cos are optimal too except that +-1 is included whenever an extremum k*pi/2
// cannot be excluded from the interval (decided with an MPFR enclosure of pi at more bits than the
// argument's exponent, so cos(100) or sin(1e300) stay one ulp wide).
// Double endpoints assume the caller does not keep the SSE denormals-are-zero flag on (endpoint
// comparisons would then treat subnormals as 0); the arithmetic and the MPFR conversions clear
// FTZ/DAZ for their own duration and restore the caller's MXCSR.
// Comparisons exist only as certainly_* / possibly_*; there is no operator< or operator==.
#include <Eigen/Core>
#include <concepts>
#include <iosfwd>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "numerics/interval/boost_policies.hpp"
#include "numerics/interval/precision.hpp"
#include "numerics/util/error.hpp"

namespace gradcert {

template <class T>
class Interval;
using IntervalD = Interval<double>;
using IntervalM = Interval<Mpfr>;

namespace detail {
struct Kernels;
template <class T>
concept EndpointType = std::same_as<T, double> || std::same_as<T, Mpfr>;
}  // namespace detail

template <class T>
class Interval {
    static_assert(detail::EndpointType<T>, "Interval endpoints are double or gradcert::Mpfr");

  public:
    using endpoint_type = T;

    Interval();          // [0, 0]
    Interval(int v);     // exact point
    Interval(double v);  // exact point; NaN or +-inf throws std::domain_error
    // Other integer types: exact point when representable with the endpoint precision, else
    // the tightest enclosure (possible only for |v| > 2^53 with double endpoints).
    template <std::integral I>
    requires(!std::same_as<I, int> && !std::same_as<I, bool>) Interval(I v)
        : Interval(from_integer(static_cast<long long>(v), std::is_signed_v<I>,
                                static_cast<unsigned long long>(v))) {}
    // Exact point at an MPFR value (its precision is kept).
    Interval(const T& v) requires(!std::same_as<T, double>);
    // [lo, hi], copied exactly; throws std::domain_error if lo > hi, either is NaN, lo = +inf or
    // hi = -inf.
    Interval(const T& lo, const T& hi);

    Interval(const Interval& other);
    Interval(Interval&& other) noexcept = default;
    Interval& operator=(const Interval& other) = default;  // copies precision and value exactly
    Interval& operator=(Interval&& other) noexcept = default;
    ~Interval() requires std::same_as<T, double>
    = default;
    ~Interval() requires(
        !std::same_as<T, double>);  // keeps the MPFR storage for reuse (endpoint_pool)

    // Exact conversions from / to Boost.Interval with gradcert's rigorous policies.
    explicit Interval(const BoostInterval<T>& b) : Interval(b.lower(), b.upper()) {}
    BoostInterval<T> boost() const { return BoostInterval<T>(lo_, hi_); }

    // Encloses a decimal number ("0.1" contains 1/10; exponents as in "1e-3"; "inf", "-inf")
    // or an interval written "[lo, hi]" (lo rounded down, hi up). Bad text throws InputError.
    static Interval from_string(std::string_view decimal);
    static Interval pi();
    static Interval e();
    static Interval ln2();
    static Interval entire();  // [-inf, +inf]

    const T& lower() const { return lo_; }
    const T& upper() const { return hi_; }
    // A point of the interval near its centre (0 if the interval contains 0 and is unbounded on
    // one side or both; the finite endpoint if it does not contain 0 and is unbounded).
    T mid() const;
    T width() const;  // an upper bound of upper - lower
    T rad() const;    // an upper bound of max(mid - lower, upper - mid): x is in [mid -+ rad]
    T mag() const;    // max |x| over the interval (exact)
    T mig() const;    // min |x| over the interval (exact)
    double lower_double() const;  // lower rounded down to double
    double upper_double() const;  // upper rounded up to double
    bool is_point() const;
    bool is_finite() const;

    Interval& operator+=(const Interval& b);
    Interval& operator-=(const Interval& b);
    Interval& operator*=(const Interval& b);
    Interval& operator/=(const Interval& b);

  private:
    friend struct detail::Kernels;
    struct Unchecked {};
    Interval(T lo, T hi, Unchecked) : lo_(std::move(lo)), hi_(std::move(hi)) {}
    static Interval from_integer(long long s, bool is_signed, unsigned long long u);

    T lo_;
    T hi_;
};

// Arithmetic. x / y with 0 in y returns entire().
template <class T>
Interval<T> operator+(const Interval<T>& a, const Interval<T>& b);
template <class T>
Interval<T> operator-(const Interval<T>& a, const Interval<T>& b);
template <class T>
Interval<T> operator*(const Interval<T>& a, const Interval<T>& b);
template <class T>
Interval<T> operator/(const Interval<T>& a, const Interval<T>& b);
template <class T>
Interval<T> operator-(const Interval<T>& a);
template <class T>
Interval<T> operator+(const Interval<T>& a) {
    return a;
}

// Mixed operations with an arithmetic scalar (int, double, ...) or an endpoint value; the scalar
// is first converted to an enclosing interval.
template <class S, class T>
concept IntervalScalar = std::is_arithmetic_v<S> || std::same_as<S, T>;

#define GRADCERT_INTERVAL_MIXED_OPERATOR(op)        \
    template <class T, class S>                     \
    requires IntervalScalar<S, T> Interval<T>       \
    operator op(const Interval<T>& a, const S& s) { \
        return a op Interval<T>(s);                 \
    }                                               \
    template <class T, class S>                     \
    requires IntervalScalar<S, T> Interval<T>       \
    operator op(const S& s, const Interval<T>& a) { \
        return Interval<T>(s) op a;                 \
    }
GRADCERT_INTERVAL_MIXED_OPERATOR(+)
GRADCERT_INTERVAL_MIXED_OPERATOR(-)
GRADCERT_INTERVAL_MIXED_OPERATOR(*)
GRADCERT_INTERVAL_MIXED_OPERATOR(/)
#undef GRADCERT_INTERVAL_MIXED_OPERATOR

// Elementary functions (enclosures of the exact range).
template <class T>
Interval<T> sqr(const Interval<T>& x);
template <class T>
Interval<T> pow(const Interval<T>& x, int n);  // n < 0 with 0 in x: entire(), or [m, +inf]
                                               // for even n (m = mag(x)^n rounded down)
template <class T>
Interval<T> pow(const Interval<T>& x, const Interval<T>& y);  // requires lower(x) > 0
// Other integer exponent types (long, size_t, ...): as pow(x, int); |n| must fit in an int
// (else std::domain_error).
template <class T, std::integral I>
requires(!std::same_as<I, int>) Interval<T> pow(const Interval<T>& x, I n) {
    if (n > static_cast<I>(std::numeric_limits<int>::max()) ||
        (std::is_signed_v<I> && n < static_cast<I>(std::numeric_limits<int>::min())))
        throw DomainError("pow: integer exponent out of range");
    return pow(x, static_cast<int>(n));
}
// A real exponent given as a double (pow(x, 0.5) is x^(1/2), never x^0): requires lower(x) > 0.
template <class T>
Interval<T> pow(const Interval<T>& x, double y) {
    return pow(x, Interval<T>(y));
}
template <class T>
Interval<T> sqrt(const Interval<T>& x);  // requires lower(x) >= 0
template <class T>
Interval<T> exp(const Interval<T>& x);
template <class T>
Interval<T> log(const Interval<T>& x);  // requires lower(x) > 0
template <class T>
Interval<T> sin(const Interval<T>& x);
template <class T>
Interval<T> cos(const Interval<T>& x);
template <class T>
Interval<T> tanh(const Interval<T>& x);
template <class T>
Interval<T> atan(const Interval<T>& x);
template <class T>
Interval<T> abs(const Interval<T>& x);
template <class T>
Interval<T> min(const Interval<T>& x, const Interval<T>& y);
template <class T>
Interval<T> max(const Interval<T>& x, const Interval<T>& y);

// Set operations and predicates (exact).
template <class T>
Interval<T> hull(const Interval<T>& a, const Interval<T>& b);
template <class T>
std::optional<Interval<T>> intersect(const Interval<T>& a, const Interval<T>& b);
template <class T>
bool contains(const Interval<T>& a, const std::type_identity_t<T>& v);  // v in a
template <class T>
bool contains(const Interval<T>& a, const Interval<T>& b);  // b subset of a
template <class T>
bool subset(const Interval<T>& a, const Interval<T>& b);  // a subset of b
template <class T>
bool interior(const Interval<T>& a, const Interval<T>& b);  // a inside the interior of b
template <class T>
bool overlaps(const Interval<T>& a, const Interval<T>& b);

// certainly_lt(a, b): every x in a is < every y in b; possibly_lt(a, b): some x in a is < some
// y in b. The same for le, gt, ge. Scalars are exact points.
#define GRADCERT_INTERVAL_COMPARISON(name)                 \
    template <class T>                                     \
    bool name(const Interval<T>& a, const Interval<T>& b); \
    template <class T>                                     \
    bool name(const Interval<T>& a, double b) {            \
        return name(a, Interval<T>(b));                    \
    }                                                      \
    template <class T>                                     \
    bool name(double a, const Interval<T>& b) {            \
        return name(Interval<T>(a), b);                    \
    }
GRADCERT_INTERVAL_COMPARISON(certainly_lt)
GRADCERT_INTERVAL_COMPARISON(certainly_le)
GRADCERT_INTERVAL_COMPARISON(certainly_gt)
GRADCERT_INTERVAL_COMPARISON(certainly_ge)
GRADCERT_INTERVAL_COMPARISON(possibly_lt)
GRADCERT_INTERVAL_COMPARISON(possibly_le)
GRADCERT_INTERVAL_COMPARISON(possibly_gt)
GRADCERT_INTERVAL_COMPARISON(possibly_ge)
#undef GRADCERT_INTERVAL_COMPARISON

template <class T>
bool certainly_positive(const Interval<T>& a);  // lower > 0
template <class T>
bool certainly_negative(const Interval<T>& a);  // upper < 0
template <class T>
bool possibly_zero(const Interval<T>& a);  // lower <= 0 <= upper

IntervalD to_double(const IntervalM& x);  // outward rounding
IntervalM to_mpfr(const IntervalD& x);    // exact (endpoints of max(53, working) bits)
// Bits of the wider endpoint precision (53 for double endpoints).
long precision_bits(const IntervalM& x);

// "[lo, hi]" with `digits` significant decimal digits, lo rounded down and hi rounded up, so
// that from_string(to_string(x)) contains x.
template <class T>
std::string to_string(const Interval<T>& x, int digits = 17);
template <class T>
std::ostream& operator<<(std::ostream& os, const Interval<T>& x);

// The imaginary part of a real interval: exactly zero. Eigen's matrix-vector product asks
// `imag(alpha) == 0`; this type answers it (true iff the interval is the point 0) without giving
// intervals an operator==.
struct ZeroImaginaryPart {
    template <class T>
    friend bool operator==(ZeroImaginaryPart, const Interval<T>& x) {
        return x.is_point() && possibly_zero(x);
    }
};

template <class T>
using VectorI = Eigen::Matrix<Interval<T>, Eigen::Dynamic, 1>;
template <class T>
using MatrixI = Eigen::Matrix<Interval<T>, Eigen::Dynamic, Eigen::Dynamic>;

}  // namespace gradcert

namespace Eigen {

// Interval<T> as an Eigen scalar: sums and products of interval matrices enclose the exact
// results for every point matrix inside. epsilon() etc. describe the endpoint type.
template <class T>
struct NumTraits<gradcert::Interval<T>> : GenericNumTraits<gradcert::Interval<T>> {
    using Real = gradcert::Interval<T>;
    using NonInteger = gradcert::Interval<T>;
    using Nested = gradcert::Interval<T>;
    using Literal = gradcert::Interval<T>;
    enum {
        IsComplex = 0,
        IsInteger = 0,
        IsSigned = 1,
        RequireInitialization = 1,
        ReadCost = std::is_same_v<T, double> ? 2 : 10,
        AddCost = std::is_same_v<T, double> ? 4 : 40,
        MulCost = std::is_same_v<T, double> ? 8 : 80
    };
    static Real epsilon();
    static Real dummy_precision();
    static Real highest();
    static Real lowest();
    static int digits10();
};

namespace internal {
template <class T>
struct imag_retval<gradcert::Interval<T>> {
    using type = gradcert::ZeroImaginaryPart;
};
template <class T>
struct imag_impl<gradcert::Interval<T>> {
    static gradcert::ZeroImaginaryPart run(const gradcert::Interval<T>&) { return {}; }
};
// |x|^2 as sqr(x) (>= 0 and tight when x contains 0), used by squaredNorm() and norm().
template <class T>
struct abs2_impl<gradcert::Interval<T>> {
    static gradcert::Interval<T> run(const gradcert::Interval<T>& x) { return gradcert::sqr(x); }
};
}  // namespace internal

}  // namespace Eigen
