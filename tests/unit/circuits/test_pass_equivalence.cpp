// The optimised passes (circuits/passes/program.cpp, fusion.cpp: inline storage, reused scratch,
// in-place compaction) against plain reference implementations of the same rules, written here
// for clarity with std::set and linear searches: on seeded random circuits (every standard gate,
// open controls, measurements, resets, barriers, conditionals, parametric gates, SWAPs) both must
// give exactly the same ops, field for field and bit for bit.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "circuits/gates.hpp"
#include "circuits/passes/fusion.hpp"
#include "circuits/passes/layout.hpp"
#include "circuits/passes/program.hpp"
#include "simulator/fused_matrix.hpp"
#include "tests/support/random_circuits.hpp"

namespace {

using namespace qstate;

// ---- reference plan_program --------------------------------------------------------------

void collect_gate_qubits(const std::vector<Op>& ops, std::set<Qubit>& out) {
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op)) {
      out.insert(g->controls.begin(), g->controls.end());
      out.insert(g->targets.begin(), g->targets.end());
    } else if (const auto* b = std::get_if<IfOp>(&op)) {
      collect_gate_qubits(b->then_ops, out);
      collect_gate_qubits(b->else_ops, out);
    }
  }
}

struct RefPlanner {
  std::vector<Qubit> used;
  std::set<Qubit> touched;   // simulated qubits
  std::set<Qubit> measured;  // simulated qubits
  bool dynamic = false;

  Qubit compact(Qubit declared) const {
    const auto it = std::find(used.begin(), used.end(), declared);
    return it == used.end() ? kIdleQubit : static_cast<Qubit>(it - used.begin());
  }

  std::vector<Op> transform(const std::vector<Op>& ops) {
    std::vector<Op> out;
    for (const Op& op : ops) {
      if (const auto* g = std::get_if<GateOp>(&op)) {
        GateOp copy = *g;
        for (auto* list : {&copy.controls, &copy.targets})
          for (Qubit& q : *list) {
            q = compact(q);
            touched.insert(q);
            if (measured.count(q) != 0) dynamic = true;
          }
        out.emplace_back(copy);
      } else if (const auto* m = std::get_if<MeasureOp>(&op)) {
        const Qubit q = compact(m->qubit);
        if (q != kIdleQubit) measured.insert(q);
        out.emplace_back(MeasureOp{q, m->clbit});
      } else if (const auto* r = std::get_if<ResetOp>(&op)) {
        const Qubit q = compact(r->qubit);
        if (q == kIdleQubit || touched.count(q) == 0) continue;
        dynamic = true;
        out.emplace_back(ResetOp{q});
      } else if (const auto* b = std::get_if<IfOp>(&op)) {
        dynamic = true;
        IfOp copy;
        copy.condition = b->condition;
        copy.is_while = b->is_while;
        if (b->is_while) {
          std::set<Qubit> body;
          collect_gate_qubits(b->then_ops, body);
          for (Qubit q : body) touched.insert(compact(q));
        }
        copy.then_ops = transform(b->then_ops);
        copy.else_ops = transform(b->else_ops);
        out.emplace_back(copy);
      }
    }
    return out;
  }
};

Program reference_plan(const Circuit& c) {
  Program p;
  p.source = c.source;
  p.qregs = c.qregs;
  p.cregs = c.cregs;
  p.declared_qubits = c.num_qubits;
  p.num_clbits = c.num_clbits;
  p.global_phase = c.global_phase;
  p.inputs = c.inputs;
  RefPlanner planner;
  std::set<Qubit> used;
  collect_gate_qubits(c.ops, used);
  planner.used.assign(used.begin(), used.end());
  std::vector<Op> ops = planner.transform(c.ops);
  p.used_qubits = planner.used;
  p.dynamic = planner.dynamic;
  if (p.dynamic) {
    p.ops = ops;
    p.prefix_length = 0;
    while (p.prefix_length < p.ops.size() && std::holds_alternative<GateOp>(p.ops[p.prefix_length]))
      ++p.prefix_length;
    return p;
  }
  for (const Op& op : ops) {
    if (const auto* m = std::get_if<MeasureOp>(&op)) {
      p.final_measurements.push_back(*m);
    } else {
      p.ops.push_back(op);
    }
  }
  p.prefix_length = p.ops.size();
  return p;
}

