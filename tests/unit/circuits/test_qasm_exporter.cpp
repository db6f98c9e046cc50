// Gates that Qiskit's OpenQASM 2 exporters write as `gate` definitions (tests/data/qasm2/): each
// application is lowered through its body, and the product of the lowered GateOps is compared
// with the gate's matrix from Qiskit's documentation. Where the exporter necessarily drops a
// global phase (the `gate` statement has none), the comparison is up to a global phase, and the
// test says so: Qiskit 1.x ECR (definition phase -pi/4), UnitaryGate (ZYZ angles without phase),
// the old sxdg (s; h; s has phase -pi/4).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <string>
#include <variant>

#include "circuits/gates.hpp"
#include "qasm_test_helpers.hpp"

using qasm_test::Matrix;
using qstate::Complex;
using std::numbers::pi;
using Qubits = std::vector<qstate::Qubit>;

namespace {

const std::string kDataDir = std::string(QSTATE_TEST_DATA_DIR) + "/qasm2/";
const Complex kI(0.0, 1.0);

// The op ranges between top-level barriers (the data files put one after every application).
std::vector<std::pair<std::size_t, std::size_t>> segments(const qstate::Circuit& c) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < c.ops.size(); ++i)
    if (std::holds_alternative<qstate::BarrierOp>(c.ops[i])) {
      out.emplace_back(begin, i);
      begin = i + 1;
    }
  return out;
}

Matrix mul(const Matrix& a, const Matrix& b) {
  const auto dim = static_cast<std::size_t>(std::llround(std::sqrt(double(a.size()))));
  Matrix m(a.size(), 0.0);
  for (std::size_t i = 0; i < dim; ++i)
    for (std::size_t k = 0; k < dim; ++k)
      for (std::size_t j = 0; j < dim; ++j) m[i * dim + j] += a[i * dim + k] * b[k * dim + j];
  return m;
}

Matrix scaled(Matrix m, Complex f) {
  for (Complex& x : m) x *= f;
  return m;
}

Matrix diagonal(std::vector<Complex> d) {
  Matrix m(d.size() * d.size(), 0.0);
  for (std::size_t i = 0; i < d.size(); ++i) m[i * d.size() + i] = d[i];
  return m;
}

// The matrix of standard gates applied in order, over local qubits 0..n-1.
Matrix standard_product(unsigned n, const std::vector<qstate::GateOp>& gates) {
  Qubits local;
  for (unsigned j = 0; j < n; ++j) local.push_back(j);
  Matrix u = qasm_test::identity(std::size_t{1} << n);
  for (const auto& g : gates) qasm_test::apply_gate(g, local, u);
  return u;
}

// X on `target` when every qubit in `controls` is 1, over n qubits.
Matrix controlled_x(unsigned n, const Qubits& controls, unsigned target) {
  const std::size_t dim = std::size_t{1} << n;
  std::size_t mask = 0;
  for (auto c : controls) mask |= std::size_t{1} << c;
  Matrix m(dim * dim, 0.0);
  for (std::size_t c = 0; c < dim; ++c) {
    const std::size_t r = (c & mask) == mask ? c ^ (std::size_t{1} << target) : c;
    m[r * dim + c] = 1.0;
  }
  return m;
}

struct Expected {
  std::string gate;
  Qubits qubits;
  Matrix matrix;
  bool up_to_phase = false;
};

void check_segments(const qstate::Circuit& c, const std::vector<Expected>& expected) {
  const auto segs = segments(c);
  REQUIRE(segs.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Expected& e = expected[i];
    INFO("application " << i << ": " << e.gate);
    const Matrix u = qasm_test::unitary_of(c.ops, segs[i].first, segs[i].second, e.qubits);
    if (e.up_to_phase) {
      CHECK(qasm_test::max_diff(u, e.matrix) > 1e-6);  // the phase really is lost
      CHECK(qasm_test::max_diff_up_to_phase(u, e.matrix) < 1e-12);
    } else {
      CHECK(qasm_test::max_diff(u, e.matrix) < 1e-12);
    }
    CHECK(c.written_counts.count(e.gate) == 1);
  }
}

