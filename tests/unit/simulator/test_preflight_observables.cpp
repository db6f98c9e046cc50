// Refusals before anything is allocated (dynamic circuits asked for a final state, states too big
// for memory, with the size they would need in the message) and the Pauli observable syntax:
// parse errors name the column, label lengths must match, coefficients and signs.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "circuits/error.hpp"
#include "simulator/executor.hpp"
#include "simulator/memory.hpp"
#include "simulator/pauli.hpp"
#include "simulator/preflight.hpp"
#include "tests/support/circuit_builder.hpp"
#include "tests/support/random_circuits.hpp"

using Catch::Matchers::Contains;
using qstate::RunOptions;
using qstate::test::CircuitBuilder;

namespace {

qstate::Circuit dynamic_circuit() {
  CircuitBuilder b({{"q", 2}}, {{"c", 2}});
  b.gate("h", {}, {0}).measure(0, 0).if_equal("c", 1).gate("x", {}, {1}).measure(1, 1);
  return b.build();
}

// Sets QSTATE_MEMORY_LIMIT for the lifetime of the object.
class MemoryLimit {
 public:
  explicit MemoryLimit(const char* value) {
    if (const char* old = std::getenv("QSTATE_MEMORY_LIMIT")) old_ = old, had_ = true;
    setenv("QSTATE_MEMORY_LIMIT", value, 1);
  }
  ~MemoryLimit() {
    if (had_)
      setenv("QSTATE_MEMORY_LIMIT", old_.c_str(), 1);
    else
      unsetenv("QSTATE_MEMORY_LIMIT");
  }

