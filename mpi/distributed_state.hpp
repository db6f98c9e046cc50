// DistributedState<Real>: the state split across 2^g MPI ranks. Each rank holds a slice of
// 2^(n-g) amplitudes (a StateVector over the local positions, run by the same kernels as one
// process) and a Layout shared with the distribution planner: the top g positions select the
// rank. Gates whose targets are local run locally; controls on global positions are a per-rank
// condition, diagonal targets on global positions a per-rank phase; neither communicates.
// RemapOps exchange only the amplitudes that change rank, pairwise, through a bounded buffer.
// Reductions are exact sums combined across ranks; results are read in logical order after at
// most one remap (canonical()), so every rank count gives the same bits.
#pragma once

#include <complex>
#include <memory>

#include "circuits/passes/layout.hpp"
#include "mpi/communicator.hpp"
#include "simulator/aligned_buffer.hpp"
#include "simulator/state_vector.hpp"

namespace qstate::mpi {

template <class Real>
class DistributedState final : public State {
 public:
  using Amplitude = std::complex<Real>;

  // num_qubits over comm.size() ranks (a power of two, at most 2^(num_qubits-1)); exchange
  // buffers of buffer_bytes in total (send + receive halves).
  DistributedState(const Communicator& comm, unsigned num_qubits, std::uint64_t buffer_bytes);

  unsigned num_qubits() const override { return num_qubits_; }
  unsigned local_qubits() const override { return local_qubits_; }
  Precision precision() const override { return local_.precision(); }
  std::uint64_t memory_bytes() const override;
  CommunicationStats communication() const override;
  WorkCounters work() const override { return local_.work(); }
  void reset_counters() override {
    local_.reset_counters();
    remaps_ = 0;
    bytes_at_start_ = comm_.bytes_sent();
  }

  void set_initial_layout(const Layout& layout) override;
  const Layout& layout() const { return layout_; }

  void set_zero_state() override;
  void apply(const GateOp& op) override;
  void apply(const RemapOp& op) override;
  void apply_run(const Op* begin, const Op* end) override;
  std::array<ExactSum, 2> qubit_weights(Qubit q) override;
  void collapse(Qubit q, bool outcome, double scale, bool to_zero) override;
  std::vector<std::uint64_t> sample(std::span<const std::uint64_t> draws) override;
  double expectation(const kernels::PauliMasks& pauli) override;
  std::vector<double> expectations(std::span<const kernels::PauliMasks> strings) override;
  std::vector<double> probabilities() override;
  std::vector<std::complex<double>> amplitudes() override;
  void write_amplitudes(const std::string& path, const std::string& header) override;
  std::unique_ptr<State> clone() const override;
  void assign(const State& other) override;

  // Brings the layout to canonical form: the top g qubits in global positions (one remap at
  // most) and the low qubits in order in the local positions (local swaps). Collective.
  void canonicalize();
  // The logical block (index >> local_qubits) this rank holds; valid after canonicalize().
  std::uint64_t logical_block() const;
  std::uint64_t logical_block_of(int rank) const;
  // This rank's slice, positions as in layout().
  const StateVector<Real>& local() const { return local_; }

 private:
  bool rank_bit(unsigned position) const {
    return ((static_cast<unsigned>(comm_.rank()) >> (position - local_qubits_)) & 1U) != 0;
  }
  void exchange_pairs(const std::vector<std::pair<Qubit, Qubit>>& pairs);
  void scale_slice(double factor);
  // The gate on this rank's slice: positions for qubits, global controls resolved (an identity of
  // the same kind where one fails), global diagonal targets fixed to the rank's bits.
  GateOp localize(const GateOp& op) const;
  // Local position bits mapped to where the slice stores them (its own layout).
  std::uint64_t to_memory(std::uint64_t local_bits) const;
  // Slices of all ranks in logical order, on rank 0 (empty elsewhere); point to point, so rank 0
  // holds the result and one slice, never a second copy of the result.
  template <class T>
  std::vector<T> gather_blocks(const std::vector<T>& slice);

  const Communicator& comm_;
  unsigned num_qubits_;
  unsigned local_qubits_;
  StateVector<Real> local_;
  Layout initial_layout_;
  Layout layout_;
  std::uint64_t chunk_;  // amplitudes per exchange message
  AlignedBuffer<Amplitude> send_;
  AlignedBuffer<Amplitude> recv_;
  std::uint64_t remaps_ = 0;
  std::uint64_t bytes_at_start_ = 0;  // the communicator's counter when this state was made
};

extern template class DistributedState<float>;
extern template class DistributedState<double>;

}  // namespace qstate::mpi
