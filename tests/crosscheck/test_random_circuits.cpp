// Seeded random circuits against the dense reference: static circuits of depth 30 on 6-8 qubits
// over every standard gate (built directly, and as OpenQASM 2 text through the parser) compared
// amplitude by amplitude (1e-10 in double, 1e-5 in single precision); Pauli-sum expectation
// values from run_circuit against the reference's; and dynamic random circuits (mid-circuit
// measurement, reset, if) whose counts must follow the exact outcome distribution.
#include <catch2/catch.hpp>
#include <cmath>

#include "circuits/qasm/qasm.hpp"
#include "simulator/executor.hpp"
#include "tests/support/random_circuits.hpp"
#include "tests/support/reference.hpp"

using qstate::test::RandomCircuitOptions;
using qstate::test::Reference;

namespace {

qstate::Result run_state(const qstate::Circuit& c, qstate::Precision precision) {
  qstate::RunOptions o;
  o.shots = 0;
  o.statevector = true;
  o.probabilities = true;
  o.precision = precision;
  return qstate::run_circuit(c, o);
}

RandomCircuitOptions static_options(unsigned n, bool all_names) {
  RandomCircuitOptions o;
  o.num_qubits = n;
  o.depth = 30;
  o.num_qregs = 2;
  o.num_cregs = 2;
  o.barrier_rate = 0.05;
  if (all_names) o.gates = qstate::test::all_standard_gate_names();
  return o;
}

}  // namespace

TEST_CASE("random static circuits match the reference amplitude by amplitude", "[random]") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const unsigned n = 6 + static_cast<unsigned>(seed % 3);
    DYNAMIC_SECTION("seed " << seed << ", " << n << " qubits") {
      const qstate::test::RandomCircuit rc =
          qstate::test::random_circuit(seed, static_options(n, true));
      Reference ref(n);
      ref.apply_circuit(rc.circuit);
      const qstate::Result d = run_state(rc.circuit, qstate::Precision::kDouble);
      const qstate::Result f = run_state(rc.circuit, qstate::Precision::kSingle);
      CHECK(qstate::test::max_abs_diff(ref.amplitudes(), *d.statevector) <= 1e-10);
      CHECK(qstate::test::max_abs_diff(ref.amplitudes(), *f.statevector) <= 1e-5);
      CHECK(qstate::test::max_abs_diff(std::span<const double>(ref.probabilities()),
                                       std::span<const double>(*d.probabilities)) <= 1e-10);
    }
  }
}

TEST_CASE("random static circuits written as OpenQASM 2 match the reference", "[random]") {
  for (std::uint64_t seed = 101; seed <= 108; ++seed) {
    const unsigned n = 6 + static_cast<unsigned>(seed % 3);
    DYNAMIC_SECTION("seed " << seed << ", " << n << " qubits") {
      const qstate::test::RandomCircuit rc =
          qstate::test::random_circuit(seed, static_options(n, false));
      INFO(rc.qasm);
      qstate::Circuit parsed;
      REQUIRE_NOTHROW(parsed = qstate::qasm::parse_string(rc.qasm, "random"));
      REQUIRE(parsed.num_qubits == n);
      REQUIRE(parsed.num_clbits == n);
      Reference ref(n);
      ref.apply_circuit(rc.circuit);
      const qstate::Result d = run_state(parsed, qstate::Precision::kDouble);
      CHECK(qstate::test::max_abs_diff(ref.amplitudes(), *d.statevector) <= 1e-10);
    }
  }
}

