// The OpenQASM 3 front end (circuits/qasm/qasm3_*): what a program lowers to (registers, ops,
// inputs, Qiskit's count_ops names) and its error messages, each at file:line:col. States are
// checked in tests/crosscheck/test_qasm3_*.cpp.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "circuits/qasm/qasm3.hpp"
#include "qasm_test_helpers.hpp"

using qasm_test::error_of;
using qasm_test::gate_at;
using qasm_test::parse;

namespace {

const std::string kHead = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";

}  // namespace

TEST_CASE("qasm3: declarations and the measure forms", "[qasm3]") {
  const qstate::Circuit c = parse(kHead + R"(qubit[2] q;
qubit r;
bit[2] c;
bit d;
qreg s[1];
creg e[1];
h q[0];
c[0] = measure q[0];
c = measure q;
measure r -> d;
d = measure r;
measure s -> e;
)");
  CHECK(c.num_qubits == 4);
  CHECK(c.num_clbits == 4);
  REQUIRE(c.qregs.size() == 3);
  CHECK(c.qregs[1].name == "r");
  CHECK(c.written_counts.at("measure") == 6);
  CHECK(c.written_counts.at("h") == 1);
}

TEST_CASE("qasm3: physical qubits are declared by use", "[qasm3]") {
  const qstate::Circuit c = parse(kHead + "bit[1] c;\nx $3;\nc[0] = measure $3;\n");
  CHECK(c.num_qubits == 4);  // $0..$3: qubit k is $k
  CHECK(gate_at(c, 0).targets == std::vector<qstate::Qubit>{3});
}

TEST_CASE("qasm3: inputs make parametric gates, bound later", "[qasm3]") {
  qstate::Circuit c = parse(kHead +
                            "input float[64] theta;\ninput angle[32] phi;\nqubit q;\n"
                            "rx(theta) q;\nrz(2*phi + 1) q;\n");
  REQUIRE(c.inputs == std::vector<std::string>{"theta", "phi"});
  CHECK(qstate::has_parametric_gates(c.ops));
  const double values[] = {0.5, 0.25};
  qstate::bind_parameters(c.ops, values);
  CHECK(gate_at(c, 0).params.at(0) == Approx(0.5));
  CHECK(gate_at(c, 1).params.at(0) == Approx(1.5));
}

TEST_CASE("qasm3: Qiskit's count_ops names", "[qasm3]") {
  const qstate::Circuit c =
      parse(kHead +
            "qubit[2] q;\nU(0, 0, 0) q[0];\nphase(0.1) q[0];\ncphase(0.1) q[0], q[1];\n"
            "gphase(0.2);\nCX q[0], q[1];\n");
  CHECK(c.written_counts.at("u") == 1);
  CHECK(c.written_counts.at("p") == 1);
  CHECK(c.written_counts.at("cp") == 1);
  CHECK(c.written_counts.at("cx") == 1);
  CHECK(c.global_phase == Approx(0.2));
}

TEST_CASE("qasm3: conditions on measured bits stay conditional ops", "[qasm3]") {
  const qstate::Circuit c = parse(kHead +
                                  "qubit q;\nbit[2] c;\nc[0] = measure q;\n"
                                  "if (c == 1) { x q; } else { h q; }\n"
                                  "if (!c[0]) z q;\n");
  REQUIRE(c.ops.size() == 3);
  const auto& first = std::get<qstate::IfOp>(c.ops[1]);
  CHECK(first.then_ops.size() == 1);
  CHECK(first.else_ops.size() == 1);
  CHECK_FALSE(first.is_while);
  const auto& second = std::get<qstate::IfOp>(c.ops[2]);
  CHECK(second.then_ops.size() + second.else_ops.size() == 1);  // `!c[0]`: either form
}

TEST_CASE("qasm3: constant values for the command line", "[qasm3]") {
  CHECK(qstate::qasm3::evaluate_constant("pi/4", "--param") == Approx(0.7853981633974483));
  CHECK(qstate::qasm3::evaluate_constant("-2*pi/3", "--param") == Approx(-2.0943951023931953));
  CHECK(qstate::qasm3::evaluate_constant("1_000.5", "--param") == Approx(1000.5));
  CHECK_THROWS_AS(qstate::qasm3::evaluate_constant("theta", "--param"), qstate::Error);
}

TEST_CASE("qasm3: errors name the place and what was expected", "[qasm3]") {
  CHECK(error_of(kHead + "qubit[2] q;\nh q[2];") ==
        "t.qasm:4:5: index 2 is out of range for 'q' of size 2");
  CHECK(error_of(kHead + "qubit[2] q;\nfoo q[0];") == "t.qasm:4:1: unknown gate 'foo'");
  CHECK(error_of(kHead + "qubit[2] q;\ncx q[0] q[1];") == "t.qasm:4:8: expected ';' but found 'q'");
  CHECK(error_of(kHead + "gate g a {\n  h a;\n  measure a;\n}") ==
        "t.qasm:5:3: a gate body cannot measure (a gate is unitary: only gates, gphase and "
        "barrier)");
  CHECK(error_of(kHead + "qubit q;\nrx(1/0) q;") == "t.qasm:4:5: division by zero");
  CHECK(error_of("OPENQASM 3.0;\nqubit q;\nh q;") ==
        "t.qasm:3:1: unknown gate 'h'; it is defined in \"stdgates.inc\": add 'include "
        "\"stdgates.inc\";'");
  CHECK(error_of(kHead + "qubit q;\ncx q, q;") ==
        "t.qasm:4:7: the same qubit appears twice in one application of 'cx' (the qubits of a "
        "gate must be distinct)");
  CHECK(error_of(kHead + "qubit[2] q;\nctrl @ x q[0];") ==
        "t.qasm:4:8: 'x' takes 2 qubit arguments with its controls, but 1 was given");
  CHECK(error_of(kHead + "qubit q;\nint x = 1;\nwhile (x < 5) { h q; }") ==
        "t.qasm:5:1: this 'while' loop on known values does not end (more than 16777216 "
        "iterations)");
  CHECK(error_of(kHead + "input float[64] a;\nqubit q;\nfor int i in [0:a] { h q; }") ==
        "t.qasm:5:17: a loop bound must be an integer known when the file is read, but it is an "
        "expression over the inputs");
  CHECK(error_of(kHead + "qubit q;\nbit c;\nc = measure q;\nfloat y = c;") ==
        "t.qasm:6:1: measured bits cannot become a real number (they are only known at run "
        "time)");
}

TEST_CASE("qasm3: unsupported features are errors naming them", "[qasm3]") {
  CHECK(error_of(kHead + "cal { }") ==
        "t.qasm:3:1: pulse-level calibration ('cal') is not supported: qstate simulates gates, "
        "not pulses");
  CHECK(error_of(kHead + "qubit q;\ncomplex[float[64]] z = 1.0;") ==
        "t.qasm:4:1: complex variables ('complex') are not supported");
  CHECK(error_of(kHead + "extern f(int[32]) -> bit;")
            .starts_with("t.qasm:3:1: 'extern' functions are not supported"));
  CHECK(error_of(kHead + "qubit q;\nbox[10dt] { h q; }")
            .starts_with("t.qasm:4:1: timing boxes ('box') are not supported"));
  CHECK(error_of(kHead + "def f(qubit a) { h a; }")
            .starts_with("t.qasm:3:1: subroutine definitions ('def') are not supported"));
}
