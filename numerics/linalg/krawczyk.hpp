#pragma once
// Krawczyk test for zeros of a map F: Rⁿ → Rⁿ in a box X.
//
// K(X) = x̃ − R F(x̃) + (I − R J(X))(X − x̃), x̃ = mid X, R ≈ (mid J(X))⁻¹ (floating point; any R
// keeps the test sound). Contract: K(X) ⊂ int X ⇒ F has exactly one zero in X (verdict
// unique_zero, and the zero lies in refined = K(X) ∩ X); K(X) ∩ X = ∅ ⇒ no zero in X (no_zero);
// otherwise inconclusive (refined = K(X) ∩ X still holds every zero of F in X).
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

extern template KrawczykResult<double> krawczyk<double>(
    const VectorI<double>&, const std::function<VectorI<double>(const VectorI<double>&)>&,
    const std::function<MatrixI<double>(const VectorI<double>&)>&);
extern template KrawczykResult<Mpfr> krawczyk<Mpfr>(
    const VectorI<Mpfr>&, const std::function<VectorI<Mpfr>(const VectorI<Mpfr>&)>&,
    const std::function<MatrixI<Mpfr>(const VectorI<Mpfr>&)>&);

}  // namespace gradcert
