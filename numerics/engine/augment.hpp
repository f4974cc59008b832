#pragma once
// Per-example data augmentation on raw uint8 images (before normalisation), as in the paper's
// torchvision pipeline RandomCrop(H, padding) → RandomHorizontalFlip(p) → RandomRotation(±deg):
//  crop   — pad every side with `crop_padding` zero pixels, cut an H×W window at an offset
//           uniform in {0, …, 2·padding}² (so the zero padding is black *before* normalisation);
//  flip   — mirror left/right with probability flip_probability;
//  rotate — rotate by an angle uniform in [−rotate_degrees, rotate_degrees] about the image
//           centre ((W−1)/2, (H−1)/2), nearest-neighbour sampling, zero fill outside.
// Draws come from the RunRng passed in (the trainer keys it by seed, step and batch position),
// so an augmented batch is a pure function of (seed, step, indices).
#include <cstdint>
#include <vector>

#include "numerics/engine/train_rng.hpp"

namespace gradcert::engine {

struct AugmentConfig {
    bool crop = false;
    bool flip = false;
    bool rotate = false;
    int crop_padding = 4;
    double flip_probability = 0.5;
    double rotate_degrees = 15.0;

    bool any() const { return crop || flip || rotate; }
};

// Augments one C×H×W image in place; `scratch` is resized as needed.
void augment_image(std::uint8_t* image, int channels, int height, int width,
                   const AugmentConfig& cfg, RunRng& rng, std::vector<std::uint8_t>& scratch);

// The single transforms (exposed for tests). dx, dy ∈ [0, 2·padding] are the window offsets in the
// padded image; angle in degrees.
void crop_with_padding(const std::uint8_t* in, std::uint8_t* out, int channels, int height,
                       int width, int padding, int dx, int dy);
void flip_horizontal(std::uint8_t* image, int channels, int height, int width);
void rotate_nearest(const std::uint8_t* in, std::uint8_t* out, int channels, int height, int width,
                    double degrees);

}  // namespace gradcert::engine
