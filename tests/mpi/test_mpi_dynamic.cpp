// Measurement, reset and classical control on qubits in global positions. First on the state
// itself (DistributedState): qubit weights of every qubit, global ones included, against the
// Reference and bit for bit against one process; collapse of a global qubit (a per-rank scale),
// reset of a local one, clone and assign. Then whole dynamic circuits through the MPI backend,
// built so that, by the distribution plan, the measured qubit or the if's control sits in a
// global position when it runs (checked by walking the plan): analytic outcomes, the exact
// outcome distribution of the Reference (6 sigma), and the very same shots as one process.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "circuits/gates.hpp"
#include "circuits/passes/distribute.hpp"
#include "circuits/passes/program.hpp"
#include "mpi/distributed_state.hpp"
#include "simulator/executor.hpp"
#include "simulator/state_vector.hpp"
#include "tests/mpi/mpi_support.hpp"
#include "tests/support/circuit_builder.hpp"
#include "tests/support/reference.hpp"

namespace {

using qstate::Qubit;
using qstate::test::CircuitBuilder;

// Where the plan puts qubits when measurements, resets and ifs run (2^g ranks).
struct GlobalUses {
  int measurements = 0;  // measured while in a global position
  int if_controls = 0;   // gate controls inside if bodies in a global position
  int if_bodies = 0;     // if/while ops run with some global qubit (controls, diagonal targets)
};

void walk(const std::vector<qstate::Op>& ops, qstate::Layout& layout, unsigned local,
          GlobalUses& uses, bool in_body) {
  for (const qstate::Op& op : ops) {
    if (const auto* r = std::get_if<qstate::RemapOp>(&op)) {
      for (const auto& [a, b] : r->pairs) layout.swap_qubits(a, b);
    } else if (const auto* m = std::get_if<qstate::MeasureOp>(&op)) {
      if (m->qubit != qstate::kIdleQubit && layout.position(m->qubit) >= local) ++uses.measurements;
    } else if (const auto* g = std::get_if<qstate::GateOp>(&op)) {
      if (in_body)
        for (Qubit c : g->controls)
          if (layout.position(c) >= local) ++uses.if_controls;
    } else if (const auto* branch = std::get_if<qstate::IfOp>(&op)) {
      ++uses.if_bodies;
      walk(branch->then_ops, layout, local, uses, true);
      walk(branch->else_ops, layout, local, uses, true);
    }
  }
}

GlobalUses global_uses(const qstate::Circuit& c, unsigned g) {
  GlobalUses uses;
  const qstate::Program p = qstate::plan_program(c);
  const unsigned n = p.num_qubits();
  if (g == 0 || n <= g) return uses;
  std::vector<qstate::Op> ops = p.ops;
  const qstate::DistributionPlan plan = qstate::plan_distribution(ops, n, n - g);
  qstate::Layout layout = plan.initial_layout;
  walk(ops, layout, n - g, uses, false);
  return uses;
}

// Counts against an exact distribution: impossible outcomes never, others within 6 sigma + 3.
void check_counts(const std::map<std::string, std::uint64_t>& counts,
                  const std::map<std::string, double>& exact, std::uint64_t shots) {
  std::uint64_t sum = 0;
  for (const auto& [key, n] : counts) {
    sum += n;
    INFO("outcome " << key << " drawn " << n << " times");
    CHECK(exact.count(key) == 1);
  }
  CHECK(sum == shots);
  for (const auto& [key, p] : exact) {
    const double expected = p * static_cast<double>(shots);
    const auto it = counts.find(key);
    const double got = it == counts.end() ? 0.0 : static_cast<double>(it->second);
    INFO("outcome " << key << " p = " << p);
    CHECK(std::abs(got - expected) <= 6 * std::sqrt(expected * (1 - p)) + 3);
  }
}

// Runs on every usable rank and compares with one process and the exact distribution.
qstate::Result check_dynamic(const qstate::Circuit& c, std::uint64_t shots, std::uint64_t seed) {
  qstate::RunOptions o;
  o.shots = shots;
  o.seed = seed;
  o.memory = true;
  const qstate::test::MpiRun run = qstate::test::run_distributed(c, o, 64);
  const qstate::Result single = qstate::run_circuit(c, o);
  CHECK(single.metadata.dynamic);
  if (run.member) {
    CHECK(run.result.memory == single.memory);
    CHECK(run.result.counts == single.counts);
  }
  check_counts(single.counts, qstate::test::outcome_distribution(c), shots);
  return single;
}

template <class Real>
void check_measurement_on_state(double tol) {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  const unsigned n = 5;
  const std::vector<qstate::GateOp> prefix = qstate::test::random_prefix(n, 42);
  qstate::mpi::DistributedState<Real> state(comm, n, 64);
  qstate::StateVector<Real> single(n);
  qstate::test::Reference ref(n);
  for (const qstate::GateOp& op : prefix) {
    qstate::test::apply_with_remap(state, op);
    single.apply(op);
    ref.apply_op_matrix(op);
  }
  state.canonicalize();
  for (Qubit q = 0; q < n; ++q) {
    const bool global = state.layout().position(q) >= state.local_qubits();
    INFO("qubit " << q << (global ? " (global)" : " (local)") << ", " << sizeof(Real) * 8
                  << "-bit");
    const std::array<qstate::ExactSum, 2> w = state.qubit_weights(q);
    const std::array<qstate::ExactSum, 2> w1 = single.qubit_weights(q);
    CHECK(w[0].raw() == w1[0].raw());
    CHECK(w[1].raw() == w1[1].raw());
    CHECK(std::abs(w[1].value() - ref.probability_one(q)) <= tol);
    // Keep outcome 1 of q on a copy (for a global q: a scale per rank, 0 on the other half).
    for (bool outcome : {false, true}) {
      const double scale = 1.0 / std::sqrt(w[outcome ? 1 : 0].value());
      auto copy = state.clone();
      auto copy1 = single.clone();
      copy->collapse(q, outcome, scale, false);
      copy1->collapse(q, outcome, scale, false);
      qstate::test::Reference collapsed = ref;
      collapsed.collapse(q, outcome);
      const std::vector<std::complex<double>> amps = copy->amplitudes();
      if (comm.is_root()) {
        CHECK(qstate::test::max_abs_diff(amps, collapsed.amplitudes()) <= tol);
        CHECK(amps == copy1->amplitudes());
      }
      // A reset of a local qubit moves the kept half to |0>.
      if (!global) {
        auto reset = state.clone();
        reset->collapse(q, outcome, scale, true);
        const std::array<qstate::ExactSum, 2> after = reset->qubit_weights(q);
        CHECK(after[1].raw() == 0);
        CHECK(std::abs(after[0].value() - 1.0) <= tol);
      }
    }
  }
  // assign() restores amplitudes and layout after more gates (and remaps) ran.
  auto saved = state.clone();
  const std::vector<std::complex<double>> before = saved->amplitudes();
  for (const qstate::GateOp& op : qstate::test::random_prefix(n, 43))
    qstate::test::apply_with_remap(state, op);
  state.assign(*saved);
  const std::vector<std::complex<double>> restored = state.amplitudes();
  if (comm.is_root()) CHECK(restored == before);
}

}  // namespace

