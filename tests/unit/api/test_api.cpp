// The public API (qstate/qstate.hpp) on one process: circuits built in code and from OpenQASM,
// parameter expressions and binding without re-planning or re-allocating (counted), every State
// reader against the executor and analytic values, idle qubits, dynamic circuits, errors, and the
// Qiskit result JSON.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <qstate/qiskit.hpp>
#include <qstate/qstate.hpp>

#include "simulator/executor.hpp"

namespace qs = qstate::api;
using Catch::Matchers::Contains;
using std::numbers::pi;

namespace {

qs::Circuit ansatz(unsigned n) {
  qs::Circuit c(n);
  for (unsigned q = 0; q < n; ++q) c.ry(qs::Param("t" + std::to_string(q)), q);
  for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
  for (unsigned q = 0; q < n; ++q) c.rz(2.0 * qs::Param("t" + std::to_string(q)) + 0.1, q);
  return c;
}

std::vector<qstate::Complex> executor_statevector(const qs::Circuit& c) {
  qstate::RunOptions o;
  o.shots = 0;
  o.statevector = true;
  return *qstate::run_circuit(c.model(), o).statevector;
}

}  // namespace

TEST_CASE("Param arithmetic and evaluation", "[api]") {
  const qs::Param p = 2.0 * qs::Param("a") - qs::Param("b") / 2.0 + 0.5;
  CHECK(p.evaluate({{"a", 1.0}, {"b", 4.0}}) == Approx(0.5));
  CHECK_FALSE(p.is_constant());
  CHECK(qs::Param(3.0).is_constant());
  CHECK((qs::Param("a") - qs::Param("a")).is_constant());
  CHECK(p.to_string() == "2*a - 0.5*b + 0.5");
  CHECK_THROWS_WITH(p.evaluate({{"a", 1.0}}), Contains("'b' has no value"));
  CHECK_THROWS_AS(qs::Param(std::string()), qstate::Error);
}

TEST_CASE("A circuit built in code matches the executor's state", "[api]") {
  qs::Circuit c(3);
  c.h(0).cx(0, 1).ry(0.3, 2).crz(0.7, 2, 0).u(0.1, 0.2, 0.3, 1).swap(0, 2).ccx(0, 1, 2).t(1);
  c.gate("rzz", {0, 2}, {0.4}).sdg(0).sx(1).p(0.25, 2).cp(0.5, 0, 1).rxx(0.2, 1, 2);
  c.cy(0, 2).cz(1, 0).ch(2, 1).cswap(0, 1, 2).rx(1.1, 0).y(1).z(2).x(0).s(1).tdg(2).sxdg(0);
  c.crx(0.3, 1, 0).cry(0.4, 2, 1).id(0);
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  const std::vector<qstate::Complex> got = prog.run().statevector();
  const std::vector<qstate::Complex> want = executor_statevector(c);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(std::abs(got[i] - want[i]) < 1e-12);
  for (std::size_t i = 0; i < got.size(); ++i)
    CHECK(std::abs(prog.state().amplitude(i) - want[i]) < 1e-12);
  CHECK(qs::Circuit::gate_names().size() > 40);
}

TEST_CASE("Binding re-uses the plan and the state", "[api]") {
  const qs::Circuit c = ansatz(4);
  CHECK(c.parameters() == std::vector<std::string>{"t0", "t1", "t2", "t3"});
  qs::Simulator sim;
  qs::reset_counters();
  qs::CompiledCircuit prog = sim.compile(c);
  CHECK(qs::counters().plans == 1);
  for (int i = 0; i < 50; ++i) {
    const double t = 0.1 * i;
    prog.bind({{"t0", t}, {"t1", -t}, {"t2", 2 * t}, {"t3", 0.5}}).run();
    // Same as a fresh circuit with the numbers in place of the symbols.
    qs::Circuit fixed(4);
    const double v[4] = {t, -t, 2 * t, 0.5};
    for (unsigned q = 0; q < 4; ++q) fixed.ry(v[q], q);
    for (unsigned q = 0; q < 3; ++q) fixed.cx(q, q + 1);
    for (unsigned q = 0; q < 4; ++q) fixed.rz(2 * v[q] + 0.1, q);
    const auto want = executor_statevector(fixed);
    const auto got = prog.state().statevector();
    for (std::size_t k = 0; k < got.size(); ++k) REQUIRE(std::abs(got[k] - want[k]) < 1e-12);
  }
  const qs::Counters n = qs::counters();
  CHECK(n.plans == 1);
  CHECK(n.parses == 0);
  CHECK(n.allocations == 1);
  CHECK(n.binds == 50);
  CHECK(n.runs == 50);
  // bind by position, and run(values)
  prog.bind(std::vector<double>{0.0, 0.0, 0.0, 0.0});
  CHECK(prog.run().expectation("ZZZZ") == Approx(1.0));
  CHECK(prog.run({{"t0", pi}, {"t1", 0}, {"t2", 0}, {"t3", 0}}).expectation("IIIZ") ==
        Approx(-1.0));
}

