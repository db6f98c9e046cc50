// Diagonal gates visit only the amplitudes they change: where a diagonal's entries are exactly 1
// for every index with target j = 0 (cz, cp, cu1, t on a control pattern, ...), that target acts
// as a control with value 1 (and as an open control when the entries with target j = 1 are all
// 1). A controlled phase on two qubits then touches a quarter of the state instead of all of it.
// Exact: an amplitude left alone is what a product with 1 would give (up to the sign of a zero).
#pragma once

#include "circuits/circuit.hpp"

namespace qstate {

// `op` (targets and controls given as positions) with every such diagonal target at position 3
// or above turned into a control; other gates unchanged.
GateOp diagonal_with_controls(const GateOp& op);

}  // namespace qstate
