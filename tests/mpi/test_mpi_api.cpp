// The public API under MPI (run at 1, 2 and 4 ranks): a compiled circuit's state split across the
// ranks gives every reader the same value on every rank, equal to a full copy on each rank
// (distribute = false); binding does not re-plan or re-allocate; the MPI_Comm overload of
// mpi/mpi_comm.hpp; user errors are thrown on every rank and leave the ranks in step.
#include <catch2/catch.hpp>
#include <cstring>

#include "mpi/mpi_comm.hpp"
#include "tests/mpi/mpi_support.hpp"

namespace qs = qstate::api;
using qstate::test::world;

namespace {

// Rank 0's bytes on every rank, compared with this rank's.
template <class T>
bool same_everywhere(const std::vector<T>& v) {
  std::vector<T> root = v;
  world().broadcast(root.data(), root.size() * sizeof(T), 0);
  return std::memcmp(root.data(), v.data(), v.size() * sizeof(T)) == 0;
}

bool same_everywhere(double x) {
  return same_everywhere(std::vector<double>{x});
}

qs::Circuit ansatz(unsigned n) {
  qs::Circuit c(n);
  for (unsigned q = 0; q < n; ++q) c.ry(qs::Param("t" + std::to_string(q)), q);
  for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
  for (unsigned q = 0; q < n; ++q) c.rx(0.5 * qs::Param("t" + std::to_string(q)) + 0.1, q);
  c.cz(0, n - 1).h(n - 1).swap(0, n - 1).rzz(qs::Param("t0") * 2.0, 1, n - 2);
  return c;
}

qs::Values values(unsigned n, double shift) {
  qs::Values v;
  for (unsigned q = 0; q < n; ++q) v["t" + std::to_string(q)] = 0.3 * q + 0.1 + shift;
  return v;
}

}  // namespace

TEST_CASE("api: a split state reads like a full copy, the same on every rank", "[api]") {
  const unsigned n = 6;
  qs::Simulator sim;
  REQUIRE(sim.ranks() == world().size());
  REQUIRE(sim.rank() == world().rank());
  qs::SimulatorOptions copy;
  copy.distribute = false;
  qs::Simulator local(copy);
  qs::reset_counters();
  qs::CompiledCircuit prog = sim.compile(ansatz(n));
  qs::CompiledCircuit ref = local.compile(ansatz(n));
  const qs::PauliSum h({{"ZZIIII", 0.5}, {"XXXXXX", -1.0}, {"IYIYII", 0.25}, {"ZIIIIZ", 2.0}});
  for (double shift : {0.0, 0.4, 0.8}) {
    qs::State& s = prog.run(values(n, shift));
    qs::State& r = ref.run(values(n, shift));
    CHECK(s.distributed() == (world().size() > 1));
    CHECK_FALSE(r.distributed());
    const double e = s.expectation(h);
    CHECK(same_everywhere(e));
    CHECK(e == Approx(r.expectation(h)).margin(1e-12));
    const auto ev = s.expectations({h, "ZIIIII", "IIIIXI"});
    CHECK(same_everywhere(ev));
    const auto p = s.probabilities();
    CHECK(same_everywhere(p));
    const auto pr = r.probabilities();
    for (std::size_t i = 0; i < p.size(); ++i) CHECK(p[i] == Approx(pr[i]).margin(1e-14));
    const auto m = s.probabilities({5, 0, 3});
    CHECK(same_everywhere(m));
    const auto mr = r.probabilities({5, 0, 3});
    for (std::size_t i = 0; i < m.size(); ++i) CHECK(m[i] == Approx(mr[i]).margin(1e-14));
    const auto sv = s.statevector();
    CHECK(same_everywhere(sv));
    const auto svr = r.statevector();
    for (std::size_t i = 0; i < sv.size(); ++i) CHECK(std::abs(sv[i] - svr[i]) < 1e-12);
    for (std::uint64_t i : {0, 1, 37, 63}) {
      const qstate::Complex a = s.amplitude(i);
      CHECK(same_everywhere(std::vector<qstate::Complex>{a}));
      CHECK(std::abs(a - svr[i]) < 1e-12);
    }
    const auto samples = s.sample(300, 9);
    CHECK(same_everywhere(samples));
    CHECK(samples == r.sample(300, 9));
  }
  const qs::Counters c = qs::counters();
  CHECK(c.plans == 2);
  CHECK(c.allocations == 2);
  CHECK(c.runs == 6);
}

TEST_CASE("api: execute under MPI gives the one-process counts", "[api]") {
  qs::Circuit c(5, 5);
  c.h(0);
  for (unsigned q = 0; q + 1 < 5; ++q) c.cx(q, q + 1);
  c.ry(0.3, 2);
  for (unsigned q = 0; q < 5; ++q) c.measure(q, q);
  qs::Simulator sim;
  qs::SimulatorOptions copy;
  copy.distribute = false;
  const qstate::Result r = sim.execute(c, 500, 4, {}, true);
  const qstate::Result one = qs::Simulator(copy).execute(c, 500, 4, {}, true);
  CHECK(r.counts == one.counts);
  CHECK(r.memory == one.memory);
  CHECK(r.metadata.communication.ranks == world().size());
}

TEST_CASE("api: a simulator over a given MPI_Comm", "[api]") {
  qs::Simulator sim = qs::make_simulator(MPI_COMM_WORLD);
  CHECK(sim.ranks() == world().size());
  qs::CompiledCircuit prog = sim.compile(ansatz(5));
  CHECK(same_everywhere(prog.run(values(5, 0.2)).expectation("ZZZZZ")));
  MPI_Comm self = MPI_COMM_NULL;
  MPI_Comm_split(MPI_COMM_WORLD, world().rank(), 0, &self);
  {
    qs::Simulator alone = qs::make_simulator(self);
    CHECK(alone.ranks() == 1);
    CHECK_FALSE(alone.compile(ansatz(5)).run(values(5, 0.2)).distributed());
  }
  MPI_Comm_free(&self);
}

TEST_CASE("api: user errors are thrown on every rank and the ranks stay in step", "[api]") {
  qs::Simulator sim;
  qs::CompiledCircuit prog = sim.compile(ansatz(4));
  CHECK_THROWS_WITH(prog.run(), Catch::Matchers::Contains("bind values"));
  qs::State& s = prog.run(values(4, 0.0));
  CHECK_THROWS_WITH(s.expectation("ZZ"), Catch::Matchers::Contains("declares 4 qubits"));
  CHECK_THROWS_AS(s.amplitude(16), qstate::Error);
  CHECK(same_everywhere(s.expectation("ZZZZ")));
}
