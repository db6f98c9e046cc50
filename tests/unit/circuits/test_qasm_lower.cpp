// The Circuit the OpenQASM 2 front end builds: registers and bit numbering, gates with Qiskit's
// matrices, broadcasts, user gates inlined, measure / reset / barrier, if → IfOp, and
// written_counts as Qiskit's count_ops() reports them.
#include <catch2/catch.hpp>

#include <cstdio>
#include <numbers>
#include <string>
#include <variant>

#include "circuits/gates.hpp"
#include "qasm_test_helpers.hpp"

using qasm_test::error_of;
using qasm_test::gate_at;
using qasm_test::parse;
using qstate::BarrierOp;
using qstate::Complex;
using qstate::GateOp;
using qstate::IfOp;
using qstate::MatrixKind;
using qstate::MeasureOp;
using qstate::ResetOp;
using std::numbers::pi;
using Qubits = std::vector<qstate::Qubit>;

TEST_CASE("registers are numbered across declarations in order", "[qasm]") {
  const qstate::Circuit c = parse(R"(OPENQASM 2.0;
qreg a[2];
creg m[3];
qreg b[3];
creg n[1];
)",
                                  "regs.qasm");
  CHECK(c.source == "regs.qasm");
  REQUIRE(c.qregs.size() == 2);
  CHECK(c.qregs[0].name == "a");
  CHECK(c.qregs[0].first == 0);
  CHECK(c.qregs[0].size == 2);
  CHECK(c.qregs[1].name == "b");
  CHECK(c.qregs[1].first == 2);
  CHECK(c.qregs[1].size == 3);
  REQUIRE(c.cregs.size() == 2);
  CHECK(c.cregs[1].name == "n");
  CHECK(c.cregs[1].first == 3);
  CHECK(c.num_qubits == 5);
  CHECK(c.num_clbits == 4);
  CHECK(c.ops.empty());
  CHECK(c.written_counts.empty());
}

TEST_CASE("built-in U and CX, and qelib1 gates with Qiskit's matrices", "[qasm]") {
  const qstate::Circuit c = parse(R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
qreg r[2];
U(0.1, 0.2, 0.3) q[1];
CX q[1], r[0];
rz(0.5) r[1];
u1(0.5) r[1];
cu1(0.25) q[0], r[1];
ccx q[0], q[1], r[0];
h q[0];
swap r[0], q[1];
)");
  REQUIRE(c.ops.size() == 8);
  const GateOp& u = gate_at(c, 0);
  CHECK(u.name == "U");
  CHECK(u.params == std::vector<double>{0.1, 0.2, 0.3});
  CHECK(u.controls.empty());
  CHECK(u.targets == Qubits{1});
  CHECK(u.matrix.kind == MatrixKind::kDense);
  CHECK(std::abs(u.matrix.at(0, 0) - Complex(std::cos(0.05), 0)) < 1e-15);

  const GateOp& cx = gate_at(c, 1);
  CHECK(cx.name == "CX");
  CHECK(cx.controls == Qubits{1});
  CHECK(cx.targets == Qubits{2});
  CHECK(cx.matrix.kind == MatrixKind::kPermutation);

  // rz is Qiskit's RZ (diag(e^{-i/2 theta}, e^{i/2 theta})), not u1.
  const GateOp& rz = gate_at(c, 2);
  CHECK(rz.name == "rz");
  CHECK(rz.targets == Qubits{3});
  CHECK(rz.matrix.kind == MatrixKind::kDiagonal);
  CHECK(std::abs(rz.matrix.at(0, 0) - std::polar(1.0, -0.25)) < 1e-15);
  CHECK(std::abs(rz.matrix.at(1, 1) - std::polar(1.0, 0.25)) < 1e-15);
  const GateOp& u1 = gate_at(c, 3);
  CHECK(u1.matrix.at(0, 0) == Complex(1.0, 0.0));
  CHECK(std::abs(u1.matrix.at(1, 1) - std::polar(1.0, 0.5)) < 1e-15);

  const GateOp& cu1 = gate_at(c, 4);
  CHECK(cu1.controls == Qubits{0});
  CHECK(cu1.targets == Qubits{3});
  CHECK(cu1.params == std::vector<double>{0.25});
  const GateOp& ccx = gate_at(c, 5);
  CHECK(ccx.controls == Qubits{0, 1});
  CHECK(ccx.targets == Qubits{2});
  const GateOp& sw = gate_at(c, 7);
  CHECK(sw.controls.empty());
  CHECK(sw.targets == Qubits{2, 1});

  CHECK(c.written_counts == std::map<std::string, std::uint64_t>{{"u", 1},
                                                                 {"cx", 1},
                                                                 {"rz", 1},
                                                                 {"u1", 1},
                                                                 {"cu1", 1},
                                                                 {"ccx", 1},
                                                                 {"h", 1},
                                                                 {"swap", 1}});
}

