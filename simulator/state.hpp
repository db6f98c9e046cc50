// State: what the Executor needs from a quantum state, whether it lives in one process
// (StateVector) or is split across MPI ranks (mpi/DistributedState). Qubits here are the
// program's (compacted) qubits; where they sit in memory is the implementation's business. Every
// query is collective under MPI and returns the same value on every rank.
#pragma once

#include <array>
#include <complex>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/passes/layout.hpp"
#include "simulator/exact_sum.hpp"
#include "simulator/kernels/reductions.hpp"
#include "simulator/result.hpp"

namespace qstate {

enum class Precision { kSingle, kDouble };
std::string to_string(Precision p);

class State {
 public:
  virtual ~State() = default;

  virtual unsigned num_qubits() const = 0;
  virtual Precision precision() const = 0;
  // Bytes of amplitude storage this process holds.
  virtual std::uint64_t memory_bytes() const = 0;

  // Qubits held in local positions: all of them on one process, n - g on 2^g ranks. When
  // fewer than num_qubits(), the executor plans remaps (plan_distribution) and hands the plan's
  // initial layout to set_initial_layout before running.
  virtual unsigned local_qubits() const { return num_qubits(); }
  virtual void set_initial_layout(const Layout& /*layout*/) {}

  virtual void set_zero_state() = 0;  // |0...0>, and the initial layout
  virtual void apply(const GateOp& op) = 0;
  virtual void apply(const RemapOp& op) = 0;
  // A run of GateOps and RemapOps with nothing in between that reads the state. A state may
  // schedule the work differently (cache blocking); the result is that of applying them in order.
  virtual void apply_run(const Op* begin, const Op* end);

  // Exact sums of |a|^2 over the amplitudes with qubit q = 0 and q = 1.
  virtual std::array<ExactSum, 2> qubit_weights(Qubit q) = 0;
  // Keeps the half where q == outcome, multiplied by scale; with to_zero (reset) the kept half
  // is moved to q = 0.
  virtual void collapse(Qubit q, bool outcome, double scale, bool to_zero) = 0;

  // For each draw d (a uniform integer in [0, 2^53)), the basis state (index bit k = qubit k)
  // whose cumulative weight, in increasing index order, first exceeds d / 2^53 of the total.
  virtual std::vector<std::uint64_t> sample(std::span<const std::uint64_t> draws) = 0;

  // <psi|P|psi> for a Pauli string on the state's qubits.
  virtual double expectation(const kernels::PauliMasks& pauli) = 0;
  // The same for several strings, in order, each value the one expectation() gives. A
  // distributed state streams a partner rank's slice once for all the strings that pair with
  // that rank, instead of once per string.
  virtual std::vector<double> expectations(std::span<const kernels::PauliMasks> strings) {
    std::vector<double> out;
    out.reserve(strings.size());
    for (const kernels::PauliMasks& p : strings) out.push_back(expectation(p));
    return out;
  }

  // |a_i|^2 and a_i for every basis state, in index order, gathered to this process (under MPI
  // to rank 0 only; other ranks get empty vectors).
  virtual std::vector<double> probabilities() = 0;
  virtual std::vector<std::complex<double>> amplitudes() = 0;

  // Writes the amplitudes in index order as raw little-endian complex<Real> to `path`, and
  // `header` (a small JSON text) to `path`.json; both appear only when complete. Collective under
  // MPI (each rank writes its block with MPI-IO; nothing is gathered).
  virtual void write_amplitudes(const std::string& path, const std::string& header) = 0;

  // Same qubits and precision, a copy of the amplitudes (allocates a second state).
  virtual std::unique_ptr<State> clone() const = 0;
  // Overwrites the amplitudes (and layout) with other's (same size and kind).
  virtual void assign(const State& other) = 0;

  // Collective under MPI.
  virtual CommunicationStats communication() const { return {}; }
  // Work done by gates so far on this process.
  virtual WorkCounters work() const { return {}; }
  // Starts work() and communication() from zero (a state re-used by another run).
  virtual void reset_counters() {}
};

}  // namespace qstate
