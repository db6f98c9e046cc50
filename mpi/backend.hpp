// The MPI backend of the executor: a Collective over a Communicator (ranks agree on failures
// and decisions) and a factory of DistributedStates. The CLI and research scripts run the same
// executor on it as on one process.
#pragma once

#include <cstdint>

#include "mpi/communicator.hpp"
#include "simulator/executor.hpp"

namespace qstate::mpi {

class MpiCollective final : public Collective {
 public:
  explicit MpiCollective(const Communicator& comm) : comm_(comm) {}
  int ranks() const override { return comm_.size(); }
  bool all(bool flag) const override { return !comm_.any(!flag); }
  void agree(const std::string& error) const override;

 private:
  const Communicator& comm_;
};

// A backend whose states are DistributedStates over comm (which must outlive it and every run).
// exchange_buffer_bytes = 0 picks the default (max(64 MiB, slice / 16)).
class MpiBackend {
 public:
  MpiBackend(const Communicator& comm, std::uint64_t exchange_buffer_bytes);
  const Backend& backend() const { return backend_; }

 private:
  MpiCollective collective_;
  Backend backend_;
};

}  // namespace qstate::mpi