TEST_CASE("every qelib1 gate lowers to the standard gate of its name", "[qasm]") {
  const double values[] = {0.1, 0.2, 0.3, 0.4};
  std::string text = "include \"qelib1.inc\";\nqreg q[5];\n";
  std::vector<const qstate::StandardGate*> gates;
  for (const qstate::StandardGate& g : qstate::standard_gates()) {
    if ((g.libraries & qstate::kLibQelib1) == 0) continue;
    gates.push_back(&g);
    text += std::string(g.name);
    if (g.num_params > 0) {
      text += "(";
      for (unsigned k = 0; k < g.num_params; ++k) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.17g", k ? ", " : "", values[k]);
        text += buf;
      }
      text += ")";
    }
    for (unsigned k = 0; k < g.num_qubits; ++k)
      text += (k ? ", q[" : " q[") + std::to_string(4 - k) + "]";
    text += ";\n";
  }
  CHECK(gates.size() == 42);
  const qstate::Circuit c = parse(text);
  REQUIRE(c.ops.size() == gates.size());
  for (std::size_t i = 0; i < gates.size(); ++i) {
    const GateOp& op = gate_at(c, i);
    std::vector<double> params;
    for (unsigned k = 0; k < gates[i]->num_params; ++k) params.push_back(values[k]);
    Qubits qubits;
    for (unsigned k = 0; k < gates[i]->num_qubits; ++k) qubits.push_back(4 - k);
    const GateOp expected = qstate::make_gate(*gates[i], params, qubits);
    INFO(gates[i]->name);
    CHECK(op.name == expected.name);
    CHECK(op.params == expected.params);
    CHECK(op.controls == expected.controls);
    CHECK(op.targets == expected.targets);
    CHECK(op.matrix.kind == expected.matrix.kind);
    CHECK(op.matrix.to_dense() == expected.matrix.to_dense());
  }
  // count_ops() names: Qiskit builds c3x / c4x as "mcx", c3sqrtx as "c3sx", rc3x as "rcccx".
  CHECK(c.written_counts.at("mcx") == 2);
  CHECK(c.written_counts.at("c3sx") == 1);
  CHECK(c.written_counts.at("rcccx") == 1);
  CHECK(c.written_counts.count("c3x") == 0);
}

TEST_CASE("broadcast over registers", "[qasm]") {
  const qstate::Circuit c = parse(R"(include "qelib1.inc";
qreg q[3];
qreg r[3];
qreg s[1];
creg c[3];
h q;
cx q, r;
cx s[0], r;
measure r -> c;
reset q;
)");
  // h x3, cx x3, cx x3, measure x3, reset x3
  REQUIRE(c.ops.size() == 15);
  for (unsigned i = 0; i < 3; ++i) {
    CHECK(gate_at(c, i).targets == Qubits{i});
    CHECK(gate_at(c, 3 + i).controls == Qubits{i});
    CHECK(gate_at(c, 3 + i).targets == Qubits{3 + i});
    CHECK(gate_at(c, 6 + i).controls == Qubits{6});
    CHECK(gate_at(c, 6 + i).targets == Qubits{3 + i});
    const auto& m = std::get<MeasureOp>(c.ops[9 + i]);
    CHECK(m.qubit == 3 + i);
    CHECK(m.clbit == i);
    CHECK(std::get<ResetOp>(c.ops[12 + i]).qubit == i);
  }
  CHECK(c.written_counts ==
        std::map<std::string, std::uint64_t>{{"h", 3}, {"cx", 6}, {"measure", 3}, {"reset", 3}});
}

