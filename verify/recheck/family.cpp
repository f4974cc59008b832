#include "verify/recheck/family.hpp"

#include "numerics/expr/expr.hpp"
#include "numerics/expr/rational.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::recheck {

using nlohmann::json;

const json& field(const json& j, const char* key, const std::string& where) {
    if (!j.is_object() || !j.contains(key)) throw Malformed(where + ": missing \"" + key + "\"");
    return j.at(key);
}

std::string text_field(const json& j, const char* key, const std::string& where) {
    const json& v = field(j, key, where);
    if (!v.is_string()) throw Malformed(where + ": \"" + key + "\" must be a string");
    return v.get<std::string>();
}

Verdict verdict_of(const json& j, const std::string& where) {
    if (j == "holds") return Verdict::holds;
    if (j == "fails") return Verdict::fails;
    if (j == "inconclusive") return Verdict::inconclusive;
    throw Malformed(where + ": " + j.dump() + " is not holds, fails or inconclusive");
}

const char* name(Verdict v) {
    return v == Verdict::holds ? "holds" : v == Verdict::fails ? "fails" : "inconclusive";
}

namespace {

Kernel kernel_named(const std::string& k) {
    if (k == "uniform-ball") return Kernel::uniform_ball;
    if (k == "gaussian-unit") return Kernel::gaussian_unit;
    if (k == "gaussian") return Kernel::gaussian;
    if (k == "uniform-cube") return Kernel::uniform_cube;
    if (k == "laplace") return Kernel::laplace;
    if (k == "student-t") return Kernel::student_t;
    if (k == "stable") return Kernel::stable;
    throw Malformed("family.kernel: unknown kernel \"" + k + "\"");
}

Rat decimal(const nlohmann::json& j, const std::string& where);

// The kernel with its parameters: kernel_nu (student-t: odd integer >= 1) and kernel_alpha
// (stable: decimal text in (0, 2]), present exactly for those kernels.
KernelLaw kernel_law(const nlohmann::json& block, const std::string& where) {
    KernelLaw law(kernel_named(text_field(block, "kernel", where)));
    const bool t = law.kind == Kernel::student_t, st = law.kind == Kernel::stable;
    if (block.contains("kernel_nu") != t)
        throw Malformed(std::string("family.kernel_nu must be given exactly for student-t"));
    if (block.contains("kernel_alpha") != st)
        throw Malformed(std::string("family.kernel_alpha must be given exactly for stable"));
    if (t) {
        const nlohmann::json& nu = block.at("kernel_nu");
        if (!nu.is_number_integer() || nu.get<long>() < 1 || nu.get<long>() % 2 == 0 ||
            nu.get<long>() > 1001)
            throw Malformed("family.kernel_nu must be an odd integer in 1..1001");
        law.nu = nu.get<long>();
    }
    if (st) {
        Rat a = decimal(block.at("kernel_alpha"), "family.kernel_alpha");
        fmpq_t two;
        fmpq_init(two);
        fmpq_set_si(two, 2, 1);
        const bool ok = fmpq_sgn(a.p()) > 0 && fmpq_cmp(a.p(), two) <= 0;
        fmpq_clear(two);
        if (!ok) throw Malformed("family.kernel_alpha must be in (0, 2]");
        law.alpha = a;
    }
    return law;
}

Definition definition_named(const std::string& d) {
    if (d == "sigma-nice") return Definition::sigma_nice;
    if (d == "new-sigma-nice") return Definition::new_sigma_nice;
    if (d == "sigma-m-nice") return Definition::sigma_m_nice;
    throw Malformed("family.definition: unknown definition \"" + d + "\"");
}

Rat decimal(const json& j, const std::string& where) {
    if (!j.is_string()) throw Malformed(where + " must be a decimal text");
    return parse_decimal_exact(j.get<std::string>(), where);
}

// δ_m = δ_1((M − m + 1)/M)^p, m = 1..M; also as exact rationals when p is an integer.
void polynomial_schedule(const json& s, Family& fam) {
    const Rat d1 = decimal(field(s, "delta1", "family.schedule"), "family.schedule.delta1");
    const Rat pq = decimal(field(s, "power", "family.schedule"), "family.schedule.power");
    const Ball delta1 = ball(d1), p = ball(pq);
    const bool integer_power =
        fmpz_is_one(fmpq_denref(pq.p())) && fmpz_bits(fmpq_numref(pq.p())) <= 6;
    const json& stages = field(s, "stages", "family.schedule");
    if (!stages.is_number_integer() || stages.get<long>() < 1 || stages.get<long>() > 100000)
        throw Malformed("family.schedule.stages must be a positive integer");
    const long M = stages.get<long>();
    for (long m = 1; m <= M; ++m) {
        if (integer_power) {
            Rat q;
            fmpq_set_si(q.p(), M - m + 1, static_cast<ulong>(M));
            fmpq_pow_si(q.p(), q.p(), fmpz_get_si(fmpq_numref(pq.p())));
            fmpq_mul(q.p(), q.p(), d1.p());
            fam.deltas.push_back(ball(q));
            fam.exact_deltas.emplace_back(q);
            continue;
        }
        Ball ratio, d;
        arb_set_si(ratio.p(), M - m + 1);
        arb_div_si(ratio.p(), ratio.p(), M, prec());
        arb_pow(d.p(), ratio.p(), p.p(), prec());
        arb_mul(d.p(), d.p(), delta1.p(), prec());
        fam.deltas.push_back(d);
        fam.exact_deltas.emplace_back();
    }
}

expr::Expr parse_f(const std::string& text, int dim, const json& params) {
    expr::ParseContext ctx;
    ctx.file = "certificate family.f";
    ctx.dim = dim;
    for (const auto& [key, value] : params.items()) {
        const std::string t = value.is_string() ? value.get<std::string>() : "";
        const auto q = expr::parse_signed_decimal(t);
        if (!q) throw Malformed("family.params." + key + " must be a decimal text");
        ctx.params[key] = expr::enclose(*q);
        ctx.param_texts[key] = t;
    }
    try {
        return expr::parse(text, ctx);
    } catch (const InputError& e) {
        throw Malformed(std::string("family.f: ") + e.what());
    }
}

}  // namespace

