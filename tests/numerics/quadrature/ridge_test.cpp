// Verified ridge quadrature: enclosure of closed forms (Gaussian and ball marginal), of mpmath
// reference values (softplus, tanh ridges), over interval arguments, with a too-short Gaussian
// cutoff (the tail bound must cover the rest); widths shrink with subdivision and precision.
#include <catch2/catch.hpp>
#include <cstdio>
#include <sstream>
#include <string>

#include "numerics/quadrature/ridge_integral.hpp"
#include "numerics/special/ball.hpp"
#include "numerics/util/error.hpp"

using namespace gradcert;

namespace {

using J = Jet<IntervalM>;
const RidgeFunctionJet kCos = [](const J& y) { return cos(y); };
const RidgeFunctionJet kExp = [](const J& y) { return exp(y); };
const RidgeFunctionJet kSoftplus = [](const J& y) { return softplus(y); };
const RidgeFunctionJet kTanh = [](const J& y) { return tanh(y); };
const GrowthBound kBounded{1, 0};           // |cos^{(k)}|, |tanh^{(k)}| <= 1
const GrowthBound kSoftplusGrowth{0.7, 1};  // softplus(y) <= log 2 + |y|; |σ|, |σ'| <= 1
const GrowthBound kExpGrowth{1, 0, 1};      // |exp^{(k)}(y)| <= e^{|y|}

const RidgeLawSpec kNormal{RidgeLaw::standard_normal, 1};
RidgeLawSpec ball(int d) {
    return {RidgeLaw::ball_marginal, d};
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
    for (std::string line; std::getline(lines, line);)
        values.push_back(IntervalM::from_string(line));
    REQUIRE(values.size() == queries.size());
    return values;
}

// A closed form evaluated at 256 bits: far narrower than the quadrature enclosures at 128 bits.
template <class F>
IntervalM at_256_bits(F&& f) {
    PrecisionScope scope(256);
    return f();
}

std::string query(const char* g, const char* law, int d, double z, double s, int k) {
    std::ostringstream q;
    q.precision(60);  // the exact decimal expansion of the doubles z and s
    q << g << "," << law << "," << d << "," << z << "," << s << "," << k;
    return q.str();
}

}  // namespace

TEST_CASE("Gaussian ridge quadrature encloses E[cos(a + sZ)] = cos(a) exp(-s^2/2)",
          "[quadrature]") {
    for (double a : {0.3, -1.2, 2.0})
        for (double sv : {0.05, 0.5, 1.0, 2.5}) {
            const IntervalM z(a), s(sv);
            const auto r = ridge_expectations(kCos, z, s, kNormal, kBounded, {.subintervals = 256});
            INFO("a = " << a << ", s = " << sv << ": " << r[0] << " " << r[1] << " " << r[2]);
            CHECK(contains(r[0], at_256_bits([&] { return cos(z) * exp(-sqr(s) / 2); })));
            CHECK(contains(r[1], at_256_bits([&] { return -sin(z) * exp(-sqr(s) / 2); })));
            CHECK(contains(r[2], at_256_bits([&] { return -cos(z) * exp(-sqr(s) / 2); })));
            for (const IntervalM& x : r) CHECK(x.width() < 2e-5);
        }
}

TEST_CASE("Gaussian ridge quadrature encloses E[exp(a + sZ)] = exp(a + s^2/2)", "[quadrature]") {
    for (double a : {0.0, -0.7, 1.5})
        for (double sv : {0.1, 0.8, 2.0}) {
            const IntervalM z(a), s(sv);
            const auto r =
                ridge_expectations(kExp, z, s, kNormal, kExpGrowth, {.subintervals = 256});
            const IntervalM exact = at_256_bits([&] { return exp(z + sqr(s) / 2); });
            INFO("a = " << a << ", s = " << sv << ": " << r[0]);
            for (const IntervalM& x : r) {
                CHECK(contains(x, exact));
                CHECK(x.width() < 1e-4 * exact.upper());
            }
        }
}

