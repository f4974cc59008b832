#pragma once
// Measurements taken during training at fixed weights ("probes"). None of them changes the run:
// batch-norm buffers are never updated (loss_and_gradient(update_buffers = false)), parameters
// perturbed by the Hessian and sharpness probes are restored bit for bit, and every random draw
// comes from streams keyed by (seed, step). Every value is a sampled estimate, not a bound.
//
// Gradients over a set of examples are computed in chunks of at most `chunk` examples (the
// current batch size b, or the configured micro-batch): the result is the size-weighted mean of
// the chunk gradients, accumulated in double. For models without batch norm this is the plain
// mean gradient; with batch norm it is the mean of batch-b gradients, i.e. the objective SGD
// actually samples. Probes see the data without augmentation.
#include <cstdint>
#include <span>
#include <vector>

#include "numerics/engine/data_batch.hpp"
#include "numerics/engine/dataset.hpp"
#include "numerics/engine/model.hpp"
#include "numerics/engine/noise.hpp"

namespace gradcert::engine {

// Mean training-mode loss and gradient (into `grad`, double) over `indices`, chunked; `correct`
// (optional) receives the number of correctly classified examples. Buffers are not updated.
double mean_gradient(Model& model, const Dataset& data, std::span<const int> indices, int chunk,
                     std::vector<double>& grad, BatchAssembler& batch, int* correct = nullptr);

struct Evaluation {
    double loss = 0.0;
    double accuracy = 0.0;
    int examples = 0;
};

// Evaluation-mode loss and accuracy over the first `limit` examples (0 = all), in chunks of
// `chunk` examples; the loss is the example-weighted mean, in double.
Evaluation evaluate_dataset(Model& model, const Dataset& data, int chunk, int limit = 0);

}  // namespace gradcert::engine
