#pragma once
// Test functions written once over the scalar type (double, intervals, jets of either), so the
// same formula gives the jet under test and the independent high-precision references.
#include <vector>

#include "numerics/autodiff/jet.hpp"

namespace gradcert::test {

// pow and sqr for plain doubles (the interval and jet overloads are found by ADL).
inline double pow(double x, double p) {
    return std::pow(x, p);
}
inline double pow(double x, int n) {
    return std::pow(x, n);
}
inline double sqr(double x) {
    return x * x;
}

// The scalar type underneath a jet (S itself otherwise), for constants in the formulas.
template <class S>
struct scalar_of {
    using type = S;
};
template <class S>
struct scalar_of<Jet<S>> {
    using type = S;
};

// x0² x1 + sin(x1 x2) + exp(x0 − x2); its Hessian is written out in hessian_f1.
template <class S>
S f1(const std::vector<S>& x) {
    using std::exp;
    using std::sin;
    return sqr(x[0]) * x[1] + sin(x[1] * x[2]) + exp(x[0] - x[2]);
}

// Uses every elementary rule of the jets: log, sqrt, atan, tanh, softplus, cos, division,
// integer and real powers.
template <class S>
S f2(const std::vector<S>& x) {
    using std::atan;
    using std::cos;
    using std::log;
    using std::sqrt;
    using std::tanh;
    using Scalar = typename scalar_of<S>::type;
    const Scalar one(1);
    const Scalar three_halves = Scalar(3) / 2;
    return log(1 + sqr(x[0])) + sqrt(sqr(x[1]) + sqr(x[2]) + 1) + atan(x[0] * x[1]) +
           tanh(x[2] - x[0]) + softplus(x[0] - 2 * x[1]) + x[0] / (x[1] + 3) +
           pow(sqr(x[1]) + one, three_halves) + pow(x[0], 3) * x[2] + cos(x[0] + x[1] * x[2]) -
           pow(x[2] + 4, -2);
}

// The exact Hessian of f1 at the point x (over any scalar type with sin/cos/exp).
template <class S>
std::vector<std::vector<S>> hessian_f1(const std::vector<S>& x) {
    using std::cos;
    using std::exp;
    using std::sin;
    const S e = exp(x[0] - x[2]);
    const S p = x[1] * x[2];
    const S h00 = 2 * x[1] + e, h01 = 2 * x[0], h02 = -e;
    const S h11 = -sqr(x[2]) * sin(p), h12 = cos(p) - p * sin(p);
    const S h22 = -sqr(x[1]) * sin(p) + e;
    return {{h00, h01, h02}, {h01, h11, h12}, {h02, h12, h22}};
}

}  // namespace gradcert::test
