// The distribution planner (circuits/passes/distribute): where remaps go (only before an op whose
// non-diagonal target sits in a global position), which local qubit is evicted (the one needed
// furthest in the future), batching (a QFT needs one remap that exchanges all g global qubits),
// SWAPs as relabellings, the initial layout (the qubits needed first are local, the others keep
// their own position where they can), canonical_exchanges, usable_ranks, and on random circuits
// with measurements, resets and ifs: after planning, every op's qubits_needing_local are local
// when it runs (if bodies included), the plan's counters match its ops, and every remap is
// needed. An op needing more local qubits than a rank holds is an Error.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "circuits/passes/distribute.hpp"
#include "circuits/passes/program.hpp"
#include "tests/support/circuit_builder.hpp"
#include "tests/support/random_circuits.hpp"

using Catch::Matchers::Contains;
using qstate::DistributionPlan;
using qstate::GateOp;
using qstate::IfOp;
using qstate::Layout;
using qstate::Op;
using qstate::Qubit;
using qstate::RemapOp;
using qstate::test::CircuitBuilder;

namespace {

std::vector<Op> ops_of(const CircuitBuilder& b) {
  return b.circuit().ops;
}

// The data remaps of planned ops, in order.
std::vector<RemapOp> data_remaps(const std::vector<Op>& ops) {
  std::vector<RemapOp> out;
  for (const Op& op : ops)
    if (const auto* r = std::get_if<RemapOp>(&op); r != nullptr && !r->relabel) out.push_back(*r);
  return out;
}

// Index (in the planned ops) of each data remap.
std::vector<std::size_t> remap_positions(const std::vector<Op>& ops) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < ops.size(); ++i)
    if (const auto* r = std::get_if<RemapOp>(&ops[i]); r != nullptr && !r->relabel)
      out.push_back(i);
  return out;
}

bool is_local(const Layout& layout, Qubit q, unsigned local) {
  return layout.position(q) < local;
}

// Follows the layout along planned ops and checks every op there: what must be local is local
// (inside if bodies too, which never hold remaps), each data remap pairs a global qubit with a
// local one and is needed by the op right after it. Returns the final layout.
Layout check_plan(const std::vector<Op>& planned, const DistributionPlan& plan) {
  const unsigned local = plan.local_positions;
  Layout layout = plan.initial_layout;
  std::uint64_t remaps = 0, relabels = 0;
  std::vector<unsigned> sizes;
  bool pending_remap = false;
  Layout before_remap;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    const Op& op = planned[i];
    INFO("planned op " << i);
    if (const auto* r = std::get_if<RemapOp>(&op)) {
      if (r->relabel) {
        ++relabels;
      } else {
        ++remaps;
        sizes.push_back(static_cast<unsigned>(r->pairs.size()));
        CHECK(!pending_remap);  // two data remaps in a row would be one
        pending_remap = true;
        before_remap = layout;
        for (const auto& [in, out] : r->pairs) {
          CHECK_FALSE(is_local(layout, in, local));
          CHECK(is_local(layout, out, local));
        }
      }
      for (const auto& [a, b] : r->pairs) layout.swap_qubits(a, b);
      continue;
    }
    const std::vector<Qubit> need = qstate::qubits_needing_local(op);
    for (Qubit q : need) {
      INFO("qubit " << q);
      CHECK(is_local(layout, q, local));
    }
    if (const auto* branch = std::get_if<IfOp>(&op)) {
      for (const auto* body : {&branch->then_ops, &branch->else_ops})
        for (const Op& inner : *body) {
          CHECK_FALSE(std::holds_alternative<RemapOp>(inner));
          for (Qubit q : qstate::qubits_needing_local(inner)) CHECK(is_local(layout, q, local));
        }
    }
    if (pending_remap) {
      // The remap was needed: without it some qubit of this op would have been global.
      CHECK(std::any_of(need.begin(), need.end(),
                        [&](Qubit q) { return !is_local(before_remap, q, local); }));
      pending_remap = false;
    }
  }
  CHECK_FALSE(pending_remap);  // no remap at the end
  CHECK(remaps == plan.remaps);
  CHECK(relabels == plan.relabels);
  CHECK(sizes == plan.remap_sizes);
  CHECK(layout == plan.final_layout);
  return layout;
}

// The planned ops without remaps and relabels, SWAPs put back: the input again.
std::vector<std::string> op_names(const std::vector<Op>& ops) {
  std::vector<std::string> out;
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op)) {
      out.push_back(g->name);
    } else if (const auto* r = std::get_if<RemapOp>(&op)) {
      if (r->relabel) out.push_back("swap");
    } else {
      out.push_back("op" + std::to_string(op.index()));
    }
  }
  return out;
}

