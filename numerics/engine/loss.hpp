#pragma once
// Softmax cross-entropy, mean over the batch (PyTorch nn.CrossEntropyLoss, reduction "mean").
//
// Shapes: logits, dlogits [n, classes] row-major; labels [n] in [0, classes).
// loss = (1/n) Σ_b [ log Σ_j exp(z_bj − max_b) − (z_b,label − max_b) ], evaluated in double with
// the row maximum subtracted (no overflow for any finite logits). dlogits (if non-null) receives
// (softmax(z_b) − onehot(label_b))/n. `correct` (if non-null) receives the number of rows whose
// first maximal logit is at the label. Throws gradcert::InputError naming the offending label.
#include <cstdint>

namespace gradcert::engine {

template <class T>
double softmax_cross_entropy(int n, int classes, const T* logits, const std::int32_t* labels,
                             T* dlogits, int* correct);

}  // namespace gradcert::engine
