#include "numerics/special/moments.hpp"

#include <string>

#include "numerics/util/error.hpp"

namespace gradcert {
namespace {

void require_nonnegative_exponents(const char* who, const std::vector<int>& alpha) {
    for (int a : alpha)
        if (a < 0)
            throw InputError(std::string(who) + ": exponent " + std::to_string(a) +
                             " must be >= 0");
}

bool all_even(const std::vector<int>& alpha) {
    for (int a : alpha)
        if (a % 2 != 0) return false;
    return true;
}

int total_degree(const std::vector<int>& alpha) {
    int sum = 0;
    for (int a : alpha) sum += a;
    return sum;
}

// Π_i (α_i − 1)!! as an enclosure (exact while it fits the working precision).
IntervalM odd_double_factorial_product(const std::vector<int>& alpha) {
    IntervalM p(1);
    for (int a : alpha)
        for (int j = a - 1; j > 1; j -= 2) p *= IntervalM(j);
    return p;
}

}  // namespace

IntervalM ball_moment(int d, const std::vector<int>& alpha) {
    if (d < 1)
        throw InputError("ball_moment: dimension d = " + std::to_string(d) + " must be >= 1");
    if (static_cast<int>(alpha.size()) > d)
        throw InputError("ball_moment: multi-index has " + std::to_string(alpha.size()) +
                         " entries, more than the dimension " + std::to_string(d));
    require_nonnegative_exponents("ball_moment", alpha);
    if (!all_even(alpha)) return IntervalM(0);
    IntervalM denominator(1);
    const int half = total_degree(alpha) / 2;
    for (int j = 1; j <= half; ++j) denominator *= IntervalM(d + 2 * j);
    return odd_double_factorial_product(alpha) / denominator;
}

IntervalM gaussian_moment(const IntervalM& s, const std::vector<int>& alpha) {
    require_nonnegative_exponents("gaussian_moment", alpha);
    if (!all_even(alpha)) return IntervalM(0);
    return pow(s, total_degree(alpha)) * odd_double_factorial_product(alpha);
}

IntervalM sine_power_integral(int d) {
    if (d < 0)
        throw InputError("sine_power_integral: exponent d = " + std::to_string(d) +
                         " must be >= 0");
    // B_d = (d−1)/d · B_{d−2}, B_0 = π, B_1 = 2.
    IntervalM numerator(1);
    IntervalM denominator(1);
    for (int k = d; k >= 2; k -= 2) {
        numerator *= IntervalM(k - 1);
        denominator *= IntervalM(k);
    }
    const IntervalM base = d % 2 == 0 ? IntervalM::pi() : IntervalM(2);
    return base * numerator / denominator;
}

IntervalM gamma_half_integer(int m) {
    if (m < 1)
        throw InputError("gamma_half_integer: argument m/2 with m = " + std::to_string(m) +
                         " must be positive");
    IntervalM r(1);
    if (m % 2 == 0) {
        for (int k = 2; k < m / 2; ++k) r *= IntervalM(k);
        return r;
    }
    // Γ(n + 1/2) = (2n − 1)!! / 2^n · √π with n = (m − 1)/2.
    const int n = (m - 1) / 2;
    for (int j = 2 * n - 1; j > 1; j -= 2) r *= IntervalM(j);
    for (int k = 0; k < n; ++k) r /= IntervalM(2);
    return r * sqrt(IntervalM::pi());
}

}  // namespace gradcert
