#include "verify/recheck/minimizers.hpp"

#include <algorithm>

namespace gradcert::recheck {

using nlohmann::json;

namespace {

constexpr int kBisections = 64;   // levels of the checker's own bisection of a leaf
constexpr int kMaxDepth = 20000;  // deepest tree accepted

std::size_t index_in(const json& j, std::size_t size, const std::string& where) {
    if (!j.is_number_integer() || j.get<long>() < 0 || j.get<long>() >= static_cast<long>(size))
        throw Malformed(where + ": index " + j.dump() + " out of range");
    return j.get<std::size_t>();
}

class TreeWalk {
  public:
    TreeWalk(View view, std::vector<std::pair<Rat, Rat>> domain, slong bits, std::string where)
        : view_(std::move(view)), domain_(std::move(domain)), where_(std::move(where)) {
        for (const auto& [lo, hi] : domain_) {
            lo_enc_.push_back(enclose(lo, bits));
            hi_enc_.push_back(enclose(hi, bits));
            root_.push_back({lo_enc_.back().lo, hi_enc_.back().hi});
        }
    }

    std::vector<Box> run(const json& block) {
        const std::size_t d = domain_.size();
        const json& points = field(block, "points", where_);
        if (!points.is_array()) throw Malformed(where_ + ": points must be a list");
        for (std::size_t k = 0; k < points.size(); ++k) {
            points_.push_back(
                read_point(points[k], d, where_ + " points[" + std::to_string(k) + "]"));
            if (!in_domain(points[k]))
                fail("points[" + std::to_string(k) + "] is not certainly in the domain");
        }
        const json& clusters = field(block, "clusters", where_);
        if (!clusters.is_array()) throw Malformed(where_ + ": clusters must be a list");
        for (const json& c : clusters)
            clusters_.push_back(read_box(field(c, "box", where_), d, where_ + " cluster"));
        node(field(block, "tree", where_), root_, "root", 0);
        return clusters_;
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Unconfirmed(where_ + ": " + what);
    }
    [[noreturn]] void fail_at(const std::string& path, const std::string& what) const {
        fail("node " + path + ": " + what);
    }

    bool in_domain(const json& point) const {
        for (std::size_t i = 0; i < domain_.size(); ++i) {
            const Dyadic x = parse_hex(point[i].get<std::string>(), where_);
            if (compare(x, domain_[i].first) < 0 || compare(x, domain_[i].second) > 0) return false;
        }
        return true;
    }

    bool meets_face(const Box& box, std::size_t i) const {
        for (const Rat* face : {&domain_[i].first, &domain_[i].second})
            if (compare(box[i].lo, *face) <= 0 && compare(box[i].hi, *face) >= 0) return true;
        return false;
    }

    // ∂_i f̂ certainly of sign `sign` (+1, −1; 0: either, per piece) on every piece of the box.
    bool gradient_sign(const Box& box, std::size_t i, int sign) const {
        return on_pieces(box, kBisections, [&](const Box& b) {
            const Ball g = gradient_on(view_, b)[i];
            return (sign >= 0 && arb_is_positive(g.p())) || (sign <= 0 && arb_is_negative(g.p()));
        });
    }

    void node(const json& n, const Box& box, const std::string& path, int depth) {
        if (depth > kMaxDepth)
            throw Malformed(where_ + ": tree deeper than " + std::to_string(kMaxDepth));
        if (!n.is_object()) throw Malformed(where_ + " node " + path + ": not an object");
        const std::size_t d = box.size();
        if (n.contains("split")) return split(n, box, path, depth);
        if (n.contains("reduce")) return reduce(n, box, path, depth);
        if (n.contains("keep")) {
            const std::size_t k =
                index_in(n.at("keep"), clusters_.size(), where_ + " node " + path);
            if (!contains(clusters_[k], box))
                fail_at(path, "keep box is not inside cluster " + std::to_string(k));
            return;
        }
        const std::string reason = text_field(n, "prune", where_ + " node " + path);
        if (reason == "value") {
            const std::size_t k =
                index_in(field(n, "point", path), points_.size(), where_ + " node " + path);
            const Ball bound = value_at(view_, points_[k]);
            if (!on_pieces(box, kBisections,
                           [&](const Box& b) { return certainly_gt(value_on(view_, b), bound); }))
                fail_at(path, "value prune: inf f̂(box) > f̂(points[" + std::to_string(k) +
                                  "]) not confirmed");
        } else if (reason == "gradient" || reason == "concave") {
            const std::size_t i = index_in(field(n, "coord", path), d, where_ + " node " + path);
            if (meets_face(box, i))
                fail_at(path, reason + " prune on a box that meets a face of coordinate " +
                                  std::to_string(i));
            const bool ok = reason == "gradient"
                                ? gradient_sign(box, i, 0)
                                : on_pieces(box, kBisections, [&](const Box& b) {
                                      return arb_is_negative(hessian_on(view_, b)[i][i].p());
                                  });
            if (!ok)
                fail_at(path,
                        reason + " prune in coordinate " + std::to_string(i) + " not confirmed");
        } else if (reason == "no-stationary") {
            for (std::size_t i = 0; i < d; ++i)
                if (meets_face(box, i))
                    fail_at(path, "no-stationary prune on a box that meets the boundary");
            const bool ok = on_pieces(box, kBisections, [&](const Box& b) {
                for (const Ball& g : gradient_on(view_, b))
                    if (!arb_contains_zero(g.p())) return true;
                return krawczyk_excludes(view_, b);
            });
            if (!ok)
                fail_at(path, "no-stationary prune: no zero of ∇f̂ not confirmed on " + str(box));
        } else {
            throw Malformed(where_ + " node " + path + ": unknown prune reason \"" + reason + "\"");
        }
    }

