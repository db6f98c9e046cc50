// Cache blocking: a run of gates whose non-diagonal targets all sit in the low `block_qubits`
// positions is applied block by block — every gate of the run to one block of 2^block_qubits
// amplitudes while it sits in the core's L2, then the next block — so one pass over memory serves
// the whole run. Positions above the block are fixed within a block, exactly like global
// positions on a rank: controls there become per-block conditions and diagonal targets there pick
// a per-block part of the diagonal. The distribution planner (circuits/passes/distribute) decides
// where a run ends and which high qubits a remap brings low (a swap_positions pass).
#pragma once

#include <complex>
#include <cstdint>
#include <utility>
#include <vector>

#include "circuits/circuit.hpp"
#include "simulator/kernels/placement.hpp"
#include "simulator/result.hpp"

namespace qstate {

// One gate of a blocked run, prepared once for all blocks.
template <class Real>
struct BlockGate {
  MatrixKind kind = MatrixKind::kDense;
  kernels::Placement low;                   // targets and low controls, inside a block
  std::uint64_t groups = 0;                 // groups of `low` in one block
  std::uint64_t high_mask = 0;              // block-index bits of high controls...
  std::uint64_t high_value = 0;             // ...and the values they must hold
  std::vector<std::complex<Real>> entries;  // dense / permutation matrix, or diagonal tables
  std::vector<std::uint32_t> perm;
  bool unit_phases = false;
  // Diagonal: block-index bit of each high target; entries holds one table of dim_low entries
  // per pattern of those bits.
  std::vector<unsigned> diag_high_bits;
  std::size_t dim_low = 1;
  double flops_per_block = 0;
};

// Prepares `op` (targets and controls given as positions; non-diagonal targets below
// block_qubits) for blocked application.
template <class Real>
BlockGate<Real> prepare_block_gate(const GateOp& op, unsigned block_qubits);

// Applies the gates to every block of the 2^num_positions amplitudes, in parallel over blocks.
// Returns the flops done.
template <class Real>
double run_blocked(std::complex<Real>* amp, unsigned num_positions, unsigned block_qubits,
                   const std::vector<BlockGate<Real>>& gates);

// Exchanges high positions with the top positions of a block in one pass: position high[i]
// (>= block_qubits) with position block_qubits - k + i, k = high.size(). The amplitudes move in
// contiguous chunks of 2^(block_qubits - k), each read and written once.
template <class Real>
void swap_high_with_top(std::complex<Real>* amp, unsigned num_positions, unsigned block_qubits,
                        const std::vector<unsigned>& high);

// Qubits per block for amplitudes of `amplitude_bytes`: half the L2 cache of a core (1 MiB when
// unknown); QSTATE_BLOCK_QUBITS overrides, QSTATE_BLOCKING=0 turns blocking off (returns 0).
unsigned default_block_qubits(std::size_t amplitude_bytes);

}  // namespace qstate