Family read_family(const json& block, slong precision_bits) {
    const std::string where = "family";
    Family fam;
    fam.precision_bits = precision_bits;
    fam.name = text_field(block, "name", where);
    const json& dim = field(block, "dim", where);
    if (!dim.is_number_integer() || dim.get<long>() < 1 || dim.get<long>() > 10000)
        throw Malformed("family.dim must be a positive integer");
    fam.dim = dim.get<int>();
    const json params = block.contains("params") ? block.at("params") : json::object();
    if (!params.is_object()) throw Malformed("family.params must be an object");
    std::map<std::string, Ball> param_balls;
    for (const auto& [key, value] : params.items())
        param_balls[key] = ball(decimal(value, "family.params." + key));
    const expr::Expr f = parse_f(text_field(block, "f", where), fam.dim, params);
    fam.terms = expand(f, param_balls);

    const json& domain = field(block, "domain", where);
    if (!domain.is_array() || domain.size() != static_cast<std::size_t>(fam.dim))
        throw Malformed("family.domain must have one interval per coordinate");
    for (std::size_t i = 0; i < domain.size(); ++i) {
        const std::string w = "family.domain[" + std::to_string(i) + "]";
        if (!domain[i].is_array() || domain[i].size() != 2)
            throw Malformed(w + " must be [lo, hi]");
        Rat lo = decimal(domain[i][0], w), hi = decimal(domain[i][1], w);
        if (fmpq_cmp(lo.p(), hi.p()) >= 0) throw Malformed(w + ": lo must be < hi");
        fam.outer.push_back({enclose(lo, precision_bits).lo, enclose(hi, precision_bits).hi});
        fam.domain.emplace_back(lo, hi);
    }
    fam.kernel = kernel_law(block, where);
    const json& schedule = field(block, "schedule", where);
    if (schedule.contains("deltas")) {
        const json& ds = schedule.at("deltas");
        if (!ds.is_array() || ds.empty()) throw Malformed("family.schedule.deltas must be a list");
        for (const json& d : ds) {
            fam.exact_deltas.emplace_back(decimal(d, "family.schedule.deltas"));
            fam.deltas.push_back(ball(*fam.exact_deltas.back()));
        }
    } else {
        polynomial_schedule(schedule, fam);
    }
    for (const Ball& d : fam.deltas)
        if (!arb_is_positive(d.p())) throw Malformed("family.schedule: a delta is not > 0");
    fam.definition = definition_named(text_field(block, "definition", where));
    const json& sigma = field(block, "sigma", where);
    if (!sigma.is_null()) fam.sigma = ball(decimal(sigma, "family.sigma"));
    if (fam.definition != Definition::sigma_m_nice && !fam.sigma)
        throw Malformed("family.sigma is null but the definition needs sigma");
    const std::string centering = text_field(block, "centering", where);
    if (fam.definition == Definition::sigma_nice)
        fam.centering = {"half"};
    else if (centering == "both")
        fam.centering = {"next", "gap"};
    else if (centering == "next" || centering == "gap")
        fam.centering = {centering};
    else
        throw Malformed("family.centering: unknown centering \"" + centering + "\"");
    return fam;
}

namespace {

bool same_decimal(const json& a, const json& b) {
    if (a.is_string() != b.is_string()) return a == b;
    if (!a.is_string()) return a == b;
    try {
        return fmpq_equal(parse_decimal_exact(a, "").p(), parse_decimal_exact(b, "").p());
    } catch (const Malformed&) {
        return a == b;
    }
}

// Structural equality where every string leaf is compared as a decimal when both parse.
bool same(const json& a, const json& b) {
    if (a.is_object() && b.is_object()) {
        if (a.size() != b.size()) return false;
        for (const auto& [k, v] : a.items())
            if (!b.contains(k) || !same(v, b.at(k))) return false;
        return true;
    }
    if (a.is_array() && b.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i])) return false;
        return true;
    }
    return same_decimal(a, b);
}

}  // namespace

std::string family_difference(const json& certificate, const json& file) {
    for (const char* key : {"name", "dim", "f", "params", "domain", "kernel", "kernel_nu",
                            "kernel_alpha", "schedule", "definition", "sigma", "centering"}) {
        const json a = certificate.contains(key) ? certificate.at(key) : json();
        const json b = file.contains(key) ? file.at(key) : json();
        if (!same(a, b)) return key;
    }
    return "";
}

}  // namespace gradcert::recheck
