#pragma once
// Krawczyk test for the zeros of a map F: Rⁿ → Rⁿ in a box X:
//
//   K(X) = x̃ − R F(x̃) + (I − R J(X))(X − x̃),   x̃ = mid X,  R ≈ (mid J(X))⁻¹ (floating point).
//
// Contract (any R keeps it sound): every zero of F in X lies in K(X); K(X) ⊂ int X ⇒ F has
// exactly one zero in X (verdict unique_zero); K(X) ∩ X = ∅ ⇒ F has no zero in X (no_zero);
// otherwise inconclusive. refined = K(X) ∩ X (empty vector for no_zero) holds every zero of F in X.
// A singular or non-finite mid J(X) gives inconclusive with refined = X.
#include <functional>

#include "numerics/interval/interval.hpp"

namespace gradcert {

enum class KrawczykVerdict { unique_zero, no_zero, inconclusive };

template <class T>
struct KrawczykResult {
    KrawczykVerdict verdict = KrawczykVerdict::inconclusive;
    VectorI<T> refined;
};

// F encloses the map over a (point or thin) box; J encloses its Jacobian over a box.
template <class T>
KrawczykResult<T> krawczyk(const VectorI<T>& X,
                           const std::function<VectorI<T>(const VectorI<T>&)>& F,
                           const std::function<MatrixI<T>(const VectorI<T>&)>& J);

// Repeats X ← K(X) ∩ X until a verdict other than inconclusive, no box shrinks by more than
// 1/8 of its width, or max_iterations; the verdict refers to the original box.
template <class T>
KrawczykResult<T> krawczyk_iterate(const VectorI<T>& X,
                                   const std::function<VectorI<T>(const VectorI<T>&)>& F,
                                   const std::function<MatrixI<T>(const VectorI<T>&)>& J,
                                   int max_iterations = 20);

}  // namespace gradcert
