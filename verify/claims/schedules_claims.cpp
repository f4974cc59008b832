#include "verify/claims/schedules_claims.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "verify/claims/power.hpp"
#include "verify/claims/sequential.hpp"
#include "verify/claims/stability.hpp"
#include "verify/empirical/report_support.hpp"
#include "verify/empirical/statistics.hpp"

namespace gradcert::verify {

namespace {

const char* const kName = "schedules";

std::string diff_text(const ArmDifference& d, int digits = 3) {
    return fmt::format("{} − {} = {} ± {}", d.a, d.b, sig(d.diff, digits), sig(d.se, 2));
}

enum class Metric { test_acc, train_loss };

// The paper's schedules end within 71.5–72.5% test accuracy (docs/mathematics.md §6): the only
// effect size it states for the schedule claims.
const StatedEffect kPaperScheduleSpread{
    0.01, "the paper's schedules end within 71.5–72.5% test accuracy, a spread of 1 point"};

double run_value(const ScheduleRun& run, Metric m) {
    return m == Metric::test_acc ? run.epochs.back().test_acc : run.final_train_loss;
}

// Paired comparison over the seeds both arms ran (common random numbers: per seed every arm
// starts from the same weights and sees the same per-epoch permutation, numerics/engine/
// trainer.cpp), with the unpaired SE of the same data beside it.
ArmDifference compare_arms(const SchedulesResult& r, const std::string& a, const std::string& b,
                           Metric m) {
    std::map<std::uint64_t, double> va, vb;
    for (const ScheduleRun& run : r.runs) {
        if (run.epochs.empty()) continue;
        if (run.arm == a) va[run.seed] = run_value(run, m);
        if (run.arm == b) vb[run.seed] = run_value(run, m);
    }
    std::vector<double> d, xa, xb;
    for (const auto& [s, v] : va) xa.push_back(v);
    for (const auto& [s, v] : vb) xb.push_back(v);
    for (const auto& [s, v] : va)
        if (const auto it = vb.find(s); it != vb.end()) d.push_back(v - it->second);
    ArmDifference out;
    out.a = a;
    out.b = b;
    out.metric = m == Metric::test_acc ? "final test accuracy" : "final training loss";
    out.pairs = static_cast<int>(d.size());
    out.diff = d.empty() ? std::nan("") : mean(d);
    out.se = d.size() < 2 ? std::nan("") : sample_sd(d) / std::sqrt(static_cast<double>(d.size()));
    out.unpaired_se = xa.size() < 2 || xb.size() < 2
                          ? std::nan("")
                          : std::sqrt(sample_sd(xa) * sample_sd(xa) / xa.size() +
                                      sample_sd(xb) * sample_sd(xb) / xb.size());
    return out;
}

bool exceeds(const ArmDifference& d, double z) {
    return std::abs(d.diff) > z * d.se;
}

// The three designs of the δ-vs-Smith comparison (docs/claims.md, "Equal updates"): the arm
// growing b and the two arms decaying η, compared at equal epochs (the paper's design; the batch
// arm does fewer updates) and at equal updates with the same δ/δ₀ at every update.
struct Design {
    const char* name;
    const char* batch;
    const char* lr;
    const char* half;
};
constexpr Design kEqualEpochs{"equal epochs", "batch-x2", "lr-sqrt2", "lr-half"};
constexpr Design kUpdatesOfEta{"equal updates (the η arms' count)", "batch-x2-long", "lr-sqrt2",
                               "lr-half"};
constexpr Design kUpdatesOfBatch{"equal updates (the batch arm's count)", "batch-x2",
                                 "lr-sqrt2-short", "lr-half-short"};

bool has_runs(const SchedulesResult& r, const char* arm) {
    const ArmSummary* a = r.arm(arm);
    return a != nullptr && a->runs >= 2;
}

bool available(const SchedulesResult& r, const Design& d) {
    return has_runs(r, d.batch) && has_runs(r, d.lr) && has_runs(r, d.half);
}

// The arms of the equal-epoch comparisons (the equal-update arms run other lengths).
bool equal_epoch_arm(const std::string& arm) {
    return update_partner(arm).empty();
}

// The one-look criterion z turned into the per-look criterion of the sequential seeds.
double look_z(const SchedulesResult& r, double z) {
    return bonferroni_look_z(
        z, planned_looks(static_cast<int>(r.config.seeds.size()), r.config.max_seeds));
}

std::string sequential_text(const SchedulesResult& r) {
    const int looks = planned_looks(static_cast<int>(r.config.seeds.size()), r.config.max_seeds);
    if (looks == 1) return "";
    return fmt::format(
        "; sequential seeds: {} configured, one seed (every arm) added while a schedule claim is "
        "undecided, up to {} ({} planned looks, each at |diff| > {}·SE: Bonferroni over looks "
        "keeps the chance of a false difference at any look ≤ {}); {} look(s) taken, {}",
        r.config.seeds.size(), r.config.max_seeds, looks, sig(look_z(r, 2.0), 3),
        sig(two_sided_level(2.0), 3), r.looks, to_string(r.stop));
}

std::string equal_update_text(const SchedulesResult& r) {
    std::string t;
    for (const ArmSummary& a : r.arms)
        if (!equal_epoch_arm(a.arm))
            t += fmt::format("{}{} ({} updates, as {})", t.empty() ? "" : ", ", a.arm,
                             sig(a.updates_mean, 5), update_partner(a.arm));
    return t.empty() ? "" : "; equal-update arms (stages counted in updates): " + t;
}

std::string setup_text(const verify::SchedulesResult& r) {
    const auto& c = r.config;
    const auto& t = c.train;
    std::string seeds;
    for (int s : r.seeds()) seeds += (seeds.empty() ? "" : ", ") + std::to_string(s);
    return fmt::format(
               "{} ({} training / {} test examples), model {}, plain SGD (no momentum, no "
               "weight decay) η₀ = {}, b₀ = {}, {} epochs, step arms change every {} epoch(s), "
               "poly and cosine every epoch; seeds {{{}}}; δ̂ probe (pool {}, K = {}) on the "
               "first {} seed(s); {} threads",
               t.data.dataset,
               t.data.dataset == "synthetic" ? t.data.synthetic.train : t.data.train_subset,
               t.data.dataset == "synthetic" ? t.data.synthetic.test : t.data.test_subset,
               t.model.name, t.optim.lr, t.optim.batch, t.run.epochs, c.every, seeds, c.probe_pool,
               c.probe_batches, c.probe_seeds, t.run.threads) +
           sequential_text(r) + equal_update_text(r);
}

// The δ-vs-Smith rule on one design: the final training loss of the batch arm against the arm
// with the same δ decay (lr) and the arm with the same noise-scale decay (half).
struct DesignVerdict {
    Evidence verdict = Evidence::inconclusive;
    ArmDifference d_sqrt, d_half;
    double updates_batch = 0.0, updates_lr = 0.0;
};

DesignVerdict judge_design(const SchedulesResult& r, const Design& d, double z) {
    DesignVerdict v;
    v.d_sqrt = compare_arms(r, d.batch, d.lr, Metric::train_loss);
    v.d_half = compare_arms(r, d.batch, d.half, Metric::train_loss);
    const bool sqrt_differs = exceeds(v.d_sqrt, z), half_differs = exceeds(v.d_half, z);
    v.verdict = !sqrt_differs && half_differs   ? Evidence::supported
                : sqrt_differs && !half_differs ? Evidence::contradicted
                                                : Evidence::inconclusive;
    v.updates_batch = r.arm(d.batch)->updates_mean;
    v.updates_lr = r.arm(d.lr)->updates_mean;
    return v;
}

std::string design_text(const Design& d, const DesignVerdict& v) {
    return fmt::format("{} ({} vs {} updates): {}, {} → {}", d.name, sig(v.updates_batch, 5),
                       sig(v.updates_lr, 5), diff_text(v.d_sqrt, 3), diff_text(v.d_half, 3),
                       verify::to_string(v.verdict));
}

verify::ClaimFinding delta_vs_smith(const verify::SchedulesResult& r, double z) {
    verify::ClaimFinding f;
    f.claim = "delta-vs-smith";
    if (!available(r, kEqualEpochs)) {
        f.evidence = Evidence::not_testable;
        f.summary = "needs the arms lr-sqrt2, batch-x2 and lr-half with ≥ 2 seeds each";
        return f;
    }
    const DesignVerdict epochs = judge_design(r, kEqualEpochs, z);
    std::vector<std::pair<const Design*, DesignVerdict>> updates;
    for (const Design* d : {&kUpdatesOfEta, &kUpdatesOfBatch})
        if (available(r, *d)) updates.emplace_back(d, judge_design(r, *d, z));
    // The equal-update designs decide (the update count confounds the equal-epoch comparison);
    // they must agree. Without them, the equal-epoch verdict stands.
    double se = std::max(epochs.d_sqrt.se, epochs.d_half.se);
    if (updates.empty()) {
        f.evidence = epochs.verdict;
    } else {
        f.evidence = updates.front().second.verdict;
        se = 0.0;
        for (const auto& [d, v] : updates) {
            if (v.verdict != f.evidence) f.evidence = Evidence::inconclusive;
            se = std::max({se, v.d_sqrt.se, v.d_half.se});
        }
    }
    const char* verdict = f.evidence == Evidence::supported
                              ? "the final training loss sides with δ ∝ η/√b"
                          : f.evidence == Evidence::contradicted
                              ? "the final training loss sides with noise ∝ η/b (Smith et al.)"
                              : "the final training loss separates neither view";
    std::string designs;
    for (const auto& [d, v] : updates) designs += "; " + design_text(*d, v);
    f.summary = fmt::format(
        "{} (criterion |diff| > {}·SE from the seed sd: δ ∝ η/√b predicts batch ≈ η × 1/√2 ≠ "
        "η × 1/2, noise ∝ η/b predicts batch ≈ η × 1/2); decided by {}{}; {}{}",
        verdict, sig(z, 3),
        updates.empty() ? "equal epochs (no equal-update arms ran; the batch arm takes fewer "
                          "updates, which confounds the training-loss comparison)"
                        : "the equal-update designs (they must agree), the equal-epoch verdict "
                          "beside",
        designs, design_text(kEqualEpochs, epochs),
        updates.empty() ? "" : " (confounded by the update count)");
    f.power = power_text(se, z, epochs.d_sqrt.pairs, "seeds", "the final training loss difference",
                         nullptr);
    return f;
}

verify::ClaimFinding decay_beats_constant(const verify::SchedulesResult& r, double z) {
    verify::ClaimFinding f;
    f.claim = "decay-beats-constant";
    const ArmSummary* constant = r.arm("constant");
    int better = 0, worse = 0, total = 0, pairs = 0;
    double max_se = 0.0;
    std::string parts;
    for (const ArmSummary& a : r.arms) {
        if (!constant || a.arm == "constant" || a.arm == "lr-half" || !equal_epoch_arm(a.arm) ||
            a.runs < 2)
            continue;
        const ArmDifference d = compare_arms(r, a.arm, constant->arm, Metric::test_acc);
        ++total;
        max_se = std::max(max_se, d.se);
        pairs = d.pairs;
        better += exceeds(d, z) && d.diff > 0;
        worse += exceeds(d, z) && d.diff < 0;
        parts += (parts.empty() ? "" : "; ") + diff_text(d);
    }
    if (!constant || constant->runs < 2 || total == 0) {
        f.evidence = Evidence::not_testable;
        f.summary = "needs the constant arm and at least one decaying arm with ≥ 2 seeds";
        return f;
    }
    f.evidence = 2 * better > total && worse == 0 ? Evidence::supported
                 : 2 * worse > total              ? Evidence::contradicted
                                                  : Evidence::inconclusive;
    f.summary = fmt::format(
        "final test accuracy, decaying arm − constant: {}; {} of {} better and {} worse by more "
        "than {}·SE",
        parts, better, total, worse, sig(z, 3));
    f.power = power_text(max_se, z, pairs, "seeds",
                         "the final test accuracy difference (largest SE)", &kPaperScheduleSpread);
    return f;
}

verify::ClaimFinding batch_beats_lr(const verify::SchedulesResult& r, double z) {
    verify::ClaimFinding f;
    f.claim = "batch-beats-lr";
    const ArmSummary *lr = r.arm("lr-sqrt2"), *batch = r.arm("batch-x2"), *hybrid = r.arm("hybrid");
    if (!lr || !batch || lr->runs < 2 || batch->runs < 2) {
        f.evidence = Evidence::not_testable;
        f.summary = "needs the arms lr-sqrt2 and batch-x2 with ≥ 2 seeds each";
        return f;
    }
    const ArmDifference d = compare_arms(r, batch->arm, lr->arm, Metric::test_acc);
    auto verdict_of = [z](const ArmDifference& x) {
        return !exceeds(x, z) ? Evidence::inconclusive
               : x.diff > 0   ? Evidence::supported
                              : Evidence::contradicted;
    };
    f.evidence = verdict_of(d);
    f.summary = fmt::format(
        "decided at equal epochs (the paper's design: the same passes over the data): final test "
        "accuracy {} (criterion {}·SE); updates {} vs {}",
        diff_text(d), sig(z, 3), sig(batch->updates_mean, 5), sig(lr->updates_mean, 5));
    for (const Design* dd : {&kUpdatesOfEta, &kUpdatesOfBatch})
        if (has_runs(r, dd->batch) && has_runs(r, dd->lr)) {
            const ArmDifference u = compare_arms(r, dd->batch, dd->lr, Metric::test_acc);
            f.summary += fmt::format("; {}: {} → {}", dd->name, diff_text(u),
                                     verify::to_string(verdict_of(u)));
        }
    f.power = power_text(d.se, z, d.pairs, "seeds", "the final test accuracy difference",
                         &kPaperScheduleSpread);
    if (hybrid && hybrid->runs >= 2)
        f.summary +=
            fmt::format("; both together: {}, {}",
                        diff_text(compare_arms(r, hybrid->arm, batch->arm, Metric::test_acc)),
                        diff_text(compare_arms(r, hybrid->arm, lr->arm, Metric::test_acc)));
    return f;
}

verify::ClaimFinding poly_optimal(const verify::SchedulesResult& r, double z) {
    verify::ClaimFinding f;
    f.claim = "poly-optimal";
    const ArmSummary* best_poly = nullptr;
    for (const char* name : {"poly-0.9", "poly-1"})
        if (const ArmSummary* a = r.arm(name);
            a && a->runs >= 2 && (!best_poly || a->test_acc_mean > best_poly->test_acc_mean))
            best_poly = a;
    const ArmSummary* best_other = nullptr;
    for (const ArmSummary& a : r.arms)
        if (a.arm.rfind("poly", 0) != 0 && equal_epoch_arm(a.arm) && a.runs >= 2 &&
            (!best_other || a.test_acc_mean > best_other->test_acc_mean))
            best_other = &a;
    if (!best_poly || !best_other) {
        f.evidence = Evidence::not_testable;
        f.summary = "needs a poly arm and another arm with ≥ 2 seeds";
        return f;
    }
    const ArmDifference d = compare_arms(r, best_poly->arm, best_other->arm, Metric::test_acc);
    f.evidence = !exceeds(d, z) ? Evidence::inconclusive
                 : d.diff > 0   ? Evidence::supported
                                : Evidence::contradicted;
    f.summary = fmt::format(
        "best poly arm against the best other arm, final test accuracy: {} (criterion {}·SE)",
        diff_text(d), sig(z, 3));
    f.power = power_text(d.se, z, d.pairs, "seeds", "the final test accuracy difference",
                         &kPaperScheduleSpread);
    return f;
}

std::vector<ClaimFinding> schedules_findings(const SchedulesResult& r, double z) {
    return {delta_vs_smith(r, z), decay_beats_constant(r, z), batch_beats_lr(r, z),
            poly_optimal(r, z)};
}

// The runs of the seeds units[k] (repeats allowed), relabelled k so that a seed drawn twice forms
// two pairs, with the arm summaries recomputed.
SchedulesResult resample_seeds(const SchedulesResult& r, std::span<const int> units) {
    SchedulesResult out;
    out.config = r.config;
    for (std::size_t k = 0; k < units.size(); ++k) {
        const auto seed = static_cast<std::uint64_t>(r.seeds()[static_cast<std::size_t>(units[k])]);
        out.seeds_run.push_back(static_cast<int>(k));
        for (const ScheduleRun& run : r.runs)
            if (run.seed == seed) {
                out.runs.push_back(run);
                out.runs.back().seed = k;
            }
    }
    for (const ArmSummary& a : r.arms) out.arms.push_back(summarise_arm(a.arm, out.runs));
    return out;
}

}  // namespace

std::vector<ArmDifference> schedules_comparisons(const SchedulesResult& r) {
    std::vector<ArmDifference> out;
    auto add = [&](const char* a, const char* b, Metric m) {
        if (r.arm(a) && r.arm(b)) out.push_back(compare_arms(r, a, b, m));
    };
    for (const Design* d : {&kEqualEpochs, &kUpdatesOfEta, &kUpdatesOfBatch}) {
        add(d->batch, d->lr, Metric::train_loss);
        add(d->batch, d->half, Metric::train_loss);
        add(d->batch, d->lr, Metric::test_acc);
        add(d->batch, d->half, Metric::test_acc);
    }
    for (const ArmSummary& a : r.arms)
        if (a.arm != "constant" && a.arm != "lr-half" && equal_epoch_arm(a.arm))
            add(a.arm.c_str(), "constant", Metric::test_acc);
    add("hybrid", "batch-x2", Metric::test_acc);
    add("hybrid", "lr-sqrt2", Metric::test_acc);
    return out;
}

bool schedules_undecided(const SchedulesResult& r) {
    for (const ClaimFinding& f : schedules_findings(r, look_z(r, kScheduleZ)))
        if (f.evidence == Evidence::inconclusive) return true;
    return false;
}

verify::ExperimentOutcome schedules_outcome(const verify::SchedulesResult& r, double one_look_z) {
    const double z = look_z(r, one_look_z);
    verify::ExperimentOutcome o;
    o.name = kName;
    o.title = "Experiment 2: schedules with equal δ decay";
    o.scale = setup_text(r) +
              ". The paper: CIFAR-100, ResNet-18 / WRN-28-10, 200 epochs, η = 0.1, b = 32, a "
              "step every 40 epochs, augmentation; this is scaled down by orders of magnitude in "
              "data, model and epochs.";
    o.wall_seconds = r.wall_seconds;
    o.findings = schedules_findings(r, z);
    const std::vector<int>& seeds = r.seeds();
    assess_stability(
        o.findings, static_cast<int>(seeds.size()), "seeds", [&](std::span<const int> units) {
            std::vector<Evidence> out;
            for (const ClaimFinding& f : schedules_findings(resample_seeds(r, units), z))
                out.push_back(f.evidence);
            return out;
        });
    for (const ArmSummary& a : r.arms) {
        if (a.runs < 1) continue;
        o.checks.push_back({"test_acc_" + a.arm, a.test_acc_mean,
                            std::max(3.0 * a.test_acc_sd, 0.01),
                            "3 × the seed-to-seed sd of the final test accuracy (at least 0.01)"});
        o.checks.push_back({"train_loss_" + a.arm, a.train_loss_mean,
                            std::max(3.0 * a.train_loss_sd, 0.02 * a.train_loss_mean),
                            "3 × the seed-to-seed sd of the final training loss (at least 2%)"});
    }
    const ArmSummary* best = nullptr;
    for (const ArmSummary& a : r.arms)
        if (!best || a.test_acc_mean > best->test_acc_mean) best = &a;
    o.one_line =
        fmt::format("delta-vs-smith {}; best arm {} ({} test accuracy)",
                    verify::to_string(o.findings[0].evidence), best ? best->arm : "-",
                    best ? verify::plus_minus(best->test_acc_mean, best->test_acc_sd, 3) : "-");
    return o;
}

}  // namespace gradcert::verify
