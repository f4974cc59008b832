// Fast Gaussian smoothing of softplus / tanh ridges (numerics/quadrature/sigmoid_ridge.hpp):
// thin enclosures contain mpmath's 40-digit values; wide and interval-spread enclosures contain
// the point enclosures inside them and overlap the MPFR quadrature (ridge_expectations) at random
// boxes; zero spread is the function itself; out-of-range arguments and bad options are refused.
#include "numerics/quadrature/sigmoid_ridge.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>

#include "numerics/expr/decompose.hpp"
#include "numerics/quadrature/ridge_integral.hpp"
#include "numerics/util/error.hpp"

using namespace gradcert;

namespace {

const SigmoidRidge kKinds[] = {SigmoidRidge::softplus, SigmoidRidge::tanh};

const char* name(SigmoidRidge g) {
    return g == SigmoidRidge::softplus ? "softplus" : "tanh";
}

expr::RidgeFunction ridge_function(SigmoidRidge g) {
    return g == SigmoidRidge::softplus ? expr::RidgeFunction::softplus : expr::RidgeFunction::tanh;
}

// The MPFR quadrature of numerics/quadrature/ridge_integral.hpp (the path the fast one replaces).
std::array<IntervalM, 3> mpfr_quadrature(SigmoidRidge g, const IntervalM& Z, const IntervalM& S) {
    const expr::RidgeFunction f = ridge_function(g);
    return ridge_expectations(expr::ridge_function_jet(f), Z, S, {RidgeLaw::standard_normal, 1},
                              expr::growth_bound(f), {.subintervals = 128});
}

// Values printed by tests/numerics/quadrature/mpmath_ridge.py (mpmath quadrature, 50 digits).
std::vector<IntervalM> mpmath_values(const std::vector<std::string>& queries) {
    std::string cmd =
        "/usr/bin/python3 " GRADCERT_SOURCE_DIR "/tests/numerics/quadrature/mpmath_ridge.py";
    for (const std::string& q : queries) cmd += " " + q;
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[256];
    while (fgets(buffer, sizeof buffer, pipe)) out += buffer;
    REQUIRE(pclose(pipe) == 0);
    std::istringstream lines(out);
    std::vector<IntervalM> values;
    for (std::string line; std::getline(lines, line);) {
        // 40 significant digits: widen by 1e-35 so the exact value is certainly inside.
        const IntervalM v = IntervalM::from_string(line);
        values.push_back(v + IntervalM(-1e-35, 1e-35));
    }
    REQUIRE(values.size() == queries.size());
    return values;
}

std::string query(SigmoidRidge g, double z, double s, int k) {
    std::ostringstream q;
    q.precision(60);  // the exact decimal expansion of the doubles z and s
    q << name(g) << ",normal,1," << z << "," << s << "," << k;
    return q.str();
}

IntervalD interval(double lo, double hi) {
    return IntervalD(lo, hi);
}

}  // namespace

TEST_CASE("fast sigmoid ridges contain mpmath values at points", "[quadrature][sigmoid]") {
    PrecisionScope precision(128);
    const double zs[] = {-6.5, -1.25, 0.0, 0.3, 2.75, 11.0};
    const double ss[] = {0.01, 0.07, 0.3, 1.0, 1.58, 3.2};
    for (SigmoidRidge g : kKinds) {
        std::vector<std::string> queries;
        for (double s : ss)
            for (double z : zs)
                for (int k = 0; k <= 2; ++k) queries.push_back(query(g, z, s, k));
        const std::vector<IntervalM> reference = mpmath_values(queries);
        size_t q = 0;
        for (double s : ss) {
            const GaussianSigmoidRidge rule(g, IntervalM(s));
            for (double z : zs) {
                const auto r = rule.expectations(IntervalD(z));
                REQUIRE(r);
                for (int k = 0; k <= 2; ++k, ++q) {
                    INFO(name(g) << " z = " << z << " s = " << s << " k = " << k << ": " << (*r)[k]
                                 << " vs mpmath " << reference[q]);
                    CHECK(overlaps(to_mpfr((*r)[k]), reference[q]));
                    // Accuracy (the defaults promise ~1e-12 at small s, 1e-6 at s = 3.2).
                    CHECK((*r)[k].width() < (s <= 0.3 ? 1e-8 : 1e-5));
                }
            }
        }
    }
}

