// Matrices of the standard gates, written from Qiskit's documented definitions
// (qiskit.circuit.library.*Gate). Dense forms are classified into diagonal / permutation kinds
// automatically, so e.g. rz, p, cz use the diagonal kernel and x, swap, rccx the permutation one.
#include "circuits/gates.hpp"

#include <array>
#include <cassert>
#include <cmath>
#include <numbers>

#include "circuits/error.hpp"

namespace qstate {
namespace {

using std::numbers::pi;
constexpr Complex kI{0.0, 1.0};

Complex expi(double a) {
  return {std::cos(a), std::sin(a)};
}

GateMatrix m1(Complex a, Complex b, Complex c, Complex d) {
  return GateMatrix::classify(1, {a, b, c, d});
}

// Qiskit's U(theta, phi, lambda) (UGate / U3Gate).
GateMatrix u_matrix(double theta, double phi, double lam) {
  const double c = std::cos(theta / 2);
  const double s = std::sin(theta / 2);
  return m1(c, -expi(lam) * s, expi(phi) * s, expi(phi + lam) * c);
}

GateMatrix identity1(const double*) {
  return GateMatrix::diagonal(1, {1.0, 1.0});
}
GateMatrix u3(const double* p) {
  return u_matrix(p[0], p[1], p[2]);
}
GateMatrix u2(const double* p) {
  return u_matrix(pi / 2, p[0], p[1]);
}
GateMatrix phase(const double* p) {
  return GateMatrix::diagonal(1, {1.0, expi(p[0])});
}
GateMatrix x(const double*) {
  return m1(0.0, 1.0, 1.0, 0.0);
}
GateMatrix y(const double*) {
  return m1(0.0, -kI, kI, 0.0);
}
GateMatrix z(const double*) {
  return GateMatrix::diagonal(1, {1.0, -1.0});
}
GateMatrix h(const double*) {
  const double r = 1.0 / std::sqrt(2.0);
  return m1(r, r, r, -r);
}
GateMatrix s(const double*) {
  return GateMatrix::diagonal(1, {1.0, kI});
}
GateMatrix sdg(const double*) {
  return GateMatrix::diagonal(1, {1.0, -kI});
}
GateMatrix t(const double*) {
  return GateMatrix::diagonal(1, {1.0, expi(pi / 4)});
}
GateMatrix tdg(const double*) {
  return GateMatrix::diagonal(1, {1.0, expi(-pi / 4)});
}
GateMatrix rx(const double* p) {
  const double c = std::cos(p[0] / 2);
  const double sn = std::sin(p[0] / 2);
  return m1(c, -kI * sn, -kI * sn, c);
}
GateMatrix ry(const double* p) {
  const double c = std::cos(p[0] / 2);
  const double sn = std::sin(p[0] / 2);
  return m1(c, -sn, sn, c);
}
GateMatrix rz(const double* p) {
  return GateMatrix::diagonal(1, {expi(-p[0] / 2), expi(p[0] / 2)});
}
GateMatrix sx(const double*) {
  const Complex a{0.5, 0.5};
  const Complex b{0.5, -0.5};
  return m1(a, b, b, a);
}
GateMatrix sxdg(const double*) {
  const Complex a{0.5, -0.5};
  const Complex b{0.5, 0.5};
  return m1(a, b, b, a);
}
// Qiskit's CUGate: controlled (e^{i gamma} U(theta, phi, lambda)); here the base.
GateMatrix cu_base(const double* p) {
  GateMatrix m = u_matrix(p[0], p[1], p[2]);
  for (Complex& e : m.entries) e *= expi(p[3]);
  return m;
}
GateMatrix swap(const double*) {
  return GateMatrix::permutation(2, {0, 2, 1, 3}, {1, 1, 1, 1});
}
// exp(-i theta/2 X(x)X)
GateMatrix rxx(const double* p) {
  const Complex c = std::cos(p[0] / 2);
  const Complex ms = -kI * std::sin(p[0] / 2);
  return GateMatrix::classify(2, {c, 0, 0, ms,  //
                                  0, c, ms, 0,  //
                                  0, ms, c, 0,  //
                                  ms, 0, 0, c});
}
// exp(-i theta/2 Z(x)Z): phase e^{-i theta/2} on even parity, e^{+i theta/2} on odd.
GateMatrix rzz(const double* p) {
  const Complex even = expi(-p[0] / 2);
  const Complex odd = expi(p[0] / 2);
  return GateMatrix::diagonal(2, {even, odd, odd, even});
}
// Qiskit's RCCXGate (relative-phase Toffoli; control a is bit 0, target c is bit 2):
// column 3 -> row 7 (phase i), column 7 -> row 3 (phase -i), column 5 stays (phase -1).
GateMatrix rccx(const double*) {
  std::vector<std::uint32_t> perm = {0, 1, 2, 7, 4, 5, 6, 3};
  std::vector<Complex> ph = {1, 1, 1, kI, 1, -1.0, 1, -kI};
  return GateMatrix::permutation(3, std::move(perm), std::move(ph));
}
// Qiskit's RC3XGate (relative-phase 3-controlled X; target d is bit 3): phase i on column 3,
// -i on column 11, column 7 -> row 15 (phase -1), column 15 -> row 7 (phase 1).
GateMatrix rc3x(const double*) {
  std::vector<std::uint32_t> perm(16);
  std::vector<Complex> ph(16, 1.0);
  for (std::uint32_t i = 0; i < 16; ++i) perm[i] = i;
  perm[7] = 15;
  perm[15] = 7;
  ph[3] = kI;
  ph[11] = -kI;
  ph[7] = -1.0;
  ph[15] = 1.0;
  return GateMatrix::permutation(4, std::move(perm), std::move(ph));
}

constexpr unsigned kQ = kLibQelib1;
constexpr unsigned kS = kLibStdgates;
constexpr unsigned kQS = kLibQelib1 | kLibStdgates;

// name, params, qubits, controls, libraries, base matrix
const std::array kGates = {
    StandardGate{"U", 3, 1, 0, kLibBuiltin | kS, u3},
    StandardGate{"CX", 0, 2, 1, kLibBuiltin | kS, x},
    StandardGate{"u3", 3, 1, 0, kQS, u3},
    StandardGate{"u2", 2, 1, 0, kQS, u2},
    StandardGate{"u1", 1, 1, 0, kQS, phase},
    StandardGate{"cx", 0, 2, 1, kQS, x},
    StandardGate{"id", 0, 1, 0, kQS, identity1},
    StandardGate{"u0", 1, 1, 0, kQ, identity1},
    StandardGate{"u", 3, 1, 0, kQ, u3},
    StandardGate{"p", 1, 1, 0, kQS, phase},
    StandardGate{"phase", 1, 1, 0, kS, phase},
    StandardGate{"x", 0, 1, 0, kQS, x},
    StandardGate{"y", 0, 1, 0, kQS, y},
    StandardGate{"z", 0, 1, 0, kQS, z},
    StandardGate{"h", 0, 1, 0, kQS, h},
    StandardGate{"s", 0, 1, 0, kQS, s},
    StandardGate{"sdg", 0, 1, 0, kQS, sdg},
    StandardGate{"t", 0, 1, 0, kQS, t},
    StandardGate{"tdg", 0, 1, 0, kQS, tdg},
    StandardGate{"rx", 1, 1, 0, kQS, rx},
    StandardGate{"ry", 1, 1, 0, kQS, ry},
    StandardGate{"rz", 1, 1, 0, kQS, rz},
    StandardGate{"sx", 0, 1, 0, kQS, sx},
    StandardGate{"sxdg", 0, 1, 0, kQ, sxdg},
    StandardGate{"cz", 0, 2, 1, kQS, z},
    StandardGate{"cy", 0, 2, 1, kQS, y},
    StandardGate{"swap", 0, 2, 0, kQS, swap},
    StandardGate{"ch", 0, 2, 1, kQS, h},
    StandardGate{"ccx", 0, 3, 2, kQS, x},
    StandardGate{"cswap", 0, 3, 1, kQS, swap},
    StandardGate{"crx", 1, 2, 1, kQS, rx},
    StandardGate{"cry", 1, 2, 1, kQS, ry},
    StandardGate{"crz", 1, 2, 1, kQS, rz},
    StandardGate{"cu1", 1, 2, 1, kQ, phase},
    StandardGate{"cp", 1, 2, 1, kQS, phase},
    StandardGate{"cphase", 1, 2, 1, kS, phase},
    StandardGate{"cu3", 3, 2, 1, kQ, u3},
    StandardGate{"csx", 0, 2, 1, kQ, sx},
    StandardGate{"cu", 4, 2, 1, kQS, cu_base},
    StandardGate{"rxx", 1, 2, 0, kQ, rxx},
    StandardGate{"rzz", 1, 2, 0, kQ, rzz},
    StandardGate{"rccx", 0, 3, 0, kQ, rccx},
    StandardGate{"rc3x", 0, 4, 0, kQ, rc3x},
    StandardGate{"c3x", 0, 4, 3, kQ, x},
    StandardGate{"c3sqrtx", 0, 4, 3, kQ, sx},
    StandardGate{"c4x", 0, 5, 4, kQ, x},
};

}  // namespace

std::span<const StandardGate> standard_gates() {
  return kGates;
}

const StandardGate* find_standard_gate(std::string_view name, unsigned libraries) {
  for (const StandardGate& g : kGates)
    if (g.name == name && (g.libraries & libraries) != 0) return &g;
  return nullptr;
}

void make_gate_into(const StandardGate& gate, std::span<const double> params,
                    std::span<const Qubit> qubits, GateOp& op) {
  assert(params.size() == gate.num_params && qubits.size() == gate.num_qubits);
  op.name = gate.name;
  op.params.assign(params.begin(), params.end());
  op.controls.assign(qubits.begin(), qubits.begin() + gate.num_controls);
  op.targets.assign(qubits.begin() + gate.num_controls, qubits.end());
  op.matrix = gate.base(params.data());
}

GateOp make_gate(const StandardGate& gate, std::span<const double> params,
                 std::span<const Qubit> qubits) {
  GateOp op;
  make_gate_into(gate, params, qubits, op);
  return op;
}

GateOp make_gate(std::string_view name, std::span<const double> params,
                 std::span<const Qubit> qubits) {
  const StandardGate* g = find_standard_gate(name, ~0U);
  if (g == nullptr) throw Error("unknown gate '" + std::string(name) + "'");
  if (params.size() != g->num_params || qubits.size() != g->num_qubits)
    throw Error("gate '" + std::string(name) + "' takes " + std::to_string(g->num_params) +
                " parameter(s) and " + std::to_string(g->num_qubits) + " qubit(s)");
  return make_gate(*g, params, qubits);
}

GateOp make_gate(std::string_view name, std::initializer_list<double> params,
                 std::initializer_list<Qubit> qubits) {
  return make_gate(name, std::span<const double>(params.begin(), params.size()),
                   std::span<const Qubit>(qubits.begin(), qubits.size()));
}

}  // namespace qstate