TEST_CASE("broadcast over an empty register applies nothing", "[qasm]") {
  const qstate::Circuit c =
      parse("include \"qelib1.inc\"; qreg e[0]; qreg q[1]; h e; cx q[0], e; barrier e;");
  CHECK(c.ops.empty());
  CHECK(c.written_counts.empty());
}

TEST_CASE("barrier on registers and qubits, and a bare barrier", "[qasm]") {
  const qstate::Circuit c = parse(R"(qreg q[2];
qreg r[3];
barrier q[0], r;
barrier q, q[1], r[2];
barrier;
qreg late[1];
)");
  REQUIRE(c.ops.size() == 3);
  CHECK(std::get<BarrierOp>(c.ops[0]).qubits == Qubits{0, 2, 3, 4});
  CHECK(std::get<BarrierOp>(c.ops[1]).qubits == Qubits{0, 1, 4});  // duplicates dropped
  // Qiskit reads `barrier;` as all qubits declared so far.
  CHECK(std::get<BarrierOp>(c.ops[2]).qubits == Qubits{0, 1, 2, 3, 4});
  CHECK(c.written_counts.at("barrier") == 3);
}

TEST_CASE("if (creg == value) wraps each application in an IfOp", "[qasm]") {
  const qstate::Circuit c = parse(R"(include "qelib1.inc";
qreg q[2];
creg a[1];
creg syn[2];
if(syn==2) x q[0];
if (syn == 3) h q;
if(a==1) measure q[1] -> a[0];
if(a==0) reset q;
gate bell x, y { h x; cx x, y; }
if(syn==1) bell q[0], q[1];
if(syn==18446744073709551615) z q[1];
)");
  REQUIRE(c.ops.size() == 8);
  for (const auto& op : c.ops) REQUIRE(std::holds_alternative<IfOp>(op));
  const auto& first = std::get<IfOp>(c.ops[0]);
  CHECK(first.condition.bits == std::vector<qstate::Clbit>{1, 2});  // bit 0 = LSB = syn[0]
  CHECK(first.condition.value == 2);
  CHECK(!first.condition.negated);
  REQUIRE(first.then_ops.size() == 1);
  CHECK(std::get<GateOp>(first.then_ops[0]).name == "x");
  CHECK(std::get<GateOp>(first.then_ops[0]).targets == Qubits{0});
  CHECK(first.else_ops.empty());
  // One IfOp per broadcast application.
  for (unsigned i = 0; i < 2; ++i) {
    const auto& h = std::get<IfOp>(c.ops[1 + i]);
    CHECK(h.condition.value == 3);
    REQUIRE(h.then_ops.size() == 1);
    CHECK(std::get<GateOp>(h.then_ops[0]).targets == Qubits{i});
  }
  const auto& m = std::get<IfOp>(c.ops[3]);
  CHECK(m.condition.bits == std::vector<qstate::Clbit>{0});
  CHECK(std::get<MeasureOp>(m.then_ops.at(0)).qubit == 1);
  CHECK(std::get<ResetOp>(std::get<IfOp>(c.ops[5]).then_ops.at(0)).qubit == 1);
  // A conditioned user gate: the whole expansion sits in one IfOp.
  const auto& bell = std::get<IfOp>(c.ops[6]);
  REQUIRE(bell.then_ops.size() == 2);
  CHECK(std::get<GateOp>(bell.then_ops[0]).name == "h");
  CHECK(std::get<GateOp>(bell.then_ops[1]).name == "cx");
  CHECK(std::get<IfOp>(c.ops[7]).condition.value == 18446744073709551615ULL);
  CHECK(c.written_counts ==
        std::map<std::string, std::uint64_t>{
            {"x", 1}, {"h", 2}, {"measure", 1}, {"reset", 2}, {"bell", 1}, {"z", 1}});
}