TEST_CASE("Expectation values, batched and against analytic values", "[api]") {
  qs::Circuit c(2);
  c.ry("theta", 0).cx(0, 1);
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  const double theta = 0.7;
  qs::State& s = prog.run({{"theta", theta}});
  // |psi> = cos(t/2)|00> + sin(t/2)|11>
  CHECK(s.expectation("ZZ") == Approx(1.0));
  CHECK(s.expectation("IZ") == Approx(std::cos(theta)));
  CHECK(s.expectation("XX") == Approx(std::sin(theta)));
  CHECK(s.expectation("YY") == Approx(-std::sin(theta)));
  CHECK(s.expectation("0.5*II - 2*XX") == Approx(0.5 - 2 * std::sin(theta)));
  const qs::PauliSum h({{"ZZ", 0.5}, {"XX", -1.0}, {"II", 2.0}});
  CHECK(s.expectation(h) == Approx(0.5 - std::sin(theta) + 2.0));
  const std::vector<double> many = s.expectations({"ZI", "IZ", h, "XX + ZI"});
  REQUIRE(many.size() == 4);
  CHECK(many[0] == Approx(std::cos(theta)));
  CHECK(many[2] == Approx(0.5 - std::sin(theta) + 2.0));
  CHECK(many[3] == Approx(std::sin(theta) + std::cos(theta)));
  CHECK_THROWS_WITH(s.expectation("ZZZ"), Contains("declares 2 qubits"));
  CHECK_THROWS_WITH(s.expectation(qs::PauliSum()), Contains("no terms"));
  CHECK_THROWS_AS(qs::PauliSum("ZQ"), qstate::Error);
  CHECK_THROWS_AS(qs::PauliSum().add("ZZ").add("Z"), qstate::Error);
}

TEST_CASE("Marginal probabilities, amplitudes, samples, counts", "[api]") {
  qs::Circuit c(3);
  c.h(0).cx(0, 2).ry(0.4, 1);
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  qs::State& s = prog.run();
  const std::vector<double> all = s.probabilities();
  REQUIRE(all.size() == 8);
  const double c2 = std::pow(std::cos(0.2), 2), s2 = std::pow(std::sin(0.2), 2);
  CHECK(all[0b000] == Approx(0.5 * c2));
  CHECK(all[0b101] == Approx(0.5 * c2));
  CHECK(all[0b111] == Approx(0.5 * s2));
  const std::vector<double> m = s.probabilities({2, 1});  // bit 0 = qubit 2, bit 1 = qubit 1
  CHECK(m[0b00] == Approx(0.5 * c2));
  CHECK(m[0b01] == Approx(0.5 * c2));
  CHECK(m[0b10] == Approx(0.5 * s2));
  CHECK(m[0b11] == Approx(0.5 * s2));
  const std::vector<double> permuted = s.probabilities({2, 0, 1});  // all qubits, reordered
  for (unsigned i = 0; i < 8; ++i) {
    const unsigned q2 = i & 1U, q0 = (i >> 1) & 1U, q1 = (i >> 2) & 1U;
    CHECK(permuted[i] == all[q0 | (q1 << 1) | (q2 << 2)]);
  }
  CHECK_THROWS_WITH(s.probabilities(std::vector<unsigned>(27, 0)), Contains("named twice"));
  CHECK(s.amplitude(0b101).real() == Approx(std::sqrt(0.5) * std::cos(0.2)));
  CHECK_THROWS_AS(s.amplitude(8), qstate::Error);
  CHECK_THROWS_AS(s.probabilities({3}), qstate::Error);
  CHECK_THROWS_AS(s.probabilities({0, 0}), qstate::Error);
  const auto samples = s.sample(2000, 11);
  CHECK(samples == s.sample(2000, 11));
  for (auto x : samples) CHECK(((x & 1U) == ((x >> 2) & 1U)));
  const auto counts = s.counts(2000, 11, {0, 2});
  CHECK(counts.size() == 2);
  CHECK(counts.at("00") + counts.at("11") == 2000);
}

