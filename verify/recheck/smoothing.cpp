#include "verify/recheck/smoothing.hpp"

#include <arb_hypgeom.h>

#include <algorithm>
#include <string>

namespace gradcert::recheck {

namespace {

// The hull of g at the two exact ends of [lo, hi]: the range of a monotone g (Arb's
// midpoint-radius evaluation would lose the first order in the width, and a ball's radius has
// only 30 bits).
template <class G>
Ball at_ends(const Dyadic& lo, const Dyadic& hi, G g) {
    Ball a = g(ball(lo)), b = g(ball(hi)), r;
    arb_union(r.p(), a.p(), b.p(), prec());
    return r;
}

// x^k over the interval x, and 0 for an even k when x contains 0.
Ball power(const Interval& x, int k) {
    if (k == 0) return Ball(1);
    Ball r = at_ends(x.lo, x.hi, [k](const Ball& y) {
        Ball p;
        arb_pow_ui(p.p(), y.p(), static_cast<ulong>(k), prec());
        return p;
    });
    if (k % 2 == 0 && arf_sgn(x.lo.p()) <= 0 && arf_sgn(x.hi.p()) >= 0)
        arb_union(r.p(), r.p(), Ball(0).p(), prec());
    return r;
}

// cos over [lo, hi]: its ends, and ±1 where the interval may contain a multiple kπ.
Ball cos_range(const Dyadic& lo, const Dyadic& hi) {
    Ball r = at_ends(lo, hi, [](const Ball& y) {
        Ball c;
        arb_cos(c.p(), y.p(), prec());
        return c;
    });
    Ball pi, k;
    arb_const_pi(pi.p(), prec());
    arb_div(k.p(), ball(Interval{lo, hi}).p(), pi.p(), prec());
    Dyadic first = lower(k), last = upper(k), gap;
    arf_ceil(first.p(), first.p());
    arf_floor(last.p(), last.p());
    arf_sub(gap.p(), last.p(), first.p(), prec(), ARF_RND_UP);
    if (arf_cmp_si(gap.p(), 1) >= 0) {
        Dyadic one, minus_one;
        arf_set_si(one.p(), 1);
        arf_set_si(minus_one.p(), -1);
        arb_set_interval_arf(r.p(), minus_one.p(), one.p(), prec());
    } else if (arf_cmp_si(gap.p(), 0) == 0) {  // one multiple kπ: cos = (−1)^k
        Dyadic half;
        arf_mul_2exp_si(half.p(), first.p(), -1);
        arf_floor(half.p(), half.p());
        arf_mul_2exp_si(half.p(), half.p(), 1);
        arb_union(r.p(), r.p(), Ball(arf_equal(half.p(), first.p()) ? 1 : -1).p(), prec());
    }
    return r;
}

// The ends of the ridge argument t = w·x + b over the box: [lower(t_lo), upper(t_hi)].
Interval ridge_argument(const Term& r, const Box& x) {
    Ball t_lo = r.b, t_hi = r.b;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (arb_is_zero(r.w[i].p())) continue;
        Ball a, b;
        arb_mul(a.p(), r.w[i].p(), ball(x[i].lo).p(), prec());
        arb_mul(b.p(), r.w[i].p(), ball(x[i].hi).p(), prec());
        if (arb_is_negative(r.w[i].p())) std::swap(a, b);
        if (!arb_is_positive(r.w[i].p()) && !arb_is_negative(r.w[i].p()))
            arb_union(a.p(), a.p(), b.p(), prec()), b = a;
        arb_add(t_lo.p(), t_lo.p(), a.p(), prec());
        arb_add(t_hi.p(), t_hi.p(), b.p(), prec());
    }
    return {lower(t_lo), upper(t_hi)};
}

// sin over t: from its exact ends where sin is monotone (t holds no π/2 + kπ), else as
// cos(t − π/2), whose shift would cost the relative accuracy of tiny arguments.
Ball sin_range(const Interval& t) {
    Ball half_pi, lo, hi, k, pi;
    arb_const_pi(pi.p(), prec());
    arb_mul_2exp_si(half_pi.p(), pi.p(), -1);
    arb_sub(lo.p(), ball(t.lo).p(), half_pi.p(), prec());
    arb_sub(hi.p(), ball(t.hi).p(), half_pi.p(), prec());
    arb_div(k.p(), ball(Interval{lower(lo), upper(hi)}).p(), pi.p(), prec());
    Dyadic first = lower(k), last = upper(k);
    arf_ceil(first.p(), first.p());
    arf_floor(last.p(), last.p());
    if (arf_cmp(first.p(), last.p()) <= 0) return cos_range(lower(lo), upper(hi));
    return at_ends(t.lo, t.hi, [](const Ball& y) {
        Ball r;
        arb_sin(r.p(), y.p(), prec());
        return r;
    });
}

Ball exp_range(const Interval& t) {
    return at_ends(t.lo, t.hi, [](const Ball& y) {
        Ball e;
        arb_exp(e.p(), y.p(), prec());
        return e;
    });
}

void add_product(Ball& acc, std::initializer_list<const Ball*> factors) {
    Ball p(1);
    for (const Ball* f : factors) arb_mul(p.p(), p.p(), f->p(), prec());
    arb_add(acc.p(), acc.p(), p.p(), prec());
}

// Adds c·E(x − δu)^α to `out`, enumerating the all-even β ≤ α coordinate by coordinate.
void smooth_monomial(const Term& t, int d, const KernelLaw& k, const Ball& delta, std::size_t i,
                     std::vector<int>& beta, Smoothed& out) {
    if (i == t.alpha.size()) {
        Ball c = t.c, factor;
        int n = 0;
        std::vector<int> rest = t.alpha;
        for (std::size_t j = 0; j < beta.size(); ++j) {
            fmpz_t binom;
            fmpz_init(binom);
            fmpz_bin_uiui(binom, static_cast<ulong>(t.alpha[j]), static_cast<ulong>(beta[j]));
            arb_mul_fmpz(c.p(), c.p(), binom, prec());
            fmpz_clear(binom);
            n += beta[j];
            rest[j] -= beta[j];
        }
        arb_pow_ui(factor.p(), delta.p(), static_cast<ulong>(n), prec());  // (−δ)^n, n even
        arb_mul(c.p(), c.p(), factor.p(), prec());
        const Ball moment =
            is_phi_kernel(k.kind) ? phi_moment(k, beta) : kernel_moment(k.kind, d, beta);
        arb_mul(c.p(), c.p(), moment.p(), prec());
        auto [slot, fresh] = out.poly.try_emplace(rest, Ball(0));
        arb_add(slot->second.p(), slot->second.p(), c.p(), prec());
        return;
    }
    for (int b = 0; b <= t.alpha[i]; b += 2) {
        beta[i] = b;
        smooth_monomial(t, d, k, delta, i + 1, beta, out);
    }
    beta[i] = 0;
}

}  // namespace

