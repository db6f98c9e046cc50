// Every OpenQASM 3 file of the shared corpus (corpus/circuits/openqasm3, the specification's
// examples) either parses into a circuit or is rejected with a message that names the feature it
// uses and qstate does not support; every file of openqasm3/invalid/ is rejected at file:line:col.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>

#include "qasm_test_helpers.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = fs::path(QSTATE_SHARED_DIR) / "corpus" / "circuits" / "openqasm3";

// File → the message parse_file gives after "<path>:" (its start: the rest may explain more).
const std::map<std::string, std::string>& rejected_files() {
  static const std::map<std::string, std::string> files = {
      {"arrays.qasm", "9:1: arrays ('array') are not supported"},
      // A fragment of the specification: no include (so no CX) and `q` never declared.
      {"cphase.qasm", "4:3: unknown gate 'CX'; it is defined in \"stdgates.inc\""},
      {"dd.qasm", "8:1: 'duration' variables are not supported"},
      {"defcal.qasm", "1:1: pulse-level calibration ('defcalgrammar') is not supported"},
      {"gateteleport.qasm", "6:1: 'extern' functions are not supported"},
      {"ipe.qasm",
       "28:17: measurement results can only be stored in bits, but 'c' is an 'angle' variable"},
      {"msd.qasm", "9:1: subroutine definitions ('def') are not supported"},
      {"pong.qasm", "6:1: pulse-level calibration ('defcalgrammar') is not supported"},
      {"qec.qasm", "9:1: subroutine definitions ('def') are not supported"},
      {"rus.qasm", "12:1: subroutine definitions ('def') are not supported"},
      {"scqec.qasm", "16:1: 'extern' functions are not supported"},
      {"t1.qasm", "6:1: 'duration' variables are not supported"},
      {"varteleport.qasm", "9:1: subroutine definitions ('def') are not supported"},
      {"vqe.qasm", "17:1: 'extern' functions are not supported"},
  };
  return files;
}

const std::map<std::string, std::string>& invalid_files() {
  static const std::map<std::string, std::string> files = {
      {"branch.qasm", "1:4: expected '(' after 'if' but found 'true'"},
      {"calibration.qasm", "1:1: pulse-level calibration ('defcalgrammar') is not supported"},
      {"const.qasm", "1:16: expected '=' and the value of the constant but found ';'"},
      {"declarations.qasm", "2:6: expected a variable name but found ';'"},
      {"gate_applications.qasm", "1:6: a gate takes one parameter list"},
      {"headers.qasm", "1:10: expected a version number such as 2.0 but found 'int'"},
      {"io.qasm", "1:13: expected a variable name but found ';'"},
      {"loop.qasm", "1:29: expected a statement or a block but found ';'"},
      {"measure.qasm", "1:11: 'measure' measures one qubit or register"},
      {"switch.qasm", "1:9: expected an expression but found ')'"},
      {"tokens.qasm", "1:1: unexpected character '#'"},
  };
  return files;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("corpus: every OpenQASM 3 file runs or is rejected naming the feature", "[qasm3]") {
  std::size_t parsed = 0;
  std::size_t rejected = 0;
  REQUIRE(fs::is_directory(kCorpus));
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() != ".qasm") continue;
    const std::string name = entry.path().filename().string();
    const std::string path = entry.path().string();
    INFO(name);
    const auto bad = rejected_files().find(name);
    if (bad != rejected_files().end()) {
      const std::string message = qasm_test::file_error_of(path);
      CHECK(starts_with(message, path + ":" + bad->second));
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
  CHECK(rejected == rejected_files().size());
  // adder, alignment, inverseqft1, inverseqft2, qft, qpt, rb, teleport.
  CHECK(parsed == 8);
}

TEST_CASE("corpus: every file of openqasm3/invalid is rejected", "[qasm3]") {
  std::size_t rejected = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus / "invalid")) {
    if (entry.path().extension() != ".qasm") continue;
    const std::string name = entry.path().filename().string();
    const std::string path = entry.path().string();
    INFO(name);
    REQUIRE(invalid_files().count(name) == 1);
    CHECK(starts_with(qasm_test::file_error_of(path), path + ":" + invalid_files().at(name)));
    ++rejected;
  }
  CHECK(rejected == invalid_files().size());
}
