// The matrix of a fused gate (circuits/passes/fusion.hpp), computed by the plain kernels that
// apply gates to a state (kernels::apply_dense / apply_diagonal / apply_permutation), in double
// precision: the gates are applied, in order, to every basis column of the identity held as a
// small state of 2k positions (row index in the high k positions, column index in the low k:
// row-major), so the fused matrix is exactly what the kernels make of the gates. A diagonal
// product is applied to one column of ones instead (2^k amplitudes, not 4^k). Checked against the
// dense reference in tests/unit/simulator/test_fused_matrix.cpp.
#pragma once

#include <span>

#include "circuits/circuit.hpp"
#include "circuits/passes/fusion.hpp"

namespace qstate {

// See FusedMatrixBuilder. The result is stored in the cheapest kind that represents it exactly
// (GateMatrix::classify); a diagonal product is always kDiagonal.
GateMatrix fused_matrix(unsigned num_targets, MatrixKind kind, std::span<const GateOp> gates);

}  // namespace qstate
