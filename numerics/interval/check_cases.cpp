#include "numerics/interval/check_cases.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace gradcert::interval_check {

const std::vector<Op>& all_ops() {
    static const std::vector<Op> ops = {Op::add,     Op::sub,      Op::mul,  Op::div, Op::sqr,
                                        Op::pow_int, Op::pow_real, Op::sqrt, Op::exp, Op::log,
                                        Op::sin,     Op::cos,      Op::tanh, Op::atan};
    return ops;
}

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

std::string show(const Mpfr& v) {
    char* s = nullptr;
    mpfr_asprintf(&s, "%.40Rg", raw(v));
    std::string r(s);
    mpfr_free_str(s);
    return r;
}

namespace {

// Rounds v to a double when P = 53 (subnormals included), so that the endpoint is a double.
void canonicalize(Mpfr& v, long P) {
    if (P == 53) mpfr_set_d(raw(v), mpfr_get_d(raw(v), MPFR_RNDN), MPFR_RNDN);
}

}  // namespace

CaseGenerator::CaseGenerator(long precision_bits, std::uint64_t seed)
    : P_(precision_bits), rng_(seed) {
    gmp_randinit_default(state_);
    gmp_randseed_ui(state_, static_cast<unsigned long>(seed ^ 0x9e3779b97f4a7c15ULL));
}

CaseGenerator::~CaseGenerator() {
    gmp_randclear(state_);
}

int CaseGenerator::pick(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
}

long CaseGenerator::pick_long(long lo, long hi) {
    return std::uniform_int_distribution<long>(lo, hi)(rng_);
}

// Uniform in [0, 1) with P random bits.
Mpfr CaseGenerator::unit() {
    Mpfr t = mpfr_with_precision(P_);
    mpfr_urandomb(raw(t), state_);
    return t;
}

// +-[1, 2) * 2^e with e uniform in [min_exp, max_exp].
Mpfr CaseGenerator::scaled(long min_exp, long max_exp) {
    Mpfr v = unit();
    mpfr_add_ui(raw(v), raw(v), 1, MPFR_RNDN);  // exact: v < 1 has P bits below the point
    mpfr_mul_2si(raw(v), raw(v), pick_long(min_exp, max_exp), MPFR_RNDN);
    if (pick(0, 1)) mpfr_neg(raw(v), raw(v), MPFR_RNDN);
    return v;
}

// k*pi/2 rounded to P bits, moved by up to 3 ulps (k = 0: exactly 0, not MPFR's 2^emin).
Mpfr CaseGenerator::near_half_pi_multiple() {
    const long k = pick(0, 9) < 7 ? pick_long(-20, 20) : pick_long(-(1L << 40), 1L << 40);
    Mpfr v = mpfr_with_precision(P_);
    Mpfr t = mpfr_with_precision(P_ + 128);
    mpfr_const_pi(raw(t), MPFR_RNDN);
    mpfr_mul_si(raw(t), raw(t), k, MPFR_RNDN);
    mpfr_div_2ui(raw(t), raw(t), 1, MPFR_RNDN);
    mpfr_set(raw(v), raw(t), MPFR_RNDN);
    canonicalize(v, P_);
    const int nudge = k == 0 ? 0 : pick(-3, 3);
    for (int i = 0; i < std::abs(nudge); ++i) {
        if (nudge > 0)
            mpfr_nextabove(raw(v));
        else
            mpfr_nextbelow(raw(v));
    }
    canonicalize(v, P_);
    return v;
}

Mpfr CaseGenerator::simple() {
    static const double values[] = {0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0};
    Mpfr v = mpfr_with_precision(P_);
    mpfr_set_d(raw(v), values[pick(0, 8)], MPFR_RNDN);
    return v;
}

