// CompiledCircuit::execute(ExecuteOptions) and what the CLI takes from the public API, on one
// process: the same bits as the executor's run_circuit (the path `qstate run` took before it used
// the API) for every output, with fusion applied or turned off, timings and statistics in the
// metadata, the memory check, rank selection on one process, describe() / describe_plan(),
// constant_value(), and the collectives (trivial here; tests/mpi/test_mpi_execute.cpp runs them
// under MPI).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <qstate/qstate.hpp>
#include <string>

#include "simulator/executor.hpp"

namespace qs = qstate::api;
using Catch::Matchers::Contains;

namespace {

// QSTATE_FUSION=0 (or off) in the environment turns fusion off for every run.
bool fusion_off_by_environment() {
  const char* v = std::getenv("QSTATE_FUSION");
  return v != nullptr && (std::string(v) == "0" || std::string(v) == "off");
}

// A 7-qubit circuit with runs of gates fusion merges, an idle qubit and final measurements.
qs::Circuit fusible() {
  qs::Circuit c(8, 8);
  for (unsigned q = 0; q < 7; ++q) c.h(q).rz(0.1 * (q + 1), q).ry(0.2 + 0.05 * q, q);
  for (unsigned q = 0; q + 1 < 7; ++q) c.cx(q, q + 1).rz(0.3, q + 1).cx(q, q + 1);
  c.crx(0.7, 6, 0).swap(2, 5).t(3).sx(4);
  for (unsigned q = 0; q < 8; ++q) c.measure(q, q);
  return c;
}

std::vector<std::string> phases(const qstate::Result& r) {
  std::vector<std::string> out;
  for (const auto& [name, seconds] : r.metadata.time_taken) {
    CHECK(seconds >= 0.0);
    out.push_back(name);
  }
  return out;
}

// Every output of two results, bit for bit (metadata timings aside).
void check_same(const qstate::Result& got, const qstate::Result& want) {
  CHECK(got.counts == want.counts);
  CHECK(got.memory == want.memory);
  CHECK(got.has_counts == want.has_counts);
  CHECK(got.shots == want.shots);
  CHECK(got.seed == want.seed);
  REQUIRE(got.probabilities.has_value() == want.probabilities.has_value());
  if (got.probabilities) CHECK(*got.probabilities == *want.probabilities);
  REQUIRE(got.statevector.has_value() == want.statevector.has_value());
  if (got.statevector) CHECK(*got.statevector == *want.statevector);
  CHECK(got.expectation_values == want.expectation_values);
  const qstate::RunMetadata& g = got.metadata;
  const qstate::RunMetadata& w = want.metadata;
  CHECK(g.source == w.source);
  CHECK(g.num_qubits == w.num_qubits);
  CHECK(g.simulated_qubits == w.simulated_qubits);
  CHECK(g.gate_counts == w.gate_counts);
  CHECK(g.gates == w.gates);
  CHECK(g.measurements == w.measurements);
  CHECK(g.depth == w.depth);
  CHECK(g.shot_method == w.shot_method);
  CHECK(g.fusion.enabled == w.fusion.enabled);
  CHECK(g.fusion.gates_out == w.fusion.gates_out);
  CHECK(g.work.passes == w.work.passes);
  CHECK(g.state_bytes == w.state_bytes);
}

qstate::RunOptions run_options(const qs::ExecuteOptions& e) {
  qstate::RunOptions o;
  o.shots = e.shots;
  o.seed = e.seed;
  o.memory = e.memory;
  o.probabilities = e.probabilities;
  o.statevector = e.statevector;
  o.observables = e.observables;
  return o;
}

}  // namespace

TEST_CASE("execute(ExecuteOptions) gives the executor's bits for every output", "[api][execute]") {
  const qs::Circuit c = fusible();
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  qs::ExecuteOptions e;
  e.shots = 700;
  e.seed = 42;
  e.memory = true;
  e.probabilities = true;
  e.statevector = true;
  e.observables = {"ZZZZZZZZ", "0.5*IIIIIIXX - YYIIIIII", "IIIZIIII"};
  const qstate::Result got = prog.execute(e);
  const qstate::Result want = qstate::run_circuit(c.model(), run_options(e));
  check_same(got, want);
  CHECK(got.seed_given);
  CHECK(got.counts.size() > 10);
  CHECK(got.memory.size() == 700);
  CHECK(got.expectation_values.size() == 3);
  // Fusion ran (the circuit has runs to merge), as in the CLI, unless the environment turns it
  // off (scripts/test.sh runs the suite again with QSTATE_FUSION=0).
  if (!fusion_off_by_environment()) {
    CHECK(got.metadata.fusion.enabled);
    CHECK(got.metadata.fusion.gates_out < got.metadata.fusion.gates_in);
  }
  CHECK(got.metadata.simulated_qubits == 7);
  const std::vector<std::string> p = phases(got);
  CHECK(std::find(p.begin(), p.end(), "simulate") != p.end());
  CHECK(std::find(p.begin(), p.end(), "sample") != p.end());
  CHECK(got.metadata.communication.ranks == 1);
}