Ball kernel_moment(Kernel k, int d, const std::vector<int>& beta) {
    fmpz_t num, den;
    fmpz_init_set_ui(num, 1);
    fmpz_init_set_ui(den, 1);
    int n = 0;
    bool odd = false;
    for (int b : beta) {
        odd = odd || b % 2 != 0;
        for (int j = b - 1; j > 1; j -= 2) fmpz_mul_ui(num, num, static_cast<ulong>(j));
        n += b;
    }
    for (int j = 1; j <= n / 2; ++j) {
        if (k == Kernel::uniform_ball) fmpz_mul_ui(den, den, static_cast<ulong>(d + 2 * j));
        if (k == Kernel::gaussian_unit) fmpz_mul_ui(den, den, static_cast<ulong>(d));
    }
    Ball m(0);
    if (!odd) arb_fmpz_div_fmpz(m.p(), num, den, prec());
    fmpz_clear(num);
    fmpz_clear(den);
    return m;
}

Ball ridge_factor(Kernel k, int d, Ridge g, const Ball& t2) {
    Ball r, z = t2;
    if (g == Ridge::cos || g == Ridge::sin) arb_neg(z.p(), z.p());
    if (k == Kernel::uniform_ball) {  // ₀F₁(; d/2 + 1; ±t²/4)
        Ball a;
        arb_set_si(a.p(), d + 2);
        arb_mul_2exp_si(a.p(), a.p(), -1);
        arb_mul_2exp_si(z.p(), z.p(), -2);
        for (slong p = prec(); p <= 8 * prec(); p *= 2) {
            arb_hypgeom_0f1(r.p(), a.p(), z.p(), 0, p);
            if (arb_rel_accuracy_bits(r.p()) >= prec() / 2) break;
        }
        return r;
    }
    if (k == Kernel::gaussian_unit) arb_div_si(z.p(), z.p(), d, prec());  // s² = 1/d
    arb_mul_2exp_si(z.p(), z.p(), -1);
    arb_exp(r.p(), z.p(), prec());
    return r;
}

