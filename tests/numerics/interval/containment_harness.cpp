#include "containment_harness.hpp"

#include <algorithm>
#include <sstream>

namespace gradcert::test {

namespace {

class ArbScope {
  public:
    ArbScope() {
        arb_init(x_);
        arb_init(y_);
        arb_init(r_);
        arf_init(lo_);
        arf_init(hi_);
        arf_init(lb_);
        arf_init(ub_);
        arf_init(xa_);
        arf_init(ya_);
        fmpz_init(n_);
    }
    ~ArbScope() {
        arb_clear(x_);
        arb_clear(y_);
        arb_clear(r_);
        arf_clear(lo_);
        arf_clear(hi_);
        arf_clear(lb_);
        arf_clear(ub_);
        arf_clear(xa_);
        arf_clear(ya_);
        fmpz_clear(n_);
    }
    ArbScope(const ArbScope&) = delete;
    ArbScope& operator=(const ArbScope&) = delete;

    enum class Verdict { contained, failed, unresolved, undefined };

    // Compares f(x[, y]) with the enclosure [lo, hi].
    Verdict check(Op op, long n, const Mpfr& x, const Mpfr* y, const Enclosure& out, long P) {
        arf_set_mpfr(lo_, raw(out.first));
        arf_set_mpfr(hi_, raw(out.second));
        arf_set_mpfr(xa_, raw(x));  // exact
        arb_set_arf(x_, xa_);
        if (y) {
            arf_set_mpfr(ya_, raw(*y));
            arb_set_arf(y_, ya_);
        }
        for (long prec = 4 * P; prec <= 64 * P; prec *= 2) {
            if (!evaluate(op, n, prec)) return Verdict::undefined;
            if (!arb_is_finite(r_)) {
                if (prec * 2 > 64 * P) return Verdict::undefined;
                continue;
            }
            const slong bound_prec = 16 * prec;
            arb_get_lbound_arf(lb_, r_, bound_prec);  // <= every point of the ball
            arb_get_ubound_arf(ub_, r_, bound_prec);  // >= every point of the ball
            const bool lower_ok = arf_cmp(lo_, lb_) <= 0 || at_or_below_range(op, lo_);
            const bool upper_ok = arf_cmp(ub_, hi_) <= 0 || at_or_above_range(op, hi_);
            if (lower_ok && upper_ok) return Verdict::contained;
            if (arf_cmp(ub_, lo_) < 0 || arf_cmp(hi_, lb_) < 0) return Verdict::failed;
        }
        return Verdict::unresolved;
    }

  private:
    // Mathematical facts used where no finite precision separates f(x) from an endpoint, e.g.
    // tanh(-1e128) = -1 + 2e-(2e128): tanh, sin and cos never leave [-1, 1].
    static bool bounded_by_one(Op op) { return op == Op::tanh || op == Op::sin || op == Op::cos; }
    static bool at_or_below_range(Op op, const arf_t lo) {
        return bounded_by_one(op) && arf_cmp_si(lo, -1) <= 0;
    }
    static bool at_or_above_range(Op op, const arf_t hi) {
        return bounded_by_one(op) && arf_cmp_si(hi, 1) >= 0;
    }

    bool evaluate(Op op, long n, slong prec) {
        switch (op) {
            case Op::add:
                arb_add(r_, x_, y_, prec);
                break;
            case Op::sub:
                arb_sub(r_, x_, y_, prec);
                break;
            case Op::mul:
                arb_mul(r_, x_, y_, prec);
                break;
            case Op::div:
                if (arb_is_zero(y_)) return false;
                arb_div(r_, x_, y_, prec);
                break;
            case Op::sqr:
                arb_mul(r_, x_, x_, prec);
                break;
            case Op::pow_int:
                if (n < 0 && arb_is_zero(x_)) return false;
                fmpz_set_si(n_, n);
                arb_pow_fmpz(r_, x_, n_, prec);
                break;
            case Op::pow_real:
                arb_pow(r_, x_, y_, prec);
                break;
            case Op::sqrt:
                arb_sqrt(r_, x_, prec);
                break;
            case Op::exp:
                arb_exp(r_, x_, prec);
                break;
            case Op::log:
                arb_log(r_, x_, prec);
                break;
            case Op::sin:
                arb_sin(r_, x_, prec);
                break;
            case Op::cos:
                arb_cos(r_, x_, prec);
                break;
            case Op::tanh:
                arb_tanh(r_, x_, prec);
                break;
            case Op::atan:
                arb_atan(r_, x_, prec);
                break;
        }
        return true;
    }

    arb_t x_, y_, r_;
    arf_t lo_, hi_, lb_, ub_, xa_, ya_;
    fmpz_t n_;
};

std::string describe(Op op, const Case& c, const Enclosure& out, const Mpfr& x, const Mpfr* y) {
    std::ostringstream os;
    os << op_name(op) << " X=[" << show(c.xl) << ", " << show(c.xh) << "]";
    if (is_binary(op)) os << " Y=[" << show(c.yl) << ", " << show(c.yh) << "]";
    if (op == Op::pow_int) os << " n=" << c.n;
    os << " -> [" << show(out.first) << ", " << show(out.second) << "] misses f(" << show(x);
    if (y) os << ", " << show(*y);
    os << ")";
    return os.str();
}

}  // namespace

Stats run_containment(const Engine& engine, Op op, long P, long cases, std::uint64_t seed) {
    CaseGenerator g(P, seed);
    ArbScope arb;
    Stats stats;
    const bool extrema = op == Op::sin || op == Op::cos;
    for (long i = 0; i < cases; ++i) {
        const Case c = g.make_case(op);
        const Enclosure out = engine(op, c);
        ++stats.cases;
        bool failed = false, unresolved = false;
        const std::vector<Mpfr> xs = g.sample_points(c.xl, c.xh, extrema);
        std::vector<Mpfr> ys;
        if (is_binary(op)) ys = g.sample_points(c.yl, c.yh, false);
        auto check = [&](const Mpfr& x, const Mpfr* y) {
            ++stats.samples;
            switch (arb.check(op, c.n, x, y, out, P)) {
                case ArbScope::Verdict::contained:
                    break;
                case ArbScope::Verdict::undefined:
                    ++stats.skipped_samples;
                    break;
                case ArbScope::Verdict::unresolved:
                    unresolved = true;
                    if (stats.first_failure.empty())
                        stats.first_failure = "unresolved: " + describe(op, c, out, x, y);
                    break;
                case ArbScope::Verdict::failed:
                    if (!failed && stats.failed_cases == 0)
                        stats.first_failure = describe(op, c, out, x, y);
                    failed = true;
                    break;
            }
        };
        if (!is_binary(op)) {
            for (const Mpfr& x : xs) check(x, nullptr);
        } else {
            // the four corners (those present) and two random pairs
            const size_t nx = std::min<size_t>(xs.size(), 2), ny = std::min<size_t>(ys.size(), 2);
            for (size_t a = 0; a < nx; ++a)
                for (size_t b = 0; b < ny; ++b) check(xs[a], &ys[b]);
            for (size_t k = 2; k < std::min(xs.size(), ys.size()); ++k) check(xs[k], &ys[k]);
        }
        if (failed)
            ++stats.failed_cases;
        else if (unresolved)
            ++stats.unresolved_cases;
    }
    return stats;
}

}  // namespace gradcert::test
