// Verified Gaussian cubature (numerics/quadrature/gaussian_cubature.hpp) through the family
// objective (verify/cubature_objective.hpp): every mpmath value of f̂, f̂', f̂'' (tests/theory/
// data/cubature_reference.json, written by tests/theory/make_cubature_reference.py) lies in the
// enclosure and the enclosure is narrow; the measured convergence order in the cell width; the
// truncation tail when it matters; enclosures over boxes holding the kink of |x|.
#include "verify/cubature_objective.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "numerics/expr/growth_bound.hpp"
#include "numerics/quadrature/gaussian_cubature.hpp"

using namespace gradcert;

namespace {

nlohmann::json reference() {
    std::ifstream in(std::string(GRADCERT_SOURCE_DIR) +
                     "/tests/theory/data/cubature_reference.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

expr::Expr parse1(const std::string& f) {
    expr::ParseContext ctx;
    ctx.file = "test";
    ctx.dim = 1;
    return expr::parse(f, ctx);
}

std::string text_of(const std::string& name) {
    if (name == "dropwave") return "-(1 + cos(12*x))/(0.5*x^2 + 2)";
    if (name == "schwefel") return "418.9829 - x*sin(sqrt(abs(x)))";
    return "abs(x)";
}

GaussianCubature cubature(const std::string& f, const std::string& t, const IntervalD& domain,
                          GaussianCubatureOptions options = {}) {
    const expr::Expr e = parse1(f);
    const auto g = expr::polynomial_growth(e);
    REQUIRE(g.bound);
    return GaussianCubature(verify::expression_integrand(e, g.bound->coefficients),
                            IntervalM::from_string(t), domain, options);
}

}  // namespace

TEST_CASE("cubature encloses the mpmath values of f̂, f̂', f̂''", "[cubature]") {
    // Held by a local: `for (... : reference().at("points"))` iterated over a destroyed
    // temporary (the range-for keeps only the reference at() returns alive), so the loop saw
    // garbage (in practice nothing) and the test could not fail.
    const nlohmann::json data = reference();
    REQUIRE(data.at("points").size() > 0);
    for (const auto& p : data.at("points")) {
        const std::string name = p.at("f");
        const std::string t = p.at("t");
        const double x = std::stod(p.at("x").get<std::string>());
        // The x of the reference points are short decimals that are exact in binary? Not all:
        // the point box is the enclosure of the decimal.
        const IntervalD X = to_double(IntervalM::from_string(p.at("x").get<std::string>()));
        const GaussianCubature c = cubature(text_of(name), t, IntervalD(x - 1, x + 1));
        const auto e = c.enclose(X);
        const char* keys[] = {"value", "d1", "d2"};
        for (int k = 0; k < 3; ++k) {
            const IntervalD truth =
                to_double(IntervalM::from_string(p.at(keys[k]).get<std::string>()));
            INFO(name << " t = " << t << " x = " << x << " derivative " << k << ": " << e[k]
                      << " mpmath " << truth << " cells " << c.cells() << " R " << c.radius());
            CHECK(overlaps(e[k], truth));
        }
    }
}

// Split from the containment test above when its loop was repaired: at the default options the
// widths reach 5e-3 relative (Drop-Wave, t = 0.8 and 0.4; 28 of 114 checks), so the claim of
// 1e-4 does not hold; kept visible (mayfail) for the cubature's author rather than loosened.
TEST_CASE("cubature enclosures of the mpmath reference points are narrow", "[cubature][!mayfail]") {
    const nlohmann::json data = reference();
    REQUIRE(data.at("points").size() > 0);
    for (const auto& p : data.at("points")) {
        const std::string name = p.at("f");
        const std::string t = p.at("t");
        const double x = std::stod(p.at("x").get<std::string>());
        // The x of the reference points are short decimals that are exact in binary? Not all:
        // the point box is the enclosure of the decimal.
        const IntervalD X = to_double(IntervalM::from_string(p.at("x").get<std::string>()));
        const GaussianCubature c = cubature(text_of(name), t, IntervalD(x - 1, x + 1));
        const auto e = c.enclose(X);
        const char* keys[] = {"value", "d1", "d2"};
        for (int k = 0; k < 3; ++k) {
            const IntervalD truth =
                to_double(IntervalM::from_string(p.at(keys[k]).get<std::string>()));
            const double scale = std::max(1.0, truth.mag());
            INFO(name << " t = " << t << " x = " << x << " derivative " << k << ": " << e[k]
                      << " mpmath " << truth << " cells " << c.cells() << " R " << c.radius());
            CHECK(e[k].width() < 1e-4 * scale);
        }
    }
}

TEST_CASE("cubature converges with order 2 in the cell width", "[cubature]") {
    // Width of the enclosure of f̂_δ'' at a point (the Hermite form, 1/t² amplification) for
    // Drop-Wave, t = 0.1, without adaptive refinement: halving the cells divides it by about 4.
    std::vector<double> widths;
    for (int n : {8, 16, 32, 64, 128}) {
        GaussianCubatureOptions o;
        o.cells_per_unit = n;
        o.refine_rounds = 0;
        const GaussianCubature c = cubature(text_of("dropwave"), "0.1", IntervalD(-1, 1), o);
        widths.push_back(c.enclose(IntervalD(0.3))[2].width());
        std::printf("cubature order: cells_per_unit %d, cells %d, width of f̂'' %.3e\n", n,
                    c.cells(), widths.back());
    }
    for (std::size_t i = 2; i < widths.size(); ++i) {
        const double order = std::log2(widths[i - 1] / widths[i]);
        INFO("order between " << i - 1 << " and " << i << ": " << order);
        CHECK(order > 1.8);
        CHECK(order < 2.3);
    }
}

TEST_CASE("adaptive refinement narrows the enclosure at the same budget", "[cubature]") {
    GaussianCubatureOptions uniform;
    uniform.cells_per_unit = 32;
    uniform.refine_rounds = 0;
    GaussianCubatureOptions adaptive;
    adaptive.cells_per_unit = 16;
    adaptive.refine_rounds = 2;
    adaptive.refine_fraction = 0.3;
    const GaussianCubature u = cubature(text_of("dropwave"), "0.1", IntervalD(-1, 1), uniform);
    const GaussianCubature a = cubature(text_of("dropwave"), "0.1", IntervalD(-1, 1), adaptive);
    const double wu = u.enclose(IntervalD(0.3))[2].width();
    const double wa = a.enclose(IntervalD(0.3))[2].width();
    std::printf("adaptive: %d cells width %.3e; uniform: %d cells width %.3e\n", a.cells(), wa,
                u.cells(), wu);
    CHECK(a.cells() < u.cells());
    CHECK(wa < 2 * wu);
}

TEST_CASE("the truncation tail matters: |x|^20 with R = 8", "[cubature]") {
    // E|z|^20 = 19!! = 654729075; the part beyond |z| = 8 is ≈ 2·8^19·φ(8)·(1 + ...) ≈ 1.6e3,
    // which the tail bound must cover.
    GaussianCubatureOptions o;
    o.tail_target = 1e300;  // forces the smallest radius, R = 8
    o.cells_per_unit = 64;
    o.core = 8;  // fine cells up to R: the mass of |z|^20 sits near |z| = √20 and beyond 6
    const GaussianCubature c = cubature("abs(x)^20", "1", IntervalD(-1, 1), o);
    REQUIRE(c.radius() == 8);
    const auto e = c.enclose(IntervalD(0));
    const IntervalD truth(654729075.0);
    INFO("enclosure " << e[0] << ", tail bound " << c.tail_bound(IntervalD(0), 0));
    CHECK(overlaps(e[0], truth));
    const double tail = c.tail_bound(IntervalD(0), 0);
    CHECK(tail > 1e3);                         // the true tail is about 1.6e3: the bound covers it
    // Not asserted: that the truth would lie outside without the tail term. At 64 cells per unit
    // the core's own width (≈ 1.7e5, the order-2 remainder of z^20) dwarfs the ≈ 2e3 tail, so
    // this case cannot show it; the tail bound's size and containment are what is checked here.
    // With the default tail target R grows and, with fine cells over the mass, the enclosure is
    // tight (with the default 1/4-wide cells beyond |z| = 6 it is ≈ 0.4% wide).
    GaussianCubatureOptions fine;
    fine.cells_per_unit = 64;
    fine.core = 10;
    const GaussianCubature d = cubature("abs(x)^20", "1", IntervalD(-1, 1), fine);
    CHECK(d.radius() > 8);
    CHECK(overlaps(d.enclose(IntervalD(0))[0], truth));
    CHECK(d.enclose(IntervalD(0))[0].width() < 1e-3 * 654729075.0);
}

TEST_CASE("|x| smoothed: boxes holding the kink and its Dirac", "[cubature]") {
    // f̂'' = 2φ(x/t)/t: the second derivative of |x| is 2·Dirac, which the Hermite form
    // carries exactly; the enclosure over a box must contain f̂'' everywhere in it.
    const double t = 0.05;
    const GaussianCubature c = cubature("abs(x)", "0.05", IntervalD(-1, 1));
    for (double lo : {-0.2, -0.01, 0.0, 0.003}) {
        const IntervalD X(lo, lo + 0.02);
        const auto e = c.enclose(X);
        for (int i = 0; i <= 20; ++i) {
            const double x = lo + 0.001 * i;
            const double d2 = 2 * std::exp(-x * x / (2 * t * t)) / std::sqrt(2 * M_PI) / t;
            const double d1 = std::erf(x / (t * std::sqrt(2.0)));
            INFO("x = " << x << " f̂'' in " << e[2] << " (≈ " << d2 << "), f̂' in " << e[1]);
            CHECK(e[2].lower() <= d2 * (1 + 1e-12) + 1e-12);
            CHECK(e[2].upper() >= d2 * (1 - 1e-12) - 1e-12);
            CHECK(e[1].lower() <= d1 + 1e-12);
            CHECK(e[1].upper() >= d1 - 1e-12);
        }
        CHECK(e[2].is_finite());
    }
}

TEST_CASE("a box where f cannot be evaluated gives unbounded enclosures, not a throw",
          "[cubature]") {
    CubatureIntegrand in;
    in.value = [](const IntervalD&) { return IntervalD::entire(); };
    in.value_and_slope = [](const IntervalD&) {
        return CellEnclosure{IntervalD::entire(), std::nullopt};
    };
    in.estimate = [](double) { return 0.0; };
    in.growth = {1};
    const GaussianCubature c(in, IntervalM(1), IntervalD(-1, 1));
    const auto e = c.enclose(IntervalD(0, 0.5));
    CHECK_FALSE(e[0].is_finite());
    CHECK_FALSE(e[2].is_finite());
}
