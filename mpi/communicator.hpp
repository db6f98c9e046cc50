// Communicator: the one wrapper around MPI. It starts MPI (or joins it when a script already
// did), ends it when it started it, and offers the few collectives and the pairwise exchange the
// distributed state needs. Only communicator.cpp includes <mpi.h>; nothing here exposes it.
// Every byte sent point to point is counted, so runs can report their real communication.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "simulator/exact_sum.hpp"

namespace qstate::mpi {

class Communicator {
 public:
  // Initialises MPI unless it is already initialised (then finalising is left to its owner).
  Communicator(int* argc, char*** argv);
  // A duplicate of an existing communicator, given the address of its MPI_Comm handle (so this
  // header needs no <mpi.h>; mpi/mpi_comm.hpp offers the typed call). MPI must be initialised
  // (by the caller, e.g. mpi4py); it is left to its owner to finalise.
  static Communicator duplicate(const void* mpi_comm_address);
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;
  Communicator(Communicator&&) noexcept;
  Communicator& operator=(Communicator&&) noexcept;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }

  // A communicator of the first `count` ranks (collective over this one); ranks beyond get an
  // empty handle (valid() is false) and take no further part.
  Communicator first(int count) const;
  bool valid() const { return impl_ != nullptr; }

  void barrier() const;
  // True on every rank when `flag` is true on any rank.
  bool any(bool flag) const;
  std::uint64_t max(std::uint64_t value) const;
  ExactSum sum(ExactSum value) const;
  // Element-wise sum of equal-length arrays, the result on every rank.
  void sum_in_place(std::span<std::uint64_t> values) const;
  // The value of every rank, in rank order.
  std::vector<ExactSum::Raw> all_gather(ExactSum::Raw value) const;
  void broadcast(void* data, std::size_t bytes, int root) const;
  std::string broadcast(const std::string& text, int root) const;
  // Gathers `bytes` from every rank into recv (size() * bytes) on root.
  void gather(const void* send, std::size_t bytes, void* recv, int root) const;

  // Sends `bytes` to partner and receives as many from it (split into messages under 2^31
  // bytes). Adds to bytes_sent().
  void exchange(const void* send, void* recv, std::size_t bytes, int partner) const;
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  // One-sided halves of a transfer (in pieces under 2^31 bytes); send adds to bytes_sent().
  void send(const void* data, std::size_t bytes, int dest) const;
  void receive(void* data, std::size_t bytes, int source) const;

  // Collective MPI-IO: every rank writes `bytes` at `offset` of the file at `path` (created if
  // missing). Returns an empty string on success, else the reason (the same on every rank).
  std::string write_at_all(const std::string& path, std::uint64_t offset, const void* data,
                           std::size_t bytes) const;

  // Ends every rank at once (for failures that leave ranks out of step).
  [[noreturn]] void abort(int code) const;

 private:
  struct Impl;
  Communicator() = default;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0;
  int size_ = 1;
  bool owns_mpi_ = false;
  mutable std::uint64_t bytes_sent_ = 0;
};

}  // namespace qstate::mpi