// ---- reference fusion ----------------------------------------------------------------------

using RefControl = std::pair<Qubit, bool>;

struct RefShape {
  std::set<Qubit> targets;
  std::set<RefControl> controls;
  MatrixKind kind = MatrixKind::kDiagonal;
  std::set<Qubit> local;  // targets of non-diagonal gates
};

RefShape ref_shape(const GateOp& g) {
  RefShape s;
  s.targets.insert(g.targets.begin(), g.targets.end());
  for (std::size_t j = 0; j < g.controls.size(); ++j)
    s.controls.insert({g.controls[j], g.control_value(j)});
  s.kind = g.matrix.kind;
  if (s.kind != MatrixKind::kDiagonal) s.local = s.targets;
  return s;
}

MatrixKind ref_combine(MatrixKind a, MatrixKind b) {
  if (a == MatrixKind::kDense || b == MatrixKind::kDense) return MatrixKind::kDense;
  if (a == MatrixKind::kPermutation || b == MatrixKind::kPermutation)
    return MatrixKind::kPermutation;
  return MatrixKind::kDiagonal;
}

RefShape ref_merge(const RefShape& a, const RefShape& b) {
  RefShape s;
  for (const RefControl& c : a.controls)
    if (b.controls.count(c) != 0) s.controls.insert(c);
  s.targets = a.targets;
  s.targets.insert(b.targets.begin(), b.targets.end());
  for (const auto* cs : {&a.controls, &b.controls})
    for (const RefControl& c : *cs)
      if (s.controls.count(c) == 0) s.targets.insert(c.first);
  s.kind = ref_combine(a.kind, b.kind);
  s.local = a.local;
  s.local.insert(b.local.begin(), b.local.end());
  return s;
}

struct RefGroup {
  std::vector<const GateOp*> members;
  RefShape shape;
  bool sealed = false;
  bool tentative = false;  // a 1-qubit dense group widened by a diagonal, not yet needed local
};

class RefFuser {
 public:
  RefFuser(const FusionOptions& o, FusionStats& stats, bool pairs = true)
      : o_(o), stats_(stats), pairs_(pairs) {
    dense_limit_ = std::min(o.max_dense_width != 0 ? o.max_dense_width : o.model.max_dense_width(),
                            o.max_local_width);
  }

  std::vector<Op> fuse(const std::vector<Op>& ops) {
    std::vector<Op> out;
    std::vector<RefGroup> groups;
    for (const Op& op : ops) {
      if (const auto* g = std::get_if<GateOp>(&op)) {
        add(groups, *g);
        continue;
      }
      flush(groups, out);
      if (const auto* b = std::get_if<IfOp>(&op)) {
        IfOp copy;
        copy.condition = b->condition;
        copy.is_while = b->is_while;
        copy.then_ops = fuse(b->then_ops);
        copy.else_ops = fuse(b->else_ops);
        out.emplace_back(copy);
      } else {
        out.push_back(op);
      }
    }
    flush(groups, out);
    return out;
  }

 private:
  double cost(const RefShape& s) const {
    return o_.model.cost(s.kind, static_cast<unsigned>(s.targets.size()),
                         static_cast<unsigned>(s.controls.size()));
  }
  bool fits(const RefShape& s) const {
    if (s.kind == MatrixKind::kDiagonal) return s.targets.size() <= o_.max_diagonal_width;
    if (s.targets.size() > dense_limit_) return false;
    for (Qubit q : s.targets)
      if (s.local.count(q) == 0) return false;
    return true;
  }

