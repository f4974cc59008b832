#include "verify/recheck/recheck.hpp"

#include <fstream>
#include <sstream>

#include "verify/recheck/curvature.hpp"
#include "verify/recheck/minimizers.hpp"

namespace gradcert::recheck {

using nlohmann::json;

namespace {

Verdict conjunction(const std::vector<Verdict>& parts) {
    Verdict v = Verdict::holds;
    for (Verdict p : parts)
        if (p == Verdict::fails || (p == Verdict::inconclusive && v == Verdict::holds)) v = p;
    return v;
}

// Every pair of boxes certainly within R (holds) or certainly farther than R (fails).
Verdict centering_truth(const std::vector<Box>& a, const std::vector<Box>& b, const Ball& radius) {
    Ball r2;
    arb_sqr(r2.p(), radius.p(), prec());
    bool within = arb_is_nonnegative(radius.p()), beyond = true;
    for (const Box& x : a)
        for (const Box& y : b) {
            within = within && arb_le(max_distance2(x, y).p(), r2.p());
            beyond =
                beyond && (arb_is_negative(radius.p()) || certainly_gt(min_distance2(x, y), r2));
        }
    return within ? Verdict::holds : beyond ? Verdict::fails : Verdict::inconclusive;
}

void confirm(Verdict claim, Verdict truth, const std::string& what) {
    if (claim != Verdict::inconclusive && claim != truth)
        throw Unconfirmed(what + ": claimed " + name(claim) + ", not confirmed");
}

struct StageData {
    Smoothed f;
    std::vector<Box> clusters, half_clusters;
};

class Checker {
  public:
    Checker(const json& cert, Family fam) : cert_(cert), fam_(std::move(fam)) {
        const std::string geometry = text_field(cert, "geometry", "certificate");
        if (geometry != "direct" && geometry != "separable")
            throw Malformed("geometry: unknown geometry \"" + geometry + "\"");
        separable_ = geometry == "separable";
    }

    std::vector<std::string> run() {
        const json& stages = field(cert_, "stages", "certificate");
        if (!stages.is_array() || stages.size() != fam_.deltas.size())
            throw Malformed("stages: expected " + std::to_string(fam_.deltas.size()) +
                            " stages (the schedule)");
        for (std::size_t m = 0; m < stages.size(); ++m) data_.push_back(minimizers(stages[m], m));
        std::vector<std::string> lines;
        std::vector<Verdict> verdicts;
        for (std::size_t m = 0; m < stages.size(); ++m) {
            std::string line;
            verdicts.push_back(stage(stages[m], m, line));
            lines.push_back(line);
        }
        const Verdict overall = verdict_of(field(cert_, "overall", "certificate"), "overall");
        if (overall != conjunction(verdicts))
            throw Unconfirmed(std::string("overall: claimed ") + name(overall) +
                              ", the stages give " + name(conjunction(verdicts)));
        lines.push_back(std::string("every claim confirmed: ") + fam_.name + " " + name(overall) +
                        " (" + std::to_string(stages.size()) + " stages)");
        return lines;
    }

  private:
    StageData minimizers(const json& s, std::size_t m) {
        const std::string where = "stage " + std::to_string(m + 1);
        if (field(s, "m", where) != m + 1)
            throw Malformed(where + ": m must be " + std::to_string(m + 1));
        StageData d;
        d.f = smooth(fam_.terms, fam_.dim, fam_.kernel, fam_.deltas[m]);
        d.clusters = check_minimizers(field(s, "minimizers", where), fam_, d.f, separable_,
                                      where + " minimizers");
        if (d.clusters.empty()) throw Unconfirmed(where + " minimizers: no cluster");
        if (fam_.definition == Definition::sigma_nice) {
            Ball half;
            arb_mul_2exp_si(half.p(), fam_.deltas[m].p(), -1);
            const Smoothed fh = smooth(fam_.terms, fam_.dim, fam_.kernel, half);
            d.half_clusters = check_minimizers(field(s, "half_minimizers", where), fam_, fh,
                                               separable_, where + " half_minimizers");
            if (d.half_clusters.empty()) throw Unconfirmed(where + " half_minimizers: no cluster");
        }
        return d;
    }

