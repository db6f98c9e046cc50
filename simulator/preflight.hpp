// Preflight: before anything large is allocated, check that the options make sense for the
// program and that the run fits in the memory each process may use. Under MPI every rank holds a
// slice of the state and an exchange buffer; rank 0 also holds the gathered outputs. A run that
// cannot fit stops with a message that says what it needs and how many ranks would fit.
#pragma once

#include <cstdint>
#include <string>

#include "circuits/passes/program.hpp"
#include "simulator/state.hpp"

namespace qstate {

struct RunOptions;

// The exchange buffer a rank uses by default: max(64 MiB, slice / 16), never above the slice.
std::uint64_t default_exchange_buffer(std::uint64_t slice_bytes);

struct MemoryPlan {
  int ranks = 1;
  unsigned local_qubits = 0;        // qubits of each rank's slice
  std::uint64_t slice_bytes = 0;    // amplitudes held by each rank
  std::uint64_t buffer_bytes = 0;   // exchange buffer of each rank (0 on one process)
  std::uint64_t outputs_bytes = 0;  // gathered outputs and shot records, on rank 0
  std::uint64_t overhead_bytes = 0;
  std::uint64_t per_rank() const;  // what rank 0 needs (the most of any rank)
};

// What a run of `program` with `options` on `ranks` ranks needs. buffer_bytes = 0 picks the
// default buffer.
MemoryPlan plan_memory(const Program& program, const RunOptions& options, int ranks,
                       std::uint64_t buffer_bytes);

// Throws qstate::Error when the options do not fit the program (outputs asked of a dynamic
// circuit, bad observables, huge output vectors) or the memory plan exceeds `available` bytes.
void preflight(const Program& program, const RunOptions& options, const MemoryPlan& plan,
               std::uint64_t available);

// Bytes a run holds for the gates it applies, beyond the program it was given: the ops to run
// (fused when fusion is on) are held once, and again as the run's plan (the remapped copy
// under MPI, or the blocked run's copy) and as the kernels' block gates, so about three times
// their own size (inline storage plus matrix entries, permutations, parameters and qubits on
// the heap). A program of many wide fused gates (10-qubit diagonals are 16 KiB each) can need
// more for its gates than for its state.
std::uint64_t run_gate_bytes(const std::vector<Op>& ops);

// Throws qstate::Error when `plan` and `gate_bytes` (run_gate_bytes) of `gates` ops (`fused`:
// the output of fusion) together exceed `available` bytes.
void check_gate_memory(const MemoryPlan& plan, std::uint64_t gate_bytes, std::size_t gates,
                       bool fused, std::uint64_t available);

}  // namespace qstate
