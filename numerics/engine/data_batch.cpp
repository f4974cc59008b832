#include "numerics/engine/data_batch.hpp"

#include <algorithm>

namespace gradcert::engine {

std::vector<float> normalisation_table(const Dataset& data) {
    std::vector<float> table(static_cast<std::size_t>(data.channels) * 256);
    for (int c = 0; c < data.channels; ++c)
        for (int p = 0; p < 256; ++p)
            table[static_cast<std::size_t>(c) * 256 + static_cast<std::size_t>(p)] =
                static_cast<float>((p / 255.0 - static_cast<double>(data.mean[c])) /
                                   static_cast<double>(data.stddev[c]));
    return table;
}

void BatchAssembler::assemble(const Dataset& data, std::span<const int> indices,
                              const AugmentConfig* augment, std::uint64_t seed, std::uint64_t step,
                              int first_position) {
    const std::size_t eb = data.example_bytes();
    const std::size_t plane = static_cast<std::size_t>(data.height) * data.width;
    const int n = static_cast<int>(indices.size());
    size_ = n;
    if (images_.size() < static_cast<std::size_t>(n) * eb) {
        images_.resize(static_cast<std::size_t>(n) * eb);
        raw_.resize(static_cast<std::size_t>(n) * eb);
        labels_.resize(static_cast<std::size_t>(n));
    }
    const std::vector<float> table = normalisation_table(data);
    const bool do_augment = augment != nullptr && augment->any();
#pragma omp parallel
    {
        std::vector<std::uint8_t> scratch;
#pragma omp for schedule(static)
        for (int j = 0; j < n; ++j) {
            const int i = indices[static_cast<std::size_t>(j)];
            std::uint8_t* raw = raw_.data() + static_cast<std::size_t>(j) * eb;
            std::copy_n(data.image(i), eb, raw);
            if (do_augment) {
                RunRng rng(stream_key(seed, Stream::augment, step,
                                      static_cast<std::uint64_t>(first_position + j)));
                augment_image(raw, data.channels, data.height, data.width, *augment, rng, scratch);
            }
            float* out = images_.data() + static_cast<std::size_t>(j) * eb;
            for (int c = 0; c < data.channels; ++c) {
                const float* t = table.data() + static_cast<std::size_t>(c) * 256;
                for (std::size_t k = 0; k < plane; ++k)
                    out[static_cast<std::size_t>(c) * plane + k] =
                        t[raw[static_cast<std::size_t>(c) * plane + k]];
            }
            labels_[static_cast<std::size_t>(j)] = data.labels[static_cast<std::size_t>(i)];
        }
    }
}

}  // namespace gradcert::engine
