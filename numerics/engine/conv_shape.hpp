#pragma once
// The shape of one 2-D convolution (cross-correlation, as in PyTorch) on channel planes, shared
// by the layer (layer_conv.hpp), the fast kernels (kernels/conv_direct.hpp) and the reference
// (reference/conv.hpp).
//
//   x      [c, n, h, w]
//   weight [k, c, r, s]          (PyTorch layout)
//   bias   [k] or null
//   y      [k, n, p, q]          p = (h + 2·pad − r)/stride + 1, q likewise
namespace gradcert::engine {

// automatic: the direct kernels (kernels/conv_direct.hpp) where they apply and are faster —
// forward when the output is at least 8 wide, backward when it is at least 16 wide, or 8 wide
// with at most 64 × 64 channels (measured on this machine: small images with many channels go
// faster through the GEMM) — im2col + GEMM otherwise. direct forces the direct kernels wherever
// they apply; gemm forces im2col + GEMM.
enum class ConvAlgorithm { automatic, direct, gemm };

struct Conv2dShape {
    int n = 0, c = 0, h = 0, w = 0;  // input
    int k = 0, r = 0, s = 0;         // output channels, kernel height and width
    int stride = 1, pad = 0;
    int chunk_images = 0;  // images per im2col chunk; 0 chooses by the workspace budget
    ConvAlgorithm algorithm = ConvAlgorithm::automatic;
    int p() const { return (h + 2 * pad - r) / stride + 1; }
    int q() const { return (w + 2 * pad - s) / stride + 1; }
    long patch() const { return long(c) * r * s; }
    bool is_pointwise() const { return r == 1 && s == 1 && stride == 1 && pad == 0; }
};

}  // namespace gradcert::engine
