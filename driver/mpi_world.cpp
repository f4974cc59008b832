#include "driver/mpi_world.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "numerics/util/error.hpp"

#ifdef GRADCERT_WITH_MPI
#define OMPI_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace gradcert::driver {

namespace {

int env_int(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return -1;
    char* end = nullptr;
    const long x = std::strtol(v, &end, 10);
    return (*end == '\0' && x >= 0 && x < (1L << 30)) ? int(x) : -1;
}

#ifdef GRADCERT_WITH_MPI
class MpiCommunicator final : public engine::Communicator {
  public:
    MpiCommunicator() {
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    std::vector<double> all_gather(std::span<const double> local) override {
        const double t0 = MPI_Wtime();
        const int mine = int(local.size());
        std::vector<int> counts(size_), offsets(size_);
        MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
        long total = 0;
        for (int r = 0; r < size_; ++r) {
            offsets[r] = int(total);
            total += counts[r];
        }
        std::vector<double> all(static_cast<std::size_t>(total));
        MPI_Allgatherv(local.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                       MPI_DOUBLE, MPI_COMM_WORLD);
        seconds_ += MPI_Wtime() - t0;
        return all;
    }
    double seconds_communicating() const override { return seconds_; }

  private:
    int rank_ = 0, size_ = 1;
    double seconds_ = 0.0;
};

void finalize_at_exit() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}
#endif

}  // namespace

int launcher_world_size() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
        if (const int v = env_int(name); v >= 0) return v;
    }
    if (env_int("PMIX_RANK") >= 0) return std::max(1, env_int("SLURM_NTASKS"));
    return 0;
}

int launcher_rank() {
    for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"}) {
        if (const int v = env_int(name); v >= 0) return v;
    }
    return 0;
}

bool mpi_built() {
#ifdef GRADCERT_WITH_MPI
    return true;
#else
    return false;
#endif
}

std::shared_ptr<engine::Communicator> mpi_world() {
#ifdef GRADCERT_WITH_MPI
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
        int provided = 0;
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
        std::atexit(finalize_at_exit);
    }
    return std::make_shared<MpiCommunicator>();
#else
    throw InputError(
        "this gradcert was built without MPI but runs under an MPI launcher (" +
        std::to_string(launcher_world_size()) +
        " processes); rebuild with libopenmpi-dev installed (CMake option GRADCERT_MPI), or run "
        "it without mpirun");
#endif
}

void mpi_abort(const std::string& message, int status) {
    std::fprintf(stderr, "gradcert: rank %d: %s\n", launcher_rank(), message.c_str());
    std::fflush(stderr);
#ifdef GRADCERT_WITH_MPI
    MPI_Abort(MPI_COMM_WORLD, status);
#endif
    std::_Exit(status);
}

}  // namespace gradcert::driver
