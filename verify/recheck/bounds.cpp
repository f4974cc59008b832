#include "verify/recheck/bounds.hpp"

#include <cmath>

namespace gradcert::recheck {

namespace {

Box midpoint(const Box& box) {
    Box m;
    for (const Interval& i : box) {
        Dyadic s;
        arf_add(s.p(), i.lo.p(), i.hi.p(), ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_mul_2exp_si(s.p(), s.p(), -1);
        m.push_back({s, s});
    }
    return m;
}

Box point_box(const Vec& point) {  // exact balls (radius 0) as degenerate intervals
    Box b;
    for (const Ball& x : point) b.push_back({lower(x), upper(x)});
    return b;
}

// a ∩ b, or a when the (rigorous, hence overlapping) enclosures fail to intersect.
Ball intersect(const Ball& a, const Ball& b) {
    Ball r;
    return arb_intersection(r.p(), a.p(), b.p(), prec()) ? r : a;
}

// y + Σ_k d_k (x_k − m_k): the mean-value form around the midpoint.
Ball mean_value(Ball y, const Vec& d, const Vec& x, const Vec& m) {
    for (std::size_t k = 0; k < x.size(); ++k) {
        Ball h;
        arb_sub(h.p(), x[k].p(), m[k].p(), prec());
        arb_addmul(y.p(), d[k].p(), h.p(), prec());
    }
    return y;
}

Dyadic difference(const Dyadic& a, const Dyadic& b) {  // a − b, exact
    Dyadic r;
    arf_sub(r.p(), a.p(), b.p(), ARF_PREC_EXACT, ARF_RND_DOWN);
    return r;
}

Ball square_sum(const std::vector<Dyadic>& parts) {
    Ball s(0);
    for (const Dyadic& p : parts) {
        Ball b = ball(p);
        arb_addmul(s.p(), b.p(), b.p(), prec());
    }
    return s;
}

}  // namespace

Box View::embed(const Box& x) const {
    Box full(static_cast<std::size_t>(f->dim));
    for (std::size_t j = 0; j < coords.size(); ++j)
        full[static_cast<std::size_t>(coords[j])] = x[j];
    return full;
}

Ball value_at(const View& v, const Vec& point) {
    return evaluate(*v.f, v.embed(point_box(point)), 0).value;
}

Ball value_on(const View& v, const Box& box) {
    const Box mid = midpoint(box);
    const Vec x = balls(box), m = balls(mid);
    const Jet j = evaluate(*v.f, v.embed(box), 1);
    Vec g;
    for (int c : v.coords) g.push_back(j.grad[static_cast<std::size_t>(c)]);
    return intersect(j.value, mean_value(evaluate(*v.f, v.embed(mid), 0).value, g, x, m));
}

Vec gradient_on(const View& v, const Box& box) {
    const Box mid = midpoint(box);
    const Vec x = balls(box), m = balls(mid);
    const Jet j = evaluate(*v.f, v.embed(box), 2);
    const Jet jm = evaluate(*v.f, v.embed(mid), 1);
    Vec g;
    for (int c : v.coords) {
        Vec row;
        for (int k : v.coords)
            row.push_back(j.hess[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)]);
        const std::size_t cc = static_cast<std::size_t>(c);
        g.push_back(intersect(j.grad[cc], mean_value(jm.grad[cc], row, x, m)));
    }
    return g;
}

std::vector<Vec> hessian_on(const View& v, const Box& box) {
    const Jet j = evaluate(*v.f, v.embed(box), 2);
    std::vector<Vec> h;
    for (int c : v.coords) {
        h.emplace_back();
        for (int k : v.coords)
            h.back().push_back(j.hess[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)]);
    }
    return h;
}

std::vector<Vec> hessian_at(const Smoothed& f, const Vec& point) {
    return evaluate(f, point_box(point), 2).hess;
}

