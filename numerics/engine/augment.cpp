#include "numerics/engine/augment.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gradcert::engine {

void crop_with_padding(const std::uint8_t* in, std::uint8_t* out, int channels, int height,
                       int width, int padding, int dx, int dy) {
    for (int c = 0; c < channels; ++c) {
        const std::uint8_t* src = in + static_cast<std::size_t>(c) * height * width;
        std::uint8_t* dst = out + static_cast<std::size_t>(c) * height * width;
        for (int y = 0; y < height; ++y) {
            const int sy = y + dy - padding;
            for (int x = 0; x < width; ++x) {
                const int sx = x + dx - padding;
                const bool inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                dst[y * width + x] = inside ? src[sy * width + sx] : 0;
            }
        }
    }
}

void flip_horizontal(std::uint8_t* image, int channels, int height, int width) {
    for (int r = 0; r < channels * height; ++r) {
        std::uint8_t* row = image + static_cast<std::size_t>(r) * width;
        std::reverse(row, row + width);
    }
}

void rotate_nearest(const std::uint8_t* in, std::uint8_t* out, int channels, int height, int width,
                    double degrees) {
    const double a = degrees * std::numbers::pi / 180.0;
    const double ca = std::cos(a), sa = std::sin(a);
    const double cx = 0.5 * (width - 1), cy = 0.5 * (height - 1);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            // Inverse map: the output pixel (x, y) samples the input at R(−a)·(p − c) + c.
            const double px = x - cx, py = y - cy;
            const auto sx = static_cast<int>(std::lround(ca * px + sa * py + cx));
            const auto sy = static_cast<int>(std::lround(-sa * px + ca * py + cy));
            const bool inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
            for (int c = 0; c < channels; ++c) {
                const std::size_t plane = static_cast<std::size_t>(c) * height * width;
                out[plane + static_cast<std::size_t>(y) * width + x] =
                    inside ? in[plane + static_cast<std::size_t>(sy) * width + sx] : 0;
            }
        }
}

void augment_image(std::uint8_t* image, int channels, int height, int width,
                   const AugmentConfig& cfg, RunRng& rng, std::vector<std::uint8_t>& scratch) {
    const std::size_t bytes = static_cast<std::size_t>(channels) * height * width;
    scratch.resize(bytes);
    if (cfg.crop) {
        const auto span = static_cast<std::uint64_t>(2 * cfg.crop_padding + 1);
        const int dx = static_cast<int>(rng.below(span));
        const int dy = static_cast<int>(rng.below(span));
        crop_with_padding(image, scratch.data(), channels, height, width, cfg.crop_padding, dx, dy);
        std::copy_n(scratch.data(), bytes, image);
    }
    if (cfg.flip && rng.uniform() < cfg.flip_probability)
        flip_horizontal(image, channels, height, width);
    if (cfg.rotate) {
        const double angle = (2.0 * rng.uniform() - 1.0) * cfg.rotate_degrees;
        rotate_nearest(image, scratch.data(), channels, height, width, angle);
        std::copy_n(scratch.data(), bytes, image);
    }
}

}  // namespace gradcert::engine
