#include "numerics/engine/isa.hpp"

#include <string>

#include "numerics/util/error.hpp"

namespace gradcert::engine {

bool cpu_supports_engine_isa() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("x86-64-v3") != 0;
}

void require_engine_isa() {
    static const bool supported = cpu_supports_engine_isa();
    if (!supported) {
        throw InputError(std::string("the training engine needs an ") + kEngineIsaLevel +
                         " CPU (AVX2, FMA, BMI1/2, F16C, MOVBE), which this machine lacks; it refuses to "
                         "run rather than give results of another arithmetic");
    }
}

}  // namespace gradcert::engine
