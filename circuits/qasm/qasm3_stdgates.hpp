// The OpenQASM 3 standard library as qstate provides it: which gates `include "stdgates.inc"`
// makes visible (the kLibStdgates rows of circuits/gates.cpp, with Qiskit's matrices), the name
// Qiskit's count_ops() gives each after qiskit.qasm3.loads, and the one place where the
// specification's stdgates.inc definition and Qiskit's matrix differ.
//
// Phase decisions (docs/openqasm.md has the table). Every stdgates gate is Qiskit's matrix, so a
// file and its qiskit.quantum_info.Statevector agree, and the same circuit written in OpenQASM 2
// and 3 gives the same state. For all gates but two this is also the specification's matrix
// exactly (its U is Qiskit's U; p, rz, cu, crz, sx, ... agree entry by entry). The exceptions are
// the OpenQASM 2 compatibility gates u2 and u3: stdgates.inc defines them as
// gphase(-(phi+lambda)/2) followed by U, i.e. e^{-i(phi+lambda)/2} times Qiskit's U2Gate/U3Gate
// (the OpenQASM 2 U phase). qstate follows Qiskit there (its loader maps u2/u3 to U2Gate and
// U3Gate), so a state differs from the specification's by that global phase, and `ctrl @ u3`
// is Qiskit's CU3Gate, not the specification's controlled phase.
#pragma once

#include <span>
#include <string_view>

namespace qstate::qasm3 {

// The GateLibrary bits an OpenQASM 3 include of `file` makes visible: "stdgates.inc" (the
// specification's library) and, as an extension, "qelib1.inc" (Qiskit's OpenQASM 2 library, with
// CX); 0 for any other file.
unsigned builtin_library(std::string_view file);

// The name Qiskit's count_ops() reports for a gate written `name` in an OpenQASM 3 file:
// U -> u, CX -> cx, phase -> p, cphase -> cp, gphase -> global_phase; others unchanged.
std::string_view count_name(std::string_view name);

// The global phase a such that the specification's stdgates.inc definition of `name(params)` is
// e^{ia} times qstate's (Qiskit's) matrix: -(phi+lambda)/2 for u2(phi, lambda) and
// u3(theta, phi, lambda), 0 for every other gate.
double spec_phase_difference(std::string_view name, std::span<const double> params);

}  // namespace qstate::qasm3
