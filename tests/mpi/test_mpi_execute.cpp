// CompiledCircuit::execute(ExecuteOptions) under MPI (run at 1, 2 and 4 ranks): with
// RankUse::kLargestPowerOfTwo (what `qstate run` does) the same ranks, the same bits and the same
// communication as the executor on Communicator::first(k) (the CLI's path before it used the
// API), the ranks left out idle with an empty Result; with RankUse::kAll the same bits on every
// rank; user errors, memory failures on one rank and Simulator::agreed agreed by every rank;
// a drawn seed shared.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <qstate/qstate.hpp>

#include "circuits/passes/distribute.hpp"
#include "circuits/passes/program.hpp"
#include "tests/mpi/mpi_support.hpp"

namespace qs = qstate::api;
using Catch::Matchers::Contains;
using qstate::test::world;

namespace {

// n qubits, all touched, final measurements; `wide` adds a gate on 3 qubits (so a state of n
// qubits can use at most 2^(n-3) ranks).
qs::Circuit circuit(unsigned n, bool wide) {
  qs::Circuit c(n, n);
  for (unsigned q = 0; q < n; ++q) c.h(q).rz(0.2 * (q + 1), q);
  for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1).ry(0.3, q);
  if (wide) c.ccx(0, 1, n - 1);
  c.crx(0.7, n - 1, 0).swap(0, n - 1);
  for (unsigned q = 0; q < n; ++q) c.measure(q, q);
  return c;
}

qs::ExecuteOptions outputs() {
  qs::ExecuteOptions e;
  e.shots = 400;
  e.seed = 17;
  e.memory = true;
  e.probabilities = true;
  e.statevector = true;
  return e;
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

std::string observable(unsigned n) {
  std::string zz(n, 'I');
  zz[0] = 'Z';
  zz[n - 1] = 'Z';
  return "0.5*" + zz + " - " + std::string(n, 'X');
}

}  // namespace

TEST_CASE("execute: the largest usable power of two of ranks, the executor's bits", "[execute]") {
  const int size = world().size();
  for (const auto& [n, wide] : {std::pair{6u, false}, std::pair{4u, true}, std::pair{3u, true}}) {
    INFO("qubits " << n << (wide ? " with a 3-qubit gate" : ""));
    qs::SimulatorOptions o;
    o.rank_use = qs::RankUse::kLargestPowerOfTwo;
    o.threads = 1;
    qs::Simulator sim(o);
    const qs::Circuit c = circuit(n, wide);
    qs::CompiledCircuit prog = sim.compile(c);
    const int want_ranks = qstate::usable_ranks(qstate::plan_program(c.model()), size);
    CHECK(prog.ranks_used() == want_ranks);
    CHECK(prog.runs_here() == (world().rank() < want_ranks));
    if (want_ranks < size) {
      CHECK_THAT(prog.unused_ranks_note(), Contains("running on " + std::to_string(want_ranks) +
                                                    " of " + std::to_string(size) + " ranks"));
      CHECK_THROWS_WITH(prog.run(), Contains("RankUse::kLargestPowerOfTwo"));
    } else {
      CHECK(prog.unused_ranks_note().empty());
    }
    qs::ExecuteOptions e = outputs();
    e.observables = {observable(n)};
    const qstate::Result got = prog.execute(e);
    qstate::RunOptions ro = run_options(e);
    ro.threads = 1;
    const qstate::test::MpiRun want = qstate::test::run_distributed(c.model(), ro);
    REQUIRE(want.member == prog.runs_here());
    if (!prog.runs_here()) {
      CHECK(got.counts.empty());
      CHECK(got.metadata.source.empty());
      continue;
    }
    CHECK(qstate::test::digest(got) == qstate::test::digest(want.result));
    CHECK(got.counts == want.result.counts);
    CHECK(got.memory == want.result.memory);
    CHECK(got.expectation_values == want.result.expectation_values);
    CHECK(got.metadata.communication.ranks == want_ranks);
    CHECK(got.metadata.communication.remaps == want.result.metadata.communication.remaps);
    CHECK(got.metadata.communication.bytes_sent == want.result.metadata.communication.bytes_sent);
    CHECK(got.metadata.fusion.enabled == want.result.metadata.fusion.enabled);
    CHECK(got.metadata.gates == want.result.metadata.gates);
    if (world().rank() == 0) {
      REQUIRE(got.probabilities.has_value());
      CHECK(*got.probabilities == *want.result.probabilities);
      CHECK(*got.statevector == *want.result.statevector);
    }
  }
}

