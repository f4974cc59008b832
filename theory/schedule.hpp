#pragma once
// Noise schedules of docs/mathematics.md §3 and §5: the SGD smoothing degree δ = ηC/√b, the
// polynomial schedule γ_m / δ_m, the implicit (η, b) rules of the AAAI code, the three step
// schedules, the stage count and the work count. Every function returns a rigorous enclosure (no
// libm).
//
// Index convention: stages m = 1, …, M as in the paper. The AAAI code (igo-aaai25 main.py)
// calls its rules once per epoch with m = epoch index e = 0, 1, …, M−1; its factor at e equals the
// paper's formula evaluated at m = e (so its first factor is M/(M+1), not (M−1)/M: the code's δ
// after e epochs is δ_0((M+1−e)/(M+1))^p, the paper's schedule with M+1 stages). PyTorch's
// PolynomialLR(total_iters = M, power = p) gives η_e = η_0(1 − e/M)^p, exactly the paper's
// δ_m = δ_1((M−m+1)/M)^p with m = e + 1 at fixed b.
#include <string_view>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert::theory {

// ---- The smoothing degree of SGD -------------------------------------------------------------

// δ = η·C/√b [P, docs/mathematics.md §3]: one SGD step with learning rate η and batch size b is, in
// expectation, a gradient step on f smoothed at degree δ, where C² bounds the per-example
// gradient variance. `noise_std` is C (not C²). Requires batch > 0, noise_std ≥ 0.
IntervalM sgd_smoothing_degree(const IntervalM& eta, const IntervalM& noise_std,
                               const IntervalM& batch);
// The same with the variance C² as input (the AAAI code's constant named C is C²).
IntervalM sgd_smoothing_degree_from_variance(const IntervalM& eta, const IntervalM& noise_variance,
                                             const IntervalM& batch);

// ---- Polynomial schedule (docs/mathematics.md §5)
// -------------------------------------------------------

// γ_m = ((M−m)/(M−m+1))^p for 1 ≤ m ≤ M [P]; γ_M = 0 (δ_{M+1} = 0). Requires p > 0.
// Throws std::invalid_argument for m outside [1, M].
IntervalM poly_gamma(int M, int m, const IntervalM& p);
// γ_1, …, γ_{M−1} (the ratios between positive degrees).
std::vector<IntervalM> poly_gammas(int M, const IntervalM& p);
// δ_m / δ_1 = ((M−m+1)/M)^p for 1 ≤ m ≤ M+1 [D] (telescoping γ_1⋯γ_{m−1}); 0 at m = M+1.
IntervalM poly_delta_ratio(int M, int m, const IntervalM& p);
// δ_m / δ_1 = Π_{k<m} γ_k for m = 1, …, gammas.size()+1, multiplied out from the given γ's.
// An independent route to poly_delta_ratio: the two enclosures must intersect.
std::vector<IntervalM> telescoped_delta_ratios(const std::vector<IntervalM>& gammas);
// min_{m<M} γ_m = γ_{M−1} = 2^{−p} [D]; ≥ 1/2 ⇔ p ≤ 1.
IntervalM poly_min_gamma(const IntervalM& p);

// ---- Implicit (η, b) rules of the AAAI code [P] ----------------------------------------------

// lr_poly: η_{m+1}/η_m = ((M−m)/(M−m+1))^{p/2}; at fixed b the δ ratio is γ_m^{1/2}.
IntervalM lr_poly_factor(int M, int m, const IntervalM& p);
// batch_poly: b_{m+1}/b_m = ((M−m+1)/(M−m))^{p·balance}, 1 ≤ m < M; at fixed η the δ ratio is
// γ_m^{balance/2} (exactly γ_m iff balance = 2). The code keeps b as a real number and loads
// batches of int(b) examples; this factor is the real-valued one.
IntervalM batch_poly_factor(int M, int m, const IntervalM& p, const IntervalM& balance);
// δ_{m+1}/δ_m = (η_{m+1}/η_m)/sqrt(b_{m+1}/b_m) for plain SGD [D].
IntervalM sgd_delta_ratio(const IntervalM& lr_factor, const IntervalM& batch_factor);
// lr-batch-poly for plain SGD: the η factor γ·sqrt(b_{m+1}/b_m) that makes δ shrink by exactly γ.
IntervalM lr_batch_poly_lr_factor(const IntervalM& gamma, const IntervalM& batch_factor);