TEST_CASE("user gates are inlined with their parameters and qubits", "[qasm]") {
  const qstate::Circuit c = parse(R"(OPENQASM 2.0;
include "qelib1.inc";
gate inner(t) a, b { crz(2*t) a, b; barrier a, b; id b; }
gate outer(t, u) a, b, c { h a; inner(t/u) a, c; ccx a, b, c; ry(-t^2) b; }
gate nop a { }
qreg q[3];
qreg anc[1];
outer(0.5, 2) q[0], q[1], anc[0];
nop q[2];
outer(1, 4) anc, q[2], q[0];
)");
  // outer expands to h, crz, barrier, id, ccx, ry.
  REQUIRE(c.ops.size() == 12);
  CHECK(gate_at(c, 0).name == "h");
  CHECK(gate_at(c, 0).targets == Qubits{0});
  CHECK(gate_at(c, 1).name == "crz");
  CHECK(gate_at(c, 1).params == std::vector<double>{0.5});
  CHECK(gate_at(c, 1).controls == Qubits{0});
  CHECK(gate_at(c, 1).targets == Qubits{3});
  CHECK(std::get<BarrierOp>(c.ops[2]).qubits == Qubits{0, 3});
  CHECK(gate_at(c, 3).name == "id");
  CHECK(gate_at(c, 4).controls == Qubits{0, 1});
  CHECK(gate_at(c, 4).targets == Qubits{3});
  CHECK(gate_at(c, 5).name == "ry");
  CHECK(gate_at(c, 5).params == std::vector<double>{-0.25});
  CHECK(gate_at(c, 5).targets == Qubits{1});
  // Second application: a = anc[0] (broadcast of a 1-qubit register), b = q[2], c = q[0].
  CHECK(gate_at(c, 7).params == std::vector<double>{0.5});
  CHECK(gate_at(c, 7).controls == Qubits{3});
  CHECK(gate_at(c, 7).targets == Qubits{0});
  CHECK(gate_at(c, 11).params == std::vector<double>{-1.0});
  // User gates count as themselves; what they expand to does not count.
  CHECK(c.written_counts == std::map<std::string, std::uint64_t>{{"outer", 2}, {"nop", 1}});
}

TEST_CASE("a user gate shadows a qelib1 gate of the same name from its definition on", "[qasm]") {
  // QASMBench and the OpenQASM examples define their own cu1 / cu after including qelib1.
  const qstate::Circuit c = parse(R"(include "qelib1.inc";
qreg q[2];
cu1(0.5) q[0], q[1];
gate cu1(lambda) a, b { u1(lambda/2) a; cx a, b; u1(-lambda/2) b; cx a, b; u1(lambda/2) b; }
cu1(0.5) q[0], q[1];
gate cu c, t { cu1(pi/4) c, t; }
cu q[1], q[0];
)");
  CHECK(gate_at(c, 0).name == "cu1");  // the qelib1 gate, before the definition
  CHECK(gate_at(c, 1).name == "u1");   // the user's body afterwards
  CHECK(gate_at(c, 1).params == std::vector<double>{0.25});
  REQUIRE(c.ops.size() == 11);
  // `cu` (4 parameters in qelib1) is now the user's 0-parameter gate, built on the user's cu1.
  CHECK(gate_at(c, 6).name == "u1");
  CHECK(gate_at(c, 6).params == std::vector<double>{pi / 8});
  CHECK(gate_at(c, 6).targets == Qubits{1});
  CHECK(c.written_counts == std::map<std::string, std::uint64_t>{{"cu1", 2}, {"cu", 1}});
}

TEST_CASE("a gate body uses the gates visible at its definition", "[qasm]") {
  const qstate::Circuit c = parse(R"(include "qelib1.inc";
gate g a { h a; }
gate h a { x a; }
qreg q[1];
g q[0];
h q[0];
)");
  REQUIRE(c.ops.size() == 2);
  CHECK(gate_at(c, 0).name == "h");  // g was defined while h was qelib1's
  CHECK(gate_at(c, 1).name == "x");  // h is the user's now
}