TEST_CASE("Idle qubits read |0> and keep declared numbering", "[api]") {
  qs::Circuit c(4);
  c.h(1).cx(1, 3);  // qubits 0 and 2 idle
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  CHECK(prog.simulated_qubits() == 2);
  qs::State& s = prog.run();
  CHECK(s.num_qubits() == 4);
  CHECK(s.statevector().size() == 16);
  CHECK(std::abs(s.amplitude(0b1010)) == Approx(std::sqrt(0.5)));
  CHECK(std::abs(s.amplitude(0b1011)) == 0.0);
  CHECK(s.expectation("ZIZZ") == Approx(1.0));  // Z on qubits 3, 1 and idle qubit 0
  CHECK(s.expectation("IIIX") == Approx(0.0));
  CHECK(s.probabilities({0, 1})[0b10] == Approx(0.5));
  const std::vector<double> all = s.probabilities();
  REQUIRE(all.size() == 16);
  CHECK(all[0b1010] == Approx(0.5));
  CHECK(all[0] == Approx(0.5));
  CHECK(s.probabilities({3, 1})[0b11] == Approx(0.5));
  for (auto x : s.sample(100, 3)) CHECK((x == 0 || x == 0b1010));
}

TEST_CASE("execute: Qiskit-keyed counts, same as the CLI engine", "[api]") {
  qs::Circuit c(2, 2);
  c.h(0).cx(0, 1).measure(0, 0).measure(1, 1);
  qs::Simulator sim;
  const qstate::Result r = sim.execute(c, 1000, 7, {}, true);
  qstate::RunOptions o;
  o.shots = 1000;
  o.seed = 7;
  o.memory = true;
  const qstate::Result want = qstate::run_circuit(c.model(), o);
  CHECK(r.counts == want.counts);
  CHECK(r.memory == want.memory);
  CHECK(r.seed == 7);

  // measure_all adds a register "meas"
  qs::Circuit d(2);
  d.x(1).measure_all();
  CHECK(sim.execute(d, 10, 1).counts == std::map<std::string, std::uint64_t>{{"10", 10}});
}

TEST_CASE("Dynamic circuits: execute runs per shot, run() refuses", "[api]") {
  const qs::Circuit c = qs::Circuit::from_qasm(
      "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nh q[0];\n"
      "measure q[0] -> c[0];\nif (c==1) x q[0];\nmeasure q[0] -> c[0];\n");
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  CHECK(prog.is_dynamic());
  CHECK_THROWS_WITH(prog.run(), Contains("no single final state"));
  const qstate::Result r = prog.execute(200, 5);
  CHECK(r.counts == std::map<std::string, std::uint64_t>{{"0", 200}});
}

TEST_CASE("Loading OpenQASM; errors for user mistakes", "[api]") {
  qs::reset_counters();
  const qs::Circuit c = qs::Circuit::from_qasm(
      "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n", "bell");
  CHECK(qs::counters().parses == 1);
  CHECK(c.num_qubits() == 2);
  CHECK(c.name() == "bell");
  CHECK_THROWS_WITH(qs::Circuit::from_qasm("OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n", "bad"),
                    Contains("bad:3:"));
  CHECK_THROWS_AS(qs::Circuit::from_file("/nonexistent.qasm"), qstate::Error);

  qs::Circuit e(2);
  CHECK_THROWS_WITH(e.gate("nope", {0}), Contains("unknown gate"));
  CHECK_THROWS_WITH(e.gate("cx", {0}), Contains("takes 0 parameter(s) and 2 qubit(s)"));
  CHECK_THROWS_WITH(e.cx(0, 0), Contains("twice"));
  CHECK_THROWS_WITH(e.h(2), Contains("out of range"));
  CHECK_THROWS_WITH(e.measure(0, 0), Contains("clbit 0 is out of range"));
  CHECK_THROWS_WITH(e.unitary({1, 0, 0, 2}, {0}), Contains("not unitary"));
  e.unitary({0, 1, 1, 0}, {1}, "myx");
  e.rx("a", 0);
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(e);
  CHECK_THROWS_WITH(prog.run(), Contains("bind values"));
  CHECK_THROWS_WITH(prog.state(), Contains("has not run"));
  CHECK_THROWS_WITH(prog.bind({{"b", 1.0}}), Contains("'a' has no value"));
  CHECK_THROWS_WITH(prog.bind({{"a", 1.0}, {"b", 1.0}}), Contains("no parameter 'b'"));
  CHECK_THROWS_WITH(prog.bind(std::vector<double>{1.0, 2.0}), Contains("1 parameter(s)"));
  CHECK(prog.bind({{"a", pi}}).run().expectation("ZZ") == Approx(1.0));  // X on 1, RX(pi) on 0
}

