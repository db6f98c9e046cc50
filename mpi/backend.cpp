// The MPI backend: agreement over ranks and distributed states.
#include "mpi/backend.hpp"

#include <algorithm>
#include <bit>

#include "circuits/error.hpp"
#include "mpi/distributed_state.hpp"

namespace qstate::mpi {

void MpiCollective::agree(const std::string& error) const {
  if (!comm_.any(!error.empty())) return;
  // The message of the lowest failing rank, on every rank.
  const auto failing = static_cast<int>(
      comm_.max(error.empty() ? 0 : static_cast<std::uint64_t>(comm_.size() - comm_.rank())));
  const int root = comm_.size() - failing;
  throw Error(comm_.broadcast(error, root));
}

MpiBackend::MpiBackend(const Communicator& comm, std::uint64_t exchange_buffer_bytes)
    : collective_(comm) {
  backend_.collective = &collective_;
  backend_.exchange_buffer_bytes = exchange_buffer_bytes;
  backend_.make_state = [&comm, exchange_buffer_bytes](
                            unsigned n, Precision precision) -> std::unique_ptr<State> {
    if (comm.size() == 1) {  // one rank: the plain one-process state, no buffers
      if (precision == Precision::kSingle) return std::make_unique<StateVector<float>>(n);
      return std::make_unique<StateVector<double>>(n);
    }
    const unsigned g = static_cast<unsigned>(std::countr_zero(static_cast<unsigned>(comm.size())));
    const std::uint64_t slice =
        (std::uint64_t{1} << (n - std::min(n, g))) * (precision == Precision::kSingle ? 8 : 16);
    const std::uint64_t buffer =
        exchange_buffer_bytes ? exchange_buffer_bytes : default_exchange_buffer(slice);
    if (precision == Precision::kSingle)
      return std::make_unique<DistributedState<float>>(comm, n, buffer);
    return std::make_unique<DistributedState<double>>(comm, n, buffer);
  };
}

}  // namespace qstate::mpi
