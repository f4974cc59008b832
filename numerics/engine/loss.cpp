#include "numerics/engine/loss.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "numerics/engine/threads.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

template <class T>
double softmax_cross_entropy(int n, int classes, const T* logits, const std::int32_t* labels,
                             T* dlogits, int* correct) {
    for (int b = 0; b < n; ++b) {
        if (labels[b] < 0 || labels[b] >= classes) {
            throw_input_error("labels", "label " + std::to_string(labels[b]) + " of example " +
                                            std::to_string(b) + " is outside [0, " +
                                            std::to_string(classes) + ")");
        }
    }
    std::vector<double> row_loss(n);
    std::vector<int> row_correct(n);
#pragma omp parallel for schedule(static) if (parallel_worth(long(n) * classes))
    for (int b = 0; b < n; ++b) {
        const T* z = logits + long(b) * classes;
        int best = 0;
        for (int j = 1; j < classes; ++j) {
            if (z[j] > z[best]) best = j;
        }
        const double zmax = double(z[best]);
        double total = 0.0;
        for (int j = 0; j < classes; ++j) total += std::exp(double(z[j]) - zmax);
        row_loss[b] = std::log(total) - (double(z[labels[b]]) - zmax);
        row_correct[b] = best == labels[b] ? 1 : 0;
        if (dlogits != nullptr) {
            T* d = dlogits + long(b) * classes;
            for (int j = 0; j < classes; ++j) {
                const double p = std::exp(double(z[j]) - zmax) / total;
                d[j] = T((p - (j == labels[b] ? 1.0 : 0.0)) / double(n));
            }
        }
    }
    double loss = 0.0;
    int hits = 0;
    for (int b = 0; b < n; ++b) {
        loss += row_loss[b];
        hits += row_correct[b];
    }
    if (correct != nullptr) *correct = hits;
    return n > 0 ? loss / double(n) : 0.0;
}

template double softmax_cross_entropy<float>(int, int, const float*, const std::int32_t*, float*,
                                             int*);
template double softmax_cross_entropy<double>(int, int, const double*, const std::int32_t*, double*,
                                              int*);

}  // namespace gradcert::engine
