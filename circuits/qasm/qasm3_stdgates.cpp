// The OpenQASM 3 standard library's names and phases (see qasm3_stdgates.hpp).
#include "circuits/qasm/qasm3_stdgates.hpp"

#include "circuits/gates.hpp"

namespace qstate::qasm3 {

unsigned builtin_library(std::string_view file) {
  if (file == "stdgates.inc") return kLibStdgates;
  if (file == "qelib1.inc") return kLibQelib1 | kLibBuiltin;
  return 0;
}

std::string_view count_name(std::string_view name) {
  struct Rename {
    std::string_view written;
    std::string_view qiskit;
  };
  static constexpr Rename kRenames[] = {
      {"U", "u"},          {"CX", "cx"},      {"phase", "p"},
      {"cphase", "cp"},    {"c3x", "mcx"},    {"c4x", "mcx"},
      {"c3sqrtx", "c3sx"}, {"rc3x", "rcccx"}, {"gphase", "global_phase"},
  };
  for (const Rename& r : kRenames)
    if (r.written == name) return r.qiskit;
  return name;
}

double spec_phase_difference(std::string_view name, std::span<const double> params) {
  if (name == "u2" && params.size() == 2) return -(params[0] + params[1]) / 2;
  if (name == "u3" && params.size() == 3) return -(params[1] + params[2]) / 2;
  return 0.0;
}

}  // namespace qstate::qasm3
