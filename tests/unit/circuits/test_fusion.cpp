// The fusion pass (circuits/passes/fusion.hpp) with the simulator's matrix builder
// (simulator/fused_matrix.hpp): plan structure (diagonal runs become one diagonal, 1-qubit gates
// absorbed into 2-qubit ones, shared controls kept, widths within the cost model's limits, windows
// ended by measurements, resets, barriers and conditionals, parametric gates and SWAPs left
// alone) and correctness (the fused ops are the same operator as the original ones, by the dense
// reference on random states).
#include <algorithm>
#include <catch2/catch.hpp>
#include <numbers>

#include "circuits/gates.hpp"
#include "circuits/passes/fusion.hpp"
#include "simulator/fused_matrix.hpp"
#include "tests/support/random_circuits.hpp"
#include "tests/support/reference.hpp"

namespace {

using qstate::FusionOptions;
using qstate::GateOp;
using qstate::MatrixKind;
using qstate::Op;
using qstate::Qubit;
using qstate::test::Reference;

constexpr double kPi = std::numbers::pi;

Op gate(const char* name, std::initializer_list<double> params,
        std::initializer_list<Qubit> qubits) {
  return Op(qstate::make_gate(name, params, qubits));
}

std::vector<Op> fuse(const std::vector<Op>& ops, const FusionOptions& o = {},
                     qstate::FusionStats* stats = nullptr) {
  return qstate::fuse_gates(ops, qstate::fused_matrix, o, stats);
}

std::vector<const GateOp*> gates_of(const std::vector<Op>& ops) {
  std::vector<const GateOp*> out;
  for (const Op& op : ops)
    if (const auto* g = std::get_if<GateOp>(&op)) out.push_back(g);
  return out;
}

// The state after the gates of `ops` (top level only) from a random state.
std::vector<std::complex<double>> run(const std::vector<Op>& ops, unsigned n, std::uint64_t seed) {
  Reference ref(n, qstate::test::random_state(n, seed));
  for (const GateOp* g : gates_of(ops)) ref.apply_op_matrix(*g);
  return ref.amplitudes();
}

void check_same_operator(const std::vector<Op>& a, const std::vector<Op>& b, unsigned n) {
  for (std::uint64_t seed : {1U, 2U})
    CHECK(qstate::test::max_abs_diff(run(a, n, seed), run(b, n, seed)) <= 1e-12);
}

// A parametric rz whose angle is input 0.
class ParametricRz : public qstate::ParametricGate {
 public:
  void bind(std::span<const double> inputs, GateOp& op) const override {
    const GateOp fresh = qstate::make_gate("rz", {inputs[0]}, {op.targets[0]});
    op.params = fresh.params;
    op.matrix = fresh.matrix.as_kind(op.matrix.kind);
  }
};

}  // namespace

TEST_CASE("fusion cost model: dense gates stay memory-bound up to 3 targets here", "[fusion]") {
  const qstate::FusionCostModel model;
  CHECK(model.max_dense_width() == 3);  // 8 * 2^3 / 70e9 <= 32 / 29e9 < 8 * 2^4 / 70e9
  qstate::FusionCostModel fast_flops = model;
  fast_flops.flops_per_second = 4 * model.flops_per_second;
  CHECK(fast_flops.max_dense_width() == 5);
  // A pass, whatever the width of a diagonal; a dense 4-qubit gate costs more than a pass.
  const double pass = model.cost(MatrixKind::kDiagonal, 1, 0);
  CHECK(model.cost(MatrixKind::kDiagonal, 8, 0) == pass);
  CHECK(model.cost(MatrixKind::kDense, 3, 0) == pass);
  CHECK(model.cost(MatrixKind::kDense, 4, 0) > pass);
  CHECK(model.cost(MatrixKind::kDense, 2, 1) == pass / 2);  // a control halves the pass
}

