#include "numerics/engine/probe.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "numerics/engine/train_rng.hpp"

namespace gradcert::engine {

double mean_gradient(Model& model, const Dataset& data, std::span<const int> indices, int chunk,
                     std::vector<double>& grad, BatchAssembler& batch, int* correct) {
    const int n = static_cast<int>(indices.size());
    if (n == 0) throw std::invalid_argument("mean_gradient: no examples");
    chunk = chunk > 0 ? std::min(chunk, n) : n;
    const std::span<float> g = model.grads();
    grad.assign(g.size(), 0.0);
    double loss = 0.0;
    int total_correct = 0;
    for (int start = 0; start < n; start += chunk) {
        const int m = std::min(chunk, n - start);
        batch.assemble(
            data, indices.subspan(static_cast<std::size_t>(start), static_cast<std::size_t>(m)),
            nullptr, 0, 0);
        int ok = 0;
        const double l = model.loss_and_gradient(batch.images(), batch.labels(), m, false, &ok);
        const double w = static_cast<double>(m) / n;
        loss += w * l;
        total_correct += ok;
        for (std::size_t i = 0; i < g.size(); ++i) grad[i] += w * static_cast<double>(g[i]);
    }
    if (correct != nullptr) *correct = total_correct;
    return loss;
}

Evaluation evaluate_dataset(Model& model, const Dataset& data, int chunk, int limit) {
    const int n = limit > 0 ? std::min(limit, data.size()) : data.size();
    chunk = chunk > 0 ? std::min(chunk, n) : n;
    std::vector<int> idx(static_cast<std::size_t>(chunk));
    BatchAssembler batch;
    double loss = 0.0;
    long correct = 0;
    for (int start = 0; start < n; start += chunk) {
        const int m = std::min(chunk, n - start);
        for (int j = 0; j < m; ++j) idx[static_cast<std::size_t>(j)] = start + j;
        batch.assemble(data, std::span<const int>(idx.data(), static_cast<std::size_t>(m)), nullptr,
                       0, 0);
        int ok = 0;
        loss += m * model.evaluate(batch.images(), batch.labels(), m, &ok);
        correct += ok;
    }
    return {loss / n, static_cast<double>(correct) / n, n};
}

}  // namespace gradcert::engine