Smoothed smooth(const std::vector<Term>& f, int dim, const KernelLaw& k, const Ball& delta) {
    Smoothed s;
    s.dim = dim;
    for (const Term& t : f) {
        if (t.g == Ridge::none) {
            int degree = 0;
            for (int a : t.alpha) degree += a;
            if (!has_moment(k, degree))
                throw NotSupported("the kernel has no moment of order " + std::to_string(degree) +
                                   ": f̂_δ does not exist");
            std::vector<int> beta(t.alpha.size(), 0);
            smooth_monomial(t, dim, k, delta, 0, beta, s);
            continue;
        }
        Ball t2(0), d2;
        for (const Ball& w : t.w) add_product(t2, {&w, &w});
        arb_sqr(d2.p(), delta.p(), prec());
        arb_mul(t2.p(), t2.p(), d2.p(), prec());
        Term r = t;
        if (is_phi_kernel(k.kind)) {
            Vec tw;
            for (const Ball& w : t.w) {
                Ball x;
                arb_mul(x.p(), w.p(), delta.p(), prec());
                tw.push_back(x);
            }
            arb_mul(r.c.p(), r.c.p(), phi_ridge_factor(k, t.g, tw).p(), prec());
        } else {
            arb_mul(r.c.p(), r.c.p(), ridge_factor(k.kind, dim, t.g, t2).p(), prec());
        }
        s.ridges.push_back(std::move(r));
    }
    return s;
}

Jet evaluate(const Smoothed& s, const Box& x, int order) {
    const std::size_t d = x.size();
    Jet j;
    j.value = Ball(0);
    j.grad.assign(d, Ball(0));
    j.hess.assign(d, Vec(d, Ball(0)));
    std::vector<int> degree(d, 0);
    for (const auto& [beta, c] : s.poly)
        for (std::size_t i = 0; i < d; ++i) degree[i] = std::max(degree[i], beta[i]);
    std::vector<Vec> pw(d);
    for (std::size_t i = 0; i < d; ++i)
        for (int e = 0; e <= degree[i]; ++e) pw[i].push_back(power(x[i], e));

    for (const auto& [beta, c] : s.poly) {
        std::vector<std::size_t> nz;
        for (std::size_t i = 0; i < d; ++i)
            if (beta[i] != 0) nz.push_back(i);
        // c · Π x_i^{e_i} · factor, for e = β with the given coordinates lowered.
        const auto mono = [&](std::size_t a, std::size_t b, long factor) {
            std::vector<int> e = beta;
            if (a < d) --e[a];
            if (b < d) --e[b];
            Ball p = c;
            arb_mul_si(p.p(), p.p(), factor, prec());
            for (std::size_t i : nz) {
                if (e[i] < 0) return Ball(0);
                arb_mul(p.p(), p.p(), pw[i][static_cast<std::size_t>(e[i])].p(), prec());
            }
            return p;
        };
        arb_add(j.value.p(), j.value.p(), mono(d, d, 1).p(), prec());
        if (order < 1) continue;
        for (std::size_t a : nz) {
            arb_add(j.grad[a].p(), j.grad[a].p(), mono(a, d, beta[a]).p(), prec());
            if (order < 2) continue;
            for (std::size_t b : nz) {
                const long f = a == b ? beta[a] * (beta[a] - 1L) : long{beta[a]} * beta[b];
                arb_add(j.hess[a][b].p(), j.hess[a][b].p(), mono(a, b, f).p(), prec());
            }
        }
    }
    for (const Term& r : s.ridges) {
        std::vector<std::size_t> nz;
        for (std::size_t i = 0; i < d; ++i)
            if (!arb_is_zero(r.w[i].p())) nz.push_back(i);
        const Interval t = ridge_argument(r, x);
        Ball g0, g1, g2;  // g, g', g'' at t
        if (r.g == Ridge::exp) {
            g0 = exp_range(t);
            g1 = g0, g2 = g0;
        } else {
            const Ball sn = sin_range(t), cs = cos_range(t.lo, t.hi);
            g0 = r.g == Ridge::cos ? cs : sn;
            g1 = r.g == Ridge::cos ? sn : cs;
            if (r.g == Ridge::cos) arb_neg(g1.p(), g1.p());
            arb_neg(g2.p(), g0.p());
        }
        add_product(j.value, {&r.c, &g0});
        if (order < 1) continue;
        for (std::size_t a : nz) {
            add_product(j.grad[a], {&r.c, &g1, &r.w[a]});
            if (order < 2) continue;
            for (std::size_t b : nz) add_product(j.hess[a][b], {&r.c, &g2, &r.w[a], &r.w[b]});
        }
    }
    return j;
}

}  // namespace gradcert::recheck