  void add(std::vector<RefGroup>& groups, const GateOp& g) {
    ++stats_.gates_in;
    const RefShape shape = ref_shape(g);
    const bool fusable =
        (o_.fuse_parametric || g.parametric == nullptr) && !is_plain_swap(g) && fits(shape);
    // The latest group that touches one of the gate's qubits.
    std::set<Qubit> qubits(g.controls.begin(), g.controls.end());
    qubits.insert(g.targets.begin(), g.targets.end());
    const std::ptrdiff_t latest = latest_group(groups, qubits);
    if (fusable) {
      const std::ptrdiff_t last = static_cast<std::ptrdiff_t>(groups.size()) - 1;
      std::vector<std::ptrdiff_t> candidates = {latest};
      if (last != latest) candidates.push_back(last);
      // Strict merges first, then a tentative pair: a diagonal widening a 1-qubit dense group by
      // a qubit whose latest group is not dense.
      for (const bool pairs : {false, true}) {
        if (pairs && !pairs_) break;
        for (std::ptrdiff_t c : candidates) {
          if (c < 0 || groups[static_cast<std::size_t>(c)].sealed) continue;
          RefGroup& group = groups[static_cast<std::size_t>(c)];
          const RefShape merged = ref_merge(group.shape, shape);
          const bool strict = fits(merged);
          bool pair = pairs && !strict && shape.kind == MatrixKind::kDiagonal &&
                      group.shape.kind == MatrixKind::kDense && group.shape.targets.size() == 1 &&
                      merged.targets.size() == 2 && dense_limit_ >= 2;
          for (Qubit q : qubits) {
            if (!pair || group.shape.targets.count(q) != 0 || group.shape.controls.count({q, 0}) ||
                group.shape.controls.count({q, 1}))
              continue;
            const std::ptrdiff_t at = latest_group(groups, {q});
            pair =
                at < 0 || groups[static_cast<std::size_t>(at)].shape.kind == MatrixKind::kDiagonal;
          }
          if ((!strict && !pair) || cost(merged) > (cost(group.shape) + cost(shape)) * (1 + 1e-12))
            continue;
          group.shape = merged;
          group.tentative = !strict;
          group.members.push_back(&g);
          return;
        }
      }
    }
    groups.push_back(RefGroup{{&g}, shape, !fusable});
  }

  static std::ptrdiff_t latest_group(const std::vector<RefGroup>& groups,
                                     const std::set<Qubit>& qubits) {
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(groups.size()) - 1; i >= 0; --i)
      for (const GateOp* m : groups[static_cast<std::size_t>(i)].members)
        for (Qubit q : qubits)
          if (std::count(m->controls.begin(), m->controls.end(), q) != 0 ||
              std::count(m->targets.begin(), m->targets.end(), q) != 0)
            return i;
    return -1;
  }

  void flush(std::vector<RefGroup>& groups, std::vector<Op>& out) {
    merge_layers(groups);
    for (const RefGroup& group : groups) emit(group, out);
    groups.clear();
  }

  // Neighbouring dense groups without controls on disjoint qubits become one group while it fits
  // and costs no more than the two.
  void merge_layers(std::vector<RefGroup>& groups) const {
    std::vector<RefGroup> merged_groups;
    for (const RefGroup& g : groups) {
      if (!merged_groups.empty()) {
        RefGroup& a = merged_groups.back();
        bool disjoint = true;
        for (Qubit q : g.shape.targets) disjoint = disjoint && a.shape.targets.count(q) == 0;
        const bool candidate = !a.sealed && !g.sealed && !a.tentative && !g.tentative &&
                               a.shape.kind == MatrixKind::kDense &&
                               g.shape.kind == MatrixKind::kDense && a.shape.controls.empty() &&
                               g.shape.controls.empty() && disjoint;
        const RefShape merged = ref_merge(a.shape, g.shape);
        if (candidate && fits(merged) &&
            cost(merged) <= (cost(a.shape) + cost(g.shape)) * (1 + 1e-12)) {
          a.shape = merged;
          a.members.insert(a.members.end(), g.members.begin(), g.members.end());
          continue;
        }
      }
      merged_groups.push_back(g);
    }
    groups = std::move(merged_groups);
  }

  void emit(const RefGroup& group, std::vector<Op>& out) {
    if (group.tentative) {  // never needed local: the members fused again without pairs
      FusionStats sub;
      RefFuser strict(o_, sub, false);
      std::vector<RefGroup> groups;
      for (const GateOp* m : group.members) strict.add(groups, *m);
      strict.flush(groups, out);
      stats_.gates_out += sub.gates_out;
      stats_.fused += sub.fused;
      stats_.widest = std::max(stats_.widest, sub.widest);
      return;
    }
    ++stats_.gates_out;
    if (group.members.size() == 1) {
      out.emplace_back(*group.members.front());
      return;
    }
    const std::vector<Qubit> targets(group.shape.targets.begin(), group.shape.targets.end());
    const auto index_of = [&](Qubit q) {
      return static_cast<Qubit>(std::find(targets.begin(), targets.end(), q) - targets.begin());
    };
    std::vector<GateOp> local;
    for (const GateOp* m : group.members) {
      GateOp g;
      g.name = m->name;
      g.matrix = m->matrix;
      for (Qubit q : m->targets) g.targets.push_back(index_of(q));
      for (std::size_t j = 0; j < m->controls.size(); ++j) {
        const RefControl c{m->controls[j], m->control_value(j)};
        if (group.shape.controls.count(c) != 0) continue;
        if (!c.second) g.open_controls |= std::uint64_t{1} << g.controls.size();
        g.controls.push_back(index_of(c.first));
      }
      local.push_back(g);
    }
    GateOp fused;
    fused.name = "fused";
    fused.targets.assign(targets.begin(), targets.end());
    for (const RefControl& c : group.shape.controls) {
      if (!c.second) fused.open_controls |= std::uint64_t{1} << fused.controls.size();
      fused.controls.push_back(c.first);
    }
    const auto k = static_cast<unsigned>(targets.size());
    fused.matrix = fused_matrix(k, group.shape.kind, local);
    ++stats_.fused;
    stats_.widest = std::max(stats_.widest, k);
    out.emplace_back(fused);
  }

  const FusionOptions& o_;
  FusionStats& stats_;
  bool pairs_;
  unsigned dense_limit_ = 0;
};

