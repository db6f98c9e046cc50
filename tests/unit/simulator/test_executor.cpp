// Executor semantics on circuits built directly (no parser): counts keys in Qiskit's format for
// several registers, --memory, seeds, bit-for-bit identical results for 1, 2, 3 and 4 threads
// (3 in a child process: an uneven split must not hang), threads = 0 as the OpenMP default, float
// vs double, idle-qubit dropping, circuits without gates, dynamic circuits (mid-circuit
// measurement, if, reset), the global phase in the statevector, and format_counts_key.
#include <sched.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <numbers>

#include "circuits/error.hpp"
#include "simulator/executor.hpp"
#include "simulator/result.hpp"
#include "tests/support/circuit_builder.hpp"
#include "tests/support/finishes.hpp"
#include "tests/support/random_circuits.hpp"
#include "tests/support/reference.hpp"

using qstate::Result;
using qstate::run_circuit;
using qstate::RunOptions;
using qstate::test::CircuitBuilder;
using qstate::test::Cplx;
using std::numbers::pi;

namespace {

RunOptions shots(std::uint64_t n, std::uint64_t seed = 1234) {
  RunOptions o;
  o.shots = n;
  o.seed = seed;
  return o;
}

std::uint64_t total(const std::map<std::string, std::uint64_t>& counts) {
  std::uint64_t t = 0;
  for (const auto& [key, c] : counts) t += c;
  return t;
}

// A Pauli label over n qubits with the given letters on the given qubits (rightmost = qubit 0).
std::string label(unsigned n, std::initializer_list<std::pair<unsigned, char>> letters) {
  std::string s(n, 'I');
  for (const auto& [q, c] : letters) s[n - 1 - q] = c;
  return s;
}

// A 16-qubit circuit with every kind of gate, big enough that parallel loops really split.
qstate::Circuit wide_circuit(std::uint64_t seed) {
  qstate::test::RandomCircuitOptions o;
  o.num_qubits = 16;
  o.depth = 40;
  o.num_cregs = 2;
  return qstate::test::random_circuit(seed, o).circuit;
}

}  // namespace

TEST_CASE("format_counts_key writes Qiskit's keys", "[simulator][result]") {
  std::vector<qstate::Register> cregs = {{"a", 0, 1}, {"b", 1, 2}};
  // bits: a[0] = 1, b[0] = 0, b[1] = 1  ->  "b1b0 a0" = "10 1"
  CHECK(qstate::format_counts_key({1, 0, 1}, cregs) == "10 1");
  CHECK(qstate::format_counts_key({0, 1, 0}, cregs) == "01 0");
  CHECK(qstate::format_counts_key({1}, {{"c", 0, 1}}) == "1");
  CHECK(qstate::format_counts_key({1, 1, 0, 0}, {{"c", 0, 4}}) == "0011");
  // Three registers, the last declared first.
  CHECK(qstate::format_counts_key({1, 0, 0, 1, 1}, {{"x", 0, 2}, {"y", 2, 1}, {"z", 3, 2}}) ==
        "11 0 01");
  CHECK(qstate::format_counts_key({}, {}).empty());
}

TEST_CASE("counts keys follow Qiskit's register order", "[simulator][executor]") {
  // qreg q[3]; creg a[1]; creg b[2]; x q[1]; measure q[0]->a[0]; q[1]->b[0]; q[2]->b[1]
  CircuitBuilder b({{"q", 3}}, {{"a", 1}, {"b", 2}});
  b.gate("x", {}, {1}).measure(0, 0).measure(1, 1).measure(2, 2);
  const Result r = run_circuit(b.circuit(), shots(50));
  CHECK(r.has_counts);
  CHECK(r.counts == std::map<std::string, std::uint64_t>{{"01 0", 50}});

  CircuitBuilder b2({{"q", 3}}, {{"a", 1}, {"b", 2}});
  b2.gate("x", {}, {0}).gate("x", {}, {2}).measure(0, 0).measure(1, 1).measure(2, 2);
  CHECK(run_circuit(b2.circuit(), shots(7)).counts ==
        std::map<std::string, std::uint64_t>{{"10 1", 7}});

  // Measuring into a crossed order: q[0] -> b[1].
  CircuitBuilder b3({{"q", 2}}, {{"a", 1}, {"b", 2}});
  b3.gate("x", {}, {0}).measure(0, 2).measure(1, 0);
  CHECK(run_circuit(b3.circuit(), shots(3)).counts ==
        std::map<std::string, std::uint64_t>{{"10 0", 3}});

  // Two qregs: qubits numbered across registers.
  CircuitBuilder b4({{"q", 1}, {"r", 2}}, {{"c", 3}});
  b4.gate("x", {}, {2}).measure(0, 0).measure(1, 1).measure(2, 2);
  CHECK(run_circuit(b4.circuit(), shots(4)).counts ==
        std::map<std::string, std::uint64_t>{{"100", 4}});
}

