#include "numerics/linalg/krawczyk.hpp"

#include <Eigen/LU>

namespace gradcert {

template <class T>
KrawczykResult<T> krawczyk(const VectorI<T>& X,
                           const std::function<VectorI<T>(const VectorI<T>&)>& F,
                           const std::function<MatrixI<T>(const VectorI<T>&)>& J) {
    const Eigen::Index n = X.size();
    KrawczykResult<T> out;
    out.refined = X;
    VectorI<T> center(n);
    for (Eigen::Index i = 0; i < n; ++i) center[i] = Interval<T>(X[i].mid());
    VectorI<T> Fc = F(center);
    MatrixI<T> JX = J(X);
    Eigen::MatrixXd Jmid(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j)
            Jmid(i, j) = 0.5 * (JX(i, j).lower_double() + JX(i, j).upper_double());
    Eigen::FullPivLU<Eigen::MatrixXd> lu(Jmid);
    if (!Jmid.allFinite() || !lu.isInvertible()) return out;
    Eigen::MatrixXd Rd = lu.inverse();
    MatrixI<T> R(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) R(i, j) = Interval<T>(Rd(i, j));

    VectorI<T> K(n);
    bool inside = true;
    for (Eigen::Index i = 0; i < n; ++i) {
        Interval<T> k = center[i];
        for (Eigen::Index j = 0; j < n; ++j) k -= R(i, j) * Fc[j];
        for (Eigen::Index j = 0; j < n; ++j) {
            Interval<T> m = Interval<T>(i == j ? 1 : 0);
            for (Eigen::Index l = 0; l < n; ++l) m -= R(i, l) * JX(l, j);
            k += m * (X[j] - center[j]);
        }
        auto meet = intersect(k, X[i]);
        if (!meet) {
            out.verdict = KrawczykVerdict::no_zero;
            return out;
        }
        inside = inside && interior(k, X[i]);
        K[i] = *meet;
    }
    out.refined = K;
    out.verdict = inside ? KrawczykVerdict::unique_zero : KrawczykVerdict::inconclusive;
    return out;
}

template KrawczykResult<double> krawczyk<double>(
    const VectorI<double>&, const std::function<VectorI<double>(const VectorI<double>&)>&,
    const std::function<MatrixI<double>(const VectorI<double>&)>&);
template KrawczykResult<Mpfr> krawczyk<Mpfr>(
    const VectorI<Mpfr>&, const std::function<VectorI<Mpfr>(const VectorI<Mpfr>&)>&,
    const std::function<MatrixI<Mpfr>(const VectorI<Mpfr>&)>&);

}  // namespace gradcert
