// Family files: the built-in ones load with the expected contents; every error class produces
// a one-line message naming the file, the line and the problem.
#include "verify/family_file.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "numerics/expr/decompose.hpp"
#include "numerics/expr/rational.hpp"

using namespace gradcert;
using namespace gradcert::verify;

namespace {

const std::filesystem::path kFamilies =
    std::filesystem::path(GRADCERT_SOURCE_DIR) / "verify/families";

FamilySpec builtin(const std::string& name) {
    return load_family(kFamilies / (name + ".toml"), {});
}

// A valid family; tests replace one line at a time.
const std::string kValid = R"(name = "test-family"
dim = 2
params = { a = 10.0, b = 0.1 }
f = "x1^2 + x2^2 - a*cos(2*pi*x1) + b*x2"
domain = [[-5.12, 5.12], [-1, 2]]
[smoothing]
kernel = "gaussian"
[schedule]
deltas = [0.08, 0.04, 0.02]
[check]
definition = "new-sigma-nice"
sigma = 2.0
centering = "both"
)";

// kValid with the line starting with `prefix` replaced by `line` ("" deletes it).
std::string with_line(const std::string& prefix, const std::string& line) {
    std::string out;
    std::size_t start = 0;
    bool replaced = false;
    while (start < kValid.size()) {
        const std::size_t end = kValid.find('\n', start);
        const std::string current = kValid.substr(start, end - start);
        if (!replaced && current.rfind(prefix, 0) == 0) {
            if (!line.empty()) out += line + "\n";
            replaced = true;
        } else {
            out += current + "\n";
        }
        start = end + 1;
    }
    REQUIRE(replaced);
    return out;
}

