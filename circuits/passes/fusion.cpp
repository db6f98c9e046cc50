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

namespace {

// 2^k, exactly as std::ldexp(1.0, k) gives it, without the library call (cost() runs a few times
// for every gate fused).
double pow2(int k) {
  if (k < -1022 || k > 1023) return std::ldexp(1.0, k);
  return std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
}

}  // namespace

double FusionCostModel::cost(MatrixKind kind, unsigned targets, unsigned controls) const {
  const double touched = pow2(-static_cast<int>(controls));
  const double memory = bytes_per_amplitude / bytes_per_second;
  double flops = 0;
  if (kind == MatrixKind::kDense) flops = 8.0 * pow2(static_cast<int>(targets));
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

MatrixKind combine(MatrixKind a, MatrixKind b) {
  if (a == MatrixKind::kDense || b == MatrixKind::kDense) return MatrixKind::kDense;
  if (a == MatrixKind::kPermutation || b == MatrixKind::kPermutation)
    return MatrixKind::kPermutation;
  return MatrixKind::kDiagonal;
}

// Set bits of x, inline (std::popcount is a library call without the POPCNT instruction, which
// the portable build does not assume).
unsigned bit_count(std::uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<unsigned>((x * 0x0101010101010101ULL) >> 56);
}

// A set of qubits as a bit mask of a fixed number of 64-bit words (enough for the largest qubit
// of the ops being fused: one word up to 64 qubits), inline up to 128 qubits: a shape is merged
// with word operations, without sorting lists or allocating.
class QubitSet {
 public:
  QubitSet() = default;
  explicit QubitSet(std::size_t words) : w_(words, 0) {}

  std::size_t words() const { return w_.size(); }
  std::uint64_t word(std::size_t i) const { return w_[i]; }
  std::uint64_t& word(std::size_t i) { return w_[i]; }
  void insert(Qubit q) { w_[q / 64] |= std::uint64_t{1} << (q % 64); }
  bool contains(Qubit q) const { return ((w_[q / 64] >> (q % 64)) & 1U) != 0; }
  unsigned size() const {
    unsigned n = 0;
    for (const std::uint64_t x : w_) n += bit_count(x);
    return n;
  }
  // How many elements are below q: q's index in the ascending list of the set.
  Qubit rank(Qubit q) const {
    unsigned n = 0;
    for (std::size_t i = 0; i < q / 64; ++i) n += bit_count(w_[i]);
    const std::uint64_t below = (std::uint64_t{1} << (q % 64)) - 1;
    return n + bit_count(w_[q / 64] & below);
  }
  // Calls f(q) for each element, ascending.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < w_.size(); ++i)
      for (std::uint64_t x = w_[i]; x != 0; x &= x - 1)
        f(static_cast<Qubit>(64 * i + static_cast<std::size_t>(std::countr_zero(x))));
  }

 private:
  SmallVector<std::uint64_t, 2> w_;
};

// The targets, shared controls and kind of a (fused) gate.
struct Shape {
  QubitSet targets;
  QubitSet controls;  // shared by all its gates, with the same value
  QubitSet open;      // the controls that must be |0> (the others |1>)
  // Qubits the gates must have in local positions (targets of non-diagonal gates).
  QubitSet local;
  MatrixKind kind = MatrixKind::kDiagonal;
  unsigned num_targets = 0;
  unsigned num_controls = 0;

  explicit Shape(std::size_t words = 1)
      : targets(words), controls(words), open(words), local(words) {}
};

void shape_of(const GateOp& g, Shape& s) {
  for (std::size_t i = 0; i < s.targets.words(); ++i)
    s.targets.word(i) = s.controls.word(i) = s.open.word(i) = s.local.word(i) = 0;
  for (const Qubit q : g.targets) s.targets.insert(q);
  for (std::size_t j = 0; j < g.controls.size(); ++j) {
    s.controls.insert(g.controls[j]);
    if (!g.control_value(j)) s.open.insert(g.controls[j]);
  }
  s.kind = g.matrix.kind;
  if (s.kind != MatrixKind::kDiagonal) s.local = s.targets;
  s.num_targets = static_cast<unsigned>(g.targets.size());
  s.num_controls = static_cast<unsigned>(g.controls.size());
}

