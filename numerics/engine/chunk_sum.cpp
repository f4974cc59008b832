#include "numerics/engine/chunk_sum.hpp"

#include <algorithm>

#include "numerics/engine/threads.hpp"

namespace gradcert::engine {

template <class T>
void sum_chunk_partials(const T* partial, int chunks, long count, T* dst) {
    constexpr long block = 1024;
    const long blocks = (count + block - 1) / block;
#pragma omp parallel for schedule(static) if (parallel_worth(count * chunks))
    for (long index = 0; index < blocks; ++index) {
        const long first = index * block, size = std::min(block, count - first);
        double sum[block] = {};
        for (int chunk = 0; chunk < chunks; ++chunk) {
            const T* src = partial + chunk * count + first;
#pragma omp simd
            for (long e = 0; e < size; ++e) sum[e] += double(src[e]);
        }
        for (long e = 0; e < size; ++e) dst[first + e] = T(sum[e]);
    }
}

template void sum_chunk_partials<float>(const float*, int, long, float*);
template void sum_chunk_partials<double>(const double*, int, long, double*);

}  // namespace gradcert::engine