TEST_CASE("a run of diagonal gates becomes one diagonal gate", "[fusion]") {
  const std::vector<Op> ops = {gate("t", {}, {0}),         gate("cz", {}, {0, 1}),
                               gate("rz", {0.3}, {2}),     gate("cu1", {0.7}, {1, 3}),
                               gate("s", {}, {3}),         gate("cp", {-1.1}, {4, 0}),
                               gate("rzz", {0.4}, {2, 4}), gate("z", {}, {1})};
  qstate::FusionStats stats;
  const std::vector<Op> out = fuse(ops, {}, &stats);
  REQUIRE(out.size() == 1);
  const GateOp& g = std::get<GateOp>(out[0]);
  CHECK(g.name == "fused");
  CHECK(g.matrix.kind == MatrixKind::kDiagonal);
  CHECK(g.targets == std::vector<Qubit>{0, 1, 2, 3, 4});
  CHECK(g.controls.empty());
  CHECK(stats.gates_in == 8);
  CHECK(stats.gates_out == 1);
  CHECK(stats.fused == 1);
  CHECK(stats.widest == 5);
  check_same_operator(ops, out, 5);
}

TEST_CASE("diagonal fusion stops at max_diagonal_width", "[fusion]") {
  std::vector<Op> ops;
  for (Qubit q = 1; q < 8; ++q) ops.push_back(gate("cp", {0.1 * q}, {0, q}));
  FusionOptions o;
  o.max_diagonal_width = 4;
  const std::vector<Op> out = fuse(ops, o);
  for (const GateOp* g : gates_of(out)) {
    CHECK(g->matrix.kind == MatrixKind::kDiagonal);
    CHECK(g->targets.size() <= 4);
  }
  // The shared control stays a control: targets {1,2,3,4} then {5,6,7}, both controlled on 0.
  REQUIRE(out.size() == 2);
  CHECK(std::get<GateOp>(out[0]).controls == std::vector<Qubit>{0});
  CHECK(std::get<GateOp>(out[1]).targets == std::vector<Qubit>{5, 6, 7});
  check_same_operator(ops, out, 8);
}

TEST_CASE("1-qubit gates are absorbed into the 2-qubit gate on their qubits", "[fusion]") {
  const std::vector<Op> ops = {gate("h", {}, {0}), gate("ry", {0.2}, {1}), gate("cx", {}, {0, 1}),
                               gate("rz", {0.5}, {1}), gate("sx", {}, {0})};
  const std::vector<Op> out = fuse(ops);
  REQUIRE(out.size() == 1);
  const GateOp& g = std::get<GateOp>(out[0]);
  CHECK(g.targets == std::vector<Qubit>{0, 1});
  CHECK(g.matrix.kind == MatrixKind::kDense);
  check_same_operator(ops, out, 2);
}

TEST_CASE("a layer of rz sx rz runs on neighbouring qubits fuses across qubits", "[fusion]") {
  // After a cx ladder (as Qiskit's transpiled layers), each qubit's run starts with a diagonal
  // that can join neither the cx on its qubit nor the previous qubit's dense group: one group per
  // qubit, then neighbouring groups merge up to the width limit (3 here).
  std::vector<Op> ops;
  for (Qubit q = 0; q + 1 < 5; ++q) ops.push_back(gate("cx", {}, {q, q + 1}));
  for (Qubit q = 0; q < 5; ++q) {
    ops.push_back(gate("rz", {0.1 + q}, {q}));
    ops.push_back(gate("sx", {}, {q}));
    ops.push_back(gate("rz", {0.7 + q}, {q}));
  }
  const std::vector<Op> out = fuse(ops);
  REQUIRE(out.size() == 6);
  for (std::size_t i = 0; i < 4; ++i) CHECK(std::get<GateOp>(out[i]).name == "cx");
  CHECK(std::get<GateOp>(out[4]).targets == std::vector<Qubit>{0, 1, 2});
  CHECK(std::get<GateOp>(out[5]).targets == std::vector<Qubit>{3, 4});
  check_same_operator(ops, out, 5);
  // Within a width of 1, one group per qubit.
  FusionOptions one;
  one.max_dense_width = 1;
  CHECK(fuse(ops, one).size() == 9);
}

