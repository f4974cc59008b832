#include "verify/recheck/curvature.hpp"

#include <algorithm>

#include "verify/recheck/bounds.hpp"
#include "verify/recheck/minimizers.hpp"

namespace gradcert::recheck {

using nlohmann::json;

namespace {

constexpr int kBisections = 64;
constexpr int kMaxDepth = 20000;

class BoundTree {
  public:
    BoundTree(View view, Box cluster, Ball radius2, Dyadic certified, std::string where)
        : view_(std::move(view)),
          cluster_(std::move(cluster)),
          radius2_(std::move(radius2)),
          certified_(std::move(certified)),
          where_(std::move(where)) {}

    void node(const json& n, const Box& box, const std::string& path, int depth) const {
        const std::string at = where_ + " node " + path;
        if (depth > kMaxDepth || !n.is_object()) throw Malformed(at + ": not a tree node");
        if (n.contains("split")) {
            const json& s = n.at("split");
            const json& children = field(n, "children", at);
            if (!s.is_array() || s.size() != 2 || !s[0].is_number_integer() ||
                s[0].get<long>() < 0 || s[0].get<long>() >= static_cast<long>(box.size()) ||
                !children.is_array() || children.size() != 2)
                throw Malformed(at + ": split must be [i, \"hex\"] with two children");
            const std::size_t i = s[0].get<std::size_t>();
            const Dyadic x = parse_hex(s[1].is_string() ? s[1].get<std::string>() : "", at);
            if (x < box[i].lo || box[i].hi < x)
                throw Unconfirmed(at + ": split point outside the node's interval");
            Box left = box, right = box;
            left[i].hi = x;
            right[i].lo = x;
            node(children[0], left, path + ".0", depth + 1);
            node(children[1], right, path + ".1", depth + 1);
        } else if (n.contains("bound")) {
            const Dyadic b = parse_hex(text_field(n, "bound", at), at, true);
            if (b < certified_)
                throw Unconfirmed(at + ": bound " + str(b) + " is below certified_lower");
            const Ball bb = ball(b);
            if (!on_pieces(box, kBisections, [&](const Box& piece) {
                    return certainly_lambda_min_ge(hessian_on(view_, piece), bb);
                }))
                throw Unconfirmed(at + ": λ_min ≥ " + str(b) + " not confirmed on " + str(box) +
                                  " (H_00 there: " + str(hessian_on(view_, box)[0][0]) + ")");
        } else if (n.contains("far")) {
            if (!certainly_gt(min_distance2(box, cluster_), radius2_))
                throw Unconfirmed(at +
                                  ": far leaf is not certainly farther than 3δ from the cluster");
        } else {
            throw Malformed(at + ": unknown curvature node");
        }
    }

