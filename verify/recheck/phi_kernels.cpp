#include "verify/recheck/phi_kernels.hpp"

#include <arb_hypgeom.h>

#include <string>

namespace gradcert::recheck {

namespace {

bool alpha_is_two(const KernelLaw& k) {
    if (!k.alpha) return false;
    fmpq_t two;
    fmpq_init(two);
    fmpq_set_si(two, 2, 1);
    const bool eq = fmpq_equal(k.alpha->p(), two);
    fmpq_clear(two);
    return eq;
}

// ₀F₁(; 3/2; z), precision raised until half the working precision is accurate.
Ball hyp0f1_three_halves(const Ball& z) {
    Ball a, r;
    arb_set_si(a.p(), 3);
    arb_mul_2exp_si(a.p(), a.p(), -1);
    for (slong p = prec(); p <= 8 * prec(); p *= 2) {
        arb_hypgeom_0f1(r.p(), a.p(), z.p(), 0, p);
        if (arb_rel_accuracy_bits(r.p()) >= prec() / 2) break;
    }
    return r;
}

Ball norm_squared(const Vec& t) {
    Ball s(0), q;
    for (const Ball& ti : t) {
        arb_sqr(q.p(), ti.p(), prec());
        arb_add(s.p(), s.p(), q.p(), prec());
    }
    return s;
}

// 2^{1−ν/2}/Γ(ν/2)·y^{ν/2} K_{ν/2}(y), y = √(ν s2); 1 at s2 = 0.
Ball student_phi(long nu, const Ball& s2) {
    if (arb_is_zero(s2.p())) return Ball(1);
    for (slong p = prec(); p <= 16 * prec(); p *= 2) {
        Ball y, half_nu, k, g, r, pw, two_pow;
        arb_mul_si(y.p(), s2.p(), nu, p);
        arb_sqrt(y.p(), y.p(), p);
        arb_set_si(half_nu.p(), nu);
        arb_mul_2exp_si(half_nu.p(), half_nu.p(), -1);
        arb_hypgeom_bessel_k(k.p(), half_nu.p(), y.p(), p);
        arb_pow(pw.p(), y.p(), half_nu.p(), p);
        arb_gamma(g.p(), half_nu.p(), p);
        Ball expo;
        arb_set_si(expo.p(), 1);
        arb_sub(expo.p(), expo.p(), half_nu.p(), p);
        Ball two(2);
        arb_pow(two_pow.p(), two.p(), expo.p(), p);
        arb_mul(r.p(), k.p(), pw.p(), p);
        arb_mul(r.p(), r.p(), two_pow.p(), p);
        arb_div(r.p(), r.p(), g.p(), p);
        if (arb_rel_accuracy_bits(r.p()) >= prec() / 2 || p * 2 > 16 * prec()) return r;
    }
    return Ball(1);  // not reached
}

}  // namespace

bool is_phi_kernel(Kernel k) {
    return k == Kernel::uniform_cube || k == Kernel::laplace || k == Kernel::student_t ||
           k == Kernel::stable;
}

bool has_moment(const KernelLaw& k, int n) {
    if (n == 0) return true;
    if (k.kind == Kernel::student_t) return n < k.nu;
    if (k.kind == Kernel::stable) {
        if (alpha_is_two(k)) return true;
        fmpq_t q;
        fmpq_init(q);
        fmpq_set_si(q, n, 1);
        const bool ok = fmpq_cmp(k.alpha->p(), q) > 0;
        fmpq_clear(q);
        return ok;
    }
    return true;
}

Ball phi_moment(const KernelLaw& k, const std::vector<int>& beta) {
    int n = 0;
    for (int b : beta) {
        if (b % 2 != 0) throw NotSupported("phi_moment: odd exponent");
        n += b;
    }
    if (!has_moment(k, n))
        throw NotSupported("the kernel has no moment of order " + std::to_string(n));
    Ball m(1), f;
    switch (k.kind) {
        case Kernel::uniform_cube:
            for (int b : beta) arb_div_si(m.p(), m.p(), b + 1, prec());
            return m;
        case Kernel::laplace:
            for (int b : beta) {
                arb_fac_ui(f.p(), static_cast<ulong>(b), prec());
                arb_mul(m.p(), m.p(), f.p(), prec());
            }
            return m;
        case Kernel::student_t: {
            for (int b : beta) {
                arb_doublefac_ui(f.p(), static_cast<ulong>(b > 0 ? b - 1 : 0), prec());
                arb_mul(m.p(), m.p(), f.p(), prec());
            }
            const int half = n / 2;
            Ball a, g1, g2, nu_pow;
            arb_set_si(a.p(), k.nu);
            arb_mul_2exp_si(a.p(), a.p(), -1);  // ν/2
            arb_gamma(g1.p(), a.p(), prec());
            arb_sub_si(a.p(), a.p(), half, prec());  // ν/2 − k
            arb_gamma(g2.p(), a.p(), prec());
            arb_set_si(nu_pow.p(), k.nu);
            arb_pow_ui(nu_pow.p(), nu_pow.p(), static_cast<ulong>(half), prec());
            arb_mul(m.p(), m.p(), nu_pow.p(), prec());
            arb_mul(m.p(), m.p(), g2.p(), prec());
            arb_div(m.p(), m.p(), g1.p(), prec());
            arb_mul_2exp_si(m.p(), m.p(), -half);
            return m;
        }
        case Kernel::stable:
            for (int b : beta) {
                arb_doublefac_ui(f.p(), static_cast<ulong>(b > 0 ? b - 1 : 0), prec());
                arb_mul(m.p(), m.p(), f.p(), prec());
            }
            arb_mul_2exp_si(m.p(), m.p(), n / 2);
            return m;
        default:
            throw NotSupported("phi_moment: not a φ kernel");
    }
}

Ball phi_ridge_factor(const KernelLaw& k, Ridge g, const Vec& t) {
    const bool mgf = g == Ridge::exp;
    Ball r(1), q, one(1);
    switch (k.kind) {
        case Kernel::uniform_cube:
            for (const Ball& ti : t) {
                arb_sqr(q.p(), ti.p(), prec());
                arb_mul_2exp_si(q.p(), q.p(), -2);
                if (!mgf) arb_neg(q.p(), q.p());
                arb_mul(r.p(), r.p(), hyp0f1_three_halves(q).p(), prec());
            }
            return r;
        case Kernel::laplace:
            for (const Ball& ti : t) {
                arb_sqr(q.p(), ti.p(), prec());
                if (mgf) {
                    arb_sub(q.p(), one.p(), q.p(), prec());
                    if (!arb_is_positive(q.p()))
                        throw NotSupported("the Laplace MGF is infinite for |δw_i| >= 1");
                } else {
                    arb_add(q.p(), one.p(), q.p(), prec());
                }
                arb_div(r.p(), r.p(), q.p(), prec());
            }
            return r;
        case Kernel::student_t:
            if (mgf) {
                if (arb_is_zero(norm_squared(t).p())) return r;
                throw NotSupported("the student-t kernel has no moment-generating function");
            }
            return student_phi(k.nu, norm_squared(t));
        case Kernel::stable: {
            Ball s2 = norm_squared(t);
            if (alpha_is_two(k)) {
                if (!mgf) arb_neg(s2.p(), s2.p());
                arb_exp(r.p(), s2.p(), prec());
                return r;
            }
            if (arb_is_zero(s2.p())) return r;
            if (mgf) throw NotSupported("the stable kernel (alpha < 2) has no MGF");
            Ball half_alpha = ball(*k.alpha);
            arb_mul_2exp_si(half_alpha.p(), half_alpha.p(), -1);
            arb_pow(q.p(), s2.p(), half_alpha.p(), prec());  // ‖t‖^α = (‖t‖²)^{α/2}
            arb_neg(q.p(), q.p());
            arb_exp(r.p(), q.p(), prec());
            return r;
        }
        default:
            throw NotSupported("phi_ridge_factor: not a φ kernel");
    }
}

}  // namespace gradcert::recheck