CircuitBuilder qft(unsigned n) {
  CircuitBuilder b({{"q", n}});
  for (Qubit j = 0; j < n; ++j) {
    b.gate("h", {}, {j});
    for (Qubit k = j + 1; k < n; ++k)
      b.gate("cu1", {std::numbers::pi / std::ldexp(1.0, static_cast<int>(k - j))}, {k, j});
  }
  for (Qubit j = 0; j < n / 2; ++j) b.gate("swap", {}, {j, n - 1 - j});
  return b;
}

}  // namespace

TEST_CASE("plan_distribution: no remap for local targets or global controls or diagonal gates",
          "[distribute]") {
  // 4 qubits, 2 local: the initial layout puts 0 and 1 (needed first) local, 2 and 3 global.
  CircuitBuilder b({{"q", 4}}, {{"c", 4}});
  b.gate("h", {}, {0}).gate("h", {}, {1});
  b.gate("cz", {}, {2, 3}).gate("rz", {0.3}, {3}).gate("rzz", {0.2}, {2, 3}).gate("t", {}, {2});
  b.gate("cx", {}, {2, 0}).gate("ccx", {}, {3, 2, 1}).gate("cp", {0.1}, {3, 0});
  b.measure(3, 3).measure(2, 2);
  b.gate("h", {}, {3});  // the first non-diagonal target in a global position
  std::vector<Op> ops = ops_of(b);
  const std::size_t h3 = ops.size() - 1;
  const DistributionPlan plan = qstate::plan_distribution(ops, 4, 2);
  CHECK(plan.initial_layout.position(0) < 2);
  CHECK(plan.initial_layout.position(1) < 2);
  CHECK(plan.remaps == 1);
  CHECK(plan.remap_sizes == std::vector<unsigned>{1});
  CHECK(remap_positions(ops) == std::vector<std::size_t>{h3});  // right before h q3
  check_plan(ops, plan);
}

TEST_CASE("plan_distribution: evicts the local qubit needed furthest in the future",
          "[distribute]") {
  // 3 qubits, 2 local. h 0, h 1 make 0 and 1 local; h 2 needs one of them out.
  SECTION("q0 is never needed again: q0 goes") {
    CircuitBuilder b({{"q", 3}});
    b.gate("h", {}, {0}).gate("h", {}, {1}).gate("h", {}, {2}).gate("h", {}, {1});
    std::vector<Op> ops = ops_of(b);
    const DistributionPlan plan = qstate::plan_distribution(ops, 3, 2);
    const std::vector<RemapOp> remaps = data_remaps(ops);
    REQUIRE(remaps.size() == 1);
    CHECK(remaps[0].pairs == std::vector<std::pair<Qubit, Qubit>>{{2, 0}});
    check_plan(ops, plan);
  }
  SECTION("q1 is never needed again: q1 goes") {
    CircuitBuilder b({{"q", 3}});
    b.gate("h", {}, {0}).gate("h", {}, {1}).gate("h", {}, {2}).gate("h", {}, {0});
    std::vector<Op> ops = ops_of(b);
    const DistributionPlan plan = qstate::plan_distribution(ops, 3, 2);
    const std::vector<RemapOp> remaps = data_remaps(ops);
    REQUIRE(remaps.size() == 1);
    CHECK(remaps[0].pairs == std::vector<std::pair<Qubit, Qubit>>{{2, 1}});
    check_plan(ops, plan);
  }
  SECTION("both are needed again: the later one goes") {
    CircuitBuilder b({{"q", 3}});
    b.gate("h", {}, {0}).gate("h", {}, {1}).gate("h", {}, {2});
    b.gate("h", {}, {2}).gate("x", {}, {1}).gate("y", {}, {2}).gate("h", {}, {0});
    std::vector<Op> ops = ops_of(b);
    const DistributionPlan plan = qstate::plan_distribution(ops, 3, 2);
    const std::vector<RemapOp> remaps = data_remaps(ops);
    REQUIRE(remaps.size() == 2);
    CHECK(remaps[0].pairs == std::vector<std::pair<Qubit, Qubit>>{{2, 0}});
    check_plan(ops, plan);
  }
  SECTION("controls and diagonal targets do not count as needing a qubit") {
    // q0 is used again only as a control and by a diagonal gate: it is the one to evict.
    CircuitBuilder b({{"q", 3}});
    b.gate("h", {}, {0}).gate("h", {}, {1}).gate("h", {}, {2});
    b.gate("cx", {}, {0, 1}).gate("rz", {0.5}, {0}).gate("h", {}, {1});
    std::vector<Op> ops = ops_of(b);
    const DistributionPlan plan = qstate::plan_distribution(ops, 3, 2);
    const std::vector<RemapOp> remaps = data_remaps(ops);
    REQUIRE(remaps.size() == 1);
    CHECK(remaps[0].pairs == std::vector<std::pair<Qubit, Qubit>>{{2, 0}});
    check_plan(ops, plan);
  }
}

