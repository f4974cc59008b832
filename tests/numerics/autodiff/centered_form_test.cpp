// Centered forms: the overestimation of the value and gradient enclosures over a box of radius r
// shrinks like r² (the natural enclosure's like r).
//
// Quantity tested: excess(r) = width(enclosure over X_r) − width(true range over X_r), where
// X_r = [c − r, c + r]^3 and the true range is computed exactly (up to 1e-36) from the two
// opposite corners of X_r: the test first proves (from the enclosures) that the function is
// monotone in every coordinate over X_r, so its extrema are at corners. The exponent is the
// least-squares slope of log(excess) against log(r) for r = 1e-1, 10^-1.5, …, 1e-4.
#include "numerics/autodiff/centered_form.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "tests/numerics/autodiff/test_functions.hpp"

using namespace gradcert;

namespace {

constexpr int kDim = 3;
const std::vector<double> kCenter = {-0.125, 0.75, -0.875};

VectorI<Mpfr> box_of_radius(double r) {
    VectorI<Mpfr> X(kDim);
    const IntervalM rad(r);
    for (int i = 0; i < kDim; ++i) {
        const IntervalM lo = IntervalM(kCenter[i]) - rad, hi = IntervalM(kCenter[i]) + rad;
        X[i] = IntervalM(lo.lower(), hi.upper());
    }
    return X;
}

// The corner of X where each coordinate is at its upper end iff up[i].
std::vector<IntervalM> corner(const VectorI<Mpfr>& X, const std::vector<bool>& up) {
    std::vector<IntervalM> x(kDim);
    for (int i = 0; i < kDim; ++i) {
        const Mpfr& v = up[i] ? X[i].upper() : X[i].lower();
        x[i] = IntervalM(v, v);
    }
    return x;
}

// Exact range width of g over X given the sign pattern of ∂g/∂x_i (certified over X).
template <class G>
Mpfr true_range_width(G&& g, const VectorI<Mpfr>& X, const std::vector<bool>& increasing) {
    std::vector<bool> down(kDim);
    for (int i = 0; i < kDim; ++i) down[i] = !increasing[i];
    const IntervalM hi = g(corner(X, increasing)), lo = g(corner(X, down));
    return (hi - lo).mid();
}

// Signs of the enclosed partial derivatives; fails the test if one may vanish on X.
std::vector<bool> certified_increasing(const Eigen::Matrix<IntervalM, Eigen::Dynamic, 1>& d) {
    std::vector<bool> inc(kDim);
    for (int i = 0; i < kDim; ++i) {
        REQUIRE(!possibly_zero(d[i]));
        inc[i] = certainly_positive(d[i]);
    }
    return inc;
}

double slope_of_log_log(const std::vector<double>& r, const std::vector<double>& y) {
    double mx = 0, my = 0;
    const double n = static_cast<double>(r.size());
    for (size_t k = 0; k < r.size(); ++k) {
        mx += std::log(r[k]) / n;
        my += std::log(y[k]) / n;
    }
    double sxy = 0, sxx = 0;
    for (size_t k = 0; k < r.size(); ++k) {
        sxy += (std::log(r[k]) - mx) * (std::log(y[k]) - my);
        sxx += (std::log(r[k]) - mx) * (std::log(r[k]) - mx);
    }
    return sxy / sxx;
}

std::vector<double> radii() {
    std::vector<double> r;
    for (int k = 0; k <= 6; ++k) r.push_back(std::pow(10.0, -1.0 - 0.5 * k));
    return r;
}

auto f2_generic = [](const auto& x) { return test::f2(x); };

}  // namespace

TEST_CASE("centered value enclosure overestimates by O(r^2), the natural one by O(r)",
          "[autodiff][centered]") {
    std::vector<double> centered_excess, natural_excess;
    for (double r : radii()) {
        const VectorI<Mpfr> X = box_of_radius(r);
        const Jet<IntervalM> natural = test::f2(make_variables(X));
        const Jet<IntervalM> centered = centered_enclosure<IntervalM>(f2_generic, X);
        const std::vector<bool> inc = certified_increasing(centered.grad);
        const Mpfr truth = true_range_width(f2_generic, X, inc);
        // Both are enclosures of the range, so neither is narrower than it.
        REQUIRE(centered.value.width() >= truth);
        REQUIRE(natural.value.width() >= truth);
        centered_excess.push_back((centered.value.width() - truth).convert_to<double>());
        natural_excess.push_back((natural.value.width() - truth).convert_to<double>());
    }
    const double centered_slope = slope_of_log_log(radii(), centered_excess);
    const double natural_slope = slope_of_log_log(radii(), natural_excess);
    INFO("centered slope " << centered_slope << ", natural slope " << natural_slope);
    CHECK(centered_slope > 1.8);
    CHECK(centered_slope < 2.3);
    CHECK(natural_slope > 0.8);
    CHECK(natural_slope < 1.3);
}

TEST_CASE("centered gradient enclosure overestimates by O(r^2)", "[autodiff][centered]") {
    for (int i = 0; i < kDim; ++i) {
        std::vector<double> excess;
        for (double r : radii()) {
            const VectorI<Mpfr> X = box_of_radius(r);
            const Jet<IntervalM> centered = centered_enclosure<IntervalM>(f2_generic, X);
            Eigen::Matrix<IntervalM, Eigen::Dynamic, 1> row(kDim);
            for (int j = 0; j < kDim; ++j) row[j] = centered.hess(i, j);
            const std::vector<bool> inc = certified_increasing(row);
            auto partial = [i](const std::vector<IntervalM>& x) {
                VectorI<Mpfr> v(kDim);
                for (int j = 0; j < kDim; ++j) v[j] = x[j];
                return test::f2(make_variables(v)).grad[i];
            };
            const Mpfr truth = true_range_width(partial, X, inc);
            REQUIRE(centered.grad[i].width() >= truth);
            excess.push_back((centered.grad[i].width() - truth).convert_to<double>());
        }
        const double slope = slope_of_log_log(radii(), excess);
        INFO("gradient component " << i << ": slope " << slope);
        CHECK(slope > 1.8);
        CHECK(slope < 2.3);
    }
}

TEST_CASE("Hessian enclosure over a box has width O(r)", "[autodiff][centered]") {
    std::vector<double> widths;
    for (double r : radii()) {
        const Jet<IntervalM> j = test::f2(make_variables(box_of_radius(r)));
        widths.push_back(j.hess(0, 1).width().convert_to<double>());
    }
    const double slope = slope_of_log_log(radii(), widths);
    INFO("slope " << slope);
    CHECK(slope > 0.9);
    CHECK(slope < 1.1);
}

TEST_CASE("centered enclosure contains values at sampled points", "[autodiff][centered]") {
    const VectorI<Mpfr> X = box_of_radius(0.05);
    const Jet<IntervalM> c = centered_enclosure<IntervalM>(f2_generic, X);
    for (int k = 0; k <= 4; ++k) {
        std::vector<IntervalM> x(kDim);
        for (int i = 0; i < kDim; ++i) x[i] = IntervalM(kCenter[i]) + IntervalM(k - 2) / 50;
        CHECK(overlaps(c.value, test::f2(x)));
        VectorI<Mpfr> v(kDim);
        for (int i = 0; i < kDim; ++i) v[i] = x[i];
        const Jet<IntervalM> p = test::f2(make_variables(v));
        for (int i = 0; i < kDim; ++i) CHECK(overlaps(c.grad[i], p.grad[i]));
    }
}