namespace {

bool pieces(const Box& box, int depth, const std::function<bool(const Box&)>& test, long& budget) {
    if (--budget < 0) return false;
    if (test(box)) return true;
    if (depth == 0) return false;
    std::size_t widest = 0;
    for (std::size_t i = 1; i < box.size(); ++i)
        if (difference(box[widest].hi, box[widest].lo) < difference(box[i].hi, box[i].lo))
            widest = i;
    Box left = box, right = box;
    Dyadic mid;
    arf_add(mid.p(), box[widest].lo.p(), box[widest].hi.p(), ARF_PREC_EXACT, ARF_RND_DOWN);
    arf_mul_2exp_si(mid.p(), mid.p(), -1);
    left[widest].hi = mid;
    right[widest].lo = mid;
    return pieces(left, depth - 1, test, budget) && pieces(right, depth - 1, test, budget);
}

}  // namespace

// Deep but budgeted: where a claim is true with a thin margin only a thin layer of pieces
// fails (a ball's 30-bit radius loses about 2^-30 of an enclosure's width), so the cost grows
// with the depth, not exponentially; a false claim exhausts the budget. The budget is sized for
// bounds attained along whole curves of a wide box (cos-quadratic-2d: λ_min = 2 − 13k on every
// line w·x = 2πj, a certificate bound 2^-40 below it needs about 20000 pieces at δ = 1, since
// an entry's lower end is known only to 2^-30 of its range there).
bool on_pieces(const Box& box, int depth, const std::function<bool(const Box&)>& test) {
    long budget = 60000;
    return pieces(box, depth, test, budget);
}

bool krawczyk_excludes(const View& v, const Box& box) {
    const std::size_t n = box.size();
    const Box mid = midpoint(box);
    const Jet jm = evaluate(*v.f, v.embed(mid), 2);
    const std::vector<Vec> h = hessian_on(v, box);
    // Y: the inverse of the midpoint Hessian in doubles (Gauss-Jordan, partial pivoting).
    std::vector<std::vector<double>> a(n, std::vector<double>(2 * n, 0.0));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            const auto ci = static_cast<std::size_t>(v.coords[i]),
                       cj = static_cast<std::size_t>(v.coords[j]);
            a[i][j] = arf_get_d(arb_midref(jm.hess[ci][cj].p()), ARF_RND_NEAR);
            a[i][n + j] = i == j ? 1.0 : 0.0;
        }
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t p = k;
        for (std::size_t i = k + 1; i < n; ++i)
            if (std::abs(a[i][k]) > std::abs(a[p][k])) p = i;
        if (!(std::abs(a[p][k]) > 0) || !std::isfinite(a[p][k])) return false;
        std::swap(a[p], a[k]);
        const double pivot = a[k][k];
        for (double& x : a[k]) x /= pivot;
        for (std::size_t i = 0; i < n; ++i)
            if (i != k) {
                const double f = a[i][k];
                for (std::size_t j = 0; j < 2 * n; ++j) a[i][j] -= f * a[k][j];
            }
    }
    const Vec x = balls(box), m = balls(mid);
    for (std::size_t i = 0; i < n; ++i) {
        Ball k = m[i];
        for (std::size_t j = 0; j < n; ++j) {
            Ball y, row(i == j ? 1 : 0), dx;
            arb_set_d(y.p(), a[i][n + j]);
            arb_submul(k.p(), y.p(), jm.grad[static_cast<std::size_t>(v.coords[j])].p(), prec());
            for (std::size_t l = 0; l < n; ++l) {  // (I − YH)_ij = δ_ij − Σ_l Y_il H_lj
                Ball yl;
                arb_set_d(yl.p(), a[i][n + l]);
                arb_submul(row.p(), yl.p(), h[l][j].p(), prec());
            }
            arb_sub(dx.p(), x[j].p(), m[j].p(), prec());
            arb_addmul(k.p(), row.p(), dx.p(), prec());
        }
        if (arf_cmp(upper(k).p(), box[i].lo.p()) < 0 || arf_cmp(box[i].hi.p(), lower(k).p()) < 0)
            return true;
    }
    return false;
}

