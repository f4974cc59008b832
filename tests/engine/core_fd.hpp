#pragma once
// Helpers of the engine's gradient checks: seeded random vectors, central finite differences in
// double, and the relative error ‖g − ĝ‖ / ‖g + ĝ‖ used throughout.
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace gradcert::engine::test {

inline std::vector<double> random_vector(std::size_t n, std::uint64_t seed, double lo = -1.0,
                                         double hi = 1.0) {
    std::mt19937_64 engine(seed);
    std::vector<double> v(n);
    for (double& x : v) {
        x = lo + (hi - lo) * (double(engine() >> 11) * (1.0 / 9007199254740992.0));
    }
    return v;
}

// ‖a − b‖ / ‖a + b‖ (0 when both are zero).
template <class A, class B>
double relative_error(const A& a, const B& b) {
    double diff = 0.0, sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff += (double(a[i]) - double(b[i])) * (double(a[i]) - double(b[i]));
        sum += (double(a[i]) + double(b[i])) * (double(a[i]) + double(b[i]));
    }
    return sum == 0.0 ? std::sqrt(diff) : std::sqrt(diff / sum);
}

// Central differences (f(x + h e_i) − f(x − h e_i)) / 2h of a scalar function of x, for every i.
inline std::vector<double> finite_difference_gradient(const std::function<double()>& f,
                                                      std::vector<double>& x, double h = 1e-6) {
    std::vector<double> g(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double saved = x[i];
        x[i] = saved + h;
        const double up = f();
        x[i] = saved - h;
        const double down = f();
        x[i] = saved;
        g[i] = (up - down) / (2.0 * h);
    }
    return g;
}

// Σ_i w_i y_i: the scalar whose gradient with respect to y is w (a layer's upstream gradient).
inline double weighted_sum(const std::vector<double>& w, const std::vector<double>& y) {
    double s = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) s += w[i] * y[i];
    return s;
}

}  // namespace gradcert::engine::test
