// The OpenQASM 3 front end against the OpenQASM 2 one: the same circuit written in both languages
// gives the same state (amplitudes, global phase included) on the engine, for the whole gate set
// (qelib1's 42 gates, stdgates.inc's names, and the gate modifiers written as their qelib1
// equivalents), and the same exact outcome distribution for the corpus circuits that exist in
// both forms (corpus/circuits/openqasm2 and openqasm3).
#include <catch2/catch.hpp>

#include <algorithm>
#include <complex>
#include <filesystem>
#include <string>
#include <vector>

#include "circuits/gates.hpp"
#include "circuits/qasm/qasm.hpp"
#include "simulator/executor.hpp"
#include "tests/support/corpus.hpp"
#include "tests/support/reference.hpp"

namespace fs = std::filesystem;

namespace {

constexpr unsigned kQubits = 5;

// A state with every amplitude non-zero and distinct phases, written the same in both languages.
std::string prepare() {
  std::string s;
  for (unsigned i = 0; i < kQubits; ++i)
    s += "ry(" + std::to_string(0.3 + 0.2 * i) + ") q[" + std::to_string(i) + "];\nrz(" +
         std::to_string(0.5 + 0.1 * i) + ") q[" + std::to_string(i) + "];\n";
  for (unsigned i = 0; i + 1 < kQubits; ++i)
    s += "cx q[" + std::to_string(i) + "], q[" + std::to_string(i + 1) + "];\n";
  return s + "h q[2];\n";
}

std::string qasm2(const std::string& body) {
  return "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[5];\n" + prepare() + body;
}

std::string qasm3(const std::string& definitions, const std::string& body) {
  return "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n" + definitions + "qubit[5] q;\n" + prepare() +
         body;
}

std::vector<std::complex<double>> final_state(const std::string& text, const std::string& name) {
  const qstate::Circuit c = qstate::qasm::parse_string(text, name);
  qstate::RunOptions o;
  o.shots = 0;
  o.statevector = true;
  o.seed = 1;
  const qstate::Result r = qstate::run_circuit(c, o);
  REQUIRE(r.statevector.has_value());
  return *r.statevector;
}

void check_same_state(const std::string& text2, const std::string& text3) {
  INFO("OpenQASM 2:\n" << text2 << "\nOpenQASM 3:\n" << text3);
  const auto a = final_state(text2, "t2.qasm");
  const auto b = final_state(text3, "t3.qasm");
  REQUIRE(a.size() == b.size());
  CHECK(qstate::test::max_abs_diff(a, b) < 1e-12);
}

// `name(params) qubits` with the parameters and qubits every test uses.
std::string application(const std::string& name, unsigned num_params, unsigned num_qubits) {
  static const double kParams[] = {0.3, -1.1, 0.7, 0.4};
  static const unsigned kOrder[] = {3, 0, 4, 1, 2};
  std::string s = name;
  if (num_params > 0) {
    s += "(";
    for (unsigned k = 0; k < num_params; ++k) s += (k ? ", " : "") + std::to_string(kParams[k]);
    s += ")";
  }
  for (unsigned k = 0; k < num_qubits; ++k)
    s += std::string(k ? ", " : " ") + "q[" + std::to_string(kOrder[k]) + "]";
  return s + ";\n";
}

// How a qelib1-only gate is written in OpenQASM 3: a modifier on a stdgates gate, a builtin, or a
// definition in the form Qiskit's qasm3.dumps writes (`gate name(p0) _gate_q_0, ... { ... }`).
struct Qasm3Form {
  std::string definition;  // before the qubit declaration
  std::string name;        // what is applied
};

Qasm3Form qasm3_form(const std::string& name) {
  if (name == "u0") return {"gate u0(p0) _gate_q_0 {\n  id _gate_q_0;\n}\n", "u0"};
  if (name == "u") return {"", "U"};
  if (name == "sxdg") return {"", "inv @ sx"};
  if (name == "cu1") return {"", "ctrl @ p"};
  if (name == "cu3") return {"", "ctrl @ u3"};
  if (name == "csx") return {"", "ctrl @ sx"};
  if (name == "c3x") return {"", "ctrl(3) @ x"};
  if (name == "c4x") return {"", "ctrl(4) @ x"};
  if (name == "c3sqrtx") return {"", "ctrl(3) @ sx"};
  if (name == "rxx")
    return {
        "gate rxx(p0) _gate_q_0, _gate_q_1 {\n  h _gate_q_0;\n  h _gate_q_1;\n"
        "  cx _gate_q_0, _gate_q_1;\n  rz(p0) _gate_q_1;\n  cx _gate_q_0, _gate_q_1;\n"
        "  h _gate_q_1;\n  h _gate_q_0;\n}\n",
        "rxx"};
  if (name == "rzz")
    return {
        "gate rzz(p0) _gate_q_0, _gate_q_1 {\n  cx _gate_q_0, _gate_q_1;\n"
        "  rz(p0) _gate_q_1;\n  cx _gate_q_0, _gate_q_1;\n}\n",
        "rzz"};
  if (name == "rccx")
    return {
        "gate rccx _gate_q_0, _gate_q_1, _gate_q_2 {\n  u2(0, pi) _gate_q_2;\n"
        "  u1(pi/4) _gate_q_2;\n  cx _gate_q_1, _gate_q_2;\n  u1(-pi/4) _gate_q_2;\n"
        "  cx _gate_q_0, _gate_q_2;\n  u1(pi/4) _gate_q_2;\n  cx _gate_q_1, _gate_q_2;\n"
        "  u1(-pi/4) _gate_q_2;\n  u2(0, pi) _gate_q_2;\n}\n",
        "rccx"};
  if (name == "rc3x")
    return {
        "gate rcccx _gate_q_0, _gate_q_1, _gate_q_2, _gate_q_3 {\n"
        "  u2(0, pi) _gate_q_3;\n  u1(pi/4) _gate_q_3;\n  cx _gate_q_2, _gate_q_3;\n"
        "  u1(-pi/4) _gate_q_3;\n  u2(0, pi) _gate_q_3;\n  cx _gate_q_0, _gate_q_3;\n"
        "  u1(pi/4) _gate_q_3;\n  cx _gate_q_1, _gate_q_3;\n  u1(-pi/4) _gate_q_3;\n"
        "  cx _gate_q_0, _gate_q_3;\n  u1(pi/4) _gate_q_3;\n  cx _gate_q_1, _gate_q_3;\n"
        "  u1(-pi/4) _gate_q_3;\n  u2(0, pi) _gate_q_3;\n  u1(pi/4) _gate_q_3;\n"
        "  cx _gate_q_2, _gate_q_3;\n  u1(-pi/4) _gate_q_3;\n  u2(0, pi) _gate_q_3;\n}\n",
        "rcccx"};
  return {"", name};  // in stdgates.inc under the same name
}

// Distribution keys without the spaces between registers (the two forms may split the bits into
// registers differently).
std::map<std::string, double> joined_distribution(const qstate::Circuit& c) {
  std::map<std::string, double> out;
  for (const auto& [key, p] :
       qstate::test::outcome_distribution(c, qstate::test::Reference::GateSource::kOpMatrix)) {
    std::string k = key;
    k.erase(std::remove(k.begin(), k.end(), ' '), k.end());
    out[k] += p;
  }
  return out;
}

}  // namespace

