#include "verify/certificate.hpp"

#include <fmt/format.h>
#include <mpfr.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "numerics/util/error.hpp"
#include "verify/family_check.hpp"

namespace gradcert::verify {

// ---- recording ---------------------------------------------------------------------------------

namespace {

// Turns `node` into a split of coordinate `coord` at `at` and appends its two (empty) children;
// returns their indices (≤ at, ≥ at). Shared by both recorders: a split means the same in both.
std::pair<int, int> split_trace_node(std::vector<TraceNode>& nodes, int node, int coord,
                                     const Mpfr& at) {
    const int left = static_cast<int>(nodes.size());
    nodes.emplace_back();
    nodes.emplace_back();
    TraceNode& n = nodes[static_cast<size_t>(node)];
    n.kind = TraceKind::split;
    n.coord = coord;
    n.at = at;
    n.children[0] = left;
    n.children[1] = left + 1;
    return {left, left + 1};
}

}  // namespace

MinimizerRecorder::MinimizerRecorder(const Box& root) : trace_(std::make_shared<MinimizerTrace>()) {
    trace_->root = root;
    trace_->nodes.emplace_back();
}

void MinimizerRecorder::point(const Eigen::VectorXd& p) {
    trace_->points.push_back(p);
}

std::pair<int, int> MinimizerRecorder::split(int node, int coord, const Mpfr& at) {
    return split_trace_node(trace_->nodes, node, coord, at);
}

int MinimizerRecorder::reduce(int node, int coord, bool upper) {
    std::vector<TraceNode>& nodes = trace_->nodes;
    const int child = static_cast<int>(nodes.size());
    nodes.emplace_back();
    TraceNode& n = nodes[static_cast<size_t>(node)];
    n.kind = TraceKind::reduce;
    n.coord = coord;
    n.upper = upper;
    n.children[0] = child;
    return child;
}

void MinimizerRecorder::set(int node, TraceKind kind, int coord, bool upper) {
    TraceNode& n = trace_->nodes[static_cast<size_t>(node)];
    n.kind = kind;
    n.coord = coord;
    n.upper = upper;
}

void MinimizerRecorder::prune_value(int node, double lower) {
    if (trace_->points.empty()) return;  // no upper bound yet: the search cannot prune by value
    TraceNode& n = trace_->nodes[static_cast<size_t>(node)];
    n.kind = TraceKind::prune_value;
    n.index = static_cast<int>(trace_->points.size()) - 1;
    n.claim = lower;
}

int MinimizerRecorder::krawczyk(const Box& box, const Box& refined, bool unique) {
    trace_->krawczyk.push_back({box, refined, unique});
    return static_cast<int>(trace_->krawczyk.size()) - 1;
}

void MinimizerRecorder::leaf(int node, const Box& node_box, int proof) {
    leaves_[node] = {node_box, proof};
}

void MinimizerRecorder::settle_leaf(int node, const std::vector<int>& proofs, int cluster,
                                    double lower) {
    auto it = leaves_.find(node);
    if (it == leaves_.end()) return;  // not a recorded leaf: stays unresolved (rejected)
    Box box = it->second.box;
    std::vector<int> chain;
    if (it->second.proof >= 0) chain.push_back(it->second.proof);
    chain.insert(chain.end(), proofs.begin(), proofs.end());
    for (int p : chain) {
        // Every zero of ∇f̂ in proof.box lies in proof.refined: the slabs of the current box
        // outside `refined` hold none.
        const Box outer = trace_->krawczyk[static_cast<size_t>(p)].box;
        const Box inner = trace_->krawczyk[static_cast<size_t>(p)].refined;
        if (!box_subset(box, outer)) continue;
        if (!boxes_touch(box, inner)) {
            set(node, TraceKind::no_stationary);
            trace_->nodes[static_cast<size_t>(node)].index = p;
            return;
        }
        for (Eigen::Index i = 0; i < box.size(); ++i) {
            const int c = static_cast<int>(i);
            if (inner[i].lower() > box[i].lower()) {
                auto [l, r] = split(node, c, inner[i].lower());
                set(l, TraceKind::no_stationary);
                trace_->nodes[static_cast<size_t>(l)].index = p;
                node = r;
                box[i] = IntervalM(inner[i].lower(), box[i].upper());
            }
            if (inner[i].upper() < box[i].upper()) {
                auto [l, r] = split(node, c, inner[i].upper());
                set(r, TraceKind::no_stationary);
                trace_->nodes[static_cast<size_t>(r)].index = p;
                node = l;
                box[i] = IntervalM(box[i].lower(), inner[i].upper());
            }
        }
    }
    if (cluster >= 0) {
        set(node, TraceKind::keep);
        trace_->nodes[static_cast<size_t>(node)].index = cluster;
    } else {
        prune_value(node, lower);
    }
}

void MinimizerRecorder::cluster(const Box& box, std::vector<int> proofs) {
    trace_->clusters.push_back(box);
    trace_->cluster_krawczyk.push_back(std::move(proofs));
}

CurvatureRecorder::CurvatureRecorder(const Box& root) : trace_(std::make_shared<CurvatureTrace>()) {
    trace_->root = root;
    trace_->nodes.emplace_back();
}

std::pair<int, int> CurvatureRecorder::split(int node, int coord, const Mpfr& at) {
    return split_trace_node(trace_->nodes, node, coord, at);
}

void CurvatureRecorder::far(int node) {
    trace_->nodes[static_cast<size_t>(node)].kind = TraceKind::far;
}

void CurvatureRecorder::bound(int node, double lower) {
    TraceNode& n = trace_->nodes[static_cast<size_t>(node)];
    n.kind = TraceKind::bound;
    n.claim = lower;
}

double stated_curvature_bound(double lb, const std::optional<IntervalM>& sigma) {
    if (!std::isfinite(lb)) return lb;
    // Every quantity below is exact or rounded towards lb's side at 256 bits (σ_hi has the
    // working precision, at most a few hundred bits; a double 53).
    constexpr mpfr_prec_t prec = 320;
    mpfr_t slack, cap, b;
    mpfr_inits2(prec, slack, cap, b, static_cast<mpfr_ptr>(nullptr));
    mpfr_set_d(slack, std::max(std::fabs(lb), std::ldexp(1.0, -60)), MPFR_RNDN);  // exact
    mpfr_mul_2si(slack, slack, -40, MPFR_RNDN);                                   // exact
    const bool above_sigma = sigma && mpfr_cmp_d(raw(sigma->upper()), lb) <= 0;
    if (above_sigma) {
        mpfr_set_d(cap, lb, MPFR_RNDN);
        mpfr_sub(cap, cap, raw(sigma->upper()), MPFR_RNDD);  // (lb − σ_hi), down
        mpfr_div_2ui(cap, cap, 1, MPFR_RNDD);
        mpfr_min(slack, slack, cap, MPFR_RNDD);
    } else if (!sigma && lb > 0) {
        mpfr_set_d(cap, lb, MPFR_RNDN);
        mpfr_div_2ui(cap, cap, 1, MPFR_RNDD);
        mpfr_min(slack, slack, cap, MPFR_RNDD);
    }
    mpfr_set_d(b, lb, MPFR_RNDN);
    mpfr_sub(b, b, slack, MPFR_RNDD);
    double stated = mpfr_get_d(b, MPFR_RNDD);
    // Rounding to a double may fall below σ_hi (or to 0): the smallest double ≥ σ_hi lies in
    // [σ_hi, lb] because lb is a double ≥ σ_hi.
    if (above_sigma && mpfr_cmp_d(raw(sigma->upper()), stated) > 0)
        stated = mpfr_get_d(raw(sigma->upper()), MPFR_RNDU);
    if (!sigma && lb > 0 && !(stated > 0)) stated = lb;
    mpfr_clears(slack, cap, b, static_cast<mpfr_ptr>(nullptr));
    return std::min(stated, lb);
}

RecheckSupport recheck_support(const FamilySpec& family) {
    if (family.cubature)
        return {false,
                "f has no closed-form smoothing and is smoothed by verified cubature, "
                "which gradcert recheck does not cover"};
    return recheck_support(family.decomposition);
}

RecheckSupport recheck_support(const expr::Decomposition& d) {
    for (const expr::RidgeTerm& t : d.ridges)
        if (t.kind == expr::RidgeKind::general)
            return {false, fmt::format("f has a {} ridge term, which gradcert recheck does not "
                                       "cover (it covers polynomial and cos/sin/exp ridge terms)",
                                       expr::ridge_function_name(t.g))};
    return {};
}

// ---- numbers -----------------------------------------------------------------------------------

std::string hex_number(const Mpfr& x) {
    char* text = nullptr;
    const int n = mpfr_asprintf(&text, "%Ra", x.backend().data());
    if (n < 0 || text == nullptr) throw std::runtime_error("mpfr_asprintf failed");
    std::string s(text);
    mpfr_free_str(text);
    return s;
}

std::string hex_number(double x) {
    mpfr_t v;
    mpfr_init2(v, 53);
    mpfr_set_d(v, x, MPFR_RNDN);  // exact: 53 bits hold every double
    char* text = nullptr;
    const int n = mpfr_asprintf(&text, "%Ra", v);
    mpfr_clear(v);
    if (n < 0 || text == nullptr) throw std::runtime_error("mpfr_asprintf failed");
    std::string s(text);
    mpfr_free_str(text);
    return s;
}

// ---- JSON --------------------------------------------------------------------------------------

namespace {

std::string json_string(std::string_view s) {
    return nlohmann::json(std::string(s)).dump();
}
std::string hex(const Mpfr& x) {
    return json_string(hex_number(x));
}
std::string hex(double x) {
    return json_string(hex_number(x));
}

std::string interval(const IntervalM& x) {
    return "[" + hex(x.lower()) + "," + hex(x.upper()) + "]";
}

std::string box_json(const Box& b) {
    std::string s = "[";
    for (Eigen::Index i = 0; i < b.size(); ++i) s += (i ? "," : "") + interval(b[i]);
    return s + "]";
}

std::string vector_json(const Eigen::VectorXd& v) {
    std::string s = "[";
    for (Eigen::Index i = 0; i < v.size(); ++i) s += (i ? "," : "") + hex(v[i]);
    return s + "]";
}

std::string side(bool upper) {
    return upper ? "\"upper\"" : "\"lower\"";
}

// NODE / CNODE of docs/certificate.md, depth first (the depth is the bisection depth).
void node_json(const std::vector<TraceNode>& nodes, int id, std::string& out) {
    const TraceNode& n = nodes[static_cast<size_t>(id)];
    switch (n.kind) {
        case TraceKind::split:
            out += fmt::format("{{\"split\":[{},{}],\"children\":[", n.coord, hex(n.at));
            node_json(nodes, n.children[0], out);
            out += ",";
            node_json(nodes, n.children[1], out);
            out += "]}";
            return;
        case TraceKind::reduce:
            out += fmt::format("{{\"reduce\":[{},{}],\"child\":", n.coord, side(n.upper));
            node_json(nodes, n.children[0], out);
            out += "}";
            return;
        case TraceKind::reduce_empty:
            out += fmt::format("{{\"reduce\":[{},{}],\"child\":null}}", n.coord, side(n.upper));
            return;
        case TraceKind::prune_value:
            out += fmt::format("{{\"prune\":\"value\",\"point\":{},\"lower\":{}}}", n.index,
                               hex(n.claim));
            return;
        case TraceKind::prune_gradient:
            out += fmt::format("{{\"prune\":\"gradient\",\"coord\":{}}}", n.coord);
            return;
        case TraceKind::prune_concave:
            out += fmt::format("{{\"prune\":\"concave\",\"coord\":{}}}", n.coord);
            return;
        case TraceKind::no_stationary:
            out += n.index >= 0
                       ? fmt::format("{{\"prune\":\"no-stationary\",\"krawczyk\":{}}}", n.index)
                       : std::string("{\"prune\":\"no-stationary\"}");
            return;
        case TraceKind::keep:
            out += fmt::format("{{\"keep\":{}}}", n.index);
            return;
        case TraceKind::bound:
            out += "{\"bound\":" + hex(n.claim) + "}";
            return;
        case TraceKind::far:
            out += "{\"far\":true}";
            return;
        case TraceKind::open:
            out += "{\"unresolved\":true}";
            return;
    }
}

const MinimizerTrace& trace_of(const MinimizerResult& m) {
    if (!m.trace)
        throw InternalError("certificate: the check ran without recording minimizer traces");
    return *m.trace;
}

// MINIMIZERS (direct geometry) of one trace; `clusters` are the result's clusters.
std::string direct_minimizers(const MinimizerTrace& t) {
    std::string s = "{\"root\":" + box_json(t.root) + ",\"points\":[";
    for (size_t k = 0; k < t.points.size(); ++k) s += (k ? "," : "") + vector_json(t.points[k]);
    s += "],\"clusters\":[";
    for (size_t k = 0; k < t.clusters.size(); ++k) {
        s +=
            (k ? "," : "") + std::string("{\"box\":") + box_json(t.clusters[k]) + ",\"krawczyk\":[";
        for (size_t q = 0; q < t.cluster_krawczyk[k].size(); ++q)
            s += (q ? "," : "") + std::to_string(t.cluster_krawczyk[k][q]);
        s += "]}";
    }
    s += "],\"krawczyk\":[";
    for (size_t k = 0; k < t.krawczyk.size(); ++k)
        s += (k ? "," : "") + std::string("{\"box\":") + box_json(t.krawczyk[k].box) +
             ",\"refined\":" + box_json(t.krawczyk[k].refined) +
             ",\"unique\":" + (t.krawczyk[k].unique ? "true" : "false") + "}";
    s += "],\"tree\":";
    node_json(t.nodes, 0, s);
    return s + "}";
}

class Writer {
  public:
    std::string minimizers(const MinimizerResult& m) {
        const MinimizerTrace& t = trace_of(m);
        if (t.coordinates.empty()) return direct_minimizers(t);
        std::string s = "{\"coordinates\":[";
        std::map<const MinimizerTrace*, size_t> first;
        for (size_t i = 0; i < t.coordinates.size(); ++i) {
            s.append(i ? "," : "");
            const auto [it, fresh] = first.try_emplace(t.coordinates[i].get(), i);
            if (fresh)
                s.append(cached_minimizers(*t.coordinates[i]));
            else
                s.append(fmt::format("{{\"same_as\":{}}}", it->second));
        }
        s += "],\"clusters\":[";
        for (size_t k = 0; k < m.clusters.size(); ++k)
            s += (k ? "," : "") + std::string("{\"box\":") + box_json(m.clusters[k].box) + "}";
        s += "]}";
        return s;
    }

