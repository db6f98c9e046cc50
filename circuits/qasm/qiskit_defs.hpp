// What Qiskit's OpenQASM 2 tooling means by a few names: which includes are built in (never read
// from disk), which name Qiskit's count_ops() reports for a qelib1 gate, and which opaque
// declarations Qiskit's exporter writes for instructions that act as the identity.
#pragma once

#include <string_view>

namespace qstate::qasm {

// The GateLibrary bits an include of `file` makes visible, or 0 when `file` is not built in.
// "qelib1.inc" is Qiskit's extended qelib1 (the kLibQelib1 gates of circuits/gates.hpp).
unsigned builtin_include(std::string_view file);

// The name Qiskit's QuantumCircuit.count_ops() reports for a standard gate written `name` in an
// OpenQASM 2 file (its loader builds U as UGate "u", c3x as C3XGate "mcx", ...).
std::string_view qiskit_count_name(std::string_view name);

// True for an opaque declaration Qiskit's exporter writes for an instruction that has no effect on
// the state: `opaque delay(param0) q0;` (qiskit.circuit.Delay). Applying it lowers to nothing.
bool is_identity_opaque(std::string_view name, unsigned num_params, unsigned num_qubits);

}  // namespace qstate::qasm