Matrix ecr_matrix() {
  const double r = 1 / std::sqrt(2.0);
  return scaled({0, 1, 0, kI, 1, 0, -kI, 0, 0, kI, 0, 1, -kI, 0, 1, 0}, r);
}

}  // namespace

TEST_CASE("Qiskit 1.x exporter gate definitions lower to Qiskit's matrices", "[qasm]") {
  const qstate::Circuit c = qstate::qasm::parse_file(kDataDir + "qiskit_export_gates.qasm");
  const double t = 1.2, ph = 0.3;
  const Matrix r_matrix = {std::cos(t / 2), -kI * std::polar(1.0, -ph) * std::sin(t / 2),
                           -kI * std::polar(1.0, ph) * std::sin(t / 2), std::cos(t / 2)};
  const double xt = 2.1220563625025233, xb = 1.609259247550925;
  const Matrix xx_plus_yy = {1,
                             0,
                             0,
                             0,  //
                             0,
                             std::cos(xt / 2),
                             -kI * std::sin(xt / 2) * std::polar(1.0, -xb),
                             0,
                             0,
                             -kI * std::sin(xt / 2) * std::polar(1.0, xb),
                             std::cos(xt / 2),
                             0,
                             0,
                             0,
                             0,
                             1};
  const double mt = 2.9414951272721104, mb = 1.4074238850022727;
  const Matrix xx_minus_yy = {std::cos(mt / 2),
                              0,
                              0,
                              -kI * std::sin(mt / 2) * std::polar(1.0, -mb),
                              0,
                              1,
                              0,
                              0,
                              0,
                              0,
                              1,
                              0,
                              -kI * std::sin(mt / 2) * std::polar(1.0, mb),
                              0,
                              0,
                              std::cos(mt / 2)};
  const double h = 1 / std::sqrt(2.0);
  const std::vector<Expected> expected = {
      {"rzx", {1, 2}, qasm_test::pauli_rotation("ZX", 0.7)},  // exp(-i t/2 X(x)Z), Z on arg 0
      {"ecr", {0, 1}, ecr_matrix(), true},
      {"r", {3}, r_matrix},
      {"ryy", {2, 0}, qasm_test::pauli_rotation("YY", 0.9)},
      {"iswap", {0, 3}, {1, 0, 0, 0, 0, 0, kI, 0, 0, kI, 0, 0, 0, 0, 0, 1}},
      {"dcx", {1, 0}, {1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
      {"xx_plus_yy", {0, 1}, xx_plus_yy},
      {"xx_minus_yy", {2, 3}, xx_minus_yy},
      {"ccz", {0, 2, 1}, diagonal({1, 1, 1, 1, 1, 1, 1, -1})},
      {"cs", {3, 0}, diagonal({1, 1, 1, kI})},
      {"csdg", {0, 1}, diagonal({1, 1, 1, -kI})},
      {"rcccx", {0, 1, 2, 3}, qstate::make_gate("rc3x", {}, {0, 1, 2, 3}).matrix.to_dense()},
      {"mcx", {3, 1, 0, 2}, controlled_x(4, {0, 1, 2}, 3)},
      {"unitary", {2}, {0, 1, 1, 0}, true},  // qc.unitary(X): written as u(pi,-pi,0) = -X
      {"unitary_139872263015376", {1}, {1, 0, 0, -1}},
      // H on q1 where q0 is |0>.
      {"ch_o0", {0, 1}, {h, 0, h, 0, 0, 1, 0, 0, h, 0, -h, 0, 0, 0, 0, 1}},
      {"permutation__2_1_0_",
       {0, 1, 2},
       standard_product(3, {qstate::make_gate("swap", {}, {0, 2})})},
      {"permutation__0_1_2_", {1, 2, 3}, qasm_test::identity(8)},
      {"gate_A___", {0}, {0, 1, -1, 0}},
      {"circuit_123",
       {2, 3},
       mul(qasm_test::pauli_rotation("ZX", pi / 3),
           standard_product(
               2, {qstate::make_gate("h", {}, {0}), qstate::make_gate("cx", {}, {0, 1})}))},
  };
  check_segments(c, expected);
  CHECK(c.written_counts.at("measure") == 4);
  CHECK(c.written_counts.at("barrier") == expected.size());
}

TEST_CASE("QuantumCircuit.qasm() (Qiskit < 1.0) definitions lower to Qiskit's matrices", "[qasm]") {
  const qstate::Circuit c = qstate::qasm::parse_file(kDataDir + "qiskit_legacy_export.qasm");
  const Complex a(0.5, -0.5), b(0.5, 0.5);
  const double h = 1 / std::sqrt(2.0);
  const std::vector<Expected> expected = {
      {"composite_circ",
       {1, 0},
       standard_product(2, {qstate::make_gate("h", {}, {0}), qstate::make_gate("x", {}, {1}),
                            qstate::make_gate("cx", {}, {0, 1})})},
      {"my_gate_140112346541904", {2}, {0, 1, 1, 0}},
      {"my_gate", {2}, {h, h, h, -h}},
      {"ecr", {1, 2}, ecr_matrix()},  // the RZX form keeps the phase
      {"ryy", {2, 0}, qasm_test::pauli_rotation("YY", 1.2894444149551456)},
      {"cs", {0, 2}, diagonal({1, 1, 1, kI})},
      {"csdg", {2, 1}, diagonal({1, 1, 1, -kI})},
      {"sxdg", {1}, {a, b, b, a}, true},  // shadows qelib1's sxdg; s h s = e^{i pi/4} SXdg
      {"delay", {0}, qasm_test::identity(2)},
  };
  check_segments(c, expected);
  // The user's sxdg replaced qelib1's: its body is s, h, s.
  const auto segs = segments(c);
  CHECK(std::get<qstate::GateOp>(c.ops[segs[7].first]).name == "s");
}

TEST_CASE("multi-controlled X variants as Qiskit exports them", "[qasm]") {
  const qstate::Circuit c = qstate::qasm::parse_file(kDataDir + "qiskit_export_mcx.qasm");
  const auto segs = segments(c);
  REQUIRE(segs.size() == 3);
  // MCXGrayCode(5): X on q5 controlled by q0..q4.
  const Matrix gray =
      qasm_test::unitary_of(c.ops, segs[0].first, segs[0].second, {0, 1, 2, 3, 4, 5});
  CHECK(qasm_test::max_diff(gray, controlled_x(6, {0, 1, 2, 3, 4}, 5)) < 1e-12);
  // MCXRecursive(5): the same with a dirty ancilla q6, returned to its state whatever it was.
  const Matrix rec =
      qasm_test::unitary_of(c.ops, segs[1].first, segs[1].second, {0, 1, 2, 3, 4, 5, 6});
  CHECK(qasm_test::max_diff(rec, controlled_x(7, {0, 1, 2, 3, 4}, 5)) < 1e-12);
  // MCXVChain(5): clean ancillas q6..q8; compare the columns where they start in |000>.
  const Matrix chain =
      qasm_test::unitary_of(c.ops, segs[2].first, segs[2].second, {0, 1, 2, 3, 4, 5, 6, 7, 8});
  const Matrix want = controlled_x(9, {0, 1, 2, 3, 4}, 5);
  double diff = 0.0;
  for (std::size_t col = 0; col < 64; ++col)  // ancilla bits 6..8 are zero
    for (std::size_t row = 0; row < 512; ++row)
      diff = std::max(diff, std::abs(chain[row * 512 + col] - want[row * 512 + col]));
  CHECK(diff < 1e-12);
  CHECK(c.written_counts ==
        std::map<std::string, std::uint64_t>{
            {"mcx_gray", 1}, {"mcx_recursive", 1}, {"mcx_vchain_140014", 1}, {"barrier", 3}});
}
