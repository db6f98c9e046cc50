// Helpers for the MPI test suite (tests/mpi): the world communicator mpi_main.cpp creates before
// Catch runs, runs that use the ranks a circuit can use (as the CLI does), digests of results for
// bit-identity checks, Pauli masks, and a small prefix of random gates that prepares a generic
// state both on the engine and on the dense Reference. Every helper that communicates is
// collective over the world: each rank calls it with the same arguments, in the same order.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/passes/layout.hpp"
#include "mpi/communicator.hpp"
#include "mpi/distributed_state.hpp"
#include "simulator/executor.hpp"
#include "simulator/kernels/reductions.hpp"
#include "tests/support/reference.hpp"

namespace qstate::test {

// The communicator of all ranks (set by main before the tests run).
const mpi::Communicator& world();
void set_world(const mpi::Communicator* comm);

// The rank count as a power of two 2^g: g.
unsigned world_global_qubits();

struct MpiRun {
  int ranks = 0;        // ranks that held the state
  bool member = false;  // this rank was one of them (its result is valid)
  Result result;
};

// Runs a circuit the way the CLI does: plans it, takes usable_ranks(program, min(max_ranks, world
// size)) ranks (max_ranks 0: all), runs on Communicator::first(k) with the MPI backend; ranks
// beyond k skip. A fresh sub-communicator per run, so the communication counters count this run
// only. An error on the members is thrown on every world rank, with the same message.
MpiRun run_distributed(const Circuit& circuit, const RunOptions& options,
                       std::uint64_t exchange_buffer_bytes = 0, int max_ranks = 0);

// A 64-bit FNV-1a hash over bytes.
class Digest {
 public:
  void bytes(const void* data, std::size_t size);
  void text(std::string_view s);
  void u64(std::uint64_t v) { bytes(&v, sizeof v); }
  void f64(double v) { bytes(&v, sizeof v); }
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

// Digests of the parts of a Result: counts and memory (the same on every rank), expectation
// values (every rank), probabilities and statevector (raw bytes; gathered on rank 0 only).
struct ResultDigest {
  std::uint64_t shots = 0;
  std::uint64_t expectations = 0;
  std::uint64_t gathered = 0;
  bool operator==(const ResultDigest&) const = default;
};
ResultDigest digest(const Result& r);
std::ostream& operator<<(std::ostream& out, const ResultDigest& d);

// Pauli masks of a label (rightmost letter = qubit 0), as compile_observables builds them.
kernels::PauliMasks pauli_masks(std::string_view label);

// U(random) on every qubit, a ring of CX, U(random) on every qubit again: a generic entangled
// state with no zero amplitudes, from a seed.
std::vector<GateOp> random_prefix(unsigned num_qubits, std::uint64_t seed);

// The Reference after random_prefix(num_qubits, seed), cached (the dense reference builds a full
// operator per gate: the prefix costs far more than the gate under test).
const Reference& prefixed_reference(unsigned num_qubits, std::uint64_t seed);

// Applies op to a distributed state the way the planner would let it run: when a target that
// must be local sits in a global position, one RemapOp first exchanges it with a local qubit
// (one the op does not touch when there is one, else a control or diagonal target). Controls and
// diagonal targets on global positions stay where they are. Collective.
template <class Real>
void apply_with_remap(mpi::DistributedState<Real>& state, const GateOp& op);

// "name(params) c<control>... t<target>..." for messages.
std::string describe_gate(const GateOp& op);

}  // namespace qstate::test
