#include "numerics/engine/dataset_synthetic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "numerics/engine/train_rng.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace {

constexpr int kGrid = 4;

// Prototype levels: classes × channels × kGrid × kGrid values in [0, 255].
std::vector<double> prototype_levels(const SyntheticSpec& s) {
    std::vector<double> levels(static_cast<std::size_t>(s.classes) * s.channels * kGrid * kGrid);
    RunRng rng(stream_key(s.seed, Stream::synthetic, 0xffff, 0));
    for (double& v : levels) v = 255.0 * rng.uniform();
    return levels;
}

}  // namespace

Dataset make_synthetic_split(const SyntheticSpec& s, int split, int n) {
    if (s.channels <= 0 || s.height <= 0 || s.width <= 0 || s.classes < 2 || n <= 0)
        throw InputError(
            fmt::format("synthetic dataset: invalid shape {}x{}x{}, {} classes, {} "
                        "examples",
                        s.channels, s.height, s.width, s.classes, n));
    if (!(s.noise >= 0.0 && s.noise <= 1.0))
        throw InputError(fmt::format("synthetic dataset: noise {} is outside [0, 1]", s.noise));
    const std::vector<double> levels = prototype_levels(s);
    Dataset d;
    d.name = split == 0 ? "synthetic/train" : "synthetic/test";
    d.channels = s.channels;
    d.height = s.height;
    d.width = s.width;
    d.classes = s.classes;
    d.labels.resize(static_cast<std::size_t>(n));
    d.pixels.resize(static_cast<std::size_t>(n) * d.example_bytes());
    for (int i = 0; i < n; ++i) {
        const int c = i % s.classes;
        d.labels[static_cast<std::size_t>(i)] = c;
        RunRng rng(stream_key(s.seed, Stream::synthetic, static_cast<std::uint64_t>(split),
                              static_cast<std::uint64_t>(i)));
        std::uint8_t* img = d.pixels.data() + static_cast<std::size_t>(i) * d.example_bytes();
        for (int ch = 0; ch < s.channels; ++ch)
            for (int y = 0; y < s.height; ++y)
                for (int x = 0; x < s.width; ++x) {
                    const int gy = y * kGrid / s.height, gx = x * kGrid / s.width;
                    const double proto =
                        levels[((static_cast<std::size_t>(c) * s.channels + ch) * kGrid + gy) *
                                   kGrid +
                               gx];
                    const double v = (1.0 - s.noise) * proto + s.noise * 255.0 * rng.uniform();
                    *img++ = static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 255.0)));
                }
    }
    return d;
}

DataSplit make_synthetic(const SyntheticSpec& s) {
    DataSplit out;
    out.train = make_synthetic_split(s, 0, s.train);
    out.test = make_synthetic_split(s, 1, s.test);
    std::vector<double> mean, stddev;
    pixel_moments(out.train, mean, stddev);
    for (Dataset* d : {&out.train, &out.test}) {
        d->mean.assign(mean.begin(), mean.end());
        d->stddev.clear();
        for (double sd : stddev) d->stddev.push_back(static_cast<float>(std::max(sd, 1e-3)));
    }
    return out;
}

}  // namespace gradcert::engine