// The shape of a followed by b: controls both share (same qubit, same value) stay controls; every
// other qubit becomes a target.
void merge(const Shape& a, const Shape& b, Shape& s) {
  for (std::size_t i = 0; i < a.targets.words(); ++i) {
    const std::uint64_t shared =
        a.controls.word(i) & b.controls.word(i) & ~(a.open.word(i) ^ b.open.word(i));
    s.controls.word(i) = shared;
    s.open.word(i) = a.open.word(i) & shared;
    s.targets.word(i) = a.targets.word(i) | b.targets.word(i) |
                        ((a.controls.word(i) | b.controls.word(i)) & ~shared);
    s.local.word(i) = a.local.word(i) | b.local.word(i);
  }
  s.kind = combine(a.kind, b.kind);
  s.num_targets = s.targets.size();
  s.num_controls = s.controls.size();
}

struct Group {
  SmallVector<const GateOp*, 4> members;  // in program order
  Shape shape;
  double cost = 0;
  bool sealed = false;  // holds one gate that nothing may join
  // A 2-qubit diagonal widened this 1-qubit dense group to a target no member needs local (see
  // pairable); cleared when a later member needs it. Until then nothing else can join (a strict
  // merge needs that target local), so an unresolved pair is the group as it was plus the
  // diagonal, its last member: emit() emits them apart, as the strict rule would have grouped
  // them.
  bool tentative = false;
};

class WindowFuser {
 public:
  WindowFuser(const FusionOptions& o, const FusedMatrixBuilder& build, FusionStats& stats,
              std::size_t words)
      : options_(o),
        build_(build),
        stats_(stats),
        qubit_limit_(64 * words),
        shape_(words),
        merged_(words) {
    dense_limit_ = std::min(o.max_dense_width != 0 ? o.max_dense_width : o.model.max_dense_width(),
                            o.max_local_width);
  }

