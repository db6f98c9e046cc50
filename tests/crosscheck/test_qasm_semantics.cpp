// OpenQASM 2 semantics the corpus exercises only in passing, checked through the reference:
// register broadcasting (h q; cx q, r; measure q -> c; reset q), builtin U and CX, conditions on
// whole registers (including values the register cannot hold), conditioned measurements, and user
// gates with parameter expressions (+ - * / ^, sin, cos, tan, exp, ln, sqrt, pi). Each program is
// parsed and compared with the same program built by hand: exact outcome distributions (the
// reference follows every measurement branch) and, for unitary programs, the engine's state.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "circuits/qasm/qasm.hpp"
#include "simulator/executor.hpp"
#include "tests/support/circuit_builder.hpp"
#include "tests/support/reference.hpp"

using qstate::test::CircuitBuilder;
using std::numbers::pi;

namespace {

void check_same_distribution(const qstate::Circuit& parsed, const qstate::Circuit& built) {
  const auto a = qstate::test::outcome_distribution(parsed);
  const auto b = qstate::test::outcome_distribution(built);
  REQUIRE(a.size() == b.size());
  for (const auto& [key, p] : b) {
    INFO("outcome " << key);
    REQUIRE(a.count(key) == 1);
    CHECK(a.at(key) == Approx(p).margin(1e-12));
  }
}

}  // namespace

TEST_CASE("broadcasting, builtins and register conditions", "[qasm_semantics]") {
  const char* text = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
qreg r[2];
creg c[2];
creg d[2];
h q;
cx q, r;
U(pi/3, 0.25, -0.5) q[1];
CX q[1], q[0];
measure q -> c;
if(c==3) x r[0];
if(c==7) x r[1];
reset q;
ry(0.7) q;
measure r -> d;
if(d==1) measure q[0] -> c[0];
)";
  const qstate::Circuit parsed = qstate::qasm::parse_string(text, "broadcast");
  CircuitBuilder b({{"q", 2}, {"r", 2}}, {{"c", 2}, {"d", 2}});
  b.gate("h", {}, {0}).gate("h", {}, {1}).gate("cx", {}, {0, 2}).gate("cx", {}, {1, 3});
  b.gate("U", {pi / 3, 0.25, -0.5}, {1}).gate("CX", {}, {1, 0});
  b.measure(0, 0).measure(1, 1);
  b.if_equal("c", 3).gate("x", {}, {2});
  b.if_equal("c", 7).gate("x", {}, {3});  // c has 2 bits: never 7
  b.reset(0).reset(1).gate("ry", {0.7}, {0}).gate("ry", {0.7}, {1});
  b.measure(2, 2).measure(3, 3);
  b.if_equal("d", 1).measure(0, 0);
  REQUIRE(parsed.num_qubits == 4);
  REQUIRE(parsed.num_clbits == 4);
  check_same_distribution(parsed, b.circuit());

  // And the engine's counts follow it.
  qstate::RunOptions o;
  o.shots = 4000;
  o.seed = 3;
  const qstate::Result r = qstate::run_circuit(parsed, o);
  const auto exact = qstate::test::outcome_distribution(b.circuit());
  for (const auto& [key, n] : r.counts) {
    INFO("outcome " << key);
    REQUIRE(exact.count(key) == 1);
    const double p = exact.at(key);
    CHECK(std::abs(static_cast<double>(n) - 4000 * p) <= 6 * std::sqrt(4000 * p * (1 - p)) + 3);
  }
}

TEST_CASE("user gates with parameter expressions", "[qasm_semantics]") {
  const char* text = R"(OPENQASM 2.0;
include "qelib1.inc";
gate inner(t) a { rz(2*t) a; sx a; }
gate g(a, b) x, y {
  rz(a*2 - b/3) x;
  cx x, y;
  ry(sin(a) + cos(b)^2) y;
  u1(-a) x;
  inner(tan(a/4) - exp(b/10)) y;
  u3(ln(2.5)*a, sqrt(b*b + 1), -pi/8) x;
  barrier x, y;
}
qreg q[3];
g(0.3, -1.2) q[2], q[0];
g(pi/5, 2) q[0], q[1];
h q[1];
)";
  const qstate::Circuit parsed = qstate::qasm::parse_string(text, "expressions");
  CircuitBuilder b({{"q", 3}});
  auto g = [&](double a, double bb, qstate::Qubit x, qstate::Qubit y) {
    b.gate("rz", {a * 2 - bb / 3}, {x});
    b.gate("cx", {}, {x, y});
    b.gate("ry", {std::sin(a) + std::pow(std::cos(bb), 2)}, {y});
    b.gate("u1", {-a}, {x});
    const double t = std::tan(a / 4) - std::exp(bb / 10);
    b.gate("rz", {2 * t}, {y});
    b.gate("sx", {}, {y});
    b.gate("u3", {std::log(2.5) * a, std::sqrt(bb * bb + 1), -pi / 8}, {x});
  };
  g(0.3, -1.2, 2, 0);
  g(pi / 5, 2, 0, 1);
  b.gate("h", {}, {1});
  qstate::test::Reference want(3);
  want.apply_circuit(b.circuit());
  qstate::RunOptions o;
  o.shots = 0;
  o.statevector = true;
  const qstate::Result r = qstate::run_circuit(parsed, o);
  REQUIRE(r.statevector.has_value());
  CHECK(qstate::test::max_abs_diff(want.amplitudes(), *r.statevector) <= 1e-12);
}
