#pragma once
// The MPI side of `gradcert train` under mpirun (docs/cluster.md, "MPI training"). The engine
// knows only engine::Communicator; this file is the one place that talks to MPI, and it compiles
// without MPI (GRADCERT_WITH_MPI undefined), where running under a launcher is refused.
#include <memory>
#include <string>

#include "numerics/engine/distributed.hpp"

namespace gradcert::driver {

// The world size an MPI launcher announced in the environment (Open MPI's OMPI_COMM_WORLD_SIZE,
// PMIx's PMIX_RANK with SLURM_NTASKS, PMI_SIZE), or 0 when this process was not started by one.
int launcher_world_size();
// This process's rank as announced by the launcher (0 when none).
int launcher_rank();

// Whether this gradcert was built with MPI.
bool mpi_built();

// Initialises MPI (once; finalised at exit) and returns MPI_COMM_WORLD as a Communicator. Throws
// InputError when gradcert was built without MPI.
std::shared_ptr<engine::Communicator> mpi_world();

// Ends every rank of the run with `status` (MPI_Abort), after printing `message` on stderr.
[[noreturn]] void mpi_abort(const std::string& message, int status);

}  // namespace gradcert::driver