TEST_CASE("dense fused gates respect the model's width and an explicit one", "[fusion]") {
  std::vector<Op> ops;
  for (Qubit q = 0; q < 7; ++q) ops.push_back(gate("h", {}, {q}));
  for (Qubit q = 0; q + 1 < 7; ++q) ops.push_back(gate("cx", {}, {q, q + 1}));
  for (Qubit q = 0; q < 7; ++q) ops.push_back(gate("ry", {0.1 + q}, {q}));
  for (unsigned width : {0U, 2U, 4U}) {
    FusionOptions o;
    o.max_dense_width = width;
    const unsigned limit = width == 0 ? o.model.max_dense_width() : width;
    const std::vector<Op> out = fuse(ops, o);
    CHECK(out.size() < ops.size());
    for (const GateOp* g : gates_of(out))
      if (g->matrix.kind != MatrixKind::kDiagonal) CHECK(g->targets.size() <= limit);
    check_same_operator(ops, out, 7);
  }
  FusionOptions local;
  local.max_local_width = 2;                       // e.g. a rank holding 2 local qubits
  const std::vector<Op> fused = fuse(ops, local);  // kept alive: gates_of points into it
  for (const GateOp* g : gates_of(fused))
    if (g->matrix.kind != MatrixKind::kDiagonal) CHECK(g->targets.size() <= 2);
}

TEST_CASE("gates sharing a qubit keep their order; disjoint gates may be regrouped", "[fusion]") {
  // x(0) then h(0) differ from h(0) then x(0); the 3-target groups force regrouping around q3.
  const std::vector<Op> ops = {
      gate("x", {}, {0}),         gate("h", {}, {1}),     gate("cx", {}, {0, 1}),
      gate("h", {}, {0}),         gate("ry", {0.3}, {3}), gate("cx", {}, {1, 2}),
      gate("u3", {1, 2, 3}, {3}), gate("cx", {}, {2, 3}), gate("h", {}, {0}),
      gate("rx", {0.9}, {2}),     gate("cy", {}, {3, 0}), gate("t", {}, {1})};
  FusionOptions two;
  two.max_dense_width = 2;
  for (const FusionOptions& o : {FusionOptions{}, two}) {
    const std::vector<Op> out = fuse(ops, o);
    CHECK(out.size() < ops.size());
    check_same_operator(ops, out, 4);
  }
}

TEST_CASE("controls shared by a run stay controls", "[fusion]") {
  const std::vector<Op> ops = {gate("ch", {}, {0, 1}), gate("cry", {0.4}, {0, 2}),
                               gate("ccx", {}, {0, 1, 2}), gate("crz", {0.2}, {0, 1})};
  const std::vector<Op> out = fuse(ops);
  REQUIRE(out.size() == 1);
  const GateOp& g = std::get<GateOp>(out[0]);
  CHECK(g.controls == std::vector<Qubit>{0});
  CHECK(g.open_controls == 0);
  CHECK(g.targets == std::vector<Qubit>{1, 2});
  check_same_operator(ops, out, 3);
  // Open controls (control value 0) are kept with their value.
  GateOp open0 = qstate::make_gate("cx", {}, {0, 1});
  open0.open_controls = 1;
  GateOp open1 = qstate::make_gate("cry", {0.3}, {0, 2});
  open1.open_controls = 1;
  const std::vector<Op> open_ops = {Op(open0), Op(open1)};
  const std::vector<Op> open_out = fuse(open_ops);
  REQUIRE(open_out.size() == 1);
  CHECK(std::get<GateOp>(open_out[0]).open_controls == 1);
  check_same_operator(open_ops, open_out, 3);
  // A control that is a target elsewhere in the group becomes a target.
  const std::vector<Op> mixed = {gate("cx", {}, {0, 1}), gate("h", {}, {0})};
  const std::vector<Op> mixed_out = fuse(mixed);
  REQUIRE(mixed_out.size() == 1);
  CHECK(std::get<GateOp>(mixed_out[0]).controls.empty());
  check_same_operator(mixed, mixed_out, 2);
}