TEST_CASE("a measurement of an idle qubit reads 0", "[simulator][executor]") {
  CircuitBuilder b({{"q", 6}}, {{"c", 2}});
  b.gate("x", {}, {1}).measure(5, 0).measure(1, 1);
  const Result r = run_circuit(b.circuit(), shots(10));
  CHECK(r.counts == std::map<std::string, std::uint64_t>{{"10", 10}});
}

TEST_CASE("memory lists one key per shot consistent with counts", "[simulator][executor]") {
  CircuitBuilder b({{"q", 3}}, {{"c", 2}, {"d", 1}});
  b.gate("h", {}, {0}).gate("h", {}, {1}).gate("cx", {}, {1, 2});
  b.measure(0, 0).measure(1, 1).measure(2, 2);
  RunOptions o = shots(500, 9);
  o.memory = true;
  const Result r = run_circuit(b.circuit(), o);
  REQUIRE(r.memory.size() == 500);
  std::map<std::string, std::uint64_t> from_memory;
  for (const std::string& key : r.memory) ++from_memory[key];
  CHECK(from_memory == r.counts);
  CHECK(total(r.counts) == 500);
  // q1 and q2 are equal: keys "x yx" have d0 == c1.
  for (const auto& [key, n] : r.counts) {
    REQUIRE(key.size() == 4);
    CHECK(key[0] == key[2]);
  }
  CHECK(r.counts.size() == 4);

  // Without --memory there is none.
  o.memory = false;
  CHECK(run_circuit(b.circuit(), o).memory.empty());
}

TEST_CASE("the seed determines counts and memory", "[simulator][executor]") {
  CircuitBuilder b({{"q", 4}}, {{"c", 4}});
  for (qstate::Qubit q = 0; q < 4; ++q) b.gate("h", {}, {q});
  for (qstate::Qubit q = 0; q < 4; ++q) b.measure(q, q);
  RunOptions o = shots(300, 42);
  o.memory = true;
  const Result a = run_circuit(b.circuit(), o);
  const Result a2 = run_circuit(b.circuit(), o);
  CHECK(a.seed == 42);
  CHECK(a.seed_given);
  CHECK(a.memory == a2.memory);
  CHECK(a.counts == a2.counts);
  o.seed = 43;
  const Result c = run_circuit(b.circuit(), o);
  CHECK(c.memory != a.memory);

  // Without a seed one is drawn and reported; rerunning with it reproduces the run.
  o.seed.reset();
  const Result d = run_circuit(b.circuit(), o);
  CHECK_FALSE(d.seed_given);
  o.seed = d.seed;
  CHECK(run_circuit(b.circuit(), o).memory == d.memory);
}

TEST_CASE("results are bit-for-bit identical with 1 and 2 threads", "[simulator][executor]") {
  SECTION("static circuit: counts, memory, probabilities, statevector, observables") {
    const qstate::Circuit c = wide_circuit(5);
    RunOptions o = shots(2000, 11);
    o.memory = true;
    o.probabilities = true;
    o.statevector = true;
    o.observables = {"ZZZZZZZZZZZZZZZZ", "0.5*XIIIIIIIIIIIIIIY - 2*IIIIIIIZZIIIIIII",
                     "YXZIYXZIYXZIYXZI"};
    o.threads = 1;
    const Result one = run_circuit(c, o);
    REQUIRE(one.probabilities.has_value());
    REQUIRE(one.statevector.has_value());
    REQUIRE(one.expectation_values.size() == 3);
    // 2 and 4 threads (3, an uneven split, is checked in a child process below).
    for (int threads : {2, 4}) {
      o.threads = threads;
      const Result other = run_circuit(c, o);
      INFO(threads << " threads");
      CHECK(other.metadata.threads == threads);
      CHECK(one.counts == other.counts);
      CHECK(one.memory == other.memory);
      REQUIRE(other.probabilities.has_value());
      CHECK(*one.probabilities == *other.probabilities);
      REQUIRE(other.statevector.has_value());
      CHECK(*one.statevector == *other.statevector);
      CHECK(one.expectation_values == other.expectation_values);
    }
  }
  SECTION("dynamic circuit: counts and memory") {
    qstate::test::RandomCircuitOptions ro;
    ro.num_qubits = 15;  // 2^14 qubit-weight pairs: the parallel reductions split
    ro.depth = 20;
    ro.mid_measure_rate = 0.1;
    ro.reset_rate = 0.05;
    ro.conditional_rate = 0.2;
    const qstate::Circuit c = qstate::test::random_circuit(8, ro).circuit;
    RunOptions o = shots(12, 3);
    o.memory = true;
    o.threads = 1;
    const Result one = run_circuit(c, o);
    o.threads = 2;
    const Result two = run_circuit(c, o);
    CHECK(one.metadata.dynamic);
    CHECK(one.memory == two.memory);
    CHECK(one.counts == two.counts);
  }
}