TEST_CASE("plan_distribution: a QFT needs one remap that exchanges all global qubits",
          "[distribute]") {
  for (unsigned n : {6U, 8U, 10U}) {
    for (unsigned g : {1U, 2U, 3U}) {
      INFO(n << " qubits, " << g << " global");
      std::vector<Op> ops = ops_of(qft(n));
      const DistributionPlan plan = qstate::plan_distribution(ops, n, n - g);
      CHECK(plan.initial_layout.is_identity());
      CHECK(plan.remaps == 1);
      CHECK(plan.remap_sizes == std::vector<unsigned>{g});
      CHECK(plan.relabels == n / 2);
      CHECK(plan.slices_sent() == 1.0 - std::ldexp(1.0, -static_cast<int>(g)));
      const Layout final_layout = check_plan(ops, plan);
      // The final swaps leave the top g qubits in global positions: reading results needs no
      // second remap.
      CHECK(qstate::canonical_exchanges(final_layout, n - g).empty());
    }
  }
}

TEST_CASE("plan_distribution: a GHZ chain batches its remap too", "[distribute]") {
  const unsigned n = 8;
  for (unsigned g : {1U, 2U, 3U}) {
    CircuitBuilder b({{"q", n}});
    b.gate("h", {}, {0});
    for (Qubit q = 0; q + 1 < n; ++q) b.gate("cx", {}, {q, q + 1});
    std::vector<Op> ops = ops_of(b);
    const DistributionPlan plan = qstate::plan_distribution(ops, n, n - g);
    INFO(g << " global");
    CHECK(plan.remap_sizes == std::vector<unsigned>{g});
    const Layout final_layout = check_plan(ops, plan);
    // The low qubits that went global come back to read results: one more remap of g.
    CHECK(qstate::canonical_exchanges(final_layout, n - g).size() == g);
  }
}

TEST_CASE("plan_distribution: plain SWAPs become relabellings", "[distribute]") {
  CircuitBuilder b({{"q", 4}}, {{"c", 1}});
  b.gate("h", {}, {0}).gate("h", {}, {1});
  b.gate("swap", {}, {0, 3});      // local with global: a relabel, no data moves
  b.gate("h", {}, {3});            // q3 now sits where q0 was: local
  b.gate("cswap", {}, {2, 0, 1});  // controlled: a gate, its targets must be local
  b.gate("rxx", {0.3}, {1, 2});    // a two-target non-diagonal gate, not a swap
  b.measure(0, 0).if_equal("c", 1).gate("swap", {}, {2, 3});  // inside an if: a gate
  std::vector<Op> ops = ops_of(b);
  const std::vector<std::string> names_before = op_names(ops);
  const DistributionPlan plan = qstate::plan_distribution(ops, 4, 2);
  CHECK(plan.relabels == 1);
  CHECK(op_names(ops).size() >= names_before.size());
  std::vector<std::string> names_after = op_names(ops);
  CHECK(names_after == names_before);  // remaps aside, the same ops in the same order
  const auto* relabel = std::get_if<RemapOp>(&ops[2]);
  REQUIRE(relabel != nullptr);
  CHECK(relabel->relabel);
  CHECK(relabel->pairs == std::vector<std::pair<Qubit, Qubit>>{{0, 3}});
  CHECK(std::holds_alternative<GateOp>(ops[3]));  // h q3 right after: no data remap
  check_plan(ops, plan);
}