bool contains(const Box& outer, const Box& inner) {
    if (outer.size() != inner.size()) return false;
    for (std::size_t i = 0; i < outer.size(); ++i)
        if (inner[i].lo < outer[i].lo || outer[i].hi < inner[i].hi) return false;
    return true;
}

Ball min_distance2(const Box& a, const Box& b) {
    std::vector<Dyadic> gaps;
    for (std::size_t i = 0; i < a.size(); ++i) {
        Dyadic g;  // 0
        const Dyadic right = difference(b[i].lo, a[i].hi), left = difference(a[i].lo, b[i].hi);
        if (g < right) g = right;
        if (g < left) g = left;
        gaps.push_back(g);
    }
    return square_sum(gaps);
}

Ball max_distance2(const Box& a, const Box& b) {
    std::vector<Dyadic> spans;
    for (std::size_t i = 0; i < a.size(); ++i) {
        Dyadic s = difference(a[i].hi, b[i].lo), t = difference(b[i].hi, a[i].lo);
        arf_abs(s.p(), s.p());
        arf_abs(t.p(), t.p());
        spans.push_back(s < t ? t : s);
    }
    return square_sum(spans);
}

Box inflate(const Box& box, const Dyadic& r) {
    Box out = box;
    for (Interval& i : out) {
        arf_sub(i.lo.p(), i.lo.p(), r.p(), prec(), ARF_RND_FLOOR);
        arf_add(i.hi.p(), i.hi.p(), r.p(), prec(), ARF_RND_CEIL);
    }
    return out;
}

bool certainly_lambda_min_ge(const std::vector<Vec>& hess, const Ball& b) {
    const std::size_t n = hess.size();
    std::vector<Vec> a = hess;
    for (std::size_t i = 0; i < n; ++i) arb_sub(a[i][i].p(), a[i][i].p(), b.p(), prec());
    bool gershgorin = true;  // every row: a_ii − Σ_{j≠i} |a_ij| ≥ 0
    for (std::size_t i = 0; i < n && gershgorin; ++i) {
        Ball r = a[i][i], m;
        for (std::size_t j = 0; j < n; ++j)
            if (j != i) arb_abs(m.p(), a[i][j].p()), arb_sub(r.p(), r.p(), m.p(), prec());
        gershgorin = arb_is_nonnegative(r.p());
    }
    if (gershgorin) return true;
    if (n == 2) {
        // Every symmetric member M ⪰ M' = [[a_lo, b], [b, c_lo]] (a diagonal shift), and
        // λ_min(M') = (a_lo + c_lo)/2 − √(((a_lo − c_lo)/2)² + b²) decreases in |b|.
        const Ball a0 = ball(lower(a[0][0])), c0 = ball(lower(a[1][1]));
        Ball b_max, mean, half_diff, root;
        arb_abs(b_max.p(), a[0][1].p());
        b_max = ball(upper(b_max));
        arb_add(mean.p(), a0.p(), c0.p(), prec());
        arb_mul_2exp_si(mean.p(), mean.p(), -1);
        arb_sub(half_diff.p(), a0.p(), c0.p(), prec());
        arb_mul_2exp_si(half_diff.p(), half_diff.p(), -1);
        arb_sqr(root.p(), half_diff.p(), prec());
        arb_addmul(root.p(), b_max.p(), b_max.p(), prec());
        arb_sqrtpos(root.p(), root.p(), prec());
        arb_sub(mean.p(), mean.p(), root.p(), prec());
        if (arb_is_nonnegative(mean.p())) return true;
    }
    // LDLᵀ without pivoting: positive pivots for the ball matrix ⇒ every symmetric member is PD.
    for (std::size_t k = 0; k < n; ++k) {
        if (!arb_is_positive(a[k][k].p())) return false;
        for (std::size_t i = k + 1; i < n; ++i) {
            Ball l;
            arb_div(l.p(), a[i][k].p(), a[k][k].p(), prec());
            for (std::size_t j = k + 1; j < n; ++j)
                arb_submul(a[i][j].p(), l.p(), a[k][j].p(), prec());
        }
    }
    return true;
}

}  // namespace gradcert::recheck