// ---- comparison ----------------------------------------------------------------------------

template <class A, class B>
bool same_list(const A& a, const B& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

void require_same_ops(const std::vector<Op>& a, const std::vector<Op>& b);

void require_same_op(const Op& a, const Op& b) {
  REQUIRE(a.index() == b.index());
  if (const auto* ga = std::get_if<GateOp>(&a)) {
    const auto& gb = std::get<GateOp>(b);
    CHECK(ga->name == gb.name);
    CHECK(same_list(ga->params, gb.params));
    CHECK(same_list(ga->controls, gb.controls));
    CHECK(same_list(ga->targets, gb.targets));
    CHECK(ga->open_controls == gb.open_controls);
    CHECK(ga->matrix.kind == gb.matrix.kind);
    CHECK(ga->matrix.num_targets == gb.matrix.num_targets);
    CHECK(same_list(ga->matrix.entries, gb.matrix.entries));  // exact, not within a tolerance
    CHECK(same_list(ga->matrix.perm, gb.matrix.perm));
    CHECK(ga->parametric == gb.parametric);
    CHECK(ga->may_relabel == gb.may_relabel);
  } else if (const auto* ma = std::get_if<MeasureOp>(&a)) {
    CHECK(ma->qubit == std::get<MeasureOp>(b).qubit);
    CHECK(ma->clbit == std::get<MeasureOp>(b).clbit);
  } else if (const auto* ra = std::get_if<ResetOp>(&a)) {
    CHECK(ra->qubit == std::get<ResetOp>(b).qubit);
  } else if (const auto* ba = std::get_if<BarrierOp>(&a)) {
    CHECK(ba->qubits == std::get<BarrierOp>(b).qubits);
  } else if (const auto* ia = std::get_if<IfOp>(&a)) {
    const auto& ib = std::get<IfOp>(b);
    CHECK(ia->condition.bits == ib.condition.bits);
    CHECK(ia->condition.value == ib.condition.value);
    CHECK(ia->condition.negated == ib.condition.negated);
    CHECK(ia->is_while == ib.is_while);
    require_same_ops(ia->then_ops, ib.then_ops);
    require_same_ops(ia->else_ops, ib.else_ops);
  }
}

void require_same_ops(const std::vector<Op>& a, const std::vector<Op>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) require_same_op(a[i], b[i]);
}

