// Layout: which position in memory each qubit occupies. With 2^g MPI ranks the top g positions
// pick the rank ("global"), the rest index inside a rank's slice ("local"); the same split at a
// smaller scale (low positions inside a cache block) serves cache blocking. The distribution
// planner and the states that follow its plan keep identical layouts.
#pragma once

#include <cstdint>
#include <vector>

#include "circuits/circuit.hpp"

namespace qstate {

class Layout {
 public:
  Layout() = default;
  explicit Layout(unsigned num_qubits);  // identity: qubit k at position k
  // position_of[q] = position of qubit q (a permutation of 0..n-1).
  static Layout from_positions(std::vector<unsigned> position_of);

  unsigned num_qubits() const { return static_cast<unsigned>(position_of_.size()); }
  unsigned position(Qubit q) const { return position_of_[q]; }
  Qubit qubit_at(unsigned position) const { return qubit_at_[position]; }
  const std::vector<unsigned>& positions() const { return position_of_; }
  // The positions of the qubits in a mask (bit q: qubit q), as a mask of positions.
  std::uint64_t position_bits(std::uint64_t qubit_bits) const;
  bool is_identity() const;

  // The two qubits exchange positions (a SWAP gate as a relabelling, or one pair of a remap).
  void swap_qubits(Qubit a, Qubit b);

  bool operator==(const Layout& other) const { return position_of_ == other.position_of_; }

 private:
  std::vector<unsigned> position_of_;
  std::vector<Qubit> qubit_at_;
};

// A SWAP gate without controls that may be relabelled (GateOp::may_relabel): a relabelling of
// positions, no data needs to move.
bool is_plain_swap(const GateOp& op);

// Qubits of an op that must sit in a local position when it runs: the targets of a
// non-diagonal gate and the qubit of a reset (for an IfOp, those of both branches). Controls,
// diagonal targets and measured qubits may be global. (The planner turns top-level plain SWAPs
// into relabellings before asking.)
// Held inline for up to 4 qubits (no allocation per gate: planners ask this of every op).
using LocalQubits = SmallVector<Qubit, 4>;
LocalQubits qubits_needing_local(const Op& op);

}  // namespace qstate
