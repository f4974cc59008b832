#include "numerics/linalg/krawczyk.hpp"

#include <Eigen/LU>
#include <optional>
#include <stdexcept>
#include <string>

#include "numerics/util/error.hpp"

namespace gradcert {
namespace {

double to_double_nearest(const double& v) {
    return v;
}
double to_double_nearest(const Mpfr& v) {
    return v.convert_to<double>();
}

// R ≈ (mid J)⁻¹ in double precision, as a point interval matrix; empty if mid J is singular.
template <class T>
std::optional<MatrixI<T>> approximate_inverse_of_midpoint(const MatrixI<T>& JX) {
    const Eigen::Index n = JX.rows();
    Eigen::MatrixXd mid(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) mid(i, j) = to_double_nearest(JX(i, j).mid());
    if (!mid.allFinite()) return std::nullopt;
    Eigen::FullPivLU<Eigen::MatrixXd> lu(mid);
    if (!lu.isInvertible()) return std::nullopt;
    const Eigen::MatrixXd inverse = lu.inverse();
    if (!inverse.allFinite()) return std::nullopt;
    MatrixI<T> R(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) R(i, j) = Interval<T>(inverse(i, j));
    return R;
}

}  // namespace

template <class T>
KrawczykResult<T> krawczyk(const VectorI<T>& X,
                           const std::function<VectorI<T>(const VectorI<T>&)>& F,
                           const std::function<MatrixI<T>(const VectorI<T>&)>& J) {
    const Eigen::Index n = X.size();
    KrawczykResult<T> out{KrawczykVerdict::inconclusive, X};
    VectorI<T> center(n), offset(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const T m = X[i].mid();
        center[i] = Interval<T>(m, m);
        offset[i] = X[i] - center[i];
    }
    const VectorI<T> Fc = F(center);
    const MatrixI<T> JX = J(X);
    if (Fc.size() != n || JX.rows() != n || JX.cols() != n)
        throw InternalError("krawczyk: F or J has the wrong size for a box of dimension " +
                            std::to_string(n));
    const std::optional<MatrixI<T>> R = approximate_inverse_of_midpoint(JX);
    if (!R) return out;
    VectorI<T> K(n);
    bool interior_all = true;
    for (Eigen::Index i = 0; i < n; ++i) {
        Interval<T> k = center[i];
        for (Eigen::Index j = 0; j < n; ++j) {
            k -= (*R)(i, j) * Fc[j];
            // (I − R J(X))_ij = δ_ij − Σ_l R_il J_lj.
            Interval<T> m(i == j ? 1 : 0);
            for (Eigen::Index l = 0; l < n; ++l) m -= (*R)(i, l) * JX(l, j);
            k += m * offset[j];
        }
        K[i] = k;
        interior_all = interior_all && interior(k, X[i]);
    }
    VectorI<T> refined(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const std::optional<Interval<T>> x = intersect(K[i], X[i]);
        if (!x) return {KrawczykVerdict::no_zero, VectorI<T>()};
        refined[i] = *x;
    }
    return {interior_all ? KrawczykVerdict::unique_zero : KrawczykVerdict::inconclusive, refined};
}

template <class T>
KrawczykResult<T> krawczyk_iterate(const VectorI<T>& X,
                                   const std::function<VectorI<T>(const VectorI<T>&)>& F,
                                   const std::function<MatrixI<T>(const VectorI<T>&)>& J,
                                   int max_iterations) {
    KrawczykResult<T> r = krawczyk(X, F, J);
    // A unique zero of a sub-box Y ⊂ X that holds every zero of X is the unique zero of X.
    for (int it = 1; it < max_iterations && r.verdict == KrawczykVerdict::inconclusive; ++it) {
        const VectorI<T> previous = r.refined;
        r = krawczyk(previous, F, J);
        if (r.verdict != KrawczykVerdict::inconclusive) break;
        bool shrank = false;
        for (Eigen::Index i = 0; i < previous.size(); ++i)
            shrank = shrank || T(r.refined[i].width() * 8) < T(previous[i].width() * 7);
        if (!shrank) break;
    }
    return r;
}

#define GRADCERT_KRAWCZYK_INSTANTIATE(T)                                                         \
    template KrawczykResult<T> krawczyk<T>(const VectorI<T>&,                                    \
                                           const std::function<VectorI<T>(const VectorI<T>&)>&,  \
                                           const std::function<MatrixI<T>(const VectorI<T>&)>&); \
    template KrawczykResult<T> krawczyk_iterate<T>(                                              \
        const VectorI<T>&, const std::function<VectorI<T>(const VectorI<T>&)>&,                  \
        const std::function<MatrixI<T>(const VectorI<T>&)>&, int);
GRADCERT_KRAWCZYK_INSTANTIATE(double)
GRADCERT_KRAWCZYK_INSTANTIATE(Mpfr)
#undef GRADCERT_KRAWCZYK_INSTANTIATE

}  // namespace gradcert
