// The distribution planner. With the low `local_positions` positions inside a rank's slice (or a
// cache block) and the rest selecting the rank (or block), it rewrites a program's ops so that
// every op's qubits_needing_local() are local when it runs: it inserts RemapOps that exchange
// global and local qubits only where a non-diagonal target is global, chooses what to evict by
// looking ahead (the local qubit whose next use is furthest), and brings in, in the same remap,
// further global qubits that will be needed before what it evicts (a k-qubit remap moves
// (1 - 2^-k) of a slice, k separate ones k/2). Plain SWAP gates become relabellings. The initial
// layout is free (the state starts in |0...0>): the qubits needed first start local.
#pragma once

#include <cstdint>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/passes/layout.hpp"
#include "circuits/passes/program.hpp"

namespace qstate {

struct DistributionPlan {
  unsigned num_qubits = 0;
  unsigned local_positions = 0;
  Layout initial_layout;
  Layout final_layout;                // after the last op
  std::uint64_t remaps = 0;           // remaps that move data
  std::uint64_t relabels = 0;         // SWAP gates absorbed into the layout
  std::vector<unsigned> remap_sizes;  // qubits exchanged by each data-moving remap, in order

  // Slices each rank sends for the remaps: sum over remaps of (1 - 2^-k).
  double slices_sent() const;
};

// Plans `ops` (top-level ops of a program over num_qubits qubits) in place. With `start`, the
// layout the ops begin in is given (a state already holding data); without, it is chosen freely
// (the state is |0...0>). Positions below `pinned` are never evicted (cache blocking keeps its
// contiguous chunks there); the caller guarantees that every op's local need fits in
// local_positions - pinned. Throws qstate::Error when one op needs more local qubits than there
// are local positions.
DistributionPlan plan_distribution(std::vector<Op>& ops, unsigned num_qubits,
                                   unsigned local_positions, const Layout* start = nullptr,
                                   unsigned pinned = 0);

// The most ranks a program can use: a power of two, at most `ranks`, leaving each rank at least
// as many local qubits as the widest operation needs (and one at least).
int usable_ranks(const Program& program, int ranks);

// The baseline the plan is measured against, in slices sent per rank: a simulator that
// exchanges data per gate (QuEST's way) sends a full slice for each non-diagonal gate with a
// target in a global position (identity layout) and half a slice for each SWAP of a global with
// a local qubit. For a QFT on 2^g ranks that is 1.5 g slices.
double per_gate_exchange_slices(const std::vector<Op>& ops, unsigned num_qubits,
                                unsigned local_positions);

// The qubit exchanges that bring `layout` to the canonical form needed to read results in
// logical order: the top (num_qubits - local_positions) qubits in global positions (in any
// order). Returns RemapOp pairs (low qubit now global, top qubit now local); empty when nothing
// has to move.
std::vector<std::pair<Qubit, Qubit>> canonical_exchanges(const Layout& layout,
                                                         unsigned local_positions);

}  // namespace qstate
