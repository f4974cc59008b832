#include "theory/kernel_laws.hpp"

#include <fmt/format.h>
#include <mpfr.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "numerics/util/error.hpp"
#include "theory/smoothed_function.hpp"

namespace gradcert::theory {

namespace {

using Kind = Kernel::Kind;

bool alpha_is_two(const Kernel& k) {
    return k.alpha.is_point() && contains(k.alpha, IntervalM(2));
}

IntervalM norm_of(const std::vector<IntervalM>& t) {
    IntervalM s(0);
    for (const IntervalM& ti : t) s += sqr(ti);
    return sqrt(s);
}

bool all_exact_zero(const std::vector<IntervalM>& t) {
    for (const IntervalM& ti : t)
        if (!(ti.is_point() && contains(ti, IntervalM(0)))) return false;
    return true;
}

// Number of series terms N with 4^N/(2N+1)! < 2^{−(p+16)}: enough for |s| ≤ 2 (double estimate
// only chooses N; the remainder itself is enclosed rigorously).
int series_terms() {
    const double target = -(static_cast<double>(working_precision()) + 16) * std::log(2.0);
    double log_term = 0;  // log(4^N / (2N+1)!)
    int n = 0;
    while (log_term > target || n < 4) {
        ++n;
        log_term += std::log(4.0) - std::log((2.0 * n) * (2.0 * n + 1));
    }
    return n;
}

// Σ_{k<N} (±1)^k x^k/(2k+1)! + [−r, r], r = X^N/(2N+1)!·2, for x = s² ∈ [0, 4]. The alternating
// series (sinc) has remainder ≤ its first omitted term; the positive one (sinhc) ≤ twice it
// (ratio of consecutive terms ≤ 4/((2N+2)(2N+3)) ≤ 1/2).
IntervalM even_series(const IntervalM& x, bool alternating) {
    const int n = series_terms();
    IntervalM sum(0), term(1);  // term = x^k/(2k+1)!
    for (int k = 0; k < n; ++k) {
        sum += (alternating && k % 2 == 1) ? -term : term;
        term = term * x / IntervalM((2 * k + 2) * (2 * k + 3));
    }
    const Mpfr r = (IntervalM(2) * IntervalM(term.mag())).upper();
    return sum + IntervalM(Mpfr(-r), r);
}

// f(s) = g(s)/s for an even function sinc/sinhc, |s| = [a, b]: series on |s| ≤ 2, the quotient
// beyond 1, the hull when the interval spans both.
template <class Quotient>
IntervalM even_quotient(const IntervalM& s, bool alternating, Quotient quotient) {
    const IntervalM a = abs(s);
    const IntervalM one(1), two(2);
    if (certainly_le(a, two)) return even_series(sqr(a), alternating);
    if (certainly_ge(a, one)) return quotient(a);
    const IntervalM low(a.lower(), one.upper());
    const IntervalM high(one.lower(), a.upper());
    return hull(even_series(sqr(low), alternating), quotient(high));
}

// Γ over an interval inside (0, 1.46) where Γ is decreasing, by MPFR's correctly rounded Γ.
IntervalM gamma_decreasing(const IntervalM& g) {
    if (!(certainly_positive(g) && certainly_lt(g, IntervalM(1))))
        throw std::invalid_argument("gamma_decreasing: argument outside (0, 1)");
    Mpfr lo = mpfr_with_precision(working_precision());
    Mpfr hi = mpfr_with_precision(working_precision());
    mpfr_gamma(raw(lo), raw(g.upper()), MPFR_RNDD);
    mpfr_gamma(raw(hi), raw(g.lower()), MPFR_RNDU);
    return IntervalM(lo, hi);
}

// s^α for s ≥ 0 (0^α = 0), α > 0.
IntervalM power_alpha(const IntervalM& s, const IntervalM& alpha) {
    if (certainly_positive(s)) return pow(s, alpha);
    if (!s.is_finite()) throw std::invalid_argument("power_alpha: unbounded argument");
    if (certainly_le(s, IntervalM(0))) return IntervalM(0);
    return hull(IntervalM(0), pow(IntervalM(s.upper()), alpha));
}

IntervalM product_of(const std::vector<IntervalM>& t, IntervalM (*f)(const IntervalM&)) {
    IntervalM p(1);
    for (const IntervalM& ti : t) p *= f(ti);
    return p;
}

IntervalM laplace_cf(const IntervalM& t) {
    return IntervalM(1) / (IntervalM(1) + sqr(t));
}

IntervalM laplace_mgf(const IntervalM& t) {
    return IntervalM(1) / (IntervalM(1) - sqr(t));
}

int total_order(const std::vector<int>& alpha) {
    int total = 0;
    for (int a : alpha) {
        if (a < 0) throw std::invalid_argument("kernel_moment: negative exponent");
        total += a;
    }
    return total;
}

// Π_i (α_i − 1)!! (every α_i even).
IntervalM double_factorials(const std::vector<int>& alpha) {
    IntervalM p(1);
    for (int a : alpha)
        for (int k = a - 1; k > 1; k -= 2) p *= IntervalM(k);
    return p;
}

std::string ordinal(int k) {
    const int tens = k % 100;
    const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                         : k % 10 == 1              ? "st"
                         : k % 10 == 2              ? "nd"
                         : k % 10 == 3              ? "rd"
                                                    : "th";
    return std::to_string(k) + suffix;
}

}  // namespace

bool is_phi_kernel(Kernel::Kind kind) {
    switch (kind) {
        case Kind::uniform_ball:
        case Kind::gaussian_unit:
        case Kind::gaussian:
            return false;
        case Kind::uniform_cube:
        case Kind::laplace:
        case Kind::student_t:
        case Kind::stable:
            return true;
    }
    return false;
}

void validate_kernel_parameters(const Kernel& k) {
    if (k.kind == Kind::student_t && (k.nu < 1 || k.nu > kMaxStudentNu || k.nu % 2 == 0))
        throw InputError("nu = " + std::to_string(k.nu) + ": must be an odd integer in 1.." +
                         std::to_string(kMaxStudentNu));
    if (k.kind == Kind::stable &&
        !(certainly_positive(k.alpha) && certainly_le(k.alpha, IntervalM(2))))
        throw InputError("alpha = " + to_string(k.alpha, 6) + ": must be in (0, 2]");
}

std::string kernel_description(const Kernel& k) {
    std::string s(kernel_kind_name(k.kind));
    if (k.kind == Kind::student_t)
        s = k.nu == 1 ? "cauchy (student-t with nu = 1)"
                      : s + " (nu = " + std::to_string(k.nu) + ")";
    // α is the enclosure of a short decimal: its midpoint to 10 digits prints that decimal.
    if (k.kind == Kind::stable)
        s += " (alpha = " + fmt::format("{:.10g}", k.alpha.mid().convert_to<double>()) + ")";
    return s;
}

bool kernel_has_moment(const Kernel& k, int order) {
    if (order < 0) throw std::invalid_argument("kernel_has_moment: negative order");
    if (order == 0) return true;
    switch (k.kind) {
        case Kind::student_t:
            return order < k.nu;
        case Kind::stable:
            return alpha_is_two(k) || certainly_gt(k.alpha, IntervalM(order));
        default:
            return true;
    }
}

std::string missing_moment_message(int order) {
    return "the kernel has no " + ordinal(order) + " moment; f̂_δ is " +
           (order % 2 == 0 ? "infinite" : "undefined");
}

IntervalM kernel_characteristic(const Kernel& k, const std::vector<IntervalM>& t) {
    if (static_cast<int>(t.size()) > k.dim)
        throw std::invalid_argument("kernel_characteristic: more coordinates than the dimension");
    switch (k.kind) {
        case Kind::uniform_cube:
            return product_of(t, sinc);
        case Kind::laplace:
            return product_of(t, laplace_cf);
        case Kind::student_t:
            return student_t_characteristic(k.nu, norm_of(t));
        case Kind::stable:
            if (alpha_is_two(k)) {
                IntervalM s2(0);
                for (const IntervalM& ti : t) s2 += sqr(ti);
                return exp(-s2);
            }
            return exp(-power_alpha(norm_of(t), k.alpha));
        default:
            return kernel_cos_factor(k, norm_of(t));
    }
}

std::optional<std::string> kernel_mgf_missing(const Kernel& k, const std::vector<IntervalM>& t) {
    if (all_exact_zero(t)) return std::nullopt;
    switch (k.kind) {
        case Kind::laplace:
            for (const IntervalM& ti : t)
                if (!certainly_lt(abs(ti), IntervalM(1)))
                    return "the kernel's moment-generating function E e^{t·u} = Π 1/(1 − t_i²) "
                           "is infinite for |t_i| >= 1 (here |δ w_i| ≈ " +
                           fmt::format("{:.6g}", abs(ti).mid().convert_to<double>()) +
                           "); f̂_δ is infinite";
            return std::nullopt;
        case Kind::student_t:
            return std::string(
                "the kernel has no moment-generating function (E e^{t·u} = ∞ for "
                "t ≠ 0); f̂_δ is infinite");
        case Kind::stable:
            if (alpha_is_two(k)) return std::nullopt;
            return std::string(
                "the kernel has no moment-generating function (E e^{t·u} = ∞ for "
                "t ≠ 0); f̂_δ is infinite");
        default:
            return std::nullopt;
    }
}

IntervalM kernel_mgf(const Kernel& k, const std::vector<IntervalM>& t) {
    if (static_cast<int>(t.size()) > k.dim)
        throw std::invalid_argument("kernel_mgf: more coordinates than the dimension");
    if (const auto why = kernel_mgf_missing(k, t)) throw std::domain_error(*why);
    switch (k.kind) {
        case Kind::uniform_cube:
            return product_of(t, sinhc);
        case Kind::laplace:
            return product_of(t, laplace_mgf);
        case Kind::student_t:
            return IntervalM(1);  // t = 0 (kernel_mgf_missing refused the rest)
        case Kind::stable: {
            IntervalM s2(0);
            for (const IntervalM& ti : t) s2 += sqr(ti);
            return exp(s2);  // α = 2 or t = 0
        }
        default:
            return kernel_exp_factor(k, norm_of(t));
    }
}

bool phi_kernel_mean_norm_finite(const Kernel& k) {
    return kernel_has_moment(k, 1);
}

IntervalM phi_kernel_mean_norm(const Kernel& k) {
    const int d = k.dim;
    if (!phi_kernel_mean_norm_finite(k))
        throw std::domain_error("E|u| is infinite for the " + kernel_description(k) + " kernel");
    switch (k.kind) {
        case Kind::uniform_cube: {
            if (d == 1) return IntervalM(1) / 2;
            // d = 2: ∫∫_{[0,1]²} √(a² + b²) = (√2 + asinh 1)/3, asinh 1 = log(1 + √2).
            const IntervalM root2 = sqrt(IntervalM(2));
            if (d == 2) return (root2 + log(IntervalM(1) + root2)) / 3;
            return hull(IntervalM(d) / IntervalM(d + 1), sqrt(IntervalM(d) / 3));
        }
        case Kind::laplace: {
            if (d == 1) return IntervalM(1);
            IntervalM harmonic(0);
            for (int j = 1; j <= d; ++j) harmonic += IntervalM(1) / IntervalM(j);
            return hull(harmonic, sqrt(IntervalM(2 * d)));
        }
        case Kind::student_t:
            // E‖z‖ · E√(ν/w) = √2 r(d) · √ν Γ((ν−1)/2)/(√2 Γ(ν/2)) = √ν r(d)/r(ν−1).
            return sqrt(IntervalM(k.nu)) * gamma_half_ratio(d) / gamma_half_ratio(k.nu - 1);
        case Kind::stable: {
            // u = √A·G, G ~ N(0, 2I), A positive (α/2)-stable: E‖G‖ = 2 r(d),
            // E√A = Γ(1 − 1/α)/√π (= 1 at α = 2).
            const IntervalM gaussian_part = 2 * gamma_half_ratio(d);
            if (alpha_is_two(k)) return gaussian_part;
            return gaussian_part * gamma_decreasing(IntervalM(1) - IntervalM(1) / k.alpha) /
                   sqrt(IntervalM::pi());
        }
        default:
            throw std::logic_error("phi_kernel_mean_norm: not a φ kernel");
    }
}

IntervalM phi_kernel_coordinate_variance(const Kernel& k) {
    if (!kernel_has_moment(k, 2))
        throw std::domain_error("E u_i^2 is infinite for the " + kernel_description(k) + " kernel");
    return phi_kernel_moment(k, {2});
}

IntervalM phi_kernel_moment(const Kernel& k, const std::vector<int>& alpha) {
    if (static_cast<int>(alpha.size()) > k.dim)
        throw std::invalid_argument("kernel_moment: more exponents than the kernel dimension");
    const int total = total_order(alpha);
    if (!kernel_has_moment(k, total))
        throw std::domain_error("the " + kernel_description(k) + " kernel has no " +
                                ordinal(total) + " moment");
    for (int a : alpha)
        if (a % 2 != 0) return IntervalM(0);
    switch (k.kind) {
        case Kind::uniform_cube: {
            IntervalM p(1);  // E u_i^a = 1/(a+1)
            for (int a : alpha) p /= IntervalM(a + 1);
            return p;
        }
        case Kind::laplace: {
            IntervalM p(1);  // E u_i^a = a!
            for (int a : alpha)
                for (int j = 2; j <= a; ++j) p *= IntervalM(j);
            return p;
        }
        case Kind::student_t: {
            // E z^α · E (ν/w)^{k}, k = |α|/2: Π(α_i−1)!! · ν^k / Π_{j=1}^{k} (ν − 2j).
            IntervalM p = double_factorials(alpha);
            for (int j = 1; j <= total / 2; ++j) p = p * IntervalM(k.nu) / IntervalM(k.nu - 2 * j);
            return p;
        }
        case Kind::stable:
            // α = 2 (u ~ N(0, 2I)) or |α| = 0.
            return double_factorials(alpha) * pow(IntervalM(2), total / 2);
        default:
            throw std::logic_error("phi_kernel_moment: not a φ kernel");
    }
}

IntervalM sinc(const IntervalM& s) {
    return even_quotient(s, true, [](const IntervalM& a) { return sin(a) / a; });
}

IntervalM sinhc(const IntervalM& s) {
    return even_quotient(s, false, [](const IntervalM& a) { return (exp(a) - exp(-a)) / (2 * a); });
}

IntervalM student_t_characteristic(int nu, const IntervalM& s) {
    if (nu < 1 || nu % 2 == 0)
        throw std::invalid_argument("student_t_characteristic: nu must be odd and >= 1");
    if (!certainly_ge(s, IntervalM(0)))
        throw std::invalid_argument("student_t_characteristic: s must be >= 0");
    const int m = (nu - 1) / 2;
    const IntervalM x = sqrt(IntervalM(nu)) * s;
    // c_0 = 1/(2m−1)!!, c_k = c_{k−1}·(m+k)(m−k+1)/(2k); P(x) = Σ_k c_k x^{m−k} by Horner
    // (positive coefficients, x ≥ 0: no cancellation).
    std::vector<IntervalM> c(m + 1);
    c[0] = IntervalM(1);
    for (int j = 2 * m - 1; j > 1; j -= 2) c[0] /= IntervalM(j);
    for (int k = 1; k <= m; ++k)
        c[k] = c[k - 1] * IntervalM(m + k) * IntervalM(m - k + 1) / IntervalM(2 * k);
    IntervalM p = c[0];
    for (int k = 1; k <= m; ++k) p = p * x + c[k];
    // φ ≤ 1 and ≥ 0 always: intersect to tame the dependency of e^{−x}·P(x) on wide boxes.
    const IntervalM value = exp(-x) * p;
    const auto clipped = intersect(value, hull(IntervalM(0), IntervalM(1)));
    return clipped ? *clipped : value;
}

}  // namespace gradcert::theory