 private:
  std::string old_;
  bool had_ = false;
};

std::string error_of(const qstate::Circuit& c, const RunOptions& o) {
  try {
    qstate::run_circuit(c, o);
  } catch (const qstate::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("dynamic circuits refuse final-state outputs", "[simulator][preflight]") {
  const qstate::Circuit c = dynamic_circuit();
  RunOptions o;
  o.shots = 10;
  o.seed = 1;
  o.statevector = true;
  CHECK_THAT(error_of(c, o), Contains("--statevector") && Contains("no single final state"));
  o.statevector = false;
  o.probabilities = true;
  CHECK_THAT(error_of(c, o), Contains("--probabilities"));
  o.probabilities = false;
  o.observables = {"ZZ"};
  CHECK_THAT(error_of(c, o), Contains("--observable"));
  o.observables.clear();
  CHECK(error_of(c, o).empty());
}

TEST_CASE("a state too big for memory is refused with the size it needs",
          "[simulator][preflight]") {
  const MemoryLimit limit("1G");
  CHECK(qstate::available_memory_bytes() == (std::uint64_t{1} << 30));
  CircuitBuilder b({{"q", 40}}, {{"c", 1}});
  for (qstate::Qubit q = 0; q < 40; ++q) b.gate("h", {}, {q});
  b.measure(0, 0);
  RunOptions o;
  o.shots = 10;
  o.seed = 1;
  const std::string msg = error_of(b.circuit(), o);
  CHECK_THAT(msg, Contains("not enough memory") && Contains("40 qubits") && Contains("16.0 TiB") &&
                      Contains("1.00 GiB"));
  o.precision = qstate::Precision::kSingle;
  CHECK_THAT(error_of(b.circuit(), o), Contains("8.00 TiB") && Contains("single"));

  // A small circuit under the same limit runs.
  CircuitBuilder small({{"q", 3}}, {{"c", 1}});
  small.gate("h", {}, {0}).measure(0, 0);
  CHECK(error_of(small.circuit(), o).empty());
}

TEST_CASE("gates that need more memory than the state leaves are refused before a run",
          "[simulator][preflight]") {
  // 3000 random cz and rz on 14 qubits: fusion makes them 10-qubit diagonals (16 KiB each, held
  // three times while they run), a few MiB against a 256 KiB state.
  qstate::test::RandomCircuitOptions ro;
  ro.num_qubits = 14;
  ro.depth = 3000;
  ro.gates = {"cz", "rz"};
  const qstate::Circuit c = qstate::test::random_circuit(7, ro).circuit;
  RunOptions o;
  o.shots = 10;
  o.seed = 1;
  o.fusion = 2;  // fusion on whatever QSTATE_FUSION says (the tests also run with it off)
  {
    // The state (256 KiB) and the overhead (64 MiB) fit; the fused gates (5.7 MiB) do not,
    // the unfused ones (2.1 MiB) do.
    const MemoryLimit limit("68M");
    const std::string msg = error_of(c, o);
    CHECK_THAT(msg, Contains("not enough memory") && Contains("gates to run (after fusion)") &&
                        Contains("68.0 MiB is available") && Contains("QSTATE_FUSION=0"));
    // Without fusion the 3000 gates keep their own small matrices and fit.
    o.fusion = 0;
    CHECK(error_of(c, o).empty());
    o.fusion = 2;
  }
  {
    const MemoryLimit limit("1G");
    CHECK(error_of(c, o).empty());
  }
  // The count itself: an op's inline size, plus its matrix entries on the heap, three times.
  std::vector<qstate::Op> ops;
  ops.emplace_back(qstate::GateOp{});
  const std::uint64_t one = qstate::run_gate_bytes(ops);
  CHECK(one == 3 * sizeof(qstate::Op));
  auto& g = std::get<qstate::GateOp>(ops[0]);
  g.matrix = qstate::GateMatrix::diagonal(10, qstate::MatrixEntries(1024, qstate::Complex(1)));
  CHECK(qstate::run_gate_bytes(ops) >= one + 3 * 1024 * sizeof(qstate::Complex));
}

TEST_CASE("probabilities over more than 40 declared qubits are refused", "[simulator][preflight]") {
  CircuitBuilder b({{"q", 41}});
  b.gate("h", {}, {0});
  RunOptions o;
  o.shots = 0;
  o.probabilities = true;
  CHECK_THAT(error_of(b.circuit(), o), Contains("--probabilities") && Contains("41"));
}

TEST_CASE("QSTATE_MEMORY_LIMIT is read with units and bad values are errors",
          "[simulator][preflight]") {
  {
    const MemoryLimit limit("512M");
    CHECK(qstate::available_memory_bytes() == (std::uint64_t{512} << 20));
  }
  {
    const MemoryLimit limit("2.5k");
    CHECK(qstate::available_memory_bytes() == 2560);
  }
  {
    const MemoryLimit limit("lots");
    CHECK_THROWS_AS(qstate::available_memory_bytes(), qstate::Error);
  }
  {
    const MemoryLimit limit("3X");
    CHECK_THROWS_AS(qstate::available_memory_bytes(), qstate::Error);
  }
  CHECK(qstate::format_bytes(std::uint64_t{16} << 40) == "16.0 TiB");
  CHECK(qstate::format_bytes(std::uint64_t{3} << 29) == "1.50 GiB");
  CHECK(qstate::format_bytes(100) == "100 bytes");
  CHECK(qstate::amplitude_bytes(40, 16) == (std::uint64_t{16} << 40));
  CHECK(qstate::amplitude_bytes(64, 16) == ~std::uint64_t{0});
  CHECK(qstate::amplitude_bytes(62, 16) == ~std::uint64_t{0});
}

TEST_CASE("Pauli sums parse coefficients signs and labels", "[simulator][observables]") {
  const qstate::PauliSum s = qstate::parse_pauli_sum("0.5*ZZI - 1.25 XIX + YYY - 2e-1*zxi");
  REQUIRE(s.terms.size() == 4);
  CHECK(s.num_qubits() == 3);
  CHECK(s.terms[0].coefficient == 0.5);
  CHECK(s.terms[0].label == "ZZI");
  CHECK(s.terms[1].coefficient == -1.25);
  CHECK(s.terms[1].label == "XIX");
  CHECK(s.terms[2].coefficient == 1.0);
  CHECK(s.terms[3].coefficient == -0.2);
  CHECK(s.terms[3].label == "ZXI");
  CHECK(s.text == "0.5*ZZI - 1.25 XIX + YYY - 2e-1*zxi");

  const qstate::PauliSum neg = qstate::parse_pauli_sum("  -X");
  REQUIRE(neg.terms.size() == 1);
  CHECK(neg.terms[0].coefficient == -1.0);
}

TEST_CASE("Pauli sum errors name the column", "[simulator][observables]") {
  auto message = [](const std::string& text) {
    try {
      qstate::parse_pauli_sum(text);
    } catch (const qstate::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(message("ZZ + XQ"), Contains("column 7") && Contains("'Q'"));
  CHECK_THAT(message("ZZ - XXX"), Contains("column 6") && Contains("3 letters"));
  CHECK_THAT(message("ZZ XX"), Contains("column 4") && Contains("'+' or '-'"));
  CHECK_THAT(message(""), Contains("empty"));
  CHECK_THAT(message("0.5*"), Contains("column 5") && Contains("label"));
  CHECK_THAT(message("ZZ +"), Contains("column 5"));
}

TEST_CASE("observable label length must match the declared qubits", "[simulator][observables]") {
  CircuitBuilder b({{"q", 2}, {"r", 1}});
  b.gate("h", {}, {0});
  RunOptions o;
  o.shots = 0;
  o.observables = {"ZZ"};
  CHECK_THAT(error_of(b.circuit(), o), Contains("2 letters") && Contains("declares 3 qubits"));
  o.observables = {"ZZI"};
  CHECK(error_of(b.circuit(), o).empty());
}