    Verdict stage(const json& s, std::size_t m, std::string& line) {
        const std::string where = "stage " + std::to_string(m + 1);
        const StageData& d = data_[m];
        const bool last = m + 1 == fam_.deltas.size();
        const Ball& delta = fam_.deltas[m];
        line = where + " (δ = " + str(delta) + "): " + std::to_string(d.clusters.size()) +
               " cluster(s) confirmed";
        // Convexity: one curvature block per cluster.
        const json& curvature = field(s, "curvature", where);
        if (!curvature.is_array() || curvature.size() != d.clusters.size())
            throw Malformed(where + ": curvature must have one entry per cluster");
        std::vector<Verdict> claims;
        for (std::size_t k = 0; k < d.clusters.size(); ++k)
            claims.push_back(
                check_curvature(curvature[k], d.clusters[k], d.f, delta, fam_.sigma, separable_,
                                where + " cluster " + std::to_string(k) + " curvature"));
        const Verdict convexity = verdict_of(field(s, "convexity", where), where + " convexity");
        bool all_holds = true, all_fail = true;
        for (Verdict c : claims)
            all_holds = all_holds && c == Verdict::holds,
            all_fail = all_fail && c == Verdict::fails;
        confirm(convexity,
                all_holds  ? Verdict::holds
                : all_fail ? Verdict::fails
                           : Verdict::inconclusive,
                where + " convexity");
        line += std::string("; convexity ") + name(convexity);
        std::vector<Verdict> parts = {convexity};
        // Centering: the variants the definition needs, recomputed from the cluster boxes.
        const json& centering = field(s, "centering", where);
        if (!centering.is_array()) throw Malformed(where + ": centering must be a list");
        std::vector<std::string> required = last && fam_.definition != Definition::sigma_nice
                                                ? std::vector<std::string>{}
                                                : fam_.centering;
        for (const json& c : centering) {
            const std::string variant = text_field(c, "variant", where + " centering");
            const Verdict claim =
                verdict_of(field(c, "verdict", where + " centering"), where + " centering");
            Ball radius;
            const std::vector<Box>* partner = &d.half_clusters;
            if (variant == "half" && fam_.definition == Definition::sigma_nice) {
                arb_mul_2exp_si(radius.p(), delta.p(), -1);
            } else if ((variant == "next" || variant == "gap") && !last) {
                const Ball& next = fam_.deltas[m + 1];
                radius = next;
                if (variant == "gap") arb_sub(radius.p(), delta.p(), next.p(), prec());
                partner = &data_[m + 1].clusters;
            } else {
                throw Malformed(where + ": centering variant \"" + variant +
                                "\" does not apply here");
            }
            confirm(claim, centering_truth(d.clusters, *partner, radius),
                    where + " centering " + variant);
            std::erase(required, variant);
            parts.push_back(claim);
            line += "; " + variant + " " + name(claim);
        }
        if (!required.empty())
            throw Unconfirmed(where + ": centering variant " + required[0] + " missing");
        // γ_m = δ_{m+1}/δ_m ∈ [1/2, 1).
        const json gamma = s.contains("gamma") ? s.at("gamma") : json();
        if (!gamma.is_null() || (fam_.definition == Definition::new_sigma_nice && !last)) {
            if (last) throw Malformed(where + ": gamma on the last stage");
            const Verdict claim = verdict_of(gamma, where + " gamma");
            confirm(claim, gamma_truth(m), where + " gamma");
            parts.push_back(claim);
            line += std::string("; γ ") + name(claim);
        }
        const Verdict verdict = verdict_of(field(s, "verdict", where), where + " verdict");
        if (verdict != conjunction(parts))
            throw Unconfirmed(where + " verdict: claimed " + name(verdict) +
                              ", the conditions give " + name(conjunction(parts)));
        line += std::string(" → ") + name(verdict) + " (confirmed)";
        return verdict;
    }

    // γ_m = δ_{m+1}/δ_m ∈ [1/2, 1), exactly when both are rational (γ = 1/2 is Hazan's case).
    Verdict gamma_truth(std::size_t m) const {
        const auto& a = fam_.exact_deltas[m];
        const auto& b = fam_.exact_deltas[m + 1];
        if (a && b) {
            Rat g, half;
            fmpq_div(g.p(), b->p(), a->p());
            fmpq_set_si(half.p(), 1, 2);
            const bool in = fmpq_cmp(g.p(), half.p()) >= 0 && fmpq_cmp_si(g.p(), 1) < 0;
            return in ? Verdict::holds : Verdict::fails;
        }
        Ball g, half, one(1);
        arb_div(g.p(), fam_.deltas[m + 1].p(), fam_.deltas[m].p(), prec());
        arb_set_d(half.p(), 0.5);
        if (arb_ge(g.p(), half.p()) && arb_lt(g.p(), one.p())) return Verdict::holds;
        if (arb_lt(g.p(), half.p()) || arb_ge(g.p(), one.p())) return Verdict::fails;
        return Verdict::inconclusive;
    }

    const json& cert_;
    Family fam_;
    bool separable_ = false;
    std::vector<StageData> data_;
};

std::vector<std::string> check(const json& cert, const std::optional<json>& family_file) {
    if (field(cert, "format", "certificate") != "gradcert-certificate" ||
        field(cert, "version", "certificate") != 1)
        throw Malformed("not a gradcert-certificate of version 1");
    const json& bits = field(cert, "precision_bits", "certificate");
    if (!bits.is_number_integer() || bits.get<long>() < 16 || bits.get<long>() > 100000)
        throw Malformed("precision_bits must be an integer in 16..100000");
    prec() = std::max<slong>(bits.get<slong>(), 128) + 64;
    const json& block = field(cert, "family", "certificate");
    if (family_file) {
        const std::string key = family_difference(block, *family_file);
        if (!key.empty()) throw Malformed("family." + key + " differs from the --family file");
    }
    const json& rc = field(cert, "recheck", "certificate");
    if (field(rc, "supported", "recheck") == false)
        throw NotSupported("the certificate says: " + text_field(rc, "reason", "recheck"));
    Family fam = read_family(block, bits.get<slong>());
    return Checker(cert, std::move(fam)).run();
}

}  // namespace

Report recheck_text(const std::string& text, const std::string& file,
                    const std::optional<json>& family_file) {
    Report r;
    try {
        r.lines = check(json::parse(text), family_file);
    } catch (const Unconfirmed& e) {
        r.outcome = Outcome::unconfirmed;
        r.lines.push_back(std::string("NOT CONFIRMED: ") + e.what());
    } catch (const NotSupported& e) {
        r.outcome = Outcome::not_supported;
        r.lines = {std::string(e.what()) + ": verdict not independently re-checked"};
    } catch (const Malformed& e) {
        r.outcome = Outcome::malformed;
        r.lines = {file + ": " + e.what()};
    } catch (const json::exception& e) {
        r.outcome = Outcome::malformed;
        r.lines = {file + ": " + e.what()};
    }
    return r;
}

Report recheck_file(const std::string& path, const std::optional<json>& family_file) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {Outcome::malformed, {path + ": cannot be read"}};
    std::ostringstream text;
    text << in.rdbuf();
    return recheck_text(text.str(), path, family_file);
}

}  // namespace gradcert::recheck
