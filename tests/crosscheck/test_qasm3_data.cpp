// The hand-written OpenQASM 3 files of tests/data/qasm3/ (the form Qiskit's qasm3.dumps writes,
// plus the hand-written constructs beyond it; README.md there lists them) with their expected
// results: exact outcome distributions (the reference follows every measurement branch), final
// states built gate by gate on the reference from its own gate table, deterministic counts of the
// engine for loops on measured bits, and the messages of the files under unsupported/.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "circuits/error.hpp"
#include "circuits/qasm/qasm.hpp"
#include "simulator/executor.hpp"
#include "tests/support/reference.hpp"

namespace fs = std::filesystem;
using qstate::test::Reference;
using std::numbers::pi;

namespace {

const fs::path kData = fs::path(QSTATE_TEST_DATA_DIR) / "qasm3";

qstate::Circuit load(const std::string& name) {
  return qstate::qasm::parse_file((kData / name).string());
}

void check_distribution(const qstate::Circuit& c, const std::map<std::string, double>& expected) {
  const auto got = qstate::test::outcome_distribution(c, Reference::GateSource::kOpMatrix);
  CHECK(got.size() == expected.size());
  for (const auto& [key, p] : expected) {
    INFO("outcome " << key);
    REQUIRE(got.count(key) == 1);
    CHECK(got.at(key) == Approx(p).margin(1e-12));
  }
}

// The engine's final state of `c` against the reference's `expected`, global phase included.
void check_state(const qstate::Circuit& c, const Reference& expected) {
  qstate::RunOptions o;
  o.shots = 0;
  o.statevector = true;
  o.seed = 1;
  const qstate::Result r = qstate::run_circuit(c, o);
  REQUIRE(r.statevector.has_value());
  CHECK(qstate::test::max_abs_diff(*r.statevector, expected.amplitudes()) < 1e-12);
}

std::map<std::string, std::uint64_t> engine_counts(const qstate::Circuit& c, std::uint64_t shots) {
  qstate::RunOptions o;
  o.shots = shots;
  o.seed = 11;
  return qstate::run_circuit(c, o).counts;
}

}  // namespace

TEST_CASE("qasm3 data: bell.qasm (qasm3.dumps of a Bell pair)", "[qasm3]") {
  const qstate::Circuit c = load("bell.qasm");
  CHECK(c.num_qubits == 2);
  check_distribution(c, {{"00", 0.5}, {"11", 0.5}});
}

TEST_CASE("qasm3 data: u_and_gphase.qasm (U with the specification's phase, gphase)", "[qasm3]") {
  Reference ref(2);
  ref.apply_named("u3", {2 * pi, 3 * pi, -5 * pi}, {0});  // U(2pi, 3pi, -5pi) = -I
  ref.apply_named("u3", {pi / 2, pi / 4, -pi / 8}, {1});
  ref.apply_global_phase(pi / 4);
  ref.apply_named("p", {0.3}, {0});
  ref.apply_named("rz", {0.7}, {1});
  check_state(load("u_and_gphase.qasm"), ref);
}

TEST_CASE("qasm3 data: custom_gates.qasm (multi-line exporter definitions)", "[qasm3]") {
  const qstate::Circuit c = load("custom_gates.qasm");
  Reference ref(2);
  ref.apply_named("h", {}, {0});
  ref.apply_named("cx", {}, {0, 1});
  ref.apply_named("h", {}, {0});  // composite_circ
  ref.apply_named("x", {}, {1});
  ref.apply_named("cx", {}, {0, 1});
  ref.apply_named("rzx", {0.5}, {0, 1});
  ref.apply_named("rzz", {pi / 3}, {1, 0});
  ref.apply_named("rz", {pi}, {0});  // custom(pi, pi/2): its parameters are unused
  ref.apply_named("rz", {pi / 4}, {1});
  const std::vector<double> p = ref.probabilities();
  check_distribution(c, {{"00", p[0]}, {"01", p[1]}, {"10", p[2]}, {"11", p[3]}});
  CHECK(c.written_counts.at("composite_circ") == 1);
  CHECK(c.written_counts.at("measure") == 2);
}

TEST_CASE("qasm3 data: inputs.qasm (input float[64], UTF-8 names, bound twice)", "[qasm3]") {
  qstate::Circuit c = load("inputs.qasm");
  REQUIRE(c.inputs == std::vector<std::string>{"_t_0_", "\xCE\xB8"});
  for (const auto& [t, theta] : {std::pair{0.2, 0.3}, std::pair{-1.0, 2.5}}) {
    const double values[] = {t, theta};
    qstate::bind_parameters(c.ops, values);
    Reference ref(2);
    ref.apply_named("rxx", {2 * t}, {0, 1});
    ref.apply_named("rz", {theta}, {0});
    ref.apply_named("ry", {2 * theta}, {1});
    check_state(c, ref);
  }
}