std::string error_of(const std::string& text,
                     const std::map<std::string, std::string>& overrides = {}) {
    try {
        (void)parse_family(text, "fam.toml", overrides);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a valid family text is read exactly", "[family]") {
    const FamilySpec s = parse_family(kValid, "fam.toml", {});
    CHECK(s.name == "test-family");
    CHECK(s.file == "fam.toml");
    CHECK(s.dim == 2);
    CHECK(s.params_text == std::map<std::string, std::string>{{"a", "10.0"}, {"b", "0.1"}});
    CHECK(s.f_line == 4);
    CHECK(s.kernel == KernelKind::gaussian);
    CHECK(s.definition == Definition::new_sigma_nice);
    CHECK(s.centering == Centering::both);
    REQUIRE(s.sigma);
    CHECK(contains(*s.sigma, Mpfr(2)));
    CHECK(s.sigma_text == "2.0");
    REQUIRE(s.deltas.size() == 3);
    // 0.08 is read as 2/25 exactly, not as the nearest double.
    CHECK(!contains(s.deltas[0], Mpfr(0.08)));
    CHECK(overlaps(s.deltas[0], IntervalM::from_string("0.08")));
    CHECK(s.schedule_text == "deltas = [0.08, 0.04, 0.02]");
    REQUIRE(s.domain.size() == 2);
    CHECK(contains(s.domain[1].first, Mpfr(-1)));
    CHECK(contains(s.domain[1].second, Mpfr(2)));
    CHECK(s.precision_bits == 128);
    CHECK(s.max_boxes == 50000);  // the default check applies (20000 was never used)
    // b = 0.1 enters f as the exact rational 1/10.
    bool found_b = false;
    for (const expr::Monomial& m : s.decomposition.poly.terms)
        if (m.exponents == std::vector<int>{0, 1}) {
            found_b = true;
            CHECK(overlaps(m.coeff, IntervalM::from_string("0.1")));
            CHECK(m.coeff.width() < Mpfr(1e-30));
        }
    CHECK(found_b);
    CHECK(s.decomposition.ridges.size() == 1);
}

TEST_CASE("parameter overrides given with --set", "[family]") {
    const FamilySpec s = parse_family(kValid, "fam.toml", {{"a", "5"}});
    CHECK(s.params_text.at("a") == "5");
    CHECK(contains(s.params.at("a"), Mpfr(5)));
    REQUIRE(s.decomposition.ridges.size() == 1);
    CHECK(contains(s.decomposition.ridges[0].coeff, Mpfr(-5)));
    CHECK(error_of(kValid, {{"c", "1"}}) ==
          "fam.toml: --set c=1: the family has no parameter 'c' (parameters: a, b)");
    CHECK(error_of(kValid, {{"a", "nan"}}) ==
          "fam.toml: --set a=nan: the value is not a finite number");
    CHECK(error_of(kValid, {{"a", "-inf"}}) ==
          "fam.toml: --set a=-inf: the value is not a finite number");
    CHECK(error_of(kValid, {{"a", "ten"}}) ==
          "fam.toml: --set a=ten: the value is not a decimal number");
    CHECK(error_of(with_line("params", ""), {{"a", "1"}}) ==
          "fam.toml: --set a=1: the family has no parameter 'a' (it has no parameters)");
}

TEST_CASE("TOML syntax errors, unknown and missing keys", "[family]") {
    CHECK(error_of(with_line("dim", "dim = = 2")).rfind("fam.toml:2: TOML syntax error: ", 0) == 0);
    CHECK(error_of(with_line("domain", "domian = [[-5.12, 5.12], [-1, 2]]")) ==
          "fam.toml:5: unknown key 'domian' in the top level (known keys: name, description, dim, "
          "params, f, domain, smoothing, schedule, check)");
    CHECK(error_of(with_line("deltas", "delta = [0.08, 0.04]")) ==
          "fam.toml:9: unknown key 'delta' in [schedule] (known keys: deltas, delta1, stages, "
          "power)");
    CHECK(error_of(with_line("sigma", "sigmaa = 2.0"))
              .find("fam.toml:12: unknown key 'sigmaa' in [check]") == 0);
    CHECK(error_of(with_line("kernel", "kernel = \"gaussian\"\nwidth = 2"))
              .find("fam.toml:8: unknown key 'width' in [smoothing]") == 0);
    CHECK(error_of(with_line("f =", "")) == "fam.toml: missing f (the function)");
    CHECK(error_of(with_line("name", "")) == "fam.toml: missing name");
    CHECK(error_of(with_line("[check]", "[checks]")).find("fam.toml:10: unknown key 'checks'") ==
          0);
}

TEST_CASE("wrong types, dimensions and domains", "[family]") {
    CHECK(error_of(with_line("dim", "dim = \"2\"")) ==
          "fam.toml:2: dim must be an integer, found a string");
    CHECK(error_of(with_line("dim", "dim = 0")) == "fam.toml:2: dim = 0 is outside 1..100000");
    CHECK(error_of(with_line("f =", "f = \"x1^2 + x3\"")) ==
          "fam.toml:4: f, column 8: x3 is not a variable of this 2-dimensional family (variables: "
          "x1, x2)");
    CHECK(error_of(with_line("f =", "f = \"x1^2 + y\""))
              .find("fam.toml:4: f, column 8: unknown name 'y'") == 0);
    CHECK(error_of(with_line("f =", "f = 3")) ==
          "fam.toml:4: f must be a string, found an integer");
    CHECK(error_of(with_line("domain", "domain = [[-5.12, 5.12]]")) ==
          "fam.toml:5: domain has 1 intervals but dim = 2");
    CHECK(error_of(with_line("domain", "domain = [[-5.12, 5.12], [2, 2]]")) ==
          "fam.toml:5: domain[2] = [2, 2]: lo >= hi");
    CHECK(error_of(with_line("domain", "domain = [[-5.12, 5.12], [3.5, -1]]")) ==
          "fam.toml:5: domain[2] = [3.5, -1]: lo >= hi");
    CHECK(error_of(with_line("domain", "domain = [[-5.12, 5.12], [1, 2, 3]]")) ==
          "fam.toml:5: domain[2] must be a pair [lo, hi]");
    CHECK(error_of(with_line("domain", "domain = [[-5.12, 5.12], [-inf, 2]]")) ==
          "fam.toml:5: domain[2].lo = -inf is not a finite number");
    CHECK(error_of(with_line("domain", "domain = [[-5.12, 5.12], [\"0\", 2]]")) ==
          "fam.toml:5: domain[2].lo must be a number, found a string");
}

TEST_CASE("schedule errors", "[family]") {
    CHECK(error_of(with_line("deltas", "deltas = []")) ==
          "fam.toml:9: the schedule deltas is empty");
    CHECK(error_of(with_line("deltas", "deltas = [0.08, 0.08, 0.02]")) ==
          "fam.toml:9: deltas[2] = 0.08 is not smaller than deltas[1] = 0.08 (the schedule must be "
          "strictly decreasing)");
    CHECK(error_of(with_line("deltas", "deltas = [0.08, 0.09]"))
              .find("deltas[2] = 0.09 is not smaller") != std::string::npos);
    CHECK(error_of(with_line("deltas", "deltas = [0.08, 0.0]")) ==
          "fam.toml:9: deltas[2] = 0.0 is not > 0");
    CHECK(error_of(with_line("deltas", "deltas = [0.08, -0.01]")) ==
          "fam.toml:9: deltas[2] = -0.01 is not > 0");
    CHECK(error_of(with_line("deltas", "deltas = [nan, 0.04]")) ==
          "fam.toml:9: deltas[1] = nan is not a finite number");
    CHECK(error_of(with_line("deltas", "deltas = [inf, 0.04]")) ==
          "fam.toml:9: deltas[1] = inf is not a finite number");
    CHECK(error_of(with_line("deltas", "deltas = [0.08,\n  0.04,\n  0.04]")) ==
          "fam.toml:11: deltas[3] = 0.04 is not smaller than deltas[2] = 0.04 (the schedule must "
          "be strictly decreasing)");
    CHECK(error_of(with_line("deltas", "deltas = [0.08]\ndelta1 = 1.0")) ==
          "fam.toml:8: [schedule]: give either deltas or delta1/stages/power, not both");
    CHECK(error_of(with_line("deltas", "")) ==
          "fam.toml:8: [schedule]: give deltas = [...] or delta1, stages and power");
    CHECK(error_of(with_line("deltas", "delta1 = 1.0\nstages = 10"))
              .find("fam.toml:8: missing [schedule] power") == 0);
    CHECK(error_of(with_line("deltas", "delta1 = 1.0\nstages = 0\npower = 1")) ==
          "fam.toml:10: stages = 0 is outside 1..10000");
    CHECK(error_of(with_line("deltas", "delta1 = 1.0\nstages = 5\npower = 0")) ==
          "fam.toml:11: power = 0 is not > 0");
    CHECK(error_of(with_line("deltas", "delta1 = -1.0\nstages = 5\npower = 1")) ==
          "fam.toml:9: delta1 = -1.0 is not > 0");

    const FamilySpec p =
        parse_family(with_line("deltas", "delta1 = 1.0\nstages = 4\npower = 0.5"), "fam.toml", {});
    REQUIRE(p.deltas.size() == 4);
    REQUIRE(p.polynomial_schedule);
    CHECK(p.polynomial_schedule->stages == 4);
    // δ_m = ((5 − m)/4)^{1/2}: 1, √3/2, √2/2, 1/2.
    CHECK(contains(p.deltas[0], Mpfr(1)));
    CHECK(overlaps(p.deltas[1], sqrt(IntervalM(3)) / 2));
    CHECK(overlaps(p.deltas[2], sqrt(IntervalM(2)) / 2));
    CHECK(contains(p.deltas[3], Mpfr(0.5)));
    CHECK(p.schedule_text == "delta1 = 1.0, stages = 4, power = 0.5");
}

TEST_CASE("check section errors", "[family]") {
    CHECK(error_of(with_line("sigma", "sigma = 0")) == "fam.toml:12: sigma = 0 is not > 0");
    CHECK(error_of(with_line("sigma", "sigma = -2.5")) == "fam.toml:12: sigma = -2.5 is not > 0");
    CHECK(error_of(with_line("sigma", "sigma = nan")) ==
          "fam.toml:12: sigma = nan is not a finite number");
    CHECK(error_of(with_line("sigma", "")) ==
          "fam.toml:10: [check] sigma is required for definition = new-sigma-nice");
    CHECK(error_of(with_line("kernel", "kernel = \"gauss\"")) ==
          "fam.toml:7: unknown kernel 'gauss' (known: uniform-ball, gaussian-unit, gaussian, "
          "uniform-cube, laplace, student-t, cauchy, stable)");
    CHECK(
        error_of(with_line("definition", "definition = \"nice\"")) ==
        "fam.toml:11: unknown definition 'nice' (known: sigma-nice, new-sigma-nice, sigma-m-nice)");
    CHECK(error_of(with_line("centering", "centering = \"half\"")) ==
          "fam.toml:13: unknown centering 'half' (known: next, gap, both)");
    CHECK(error_of(with_line("centering", "precision_bits = 8")) ==
          "fam.toml:13: precision_bits = 8 is outside 53..65536");
    // sigma-m-nice reports σ_m and needs no sigma; a given sigma is kept.
    const std::string sigma_m = with_line("definition", "definition = \"sigma-m-nice\"");
    const FamilySpec with_sigma = parse_family(sigma_m, "fam.toml", {});
    CHECK(with_sigma.definition == Definition::sigma_m_nice);
    CHECK(with_sigma.sigma);
    std::string without = sigma_m;
    without.erase(without.find("sigma = 2.0\n"), std::string("sigma = 2.0\n").size());
    const FamilySpec no_sigma = parse_family(without, "fam.toml", {});
    CHECK(no_sigma.definition == Definition::sigma_m_nice);
    CHECK(!no_sigma.sigma);
    const FamilySpec hi =
        parse_family(with_line("centering", "precision_bits = 256"), "fam.toml", {});
    CHECK(hi.precision_bits == 256);
    CHECK(precision_bits(hi.deltas[0]) == 256);
    CHECK(precision_bits(*hi.sigma) == 256);
    CHECK(precision_bits(hi.decomposition.ridges.at(0).w[0]) == 256);  // 2π
    CHECK(hi.decomposition.ridges.at(0).w[0].width() < Mpfr(1e-70));
    const FamilySpec c = parse_family(with_line("centering", "max_boxes = 7"), "fam.toml", {});
    CHECK(c.centering == Centering::both);  // the default
    CHECK(c.max_boxes == 7);
}

TEST_CASE("parameters: NaN, infinite, reserved names, exact text", "[family]") {
    CHECK(error_of(with_line("params", "params = { a = nan, b = 0.1 }")) ==
          "fam.toml:3: params.a = nan is not a finite number");
    CHECK(error_of(with_line("params", "params = { a = -inf, b = 0.1 }")) ==
          "fam.toml:3: params.a = -inf is not a finite number");
    CHECK(error_of(with_line("params", "params = { a = \"10\", b = 0.1 }")) ==
          "fam.toml:3: params.a must be a number, found a string");
    CHECK(error_of(with_line("params", "params = { a = 10, b = 0.1, pi = 3 }")) ==
          "fam.toml:3: the parameter name 'pi' is reserved (pi, e, dim, x, x<k>, sum and the "
          "functions)");
    const FamilySpec h =
        parse_family(with_line("params", "params = { a = 0x0A, b = 1_000.5e-4 }"), "fam.toml", {});
    CHECK(h.params_text.at("a") == "10");
    CHECK(h.params_text.at("b") == "1000.5e-4");
}

TEST_CASE("f outside the decomposable class is refused where a Hessian is needed", "[family]") {
    CHECK(error_of(with_line("f =", "f = \"x1^2 + abs(x2)\"")) ==
          "fam.toml:4: f, column 8: 'abs(x2)' is outside the supported class: abs is not "
          "differentiable where its argument vanishes, and a Hessian is needed");
    CHECK(error_of(with_line("f =", "f = \"x1*cos(x2)\""))
              .find("fam.toml:4: f, column 1: 'x1*cos(x2)' is outside") == 0);
}

TEST_CASE("a missing file is an input error", "[family]") {
    CHECK_THROWS_WITH(load_family(kFamilies / "no-such-family.toml", {}),
                      Catch::Contains("no-such-family.toml: cannot open the family file"));
}

TEST_CASE("every built-in family file loads", "[family]") {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kFamilies)) {
        if (entry.path().extension() != ".toml") continue;
        INFO(entry.path());
        const FamilySpec s = load_family(entry.path(), {});
        CHECK(s.name == entry.path().stem().string());
        CHECK(!s.description.empty());
        CHECK(s.deltas.size() >= 2);
        CHECK(static_cast<int>(s.domain.size()) == s.dim);
        // A closed-form family has a decomposition; one without is smoothed by cubature.
        CHECK(s.cubature != !s.decomposition.poly.terms.empty());
        ++count;
    }
    CHECK(count == 15);
}