TEST_CASE("fast sigmoid ridges over random boxes contain their points and overlap MPFR quadrature",
          "[quadrature][sigmoid]") {
    PrecisionScope precision(128);
    std::mt19937_64 rng(20261128);
    std::uniform_real_distribution<double> centre(-8, 8), width(0, 3), spread(0.02, 2.5);
    for (SigmoidRidge g : kKinds)
        for (int trial = 0; trial < 12; ++trial) {
            const double s = spread(rng), lo = centre(rng), hi = lo + width(rng);
            const GaussianSigmoidRidge rule(g, IntervalM(s));
            const IntervalD Z = interval(lo, hi);
            const auto wide = rule.expectations(Z);
            REQUIRE(wide);
            const auto mpfr_wide = mpfr_quadrature(g, IntervalM(Mpfr(lo), Mpfr(hi)), IntervalM(s));
            for (int k = 0; k <= 2; ++k) {
                INFO(name(g) << " Z = " << Z << " s = " << s << " k = " << k);
                CHECK(overlaps(to_mpfr((*wide)[k]), mpfr_wide[k]));
            }
            for (int i = 0; i <= 4; ++i) {
                // Points of Z: lo, hi and three inside (exact doubles, clamped into Z).
                const double z = std::min(hi, lo + (hi - lo) * i / 4.0);
                const auto thin = rule.expectations(IntervalD(z));
                const auto mpfr_thin = mpfr_quadrature(g, IntervalM(z), IntervalM(s));
                for (int k = 0; k <= 2; ++k) {
                    INFO(name(g) << " z = " << z << " in " << Z << ", s = " << s << ", k = " << k
                                 << ": " << (*thin)[k] << " wide " << (*wide)[k] << " MPFR "
                                 << mpfr_thin[k]);
                    CHECK(subset((*thin)[k], (*wide)[k]));
                    CHECK(overlaps(to_mpfr((*thin)[k]), mpfr_thin[k]));
                }
            }
        }
}

TEST_CASE("fast sigmoid ridges with an interval spread contain the point spreads",
          "[quadrature][sigmoid]") {
    PrecisionScope precision(128);
    for (SigmoidRidge g : kKinds) {
        const GaussianSigmoidRidge wide(g, IntervalM(0.5, 0.75));
        for (double s : {0.5, 0.6, 0.75}) {
            const GaussianSigmoidRidge point(g, IntervalM(s));
            for (double z : {-2.0, 0.4, 3.0}) {
                const auto a = point.expectations(IntervalD(z));
                const auto b = wide.expectations(IntervalD(z));
                for (int k = 0; k <= 2; ++k) {
                    INFO(name(g) << " s = " << s << " z = " << z << " k = " << k);
                    CHECK(subset((*a)[k], (*b)[k]));
                }
            }
        }
    }
}

TEST_CASE("fast sigmoid ridges at zero spread are the function and its derivatives",
          "[quadrature][sigmoid]") {
    PrecisionScope precision(128);
    for (SigmoidRidge g : kKinds) {
        const GaussianSigmoidRidge rule(g, IntervalM(0));
        for (double z : {-3.0, 0.0, 1.5}) {
            const auto r = rule.expectations(IntervalD(z));
            const Jet<IntervalM> exact = expr::ridge_function_jet(ridge_function(g))(
                Jet<IntervalM>::variable(IntervalM(z), 0, 1));
            CHECK(overlaps(to_mpfr((*r)[0]), exact.value));
            CHECK(overlaps(to_mpfr((*r)[1]), exact.grad[0]));
            CHECK(overlaps(to_mpfr((*r)[2]), exact.hess(0, 0)));
            CHECK((*r)[0].width() < 1e-14);
        }
    }
}

TEST_CASE("fast sigmoid ridges refuse what the double tables cannot handle",
          "[quadrature][sigmoid]") {
    const GaussianSigmoidRidge rule(SigmoidRidge::softplus, IntervalM(1));
    CHECK_FALSE(rule.expectations(interval(-1, 250)));
    CHECK_FALSE(rule.expectations(IntervalD::entire()));
    CHECK(rule.expectations(interval(-200, 200)));
    CHECK(rule.cutoff() >= 9);
    // e^{−s·t} at the far pieces would underflow: refused (the caller falls back to MPFR).
    const GaussianSigmoidRidge steep(SigmoidRidge::tanh, IntervalM(40));
    CHECK_FALSE(steep.expectations(IntervalD(0.5)));
    CHECK_THROWS_AS(GaussianSigmoidRidge(SigmoidRidge::tanh, IntervalM(-1)), InputError);
    CHECK_THROWS_AS(GaussianSigmoidRidge(SigmoidRidge::tanh, IntervalM::entire()), InputError);
    CHECK_THROWS_AS(GaussianSigmoidRidge(SigmoidRidge::tanh, IntervalM(1), {.order = 3}),
                    InputError);
    CHECK_THROWS_AS(GaussianSigmoidRidge(SigmoidRidge::tanh, IntervalM(1), {.order = 14}),
                    InputError);
    CHECK_THROWS_AS(
        GaussianSigmoidRidge(SigmoidRidge::softplus, IntervalM(1), {.spread_per_piece = 0}),
        InputError);
}
