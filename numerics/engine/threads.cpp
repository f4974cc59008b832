#include "numerics/engine/threads.hpp"

#include <omp.h>

#include <string>

#include "numerics/util/error.hpp"

namespace gradcert::engine {

void set_threads(int n) {
    if (n < 1) throw_input_error("threads", "thread count " + std::to_string(n) + " is below 1");
    omp_set_num_threads(n);
}

int threads() {
    return omp_get_max_threads();
}

}  // namespace gradcert::engine