  // False when a qubit of g does not fit in the QubitSets (nothing is added).
  bool add(const GateOp& g) {
    bool narrow = false;
    for_each_qubit(g, [&](Qubit q) { narrow = narrow || q >= qubit_limit_; });
    if (narrow) return false;
    ++stats_.gates_in;
    Shape& shape = shape_;
    shape_of(g, shape);
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
      // Strict merges first; a tentative pair only where no group takes the gate strictly.
      for (const bool pairs : {false, true}) {
        if (pairs && chosen != kNone) break;
        for (std::size_t candidate : {latest, last == latest ? kNone : last}) {
          if (candidate == kNone || groups_[candidate].sealed) continue;
          Group& group = groups_[candidate];
          merge(group.shape, shape, merged_);
          const bool strict = fits(merged_);
          const bool pair = !strict && pairs && pairable(group, g, shape, merged_);
          const double c = cost(merged_);
          if ((!strict && !pair) || c > (group.cost + own) * (1 + 1e-12)) continue;
          std::swap(group.shape, merged_);
          group.cost = c;
          group.tentative = pair;
          group.members.push_back(&g);
          chosen = candidate;
          break;
        }
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
    return true;
  }

  // Emits the window's groups and starts a new window.
  void flush(std::vector<Op>& out) {
    merge_layers();
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

  // Consecutive groups that are dense, uncontrolled and on disjoint qubits merge into one (their
  // tensor product) while it fits and the cost model accepts it. A layer of 1-qubit gates ends up
  // as one group per qubit when each qubit's run starts with a diagonal (`rz q; sx q; rz q` as
  // Qiskit transpiles): the diagonal cannot join the previous qubit's dense group (its qubit is not
  // local there yet) and the rest of the run joins the diagonal. Every member of both groups
  // already needs its targets local, so the merged gate needs no new local qubit. The groups
  // commute (disjoint qubits), so the members in order still make the product.
  void merge_layers() {
    std::size_t w = 0;
    for (std::size_t r = 1; r < groups_.size(); ++r) {
      Group& a = groups_[w];
      Group& b = groups_[r];
      if (layer_pair(a, b)) {
        merge(a.shape, b.shape, merged_);
        const double c = cost(merged_);
        if (fits(merged_) && c <= (a.cost + b.cost) * (1 + 1e-12)) {
          std::swap(a.shape, merged_);
          a.cost = c;
          for (const GateOp* m : b.members) a.members.push_back(m);
          continue;
        }
      }
      if (++w != r) groups_[w] = std::move(b);
    }
    if (!groups_.empty()) groups_.resize(w + 1, Group{{}, Shape(shape_.targets.words())});
  }

  static bool layer_pair(const Group& a, const Group& b) {
    if (a.sealed || b.sealed || a.tentative || b.tentative) return false;
    if (a.shape.kind != MatrixKind::kDense || b.shape.kind != MatrixKind::kDense) return false;
    if (a.shape.num_controls != 0 || b.shape.num_controls != 0) return false;
    for (std::size_t i = 0; i < a.shape.targets.words(); ++i)
      if ((a.shape.targets.word(i) & b.shape.targets.word(i)) != 0) return false;
    return true;
  }

  // A diagonal gate g may widen 1-qubit dense `group` to a 2-qubit tentative pair when its other
  // qubit has no dense group waiting in the window (that group would take the gate's qubit next:
  // a random circuit's `sx b; cz a,b` keeps its own grouping), as in a QFT's `h a; cu1 a,b`.
  bool pairable(const Group& group, const GateOp& g, const Shape& shape,
                const Shape& merged) const {
    if (shape.kind != MatrixKind::kDiagonal || group.shape.kind != MatrixKind::kDense ||
        group.shape.num_targets != 1 || merged.num_targets != 2 || dense_limit_ < 2)
      return false;
    bool idle = true;
    for_each_qubit(g, [&](Qubit q) {
      if (group.shape.targets.contains(q) || group.shape.controls.contains(q)) return;
      const std::size_t at = last_group_[q];
      idle = idle && (at == kNone || groups_[at].shape.kind == MatrixKind::kDiagonal);
    });
    return idle;
  }

  // Within the width limits, and (non-diagonal) needing no qubit in a local position that its
  // gates did not already need there: fusion never adds work for the distribution planner.
  bool fits(const Shape& s) const {
    if (s.kind == MatrixKind::kDiagonal) return s.num_targets <= options_.max_diagonal_width;
    if (s.num_targets > dense_limit_) return false;
    for (std::size_t i = 0; i < s.targets.words(); ++i)
      if ((s.targets.word(i) & ~s.local.word(i)) != 0) return false;
    return true;
  }

  double cost(const Shape& s) const {
    return options_.model.cost(s.kind, s.num_targets, s.num_controls);
  }

  void emit(const Group& group, std::vector<Op>& out) {
    if (group.tentative) {
      // No later gate needed the qubit the diagonal brought: the group as it was before the
      // diagonal, then the diagonal on its own.
      Group before{group.members, Shape(shape_.targets.words())};
      before.members.pop_back();
      Shape one(shape_.targets.words());
      Shape merged(shape_.targets.words());
      shape_of(*before.members.front(), before.shape);
      for (std::size_t i = 1; i < before.members.size(); ++i) {
        shape_of(*before.members[i], one);
        merge(before.shape, one, merged);
        std::swap(before.shape, merged);
      }
      emit(before, out);
      ++stats_.gates_out;
      out.emplace_back(*group.members.back());
      return;
    }
    ++stats_.gates_out;
    if (group.members.size() == 1) {
      out.emplace_back(*group.members.front());
      return;
    }
    const Shape& s = group.shape;
    const auto index_of = [&](Qubit q) { return s.targets.rank(q); };
    // Each gate on the fused targets (indices into s.targets), shared controls removed.
    std::vector<GateOp>& local = local_;  // reused: no allocation per group
    local.clear();
    for (const GateOp* m : group.members) {
      GateOp g;
      g.name = m->name;
      g.matrix = m->matrix;
      for (Qubit q : m->targets) g.targets.push_back(index_of(q));
      for (std::size_t j = 0; j < m->controls.size(); ++j) {
        const Qubit q = m->controls[j];
        const bool value = m->control_value(j);
        if (s.controls.contains(q) && s.open.contains(q) != value) continue;  // shared
        if (!value) g.open_controls |= std::uint64_t{1} << g.controls.size();
        g.controls.push_back(index_of(q));
      }
      local.push_back(std::move(g));
    }
    const unsigned k = s.num_targets;
    GateOp fused;
    fused.name = "fused";
    s.targets.for_each([&](Qubit q) { fused.targets.push_back(q); });
    s.controls.for_each([&](Qubit q) {
      if (s.open.contains(q)) fused.open_controls |= std::uint64_t{1} << fused.controls.size();
      fused.controls.push_back(q);
    });
    fused.matrix = build_(k, s.kind, local);
    ++stats_.fused;
    stats_.widest = std::max(stats_.widest, k);
    out.emplace_back(std::move(fused));
  }

  const FusionOptions& options_;
  const FusedMatrixBuilder& build_;
  FusionStats& stats_;
  unsigned dense_limit_ = 0;
  std::size_t qubit_limit_;  // qubits below this fit in the QubitSets
  std::vector<Group> groups_;
  std::vector<std::size_t> last_group_;  // by qubit: the latest group that touches it, or kNone
  std::vector<Qubit> touched_;           // qubits with a group in this window
  Shape shape_;                          // scratch for add(): the gate's own shape
  Shape merged_;                         // scratch for add()
  std::vector<GateOp> local_;            // scratch for emit()
};

// The largest qubit a gate of `ops` (IfOp bodies included) acts on, plus one.
Qubit qubit_bound(const std::vector<Op>& ops) {
  Qubit bound = 0;
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op)) {
      for (const Qubit q : g->controls) bound = std::max(bound, q + 1);
      for (const Qubit q : g->targets) bound = std::max(bound, q + 1);
    } else if (const auto* branch = std::get_if<IfOp>(&op)) {
      bound = std::max({bound, qubit_bound(branch->then_ops), qubit_bound(branch->else_ops)});
    }
  }
  return bound;
}