// Hidden: run in a child process by the test below (a hang must not stall the suite).
TEST_CASE("uneven thread split gives the same results (child)", "[.][child]") {
  // 14 qubits: a diagonal Pauli term has 2^14 groups, split over 3 threads at an odd group.
  qstate::test::RandomCircuitOptions ro;
  ro.num_qubits = 14;
  ro.depth = 30;
  const qstate::Circuit c = qstate::test::random_circuit(77, ro).circuit;
  RunOptions o = shots(500, 19);
  o.memory = true;
  o.probabilities = true;
  o.statevector = true;
  o.observables = {std::string(14, 'Z'), "XYZXYZXYZXYZXY"};
  o.threads = 1;
  const Result one = run_circuit(c, o);
  o.threads = 3;
  const Result three = run_circuit(c, o);
  CHECK(three.metadata.threads == 3);
  CHECK(one.memory == three.memory);
  CHECK(*one.probabilities == *three.probabilities);
  CHECK(*one.statevector == *three.statevector);
  CHECK(one.expectation_values == three.expectation_values);
}

TEST_CASE("results with 3 threads equal those with 1 thread", "[simulator][executor]") {
  CHECK(qstate::test::run_test_case_in_child("uneven thread split gives the same results (child)",
                                             30.0) == qstate::test::ChildOutcome::kPassed);
}

TEST_CASE("single and double precision agree", "[simulator][executor]") {
  const qstate::Circuit c = wide_circuit(21);
  RunOptions o = shots(0);
  o.probabilities = true;
  o.observables = {"ZIIIIIIIIIIIIIIZ", "XXXXXXXXXXXXXXXX"};
  const Result d = run_circuit(c, o);
  o.precision = qstate::Precision::kSingle;
  const Result f = run_circuit(c, o);
  CHECK(f.metadata.precision == "single");
  CHECK(d.metadata.precision == "double");
  CHECK(f.metadata.state_bytes * 2 == d.metadata.state_bytes);
  REQUIRE(f.probabilities.has_value());
  CHECK(qstate::test::max_abs_diff(*f.probabilities, *d.probabilities) < 1e-6);
  for (std::size_t i = 0; i < d.expectation_values.size(); ++i)
    CHECK(f.expectation_values[i].second == Approx(d.expectation_values[i].second).margin(1e-5));
}

