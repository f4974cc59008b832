// The kernels defined by φ and moments (theory/kernel_laws.hpp) against mpmath quadrature of
// their densities (tests/theory/data/kernel_laws_reference.txt, written by
// tests/theory/make_kernel_laws_reference.py): φ, MGF, moments, E|u|, E‖u‖ in d = 2 and f̂_δ at a
// point; plus the refusals of terms whose smoothed value does not exist.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "numerics/expr/expr.hpp"
#include "numerics/util/error.hpp"
#include "theory/kernel_laws.hpp"
#include "theory/smoothed_function.hpp"
#include "theory/smoothing_support.hpp"

using namespace gradcert;
using namespace gradcert::theory;

namespace {

struct Row {
    std::vector<std::string> fields;  // all but the value
    std::string value;
};

std::vector<Row> reference_rows() {
    std::ifstream in(GRADCERT_SOURCE_DIR "/tests/theory/data/kernel_laws_reference.txt");
    REQUIRE(in);
    std::vector<Row> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream s(line);
        std::vector<std::string> f;
        std::string w;
        while (s >> w) f.push_back(w);
        if (f.size() < 2) continue;
        Row r;
        r.value = f.back();
        f.pop_back();
        r.fields = std::move(f);
        rows.push_back(std::move(r));
    }
    REQUIRE(rows.size() > 100);
    return rows;
}

Kernel kernel_of(const std::string& name, const std::string& param, int dim = 1) {
    Kernel k{parse_kernel_kind(name), dim};
    if (k.kind == Kernel::Kind::student_t) k.nu = std::stoi(param);
    if (k.kind == Kernel::Kind::stable) k.alpha = IntervalM::from_string(param);
    return k;
}

// The reference (quadrature, ~30 correct digits) must lie in the enclosure widened by 1e-25
// relative, and the enclosure must be narrow (so the test can fail).
void check_encloses(const IntervalM& enclosure, const std::string& reference,
                    const std::string& what) {
    const IntervalM ref = IntervalM::from_string(reference);
    const double scale = std::max(1.0, std::abs(ref.mid().convert_to<double>()));
    const IntervalM tolerance = IntervalM::from_string("1e-25") * IntervalM(scale);
    const IntervalM widened = enclosure + hull(-tolerance, tolerance);
    INFO(what << ": enclosure " << enclosure << " vs mpmath " << reference);
    CHECK(overlaps(widened, ref));
    CHECK(enclosure.width().convert_to<double>() < 1e-25 * scale);
}

expr::Decomposition decomposed(const std::string& f) {
    const expr::ParseContext ctx{"test", 1, 1, {}, {}};
    return expr::decompose(expr::parse(f, ctx), ctx);
}

const char* function_text(const std::string& name) {
    return name == "rastrigin" ? "x^2 - 10*cos(2*pi*x) + 10" : "-cos(x) - 0.5*cos(3*x)";
}

}  // namespace

TEST_CASE("φ kernels: φ, MGF, moments, E|u| and f̂_δ enclose mpmath quadrature of the density",
          "[theory][kernel_laws]") {
    PrecisionScope precision(128);
    int checked = 0;
    for (const Row& r : reference_rows()) {
        const std::string& q = r.fields[0];
        const Kernel k = kernel_of(r.fields[1], r.fields[2]);
        const std::string what = [&] {
            std::string s;
            for (const std::string& f : r.fields) s += f + " ";
            return s;
        }();
        if (q == "cf") {
            check_encloses(kernel_characteristic(k, {IntervalM::from_string(r.fields[3])}), r.value,
                           what);
        } else if (q == "mgf") {
            check_encloses(kernel_mgf(k, {IntervalM::from_string(r.fields[3])}), r.value, what);
        } else if (q == "moment") {
            check_encloses(kernel_moment(k, {std::stoi(r.fields[3])}), r.value, what);
        } else if (q == "absmean") {
            check_encloses(kernel_mean_norm(k), r.value, what);
        } else if (q == "norm2") {
            const Kernel k2 = kernel_of(r.fields[1], r.fields[2], 2);
            const IntervalM m = kernel_mean_norm(k2);
            if (k2.kind == Kernel::Kind::laplace) {  // the rigorous bracket [H_2, 2]
                INFO(what << ": " << m << " vs " << r.value);
                CHECK(contains(m, IntervalM::from_string(r.value)));
            } else {
                check_encloses(m, r.value, what);
            }
        } else if (q == "smooth") {
            const SmoothedFunction s(decomposed(function_text(r.fields[3])), k,
                                     IntervalM::from_string(r.fields[5]));
            VectorI<Mpfr> x(1);
            x[0] = IntervalM::from_string(r.fields[4]);
            check_encloses(s.value(x), r.value, what);
        } else {
            FAIL("unknown reference quantity " << q);
        }
        ++checked;
    }
    CHECK(checked > 100);
}

