// Gate fusion (see fusion.hpp): a greedy pass over each window of consecutive gates. Each gate
// joins the group that last touched one of its qubits (moving it there is valid: no later group
// shares a qubit with it), or the window's last group, when the cost model accepts the fused
// shape; else it opens a new group. Groups are emitted in the order they were opened.
#include "circuits/passes/fusion.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

#include "circuits/passes/layout.hpp"

namespace qstate {

double FusionCostModel::cost(MatrixKind kind, unsigned targets, unsigned controls) const {
  const double touched = std::ldexp(1.0, -static_cast<int>(controls));
  const double memory = bytes_per_amplitude / bytes_per_second;
  double flops = 0;
  if (kind == MatrixKind::kDense) flops = 8.0 * std::ldexp(1.0, static_cast<int>(targets));
  if (kind == MatrixKind::kDiagonal) flops = 6.0;
  return touched * std::max(memory, flops / flops_per_second);
}

unsigned FusionCostModel::max_dense_width() const {
  const double memory = bytes_per_amplitude / bytes_per_second;
  unsigned k = 1;
  while (k < 10 && 8.0 * std::ldexp(1.0, static_cast<int>(k + 1)) / flops_per_second <= memory) ++k;
  return k;
}

FusionStats& FusionStats::operator+=(const FusionStats& o) {
  gates_in += o.gates_in;
  gates_out += o.gates_out;
  fused += o.fused;
  widest = std::max(widest, o.widest);
  return *this;
}

namespace {

struct Control {
  Qubit qubit = 0;
  bool value = true;  // the value it must hold
  friend auto operator<=>(const Control&, const Control&) = default;
};

MatrixKind combine(MatrixKind a, MatrixKind b) {
  if (a == MatrixKind::kDense || b == MatrixKind::kDense) return MatrixKind::kDense;
  if (a == MatrixKind::kPermutation || b == MatrixKind::kPermutation)
    return MatrixKind::kPermutation;
  return MatrixKind::kDiagonal;
}

// Qubit lists of a shape: sorted, a handful of entries, held inline (no allocation per gate).
using QubitList = SmallVector<Qubit, 12>;
using ControlList = SmallVector<Control, 4>;

// The targets, shared controls and kind of a (fused) gate.
struct Shape {
  QubitList targets;     // ascending
  ControlList controls;  // ascending by qubit
  MatrixKind kind = MatrixKind::kDiagonal;
  // Qubits the gates must have in local positions (targets of non-diagonal gates), ascending.
  QubitList local;
};

Shape shape_of(const GateOp& g) {
  Shape s;
  s.targets.assign(g.targets.begin(), g.targets.end());
  std::sort(s.targets.begin(), s.targets.end());
  for (std::size_t j = 0; j < g.controls.size(); ++j)
    s.controls.push_back(Control{g.controls[j], g.control_value(j)});
  std::sort(s.controls.begin(), s.controls.end());
  s.kind = g.matrix.kind;
  if (s.kind != MatrixKind::kDiagonal) s.local = s.targets;
  return s;
}

// The shape of a followed by b: controls both share (same qubit, same value) stay controls; every
// other qubit becomes a target.
void merge(const Shape& a, const Shape& b, Shape& s) {
  s.controls.clear();
  std::set_intersection(a.controls.begin(), a.controls.end(), b.controls.begin(), b.controls.end(),
                        std::back_inserter(s.controls));
  QubitList& all = s.targets;
  all.assign(a.targets.begin(), a.targets.end());
  all.insert(all.end(), b.targets.begin(), b.targets.end());
  for (const auto* cs : {&a.controls, &b.controls})
    for (const Control& c : *cs)
      if (!std::binary_search(s.controls.begin(), s.controls.end(), c)) all.push_back(c.qubit);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  s.kind = combine(a.kind, b.kind);
  s.local.clear();
  std::set_union(a.local.begin(), a.local.end(), b.local.begin(), b.local.end(),
                 std::back_inserter(s.local));
}

struct Group {
  SmallVector<const GateOp*, 4> members;  // in program order
  Shape shape;
  double cost = 0;
  bool sealed = false;  // holds one gate that nothing may join
};

class WindowFuser {
 public:
  WindowFuser(const FusionOptions& o, const FusedMatrixBuilder& build, FusionStats& stats)
      : options_(o), build_(build), stats_(stats) {
    dense_limit_ = std::min(o.max_dense_width != 0 ? o.max_dense_width : o.model.max_dense_width(),
                            o.max_local_width);
  }