TEST_CASE("plan_distribution: the initial layout makes the qubits needed first local",
          "[distribute]") {
  SECTION("the top qubits are needed first") {
    CircuitBuilder b({{"q", 6}});
    b.gate("h", {}, {5}).gate("h", {}, {4}).gate("h", {}, {3}).gate("h", {}, {0});
    std::vector<Op> ops = ops_of(b);
    const DistributionPlan plan = qstate::plan_distribution(ops, 6, 3);
    for (Qubit q : {3U, 4U, 5U}) CHECK(plan.initial_layout.position(q) < 3);
    for (Qubit q : {0U, 1U, 2U}) CHECK(plan.initial_layout.position(q) >= 3);
    CHECK(plan.remaps == 1);  // only for h q0
    check_plan(ops, plan);
  }
  SECTION("qubits keep their own position where the split allows") {
    CircuitBuilder b({{"q", 6}});
    b.gate("h", {}, {0}).gate("h", {}, {5}).gate("h", {}, {1});  // 0, 5, 1 local; 2, 3, 4 global
    std::vector<Op> ops = ops_of(b);
    const DistributionPlan plan = qstate::plan_distribution(ops, 6, 3);
    const Layout& l = plan.initial_layout;
    CHECK(l.position(0) == 0);
    CHECK(l.position(1) == 1);
    CHECK(l.position(5) == 2);  // local, on the free local position
    CHECK(l.position(3) == 3);
    CHECK(l.position(4) == 4);
    CHECK(l.position(2) == 5);  // global, on the free global position
    CHECK(plan.remaps == 0);
    check_plan(ops, plan);
  }
  SECTION("a circuit of diagonal gates keeps the identity layout and never remaps") {
    CircuitBuilder b({{"q", 5}});
    for (Qubit q = 0; q < 5; ++q) b.gate("rz", {0.1 * q}, {q});
    b.gate("cz", {}, {4, 3}).gate("crz", {0.4}, {4, 3}).gate("rzz", {0.3}, {4, 2});
    std::vector<Op> ops = ops_of(b);
    const DistributionPlan plan = qstate::plan_distribution(ops, 5, 2);
    CHECK(plan.initial_layout.is_identity());
    CHECK(plan.remaps == 0);
    CHECK(ops.size() == b.circuit().ops.size());
  }
  SECTION("everything local: nothing changes") {
    std::vector<Op> ops = ops_of(qft(5));
    const std::size_t size = ops.size();
    const DistributionPlan plan = qstate::plan_distribution(ops, 5, 5);
    CHECK(plan.initial_layout.is_identity());
    CHECK(plan.final_layout.is_identity());
    CHECK(plan.remaps == 0);
    CHECK(plan.relabels == 0);
    CHECK(ops.size() == size);
  }
}

TEST_CASE("plan_distribution: an op needing more local qubits than a rank holds is an Error",
          "[distribute]") {
  CircuitBuilder b({{"q", 5}});
  b.gate("h", {}, {0}).gate("rc3x", {}, {0, 1, 2, 3});  // 4 targets
  std::vector<Op> ops = ops_of(b);
  try {
    qstate::plan_distribution(ops, 5, 3);
    FAIL("no error");
  } catch (const qstate::Error& e) {
    CHECK_THAT(e.what(), Contains("4 qubits in local positions"));
    CHECK_THAT(e.what(), Contains("use fewer ranks"));
  }
  std::vector<Op> fits = ops_of(b);
  CHECK_NOTHROW(qstate::plan_distribution(fits, 5, 4));
  // An if whose branches together need more than there is.
  CircuitBuilder c({{"q", 4}}, {{"c", 1}});
  c.measure(0, 0);
  std::vector<Op> branchy = ops_of(c);
  IfOp branch;
  branch.condition.bits = {0};
  branch.condition.value = 1;
  branch.then_ops.emplace_back(
      qstate::make_gate("h", std::vector<double>{}, std::vector<Qubit>{1}));
  branch.else_ops.emplace_back(
      qstate::make_gate("h", std::vector<double>{}, std::vector<Qubit>{2}));
  branch.else_ops.emplace_back(
      qstate::make_gate("h", std::vector<double>{}, std::vector<Qubit>{3}));
  branchy.emplace_back(branch);
  std::vector<Op> copy = branchy;
  CHECK_THROWS_AS(qstate::plan_distribution(branchy, 4, 2), qstate::Error);
  const DistributionPlan plan = qstate::plan_distribution(copy, 4, 3);
  check_plan(copy, plan);
}

TEST_CASE("Layout::position_bits maps a mask of qubits to the mask of their positions",
          "[distribute]") {
  const Layout l = Layout::from_positions({4, 5, 2, 3, 0, 1});
  CHECK(l.position_bits(0) == 0);
  CHECK(l.position_bits(0b000001) == 0b010000);  // qubit 0 at position 4
  CHECK(l.position_bits(0b100010) == 0b100010);  // qubit 1 at 5, qubit 5 at 1
  CHECK(l.position_bits(0b111111) == 0b111111);
  CHECK(Layout(6).position_bits(0b101100) == 0b101100);
}