  private:
    View view_;
    Box cluster_;
    Ball radius2_;
    Dyadic certified_;
    std::string where_;
};

bool same_interval(const Interval& a, const Interval& b) {
    return a.lo <= b.lo && b.lo <= a.lo && a.hi <= b.hi && b.hi <= a.hi;
}

// A stated witness is confirmed whatever the claim (a certificate states no number the checker
// does not confirm): its point within 3δ of every point of the cluster, its Rayleigh quotient
// ≤ upper; `below_sigma` (a fails claim) also needs upper < σ (σ_m mode: ≤ 0).
void check_witness(const json& w, const Box& cluster, const Smoothed& f, const Ball& radius2,
                   const std::optional<Ball>& sigma, bool below_sigma, const std::string& where) {
    if (!w.is_object()) throw Unconfirmed(where + ": fails claim without a witness");
    const std::size_t d = cluster.size();
    const Vec p = read_point(field(w, "point", where), d, where + " witness point");
    const Vec v = read_point(field(w, "direction", where), d, where + " witness direction");
    const Dyadic u = parse_hex(text_field(w, "upper", where), where + " witness upper");
    Box point;
    for (const Ball& x : p) point.push_back({lower(x), upper(x)});  // exact: radius 0
    if (!arb_le(max_distance2(point, cluster).p(), radius2.p()))
        throw Unconfirmed(where + ": witness point is not within 3δ of every point of the cluster");
    const std::vector<Vec> h = hessian_at(f, p);
    Ball num(0), den(0);
    for (std::size_t i = 0; i < d; ++i) {
        arb_addmul(den.p(), v[i].p(), v[i].p(), prec());
        for (std::size_t j = 0; j < d; ++j) {
            Ball t;
            arb_mul(t.p(), v[i].p(), v[j].p(), prec());
            arb_addmul(num.p(), t.p(), h[i][j].p(), prec());
        }
    }
    if (!arb_is_positive(den.p())) throw Unconfirmed(where + ": witness direction is zero");
    Ball q;
    arb_div(q.p(), num.p(), den.p(), prec());
    if (!arb_le(q.p(), ball(u).p()))
        throw Unconfirmed(where + ": witness Rayleigh quotient " + str(q) + " not ≤ upper " +
                          str(u));
    if (!below_sigma) return;
    const bool below = sigma ? arb_lt(ball(u).p(), sigma->p()) : arf_sgn(u.p()) <= 0;
    if (!below) throw Unconfirmed(where + ": witness upper " + str(u) + " is not below σ");
}

}  // namespace

Verdict check_curvature(const json& block, const Box& cluster, const Smoothed& f, const Ball& delta,
                        const std::optional<Ball>& sigma, bool separable,
                        const std::string& where) {
    if (field(block, "radius_factor", where) != 3)
        throw Unconfirmed(where + ": radius_factor is not 3");
    const Verdict claim = verdict_of(field(block, "claim", where), where + " claim");
    const Dyadic certified = parse_hex(text_field(block, "certified_lower", where), where, true);
    Ball r3, r2;
    arb_mul_si(r3.p(), delta.p(), 3, prec());
    arb_sqr(r2.p(), r3.p(), prec());
    const Dyadic r = upper(r3);
    const std::size_t d = cluster.size();
    if (!separable) {
        const json tree = block.contains("tree") ? block.at("tree") : json();
        if (!tree.is_null() || claim == Verdict::holds) {
            View view{&f, {}};
            for (std::size_t i = 0; i < d; ++i) view.coords.push_back(static_cast<int>(i));
            BoundTree(view, cluster, r2, certified, where)
                .node(tree, inflate(cluster, r), "root", 0);
        }
    } else {
        const json& coords = field(block, "coordinates", where);
        if (!coords.is_array() || coords.size() != d)
            throw Malformed(where + ": coordinates must have one entry per coordinate");
        const std::vector<Smoothed> pieces = separable_pieces(f);
        std::vector<std::size_t> written;  // coordinates confirmed by their own tree
        for (std::size_t i = 0; i < d; ++i) {
            const std::string at = where + " coordinate " + std::to_string(i);
            // {"same_as": j}: confirmed by coordinate j's tree once the checker's own pieces and
            // the cluster's sides of i and j are identical (same 1-D claim on the same interval).
            const long j = same_as(coords[i], i, at);
            if (j >= 0) {
                const std::size_t k = static_cast<std::size_t>(j);
                if (!same_piece(pieces[i], i, pieces[k], k) ||
                    !same_interval(cluster[i], cluster[k]))
                    throw Unconfirmed(at + ": same_as " + std::to_string(j) +
                                      ", but its piece or cluster side differs");
                continue;
            }
            // A written-out entry equal to an earlier confirmed one for an identical piece and
            // cluster side is the same claim (certificates written before same_as existed).
            const auto same = std::find_if(written.begin(), written.end(), [&](std::size_t k) {
                return same_piece(pieces[i], i, pieces[k], k) &&
                       same_interval(cluster[i], cluster[k]) && coords[i] == coords[k];
            });
            if (same != written.end()) continue;
            written.push_back(i);
            const json& tree = coords[i].contains("tree") ? coords[i].at("tree") : coords[i];
            const Box side = {cluster[i]};
            BoundTree(View{&pieces[i], {static_cast<int>(i)}}, side, r2, certified,
                      where + " coordinate " + std::to_string(i))
                .node(tree, inflate(side, r), "root", 0);
        }
    }
    if (claim == Verdict::holds) {
        const bool above =
            sigma ? arb_ge(ball(certified).p(), sigma->p()) : arf_sgn(certified.p()) > 0;
        if (!above)
            throw Unconfirmed(where + ": holds claim, but certified_lower " + str(certified) +
                              " is not ≥ σ");
    }
    const json witness = block.contains("witness") ? block.at("witness") : json();
    if (claim == Verdict::fails || !witness.is_null())
        check_witness(witness, cluster, f, r2, sigma, claim == Verdict::fails, where);
    return claim;
}

}  // namespace gradcert::recheck