TEST_CASE("OpenQASM 2 vs 3: every qelib1 gate gives the same state", "[qasm3]") {
  std::size_t checked = 0;
  for (const qstate::StandardGate& g : qstate::standard_gates()) {
    if ((g.libraries & qstate::kLibQelib1) == 0) continue;
    const std::string name(g.name);
    const Qasm3Form form = qasm3_form(name);
    check_same_state(qasm2(application(name, g.num_params, g.num_qubits)),
                     qasm3(form.definition, application(form.name, g.num_params, g.num_qubits)));
    ++checked;
  }
  CHECK(checked == 42);
}

TEST_CASE("OpenQASM 2 vs 3: stdgates names and the builtins", "[qasm3]") {
  // Names only stdgates.inc has, and U / CX, against their qelib1 equivalents.
  const struct {
    const char* qasm3;
    const char* qasm2;
  } kCases[] = {
      {"phase(0.3) q[1];", "u1(0.3) q[1];"},
      {"cphase(-0.8) q[4], q[0];", "cu1(-0.8) q[4], q[0];"},
      {"CX q[2], q[0];", "CX q[2], q[0];"},
      {"U(0.1, 0.2, 0.3) q[3];", "U(0.1, 0.2, 0.3) q[3];"},
      {"u2(0.4, -0.2) q[0];", "u2(0.4, -0.2) q[0];"},
      {"u3(0.4, -0.2, 1.3) q[0];", "u3(0.4, -0.2, 1.3) q[0];"},
      {"cu(0.4, -0.2, 1.3, 0.6) q[0], q[4];", "cu(0.4, -0.2, 1.3, 0.6) q[0], q[4];"},
      {"id q[2];", "id q[2];"},
      {"p(pi) q[1];", "z q[1];"},
  };
  for (const auto& c : kCases)
    check_same_state(qasm2(std::string(c.qasm2) + "\n"), qasm3("", std::string(c.qasm3) + "\n"));
}