TEST_CASE("canonical_exchanges brings the top qubits to global positions", "[distribute]") {
  SECTION("identity: nothing") {
    CHECK(qstate::canonical_exchanges(Layout(6), 4).empty());
  }
  SECTION("top qubits permuted among global positions, low ones among local: nothing") {
    const Layout l = Layout::from_positions({2, 0, 3, 1, 5, 4});
    CHECK(qstate::canonical_exchanges(l, 4).empty());
  }
  SECTION("low qubits in global positions pair with top qubits in local ones") {
    // Qubits 0 and 1 global, 4 and 5 local.
    const Layout l = Layout::from_positions({4, 5, 2, 3, 0, 1});
    const std::vector<std::pair<Qubit, Qubit>> pairs = qstate::canonical_exchanges(l, 4);
    REQUIRE(pairs.size() == 2);
    Layout after = l;
    for (const auto& [low, top] : pairs) {
      CHECK(low < 4);
      CHECK(top >= 4);
      CHECK(l.position(low) >= 4);
      CHECK(l.position(top) < 4);
      after.swap_qubits(low, top);
    }
    for (Qubit q = 4; q < 6; ++q) CHECK(after.position(q) >= 4);
    // Pairs that put a qubit on its own position are preferred: 0 <-> 4 and 1 <-> 5.
    CHECK(after.is_identity());
  }
  SECTION("one of two") {
    const Layout l = Layout::from_positions({0, 5, 2, 3, 4, 1});
    const auto pairs = qstate::canonical_exchanges(l, 4);
    CHECK(pairs == std::vector<std::pair<Qubit, Qubit>>{{1, 5}});
  }
}

TEST_CASE("usable_ranks: the most ranks that leave room for the widest operation", "[distribute]") {
  auto program = [](unsigned n, const char* gate, std::vector<Qubit> qubits) {
    CircuitBuilder b({{"q", n}});
    for (Qubit q = 0; q < n; ++q) b.gate("h", {}, {q});
    if (gate != nullptr) b.op(qstate::make_gate(gate, std::vector<double>{}, qubits));
    return qstate::plan_program(b.build());
  };
  CHECK(qstate::usable_ranks(program(5, nullptr, {}), 4) == 4);
  CHECK(qstate::usable_ranks(program(5, nullptr, {}), 64) == 16);  // one local qubit at least
  CHECK(qstate::usable_ranks(program(5, "rc3x", {0, 1, 2, 3}), 4) == 2);
  CHECK(qstate::usable_ranks(program(5, "c4x", {0, 1, 2, 3, 4}), 8) == 8);  // one target
  CHECK(qstate::usable_ranks(program(5, nullptr, {}), 6) == 4);             // a power of two
  CHECK(qstate::usable_ranks(program(5, nullptr, {}), 1) == 1);
  CHECK(qstate::usable_ranks(program(1, nullptr, {}), 4) == 1);
}

TEST_CASE("plan_distribution on random circuits: what must be local is local", "[distribute]") {
  int planned = 0;
  int refused = 0;
  for (unsigned n = 3; n <= 9; ++n) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      qstate::test::RandomCircuitOptions ro;
      ro.num_qubits = n;
      ro.depth = 10 * n;
      ro.num_cregs = 2;
      ro.mid_measure_rate = seed % 2 ? 0.1 : 0.0;
      ro.reset_rate = seed % 3 ? 0.05 : 0.0;
      ro.conditional_rate = seed % 2 ? 0.2 : 0.0;
      ro.barrier_rate = 0.05;
      const qstate::Program p =
          qstate::plan_program(qstate::test::random_circuit(1000 * n + seed, ro).circuit);
      const unsigned m = p.num_qubits();
      unsigned widest = 0;
      for (const Op& op : p.ops)
        widest = std::max(widest, static_cast<unsigned>(qstate::qubits_needing_local(op).size()));
      for (unsigned local = 1; local <= m; ++local) {
        INFO(n << " qubits, seed " << seed << ", " << local << " local");
        std::vector<Op> ops = p.ops;
        if (widest > local) {
          CHECK_THROWS_AS(qstate::plan_distribution(ops, m, local), qstate::Error);
          ++refused;
          continue;
        }
        const std::vector<std::string> names_before = op_names(ops);
        const DistributionPlan plan = qstate::plan_distribution(ops, m, local);
        check_plan(ops, plan);
        CHECK(op_names(ops) == names_before);
        if (local == m) CHECK(plan.remaps == 0);
        ++planned;
      }
    }
  }
  CHECK(planned > 120);
  CHECK(refused > 10);
}
