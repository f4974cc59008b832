// Interval<T> as an Eigen scalar: products and sums of interval matrices contain the exact
// products of point matrices sampled inside them (exact check with MPFR at high precision).
#include <catch2/catch.hpp>
#include <random>

#include "numerics/interval/interval.hpp"

using namespace gradcert;

namespace {

// Exact value of sum_k a_k * b_k for doubles (4200 bits hold every product and sum exactly).
Mpfr exact_dot(const std::vector<double>& a, const std::vector<double>& b) {
    Mpfr s = mpfr_with_precision(4200), p = mpfr_with_precision(4200);
    for (size_t k = 0; k < a.size(); ++k) {
        mpfr_set_d(raw(p), a[k], MPFR_RNDN);
        mpfr_mul_d(raw(p), raw(p), b[k], MPFR_RNDN);
        mpfr_add(raw(s), raw(s), raw(p), MPFR_RNDN);
    }
    return s;
}

template <class T>
bool contains_exact(const Interval<T>& x, const Mpfr& v) {
    return mpfr_lessequal_p(raw(Mpfr(x.lower())), raw(v)) &&
           mpfr_lessequal_p(raw(v), raw(Mpfr(x.upper())));
}

// Picks a point of [lo, hi] (an endpoint or a uniform sample; all exact doubles).
double sample(std::mt19937_64& rng, double lo, double hi) {
    std::uniform_int_distribution<int> kind(0, 3);
    switch (kind(rng)) {
        case 0:
            return lo;
        case 1:
            return hi;
        default: {
            const double t = std::uniform_real_distribution<double>(lo, hi)(rng);
            return t < lo ? lo : (t > hi ? hi : t);
        }
    }
}

template <class T>
void check_products(int seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> centre(-3, 3), width(0, 0.5);
    const int n = 5, m = 4;
    MatrixI<T> A(n, m);
    VectorI<T> v(m);
    std::vector<double> alo(n * m), ahi(n * m), vlo(m), vhi(m);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < m; ++j) {
            const double c = centre(rng), w = width(rng);
            alo[i * m + j] = c;
            ahi[i * m + j] = std::nextafter(c, 10.0) + w;  // exact doubles, lo < hi
            if (ahi[i * m + j] < c) ahi[i * m + j] = c;
            A(i, j) = Interval<T>(T(alo[i * m + j]), T(ahi[i * m + j]));
        }
    for (int j = 0; j < m; ++j) {
        vlo[j] = centre(rng);
        vhi[j] = vlo[j] + 0.25;
        v(j) = Interval<T>(T(vlo[j]), T(vhi[j]));
    }
    const VectorI<T> Av = A * v;
    const MatrixI<T> AtA = A.transpose() * A;
    const MatrixI<T> S = A + A;
    const Interval<T> dot = v.dot(v);
    const Interval<T> total = v.sum();
    for (int trial = 0; trial < 50; ++trial) {
        std::vector<double> a(n * m), x(m);
        for (int k = 0; k < n * m; ++k) a[k] = sample(rng, alo[k], ahi[k]);
        for (int j = 0; j < m; ++j) x[j] = sample(rng, vlo[j], vhi[j]);
        for (int i = 0; i < n; ++i) {
            std::vector<double> row(a.begin() + i * m, a.begin() + (i + 1) * m);
            CHECK(contains_exact(Av(i), exact_dot(row, x)));
            CHECK(contains_exact(S(i, 0), exact_dot({a[i * m]}, {2.0})));
        }
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < m; ++j) {
                std::vector<double> ci(n), cj(n);
                for (int k = 0; k < n; ++k) {
                    ci[k] = a[k * m + i];
                    cj[k] = a[k * m + j];
                }
                CHECK(contains_exact(AtA(i, j), exact_dot(ci, cj)));
            }
        CHECK(contains_exact(dot, exact_dot(x, x)));
        CHECK(contains_exact(total, exact_dot(x, std::vector<double>(m, 1.0))));
    }
}

}  // namespace

TEST_CASE("Eigen squaredNorm uses sqr: non-negative and tight around 0", "[interval]") {
    VectorI<double> v(3);
    v << IntervalD(-1, 2), IntervalD(-3, 1), IntervalD(0.5);
    const IntervalD n2 = v.squaredNorm();
    CHECK(n2.lower() == 0.25);
    CHECK(n2.upper() == 4 + 9 + 0.25);
    const IntervalD n = v.norm();
    CHECK(n.lower() == 0.5);
    CHECK(contains(n, 3.5));
}

TEST_CASE("Eigen products of double intervals contain sampled point products", "[interval]") {
    check_products<double>(11);
}

TEST_CASE("Eigen products of MPFR intervals contain sampled point products", "[interval]") {
    check_products<Mpfr>(12);
}