Mpfr CaseGenerator::value(int kind) {
    const long min_exp = P_ == 53 ? -1080 : -2000;
    const long max_exp = P_ == 53 ? 1000 : 2000;
    Mpfr v;
    switch (kind) {
        case kUniform:
            v = unit();
            mpfr_mul_2ui(raw(v), raw(v), 3, MPFR_RNDN);
            mpfr_sub_ui(raw(v), raw(v), 4, MPFR_RNDN);  // [-4, 4), exact
            break;
        case kWide:
            v = scaled(min_exp, max_exp);
            break;
        case kNearZero:
            v = scaled(-60, 0);
            break;
        case kHuge:
            v = scaled(20, max_exp);
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

std::pair<Mpfr, Mpfr> CaseGenerator::interval(int kind) {
    Mpfr lo = value(kind);
    Mpfr hi = lo;
    switch (pick(0, 3)) {
        case 0:
            break;  // point
        case 1: {   // a few ulps (above 0: a small width instead of MPFR's 2^emin)
            if (mpfr_zero_p(raw(lo))) {
                mpfr_set_ui_2exp(raw(hi), 1, -P_ - pick_long(1, 64), MPFR_RNDN);
                break;
            }
            const int k = pick(1, 8);
            for (int i = 0; i < k; ++i) mpfr_nextabove(raw(hi));
            break;
        }
        case 2: {  // relative width 2^-j, j in [1, 60]
            Mpfr w = mpfr_with_precision(P_);
            mpfr_abs(raw(w), raw(lo), MPFR_RNDN);
            mpfr_mul_2si(raw(w), raw(w), -pick_long(1, 60), MPFR_RNDU);
            mpfr_add(raw(hi), raw(lo), raw(w), MPFR_RNDU);
            break;
        }
        default:
            hi = value(kind);
            break;  // two values of the same kind
    }
    canonicalize(hi, P_);
    if (mpfr_less_p(raw(hi), raw(lo))) std::swap(lo, hi);
    return {lo, hi};
}

// A random P-bit point of [lo, hi] (lo < hi).
Mpfr CaseGenerator::interior(const Mpfr& lo, const Mpfr& hi) {
    Mpfr v = mpfr_with_precision(std::max<long>(P_, 64) + 64);
    const Mpfr t = unit();
    mpfr_sub(raw(v), raw(hi), raw(lo), MPFR_RNDN);
    mpfr_mul(raw(v), raw(v), raw(t), MPFR_RNDN);
    mpfr_add(raw(v), raw(v), raw(lo), MPFR_RNDN);
    Mpfr r = mpfr_with_precision(P_);
    mpfr_set(raw(r), raw(v), MPFR_RNDN);
    canonicalize(r, P_);
    if (mpfr_less_p(raw(r), raw(lo))) r = lo;
    if (mpfr_greater_p(raw(r), raw(hi))) r = hi;
    return r;
}

// Replaces X by |X| = {|x| : x in X} (exact).
void CaseGenerator::make_nonnegative(Mpfr& lo, Mpfr& hi) {
    if (mpfr_sgn(raw(lo)) >= 0) return;
    Mpfr neg_lo = lo;
    mpfr_neg(raw(neg_lo), raw(neg_lo), MPFR_RNDN);
    if (mpfr_sgn(raw(hi)) <= 0) {
        mpfr_neg(raw(hi), raw(hi), MPFR_RNDN);
        lo = hi;
        hi = neg_lo;
        return;
    }
    if (mpfr_greater_p(raw(neg_lo), raw(hi))) hi = neg_lo;
    mpfr_set_zero(raw(lo), 1);
}

// |X| with a zero lower end replaced by 3 * 2^-1074 (a subnormal double) or 3 * 2^-3000: not a
// power of two, so that x^y is not an exact dyadic number (which no ball around exp(y log x)
// could ever separate from an endpoint).
void CaseGenerator::make_positive(Mpfr& lo, Mpfr& hi) {
    make_nonnegative(lo, hi);
    if (mpfr_sgn(raw(lo)) == 0) {
        mpfr_set_ui_2exp(raw(lo), 3, P_ == 53 ? -1074 : -3000, MPFR_RNDN);
        if (mpfr_less_p(raw(hi), raw(lo))) hi = lo;
    }
}

Case CaseGenerator::make_case(Op op) {
    Case c;
    std::tie(c.xl, c.xh) = interval(pick(0, kKinds - 1));
    switch (op) {
        case Op::sqrt:
            make_nonnegative(c.xl, c.xh);
            break;
        case Op::log:
            make_positive(c.xl, c.xh);
            break;
        case Op::pow_real: {
            make_positive(c.xl, c.xh);
            static const int y_kinds[] = {kUniform, kNearZero, kSimple};
            std::tie(c.yl, c.yh) = interval(y_kinds[pick(0, 2)]);
            break;
        }
        case Op::pow_int:
            c.n = pick(-8, 8);
            break;
        default:
            if (is_binary(op)) std::tie(c.yl, c.yh) = interval(pick(0, kKinds - 1));
            break;
    }
    return c;
}

// The P-bit numbers nearest to the multiples of pi/2 around [lo, hi] that lie inside it.
std::vector<Mpfr> CaseGenerator::near_extrema(const Mpfr& lo, const Mpfr& hi) {
    std::vector<Mpfr> out;
    if (!mpfr_number_p(raw(lo)) || !mpfr_number_p(raw(hi))) return out;
    const long e = std::max<long>(mpfr_get_exp(raw(hi)), mpfr_get_exp(raw(lo)));
    const long bits = P_ + std::max<long>(e, 0) + 64;
    Mpfr half_pi = mpfr_with_precision(bits), q = mpfr_with_precision(bits);
    Mpfr k = mpfr_with_precision(bits), c = mpfr_with_precision(bits);
    mpfr_const_pi(raw(half_pi), MPFR_RNDN);
    mpfr_div_2ui(raw(half_pi), raw(half_pi), 1, MPFR_RNDN);
    mpfr_add(raw(q), raw(lo), raw(hi), MPFR_RNDN);
    mpfr_div_2ui(raw(q), raw(q), 1, MPFR_RNDN);
    mpfr_div(raw(q), raw(q), raw(half_pi), MPFR_RNDN);
    mpfr_rint(raw(k), raw(q), MPFR_RNDN);
    for (int d = -1; d <= 1; ++d) {
        mpfr_add_si(raw(c), raw(k), d, MPFR_RNDN);
        mpfr_mul(raw(c), raw(c), raw(half_pi), MPFR_RNDN);
        Mpfr v = mpfr_with_precision(P_);
        mpfr_set(raw(v), raw(c), MPFR_RNDN);
        canonicalize(v, P_);
        if (mpfr_lessequal_p(raw(lo), raw(v)) && mpfr_lessequal_p(raw(v), raw(hi)))
            out.push_back(v);
    }
    return out;
}

std::vector<Mpfr> CaseGenerator::sample_points(const Mpfr& lo, const Mpfr& hi,
                                               bool near_extrema_too) {
    std::vector<Mpfr> s = {lo};
    if (mpfr_less_p(raw(lo), raw(hi))) {
        s.push_back(hi);
        s.push_back(interior(lo, hi));
        s.push_back(interior(lo, hi));
        if (near_extrema_too)
            for (Mpfr& v : near_extrema(lo, hi)) s.push_back(std::move(v));
    }
    return s;
}

}  // namespace gradcert::interval_check