TEST_CASE("execute(ExecuteOptions) with fusion off matches the executor without fusion",
          "[api][execute]") {
  const qs::Circuit c = fusible();
  qs::SimulatorOptions o;
  o.fusion = false;
  o.precision = qstate::Precision::kSingle;
  qs::Simulator sim(o);
  qs::CompiledCircuit prog = sim.compile(c);
  qs::ExecuteOptions e;
  e.shots = 300;
  e.seed = 5;
  e.probabilities = true;
  const qstate::Result got = prog.execute(e);
  qstate::RunOptions r = run_options(e);
  r.fusion = 0;
  r.precision = qstate::Precision::kSingle;
  const qstate::Result want = qstate::run_circuit(c.model(), r);
  check_same(got, want);
  CHECK_FALSE(got.metadata.fusion.enabled);
  CHECK(got.metadata.precision == "single");
}

TEST_CASE("execute(shots, seed, memory) is execute(ExecuteOptions): fused, the executor's counts",
          "[api][execute]") {
  const qs::Circuit c = fusible();
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  const qstate::Result got = prog.execute(500, 9, true);
  qs::ExecuteOptions e;
  e.shots = 500;
  e.seed = 9;
  e.memory = true;
  check_same(got, qstate::run_circuit(c.model(), run_options(e)));
  if (!fusion_off_by_environment()) CHECK(got.metadata.fusion.enabled);
}

TEST_CASE("execute(ExecuteOptions): a sweep binds and runs without re-planning", "[api][execute]") {
  qs::Circuit c(3, 3);
  c.ry("a", 0)
      .cx(0, 1)
      .rz(qs::Param("b") * 2.0, 1)
      .cx(1, 2)
      .measure(0, 0)
      .measure(1, 1)
      .measure(2, 2);
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  qs::ExecuteOptions e;
  e.shots = 200;
  e.seed = 1;
  e.probabilities = true;
  CHECK_THROWS_WITH(prog.execute(e), Contains("bind values"));
  qs::reset_counters();
  for (double a : {0.0, 0.5, 1.5}) {
    const qstate::Result got = prog.bind(std::vector<double>{a, 0.25}).execute(e);
    qstate::Circuit model = c.model();
    qstate::Program program = qstate::plan_program(model);
    const std::vector<double> values{a, 0.25};
    qstate::bind_parameters(program.ops, values);
    qstate::Result want = qstate::run_program(program, run_options(e));
    CHECK(got.counts == want.counts);
    CHECK(*got.probabilities == *want.probabilities);
  }
  CHECK(qs::counters().plans == 0);
  CHECK(qs::counters().binds == 3);
}

TEST_CASE("execute(ExecuteOptions) on a dynamic circuit: counts yes, final-state outputs no",
          "[api][execute]") {
  const qs::Circuit c = qs::Circuit::from_qasm(
      "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[2]; creg c[2]; h q[0]; measure q[0] -> c[0];"
      " if (c == 1) x q[1]; measure q[1] -> c[1];",
      "dyn");
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);
  qs::ExecuteOptions e;
  e.shots = 100;
  e.seed = 3;
  e.memory = true;
  const qstate::Result got = prog.execute(e);
  check_same(got, qstate::run_circuit(c.model(), run_options(e)));
  for (const auto& [key, n] : got.counts) CHECK((key == "00" || key == "11"));
  e.probabilities = true;
  CHECK_THROWS_WITH(prog.execute(e), Contains("--probabilities: this circuit's measurement"));
  CHECK_THROWS_WITH(prog.check_memory(e), Contains("no single final state"));
}

TEST_CASE(
    "execute(ExecuteOptions) and check_memory refuse what does not fit, with the CLI's message",
    "[api][execute]") {
  qs::Circuit c(34);
  for (unsigned q = 0; q < 34; ++q) c.h(q);
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(c);  // compiling allocates nothing and checks nothing
  const char* before = std::getenv("QSTATE_MEMORY_LIMIT");
  const std::string saved = before ? before : "";
  setenv("QSTATE_MEMORY_LIMIT", "1G", 1);
  qs::ExecuteOptions e;
  e.shots = 10;
  e.seed = 1;
  CHECK_THROWS_WITH(prog.check_memory(e), Contains("not enough memory: 34 qubits in double"));
  CHECK_THROWS_WITH(prog.execute(e), Contains("not enough memory: 34 qubits in double"));
  CHECK_THROWS_WITH(prog.run(), Contains("not enough memory"));
  e.observables = {"Z"};
  CHECK_THROWS_WITH(prog.check_memory(e), Contains("one letter"));
  if (before) {
    setenv("QSTATE_MEMORY_LIMIT", saved.c_str(), 1);
  } else {
    unsetenv("QSTATE_MEMORY_LIMIT");
  }
  qs::Circuit small(2);
  small.h(0);
  qs::CompiledCircuit ok = sim.compile(small);
  CHECK_NOTHROW(ok.check_memory({}));
}

