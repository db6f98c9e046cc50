// Whether this process was started by an MPI launcher (mpirun/mpiexec of Open MPI or MPICH,
// Slurm's srun): the variables their process managers set. Header-only and without <mpi.h>, so a
// build without MPI can still tell a user that it was launched under mpirun.
#pragma once

#include <cstdlib>

namespace qstate::mpi {

// Variables the launchers of Open MPI, MPICH/Hydra, PMI-1/2 and PMIx (Slurm's srun) set.
inline bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK",
                           "MPI_LOCALNRANKS", "HYDRA_CONTROL_FD"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

}  // namespace qstate::mpi