TEST_CASE("built-in families have the intended contents", "[family]") {
    const FamilySpec q = builtin("quadratic-2d");
    REQUIRE(q.sigma);
    const IntervalM lambda_min = (5 - sqrt(IntervalM(5))) / 2;
    CHECK(certainly_lt(*q.sigma, lambda_min));
    CHECK(certainly_gt(*q.sigma, lambda_min - IntervalM::from_string("1e-6")));
    CHECK(q.decomposition.ridges.empty());
    CHECK(q.decomposition.poly.degree() == 2);

    const FamilySpec rg = builtin("rastrigin-1d-gaussian");
    CHECK(rg.kernel == KernelKind::gaussian);
    REQUIRE(rg.deltas.size() == 8);
    const IntervalM twelfth = IntervalM(1) / 12;
    bool above = false, below = false, nonconvex = false;
    for (const IntervalM& d : rg.deltas) {
        above = above || certainly_gt(d, twelfth);
        below = below || certainly_lt(d, twelfth);
        nonconvex = nonconvex || (certainly_gt(d, 0.08364) && certainly_lt(d, 0.51745));
    }
    CHECK((above && below && nonconvex));
    // γ_m ∈ [1/2, 1): two ratios are exactly 1/2 (0.15/0.3, 0.025/0.05), which the quotient of
    // two decimal enclosures contains but cannot certify; the exact decimals can.
    for (std::size_t m = 0; m + 1 < rg.deltas.size(); ++m) {
        const IntervalM gamma = rg.deltas[m + 1] / rg.deltas[m];
        CHECK(!certainly_lt(gamma, 0.5));
        CHECK(certainly_lt(gamma, 1.0));
        const auto exact = *expr::parse_signed_decimal(rg.delta_texts[m + 1]) /
                           *expr::parse_signed_decimal(rg.delta_texts[m]);
        CHECK(exact >= expr::Rational(1, 2));
    }
    CHECK(builtin("rastrigin-1d-ball").kernel == KernelKind::uniform_ball);

    const FamilySpec dw = builtin("double-well-tilted");
    REQUIRE(dw.deltas.size() == 20);
    CHECK(contains(dw.deltas.front(), Mpfr(1)));
    CHECK(overlaps(dw.deltas.back(), IntervalM::from_string("0.05")));

    const FamilySpec cq = builtin("cos-quadratic-2d");
    CHECK(cq.kernel == KernelKind::gaussian_unit);
    REQUIRE(cq.decomposition.ridges.size() == 1);

    const FamilySpec gw = builtin("griewank-2d");
    CHECK(gw.deltas.size() == 20);
    REQUIRE(gw.decomposition.ridges.size() == 2);
    CHECK(!gw.decomposition.separable());

    const FamilySpec lr = builtin("logistic-regression");
    REQUIRE(lr.decomposition.ridges.size() == 8);
    for (const expr::RidgeTerm& r : lr.decomposition.ridges) {
        CHECK(r.g == expr::RidgeFunction::softplus);
        CHECK(contains(r.coeff, Mpfr(0.125)));
    }
    CHECK(lr.kernel == KernelKind::gaussian_unit);

    const FamilySpec r50 = builtin("rastrigin-50d");
    CHECK(r50.dim == 50);
    REQUIRE(r50.deltas.size() == 51);
    CHECK(contains(r50.deltas.front(), Mpfr(1)));
    CHECK(overlaps(r50.deltas[1], IntervalM(50) / 51 + IntervalM::from_string("[-1e-20, 1e-20]")));
    CHECK(overlaps(r50.deltas.back(), IntervalM::from_string("0.01")));
    CHECK(r50.decomposition.separable());
    CHECK(r50.decomposition.ridges.size() == 50);
    REQUIRE(r50.decomposition.poly.terms.size() == 51);  // the constant 500 and 50 squares
}

