#pragma once
// The one owner of the engine's scratch memory: every workspace a kernel or layer needs beyond
// its activations is a named buffer here, per thread and per element type, grown on demand and
// kept for the thread's life (OpenMP keeps its workers), so steady-state training steps allocate
// nothing. Buffers alive at the same time have different names; each name lists its users, which
// run one after another (never nested), so they may share it.
#include "numerics/engine/tensor.hpp"

namespace gradcert::engine {

template <class T>
struct Scratch {
    // Per image or chunk, inside a parallel loop: the im2col matrix (layer_conv.cpp) or the
    // zero-bordered phase planes of the input (kernels/conv_direct.cpp).
    GrowBuffer<T> conv_input;
    // Per image or chunk, inside a parallel loop: the direct kernels' output planes and bordered
    // output-gradient planes (kernels/conv_direct.cpp).
    GrowBuffer<T> conv_output;
    // Calling thread, shared by the loop: weight gradients per image chunk before their
    // fixed-order sum (layer_conv.cpp, kernels/conv_direct.cpp).
    GrowBuffer<T> chunk_partials;
    // Calling thread, shared by the loop: weights packed for the direct kernels
    // (kernels/conv_direct.cpp).
    GrowBuffer<T> packed_weights;
    // Calling thread, shared by the loop: products of the k-slices of a one-tile GEMM
    // (kernels/gemm.cpp).
    GrowBuffer<T> gemm_slices;
    // Per GEMM block, on the thread computing it: the packed panels of op(A) and op(B)
    // (kernels/gemm_ordered.cpp).
    GrowBuffer<T> gemm_pack_a;
    GrowBuffer<T> gemm_pack_b;
};

// The calling thread's scratch buffers for element type T.
template <class T>
Scratch<T>& thread_scratch() {
    thread_local Scratch<T> scratch;
    return scratch;
}

}  // namespace gradcert::engine
