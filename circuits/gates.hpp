// The standard gate set: every gate the front ends know without a `gate` definition, with
// Qiskit's matrix for each name (qiskit.circuit.library), so phases match
// qiskit.quantum_info.Statevector. A gate is its controls (leading qubit arguments, control value
// 1) and a base matrix on the remaining targets.
#pragma once

#include <span>
#include <string_view>

#include "circuits/circuit.hpp"

namespace qstate {

// Which include makes a gate visible.
enum GateLibrary : unsigned {
  kLibBuiltin = 1U,   // U and CX: always defined in OpenQASM 2
  kLibQelib1 = 2U,    // include "qelib1.inc" (Qiskit's extended set of 42)
  kLibStdgates = 4U,  // include "stdgates.inc" (OpenQASM 3)
};

struct StandardGate {
  std::string_view name;
  unsigned num_params;
  unsigned num_qubits;                       // arguments as written
  unsigned num_controls;                     // leading arguments that are controls
  unsigned libraries;                        // GateLibrary bits
  GateMatrix (*base)(const double* params);  // matrix on the last num_qubits - num_controls args
};

// All standard gates, in a fixed order.
std::span<const StandardGate> standard_gates();

// The gate of that name visible with the given libraries, or nullptr.
const StandardGate* find_standard_gate(std::string_view name, unsigned libraries);

// Builds the GateOp for `name(params) qubits`. Sizes must match the gate (asserted).
GateOp make_gate(const StandardGate& gate, std::span<const double> params,
                 std::span<const Qubit> qubits);
// The same into a default-constructed `op` (one built in place in an op list: no GateOp moved).
void make_gate_into(const StandardGate& gate, std::span<const double> params,
                    std::span<const Qubit> qubits, GateOp& op);

// Convenience for code and tests: looks the name up among all libraries; throws qstate::Error
// for an unknown name or a wrong number of parameters or qubits.
GateOp make_gate(std::string_view name, std::span<const double> params,
                 std::span<const Qubit> qubits);
GateOp make_gate(std::string_view name, std::initializer_list<double> params,
                 std::initializer_list<Qubit> qubits);

}  // namespace qstate
