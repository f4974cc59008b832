#pragma once
// Sequential seeds within a budget (docs/claims.md, "Sequential seeds"): the pre-stated stopping
// rule of the schedule comparisons. A comparison is decided at one look when |d| > z·SE (z = 2:
// two-sided level α = 2(1 − Φ(z)) ≈ 0.0455 under the normal approximation). With K planned
// looks (the configured seeds, then one look after each added seed, up to max_seeds), every look
// uses the Bonferroni-over-looks critical value
//     z_K = Φ⁻¹(1 − α/(2K)) = −Φ⁻¹(Φ(−z)/K),
// so the probability that any of the K looks declares a difference that is not there is at most
// K · α/K = α by the union bound, whatever the stopping rule and however the looks depend on
// each other. The bound inherits the normal approximation of each look (the SE is estimated; see
// docs/claims.md). K = 1 gives z back exactly.
namespace gradcert::verify {

// z_K for the one-look criterion z and K ≥ 1 planned looks; throws std::invalid_argument for
// K < 1 or z not positive and finite.
double bonferroni_look_z(double z, int looks);

// The two-sided level 2(1 − Φ(z)) of the one-look criterion z.
double two_sided_level(double z);

// Planned looks: 1 + (max_units − initial_units) when max_units > initial_units, else 1.
int planned_looks(int initial_units, int max_units);

}  // namespace gradcert::verify
