#pragma once
// A synthetic image classification dataset for tests and smoke runs, deterministic from a seed.
//
// Each class c has a prototype image: a 4×4 grid of random levels per channel, upsampled to
// H×W by nearest neighbour (so that convolutions and pooling see spatial structure). Example i
// of class c has pixels p = round((1 − noise)·prototype_c + noise·u), u uniform in [0, 255], drawn
// from the stream (seed, synthetic, split, i). Labels cycle 0, 1, …, C−1, 0, … (balanced).
// noise = 0 gives C distinct images; noise = 1 pure noise (chance accuracy). Normalisation uses
// the mean and std of the training pixels.
#include <cstdint>

#include "numerics/engine/dataset.hpp"

namespace gradcert::engine {

struct SyntheticSpec {
    int channels = 1;
    int height = 28;
    int width = 28;
    int classes = 10;
    int train = 4096;
    int test = 1024;
    double noise = 0.5;
    std::uint64_t seed = 0;
};

// Throws InputError for a non-positive size or a noise outside [0, 1].
DataSplit make_synthetic(const SyntheticSpec& spec);

// The images alone (labels cycling through the classes) of one split; split 0 = train, 1 = test.
Dataset make_synthetic_split(const SyntheticSpec& spec, int split, int n);

}  // namespace gradcert::engine