TEST_CASE("rank selection on one process: every run uses the one rank", "[api][execute]") {
  for (qs::RankUse use : {qs::RankUse::kAll, qs::RankUse::kLargestPowerOfTwo}) {
    qs::SimulatorOptions o;
    o.rank_use = use;
    qs::Simulator sim(o);
    qs::Circuit c(3);
    c.h(0).cx(0, 1).cx(1, 2);
    qs::CompiledCircuit prog = sim.compile(c);
    CHECK(prog.ranks_used() == 1);
    CHECK(prog.runs_here());
    CHECK(prog.unused_ranks_note().empty());
    CHECK(prog.run().probabilities()[7] == Approx(0.5));
  }
}

TEST_CASE("describe and describe_plan: what qstate info prints", "[api][execute]") {
  const qs::Circuit c = qs::Circuit::from_qasm(
      "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[5]; creg c[2]; h q[0]; cx q[0],q[1];"
      " ccx q[0],q[1],q[3]; barrier q; measure q[0] -> c[0]; measure q[3] -> c[1];",
      "five");
  const qs::CircuitInfo info = qs::describe(c);
  CHECK(info.source == "five");
  CHECK(info.qubits == 5);
  CHECK(info.simulated_qubits == 3);  // q[2] and q[4] are idle
  CHECK(info.clbits == 2);
  CHECK(info.stats.gates == 3);
  CHECK(info.stats.measurements == 2);
  CHECK(info.stats.barriers == 1);
  CHECK(info.stats.gate_counts.at("ccx") == 1);
  CHECK(info.written_counts.at("cx") == 1);
  CHECK_FALSE(info.dynamic);
  CHECK(info.double_bytes == 8 * 16);
  CHECK(info.single_bytes == 8 * 8);
  CHECK(info.available_bytes > 0);
  CHECK(info.qregs.size() == 1);

  const qs::DistributionInfo d = qs::describe_plan(c, 2, qstate::Precision::kSingle);
  CHECK(d.ranks_requested == 2);
  CHECK(d.ranks == 2);  // controls may be global: the ccx needs one local qubit
  CHECK(d.local_qubits == 2);
  CHECK(d.precision == "single");
  CHECK(d.slice_bytes == 4 * 8);
  qs::Circuit one(1);
  one.h(0);
  const qs::DistributionInfo o = qs::describe_plan(one, 4, qstate::Precision::kDouble);
  CHECK(o.ranks_requested == 4);
  CHECK(o.ranks == 1);  // an H needs its qubit local: one qubit cannot be split
  CHECK(o.local_qubits == 1);
  CHECK_THROWS_WITH(qs::describe_plan(c, 3, qstate::Precision::kDouble),
                    Contains("--ranks 3: a run needs a power-of-two number of ranks"));

  qs::Circuit wide(12);
  for (unsigned q = 0; q < 12; ++q) wide.h(q);
  const qs::DistributionInfo w = qs::describe_plan(wide, 4, qstate::Precision::kDouble, 4096);
  CHECK(w.ranks == 4);
  CHECK(w.local_qubits == 10);
  CHECK(w.slice_bytes == (std::uint64_t{1} << 10) * 16);
  CHECK(w.buffer_bytes == 4096);
  CHECK(w.remaps >= 1);
  CHECK(w.bytes_sent > 0);
}

TEST_CASE("constant_value, format_bytes and available_memory_bytes", "[api][execute]") {
  CHECK(qs::constant_value("0.25", "x") == 0.25);
  CHECK(qs::constant_value("pi/4", "x") == Approx(0.7853981633974483));
  CHECK(qs::constant_value("-2*pi/3", "x") == Approx(-2.0943951023931953));
  CHECK_THROWS_AS(qs::constant_value("banana", "--param theta=banana"), qstate::Error);
  CHECK(qs::format_bytes(100) == "100 bytes");
  CHECK(qs::format_bytes(std::uint64_t{3} << 29) == "1.50 GiB");
  CHECK(qs::available_memory_bytes() > 0);
}

TEST_CASE("collectives on one process: agree, agreed, share, draw_seed", "[api][execute]") {
  qs::Simulator sim;
  CHECK_NOTHROW(sim.agree(""));
  CHECK_THROWS_WITH(sim.agree("broken"), "broken");
  CHECK(sim.agreed([] { return 7; }) == 7);
  CHECK_THROWS_WITH(sim.agreed([]() -> int { throw qstate::Error("bad input"); }), "bad input");
  CHECK_THROWS_WITH(sim.agreed([] { throw std::bad_alloc(); }), "out of memory");
  CHECK(sim.share(12345) == 12345);
  const std::uint64_t a = sim.draw_seed();
  const std::uint64_t b = sim.draw_seed();
  CHECK(a < (std::uint64_t{1} << 53));
  CHECK(a != b);  // equal with probability 2^-53
}