TEST_CASE("Single precision and the global phase", "[api]") {
  qs::SimulatorOptions o;
  o.precision = qstate::Precision::kSingle;
  o.threads = 1;
  qs::Simulator sim(o);
  CHECK(sim.ranks() == 1);
  CHECK(sim.rank() == 0);
  CHECK(sim.is_root());
  qs::Circuit c(1);
  c.h(0).set_global_phase(pi / 2);
  qs::CompiledCircuit prog = sim.compile(c);
  qs::State& s = prog.run();
  CHECK(s.precision() == qstate::Precision::kSingle);
  CHECK(s.memory_bytes() == 16);
  CHECK(s.amplitude(0).imag() == Approx(std::sqrt(0.5)).epsilon(1e-6));
  CHECK(s.probabilities()[1] == Approx(0.5).epsilon(1e-6));
}

TEST_CASE("Qiskit result JSON", "[api]") {
  qs::Circuit c = qs::Circuit::from_qasm(
      "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg a[1];\ncreg b[2];\nx q[0];\n"
      "x q[2];\nmeasure q[0] -> a[0];\nmeasure q[1] -> b[0];\nmeasure q[2] -> b[1];\n",
      "regs");
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  const qstate::Result r = prog.execute(5, 3, true);
  CHECK(r.counts == std::map<std::string, std::uint64_t>{{"10 1", 5}});
  const auto j = nlohmann::json::parse(qstate::to_qiskit_json(r, prog.qregs(), prog.cregs()));
  CHECK(j["backend_name"] == "qstate_simulator");
  CHECK(j["success"] == true);
  const auto& e = j["results"][0];
  CHECK(e["shots"] == 5);
  CHECK(e["seed_simulator"] == 3);
  CHECK(e["data"]["counts"]["0x5"] == 5);  // b=10, a=1 -> 0b101
  CHECK(e["data"]["memory"].size() == 5);
  CHECK(e["header"]["creg_sizes"] == nlohmann::json::parse(R"([["a",1],["b",2]])"));
  CHECK(e["header"]["memory_slots"] == 3);
  CHECK(e["header"]["n_qubits"] == 3);
  CHECK(e["metadata"]["mpi_ranks"] == 1);
  CHECK(qstate::counts_key_to_hex("0000") == "0x0");
  CHECK(qstate::counts_key_to_hex("1 0000 0001") == "0x101");
  CHECK(qstate::counts_key_to_hex(
            "11111111111111111111111111111111111111111111111111111111111111111") ==
        "0x1ffffffffffffffff");
}

TEST_CASE("Strings sharing an X mask share a pass, with the engine's bits", "[api]") {
  qs::Circuit c(5);
  for (unsigned q = 0; q < 5; ++q) c.ry(0.3 + 0.2 * q, q).rz(0.1 * q, q);
  for (unsigned q = 0; q + 1 < 5; ++q) c.cx(q, q + 1);
  c.swap(0, 4).h(2);  // a relabelled layout, and some phases
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  qs::State& s = prog.run();
  // All 4^3 strings on qubits 0..2 with Z or I on 3 and 4: many share an X mask.
  std::vector<qs::PauliSum> singles;
  const char letters[] = "IXYZ";
  for (int a = 0; a < 64; ++a)
    for (const char* high : {"II", "ZI", "IZ", "ZZ"}) {
      std::string label = high;
      label += letters[(a >> 4) & 3];
      label += letters[(a >> 2) & 3];
      label += letters[a & 3];
      singles.emplace_back(qs::PauliSum().add(label, 1.0));
    }
  const std::vector<double> grouped = s.expectations(singles);
  REQUIRE(grouped.size() == singles.size());
  for (std::size_t i = 0; i < singles.size(); ++i) {
    INFO(singles[i].to_string());
    CHECK(grouped[i] == s.expectation(singles[i]));  // one string: the engine's kernel; same bits
  }
  // A sum of them equals the sum of its terms.
  qs::PauliSum all;
  double want = 0;
  for (std::size_t i = 0; i < singles.size(); ++i) {
    all.add(singles[i].terms()[0].second, 0.01 * static_cast<double>(i));
    want += 0.01 * static_cast<double>(i) * grouped[i];
  }
  CHECK(s.expectation(all) == Approx(want).margin(1e-12));
}
