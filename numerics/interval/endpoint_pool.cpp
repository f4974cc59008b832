#include "numerics/interval/endpoint_pool.hpp"

#include <new>
#include <utility>

namespace gradcert::detail {

namespace {

constexpr int kPoolCapacity = 256;

// Trivially destructible, so it stays usable until the thread's storage goes away; count = -1
// after the cleaner has released the kept numbers (the pool is then bypassed).
struct Pool {
    alignas(Mpfr) unsigned char storage[kPoolCapacity][sizeof(Mpfr)];
    int count;
};
thread_local Pool tl_pool;

Mpfr* slot(int i) {
    return std::launder(reinterpret_cast<Mpfr*>(tl_pool.storage[i]));
}

struct PoolCleaner {
    bool armed = false;
    ~PoolCleaner() {
        for (int i = 0; i < tl_pool.count; ++i) slot(i)->~Mpfr();
        tl_pool.count = -1;
    }
};
thread_local PoolCleaner tl_cleaner;

}  // namespace

Mpfr acquire_mpfr(long bits) {
    if (tl_pool.count > 0) {
        Mpfr* kept = slot(--tl_pool.count);
        Mpfr r(std::move(*kept));
        kept->~Mpfr();
        if (mpfr_get_prec(raw(r)) != bits) mpfr_set_prec(raw(r), bits);
        mpfr_set_zero(raw(r), 1);
        return r;
    }
    Mpfr r;
    mpfr_set_prec(raw(r), bits);
    mpfr_set_zero(raw(r), 1);
    return r;
}

void release_mpfr(Mpfr& x) noexcept {
    if (tl_pool.count < 0 || tl_pool.count >= kPoolCapacity || raw(x)->_mpfr_d == nullptr) return;
    if (!tl_cleaner.armed) tl_cleaner.armed = true;  // first use constructs the cleaner
    new (tl_pool.storage[tl_pool.count]) Mpfr(std::move(x));
    ++tl_pool.count;
}

}  // namespace gradcert::detail