TEST_CASE("mpi: qubit weights and collapse of global qubits on the distributed state",
          "[mpi][dynamic]") {
  check_measurement_on_state<double>(1e-12);
  check_measurement_on_state<float>(1e-5);
}

TEST_CASE("mpi: measuring a qubit in a global position mid-circuit", "[mpi][dynamic]") {
  const unsigned g = qstate::test::world_global_qubits();
  // ry on q4, then gates on q0..q3 push q4 out to a global position before it is measured;
  // the z after the measurement makes the circuit dynamic. P(c0 = 1) = sin^2(0.6).
  CircuitBuilder b({{"q", 5}}, {{"c", 2}});
  b.gate("ry", {1.2}, {4});
  for (Qubit q = 0; q < 4; ++q) b.gate("h", {}, {q});
  b.gate("cx", {}, {0, 1}).gate("cx", {}, {2, 3});
  b.measure(4, 0).gate("z", {}, {4}).measure(4, 1);
  for (Qubit q = 0; q < 4; ++q) b.gate("h", {}, {q});  // later uses keep q0..q3 local
  const qstate::Circuit c = b.build();
  if (g > 0) CHECK(global_uses(c, g).measurements >= 2);
  const qstate::Result r = check_dynamic(c, 400, 17);
  // The second measurement repeats the first.
  for (const auto& [key, n] : r.counts) CHECK((key == "00" || key == "11"));
}