TEST_CASE("idle qubits are not simulated but outputs cover the declared qubits",
          "[simulator][executor]") {
  // 20 declared qubits, gates on q[3] and q[17] only.
  CircuitBuilder b({{"q", 20}}, {{"c", 20}});
  b.gate("h", {}, {3}).gate("cx", {}, {3, 17}).gate("rz", {0.4}, {17});
  b.measure(3, 0).measure(17, 1).measure(8, 2);
  RunOptions o = shots(100);
  o.probabilities = true;
  o.statevector = true;
  o.observables = {label(20, {{17, 'Z'}, {3, 'Z'}}),
                   label(20, {{3, 'Z'}}),
                   label(20, {{16, 'Z'}}),
                   label(20, {{17, 'X'}, {3, 'X'}}),
                   label(20, {{17, 'Y'}, {3, 'Y'}}),
                   label(20, {{8, 'X'}}),
                   label(20, {{8, 'Y'}, {3, 'Z'}}),
                   "2*" + label(20, {}) + " - " + label(20, {{17, 'Z'}, {16, 'Z'}, {3, 'Z'}})};
  const Result r = run_circuit(b.circuit(), o);
  CHECK(r.metadata.num_qubits == 20);
  CHECK(r.metadata.simulated_qubits == 2);
  CHECK(r.metadata.state_bytes == 4 * 16);
  REQUIRE(r.probabilities.has_value());
  REQUIRE(r.probabilities->size() == (std::size_t{1} << 20));
  const std::size_t both = (std::size_t{1} << 3) | (std::size_t{1} << 17);
  double rest = 0;
  for (std::size_t i = 0; i < r.probabilities->size(); ++i)
    if (i != 0 && i != both) rest += (*r.probabilities)[i];
  CHECK((*r.probabilities)[0] == Approx(0.5).margin(1e-15));
  CHECK((*r.probabilities)[both] == Approx(0.5).margin(1e-15));
  CHECK(rest == 0.0);
  // statevector: rz(0.4) on q17 gives e^{-0.2i}/sqrt2 on |0>, e^{0.2i}/sqrt2 on |q3 q17 = 11>.
  REQUIRE(r.statevector.has_value());
  CHECK(std::abs((*r.statevector)[0] - std::polar(1 / std::sqrt(2.0), -0.2)) < 1e-15);
  CHECK(std::abs((*r.statevector)[both] - std::polar(1 / std::sqrt(2.0), 0.2)) < 1e-15);
  // Observables on the Bell-like pair (q17, q3); q16 and q8 are idle (always |0>).
  REQUIRE(r.expectation_values.size() == 8);
  const std::vector<double> want = {1, 0, 1, std::cos(0.4), -std::cos(0.4), 0, 0, 1};
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO(o.observables[i]);
    CHECK(r.expectation_values[i].second == Approx(want[i]).margin(1e-14));
  }
  // Counts: q3 and q17 agree, q8 (idle) reads 0.
  for (const auto& [key, n] : r.counts) {
    REQUIRE(key.size() == 20);
    CHECK(key[19] == key[18]);  // c0 == c1
    CHECK(key[17] == '0');      // c2
  }
}

TEST_CASE("dynamic circuits: measurement feeding an if", "[simulator][executor]") {
  // h q[0]; measure q[0]->c[0]; if(c==1) x q[1]; measure q[1]->c[1];
  CircuitBuilder b({{"q", 2}}, {{"c", 2}});
  b.gate("h", {}, {0}).measure(0, 0).if_equal("c", 1).gate("x", {}, {1}).measure(1, 1);
  RunOptions o = shots(1000, 5);
  o.memory = true;
  const Result r = run_circuit(b.circuit(), o);
  CHECK(r.metadata.dynamic);
  CHECK(r.metadata.shot_method.rfind("per-shot", 0) == 0);
  CHECK(total(r.counts) == 1000);
  CHECK(r.memory.size() == 1000);
  REQUIRE(r.counts.size() == 2);
  CHECK(r.counts.count("00") == 1);
  CHECK(r.counts.count("11") == 1);
  // Binomial(1000, 1/2): 400..600 is more than 6 standard deviations.
  CHECK(r.counts.at("11") > 400);
  CHECK(r.counts.at("11") < 600);
}

TEST_CASE("dynamic circuits: reset and re-measure", "[simulator][executor]") {
  // h q0; measure q0 -> c0; reset q0; measure q0 -> c1: c1 is always 0.
  CircuitBuilder b({{"q", 1}}, {{"c", 2}});
  b.gate("h", {}, {0}).measure(0, 0).reset(0).measure(0, 1);
  const Result r = run_circuit(b.circuit(), shots(400, 8));
  CHECK(r.metadata.dynamic);
  CHECK(total(r.counts) == 400);
  for (const auto& [key, n] : r.counts) CHECK(key[0] == '0');
  CHECK(r.counts.size() == 2);

  // x q0; reset q0; x q1 conditioned on nothing; measure: reset of a |1> gives |0>.
  CircuitBuilder b2({{"q", 2}}, {{"c", 2}});
  b2.gate("x", {}, {0}).gate("x", {}, {1}).reset(0).measure(0, 0).measure(1, 1);
  CHECK(run_circuit(b2.circuit(), shots(20)).counts ==
        std::map<std::string, std::uint64_t>{{"10", 20}});
}