TEST_CASE("execute: RankUse::kAll gives every rank the bits of one process", "[execute]") {
  qs::Simulator sim;  // split over all ranks when the circuit can use them, else a copy each
  const qs::Circuit c = circuit(5, false);
  qs::CompiledCircuit prog = sim.compile(c);
  CHECK(prog.ranks_used() == world().size());
  CHECK(prog.runs_here());
  qs::ExecuteOptions e = outputs();
  e.observables = {observable(5)};
  const qstate::Result got = prog.execute(e);
  const qstate::Result one = qstate::run_circuit(c.model(), run_options(e));
  CHECK(got.counts == one.counts);
  CHECK(got.memory == one.memory);
  CHECK(got.expectation_values == one.expectation_values);
  if (world().rank() == 0) CHECK(*got.probabilities == *one.probabilities);
  // A sweep: bind and execute again, no re-planning.
  qs::Circuit p(4, 4);
  p.ry("a", 0).cx(0, 1).cx(1, 2).rz("b", 2).cx(2, 3).measure_all();
  qs::CompiledCircuit swept = sim.compile(p);
  qs::reset_counters();
  for (double a : {0.1, 0.9}) {
    const qstate::Result r = swept.bind(std::vector<double>{a, 2 * a}).execute(e.shots, 3);
    qstate::Program program = qstate::plan_program(p.model());
    const std::vector<double> values{a, 2 * a};
    qstate::bind_parameters(program.ops, values);
    qstate::RunOptions ro;
    ro.shots = e.shots;
    ro.seed = 3;
    CHECK(r.counts == qstate::run_program(program, ro).counts);
  }
  CHECK(qs::counters().plans == 0);
}

TEST_CASE("execute: errors are thrown on every rank with one message", "[execute]") {
  qs::SimulatorOptions o;
  o.rank_use = qs::RankUse::kLargestPowerOfTwo;
  qs::Simulator sim(o);
  qs::CompiledCircuit prog = sim.compile(circuit(6, false));
  qs::ExecuteOptions e;
  e.seed = 1;
  e.observables = {"ZZ"};  // one letter per declared qubit is needed
  std::string message;
  try {
    sim.agreed([&] { return prog.execute(e); });
  } catch (const qstate::Error& err) {
    message = err.what();
  }
  CHECK_THAT(message, Contains("ZZ"));
  std::string root = message;
  std::vector<char> buffer(4096, 0);
  std::copy(root.begin(), root.end(), buffer.begin());
  world().broadcast(buffer.data(), buffer.size(), 0);
  CHECK(std::string(buffer.data()) == message);

  // Too little memory on the last rank only: every rank fails, with that rank's message.
  const int last = world().size() - 1;
  const char* before = std::getenv("QSTATE_MEMORY_LIMIT");
  const std::string saved = before ? before : "";
  if (world().rank() == last) setenv("QSTATE_MEMORY_LIMIT", "1M", 1);
  qs::ExecuteOptions fine;
  fine.seed = 2;
  std::string memory_message;
  try {
    prog.check_memory(fine);
  } catch (const qstate::Error& err) {
    memory_message = err.what();
  }
  std::string run_message;
  try {
    sim.agreed([&] { return prog.execute(fine); });
  } catch (const qstate::Error& err) {
    run_message = err.what();
  }
  if (world().rank() == last) {
    if (before)
      setenv("QSTATE_MEMORY_LIMIT", saved.c_str(), 1);
    else
      unsetenv("QSTATE_MEMORY_LIMIT");
  }
  CHECK_THAT(memory_message, Contains("not enough memory"));
  CHECK_THAT(run_message, Contains("not enough memory"));

  // An Error on one rank alone, agreed: every rank throws rank 0's... the lowest failing rank's.
  std::string agreed_message;
  try {
    sim.agreed([] {
      if (world().rank() == world().size() - 1)
        throw qstate::Error("rank " + std::to_string(world().rank()) + " failed");
    });
  } catch (const qstate::Error& err) {
    agreed_message = err.what();
  }
  CHECK(agreed_message == "rank " + std::to_string(world().size() - 1) + " failed");
  // And the ranks are still in step.
  CHECK(sim.agreed([] { return 3; }) == 3);
}

TEST_CASE("execute: a drawn seed is the same on every rank", "[execute]") {
  qs::Simulator sim;
  std::uint64_t seed = sim.draw_seed();
  std::uint64_t root = seed;
  world().broadcast(&root, sizeof root, 0);
  CHECK(seed == root);
  CHECK(sim.share(world().rank() + 100) == 100);
  // Without a seed execute() draws one on rank 0 and shares it.
  qs::CompiledCircuit prog = sim.compile(circuit(3, false));
  const qstate::Result r = prog.execute(50);
  std::uint64_t used = r.seed;
  world().broadcast(&used, sizeof used, 0);
  CHECK(r.seed == used);
  CHECK_FALSE(r.seed_given);
}
