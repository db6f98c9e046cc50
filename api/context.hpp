// The processes a Simulator runs on: one process, or the ranks of an MPI communicator. The only
// part of the public API that depends on the MPI build flag; it reaches MPI through
// mpi::Communicator (which alone includes <mpi.h>).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "qstate/qstate.hpp"
#include "simulator/exact_sum.hpp"
#include "simulator/executor.hpp"

namespace qstate::api::detail {

class Context {
 public:
  // All ranks of MPI_COMM_WORLD when started by an MPI launcher (or when MPI is already
  // initialised), else one process.
  static std::shared_ptr<Context> make(const SimulatorOptions& options);
  // The ranks of a duplicate of the MPI_Comm at `mpi_comm`.
  static std::shared_ptr<Context> from_comm(const void* mpi_comm, const SimulatorOptions& options);
  ~Context();

  const SimulatorOptions& options() const { return options_; }
  void set_options(const SimulatorOptions& options) { options_ = options; }
  int rank() const;
  int ranks() const;

  // The backend a program of `qubits` simulated qubits runs on when distributed over all ranks
  // (the default Backend on one process).
  const Backend& distributed_backend() const;
  // Agreement over ranks (nullptr on one process).
  const Collective* collective() const;
  // A backend over the first `count` ranks (collective over all ranks: every rank calls it with
  // the same count; made once per count and kept). nullptr on the ranks beyond, and on one
  // process (there: the default Backend is meant).
  const Backend* backend_on_first(int count) const;
  // Started by an MPI launcher (or given a communicator): runs go through an MPI backend.
  bool has_mpi() const;
  [[noreturn]] void abort(int code) const;

  // Throws the same Error on every rank when `error` is set on any rank.
  void agree(const std::string& error) const;
  void broadcast(void* data, std::size_t bytes, int root) const;
  // Element-wise exact sum over ranks of non-negative raw values, the result on every rank.
  void sum_exact(std::span<ExactSum::Raw> values) const;
  // The value of rank 0 on every rank.
  std::uint64_t share(std::uint64_t value) const;

 private:
  struct Impl;
  Context(const SimulatorOptions& options, std::unique_ptr<Impl> impl);
  SimulatorOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qstate::api::detail