TEST_CASE("ball-marginal quadrature encloses cos and exp ridges via Lambda_d", "[quadrature]") {
    for (int d : {1, 2, 3, 4, 7})
        for (double sv : {0.2, 1.0, 3.0}) {
            const IntervalM z = IntervalM::from_string("0.4"), s(sv);
            // E[cos(z + sT)] = cos(z) Λ_d(s) (E[sin(sT)] = 0 by symmetry), E[e^{z+sT}] = e^z
            // E_d(s).
            const auto c = ridge_expectations(kCos, z, s, ball(d), kBounded, {.subintervals = 128});
            INFO("d = " << d << ", s = " << sv << ": " << c[0] << " " << c[1] << " " << c[2]);
            CHECK(contains(c[0], at_256_bits([&] { return cos(z) * ball_characteristic(d, s); })));
            CHECK(contains(c[1], at_256_bits([&] { return -sin(z) * ball_characteristic(d, s); })));
            CHECK(contains(c[2], at_256_bits([&] { return -cos(z) * ball_characteristic(d, s); })));
            // E[g] converges fastest, E[g''] slowest (d = 2 has no second integration by parts).
            // Remainders scale like s^{n+1}: the bounds grow with s.
            const double scale = std::pow(1 + sv, 3);
            CHECK(c[0].width() < 1e-6 * scale);
            CHECK(c[1].width() < 1e-5 * scale);
            CHECK(c[2].width() < (d == 2 ? 1e-3 : 1e-4) * scale);
            const auto e = ridge_expectations(kExp, z, s, ball(d), kExpGrowth);
            const IntervalM exact = at_256_bits([&] { return exp(z) * hyp0f1_ball_exp(d, s); });
            for (const IntervalM& x : e) CHECK(contains(x, exact));
        }
}

TEST_CASE("ridge quadrature encloses mpmath values for softplus and tanh ridges", "[quadrature]") {
    struct Case {
        const char* g;
        RidgeLawSpec law;
        double z, s;
    };
    const std::vector<Case> cases = {
        {"softplus", kNormal, 0.3, 0.7},  {"softplus", kNormal, -2.0, 1.5},
        {"softplus", ball(1), 0.3, 0.7},  {"softplus", ball(2), 1.0, 2.0},
        {"softplus", ball(5), -0.5, 3.0}, {"tanh", kNormal, 0.5, 0.4},
        {"tanh", kNormal, -1.0, 2.0},     {"tanh", ball(3), 0.5, 1.5},
        {"tanh", ball(2), 0.0, 0.9},      {"tanh", ball(1), 1.25, 0.6}};
    std::vector<std::string> queries;
    for (const Case& c : cases)
        for (int k = 0; k <= 2; ++k)
            queries.push_back(query(c.g, c.law.law == RidgeLaw::standard_normal ? "normal" : "ball",
                                    c.law.d, c.z, c.s, k));
    const std::vector<IntervalM> reference = mpmath_values(queries);
    for (size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        const bool softplus_case = std::string(c.g) == "softplus";
        const auto r = ridge_expectations(
            softplus_case ? kSoftplus : kTanh, IntervalM(c.z), IntervalM(c.s), c.law,
            softplus_case ? kSoftplusGrowth : kBounded, {.subintervals = 128});
        for (int k = 0; k <= 2; ++k) {
            INFO(queries[3 * i + k] << ": ours " << r[k] << ", mpmath " << reference[3 * i + k]);
            CHECK(overlaps(r[k], reference[3 * i + k]));
            CHECK(contains(r[k], reference[3 * i + k].mid()));
            CHECK(r[k].width() < (k == 2 && c.law.d == 2 ? 1e-3 : 1e-4));
        }
    }
}

TEST_CASE("ridge quadrature over interval arguments encloses every point value", "[quadrature]") {
    const IntervalM Z(Mpfr(0.25), Mpfr(0.3125)), S(Mpfr(0.5), Mpfr(0.5625));
    for (const RidgeLawSpec law : {kNormal, ball(3)}) {
        const auto box = ridge_expectations(kCos, Z, S, law, kBounded);
        for (int i = 0; i <= 4; ++i)
            for (int j = 0; j <= 4; ++j) {
                const IntervalM z = Z.lower() + (Z.upper() - Z.lower()) * i / 4;
                const IntervalM s = S.lower() + (S.upper() - S.lower()) * j / 4;
                const IntervalM factor = law.law == RidgeLaw::standard_normal
                                             ? exp(-sqr(s) / 2)
                                             : ball_characteristic(3, s);
                CHECK(overlaps(box[0], cos(z) * factor));
                CHECK(overlaps(box[1], -sin(z) * factor));
                CHECK(overlaps(box[2], -cos(z) * factor));
            }
    }
    // s = 0 is allowed (no integration by parts): E[g^{(k)}(z)] = g^{(k)}(z).
    const auto at_zero = ridge_expectations(kCos, IntervalM(1), IntervalM(0), kNormal, kBounded);
    CHECK(contains(at_zero[0], cos(IntervalM(1))));
    CHECK(contains(at_zero[2], -cos(IntervalM(1))));
}