    std::string curvature(const ClusterCurvature& c) {
        if (!c.curvature.trace)
            throw InternalError("certificate: the check ran without recording curvature traces");
        const CurvatureTrace& t = *c.curvature.trace;
        std::string s = fmt::format("{{\"radius_factor\":3,\"claim\":\"{}\",\"certified_lower\":{}",
                                    verdict_name(c.verdict), hex(t.certified_lower));
        if (t.coordinates.empty()) {
            s += ",\"root\":" + box_json(t.root) + ",\"tree\":";
            node_json(t.nodes, 0, s);
        } else {
            s += ",\"coordinates\":[";
            std::map<const CurvatureTrace*, size_t> first;
            for (size_t i = 0; i < t.coordinates.size(); ++i) {
                s.append(i ? "," : "");
                const auto [it, fresh] = first.try_emplace(t.coordinates[i].get(), i);
                if (fresh)
                    s.append(cached_curvature(*t.coordinates[i]));
                else
                    s.append(fmt::format("{{\"same_as\":{}}}", it->second));
            }
            s += "]";
        }
        return s + ",\"witness\":" + witness(t) + "}";
    }

  private:
    static std::string witness(const CurvatureTrace& t) {
        if (!t.witness_upper) return "null";
        return "{\"point\":" + vector_json(t.witness_point) +
               ",\"direction\":" + vector_json(t.witness_direction) +
               ",\"upper\":" + hex(*t.witness_upper) + "}";
    }

