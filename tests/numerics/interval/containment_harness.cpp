#include "containment_harness.hpp"

#include <gmp.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace gradcert::test {

std::string op_name(Op op) {
    switch (op) {
        case Op::add:
            return "add";
        case Op::sub:
            return "sub";
        case Op::mul:
            return "mul";
        case Op::div:
            return "div";
        case Op::sqr:
            return "sqr";
        case Op::pow_int:
            return "pow_int";
        case Op::pow_real:
            return "pow_real";
        case Op::sqrt:
            return "sqrt";
        case Op::exp:
            return "exp";
        case Op::log:
            return "log";
        case Op::sin:
            return "sin";
        case Op::cos:
            return "cos";
        case Op::tanh:
            return "tanh";
        case Op::atan:
            return "atan";
    }
    return "?";
}

bool is_binary(Op op) {
    return op == Op::add || op == Op::sub || op == Op::mul || op == Op::div || op == Op::pow_real;
}

namespace {

// ---------------------------------------------------------------- exact MPFR helpers

Mpfr with_bits(long bits) {
    return mpfr_with_precision(bits);
}

// Rounds v to a double when P = 53 (subnormals!), so that every endpoint is exactly a double.
void canonicalize(Mpfr& v, long P) {
    if (P == 53) mpfr_set_d(raw(v), mpfr_get_d(raw(v), MPFR_RNDN), MPFR_RNDN);
}

std::string show(const Mpfr& v) {
    char* s = nullptr;
    mpfr_asprintf(&s, "%.40Rg", raw(v));
    std::string r(s);
    mpfr_free_str(s);
    return r;
}

// ---------------------------------------------------------------- random exact inputs

class Generator {
  public:
    Generator(long P, std::uint64_t seed) : P_(P), rng_(seed) {
        gmp_randinit_default(state_);
        gmp_randseed_ui(state_, static_cast<unsigned long>(seed ^ 0x9e3779b97f4a7c15ULL));
    }
    ~Generator() { gmp_randclear(state_); }
    Generator(const Generator&) = delete;
    Generator& operator=(const Generator&) = delete;

    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    long pick_long(long lo, long hi) { return std::uniform_int_distribution<long>(lo, hi)(rng_); }

    // Uniform in [0, 1) with P random bits.
    Mpfr unit() {
        Mpfr t = with_bits(P_);
        mpfr_urandomb(raw(t), state_);
        return t;
    }

    Mpfr scaled(long min_exp, long max_exp) {
        Mpfr v = unit();
        mpfr_add_d(raw(v), raw(v), 1.0, MPFR_RNDN);  // [1, 2)
        mpfr_mul_2si(raw(v), raw(v), pick_long(min_exp, max_exp), MPFR_RNDN);
        if (pick(0, 1)) mpfr_neg(raw(v), raw(v), MPFR_RNDN);
        return v;
    }

    // k*pi/2 rounded to P bits, nudged by a few ulps.
    Mpfr near_half_pi_multiple() {
        long k = pick(0, 9) < 7 ? pick_long(-20, 20) : pick_long(-(1L << 40), 1L << 40);
        Mpfr v = with_bits(P_);
        mpfr_t pi;
        mpfr_init2(pi, P_ + 128);
        mpfr_const_pi(pi, MPFR_RNDN);
        mpfr_mul_si(pi, pi, k, MPFR_RNDN);
        mpfr_div_2ui(pi, pi, 1, MPFR_RNDN);
        mpfr_set(raw(v), pi, MPFR_RNDN);
        mpfr_clear(pi);
        canonicalize(v, P_);
        const int nudge = k == 0 ? 0 : pick(-3, 3);  // no nudge to MPFR's 2^emin
        for (int i = 0; i < std::abs(nudge); ++i) {
            if (nudge > 0)
                mpfr_nextabove(raw(v));
            else
                mpfr_nextbelow(raw(v));
        }
        canonicalize(v, P_);
        return v;
    }

    Mpfr simple() {
        static const double values[] = {0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0};
        Mpfr v = with_bits(P_);
        mpfr_set_d(raw(v), values[pick(0, 8)], MPFR_RNDN);
        return v;
    }

    enum Kind { kUniform, kWide, kNearZero, kHuge, kNearPiHalf, kSimple, kKinds };

