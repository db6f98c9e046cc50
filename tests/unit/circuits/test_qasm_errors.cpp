// Every kind of mistake in an OpenQASM 2 program is a qstate::Error whose message starts with
// file:line:col of the offending token and says what was expected. One test case per kind.
#include <catch2/catch.hpp>

#include <string>

#include "qasm_test_helpers.hpp"

using qasm_test::error_of;

namespace {
const std::string kLib = "include \"qelib1.inc\";\n";  // line 1 of most programs below
}

TEST_CASE("error: missing semicolon points just after the previous token", "[qasm]") {
  CHECK(error_of("OPENQASM 2.0\nqreg q[1];") == "t.qasm:1:13: expected ';' but found 'qreg'");
  CHECK(error_of("OPENQASM 2.0") == "t.qasm:1:13: expected ';' but found the end of the file");
  CHECK(error_of(kLib + "qreg q[2];\nh q[0]\nx q[1];") == "t.qasm:3:7: expected ';' but found 'x'");
  CHECK(error_of("qreg q[1]") == "t.qasm:1:10: expected ';' but found the end of the file");
}

TEST_CASE("error: unexpected characters", "[qasm]") {
  CHECK(error_of("qreg q[1];\nU(0,0,0) q[0] $;") == "t.qasm:2:15: unexpected character '$'");
  CHECK(error_of("qreg q[1];\nU(\xCE\xB8,0,0) q[0];") ==
        "t.qasm:2:3: unexpected non-ASCII character (byte 0xCE); OpenQASM 2 source is ASCII");
  CHECK(error_of("creg c[1];\nqreg q[1];\nif(c=1) U(0,0,0) q[0];") ==
        "t.qasm:3:5: unexpected '=' (comparisons are written '==')");
}

TEST_CASE("error: unterminated string and comment", "[qasm]") {
  CHECK(error_of("include \"qelib1.inc;\nqreg q[1];") ==
        "t.qasm:1:9: unterminated string: missing closing '\"' on this line");
  CHECK(error_of("qreg q[1];\n  /* never closed\nU(0,0,0) q[0];") ==
        "t.qasm:2:3: unterminated comment: '/*' has no matching '*/'");
}

TEST_CASE("error: malformed numbers", "[qasm]") {
  CHECK(error_of("qreg q[1];\nU(1.2.3, 0, 0) q[0];") == "t.qasm:2:3: malformed number '1.2.3'");
  CHECK(error_of("qreg q[1];\nU(1e+, 0, 0) q[0];") ==
        "t.qasm:2:3: malformed number '1e+': the exponent needs at least one digit");
  CHECK(error_of("qreg q[1];\nU(2pi, 0, 0) q[0];") == "t.qasm:2:3: malformed number '2pi'");
  CHECK(error_of("qreg q[1];\nU(., 0, 0) q[0];") == "t.qasm:2:3: expected a digit after '.'");
  CHECK(error_of("qreg q[1];\nU(1e999, 0, 0) q[0];") ==
        "t.qasm:2:3: number 1e999 is out of the range of a double");
}

TEST_CASE("error: a statement cannot start with this token", "[qasm]") {
  CHECK(error_of("qreg q[1];\n) ;") == "t.qasm:2:1: expected a statement but found ')'");
  CHECK(error_of("qreg q[2];\ncreg c[1];\nif(c==1) barrier q;") ==
        "t.qasm:3:10: expected a gate application, 'measure' or 'reset' after 'if (...)' but "
        "found 'barrier'");
  CHECK(error_of("qreg q[;") ==
        "t.qasm:1:8: expected the register size (an integer) but found ';'");
}

TEST_CASE("error: unknown gate, with a hint when qelib1.inc has it", "[qasm]") {
  CHECK(error_of("OPENQASM 2.0;\nqreg q[1];\nh q[0];") ==
        "t.qasm:3:1: unknown gate 'h'; it is defined in \"qelib1.inc\": add 'include "
        "\"qelib1.inc\";' after the OPENQASM line");
  CHECK(error_of(kLib + "qreg q[1];\nw q;") == "t.qasm:3:1: unknown gate 'w'");
  // stdgates.inc names are not OpenQASM 2 gates.
  CHECK(error_of(kLib + "qreg q[1];\nphase(0.1) q[0];") == "t.qasm:3:1: unknown gate 'phase'");
}

TEST_CASE("error: wrong number of qubit arguments", "[qasm]") {
  CHECK(error_of(kLib + "qreg q[2];\ncx q[0];") ==
        "t.qasm:3:1: 'cx' takes 2 qubit arguments, but 1 was given");
  CHECK(error_of(kLib + "qreg q[2];\nh q[0], q[1];") ==
        "t.qasm:3:1: 'h' takes 1 qubit argument, but 2 were given");
  CHECK(error_of(kLib + "gate g a, b { h a, b; }") ==
        "t.qasm:2:15: 'h' takes 1 qubit argument, but 2 were given");
}

