// Every OpenQASM 2 file of the shared corpus (the OpenQASM 2 paper's examples, QASMBench, Qiskit's
// test fixtures) parses, except the ones documented as invalid in corpus/README.md and
// manifest.tsv, which are rejected with the message checked here.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>

#include "qasm_test_helpers.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(QSTATE_SHARED_DIR) / "corpus" / "circuits";

// Relative path → the message parse_file must give (after "<path>:").
const std::map<std::string, std::string>& invalid_files() {
  static const std::map<std::string, std::string> files = {
      {"openqasm2/invalid/invalid_gate_no_found.qasm", "5:1: unknown gate 'w'"},
      {"openqasm2/invalid/invalid_missing_semicolon.qasm", "3:13: expected ';' but found 'qreg'"},
      // QASMBench: measure q[i] -> c[i] with neither q nor c declared (the registers are named
      // otherwise); the first undeclared name is reported.
      {"qasmbench/hhl_n10.qasm", "186801:9: undeclared quantum register 'q'"},
      {"qasmbench/hhl_n10_transpiled.qasm", "199246:9: undeclared quantum register 'q'"},
      {"qasmbench/vqe_uccsd_n4.qasm", "225:9: undeclared quantum register 'q'"},
      {"qasmbench/vqe_uccsd_n4_transpiled.qasm", "242:9: undeclared quantum register 'q'"},
      {"qasmbench/vqe_uccsd_n6.qasm", "2286:9: undeclared quantum register 'q'"},
      {"qasmbench/vqe_uccsd_n6_transpiled.qasm", "2128:9: undeclared quantum register 'q'"},
      {"qasmbench/vqe_uccsd_n8.qasm", "10813:9: undeclared quantum register 'q'"},
      {"qasmbench/vqe_uccsd_n8_transpiled.qasm", "9680:9: undeclared quantum register 'q'"},
      // Qiskit's own negative fixtures.
      {"qiskit/example_fail.qasm", "1:13: expected ';' but found the end of the file"},
      {"qiskit/example_minor_version_fail.qasm",
       "1:10: unsupported OpenQASM version 2.6 (this front end reads OpenQASM 2.0)"},
  };
  return files;
}

}  // namespace

TEST_CASE("corpus: every OpenQASM 2 file parses or is rejected as documented", "[qasm]") {
  std::size_t parsed = 0;
  std::size_t rejected = 0;
  for (const char* folder : {"openqasm2", "openqasm2/invalid", "qasmbench", "qiskit"}) {
    REQUIRE(fs::is_directory(kCorpus / folder));
    for (const auto& entry : fs::directory_iterator(kCorpus / folder)) {
      if (entry.path().extension() != ".qasm") continue;
      const std::string rel = std::string(folder) + "/" + entry.path().filename().string();
      const std::string path = entry.path().string();
      INFO(rel);
      const auto bad = invalid_files().find(rel);
      if (bad != invalid_files().end()) {
        CHECK(qasm_test::file_error_of(path) == path + ":" + bad->second);
        ++rejected;
        continue;
      }
      try {
        const qstate::Circuit c = qstate::qasm::parse_file(path);
        CHECK(c.num_qubits > 0);
        ++parsed;
      } catch (const qstate::Error& e) {
        FAIL_CHECK(e.what());
      }
    }
  }
  CHECK(rejected == invalid_files().size());
  // 13 paper examples, 133 - 8 QASMBench files, 47 - 2 Qiskit fixtures (Qiskit's
  // example_version_fail.qasm is `OPENQASM 3;` with qelib1.inc: the OpenQASM 3 front end reads it).
  CHECK(parsed == 13 + 125 + 45);
}

TEST_CASE("corpus: QASMBench sat_n11 has no OPENQASM line and is accepted", "[qasm]") {
  // corpus/README.md lists it as invalid as written; its only fault is the missing version line,
  // which Qiskit's permissive loader (and this front end) accept.
  const qstate::Circuit c =
      qstate::qasm::parse_file((kCorpus / "qasmbench" / "sat_n11.qasm").string());
  CHECK(c.num_qubits == 11);
  CHECK(c.num_clbits == 4);
  CHECK(c.written_counts.at("measure") == 4);
}

TEST_CASE("corpus: spot checks of lowered structure", "[qasm]") {
  // The paper's qec.qasm: syndrome gate expanded, `if` on a 2-bit register.
  const qstate::Circuit qec =
      qstate::qasm::parse_file((kCorpus / "openqasm2" / "qec.qasm").string());
  CHECK(qec.num_qubits == 5);
  CHECK(qec.num_clbits == 5);
  CHECK(qec.written_counts == std::map<std::string, std::uint64_t>{
                                  {"x", 4}, {"barrier", 1}, {"syndrome", 1}, {"measure", 5}});
  std::size_t ifs = 0;
  for (const auto& op : qec.ops)
    if (const auto* i = std::get_if<qstate::IfOp>(&op)) {
      ++ifs;
      CHECK(i->condition.bits == std::vector<qstate::Clbit>{3, 4});
    }
  CHECK(ifs == 3);
  // Qiskit's all_gates.qasm: every qelib1 gate plus U and CX.
  const qstate::Circuit all =
      qstate::qasm::parse_file((kCorpus / "qiskit" / "all_gates.qasm").string());
  CHECK(all.written_counts.at("u") == 2);   // U and u
  CHECK(all.written_counts.at("cx") == 2);  // CX and cx
  CHECK(all.written_counts.at("measure") == 3);
}