    Mpfr value(int kind) {
        const long min_exp = P_ == 53 ? -1080 : -2000;
        Mpfr v = with_bits(P_);
        switch (kind) {
            case kUniform:
                v = unit();
                mpfr_mul_2ui(raw(v), raw(v), 3, MPFR_RNDN);
                mpfr_sub_ui(raw(v), raw(v), 4, MPFR_RNDN);  // [-4, 4), exact
                break;
            case kWide:
                v = scaled(min_exp, P_ == 53 ? 1000 : 2000);
                break;
            case kNearZero:
                v = scaled(-60, 0);
                break;
            case kHuge:
                v = scaled(20, P_ == 53 ? 1000 : 2000);
                break;
            case kNearPiHalf:
                v = near_half_pi_multiple();
                break;
            default:
                v = simple();
                break;
        }
        canonicalize(v, P_);
        return v;
    }

    // An interval of one of four shapes around values of one kind.
    std::pair<Mpfr, Mpfr> interval(int kind) {
        Mpfr lo = value(kind);
        Mpfr hi = lo;
        switch (pick(0, 3)) {
            case 0:
                break;  // point
            case 1: {   // a few ulps (above 0: a tiny width instead of MPFR's 2^emin)
                if (mpfr_zero_p(raw(lo))) {
                    mpfr_set_ui_2exp(raw(hi), 1, -P_ - pick_long(1, 64), MPFR_RNDN);
                    break;
                }
                const int k = pick(1, 8);
                for (int i = 0; i < k; ++i) mpfr_nextabove(raw(hi));
                break;
            }
            case 2: {  // relative width 2^-j
                Mpfr w = with_bits(P_);
                mpfr_abs(raw(w), raw(lo), MPFR_RNDN);
                mpfr_mul_2si(raw(w), raw(w), -pick_long(1, 60), MPFR_RNDU);
                mpfr_add(raw(hi), raw(lo), raw(w), MPFR_RNDU);
                break;
            }
            default:
                hi = value(kind);
                break;  // wide: another value of the same kind
        }
        canonicalize(hi, P_);
        if (mpfr_less_p(raw(hi), raw(lo))) std::swap(lo, hi);
        return {lo, hi};
    }

    // Random point of [lo, hi] with P bits (lo < hi).
    Mpfr interior(const Mpfr& lo, const Mpfr& hi) {
        Mpfr v = with_bits(std::max<long>(P_, 64) + 64);
        Mpfr t = unit();
        mpfr_sub(raw(v), raw(hi), raw(lo), MPFR_RNDN);
        mpfr_mul(raw(v), raw(v), raw(t), MPFR_RNDN);
        mpfr_add(raw(v), raw(v), raw(lo), MPFR_RNDN);
        Mpfr r = with_bits(P_);
        mpfr_set(raw(r), raw(v), MPFR_RNDN);
        canonicalize(r, P_);
        if (mpfr_less_p(raw(r), raw(lo))) r = lo;
        if (mpfr_greater_p(raw(r), raw(hi))) r = hi;
        return r;
    }

    long precision() const { return P_; }