TEST_CASE("issue 16: directories, line breaks in values, stage counts", "[family]") {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "gradcert-dir.toml";
    std::filesystem::create_directories(dir);
    try {
        (void)load_family(dir, {});
        FAIL("a directory was read as a family file");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()) == dir.string() + ": is a directory, not a family file");
    }
    std::filesystem::remove(dir);
    CHECK(error_of(with_line("kernel", "kernel = \"gaus\\nsian\"")) ==
          "fam.toml:7: unknown kernel 'gaus\\nsian' (known: uniform-ball, gaussian-unit, "
          "gaussian, uniform-cube, laplace, student-t, cauchy, stable)");
    CHECK(error_of(with_line("deltas", "delta1 = 1.0\nstages = 1000000\npower = 1")) ==
          "fam.toml:10: stages = 1000000 is outside 1..10000");
    std::string many = "deltas = [";
    for (int k = 0; k < 10001; ++k) many += (k ? ", " : "") + std::to_string(20000 - k) + ".0";
    CHECK(error_of(with_line("deltas", many + "]")) ==
          "fam.toml:9: the schedule has 10001 deltas, more than the limit 10000");
}

TEST_CASE("kernels given by φ and moments: [smoothing] nu and alpha, refused terms",
          "[family][phi-kernel]") {
    const auto kernel = [](const std::string& lines) { return with_line("kernel", lines); };
    CHECK(error_of(kernel("kernel = \"student-t\"")) ==
          "fam.toml:6: [smoothing] kernel = 'student-t' needs nu (an odd integer >= 1)");
    CHECK(error_of(kernel("kernel = \"student-t\"\nnu = 4")) ==
          "fam.toml:8: [smoothing] nu = 4 must be odd (φ has a closed form for odd ν only)");
    CHECK(error_of(kernel("kernel = \"student-t\"\nnu = -1")) ==
          "fam.toml:8: [smoothing] nu = -1 is outside 1..1001");
    CHECK(error_of(kernel("kernel = \"student-t\"\nnu = 1.5")) ==
          "fam.toml:8: [smoothing] nu must be an integer, found a floating-point number");
    CHECK(error_of(kernel("kernel = \"laplace\"\nnu = 3")) ==
          "fam.toml:8: [smoothing] nu applies only to kernel = 'student-t', not 'laplace'");
    CHECK(error_of(kernel("kernel = \"cauchy\"\nnu = 1")) ==
          "fam.toml:8: [smoothing] nu applies only to kernel = 'student-t', not 'cauchy'");
    CHECK(error_of(kernel("kernel = \"stable\"")) ==
          "fam.toml:6: [smoothing] kernel = 'stable' needs alpha in (0, 2]");
    CHECK(error_of(kernel("kernel = \"stable\"\nalpha = 2.0001")) ==
          "fam.toml:8: [smoothing] alpha = 2.0001 is outside (0, 2]");
    CHECK(error_of(kernel("kernel = \"stable\"\nalpha = 0")) ==
          "fam.toml:8: [smoothing] alpha = 0 is outside (0, 2]");
    CHECK(error_of(kernel("kernel = \"gaussian\"\nalpha = 1")) ==
          "fam.toml:8: [smoothing] alpha applies only to kernel = 'stable', not 'gaussian'");
    // kValid's f has b*x2, x2^2 and x1^2 (in that order): no 1st / 2nd moment under Cauchy or
    // stable α < 2.
    CHECK(error_of(kernel("kernel = \"cauchy\"")) ==  // b*x2 comes first (exponent order)
          "fam.toml:4: f: term x2 cannot be smoothed by the cauchy (student-t with nu = 1) "
          "kernel: the kernel has no 1st moment; f̂_δ is undefined");
    CHECK(error_of(kernel("kernel = \"stable\"\nalpha = 1.999")) ==
          "fam.toml:4: f: term x2^2 cannot be smoothed by the stable (alpha = 1.999) kernel: the "
          "kernel has no 2nd moment; f̂_δ is infinite");
    // Accepted: every term has its moments.
    for (const char* ok : {"kernel = \"uniform-cube\"", "kernel = \"laplace\"",
                           "kernel = \"student-t\"\nnu = 3", "kernel = \"stable\"\nalpha = 2"})
        CHECK(error_of(kernel(ok)) == "no error");
    // exp under Laplace: E e^{δwu} is finite only for |δw| < 1 at every stage (δ_1 = 0.08).
    const std::string laplace = with_line("kernel", "kernel = \"laplace\"");
    const auto with_f = [&](const std::string& f) {
        std::string t = laplace;
        const std::size_t at = t.find("f = ");
        t.replace(at, t.find('\n', at) - at, "f = \"" + f + "\"");
        return t;
    };
    CHECK(error_of(with_f("x1^2 + x2^2 + exp(12*x1)")) == "no error");
    CHECK(error_of(with_f("x1^2 + x2^2 + exp(12.5*x1)"))
              .find("term exp(12.5*x1) cannot be smoothed by the laplace kernel") !=
          std::string::npos);
    // The kernel's parameters reach the check.
    const FamilySpec t3 = parse_family(kernel("kernel = \"student-t\"\nnu = 3"), "fam.toml", {});
    CHECK(spec_kernel(t3).kind == gradcert::theory::Kernel::Kind::student_t);
    CHECK(spec_kernel(t3).nu == 3);
    const FamilySpec c = parse_family(with_f("1 - cos(x1) + x2^2"), "fam.toml", {});
    CHECK(spec_kernel(c).kind == gradcert::theory::Kernel::Kind::laplace);
}

