#pragma once
// In-memory image classification datasets of the reference SGD engine.
//
// Pixels are kept as the raw bytes of the source files (0..255, N × C × H × W, C-order) so that
// augmentation works on the original image (zero padding before normalisation, as the paper's
// torchvision pipeline does); a batch is normalised to float32 only when it is assembled
// (data_batch.hpp): x = (p/255 − mean[c]) / std[c].
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gradcert::engine {

struct Dataset {
    std::string name;  // e.g. "fashion-mnist/train"
    int channels = 0;
    int height = 0;
    int width = 0;
    int classes = 0;
    std::vector<std::uint8_t> pixels;  // size() × channels × height × width
    std::vector<std::int32_t> labels;  // in [0, classes)
    std::vector<float> mean;           // per channel, of p/255
    std::vector<float> stddev;         // per channel, of p/255

    int size() const { return static_cast<int>(labels.size()); }
    std::size_t example_bytes() const {
        return static_cast<std::size_t>(channels) * static_cast<std::size_t>(height) *
               static_cast<std::size_t>(width);
    }
    const std::uint8_t* image(int i) const {
        return pixels.data() + static_cast<std::size_t>(i) * example_bytes();
    }
};

struct DataSplit {
    Dataset train;
    Dataset test;
};

// Number of examples of each class (size `classes`).
std::vector<int> class_counts(const Dataset& d);

// Per-channel mean and standard deviation of p/255 over the whole dataset (population std),
// accumulated in double.
void pixel_moments(const Dataset& d, std::vector<double>& mean, std::vector<double>& stddev);

// How a subset of k examples is chosen (both deterministic, no seed involved):
//  balanced — the first ⌊k/C⌋ examples of every class in file order, plus one more of each of
//             the first k mod C classes; throws InputError if a class has too few examples;
//  first    — the first k examples in file order.
// The subset keeps file order. k = 0 or k ≥ size() keeps everything (balanced requires k ≤ size).
enum class SubsetMode { balanced, first };
Dataset subset(const Dataset& d, int k, SubsetMode mode);

// FNV-1a 64-bit hash over the shape, labels and pixels (for the run manifest; identifies the
// data actually used, not a cryptographic digest). Hex string of 16 digits.
std::string dataset_hash(const Dataset& d);

// Throws InputError naming `what` if the dataset is empty, has inconsistent sizes or a label
// outside [0, classes).
void check_dataset(const Dataset& d, const std::string& what);

}  // namespace gradcert::engine
