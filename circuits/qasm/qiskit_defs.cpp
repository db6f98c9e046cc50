// Qiskit's view of a few OpenQASM 2 names (see qiskit_defs.hpp).
#include "circuits/qasm/qiskit_defs.hpp"

#include "circuits/gates.hpp"

namespace qstate::qasm {

unsigned builtin_include(std::string_view file) {
  return file == "qelib1.inc" ? static_cast<unsigned>(kLibQelib1) : 0U;
}

std::string_view qiskit_count_name(std::string_view name) {
  // qiskit.qasm2 builds these classes; their `.name` differs from the qelib1 name.
  struct Rename {
    std::string_view written;
    std::string_view qiskit;
  };
  static constexpr Rename kRenames[] = {
      {"U", "u"},           // UGate
      {"CX", "cx"},         // CXGate
      {"c3x", "mcx"},       // C3XGate
      {"c4x", "mcx"},       // C4XGate
      {"c3sqrtx", "c3sx"},  // C3SXGate
      {"rc3x", "rcccx"},    // RC3XGate
  };
  for (const Rename& r : kRenames)
    if (r.written == name) return r.qiskit;
  return name;
}

bool is_identity_opaque(std::string_view name, unsigned num_params, unsigned num_qubits) {
  return name == "delay" && num_params == 1 && num_qubits == 1;
}

}  // namespace qstate::qasm
