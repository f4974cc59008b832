#include "theory/constants.hpp"

#include <cstdio>
#include <string>
#include <utility>

#include "theory/exact.hpp"
#include "theory/kernel.hpp"
#include "theory/momentum.hpp"
#include "theory/nice.hpp"
#include "theory/rastrigin.hpp"
#include "theory/schedule.hpp"

namespace gradcert::theory {

namespace {

// Collects constants of one group.
class ConstantTable {
  public:
    explicit ConstantTable(std::vector<NamedConstant>& out) : out_(out) {}
    void group(std::string name) { group_ = std::move(name); }
    void add(std::string name, const char* tag, std::string statement, IntervalM value) {
        out_.push_back({std::move(name), group_, tag, std::move(statement), std::move(value)});
    }

  private:
    std::vector<NamedConstant>& out_;
    std::string group_;
};

std::string zero_padded(int m, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*d", width, m);
    return buf;
}

// "ResNet-18" → "resnet18", "WRN-28-10" → "wrn28-10", "SHB" → "shb".
std::string key_of(const std::string& text) {
    std::string key;
    for (char c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c == '-' && key.rfind("resnet", 0) == 0) continue;
        if (c == '-' && key == "wrn") continue;
        key += c;
    }
    return key;
}

void add_sgd_degrees(ConstantTable& t) {
    t.group("sgd-delta");
    const IntervalM eta = decimal(kPaperLearningRate);
    for (const ReportedNoiseConstants& r : reported_noise_constants()) {
        for (int b : kPaperBatchSizes) {
            t.add("sgd.delta." + key_of(r.model) + "-" + key_of(r.optimizer) + "-c2.b" +
                      std::to_string(b),
                  "[P]",
                  "SGD delta = eta*C/sqrt(b), eta = 0.1, b = " + std::to_string(b) + ", C^2 = " +
                      r.variance_text + " (" + r.model + " " + r.optimizer + " variance)",
                  sgd_smoothing_degree_from_variance(eta, r.noise_variance, IntervalM(b)));
        }
    }
}

void add_momentum_degrees(ConstantTable& t) {
    t.group("momentum");
    const IntervalM eta = decimal(kPaperLearningRate);
    const IntervalM beta = decimal(kPaperMomentum);
    t.add("momentum.beta_hat.beta0.9", "[P]",
          "beta_hat = beta(beta^2-beta+1)/(1-beta)^2, beta = 0.9", shb_beta_hat(beta));
    for (const ReportedNoiseConstants& r : reported_noise_constants()) {
        const bool shb = r.optimizer == "SHB";
        for (int b : {32, 128}) {
            const IntervalM delta =
                shb ? shb_smoothing_degree(eta, r.noise_variance, IntervalM(b), beta, r.grad_bound)
                    : nshb_smoothing_degree(eta, r.noise_variance, IntervalM(b), beta,
                                            r.grad_bound);
            t.add("momentum." + key_of(r.optimizer) + "." + key_of(r.model) + ".b" +
                      std::to_string(b) + ".beta0.9.delta",
                  "[P]",
                  r.optimizer +
                      (shb ? " delta = eta*sqrt(C^2/b + beta_hat(C^2/b + K^2))"
                           : " delta = eta*sqrt(C^2/b + 4 beta^2 (C^2/b + K^2))") +
                      ", " + r.model + ": C^2 = " + r.variance_text + ", K = " + r.grad_bound_text +
                      ", eta = 0.1, b = " + std::to_string(b) + ", beta = 0.9",
                  delta);
        }
    }
    // The code's NSHB lr-batch-poly rule η' = γη·sqrt(b'/b) at the first stage of (200, 0.9),
    // b = 128 (balance 1.0): the realised δ ratio divided by γ_1 (1 iff the rule were exact).
    const auto reported = reported_noise_constants();
    const ReportedNoiseConstants& nshb = reported[1];
    const IntervalM p = decimal("0.9");
    const IntervalM gamma = poly_gamma(200, 1, p);
    const IntervalM b0(128);
    const IntervalM b1 = b0 * batch_poly_factor(200, 1, p, IntervalM(1));
    const IntervalM eta1 = nshb_lr_batch_poly_next_lr(gamma, eta, b0, b1);
    const IntervalM ratio =
        nshb_smoothing_degree(eta1, nshb.noise_variance, b1, beta, nshb.grad_bound) /
        nshb_smoothing_degree(eta, nshb.noise_variance, b0, beta, nshb.grad_bound);
    t.add("momentum.nshb.resnet18.lr_batch_poly.delta_ratio_over_gamma.m1", "[D]",
          "code rule eta' = gamma*eta*sqrt(b'/b) for NSHB (beta = 0.9, C^2 = 128, K = 4.5, "
          "b = 128, balance 1, M = 200, p = 0.9, m = 1): realised delta ratio / gamma_1 "
          "(exactly 1 only if beta = 0 or K = 0)",
          ratio / gamma);
}

void add_step_schedules(ConstantTable& t) {
    t.group("step-schedules");
    const IntervalM target = inverse_sqrt2();
    t.add("step.inverse_sqrt2", "[D]", "1/sqrt(2), the delta ratio of all three step schedules",
          target);
    for (StepSchedule s :
         {StepSchedule::lr_decay, StepSchedule::batch_growth, StepSchedule::hybrid}) {
        const std::string sname(step_schedule_name(s));
        for (StepLiteral v : {StepLiteral::exact, StepLiteral::literal15, StepLiteral::literal17}) {
            if (v != StepLiteral::exact && s == StepSchedule::batch_growth)
                continue;  // b x 2 exact
            const std::string vname(step_literal_name(v));
            const IntervalM ratio = step_delta_ratio(step_factors(s, v));
            const std::string prefix = "step." + sname + "." + vname;
            t.add(prefix + ".delta_ratio", v == StepLiteral::exact ? "[D]" : "[P]",
                  sname + " schedule, " + vname +
                      " factors: delta ratio per step = lr_factor/sqrt(batch_factor)",
                  ratio);
            if (v == StepLiteral::exact) continue;
            t.add(prefix + ".binary64_error", "[D]",
                  sname + " schedule, " + vname +
                      ": (ratio with the binary64 value of the literal) - 1/sqrt(2)",
                  ratio - target);
            t.add(prefix + ".decimal_error", "[D]",
                  sname + " schedule, " + vname +
                      ": (ratio with the exact decimal literal) - 1/sqrt(2)",
                  step_delta_ratio(step_factors_decimal_value(s, v)) - target);
            t.add(prefix + ".ratio_after_4_steps_minus_quarter", "[D]",
                  sname + " schedule, " + vname +
                      ": delta_final/delta_0 after the 4 steps of 200 epochs, minus 1/4",
                  pow(ratio, 4) - IntervalM(1) / 4);
        }
    }
    // The public igo-aaai25 main.py tests method "hybrid" in the lr branch first, so its batch
    // branch (elif) never runs: as published, hybrid scales η by 0.866025403784439 and keeps b.
    t.add("step.hybrid.code_as_published.delta_ratio", "[D]",
          "igo-aaai25 main.py as published: 'hybrid' matches the lr branch first, the batch "
          "branch (elif) never runs, so b stays fixed: delta ratio = 0.866025403784439",
          step_factors(StepSchedule::hybrid, StepLiteral::literal15).lr_factor);
    // δ per phase (epochs 0–39, 40–79, …) from η = 0.1, b = 32, C² = 25.318, exact factors.
    const IntervalM delta0 = sgd_smoothing_degree_from_variance(decimal(kPaperLearningRate),
                                                                decimal("25.318"), IntervalM(32));
    IntervalM delta = delta0;
    for (int k = 0; k <= 4; ++k) {
        t.add("step.exact.delta.phase" + std::to_string(k), "[D]",
              "delta in phase " + std::to_string(k) +
                  " of any step schedule with exact factors: 0.1*sqrt(25.318/32)*2^(-k/2)",
              delta);
        delta = delta * target;
    }
}

void add_poly_schedule(ConstantTable& t, int M, const char* p_text) {
    const IntervalM p = decimal(p_text);
    const std::string prefix = "poly.M" + std::to_string(M) + ".p" + p_text + ".";
    const std::string where = "M = " + std::to_string(M) + ", p = " + p_text;
    const std::vector<IntervalM> gammas = poly_gammas(M, p);
    t.group("poly " + where + ": gamma_m = ((M-m)/(M-m+1))^p");
    for (int m = 1; m < M; ++m)
        t.add(prefix + "gamma.m" + zero_padded(m, 3), "[P]",
              "gamma_m, " + where + ", m = " + std::to_string(m), gammas[m - 1]);
    t.group("poly " + where + ": delta_m/delta_1 = ((M-m+1)/M)^p (closed form)");
    for (int m = 1; m <= M; ++m)
        t.add(prefix + "delta_over_delta1.closed.m" + zero_padded(m, 3), "[D]",
              "delta_m/delta_1 closed form, " + where + ", m = " + std::to_string(m),
              poly_delta_ratio(M, m, p));
    t.group("poly " + where + ": delta_m/delta_1 = gamma_1*...*gamma_{m-1} (telescoped)");
    const std::vector<IntervalM> telescoped = telescoped_delta_ratios(gammas);
    for (int m = 1; m <= M; ++m)
        t.add(prefix + "delta_over_delta1.telescoped.m" + zero_padded(m, 3), "[D]",
              "delta_m/delta_1 telescoped, " + where + ", m = " + std::to_string(m),
              telescoped[m - 1]);
    for (Centering c : {Centering::next, Centering::gap}) {
        const std::string cname(centering_name(c));
        t.group("poly " + where + ": start radius factor rho_m (" + cname +
                "), <= 3/2 iff gamma_m >= 1/2");
        for (int m = 1; m < M; ++m)
            t.add(prefix + "rho." + cname + ".m" + zero_padded(m, 3), "[D]",
                  "rho_m (" + cname + ") at gamma_m, " + where + ", m = " + std::to_string(m),
                  start_radius_factor(c, gammas[m - 1]));
    }
    t.group("poly " + where + ": summary");
    t.add(prefix + "min_gamma", "[D]", "min_m gamma_m = gamma_{M-1} = 2^(-p), " + where,
          poly_min_gamma(p));
    for (Centering c : {Centering::next, Centering::gap}) {
        const std::string cname(centering_name(c));
        t.add(prefix + "rho." + cname + ".max", "[D]",
              "largest start radius factor rho_{M-1} (" + cname + ") at gamma_{M-1} = 2^(-p), " +
                  where,
              start_radius_factor(c, gammas.back()));
    }
}

void add_invariant(ConstantTable& t) {
    t.group("invariant");
    t.add("invariant.limit", "[D]", "rho_m <= 3/2 <=> gamma_m >= 1/2 (both centering variants)",
          start_radius_limit());
    for (Centering c : {Centering::next, Centering::gap}) {
        const std::string cname(centering_name(c));
        for (const char* g : {"0.5", "0.75", "0.9", "0.99"})
            t.add("invariant.rho." + cname + ".gamma" + g, "[D]",
                  std::string("rho (") + cname + ") = " +
                      (c == Centering::next ? "1/(4 gamma) + 1" : "(1/4 + 1 - gamma)/gamma") +
                      " at gamma = " + g,
                  start_radius_factor(c, decimal(g)));
    }
}

void add_stage_counts(ConstantTable& t) {
    t.group("stage-count");
    for (int inv_eps : {10, 100, 1000})
        for (const char* p : {"0.5", "0.9", "1"}) {
            const StageCount s = stage_count(IntervalM(inv_eps), decimal(p));
            t.add("stage_count.inv_eps" + std::to_string(inv_eps) + ".p" + p, "[R]",
                  "M(eps, p) = ceil(eps^(-1/p)) (constant-free; the paper's constant is "
                  "uncertain), eps = 1/" +
                      std::to_string(inv_eps) + ", p = " + p,
                  IntervalM(Mpfr(s.lo), Mpfr(s.hi)));
        }
}

void add_work_counts(ConstantTable& t) {
    t.group("work-count");
    for (int M : {50, 200})
        for (const char* p_text : {"0.25", "0.5", "0.9", "1"}) {
            const IntervalM p = decimal(p_text);
            const IntervalM w = work_count(M, p);
            const std::string key = "work_count.M" + std::to_string(M) + ".p" + p_text;
            const std::string where = "M = " + std::to_string(M) + ", p = " + p_text;
            t.add(key, "[D]", "W = M^(2p) sum_{k<=M} k^(-2p), " + where, w);
            const WorkRegime r = work_regime(p);
            const IntervalM m(M);
            if (r == WorkRegime::inverse_eps_squared)
                t.add(key + ".over_M_2p", "[D]",
                      "W/M^(2p) = sum k^(-2p) -> zeta(2p): W = O(eps^-2), " + where,
                      w / pow(m, 2 * p));
            else if (r == WorkRegime::m_log_m)
                t.add(key + ".over_M_log_M", "[D]", "W/(M ln M) -> 1: W = O(M log M), " + where,
                      w / (m * log(m)));
            else if (r == WorkRegime::linear)
                t.add(key + ".over_M", "[D]", "W/M -> 1/(1-2p): W = O(M), " + where, w / m);
        }
}

void add_kernel_moments(ConstantTable& t) {
    t.group("kernel");
    for (Kernel::Kind kind :
         {Kernel::Kind::uniform_ball, Kernel::Kind::gaussian_unit, Kernel::Kind::gaussian}) {
        const std::string kname(kernel_kind_name(kind));
        for (int d : {1, 2, 3, 10, 50, 1000}) {
            const Kernel k{kind, d};
            const std::string key = "kernel." + kname + ".d" + std::to_string(d);
            t.add(key + ".mean_norm", "[D]",
                  "E|u| for " + kname + " in dimension " + std::to_string(d), kernel_mean_norm(k));
            t.add(key + ".coordinate_variance", "[D]",
                  "E[u_i^2] for " + kname + " in dimension " + std::to_string(d),
                  kernel_coordinate_variance(k));
        }
    }
}

void add_rastrigin(ConstantTable& t) {
    t.group("rastrigin");
    t.add("rastrigin.curvature_two_threshold", "[D]",
          "1-D Rastrigin, u ~ N(0,1): min curvature on B(0; 3 delta) >= 2 iff delta <= 1/12",
          rastrigin_curvature_two_threshold());
    const NonconvexityInterval nc = rastrigin_nonconvexity_interval();
    t.add("rastrigin.nonconvex.lower", "[D]",
          "zero of 2 + 40 pi^2 exp(-2 pi^2 delta^2) cos(6 pi delta) in [1/12, 1/6]: smoothed "
          "Rastrigin not convex on B(0; 3 delta) above it",
          nc.lower);
    t.add("rastrigin.nonconvex.upper", "[D]",
          "sqrt(ln(20 pi^2)/(2 pi^2)): smoothed Rastrigin not convex on B(0; 3 delta) below it",
          nc.upper);
}

}  // namespace

std::vector<NamedConstant> paper_constants() {
    std::vector<NamedConstant> out;
    ConstantTable t(out);
    add_sgd_degrees(t);
    add_momentum_degrees(t);
    add_step_schedules(t);
    add_poly_schedule(t, 200, "0.9");
    add_poly_schedule(t, 50, "1");
    add_invariant(t);
    add_stage_counts(t);
    add_work_counts(t);
    add_kernel_moments(t);
    add_rastrigin(t);
    return out;
}

}  // namespace gradcert::theory