TEST_CASE("measurements, resets, barriers and conditionals end a fusion window", "[fusion]") {
  const Op h0 = gate("h", {}, {0});
  const Op rz0 = gate("rz", {0.5}, {0});
  qstate::IfOp branch;
  branch.condition.bits = {0};
  branch.condition.value = 1;
  branch.then_ops = {gate("x", {}, {1}), gate("h", {}, {1}), gate("t", {}, {1})};
  const std::vector<Op> ops = {h0,
                               rz0,
                               Op(qstate::MeasureOp{0, 0}),
                               h0,
                               rz0,
                               Op(qstate::ResetOp{1}),
                               h0,
                               Op(qstate::BarrierOp{{0}}),
                               rz0,
                               Op(branch),
                               h0,
                               rz0};
  const std::vector<Op> out = fuse(ops);
  REQUIRE(out.size() == 9);
  CHECK(std::get<GateOp>(out[0]).name == "fused");
  CHECK(std::holds_alternative<qstate::MeasureOp>(out[1]));
  CHECK(std::get<GateOp>(out[2]).name == "fused");
  CHECK(std::holds_alternative<qstate::ResetOp>(out[3]));
  CHECK(std::get<GateOp>(out[4]).name == "h");
  CHECK(std::holds_alternative<qstate::BarrierOp>(out[5]));
  CHECK(std::get<GateOp>(out[6]).name == "rz");
  const auto& fused_branch = std::get<qstate::IfOp>(out[7]);
  REQUIRE(fused_branch.then_ops.size() == 1);  // the body is fused on its own
  CHECK(fused_branch.condition.value == 1);
  check_same_operator(branch.then_ops, fused_branch.then_ops, 2);
  CHECK(std::get<GateOp>(out[8]).name == "fused");
}

TEST_CASE("parametric gates stay unfused unless asked; SWAPs are never fused", "[fusion]") {
  GateOp p = qstate::make_gate("rz", {0.25}, {1});
  p.parametric = std::make_shared<ParametricRz>();
  const std::vector<Op> ops = {gate("h", {}, {1}), Op(p), gate("h", {}, {1}),
                               gate("swap", {}, {0, 1}), gate("h", {}, {0})};
  const std::vector<Op> kept = fuse(ops);
  REQUIRE(kept.size() == 5);
  CHECK(std::get<GateOp>(kept[1]).parametric != nullptr);
  CHECK(std::get<GateOp>(kept[3]).name == "swap");
  FusionOptions bound;
  bound.fuse_parametric = true;
  const std::vector<Op> fused = fuse(ops, bound);
  REQUIRE(fused.size() == 3);  // h rz h | swap | h
  CHECK(std::get<GateOp>(fused[0]).parametric == nullptr);
  CHECK(std::get<GateOp>(fused[1]).name == "swap");
  check_same_operator(ops, kept, 2);
  check_same_operator(ops, fused, 2);
}

TEST_CASE("fusion of random circuits is deterministic and keeps the operator", "[fusion]") {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    qstate::test::RandomCircuitOptions ro;
    ro.num_qubits = 5 + static_cast<unsigned>(seed % 3);
    ro.depth = 60;
    ro.final_measurements = false;
    ro.gates = qstate::test::all_standard_gate_names();
    const qstate::Circuit c = qstate::test::random_circuit(seed, ro).circuit;
    DYNAMIC_SECTION("seed " << seed) {
      qstate::FusionStats stats;
      const std::vector<Op> a = fuse(c.ops, {}, &stats);
      const std::vector<Op> b = fuse(c.ops);
      REQUIRE(a.size() == b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        const GateOp& x = std::get<GateOp>(a[i]);
        const GateOp& y = std::get<GateOp>(b[i]);
        CHECK(x.targets == y.targets);
        CHECK(x.controls == y.controls);
        CHECK(x.matrix.entries == y.matrix.entries);
      }
      CHECK(stats.gates_out < stats.gates_in);
      check_same_operator(c.ops, a, ro.num_qubits);
    }
  }
}