TEST_CASE("mpi: GHZ measured from the top qubit down while the state is split", "[mpi][dynamic]") {
  const unsigned g = qstate::test::world_global_qubits();
  CircuitBuilder b({{"q", 5}}, {{"c", 5}, {"d", 1}});
  b.gate("h", {}, {0});
  for (Qubit q = 0; q + 1 < 5; ++q) b.gate("cx", {}, {q, q + 1});
  for (Qubit q = 5; q-- > 0;) b.measure(q, q);
  b.gate("x", {}, {4}).measure(4, 5);  // a gate after the measurement: dynamic
  const qstate::Circuit c = b.build();
  if (g > 0) CHECK(global_uses(c, g).measurements >= 1);
  const qstate::Result r = check_dynamic(c, 300, 5);
  for (const auto& [key, n] : r.counts) CHECK((key == "1 00000" || key == "0 11111"));
}

TEST_CASE("mpi: reset of a qubit that sits in a global position", "[mpi][dynamic]") {
  // A Bell pair on q3, q4; gates on q0..q2 push them out; reset q4 then measure both.
  CircuitBuilder b({{"q", 5}}, {{"c", 2}});
  b.gate("h", {}, {4}).gate("cx", {}, {4, 3});
  for (Qubit q = 0; q < 3; ++q) b.gate("h", {}, {q});
  b.gate("cx", {}, {0, 1}).gate("cx", {}, {1, 2});
  b.reset(4).measure(3, 0).measure(4, 1);
  const qstate::Result r = check_dynamic(b.build(), 400, 23);
  // q4 always reads 0 after the reset; q3 is uniform.
  for (const auto& [key, n] : r.counts) CHECK(key[0] == '0');
  CHECK(r.counts.size() == 2);
}

TEST_CASE("mpi: if on the outcome of a global qubit with controls in global positions",
          "[mpi][dynamic]") {
  const unsigned g = qstate::test::world_global_qubits();
  // Measure q3 (pushed global), then conditioned on it: X on q4, and a CX whose control q3 stays
  // global. Afterwards q4 == q3 and q0 == q3 XOR (its own H outcome).
  CircuitBuilder b({{"q", 5}}, {{"c", 1}, {"d", 2}});
  b.gate("h", {}, {3});
  for (Qubit q : {0U, 1U, 2U, 4U}) b.gate("ry", {0.4 + q}, {q});
  b.gate("ry", {-0.4 - 4}, {4});  // q4 back to |0>
  b.measure(3, 0);
  b.if_equal("c", 1).gate("x", {}, {4});
  b.if_equal("c", 1).gate("cx", {}, {3, 0});
  b.if_equal("c", 1).gate("cz", {}, {3, 4});
  b.gate("h", {}, {1}).gate("h", {}, {2});  // later uses keep q1, q2 local; q3 goes out
  b.measure(4, 1).measure(3, 2);
  const qstate::Circuit c = b.build();
  const GlobalUses uses = global_uses(c, g);
  if (g > 0) {
    CHECK(uses.measurements >= 1);
    CHECK(uses.if_controls >= 1);
  }
  const qstate::Result r = check_dynamic(c, 400, 31);
  // Keys "d1d0 c0": d0 = q4 = c0 and d1 = q3 = c0.
  for (const auto& [key, n] : r.counts) CHECK((key == "00 0" || key == "11 1"));
}

TEST_CASE("mpi: a while loop on a global qubit repeats until success", "[mpi][dynamic]") {
  // h q4; measure; while (c == 0) { h q4; measure } ends with c = 1 in every shot.
  CircuitBuilder b({{"q", 5}}, {{"c", 1}});
  b.gate("h", {}, {4});
  for (Qubit q = 0; q < 4; ++q) b.gate("h", {}, {q});
  b.measure(4, 0);
  qstate::Circuit c = b.build();
  qstate::IfOp loop;
  loop.is_while = true;
  loop.condition.bits = {0};
  loop.condition.value = 0;
  loop.then_ops.emplace_back(qstate::make_gate("h", std::vector<double>{}, std::vector<Qubit>{4}));
  loop.then_ops.emplace_back(qstate::MeasureOp{4, 0});
  c.ops.emplace_back(std::move(loop));
  qstate::RunOptions o;
  o.shots = 100;
  o.seed = 3;
  o.memory = true;
  const qstate::test::MpiRun run = qstate::test::run_distributed(c, o);
  const qstate::Result single = qstate::run_circuit(c, o);
  CHECK(single.counts == std::map<std::string, std::uint64_t>{{"1", 100}});
  if (run.member) CHECK(run.result.memory == single.memory);
}