TEST_CASE("re-definitions: identical is accepted, different is an error", "[qasm]") {
  const char* def = "gate g(a) x, y { cx x, y; rz(a) y; }\n";
  const qstate::Circuit c = parse(std::string("include \"qelib1.inc\";\n") + def +
                                  "// the same again, laid out differently\n"
                                  "gate g(a) x,y {\n  cx x,y;\n  rz( a ) y;\n}\n"
                                  "qreg q[2]; g(1) q[0], q[1];");
  CHECK(c.ops.size() == 2);
  CHECK(error_of(std::string("include \"qelib1.inc\";\n") + def + "gate g(a) x, y { cx y, x; }") ==
        "t.qasm:3:6: gate 'g' is already defined at t.qasm:2:6 with a different body "
        "(1 parameter, 2 qubits)");
  CHECK(error_of(std::string("include \"qelib1.inc\";\n") + def + "gate g x { h x; }") ==
        "t.qasm:3:6: gate 'g' is already defined at t.qasm:2:6 with a different signature "
        "(1 parameter, 2 qubits)");
}

TEST_CASE("opaque declarations", "[qasm]") {
  // Declaring is fine; an opaque of a visible standard gate with its signature keeps the gate.
  const qstate::Circuit c = parse(R"(include "qelib1.inc";
opaque magic(a, b) x, y;
opaque magic(c, d) p, q;
opaque h a;
qreg q[1];
h q[0];
)");
  REQUIRE(c.ops.size() == 1);
  CHECK(gate_at(c, 0).name == "h");
  // A gate definition may later give an opaque gate its body.
  const qstate::Circuit d = parse("opaque g a; gate g a { U(0, 0, 0) a; } qreg q[1]; g q[0];");
  CHECK(d.ops.size() == 1);
  // Qiskit exports qiskit.circuit.Delay as `opaque delay(param0) q0;`: applying it is a no-op.
  const qstate::Circuit e =
      parse("opaque delay(param0) q0; qreg q[2]; delay(160) q; delay(5) q[0];");
  CHECK(e.ops.empty());
  CHECK(e.written_counts.at("delay") == 3);
}

TEST_CASE("names Qiskit's exporters write", "[qasm]") {
  const qstate::Circuit c = parse(R"(OPENQASM 2.0;
include "qelib1.inc";
gate gate_q_0(_gate_p_0) _gate_q_0, _gate_q_1 { rzz(_gate_p_0) _gate_q_0, _gate_q_1; }
gate circuit_123 q0 { x q0; }
gate nG0(param0,param1) q0,q1 { h q0; rx(param1) q1; }
gate CU_140245(theta) A, B { cu1(theta) A, B; }
qreg q[2];
qreg qregless[1];
gate_q_0(0.5) q[0],q[1];
circuit_123 qregless[0];
nG0(pi,pi/2) q[0],q[1];
CU_140245(0.1) q[1],qregless[0];
)");
  REQUIRE(c.ops.size() == 5);
  CHECK(gate_at(c, 0).name == "rzz");
  CHECK(gate_at(c, 0).params == std::vector<double>{0.5});
  CHECK(gate_at(c, 1).targets == Qubits{2});
  CHECK(gate_at(c, 3).params == std::vector<double>{pi / 2});
  CHECK(gate_at(c, 4).name == "cu1");
  CHECK(c.written_counts.at("CU_140245") == 1);
}

TEST_CASE("lexical conveniences: comments, empty statements, trailing commas", "[qasm]") {
  const qstate::Circuit c = parse(
      "// line comment\nOPENQASM 2.0; /* block\n comment */ include 'qelib1.inc';\n"
      "qreg q[2];;; cx q[0], q[1],; U(0.1, 0.2, 0.3,) q[0];\r\nh q[1]; // trailing\n");
  CHECK(c.ops.size() == 3);
  CHECK(parse("OPENQASM 2;\nqreg q[1];").num_qubits == 1);  // Qiskit accepts a bare major
}

TEST_CASE("missing OPENQASM line is accepted (Qiskit's permissive loader)", "[qasm]") {
  const qstate::Circuit c = parse("include \"qelib1.inc\";\nqreg q[1];\nx q[0];");
  CHECK(c.ops.size() == 1);
}
