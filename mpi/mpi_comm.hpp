// Optional: run the public API (qstate/qstate.hpp) on a communicator of the caller's choosing.
// The one public header that includes <mpi.h>; include it only when the script uses MPI itself.
#pragma once

#include <mpi.h>

#include <qstate/qstate.hpp>

namespace qstate::api {

// A simulator over the ranks of `comm` (duplicated; MPI must be initialised by the caller).
inline Simulator make_simulator(MPI_Comm comm, const SimulatorOptions& options = {}) {
  return Simulator::with_mpi_comm_address(&comm, options);
}

}  // namespace qstate::api