TEST_CASE("OpenQASM 2 vs 3: gate modifiers are the qelib1 gates they name", "[qasm3]") {
  const struct {
    const char* qasm3;
    const char* qasm2;
  } kCases[] = {
      {"ctrl @ x q[3], q[1];", "cx q[3], q[1];"},
      {"ctrl @ y q[0], q[4];", "cy q[0], q[4];"},
      {"ctrl @ z q[2], q[1];", "cz q[2], q[1];"},
      {"ctrl @ h q[4], q[3];", "ch q[4], q[3];"},
      {"ctrl @ rx(0.3) q[1], q[0];", "crx(0.3) q[1], q[0];"},
      {"ctrl @ ry(0.3) q[1], q[0];", "cry(0.3) q[1], q[0];"},
      {"ctrl @ rz(0.3) q[1], q[0];", "crz(0.3) q[1], q[0];"},
      {"ctrl @ p(0.3) q[1], q[0];", "cp(0.3) q[1], q[0];"},
      {"ctrl @ swap q[1], q[0], q[4];", "cswap q[1], q[0], q[4];"},
      {"ctrl @ ctrl @ x q[1], q[3], q[2];", "ccx q[1], q[3], q[2];"},
      {"ctrl(2) @ x q[1], q[3], q[2];", "ccx q[1], q[3], q[2];"},
      {"ctrl @ U(0.1, 0.2, 0.3) q[1], q[2];", "cu(0.1, 0.2, 0.3, 0) q[1], q[2];"},
      {"ctrl @ cx q[0], q[1], q[2];", "ccx q[0], q[1], q[2];"},
      {"negctrl @ x q[3], q[1];", "x q[3]; cx q[3], q[1]; x q[3];"},
      {"negctrl(2) @ x q[0], q[1], q[2];", "x q[0]; x q[1]; ccx q[0], q[1], q[2]; x q[1]; x q[0];"},
      {"ctrl @ negctrl @ x q[4], q[0], q[2];", "x q[0]; ccx q[4], q[0], q[2]; x q[0];"},
      {"inv @ s q[2];", "sdg q[2];"},
      {"inv @ t q[2];", "tdg q[2];"},
      {"inv @ sx q[2];", "sxdg q[2];"},
      {"inv @ rx(0.7) q[2];", "rx(-0.7) q[2];"},
      {"inv @ u3(0.4, -0.2, 1.3) q[0];", "u3(-0.4, -1.3, 0.2) q[0];"},
      {"inv @ ctrl @ s q[0], q[3];", "cp(-pi/2) q[0], q[3];"},
      {"pow(2) @ t q[1];", "s q[1];"},
      {"pow(2) @ s q[1];", "z q[1];"},
      {"pow(-1) @ s q[1];", "sdg q[1];"},
      {"pow(3) @ h q[1];", "h q[1];"},
      {"pow(0.5) @ z q[1];", "s q[1];"},
      {"pow(0.5) @ x q[1];", "sx q[1];"},
      {"pow(1.5) @ rx(0.2) q[1];", "rx(0.3) q[1];"},
      {"pow(0.25) @ z q[1];", "t q[1];"},
      {"ctrl @ pow(0.5) @ x q[1], q[0];", "csx q[1], q[0];"},
      {"ctrl(3) @ sx q[0], q[1], q[2], q[3];", "c3sqrtx q[0], q[1], q[2], q[3];"},
      {"gphase(0.4);", "u1(0.4) q[0]; x q[0]; u1(0.4) q[0]; x q[0];"},
      {"ctrl @ gphase(0.4) q[2];", "u1(0.4) q[2];"},
  };
  for (const auto& c : kCases)
    check_same_state(qasm2(std::string(c.qasm2) + "\n"), qasm3("", std::string(c.qasm3) + "\n"));
}

TEST_CASE("OpenQASM 2 vs 3: corpus circuits in both forms have the same outcomes", "[qasm3]") {
  const fs::path dir = qstate::test::corpus_dir() / "circuits";
  // openqasm3/qec.qasm is in both folders too; its OpenQASM 3 form uses a subroutine (`def`),
  // which is refused (test_qasm3_corpus.cpp).
  for (const char* name : {"adder.qasm", "inverseqft1.qasm", "inverseqft2.qasm", "qft.qasm",
                           "qpt.qasm", "rb.qasm", "teleport.qasm"}) {
    INFO(name);
    const qstate::Circuit c2 = qstate::qasm::parse_file((dir / "openqasm2" / name).string());
    const qstate::Circuit c3 = qstate::qasm::parse_file((dir / "openqasm3" / name).string());
    CHECK(c2.num_qubits == c3.num_qubits);
    CHECK(c2.num_clbits == c3.num_clbits);
    const auto a = joined_distribution(c2);
    const auto b = joined_distribution(c3);
    REQUIRE(a.size() == b.size());
    for (const auto& [key, p] : a) {
      INFO("outcome " << key);
      REQUIRE(b.count(key) == 1);
      CHECK(b.at(key) == Approx(p).margin(1e-10));
    }
  }
}