TEST_CASE("qasm3 data: if_else.qasm (if/else on registers and bits, nested)", "[qasm3]") {
  check_distribution(load("if_else.qasm"), {{"10", 1.0}});
}

TEST_CASE("qasm3 data: while_loop.qasm (while on a register and on a bit, break)", "[qasm3]") {
  const qstate::Circuit c = load("while_loop.qasm");
  CHECK(engine_counts(c, 200) == std::map<std::string, std::uint64_t>{{"11", 200}});
}

TEST_CASE("qasm3 data: for_loop.qasm (ranges, steps, sets, loop variables)", "[qasm3]") {
  Reference ref(3);
  ref.apply_named("rx", {0.5}, {0});
  ref.apply_named("rx", {0.5}, {0});
  ref.apply_named("h", {}, {1});  // [0:2] includes its end: three h, one h
  ref.apply_named("x", {}, {0});  // [0:2:2] is start:step:stop

  ref.apply_named("x", {}, {2});
  ref.apply_named("rz", {pi / 4}, {1});
  ref.apply_named("rz", {pi / 4}, {2});
  check_state(load("for_loop.qasm"), ref);
}

TEST_CASE("qasm3 data: physical.qasm (transpiled: $n qubits, undeclared)", "[qasm3]") {
  const qstate::Circuit c = load("physical.qasm");
  check_distribution(c, {{"01", 0.5}, {"10", 0.5}});
}

TEST_CASE("qasm3 data: timing.qasm (delay ignored, barrier, reset)", "[qasm3]") {
  check_distribution(load("timing.qasm"), {{"00", 0.5}, {"10", 0.5}});
}

TEST_CASE("qasm3 data: modifiers.qasm (ctrl, negctrl, ctrl(k), inv, pow)", "[qasm3]") {
  const std::vector<qstate::Qubit> q0{0}, q1{1}, q2{2}, q01{0, 1};
  Reference ref(3);
  ref.apply_named("h", {}, {0});
  ref.apply_named("h", {}, {1});
  ref.apply_named("cx", {}, {0, 2});
  ref.apply_controlled(qstate::test::reference_gate_matrix("ry", {0.4}), q0, 0, q1);
  ref.apply_controlled(qstate::test::reference_gate_matrix("rz", {0.3}), q01, 3, q2);
  ref.apply_named("sdg", {}, {1});
  ref.apply_named("s", {}, {0});
  ref.apply_named("sx", {}, {2});
  ref.apply_controlled(qstate::test::reference_gate_matrix("rx", {-0.3}), q1, 1, q0);
  ref.apply_controlled(qstate::test::reference_gate_matrix("h", {}), q01, 0, q2);
  check_state(load("modifiers.qasm"), ref);
}

TEST_CASE("qasm3 data: classical.qasm (const, int, uint, float, angle, bool)", "[qasm3]") {
  check_distribution(load("classical.qasm"),
                     {{"101", std::pow(std::cos(0.75), 2)}, {"111", std::pow(std::sin(0.75), 2)}});
}

TEST_CASE("qasm3 data: registers.qasm (qreg/creg, qubit, measure forms)", "[qasm3]") {
  const qstate::Circuit c = load("registers.qasm");
  CHECK(c.num_qubits == 3);
  CHECK(c.num_clbits == 4);
  check_distribution(c, {{"00 00", 0.5}, {"11 11", 0.5}});
}

TEST_CASE("qasm3 data: switch.qasm (switch with case lists and default)", "[qasm3]") {
  check_distribution(load("switch.qasm"), {{"10", 0.5}, {"11", 0.5}});
}

TEST_CASE("qasm3 data: loose_bits.qasm (loose bits and qubits, let, for with break)", "[qasm3]") {
  // Each loose bit is a one-bit register; `let` only names bits, it adds none. The loop runs
  // its body once (break), with my_x = 0.
  const qstate::Circuit c = load("loose_bits.qasm");
  CHECK(c.num_qubits == 2);
  CHECK(c.num_clbits == 3);
  check_distribution(c, {{"1 1 1", 1.0}});
}

TEST_CASE("qasm3 data: unsupported constructs are errors naming them", "[qasm3]") {
  const std::map<std::string, std::string> expected = {
      {"box.qasm", ":4:1: timing boxes ('box') are not supported"},
      {"def.qasm", ":3:1: subroutine definitions ('def') are not supported"},
      {"defcal.qasm", ":3:1: pulse-level calibration ('defcalgrammar') is not supported"},
      {"extern.qasm", ":3:1: 'extern' functions are not supported"},
  };
  std::size_t seen = 0;
  for (const auto& entry : fs::directory_iterator(kData / "unsupported")) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    REQUIRE(expected.count(name) == 1);
    std::string message;
    try {
      qstate::qasm::parse_file(entry.path().string());
    } catch (const qstate::Error& e) {
      message = e.what();
    }
    CHECK(message.rfind(entry.path().string() + expected.at(name), 0) == 0);
    ++seen;
  }
  CHECK(seen == expected.size());
}
