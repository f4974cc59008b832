#pragma once
// Assembling a mini-batch: gather the examples, augment them (optionally), normalise to float32
// NCHW. Buffers are allocated once per largest batch and reused across steps.
#include <cstdint>
#include <span>
#include <vector>

#include "numerics/engine/augment.hpp"
#include "numerics/engine/dataset.hpp"

namespace gradcert::engine {

class BatchAssembler {
  public:
    // Fills images() and labels() with the examples `indices` of `data`. With `augment` non-null
    // and any() set, the example at batch position j (= first_position + its index in
    // `indices`) is augmented with RunRng(stream_key(seed, augment, step, j)), so the batch
    // depends only on (seed, step, indices), also when a batch is assembled in micro-batches.
    // Parallel over examples (OpenMP); the result does not depend on the thread count.
    void assemble(const Dataset& data, std::span<const int> indices, const AugmentConfig* augment,
                  std::uint64_t seed, std::uint64_t step, int first_position = 0);

    const float* images() const { return images_.data(); }
    const std::int32_t* labels() const { return labels_.data(); }
    int size() const { return size_; }

  private:
    std::vector<float> images_;
    std::vector<std::int32_t> labels_;
    std::vector<std::uint8_t> raw_;
    int size_ = 0;
};

// (p/255 − mean[c]) / std[c] for every byte value p and channel c, computed in double and
// rounded once to float: table[c·256 + p].
std::vector<float> normalisation_table(const Dataset& data);

}  // namespace gradcert::engine