TEST_CASE("error: wrong number of parameters", "[qasm]") {
  CHECK(error_of(kLib + "qreg q[1];\nrx q[0];") ==
        "t.qasm:3:1: 'rx' takes 1 parameter, but 0 were given");
  CHECK(error_of(kLib + "qreg q[1];\nrx(0.1, 0.2) q[0];") ==
        "t.qasm:3:3: 'rx' takes 1 parameter, but 2 were given");
  CHECK(error_of(kLib + "qreg q[1];\nh(0.1) q[0];") ==
        "t.qasm:3:2: 'h' takes 0 parameters, but 1 was given");
}

TEST_CASE("error: undeclared registers", "[qasm]") {
  CHECK(error_of(kLib + "qreg q[1];\nh r[0];") == "t.qasm:3:3: undeclared quantum register 'r'");
  CHECK(error_of("qreg q[1];\nmeasure q[0] -> c[0];") ==
        "t.qasm:2:17: undeclared classical register 'c'");
}

TEST_CASE("error: index out of range", "[qasm]") {
  CHECK(error_of(kLib + "qreg q[2];\nh q[2];") ==
        "t.qasm:3:5: index 2 is out of range for register 'q' of size 2");
  CHECK(error_of("qreg q[2];\ncreg c[2];\nmeasure q[1] -> c[7];") ==
        "t.qasm:3:19: index 7 is out of range for register 'c' of size 2");
  CHECK(error_of(kLib + "qreg q[2];\nh q[99999999999999999999];") ==
        "t.qasm:3:5: index 99999999999999999999 is out of range for register 'q' of size 2");
}

TEST_CASE("error: duplicate register names", "[qasm]") {
  CHECK(error_of("qreg q[2];\ncreg q[1];") ==
        "t.qasm:2:6: register 'q' is already declared at t.qasm:1:6");
  CHECK(error_of("creg c[2];\n\ncreg c[2];") ==
        "t.qasm:3:6: register 'c' is already declared at t.qasm:1:6");
}

TEST_CASE("error: register too large", "[qasm]") {
  CHECK(error_of("qreg q[4294967296];") ==
        "t.qasm:1:8: register size 4294967296 is too large (a circuit holds at most 4294967295 "
        "qubits)");
}

TEST_CASE("error: the qubits of one application must be distinct", "[qasm]") {
  CHECK(error_of(kLib + "qreg q[2];\ncx q[0],q[0];") ==
        "t.qasm:3:9: qubit q[0] appears twice in one application of 'cx' (the qubits of a gate "
        "must be distinct)");
  CHECK(error_of(kLib + "qreg q[2];\ncx q, q;") ==
        "t.qasm:3:7: qubit q[0] appears twice in one application of 'cx' (the qubits of a gate "
        "must be distinct)");
  // First application of the broadcast: q[1], q[0], q[0].
  CHECK(error_of(kLib + "qreg q[2];\nccx q[1], q, q[0];") ==
        "t.qasm:3:14: qubit q[0] appears twice in one application of 'ccx' (the qubits of a gate "
        "must be distinct)");
  CHECK(error_of(kLib + "gate g a, b { cx a, a; }") ==
        "t.qasm:2:21: qubit 'a' appears twice in one application of 'cx'");
}

TEST_CASE("error: broadcast size mismatch", "[qasm]") {
  CHECK(error_of(kLib + "qreg q[2];\nqreg r[3];\ncx q, r;") ==
        "t.qasm:4:7: cannot broadcast 'cx' over registers of different sizes: 'r' has 3 qubits "
        "but 'q' has 2");
  CHECK(error_of("qreg q[2];\ncreg c[3];\nmeasure q -> c;") ==
        "t.qasm:3:1: cannot broadcast measure: register 'q' has 2 qubits but 'c' has 3 bits");
  CHECK(error_of("qreg q[2];\ncreg c[2];\nmeasure q -> c[0];") ==
        "t.qasm:3:1: cannot broadcast measure: register 'q' is measured into the single bit c[0]; "
        "write both as registers of equal size or both as single bits");
}

TEST_CASE("error: a gate body can only use gates defined before it (no recursion)", "[qasm]") {
  CHECK(error_of(kLib + "gate g a { h a; g a; }") ==
        "t.qasm:2:17: gate 'g' used before definition: a gate body can only use gates defined "
        "before it, so a gate cannot apply itself");
  CHECK(error_of(kLib + "gate f a { later a; }\ngate later a { x a; }") ==
        "t.qasm:2:12: unknown gate 'later' (a gate body can only use gates defined before it)");
}

TEST_CASE("error: applying an opaque gate", "[qasm]") {
  CHECK(error_of("opaque magic(a) x;\nqreg q[1];\nmagic(0.5) q[0];") ==
        "t.qasm:3:1: cannot apply opaque gate 'magic': it is declared at t.qasm:1:8 without a "
        "body, so there is nothing to simulate");
  // Defining a gate over an opaque one is fine until that gate is applied.
  CHECK(error_of("opaque magic x;\ngate wrap a { magic a; }\nqreg q[1];\nwrap q[0];") ==
        "t.qasm:2:15: gate 'wrap' applies opaque gate 'magic', which has no definition to "
        "simulate (declared at t.qasm:1:8) (in 'wrap' applied at t.qasm:4:1)");
}