    void split(const json& n, const Box& box, const std::string& path, int depth) {
        const json& s = n.at("split");
        const json& children = field(n, "children", where_ + " node " + path);
        if (!s.is_array() || s.size() != 2 || !s[1].is_string() || !children.is_array() ||
            children.size() != 2)
            throw Malformed(where_ + " node " + path +
                            ": split must be [i, \"hex\"] with two children");
        const std::size_t i = index_in(s[0], box.size(), where_ + " node " + path);
        const Dyadic at = parse_hex(s[1].get<std::string>(), where_ + " node " + path);
        if (at < box[i].lo || box[i].hi < at)
            fail_at(path, "split point outside the node's interval");
        Box left = box, right = box;
        left[i].hi = at;
        right[i].lo = at;
        node(children[0], left, path + ".0", depth + 1);
        node(children[1], right, path + ".1", depth + 1);
    }

    void reduce(const json& n, const Box& box, const std::string& path, int depth) {
        const json& r = n.at("reduce");
        if (!r.is_array() || r.size() != 2 || (r[1] != "lower" && r[1] != "upper") ||
            !n.contains("child"))
            throw Malformed(where_ + " node " + path +
                            ": reduce must be [i, \"lower\"|\"upper\"] with a child");
        const std::size_t i = index_in(r[0], box.size(), where_ + " node " + path);
        const bool lower = r[1] == "lower";
        if (!gradient_sign(box, i, lower ? 1 : -1))
            fail_at(path, std::string("reduce: ∂f̂ certainly ") + (lower ? "> 0" : "< 0") +
                              " not confirmed");
        const Interval& face = lower ? lo_enc_[i] : hi_enc_[i];
        Box child = box;
        if (child[i].lo < face.lo) child[i].lo = face.lo;
        if (face.hi < child[i].hi) child[i].hi = face.hi;
        const bool empty = child[i].hi < child[i].lo;
        if (n.at("child").is_null()) {
            if (!empty) fail_at(path, "reduce leaf, but the box meets the face");
            return;
        }
        if (empty) throw Malformed(where_ + " node " + path + ": reduce child of an empty face");
        node(n.at("child"), child, path + ".c", depth + 1);
    }

