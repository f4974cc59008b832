#pragma once
// The fixed-order reduction of per-chunk partial results (weight gradients summed per image
// chunk, GEMM k-slices), shared by the convolution paths and the GEMM.
namespace gradcert::engine {

// dst[e] = Σ_chunk partial[chunk·count + e], summed in chunk order in double and rounded once to
// T. The order is fixed by the arguments, so the result is the same for every thread count.
template <class T>
void sum_chunk_partials(const T* partial, int chunks, long count, T* dst);

}  // namespace gradcert::engine