// `words`: of the QubitSets; `too_narrow` is set (and the result is to be thrown away) when a
// qubit does not fit.
std::vector<Op> fuse_list(const std::vector<Op>& ops, const FusedMatrixBuilder& build,
                          const FusionOptions& options, FusionStats& stats, std::size_t words,
                          bool& too_narrow) {
  std::vector<Op> out;
  reserve_ops(out, ops.size());
  WindowFuser window(options, build, stats, words);
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op)) {
      if (!window.add(*g)) {
        too_narrow = true;
        return out;
      }
      continue;
    }
    window.flush(out);
    if (const auto* branch = std::get_if<IfOp>(&op)) {
      IfOp copy;
      copy.condition = branch->condition;
      copy.is_while = branch->is_while;
      copy.then_ops = fuse_list(branch->then_ops, build, options, stats, words, too_narrow);
      copy.else_ops = fuse_list(branch->else_ops, build, options, stats, words, too_narrow);
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
  // One word of qubit masks; for a program with qubits from 64 up, once more with enough words.
  bool too_narrow = false;
  std::vector<Op> out = fuse_list(ops, build, options, local, 1, too_narrow);
  if (too_narrow) {
    local = {};
    too_narrow = false;
    out = fuse_list(ops, build, options, local, qubit_bound(ops) / 64 + 1, too_narrow);
  }
  if (stats != nullptr) *stats += local;
  return out;
}

}  // namespace qstate
