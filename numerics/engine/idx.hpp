#pragma once
// IDX files (LeCun's MNIST format) and the Fashion-MNIST loader.
//
// IDX: big-endian header `00 00 <type> <dims>`, then `dims` big-endian int32 sizes, then the
// data in C order. Only type 0x08 (unsigned byte) is read. Files may be gzip-compressed (read
// through zlib) or plain; both are checked byte for byte: magic, dimensions, and that the
// decompressed length is exactly header + product of sizes.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "numerics/engine/dataset.hpp"

namespace gradcert::engine {

struct IdxArray {
    std::vector<int> dims;
    std::vector<std::uint8_t> data;  // product(dims) bytes, C order
};

// Reads an unsigned-byte IDX file with `expected_dims` dimensions (1 for labels, 3 for images).
// Throws InputError("<file>: <problem>") for a missing, unreadable, truncated, oversized or
// foreign file (wrong magic or dimension count).
IdxArray read_idx(const std::filesystem::path& file, int expected_dims);

// The whole decompressed content of a gzip (or plain) file. Throws InputError naming the file if
// it cannot be opened or the gzip stream is corrupt or truncated.
std::vector<std::uint8_t> read_gzip_file(const std::filesystem::path& file);

// Fashion-MNIST from `dir` (the Debian package puts it in /usr/share/datasets/fashion-mnist):
// {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]. Checks 60 000 / 10 000 examples of 28×28,
// labels in [0, 10). Normalisation mean 0.28604, std 0.35302 (of the training pixels / 255).
DataSplit load_fashion_mnist(const std::filesystem::path& dir);

// The default Fashion-MNIST directory of the Debian package dataset-fashion-mnist.
std::filesystem::path default_fashion_mnist_dir();

}  // namespace gradcert::engine