TEST_CASE("qubits from 64 up fuse as low qubits do", "[fusion]") {
  // The same gates on qubits 0..3 and on qubits spread over several 64-bit words of the masks.
  const std::vector<Op> ops = {
      gate("ch", {}, {0, 1}),     gate("cry", {0.4}, {0, 2}), gate("ccx", {}, {0, 1, 2}),
      gate("x", {}, {3}),         gate("cx", {}, {3, 1}),     gate("rz", {0.2}, {2}),
      gate("cz", {}, {2, 3}),     gate("h", {}, {0}),         gate("u3", {1, 2, 3}, {3}),
      gate("crz", {0.2}, {0, 1}), gate("t", {}, {1}),         gate("swap", {}, {1, 2})};
  const Qubit wide[] = {3, 70, 130, 64};
  auto spread = [&](const std::vector<Op>& list) {
    std::vector<Op> out = list;
    for (Op& op : out) {
      auto& g = std::get<GateOp>(op);
      for (Qubit& q : g.controls) q = wide[q];
      for (Qubit& q : g.targets) q = wide[q];
    }
    return out;
  };
  const std::vector<Op> low = fuse(ops);
  const std::vector<Op> high = fuse(spread(ops));
  // Fused targets are listed in ascending order, which the spread keeps only for qubits 0..2.
  const std::vector<Op> expected = spread(low);
  REQUIRE(high.size() == low.size());
  for (std::size_t i = 0; i < high.size(); ++i) {
    const auto& h = std::get<GateOp>(high[i]);
    const auto& e = std::get<GateOp>(expected[i]);
    CHECK(h.name == e.name);
    CHECK(h.controls == std::vector<Qubit>(e.controls));
    CHECK(h.open_controls == e.open_controls);
    std::vector<Qubit> sorted(e.targets.begin(), e.targets.end());
    std::sort(sorted.begin(), sorted.end());
    CHECK(h.targets == sorted);
    CHECK(h.matrix.kind == e.matrix.kind);
  }
}

TEST_CASE("a QFT's h pairs fuse past the phases between them; an unpaired phase stays apart",
          "[fusion]") {
  // h 0; cu1 0,1; cu1 0,2; cu1 0,3; h 1: the phase on {0,1} joins h 0 tentatively, h 1 makes
  // qubit 1 local and joins too (it may move before the phases on {0,2}, {0,3}), so the window is
  // one dense gate on {0,1} and one diagonal.
  const std::vector<Op> qft = {gate("h", {}, {0}),
                               gate("cu1", {kPi / 2}, {0, 1}),
                               gate("cu1", {kPi / 4}, {0, 2}),
                               gate("cu1", {kPi / 8}, {0, 3}),
                               gate("h", {}, {1}),
                               gate("cu1", {kPi / 2}, {1, 2})};
  const std::vector<Op> fused = fuse(qft);
  const auto g = gates_of(fused);
  REQUIRE(g.size() == 2);
  CHECK(g[0]->matrix.kind == MatrixKind::kDense);
  CHECK(g[0]->targets == std::vector<Qubit>{0, 1});
  CHECK(g[1]->matrix.kind == MatrixKind::kDiagonal);
  check_same_operator(qft, fused, 4);

  // Without a later gate needing qubit 1, the phase is not a reason to widen h: h 0 stays a
  // 1-qubit gate (the locality rule), the phases diagonals after it (the one that joined h 0
  // tentatively on its own).
  const std::vector<Op> alone = {gate("h", {}, {0}), gate("cu1", {kPi / 2}, {0, 1}),
                                 gate("cu1", {kPi / 4}, {0, 2})};
  const std::vector<Op> fused_alone = fuse(alone);
  const auto a = gates_of(fused_alone);
  REQUIRE(a.size() == 3);
  CHECK(a[0]->matrix.kind == MatrixKind::kDense);
  CHECK(a[0]->targets == std::vector<Qubit>{0});
  CHECK(a[1]->matrix.kind == MatrixKind::kDiagonal);
  CHECK(a[2]->matrix.kind == MatrixKind::kDiagonal);
  check_same_operator(alone, fused_alone, 3);

  // A random circuit's layer: sx 1 waits in its own group, so cz 0,1 does not pair with sx 0.
  const std::vector<Op> layer = {gate("sx", {}, {0}), gate("sx", {}, {1}), gate("cz", {}, {0, 1})};
  const std::vector<Op> fused_layer = fuse(layer);
  for (const GateOp* op : gates_of(fused_layer)) CHECK(op->targets.size() <= 2);
  check_same_operator(layer, fused_layer, 2);
}