TEST_CASE("Pauli expectation values of random circuits match the reference", "[random]") {
  for (std::uint64_t seed = 201; seed <= 206; ++seed) {
    const unsigned n = 6 + static_cast<unsigned>(seed % 3);
    DYNAMIC_SECTION("seed " << seed) {
      const qstate::test::RandomCircuit rc =
          qstate::test::random_circuit(seed, static_options(n, true));
      Reference ref(n);
      ref.apply_circuit(rc.circuit);
      qstate::test::SeededRandom rng(seed);
      std::vector<std::string> labels;
      qstate::RunOptions o;
      o.shots = 0;
      std::vector<double> want;
      for (int k = 0; k < 12; ++k) {
        std::string label;
        for (unsigned q = 0; q < n; ++q) label.push_back("IXYZ"[rng.below(4)]);
        labels.push_back(label);
        o.observables.push_back(label);
        want.push_back(ref.expectation(label));
      }
      // A weighted sum of three of them.
      o.observables.push_back("0.5*" + labels[0] + " - 1.25*" + labels[1] + " + " + labels[2]);
      want.push_back(0.5 * want[0] - 1.25 * want[1] + want[2]);
      const qstate::Result r = qstate::run_circuit(rc.circuit, o);
      REQUIRE(r.expectation_values.size() == want.size());
      for (std::size_t i = 0; i < want.size(); ++i) {
        INFO(o.observables[i]);
        CHECK(r.expectation_values[i].second == Approx(want[i]).margin(1e-10));
      }
      o.precision = qstate::Precision::kSingle;
      const qstate::Result rf = qstate::run_circuit(rc.circuit, o);
      for (std::size_t i = 0; i < want.size(); ++i)
        CHECK(rf.expectation_values[i].second == Approx(want[i]).margin(1e-5));
    }
  }
}

TEST_CASE("random dynamic circuits follow the exact outcome distribution", "[random]") {
  constexpr std::uint64_t kShots = 3000;
  for (std::uint64_t seed = 301; seed <= 308; ++seed) {
    DYNAMIC_SECTION("seed " << seed) {
      RandomCircuitOptions o;
      o.num_qubits = 4;
      o.depth = 16;
      o.num_cregs = 2;
      o.mid_measure_rate = 0.15;
      o.reset_rate = 0.08;
      o.conditional_rate = 0.3;
      const qstate::test::RandomCircuit rc = qstate::test::random_circuit(seed, o);
      INFO(rc.qasm);
      const std::map<std::string, double> exact = qstate::test::outcome_distribution(rc.circuit);
      for (bool through_parser : {false, true}) {
        const qstate::Circuit c =
            through_parser ? qstate::qasm::parse_string(rc.qasm, "random") : rc.circuit;
        qstate::RunOptions ro;
        ro.shots = kShots;
        ro.seed = seed;
        const qstate::Result r = qstate::run_circuit(c, ro);
        INFO((through_parser ? "parsed" : "built") << ", " << r.metadata.shot_method);
        std::uint64_t sum = 0;
        for (const auto& [key, count] : r.counts) {
          sum += count;
          INFO("outcome " << key);
          CHECK(exact.count(key) == 1);
        }
        CHECK(sum == kShots);
        for (const auto& [key, p] : exact) {
          const double expected = p * static_cast<double>(kShots);
          const auto it = r.counts.find(key);
          const double got = it == r.counts.end() ? 0.0 : static_cast<double>(it->second);
          INFO("outcome " << key << " p = " << p);
          CHECK(std::abs(got - expected) <= 6 * std::sqrt(expected * (1 - p)) + 3);
        }
      }
    }
  }
}

TEST_CASE("random circuit generator is deterministic in its seed", "[random]") {
  RandomCircuitOptions o;
  o.num_qubits = 7;
  o.depth = 50;
  o.mid_measure_rate = 0.1;
  o.reset_rate = 0.1;
  o.conditional_rate = 0.2;
  o.barrier_rate = 0.1;
  o.num_qregs = 3;
  o.num_cregs = 2;
  const auto a = qstate::test::random_circuit(9, o);
  const auto b = qstate::test::random_circuit(9, o);
  const auto c = qstate::test::random_circuit(10, o);
  CHECK(a.qasm == b.qasm);
  CHECK(a.qasm != c.qasm);
  CHECK(a.circuit.ops.size() == b.circuit.ops.size());
  CHECK(a.circuit.num_qubits == 7);
  CHECK(a.circuit.qregs.size() == 3);
  CHECK(a.circuit.cregs.size() == 2);
  // The first draws of the generator are pinned: a change of the stream breaks the MPI tests'
  // cross-run comparisons, so it must be deliberate.
  // (xoshiro256** seeded through splitmix64, computed independently.)
  qstate::test::SeededRandom rng(1);
  CHECK(rng.next() == 12966619160104079557ULL);
  CHECK(rng.next() == 9600361134598540522ULL);
  CHECK(rng.next() == 10590380919521690900ULL);
}
