// Staging for cache blocking: reorders the gates of a program so that long stretches of them fit
// one cache block. A cache block holds `block_qubits` positions; a gate fits a stage when the
// qubits it needs local (non-diagonal targets, layout.hpp) join the stage's set without making it
// larger than the block. Greedy over the dependency order: gates are taken in program order as
// soon as every earlier gate sharing a qubit with them is taken, and a gate that does not fit
// waits for the next stage. Only gates move, never past each other when they share a qubit (the
// program's meaning is unchanged; rounding may differ from the original order, but the staged
// order depends only on the program and the block size, not on ranks or threads). Measurements,
// resets and conditionals stay where they are and bound the reordering.
#pragma once

#include <cstdint>
#include <vector>

#include "circuits/circuit.hpp"

namespace qstate {

struct StageOptions {
  unsigned block_qubits = 16;
  // Qubits 0 .. pinned-1 sit in the block's fixed low positions (cache blocking pins them, see
  // simulator/blocked.hpp): they are always in the stage's set, and the stage may add
  // block_qubits - pinned others.
  unsigned pinned = 0;
};

// The ops of `ops` in staged order.
std::vector<Op> stage_gates(const std::vector<Op>& ops, unsigned num_qubits,
                            const StageOptions& options);

// Blocked passes the state would make over `ops` from the identity layout: the runs between the
// planner's data remaps (circuits/passes/distribute.hpp), with block_qubits local positions and
// the first `pinned` never evicted. For choosing between orders.
std::uint64_t blocked_runs(const std::vector<Op>& ops, unsigned num_qubits,
                           const StageOptions& options);

}  // namespace qstate