// Issue 11: in dimension 1 an f without closed-form smoothing goes to verified cubature when a
// growth bound is derived and the kernel is Gaussian; otherwise it is refused with the term.
namespace {

const std::string kOneDim = R"toml(name = "one-dim"
dim = 1
f = "-(1 + cos(12*x))/(0.5*x^2 + 2)"
domain = [[-5.12, 5.12]]
[smoothing]
kernel = "gaussian"
[schedule]
deltas = [0.4, 0.2]
[check]
definition = "sigma-m-nice"
)toml";

std::string one_dim(const std::string& from, const std::string& to) {
    std::string s = kOneDim;
    const std::size_t at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
}

std::string one_dim_error(const std::string& text) {
    try {
        parse_family(text, "fam.toml", {});
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("1-D f without closed form is smoothed by cubature or refused by name", "[family]") {
    const FamilySpec dw = parse_family(kOneDim, "fam.toml", {});
    CHECK(dw.cubature);
    CHECK(dw.growth.size() == 1);
    CHECK(dw.cubature_reason.find("division by the non-constant") != std::string::npos);
    CHECK(builtin("dropwave-1d-gaussian").cubature);
    CHECK(builtin("schwefel-1d-gaussian").cubature);
    CHECK_FALSE(builtin("rastrigin-1d-gaussian").cubature);
    CHECK(
        parse_family(one_dim("kernel = \"gaussian\"", "kernel = \"gaussian-unit\""), "fam.toml", {})
            .cubature);
    CHECK(parse_family(one_dim("kernel = \"gaussian\"", "kernel = \"stable\"\nalpha = 2"),
                       "fam.toml", {})
              .cubature);
    CHECK(one_dim_error(one_dim("-(1 + cos(12*x))/(0.5*x^2 + 2)", "exp(x^2)")) ==
          "fam.toml:3: f: term 'exp(x^2)' cannot be smoothed by verified cubature: exp of a "
          "non-constant has no polynomial growth bound (no closed form either: f, column 1: "
          "'exp(x^2)' is outside the supported class: the argument of exp is not affine in the "
          "variables)");
    CHECK(one_dim_error(one_dim("-(1 + cos(12*x))/(0.5*x^2 + 2)", "1/x + x^2")) ==
          "fam.toml:3: f: term '1/x' cannot be smoothed by verified cubature: the divisor 'x' is "
          "linear: it vanishes somewhere (no closed form either: f, column 1: '1/x' is outside "
          "the supported class: division by the non-constant 'x')");
    CHECK(one_dim_error(one_dim("kernel = \"gaussian\"", "kernel = \"laplace\"")) ==
          "fam.toml:3: f has no closed-form smoothing (f, column 1: '-(1 + cos(12*x))/(0.5*x^2 + "
          "2)' is outside the supported class: division by the non-constant '0.5*x^2 + 2') and "
          "verified cubature is implemented for the gaussian, gaussian-unit and stable (alpha = "
          "2) kernels only, not laplace");
    CHECK(one_dim_error(one_dim("kernel = \"gaussian\"", "kernel = \"stable\"\nalpha = 1.5"))
              .find("not stable") != std::string::npos);
}