TEST_CASE("sinc and sinh(s)/s are enclosed across the series/quotient switch and on wide boxes",
          "[theory][kernel_laws]") {
    PrecisionScope precision(128);
    // s = 0 exactly, the switch at |s| = 2, a box across 0 and across the switch.
    CHECK(contains(sinc(IntervalM(0)), IntervalM(1)));
    CHECK(contains(sinhc(IntervalM(0)), IntervalM(1)));
    const IntervalM wide = IntervalM::from_string("[-0.5, 7]");
    const IntervalM s = sinc(wide);
    // sinc on [−0.5, 7] ranges over [sinc(4.4934…) ≈ −0.2172, 1].
    CHECK(contains(s, IntervalM::from_string("-0.2172")));
    CHECK(contains(s, IntervalM(1)));
    CHECK(certainly_le(s, IntervalM::from_string("1.2")));
    for (const char* v : {"1.999999", "2.000001", "-3", "1e-30"}) {
        const IntervalM x = IntervalM::from_string(v);
        if (certainly_gt(abs(x), IntervalM(1))) {
            CHECK(overlaps(sinc(x), sin(x) / x));
            CHECK(overlaps(sinhc(x), (exp(x) - exp(-x)) / (2 * x)));
        }
    }
}

TEST_CASE("terms without a smoothed value are refused, naming the term and the missing moment",
          "[theory][kernel_laws]") {
    PrecisionScope precision(128);
    const std::vector<IntervalM> deltas = {IntervalM::from_string("0.5")};
    const auto refusal = [&](const std::string& f, const Kernel& k) {
        const auto r = smoothing_refusal(decomposed(f), k, deltas);
        return r ? refusal_message(*r, k) : std::string();
    };
    const Kernel cauchy = kernel_of("student-t", "1");
    CHECK(refusal("x^2 + cos(x)", cauchy) ==
          "term x^2 cannot be smoothed by the cauchy (student-t with nu = 1) kernel: the kernel "
          "has no 2nd "
          "moment; f̂_δ is infinite");
    CHECK(refusal("x - cos(x)", cauchy) ==
          "term x cannot be smoothed by the cauchy (student-t with nu = 1) kernel: the kernel has "
          "no 1st "
          "moment; f̂_δ is undefined");
    CHECK(refusal("-cos(x) - 0.5*cos(3*x)", cauchy).empty());
    CHECK(refusal("x^2", kernel_of("student-t", "3")).empty());
    CHECK(refusal("x^3", kernel_of("student-t", "3")).find("no 3rd moment") != std::string::npos);
    CHECK(refusal("x^2", kernel_of("stable", "1.5")).find("no 2nd moment") != std::string::npos);
    CHECK(refusal("x", kernel_of("stable", "1.5")).empty());
    CHECK(refusal("x", kernel_of("stable", "1")).find("no 1st moment") != std::string::npos);
    CHECK(refusal("x^8", kernel_of("stable", "2")).empty());
    CHECK(refusal("exp(x)", kernel_of("student-t", "5")).find("moment-generating") !=
          std::string::npos);
    CHECK(refusal("exp(x)", kernel_of("laplace", "0")).empty());  // |δw| = 0.5 < 1
    CHECK(refusal("exp(2*x)", kernel_of("laplace", "0")).find("infinite for |t_i| >= 1") !=
          std::string::npos);
    CHECK(refusal("tanh(x)", kernel_of("uniform-cube", "0")).find("verified quadrature") !=
          std::string::npos);
    CHECK(refusal("softplus(x)", cauchy).find("no 1st moment") != std::string::npos);
    // SmoothedFunction refuses the same way (never an infinite enclosure).
    CHECK_THROWS_AS(SmoothedFunction(decomposed("x^2"), cauchy, deltas[0]), InputError);
    // The kernel's parameters are validated.
    CHECK_THROWS_AS(validate_kernel(kernel_of("student-t", "2")), InputError);
    CHECK_THROWS_AS(validate_kernel(kernel_of("student-t", "1003")), InputError);
    CHECK_THROWS_AS(validate_kernel(kernel_of("stable", "2.5")), InputError);
    CHECK_THROWS_AS(validate_kernel(kernel_of("stable", "0")), InputError);
    // E‖u‖ does not exist for Cauchy and α ≤ 1.
    CHECK_FALSE(kernel_has_moment(cauchy, 1));
    CHECK_THROWS_AS(kernel_mean_norm(cauchy), std::domain_error);
    CHECK_THROWS_AS(kernel_mean_norm(kernel_of("stable", "1")), std::domain_error);
}