TEST_CASE("a short Gaussian cutoff is covered by the tail bound", "[quadrature]") {
    const IntervalM z = IntervalM::from_string("0.1"), s(1);
    for (double L : {1.5, 2.5, 4.0, 6.0}) {
        RidgeQuadratureOptions opts;
        opts.gaussian_cutoff = L;
        const RidgeQuadratureResult r =
            ridge_expectations_detailed(kSoftplus, z, s, kNormal, kSoftplusGrowth, opts);
        const auto exact = mpmath_values({query("softplus", "normal", 1, 0.1, 1.0, 0)});
        INFO("L = " << L << ": " << r.values[0] << ", tail " << r.tail);
        CHECK(overlaps(r.values[0], exact[0]));
        CHECK(r.cutoff == L);
    }
    // exp(a + sZ) with growth e^{|y|}: the cutoff must exceed c·s.
    RidgeQuadratureOptions bad;
    bad.gaussian_cutoff = 1.5;
    CHECK_THROWS_AS(ridge_expectations(kExp, IntervalM(0), IntervalM(2), kNormal, kExpGrowth, bad),
                    InputError);
}

TEST_CASE("ridge quadrature widths shrink as subdivision and precision grow", "[quadrature]") {
    const IntervalM z = IntervalM::from_string("0.3"), s = IntervalM::from_string("0.7");
    for (const bool adaptive : {false, true})
        for (const RidgeLawSpec law : {kNormal, ball(2)}) {
            std::array<double, 3> previous = {HUGE_VAL, HUGE_VAL, HUGE_VAL};
            std::array<double, 3> first{};
            for (int n : {16, 32, 64, 128, 256}) {
                RidgeQuadratureOptions opts;
                opts.subintervals = n;
                opts.adaptive = adaptive;
                const auto r = ridge_expectations(kTanh, z, s, law, kBounded, opts);
                for (int k = 0; k <= 2; ++k) {
                    const double w = r[k].width().convert_to<double>();
                    INFO("adaptive " << adaptive << ", n = " << n << ", k = " << k << ": " << w);
                    CHECK(w < previous[k]);
                    if (n == 16) first[k] = w;
                    previous[k] = w;
                }
            }
            // Second-order rules: 16× the subintervals gives far more than 16× narrower results.
            for (int k = 0; k <= 2; ++k) CHECK(previous[k] < first[k] / 100);
        }
    // At fixed subdivision, a low working precision caps the accuracy (small s: the quadrature
    // remainder, O(s³h³), is negligible, so the rounding errors dominate).
    const IntervalM small_s = IntervalM::from_string("0.01");
    auto width_at = [&](long bits) {
        PrecisionScope scope(bits);
        return ridge_expectations(kTanh, z, small_s, kNormal, kBounded)[0]
            .width()
            .convert_to<double>();
    };
    const double w24 = width_at(24), w53 = width_at(53), w128 = width_at(128);
    INFO("widths at 24, 53, 128 bits: " << w24 << " " << w53 << " " << w128);
    CHECK(w53 < w24 / 100);
    CHECK(w128 < w24 / 100);
}

TEST_CASE("ridge quadrature rejects bad input", "[quadrature]") {
    CHECK_THROWS_AS(ridge_expectations(kCos, IntervalM(0), IntervalM(1), ball(0), kBounded),
                    InputError);
    CHECK_THROWS_AS(ridge_expectations(kCos, IntervalM(0), IntervalM(1), kNormal, {-1, 0}),
                    InputError);
    RidgeQuadratureOptions opts;
    opts.subintervals = 0;
    CHECK_THROWS_AS(ridge_expectations(kCos, IntervalM(0), IntervalM(1), kNormal, kBounded, opts),
                    InputError);
}
