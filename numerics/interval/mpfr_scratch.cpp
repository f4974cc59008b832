#include "numerics/interval/mpfr_scratch.hpp"

#include <cassert>

namespace gradcert::detail {

namespace {

class ScratchPool {
  public:
    ScratchPool() {
        for (auto& v : values_) mpfr_init2(v, 128);
    }
    ~ScratchPool() {
        for (auto& v : values_) mpfr_clear(v);
    }
    ScratchPool(const ScratchPool&) = delete;
    ScratchPool& operator=(const ScratchPool&) = delete;
    mpfr_ptr get(int index, long bits) {
        assert(index >= 0 && index < kScratchSlots);
        mpfr_ptr v = values_[index];
        if (mpfr_get_prec(v) != bits) mpfr_set_prec(v, bits);
        return v;
    }

  private:
    mpfr_t values_[kScratchSlots];
};

}  // namespace

mpfr_ptr scratch(int index, long bits) {
    thread_local ScratchPool pool;
    return pool.get(index, bits);
}

}  // namespace gradcert::detail