// A parametric gate for the fusion options that leave them alone; never bound here.
class NeverBound : public ParametricGate {
 public:
  void bind(std::span<const double>, GateOp&) const override {}
};

// Random circuits: every standard gate, some with open controls, parametric or turned into a
// plain SWAP; with or without measurements, resets, barriers and conditionals; some qubits idle.
Circuit random_test_circuit(std::uint64_t seed, bool dynamic) {
  test::SeededRandom rng(seed * 7919 + 1);
  test::RandomCircuitOptions o;
  o.num_qubits = 3 + static_cast<unsigned>(rng.below(6));
  o.depth = 20 + static_cast<unsigned>(rng.below(120));
  o.gates = test::all_standard_gate_names();
  o.final_measurements = rng.chance(0.7);
  if (dynamic) {
    o.mid_measure_rate = 0.05;
    o.reset_rate = 0.05;
    o.barrier_rate = 0.05;
    o.conditional_rate = 0.05;
  } else {
    o.barrier_rate = 0.03;
  }
  Circuit c = test::random_circuit(seed, o).circuit;
  const auto shared = std::make_shared<NeverBound>();
  for (Op& op : c.ops) {
    auto* g = std::get_if<GateOp>(&op);
    if (g == nullptr) continue;
    if (!g->controls.empty() && rng.chance(0.3))
      g->open_controls = rng.below(std::uint64_t{1} << g->controls.size());
    if (rng.chance(0.03)) g->parametric = shared;
  }
  // A few idle qubits: planning must drop them.
  c.num_qubits += static_cast<std::uint32_t>(rng.below(3));
  return c;
}

FusionOptions random_options(test::SeededRandom& rng) {
  FusionOptions f;
  f.max_dense_width = static_cast<unsigned>(rng.below(5));  // 0: the model's
  f.max_diagonal_width = 1 + static_cast<unsigned>(rng.below(10));
  f.max_local_width = rng.chance(0.5) ? 64 : 1 + static_cast<unsigned>(rng.below(5));
  f.fuse_parametric = rng.chance(0.5);
  return f;
}

}  // namespace

TEST_CASE("plan_program gives what the reference planner gives", "[passes][equivalence]") {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    INFO("seed " << seed);
    const Circuit c = random_test_circuit(seed, seed % 2 == 0);
    const Program got = plan_program(c);
    const Program want = reference_plan(c);
    CHECK(got.used_qubits == want.used_qubits);
    CHECK(got.dynamic == want.dynamic);
    CHECK(got.prefix_length == want.prefix_length);
    REQUIRE(got.final_measurements.size() == want.final_measurements.size());
    for (std::size_t i = 0; i < got.final_measurements.size(); ++i) {
      CHECK(got.final_measurements[i].qubit == want.final_measurements[i].qubit);
      CHECK(got.final_measurements[i].clbit == want.final_measurements[i].clbit);
    }
    require_same_ops(got.ops, want.ops);
  }
}

TEST_CASE("fuse_gates gives what the reference fuser gives", "[passes][equivalence][fusion]") {
  std::uint64_t fused_total = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    INFO("seed " << seed);
    test::SeededRandom rng(seed);
    const Program p = plan_program(random_test_circuit(seed, seed % 3 == 0));
    const FusionOptions options = seed <= 20 ? FusionOptions{} : random_options(rng);
    FusionStats got_stats;
    FusionStats want_stats;
    const std::vector<Op> got = fuse_gates(p.ops, fused_matrix, options, &got_stats);
    const std::vector<Op> want = RefFuser(options, want_stats).fuse(p.ops);
    require_same_ops(got, want);
    CHECK(got_stats.gates_in == want_stats.gates_in);
    CHECK(got_stats.gates_out == want_stats.gates_out);
    CHECK(got_stats.fused == want_stats.fused);
    CHECK(got_stats.widest == want_stats.widest);
    fused_total += got_stats.fused;
  }
  CHECK(fused_total > 1000);  // the circuits do exercise fusion
}
