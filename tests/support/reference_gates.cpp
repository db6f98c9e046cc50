// The reference's own gate table, written from Qiskit's documented definitions and built
// differently from circuits/gates.cpp on purpose: rotations as Pauli exponentials
// cos(t/2) I - i sin(t/2) P, U as e^{i(phi+lambda)/2} RZ(phi) RY(theta) RZ(lambda), controlled
// gates by the controlled-operator formula on full operators, and the relative-phase Toffolis
// (rccx, rc3x) by multiplying out their qelib1.inc decompositions.
#include <cmath>
#include <functional>
#include <map>
#include <numbers>
#include <stdexcept>

#include "tests/support/reference.hpp"

namespace qstate::test {
namespace {

using std::numbers::pi;
constexpr Cplx kI{0.0, 1.0};

CMatrix m2(Cplx a, Cplx b, Cplx c, Cplx d) {
  CMatrix m(2, 2);
  m << a, b, c, d;
  return m;
}

CMatrix identity(unsigned k) {
  const Eigen::Index d = Eigen::Index{1} << k;
  return CMatrix::Identity(d, d);
}

// ---- one-qubit gates --------------------------------------------------------------------------

CMatrix rx(double t) {
  return pauli_rotation(pauli('X'), t);
}
CMatrix ry(double t) {
  return pauli_rotation(pauli('Y'), t);
}
CMatrix rz(double t) {
  return pauli_rotation(pauli('Z'), t);
}
CMatrix phase_gate(double lambda) {
  return m2(1.0, 0.0, 0.0, std::polar(1.0, lambda));
}
// Qiskit's UGate: U(theta, phi, lambda) = e^{i(phi+lambda)/2} RZ(phi) RY(theta) RZ(lambda).
CMatrix u_gate(double theta, double phi, double lambda) {
  return std::polar(1.0, (phi + lambda) / 2) * rz(phi) * ry(theta) * rz(lambda);
}
CMatrix hadamard() {
  return (pauli('X') + pauli('Z')) / std::sqrt(2.0);
}
CMatrix s_gate() {
  return m2(1.0, 0.0, 0.0, kI);
}
CMatrix t_gate() {
  return m2(1.0, 0.0, 0.0, Cplx(1.0, 1.0) / std::sqrt(2.0));
}
// sqrt(X) = ((1+i) I + (1-i) X) / 2.
CMatrix sx_gate() {
  return (Cplx(1.0, 1.0) * identity(1) + Cplx(1.0, -1.0) * pauli('X')) / 2.0;
}

// ---- helpers in a gate's own k-qubit space ----------------------------------------------------

CMatrix on(const CMatrix& u, std::initializer_list<Qubit> qubits, unsigned k) {
  return embed(u, std::span<const Qubit>(qubits.begin(), qubits.size()), k);
}

// u on `targets` controlled (value 1) by `controls`, in a k-qubit space.
CMatrix ctrl(const CMatrix& u, std::initializer_list<Qubit> controls,
             std::initializer_list<Qubit> targets, unsigned k) {
  const std::uint64_t all_ones = (std::uint64_t{1} << controls.size()) - 1;
  return controlled(u, std::span<const Qubit>(controls.begin(), controls.size()), all_ones,
                    std::span<const Qubit>(targets.begin(), targets.size()), k);
}

// Operators listed in circuit order (first applied first): returns last * ... * first.
CMatrix in_order(std::initializer_list<CMatrix> ops) {
  CMatrix out = identity(static_cast<unsigned>(std::log2(ops.begin()->rows())));
  for (const CMatrix& m : ops) out = m * out;
  return out;
}

CMatrix swap_gate() {
  // Built from basis states: |b1 b0> -> |b0 b1>.
  CMatrix m = CMatrix::Zero(4, 4);
  for (int c = 0; c < 4; ++c) {
    const int b0 = c & 1;
    const int b1 = (c >> 1) & 1;
    m((b0 << 1) | b1, c) = 1.0;
  }
  return m;
}

CMatrix cx(Qubit c, Qubit t, unsigned k) {
  return ctrl(pauli('X'), {c}, {t}, k);
}

// qelib1.inc: gate rccx a,b,c { u2(0,pi) c; u1(pi/4) c; cx b,c; u1(-pi/4) c; cx a,c;
//                               u1(pi/4) c; cx b,c; u1(-pi/4) c; u2(0,pi) c; }
CMatrix rccx_gate() {
  const CMatrix h = on(u_gate(pi / 2, 0, pi), {2}, 3);
  const CMatrix t = on(phase_gate(pi / 4), {2}, 3);
  const CMatrix tdg = on(phase_gate(-pi / 4), {2}, 3);
  return in_order({h, t, cx(1, 2, 3), tdg, cx(0, 2, 3), t, cx(1, 2, 3), tdg, h});
}

// qelib1.inc: gate rc3x a,b,c,d { u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d;
//   cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d; cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d;
//   u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d; }
CMatrix rc3x_gate() {
  const CMatrix h = on(u_gate(pi / 2, 0, pi), {3}, 4);
  const CMatrix t = on(phase_gate(pi / 4), {3}, 4);
  const CMatrix tdg = on(phase_gate(-pi / 4), {3}, 4);
  return in_order({h, t, cx(2, 3, 4), tdg, h, cx(0, 3, 4), t, cx(1, 3, 4), tdg, cx(0, 3, 4), t,
                   cx(1, 3, 4), tdg, h, t, cx(2, 3, 4), tdg, h});
}

// ---- the table --------------------------------------------------------------------------------

struct Entry {
  unsigned params;
  unsigned qubits;  // 0: given by the caller (mcx)
  std::function<CMatrix(const double*, unsigned)> build;
};

const std::map<std::string, Entry, std::less<>>& table() {
  static const std::map<std::string, Entry, std::less<>> kTable = [] {
    std::map<std::string, Entry, std::less<>> m;
    auto one = [&](const char* name, unsigned np, std::function<CMatrix(const double*)> f) {
      m[name] = Entry{np, 1, [f](const double* p, unsigned) { return f(p); }};
    };
    // A base gate on the last argument, controlled by the first `nc` arguments.
    auto controlled_gate = [&](const char* name, unsigned np, unsigned nc,
                               std::function<CMatrix(const double*)> base) {
      m[name] = Entry{np, nc + 1, [nc, base](const double* p, unsigned) {
                        std::vector<Qubit> controls(nc);
                        for (unsigned j = 0; j < nc; ++j) controls[j] = j;
                        const Qubit target = nc;
                        return controlled(base(p), controls, (std::uint64_t{1} << nc) - 1,
                                          std::span<const Qubit>(&target, 1), nc + 1);
                      }};
    };
    auto fixed = [&](const char* name, unsigned np, unsigned nq,
                     std::function<CMatrix(const double*)> f) {
      m[name] = Entry{np, nq, [f](const double* p, unsigned) { return f(p); }};
    };

    const auto u3 = [](const double* p) { return u_gate(p[0], p[1], p[2]); };
    const auto u2 = [](const double* p) { return u_gate(pi / 2, p[0], p[1]); };
    const auto ph = [](const double* p) { return phase_gate(p[0]); };
    const auto id = [](const double*) { return identity(1); };
    const auto x = [](const double*) { return pauli('X'); };
    const auto y = [](const double*) { return pauli('Y'); };
    const auto z = [](const double*) { return pauli('Z'); };
    const auto h = [](const double*) { return hadamard(); };
    const auto s = [](const double*) { return s_gate(); };
    const auto sdg = [](const double*) { return CMatrix(s_gate().adjoint()); };
    const auto t = [](const double*) { return t_gate(); };
    const auto tdg = [](const double*) { return CMatrix(t_gate().adjoint()); };
    const auto sx = [](const double*) { return sx_gate(); };
    const auto sxdg = [](const double*) { return CMatrix(sx_gate().adjoint()); };
    const auto rx1 = [](const double* p) { return rx(p[0]); };
    const auto ry1 = [](const double* p) { return ry(p[0]); };
    const auto rz1 = [](const double* p) { return rz(p[0]); };

    one("U", 3, u3);
    one("u3", 3, u3);
    one("u", 3, u3);
    one("u2", 2, u2);
    one("u1", 1, ph);
    one("p", 1, ph);
    one("phase", 1, ph);
    one("id", 0, id);
    one("u0", 1, id);
    one("x", 0, x);
    one("y", 0, y);
    one("z", 0, z);
    one("h", 0, h);
    one("s", 0, s);
    one("sdg", 0, sdg);
    one("t", 0, t);
    one("tdg", 0, tdg);
    one("sx", 0, sx);
    one("sxdg", 0, sxdg);
    one("rx", 1, rx1);
    one("ry", 1, ry1);
    one("rz", 1, rz1);
    // r(theta, phi) = exp(-i theta/2 (cos(phi) X + sin(phi) Y))
    one("r", 2, [](const double* p) {
      return pauli_rotation(std::cos(p[1]) * pauli('X') + std::sin(p[1]) * pauli('Y'), p[0]);
    });

    controlled_gate("CX", 0, 1, x);
    controlled_gate("cx", 0, 1, x);
    controlled_gate("cy", 0, 1, y);
    controlled_gate("cz", 0, 1, z);
    controlled_gate("ch", 0, 1, h);
    controlled_gate("csx", 0, 1, sx);
    controlled_gate("cs", 0, 1, s);
    controlled_gate("csdg", 0, 1, sdg);
    controlled_gate("crx", 1, 1, rx1);
    controlled_gate("cry", 1, 1, ry1);
    controlled_gate("crz", 1, 1, rz1);
    controlled_gate("cu1", 1, 1, ph);
    controlled_gate("cp", 1, 1, ph);
    controlled_gate("cphase", 1, 1, ph);
    controlled_gate("cu3", 3, 1, u3);
    // CUGate: controlled e^{i gamma} U(theta, phi, lambda).
    controlled_gate("cu", 4, 1, [](const double* p) {
      return CMatrix(std::polar(1.0, p[3]) * u_gate(p[0], p[1], p[2]));
    });
    controlled_gate("ccx", 0, 2, x);
    controlled_gate("ccz", 0, 2, z);
    controlled_gate("c3x", 0, 3, x);
    controlled_gate("c3sqrtx", 0, 3, sx);
    controlled_gate("c4x", 0, 4, x);

    fixed("swap", 0, 2, [](const double*) { return swap_gate(); });
    fixed("cswap", 0, 3, [](const double*) {
      const Qubit c = 0;
      const Qubit tg[2] = {1, 2};
      return controlled(swap_gate(), std::span<const Qubit>(&c, 1), 1, tg, 3);
    });
    // Two-qubit Pauli rotations exp(-i theta/2 P1 (x) P0): kron(letter on arg 1, letter on arg 0).
    fixed("rxx", 1, 2,
          [](const double* p) { return pauli_rotation(kron(pauli('X'), pauli('X')), p[0]); });
    fixed("ryy", 1, 2,
          [](const double* p) { return pauli_rotation(kron(pauli('Y'), pauli('Y')), p[0]); });
    fixed("rzz", 1, 2,
          [](const double* p) { return pauli_rotation(kron(pauli('Z'), pauli('Z')), p[0]); });
    // RZXGate: Z on its first argument, X on its second.
    fixed("rzx", 1, 2,
          [](const double* p) { return pauli_rotation(kron(pauli('X'), pauli('Z')), p[0]); });
    // ECRGate = (IX - XY) / sqrt(2) in Qiskit's label order (rightmost letter = first argument).
    fixed("ecr", 0, 2, [](const double*) {
      return CMatrix((kron(pauli('I'), pauli('X')) - kron(pauli('X'), pauli('Y'))) /
                     std::sqrt(2.0));
    });
    // iSWAP = exp(i pi/4 (XX + YY)); XX and YY commute.
    fixed("iswap", 0, 2, [](const double*) {
      return CMatrix(pauli_rotation(kron(pauli('X'), pauli('X')), -pi / 2) *
                     pauli_rotation(kron(pauli('Y'), pauli('Y')), -pi / 2));
    });
    // DCX: cx a,b then cx b,a.
    fixed("dcx", 0, 2, [](const double*) { return in_order({cx(0, 1, 2), cx(1, 0, 2)}); });
    // XX+YY(theta, beta) = RZ_0(-beta) exp(-i theta/4 (XX + YY)) RZ_0(beta).
    fixed("xx_plus_yy", 2, 2, [](const double* p) {
      return CMatrix(on(rz(-p[1]), {0}, 2) *
                     pauli_rotation(kron(pauli('X'), pauli('X')), p[0] / 2) *
                     pauli_rotation(kron(pauli('Y'), pauli('Y')), p[0] / 2) * on(rz(p[1]), {0}, 2));
    });
    // XX-YY(theta, beta) = RZ_1(beta) exp(-i theta/4 (XX - YY)) RZ_1(-beta).
    fixed("xx_minus_yy", 2, 2, [](const double* p) {
      return CMatrix(on(rz(p[1]), {1}, 2) * pauli_rotation(kron(pauli('X'), pauli('X')), p[0] / 2) *
                     pauli_rotation(kron(pauli('Y'), pauli('Y')), -p[0] / 2) *
                     on(rz(-p[1]), {1}, 2));
    });
    fixed("rccx", 0, 3, [](const double*) { return rccx_gate(); });
    fixed("rc3x", 0, 4, [](const double*) { return rc3x_gate(); });
    fixed("rcccx", 0, 4, [](const double*) { return rc3x_gate(); });
    fixed("rcccx_dg", 0, 4, [](const double*) { return CMatrix(rc3x_gate().adjoint()); });
    m["mcx"] = Entry{0, 0, [](const double*, unsigned n) {
                       std::vector<Qubit> controls(n - 1);
                       for (unsigned j = 0; j + 1 < n; ++j) controls[j] = j;
                       const Qubit target = n - 1;
                       return controlled(pauli('X'), controls, (std::uint64_t{1} << (n - 1)) - 1,
                                         std::span<const Qubit>(&target, 1), n);
                     }};
    return m;
  }();
  return kTable;
}

const Entry& entry(std::string_view name) {
  const auto it = table().find(name);
  if (it == table().end())
    throw std::invalid_argument("reference: unknown gate '" + std::string(name) + "'");
  return it->second;
}

}  // namespace

// ---- public helpers ----------------------------------------------------------------------------

bool has_reference_gate(std::string_view name) {
  return table().count(name) != 0;
}
unsigned reference_gate_params(std::string_view name) {
  return entry(name).params;
}
unsigned reference_gate_qubits(std::string_view name) {
  return entry(name).qubits;
}

CMatrix reference_gate_matrix(std::string_view name, std::span<const double> params,
                              unsigned num_qubits) {
  const Entry& e = entry(name);
  if (params.size() != e.params)
    throw std::invalid_argument("reference: gate '" + std::string(name) + "' takes " +
                                std::to_string(e.params) + " parameters");
  if (e.qubits == 0 && num_qubits < 2)
    throw std::invalid_argument("reference: mcx needs its number of qubits");
  return e.build(params.data(), e.qubits == 0 ? num_qubits : e.qubits);
}

CMatrix reference_gate_matrix(std::string_view name, std::initializer_list<double> params,
                              unsigned num_qubits) {
  return reference_gate_matrix(name, std::span<const double>(params.begin(), params.size()),
                               num_qubits);
}

CMatrix pauli(char letter) {
  switch (letter) {
    case 'I':
      return m2(1.0, 0.0, 0.0, 1.0);
    case 'X':
      return m2(0.0, 1.0, 1.0, 0.0);
    case 'Y':
      return m2(0.0, -kI, kI, 0.0);
    case 'Z':
      return m2(1.0, 0.0, 0.0, -1.0);
    default:
      throw std::invalid_argument(std::string("not a Pauli letter: ") + letter);
  }
}

CMatrix kron(const CMatrix& a, const CMatrix& b) {
  CMatrix out(a.rows() * b.rows(), a.cols() * b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      out.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return out;
}

CMatrix pauli_rotation(const CMatrix& p, double theta) {
  return std::cos(theta / 2) * CMatrix::Identity(p.rows(), p.cols()) - kI * std::sin(theta / 2) * p;
}

}  // namespace qstate::test
