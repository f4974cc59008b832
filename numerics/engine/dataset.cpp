#include "numerics/engine/dataset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "numerics/util/error.hpp"

namespace gradcert::engine {

std::vector<int> class_counts(const Dataset& d) {
    std::vector<int> counts(static_cast<std::size_t>(d.classes), 0);
    for (std::int32_t y : d.labels) ++counts[static_cast<std::size_t>(y)];
    return counts;
}

void pixel_moments(const Dataset& d, std::vector<double>& mean, std::vector<double>& stddev) {
    const std::size_t plane =
        static_cast<std::size_t>(d.height) * static_cast<std::size_t>(d.width);
    std::vector<std::uint64_t> sum(static_cast<std::size_t>(d.channels), 0);
    std::vector<std::uint64_t> sum_sq(static_cast<std::size_t>(d.channels), 0);
    for (int i = 0; i < d.size(); ++i) {
        const std::uint8_t* img = d.image(i);
        for (int c = 0; c < d.channels; ++c) {
            std::uint64_t s = 0, s2 = 0;
            for (std::size_t k = 0; k < plane; ++k) {
                const std::uint64_t p = img[static_cast<std::size_t>(c) * plane + k];
                s += p;
                s2 += p * p;
            }
            sum[static_cast<std::size_t>(c)] += s;
            sum_sq[static_cast<std::size_t>(c)] += s2;
        }
    }
    const double count = static_cast<double>(plane) * d.size();
    mean.assign(static_cast<std::size_t>(d.channels), 0.0);
    stddev.assign(static_cast<std::size_t>(d.channels), 0.0);
    for (std::size_t c = 0; c < mean.size(); ++c) {
        // Exact integer sums, so the only rounding is in these few divisions.
        const double m = static_cast<double>(sum[c]) / count;
        const double m2 = static_cast<double>(sum_sq[c]) / count;
        mean[c] = m / 255.0;
        stddev[c] = std::sqrt(std::max(0.0, m2 - m * m)) / 255.0;
    }
}

namespace {

Dataset take(const Dataset& d, const std::vector<int>& keep) {
    Dataset out;
    out.name = d.name;
    out.channels = d.channels;
    out.height = d.height;
    out.width = d.width;
    out.classes = d.classes;
    out.mean = d.mean;
    out.stddev = d.stddev;
    const std::size_t eb = d.example_bytes();
    out.pixels.resize(keep.size() * eb);
    out.labels.resize(keep.size());
    for (std::size_t j = 0; j < keep.size(); ++j) {
        const auto i = static_cast<std::size_t>(keep[j]);
        std::copy_n(d.pixels.data() + i * eb, eb, out.pixels.data() + j * eb);
        out.labels[j] = d.labels[i];
    }
    return out;
}

}  // namespace

Dataset subset(const Dataset& d, int k, SubsetMode mode) {
    if (k < 0) throw InputError(fmt::format("{}: subset size {} is negative", d.name, k));
    if (k == 0) return d;
    if (mode == SubsetMode::first || k == d.size()) {
        if (k >= d.size()) return d;
        std::vector<int> keep(static_cast<std::size_t>(k));
        for (int i = 0; i < k; ++i) keep[static_cast<std::size_t>(i)] = i;
        return take(d, keep);
    }
    if (k > d.size())
        throw InputError(fmt::format("{}: subset of {} examples asked, the set has only {}", d.name,
                                     k, d.size()));
    std::vector<int> quota(static_cast<std::size_t>(d.classes), k / d.classes);
    for (int c = 0; c < k % d.classes; ++c) ++quota[static_cast<std::size_t>(c)];
    std::vector<int> keep;
    keep.reserve(static_cast<std::size_t>(k));
    std::vector<int> taken(static_cast<std::size_t>(d.classes), 0);
    for (int i = 0; i < d.size() && static_cast<int>(keep.size()) < k; ++i) {
        const auto c = static_cast<std::size_t>(d.labels[static_cast<std::size_t>(i)]);
        if (taken[c] < quota[c]) {
            ++taken[c];
            keep.push_back(i);
        }
    }
    for (std::size_t c = 0; c < quota.size(); ++c)
        if (taken[c] < quota[c])
            throw InputError(fmt::format(
                "{}: class-balanced subset of {} needs {} examples of class {}, the set has {}",
                d.name, k, quota[c], c, taken[c]));
    return take(d, keep);
}

std::string dataset_hash(const Dataset& d) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    auto eat = [&h](const void* data, std::size_t n) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) {
            h ^= p[i];
            h *= 0x100000001b3ULL;
        }
    };
    const std::int32_t shape[4] = {d.channels, d.height, d.width, d.classes};
    eat(shape, sizeof shape);
    eat(d.labels.data(), d.labels.size() * sizeof(std::int32_t));
    eat(d.pixels.data(), d.pixels.size());
    return fmt::format("{:016x}", h);
}

void check_dataset(const Dataset& d, const std::string& what) {
    if (d.channels <= 0 || d.height <= 0 || d.width <= 0 || d.classes <= 0)
        throw InputError(fmt::format("{}: invalid shape {}x{}x{} with {} classes", what, d.channels,
                                     d.height, d.width, d.classes));
    if (d.labels.empty()) throw InputError(fmt::format("{}: no examples", what));
    if (d.pixels.size() != d.labels.size() * d.example_bytes())
        throw InputError(fmt::format("{}: {} pixel bytes for {} examples of {} bytes", what,
                                     d.pixels.size(), d.labels.size(), d.example_bytes()));
    for (std::size_t i = 0; i < d.labels.size(); ++i)
        if (d.labels[i] < 0 || d.labels[i] >= d.classes)
            throw InputError(fmt::format("{}: label {} of example {} is outside [0, {})", what,
                                         d.labels[i], i, d.classes));
    if (d.mean.size() != static_cast<std::size_t>(d.channels) ||
        d.stddev.size() != static_cast<std::size_t>(d.channels))
        throw InputError(
            fmt::format("{}: normalisation needs {} means and stds", what, d.channels));
    for (float s : d.stddev)
        if (!(s > 0.0f))
            throw InputError(fmt::format("{}: normalisation std {} is not positive", what, s));
}

}  // namespace gradcert::engine