    View view_;
    std::vector<std::pair<Rat, Rat>> domain_;
    std::string where_;
    std::vector<Interval> lo_enc_, hi_enc_;
    Box root_;
    std::vector<Vec> points_;
    std::vector<Box> clusters_;
};

// Every combination of per-coordinate clusters lies inside one full-space cluster.
void check_product_coverage(const std::vector<std::vector<Box>>& per_coord,
                            const std::vector<Box>& full, const std::string& where) {
    double combos = 1;
    for (const auto& c : per_coord) combos *= static_cast<double>(c.size());
    if (combos > 1e5) throw Unconfirmed(where + ": too many cluster combinations to check");
    std::vector<std::size_t> pick(per_coord.size(), 0);
    if (combos == 0) return;
    while (true) {
        Box b;
        for (std::size_t i = 0; i < pick.size(); ++i) b.push_back(per_coord[i][pick[i]][0]);
        bool covered = false;
        for (const Box& c : full) covered = covered || contains(c, b);
        if (!covered)
            throw Unconfirmed(where + ": a product of coordinate clusters is not inside a cluster");
        std::size_t i = 0;
        while (i < pick.size() && ++pick[i] == per_coord[i].size()) pick[i++] = 0;
        if (i == pick.size()) return;
    }
}

}  // namespace

Box read_box(const json& j, std::size_t dim, const std::string& where) {
    if (!j.is_array() || j.size() != dim)
        throw Malformed(where + ": box must have " + std::to_string(dim) + " intervals");
    Box box;
    for (const json& i : j) {
        if (!i.is_array() || i.size() != 2 || !i[0].is_string() || !i[1].is_string())
            throw Malformed(where + ": an interval must be [lo, hi]");
        box.push_back({parse_hex(i[0], where), parse_hex(i[1], where)});
        if (box.back().hi < box.back().lo) throw Malformed(where + ": interval with lo > hi");
    }
    return box;
}

Vec read_point(const json& j, std::size_t dim, const std::string& where) {
    if (!j.is_array() || j.size() != dim)
        throw Malformed(where + ": point must have " + std::to_string(dim) + " coordinates");
    Vec p;
    for (const json& x : j) {
        if (!x.is_string()) throw Malformed(where + ": coordinates are hex strings");
        p.push_back(ball(parse_hex(x, where)));
    }
    return p;
}

std::vector<Smoothed> separable_pieces(const Smoothed& f) {
    std::vector<Smoothed> pieces(static_cast<std::size_t>(f.dim));
    for (Smoothed& p : pieces) p.dim = f.dim;
    const auto only = [&](const auto& nonzero) {
        int k = -1, count = 0;
        for (int i = 0; i < f.dim; ++i)
            if (nonzero(static_cast<std::size_t>(i))) k = i, ++count;
        if (count > 1)
            throw Unconfirmed("geometry separable: a term of f depends on two coordinates");
        return k;
    };
    for (const auto& [beta, c] : f.poly) {
        const int k = only([&](std::size_t i) { return beta[i] != 0; });
        if (k >= 0) pieces[static_cast<std::size_t>(k)].poly.emplace(beta, c);
    }
    for (const Term& r : f.ridges) {
        const int k = only([&](std::size_t i) { return !arb_is_zero(r.w[i].p()); });
        if (k >= 0) pieces[static_cast<std::size_t>(k)].ridges.push_back(r);
    }
    return pieces;
}

bool same_piece(const Smoothed& a, std::size_t i, const Smoothed& b, std::size_t j) {
    if (a.poly.size() != b.poly.size() || a.ridges.size() != b.ridges.size()) return false;
    for (auto p = a.poly.begin(), q = b.poly.begin(); p != a.poly.end(); ++p, ++q)
        if (p->first[i] != q->first[j] || !arb_equal(p->second.p(), q->second.p())) return false;
    for (std::size_t k = 0; k < a.ridges.size(); ++k) {
        const Term& r = a.ridges[k];
        const Term& t = b.ridges[k];
        if (r.g != t.g || !arb_equal(r.c.p(), t.c.p()) || !arb_equal(r.b.p(), t.b.p()) ||
            !arb_equal(r.w[i].p(), t.w[j].p()))
            return false;
    }
    return true;
}

long same_as(const json& entry, std::size_t i, const std::string& where) {
    if (!entry.is_object() || !entry.contains("same_as")) return -1;
    const json& j = entry.at("same_as");
    if (!j.is_number_integer() || j.get<long>() < 0 || j.get<long>() >= static_cast<long>(i))
        throw Malformed(where + ": same_as must name an earlier coordinate");
    return j.get<long>();
}

std::vector<Box> check_minimizers(const json& block, const Family& fam, const Smoothed& f,
                                  bool separable, const std::string& where) {
    if (!separable) {
        View view{&f, {}};
        for (int i = 0; i < fam.dim; ++i) view.coords.push_back(i);
        return TreeWalk(view, fam.domain, fam.precision_bits, where).run(block);
    }
    const json& coords = field(block, "coordinates", where);
    if (!coords.is_array() || coords.size() != static_cast<std::size_t>(fam.dim))
        throw Malformed(where + ": coordinates must have one entry per coordinate");
    const std::vector<Smoothed> pieces = separable_pieces(f);
    std::vector<std::vector<Box>> per_coord;
    std::vector<std::size_t> written;  // coordinates confirmed by their own tree
    for (std::size_t i = 0; i < coords.size(); ++i) {
        const std::string at = where + " coordinate " + std::to_string(i);
        // {"same_as": j}: coordinate j's confirmed clusters, once the checker's own pieces and
        // exact domain sides of i and j are seen to be identical.
        const long j = same_as(coords[i], i, at);
        if (j >= 0) {
            const std::size_t k = static_cast<std::size_t>(j);
            if (!same_piece(pieces[i], i, pieces[k], k) ||
                !fmpq_equal(fam.domain[i].first.p(), fam.domain[k].first.p()) ||
                !fmpq_equal(fam.domain[i].second.p(), fam.domain[k].second.p()))
                throw Unconfirmed(at + ": same_as " + std::to_string(j) +
                                  ", but its piece or domain side differs");
            per_coord.push_back(per_coord[k]);
            continue;
        }
        // A written-out entry equal to an earlier confirmed one for an identical piece and
        // domain side is the same claim (certificates written before same_as existed).
        const auto same = std::find_if(written.begin(), written.end(), [&](std::size_t k) {
            return same_piece(pieces[i], i, pieces[k], k) &&
                   fmpq_equal(fam.domain[i].first.p(), fam.domain[k].first.p()) &&
                   fmpq_equal(fam.domain[i].second.p(), fam.domain[k].second.p()) &&
                   coords[i] == coords[k];
        });
        if (same != written.end()) {
            per_coord.push_back(per_coord[*same]);
            continue;
        }
        const View view{&pieces[i], {static_cast<int>(i)}};
        per_coord.push_back(TreeWalk(view, {fam.domain[i]}, fam.precision_bits, at).run(coords[i]));
        written.push_back(i);
    }
    std::vector<Box> full;
    const json& clusters = field(block, "clusters", where);
    if (!clusters.is_array()) throw Malformed(where + ": clusters must be a list");
    for (const json& c : clusters)
        full.push_back(read_box(field(c, "box", where), coords.size(), where + " cluster"));
    check_product_coverage(per_coord, full, where);
    return full;
}

}  // namespace gradcert::recheck