// ---- Step schedules (every 40 of 200 epochs) [P] --------------------------------------------

enum class StepSchedule { lr_decay, batch_growth, hybrid };
std::string_view step_schedule_name(StepSchedule s);  // "lr", "batch", "hybrid"

// Which numbers multiply η and b at each step:
//   exact:       1/√2 and 1; 1 and 2; √3/2 and 3/2 (all give δ ratio exactly 1/√2 [D]);
//   literal15:   the decimal literals of igo-aaai25 main.py: 0.707106781186548 and
//                0.866025403784439 (15 significant digits), b factors 2 and 1.5;
//   literal17:   0.7071067811865476 and 0.8660254037844386 (the shortest round-trip decimals of
//                the binary64 numbers nearest 1/√2 and √3/2; as quoted in the suite's brief).
// For the literal variants the value used is the binary64 number the literal parses to (what
// Python/PyTorch multiply by); decimal_value gives the literal's exact decimal value instead.
enum class StepLiteral { exact, literal15, literal17 };
std::string_view step_literal_name(StepLiteral v);

struct StepFactors {
    IntervalM lr_factor;     // η_{k+1}/η_k
    IntervalM batch_factor;  // b_{k+1}/b_k
};
StepFactors step_factors(StepSchedule s, StepLiteral v);
// The literal's exact decimal value (no binary64 rounding); for `exact` the same as step_factors.
StepFactors step_factors_decimal_value(StepSchedule s, StepLiteral v);
// δ_{k+1}/δ_k = lr_factor / sqrt(batch_factor) [D].
IntervalM step_delta_ratio(const StepFactors& f);
// 1/√2.
IntervalM inverse_sqrt2();

// Batch sizes b_0, …, b_steps the code loads: b_{k+1} = int(b_k · factor) (Python truncation).
// With b_0 = 32 and factor 1.5 every product is an integer (48, 72, 108, 162).
std::vector<long> code_batch_sizes(long b0, double factor, int steps);

// ---- Stage count and work count -------------------------------------------------------------

// M(ε, p) = ⌈ε^{−1/p}⌉, the smallest integer M with M^p ≥ 1/ε [D] — the constant-free form of
// the paper's M = O(ε^{−1/p}) [P, AAAI]. The paper's constant in front is uncertain [R] and is
// not included. `inverse_accuracy` is 1/ε (pass it exactly, e.g. 100 for ε = 0.01).
// Returned as the candidates [lo, hi]: lo == hi unless (1/ε)^{1/p} is too close to an integer to
// decide at the working precision.
struct StageCount {
    long lo;
    long hi;
    bool decided() const { return lo == hi; }
};
StageCount stage_count(const IntervalM& inverse_accuracy, const IntervalM& p);

// W(M, p) = M^{2p} Σ_{k=1}^{M} k^{−2p} [D]: with ε_m ∝ σδ_m² and T_m ∝ 1/(σ²δ_m²),
// Σ_m T_m ∝ W(M, p) (k = M−m+1). O(M) interval operations.
IntervalM work_count(int M, const IntervalM& p);

// Growth of W with M = ⌈ε^{−1/p}⌉ [D]:
//   p ∈ (1/2, 1]: Σ k^{−2p} → ζ(2p), W ~ ζ(2p) M^{2p} = O(ε^{−2});
//   p = 1/2:      W = M·H_M = O(M log M);
//   p ∈ (0, 1/2): Σ k^{−2p} ~ M^{1−2p}/(1−2p), W ~ M/(1−2p) = O(M).
// `undecided` when the enclosure of p straddles 1/2 (or 1), `outside` when p ∉ (0, 1].
enum class WorkRegime { linear, m_log_m, inverse_eps_squared, outside, undecided };
WorkRegime work_regime(const IntervalM& p);
std::string_view work_regime_name(WorkRegime r);

}  // namespace gradcert::theory
