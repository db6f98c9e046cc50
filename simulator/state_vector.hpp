// StateVector<Real>: the whole state in one process, 2^n amplitudes of std::complex<Real> in a
// 64-byte aligned buffer, initialised in parallel (first touch by the thread that will work on
// it). Gates run the kernels of simulator/kernels over all groups under parallel_for. A Layout
// maps qubits to positions in memory: SWAP gates only relabel it (no data moves), and reads in
// logical order (sampling, probabilities, amplitudes) first bring it back to the identity
// (canonicalize). Under MPI a rank's slice is a StateVector whose "qubits" are the rank's local
// positions.
#pragma once

#include <complex>

#include "simulator/aligned_buffer.hpp"
#include "simulator/state.hpp"

namespace qstate {

template <class Real>
class StateVector final : public State {
 public:
  using Amplitude = std::complex<Real>;

  // Allocates 2^num_qubits amplitudes and sets |0...0>.
  explicit StateVector(unsigned num_qubits);

  unsigned num_qubits() const override { return num_qubits_; }
  Precision precision() const override;
  std::uint64_t memory_bytes() const override { return size() * sizeof(Amplitude); }
  std::uint64_t size() const { return std::uint64_t{1} << num_qubits_; }
  Amplitude* data() { return amp_.data(); }
  const Amplitude* data() const { return amp_.data(); }

  // Where each qubit sits in memory; data() is indexed by positions.
  const Layout& layout() const { return layout_; }
  // Moves the data so that qubit k sits at position k: one pass whatever the permutation
  // (permute.hpp), nothing when the layout is already the identity.
  void canonicalize();

  void set_zero_state() override;
  void apply(const GateOp& op) override;
  // A relabel (or a plain SWAP gate) exchanges two qubits' positions; a data remap changes
  // nothing here (the state has no global positions).
  void apply(const RemapOp& op) override;
  // Cache blocking (blocked.hpp): the run is planned with the low block_qubits() positions as
  // "local", and each stretch between remaps is applied block by block.
  void apply_run(const Op* begin, const Op* end) override;
  unsigned block_qubits() const { return block_qubits_; }
  void set_block_qubits(unsigned qubits) { block_qubits_ = qubits; }  // 0: no blocking
  std::array<ExactSum, 2> qubit_weights(Qubit q) override;
  void collapse(Qubit q, bool outcome, double scale, bool to_zero) override;
  std::vector<std::uint64_t> sample(std::span<const std::uint64_t> draws) override;
  double expectation(const kernels::PauliMasks& pauli) override;
  // The exact sum behind expectation() (for combining across ranks).
  ExactSum expectation_sum(const kernels::PauliMasks& pauli) const;
  std::vector<double> probabilities() override;
  std::vector<std::complex<double>> amplitudes() override;
  void write_amplitudes(const std::string& path, const std::string& header) override;
  std::unique_ptr<State> clone() const override;
  void assign(const State& other) override;
  WorkCounters work() const override { return work_; }
  void reset_counters() override { work_ = {}; }

 private:
  // Runs the kernel of a gate whose targets and controls are already positions.
  void apply_at_positions(const GateOp& op);
  kernels::PauliMasks to_positions(const kernels::PauliMasks& pauli) const;

  unsigned num_qubits_;
  AlignedBuffer<Amplitude> amp_;
  Layout layout_;
  unsigned block_qubits_;
  WorkCounters work_;
};

extern template class StateVector<float>;
extern template class StateVector<double>;

}  // namespace qstate