  private:
    long P_;
    std::mt19937_64 rng_;
    gmp_randstate_t state_;
};

// |X| (exact): the image of X under abs.
void make_nonnegative(Mpfr& lo, Mpfr& hi) {
    if (mpfr_sgn(raw(lo)) >= 0) return;
    if (mpfr_sgn(raw(hi)) <= 0) {
        Mpfr a = lo, b = hi;
        mpfr_neg(raw(a), raw(a), MPFR_RNDN);
        mpfr_neg(raw(b), raw(b), MPFR_RNDN);
        lo = b;
        hi = a;
        return;
    }
    Mpfr a = lo;
    mpfr_neg(raw(a), raw(a), MPFR_RNDN);
    if (mpfr_greater_p(raw(a), raw(hi))) hi = a;
    mpfr_set_zero(raw(lo), 1);
}

// Strictly positive version of X (for log and pow): |X| with a zero lower end replaced by a tiny
// positive number, 3 * 2^-1074 (a subnormal double) or 3 * 2^-3000. Not a power of two, so that
// x^y is not an exact dyadic number that Arb's exp(y log x) could never separate from.
void make_positive(Mpfr& lo, Mpfr& hi, long P) {
    make_nonnegative(lo, hi);
    if (mpfr_sgn(raw(lo)) == 0) {
        mpfr_set_ui_2exp(raw(lo), 3, P == 53 ? -1074 : -3000, MPFR_RNDN);
        if (mpfr_less_p(raw(hi), raw(lo))) hi = lo;
    }
}

Case make_case(Generator& g, Op op) {
    Case c;
    const int kx = g.pick(0, Generator::kKinds - 1);
    std::tie(c.xl, c.xh) = g.interval(kx);
    const long P = g.precision();
    switch (op) {
        case Op::sqrt:
            make_nonnegative(c.xl, c.xh);
            break;
        case Op::log:
            make_positive(c.xl, c.xh, P);
            break;
        case Op::pow_real: {
            make_positive(c.xl, c.xh, P);
            static const int y_kinds[] = {Generator::kUniform, Generator::kNearZero,
                                          Generator::kSimple};
            std::tie(c.yl, c.yh) = g.interval(y_kinds[g.pick(0, 2)]);
            break;
        }
        case Op::pow_int:
            c.n = g.pick(-8, 8);
            break;
        default:
            if (is_binary(op)) std::tie(c.yl, c.yh) = g.interval(g.pick(0, Generator::kKinds - 1));
            break;
    }
    return c;
}

// Representable points (P bits) nearest to the multiples of pi/2 around [lo, hi] that lie in it.
std::vector<Mpfr> near_extrema(const Mpfr& lo, const Mpfr& hi, long P) {
    std::vector<Mpfr> out;
    if (!mpfr_number_p(raw(lo)) || !mpfr_number_p(raw(hi))) return out;
    const long e = std::max<long>(mpfr_get_exp(raw(hi)), mpfr_get_exp(raw(lo)));
    const long bits = P + std::max<long>(e, 0) + 64;
    mpfr_t half_pi, q, k, c;
    mpfr_inits2(bits, half_pi, q, k, c, static_cast<mpfr_ptr>(nullptr));
    mpfr_const_pi(half_pi, MPFR_RNDN);
    mpfr_div_2ui(half_pi, half_pi, 1, MPFR_RNDN);
    mpfr_add(q, raw(lo), raw(hi), MPFR_RNDN);
    mpfr_div_2ui(q, q, 1, MPFR_RNDN);
    mpfr_div(q, q, half_pi, MPFR_RNDN);
    mpfr_rint(k, q, MPFR_RNDN);
    for (int d = -1; d <= 1; ++d) {
        mpfr_add_si(c, k, d, MPFR_RNDN);
        mpfr_mul(c, c, half_pi, MPFR_RNDN);
        Mpfr v = with_bits(P);
        mpfr_set(raw(v), c, MPFR_RNDN);
        canonicalize(v, P);
        if (mpfr_lessequal_p(raw(lo), raw(v)) && mpfr_lessequal_p(raw(v), raw(hi)))
            out.push_back(v);
    }
    mpfr_clears(half_pi, q, k, c, static_cast<mpfr_ptr>(nullptr));
    return out;
}

std::vector<Mpfr> sample_points(Generator& g, const Mpfr& lo, const Mpfr& hi, bool extrema) {
    std::vector<Mpfr> s = {lo};
    if (mpfr_less_p(raw(lo), raw(hi))) {
        s.push_back(hi);
        s.push_back(g.interior(lo, hi));
        s.push_back(g.interior(lo, hi));
        if (extrema)
            for (Mpfr& v : near_extrema(lo, hi, g.precision())) s.push_back(std::move(v));
    }
    return s;
}

// ---------------------------------------------------------------- Arb oracle

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

// ---------------------------------------------------------------- engines

template <class T>
Interval<T> to_interval(const Mpfr& lo, const Mpfr& hi) {
    if constexpr (std::is_same_v<T, double>)
        return Interval<T>(mpfr_get_d(raw(lo), MPFR_RNDN), mpfr_get_d(raw(hi), MPFR_RNDN));
    else
        return Interval<T>(lo, hi);
}

Mpfr exact(double v) {
    Mpfr m = with_bits(53);
    mpfr_set_d(raw(m), v, MPFR_RNDN);
    return m;
}
const Mpfr& exact(const Mpfr& v) {
    return v;
}

template <class T>
Enclosure rigorous(Op op, const Case& c) {
    const Interval<T> x = to_interval<T>(c.xl, c.xh);
    Interval<T> r;
    if (is_binary(op)) {
        const Interval<T> y = to_interval<T>(c.yl, c.yh);
        switch (op) {
            case Op::add:
                r = x + y;
                break;
            case Op::sub:
                r = x - y;
                break;
            case Op::mul:
                r = x * y;
                break;
            case Op::div:
                r = x / y;
                break;
            default:
                r = pow(x, y);
                break;
        }
    } else {
        switch (op) {
            case Op::sqr:
                r = sqr(x);
                break;
            case Op::pow_int:
                r = pow(x, static_cast<int>(c.n));
                break;
            case Op::sqrt:
                r = sqrt(x);
                break;
            case Op::exp:
                r = exp(x);
                break;
            case Op::log:
                r = log(x);
                break;
            case Op::sin:
                r = sin(x);
                break;
            case Op::cos:
                r = cos(x);
                break;
            case Op::tanh:
                r = tanh(x);
                break;
            default:
                r = atan(x);
                break;
        }
    }
    return {exact(r.lower()), exact(r.upper())};
}

// Boost.Interval without directed rounding: arithmetic and transcendentals rounded to nearest
// (libm for double; Boost.Multiprecision's MPFR calls in round-to-nearest for Mpfr).
template <class T>
using NearestInterval =
    boost::numeric::interval<T,
                             boost::numeric::interval_lib::policies<
                                 boost::numeric::interval_lib::save_state_nothing<
                                     boost::numeric::interval_lib::rounded_transc_exact<
                                         T, boost::numeric::interval_lib::rounded_arith_exact<T>>>,
                                 boost::numeric::interval_lib::checking_base<T>>>;

template <class T>
NearestInterval<T> to_nearest_interval(const Mpfr& lo, const Mpfr& hi) {
    if constexpr (std::is_same_v<T, double>)
        return NearestInterval<T>(mpfr_get_d(raw(lo), MPFR_RNDN), mpfr_get_d(raw(hi), MPFR_RNDN));
    else
        return NearestInterval<T>(lo, hi);
}

template <class T>
Enclosure nearest(Op op, const Case& c) {
    namespace bn = boost::numeric;
    const NearestInterval<T> x = to_nearest_interval<T>(c.xl, c.xh);
    NearestInterval<T> r;
    if (is_binary(op)) {
        const NearestInterval<T> y = to_nearest_interval<T>(c.yl, c.yh);
        switch (op) {
            case Op::add:
                r = x + y;
                break;
            case Op::sub:
                r = x - y;
                break;
            case Op::mul:
                r = x * y;
                break;
            case Op::div:
                if (bn::zero_in(y)) return {exact(-INFINITY), exact(INFINITY)};
                r = x / y;
                break;
            default:
                r = bn::exp(y * bn::log(x));
                break;
        }
    } else {
        switch (op) {
            case Op::sqr:
                r = bn::square(x);
                break;
            case Op::pow_int:
                if (c.n < 0 && bn::zero_in(x)) return {exact(-INFINITY), exact(INFINITY)};
                r = bn::pow(x, static_cast<int>(c.n));
                break;
            case Op::sqrt:
                r = bn::sqrt(x);
                break;
            case Op::exp:
                r = bn::exp(x);
                break;
            case Op::log:
                r = bn::log(x);
                break;
            case Op::sin:
                r = bn::sin(x);
                break;
            case Op::cos:
                r = bn::cos(x);
                break;
            case Op::tanh:
                r = bn::tanh(x);
                break;
            default:
                r = bn::atan(x);
                break;
        }
    }
    if (bn::empty(r)) return {exact(-INFINITY), exact(INFINITY)};
    Mpfr lo = exact(r.lower()), hi = exact(r.upper());
    if (mpfr_nan_p(raw(lo)) || mpfr_nan_p(raw(hi))) return {exact(-INFINITY), exact(INFINITY)};
    return {lo, hi};
}

}  // namespace

Stats run_containment(const Engine& engine, Op op, long P, long cases, std::uint64_t seed) {
    Generator g(P, seed);
    ArbScope arb;
    Stats stats;
    const bool extrema = op == Op::sin || op == Op::cos;
    for (long i = 0; i < cases; ++i) {
        const Case c = make_case(g, op);
        const Enclosure out = engine(op, c);
        ++stats.cases;
        bool failed = false, unresolved = false;
        const std::vector<Mpfr> xs = sample_points(g, c.xl, c.xh, extrema);
        std::vector<Mpfr> ys;
        if (is_binary(op)) ys = sample_points(g, c.yl, c.yh, false);
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

Engine rigorous_double_engine() {
    return rigorous<double>;
}
Engine rigorous_mpfr_engine() {
    return rigorous<Mpfr>;
}
Engine nearest_double_engine() {
    return nearest<double>;
}
Engine nearest_mpfr_engine() {
    return nearest<Mpfr>;
}

}  // namespace gradcert::test