TEST_CASE("dynamic circuits with 0 shots produce no counts", "[simulator][executor]") {
  CircuitBuilder b({{"q", 1}}, {{"c", 1}});
  b.gate("h", {}, {0}).measure(0, 0).gate("h", {}, {0}).measure(0, 0);
  const Result r = run_circuit(b.circuit(), shots(0));
  CHECK(r.counts.empty());
  CHECK(r.memory.empty());
}

TEST_CASE("a circuit without clbits has no counts", "[simulator][executor]") {
  CircuitBuilder b({{"q", 2}});
  b.gate("h", {}, {0});
  const Result r = run_circuit(b.circuit(), shots(100));
  CHECK_FALSE(r.has_counts);
  CHECK(r.counts.empty());
}

TEST_CASE("the global phase multiplies the statevector", "[simulator][executor]") {
  CircuitBuilder b({{"q", 1}});
  b.gate("x", {}, {0}).global_phase(pi / 2);
  RunOptions o = shots(0);
  o.statevector = true;
  o.probabilities = true;
  const Result r = run_circuit(b.circuit(), o);
  REQUIRE(r.statevector.has_value());
  CHECK(std::abs((*r.statevector)[0]) == 0.0);
  CHECK(std::abs((*r.statevector)[1] - Cplx(0, 1)) < 1e-15);
  CHECK((*r.probabilities)[1] == Approx(1.0));
}

TEST_CASE("expectation values of a Bell state", "[simulator][executor]") {
  CircuitBuilder b({{"q", 2}});
  b.gate("h", {}, {0}).gate("cx", {}, {0, 1});
  RunOptions o = shots(0);
  o.observables = {"ZZ", "XX", "YY", "ZI", "IZ", "II", "0.5*ZZ - 2*XX", "-YY + 3 II", "1e-1*XX"};
  const Result r = run_circuit(b.circuit(), o);
  REQUIRE(r.expectation_values.size() == o.observables.size());
  const std::vector<double> want = {1, 1, -1, 0, 0, 1, -1.5, 4, 0.1};
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO(o.observables[i]);
    CHECK(r.expectation_values[i].first == o.observables[i]);
    CHECK(r.expectation_values[i].second == Approx(want[i]).margin(1e-14));
  }
}

TEST_CASE("threads = 0 means the OpenMP default also after an explicit count",
          "[simulator][executor]") {
  // The default: OMP_NUM_THREADS when set, else the CPUs this process may run on.
  int expected = 0;
  if (const char* env = std::getenv("OMP_NUM_THREADS"); env != nullptr && *env != '\0') {
    expected = std::atoi(env);
  } else {
    cpu_set_t set;
    CPU_ZERO(&set);
    REQUIRE(sched_getaffinity(0, sizeof set, &set) == 0);
    expected = CPU_COUNT(&set);
  }
  CircuitBuilder b({{"q", 2}}, {{"c", 2}});
  b.gate("h", {}, {0}).measure(0, 0);
  RunOptions o = shots(10);
  o.threads = expected == 1 ? 2 : 1;  // anything but the default
  CHECK(run_circuit(b.circuit(), o).metadata.threads == o.threads);
  o.threads = 0;
  CHECK(run_circuit(b.circuit(), o).metadata.threads == expected);
}

TEST_CASE("a circuit without gates simulates no qubits", "[simulator][executor]") {
  CircuitBuilder b({{"q", 3}}, {{"c", 3}});
  b.measure(0, 0).measure(2, 2);
  RunOptions o = shots(25);
  o.probabilities = true;
  o.statevector = true;
  o.observables = {"ZZZ - 0.5*XII"};
  const Result r = run_circuit(b.circuit(), o);
  CHECK(r.metadata.simulated_qubits == 0);
  CHECK(r.counts == std::map<std::string, std::uint64_t>{{"000", 25}});
  REQUIRE(r.probabilities.has_value());
  CHECK(*r.probabilities == std::vector<double>{1, 0, 0, 0, 0, 0, 0, 0});
  REQUIRE(r.statevector.has_value());
  CHECK((*r.statevector)[0] == Cplx(1, 0));
  REQUIRE(r.expectation_values.size() == 1);
  CHECK(r.expectation_values[0].second == 1.0);

  // Only classical bits.
  CircuitBuilder c({}, {{"c", 2}});
  CHECK(run_circuit(c.circuit(), shots(4)).counts ==
        std::map<std::string, std::uint64_t>{{"00", 4}});
}
