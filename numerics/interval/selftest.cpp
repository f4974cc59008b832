#include "numerics/interval/selftest.hpp"

#include "numerics/interval/check_engines.hpp"
#include "numerics/interval/interval.hpp"

namespace gradcert::interval_check {

namespace {

// f at the point (x[, y]) on point intervals at the reference precision; nullopt where f is
// undefined (division by 0, negative powers of 0).
std::optional<IntervalM> reference(Op op, long n, const Mpfr& x, const Mpfr* y) {
    const IntervalM X(x);
    switch (op) {
        case Op::add:
            return X + IntervalM(*y);
        case Op::sub:
            return X - IntervalM(*y);
        case Op::mul:
            return X * IntervalM(*y);
        case Op::div:
            if (mpfr_zero_p(raw(*y))) return std::nullopt;
            return X / IntervalM(*y);
        case Op::pow_real:
            return pow(X, IntervalM(*y));
        case Op::sqr:
            return sqr(X);
        case Op::pow_int:
            if (n < 0 && mpfr_zero_p(raw(x))) return std::nullopt;
            return pow(X, static_cast<int>(n));
        case Op::sqrt:
            return sqrt(X);
        case Op::exp:
            return exp(X);
        case Op::log:
            return log(X);
        case Op::sin:
            return sin(X);
        case Op::cos:
            return cos(X);
        case Op::tanh:
            return tanh(X);
        case Op::atan:
            return atan(X);
    }
    return std::nullopt;
}

bool inside(const IntervalM& z, const Enclosure& out) {
    return mpfr_lessequal_p(raw(out.first), raw(z.lower())) &&
           mpfr_lessequal_p(raw(z.upper()), raw(out.second));
}

// Cases of `op` whose output misses the reference at one of their sample points.
long count_failures(const Engine& engine, Op op, long bits, long reference_bits, long cases,
                    std::uint64_t seed) {
    CaseGenerator g(bits, seed);
    const bool extrema = op == Op::sin || op == Op::cos;
    long failures = 0;
    for (long i = 0; i < cases; ++i) {
        const Case c = g.make_case(op);
        Enclosure out;
        {
            PrecisionScope engine_precision(bits == 53 ? kDefaultPrecisionBits : bits);
            out = engine(op, c);
        }
        PrecisionScope reference_precision(reference_bits);
        const std::vector<Mpfr> xs = g.sample_points(c.xl, c.xh, extrema);
        std::vector<Mpfr> ys;
        if (is_binary(op)) ys = g.sample_points(c.yl, c.yh, false);
        bool failed = false;
        auto check = [&](const Mpfr& x, const Mpfr* y) {
            const std::optional<IntervalM> z = reference(op, c.n, x, y);
            if (z && !inside(*z, out)) failed = true;
        };
        if (!is_binary(op)) {
            for (const Mpfr& x : xs) check(x, nullptr);
        } else {
            for (size_t a = 0; a < std::min<size_t>(xs.size(), 2); ++a)
                for (size_t b = 0; b < std::min<size_t>(ys.size(), 2); ++b) check(xs[a], &ys[b]);
            for (size_t k = 2; k < std::min(xs.size(), ys.size()); ++k) check(xs[k], &ys[k]);
        }
        if (failed) ++failures;
    }
    return failures;
}

}  // namespace

std::vector<SelftestRow> run_interval_selftest(std::uint64_t seed, long cases_per_operation,
                                               long nearest_cases_per_operation) {
    struct Endpoints {
        const char* name;
        long bits, reference_bits;
        Engine rigorous, nearest;
    };
    const Endpoints types[] = {
        {"double", 53, 256, rigorous_double_engine(), nearest_double_engine()},
        {"mpfr128", 128, 512, rigorous_mpfr_engine(), nearest_mpfr_engine()},
    };
    std::vector<SelftestRow> rows;
    for (const Endpoints& t : types) {
        for (Op op : all_ops()) {
            const std::uint64_t s = seed * 1000003ULL + static_cast<std::uint64_t>(op) * 17 +
                                    static_cast<std::uint64_t>(t.bits);
            SelftestRow row;
            row.operation = op_name(op);
            row.endpoints = t.name;
            row.cases = cases_per_operation;
            row.failures =
                count_failures(t.rigorous, op, t.bits, t.reference_bits, cases_per_operation, s);
            row.nearest_cases = nearest_cases_per_operation;
            row.nearest_failures = count_failures(t.nearest, op, t.bits, t.reference_bits,
                                                  nearest_cases_per_operation, s + 1);
            rows.push_back(row);
        }
    }
    return rows;
}

}  // namespace gradcert::interval_check