TEST_CASE("error: measure needs a quantum and a classical operand", "[qasm]") {
  CHECK(error_of("qreg q[1];\nqreg r[1];\nmeasure q[0] -> r[0];") ==
        "t.qasm:3:17: 'r' is a quantum register, but measure writes to a classical register "
        "after '->'");
  CHECK(error_of("qreg q[1];\ncreg c[1];\nmeasure c[0] -> c[0];") ==
        "t.qasm:3:9: 'c' is a classical register, but measure reads qubits before '->'");
  CHECK(error_of("qreg q[1];\ncreg c[1];\nreset c;") ==
        "t.qasm:3:7: 'c' is a classical register, but reset acts on qubits");
  CHECK(error_of(kLib + "creg c[1];\nh c[0];") ==
        "t.qasm:3:3: 'c' is a classical register, but a gate acts on qubits");
}

TEST_CASE("error: if needs a classical register", "[qasm]") {
  CHECK(error_of(kLib + "qreg q[1];\nif(q==1) x q[0];") ==
        "t.qasm:3:4: 'q' is a quantum register, but 'if' compares a classical register");
  CHECK(error_of(kLib + "qreg q[1];\nif(z==1) x q[0];") ==
        "t.qasm:3:4: undeclared classical register 'z'");
}

TEST_CASE("error: if value does not fit in 64 bits", "[qasm]") {
  CHECK(error_of(kLib + "qreg q[1];\ncreg c[70];\nif(c==18446744073709551616) x q[0];") ==
        "t.qasm:4:7: the value 18446744073709551616 in 'if' does not fit in 64 bits");
}

TEST_CASE("error: gate bodies use plain qubit arguments and declared parameters", "[qasm]") {
  CHECK(error_of(kLib + "gate g a { h a[0]; }") ==
        "t.qasm:2:14: gate bodies use the gate's qubit arguments without an index, but found "
        "'a[0]'");
  CHECK(error_of(kLib + "gate g a { h b; }") ==
        "t.qasm:2:14: unknown qubit 'b' in the body of gate 'g'");
  CHECK(error_of(kLib + "gate g(theta) a { rx(phi) a; }") ==
        "t.qasm:2:22: unknown parameter 'phi' in the body of gate 'g'");
  CHECK(error_of(kLib + "gate g(theta) a { rx(2*a) a; }") ==
        "t.qasm:2:24: 'a' is a qubit of gate 'g', not a parameter");
  CHECK(error_of(kLib + "gate g(theta) a { h theta; }") ==
        "t.qasm:2:21: 'theta' is a parameter of gate 'g', not a qubit");
  CHECK(error_of(kLib + "gate g a { measure a -> c[0]; }") ==
        "t.qasm:2:12: only gate applications and 'barrier' may appear in a gate body, but found "
        "'measure'");
  CHECK(error_of(kLib + "gate g a { h a;") ==
        "t.qasm:2:10: the body of gate 'g' is not closed: missing '}' before the end of the file");
}

TEST_CASE("error: malformed gate declarations", "[qasm]") {
  CHECK(error_of("gate g() { }") == "t.qasm:1:6: gate 'g' must act on at least one qubit");
  CHECK(error_of("gate g(a, a) x { }") ==
        "t.qasm:1:11: parameter 'a' of gate 'g' is declared twice");
  CHECK(error_of("gate g x, y, x { }") == "t.qasm:1:14: qubit 'x' of gate 'g' is declared twice");
  CHECK(error_of("gate g(a) a { }") ==
        "t.qasm:1:11: 'a' is declared both as a parameter and as a qubit of gate 'g'");
  CHECK(error_of("gate g(a) x y { }") ==
        "t.qasm:1:13: expected a qubit name, ',' or '{' to open the gate body but found 'y'");
}

TEST_CASE("error: version line", "[qasm]") {
  // OpenQASM 3 goes to its own front end (tests/unit/circuits/test_qasm3_*.cpp).
  CHECK(qasm_test::parse("OPENQASM 3.0;\nqubit q;").num_qubits == 1);
  CHECK(qasm_test::parse("// header\nOPENQASM 3;\ninclude \"stdgates.inc\";").num_qubits == 0);
  CHECK(error_of("OPENQASM 4.0;\nqubit q;") ==
        "t.qasm:1:10: unsupported OpenQASM version 4.0 (this front end reads OpenQASM 2.0)");
  CHECK(error_of("OPENQASM 2.6;\nqreg q[1];") ==
        "t.qasm:1:10: unsupported OpenQASM version 2.6 (this front end reads OpenQASM 2.0)");
  CHECK(error_of("qreg q[1];\nOPENQASM 2.0;") ==
        "t.qasm:2:1: the 'OPENQASM' version line must be the first statement of the file");
  CHECK(error_of("OPENQASM two;") ==
        "t.qasm:1:10: expected a version number such as 2.0 but found 'two'");
}

TEST_CASE("error: parse_file of a missing file", "[qasm]") {
  CHECK(qasm_test::file_error_of("/nonexistent/dir/x.qasm") ==
        "/nonexistent/dir/x.qasm: cannot read file: No such file or directory");
}