  void add(const GateOp& g) {
    ++stats_.gates_in;
    const Shape shape = shape_of(g);
    const bool fusable =
        (options_.fuse_parametric || g.parametric == nullptr) && !is_plain_swap(g) && fits(shape);
    // The latest group on any of the gate's qubits: the gate may join it or any later group.
    std::size_t latest = kNone;
    for_each_qubit(g, [&](Qubit q) {
      if (q >= last_group_.size()) last_group_.resize(q + 1, kNone);
      const std::size_t at = last_group_[q];
      if (at != kNone && (latest == kNone || at > latest)) latest = at;
    });
    std::size_t chosen = kNone;
    if (fusable) {
      const double own = cost(shape);
      const std::size_t last = groups_.empty() ? kNone : groups_.size() - 1;
      for (std::size_t candidate : {latest, last == latest ? kNone : last}) {
        if (candidate == kNone || groups_[candidate].sealed) continue;
        Group& group = groups_[candidate];
        merge(group.shape, shape, merged_);
        const double c = cost(merged_);
        if (!fits(merged_) || c > (group.cost + own) * (1 + 1e-12)) continue;
        std::swap(group.shape, merged_);
        group.cost = c;
        group.members.push_back(&g);
        chosen = candidate;
        break;
      }
    }
    if (chosen == kNone) {
      chosen = groups_.size();
      groups_.push_back(Group{{&g}, shape, cost(shape), !fusable});
    }
    for_each_qubit(g, [&](Qubit q) {
      if (last_group_[q] == kNone) touched_.push_back(q);
      last_group_[q] = chosen;
    });
  }

  // Emits the window's groups and starts a new window.
  void flush(std::vector<Op>& out) {
    for (Group& group : groups_) emit(group, out);
    groups_.clear();
    for (Qubit q : touched_) last_group_[q] = kNone;
    touched_.clear();
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  template <class F>
  static void for_each_qubit(const GateOp& g, F&& f) {
    for (Qubit q : g.controls) f(q);
    for (Qubit q : g.targets) f(q);
  }

  // Within the width limits, and (non-diagonal) needing no qubit in a local position that its
  // gates did not already need there: fusion never adds work for the distribution planner.
  bool fits(const Shape& s) const {
    const auto width = static_cast<unsigned>(s.targets.size());
    if (s.kind == MatrixKind::kDiagonal) return width <= options_.max_diagonal_width;
    return width <= dense_limit_ &&
           std::includes(s.local.begin(), s.local.end(), s.targets.begin(), s.targets.end());
  }

  double cost(const Shape& s) const {
    return options_.model.cost(s.kind, static_cast<unsigned>(s.targets.size()),
                               static_cast<unsigned>(s.controls.size()));
  }

  void emit(const Group& group, std::vector<Op>& out) {
    ++stats_.gates_out;
    if (group.members.size() == 1) {
      out.emplace_back(*group.members.front());
      return;
    }
    const Shape& s = group.shape;
    const auto index_of = [&](Qubit q) {
      return static_cast<Qubit>(std::lower_bound(s.targets.begin(), s.targets.end(), q) -
                                s.targets.begin());
    };
    // Each gate on the fused targets (indices into s.targets), shared controls removed.
    std::vector<GateOp>& local = local_;  // reused: no allocation per group
    local.clear();
    for (const GateOp* m : group.members) {
      GateOp g;
      g.name = m->name;
      g.matrix = m->matrix;
      for (Qubit q : m->targets) g.targets.push_back(index_of(q));
      for (std::size_t j = 0; j < m->controls.size(); ++j) {
        const Control c{m->controls[j], m->control_value(j)};
        if (std::binary_search(s.controls.begin(), s.controls.end(), c)) continue;
        if (!c.value) g.open_controls |= std::uint64_t{1} << g.controls.size();
        g.controls.push_back(index_of(c.qubit));
      }
      local.push_back(std::move(g));
    }
    const auto k = static_cast<unsigned>(s.targets.size());
    GateOp fused;
    fused.name = "fused";
    fused.targets.assign(s.targets.begin(), s.targets.end());
    for (const Control& c : s.controls) {
      if (!c.value) fused.open_controls |= std::uint64_t{1} << fused.controls.size();
      fused.controls.push_back(c.qubit);
    }
    fused.matrix = build_(k, s.kind, local);
    ++stats_.fused;
    stats_.widest = std::max(stats_.widest, k);
    out.emplace_back(std::move(fused));
  }

  const FusionOptions& options_;
  const FusedMatrixBuilder& build_;
  FusionStats& stats_;
  unsigned dense_limit_ = 0;
  std::vector<Group> groups_;
  std::vector<std::size_t> last_group_;  // by qubit: the latest group that touches it, or kNone
  std::vector<Qubit> touched_;           // qubits with a group in this window
  Shape merged_;                         // scratch for add()
  std::vector<GateOp> local_;            // scratch for emit()
};

std::vector<Op> fuse_list(const std::vector<Op>& ops, const FusedMatrixBuilder& build,
                          const FusionOptions& options, FusionStats& stats) {
  std::vector<Op> out;
  reserve_ops(out, ops.size());
  WindowFuser window(options, build, stats);
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op)) {
      window.add(*g);
      continue;
    }
    window.flush(out);
    if (const auto* branch = std::get_if<IfOp>(&op)) {
      IfOp copy;
      copy.condition = branch->condition;
      copy.is_while = branch->is_while;
      copy.then_ops = fuse_list(branch->then_ops, build, options, stats);
      copy.else_ops = fuse_list(branch->else_ops, build, options, stats);
      out.emplace_back(std::move(copy));
    } else {
      out.push_back(op);
    }
  }
  window.flush(out);
  return out;
}

}  // namespace

std::vector<Op> fuse_gates(const std::vector<Op>& ops, const FusedMatrixBuilder& build,
                           const FusionOptions& options, FusionStats* stats) {
  FusionStats local;
  std::vector<Op> out = fuse_list(ops, build, options, local);
  if (stats != nullptr) *stats += local;
  return out;
}

}  // namespace qstate