TEST_CASE("φ kernels in d dimensions: products, isotropy and joint moments",
          "[theory][kernel_laws]") {
    PrecisionScope precision(128);
    const IntervalM a = IntervalM::from_string("0.7"), b = IntervalM::from_string("-1.3");
    // Product kernels factor; isotropic ones depend on ‖t‖ only (and not on d).
    CHECK(overlaps(kernel_characteristic(kernel_of("uniform-cube", "0", 3), {a, b}),
                   sinc(a) * sinc(b)));
    CHECK(overlaps(kernel_characteristic(kernel_of("laplace", "0", 2), {a, b}),
                   kernel_characteristic(kernel_of("laplace", "0"), {a}) *
                       kernel_characteristic(kernel_of("laplace", "0"), {b})));
    const IntervalM norm = sqrt(sqr(a) + sqr(b));
    for (const char* nu : {"1", "3", "9"}) {
        const Kernel k5 = kernel_of("student-t", nu, 5);
        CHECK(overlaps(kernel_characteristic(k5, {a, b}),
                       kernel_characteristic(kernel_of("student-t", nu), {norm})));
    }
    CHECK(overlaps(kernel_characteristic(kernel_of("stable", "1.5", 2), {a, b}),
                   exp(-pow(norm, IntervalM::from_string("1.5")))));
    // Student-t joint moment E u1² u2² = ν²/((ν−2)(ν−4)) (not the product of marginals).
    CHECK(overlaps(kernel_moment(kernel_of("student-t", "7", 2), {2, 2}),
                   IntervalM(49) / IntervalM(15)));
    CHECK_THROWS_AS(kernel_moment(kernel_of("student-t", "3", 2), {2, 2}), std::domain_error);
    CHECK(overlaps(kernel_moment(kernel_of("laplace", "0", 2), {2, 4}), IntervalM(48)));
    CHECK(overlaps(kernel_moment(kernel_of("stable", "2", 2), {2, 2}), IntervalM(4)));
    // E‖u‖ brackets of the cube in d = 3 contain the Monte-Carlo-free bounds' witnesses.
    const IntervalM cube3 = kernel_mean_norm(kernel_of("uniform-cube", "0", 3));
    CHECK(contains(cube3, IntervalM::from_string("0.9607")));  // E‖u‖ ≈ 0.96059 (quadrature)
}