    // The separable search reuses one 1-D result (one trace object) for coordinates with the same
    // piece, domain side (curvature: cluster side) and δ; the writer states such a coordinate as
    // {"same_as": j}, j the first coordinate of the block with that trace, and renders each trace
    // once even across blocks.
    const std::string& cached_minimizers(const MinimizerTrace& t) {
        auto [it, fresh] = minimizers_.try_emplace(&t);
        if (fresh) it->second = direct_minimizers(t);
        return it->second;
    }
    const std::string& cached_curvature(const CurvatureTrace& t) {
        auto [it, fresh] = curvatures_.try_emplace(&t);
        if (fresh) {
            it->second = "{\"certified_lower\":" + hex(t.certified_lower) +
                         ",\"root\":" + box_json(t.root) + ",\"tree\":";
            node_json(t.nodes, 0, it->second);
            it->second += ",\"witness\":" + witness(t) + "}";
        }
        return it->second;
    }

    std::map<const MinimizerTrace*, std::string> minimizers_;
    std::map<const CurvatureTrace*, std::string> curvatures_;
};

std::string family_json(const FamilySpec& f) {
    std::string s = fmt::format("{{\"name\":{},\"dim\":{},\"f\":{},\"params\":{{",
                                json_string(f.name), f.dim, json_string(f.f_text));
    bool first = true;
    for (const auto& [k, v] : f.params_text)
        s += (first ? "" : ",") + json_string(k) + ":" + json_string(v), first = false;
    s += "},\"domain\":[";
    for (size_t i = 0; i < f.domain_texts.size(); ++i)
        s += fmt::format("{}[{},{}]", i ? "," : "", json_string(f.domain_texts[i].first),
                         json_string(f.domain_texts[i].second));
    s += fmt::format("],\"kernel\":{},", json_string(kernel_kind_name(f.kernel)));
    // The parameters of student-t / stable only (other certificates keep their bytes).
    if (f.kernel == KernelKind::student_t) s += fmt::format("\"kernel_nu\":{},", f.kernel_nu);
    if (f.kernel == KernelKind::stable)
        s += fmt::format("\"kernel_alpha\":{},", json_string(f.kernel_alpha_text));
    s += "\"schedule\":";
    if (f.polynomial_schedule) {
        s += fmt::format("{{\"delta1\":{},\"stages\":{},\"power\":{}}}", json_string(f.delta1_text),
                         f.polynomial_schedule->stages, json_string(f.power_text));
    } else {
        s += "{\"deltas\":[";
        for (size_t m = 0; m < f.delta_texts.size(); ++m)
            s += (m ? "," : "") + json_string(f.delta_texts[m]);
        s += "]}";
    }
    const bool has_sigma = f.definition != Definition::sigma_m_nice && !f.sigma_text.empty();
    return s + fmt::format(",\"definition\":{},\"sigma\":{},\"centering\":{}}}",
                           json_string(definition_name(f.definition)),
                           has_sigma ? json_string(f.sigma_text) : std::string("null"),
                           json_string(centering_name(f.centering)));
}

std::string stage_json(Writer& w, const FamilySpec& f, const StageResult& s) {
    std::string out =
        fmt::format("{{\"m\":{},\"delta\":{},\"minimizers\":", s.m, interval(s.delta));
    out += w.minimizers(s.minimizers);
    if (f.definition == Definition::sigma_nice && s.half_minimizers)
        out.append(",\"half_minimizers\":").append(w.minimizers(*s.half_minimizers));
    out += ",\"curvature\":[";
    for (size_t k = 0; k < s.curvature.size(); ++k)
        out.append(k ? ",\n" : "\n").append(w.curvature(s.curvature[k]));
    out += "],\"centering\":[";
    for (size_t k = 0; k < s.centering.size(); ++k) {
        const CenteringCheck& c = s.centering[k];
        out +=
            fmt::format("{}{{\"variant\":{},\"verdict\":\"{}\",\"radius\":{},\"distance\":{}}}",
                        k ? "," : "", json_string(centering_variant_name(c.variant)),
                        verdict_name(c.finding.verdict), interval(c.radius), interval(c.distance));
    }
    out += "],\"gamma\":";
    out += s.gamma_condition ? json_string(verdict_name(s.gamma_condition->verdict)) : "null";
    return out + fmt::format(",\"convexity\":\"{}\",\"verdict\":\"{}\"}}",
                             verdict_name(s.convexity.verdict), verdict_name(s.verdict));
}

}  // namespace

std::string certificate_json(const FamilyCheckResult& r) {
    const RecheckSupport support = recheck_support(r.family);
    const bool separable = !r.stages.empty() && r.stages.front().minimizers.trace &&
                           !r.stages.front().minimizers.trace->coordinates.empty();
    std::string s =
        "{\"format\":\"gradcert-certificate\",\"version\":1,\n\"family\":" + family_json(r.family) +
        fmt::format(",\n\"precision_bits\":{},\"geometry\":\"{}\",", r.precision_bits,
                    separable ? "separable" : "direct") +
        fmt::format("\"recheck\":{{\"supported\":{},\"reason\":{}}},\n\"stages\":[",
                    support.supported ? "true" : "false", json_string(support.reason));
    // Stages are rendered first and joined into one reserved string: certificates of many
    // stages reach tens of MB, and growing one string by doubling costs more than the rendering.
    Writer w;
    std::vector<std::string> stages;
    size_t size = s.size() + 64;
    for (const StageResult& stage : r.stages) {
        stages.push_back(stage_json(w, r.family, stage));
        size += stages.back().size() + 2;
    }
    s.reserve(size);
    for (size_t m = 0; m < stages.size(); ++m) {
        s.append(m ? ",\n" : "\n").append(stages[m]);
        std::string().swap(stages[m]);
    }
    s += fmt::format("],\n\"overall\":\"{}\"}}\n", verdict_name(r.overall));
    return s;
}

}  // namespace gradcert::verify
