// Matrix algebra behind the OpenQASM 3 gate modifiers: powers of a gate's matrix (integer powers
// by repeated products; fractional powers by the principal branch, through a Schur decomposition
// with Eigen) and the product of several gates as one dense matrix (a user gate under a
// fractional `pow`).
#pragma once

#include <cstdint>
#include <vector>

#include "circuits/circuit.hpp"

namespace qstate::qasm3 {

// Largest number of qubits a user gate may act on to be multiplied into one matrix.
inline constexpr unsigned kMaxProductQubits = 10;

// m^k. An integer k gives the exact repeated product (k < 0: of the adjoint), kept in the kind of
// `m` when it allows; a fractional k gives the principal power: every eigenvalue e^{ia}, a in
// (-pi, pi], becomes e^{iak} (so pow(1/2) @ z is s and pow(1/2) @ x is sx, as Qiskit's
// Gate.power computes them). `m` must be unitary.
GateMatrix matrix_power(const GateMatrix& m, double k);

// One gate of a product: `matrix` on `targets` where every control holds (indices are local
// qubits of the product, 0 .. width-1).
struct ProductPart {
  std::vector<unsigned> controls;
  std::vector<unsigned> targets;
  std::uint64_t open_controls = 0;
  GateMatrix matrix;
};

// The dense 2^width x 2^width matrix of the parts applied in order (bit j of an index is local
// qubit j).
GateMatrix product_matrix(const std::vector<ProductPart>& parts, unsigned width);

}  // namespace qstate::qasm3
